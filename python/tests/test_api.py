"""The API around the vectors: the constructor's documents and options, inputs of every
accepted type, errors (`XborderError` with code, path, id and record; never a panic), and
threads."""

from __future__ import annotations

import concurrent.futures
import datetime
import decimal
import json
import pickle
from pathlib import Path

import pytest

import xborder
from conftest import CASES, REPO, SAMPLE_RATES, Case, Oracle, cli_assess

ACCEPTED = next(c for c in CASES if c.name == "EU/eu-ex1-ioss-coat")
REJECTED = next(c for c in CASES if c.name == "EU/eu-error-unknown-hs-code")
RATED = next(c for c in CASES if c.rates and not c.name.startswith("examples/"))


def test_version_is_the_core_version() -> None:
    cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    assert f'version = "{xborder.__version__}"' in cargo


def test_assess_json_takes_bytes(engine: xborder.Engine, oracle: Oracle) -> None:
    assert engine.assess_json(ACCEPTED.text.encode("utf-8")) == oracle.line(ACCEPTED)


def test_assess_json_refuses_a_dict(engine: xborder.Engine) -> None:
    with pytest.raises(xborder.XborderError) as raised:
        engine.assess_json(ACCEPTED.declaration)  # type: ignore[arg-type]
    assert (raised.value.code, raised.value.path) == ("E_INVALID_TYPE", "declaration")


def test_assess_takes_decimals_and_dates(engine: xborder.Engine, oracle: Oracle) -> None:
    declaration = json.loads(ACCEPTED.text)
    declaration["date"] = datetime.date.fromisoformat(declaration["date"])
    for item in declaration["items"]:
        item["value"] = decimal.Decimal(item["value"])
    assert engine.assess(declaration) == json.loads(oracle.line(ACCEPTED))


def test_a_float_amount_is_refused_not_rounded(engine: xborder.Engine) -> None:
    declaration = json.loads(ACCEPTED.text)
    declaration["items"][0]["value"] = 140.0
    with pytest.raises(xborder.XborderError) as raised:
        engine.assess(declaration)
    assert (raised.value.code, raised.value.path) == ("E_INVALID_AMOUNT", "items[0].value")
    assert raised.value.id == ACCEPTED.declaration["id"]


def test_an_object_json_cannot_write_is_an_xborder_error(engine: xborder.Engine) -> None:
    with pytest.raises(xborder.XborderError) as raised:
        engine.assess({"id": object()})
    assert (raised.value.code, raised.value.path) == ("E_INVALID_TYPE", "declaration")
    with pytest.raises(xborder.XborderError):
        engine.assess({"id": "x", "date": datetime.datetime(2026, 1, 1, 12, 0)})


def test_a_rejection_carries_the_cli_error_record(engine: xborder.Engine, oracle: Oracle) -> None:
    with pytest.raises(xborder.XborderError) as raised:
        engine.assess_json(REJECTED.text)
    error = raised.value
    record = json.loads(oracle.line(REJECTED))
    assert error.record == oracle.line(REJECTED)
    assert (error.code, error.path, error.id) == (
        record["error"]["code"],
        record["error"]["path"],
        record["id"],
    )
    assert error.message == record["error"]["message"]
    assert isinstance(error, Exception)
    assert error.code in str(error) and error.path in str(error)


def test_the_error_survives_pickling() -> None:
    error = xborder.XborderError("message", "E_INVALID_AMOUNT", "items[0].value", "id-1", "{}")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.code, copy.path, copy.id, copy.record) == (
        "message",
        "E_INVALID_AMOUNT",
        "items[0].value",
        "id-1",
        "{}",
    )


@pytest.mark.parametrize("text", ["", "{", "[]", "null", "{\"id\": 1}", "\ud800"])
def test_garbage_is_an_error_never_a_crash(engine: xborder.Engine, text: str) -> None:
    with pytest.raises(xborder.XborderError) as raised:
        engine.assess_json(text)
    assert raised.value.code.startswith("E_")


def test_a_panic_becomes_e_internal() -> None:
    hook = getattr(xborder._xborder, "_test_panic", None)
    if hook is None:
        pytest.skip("built without the test-hooks feature")
    with pytest.raises(xborder.XborderError) as raised:
        hook()
    assert raised.value.code == "E_INTERNAL"
    assert "deliberate panic" in raised.value.message


@pytest.mark.parametrize("rates", ["text", "bytes", "path", "dict"])
def test_rates_as_text_bytes_path_or_dict(rates: str, oracle: Oracle) -> None:
    text = SAMPLE_RATES.read_text(encoding="utf-8")
    given = {
        "text": text,
        "bytes": text.encode("utf-8"),
        "path": SAMPLE_RATES,
        "dict": json.loads(text),
    }[rates]
    engine = xborder.Engine(rates=given).with_options({"options": RATED.readings})
    assert engine.assess_json(RATED.text) == oracle.line(RATED)


def test_without_rates_a_foreign_currency_is_refused(engine: xborder.Engine) -> None:
    with pytest.raises(xborder.XborderError) as raised:
        engine.with_options({"options": RATED.readings}).assess_json(RATED.text)
    assert raised.value.code == "E_NO_EXCHANGE_RATE"


def test_a_tariff_replaces_the_regime_tariff(tmp_path: Path) -> None:
    csv = tmp_path / "eu.csv"
    csv.write_text(
        "hs,duty,description,source,checked\n"
        "6201,7.5%,Test line for the coat,python test (not a legal figure),2026-12-04\n",
        encoding="utf-8",
    )
    # Above EUR 150, so that the tariff prices the duty.
    declaration = json.loads(ACCEPTED.text)
    declaration["items"][0]["value"] = "400.00"
    text = json.dumps(declaration)
    line = cli_assess([text], False, {}, False, ["--tariff", f"EU={csv}"])[0]
    assert json.loads(line)["duties"][0]["amount"] == "30.00"
    assert xborder.Engine(tariffs={"EU": csv}).assess_json(text) == line
    assert xborder.Engine(tariffs={"EU": csv.read_text(encoding="utf-8")}).assess_json(text) == line
    # A tariff without the declared line: an error the caller sees, never a silent 0 %.
    csv.write_text("hs,duty,description,source,checked\n6109,12%,T-shirts,test,2026-12-04\n", encoding="utf-8")
    with pytest.raises(xborder.XborderError) as raised:
        xborder.Engine(tariffs={"EU": csv}).assess_json(text)
    assert (raised.value.code, raised.value.path) == ("E_HS_NO_TARIFF_LINE", "items[0].hs_code")


def test_documents_errors_name_the_argument(tmp_path: Path) -> None:
    with pytest.raises(xborder.XborderError) as raised:
        xborder.Engine(rates="{not json")
    assert raised.value.code == "E_INVALID_RATES"
    cases = [
        (dict(rates=tmp_path / "missing.json"), "rates"),
        (dict(tariffs=["EU"]), "tariffs"),
        (dict(tariffs={"EU": "hs,rate\n"}), "tariff[EU]"),
        (dict(packs="{}"), "packs"),
    ]
    for kwargs, path in cases:
        with pytest.raises(xborder.XborderError) as raised:
            xborder.Engine(**kwargs)  # type: ignore[arg-type]
        assert raised.value.path is not None and raised.value.path.startswith(path), (kwargs, raised.value)


def test_bad_options_give_the_cores_code_and_path(engine: xborder.Engine) -> None:
    """The cases every binding runs (tests/options/errors.json): Python reads its options with
    the core's grammar, so each gives the code and path of the Rust core, C and WASM. A bad
    document fails when the engine is made; a bad reading when a declaration is assessed."""
    fixture = json.loads((REPO / "tests" / "options" / "errors.json").read_text(encoding="utf-8"))
    declaration = (REPO / fixture["declaration"]).read_text(encoding="utf-8")
    for case in fixture["cases"]:
        stage = "parse"
        try:
            configured = engine.with_options(case["options"])
            stage = "assess"
            configured.assess_json(declaration)
            got = (None, None, "ok")
        except xborder.XborderError as e:
            got = (e.code, e.path, stage)
        assert got == (case["code"], case["path"], case["stage"]), case["name"]


def test_a_pack_replaces_the_embedded_one(oracle: Oracle) -> None:
    pack = (REPO / "regimes" / "EU" / "pack.json").read_text(encoding="utf-8")
    engine = xborder.Engine(packs=[pack])
    assert engine.assess_json(ACCEPTED.text) == oracle.line(ACCEPTED)
    only_packs = xborder.Engine(packs=[Path(REPO / "regimes" / "GB" / "pack.json")], embedded=False)
    assert [r["id"] for r in only_packs.regimes()] == ["GB"]
    with pytest.raises(xborder.XborderError) as raised:
        only_packs.assess_json(ACCEPTED.text)
    assert raised.value.code == "E_NO_REGIME"


def test_options_round_trip_and_apply(engine: xborder.Engine, oracle: Oracle) -> None:
    options = {"trace": True, "date": "2025-10-15", "regime": "EU", "options": {"flat_duty_scope": "ioss_and_postal"}}
    assert xborder.Engine(options=options).options == options
    assert engine.options == {"trace": False, "date": None, "regime": None, "options": {}}
    traced = engine.with_options({"trace": True})
    assert traced.assess_json(ACCEPTED.text) == oracle.line(ACCEPTED, trace=True)
    assert "trace" in traced.assess(ACCEPTED.declaration)


def test_threads_share_an_engine(engine: xborder.Engine, oracle: Oracle) -> None:
    cases = [c for c in CASES if not c.rates and not c.readings][:60]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        outputs = list(pool.map(lambda c: _output(engine, c), cases * 4))
    assert outputs == [oracle.line(c) for c in cases * 4]


def _output(engine: xborder.Engine, case: Case) -> str:
    try:
        return engine.assess_json(case.text)
    except xborder.XborderError as error:
        assert error.record is not None
        return error.record
