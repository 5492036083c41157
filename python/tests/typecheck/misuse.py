"""Calls the type stubs must refuse: python/tests/test_typing.py expects exactly one mypy
error, of the marked code, on each marked line."""

from __future__ import annotations

import xborder

engine = xborder.Engine()
engine.assess_json(12)  # error: arg-type
engine.assess("{}")  # error: arg-type
engine.assess_arrow([], json_col="x")  # error: call-arg
code: int = xborder.XborderError("message", "E_INTERNAL").code  # error: assignment
xborder.XborderError("message")  # error: call-arg
