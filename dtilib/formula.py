"""Safe arithmetic formulas over named inputs, e.g. ``(a+b+c+d)/(e+f)``.

A formula is parsed with :mod:`ast` and checked against a whitelist: numbers, input names, the
operators ``+ - * /``, unary ``+``/``-``, parentheses, and calls to ``min``/``max`` with two or more
arguments.  Everything else — attribute access, other calls, ``**``, subscripts, lambdas,
comprehensions, names that are not inputs — is rejected with :class:`~dtilib.errors.FormulaError`.
Nothing is ever passed to ``eval``: evaluation walks the checked tree with numpy, vectorised over units.

>>> f = Formula.parse("(a+b)/c", inputs=["a", "b", "c"])
>>> f.evaluate({"a": [1, 2], "b": [1, 0], "c": [4, 4]}).tolist()
[0.5, 0.5]
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

from .errors import FormulaError

MAX_LENGTH = 300
MAX_DEPTH = 40
MAX_NODES = 200

_BINOPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: None}
_FUNCS = {"min": np.minimum, "max": np.maximum}


class ZeroDenominator(ArithmeticError):
    """Raised by :meth:`Formula.evaluate`; ``mask`` marks the units whose denominator is 0."""

    def __init__(self, mask: np.ndarray, expression: str) -> None:
        super().__init__(f"denominator '{expression}' is 0")
        self.mask = mask
        self.expression = expression


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.Expression
    names: tuple[str, ...]

    @classmethod
    def parse(cls, text, inputs=None, *, file: str | None = None, where: str | None = None) -> Formula:
        """Parse and check *text*; *inputs* (if given) are the only names allowed.

        *file* and *where* (e.g. ``"sub-indicator cqs_05, field 'formula'"``) go into error messages.
        """

        def fail(msg: str) -> FormulaError:
            prefix = f"{where}: " if where else ""
            return FormulaError(f"{prefix}formula {str(text)[:60]!r}: {msg}", file=file,
                                expected="arithmetic of input names with + - * / ( ) min max")

        if not isinstance(text, str) or not text.strip():
            raise fail("empty or not text")
        if len(text) > MAX_LENGTH:
            raise fail(f"too long ({len(text)} characters, at most {MAX_LENGTH})")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise fail(f"not valid arithmetic ({exc.msg})") from None
        allowed = None if inputs is None else set(inputs)
        names: list[str] = []
        count = 0

        def check(node: ast.AST, depth: int) -> None:
            nonlocal count
            count += 1
            if depth > MAX_DEPTH or count > MAX_NODES:
                raise fail("nested too deeply or too large")
            if isinstance(node, ast.Expression):
                check(node.body, depth + 1)
            elif isinstance(node, ast.BinOp):
                if type(node.op) not in _BINOPS:
                    raise fail(f"operator '{type(node.op).__name__}' is not allowed")
                check(node.left, depth + 1)
                check(node.right, depth + 1)
            elif isinstance(node, ast.UnaryOp):
                if not isinstance(node.op, ast.UAdd | ast.USub):
                    raise fail(f"operator '{type(node.op).__name__}' is not allowed")
                check(node.operand, depth + 1)
            elif isinstance(node, ast.Constant):
                if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                    raise fail(f"constant {node.value!r} is not a number")
                if not np.isfinite(float(node.value)) or abs(node.value) > 1e12:
                    raise fail(f"constant {node.value!r} is out of range")
            elif isinstance(node, ast.Name):
                if node.id in _FUNCS:
                    raise fail(f"'{node.id}' can only be called")
                if node.id.startswith("_"):
                    raise fail(f"name '{node.id}' is not allowed")
                if allowed is not None and node.id not in allowed:
                    raise fail(f"unknown input '{node.id}' (inputs: {', '.join(sorted(allowed)) or 'none'})")
                names.append(node.id)
            elif isinstance(node, ast.Call):
                if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCS:
                    raise fail("function calls other than min(...) and max(...) are not allowed")
                if node.keywords or len(node.args) < 2:
                    raise fail(f"{node.func.id}() takes two or more plain arguments")
                for arg in node.args:
                    if isinstance(arg, ast.Starred):
                        raise fail("starred arguments are not allowed")
                    check(arg, depth + 1)
            else:
                raise fail(f"'{type(node).__name__}' is not allowed")

        check(tree, 0)
        return cls(text.strip(), tree, tuple(dict.fromkeys(names)))

    def evaluate(self, values) -> np.ndarray:
        """Evaluate over a mapping ``name -> number or array`` (vectorised; returns float array).

        Raises :class:`ZeroDenominator` (with the mask of failing positions) when a divisor is 0,
        and :class:`KeyError` for a missing input.
        """
        arrays = {k: np.asarray(values[k], dtype=float) for k in self.names}
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values())) if values else ()
        result = _eval(self.tree.body, arrays)
        return np.array(np.broadcast_to(np.asarray(result, dtype=float), shape), dtype=float)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.text


def _eval(node: ast.AST, env: dict[str, np.ndarray]):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        return -v if isinstance(node.op, ast.USub) else +v
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, env), _eval(node.right, env)
        if isinstance(node.op, ast.Div):
            right_arr = np.asarray(right, dtype=float)
            zero = right_arr == 0
            if np.any(zero):
                raise ZeroDenominator(np.broadcast_to(zero, np.broadcast(left, right).shape).copy(),
                                      ast.unparse(node.right))
            return np.true_divide(left, right_arr)
        with np.errstate(over="ignore", invalid="ignore"):
            return _BINOPS[type(node.op)](left, right)
    if isinstance(node, ast.Call):
        args = [_eval(a, env) for a in node.args]
        out = args[0]
        for a in args[1:]:
            out = _FUNCS[node.func.id](out, a)
        return out
    raise FormulaError(f"'{type(node).__name__}' is not allowed")  # unreachable after parse()
