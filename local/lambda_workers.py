"""The workflow's Lambda handlers in worker processes, so the local stack uses more than one core.

Everything else in the stack is one Python process: moto (its server, DynamoDB, S3, Step Functions), the gateway
and the snapshots, which read moto's state in place. In that process the handlers would share one core with the
moto calls they make, and a big report's parsing, validation, normalisation and request serialisation would wait
for moto and moto for them. Here each handler runs in a worker process instead, as a Lambda execution environment
runs it: its own interpreter with the stack's environment (so every boto3 client goes to the moto server over
HTTP), the handler imported from its handler string, one event at a time.

A call sends (handler string, event, context) over a pipe and gets back the result, or the error's class name,
message and trace, raised here as `WorkerError` under the same class name: local.lambda_router reports it as an
unhandled Lambda error by that name, so the state machine's Retry and Catch behave as with an in-process handler.
A worker that dies (killed, out of memory) fails the call in progress with `WorkerGone` and is replaced; close()
kills every worker at once, so a stop never waits for a long task (the execution is started again at the next
start, local/persistence.py).
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from .lambda_router import Handler, resolve_handler

_WAIT_SECONDS = 0.2  # how often a caller waiting for a free worker looks whether the pool was closed


class WorkerError(Exception):
    """An exception raised by a handler in a worker; `type(error).__name__` is the handler's exception class."""

    def __init__(self, message: str, stack_trace: list[str]) -> None:
        super().__init__(message)
        self.stack_trace = stack_trace


class WorkerGone(RuntimeError):
    """The worker running the call exited before answering, or the pool is closed."""


_error_classes: dict[str, type[WorkerError]] = {}


def _error_class(name: str) -> type[WorkerError]:
    """A WorkerError subclass named like the handler's exception (`StoreUnavailable`), made once per name."""
    if name not in _error_classes:
        _error_classes[name] = type(name, (WorkerError,), {"__module__": __name__})
    return _error_classes[name]


def _serve(descriptor: int, preload: list[str]) -> None:
    """A worker's loop: one call at a time until the stack closes its end of the socket."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the stack stops us
    connection = Connection(descriptor)
    handlers = {name: resolve_handler(name) for name in preload}  # imported before the first event, as Lambda's init
    while True:
        try:
            name, event, context = connection.recv()
        except (EOFError, OSError):
            return
        try:
            handler = handlers.get(name) or handlers.setdefault(name, resolve_handler(name))
            answer: tuple[Any, ...] = ("result", handler(event, context))
        except Exception as exc:  # reported to the caller, as the Lambda runtime reports an unhandled error
            answer = ("error", type(exc).__name__, str(exc), traceback.format_exception(exc)[-5:])
        connection.send(answer)


class _Worker:
    """One worker process, started as `python -m <this module>` (not multiprocessing's spawn, which runs the
    caller's main script again), talking over a socket pair."""

    def __init__(self, environment: dict[str, str], preload: list[str]) -> None:
        ours, theirs = socket.socketpair()
        path = os.pathsep.join(p for p in sys.path if p)  # what this process imports from, as spawn would pass it
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter, this module, our handler strings
            [sys.executable, "-m", __name__, str(theirs.fileno()), *preload],
            env={**environment, "PYTHONPATH": path}, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        self.connection = Connection(ours.detach())

    def call(self, name: str, event: Any, context: Any) -> tuple[Any, ...]:
        try:
            self.connection.send((name, event, context))
            return self.connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerGone(f"the worker process running {name} exited ({self.process.poll()})") from exc

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=2)
        self.connection.close()


class WorkerPool:
    """`size` worker processes with `environment` (default: this process's), serving handler strings."""

    def __init__(self, size: int, environment: Mapping[str, str] | None = None, preload: list[str] | None = None,
                 ) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self._environment = dict(os.environ if environment is None else environment)
        self._preload = list(preload or [])
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._workers = [_Worker(self._environment, self._preload) for _ in range(size)]
        for worker in self._workers:
            self._idle.put(worker)
        self._lock = threading.Lock()
        self._closed = False

    def handler(self, name: str) -> Handler:
        """A callable for local.lambda_router.route_lambdas that runs handler string `name` in a worker."""

        def remote(event: Any, context: Any) -> Any:
            return self.call(name, event, context)

        remote.__name__ = remote.__qualname__ = name
        return remote

    def call(self, name: str, event: Any, context: Any) -> Any:
        """Run `name(event, context)` in the next free worker: its result, or its exception as a WorkerError."""
        worker = self._take()
        try:
            answer = worker.call(name, event, context)
        except WorkerGone:
            self._replace(worker)
            raise
        self._idle.put(worker)
        if answer[0] == "error":
            _, error_type, message, stack_trace = answer
            raise _error_class(error_type)(message, stack_trace)
        return answer[1]

    def _take(self) -> _Worker:
        while not self._closed:
            try:
                return self._idle.get(timeout=_WAIT_SECONDS)
            except queue.Empty:
                continue
        raise WorkerGone("the local stack is stopping: no worker takes new calls")

    def _replace(self, dead: _Worker) -> None:
        with self._lock:
            dead.kill()
            if self._closed:
                return
            fresh = _Worker(self._environment, self._preload)
            self._workers[self._workers.index(dead)] = fresh
        self._idle.put(fresh)

    def close(self) -> None:
        """Kill every worker now: calls in progress fail with WorkerGone, later ones too. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._workers)
        for worker in workers:
            worker.kill()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [worker.process.pid for worker in self._workers]


if __name__ == "__main__":
    _serve(int(sys.argv[1]), sys.argv[2:])
