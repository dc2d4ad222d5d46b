"""Checks of the PowerShell scanner that run where PowerShell cannot (syntax gate, contract and layout tests)."""
