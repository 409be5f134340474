"""brink from Python: load a negotiation scenario, play it many times, get
pandas DataFrames back.

    >>> import brink
    >>> geneva = brink.load("geneva-2022")
    >>> result = geneva.run(runs=10_000, seed=0)
    >>> result.summary["outcomes"]["agreement"]["share"]
    >>> result.runs.groupby("end").size()

The functions mirror brink's command line: ``brink.load`` takes what
``brink run SCENARIO --variant ... --set ...`` takes, and ``Scenario.run``
gives the same summary as ``brink run`` (summary.json) and the same rows as
its runs.csv, byte for byte, for the same scenario, seed and runs. The
engine runs in Rust with Python's GIL released; Ctrl-C stops it.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _brink
from ._brink import ScenarioError

__all__ = ["load", "builtins", "Scenario", "Result", "ScenarioError", "__version__"]
__version__: str = _brink.__version__


def builtins() -> list[str]:
    """The names of the scenarios built into brink (``brink scenarios``)."""
    return list(_brink.builtins())


def load(
    source: Union[str, "os.PathLike[str]"],
    set: Optional[Mapping[str, Any]] = None,
    variants: Union[str, Sequence[str], None] = None,
) -> "Scenario":
    """Load a scenario: a TOML file's path, or a built-in's name (a path that
    exists wins over a name).

    ``variants`` applies the scenario's ``[variants.NAME]`` sections, in
    order (``--variant``); then ``set`` overrides values by TOML path
    (``--set``), e.g. ``{"actors.usa.discount": 0.95}``. A value may be a
    number, a bool, a string, a list or a dict (an inline table such as
    ``{"normal": [0.9, 0.05]}``).

    Raises ``ScenarioError`` for every failure (a missing file too), with
    ``file``, ``line``, ``column`` and ``path`` (the TOML path) of the first
    problem, None where they do not apply, and ``problems``: every problem
    as (line, column, path, message).
    """
    if isinstance(variants, str):
        variants = [variants]
    sets = [f"{path}={_toml(value)}" for path, value in (set or {}).items()]
    return Scenario(_brink.load(str(source), sets, list(variants or [])))


def _toml(value: Any) -> str:
    """A Python value written as TOML, for an override."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    if isinstance(value, str):
        # A JSON string is a TOML basic string for every character brink reads.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Iterable):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as a TOML value for an override")


class Scenario:
    """A compiled scenario, ready to play. Made by ``brink.load``."""

    def __init__(self, native: Any) -> None:
        self._native = native

    @property
    def name(self) -> str:
        """The scenario's name, as its file gives it."""
        return self._native.name

    @property
    def file(self) -> str:
        """Where it came from: a file's path, or ``builtin:NAME``."""
        return self._native.file

    @property
    def actors(self) -> list[str]:
        """The actors' ids, in order."""
        return list(self._native.actors)

    def run(
        self,
        runs: int = 10_000,
        seed: int = 0,
        threads: Optional[int] = None,
        causes: bool = True,
        per_run: bool = True,
    ) -> "Result":
        """Play runs 0..runs-1 of seed ``seed`` (``brink run --runs --seed``).

        ``threads``: worker threads (None: every core); results do not
        depend on it. ``causes``: replay each failed run to say why it
        failed (``--no-causes`` when False). ``per_run``: keep every run's
        row for ``Result.runs`` (``--per-run``).

        The GIL is released while the engine runs, so other Python threads
        go on; Ctrl-C raises KeyboardInterrupt at the next batch of runs.
        """
        if runs < 1:
            raise ValueError("runs must be at least 1")
        text, columns = self._native.run(int(runs), int(seed), threads, bool(causes), bool(per_run))
        return Result(text, columns)

    def __repr__(self) -> str:
        return f"<brink.Scenario {self.name!r} from {self.file}, actors {', '.join(self.actors)}>"


class Result:
    """What ``Scenario.run`` gives: ``summary`` (summary.json as a dict),
    ``summary_json`` (its exact text) and ``runs`` (runs.csv as a DataFrame)."""

    def __init__(self, summary_json: str, columns: Optional[list]) -> None:
        self.summary_json: str = summary_json
        self.summary: dict = json.loads(summary_json)
        self._columns = columns
        self._runs: Optional[pd.DataFrame] = None

    @property
    def runs(self) -> pd.DataFrame:
        """One row per run, runs.csv's columns in its order: ``run`` and
        ``round`` as int64, payoffs and drawn numbers as float64, names (the
        end, the agreed options, the lottery's draw, ladder steps, causes) as
        categoricals with NaN where runs.csv's cell is empty, and
        ``first_step_round_*`` as nullable Int64. Built on first use from
        columnar arrays."""
        if self._runs is None:
            if self._columns is None:
                raise ValueError("this result kept no rows: run with per_run=True")
            self._runs = _frame(self._columns)
            self._columns = None
        return self._runs

    def _repr_html_(self) -> str:
        return _summary_html(self.summary)

    def __repr__(self) -> str:
        ends = ", ".join(f"{e['label']} {_percent(e.get('share'))}" for e in self.summary["summary"]["ends"])
        return f"<brink.Result {self.summary['scenario']['name']!r}: {self.summary['runs']} runs, seed {self.summary['seed']}; {ends}>"


def _frame(columns: list) -> pd.DataFrame:
    data = {}
    for column in columns:
        name, kind = column[0], column[1]
        if kind == "int":
            data[name] = np.frombuffer(column[2], dtype="<i8")
        elif kind == "float":
            data[name] = np.frombuffer(column[2], dtype="<f8")
        elif kind == "optional_int":
            values = np.frombuffer(column[2], dtype="<i8").copy()
            missing = np.frombuffer(column[3], dtype=np.bool_).copy()
            data[name] = pd.arrays.IntegerArray(values, missing)
        elif kind == "text":
            codes = np.frombuffer(column[2], dtype="<i4")
            data[name] = pd.Categorical.from_codes(codes, categories=list(column[3]))
        else:
            raise ValueError(f"unknown column kind {kind!r} from brink's engine")
    return pd.DataFrame(data)


def _percent(x: Any) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _summary_html(s: dict) -> str:
    """A compact table: how the talks ended, and what followed failed talks,
    each share with its 95% interval."""
    rows = []
    for group, key in (("ended", "ends"), ("if no deal", "disagreement")):
        for e in s["summary"][key]:
            ci = e.get("ci95")
            interval = f"{_percent(ci[0])} to {_percent(ci[1])}" if ci else "n/a"
            rows.append(
                f"<tr><td>{html.escape(group)}</td><td>{html.escape(str(e['label']))}</td>"
                f"<td style='text-align:right'>{e['count']:,}</td><td style='text-align:right'>{_percent(e.get('share'))}</td>"
                f"<td>{interval}</td></tr>"
            )
    title = html.escape(f"{s['scenario']['name']}: {s['runs']:,} runs, seed {s['seed']}")
    return (
        f"<table><caption>{title}</caption><thead><tr><th></th><th>outcome</th><th>runs</th><th>share</th>"
        f"<th>95% CI</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
