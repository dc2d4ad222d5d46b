"""How long the table keeps what it holds: DynamoDB's TTL attribute `expiresAt` (epoch seconds), set on write.

`RETENTION_DAYS` (template parameter TableRetentionDays, default 400: longer than the raw archive's 365-day
Object Lock, so every archived report keeps its outcome and breaches while auditors can read it; 0 keeps
everything forever):
  - a breach expires RETENTION_DAYS after its last sighting (the newest report sets it, so order cannot matter);
  - a report record RETENTION_DAYS after it was received;
  - a batch guard GUARD_DAYS after its report was received. Guards only keep a report from being counted twice
    when it is written again part-way (a retry or a redrive, which Step Functions allows for 14 days); after that
    the report record (accepted, kept for RETENTION_DAYS) already makes a re-sent report a no-op. (They replaced
    per-(breach, report) sighting items, which were once kept forever: one per stuck file per scan, the
    table's growth; docs/cost.md.)
DynamoDB deletes expired items within days, without consuming write units.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

DEFAULT_RETENTION_DAYS = 400
GUARD_DAYS = 15  # Step Functions' 14-day redrive window, plus a day
ATTRIBUTE = "expiresAt"


def retention_days() -> int:
    """RETENTION_DAYS from the environment; 0 (keep forever) or at least GUARD_DAYS."""
    value = int(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    if value != 0 and value < GUARD_DAYS:
        raise ValueError(f"RETENTION_DAYS must be 0 (keep forever) or at least {GUARD_DAYS}")
    return value


def expires_at(instant: datetime, days: int) -> int | None:
    """The TTL value for an item dated `instant`, or None when retention is off (days == 0)."""
    return int((instant + timedelta(days=days)).timestamp()) if days else None


def guard_days(days: int) -> int:
    return GUARD_DAYS if days else 0
