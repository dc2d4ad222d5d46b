"""``slawatch completion SHELL``: the tab-completion script for bash, zsh, fish or PowerShell (argcomplete)."""

import argparse

from ..errors import ExitCode
from .common import add_command, exit_codes, text

NAME = "completion"
HELP = "print the shell completion script (bash, zsh, fish, powershell)"
DESCRIPTION = """
Print the script that makes the shell complete slawatch's commands, options and choices. Load it
from the shell's start-up file; completion runs slawatch itself, so it always matches this version.
"""
EXAMPLES = """
examples:
  slawatch completion bash > ~/.local/share/bash-completion/completions/slawatch
  echo 'eval "$(slawatch completion zsh)"' >> ~/.zshrc      # after compinit
  slawatch completion fish > ~/.config/fish/completions/slawatch.fish
  slawatch completion powershell | Out-String | Invoke-Expression  # in $PROFILE
"""
EXIT_CODES = exit_codes((ExitCode.OK, "the script was printed"))
SHELLS = ("bash", "zsh", "fish", "powershell")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = add_command(subparsers, NAME, HELP, description=text(DESCRIPTION), epilog=text(EXAMPLES, EXIT_CODES))
    parser.add_argument("shell", choices=SHELLS, help="the shell to print the script for")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    import argcomplete

    print(argcomplete.shellcode(["slawatch"], shell=args.shell), end="")
    return ExitCode.OK
