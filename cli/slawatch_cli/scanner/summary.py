"""What ``slawatch scan`` tells a person (-v per folder, the summary line) or a program (``--format json``).

The per-folder line explains a quiet result: which time the age basis read, how many files were seen, how old
the oldest is and how many are past the SLA, and how many *would* be by last write time when the basis differs.
"""

import json
from collections.abc import Sequence
from typing import Any

from .delivery import DeliveryStats
from .walk import FolderResult, basis_source

NS_PER_MINUTE = 60 * 1_000_000_000


def age_text(ns: int) -> str:
    """``3d 04h``, ``2h 05m``, ``7m`` (a future time, from clock skew, is ``0m``)."""
    minutes = max(0, ns) // NS_PER_MINUTE
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def folder_line(result: FolderResult, as_of_ns: int) -> str:
    folder = result.folder
    if result.status != "ok":
        return f"folder {folder.path}: {result.status}" + (" (not a directory)" if result.not_a_directory else "")
    oldest = "none" if result.oldest_ns is None else age_text(as_of_ns - result.oldest_ns)
    line = (
        f"folder {folder.path}: age basis {folder.age_basis} ({basis_source(folder)}); "
        f"{result.file_count} file(s) seen; oldest {oldest}; "
        f"{len(result.files)} past the {folder.sla_minutes}-minute SLA"
    )
    if result.past_by_last_write:
        line += f" ({result.past_by_last_write} more would be by last write time: ageBasis lastWrite)"
    if result.skipped_dirs:
        line += f"; {result.skipped_dirs} subfolder(s) unreadable"
    if result.truncated:
        line += f"; stopped by {result.truncated_by}"
    return f"{line}; {result.duration:.3f}s"


def summary(results: Sequence[FolderResult], stats: DeliveryStats | None, exit_code: int) -> dict[str, Any]:
    """The run in numbers: the same fields for the text line and for ``--format json``."""
    return {
        "folders": len(results),
        "breaches": sum(len(r.files) for r in results),
        "foldersWithBreaches": sum(1 for r in results if r.files),
        "folderProblems": sum(1 for r in results if r.status != "ok" or r.truncated),
        "delivered": stats.delivered if stats else 0,
        "waitingInSpool": stats.deferred if stats else None,
        "deadLettered": stats.dead_lettered if stats else 0,
        "deliveryDeferred": stats is None,  # another run holds the spool: this run's report waits there
        "keys": list(stats.keys) if stats else [],
        "unchanged": None,  # for a scan kept back: "unchanged since HH:MM UTC, not sent; heartbeat due at ..."
        "exitCode": exit_code,
    }


def summary_text(numbers: dict[str, Any]) -> str:
    delivered = "delivery deferred" if numbers["deliveryDeferred"] else f"{numbers['delivered']} report(s) delivered"
    if numbers.get("unchanged"):
        delivered = numbers["unchanged"]
    extra = ""
    if numbers["waitingInSpool"]:
        extra += f", {numbers['waitingInSpool']} waiting in the spool"
    if numbers["deadLettered"]:
        extra += f", {numbers['deadLettered']} dead-lettered"
    return (
        f"slawatch scan: {numbers['folders']} folder(s), {numbers['breaches']} breaching file(s) "
        f"in {numbers['foldersWithBreaches']} folder(s); {delivered}{extra} (exit {numbers['exitCode']})"
    )


def summary_json(numbers: dict[str, Any], *, lines: bool = False) -> str:
    return json.dumps(numbers, separators=(",", ":")) if lines else json.dumps(numbers, indent=2)
