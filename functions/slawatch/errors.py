"""One exception hierarchy for the domain: user errors become 4xx, everything else is internal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a report, located by a JSON path such as `$.sla_error[0].sla`."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class SlaWatchError(Exception):
    """Base class for errors raised by the domain package."""


class ReportRejected(SlaWatchError):
    """The caller sent something we cannot accept; nothing has been written."""

    status_code = 400

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"report rejected with {len(problems)} problem(s)")


class ReportTooLarge(ReportRejected):
    """The body is over the size limit that API Gateway also enforces."""

    status_code = 413


class StoreUnavailable(SlaWatchError):
    """DynamoDB kept throttling or failing after every retry; the caller may retry the whole report."""
