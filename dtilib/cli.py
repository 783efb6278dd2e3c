"""`dti` command line: thin wrappers over library functions.

Each sub-command lives next to the code it wraps, in a module exposing ``register(subparsers)``;
this file only lists those modules.  A :class:`~dtilib.errors.DTIError` is printed as one line and
exits with code 2 (traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# modules that add sub-commands (each has register(subparsers))
COMMAND_MODULES = [
    "dtilib.commands",
    "dtilib.frameworks.cli",
    "dtilib.data.cli",
    "dtilib.analysis.cli",
    "dtilib.effort.cli",
    "dtilib.reporting.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dti", description="Vietnam Digital Transformation Index (DTI) toolkit")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that part of the toolkit is not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .errors import DTIError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except DTIError as exc:
        if args.debug:
            raise
        print(f"dti {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
