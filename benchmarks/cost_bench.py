"""Monthly cost and growth, from the counts ingest_bench measured in this run (benchmarks/measured/ingest.json)
and, for the designs built before the batch guards, the counts kept from that store (ingest-sighting-items.json).

Writes the generated block of docs/cost.md (benchmarks/cost_model.py) and the growth plot: what one stuck file
costs and holds in the table as the days it stays stuck go by, at a 5-minute scan interval.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks import cost_model
from benchmarks.common import PLOTS, REPO, Options, Section, table

TITLE = "Growth and monthly cost"
DAYS = list(range(1, 91))


def growth(measured: dict[str, Any], design: cost_model.Design, days: int, scan_minutes: int = 5) -> dict[str, float]:
    """One file stuck for `days`: items and bytes it leaves in the table, write units per day, $ per month."""
    first_units, first_bytes = cost_model.per_breach_units(measured, design, first=True)
    repeat_units, repeat_bytes = cost_model.per_breach_units(measured, design, first=False)
    per_day = 24 * 60 / scan_minutes
    kept_days = days if design.sighting_days is None else min(days, design.sighting_days)
    repeat_items = measured["scenarios"]["repeat"]["per_breach"]["items_created"] if design.writes == "measured" else 0
    items = 1 + per_day * kept_days * repeat_items
    stored = first_bytes + per_day * kept_days * repeat_bytes
    units_per_day = repeat_units * per_day
    monthly = (units_per_day * 30.4 * cost_model.PRICES["ddb_write_unit"].usd
               + stored / cost_model.GB * cost_model.PRICES["ddb_gb_month"].usd)
    return {"items": items, "bytes": stored, "write_units_per_day": units_per_day + first_units / days,
            "monthly_usd": monthly}


# The store's stages for one stuck file: what each wrote per repeat sighting and how long it kept it.
STAGES = ((cost_model.CURRENT, "a sighting item per scan, kept forever"),
          (cost_model.AFTER, f"sighting items expire after {cost_model.AFTER.sighting_days:g} days"),
          (cost_model.AFTER_INCLUDE, "no item per scan (a guard per 99 breaches), no index write"))


def run(options: Options) -> Section:
    by_name = cost_model.measurements(cost_model.DESIGNS)
    cost_model.write_doc(cost_model.render(by_name, cost_model.DESIGNS))
    rows = []
    for days in (1, 7, 15, 30, 90):
        cells = [growth(by_name[design.measurement], design, days) for design, _ in STAGES]
        rows.append([days, *(f"{c['items']:,.0f} / {c['bytes'] / 1e6:.2f}" for c in cells),
                     *(f"{c['write_units_per_day']:,.0f}" for c in cells), *(f"{c['monthly_usd']:.4f}" for c in cells)])
    plot = _plot(by_name)
    one = cost_model.Profile(100, 0.01)
    summary = []
    for design in cost_model.DESIGNS:
        cost = cost_model.monthly_per_host(by_name[design.measurement], one, design)
        summary.append([design.name, f"{cost_model.total(cost):.4f}", "{} ({:.4f})".format(*cost_model.driver(cost))])
    stages = "; ".join(f"{n}: {label}" for n, (_, label) in enumerate(STAGES, 1))
    body = "\n".join([
        __doc__.split("\n\n", 1)[1].strip(), "",
        f"One file stuck for N days, 5-minute scans, as the store stood at each stage ({stages}):", "",
        table(["days stuck", *(f"items / MB ({n})" for n in (1, 2, 3)), *(f"write units/day ({n})" for n in (1, 2, 3)),
               *(f"$/month ({n})" for n in (1, 2, 3))], rows), "",
        "Per host-month at 100 hosts, 1 % of folders in breach (all profiles and sources in "
        "[docs/cost.md](../docs/cost.md)):", "",
        table(["design", "$/host-month", "largest driver"], summary),
    ])
    return Section(TITLE, body, [plot], {"written": cost_model.DOC.relative_to(REPO).as_posix()})


def _plot(by_name: dict[str, dict[str, Any]]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for design, label in STAGES:
        points = [growth(by_name[design.measurement], design, d) for d in DAYS]
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
