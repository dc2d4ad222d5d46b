"""moto 5.2.5 parses every condition expression from scratch, several times per write: a cache of the parses.

A TransactWriteItems of the store's 100 actions parses each action's condition twice (once to validate the
request, once to evaluate it): ~1 ms each, a quarter of moto's time per breach (benchmarks/local_stack_bench.py).
The store sends the same few expressions with the same names and, within a report, the same values, so the parse
(a tree of moto's `Op` objects, which evaluating never changes) is kept, keyed by the expression, all its
attribute names and the values it refers to. A key names every value the parse can read: the placeholders found
with moto's own token pattern, and a parse that used any other value (or failed) is not kept, so an error is
always moto's own, raised afresh. tests/unit/test_moto_expressions.py compares cached and uncached answers.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from moto.dynamodb.comparisons import ConditionExpressionParser

_VALUE_TOKEN = re.compile(r":[A-z0-9\-_]+")  # moto's attribute token, `:` form (comparisons.py _lex_one_node)
_SIZE = 2048
_cache: OrderedDict[tuple[Any, ...], tuple[Any, list[str], list[str]]] = OrderedDict()
_lock = threading.Lock()
_ORIGINAL: dict[str, Any] = {}


def _key(parser: ConditionExpressionParser) -> tuple[Any, ...] | None:
    expression = parser.condition_expression
    if not expression:
        return None
    names = parser.expression_attribute_names or {}
    values = parser.expression_attribute_values or {}
    referred = sorted(set(_VALUE_TOKEN.findall(expression)))
    try:
        return (expression, tuple(sorted(names.items())), tuple((v, repr(values.get(v))) for v in referred))
    except TypeError:  # names that do not sort (not strings): moto decides, uncached
        return None


def _parse(self: ConditionExpressionParser) -> Any:
    key = _key(self)
    if key is None:
        return _ORIGINAL["parse"](self)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
    if hit is not None:
        op, names_found, values_found = hit
        self.expr_attr_names_found.extend(names_found)
        self.expr_attr_values_found.extend(values_found)
        return op
    op = _ORIGINAL["parse"](self)  # raises as moto does; nothing is kept then
    if set(self.expr_attr_values_found) <= {v for v, _ in key[2]}:
        with _lock:
            _cache[key] = (op, list(self.expr_attr_names_found), list(self.expr_attr_values_found))
            while len(_cache) > _SIZE:
                _cache.popitem(last=False)
    return op


def apply() -> None:
    """Install the cache (idempotent; the caller serialises calls)."""
    if not _ORIGINAL:
        _ORIGINAL["parse"] = ConditionExpressionParser.parse
        ConditionExpressionParser.parse = _parse  # type: ignore[method-assign]


def remove() -> None:
    """moto's own parser again, and an empty cache (the differential tests compare both)."""
    if _ORIGINAL:
        ConditionExpressionParser.parse = _ORIGINAL.pop("parse")  # type: ignore[method-assign]
    with _lock:
        _cache.clear()
