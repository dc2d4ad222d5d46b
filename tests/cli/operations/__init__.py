"""Tests of cli/slawatch_cli/operations."""
