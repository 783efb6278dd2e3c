"""`dti` command line: thin wrappers over library functions.

One module per command group, each exposing ``register(subparsers)``: :mod:`.core` (frameworks,
score, template, validate), :mod:`.frameworks` (framework import/export), :mod:`.data` (import-raw,
build, reconcile), :mod:`.analysis` (trend, rank-change, target, outlook), :mod:`.effort` (plan,
actions, points-worth), :mod:`.report` (report, notebooks).  Every module is imported: one that
fails to import fails ``dti`` itself, loudly.  A :class:`~dtilib.errors.DTIError` is printed as one line and
exits with code 2 (traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import errno
import math
import sys


def build_parser() -> argparse.ArgumentParser:
    from . import analysis, core, data, effort, frameworks, report

    parser = argparse.ArgumentParser(
        prog="dti", description="Vietnam Digital Transformation Index (DTI) toolkit")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (core, frameworks, data, analysis, effort, report):   # the order of `dti --help`
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one ``dti`` command and return its exit status (0 done, 2 a user's mistake, 130 interrupted).

    A reader that stops reading (``dti validate … | head``) ends nothing: what is printed after it went goes
    nowhere, the command finishes its work (the files it writes) and its status is its own.
    """
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s if s is None else UnreadOutput(s) for s in streams)
    try:
        code = _run(argv)
        if sys.stdout is not None:
            sys.stdout.flush()             # a closed pipe shows here rather than at the interpreter's exit
        return code
    finally:
        sys.stdout, sys.stderr = streams


class UnreadOutput:
    """A text stream whose reader may go away (a closed pipe): from then on it writes to ``/dev/null``
    (its file descriptor too, so that the interpreter's last flush does not fail) instead of raising
    ``BrokenPipeError`` in the middle of a command."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._gone()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._gone()

    def _gone(self) -> None:
        import os

        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())
        except (OSError, ValueError):      # a stream without a file descriptor: nothing will be written again
            self._stream = open(os.devnull, "w")  # noqa: SIM115 — lives as long as the command

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _run(argv: list[str] | None) -> int:
    from ..errors import DTIError
    from ..i18n import t

    parser = build_parser()
    args = parser.parse_args(argv)
    lang = message_lang(args, sys.argv[1:] if argv is None else argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        check_paths(args)
        return int(args.func(args) or 0)
    except DTIError as exc:
        if args.debug:
            raise
        print(t("cli.error", lang, command=args.command, message=exc.text(lang)), file=sys.stderr)
        return 2
    except BrokenPipeError:               # a pipe written to other than through sys.stdout/stderr (see main)
        return 141                         # quietly, as a shell reports a command whose reader stopped
    except OSError as exc:
        if args.debug:
            raise
        print(t("cli.error", lang, command=args.command, message=os_error_line(exc, lang)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(t("cli.interrupted", lang), file=sys.stderr)
        return 130


def message_lang(args, argv: list[str]) -> str:
    """The language of the error messages: the command's ``--lang`` when given, else the environment
    variable ``DTI_LANG``, else Vietnamese."""
    import os

    from ..i18n import LANGS

    given = any(a == "--lang" or a.startswith("--lang=") for a in argv)
    lang = getattr(args, "lang", None) if given else os.environ.get("DTI_LANG", "vi")
    return lang if lang in LANGS else "vi"


def check_paths(args) -> None:
    """Check the options before any work: text NFC-normalised (names as typed on any system), numbers
    finite (``inf``/``nan`` refused), every output file
    option (``--out``, ``--plot``) of a format it can be written in, not a folder, and not one of the
    command's input files (any other option naming an existing file)."""
    from ..errors import ParameterError
    from ..io import FIGURE_FORMATS, TABLE_FORMATS, check_output, clean_text

    for dest, value in vars(args).items():
        if isinstance(value, str) and dest not in ("out", "plot") and _kind(value) is None:
            setattr(args, dest, clean_text(value))  # names typed or pasted: NFC, no zero-width characters
        if isinstance(value, float) and not math.isfinite(value):
            raise ParameterError(f"--{dest.replace('_', '-')} {value} is not a finite number",
                                 expected="an ordinary number")

    outputs = {"out": getattr(args, "out_formats", TABLE_FORMATS), "plot": FIGURE_FORMATS}
    if getattr(args, "out_kind", "file") != "file":
        outputs.pop("out")
    inputs = [v for k, v in vars(args).items() if k not in ("out", "plot") and isinstance(v, str) and v.strip()
              and _kind(v) == "file"]
    for dest, formats in outputs.items():
        value = getattr(args, dest, None)
        if value is not None:
            check_output(value, formats=formats, inputs=inputs, option="--" + dest)


def _kind(value: str) -> str | None:
    """``"file"``, ``"dir"`` or None (no such path, or not a possible path at all)."""
    import os

    try:
        return "dir" if os.path.isdir(value) else "file" if os.path.isfile(value) else None
    except (OSError, ValueError):
        return None


_OS_ADVICE = {
    errno.EACCES: "permission denied (choose a folder you may write to, or change the file's permissions)",
    errno.EPERM: "operation not permitted (choose a folder you may write to)",
    errno.EISDIR: "is a folder (give a file name)",
    errno.ENOTDIR: "a part of the path is a file, not a folder (check the path)",
    errno.EEXIST: "already exists (choose another name)",
    errno.ENOSPC: "no space left on the disk (free some space or write elsewhere)",
    errno.EDQUOT: "disk quota exceeded (free some space or write elsewhere)",
    errno.ENAMETOOLONG: "file name too long (choose a shorter name)",
    errno.EROFS: "read-only file system (write to another folder)",
    errno.ENOENT: "not found (check the path)",
}


def os_error_line(exc: OSError, lang: str = "en") -> str:
    """One line for an operating-system error: the path and what to do (in *lang*)."""
    from ..i18n import translate

    what = translate(_OS_ADVICE.get(exc.errno, exc.strerror or str(exc)), lang)
    path = exc.filename if exc.filename is not None else ""
    if exc.filename2 is not None:
        path = f"{path} → {exc.filename2}"
    return f"{path}: {what}" if path else what


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
