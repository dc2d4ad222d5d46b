"""Shared by the store tests: a store on the moto table, table snapshots, three scans of one folder, a seeded table."""

import boto3

from slawatch.ingest import write
from slawatch.store import BreachStore
from tests.support.reports import folder, normalised, report


def store_for(table, **kwargs):
    return BreachStore(table, shards=kwargs.pop("shards", 4), sleep=lambda _: None, **kwargs)


def snapshot(table):
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    return sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


def breach_items(table):
    return [i for i in snapshot(table) if i["sk"]["S"] == "BREACH"]


# Three scans of the same folder, 5 minutes apart: the file a.csv is in all three, b.csv only in the last.
SCANS = [
    report(folder("D:\\In", 20, ("a.csv", "2026-11-28T08:00:00Z")), scanned_at="2026-11-28T09:00:00Z"),
    report(folder("d:/in", 20, ("A.CSV", "2026-11-28T08:00:00Z")), scanned_at="2026-11-28T09:05:00Z"),
    report(folder("D:\\In\\", 20, ("a.csv", "2026-11-28T08:00:00Z"), ("b.csv", "2026-11-28T08:30:00Z")),
           scanned_at="2026-11-28T09:10:00Z"),
]


def seed(table, count=30, shards=4):
    files = [(f"f{i:03}", f"2026-11-28T{8 + i % 10:02}:{i % 60:02}:00Z") for i in range(count)]
    late = [("late", "2026-11-29T01:00:00Z")]
    store = store_for(table, shards=shards)
    write(normalised(report(folder("/srv/in", 20, *files), folder("/srv/other", 20, *late))), store)
    return store
