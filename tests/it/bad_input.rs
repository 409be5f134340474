//! Every class of bad scenario input gets a precise message at the right line
//! (issue 2). Each case is one small inline TOML file, checked through one
//! helper: `check(input, expected message fragment, expected line)`.

use brink::scenario::{self, LoadError};

/// Asserts that `input` is refused with a diagnostic containing `fragment`
/// on line `line`, and that the rendered text names the file and line.
#[track_caller]
fn check(input: &str, fragment: &str, line: usize) {
    let err = match scenario::load_bytes("case.toml", input.as_bytes()) {
        Ok(_) => panic!("expected an error containing {fragment:?}, but the scenario loaded"),
        Err(e) => e,
    };
    let LoadError::Invalid { ref text, ref diagnostics, .. } = err else { panic!("unexpected I/O error") };
    let found =
        diagnostics.iter().find(|d| d.message.contains(fragment) || d.help.as_deref().unwrap_or("").contains(fragment));
    let Some(d) = found else {
        panic!("no diagnostic contains {fragment:?}; got:\n{err}");
    };
    assert_eq!(d.line_col(text).0, line, "wrong line for {fragment:?}:\n{err}");
    let rendered = err.to_string();
    assert!(rendered.contains(&format!("case.toml:{line}:")), "rendering lacks file:line:\n{rendered}");
}

/// A valid two-actor scenario; cases below break one thing each.
const VALID: &str = r#"[scenario]
name = "Mini"
rounds = 10

[[issues]]
id = "a"
options = ["x", "y", "z"]

[actors.p]
strategy = "linear"
[actors.p.issues.a]
weight = 1
values = [1.0, 0.5, 0.0]

[actors.q]
strategy = "linear"
[actors.q.issues.a]
weight = 1
values = [0.0, 0.5, 1.0]
"#;

fn replace(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "fixture lacks {from:?}");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_fixture_itself_is_valid() {
    scenario::load_bytes("case.toml", VALID.as_bytes()).expect("fixture must load");
}

#[test]
fn syntax_error() {
    check(&replace("rounds = 10", "rounds = = 10"), "TOML syntax error", 3);
}

#[test]
fn unknown_key_suggests_the_right_one() {
    check(&replace("weight = 1\nvalues = [1.0", "wieght = 1\nvalues = [1.0"), "did you mean `weight`?", 12);
}

#[test]
fn wrong_type() {
    check(&replace("rounds = 10", "rounds = \"ten\""), "expected a whole number, found a string", 3);
}

#[test]
fn probabilities_not_summing_to_one_say_what_they_sum_to() {
    let input = format!(
        "{VALID}\n[[disagreement]]\nid = \"war\"\nprobability = 0.5\npayoffs = {{ p = 0, q = 0 }}\n\n[[disagreement]]\nid = \"peace\"\nprobability = 0.3\npayoffs = {{ p = 0, q = 0 }}\n"
    );
    check(&input, "sum to 0.8", 21);
}

#[test]
fn value_list_of_wrong_length() {
    check(&replace("values = [0.0, 0.5, 1.0]", "values = [0.0, 1.0]"), "has 3 options but 2 values", 19);
}

#[test]
fn unknown_option_in_a_rule() {
    let input = format!("{VALID}\n[[rules]]\nwhen = {{ a = \"w\" }}\npayoffs = {{ p = 0.1 }}\n");
    check(&input, "issue `a` has no option `w`", 22);
}

#[test]
fn unknown_issue_in_a_rule() {
    let input = format!("{VALID}\n[[rules]]\nwhen = {{ b = \"x\" }}\npayoffs = {{ p = 0.1 }}\n");
    check(&input, "unknown issue `b`", 22);
}

#[test]
fn unknown_actor_in_payoffs() {
    let input = format!("{VALID}\n[[rules]]\nwhen = {{ a = \"x\" }}\npayoffs = {{ r = 0.1 }}\n");
    check(&input, "unknown key `r`", 23);
}

#[test]
fn beta_must_be_positive() {
    check(&replace("strategy = \"linear\"", "strategy = { kind = \"time\", beta = 0 }"), "expected a number > 0", 10);
}

#[test]
fn discount_outside_unit_interval() {
    check(&replace("[actors.q]\n", "[actors.q]\ndiscount = 1.2\n"), "discount factor in (0, 1]", 16);
    check(&replace("[actors.q]\n", "[actors.q]\ndiscount = 0\n"), "discount factor in (0, 1]", 16);
}

#[test]
fn rounds_zero() {
    check(&replace("rounds = 10", "rounds = 0"), "from 1 to", 3);
}

#[test]
fn rounds_absurdly_large() {
    check(&replace("rounds = 10", "rounds = 99999999999"), "from 1 to 10000", 3);
}

#[test]
fn oversize_outcome_space() {
    let input = r#"[scenario]
name = "Too big"
rounds = 10

[[issues]]
id = "a"
options = { from = 0, to = 1, steps = 5000 }

[[issues]]
id = "b"
options = { from = 0, to = 1, steps = 5000 }

[actors.p]
strategy = "linear"
issues.a = { weight = 1, values = "increasing" }
issues.b = { weight = 1, values = "increasing" }

[actors.q]
strategy = "linear"
issues.a = { weight = 1, values = "decreasing" }
issues.b = { weight = 1, values = "decreasing" }
"#;
    check(input, "25000000 outcomes (5000 x 5000), above the limit of 10000000", 5);
}

#[test]
fn distributions_with_invalid_parameters() {
    check(
        &replace("weight = 1\nvalues = [1.0", "weight = { normal = [1, -1] }\nvalues = [1.0"),
        "standard deviation",
        12,
    );
    check(&replace("weight = 1\nvalues = [1.0", "weight = { uniform = [2, 1] }\nvalues = [1.0"), "lo <= hi", 12);
    check(&replace("weight = 1\nvalues = [1.0", "weight = { beta = [0, 1] }\nvalues = [1.0"), "must be > 0", 12);
}

#[test]
fn unbounded_distribution_for_a_bounded_number_asks_for_clamps() {
    check(
        &replace("[actors.q]\n", "[actors.q]\ndiscount = { normal = [0.9, 0.1] }\n"),
        "add `min` and `max` clamps",
        16,
    );
}

#[test]
fn all_weights_zero() {
    check(&replace("weight = 1\nvalues = [0.0", "weight = 0\nvalues = [0.0"), "all issue weights are zero", 17);
}

#[test]
fn duplicate_ids() {
    check(&replace("options = [\"x\", \"y\", \"z\"]", "options = [\"x\", \"y\", \"x\"]"), "duplicate option `x`", 7);
    let input = replace("[actors.p]", "[[issues]]\nid = \"a\"\noptions = [\"u\", \"v\"]\n\n[actors.p]");
    check(&input, "duplicate issue id `a`", 9);
}

#[test]
fn missing_required_key() {
    check(&replace("rounds = 10\n", ""), "missing the required key `rounds`", 1);
}

#[test]
fn actor_must_cover_every_issue() {
    let input = replace("[actors.p]", "[[issues]]\nid = \"b\"\noptions = [\"u\", \"v\"]\n\n[actors.p]");
    check(&input, "no weight and values for issue `b`", 15);
}

#[test]
fn talks_must_open_before_the_deadline() {
    let input = replace("rounds = 10", "rounds = 10\ntalks_open = 10");
    check(&input, "the talks open at round 10, but the last round is 9", 4);
    check(&input, "give talks_open below rounds = 10", 4);
}

#[test]
fn first_mover_must_be_an_actor() {
    check(&replace("rounds = 10", "rounds = 10\nfirst_mover = \"pp\""), "`pp` is not one of the actors", 4);
}

#[test]
fn spe_is_refused_outside_divide_the_pie() {
    check(&replace("strategy = \"linear\"", "strategy = \"spe\""), "exactly one numeric issue", 10);
}

#[test]
fn nan_and_inf_are_refused() {
    check(&replace("weight = 1\nvalues = [1.0", "weight = nan\nvalues = [1.0"), "found nan", 12);
    check(&replace("weight = 1\nvalues = [1.0", "weight = inf\nvalues = [1.0"), "too large", 12);
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let input = replace("rounds = 10", "rounds = 0").replace("values = [0.0, 0.5, 1.0]", "values = [0.0, 2.0, 1.0]");
    let err = scenario::load_bytes("case.toml", input.as_bytes()).unwrap_err();
    assert_eq!(err.diagnostics().len(), 2, "{err}");
}

#[test]
fn binary_garbage_is_not_utf8() {
    let err = scenario::load_bytes("case.toml", &[0xff, 0xfe, 0x00, 0x12]).unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
}

#[test]
fn empty_file_lists_the_missing_sections() {
    let err = scenario::load_bytes("case.toml", b"").unwrap_err();
    let text = err.to_string();
    for key in ["scenario", "issues", "actors"] {
        assert!(text.contains(&format!("missing the required key `{key}`")), "{text}");
    }
}

#[test]
fn issue_16_too_fine_ranges_are_refused_at_once_with_the_most_steps_allowed() {
    // 2 million steps on 0..1 cannot keep 6-decimal labels apart; the
    // refusal comes before any label is built (it used to cost 2 s, 600 MB).
    let input = replace(r#"options = ["x", "y", "z"]"#, "options = { from = 0.0, to = 1.0, steps = 2000000 }")
        .replace("values = [1.0, 0.5, 0.0]", "values = \"increasing\"")
        .replace("values = [0.0, 0.5, 1.0]", "values = \"decreasing\"");
    check(&input, "use at most 1000001 steps", 7);
}

#[test]
fn issue_12_an_override_error_inside_non_ascii_text_does_not_panic() {
    // The value's span belongs to the override, not the file; geneva-2022
    // opens with an en dash where that span used to land mid-character.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_brink"))
        .args([
            "run",
            "geneva-2022",
            "--runs",
            "10",
            "--no-plots",
            "--set",
            "actors.usa.strategy={ kind = \"boulwre\" }",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown strategy `boulwre`") && err.contains("did you mean `boulware`"), "{err}");
}

/// VALID with a two-outcome lottery and a power shift whose period is `period`
/// and whose enforcement is `enforcement` (lines: the period's table is 30).
fn with_power_shift(enforcement: &str, period: &str) -> String {
    format!(
        "{VALID}\n[[disagreement]]\nid = \"war\"\nprobability = 0.5\npayoffs = {{ p = 0, q = 0 }}\n\n\
         [[disagreement]]\nid = \"peace\"\nprobability = 0.5\npayoffs = {{ p = 0, q = 0 }}\n\n\
         [power_shift]\ndiscount = 0.9\nenforcement = {enforcement}\n\n[[power_shift.periods]]\n{period}\n"
    )
}

#[test]
fn the_power_shift_fixture_is_valid() {
    let text = with_power_shift("\"written\"", "probability = { war = 0.2, peace = 0.8 }");
    scenario::load_bytes("case.toml", text.as_bytes()).expect("fixture must load");
}

#[test]
fn a_power_shift_probability_outside_0_1() {
    check(
        &with_power_shift("0.0", "probability = { war = 1.2, peace = -0.2 }"),
        "a probability must be from 0 to 1, found 1.2",
        36,
    );
}

#[test]
fn a_power_shift_lottery_that_no_longer_sums_to_1() {
    check(&with_power_shift("0.0", "probability = { war = 0.2 }"), "the lottery in this period sums to 0.7, not 1", 36);
}

#[test]
fn an_unknown_enforcement_level_suggests_one() {
    check(&with_power_shift("\"writen\"", ""), "did you mean `written`?", 33);
}

#[test]
fn an_enforcement_strength_outside_0_1() {
    check(&with_power_shift("1.5", ""), "expected a number from 0 to 1, found 1.5", 33);
}

#[test]
fn a_power_shift_names_an_unknown_conflict_outcome() {
    check(&with_power_shift("0.0", "probability = { wars = 0.5 }"), "did you mean `war`?", 36);
}

#[test]
fn too_many_power_shift_periods_are_refused_before_any_work() {
    let periods = "\n[[power_shift.periods]]\n".repeat(101);
    let text = with_power_shift("0.0", "").replacen("\n[[power_shift.periods]]\n", &periods, 1);
    check(&text, "101 later periods, above the limit of 100", 35);
}

#[test]
fn a_power_shift_too_costly_to_value_is_refused() {
    // 1,000,000 outcomes × 51 later periods = 51,000,000 steps > 50,000,000.
    let periods = "\n[[power_shift.periods]]\n".repeat(51);
    let text = with_power_shift("0.0", "")
        .replacen("\n[[power_shift.periods]]\n", &periods, 1)
        .replacen("options = [\"x\", \"y\", \"z\"]", "options = { from = 0.0, to = 1.0, steps = 1000000 }", 1)
        .replacen("values = [1.0, 0.5, 0.0]", "values = \"increasing\"", 1)
        .replacen("values = [0.0, 0.5, 1.0]", "values = \"decreasing\"", 1);
    check(&text, "valuing every deal would take 51000000 steps, above the limit of 50000000", 31);
}

#[test]
fn believed_odds_that_do_not_sum_to_1() {
    let text = with_power_shift("0.0", "").replacen(
        "strategy = \"linear\"\n",
        "strategy = \"linear\"\nbelieved_odds = { war = 0.7 }\n",
        1,
    );
    check(&text, "the believed odds sum to 1.2, not 1", 11);
}

#[test]
fn believed_odds_name_an_unknown_outcome() {
    let text = with_power_shift("0.0", "").replacen(
        "strategy = \"linear\"\n",
        "strategy = \"linear\"\nbelieved_odds = { pece = 0.5 }\n",
        1,
    );
    check(&text, "did you mean `peace`?", 11);
}

#[test]
fn believed_odds_outside_0_1() {
    let text = with_power_shift("0.0", "").replacen(
        "strategy = \"linear\"\n",
        "strategy = \"linear\"\nbelieved_odds = { war = 1.5, peace = -0.5 }\n",
        1,
    );
    check(&text, "expected a number from 0 to 1, found 1.5", 11);
}

#[test]
fn types_known_must_be_true_or_false() {
    check(&replace("rounds = 10", "rounds = 10\ntypes_known = \"yes\""), "expected true or false, found a string", 4);
}

/// The fixture with `[actors.q.red_lines]` holding `lines` (line 22 on).
fn with_red_lines(lines: &str) -> String {
    format!("{VALID}\n[actors.q.red_lines]\n{lines}\n")
}

#[test]
fn the_red_line_fixture_is_valid() {
    let text = with_red_lines("a = { at = \"y\", probability_real = 0.5 }");
    scenario::load_bytes("case.toml", text.as_bytes()).expect("fixture must load");
}

#[test]
fn a_red_line_on_an_unknown_issue() {
    check(&with_red_lines("b = \"x\""), "unknown issue `b`", 22);
}

#[test]
fn a_red_line_at_an_unknown_level() {
    check(&with_red_lines("a = \"w\""), "issue `a` has no option `w`", 22);
}

#[test]
fn a_red_line_probability_outside_0_1() {
    check(
        &with_red_lines("a = { at = \"y\", probability_real = 1.5 }"),
        "expected a number from 0 to 1, found 1.5",
        22,
    );
}

#[test]
fn a_red_line_on_a_numeric_issue_outside_its_range() {
    let text = with_red_lines("a = { at = 12 }").replacen(
        "options = [\"x\", \"y\", \"z\"]",
        "options = { from = 0, to = 10, steps = 3 }",
        1,
    );
    check(&text, "12 is outside issue `a`'s range, 0 to 10", 22);
}

#[test]
fn a_red_line_needs_a_level() {
    check(&with_red_lines("a = { probability_real = 0.5 }"), "is missing the required key `at`", 22);
}

#[test]
fn more_red_lines_than_an_actor_may_draw() {
    check(&with_red_lines("a = \"x\"\nb = \"x\"\nc = \"x\""), "an actor may draw at most 2", 21);
}

#[test]
fn a_reasoning_belief_that_is_neither_sampled_nor_quantiles() {
    check(
        &replace(
            "[actors.p]\nstrategy = \"linear\"",
            "[actors.p]\nstrategy = { kind = \"reasoning\", belief = \"grid\" }",
        ),
        "expected \"sampled\" or \"quantiles\", found \"grid\"",
        10,
    );
}

/// The fixture with `[actors.q.audience_costs]` holding `keys` (line 22 on).
fn with_audience_costs(keys: &str) -> String {
    format!("{VALID}\n[actors.q.audience_costs]\n{keys}\n")
}

#[test]
fn the_audience_cost_fixture_is_valid() {
    let text = with_audience_costs("backing_down = 0.1\npublic_demand = { a = \"z\" }");
    scenario::load_bytes("case.toml", text.as_bytes()).expect("fixture must load");
}

#[test]
fn a_negative_audience_cost() {
    check(
        &with_audience_costs("backing_down = -0.1\npublic_demand = { a = \"z\" }"),
        "expected a number from 0 to 1000, found -0.1",
        22,
    );
}

#[test]
fn a_public_demand_on_an_unknown_level() {
    check(&with_audience_costs("backing_down = 0.1\npublic_demand = { a = \"w\" }"), "issue `a` has no option `w`", 23);
}

#[test]
fn a_public_demand_on_an_unknown_issue() {
    check(&with_audience_costs("backing_down = 0.1\npublic_demand = { b = \"x\" }"), "unknown issue `b`", 23);
}

#[test]
fn a_public_demand_without_a_cost() {
    check(&with_audience_costs("public_demand = { a = \"z\" }"), "is missing the required key `backing_down`", 21);
}

#[test]
fn a_step_down_cost_without_a_ladder() {
    check(&with_audience_costs("step_down = 0.1"), "`q` has no escalation ladder to step down", 22);
}

#[test]
fn a_step_down_cost_on_a_ladder_that_is_not_reversible() {
    let text = with_audience_costs("step_down = 0.1") + "\n[[actors.q.escalation]]\nid = \"mobilise\"\ncost = 0.01\n";
    check(&text, "no step is ever taken back: the ladders are not reversible", 22);
}
