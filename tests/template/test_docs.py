"""The deployment docs say what the template does: every parameter with its default, a working samconfig example,
and the exact reports URL the scanners need."""

import re
import tomllib

from local.template import ROOT, load_template

GUIDE_CONFIG = "config/slawatch.example.json"
DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def _parameter_rows() -> dict[str, str]:
    """``{name: default cell}`` from the Parameters table of docs/deploy.md."""
    section = DEPLOY.split("## Parameters", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]*) \|", section, flags=re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_every_template_parameter_is_in_the_table_with_its_default() -> None:
    parameters = load_template()["Parameters"]
    rows = _parameter_rows()
    assert set(rows) == set(parameters)
    for name, spec in parameters.items():
        default = str(spec["Default"])
        assert rows[name] == (f"`{default}`" if default else "empty"), name


def test_samconfig_example_parses_and_overrides_only_real_parameters() -> None:
    config = tomllib.loads((ROOT / "samconfig.example.toml").read_text(encoding="utf-8"))
    deploy = config["default"]["deploy"]["parameters"]
    assert "CAPABILITY_IAM" in deploy["capabilities"].split()
    names = {pair.split("=", 1)[0] for pair in deploy["parameter_overrides"].split()}
    assert names and names <= set(load_template()["Parameters"])


def test_the_guides_use_the_reports_url_output_and_the_real_stage() -> None:
    stage = load_template()["Parameters"]["StageName"]["Default"]
    for guide in ("docs/scanner-linux.md", "docs/deploy.md", "powershell/README.md", "README.md", GUIDE_CONFIG):
        text = (ROOT / guide).read_text(encoding="utf-8")
        assert "/prod/" not in text, guide
        urls = re.findall(r"https://[\w.-]+\.execute-api\.[\w.-]+/(\w+)/reports", text)
        assert all(found == stage for found in urls), (guide, urls)
    assert "ReportsUrl" in (ROOT / "docs" / "scanner-linux.md").read_text(encoding="utf-8")
