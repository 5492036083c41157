"""xborder: duties, taxes, collection and release categories for cross-border e-commerce
consignments (WCO Cross-Border E-Commerce Framework of Standards, Immediate Release
Guidelines), computed by the Rust core that the CLI, the C library and the WASM package use.

>>> import xborder
>>> engine = xborder.Engine()
>>> result = engine.assess(declaration)            # dict in, dict out
>>> line = engine.assess_json(text)                # the CLI's bytes
>>> table = engine.assess_arrow(pyarrow_table)     # Arrow batches, no per-row Python objects

Amounts are decimal strings (``"28.00"``), never floats. See docs/python.md.
"""

from ._errors import XborderError
from ._xborder import Engine, Stats, __version__, result_columns

__all__ = ["Engine", "Stats", "XborderError", "__version__", "result_columns"]
