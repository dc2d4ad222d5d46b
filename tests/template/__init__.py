"""Tests that read template.yaml and assert the security and wiring properties of the stack."""
