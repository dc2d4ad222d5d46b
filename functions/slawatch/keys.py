"""Every DynamoDB key in one place: the single-table layout of breaches, report records and incidents.

Folder and file names can be 32,767 characters, far past DynamoDB's key limits (2,048 / 1,024 bytes), so keys
hold fixed-length SHA-256 digests and the names live in ordinary attributes.

    item        pk                    sk                  gsi1 (ByDay)                   gsi2 (ByFolder)
    breach      BREACH#<breachId>     BREACH              DAY#<day>#<shard> / <at>#<id>  FOLDER#<folderId> / <at>#<id>
    report      REPORT#<reportId>     REPORT              REPORTS#<day> / <at>#<id>      -
    batch guard REPORT#<reportId>     BATCH#<number>      -                              -
    host        HOST#<hostId>         HOST                -                              HOSTS#DUE|SILENT / <due>#<id>
    slot        HOST#<hostId>         SLOT#<folderId>     INCIDENTS#OPEN / <opened>#<id>  -
                                                          or INCIDENTS#RESOLVED#<day> / <resolved>#<id>
    incident    INCIDENT#<incidentId> INCIDENT            INCIDENTS#RESOLVED#<day> / <resolved>#<id>

A slot holds the latest incident of one (scanner host, folder): open, recovering or resolved. When a new incident
opens in a slot that holds a resolved one, the resolved one moves to its own incident item (history). The host's
silent incident uses the slot SLOT#SILENT. One Query of HOST#<hostId> reads everything an incoming report needs.

A day's breaches are spread over `day_shards` partitions of the ByDay index so one day can take more than the
1,000 writes per second of a single partition; a day query reads every shard and merges them.
"""

from __future__ import annotations

import hashlib
import os

INDEX_BY_DAY = "ByDay"
INDEX_BY_FOLDER = "ByFolder"
DEFAULT_DAY_SHARDS = 4
MAX_DAY_SHARDS = 64

ENTITY_BREACH = "Breach"
ENTITY_BATCH = "Batch"
ENTITY_REPORT = "Report"
ENTITY_HOST = "Host"
ENTITY_INCIDENT = "Incident"
SILENT_SLOT = "SILENT"  # folder ids are hex digests, so this slot name cannot collide with a folder
OPEN_INCIDENTS = "INCIDENTS#OPEN"
HOSTS_DUE = "HOSTS#DUE"
HOSTS_SILENT = "HOSTS#SILENT"


def _digest(*parts: str, length: int = 40) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")  # separator: ("ab","c") and ("a","bc") must not collide
    return hasher.hexdigest()[:length]


def folder_id(folder_key: str) -> str:
    return _digest("folder", folder_key)


def breach_id(folder_key: str, file_key: str, created_at: str) -> str:
    """Identity of a breach: the same file (canonical folder + name) with the same creationDate."""
    return _digest("breach", folder_key, file_key, created_at)


def report_id(raw_body: bytes) -> str:
    """A report is identified by its bytes, so a re-sent or re-delivered report is recognised as the same."""
    return hashlib.sha256(raw_body).hexdigest()[:40]


def day_shards() -> int:
    """Shard count of the ByDay index; may be raised (never lowered) as volume grows."""
    value = int(os.environ.get("DAY_SHARDS", DEFAULT_DAY_SHARDS))
    if not 1 <= value <= MAX_DAY_SHARDS:
        raise ValueError(f"DAY_SHARDS must be between 1 and {MAX_DAY_SHARDS}")
    return value


def day_shard(breach: str, shards: int) -> int:
    return int(breach[:8], 16) % shards


def breach_key(breach: str) -> dict[str, str]:
    return {"pk": f"BREACH#{breach}", "sk": "BREACH"}


def batch_guard_key(report: str, number: int) -> dict[str, str]:
    """One per batch of a report's breaches written together (store/writes.py): beside the report's record."""
    return {"pk": f"REPORT#{report}", "sk": f"BATCH#{number:05d}"}


def report_key(report: str) -> dict[str, str]:
    return {"pk": f"REPORT#{report}", "sk": "REPORT"}


def by_day_pk(day: str, shard: int) -> str:
    return f"DAY#{day}#{shard}"


def by_folder_pk(folder: str) -> str:
    return f"FOLDER#{folder}"


def reports_by_day_pk(day: str) -> str:
    return f"REPORTS#{day}"


def time_sort_key(instant: str, item_id: str) -> str:
    """Sort key of both indexes: canonical timestamps sort like instants; the id keeps keys unique."""
    return f"{instant}#{item_id}"


def breach_index_keys(breach: str, folder: str, breached_at: str, day: str, shards: int) -> dict[str, str]:
    sort_key = time_sort_key(breached_at, breach)
    return {
        "gsi1pk": by_day_pk(day, day_shard(breach, shards)),
        "gsi1sk": sort_key,
        "gsi2pk": by_folder_pk(folder),
        "gsi2sk": sort_key,
    }


def report_index_keys(report: str, received_at: str, day: str) -> dict[str, str]:
    return {"gsi1pk": reports_by_day_pk(day), "gsi1sk": time_sort_key(received_at, report)}


def host_id(host: str) -> str:
    """Identity of a scanner host: the authenticated caller (a Cognito username), hashed for the key limits."""
    return _digest("host", host)


def incident_id(host: str, slot: str, opened_sighting: str) -> str:
    """An incident is the (host, folder) slot opened by one scan: re-deliveries of that scan name it again."""
    return _digest("incident", host, slot, opened_sighting)


def host_key(host: str) -> dict[str, str]:
    return {"pk": f"HOST#{host_id(host)}", "sk": "HOST"}


def slot_key(host: str, slot: str) -> dict[str, str]:
    return {"pk": f"HOST#{host_id(host)}", "sk": f"SLOT#{slot}"}


def incident_key(incident: str) -> dict[str, str]:
    return {"pk": f"INCIDENT#{incident}", "sk": "INCIDENT"}


def resolved_incidents_pk(day: str) -> str:
    return f"INCIDENTS#RESOLVED#{day}"
