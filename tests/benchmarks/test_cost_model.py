"""The cost model's arithmetic, on hand-made counts whose dollars can be worked out on paper."""

import math

import pytest

from benchmarks import cost_model, dynamo_units
from benchmarks.cost_model import Design, Profile, monthly_per_host

ZERO = {k: 0.0 for k in ("api_requests", "sfn_executions", "sfn_transitions", "lambda_invocations",
                         "lambda_gb_seconds", "lambda_ms", "s3_put_class", "s3_get_class", "write_units",
                         "index_write_units", "read_units", "storage_bytes_added", "report_bytes",
                         "write_units_breach", "write_units_breach_index")}


def _cell(**values):
    return {**ZERO, **values}


def _measured(clean=None, fixed=None, marginal=None, first_marginal=None):
    clean = _cell(**(clean or {}))
    scenario = {"one_breach": clean, "per_report": _cell(**(fixed or {})), "per_breach": _cell(**(marginal or {}))}
    first = dict(scenario, per_breach=_cell(**(first_marginal or marginal or {})))
    names = ("clean", "repeat", "sync-clean", "sync-repeat")
    scenarios = {n: scenario for n in names} | {"first": first, "sync-first": first}
    return {"scenarios": scenarios}


def test_a_clean_fleet_pays_one_request_and_one_put_per_report():
    measured = _measured(clean={"s3_put_class": 1})
    cost = monthly_per_host(measured, Profile(10, 0.0), Design("d", per_host_metrics=0, per_breaching_host_metrics=0))
    reports = 730 * 12
    assert cost["API Gateway"] == pytest.approx(reports * 3.5e-6)
    assert cost["S3 requests"] == pytest.approx(reports * 5e-6)
    assert cost["Step Functions"] == 0 and cost["DynamoDB requests"] == 0


def test_standard_transitions_cost_per_breach_report():
    measured = _measured(fixed={"sfn_executions": 1, "sfn_transitions": 5})
    profile = Profile(100, 0.01)  # 20 folders x 1 %: a fifth of the reports carry breaches
    cost = monthly_per_host(measured, profile, Design("d"))
    assert profile.breach_report_share == pytest.approx(0.2)
    assert cost["Step Functions"] == pytest.approx(8760 * 0.2 * 5 * 0.025 / 1000)


def test_express_costs_a_request_and_64_mb_of_duration():
    measured = _measured(fixed={"sfn_executions": 1, "sfn_transitions": 5, "lambda_ms": 950})
    cost = monthly_per_host(measured, Profile(100, 0.10), Design("d", workflow="express"))
    per_execution = 1e-6 + (64 / 1024) * 1.0 * 0.00001667  # 950 ms billed as 1.0 s
    assert cost["Step Functions"] == pytest.approx(8760 * per_execution)


def test_repeat_sightings_pay_their_write_units_and_sightings_expire():
    measured = _measured(marginal={"write_units": 6, "index_write_units": 4, "storage_bytes_added": 400})
    profile = Profile(100, 0.01)  # 4 stuck files per host
    kept = monthly_per_host(measured, profile, Design("d"), months=12)
    expiring = monthly_per_host(measured, profile, Design("d", sighting_days=15), months=12)
    sightings = 8760 * 4
    assert kept["DynamoDB requests"] == pytest.approx(sightings * 10 * 0.625e-6)
    assert kept["DynamoDB storage"] == pytest.approx(12 * sightings * 400 / 2**30 * 0.25)
    firsts, repeats = sightings / 288, sightings * 287 / 288  # a file stays stuck a day: 1 first in 288
    held = 12 * firsts * 400 + 15 / 30.4 * repeats * 400  # first sightings stay with their breach
    assert expiring["DynamoDB storage"] == pytest.approx(held / 2**30 * 0.25)


def test_one_put_per_file_drops_the_transaction_and_the_sighting():
    marginal = {"write_units": 6, "index_write_units": 4, "write_units_breach": 4, "write_units_breach_index": 4}
    units, _ = cost_model.per_breach_units(_measured(marginal=marginal), Design("d", writes="put-per-file"),
                                           first=False)
    assert units == 2 + 4


def test_per_host_metrics_cost_thirty_cents_each():
    cost = monthly_per_host(_measured(), Profile(10, 0.01), Design("d", per_host_metrics=1,
                                                                     per_breaching_host_metrics=1))
    assert cost["CloudWatch"] == pytest.approx(0.30 * 1.2 + 8760 * 450 / 2**30 * 0.5)


def test_xray_default_sampling_records_everything_below_one_request_a_second():
    assert cost_model.trace_share(Profile(100, 0), Design("d")) == 1.0
    busy = Profile(10_000, 0)  # 33 requests/s: 1 + 5 % of the rest
    rate = 10_000 * 8760 / (730 * 3600)
    assert cost_model.trace_share(busy, Design("d")) == pytest.approx((1 + 0.05 * (rate - 1)) / rate)


def test_the_generated_block_replaces_only_itself(tmp_path):
    doc = tmp_path / "cost.md"
    doc.write_text(f"intro\n{cost_model.BEGIN}\nold\n{cost_model.END}\noutro\n")
    cost_model.write_doc("new", doc)
    assert doc.read_text() == f"intro\n{cost_model.BEGIN}\nnew\n{cost_model.END}\noutro\n"


@pytest.mark.parametrize(("item", "size"), [
    ({"pk": {"S": "ab"}}, 4),
    ({"n": {"N": "12345"}}, 1 + 4),  # 5 significant digits -> 3 + 1 bytes
    ({"m": {"M": {"k": {"S": "v"}}}}, 1 + 3 + 1 + 1 + 1),
    ({"l": {"L": [{"BOOL": True}, {"NULL": True}]}}, 1 + 3 + 2 * 2),
])
def test_item_sizes_follow_dynamodbs_rules(item, size):
    assert dynamo_units.item_size(item) == size


def test_units_round_up_per_kilobyte_and_transactions_double():
    assert dynamo_units.write_units(0, 1024) == 1
    assert dynamo_units.write_units(1025, 10) == 2
    assert dynamo_units.write_units(1500, 1500, transactional=True) == 4
    assert dynamo_units.get_units(4097, consistent=True) == 2 and dynamo_units.get_units(0, consistent=False) == 0.5
    assert dynamo_units.query_units([3000, 3000], consistent=False) == math.ceil(6000 / 4096) / 2


def _search(read_units_per_1000=500.0, gb_seconds_per_page=0.1):
    cell = {"per_1000_breaches": {"read_units": read_units_per_1000}, "per_page": {"lambda_gb_seconds":
                                                                                   gb_seconds_per_page}}
    sizes = {"1000": {"breaches": 1000}, "100000": {"breaches": 100_000}}
    for size in sizes.values():
        size.update({f"{by}_{limit}": cell for by in ("date", "folder") for limit in (100, 500)})
    return {"sizes": sizes}


def test_a_day_s_breaches_are_the_fleet_s_stuck_files():
    assert cost_model.breaches_per_day(Profile(100, 0.01)) == 400  # 100 hosts x 20 folders x 1 % x 20 files
    assert cost_model.breaches_per_day(Profile(10, 0.0)) == 0


def test_paging_a_day_by_date_pays_its_read_units_pages_and_lambda():
    habit = cost_model.SearchHabit("once a day", "date", 100, 1)
    cost = cost_model.search_monthly(_search(), Profile(100, 0.01), habit)
    days = 730 / 24
    assert cost["DynamoDB reads"] == pytest.approx(400 * 0.5 * days * 0.125e-6)  # 0.5 units a breach
    assert cost["API Gateway"] == pytest.approx(4 * days * 3.5e-6)  # 400 breaches, 100 a page
    assert cost["Lambda"] == pytest.approx(4 * days * (0.2e-6 + 0.1 * 0.0000166667))


def test_an_empty_day_is_still_one_page_and_a_folder_search_one_page_per_folder():
    by_date = cost_model.SearchHabit("d", "date", 100, 1)
    by_folder = cost_model.SearchHabit("f", "folder", 100, 1)
    assert cost_model.search_pages(Profile(10, 0.0), by_date) == 1
    assert cost_model.search_pages(Profile(100, 0.10), by_folder) == 200  # 200 folders of 20 files
    assert cost_model.search_pages(Profile(100, 0.10), by_date) == 40


def test_the_search_block_is_its_own(tmp_path):
    doc = tmp_path / "cost.md"
    begin, end = cost_model.SEARCH_MARKERS
    doc.write_text(f"x\n{cost_model.BEGIN}\nkept\n{cost_model.END}\n{begin}\nstale-figures\n{end}\n")
    cost_model.write_doc(cost_model.render_search(_search()), doc, markers=cost_model.SEARCH_MARKERS)
    text = doc.read_text()
    assert "kept" in text and "stale-figures" not in text and "| 1,000 | 10% | 40,000 |" in text


def test_heartbeats_send_a_clean_host_one_report_per_heartbeat():
    measured = _measured(clean={"s3_put_class": 1})
    design = Design("d", per_host_metrics=0, per_breaching_host_metrics=0, heartbeat_minutes=15)
    cost = monthly_per_host(measured, Profile(10, 0.0), design)
    assert cost["API Gateway"] == pytest.approx(730 * 4 * 3.5e-6)  # 4 an hour instead of 12
    assert cost_model.sent_share(Profile(10, 0.0), Design("d")) == 1.0


def test_each_stuck_file_sends_four_reports_a_stay_beyond_the_heartbeats():
    # 1 %: 4 stuck files per host, a day each: 2 changes x 2 reports x 4 files = 16 a day, plus 96 heartbeats
    share = cost_model.sent_share(Profile(100, 0.01), Design("d", heartbeat_minutes=15))
    assert share == pytest.approx((96 + 16) / 288)
    assert cost_model.sent_share(Profile(100, 0.10), Design("d", heartbeat_minutes=60)) == pytest.approx(
        (24 + 2 * 2 * 40) / 288)


def test_first_sightings_are_all_sent_when_heartbeats_suppress_repeats():
    measured = _measured(marginal={"write_units": 1}, first_marginal={"write_units": 100})
    every, beat = (monthly_per_host(measured, Profile(100, 0.01), Design("d", heartbeat_minutes=m))
                   for m in (0, 15))
    firsts = 730 * 12 * 4 / 288  # a file stuck a day: 1 sighting in 288 is its first
    assert beat["DynamoDB requests"] - every["DynamoDB requests"] == pytest.approx(
        (730 * 12 * 4 * (112 / 288) - firsts) * 6.25e-7 - (730 * 12 * 4 - firsts) * 6.25e-7)


def test_sampled_workflow_traces_cost_their_share():
    measured = _measured(fixed={"sfn_executions": 1})
    traced, sampled = (monthly_per_host(measured, Profile(100, 0.01), Design("d", api_trace_share=0.0,
                                                                              workflow_trace_share=s))
                       for s in (1.0, 0.01))
    assert sampled["X-Ray"] == pytest.approx(traced["X-Ray"] * 0.01)


def test_each_design_is_costed_from_the_counts_of_the_store_it_was_built_on():
    old = _measured(marginal={"write_units": 6, "index_write_units": 4})
    new = _measured(marginal={"write_units": 2, "index_write_units": 2})
    designs = [Design("before", measurement="old"), Design("after", measurement="new")]
    text = cost_model.render({"old": old, "new": new}, designs)
    row = next(line for line in text.splitlines() if line.startswith("| DynamoDB requests |"))
    before, after = (float(cell) for cell in row.strip("|").split("|")[1:])
    assert before == pytest.approx(after * 10 / 4)


def test_the_designs_before_the_batch_guards_keep_the_sighting_item_counts():
    assert {d.measurement for d in cost_model.DESIGNS if d in (*cost_model.ALTERNATIVES, cost_model.AFTER,
                                                                  cost_model.AFTER_EXPRESS, cost_model.AFTER_HEARTBEAT)
            } == {cost_model.SIGHTING_ITEMS}
    measured = cost_model.measurements(cost_model.DESIGNS)
    old, new = measured[cost_model.SIGHTING_ITEMS], measured[cost_model.AFTER_INCLUDE.measurement]
    assert old["scenarios"]["repeat"]["per_breach"]["write_units_sighting"] > 0
    assert "write_units_sighting" not in new["scenarios"]["repeat"]["per_breach"]
    guards = measured[cost_model.AFTER_GUARDS.measurement]["scenarios"]["repeat"]["per_breach"]
    assert guards["index_write_units"] > 0 and new["scenarios"]["repeat"]["per_breach"]["index_write_units"] == 0
