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
import io
import json
import math
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _brink
from ._brink import ScenarioError

__all__ = ["load", "builtins", "compare", "Scenario", "Result", "Trace", "Comparison", "ScenarioError", "__version__"]
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
    variants = list(variants or [])
    return Scenario(_brink.load(str(source), sets, variants), variants)


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

    def __init__(self, native: Any, variants: Sequence[str] = ()) -> None:
        self._native = native
        self._variants = list(variants)

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
        _check_runs_and_seed(runs, seed)
        text, columns = self._native.run(int(runs), int(seed), threads, bool(causes), bool(per_run))
        return Result(text, columns)

    def trace(self, seed: int = 0, run: int = 0, causes: bool = True) -> "Trace":
        """Play run ``run`` of seed ``seed`` once and keep every move
        (``brink trace --seed --run``): the same run ``Scenario.run`` plays
        as its row ``run``. A failed run ends with why it failed, each
        mechanism of failure switched off in a replay, unless ``causes`` is
        False (``--no-causes``)."""
        _check_runs_and_seed(1, seed)
        if not 0 <= int(run) < 2**64:
            raise ValueError(f"run must be a whole number from 0 to 2**64 - 1, not {run}")
        text_json, text = self._native.trace(int(seed), int(run), bool(causes))
        return Trace(text_json, text)

    def variants(self) -> dict[str, str]:
        """The variants the scenario's file declares: name -> description."""
        return dict(self._native.declared_variants())

    def compare(
        self,
        variants: Union[str, Sequence[str], None] = None,
        runs: int = 10_000,
        seed: int = 0,
        threads: Optional[int] = None,
        causes: bool = True,
        paired: bool = True,
    ) -> "Comparison":
        """Compare the scenario (the baseline) with its variants, each
        applied on top of it (``brink compare SCENARIO --variant ...``): all
        the declared variants, or those named. Run k of every arm uses the
        same random numbers, so differences are paired run by run
        (``paired=False``: independent-sample intervals, ``--unpaired``).
        Returns compare.csv's rows as a DataFrame (a ``Comparison``)."""
        declared = self.variants()
        if isinstance(variants, str):
            variants = [variants]
        names = list(variants) if variants is not None else list(declared)
        if not names:
            raise ValueError(f"{self.file} declares no [variants]; add some, or compare scenarios: brink.compare([a, b])")
        applied = [n for n in names if n in self._variants]
        if applied:
            raise ValueError(
                f"variant {applied[0]!r} is already applied to this scenario (it was loaded with it); "
                "compare from the scenario as written: brink.load(source).compare(...)"
            )
        if "baseline" in names:
            raise ValueError("`baseline` is the scenario as loaded; rename that variant in the file")
        if len(set(names)) != len(names):
            raise ValueError("each arm needs its own name; give each variant once")
        arms = [("baseline", "the scenario as written", self._native)]
        arms += [(n, declared.get(n, ""), self._native.with_variant(n)) for n in names]
        return _compare(arms, runs, seed, threads, causes, paired)

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


def compare(
    scenarios: Sequence[Scenario],
    runs: int = 10_000,
    seed: int = 0,
    threads: Optional[int] = None,
    causes: bool = True,
    paired: bool = True,
) -> "Comparison":
    """Compare several scenarios, the first as the baseline (``brink compare
    a.toml b.toml``). Each arm is named by its file's stem (``-2``, ``-3``...
    told apart by position). Pairing needs arms whose uncertain numbers line
    up; ``paired=False`` for others."""
    scenarios = list(scenarios)
    if len(scenarios) < 2:
        raise ValueError("a comparison needs at least two scenarios")
    stems = [_stem(s.file) for s in scenarios]
    names = [f"{n}-{k + 1}" if stems.count(n) > 1 else n for k, n in enumerate(stems)]
    return _compare([(n, s.file, s._native) for n, s in zip(names, scenarios)], runs, seed, threads, causes, paired)


def _stem(file: str) -> str:
    name = file[len("builtin:"):] if file.startswith("builtin:") else os.path.basename(file)
    return name[: -len(".toml")] if name.endswith(".toml") else name


def _compare(arms: list, runs: int, seed: int, threads: Optional[int], causes: bool, paired: bool) -> "Comparison":
    _check_runs_and_seed(runs, seed)
    csv = _brink.compare(arms, int(runs), int(seed), threads, bool(causes), not paired)
    comparison = Comparison(pd.read_csv(io.StringIO(csv), keep_default_na=False, na_values=[""]))
    comparison.csv, comparison.runs, comparison.seed = csv, int(runs), int(seed)
    return comparison


class Trace:
    """One negotiation, move by move (``brink trace``): ``json`` (what
    ``brink trace --json`` prints, as a dict), ``text`` (what ``brink
    trace`` prints) and ``moves`` (the events as a DataFrame)."""

    def __init__(self, json_text: str, text: str) -> None:
        self.json: dict = json.loads(json_text)
        self.text: str = text

    @property
    def moves(self) -> pd.DataFrame:
        """One row per event, in order: ``round``, ``event`` (proposal,
        response, ladder, before-talks, breakdown, red-line-belief, ...),
        ``actor`` (who proposed, answered, climbed or believed), the offer
        (``offer_<issue>``) and what it is worth to each actor
        (``utility_<actor>``) for proposals, ``response``, ``threshold`` and
        ``basis`` for answers, and ``detail``: the event's words."""
        actors = [a["id"] for a in self.json["actors"]]
        issues: list[str] = []
        rows = []
        for e in self.json["events"]:
            row = {
                "round": e.get("round"),
                "event": e.get("event"),
                "actor": e.get("proposer") or e.get("responder") or e.get("actor"),
            }
            for issue, option in (e.get("offer") or {}).items():
                if issue not in issues:
                    issues.append(issue)
                row[f"offer_{issue}"] = option
            for a in actors:
                row[f"utility_{a}"] = (e.get("utilities") or {}).get(a)
            row["response"] = e.get("response")
            row["threshold"] = e.get("threshold")
            row["basis"] = e.get("basis")
            row["detail"] = e.get("text")
            rows.append(row)
        columns = ["round", "event", "actor"] + [f"offer_{i}" for i in issues]
        columns += [f"utility_{a}" for a in actors] + ["response", "threshold", "basis", "detail"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["round"] = frame["round"].astype("int64")
        return frame

    @property
    def outcome(self) -> dict:
        """How the talks ended (``brink trace --json``'s ``outcome``)."""
        return self.json["outcome"]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        o = self.json["outcome"]
        return f"<brink.Trace seed {self.json['seed']} run {self.json['run']}: {o.get('end')} at round {o.get('round')}>"


class Comparison(pd.DataFrame):
    """A comparison of policies (``brink compare``): a DataFrame of
    compare.csv's rows, one per arm and measure, with each arm's value, its
    95% interval, and its difference from the baseline with its interval.
    ``csv`` is compare.csv's exact text; ``runs`` and ``seed`` say how it was
    made. A notebook shows how the talks ended in each arm; ``pd.DataFrame(c)``
    shows every row."""

    _metadata = ["csv", "runs", "seed"]

    @property
    def _constructor(self):
        # A filtered or computed frame is a plain DataFrame.
        return pd.DataFrame

    def _repr_html_(self) -> str:
        t = pd.DataFrame(self)
        t = t[t["kind"] == "end"]
        arms = list(dict.fromkeys(t["arm"]))
        labels = list(dict.fromkeys(t["label"]))
        head = "".join(f"<th>{html.escape(str(a))}</th>" for a in arms)
        body = []
        for label in labels:
            cells = []
            for k, arm in enumerate(arms):
                r = t[(t["arm"] == arm) & (t["label"] == label)].iloc[0]
                cell = _percent(r["value"])
                if k > 0 and not pd.isna(r["diff"]):
                    cell += f" ({100 * r['diff']:+.1f} pts, {100 * r['diff_ci_low']:+.1f} to {100 * r['diff_ci_high']:+.1f})"
                cells.append(f"<td>{html.escape(cell)}</td>")
            body.append(f"<tr><td>{html.escape(str(label))}</td>{''.join(cells)}</tr>")
        title = html.escape(
            f"How the talks ended: {self.runs:,} runs per arm, seed {self.seed}; "
            "differences from the baseline with 95% CIs"
        )
        return f"<table><caption>{title}</caption><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"

    def __repr__(self) -> str:
        arms = list(dict.fromkeys(self["arm"]))
        return f"<brink.Comparison of {', '.join(arms)}: {self.runs} runs each, seed {self.seed}; {len(self)} rows>"


def _check_runs_and_seed(runs: int, seed: int) -> None:
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed must be a whole number from 0 to 2**64 - 1, not {seed}")


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
