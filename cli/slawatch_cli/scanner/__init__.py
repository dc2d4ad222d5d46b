"""The Linux scanner's internals: configuration, the folder walk, the report, the spool, delivery and sign-in.

``run`` ties them together for ``slawatch scan``; ``targets`` resolves the deployed stack for the operator commands.
"""
