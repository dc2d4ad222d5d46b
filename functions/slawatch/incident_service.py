"""Apply one report (or one silence check) to the incidents, then tell people about the edges it crossed.

Notifications use the slot items as an outbox: a transition is written together with its `notify` flag, the
notification goes out after the write succeeded, and the flag is cleared after that. A crash between the write
and the publish leaves the flag set; the next report of the host (or the Lambda retry of this one) publishes it.
So each edge is written exactly once (conditional writes) and notified at least once, in practice once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slawatch import keys
from slawatch.errors import StoreUnavailable
from slawatch.incident_store import Conflict, IncidentStore
from slawatch.incidents import Change, Settings, apply_scan, silent_incident
from slawatch.normalise import ReportMeta
from slawatch.notify import Notifier, notification
from slawatch.outcomes import scan_outcome

MAX_ROUNDS = 8  # concurrent reports of one host are rare: a handful of reloads always settles them


@dataclass(frozen=True)
class Applied:
    changes: int
    notified: list[str]  # "opened <incident id>", ...


def settings_from_environment() -> Settings:
    return Settings(
        recovery_minutes=int(os.environ.get("INCIDENT_RECOVERY_MINUTES", Settings.recovery_minutes)),
        silence_minutes=int(os.environ.get("SCANNER_SILENCE_MINUTES", Settings.silence_minutes)),
        silence_intervals=int(os.environ.get("SCANNER_SILENCE_INTERVALS", Settings.silence_intervals)),
    )


def apply_report(report: dict[str, Any], meta: ReportMeta, store: IncidentStore, notifier: Notifier,
                 settings: Settings, now: datetime) -> Applied:
    """Call only with a report that validated and normalised (a rejected report changes nothing)."""
    scan = scan_outcome(report, meta)
    for _ in range(MAX_ROUNDS):
        host, slots = store.load(scan.host)
        notified = _flush(slots.values(), store, notifier, now)
        new_host, changes = apply_scan(scan, host, slots, settings)
        try:
            store.save(host, new_host, changes)
        except Conflict:
            continue
        notified += _flush((c.incident for c in changes), store, notifier, now)
        return Applied(len(changes), notified)
    raise StoreUnavailable(f"incidents of {scan.host} kept changing under {MAX_ROUNDS} attempts")


def check_silence(store: IncidentStore, notifier: Notifier, now: datetime) -> list[str]:
    """Open a silent incident for every host past its threshold; returns what was notified."""
    notified: list[str] = []
    for overdue in store.overdue_hosts(now):
        for _ in range(MAX_ROUNDS):
            host, slots = store.load(overdue)
            current = slots.get(keys.SILENT_SLOT)
            incident = silent_incident(host, current, now) if host is not None else None
            if host is None or incident is None:
                break
            archive = current if current is not None and not current.is_open else None
            try:  # one transaction with the host's version: a report arriving meanwhile wins, and we re-check
                store.save_silent(host, Change(incident, current, archive))
            except Conflict:
                continue
            notified += _flush([incident], store, notifier, now)
            break
    return notified


def _flush(incidents: Any, store: IncidentStore, notifier: Notifier, now: datetime) -> list[str]:
    sent = []
    for incident in incidents:
        if incident.notify:
            notifier.send(notification(incident.notify, incident, now))
            store.mark_notified(incident)
            sent.append(f"{incident.notify} {incident.incident_id}")
    return sent
