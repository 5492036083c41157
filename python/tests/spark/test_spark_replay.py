"""examples/spark_replay.py in Spark local mode (`local[2]`) on 100,000 generated declarations,
against the CLI: as many result rows as declarations, each row's `result` the line
`xborder assess` writes for the same declaration, and the Standard 14 tables (Parquet) the rows
of `xborder stats --format csv` over the CLI's results, with the same suppression.

Run by `scripts/python-test.sh --spark` (part of scripts/test.sh), which installs pyspark
(python/requirements-spark.txt); scripts/setup.sh installs the Java runtime. Self-contained
(no import of ../conftest.py), since pytest reads that file only when collecting from python/tests.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import pyarrow.parquet as pq
import pytest

import xborder

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "python" / "examples" / "spark_replay.py"
N = 100_000
SEED = 19
MIN_CELL = 5


def cli_binary() -> str:
    binary = os.environ.get("XBORDER_CLI") or shutil.which("xborder")
    if not binary:
        pytest.fail("no CLI to compare with: set XBORDER_CLI (scripts/python-test.sh does)")
    return binary


def csv_cell(value: object) -> str:
    """A Parquet stats cell as `xborder stats --format csv` writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def test_spark_replay_equals_the_cli(tmp_path: Path) -> None:
    cli = cli_binary()
    declarations = tmp_path / "declarations.ndjson"
    subprocess.run(
        [cli, "generate", "--n", str(N), "--seed", str(SEED), "--no-progress", "-o", str(declarations)], check=True
    )

    # The oracle. Exit 1: some declarations were rejected; their error lines are results too.
    expected_path = tmp_path / "cli-results.ndjson"
    with expected_path.open("wb") as out:
        run = subprocess.run([cli, "assess", "--no-progress", str(declarations)], stdout=out, stderr=subprocess.PIPE)
    assert run.returncode in (0, 1), run.stderr.decode()
    expected: Dict[str, str] = {}
    for line in expected_path.read_text(encoding="utf-8").splitlines():
        expected[json.loads(line)["id"]] = line
    assert len(expected) == N, "the generator's ids are unique"

    output = tmp_path / "replay"
    start = time.perf_counter()
    replay = subprocess.run(
        [sys.executable, str(SCRIPT), str(declarations), str(output), "--master", "local[2]", "--min-cell", str(MIN_CELL)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    elapsed = time.perf_counter() - start
    load = os.getloadavg()[0]
    assert replay.returncode == 0, replay.stdout + replay.stderr[-8000:]
    assert f"{N} declarations in, {N} result rows out" in replay.stdout, replay.stdout

    # Results: one row per declaration, each the CLI's line for the same id.
    results = pq.read_table(output / "results")
    assert results.num_rows == N
    ids: List[Optional[str]] = results.column("id").to_pylist()
    lines: List[str] = results.column("result").to_pylist()
    codes: List[Optional[str]] = results.column("error_code").to_pylist()
    assert len(set(ids)) == N
    mismatched = [i for i, line in zip(ids, lines) if i is None or expected.get(i) != line]
    assert not mismatched, f"{len(mismatched)} rows differ from the CLI, e.g. {mismatched[:3]}"
    rejected = sum(code is not None for code in codes)
    assert rejected == sum('"error":{' in line for line in expected.values())

    # Statistics: the rows of `xborder stats --format csv` over the CLI's results. Spark keeps
    # no row order in a Parquet dataset, so the rows are compared as sorted lists.
    stats_csv = subprocess.run(
        [cli, "stats", "--period", "month", "--min-cell", str(MIN_CELL), "--format", "csv", "--no-progress", str(expected_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    header, *cli_rows = list(csv.reader(io.StringIO(stats_csv)))
    stats = pq.read_table(output / "stats")
    assert stats.column_names == header
    spark_rows = [[csv_cell(v) for v in row.values()] for row in stats.to_pylist()]
    assert len(spark_rows) == len(cli_rows)
    assert sorted(spark_rows) == sorted(cli_rows)
    assert any(row[-1] == "true" for row in cli_rows), "some cell is suppressed at --min-cell 5"

    print(
        f"\nspark_replay local[2]: {N} declarations ({rejected} rejected) in {elapsed:.1f} s, "
        f"{N / elapsed:,.0f} declarations/s, Spark's start included (load average {load:.1f} on "
        f"{os.cpu_count()} cores; xborder {xborder.__version__})"
    )
