"""Tests of the operator CLI and the Linux scanner (cli/slawatch_cli)."""
