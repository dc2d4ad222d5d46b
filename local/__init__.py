"""Running slawatch without AWS: moto-backed helpers shared by the workflow tests and the local stack."""
