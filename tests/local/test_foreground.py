"""The foreground stack's stop: a signal handler that takes no lock, a watchdog that bounds any stop, a silence
check that never holds up the main thread (local/foreground.py)."""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap
import threading
import time

from local import foreground
from tests.support.local_process import ROOT


def test_the_stop_request_keeps_the_first_signals_time():
    stop = foreground.StopRequest()
    assert not stop.requested
    stop(15, None)
    first = stop.at
    time.sleep(0.01)
    stop(2, None)
    assert stop.requested and stop.at == first


def test_the_watchdog_exits_a_stuck_stop_and_says_where_every_thread_was():
    script = textwrap.dedent("""
        import threading, time
        from local import foreground
        stop = foreground.StopRequest()
        threading.Thread(target=foreground._watchdog, args=(stop, 0.5), daemon=True).start()
        time.sleep(0.3)
        stop()
        threading.Event().wait()  # a close that never returns
    """)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                          timeout=30, check=False)
    assert done.returncode == 1
    assert "stop took over 0.5 s: exiting anyway; the threads were here:" in done.stderr
    assert done.stderr.count("(most recent call first)") >= 2  # faulthandler's dump: the watchdog and main
    assert 'File "<string>", line 8' in done.stderr  # where the main thread was stuck
    assert time.monotonic() - started < 10


def test_the_watchdog_waits_while_no_stop_was_asked_for():
    stop = foreground.StopRequest()
    watchdog = threading.Thread(target=foreground._watchdog, args=(stop, 0.05), daemon=True)
    watchdog.start()
    watchdog.join(0.5)
    assert watchdog.is_alive()  # it would have exited the test process otherwise


class _Stack:
    def __init__(self, fail_first: bool = False) -> None:
        self.checks = 0
        self.fail_first = fail_first

    def check_silence(self) -> None:
        self.checks += 1
        if self.fail_first and self.checks == 1:
            raise RuntimeError("moto is busy")


def test_a_failed_silence_check_is_reported_and_the_next_one_still_runs(capsys):
    stack, stop = _Stack(fail_first=True), foreground.StopRequest()
    checker = threading.Thread(target=foreground._check_silence_every, args=(stack, stop, 0.2), daemon=True)
    checker.start()
    deadline = time.monotonic() + 10
    while stack.checks < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop()
    checker.join(2)
    assert stack.checks >= 2 and not checker.is_alive()
    assert "silence check failed: RuntimeError: moto is busy" in capsys.readouterr().err


def test_the_silence_check_ends_at_the_stop_without_running_again():
    stack, stop = _Stack(), foreground.StopRequest()
    stop()
    checker = threading.Thread(target=foreground._check_silence_every, args=(stack, stop, 0.2), daemon=True)
    checker.start()
    checker.join(2)
    assert not checker.is_alive() and stack.checks == 0


def _list_tables_with_a_wrong_type() -> str:
    import boto3
    from botocore.config import Config

    client = boto3.Session(aws_access_key_id="local", aws_secret_access_key="local").client(
        "dynamodb", region_name="eu-west-1", endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1}, connect_timeout=0.5))
    try:
        client.list_tables(Limit="many")
    except Exception as exc:  # which error it is is the point
        return type(exc).__name__
    return "no error"


def test_the_foreground_stack_skips_botocore_validation_in_its_own_process_only(tmp_path, monkeypatch):
    monkeypatch.delenv("AWS_CONFIG_FILE", raising=False)
    assert _list_tables_with_a_wrong_type() == "ParamValidationError"
    monkeypatch.setenv("AWS_CONFIG_FILE", "")  # monkeypatch restores the variable after the test
    foreground.skip_parameter_validation(tmp_path)
    path = tmp_path / foreground.AWS_CONFIG_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _list_tables_with_a_wrong_type() == "EndpointConnectionError"  # sent as it was: moto would answer
