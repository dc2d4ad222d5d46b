"""``slawatch query`` against a local search API serving pages (and a local Cognito)."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from slawatch_cli.commands.query import run_query
from slawatch_cli.errors import ConfigError, CredentialError, ExitCode, ServiceError, UsageError
from slawatch_cli.main import build_parser, main
from slawatch_cli.operations.search import api_base
from tests.cli.cli_fakes import FakeBackend, Scripted

ENV = {"SLAWATCH_USERNAME": "reader-1", "SLAWATCH_PASSWORD": "pw"}


def breach(n: int, folder: str = "D:\\Inbound\\Payments") -> dict[str, Any]:
    return {
        "breachId": f"b{n}",
        "folder": folder,
        "filename": f"file-{n}.csv",
        "sla": 20,
        "creationDate": "2026-11-28T09:00:00.000Z",
        "breachedAt": "2026-11-28T09:20:00.000Z",
        "affectedDate": "2026-11-28",
        "firstReported": "2026-11-28T09:25:00.000Z",
        "lastReported": "2026-11-28T10:25:00.000Z",
        "reportCount": 3,
        "source": "fs01",
        "lastReportKey": f"raw/2026/11/28/r{n}.json",
    }


@pytest.fixture
def search(backend: FakeBackend) -> FakeBackend:
    backend.users = {"reader-1": "pw"}
    backend.pages = {
        "": Scripted(200, {"items": [breach(1), breach(2)], "nextToken": "page-2"}),
        "page-2": Scripted(200, {"items": [breach(3)], "nextToken": "page-3"}),
        "page-3": Scripted(200, {"items": [], "nextToken": None}),
    }
    return backend


def query(
    backend: FakeBackend, *extra: str, sleeps: list[float] | None = None, err: io.StringIO | None = None
) -> tuple[ExitCode, str, str]:
    argv = [
        "query",
        "--api-url",
        backend.report_url,
        "--client-id",
        "c",
        "--auth-endpoint",
        backend.cognito_url,
        *extra,
    ]
    args = build_parser().parse_args(argv)
    out, err = io.StringIO(), err or io.StringIO()
    code = run_query(args, environ=ENV, sleep=(sleeps if sleeps is not None else []).append, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def searches(backend: FakeBackend) -> list[dict[str, list[str]]]:
    return [r.query for r in backend.requests if r.method == "GET"]


def test_follows_every_page_json(search: FakeBackend) -> None:
    code, out, err = query(search, "--date", "2026-11-28", "--format", "json")
    assert code == ExitCode.OK
    assert [b["breachId"] for b in json.loads(out)] == ["b1", "b2", "b3"]
    assert err.strip() == "3 breaches"
    pages = searches(search)
    assert [q.get("nextToken") for q in pages] == [None, ["page-2"], ["page-3"]]
    assert all(q["date"] == ["2026-11-28"] for q in pages)
    get = next(r for r in search.requests if r.method == "GET")
    assert get.path == "/prod/breaches"  # {base} = api.url without /reports
    assert get.headers["authorization"].startswith("Bearer access-")


def test_table_is_readable(search: FakeBackend) -> None:
    _, out, _ = query(search, "--date", "2026-11-28")
    lines = out.splitlines()
    assert lines[0].split() == [
        "affectedDate",
        "folder",
        "filename",
        "sla",
        "creationDate",
        "breachedAt",
        "reportCount",
        "lastReported",
    ]  # the table shows what a person reads; csv and json carry every field
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 5 and "file-3.csv" in lines[4] and "D:\\Inbound\\Payments" in lines[2]


def test_csv_has_every_field(search: FakeBackend) -> None:
    _, out, _ = query(search, "--date", "2026-11-28", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 and rows[0]["lastReportKey"] == "raw/2026/11/28/r1.json"


def test_date_range_and_folder_parameters(search: FakeBackend) -> None:
    query(search, "--date", "2026-11-01", "--to", "2026-11-30", "--folder", "D:\\In", "--page-size", "50")
    first = searches(search)[0]
    assert first == {"date": ["2026-11-01"], "to": ["2026-11-30"], "folder": ["D:\\In"], "limit": ["50"]}


def test_by_folder_over_a_range(search: FakeBackend) -> None:
    query(search, "--folder", "/srv/in", "--from", "2026-11-01", "--to", "2026-11-07")
    assert searches(search)[0] == {"folder": ["/srv/in"], "from": ["2026-11-01"], "to": ["2026-11-07"]}


def test_reports_by_date(search: FakeBackend) -> None:
    search.pages = {"": Scripted(200, {"items": [{"reportId": "r1", "key": "raw/x"}], "nextToken": None})}
    code, out, _ = query(search, "--kind", "reports", "--date", "2026-11-28", "--format", "json")
    assert code == ExitCode.OK and json.loads(out) == [{"reportId": "r1", "key": "raw/x"}]
    assert next(r for r in search.requests if r.method == "GET").path == "/prod/reports"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--from", "2026-11-01"), "--from needs --folder"),
        ((), "say which breaches"),
        (("--date", "2026-11-02", "--to", "2026-11-01"), "--to is before --date"),
    ],
)
def test_input_errors(search: FakeBackend, argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        query(search, *argv)
    assert caught.value.exit_code == ExitCode.USAGE == 2


def test_401_reauthenticates_once(search: FakeBackend) -> None:
    search.get_script.append(Scripted(401, {"message": "expired"}))
    code, out, _ = query(search, "--date", "2026-11-28", "--format", "json")
    assert code == ExitCode.OK and len(json.loads(out)) == 3
    assert search.auth_flows == ["USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"]


def test_403_is_a_credential_error(search: FakeBackend) -> None:
    search.get_script.append(Scripted(403, {"message": "Forbidden"}))
    with pytest.raises(CredentialError, match="readers group"):
        query(search, "--date", "2026-11-28")


def test_5xx_retried_then_service_error(search: FakeBackend) -> None:
    search.get_script.extend([Scripted(503, {})] * 5)
    sleeps: list[float] = []
    with pytest.raises(ServiceError, match="HTTP 503"):
        query(search, "--date", "2026-11-28", sleeps=sleeps)
    assert len(sleeps) == 4


def test_repeated_next_token_is_caught(search: FakeBackend) -> None:
    search.pages["page-2"] = Scripted(200, {"items": [], "nextToken": "page-2"})
    with pytest.raises(ServiceError, match="same nextToken"):
        query(search, "--date", "2026-11-28")


def test_api_base() -> None:
    assert api_base("https://x/prod/reports") == "https://x/prod"
    assert api_base("https://x/prod/") == "https://x/prod"


def test_through_main_with_environment(
    search: FakeBackend, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in {
        **ENV,
        "SLAWATCH_API_URL": search.report_url,
        "SLAWATCH_CLIENT_ID": "c",
        "SLAWATCH_AUTH_ENDPOINT": search.cognito_url,
    }.items():
        monkeypatch.setenv(key, value)
    assert main(["query", "--date", "2026-11-28", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    monkeypatch.setenv("SLAWATCH_PASSWORD", "wrong")
    assert main(["query", "--date", "2026-11-28"]) == ExitCode.CONFIG
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "NotAuthorizedException" in err


def test_limit_caps_the_results_and_stops_paging(search: FakeBackend) -> None:
    code, out, err = query(search, "--date", "2026-11-28", "--format", "json", "--limit", "2")
    assert code == ExitCode.OK and [b["breachId"] for b in json.loads(out)] == ["b1", "b2"]
    assert len(searches(search)) == 1 and "--limit 2 reached" in err


def test_page_size_is_the_api_limit_and_bounded(search: FakeBackend, capsys: pytest.CaptureFixture[str]) -> None:
    query(search, "--date", "2026-11-28", "--page-size", "500")
    assert searches(search)[0]["limit"] == ["500"]
    assert main(["query", "--date", "2026-11-28", "--page-size", "501"]) == ExitCode.USAGE
    assert "at most 500" in capsys.readouterr().err


def test_a_long_range_is_split_into_windows_the_api_allows(search: FakeBackend) -> None:
    search.pages = {"": Scripted(200, {"items": [breach(1)], "nextToken": None})}
    code, out, _ = query(search, "--date", "2026-01-01", "--to", "2026-03-15", "--format", "json")
    assert code == ExitCode.OK and len(json.loads(out)) == 3
    assert [(q["date"][0], q["to"][0]) for q in searches(search)] == [
        ("2026-01-01", "2026-01-31"),
        ("2026-02-01", "2026-03-03"),
        ("2026-03-04", "2026-03-15"),
    ]


def test_by_folder_windows_are_a_year(search: FakeBackend) -> None:
    search.pages = {"": Scripted(200, {"items": [], "nextToken": None})}
    query(search, "--folder", "/srv/in", "--from", "2025-01-01", "--to", "2026-12-31")
    assert [(q["from"][0], q["to"][0]) for q in searches(search)] == [
        ("2025-01-01", "2026-01-01"),
        ("2026-01-02", "2026-12-31"),
    ]


def test_the_apis_problems_are_printed_verbatim(search: FakeBackend) -> None:
    problem = {"path": "query.to", "message": "at most 31 days may be searched at once"}
    search.get_script.append(Scripted(400, {"message": "invalid query parameters", "problems": [problem]}))
    with pytest.raises(ConfigError) as caught:
        query(search, "--date", "2026-11-28")
    assert "invalid query parameters: query.to: at most 31 days may be searched at once" in str(caught.value)


def test_today_and_yesterday_are_utc_days(search: FakeBackend) -> None:
    today = datetime.now(UTC).date()
    query(search, "--date", "yesterday", "--to", "today")
    assert searches(search)[0]["date"] == [(today - timedelta(days=1)).isoformat()]
    assert searches(search)[0]["to"] == [today.isoformat()]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(search: FakeBackend) -> None:
    _, _, piped = query(search, "--date", "2026-11-28")
    assert "so far" not in piped
    _, _, shown = query(search, "--date", "2026-11-28", err=_Terminal())
    assert "query: 3 breaches so far" in shown


def test_contradictory_arguments_exit_2_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--date", "2026-11-28", "--from", "2026-11-01", "--api-url", "http://127.0.0.1:9"]) == 2
    assert "use either --date" in capsys.readouterr().err


@pytest.mark.parametrize(("kind", "item", "one", "many"), [
    ("breaches", breach(1), "1 breach", "2 breaches"),
    ("reports", {"reportId": "r1", "key": "raw/x"}, "1 report", "2 reports"),
])
def test_closing_count_names_one_item_in_the_singular(
    search: FakeBackend, kind: str, item: dict[str, Any], one: str, many: str
) -> None:
    search.pages = {"": Scripted(200, {"items": [item], "nextToken": None})}
    _, _, err = query(search, "--kind", kind, "--date", "2026-11-28")
    assert err.strip().splitlines()[-1] == one
    search.pages = {"": Scripted(200, {"items": [item, item], "nextToken": None})}
    _, _, err = query(search, "--kind", kind, "--date", "2026-11-28")
    assert err.strip().splitlines()[-1] == many
