"""Gates for the PowerShell scanner that need no PowerShell.

Pester and PSScriptAnalyzer run the module for real (test_pester.py, test_psscriptanalyzer.py, and on Windows in
.github/workflows/powershell.yml); these fast checks run even where pwsh is missing: the module is checked
for syntax (tree-sitter-pwsh), layout (manifest exports = Public/ files, help, CmdletBinding, approved verbs),
compatibility with Windows PowerShell 5.1 (ASCII sources, no PowerShell 7-only operators), coverage of the shared
scanner vectors by the Pester suite, and the golden report against the report schema.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.powershell import syntax_gate

REPO = Path(__file__).resolve().parents[2]
POWERSHELL = REPO / "powershell"
MODULE = POWERSHELL / "SlaWatch"
PUBLIC = MODULE / "Public"
PRIVATE = MODULE / "Private"
PESTER = POWERSHELL / "tests"
VECTORS = REPO / "tests" / "vectors" / "scanner-vectors.json"
GOLDEN = REPO / "tests" / "vectors" / "golden-report.json"
REPORT_SCHEMA = REPO / "functions" / "slawatch" / "schemas" / "report.schema.json"
WORKFLOW = REPO / ".github" / "workflows" / "powershell.yml"

# Get-Verb on Windows PowerShell 5.1 (PowerShell 7 adds Build and Deploy, which 5.1 would warn about).
APPROVED_VERBS = frozenset(
    (
        "Add",
        "Clear",
        "Close",
        "Copy",
        "Enter",
        "Exit",
        "Find",
        "Format",
        "Get",
        "Hide",
        "Join",
        "Lock",
        "Move",
        "New",
        "Open",
        "Optimize",
        "Pop",
        "Push",
        "Redo",
        "Remove",
        "Rename",
        "Reset",
        "Resize",
        "Search",
        "Select",
        "Set",
        "Show",
        "Skip",
        "Split",
        "Step",
        "Switch",
        "Undo",
        "Unlock",
        "Watch",
        "Connect",
        "Disconnect",
        "Read",
        "Receive",
        "Send",
        "Write",
        "Backup",
        "Checkpoint",
        "Compare",
        "Compress",
        "Convert",
        "ConvertFrom",
        "ConvertTo",
        "Dismount",
        "Edit",
        "Expand",
        "Export",
        "Group",
        "Import",
        "Initialize",
        "Limit",
        "Merge",
        "Mount",
        "Out",
        "Publish",
        "Restore",
        "Save",
        "Sync",
        "Unpublish",
        "Update",
        "Debug",
        "Measure",
        "Ping",
        "Repair",
        "Resolve",
        "Test",
        "Trace",
        "Approve",
        "Assert",
        "Complete",
        "Confirm",
        "Deny",
        "Disable",
        "Enable",
        "Install",
        "Invoke",
        "Register",
        "Request",
        "Restart",
        "Resume",
        "Start",
        "Stop",
        "Submit",
        "Suspend",
        "Uninstall",
        "Unregister",
        "Wait",
        "Block",
        "Grant",
        "Protect",
        "Revoke",
        "Unblock",
        "Unprotect",
        "Use",
    )
)

FUNCTION = re.compile(r"^\s*function\s+(?P<verb>[A-Za-z]+)-(?P<noun>[A-Za-z0-9]+)\s*\{", re.MULTILINE)


def powershell_files(root: Path = POWERSHELL) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in syntax_gate.EXTENSIONS)


def module_sources() -> list[Path]:
    return sorted(PUBLIC.glob("*.ps1")) + sorted(PRIVATE.glob("*.ps1")) + [MODULE / "SlaWatch.psm1"]


def strip_comments(source: str) -> str:
    """Drop <# ... #> blocks and # line comments (good enough for the operator checks below)."""
    source = re.sub(r"<#.*?#>", "", source, flags=re.DOTALL)
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in source.splitlines())


# Syntax gate ---------------------------------------------------------------------------------------------------------


def test_syntax_gate_passes_on_the_powershell_tree():
    count, problems = syntax_gate.check_paths([POWERSHELL])
    assert problems == []
    assert count == len(powershell_files())
    assert count >= 40


def test_syntax_gate_fails_on_a_broken_snippet_and_names_the_position(tmp_path, capsys):
    broken = tmp_path / "Broken.ps1"
    broken.write_text(
        "function Get-Broken {\n    [CmdletBinding()]\n    param()\n    if ($true) { 'x'\n", encoding="utf-8"
    )
    good = tmp_path / "Good.psm1"
    good.write_text(
        "function Get-Good {\n    [CmdletBinding()]\n    param()\n    [ordered]@{ a = 1 }\n}\n", encoding="utf-8"
    )

    assert syntax_gate.main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert re.search(re.escape(str(broken)) + r":\d+:\d+: ", err)
    assert "Good.psm1" not in err


def test_syntax_gate_runs_as_a_module_and_sets_the_exit_status(tmp_path):
    (tmp_path / "Bad.ps1").write_text("$x = @( 1,\n", encoding="utf-8")
    command = [sys.executable, "-m", "tests.powershell.syntax_gate", str(tmp_path)]
    failed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)  # noqa: S603
    assert failed.returncode == 1
    assert "Bad.ps1:" in failed.stderr
    passed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.powershell.syntax_gate", str(MODULE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert passed.returncode == 0, passed.stderr


def test_syntax_gate_reads_bom_and_utf16_files(tmp_path):
    (tmp_path / "bom.ps1").write_bytes(b"\xef\xbb\xbf" + b"Get-Date\n")
    (tmp_path / "utf16.ps1").write_bytes("Get-Date\n".encode("utf-16"))
    assert syntax_gate.check_paths([tmp_path]) == (2, [])


# Module layout -------------------------------------------------------------------------------------------------------


def manifest_exports() -> list[str]:
    manifest = (MODULE / "SlaWatch.psd1").read_text(encoding="utf-8")
    block = re.search(r"FunctionsToExport\s*=\s*@\((?P<body>.*?)\)", manifest, re.DOTALL)
    assert block, "FunctionsToExport must be an explicit @(...) list"
    return re.findall(r"'([^']+)'", block.group("body"))


def test_manifest_exports_exactly_the_public_functions():
    exports = manifest_exports()
    assert "*" not in "".join(exports)
    assert sorted(exports) == sorted(p.stem for p in PUBLIC.glob("*.ps1"))
    manifest = (MODULE / "SlaWatch.psd1").read_text(encoding="utf-8")
    for field in ("CmdletsToExport", "VariablesToExport", "AliasesToExport"):
        assert re.search(field + r"\s*=\s*@\(\)", manifest), f"{field} must be an explicit empty list"


@pytest.mark.parametrize("path", sorted(PUBLIC.glob("*.ps1")), ids=lambda p: p.stem)
def test_public_function_has_help_and_cmdletbinding(path):
    source = path.read_text(encoding="utf-8")
    functions = FUNCTION.findall(source)
    assert ["-".join(f) for f in functions] == [path.stem], "one public function per file, named like the file"
    body = source[source.index("{") :]
    help_block = re.match(r"\{\s*<#(?P<help>.*?)#>", body, re.DOTALL)
    assert help_block, "comment-based help must open the function body"
    help_text = help_block.group("help")
    for keyword in (".SYNOPSIS", ".DESCRIPTION", ".EXAMPLE"):
        assert keyword in help_text, f"{path.stem}: {keyword} missing"
    assert "[CmdletBinding(" in source
    param_block = source[source.index("param(") :]
    for name in re.findall(r"^\s{8}(?:\[[^\]]*\]\s*)*\$(\w+)", param_block.split("\n    )\n")[0], re.MULTILINE):
        assert f".PARAMETER {name}" in help_text, f"{path.stem}: .PARAMETER {name} missing"


@pytest.mark.parametrize("path", sorted(PRIVATE.glob("*.ps1")), ids=lambda p: p.stem)
def test_private_function_is_an_advanced_function_named_like_its_file(path):
    source = path.read_text(encoding="utf-8")
    assert [f"{verb}-{noun}" for verb, noun in FUNCTION.findall(source)] == [path.stem]
    assert "[CmdletBinding(" in source
    assert ".SYNOPSIS" in source


def test_every_function_uses_an_approved_verb():
    unapproved = []
    for path in powershell_files():
        for verb, noun in FUNCTION.findall(path.read_text(encoding="utf-8")):
            if verb not in APPROVED_VERBS:
                unapproved.append(f"{path.relative_to(REPO)}: {verb}-{noun}")
    assert unapproved == []


def test_credentials_are_pscredential_parameters_only():
    for path in module_sources():
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\[string\]\s*\$(Password|Pass|Secret|UserName)\b", source, re.IGNORECASE), path.name
        assert "ConvertTo-SecureString" not in source, f"{path.name}: plain text turned into a SecureString"
        if "param(" not in source:
            continue
        param_block = source[source.index("param(") :].split("\n    )\n")[0]
        for declaration in param_block.split("\n\n"):
            if re.search(r"\$Credential\b", declaration):
                assert "[System.Management.Automation.PSCredential]" in declaration, path.name


# Windows PowerShell 5.1 compatibility ---------------------------------------------------------------------------------


def test_powershell_sources_are_ascii():
    # Windows PowerShell 5.1 reads a BOM-less file in the ANSI code page: non-ASCII literals would be mangled.
    offenders = [str(p.relative_to(REPO)) for p in powershell_files() if not p.read_bytes().isascii()]
    assert offenders == []


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"\?\?", "null-coalescing operators are PowerShell 7 only"),
        (r"\$\w+\?\.", "null-conditional member access is PowerShell 7 only"),
        (r"\s&&\s|\s\|\|\s", "pipeline chain operators are PowerShell 7 only"),
        (r"-AsHashtable", "ConvertFrom-Json -AsHashtable is PowerShell 6+ only"),
        (r"-Parallel\b", "ForEach-Object -Parallel is PowerShell 7 only"),
        (
            r"-SkipHttpErrorCheck|-MaximumRetryCount|-StatusCodeVariable",
            "web cmdlet parameters PowerShell 5.1 does not have",
        ),
        (r"\$IsWindows\b(?!\])", "$IsWindows does not exist on 5.1; use $script:IsWindowsPlatform"),
    ],
)
def test_module_avoids_powershell7_only_features(pattern, why):
    for path in module_sources():
        code = strip_comments(path.read_text(encoding="utf-8"))
        if path.name == "SlaWatch.psm1" and "IsWindows" in pattern:
            continue
        assert not re.search(pattern, code), f"{path.name}: {why}"


def test_every_convertto_json_in_the_module_sets_a_depth():
    for path in module_sources():
        for line in strip_comments(path.read_text(encoding="utf-8")).splitlines():
            if "ConvertTo-Json" in line:
                assert "-Depth" in line, f"{path.name}: {line.strip()}"


def test_web_requests_go_through_the_one_retry_loop():
    callers = [p.stem for p in module_sources() if "Invoke-WebRequest" in strip_comments(p.read_text(encoding="utf-8"))]
    assert callers == ["Invoke-SlaWatchHttp"]
    assert "Invoke-RestMethod" not in "".join(p.read_text(encoding="utf-8") for p in module_sources())
    retry_callers = sorted(
        p.stem
        for p in module_sources()
        if re.search(r"^\s*\$\w+ = Invoke-SlaWatchRequest", p.read_text(encoding="utf-8"), re.M)
    )
    assert retry_callers == ["Invoke-SlaWatchCognitoAuth", "Send-SlaWatchBody"]


# Shared vectors and golden report ------------------------------------------------------------------------------


def test_every_scanner_vector_is_run_by_the_pester_suite():
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    names = [v["name"] for v in vectors]
    assert len(names) == len(set(names))
    pester = (PESTER / "Vectors.Tests.ps1").read_text(encoding="utf-8")
    # The Pester file iterates the vector file (one case per vector) rather than copying vectors into the test.
    assert "tests/vectors/scanner-vectors.json" in pester
    assert "foreach ($vector in $vectorFile.vectors)" in pester
    assert "It 'vector <Name>' -ForEach $VectorCases" in pester
    # The only vector singled out is the one the golden report leaves out (and one used for a date check).
    singled_out = set(re.findall(r"\$_\.name -(?:eq|ne) '([^']+)'", pester))
    assert singled_out <= set(names)
    assert re.search(r"\$_\.name -ne 'file-cap-truncates'", pester)
    # Every vector has what the Pester case reads.
    for vector in vectors:
        assert {"name", "folder", "files", "expected"} <= vector.keys(), vector["name"]
        assert {"path", "slaMinutes"} <= vector["folder"].keys(), vector["name"]
        assert {"status", "fileCount", "truncated"} <= vector["expected"].keys(), vector["name"]
        assert ("breaches" in vector["expected"]) != ("breachCount" in vector["expected"]), vector["name"]
        for file in vector["files"]:
            assert {"name", "creationAgeSeconds", "lastWriteAgeSeconds"} <= file.keys(), vector["name"]


def test_golden_report_is_valid_against_the_report_schema():
    if not GOLDEN.exists():
        pytest.skip("tests/vectors/golden-report.json is written by the Python scanner's engineer and is not there yet")
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(golden), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []

    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert golden["scanner"] == {
        "host": "vector-host",
        "version": "0.0.0-test",
        "scannedAt": vectors["asOf"],
        "runId": "vector-run",
        "chunkIndex": 1,
        "chunkCount": 1,
        # A quarter of the smallest vector SLA (20 minutes), as the scheduled task repeats.
        "intervalMinutes": 5,
        "heartbeatMinutes": 15,  # scanner.heartbeatMinutes' default
    }
    assert list(golden) == ["sla_error", "folders", "scanner"]
    for entry in golden["sla_error"]:
        assert entry["folder"].startswith("<root>/")
        assert list(entry) == ["folder", "sla", "status", "ageBasis", "fileCount", "truncated", "files"]
        for file in entry["files"]:
            assert list(file) == ["filename", "creationDate", "lastWriteDate", "sizeBytes"]
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", file["creationDate"])
    capped = next(v for v in vectors["vectors"] if v["name"] == "file-cap-truncates")
    assert all(not e["folder"].endswith("/" + capped["folder"]["path"]) for e in golden["sla_error"])


# CI wiring -----------------------------------------------------------------------------------------------------------


def test_workflow_runs_pester_and_psscriptanalyzer_on_windows_and_linux():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    # The workflow runs the same two scripts as make test, which hold the Invoke-Pester/Invoke-ScriptAnalyzer calls.
    runs = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
    assert "./powershell/tools/Invoke-PesterSuite.ps1 -ResultPath pester-results.xml -Verbosity Detailed" in runs
    assert "./powershell/tools/Invoke-ScriptAnalyzerGate.ps1" in runs
    tools = POWERSHELL / "tools"
    assert "Invoke-Pester -Configuration" in (tools / "Invoke-PesterSuite.ps1").read_text(encoding="utf-8")
    analyzer = (tools / "Invoke-ScriptAnalyzerGate.ps1").read_text(encoding="utf-8")
    assert "Invoke-ScriptAnalyzer -Path" in analyzer and "'../PSScriptAnalyzerSettings.psd1'" in analyzer
    combos = set()
    for job in jobs.values():
        for item in job.get("strategy", {}).get("matrix", {}).get("include", []):
            combos.add((item.get("os"), item.get("shell")))
    assert {("windows-latest", "powershell"), ("windows-latest", "pwsh"), ("ubuntu-latest", "pwsh")} <= combos


def test_psscriptanalyzer_settings_parse_and_check_compatibility():
    settings = POWERSHELL / "PSScriptAnalyzerSettings.psd1"
    assert syntax_gate.check_source(settings.read_bytes(), str(settings)) == []
    text = settings.read_text(encoding="utf-8")
    assert "PSUseCompatibleSyntax" in text
    assert "'5.1'" in text
