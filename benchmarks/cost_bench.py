"""Monthly cost and growth, from the counts ingest_bench measured in this run (benchmarks/measured/ingest.json).

Writes the generated block of docs/cost.md (benchmarks/cost_model.py) and the growth plot: what one stuck file
costs and holds in the table as the days it stays stuck go by, at a 5-minute scan interval.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks import cost_model
from benchmarks.common import PLOTS, REPO, Options, Section, read_measured, table

TITLE = "Growth and monthly cost"
DAYS = list(range(1, 91))


def growth(measured: dict[str, Any], design: cost_model.Design, days: int, scan_minutes: int = 5) -> dict[str, float]:
    """One file stuck for `days`: items and bytes it leaves in the table, write units per day, $ per month."""
    first_units, first_bytes = cost_model.per_breach_units(measured, design, first=True)
    repeat_units, repeat_bytes = cost_model.per_breach_units(measured, design, first=False)
    per_day = 24 * 60 / scan_minutes
    kept_days = days if design.sighting_days is None else min(days, design.sighting_days)
    repeat_items = 0.0 if design.writes != "measured" else 1.0
    items = 1 + per_day * kept_days * repeat_items
    stored = first_bytes + per_day * kept_days * repeat_bytes
    units_per_day = repeat_units * per_day
    monthly = (units_per_day * 30.4 * cost_model.PRICES["ddb_write_unit"].usd
               + stored / cost_model.GB * cost_model.PRICES["ddb_gb_month"].usd)
    return {"items": items, "bytes": stored, "write_units_per_day": units_per_day + first_units / days,
            "monthly_usd": monthly}


def run(options: Options) -> Section:
    measured = read_measured("ingest")
    text = cost_model.render(measured, cost_model.DESIGNS)
    cost_model.write_doc(text)
    before, after = cost_model.CURRENT, cost_model.AFTER
    rows = []
    for days in (1, 7, 15, 30, 90):
        b, a = growth(measured, before, days), growth(measured, after, days)
        rows.append([days, f"{b['items']:,.0f}", f"{b['bytes'] / 1e6:.2f}", f"{a['items']:,.0f}",
                     f"{a['bytes'] / 1e6:.2f}", f"{b['write_units_per_day']:,.0f}", f"{b['monthly_usd']:.4f}",
                     f"{a['monthly_usd']:.4f}"])
    plot = _plot(measured, before, after)
    one = cost_model.Profile(100, 0.01)
    summary = [[d.name, f"{cost_model.total(cost_model.monthly_per_host(measured, one, d)):.4f}",
                "{} ({:.4f})".format(*cost_model.driver(cost_model.monthly_per_host(measured, one, d)))]
               for d in cost_model.DESIGNS]
    body = "\n".join([
        __doc__.split("\n\n", 1)[1].strip(), "",
        "One file stuck for N days, 5-minute scans (before: sightings kept forever; after: they expire after "
        f"{after.sighting_days} days):", "",
        table(["days stuck", "items before", "MB before", "items after", "MB after", "write units/day",
               "$/month before", "$/month after"], rows), "",
        "Per host-month at 100 hosts, 1 % of folders in breach (all profiles and sources in "
        "[docs/cost.md](../docs/cost.md)):", "",
        table(["design", "$/host-month", "largest driver"], summary),
    ])
    return Section(TITLE, body, [plot], {"written": cost_model.DOC.relative_to(REPO).as_posix()})


def _plot(measured: dict[str, Any], before: cost_model.Design, after: cost_model.Design) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for design, label in ((before, "sightings kept forever (before)"), (after, "sightings expire (after)")):
        points = [growth(measured, design, d) for d in DAYS]
        left.plot(DAYS, [p["bytes"] / 1e6 for p in points], label=label)
        right.plot(DAYS, [p["monthly_usd"] for p in points], label=label)
    left.set_ylabel("table + index MB held for the file")
    right.set_ylabel("$ per month for the file (writes + storage)")
    for axis in (left, right):
        axis.set_xlabel("days the file stays stuck (5-minute scans)")
        axis.grid(True, alpha=0.3)
        axis.legend()
    figure.suptitle("One stuck file: table size and monthly cost against days stuck")
    figure.tight_layout()
    PLOTS.mkdir(exist_ok=True)
    path = PLOTS / "growth.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
