"""Tests of cli/slawatch_cli/commands."""
