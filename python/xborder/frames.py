"""pandas and Polars on top of `Engine.assess_arrow`: a DataFrame of declarations in, a
DataFrame of result columns out, one row per input row in input order.

The frame holds either a string column of JSON declarations (``declaration``, or the column
named by ``json_column``) or the declaration's fields as columns (nested dicts/lists in pandas,
structs/lists in Polars), exactly as ``assess_arrow`` reads them. The conversion goes through
Arrow (pyarrow must be installed), so no Python object is made per row on the Rust side;
amounts stay decimal strings.

>>> from xborder.frames import assess_pandas
>>> results = assess_pandas(engine, frame)          # pandas.DataFrame
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from ._xborder import Engine


def assess_pandas(
    engine: "Engine",
    frame: Any,
    *,
    json_column: Optional[str] = None,
    result_json: bool = False,
) -> Any:
    """Assesses the declarations of a ``pandas.DataFrame``; returns a ``pandas.DataFrame`` of
    the result columns (see ``xborder.result_columns()``). The index is not a field: it is
    dropped on the way in, and the result has a fresh ``RangeIndex`` in the input's order."""
    import pyarrow

    table = pyarrow.Table.from_pandas(frame, preserve_index=False)
    results = engine.assess_arrow(table, json_column=json_column, result_json=result_json)
    return results.to_pandas()


def assess_polars(
    engine: "Engine",
    frame: Any,
    *,
    json_column: Optional[str] = None,
    result_json: bool = False,
) -> Any:
    """Assesses the declarations of a ``polars.DataFrame`` (a ``LazyFrame`` is collected);
    returns a ``polars.DataFrame`` of the result columns."""
    import polars

    if isinstance(frame, polars.LazyFrame):
        frame = frame.collect()
    results = engine.assess_arrow(frame.to_arrow(), json_column=json_column, result_json=result_json)
    return polars.from_arrow(results)
