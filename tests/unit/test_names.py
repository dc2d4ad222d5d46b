"""Names with unpaired surrogates: a readable form for display and an exact, reversible form for the record."""

import json

import pytest
from hypothesis import given, settings

from slawatch.names import exact, exact_if_needed, has_lone_surrogate, readable, storable
from tests.support.hostile import any_text


@settings(max_examples=200)
@given(name=any_text)
def test_both_forms_are_utf8_and_the_exact_form_gives_the_name_back(name):
    readable(name).encode("utf-8")
    exact(name).encode("utf-8")
    assert json.loads(exact(name)) == name
    assert len(readable(name)) == len(name)


def test_readable_shows_each_lone_surrogate_as_a_replacement_character():
    assert readable("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert exact("a\ud800\\") == '"a\\ud800\\\\"'
    assert readable("plain \U0001f600") == "plain \U0001f600"


@pytest.mark.parametrize(("name", "needed"), [("plain", False), ("\U00010428", False), ("x\udc81", True)])
def test_the_exact_form_is_kept_only_when_the_readable_one_loses_something(name, needed):
    assert has_lone_surrogate(name) is needed
    assert (exact_if_needed(name) is not None) is needed


def test_storable_reaches_nested_strings_and_keys():
    assert storable({"h\udc00": ["x\ud800", {"k": 1}], "n": 5}) == {"h\ufffd": ["x\ufffd", {"k": 1}], "n": 5}
