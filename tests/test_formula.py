import ast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtilib.errors import DTIError, FormulaError
from dtilib.formula import Formula, ZeroDenominator


def test_evaluates_vectorised():
    f = Formula.parse("(a+b+c+d)/(e+f)", inputs="abcdef")
    out = f.evaluate({"a": [1, 0], "b": [1, 0], "c": [1, 2], "d": [1, 2], "e": [50, 10], "f": [50, 30]})
    assert out.tolist() == [0.04, 0.1]  # 4/100 and 4/40, by hand


def test_min_max_calls_and_unary():
    f = Formula.parse("min(a, b) / max(a, b, 1) - -0", inputs="ab")
    assert f.evaluate({"a": [2.0], "b": [8.0]}).tolist() == [0.25]


@pytest.mark.parametrize("text,why", [
    ("a.__class__", "Attribute"),
    ("__import__('os')", "function calls"),
    ("open('x')", "function calls"),
    ("lambda: 1", "Lambda"),
    ("[x for x in a]", "ListComp"),
    ("{x: 1 for x in a}", "DictComp"),
    ("9**9**9", "Pow"),
    ("a if b else 0", "IfExp"),
    ("a[0]", "Subscript"),
    ("a < b", "Compare"),
    ("'text'", "not a number"),
    ("True", "not a number"),
    ("1e300", "out of range"),
    ("max(a)", "two or more"),
    ("min(a, b, key=c)", "two or more plain"),
    ("z + 1", "unknown input 'z'"),
    ("a +", "not valid arithmetic"),
    ("a" + "+a" * 200, "too long"),
    ("", "empty"),
])
def test_rejects_everything_outside_the_whitelist(text, why):
    with pytest.raises(FormulaError) as exc:
        Formula.parse(text, inputs="abc", file="fw.yaml", where="sub-indicator 'x1'")
    msg = str(exc.value)
    assert why in msg
    assert msg.startswith("fw.yaml") and "sub-indicator 'x1'" in msg


def test_zero_denominator_marks_units():
    f = Formula.parse("a/(b-c)", inputs="abc")
    with pytest.raises(ZeroDenominator) as exc:
        f.evaluate({"a": [1, 1, 1], "b": [2, 3, 4], "c": [1, 3, 0]})
    assert exc.value.mask.tolist() == [False, True, False]


_names = st.sampled_from(["a", "b", "c"])
_leaf = st.one_of(_names, st.integers(0, 1000).map(str), st.floats(0, 1e6, allow_nan=False).map(repr))


def _expr(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**", "//", "%", "<", "and", "."]), children)
        .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["min", "max", "abs", "eval", "__import__", "getattr"]), children, children)
        .map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        children.map(lambda c: f"-{c}"),
    )


@settings(max_examples=300, deadline=None)
@given(st.recursive(_leaf, _expr, max_leaves=12))
def test_fuzz_random_expressions_only_number_or_own_error(text):
    try:
        f = Formula.parse(text, inputs="abc")
    except DTIError:
        return
    try:
        out = f.evaluate({"a": np.array([1.5]), "b": np.array([2.0]), "c": np.array([0.5])})
    except ZeroDenominator:
        return
    assert out.dtype == float and out.shape == (1,)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_random_strings_only_number_or_own_error(text):
    try:
        f = Formula.parse(text, inputs="abc")
    except DTIError:
        return
    try:
        out = f.evaluate({"a": [1.0], "b": [2.0], "c": [3.0]})
    except ZeroDenominator:
        return
    assert np.all(np.isfinite(out) | np.isnan(out) | np.isinf(out))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcxyz_().+-*/, 0123456789", max_size=40))
def test_no_name_outside_inputs_is_reachable(text):
    try:
        f = Formula.parse(text, inputs="abc")
    except DTIError:
        return
    assert set(f.names) <= {"a", "b", "c"}


_ast_leaf = st.one_of(
    st.sampled_from(["a", "b", "c", "os", "__builtins__", "self", "min", "max", "eval"]).map(
        lambda n: ast.Name(id=n, ctx=ast.Load())),
    st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
              st.text(max_size=5), st.none()).map(lambda v: ast.Constant(value=v)),
)
_ops = [ast.Add(), ast.Sub(), ast.Mult(), ast.Div(), ast.Pow(), ast.FloorDiv(), ast.Mod(), ast.BitXor(), ast.LShift()]


def _ast_node(children):
    return st.one_of(
        st.builds(lambda lhs, op, r: ast.BinOp(left=lhs, op=op, right=r), children, st.sampled_from(_ops), children),
        st.builds(lambda o, op: ast.UnaryOp(op=op, operand=o), children,
                  st.sampled_from([ast.USub(), ast.UAdd(), ast.Not(), ast.Invert()])),
        st.builds(lambda f, args: ast.Call(func=ast.Name(id=f, ctx=ast.Load()), args=args, keywords=[]),
                  st.sampled_from(["min", "max", "eval", "exec", "open", "getattr", "__import__"]),
                  st.lists(children, max_size=3)),
        st.builds(lambda v, attr: ast.Attribute(value=v, attr=attr, ctx=ast.Load()), children,
                  st.sampled_from(["__class__", "real", "system", "__globals__"])),
        st.builds(lambda v, s: ast.Subscript(value=v, slice=s, ctx=ast.Load()), children, children),
        st.builds(lambda b: ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[],
                                                          defaults=[]), body=b), children),
        st.builds(lambda t, b, o: ast.IfExp(test=t, body=b, orelse=o), children, children, children),
        st.builds(lambda lhs, r: ast.Compare(left=lhs, ops=[ast.Lt()], comparators=[r]), children, children),
    )


@settings(max_examples=400, deadline=None)
@given(st.recursive(_ast_leaf, _ast_node, max_leaves=15))
def test_fuzz_random_asts_only_number_or_own_error(node):
    try:
        text = ast.unparse(ast.fix_missing_locations(ast.Expression(body=node)))
    except Exception:  # some random trees cannot be written as source at all
        return
    try:
        f = Formula.parse(text, inputs="abc")
    except DTIError:
        return
    assert set(f.names) <= {"a", "b", "c"}
    try:
        out = f.evaluate({"a": np.array([1.5, 0.0]), "b": np.array([2.0, 3.0]), "c": np.array([0.5, 1.0])})
    except ZeroDenominator:
        return
    assert out.dtype == float and out.shape == (2,)
