#!/usr/bin/env bash
# Finds PowerShell 7 and Pester for `make test`, installing the pinned versions into .tools/ with the .NET SDK
# when the machine has none. Prints `export PWSH=...` and `export PESTER_MODULE=...` lines for the caller to eval;
# everything else goes to stderr. With SLAWATCH_REQUIRE_PWSH=1 (CI) a missing pwsh or Pester is an error.
# Idempotent: a stamp file per pinned version makes the second run a few file checks.
set -euo pipefail
cd "$(dirname "$0")/../.."

PWSH_VERSION=7.6.9
PESTER_PROJECT=powershell/tools/Pester.csproj
TOOLS=.tools
PESTER_VERSION=$(sed -n 's/.*Include="Pester" Version="\[\([0-9.]*\)\]".*/\1/p' "$PESTER_PROJECT")
PWSH_STAMP=$TOOLS/.pwsh-$PWSH_VERSION.installed
PESTER_STAMP=$TOOLS/.pester-$PESTER_VERSION.installed
PESTER_PSD1=$TOOLS/nuget/pester/$PESTER_VERSION/tools/Pester.psd1

say() { echo "ensure-tools: $*" >&2; }
missing() {
  if [ "${SLAWATCH_REQUIRE_PWSH:-}" = "1" ]; then
    say "$1; SLAWATCH_REQUIRE_PWSH=1 requires it"
    exit 1
  fi
  say "$1; the Pester suites are skipped, the PowerShell syntax gate runs alone"
  exit 0
}
executable() { [ -n "$1" ] && [ -f "$1" ] && [ -x "$1" ]; }

pwsh=""
if executable "${PWSH:-}"; then
  pwsh=$PWSH
elif command -v pwsh >/dev/null 2>&1; then
  pwsh=$(command -v pwsh)
elif [ -f "$PWSH_STAMP" ] && executable "$TOOLS/pwsh"; then
  pwsh=$PWD/$TOOLS/pwsh
elif command -v dotnet >/dev/null 2>&1; then
  say "installing PowerShell $PWSH_VERSION into $TOOLS/ (dotnet tool)"
  rm -f "$TOOLS"/.pwsh-*.installed
  if executable "$TOOLS/pwsh"; then
    dotnet tool uninstall --tool-path "$TOOLS" PowerShell >&2
  fi
  dotnet tool install --tool-path "$TOOLS" PowerShell --version "$PWSH_VERSION" >&2
  executable "$TOOLS/pwsh" || { say "the install did not produce $TOOLS/pwsh"; exit 1; }
  touch "$PWSH_STAMP"
  pwsh=$PWD/$TOOLS/pwsh
else
  missing "neither PowerShell 7 (PWSH, pwsh on the PATH, $TOOLS/pwsh) nor dotnet to install it was found"
fi
printf 'export PWSH=%q\n' "$pwsh"

pester=""
if [ -n "${PESTER_MODULE:-}" ] && [ -f "$PESTER_MODULE" ]; then
  pester=$PESTER_MODULE
elif [ -f "$PESTER_STAMP" ] && [ -f "$PESTER_PSD1" ]; then
  pester=$PWD/$PESTER_PSD1
elif command -v dotnet >/dev/null 2>&1; then
  say "restoring Pester $PESTER_VERSION into $TOOLS/nuget/ (dotnet restore $PESTER_PROJECT)"
  # Restored from a copy so that obj/ lands in .tools/, not in the source tree.
  mkdir -p "$TOOLS/pester-restore"
  cp "$PESTER_PROJECT" "$TOOLS/pester-restore/Pester.csproj"
  dotnet restore "$TOOLS/pester-restore/Pester.csproj" --packages "$TOOLS/nuget" >&2
  [ -f "$PESTER_PSD1" ] || { say "restore did not produce $PESTER_PSD1"; exit 1; }
  touch "$PESTER_STAMP"
  pester=$PWD/$PESTER_PSD1
else
  missing "Pester (PESTER_MODULE or $PESTER_PSD1) was not found and there is no dotnet to restore it"
fi

printf 'export PESTER_MODULE=%q\n' "$pester"
