"""Type stubs for the extension module `xborder._xborder` (python/src/).

Checked by `mypy --strict` over python/tests/typecheck/consumer.py and misuse.py
(python/tests/test_typing.py, run by scripts/python-test.sh).
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

__version__: str

#: A ``pyarrow.Table`` (pyarrow ships no type information, so it is ``Any`` to a checker).
Table = Any

#: A document handed in: its text (``str`` or UTF-8 ``bytes``; a ``str`` is never a file
#: name), a file (``pathlib.Path`` or any ``os.PathLike``), or a ``dict``/``list`` that
#: ``json.dumps`` writes.
Document = Union[str, bytes, "os.PathLike[str]", Mapping[str, Any], Sequence[Any]]

#: Assessment options: ``{"trace": bool, "date": "YYYY-MM-DD", "regime": "EU",
#: "options": {"name": "value"}}``, or its JSON text.
Options = Union[Mapping[str, Any], str, bytes]

#: Arrow data: anything with ``__arrow_c_stream__`` or ``__arrow_c_array__`` (a pyarrow
#: ``Table``, ``RecordBatch`` or ``RecordBatchReader``, a Polars ``DataFrame``, …), or a list
#: of such objects.
ArrowData = Any

class Engine:
    """Regimes, tariffs, exchange rates and assessment options, loaded once; immutable and
    shareable between threads."""

    def __init__(
        self,
        rates: Optional[Document] = None,
        tariffs: Optional[Mapping[str, Document]] = None,
        packs: Optional[Sequence[Document]] = None,
        options: Optional[Options] = None,
        *,
        risk_profiles: Optional[Sequence[Document]] = None,
        embedded: bool = True,
    ) -> None: ...
    def with_options(self, options: Optional[Options]) -> Engine:
        """The same regimes, tariffs and rates with other options."""
    @property
    def options(self) -> Dict[str, Any]:
        """The assessment options, as the dict the constructor takes."""
    def assess(self, declaration: Mapping[str, Any]) -> Dict[str, Any]:
        """One declaration (a dict) in, its result (a dict, amounts as decimal strings) out."""
    def assess_json(self, text: Union[str, bytes]) -> str:
        """One declaration's JSON in, the result JSON ``xborder assess`` writes out."""
    def assess_arrow(
        self,
        data: ArrowData,
        *,
        json_column: Optional[str] = None,
        result_json: bool = False,
    ) -> Table:
        """Arrow declarations in (a JSON column, or flattened columns), result columns out."""
    def regimes(self) -> List[Dict[str, Any]]:
        """The loaded regimes, as ``xborder regimes --json``."""

class Stats:
    """Standard 14 statistics with the disclosure control of ``xborder stats``."""

    def __init__(self, period: str = "month") -> None: ...
    def add_arrow(self, data: ArrowData, column: str = "result") -> None: ...
    def add_json(self, line: str) -> None: ...
    def merge(self, other: Stats) -> None: ...
    def to_state(self) -> bytes: ...
    @staticmethod
    def from_state(state: bytes) -> Stats: ...
    @property
    def counts(self) -> Tuple[int, int, int]:
        """(results, rejected, unreadable)."""
    def report(self, min_cell: int = ...) -> Dict[str, Any]: ...
    def report_csv(self, min_cell: int = ...) -> str: ...
    def report_arrow(self, min_cell: int = ...) -> Table: ...

def result_columns(result_json: bool = False) -> List[str]:
    """The names of ``Engine.assess_arrow``'s output columns, in order."""
