"""The local stack for the PowerShell end-to-end tests: the same fixtures the local-stack tests use, not a copy."""

from tests.local.conftest import stack  # noqa: F401 - a pytest fixture, found by name
