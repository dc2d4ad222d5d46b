"""local/lambda_workers.py: handlers run in worker processes and answer as if they had run in the stack's."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from local import stack as local_stack
from local.lambda_router import LocalLambdaContext
from local.lambda_workers import WorkerError, WorkerGone, WorkerPool

HANDLERS = "tests.support.worker_handlers"


@pytest.fixture
def pool():
    running = WorkerPool(1, environment={**os.environ, "WORKER_TEST_SETTING": "from the stack"},
                         preload=[f"{HANDLERS}.echo"])
    try:
        yield running
    finally:
        running.close()


def _context(name: str = "PersistBreachesFunction") -> LocalLambdaContext:
    return LocalLambdaContext(name, f"arn:aws:lambda:eu-west-1:123456789012:function:{name}", timeout_seconds=30)


def test_a_handler_runs_in_another_process_with_the_given_environment_and_context(pool):
    answer = pool.handler(f"{HANDLERS}.echo")({"bucket": "raw", "key": "raw/a.json"}, _context())
    assert answer["event"] == {"bucket": "raw", "key": "raw/a.json"}
    assert answer["function"] == "PersistBreachesFunction"
    assert 0 < answer["remaining"] <= 30_000  # the deadline travels with the context
    assert answer["pid"] != os.getpid() and answer["pid"] in pool.pids
    assert answer["setting"] == "from the stack"


def test_a_handlers_exception_comes_back_under_its_own_class_name_with_its_trace(pool):
    with pytest.raises(WorkerError) as raised:
        pool.call(f"{HANDLERS}.unavailable", {"report": "r-1"}, _context())
    assert type(raised.value).__name__ == "StoreUnavailable"  # what the state machine's Retry matches
    assert str(raised.value) == "no table for r-1"
    assert any("worker_handlers.py" in line for line in raised.value.stack_trace)
    assert pool.call(f"{HANDLERS}.echo", {}, _context())["event"] == {}  # the worker still serves


def test_an_unknown_handler_is_an_error_not_a_dead_worker(pool):
    with pytest.raises(WorkerError) as raised:
        pool.call(f"{HANDLERS}.missing", {}, _context())
    assert type(raised.value).__name__ == "AttributeError"
    assert pool.call(f"{HANDLERS}.echo", {}, _context())["event"] == {}


def test_a_worker_that_dies_fails_its_call_and_is_replaced(pool):
    before = pool.pids
    with pytest.raises(WorkerGone, match="exited"):
        pool.call(f"{HANDLERS}.die", {}, _context())
    answer = pool.call(f"{HANDLERS}.echo", {}, _context())
    assert answer["pid"] not in before and pool.pids == [answer["pid"]]


def test_close_ends_a_call_in_progress_at_once_and_refuses_later_ones(pool):
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            pool.call(f"{HANDLERS}.hang", {}, _context())
        except BaseException as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(1.0)  # the worker is inside the handler
    started = time.monotonic()
    pool.close()
    caller.join(timeout=5)
    assert not caller.is_alive() and time.monotonic() - started < 3
    assert isinstance(outcome[0], WorkerGone)
    with pytest.raises(WorkerGone, match="stopping"):
        pool.call(f"{HANDLERS}.echo", {}, _context())
    pool.close()  # again: nothing left to do


def test_calls_wait_for_a_free_worker(pool):
    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(pool.call(f"{HANDLERS}.echo", {}, _context())["pid"]))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == 4 and set(answers) == set(pool.pids)  # one worker took them one after another


def test_a_pool_needs_a_worker():
    with pytest.raises(ValueError, match="at least one"):
        WorkerPool(0)


def _workers_of(pid: int) -> list[int]:
    """Child processes of `pid` running this module (the stack's workflow workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = stat.read_text().rsplit(")", 1)[1].split()[1]
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if parent == str(pid) and b"lambda_workers" in command:
            found.append(int(stat.parent.name))
    return found


def test_a_stack_runs_its_workflow_in_two_workers_and_close_ends_them(tmp_path):
    running = local_stack.start(state_dir=tmp_path, echo=False)
    try:
        workers = _workers_of(os.getpid())
        assert len(workers) == local_stack.WORKERS == 2
    finally:
        running.close()
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def test_a_stack_with_no_workers_runs_its_workflow_in_process(tmp_path):
    running = local_stack.start(state_dir=tmp_path, echo=False, workers=0)
    try:
        assert _workers_of(os.getpid()) == []
    finally:
        running.close()
