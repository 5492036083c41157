"""The type stubs (xborder/_xborder.pyi, py.typed): `mypy --strict` accepts a consumer that
uses the whole API (typecheck/consumer.py) and refuses each misuse marked in
typecheck/misuse.py, so the stubs are read and are not `Any`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Set, Tuple

from mypy import api

HERE = Path(__file__).resolve().parent / "typecheck"


def mypy(path: Path) -> Tuple[int, str]:
    stdout, stderr, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir", "/dev/null", "--no-error-summary", str(path)]
    )
    return status, stdout + stderr


def test_a_consumer_passes_mypy_strict() -> None:
    status, output = mypy(HERE / "consumer.py")
    assert status == 0, output


def test_misuse_is_refused_line_by_line() -> None:
    path = HERE / "misuse.py"
    expected: Set[Tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        marker = re.search(r"# error: ([a-z-]+)$", line)
        if marker:
            expected.add((number, marker.group(1)))
    status, output = mypy(path)
    found: List[Tuple[int, str]] = [
        (int(m.group(1)), m.group(2))
        for m in re.finditer(r"misuse\.py:(\d+): error: .*\[([a-z-]+)\]$", output, re.MULTILINE)
    ]
    assert status == 1, output
    assert set(found) == expected and len(found) == len(expected), output
