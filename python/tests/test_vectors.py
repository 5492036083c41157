"""Every conformance vector and sample declaration through the installed package: the JSON of
`assess_json` is byte for byte the CLI's (plain and traced), every `expect` path holds,
`assess` gives the same document as a dict, and a rejected declaration raises `XborderError`
whose code, path, id and record are the CLI's error line."""

from __future__ import annotations

import json

import pytest

import xborder
from conftest import CASES, Case, Oracle, engine_for, resolve


def outcome(engine: xborder.Engine, text: str) -> "tuple[str, xborder.XborderError | None]":
    try:
        return engine.assess_json(text), None
    except xborder.XborderError as error:
        assert error.record is not None
        return error.record, error


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_vector(case: Case, oracle: Oracle, engine: xborder.Engine, rated_engine: xborder.Engine) -> None:
    plain_engine = engine_for(case, engine, rated_engine)
    output, error = outcome(plain_engine, case.text)
    assert output == oracle.line(case), "assess_json is byte-identical to the CLI"

    traced, _ = outcome(engine_for(case, engine, rated_engine, trace=True), case.text)
    assert traced == oracle.line(case, trace=True), "with the trace: byte-identical to the CLI"

    document = json.loads(output)
    for path, expected in case.expect.items():
        found, value = resolve(document, path)
        assert found, f"{path} is present"
        assert value == expected and type(value) is type(expected), path
    assert (error is not None) == case.rejected

    if error is not None:
        assert error.code == document["error"]["code"]
        assert error.path == document["error"].get("path")
        assert error.id == document.get("id")
        with pytest.raises(xborder.XborderError) as raised:
            plain_engine.assess(case.declaration)
        assert (raised.value.code, raised.value.path) == (error.code, error.path)
    else:
        assert plain_engine.assess(case.declaration) == document, "assess gives the CLI's document as a dict"


def test_every_embedded_regime_has_vectors(engine: xborder.Engine) -> None:
    """The harness found the vectors: every embedded regime has some (none silently skipped)."""
    covered = {c.name.split("/")[0] for c in CASES}
    regimes = {r["id"] for r in engine.regimes()}
    assert regimes <= covered, regimes - covered
