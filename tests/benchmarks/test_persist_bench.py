"""The persist benchmark's logic: the report it builds, the events it sends each step, the child process runner."""

import json
import subprocess
import sys
from datetime import UTC, datetime

from benchmarks import lambda_process, persist_bench
from benchmarks.common import REPO
from slawatch import ingest

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_the_report_is_as_large_as_allowed_and_valid():
    body, files = persist_bench.build_report(200_000, NOW)
    assert 195_000 < len(body) <= 200_000
    report = ingest.prepare(body, received_at=NOW, caller="fileserver-01")
    assert len(report.breaches) == files == report.files_in_report
    assert len(report.folders) == persist_bench.FOLDERS
    assert all(len(f.folder) > 150 and "Ü" in f.folder for f in report.folders)


def test_each_step_gets_the_payload_the_state_machine_builds():
    ref = {"bucket": "b", "key": "raw/k.json", "versionId": "v"}
    assert persist_bench.step_event(ref, "Validate", {}) == ref
    assert persist_bench.step_event(ref, "Persist", {"Normalise": {"documentKey": "normalised/x.json"}}) == {
        **ref, "documentKey": "normalised/x.json"}
    assert persist_bench.step_event(ref, "RecordFailed", {})["status"] == "failed"


def test_the_steps_are_the_template_s_workflow_functions():
    functions = persist_bench.handlers()
    for _, function in persist_bench.STEPS:
        handler, memory = functions[function]
        assert handler.startswith("workflow.") and memory >= 128


def test_render_compares_each_step_with_the_goal():
    runs = {mode: {state: {"function": f, "memory_mb": 1024, "vmhwm_kib": kib, "after_imports_kib": 60 * 1024,
                           "tracemalloc_peak_bytes": 2**20 if mode == "traced" else None, "seconds": 1.0}
                   for (state, f), kib in zip(persist_bench.STEPS, (100 * 1024, 200 * 1024, 90 * 1024, 600 * 1024),
                                              strict=True)}
            for mode in ("plain", "traced")}
    measured = persist_bench.summarise(runs, 10_000_000, 40_000)
    assert measured["steps"]["Persist"]["peak_rss_mib"] == 600
    text = persist_bench.render(measured)
    assert "| Persist | PersistBreachesFunction | 1,024 | 600 | 60 | 1 | 1.0 | **no** |" in text
    assert "not every step stays under it. The largest is Persist at 600 MiB" in text


def test_a_handler_runs_in_a_process_of_its_own_and_reports_its_peak(tmp_path):
    (tmp_path / "fake_handler.py").write_text(
        "def lambda_handler(event, context):\n"
        "    block = bytearray(50 * 2**20)\n"
        "    return {'echo': event, 'memory': context.memory_limit_in_mb, 'size': len(block)}\n")
    done = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); "  # noqa: S603
                           "from benchmarks.lambda_process import main; sys.exit(main())",
                           "fake_handler.lambda_handler", "--tracemalloc", "--memory-mb", "256"],
                          input=json.dumps({"a": 1}), capture_output=True, text=True, cwd=REPO, check=True)
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["result"] == {"echo": {"a": 1}, "memory": 256, "size": 50 * 2**20}
    assert answer["vmhwm_kib"] >= answer["after_imports_kib"] + 50 * 1024 - 1024
    assert answer["tracemalloc_peak_bytes"] >= 50 * 2**20


def test_high_water_is_read_from_proc():
    assert lambda_process.high_water_kib() > 1024
