"""Every rule type with hand-calculated expectations, edge cases and properties."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dtilib import rules


def test_binary():
    assert rules.binary(np.array([1, 0, 1]), 10, {}).tolist() == [10, 0, 10]


def test_tiered_virtual_assistant_seed_001():
    # seed 001: deployed and personalised → max; deployed only → ½ max; none → 0 (max 10)
    tiers = {"deployed_and_personalised": 1, "deployed_not_personalised": 0.5, "not_deployed": 0}
    out = rules.tiered(np.array(["deployed_not_personalised", "deployed_and_personalised", "not_deployed"],
                                dtype=object), 10, {"tiers": tiers})
    assert out.tolist() == [5, 10, 0]


def test_linear():
    assert rules.linear(np.array([0.25, 1.0]), 10, {}).tolist() == [2.5, 10]


def test_linear_capped_seed_001():
    # seed 001: ratio ≥ 80% → max (20); else ratio/80% × 20.  0.4 → 10, 0.8 → 20, 0.95 → 20
    out = rules.linear_capped(np.array([0.4, 0.8, 0.95, 0.0]), 20, {"threshold": 0.8})
    assert out.tolist() == pytest.approx([10, 20, 20, 0])


def test_all_or_nothing():
    assert rules.all_or_nothing(np.array([1.0, 0.999, 0.0]), 10, {"threshold": 1.0}).tolist() == [10, 0, 0]


def test_min_max_formula_and_ties():
    # (r - 0.1)/(0.5 - 0.1) × 10: 0.1 → 0, 0.3 → 5, 0.5 → 10; the two 0.3 tie at 5
    out = rules.min_max(np.array([0.1, 0.3, 0.3, 0.5]), 10, {})
    assert out.tolist() == pytest.approx([0, 5, 5, 10])


def test_min_max_all_equal_positive_gets_max_and_zero_gets_zero():
    assert rules.min_max(np.array([0.2, 0.2]), 10, {}).tolist() == [10, 10]
    assert rules.min_max(np.array([0.0, 0.0]), 10, {}).tolist() == [0, 0]


def test_min_max_lower_zero_and_peers():
    # lower: zero → r / r_max × max; r_max comes from a peer (0.8): 0.2 → 2.5
    assert rules.min_max(np.array([0.2]), 10, {"lower": "zero"}, peers=[0.8]).tolist() == [2.5]
    # Ninh Thuận (seed 001): 4.0% → 0.4 of 10 when the lowest province has 0% and the highest 100%
    assert rules.min_max(np.array([0.04]), 10, {}, peers=[0.0, 1.0]).tolist() == pytest.approx([0.4])


def test_count_steps_seed_domain_example():
    steps = {4: 20, 3: 15, 2: 10, 1: 5}
    out = rules.count_steps(np.array([0, 1, 2, 3, 4, 7]), 20, {"steps": steps})
    assert out.tolist() == [0, 5, 10, 15, 20, 20]


@pytest.mark.parametrize("rule,params,problem", [
    ("tiered", {}, "params.tiers"),
    ("tiered", {"tiers": {"a": 1.5}}, "between 0 and 1"),
    ("linear_capped", {}, "threshold"),
    ("linear_capped", {"threshold": 0}, "threshold"),
    ("min_max", {"lower": "median"}, "observed"),
    ("count_steps", {"steps": {"x": 1}}, "integer"),
    ("count_steps", {"steps": {1: 10, 2: 5}}, "must not decrease"),
    ("count_steps", {"steps": {1: 50}}, "exceeds max_points"),
    ("additive", {"parts": []}, "two or more"),
])
def test_bad_params_are_described(rule, params, problem):
    assert problem in rules.check_params(rule, params, 20)


ratios = st.lists(st.floats(0, 1), min_size=1, max_size=30).map(np.array)
maxima = st.floats(0.5, 300)


@given(ratios, maxima, st.floats(0.05, 1))
def test_ratio_rules_within_bounds(r, mx, t):
    for fn, params in [(rules.linear, {}), (rules.linear_capped, {"threshold": t}),
                       (rules.all_or_nothing, {"threshold": t}), (rules.min_max, {}),
                       (rules.min_max, {"lower": "zero"})]:
        out = fn(r, mx, params)
        assert np.all(out >= -1e-9) and np.all(out <= mx + 1e-9)


@given(st.floats(0, 1), st.floats(0, 1), maxima, st.floats(0.05, 1))
def test_ratio_rules_monotone(a, b, mx, t):
    lo, hi = min(a, b), max(a, b)
    for fn, params in [(rules.linear, {}), (rules.linear_capped, {"threshold": t}),
                       (rules.all_or_nothing, {"threshold": t})]:
        assert fn(np.array([lo]), mx, params)[0] <= fn(np.array([hi]), mx, params)[0] + 1e-9
    # min–max within one cohort: a higher ratio never scores fewer points
    out = rules.min_max(np.array([lo, hi, 0.5]), mx, {})
    assert out[0] <= out[1] + 1e-9


@given(st.lists(st.integers(0, 12), min_size=1, max_size=20))
def test_count_steps_monotone_and_bounded(counts):
    c = np.array(sorted(counts))
    out = rules.count_steps(c, 20, {"steps": {1: 5, 2: 10, 3: 15, 4: 20}})
    assert np.all(np.diff(out) >= 0) and out.min() >= 0 and out.max() <= 20


def test_every_rule_has_a_vi_and_en_name():
    from dtilib.i18n import t

    for name in rules.RULES:
        assert t(f"rule.{name}", "vi") != f"rule.{name}" and t(f"rule.{name}", "en") != f"rule.{name}"


# ------------------------------------------------------------------ properties over every registered rule
SCORED = [name for name, r in rules.RULES.items() if r.plannable]


def _inputs(rule, params):
    """A strategy for inputs of *rule* (by the input it reads)."""
    if rule.input == "value":
        return st.sampled_from([0.0, 1.0])
    if rule.input == "level":
        return st.sampled_from(sorted(str(k) for k in params["tiers"]))
    if rule.input == "count":
        return st.integers(0, 30).map(float)
    return st.floats(0, 1)


def _order(rule, params, x):
    """The order in which a higher input should never give fewer points (tiers by their share)."""
    return rule.share_of(params)[x] if rule.input == "level" else x


def _valid(name, mx):
    """The rule and its example params, when they fit a max of *mx* points."""
    rule = rules.RULES[name]
    assume(rule.check(rule.example, mx) is None)
    return rule, rule.example


def _pts(rule, xs, mx, params, peers=None):
    arr = np.array(xs, dtype=object if rule.input == "level" else float)
    return rule.points(arr, mx, params, peers=peers)


@pytest.mark.parametrize("name", SCORED)
@settings(max_examples=60, deadline=None)   # a loaded machine: no per-example time limit
@given(data=st.data(), mx=st.floats(1, 300))
def test_every_rule_points_within_zero_and_max(name, data, mx):
    rule, params = _valid(name, mx)
    xs = data.draw(st.lists(_inputs(rule, params), min_size=1, max_size=20))
    out = _pts(rule, xs, mx, params)
    assert np.all(out >= -1e-9) and np.all(out <= mx + 1e-9)


@pytest.mark.parametrize("name", [n for n in SCORED if rules.RULES[n].monotone])
@settings(max_examples=60, deadline=None)   # a loaded machine: no per-example time limit
@given(data=st.data(), mx=st.floats(1, 300))
def test_every_monotone_rule_never_gives_fewer_points_for_more(name, data, mx):
    rule, params = _valid(name, mx)
    a, b, c = (data.draw(_inputs(rule, params)) for _ in range(3))
    lo, hi = sorted([a, b], key=lambda x: _order(rule, params, x))
    out = _pts(rule, [lo, hi, c], mx, params)     # one cohort (min–max compares the three)
    assert out[0] <= out[1] + 1e-9


@pytest.mark.parametrize("name", SCORED)
@settings(max_examples=60, deadline=None)   # a loaded machine: no per-example time limit
@given(data=st.data(), mx=st.floats(1, 300), step=st.floats(0.01, 1))
def test_every_rule_candidate_steps_raise_points(name, data, mx, step):
    # a step is worth taking: more points than now (a peer rule: never fewer, and the leader's ratio gives
    # the max — a unit that stays the lowest of its cohort keeps 0 under min–max)
    rule, params = _valid(name, mx)
    current = data.draw(_inputs(rule, params))
    others = data.draw(st.lists(_inputs(rule, params), max_size=5)) if rule.peer else None
    pool = None if others is None else others + [current]
    before = _pts(rule, [current], mx, params, peers=others)[0]
    steps = rule.steps(current, mx, params, step=step, pool=pool)
    for s in steps:
        after = _pts(rule, [s.to], mx, params, peers=others)[0]
        if rule.peer:
            assert after >= before - 1e-9
            assert not s.leader or after == pytest.approx(mx)
        else:
            assert after > before + 1e-9
    if not steps and not rule.peer:      # no step offered: no other input gives more points
        alternatives = data.draw(st.lists(_inputs(rule, params), min_size=1, max_size=10))
        assert np.all(_pts(rule, alternatives, mx, params) <= before + 1e-9)


@pytest.mark.parametrize("name", [n for n in SCORED if not rules.RULES[n].peer])   # peer points say nothing alone
@settings(max_examples=60, deadline=None)   # a loaded machine: no per-example time limit
@given(data=st.data(), mx=st.floats(1, 300))
def test_score_sheet_points_give_back_an_input_with_those_points(name, data, mx):
    rule, params = _valid(name, mx)
    x = data.draw(_inputs(rule, params))
    p = _pts(rule, [x], mx, params)[0]
    assume(p < mx - 1e-6)
    state = rule.state_from_points(p, mx, params)
    if state is not None:
        assert _pts(rule, [state], mx, params)[0] == pytest.approx(p, abs=1e-6)


@pytest.mark.parametrize("name", list(rules.RULES))
def test_every_rule_has_a_label_and_its_example_passes_its_check(name):
    from dtilib.i18n import t

    rule = rules.RULES[name]
    for lang in ("vi", "en"):
        assert t(rule.label_key, lang) not in ("", rule.label_key)
    assert rule.check(rule.example, 100) is None


@pytest.fixture(scope="module")
def shipped_effort():
    from dtilib.effort.costs import DEFAULTS, read_effort

    return read_effort(defaults_path=DEFAULTS)


@pytest.mark.parametrize("name", SCORED)
def test_every_rule_has_a_default_effort_row(name, shipped_effort):
    row = shipped_effort.lookup("any_sub_indicator", None, rules.RULES[name].effort_key)
    assert row is not None and row["assumed"] and row["status"] == "assumption"


def test_bad_params_of_every_rule_with_params_are_refused():
    # an empty params mapping is refused by every rule whose example needs parameters (min–max and
    # all-or-nothing have defaults, so they accept it)
    needs = {n for n, r in rules.RULES.items() if r.check({}, 100) is not None}
    assert needs == {"tiered", "linear_capped", "count_steps", "additive"}


# ------------------------------------------------------------------ a rule type added by one class
TOY_FRAMEWORK = """
id: toy-rule
version: "1"
name_vi: Bộ chỉ số thử (quy tắc bình phương)
name_en: Test framework (square rule)
legal_source: "test fixture only"
level: district
years: [2024, 2024]
total_points: 10
completeness: complete test fixture
main_indicators:
  - {id: chinh_quyen_so, name_vi: Chính quyền số, name_en: Digital government, max_points: 10, n_sub_indicators: 1}
sub_indicators:
  - id: cqs_01
    main: chinh_quyen_so
    name_vi: Tỷ lệ hồ sơ trực tuyến
    name_en: Share of case files online
    max_points: 10
    rule: square_toy
    formula: a/b
    inputs: {a: hồ sơ trực tuyến, b: tổng số hồ sơ}
    source: test
"""


@pytest.fixture
def toy_rule():
    from dtilib import i18n

    @rules.register
    class SquareToy(rules.RatioRule):
        """Points = ratio² × max (a made-up rule defined outside the package: only this class, with its own
        texts, and one effort row are added)."""

        name = "square_toy"
        label = {"vi": "Bình phương tỷ lệ (thử)", "en": "Squared ratio (test)"}
        description = {"vi": "Tỷ lệ² × điểm tối đa", "en": "ratio² × max"}

        def points(self, x, max_points, params, peers=None):
            r = np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
            return r * r * max_points

    yield SquareToy
    rules.RULES.pop("square_toy")
    i18n._EXTRA.pop("rule.square_toy")
    i18n._EXTRA.pop("rule.square_toy.how")


def test_a_rule_registered_in_one_class_is_scored_and_planned(toy_rule, tmp_path):
    from dtilib import score
    from dtilib.effort import best_plan, candidate_actions
    from dtilib.effort.costs import DEFAULTS, read_effort

    fw = tmp_path / "toy.yaml"
    fw.write_text(TOY_FRAMEWORK, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text("unit,indicator,input,value\nA,cqs_01,a,3\nA,cqs_01,b,10\nB,cqs_01,a,5\nB,cqs_01,b,10\n",
                    encoding="utf-8")
    # scored: A 0.3² × 10 = 0.9, B 0.5² × 10 = 2.5
    res = score(fw, data)
    assert res.sub.set_index("unit")["points"].to_dict() == pytest.approx({"A": 0.9, "B": 2.5})
    assert res.sub["kind"].iloc[0] == "ratio"
    # planned: A's ratio in steps of 10 points (a +1 of 10 each) up to 1; gain 10 × (r² − 0.09)
    aset = candidate_actions(fw, data, "A")
    acts = aset.actions.set_index("input_to")
    assert list(acts.index) == ["4", "5", "6", "7", "8", "9", "10"]
    assert acts.loc["7", "gain"] == pytest.approx(10 * (0.49 - 0.09))
    assert acts.loc["10", "gain"] == pytest.approx(10 - 0.9)
    # one row of effort defaults: 1 million VND per percentage point, nothing fixed
    defaults = tmp_path / "effort_defaults.csv"
    defaults.write_text(DEFAULTS.read_text(encoding="utf-8").rstrip("\n")
                        + "\n,square_toy,pp,0,0,0,1,1,1,0,0,0,0,0,0,1,assumption,test,made-up rule\n",
                        encoding="utf-8")
    plan = best_plan(aset, read_effort(defaults_path=defaults), budget=40.5)
    # budget 40.5 buys 40 percentage points at most: 0.3 → 0.7, 4.9 − 0.9 = 4.0 points
    assert plan.chosen["input_to"].tolist() == ["7"]
    assert plan.gain == pytest.approx(4.0)
    assert plan.chosen["effort_rule"].tolist() == ["square_toy"]
    # the plan appendix says how it scores: the inputs, the ratio, then the rule's own description
    from dtilib.effort.plan import rule_text

    sub = aset.framework.sub.iloc[0]
    assert rule_text(sub, "en") == "a = hồ sơ trực tuyến; b = tổng số hồ sơ; Ratio = a/b; ratio² × max"
    assert rule_text(sub, "vi") == "a = hồ sơ trực tuyến; b = tổng số hồ sơ; Tỷ lệ = a/b; Tỷ lệ² × điểm tối đa"


def test_rule_labels_need_no_import_of_the_rules_first():
    # a fresh interpreter that imports only the text functions still names the rules
    import subprocess
    import sys

    code = ("import sys; from dtilib.i18n import t; assert 'dtilib.rules' not in sys.modules; "
            "print(t('rule.binary', 'vi') + '|' + t('rule.min_max', 'en'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "Đạt / không đạt|Min–max across units"
