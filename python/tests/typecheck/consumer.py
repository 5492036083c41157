"""A small consumer of the package, checked by `mypy --strict` (python/tests/test_typing.py):
the type stubs describe the API as it is used. Never run: the other tests run these calls."""

from __future__ import annotations

import decimal
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import xborder
from xborder.frames import assess_pandas, assess_polars


def landed_cost(engine: xborder.Engine, declaration: Dict[str, Any]) -> Optional[decimal.Decimal]:
    try:
        result = engine.assess(declaration)
    except xborder.XborderError as error:
        code: str = error.code
        path: Optional[str] = error.path
        record: Optional[str] = error.record
        print(code, path, error.id, record, error.message)
        return None
    return decimal.Decimal(result["landed_cost"])


def engines(rates: Path, tariff_csv: str) -> List[xborder.Engine]:
    return [
        xborder.Engine(),
        xborder.Engine(rates=rates, tariffs={"EU": tariff_csv}),
        xborder.Engine(packs=[Path("pack.json")], embedded=False),
        xborder.Engine(options={"trace": True, "options": {"flat_duty_per": "line"}}),
        xborder.Engine().with_options({"date": "2026-07-01"}),
    ]


def batch(engine: xborder.Engine, table: Any) -> Tuple[List[str], int]:
    results = engine.assess_arrow(table, result_json=True)
    stats = xborder.Stats("quarter")
    stats.add_arrow(results)
    merged = xborder.Stats.from_state(stats.to_state())
    merged.merge(stats)
    rows, rejected, unreadable = merged.counts
    csv: str = merged.report_csv(min_cell=5)
    report: Dict[str, Any] = merged.report()
    print(csv, report, rejected, unreadable, xborder.__version__)
    return xborder.result_columns(), rows


def one_line(engine: xborder.Engine, text: str) -> str:
    options: Dict[str, Any] = engine.options
    regimes: List[Dict[str, Any]] = engine.regimes()
    print(options, regimes)
    return engine.assess_json(text.encode("utf-8"))


def frames(engine: xborder.Engine, pandas_frame: Any, polars_frame: Any) -> Tuple[Any, Any]:
    return (
        assess_pandas(engine, pandas_frame, json_column="doc"),
        assess_polars(engine, polars_frame, result_json=True),
    )
