"""One Lambda invocation in a process of its own, as Lambda runs each function: `python -m benchmarks.lambda_process
HANDLER [--tracemalloc]` reads the event (JSON) on stdin and prints one JSON line: the handler's answer, the peak
resident set of the process (VmHWM), the peak after the imports, the tracemalloc peak of the handler call alone
(with --tracemalloc; tracing slows the call and adds its own memory, so peaks are measured in separate runs) and
the call's wall time. The environment (endpoint, table, buckets) is the caller's.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any


def high_water_kib() -> int:
    """The kernel's peak resident set of this process (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def load(handler: str) -> Any:
    from local.bundle import add_handler_path

    add_handler_path()
    module, function = handler.rsplit(".", 1)
    return getattr(importlib.import_module(module), function)


def invoke(handler: str, event: Any, *, trace: bool, memory_mb: int = 1024) -> dict[str, Any]:
    from local.lambda_router import LocalLambdaContext

    function = load(handler)
    context = LocalLambdaContext(handler, f"local:{handler}", memory_limit_in_mb=memory_mb)
    after_imports = high_water_kib()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = function(event, context)
    seconds = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    return {"result": result, "vmhwm_kib": high_water_kib(), "after_imports_kib": after_imports,
            "tracemalloc_peak_bytes": traced, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lambda_process", description=__doc__.split("\n")[0])
    parser.add_argument("handler", help="module.function, e.g. workflow.persist.lambda_handler")
    parser.add_argument("--tracemalloc", action="store_true", help="trace the handler call's Python allocations")
    parser.add_argument("--memory-mb", type=int, default=1024, help="the context's memory_limit_in_mb")
    args = parser.parse_args(argv)
    event = json.loads(sys.stdin.read())
    print(json.dumps(invoke(args.handler, event, trace=args.tracemalloc, memory_mb=args.memory_mb)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
