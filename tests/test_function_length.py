"""No function or method in dtilib/ is longer than 80 lines (issue 12): a long one is split where the pieces
have names of their own.  A function's length runs from its ``def`` line to its last line, less the lines of
the functions defined inside it, which are measured on their own.  Scans with ``ast``."""

import ast
import textwrap
from pathlib import Path

from conftest import ROOT

LIMIT = 80
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _span(node: ast.AST) -> int:
    return node.end_lineno - node.lineno + 1


def _nested(node: ast.AST) -> list[ast.AST]:
    """The functions defined inside *node* (at any depth of its statements, not inside those functions)."""
    out, todo = [], list(ast.iter_child_nodes(node))
    while todo:
        child = todo.pop()
        if isinstance(child, FUNCTIONS):
            out.append(child)
        else:
            todo.extend(ast.iter_child_nodes(child))
    return out


def long_functions(source: str, path: str = "<source>", limit: int = LIMIT) -> list[str]:
    """``"path:line qualified.name: N lines"`` for each function or method of *source* whose own lines exceed
    *limit*."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, FUNCTIONS):
                inner = _nested(child)
                own = _span(child) - sum(_span(f) for f in inner)
                if own > limit:
                    found.append((child.lineno, f"{path}:{child.lineno} {prefix}{child.name}: {own} lines"))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return [text for _, text in sorted(found)]


def _function(name: str, body_lines: int, indent: str = "") -> str:
    """A function whose span is ``1 + body_lines`` lines."""
    return "".join([f"{indent}def {name}():\n", *(f"{indent}    x{i} = {i}\n" for i in range(body_lines))])


def test_a_long_function_is_caught_and_one_of_the_limit_is_not():
    assert long_functions(_function("f", LIMIT - 1)) == []                       # 80 lines: allowed
    assert long_functions(_function("f", LIMIT), "m.py") == ["m.py:1 f: 81 lines"]
    src = "import os\n\n\n" + _function("short", 3) + "\n\n" + _function("g", 99)
    assert long_functions(src, "m.py") == ["m.py:10 g: 100 lines"]   # lines 1–3 import, 4–7 short, 8–9 blank


def test_a_method_is_named_with_its_class():
    src = "class C:\n    x = 1\n\n" + _function("m", LIMIT + 4, indent="    ")
    assert long_functions(src, "c.py") == ["c.py:4 C.m: 85 lines"]


def test_nested_functions_count_on_their_own():
    # the outer function spans 1 + 40 + 51 = 92 lines, but 51 are its inner function's: 41 of its own
    outer = "def outer():\n" + _function("inner", 50, indent="    ") + "".join(f"    y{i} = {i}\n" for i in range(40))
    assert long_functions(outer) == []
    # a long inner function is caught as itself (at its own line), not its short outer function
    outer = "def outer():\n    a = 1\n" + _function("inner", 90, indent="    ") + "    return a\n"
    assert long_functions(outer, "n.py") == ["n.py:3 outer.inner: 91 lines"]
    # two inner functions of 50 lines each do not add up to a long outer one; 81 own lines do
    outer = ("def outer():\n" + _function("a", 49, indent="    ") + _function("b", 49, indent="    ")
             + "".join(f"    y{i} = {i}\n" for i in range(LIMIT - 1)))
    assert long_functions(outer, "o.py") == []
    outer += "    y = 0\n"
    assert long_functions(outer, "o.py") == ["o.py:1 outer: 81 lines"]


def test_the_lines_counted_are_the_functions_own_from_def_to_last_line():
    src = textwrap.dedent('''
        @decorator
        def f(a,
              b):
            """Doc."""
            return (a +
                    b)
    ''')
    tree = ast.parse(src)
    assert _span(tree.body[0]) == 5                   # def … last line (5 lines); the decorator is not counted


def test_no_function_in_dtilib_is_longer_than_80_lines():
    found = []
    for path in sorted((ROOT / "dtilib").rglob("*.py")):
        found += long_functions(path.read_text(encoding="utf-8"), str(Path(path).relative_to(ROOT)))
    assert not found, (f"{len(found)} function(s) over {LIMIT} lines (split where the pieces have names of "
                       "their own):\n" + "\n".join(found))
