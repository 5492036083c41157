"""`xborder.frames`: pandas and Polars DataFrames in and out, through the same Arrow path, with
every row equal to the CLI's line for the same declaration, in input order."""

from __future__ import annotations

import io
import json
from typing import List

import pandas as pd
import polars as pl
import pyarrow as pa

import xborder
from conftest import CASES, Case, Oracle
from xborder.frames import assess_pandas, assess_polars

PLAIN = [c for c in CASES if not c.rates and not c.readings]
ASSESSED = [c for c in PLAIN if not c.rejected]


def expected(cases: List[Case], oracle: Oracle) -> List[str]:
    return [oracle.line(c) for c in cases]


def test_pandas_json_column(oracle: Oracle, engine: xborder.Engine) -> None:
    # A shuffled, non-default index: it is not a field, and the order is the rows' order.
    frame = pd.DataFrame({"declaration": [c.text for c in PLAIN]}, index=list(range(len(PLAIN)))[::-1])
    results = assess_pandas(engine, frame, result_json=True)
    assert isinstance(results, pd.DataFrame)
    assert list(results.columns) == xborder.result_columns(result_json=True)
    assert list(results["result"]) == expected(PLAIN, oracle)
    assert list(results.index) == list(range(len(PLAIN)))


def test_pandas_nested_columns_and_a_named_json_column(oracle: Oracle, engine: xborder.Engine) -> None:
    frame = pd.DataFrame([c.declaration for c in ASSESSED])
    results = assess_pandas(engine, frame, result_json=True)
    assert list(results["result"]) == expected(ASSESSED, oracle)
    named = pd.DataFrame({"doc": [c.text for c in ASSESSED]})
    assert list(assess_pandas(engine, named, json_column="doc")["id"]) == [c.declaration["id"] for c in ASSESSED]


def test_polars_json_column_flattened_and_lazy(oracle: Oracle, engine: xborder.Engine) -> None:
    frame = pl.DataFrame({"declaration": [c.text for c in PLAIN]})
    results = assess_polars(engine, frame, result_json=True)
    assert isinstance(results, pl.DataFrame)
    assert results.columns == xborder.result_columns(result_json=True)
    assert results["result"].to_list() == expected(PLAIN, oracle)
    assert assess_polars(engine, frame.lazy(), result_json=True)["result"].to_list() == expected(PLAIN, oracle)
    # Flattened: the declarations as NDJSON read by Polars (structs and lists of structs).
    ndjson = "".join(json.dumps(c.declaration) + "\n" for c in ASSESSED).encode("utf-8")
    nested = pl.read_ndjson(io.BytesIO(ndjson), infer_schema_length=None)
    assert assess_polars(engine, nested, result_json=True)["result"].to_list() == expected(ASSESSED, oracle)


def test_a_rejected_row_keeps_its_place(engine: xborder.Engine) -> None:
    rows = [ASSESSED[0].text, "{\"id\": \"bad\"}", ASSESSED[1].text]
    for results in [
        assess_pandas(engine, pd.DataFrame({"declaration": rows})),
        assess_polars(engine, pl.DataFrame({"declaration": rows})).to_pandas(),
    ]:
        assert list(results["id"]) == [ASSESSED[0].declaration["id"], "bad", ASSESSED[1].declaration["id"]]
        assert results["error_code"].isna().tolist() == [True, False, True]
    assert isinstance(pa.table(pd.DataFrame({"declaration": rows})), pa.Table)
