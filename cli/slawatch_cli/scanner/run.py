"""``slawatch scan``: configuration -> scan -> report chunks -> send or keep back -> spool -> delivery -> exit code.

The order matters: the scan needs no network and its chunks are written to the spool *before* any sign-in, so
a Cognito outage, a wrong password or a killed process never loses a report; the next run sends it. A scan whose
state is unchanged is kept back (``heartbeat``) and still exits with the code a sent one would.
"""

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

import requests

from .. import logsetup
from ..errors import ConfigError, ExitCode
from .auth import CognitoAuth, TokenCache, load_credentials
from .config import ScannerConfig, load_config
from .delivery import Deliverer, DeliveryStats
from .heartbeat import ScanState, StateStore, decide, state_digest
from .report import ScannerMeta, build_report, chunk_report, dumps, pretty, schedule_interval
from .selfcheck import split_valid
from .spool import DeadLetter, Spool, SpoolEntry
from .summary import folder_line, summary, summary_json, summary_text
from .transport import RetryPolicy, new_session
from .walk import FileTimes, FolderResult, scan_folders

log = logging.getLogger("slawatch_cli.scan")

TOKEN_CACHE_NAME = "token-cache.json"  # noqa: S105 - a file name


@dataclass(slots=True)
class ScanOptions:
    config_path: str
    as_of_ns: int | None = None
    dry_run: bool = False
    workers: int = 1
    quiet: bool = False
    output: str = "text"  # text | json | jsonl


@dataclass(slots=True)
class Seams:
    """Everything a test replaces: time, sleeping, HTTP, environment, output, file times."""

    file_times: FileTimes | None = None
    now_ns: Callable[[], int] = time.time_ns
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    stdout: TextIO | None = None
    stderr: TextIO | None = None
    meta: ScannerMeta | None = None


def run_scan(options: ScanOptions, seams: Seams | None = None) -> ExitCode:
    seams = seams or Seams()
    stdout = seams.stdout or sys.stdout
    stderr = seams.stderr or sys.stderr
    config = load_config(options.config_path)
    if not options.dry_run:
        try:
            logsetup.configure_file(config.log.directory, max_bytes=config.log.max_bytes, keep=config.log.keep)
        except OSError as exc:
            raise ConfigError(f"log.directory {config.log.directory}: {exc.strerror or exc}") from None
    as_of_ns = options.as_of_ns if options.as_of_ns is not None else seams.now_ns()
    results = _scan(config, as_of_ns, options, seams.file_times)
    meta = seams.meta or ScannerMeta.for_run(
        as_of_ns, schedule_interval(f.sla_minutes for f in config.folders), config.heartbeat_minutes
    )
    bodies, invalid = split_valid(chunk_report(results, meta, config.api.max_request_bytes))
    problems = any(r.needs_reporting for r in results)
    outcome = ExitCode.PROBLEMS if problems else ExitCode.OK
    if invalid:
        outcome = ExitCode.DELIVERY_FAILED

    if options.dry_run:
        _print_report(results, meta, bodies + [body for _, body, _ in invalid], options.output, stdout, stderr)
        return outcome

    for index, body, found in invalid:
        _keep_back(config, meta, index, body, found)
    # A report kept back by the schema check leaves the heartbeat state alone: the next run decides afresh.
    digest = None if invalid else state_digest(build_report(results, meta))
    stats, unchanged = _deliver(config, bodies, meta, seams, digest, as_of_ns)
    if stats is None or stats.failed:
        outcome = ExitCode.DELIVERY_FAILED
    numbers = summary(results, stats, int(outcome))
    numbers["deadLettered"] += len(invalid)
    numbers["unchanged"] = unchanged
    if options.output in ("json", "jsonl"):
        stdout.write(summary_json(numbers, lines=options.output == "jsonl") + "\n")
        stdout.flush()
    elif not options.quiet:
        print(summary_text(numbers), file=stderr)
    return outcome


def _print_report(
    results: list[FolderResult], meta: ScannerMeta, bodies: list[bytes], output: str, stdout: TextIO, stderr: TextIO
) -> None:
    """``--dry-run``: one JSON document (the whole report), or with ``jsonl`` each request body on its own line."""
    if output == "jsonl":
        stdout.write("".join(json.dumps(json.loads(body), ensure_ascii=False) + "\n" for body in bodies))
    else:
        whole = bodies[0] if len(bodies) == 1 else dumps(build_report(results, meta))
        stdout.write(pretty(whole) + "\n")
        if len(bodies) > 1:
            print(f"slawatch scan: would be sent as {len(bodies)} requests (--format jsonl shows each)", file=stderr)
    stdout.flush()


def _keep_back(config: ScannerConfig, meta: ScannerMeta, index: int, body: bytes, found: list[str]) -> None:
    """A report that breaks the schema would only earn a 400: keep it with its problems for a bug report."""
    detail = "not sent: the scanner's own check against the report schema failed\n" + "\n".join(found)
    try:
        path = DeadLetter(config.spool.dead_letter_directory).add(Spool.name_for(meta.run_id, index), body, 0, detail)
    except OSError as exc:
        log.error("report chunk %d could not be kept either: %s", index, exc.strerror or exc)
        return
    log.error("report chunk %d kept in %s; please report this as a scanner bug", index, path)


def _scan(
    config: ScannerConfig, as_of_ns: int, options: ScanOptions, file_times: FileTimes | None
) -> list[FolderResult]:
    results = []
    for result in scan_folders(config.folders, as_of_ns, workers=options.workers, file_times=file_times):
        log.info("%s", folder_line(result, as_of_ns))
        if result.status == "missing" and not result.not_a_directory:  # other problems were logged with the reason
            log.warning("folder %s is missing", result.folder.path)
        elif result.truncated:
            log.warning(
                "folder %s: scan stopped by %s after %d files",
                result.folder.path,
                result.truncated_by,
                result.file_count,
            )
        results.append(result)
    return results


def _deliver(
    config: ScannerConfig, bodies: list[bytes], meta: ScannerMeta, seams: Seams, digest: str | None, as_of_ns: int
) -> tuple[DeliveryStats | None, str | None]:
    """Send or keep back this run's chunks, spool what is sent, then deliver the spool oldest first.

    Returns the delivery's numbers (None: another run owns the spool and this report waits there) and, for a scan
    kept back because nothing changed, the line that says so. The heartbeat state is read and written under the
    spool's lock; it is saved only after a delivery that left nothing behind, so a failure means the next scan is
    sent again. A spool that cannot be written (read-only, wrong owner, disk full) does not cost this run's
    report: it is sent directly, with a warning that an outage now would lose it.
    """
    spool = Spool(config.spool.directory, max_files=config.spool.max_files, max_bytes=config.spool.max_bytes)
    store = StateStore(config.spool.directory)
    state: ScanState | None = None
    decided = False  # under the lock, with a valid report: only then is the kept-back scan sent or superseded
    outgoing = [(meta.run_id, index, body) for index, body in enumerate(bodies, start=1)]
    with contextlib.ExitStack() as stack:
        added: list[SpoolEntry] = []
        try:
            owner = stack.enter_context(spool.exclusive())
            if owner and digest is not None:
                state = store.load()
                waiting = bool(spool.pending())
                decision = decide(state, digest, as_of_ns, config.heartbeat_minutes, spool_waiting=waiting)
                if not decision.send and _kept_back(store, bodies):
                    log.info("%s", decision.message())
                    return DeliveryStats(), decision.message()
                log.info("report sent: %s", decision.reason)
                decided = True
                if decision.send_kept_first:  # the last scan of the old state first: exact last sightings
                    outgoing = _kept_chunks(store) + outgoing
            for run_id, index, body in outgoing:
                added.append(spool.add(body, run_id, index))
            if decided:
                store.drop_kept()
        except OSError as exc:
            for entry in added:  # sent directly below: never a second time from the spool
                spool.remove(entry)
            log.warning(
                "SPOOL NOT WRITABLE: %s: %s; sending this run's report directly, without the spool's protection "
                "(fix the directory's permissions or spool.directory)",
                config.spool.directory,
                exc.strerror or exc,
            )
            named = [(spool.name_for(run_id, index), body) for run_id, index, body in outgoing]
            stats = _deliverer(config, seams, spool).deliver_unspooled(named)
            if decided:  # sent (or dead-lettered) with the rest: never again
                with contextlib.suppress(OSError):
                    store.drop_kept()
        else:
            if not owner:
                log.warning("another slawatch scan holds %s; this run's report waits in the spool",
                            config.spool.directory)
                return None, None
            stats = _deliverer(config, seams, spool).deliver_spool()
        if decided and not stats.failed:
            _remember(store, state, digest, as_of_ns)
        return stats, None


def _kept_back(store: StateStore, bodies: list[bytes]) -> bool:
    """Keep this scan as the last unchanged one; False (so it is sent) when it cannot be kept."""
    try:
        store.keep(bodies)
    except OSError as exc:
        log.warning("cannot keep the unchanged scan in %s (%s); sending it", store.directory, exc.strerror or exc)
        return False
    return True


def _kept_chunks(store: StateStore) -> list[tuple[str, int, bytes]]:
    """The kept-back scan's chunks as (runId, chunk, body), to be spooled ahead of this run's."""
    chunks = []
    for index, path in enumerate(store.kept(), start=1):
        body = path.read_bytes()
        try:
            run_id = str(json.loads(body)["scanner"]["runId"])
        except (ValueError, KeyError, TypeError):
            run_id = "unchanged"
        chunks.append((run_id, index, body))
    return chunks


def _remember(store: StateStore, state: ScanState | None, digest: str, as_of_ns: int) -> None:
    since = state.since_ns if state is not None and state.digest == digest else as_of_ns
    try:
        store.save(ScanState(digest, since, as_of_ns))
    except OSError as exc:
        log.warning("cannot save the scan state in %s (%s); the next scan is sent", store.path, exc.strerror or exc)


def _deliverer(config: ScannerConfig, seams: Seams, spool: Spool) -> Deliverer:
    credentials = load_credentials(seams.environ)
    session = seams.session or new_session(proxy=config.api.proxy)
    retry = RetryPolicy(
        attempts=config.delivery.max_attempts,
        base_delay=config.delivery.base_delay_seconds,
        max_delay=config.delivery.max_delay_seconds,
        sleep=seams.sleep,
    )
    auth = CognitoAuth(
        endpoint=config.auth.endpoint,
        client_id=config.auth.client_id,
        credentials=credentials,
        session=session,
        timeout=config.api.timeout_seconds,
        retry=retry,
        cache=TokenCache(config.spool.directory / TOKEN_CACHE_NAME),
        clock=seams.clock,
    )
    return Deliverer(
        url=config.api.url,
        auth=auth,
        session=session,
        timeout=config.api.timeout_seconds,
        retry=retry,
        spool=spool,
        dead_letter=DeadLetter(config.spool.dead_letter_directory),
    )
