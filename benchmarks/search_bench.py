"""Search, counted rather than timed: a day of breaches paged through by date and by folder, as a reader does.

The day is loaded into the local stack's table through the project's own write path: one scanner-shaped report
per host (20 folders per host, 250 breaching files per folder, long UTF-8 Windows paths), each run through
`slawatch.ingest.prepare` and `ingest.write` exactly as the workflow's normalise and persist steps do (the breach
store's transactions, both GSIs, the report record), with the breaches' affected instants spread evenly over
the day. Then a reader signs in and pages through it over HTTP on the local gateway, following `nextToken` to the
end: `GET /breaches?date=D` (the ByDay index: every day shard is queried and merged) and
`GET /breaches?folder=F&from=D&to=D` for every folder of the day (one ByFolder partition each), at the default
page size and the maximum one. Counted: HTTP requests (pages), DynamoDB Query requests the search function sent
(and the BatchGetItem requests that complete each page from the table, under other requests), read units by
DynamoDB's rules (the returned index entries' sizes summed per Query, rounded up to 4 KB, and each completed item
rounded up to 4 KB on its own, all halved because both reads are eventually consistent: benchmarks/dynamo_units.py),
items and response bytes. Lambda
GB-seconds are estimated as in the ingest bench (handler time with each AWS request at 10 ms).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import requests

from benchmarks import cost_model, dynamo_units
from benchmarks.common import Options, Section, log, table, write_measured
from benchmarks.counting import Meter
from benchmarks.ingest_bench import AWS_LATENCY_MS, function_memory, metered_stack

TITLE = "Search: a day of breaches paged by date and by folder"
FOLDERS_PER_HOST = 20
BREACHES_PER_FOLDER = 250
SLA_MINUTES = 60
FIRST_DAY = date(2026, 11, 1)  # size n of a run is loaded into day FIRST_DAY + n
FUNCTION = "SearchFunction"


def layout(breaches: int, per_folder: int = BREACHES_PER_FOLDER,
           folders_per_host: int = FOLDERS_PER_HOST) -> list[list[int]]:
    """Breaching files per folder, per host: full folders of `per_folder`, the last one takes the rest."""
    folders = [per_folder] * (breaches // per_folder) + ([breaches % per_folder] if breaches % per_folder else [])
    return [folders[n:n + folders_per_host] for n in range(0, len(folders), folders_per_host)]


def folder_path(host: int, folder: int) -> str:
    return (f"\\\\fs{host:03d}.corp.example\\Abteilungen\\Finanzbuchhaltung\\Eingänge-Übergabe\\"
            f"Lieferanten-Rechnungen-Zürich\\Warteschlange-{folder:02d}")


def day_report(day: date, host: int, counts: list[int], start: int, total: int) -> tuple[bytes, list[str]]:
    """One host's end-of-day scan in the scanner's report shape, and its folders. Breach number k of the
    day's `total` is affected at (k + 0.5) / total of the way through the day, so every folder spans the day."""
    import json

    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"  # noqa: E731
    sla_error, folders, k = [], [], start
    for n, count in enumerate(counts):
        path = folder_path(host, n)
        files = []
        for i in range(count):
            breached = midnight + timedelta(seconds=(k + 0.5) * 86_400 / total)
            created = breached - timedelta(minutes=SLA_MINUTES)
            files.append({"filename": f"RECHNUNG_{day.isoformat()}_{k:07d}_Müller-&-Söhne-GmbH_Zahlungsavis.pdf",
                          "creationDate": stamp(created), "lastWriteDate": stamp(created), "sizeBytes": 48_213 + i})
            k += 1
        folders.append(path)
        sla_error.append({"folder": path, "sla": SLA_MINUTES, "status": "ok", "ageBasis": "creation",
                          "fileCount": count + 40, "truncated": False, "files": files})
    scanned = midnight + timedelta(days=1, minutes=5)
    body = {"sla_error": sla_error, "scanner": {"host": f"fs{host:03d}", "version": "bench",
                                                "scannedAt": stamp(scanned), "intervalMinutes": 5}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8"), folders


def load_day(store: Any, day: date, breaches: int) -> list[str]:
    """Write a day of `breaches` through ingest.prepare and ingest.write; returns the day's folders."""
    from slawatch import ingest

    folders, start = [], 0
    hosts = layout(breaches)
    for host, counts in enumerate(hosts):
        body, paths = day_report(day, host, counts, start, breaches)
        received = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1, minutes=6)
        raw_key = f"raw/{received:%Y/%m/%d}/{uuid.uuid4()}.json"
        normalised = ingest.prepare(body, received_at=received, caller=f"fs{host:03d}", raw_key=raw_key)
        ingest.write(normalised, store)
        folders += paths
        start += sum(counts)
        log(f"search: {day} host {host + 1}/{len(hosts)} written ({start:,} breaches)")
    return folders


@dataclass
class Walk:
    """One search followed to its last page."""

    pages: int = 0
    items: int = 0
    bytes: int = 0


def walk(fetch: Callable[[str | None], tuple[int, dict[str, Any]]], walked: Walk | None = None) -> Walk:
    """Follow nextToken from the first page to the last; `fetch(token)` answers (body bytes, parsed body)."""
    walked = walked or Walk()
    token: str | None = None
    while True:
        size, body = fetch(token)
        walked.pages += 1
        walked.items += len(body["items"])
        walked.bytes += size
        token = body.get("nextToken")
        if not token:
            return walked


def per_thousand(figures: dict[str, float], breaches: int) -> dict[str, float]:
    return {k: v * 1000 / breaches for k, v in figures.items() if k != "breaches"}


def per_page(figures: dict[str, float]) -> dict[str, float]:
    pages = figures["pages"] or 1
    return {k: v / pages for k, v in figures.items() if k not in ("pages", "breaches")}


class Reader:
    """GET /breaches as a signed-in reader, over HTTP."""

    def __init__(self, stack: Any):
        self.stack = stack
        self.password = stack.add_user("bench-reader", "reader")
        self.token = stack.sign_in("bench-reader", self.password)
        self.session = requests.Session()

    def search(self, params: dict[str, str]) -> Callable[[str | None], tuple[int, dict[str, Any]]]:
        def fetch(token: str | None) -> tuple[int, dict[str, Any]]:
            query = {**params, **({"nextToken": token} if token else {})}
            for _ in range(2):  # a run at 100,000 breaches outlives the access token: sign in again, once
                answer = self.session.get(f"{self.stack.api_url}/breaches", params=query, timeout=60,
                                          headers={"Authorization": f"Bearer {self.token}"})
                if answer.status_code != 401:
                    break
                self.token = self.stack.sign_in("bench-reader", self.password)
            if answer.status_code != 200:
                raise RuntimeError(f"GET /breaches answered {answer.status_code}: {answer.text[:200]}")
            return len(answer.content), answer.json()
        return fetch


def measure_walks(meter: Meter, searches: list[Callable[[str | None], tuple[int, dict[str, Any]]]]) -> dict[str, float]:
    """Page every search to its end inside one tally: pages, items, bytes, Queries, read units, GB-seconds."""
    walked = Walk()
    with meter.measure() as tally:
        for fetch in searches:
            walk(fetch, walked)
    return {"pages": walked.pages, "items": walked.items, "bytes": walked.bytes,
            "queries": tally.operations("dynamodb").get("Query", 0),
            "other_dynamodb_requests": tally.service("dynamodb") - tally.operations("dynamodb").get("Query", 0),
            "read_units": tally.read_units,
            "lambda_invocations": sum(tally.lambda_invocations.values()),
            "lambda_gb_seconds": meter.gb_seconds(tally, aws_latency_ms=AWS_LATENCY_MS)}


def run(options: Options) -> Section:
    from local.template import load_template
    from slawatch.search_params import DEFAULT_LIMIT, MAX_LIMIT
    from slawatch.store import BreachStore

    meter = Meter(dynamo_units.template_indexes(), function_memory())
    sizes: dict[str, Any] = {}
    with metered_stack(meter) as stack:
        reader = Reader(stack)
        # The load is not metered: a client of its own session carries none of the meter's hooks.
        loader = boto3.session.Session().client("dynamodb", endpoint_url=stack.moto_url)
        store = BreachStore(stack.table, client=loader)
        for n, breaches in enumerate(options.search_sizes):
            day = FIRST_DAY + timedelta(days=n)
            folders = load_day(store, day, breaches)
            results: dict[str, Any] = {"breaches": breaches, "folders": len(folders), "day": day.isoformat()}
            for limit in (DEFAULT_LIMIT, MAX_LIMIT):
                log(f"search: {breaches:,} breaches, by date and by folder, limit {limit}")
                by_date = measure_walks(meter, [reader.search({"date": day.isoformat(), "limit": str(limit)})])
                by_folder = measure_walks(meter, [reader.search({"folder": f, "from": day.isoformat(),
                                                                 "to": day.isoformat(), "limit": str(limit)})
                                                  for f in folders])
                for name, figures in (("date", by_date), ("folder", by_folder)):
                    if figures["items"] != breaches:
                        raise RuntimeError(f"paging by {name} returned {figures['items']} of {breaches} breaches")
                    results[f"{name}_{limit}"] = {"total": figures, "per_page": per_page(figures),
                                                  "per_1000_breaches": per_thousand(figures, breaches)}
            sizes[str(breaches)] = results
    memory = function_memory().get(FUNCTION, 128)
    shards = int(load_template()["Parameters"]["DayShards"]["Default"])
    measured = {"sizes": sizes, "limits": [DEFAULT_LIMIT, MAX_LIMIT], "breaches_per_folder": BREACHES_PER_FOLDER,
                "folders_per_host": FOLDERS_PER_HOST, "day_shards": shards, "search_memory_mb": memory}
    write_measured("search", measured)
    cost_model.write_doc(cost_model.render_search(measured), markers=cost_model.SEARCH_MARKERS)
    return Section(TITLE, render(measured), [], measured)


def render(measured: dict[str, Any]) -> str:
    limits = measured["limits"]
    sizes = sorted(measured["sizes"].values(), key=lambda r: r["breaches"])
    rows = []
    for result in sizes:
        for name in ("date", "folder"):
            for limit in limits:
                cell = result[f"{name}_{limit}"]
                total, page, thousand = cell["total"], cell["per_page"], cell["per_1000_breaches"]
                rows.append([f"{result['breaches']:,}", f"by {name}" + (f" ({result['folders']:,} folders)"
                                                                        if name == "folder" else ""),
                             limit, f"{total['pages']:,}", f"{total['queries']:,}", f"{total['read_units']:,.1f}",
                             f"{page['queries']:.2f}", f"{page['read_units']:.2f}", f"{page['bytes'] / 1024:,.1f}",
                             f"{thousand['pages']:.2f}", f"{thousand['queries']:.2f}",
                             f"{thousand['read_units']:.2f}", f"{thousand['bytes'] / 1024:,.0f}"])
    largest = sizes[-1]
    text = [__doc__.split("\n\n", 1)[1].strip(), "",
            f"Layout: {measured['folders_per_host']} folders per host, {measured['breaches_per_folder']} breaching "
            f"files per folder; the template's default of {measured['day_shards']} ByDay shards; SearchFunction at "
            f"{measured['search_memory_mb']} MB. Every search was followed to its last page, and each way of "
            "paging returned as many items as the day has breaches (checked).", "",
            table(["breaches in the day", "paged", "limit", "pages (HTTP requests)", "Query requests",
                   "read units", "Queries per page", "read units per page", "KiB per page",
                   "pages per 1,000 breaches", "Queries per 1,000", "read units per 1,000", "KiB per 1,000"], rows)]
    text += ["", _linearity(sizes), "", _findings(largest, measured)]
    return "\n".join(text)


def _linearity(sizes: list[dict[str, Any]]) -> str:
    if len(sizes) < 2:
        return (f"Measured at one size ({sizes[0]['breaches']:,} breaches); per-1,000 figures assume the counts are "
                "linear in the day's breaches, which a run at several `--search-sizes` shows.")
    smaller, larger = sizes[-2], sizes[-1]
    spread = {key: larger[key]["per_1000_breaches"]["read_units"] / smaller[key]["per_1000_breaches"]["read_units"] - 1
              for key in larger if key.startswith(("date_", "folder_"))}
    worst = max(spread, key=lambda k: abs(spread[k]))
    text = (f"Linearity: between the two largest days measured ({smaller['breaches']:,} and {larger['breaches']:,} "
            f"breaches) the read units per 1,000 breaches differ by at most {abs(spread[worst]):.1%} "
            f"({worst.replace('_', ' at ')} a page)")
    if abs(spread[worst]) <= 0.05:
        return text + ": the cost of paging a day grows in proportion to its breaches."
    return (text + ": not yet proportional there. By folder the figures are constant (a folder is paged alone); "
            "by date a small day reads less per breach, because each shard's last Query returns less than a page, "
            "so the largest day's figures are the ones to scale from.")


def _findings(largest: dict[str, Any], measured: dict[str, Any]) -> str:
    limits = measured["limits"]
    date_default = largest[f"date_{limits[0]}"]["per_1000_breaches"]
    folder_default = largest[f"folder_{limits[0]}"]["per_1000_breaches"]
    ratio = date_default["read_units"] / folder_default["read_units"] if folder_default["read_units"] else math.nan
    return (f"At {largest['breaches']:,} breaches and the default page size, paging by date costs "
            f"{date_default['read_units']:.2f} read units per 1,000 breaches against "
            f"{folder_default['read_units']:.2f} "
            f"by folder ({ratio:.1f} times as much). The ByDay merge asks each of the {measured['day_shards']} "
            "shards for its share of the page plus a margin, and a shard that runs short of it for its part of the "
            "rest, so a page reads about one page; what it reads beyond paging by folder is each shard's Query "
            "rounded up to 4 KB on its own and the margin, read again by the next page. "
            "Costs per month are in [docs/cost.md](../docs/cost.md#search).")
