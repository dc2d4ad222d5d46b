"""`make demo` is one of the two README commands: it must keep working."""

from local import demo


def test_demo_runs_end_to_end_and_finds_the_sample_breaches(capsys):
    assert demo.main() == 0
    out = capsys.readouterr().out
    assert "Breaches by affected date" in out and "PAY-20261128-0001.csv" in out
    assert "-> 400" in out  # the invalid report is refused
