"""Incidents: a (scanner host, folder) that has files stuck past its SLA, from the scan that first saw them to
the scan that saw the folder clean again. Pure functions over plain records; slawatch.incident_store persists
them with conditional writes and slawatch.notify tells people.

Rules (docs/architecture.md, *Incidents*):
- Scans are applied in scan order (scannedAt, then report id), not arrival order. A scan at or before the slot's
  last applied scan is a duplicate or late: it changes nothing and never notifies, except that a late tripped scan
  inside an open incident moves its first-seen time back. A scan older than the host's newest scan cannot open
  an incident (what it saw was already superseded when it arrived).
- Open: the first scan that reports the folder tripped (files past the SLA, or the folder missing/unreadable).
  One "opened" notification.
- Flapping: a clean scan only moves an open incident to `recovering`; it resolves (one "resolved" notification)
  once a clean scan comes at least `recovery_minutes` after the first clean one. A tripped scan while
  recovering re-opens the same incident silently (`flaps` counts it). So a folder that flaps sends one open and,
  once it stays clean, one resolve. With recovery_minutes 0 the first clean scan resolves.
- A complete scan (the report's `folders` list) that omits a folder with an open incident means the folder is no
  longer watched: the incident resolves at once (resolution "unwatched").
- Silent host: no report for longer than its silence threshold opens the slot SILENT; the next report resolves it.
  A scanner that sends unchanged scans only every `heartbeatMinutes` is expected that often, not every interval.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from slawatch import keys
from slawatch.outcomes import FolderOutcome, ScanOutcome
from slawatch.timestamps import format_timestamp, parse_timestamp

OPEN, RECOVERING, RESOLVED = "open", "recovering", "resolved"
KIND_FOLDER, KIND_SILENT = "folder", "silent"
OPENED, RESOLVED_EVENT = "opened", "resolved"


@dataclass(frozen=True)
class Settings:
    recovery_minutes: int = 10  # a resolve needs the folder clean this long (scan-confirmed)
    silence_minutes: int = 30  # silence threshold of a host whose reports do not say their interval
    silence_intervals: int = 3  # ... and of one that does: this many missed intervals


@dataclass(frozen=True)
class Incident:
    incident_id: str
    kind: str
    host: str
    slot: str  # folder id, or keys.SILENT_SLOT
    state: str
    reason: str  # pastSla | missing | unreadable | silent
    opened_at: str  # canonical timestamps throughout: they sort like instants
    last_seen: str  # newest scan that saw the folder tripped (silent: the last report before the silence)
    last_sighting: str  # newest scan applied to this slot
    version: int = 1
    host_name: str | None = None
    folder: str | None = None
    sla: int | None = None
    files_stuck: int = 0
    oldest_file: str | None = None
    oldest_since: str | None = None  # the instant the oldest file's age counts from
    floor: str | None = None  # sighting of the newest scan known to precede the incident (late scans stop there)
    clean_since: str | None = None
    resolved_at: str | None = None
    resolution: str | None = None  # clean | unwatched | reported
    flaps: int = 0
    scans: int = 1
    report_key: str | None = None
    notify: str | None = None  # a notification written with the state, cleared once published (outbox)

    @property
    def is_open(self) -> bool:
        return self.state in (OPEN, RECOVERING)


@dataclass(frozen=True)
class Host:
    host: str
    last_report_at: str  # server receive time of the newest report: what silence is measured against
    last_sighting: str  # newest scan of the host
    silent_after: str
    version: int = 1
    host_name: str | None = None
    interval_minutes: int | None = None
    heartbeat_minutes: int | None = None


@dataclass(frozen=True)
class Change:
    """A slot's new record, and the resolved incident it displaces into history (when a new one opens)."""

    incident: Incident
    previous: Incident | None = None
    archive: Incident | None = None


def apply_scan(
    scan: ScanOutcome, host: Host | None, slots: dict[str, Incident], settings: Settings
) -> tuple[Host, list[Change]]:
    """The host's new record and every slot that changes, for one scan; empty changes for a duplicate."""
    changes: list[Change] = []
    host_newest = host.last_sighting if host else ""
    for outcome in scan.folders:
        current = slots.get(outcome.folder_id)
        new = folder_step(current, outcome, scan, host_newest, settings)
        if new is not None:
            archive = current if current is not None and current.state == RESOLVED and new.incident_id != \
                current.incident_id else None
            changes.append(Change(new, current, archive))
    if scan.complete:
        listed = {o.folder_id for o in scan.folders}
        for slot, current in sorted(slots.items()):
            if slot != keys.SILENT_SLOT and slot not in listed and current.is_open \
                    and scan.sighting > current.last_sighting:
                changes.append(Change(_resolve(current, scan, "unwatched"), current))
    silent = slots.get(keys.SILENT_SLOT)
    if silent is not None and silent.is_open:
        changes.append(Change(_resolve(silent, scan, "reported", at=format_timestamp(scan.received_at)), silent))
    return next_host(host, scan, settings), changes


def folder_step(
    current: Incident | None, outcome: FolderOutcome, scan: ScanOutcome, host_newest: str, settings: Settings
) -> Incident | None:
    """The slot's new record after one folder outcome, or None when nothing changes."""
    at = format_timestamp(scan.scanned_at)
    if current is not None and scan.sighting <= current.last_sighting:
        return _late(current, outcome, scan)
    if current is None or current.state == RESOLVED:
        if not outcome.tripped or scan.sighting <= host_newest:
            return None  # clean and nothing open: no write at all; or a late scan that cannot open
        floor = current.last_sighting if current is not None else (host_newest or None)
        return Incident(
            incident_id=keys.incident_id(scan.host, outcome.folder_id, scan.sighting),
            kind=KIND_FOLDER,
            host=scan.host,
            slot=outcome.folder_id,
            state=OPEN,
            reason=outcome.reason,
            opened_at=at,
            last_seen=at,
            last_sighting=scan.sighting,
            version=current.version + 1 if current else 1,
            floor=floor,
            notify=OPENED,
            **_observed(outcome, scan),
        )
    if outcome.tripped:
        flaps = current.flaps + (1 if current.state == RECOVERING else 0)
        return replace(current, state=OPEN, reason=outcome.reason, last_seen=at, last_sighting=scan.sighting,
                       version=current.version + 1, clean_since=None, flaps=flaps, scans=current.scans + 1,
                       **_observed(outcome, scan))
    clean_since = current.clean_since or at
    if _minutes_between(clean_since, at) >= settings.recovery_minutes:
        return _resolve(current, scan, "clean", at=clean_since)
    return replace(current, state=RECOVERING, clean_since=clean_since, last_sighting=scan.sighting,
                   version=current.version + 1, files_stuck=0)


def _late(current: Incident, outcome: FolderOutcome, scan: ScanOutcome) -> Incident | None:
    """A scan older than the slot's newest: only widens an open incident backwards, never notifies."""
    at = format_timestamp(scan.scanned_at)
    if (
        current.is_open
        and outcome.tripped
        and scan.sighting != current.last_sighting
        and at < current.opened_at
        and (current.floor is None or scan.sighting > current.floor)
    ):
        return replace(current, opened_at=at, version=current.version + 1, scans=current.scans + 1)
    return None


def _observed(outcome: FolderOutcome, scan: ScanOutcome) -> dict[str, object]:
    oldest_since = None
    if outcome.oldest_age_seconds is not None:
        oldest_since = format_timestamp(scan.scanned_at - timedelta(seconds=outcome.oldest_age_seconds))
    return {
        "host_name": scan.host_name,
        "folder": outcome.folder,
        "sla": outcome.sla,
        "files_stuck": outcome.past_sla,
        "oldest_file": outcome.oldest_file if outcome.tripped else None,
        "oldest_since": oldest_since if outcome.tripped else None,
        "report_key": scan.report_key,
    }


def _resolve(current: Incident, scan: ScanOutcome, resolution: str, *, at: str | None = None) -> Incident:
    return replace(current, state=RESOLVED, resolved_at=at or format_timestamp(scan.scanned_at),
                   resolution=resolution, last_sighting=max(scan.sighting, current.last_sighting),
                   version=current.version + 1, notify=RESOLVED_EVENT, files_stuck=0)


def next_host(host: Host | None, scan: ScanOutcome, settings: Settings) -> Host:
    """The host's record after a report: newest receive time and scan, and when it would count as silent.
    The same record (same version) when the report tells nothing new, so a duplicate writes nothing."""
    received = format_timestamp(scan.received_at)
    if host is None:
        return Host(scan.host, received, scan.sighting,
                    _silent_after(received, scan.interval_minutes, scan.heartbeat_minutes, settings),
                    host_name=scan.host_name, interval_minutes=scan.interval_minutes,
                    heartbeat_minutes=scan.heartbeat_minutes)
    newest = scan.sighting > host.last_sighting
    interval = scan.interval_minutes if newest and scan.interval_minutes is not None else host.interval_minutes
    # The newest scan says how often its scanner sends; a report without the field sends every scan.
    heartbeat = scan.heartbeat_minutes if newest else host.heartbeat_minutes
    last_report = max(received, host.last_report_at)
    candidate = replace(
        host,
        last_report_at=last_report,
        last_sighting=max(scan.sighting, host.last_sighting),
        silent_after=_silent_after(last_report, interval, heartbeat, settings),
        host_name=scan.host_name if newest and scan.host_name else host.host_name,
        interval_minutes=interval,
        heartbeat_minutes=heartbeat,
    )
    return host if candidate == host else replace(candidate, version=host.version + 1)


def _silent_after(last_report: str, interval: int | None, heartbeat: int | None, settings: Settings) -> str:
    return format_timestamp(parse_timestamp(last_report) + silence_threshold(interval, settings, heartbeat))


def silence_threshold(
    interval_minutes: int | None, settings: Settings, heartbeat_minutes: int | None = None
) -> timedelta:
    """How long a host may stay quiet: the longest gap it means to leave between reports (its interval, or its
    heartbeat when that is longer) plus a grace of (silence_intervals - 1) intervals, which without a heartbeat is
    silence_intervals intervals as before. A host that does not say its interval gets the stack's silence_minutes,
    plus its heartbeat."""
    heartbeat = heartbeat_minutes or 0
    if interval_minutes is None:
        return timedelta(minutes=settings.silence_minutes + heartbeat)
    longest_gap = max(interval_minutes, heartbeat)
    return timedelta(minutes=longest_gap + interval_minutes * (settings.silence_intervals - 1))


def silent_incident(host: Host, current: Incident | None, now: datetime) -> Incident | None:
    """The host's silent incident once its threshold has passed, or None (not due, or already open)."""
    if format_timestamp(now) < host.silent_after or (current is not None and current.is_open):
        return None
    opened = host.silent_after
    return Incident(
        incident_id=keys.incident_id(host.host, keys.SILENT_SLOT, opened),
        kind=KIND_SILENT,
        host=host.host,
        slot=keys.SILENT_SLOT,
        state=OPEN,
        reason="silent",
        opened_at=opened,
        last_seen=host.last_report_at,
        last_sighting=current.last_sighting if current else "",
        version=current.version + 1 if current else 1,
        host_name=host.host_name,
        notify=OPENED,
    )


def _minutes_between(earlier: str, later: str) -> float:
    return (parse_timestamp(later) - parse_timestamp(earlier)).total_seconds() / 60
