"""Shared by the Python tests: the conformance vectors, the sample declarations, and the CLI
(`xborder assess`) as the oracle every output must equal byte for byte.

The CLI binary is `$XBORDER_CLI` (scripts/python-test.sh points it at the workspace build),
else `xborder` on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest

import xborder

REPO = Path(__file__).resolve().parents[2]
SAMPLE_RATES = REPO / "examples" / "rates" / "sample-rates.json"


@dataclass
class Case:
    """One vector (or sample declaration) as the bindings' harnesses read it."""

    name: str
    declaration: Dict[str, Any]
    expect: Dict[str, Any]
    rates: bool
    #: The vector's options object (docs/contract.md, Assessment options), as every binding's
    #: harness passes it to its binding.
    options: Dict[str, Any] = field(default_factory=dict)

    @property
    def readings(self) -> Dict[str, str]:
        """The readings of uncertain rules: what the CLI oracle gets as `--option NAME=VALUE`."""
        return dict(self.options.get("options") or {})

    @property
    def text(self) -> str:
        """The declaration as one compact JSON line: what both the CLI and Python get."""
        return json.dumps(self.declaration, separators=(",", ":"), ensure_ascii=False)

    @property
    def rejected(self) -> bool:
        """An error vector: `expect` holds only `error.*` paths."""
        return bool(self.expect) and all(k.startswith("error.") for k in self.expect)


def load_cases() -> List[Case]:
    """Every tests/vectors/<REGIME>/*.json and examples/declarations/*.json, sorted."""
    cases = []
    for path in sorted((REPO / "tests" / "vectors").glob("*/*.json")):
        vector = json.loads(path.read_text(encoding="utf-8"))
        options = dict(vector.get("options") or {})
        options.pop("trace", None)
        assert set(options) <= {"options"}, f"{path}: the CLI oracle takes only readings"
        rates = vector.get("rates") == "sample"
        cases.append(
            Case(f"{path.parent.name}/{path.stem}", vector["declaration"], vector["expect"], rates, options)
        )
    for path in sorted((REPO / "examples" / "declarations").glob("*.json")):
        declaration = json.loads(path.read_text(encoding="utf-8"))
        cases.append(Case(f"examples/{path.stem}", declaration, {}, True))
    return cases


CASES = load_cases()


def resolve(document: Any, path: str) -> Tuple[bool, Any]:
    """A vector's dotted path (`taxes.0.amount`) in a result document."""
    value = document
    for segment in path.split("."):
        if isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
            value = value[int(segment)]
        elif isinstance(value, dict) and segment in value:
            value = value[segment]
        else:
            return False, None
    return True, value


def cli_binary() -> str:
    binary = os.environ.get("XBORDER_CLI") or shutil.which("xborder")
    if not binary:
        pytest.fail("no CLI to compare with: set XBORDER_CLI (scripts/python-test.sh does)")
    return binary


def cli_assess(
    texts: Sequence[str], rates: bool, readings: Dict[str, str], trace: bool, extra: Sequence[str] = ()
) -> List[str]:
    """`xborder assess` over an NDJSON stream of `texts`: one output line per input line."""
    command = [cli_binary(), "assess", "--threads", "1", *extra]
    if rates:
        command += ["--rates", str(SAMPLE_RATES)]
    for name, value in sorted(readings.items()):
        command += ["--option", f"{name}={value}"]
    if trace:
        command.append("--trace")
    run = subprocess.run(
        command, input="".join(t + "\n" for t in texts), capture_output=True, text=True, encoding="utf-8"
    )
    # Exit 1 means some declaration was rejected (its error line is in the output).
    assert run.returncode in (0, 1), run.stderr
    lines = run.stdout.split("\n")
    assert lines[-1] == "", "the CLI's output ends with a newline"
    assert len(lines) - 1 == len(texts), run.stderr
    return lines[:-1]


class Oracle:
    """The CLI's line for every case, plain and traced, computed once per option set."""

    def __init__(self, cases: Sequence[Case]) -> None:
        self._lines: Dict[Tuple[str, bool], str] = {}
        groups: Dict[Tuple[bool, Tuple[Tuple[str, str], ...]], List[Case]] = {}
        for case in cases:
            groups.setdefault((case.rates, tuple(sorted(case.readings.items()))), []).append(case)
        for (rates, readings), members in groups.items():
            for trace in (False, True):
                lines = cli_assess([c.text for c in members], rates, dict(readings), trace)
                for case, line in zip(members, lines):
                    self._lines[(case.name, trace)] = line

    def line(self, case: Case, trace: bool = False) -> str:
        return self._lines[(case.name, trace)]


@pytest.fixture(scope="session")
def oracle() -> Oracle:
    return Oracle(CASES)


@pytest.fixture(scope="session")
def sample_rates() -> str:
    return SAMPLE_RATES.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def engine() -> xborder.Engine:
    return xborder.Engine()


@pytest.fixture(scope="session")
def rated_engine(sample_rates: str) -> xborder.Engine:
    return xborder.Engine(rates=sample_rates)


def engine_for(case: Case, plain: xborder.Engine, rated: xborder.Engine, trace: bool = False) -> xborder.Engine:
    """The engine a case needs, with its options (and the trace)."""
    base = rated if case.rates else plain
    if not case.options and not trace:
        return base
    return base.with_options({**case.options, "trace": trace})


def optional_import(name: str) -> Optional[Any]:
    try:
        return __import__(name)
    except ImportError:
        return None
