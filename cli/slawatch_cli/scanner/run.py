"""``slawatch scan``: configuration -> scan -> report chunks -> spool -> delivery -> exit code.

The order matters: the scan needs no network and its chunks are written to the spool *before* any sign-in, so
a Cognito outage, a wrong password or a killed process never loses a report; the next run sends it.
"""

import contextlib
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
from .report import ScannerMeta, chunk_report, pretty
from .spool import DeadLetter, Spool, SpoolEntry
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
    meta = seams.meta or ScannerMeta.for_run(as_of_ns)
    bodies = chunk_report(results, meta, config.api.max_request_bytes)
    breaches = sum(len(r.files) for r in results)
    problems = any(r.needs_reporting for r in results)
    outcome = ExitCode.PROBLEMS if problems else ExitCode.OK

    if options.dry_run:
        stdout.write("\n".join(pretty(body) for body in bodies) + "\n")
        stdout.flush()
        return outcome

    stats = _deliver(config, bodies, meta, seams)
    if stats is None or stats.failed:
        outcome = ExitCode.DELIVERY_FAILED
    if not options.quiet:
        folders_hit = sum(1 for r in results if r.files)
        delivered = f"{stats.delivered} report(s) delivered" if stats else "delivery deferred"
        extra = ""
        if stats and stats.deferred:
            extra += f", {stats.deferred} waiting in the spool"
        if stats and stats.dead_lettered:
            extra += f", {stats.dead_lettered} dead-lettered"
        print(
            f"slawatch scan: {len(results)} folder(s), {breaches} breaching file(s) "
            f"in {folders_hit} folder(s); "
            f"{delivered}{extra} (exit {int(outcome)})",
            file=stderr,
        )
    return outcome


def _scan(
    config: ScannerConfig, as_of_ns: int, options: ScanOptions, file_times: FileTimes | None
) -> list[FolderResult]:
    results = []
    scans = scan_folders(config.folders, as_of_ns, workers=options.workers, file_times=file_times)
    for result in scans:
        note = f" truncated by {result.truncated_by}" if result.truncated else ""
        skipped = f" skipped_subfolders={result.skipped_dirs}" if result.skipped_dirs else ""
        log.info(
            "folder %s: status=%s files=%d breaches=%d%s%s duration=%.3fs",
            result.folder.path,
            result.status,
            result.file_count,
            len(result.files),
            note,
            skipped,
            result.duration,
        )
        if result.status == "missing":  # "unreadable" was already logged by the scanner, with the reason
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


def _deliver(config: ScannerConfig, bodies: list[bytes], meta: ScannerMeta, seams: Seams) -> DeliveryStats | None:
    """Spool this run's chunks, then deliver the spool oldest first. None: another run owns the spool.

    A spool that cannot be written (read-only, wrong owner, disk full) does not cost this run's report: it is sent
    directly, with a warning that an outage now would lose it.
    """
    spool = Spool(config.spool.directory, max_files=config.spool.max_files, max_bytes=config.spool.max_bytes)
    with contextlib.ExitStack() as stack:
        added: list[SpoolEntry] = []
        try:
            owner = stack.enter_context(spool.exclusive())
            for index, body in enumerate(bodies, start=1):
                added.append(spool.add(body, meta.run_id, index))
        except OSError as exc:
            for entry in added:  # sent directly below: never a second time from the spool
                spool.remove(entry)
            log.warning(
                "SPOOL NOT WRITABLE: %s: %s; sending this run's report directly, without the spool's protection "
                "(fix the directory's permissions or spool.directory)",
                config.spool.directory,
                exc.strerror or exc,
            )
            named = [(spool.name_for(meta.run_id, i), body) for i, body in enumerate(bodies, start=1)]
            return _deliverer(config, seams, spool).deliver_unspooled(named)
        if not owner:
            log.warning("another slawatch scan holds %s; this run's report waits in the spool", config.spool.directory)
            return None
        return _deliverer(config, seams, spool).deliver_spool()


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
