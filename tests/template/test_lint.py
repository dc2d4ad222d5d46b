"""cfn-lint must pass on the template exactly as `make lint` runs it."""

from __future__ import annotations

from cfnlint.api import ManualArgs, lint_file

from local.template import TEMPLATE


def test_cfn_lint_is_clean_in_every_region_we_deploy_to() -> None:
    matches = lint_file(TEMPLATE, config=ManualArgs(regions=["us-east-1", "eu-west-1", "eu-central-1"]))
    assert [str(m) for m in matches] == []
