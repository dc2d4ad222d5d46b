"""Monthly AWS cost of a scanner fleet, from the counts the ingest benchmark measured and the public price list.

``python -m benchmarks.cost_model`` prints the tables of docs/cost.md (and ``--write`` replaces the generated part
of that file) from ``benchmarks/measured/ingest.json``; ``make bench`` re-measures the counts first. The
arithmetic is unit-tested in tests/benchmarks/test_cost_model.py.

Model (per scanner host and 730-hour month): a report every ``scan_minutes``; ``folders x breach_fraction``
folders in breach at any time, each with ``files_per_breach`` stuck files. Breaching folders are assumed spread
over hosts (one per host until every host has one), the worst case for the number of reports that carry
breaches. A stuck file stays stuck ``breach_hours`` on average, so 1 sighting in
``breach_hours x 60 / scan_minutes`` is a first sighting and the rest are repeats. A report costs its measured
fixed part plus the measured marginal part of each breach it carries (benchmarks/ingest_bench.py).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

HOURS_PER_MONTH = 730
GB = 1024**3
PRICE_DATE = "2026-12-01"
REGION = "us-east-1"
DOC = Path(__file__).resolve().parents[1] / "docs" / "cost.md"
BEGIN, END = "<!-- cost-model:begin -->", "<!-- cost-model:end -->"


@dataclass(frozen=True)
class Price:
    usd: float
    per: str
    source: str


PRICES: dict[str, Price] = {
    "api_request": Price(3.50 / 1e6, "REST API request (first 333 M)", "aws.amazon.com/api-gateway/pricing"),
    "s3_put": Price(0.005 / 1000, "S3 Standard PUT, COPY, POST, LIST, tagging", "aws.amazon.com/s3/pricing"),
    "s3_get": Price(0.0004 / 1000, "S3 Standard GET, HEAD, SELECT", "aws.amazon.com/s3/pricing"),
    "s3_gb_month": Price(0.023, "S3 Standard GB-month (first 50 TB)", "aws.amazon.com/s3/pricing"),
    "lambda_request": Price(0.20 / 1e6, "Lambda request", "aws.amazon.com/lambda/pricing"),
    "lambda_gb_second": Price(0.0000166667, "Lambda GB-second (x86; arm64 is 20 % less)",
                              "aws.amazon.com/lambda/pricing"),
    "sfn_transition": Price(0.025 / 1000, "Step Functions Standard state transition",
                            "aws.amazon.com/step-functions/pricing"),
    "sfn_express_request": Price(1.00 / 1e6, "Step Functions Express request", "aws.amazon.com/step-functions/pricing"),
    "sfn_express_gb_second": Price(0.00001667, "Express GB-second (64 MB steps, 100 ms steps)",
                                   "aws.amazon.com/step-functions/pricing"),
    "ddb_write_unit": Price(0.625 / 1e6, "DynamoDB on-demand write request unit", "aws.amazon.com/dynamodb/pricing"),
    "ddb_read_unit": Price(0.125 / 1e6, "DynamoDB on-demand read request unit", "aws.amazon.com/dynamodb/pricing"),
    "ddb_gb_month": Price(0.25, "DynamoDB Standard table storage GB-month (after 25 GB free)",
                          "aws.amazon.com/dynamodb/pricing"),
    "eventbridge_aws_event": Price(0.0, "EventBridge: S3 events on the default bus (AWS service events)",
                                   "aws.amazon.com/eventbridge/pricing"),
    "cw_metric_month": Price(0.30, "CloudWatch custom metric-month (first 10,000; pro-rated by hour)",
                             "aws.amazon.com/cloudwatch/pricing"),
    "cw_log_gb": Price(0.50, "CloudWatch Logs ingestion GB (Standard)", "aws.amazon.com/cloudwatch/pricing"),
    "cw_insight_rule_month": Price(0.50, "Contributor Insights rule-month", "aws.amazon.com/cloudwatch/pricing"),
    "cw_insight_events": Price(0.02 / 1e6, "Contributor Insights matched log events",
                               "aws.amazon.com/cloudwatch/pricing"),
    "xray_trace": Price(5.00 / 1e6, "X-Ray trace recorded", "aws.amazon.com/xray/pricing"),
}

# Bytes a request leaves in CloudWatch Logs (estimates from the template's formats, not measured):
ACCESS_LOG_BYTES = 450  # one JSON access-log line per API request
LAMBDA_LOG_BYTES = 1500  # START/END/REPORT lines, Powertools INFO line, EMF blob per invocation
RAW_RETENTION_MONTHS = 12  # RawReportRetentionDays 365: the archive holds a year of reports


@dataclass(frozen=True)
class Profile:
    hosts: int
    breach_fraction: float
    folders: int = 20
    files_per_breach: int = 20
    scan_minutes: int = 5
    breach_hours: float = 24.0

    @property
    def reports(self) -> float:
        """Reports per host and month."""
        return HOURS_PER_MONTH * 60 / self.scan_minutes

    @property
    def stuck_files(self) -> float:
        return self.folders * self.breach_fraction * self.files_per_breach

    @property
    def breach_report_share(self) -> float:
        """Share of reports that carry breaches: breaching folders spread one per host first."""
        return min(1.0, self.folders * self.breach_fraction)

    @property
    def first_share(self) -> float:
        """Share of sightings that are a breach's first."""
        return min(1.0, self.scan_minutes / (self.breach_hours * 60))


@dataclass(frozen=True)
class Design:
    name: str
    path: str = "async"  # "async": POST /reports -> S3 -> workflow; "sync": POST /reports/sync only
    workflow: str = "standard"  # "standard", "express", or "by-size" (Express unless the report is large)
    large_report_share: float = 0.0  # by-size: share of breach reports that still take Standard
    per_host_metrics: float = 1.0  # custom metrics per host always emitting (ApiReportsByCaller)
    per_breaching_host_metrics: float = 1.0  # custom metrics per host while it reports breaches (ScannerReports)
    insight_rules: int = 0
    writes: str = "measured"  # "measured", "put-per-file" (one PutItem per file), "on-change" (projection)
    sighting_days: float | None = None  # None: sightings kept forever
    api_trace_share: float | None = None  # None: X-Ray default sampling (1/s + 5 %) on the API stage
    workflow_trace_share: float = 1.0  # share of workflow executions traced
    heartbeat_minutes: float = 0.0  # 0: every scan is sent; else on change, and a heartbeat this often
    measurement: str = "ingest"  # the benchmarks/measured/<name>.json its store was measured in


def _scenario(measured: dict[str, Any], name: str) -> dict[str, dict[str, float]]:
    return measured["scenarios"][name]


def per_breach_units(measured: dict[str, Any], design: Design, first: bool) -> tuple[float, float]:
    """(write units, storage bytes kept) per breach sighting under the design's write mode."""
    cell = _scenario(measured, "first" if first else "repeat")["per_breach"]
    if design.path == "sync":
        cell = _scenario(measured, "sync-first" if first else "sync-repeat")["per_breach"]
    units = cell["write_units"] + cell["index_write_units"]
    storage = cell["storage_bytes_added"]
    if design.writes == "put-per-file":
        breach = cell.get("write_units_breach", 0.0) / 2  # the same item, put without a transaction
        units = breach + cell.get("write_units_breach_index", cell["index_write_units"])
        storage = 0.0 if not first else storage - _sighting_bytes(measured)
    elif design.writes == "on-change" and not first:
        units, storage = 0.0, 0.0
    elif design.writes == "on-change":
        storage -= _sighting_bytes(measured)
    return units, storage


def _sighting_bytes(measured: dict[str, Any]) -> float:
    """A sighting item's billed size: what a repeat sighting adds to the table."""
    return _scenario(measured, "repeat")["per_breach"]["storage_bytes_added"]


def sent_share(profile: Profile, design: Design) -> float:
    """Share of scans sent as a report: all, or those that changed something plus a heartbeat every
    ``heartbeat_minutes``. A stuck file changes the state twice (it appears, it leaves) and each change sends two
    reports (the last unchanged scan, so its last sighting is exact, then the new one)."""
    if not design.heartbeat_minutes:
        return 1.0
    scans = 24 * 60 / profile.scan_minutes
    heartbeats = 24 * 60 / design.heartbeat_minutes
    changes = 2 * profile.stuck_files * 24 / profile.breach_hours
    return min(1.0, (heartbeats + 2 * changes) / scans)


def trace_share(profile: Profile, design: Design) -> float:
    """Share of API requests X-Ray records: the default rule takes 1 request/s, then 5 %."""
    if design.api_trace_share is not None:
        return design.api_trace_share
    rate = profile.hosts * profile.reports * sent_share(profile, design) / (HOURS_PER_MONTH * 3600)
    return (min(rate, 1.0) + 0.05 * max(rate - 1.0, 0.0)) / rate if rate else 0.0


def monthly_per_host(measured: dict[str, Any], profile: Profile, design: Design,
                     months: float = RAW_RETENTION_MONTHS) -> dict[str, float]:
    """Dollars per host and month by service; storage as it stands after `months` months of accumulation."""
    p = PRICES
    reports = profile.reports * sent_share(profile, design)
    breach_reports = reports * profile.breach_report_share
    clean_reports = reports - breach_reports
    sightings = reports * profile.stuck_files
    firsts = min(sightings, profile.reports * profile.stuck_files * profile.first_share)  # a first is always sent
    repeats = sightings - firsts
    sync = design.path == "sync"
    clean = _scenario(measured, "sync-clean" if sync else "clean")["one_breach"]
    fixed = _scenario(measured, "sync-repeat" if sync else "repeat")["per_report"]
    marginal = _scenario(measured, "sync-repeat" if sync else "repeat")["per_breach"]
    per_report_breaches = profile.stuck_files / profile.breach_report_share if profile.breach_report_share else 0.0

    def of(key: str) -> float:  # a measured count over the month: clean reports + breach reports + breaches
        return clean_reports * clean[key] + breach_reports * fixed[key] + sightings * marginal[key]

    cost: dict[str, float] = {}
    cost["API Gateway"] = reports * p["api_request"].usd
    cost["S3 requests"] = of("s3_put_class") * p["s3_put"].usd + of("s3_get_class") * p["s3_get"].usd
    cost["Lambda"] = of("lambda_invocations") * p["lambda_request"].usd + of("lambda_gb_seconds") * p[
        "lambda_gb_second"].usd
    executions = of("sfn_executions")
    standard_share = {"standard": 1.0, "express": 0.0, "by-size": design.large_report_share}[design.workflow]
    transitions_per_execution = fixed["sfn_transitions"] / fixed["sfn_executions"] if fixed["sfn_executions"] else 0
    express_seconds = (fixed["lambda_ms"] + per_report_breaches * marginal["lambda_ms"]) / 1000
    express_cost = p["sfn_express_request"].usd + (64 / 1024) * math.ceil(express_seconds * 10) / 10 * p[
        "sfn_express_gb_second"].usd
    cost["Step Functions"] = executions * (standard_share * transitions_per_execution * p["sfn_transition"].usd
                                           + (1 - standard_share) * express_cost)
    first_units, first_bytes = per_breach_units(measured, design, first=True)
    repeat_units, repeat_bytes = per_breach_units(measured, design, first=False)
    write_units = (clean_reports * (clean["write_units"] + clean["index_write_units"])
                   + breach_reports * (fixed["write_units"] + fixed["index_write_units"])
                   + firsts * first_units + repeats * repeat_units)
    cost["DynamoDB requests"] = write_units * p["ddb_write_unit"].usd + of("read_units") * p["ddb_read_unit"].usd
    kept_months = months if design.sighting_days is None else min(months, design.sighting_days / 30.4)
    stored = (months * (clean_reports * clean["storage_bytes_added"] + breach_reports * fixed["storage_bytes_added"]
                        + firsts * first_bytes)
              + kept_months * repeats * repeat_bytes)
    cost["DynamoDB storage"] = stored / GB * p["ddb_gb_month"].usd
    cost["S3 storage (raw archive)"] = min(months, RAW_RETENTION_MONTHS) * of("report_bytes") / GB * p[
        "s3_gb_month"].usd
    metrics = design.per_host_metrics + design.per_breaching_host_metrics * profile.breach_report_share
    log_bytes = reports * ACCESS_LOG_BYTES + of("lambda_invocations") * LAMBDA_LOG_BYTES
    cost["CloudWatch"] = (metrics * p["cw_metric_month"].usd + log_bytes / GB * p["cw_log_gb"].usd
                          + design.insight_rules * reports * p["cw_insight_events"].usd)
    traces = reports * trace_share(profile, design) + executions * design.workflow_trace_share
    cost["X-Ray"] = traces * p["xray_trace"].usd
    return cost


SIGHTING_ITEMS = "ingest-sighting-items"  # the store before batch guards, as last measured
CURRENT = Design("current: Standard workflow per report with breaches, per-host metrics, sightings kept forever",
                 measurement=SIGHTING_ITEMS)
ALTERNATIVES = [
    CURRENT,
    replace(CURRENT, name="Express instead of Standard", workflow="express"),
    replace(CURRENT, name="synchronous Lambda path only", path="sync"),
    replace(CURRENT, name="one PutItem per file (no sighting, no transaction; not idempotent)", writes="put-per-file"),
]
AFTER = replace(
    CURRENT,
    name="after 1 (built): no per-host metrics, sightings expire after 15 days",
    per_host_metrics=0.0, per_breaching_host_metrics=0.0, insight_rules=1, sighting_days=15,
)
AFTER_EXPRESS = replace(AFTER, name="after 2 (built): also Express under 256 KiB, 1 % of requests traced",
                        workflow="by-size", large_report_share=0.01, api_trace_share=0.01, workflow_trace_share=0.01)
AFTER_HEARTBEAT = replace(AFTER_EXPRESS, name="after 3 (built): also sent on change, heartbeat every 15 minutes",
                          heartbeat_minutes=15)
AFTER_GUARDS = replace(AFTER_HEARTBEAT, name="after 4 (built): also a write guard per 99 breaches, not a sighting "
                       "item per breach and report", measurement="ingest-batch-guards")
AFTER_INCLUDE = replace(AFTER_GUARDS, name="after 5 (built): also indexes without what a repeat changes, pages "
                        "completed from the table", measurement="ingest")
NEXT_ON_CHANGE = replace(AFTER_INCLUDE, name="next, not built: also repeat sightings written only on change",
                         writes="on-change")
DESIGNS = [*ALTERNATIVES, AFTER, AFTER_EXPRESS, AFTER_HEARTBEAT, AFTER_GUARDS, AFTER_INCLUDE, NEXT_ON_CHANGE]
PROFILES = [Profile(hosts, fraction) for hosts in (10, 100, 1000) for fraction in (0.0, 0.01, 0.10)]


def total(cost: dict[str, float]) -> float:
    return sum(cost.values())


def driver(cost: dict[str, float]) -> tuple[str, float]:
    name = max(cost, key=lambda k: cost[k])
    return name, cost[name]


def measurements(designs: list[Design]) -> dict[str, dict[str, Any]]:
    """Each design's measured counts: a design built before the store changed keeps the counts of its store."""
    from benchmarks.common import read_measured

    return {name: read_measured(name) for name in {design.measurement for design in designs}}


def render(measured: dict[str, dict[str, Any]], designs: list[Design]) -> str:
    """The tables of docs/cost.md; `measured` maps each design's measurement name to its counts."""
    lines = [f"Prices: {REGION}, read {PRICE_DATE} from the AWS pricing pages named below; free tiers ignored.", ""]
    lines += ["| price | USD | source |", "|---|---:|---|"]
    lines += [f"| {price.per} | {price.usd:.10g} | {price.source} |" for price in PRICES.values()]
    for design in designs:
        lines += ["", f"### {design.name}", "",
                  "| hosts | in breach | $/host-month | $/fleet-month | largest driver |", "|---:|---:|---:|---:|---|"]
        for profile in PROFILES:
            cost = monthly_per_host(measured[design.measurement], profile, design)
            name, value = driver(cost)
            lines.append(f"| {profile.hosts:,} | {profile.breach_fraction:.0%} | {total(cost):.4f} | "
                         f"{total(cost) * profile.hosts:,.2f} | {name} ({value:.4f}) |")
    one = Profile(100, 0.01)
    lines += ["", "Per host-month by service at 100 hosts, 1 % in breach:", "",
              "| service | " + " | ".join(d.name.split(":")[0] for d in designs) + " |",
              "|---|" + "---:|" * len(designs)]
    costs = [monthly_per_host(measured[d.measurement], one, d) for d in designs]
    for service in costs[0]:
        lines.append(f"| {service} | " + " | ".join(f"{c[service]:.4f}" for c in costs) + " |")
    lines.append("| **total** | " + " | ".join(f"**{total(c):.4f}**" for c in costs) + " |")
    return "\n".join(lines)


def write_doc(text: str, doc: Path = DOC, markers: tuple[str, str] = (BEGIN, END)) -> None:
    """Replace a generated block of docs/cost.md (between the markers), leaving the prose around it."""
    begin, end = markers
    current = doc.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(current):
        raise SystemExit(f"{doc} has no {begin} ... {end} block")
    doc.write_text(pattern.sub(lambda _: f"{begin}\n{text}\n{end}", current), encoding="utf-8")


# --------------------------------------------------------------------------- search (benchmarks/search_bench.py)
SEARCH_MARKERS = ("<!-- search-cost:begin -->", "<!-- search-cost:end -->")
DAYS_PER_MONTH = HOURS_PER_MONTH / 24


@dataclass(frozen=True)
class SearchHabit:
    """How readers page a day: by date (the whole day) or by folder (every breaching folder), how often."""

    name: str
    by: str  # "date" or "folder"
    limit: int  # page size
    per_day: float  # times a day the day is paged through


SEARCH_HABITS = [
    SearchHabit("an operator pages the whole day by date once a day", "date", 100, 1),
    SearchHabit("an operator pages every breaching folder once a day", "folder", 100, 1),
    SearchHabit("a script pages the day by date every 5 minutes at the maximum page size", "date", 500, 288),
]


def breaches_per_day(profile: Profile) -> float:
    """New breaches per affected day: every stuck file is replaced by another after `breach_hours`."""
    return profile.hosts * profile.stuck_files * 24 / profile.breach_hours


def _search_cell(search: dict[str, Any], habit: SearchHabit) -> dict[str, Any]:
    largest = max(search["sizes"].values(), key=lambda r: r["breaches"])
    return largest[f"{habit.by}_{habit.limit}"]


def search_pages(profile: Profile, habit: SearchHabit) -> float:
    """Pages (HTTP requests) to page the day once: a date search is one page at least, a folder search one
    page per breaching folder at least."""
    if habit.by == "date":
        return max(1, math.ceil(breaches_per_day(profile) / habit.limit))
    folders = profile.hosts * profile.folders * profile.breach_fraction * 24 / profile.breach_hours
    return folders * math.ceil(profile.files_per_breach / habit.limit)


def search_monthly(search: dict[str, Any], profile: Profile, habit: SearchHabit) -> dict[str, float]:
    """Dollars per month (whole fleet) for one habit: read units per breach as measured at that page size (which
    carries the ByDay merge's over-reading), API requests and Lambda per page as measured. Leaves out the rounding
    of each Query to 4 KB (at most half a unit per Query)."""
    p = PRICES
    cell = _search_cell(search, habit)
    pages = search_pages(profile, habit) * habit.per_day * DAYS_PER_MONTH
    units = breaches_per_day(profile) * cell["per_1000_breaches"]["read_units"] / 1000 * habit.per_day * DAYS_PER_MONTH
    per_page = cell["per_page"]
    return {
        "API Gateway": pages * p["api_request"].usd,
        "Lambda": pages * (p["lambda_request"].usd + per_page["lambda_gb_seconds"] * p["lambda_gb_second"].usd),
        "DynamoDB reads": units * p["ddb_read_unit"].usd,
    }


def render_search(search: dict[str, Any]) -> str:
    largest = max(search["sizes"].values(), key=lambda r: r["breaches"])
    lines = [f"From `benchmarks/measured/search.json` (a day of {largest['breaches']:,} breaches paged on the local "
             "stack) and the prices above. Per fleet and month; the day's breaches are the profile's stuck files, "
             "each replaced after a day.", "",
             "| hosts | in breach | breaches a day | " + " | ".join(h.name for h in SEARCH_HABITS) + " |",
             "|---:|---:|---:|" + "---:|" * len(SEARCH_HABITS)]
    for profile in PROFILES:
        cells = [f"{total(search_monthly(search, profile, h)):.4f}" for h in SEARCH_HABITS]
        lines.append(f"| {profile.hosts:,} | {profile.breach_fraction:.0%} | {breaches_per_day(profile):,.0f} | "
                     + " | ".join(cells) + " |")
    lines += ["", "Read units per 1,000 breaches paged: " + ", ".join(
        f"{h.by} at {h.limit} a page {_search_cell(search, h)['per_1000_breaches']['read_units']:.1f}"
        for h in SEARCH_HABITS) + "."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import read_measured

    parser = argparse.ArgumentParser(prog="python -m benchmarks.cost_model", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the generated block of docs/cost.md")
    args = parser.parse_args(argv)
    text = render(measurements(DESIGNS), DESIGNS)
    try:
        search = render_search(read_measured("search"))
    except FileNotFoundError:  # benchmarks/search_bench.py has not run yet
        search = None
    if args.write:
        write_doc(text)
        if search is not None:
            write_doc(search, markers=SEARCH_MARKERS)
    else:
        print(text if search is None else f"{text}\n\n{search}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
