"""Replays a dataset of declarations on Apache Spark with xborder, and publishes Standard 14
statistics with the disclosure control of `xborder stats`.

    spark-submit python/examples/spark_replay.py INPUT OUTPUT [--format ndjson|parquet]
        [--rates FILE] [--period month] [--min-cell 5] [--master local[2]]

INPUT is NDJSON (one declaration per line, as `xborder assess` reads it) or Parquet (a
`declaration` column of JSON text, or the declaration's fields as columns). OUTPUT receives

* `results/`: Parquet, one row per declaration: the columns of `Engine.assess_arrow` with the
  `result` column, the exact line `xborder assess` writes for it;
* `stats/`: Parquet, the Standard 14 tables (`xborder stats --format csv` as columns).

Each executor assesses its partitions with `DataFrame.mapInArrow`: Arrow batches go straight to
the Rust core, with no Python object per row. Statistics are summed per partition
(`Stats.to_state`), merged on the driver, and suppressed once, so the published cells are the
ones `xborder stats` gives for the whole dataset. The same script runs on a cluster: install
the xborder wheel (and pyarrow) on every executor; nothing else changes (docs/python.md).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Iterator, List, Optional

import xborder

_ENGINE: Optional[xborder.Engine] = None


def engine(rates: Optional[str]) -> xborder.Engine:
    """One engine per executor process (loading the regimes once, not once per batch)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = xborder.Engine(rates=Path(rates) if rates else None)
    return _ENGINE


def result_schema() -> str:
    """The Spark schema of `assess_arrow(…, result_json=True)`."""
    types = {"category_code": "tinyint", "category_sample": "boolean"}
    return ", ".join(f"`{name}` {types.get(name, 'string')}" for name in xborder.result_columns(True))


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--format", choices=["ndjson", "parquet"], default=None)
    parser.add_argument("--rates", help="an exchange-rate table (as `xborder assess --rates`)")
    parser.add_argument("--period", default="month", help="day, month, quarter, year or all")
    parser.add_argument("--min-cell", type=int, default=5, help="as `xborder stats --min-cell`")
    parser.add_argument("--master", default=None, help="e.g. local[2]; default: spark-submit's")
    parser.add_argument("--partitions", type=int, default=None, help="repartition the input")
    return parser.parse_args(argv)


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("xborder-spark-replay")
    if args.master:
        builder = builder.master(args.master)
        # Local workers run this interpreter (with its xborder), not whatever python3 is first
        # on PATH; on a cluster, spark-submit's PYSPARK_PYTHON decides.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    rates, period = args.rates, args.period
    fmt = args.format or ("parquet" if args.input.endswith(".parquet") else "ndjson")

    if fmt == "ndjson":
        # Each line verbatim, so that the core reads exactly what the CLI would.
        declarations = spark.read.text(args.input).withColumnRenamed("value", "declaration")
    else:
        declarations = spark.read.parquet(args.input)
    if args.partitions:
        declarations = declarations.repartition(args.partitions)
    json_column = "declaration" if "declaration" in declarations.columns else None

    def assess(batches: Iterator[Any]) -> Iterator[Any]:
        e = engine(rates)
        for batch in batches:
            if batch.num_rows:
                yield from e.assess_arrow(batch, json_column=json_column, result_json=True).to_batches()

    results = declarations.mapInArrow(assess, result_schema())
    results.write.mode("overwrite").parquet(f"{args.output}/results")

    def partial_stats(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        stats = xborder.Stats(period)
        for batch in batches:
            stats.add_arrow(batch)
        yield pa.RecordBatch.from_pydict({"state": [stats.to_state()]})

    written = spark.read.parquet(f"{args.output}/results")
    states = written.select("result").mapInArrow(partial_stats, "state binary").collect()
    stats = xborder.Stats(period)
    for row in states:
        stats.merge(xborder.Stats.from_state(bytes(row["state"])))
    report = stats.report_arrow(args.min_cell)
    spark.createDataFrame(report).coalesce(1).write.mode("overwrite").parquet(f"{args.output}/stats")

    rows_in, rows_out = declarations.count(), written.count()
    assessed, rejected, unreadable = stats.counts
    print(
        f"spark_replay: {rows_in} declarations in, {rows_out} result rows out "
        f"({assessed} assessed, {rejected} rejected, {unreadable} unreadable)"
    )
    spark.stop()
    return 0 if rows_in == rows_out == assessed + rejected and unreadable == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
