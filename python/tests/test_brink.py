"""brink's Python package: every function, its errors, the DataFrame's
columns and dtypes, identity with the command line's files, the GIL
released during a run, and Ctrl-C.

Run by .ci/run in a fresh virtual environment after `pip install ./python`;
the command line's binary comes from BRINK_BIN, else target/release or
target/debug.
"""

import json
import math
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import brink

ROOT = Path(__file__).resolve().parents[2]


def brink_bin() -> str:
    if os.environ.get("BRINK_BIN"):
        return os.environ["BRINK_BIN"]
    for build in ("release", "debug"):
        path = ROOT / "target" / build / "brink"
        if path.exists():
            return str(path)
    pytest.fail("no brink binary: build it (cargo build --release) or set BRINK_BIN")


def cli_run(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "cli"
    subprocess.run([brink_bin(), "run", *args, "--no-plots", "-q", "--out", str(out)], check=True)
    return out


def test_load_a_builtin_and_a_file():
    g = brink.load("geneva-2022")
    assert g.name == "Geneva talks, January 2022"
    assert g.file == "builtin:geneva-2022"
    assert g.actors == ["usa", "russia"]
    assert "geneva-2022" in brink.builtins()
    r = brink.load(ROOT / "scenarios" / "rubinstein.toml")
    assert r.file.endswith("rubinstein.toml")
    assert "rubinstein" in repr(r)


def test_a_missing_file_is_a_scenario_error_with_its_name():
    with pytest.raises(brink.ScenarioError) as e:
        brink.load("no/such/scenario.toml")
    assert "no/such/scenario.toml" in str(e.value)
    assert e.value.file == "no/such/scenario.toml"
    assert (e.value.line, e.value.column, e.value.path) == (None, None, None)
    with pytest.raises(brink.ScenarioError, match="no built-in scenario of that name"):
        brink.load("genva-2022")


def test_a_bad_value_is_located_by_file_line_column_and_path(tmp_path):
    text = (ROOT / "scenarios" / "rubinstein.toml").read_text()
    assert "discount = 0.9" in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("discount = 0.9", "discount = 1.5", 1))
    line = next(k for k, l in enumerate(bad.read_text().splitlines(), 1) if "discount = 1.5" in l)
    with pytest.raises(brink.ScenarioError) as e:
        brink.load(bad)
    err = e.value
    assert err.file == str(bad)
    assert err.line == line
    assert err.column is not None and err.column >= 1
    assert err.path.endswith(".discount")
    assert "discount" in str(err) and "1.5" in str(err)
    assert str(err).startswith("expected a discount factor"), str(err)
    assert len(err.problems) >= 1


def test_a_toml_syntax_error_has_a_line_and_no_path(tmp_path):
    bad = tmp_path / "syntax.toml"
    bad.write_text('[scenario]\nname = "x\n')
    with pytest.raises(brink.ScenarioError) as e:
        brink.load(bad)
    assert e.value.line is not None
    assert e.value.path is None


def test_overrides_and_variants_apply_and_bad_ones_are_errors():
    base = brink.load("geneva-2022").run(runs=400, seed=1, per_run=False).summary
    moratorium = brink.load("geneva-2022", variants="moratorium").run(runs=400, seed=1, per_run=False).summary
    assert moratorium["overrides"] == ["variant moratorium"]
    assert base["summary"]["ends"] != moratorium["summary"]["ends"]
    s = brink.load("rubinstein", set={"actors.second.discount": 0.95})
    assert s.run(runs=10, per_run=False).summary["overrides"] == ["actors.second.discount=0.95"]
    with pytest.raises(brink.ScenarioError) as e:
        brink.load("geneva-2022", set={"actors.usa.discount": 1.5})
    assert e.value.path == "actors.usa.discount"
    assert e.value.line is None
    with pytest.raises(brink.ScenarioError, match="no-such-variant"):
        brink.load("geneva-2022", variants=["no-such-variant"])
    with pytest.raises(TypeError):
        brink.load("geneva-2022", set={"actors.usa.discount": object()})


def test_the_summary_is_byte_identical_to_brink_run(tmp_path):
    result = brink.load("geneva-2022").run(runs=2000, seed=7)
    out = cli_run(tmp_path, "geneva-2022", "--runs", "2000", "--seed", "7")
    assert result.summary_json == (out / "summary.json").read_text()
    assert result.summary["runs"] == 2000
    # Threads change nothing.
    again = brink.load("geneva-2022").run(runs=2000, seed=7, threads=1)
    assert again.summary_json == result.summary_json


def test_runs_is_runs_csv_as_a_dataframe(tmp_path):
    result = brink.load("geneva-2022").run(runs=1500, seed=3)
    out = cli_run(tmp_path, "geneva-2022", "--runs", "1500", "--seed", "3", "--per-run")
    csv = pd.read_csv(out / "runs.csv", keep_default_na=False, na_values=[""])
    df = result.runs
    assert list(df.columns) == list(csv.columns)
    assert len(df) == 1500
    assert df["run"].dtype == np.int64 and df["round"].dtype == np.int64
    assert df["payoff_usa"].dtype == np.float64
    assert isinstance(df["end"].dtype, pd.CategoricalDtype)
    assert isinstance(df["nato"].dtype, pd.CategoricalDtype)
    assert str(df["first_step_round_usa"].dtype) == "Int64"
    def cells(series):
        return [None if pd.isna(x) else x for x in series.astype(object)]

    for name in df.columns:
        assert cells(df[name]) == cells(csv[name]), name
    # Agreements have terms and no lottery; failures the reverse.
    deals = df[df["end"] == "agreement"]
    assert deals["nato"].notna().all() and deals["disagreement"].isna().all()


def test_a_result_without_rows_says_so():
    result = brink.load("rubinstein").run(runs=5, per_run=False)
    with pytest.raises(ValueError, match="per_run=True"):
        result.runs


def test_bad_arguments_are_value_errors():
    g = brink.load("rubinstein")
    with pytest.raises(ValueError, match="runs must be at least 1"):
        g.run(runs=0)
    with pytest.raises(ValueError, match="threads"):
        g.run(runs=5, threads=0)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        g.run(runs=5, seed=-1)
    with pytest.raises(ValueError, match="run must be a whole number"):
        g.trace(run=-3)


def test_a_notebook_shows_a_compact_table():
    result = brink.load("geneva-2022").run(runs=300)
    page = result._repr_html_()
    assert page.startswith("<table>") and "agreement" in page and "95% CI" in page
    assert "300 runs" in page
    assert "agreement" in repr(result)


def test_the_gil_is_released_while_the_engine_runs():
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    started = time.perf_counter()
    brink.load("geneva-2022").run(runs=60_000, seed=0, per_run=False)
    elapsed = time.perf_counter() - started
    done.set()
    counter.join()
    # Held for the whole run, the GIL would allow a handful of ticks.
    assert elapsed > 0.2, "the run was too short to tell"
    assert ticks > 0.2 * elapsed * 1000, (ticks, elapsed)


def test_ctrl_c_interrupts_a_long_run():
    g = brink.load("geneva-2022")
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        g.run(runs=50_000_000, seed=0)
    elapsed = time.perf_counter() - started
    timer.cancel()
    assert elapsed < 30, elapsed
    # The package still works after the interruption.
    assert g.run(runs=10, per_run=False).summary["runs"] == 10


def test_trace_is_brink_trace_and_row_run_of_run():
    g = brink.load("geneva-2022")
    t = g.trace(seed=0, run=3)
    cli_json = subprocess.run([brink_bin(), "trace", "geneva-2022", "--run", "3", "--json"], check=True, capture_output=True, text=True)
    cli_text = subprocess.run([brink_bin(), "trace", "geneva-2022", "--run", "3"], check=True, capture_output=True, text=True)
    assert t.json == json.loads(cli_json.stdout)
    assert t.text == cli_text.stdout
    assert str(t) == t.text and "run 3" in repr(t)
    moves = t.moves
    assert len(moves) == len(t.json["events"])
    assert list(moves.columns[:3]) == ["round", "event", "actor"]
    assert {"offer_nato", "utility_usa", "utility_russia", "response", "detail"} <= set(moves.columns)
    assert moves["round"].dtype == np.int64
    proposals = moves[moves["event"] == "proposal"]
    assert proposals["offer_nato"].notna().all() and proposals["actor"].isin(["usa", "russia"]).all()
    # The trace's run is row 3 of a run of the same seed.
    row = g.run(runs=4, seed=0).runs.iloc[3]
    assert (row["end"], row["round"]) == (t.outcome["end"], t.outcome["round"])


def test_compare_is_brink_compare(tmp_path):
    g = brink.load("geneva-2022")
    assert "moratorium" in g.variants()
    c = g.compare(variants=["moratorium", "hard-line"], runs=500, seed=2)
    out = tmp_path / "compare"
    subprocess.run(
        [brink_bin(), "compare", "geneva-2022", "--variant", "moratorium", "--variant", "hard-line",
         "--runs", "500", "--seed", "2", "--no-plots", "-q", "--out", str(out)],
        check=True,
    )
    assert c.csv == (out / "compare.csv").read_text()
    header = (out / "compare.csv").read_text().splitlines()[0].split(",")
    assert isinstance(c, pd.DataFrame)
    assert list(c.columns) == header
    assert list(dict.fromkeys(c["arm"])) == ["baseline", "moratorium", "hard-line"]
    deals = c[(c["kind"] == "end") & (c["label"] == "agreement")]
    assert type(deals) is pd.DataFrame and len(deals) == 3
    page = c._repr_html_()
    assert "moratorium" in page and "pts" in page and "agreement" in page
    # Unpaired intervals are another column of words, and other numbers.
    u = g.compare(variants="moratorium", runs=300, seed=2, paired=False)
    assert set(u["diff_interval"].dropna()) == {"independent"}


def test_compare_several_scenarios_and_refusals():
    a = brink.load("rubinstein")
    b = brink.load("rubinstein", set={"actors.second.discount": 0.95})
    c = brink.compare([a, b], runs=200, seed=0)
    assert list(dict.fromkeys(c["arm"])) == ["rubinstein-1", "rubinstein-2"]
    with pytest.raises(ValueError, match="declares no"):
        a.compare()
    with pytest.raises(ValueError, match="at least two"):
        brink.compare([a])
    with pytest.raises(brink.ScenarioError, match="no-such"):
        brink.load("geneva-2022").compare(variants=["no-such"])
    with pytest.raises(ValueError, match="already applied"):
        brink.load("geneva-2022", variants="moratorium").compare(variants=["moratorium"])


def test_the_quick_start_in_the_docs_runs_and_says_what_it_prints(capsys):
    doc = (ROOT / "docs" / "python.md").read_text()
    block = doc.split("## Quick start", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert len(block.strip().splitlines()) <= 12, "a ten-line quick start"
    exec(compile(block, "docs/python.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == "0.4581", printed
    assert "Round" in printed and "agreement" in printed
