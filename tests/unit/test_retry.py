import pytest

from slawatch.retry import backoff_delay, retry_call


class Flaky(Exception):
    pass


def test_backoff_is_full_jitter_under_an_exponential_cap():
    assert backoff_delay(0, 1.0, 30.0, rng=lambda: 1.0) == 1.0
    assert backoff_delay(3, 1.0, 30.0, rng=lambda: 1.0) == 8.0
    assert backoff_delay(10, 1.0, 30.0, rng=lambda: 1.0) == 30.0
    assert backoff_delay(10, 1.0, 30.0, rng=lambda: 0.0) == 0.0


def test_retries_until_success():
    outcomes = iter([Flaky(), Flaky(), "ok"])
    sleeps = []

    def attempt():
        value = next(outcomes)
        if isinstance(value, Exception):
            raise value
        return value

    assert retry_call(attempt, should_retry=lambda e: isinstance(e, Flaky), sleep=sleeps.append) == "ok"
    assert len(sleeps) == 2


def test_gives_up_after_the_last_attempt_and_reraises():
    calls = []

    def attempt():
        calls.append(1)
        raise Flaky()

    with pytest.raises(Flaky):
        retry_call(attempt, should_retry=lambda e: True, attempts=3, sleep=lambda _: None)
    assert len(calls) == 3


def test_non_retryable_errors_are_raised_at_once():
    calls = []

    def attempt():
        calls.append(1)
        raise ValueError("bad request")

    with pytest.raises(ValueError, match="bad request"):
        retry_call(attempt, should_retry=lambda e: isinstance(e, Flaky), sleep=lambda _: None)
    assert calls == [1]


def test_server_hint_replaces_jitter_but_is_capped():
    sleeps = []
    outcomes = iter([Flaky(), Flaky(), "ok"])

    def attempt():
        value = next(outcomes)
        if isinstance(value, Exception):
            raise value
        return value

    retry_call(attempt, should_retry=lambda e: True, sleep=sleeps.append, max_delay=10, delay_hint=lambda e: 120)
    assert sleeps == [10, 10]
