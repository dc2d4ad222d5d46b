"""Send on change, heartbeat otherwise: which scans are worth a request.

Every report costs the same fixed amount in AWS (an API request, an S3 PUT, an incidents Lambda) whatever it
carries, so a scan whose *state* equals that of the last delivered report is kept back until
``scanner.heartbeatMinutes`` have passed. The state is what the backend derives incidents and breaches from:
each folder's status and the identity of its breaching files (folder + name + creationDate, the fields of
``slawatch.keys.breach_id``), plus the configured folders, SLAs and the scanner's interval and heartbeat. File
counts and ages are left out: they change every scan in a busy folder.

The last kept-back scan is stored (chunks as they would have been sent) and delivered *before* the report of
the next change, so every file that left has an exact last sighting. The PowerShell module does the same
(``Get-SlaWatchStateDigest``, ``Get-SlaWatchSendDecision``); ``tests/vectors/state-digest-vectors.json`` holds
digests both must reproduce.
"""

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..timeutil import format_instant, parse_instant
from .spool import ensure_private_dir, write_private

log = logging.getLogger("slawatch_cli.heartbeat")

DIRECTORY = "heartbeat"  # inside the spool directory: neither scanner's spool lists subfolders
STATE_NAME = "state.json"
_KEPT_PREFIX = "unchanged-"
_KEPT_NAME = re.compile(r"unchanged-\d{6}\.json")  # not write_private's temporary files
NS_PER_MINUTE = 60 * 1_000_000_000
# A scheduled run that starts a little early still sends its heartbeat, rather than one interval later.
EARLY_NS = 30 * 1_000_000_000


def state_document(report: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a whole (unchunked) report that a change of would matter to the backend."""
    scanner = report.get("scanner") or {}
    folders = [
        {
            "folder": entry["folder"],
            "sla": entry["sla"],
            "ageBasis": entry.get("ageBasis"),
            "status": entry["status"],
            "truncated": bool(entry.get("truncated", False)),
        }
        for entry in report.get("folders") or []
    ]
    breaches = [
        {
            "folder": entry["folder"],
            "sla": entry["sla"],
            "ageBasis": entry.get("ageBasis"),
            "files": sorted(
                ([f["filename"], f["creationDate"]] for f in entry.get("files") or []),
                key=lambda pair: (_utf16(pair[0]), pair[1]),
            ),
        }
        for entry in report.get("sla_error") or []
    ]
    return {
        "folders": folders,
        "breaches": breaches,
        "intervalMinutes": scanner.get("intervalMinutes"),
        "heartbeatMinutes": scanner.get("heartbeatMinutes"),
    }


def _utf16(text: str) -> bytes:
    """Ordinal order of UTF-16 code units, as .NET's ``StringComparer.Ordinal`` sorts (code points differ above
    U+FFFF); ``surrogatepass`` keeps names with lone surrogates (legal on NTFS) sortable."""
    return text.encode("utf-16-be", "surrogatepass")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, every non-ASCII character as a lowercase ``\\uXXXX`` escape (UTF-16 units)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def state_digest(report: Mapping[str, Any]) -> str:
    """Hex SHA-256 of the canonical JSON of the report's state."""
    return hashlib.sha256(canonical_json(state_document(report))).hexdigest()


@dataclass(frozen=True, slots=True)
class ScanState:
    """What the last delivered report said, and when."""

    digest: str
    since_ns: int  # scannedAt of the first delivered report with this digest
    sent_ns: int  # scannedAt of the last delivered report


@dataclass(frozen=True, slots=True)
class Decision:
    send: bool
    reason: str  # changed | first | every scan | spool waiting | heartbeat | unchanged
    send_kept_first: bool = False  # deliver the last kept-back scan before this one (the state changed)
    unchanged_since_ns: int = 0  # for a kept-back scan: since when, and when it is sent anyway
    heartbeat_due_ns: int = 0

    def message(self) -> str:
        since, due = hhmm(self.unchanged_since_ns), hhmm(self.heartbeat_due_ns)
        return f"unchanged since {since}, not sent; heartbeat due at {due}"


def decide(
    state: ScanState | None, digest: str, now_ns: int, heartbeat_minutes: int, *, spool_waiting: bool = False
) -> Decision:
    """Send or keep back one scan (``now_ns`` is its scannedAt)."""
    if state is None:
        return Decision(True, "first", send_kept_first=True)
    if state.digest != digest:
        return Decision(True, "changed", send_kept_first=True)
    if heartbeat_minutes == 0:
        return Decision(True, "every scan")
    if spool_waiting:  # reports wait for delivery anyway: flush them, this one is the newest sighting
        return Decision(True, "spool waiting")
    due = state.sent_ns + heartbeat_minutes * NS_PER_MINUTE
    if now_ns + EARLY_NS >= due or now_ns < state.sent_ns:  # due, or the clock went back
        return Decision(True, "heartbeat")
    return Decision(False, "unchanged", unchanged_since_ns=state.since_ns, heartbeat_due_ns=due)


def hhmm(ns: int) -> str:
    return format_instant(ns)[11:16] + " UTC"


class StateStore:
    """``<spool>/heartbeat/``: ``state.json`` (0600, written atomically) and the last kept-back scan's chunks."""

    def __init__(self, spool_directory: Path) -> None:
        self.directory = spool_directory / DIRECTORY

    @property
    def path(self) -> Path:
        return self.directory / STATE_NAME

    def load(self) -> ScanState | None:
        """The saved state; None when there is none or it cannot be read (the scan is then sent)."""
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            return ScanState(
                str(document["digest"]), parse_instant(document["since"]), parse_instant(document["sentAt"])
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable scan state %s (%s); this scan is sent", self.path, exc)
            return None

    def save(self, state: ScanState) -> None:
        document = {
            "digest": state.digest,
            "since": format_instant(state.since_ns),
            "sentAt": format_instant(state.sent_ns),
        }
        ensure_private_dir(self.directory)
        write_private(self.path, json.dumps(document, indent=2).encode("utf-8") + b"\n")

    def kept(self) -> list[Path]:
        """The last kept-back scan's chunks, in order."""
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir() if _KEPT_NAME.fullmatch(p.name))

    def keep(self, bodies: Sequence[bytes]) -> None:
        """Replace the kept-back scan with this one, chunk by chunk (each write atomic), then drop the chunks of a
        larger earlier scan beyond this one's count."""
        ensure_private_dir(self.directory)
        for index, body in enumerate(bodies, start=1):
            write_private(self.directory / f"{_KEPT_PREFIX}{index:06d}.json", body)
        for path in self.kept()[len(bodies):]:
            path.unlink()

    def drop_kept(self) -> None:
        for path in self.kept():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
