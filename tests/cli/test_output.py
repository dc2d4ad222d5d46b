"""Tables for people: aligned by terminal columns (CJK, emoji), shortened only with a note saying so."""

import re

import pytest

from slawatch_cli.output import render, table, width

ITEMS = [
    {"folder": "D:\\入库\\付款", "filename": "报告-1.csv", "n": 1},
    {"folder": "/srv/in", "filename": "🚀.csv", "n": 2},
    {"folder": "/srv/inbound", "filename": "café.csv", "n": 3},
]


def _column_starts(line: str) -> list[int]:
    """Display columns where each cell after the first starts (cells are separated by two spaces)."""
    return [width(line[: match.start()]) for match in re.finditer(r"(?<=  )\S", line)]


def test_wide_characters_keep_the_columns_aligned() -> None:
    lines = table(ITEMS, ["folder", "filename", "n"]).splitlines()
    header, rows = lines[0], lines[2:]
    assert width("报告") == 4 and width("🚀") == 2
    assert all(_column_starts(row) == _column_starts(header) for row in rows)
    assert "(…" not in lines[-1]  # nothing was shortened, so nothing is said


def test_a_shortened_cell_is_said_and_never_splits_a_wide_character() -> None:
    long = "/srv/" + "数据" * 40 + "/end.csv"
    out = table([{"folder": long}], ["folder"])
    cell = out.splitlines()[2]
    assert "…" in cell and width(cell) <= 60 and cell.endswith("/end.csv")
    assert out.splitlines()[-1].startswith("(… marks values shortened to 60 columns")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_formats_keep_values_whole(fmt: str) -> None:
    long = "x" * 200
    assert long in render([{"folder": long}], fmt, ("folder",))
