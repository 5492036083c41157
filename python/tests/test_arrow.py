"""`Engine.assess_arrow` and `Stats`: Arrow batches in, flat result columns out, one row per
input row in input order, every row equal to the CLI's line for the same declaration; the
flattened-column input gives the same results as JSON text; statistics equal `xborder stats`."""

from __future__ import annotations

import json
import subprocess
from typing import Any, Dict, List

import pyarrow as pa
import pytest

import xborder
from conftest import CASES, Case, Oracle, cli_binary, engine_for

PLAIN = [c for c in CASES if not c.rates and not c.readings]
ASSESSED = [c for c in PLAIN if not c.rejected]


def texts(cases: List[Case]) -> pa.Table:
    return pa.table({"declaration": [c.text for c in cases]})


def flattened(cases: List[Case]) -> pa.Table:
    """The declarations as nested columns, the way an NDJSON reader would produce them
    (`pa.array` takes the union of every row's keys; `Table.from_pylist` only the first's)."""
    return pa.Table.from_batches([pa.RecordBatch.from_struct_array(pa.array([c.declaration for c in cases]))])


def test_schema_is_the_documented_one() -> None:
    assert xborder.result_columns() == [
        "id", "regime", "regime_version", "currency", "date",
        "category_code", "category_name", "category_sample",
        "intrinsic_value", "customs_value", "duty_total", "tax_total", "fee_total",
        "total_payable", "due_at_sale", "due_at_import", "landed_cost",
        "collection_model", "collection_scheme", "collection_collector", "collection_when",
        "release_decision", "error_code", "error_path", "error_message",
    ]  # fmt: skip
    assert xborder.result_columns(result_json=True)[-1] == "result"


def test_every_case_through_a_json_column(oracle: Oracle, engine: xborder.Engine, rated_engine: xborder.Engine) -> None:
    groups: Dict[Any, List[Case]] = {}
    for case in CASES:
        groups.setdefault((case.rates, tuple(sorted(case.readings.items()))), []).append(case)
    for members in groups.values():
        table = engine_for(members[0], engine, rated_engine).assess_arrow(texts(members), result_json=True)
        assert table.column_names == xborder.result_columns(result_json=True)
        assert table.num_rows == len(members)
        for case, row in zip(members, table.to_pylist()):
            assert row["result"] == oracle.line(case), case.name
            check_columns(row, json.loads(oracle.line(case)))


def check_columns(row: Dict[str, Any], document: Dict[str, Any]) -> None:
    """Each flat column holds the result JSON's field (or the error's)."""
    assert row["id"] == document.get("id")
    if "error" in document:
        assert row["error_code"] == document["error"]["code"]
        assert row["error_path"] == document["error"].get("path")
        assert row["error_message"] == document["error"]["message"]
        assert row["regime"] is None and row["total_payable"] is None
        return
    assert row["error_code"] is None and row["error_path"] is None
    for column in ["regime", "regime_version", "currency", "date"]:
        assert row[column] == document[column], column
    for column in [
        "intrinsic_value", "customs_value", "duty_total", "tax_total", "fee_total",
        "total_payable", "due_at_sale", "due_at_import", "landed_cost",
    ]:  # fmt: skip
        assert row[column] == document[column], column
    category = document["category"]
    assert (row["category_code"], row["category_name"], row["category_sample"]) == (
        category["code"], category["name"], category["sample"],
    )  # fmt: skip
    collection = document["collection"]
    assert row["collection_model"] == collection["model"]
    assert row["collection_scheme"] == collection.get("scheme")
    assert row["collection_collector"] == collection["collector"]
    assert row["collection_when"] == collection["when"]
    assert row["release_decision"] == document["release"]["decision"]


def test_flattened_columns_give_the_same_results(oracle: Oracle, engine: xborder.Engine) -> None:
    # Error vectors hold deliberately ill-typed fields (a number for an amount), which have no
    # common Arrow column type with the others.
    cases = [c for c in PLAIN if not c.rejected]
    table = engine.assess_arrow(flattened(cases), result_json=True)
    assert table.column("result").to_pylist() == [oracle.line(c) for c in cases]


def test_order_and_count_survive_batches_and_chunks(oracle: Oracle, engine: xborder.Engine) -> None:
    # More rows than one output batch holds (16,384), in uneven input batches: mostly cheap
    # rejections (`{"id": "row-N"}` lacks every other field), with a real declaration every
    # 100 rows, so that a row out of place shows in its id.
    lines, ids, real = [], [], {}
    for i in range(17_000):
        if i % 100 == 0:
            case = ASSESSED[(i // 100) % len(ASSESSED)]
            lines.append(case.text)
            ids.append(case.declaration["id"])
            real[i] = oracle.line(case)
        else:
            lines.append(json.dumps({"id": f"row-{i}"}))
            ids.append(f"row-{i}")
    table = pa.table({"declaration": lines})
    batches = table.to_batches(max_chunksize=997)
    inputs = {
        "table": (table, 0, len(lines)),
        "reader": (pa.RecordBatchReader.from_batches(table.schema, batches), 0, len(lines)),
        "list": (batches, 0, len(lines)),
        "batch": (batches[3], 3 * 997, 997),
    }
    for name, (data, start, count) in inputs.items():
        result = engine.assess_arrow(data, result_json=True)
        assert result.column("id").to_pylist() == ids[start : start + count], name
        json_lines = result.column("result").to_pylist()
        for i, line in real.items():
            if start <= i < start + count:
                assert json_lines[i - start] == line, (name, i)
        codes = result.column("error_code").to_pylist()
        assert all((codes[i - start] is None) == (i in real) for i in range(start, start + count))


def test_a_named_json_column_and_other_string_types(oracle: Oracle, engine: xborder.Engine) -> None:
    cases = PLAIN[:20]
    lines = [c.text for c in cases]
    for array in [pa.array(lines, pa.large_string()), pa.array(lines, pa.string_view())]:
        table = pa.table({"row": list(range(len(lines))), "doc": array})
        result = engine.assess_arrow(table, json_column="doc", result_json=True)
        assert result.column("result").to_pylist() == [oracle.line(c) for c in cases]


def test_a_null_declaration_is_an_error_row(engine: xborder.Engine) -> None:
    table = pa.table({"declaration": [PLAIN[0].text, None, PLAIN[1].text]})
    result = engine.assess_arrow(table).to_pylist()
    assert [r["error_code"] for r in result] == [None, "E_MISSING_FIELD", None]
    assert [r["id"] for r in result] == [PLAIN[0].declaration["id"], None, PLAIN[1].declaration["id"]]


def test_bad_input_is_an_xborder_error(engine: xborder.Engine) -> None:
    bad = [
        ([1, 2, 3], "data"),
        (pa.table({"declaration": [1, 2]}), "declaration"),
        (pa.table({"x": [1]}), None),  # a flat table whose column no declaration has
    ]
    for data, path in bad:
        if path is None:
            row = engine.assess_arrow(data).to_pylist()[0]
            assert row["error_code"] == "E_UNKNOWN_FIELD"
            continue
        with pytest.raises(xborder.XborderError) as raised:
            engine.assess_arrow(data)
        assert raised.value.path == path
    with pytest.raises(xborder.XborderError) as raised:
        engine.assess_arrow(pa.table({"declaration": ["{}"]}), json_column="missing")
    assert (raised.value.code, raised.value.path) == ("E_MISSING_FIELD", "missing")
    with pytest.raises(xborder.XborderError) as raised:
        engine.assess_arrow(pa.table({"when": pa.array([0], pa.timestamp("s"))}))
    assert (raised.value.code, raised.value.path) == ("E_INVALID_TYPE", "when")


def test_stats_equal_the_cli(oracle: Oracle, engine: xborder.Engine) -> None:
    cases = [c for c in PLAIN] * 3
    results = engine.assess_arrow(texts(cases), result_json=True)
    lines = "".join(line + "\n" for line in results.column("result").to_pylist())
    for period in ["month", "year", "all"]:
        stats = xborder.Stats(period)
        stats.add_arrow(results)
        for min_cell in [1, 5]:
            command = [cli_binary(), "stats", "--period", period, "--min-cell", str(min_cell), "--no-progress"]
            csv = subprocess.run(command + ["--format", "csv"], input=lines, capture_output=True, text=True, check=True)
            assert stats.report_csv(min_cell) == csv.stdout
            report = subprocess.run(command, input=lines, capture_output=True, text=True, check=True)
            assert stats.report(min_cell) == json.loads(report.stdout)
        table = stats.report_arrow().to_pylist()
        csv_rows = stats.report_csv().splitlines()[1:]
        assert len(table) == len(csv_rows)
        assert all(r["suppressed"] == (r["count"] is None) for r in table)
    rejected = sum(c.rejected for c in cases)
    assert stats.counts == (len(cases) - rejected, rejected, 0)


def test_stats_merge_and_state(engine: xborder.Engine) -> None:
    results = engine.assess_arrow(texts(PLAIN), result_json=True)
    whole = xborder.Stats("month")
    whole.add_arrow(results)
    parts = []
    for batch in results.to_batches(max_chunksize=50):
        part = xborder.Stats("month")
        part.add_arrow(batch)
        parts.append(xborder.Stats.from_state(part.to_state()))
    merged = xborder.Stats("month")
    for part in parts:
        merged.merge(part)
    assert merged.report_csv(1) == whole.report_csv(1)
    assert merged.counts == whole.counts
    with pytest.raises(xborder.XborderError):
        merged.merge(xborder.Stats("year"))
    with pytest.raises(xborder.XborderError):
        xborder.Stats.from_state(b"{}")
    with pytest.raises(xborder.XborderError) as raised:
        xborder.Stats("fortnight")
    assert raised.value.path == "period"
    single = xborder.Stats("month")
    for line in results.column("result").to_pylist():
        single.add_json(line)
    assert single.report_csv(1) == whole.report_csv(1)
