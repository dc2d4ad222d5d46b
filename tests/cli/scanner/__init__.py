"""Tests of cli/slawatch_cli/scanner."""
