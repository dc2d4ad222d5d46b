"""`make demo` is one of the two README commands: it must keep working, end to end."""

from local import demo


def test_demo_runs_the_whole_pipeline(capsys):
    assert demo.main() == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "PAY-0001.csv" in out and "Überweisung-請求書.xml" in out  # found by affected date
    assert "HTTP 400" in out and "HTTP 403" in out  # the edge refused the invalid report and the wrong role
    assert "accepted" in out  # report outcomes listed for auditors
    assert out.count("NOTIFICATION  slawatch OPENED") == 4 and out.count("NOTIFICATION  slawatch RESOLVED") == 4
    assert "4 folder(s) stuck" in captured.err and "nothing stuck" in captured.err  # slawatch status, before/after
    assert out.rstrip().endswith("demo passed")
