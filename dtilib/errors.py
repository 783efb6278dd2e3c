"""The project's own errors.

Every user mistake (bad file, bad parameter, bad framework) becomes one :class:`DTIError` whose
message names *where* (file, row/cell, column or field) and *what was expected*.  The CLI prints
``str(error)`` and exits with code 2; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class DTIError(Exception):
    """A user-facing error: one readable message naming file, row, column and expectation."""

    column_label = "column"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | str | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.expected = expected
        self.detail = message
        super().__init__(self._format())

    def _format(self) -> str:
        return self.text("en")

    def text(self, lang: str = "vi") -> str:
        """The message in *lang*: where (file, row, column), what is wrong, what was expected; the frame and
        the message's words from the catalogue (:func:`dtilib.i18n.translate`), names and values as given."""
        from .i18n import t, translate

        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(t("error.where.row", lang, row=self.row) if isinstance(self.row, int)
                         else translate(str(self.row), lang))
        if self.column:
            where.append(t(f"error.where.{self.column_label}", lang, name=self.column))
        text = translate(self.detail, lang)
        if where:
            text = ", ".join(where) + ": " + text
        if self.expected:
            text += t("error.where.expected", lang, expected=translate(self.expected, lang))
        return text


class FrameworkError(DTIError):
    """A framework file is malformed (missing max, duplicate id, bad rule, forbidden formula…)."""

    column_label = "field"


class FormulaError(FrameworkError):
    """A formula uses something outside the arithmetic whitelist."""


class DataError(DTIError):
    """A data file or value is wrong (encoding, columns, ranges, unknown names…)."""


class ParameterError(DTIError):
    """A CLI or notebook parameter is wrong (unknown province, bad year, negative budget…)."""

    column_label = "parameter"


# Letters of other scripts that look like Latin ones (Cyrillic and Greek), as they slip in when a
# name is typed on a Russian keyboard layout or pasted from another document.
_LOOKALIKE = dict(zip(
    "аеорсхуіјѕԁһԛԝкмнтвАЕОРСХУІЈЅКМНТВΑΒΕΖΗΙΚΜΝΟΡΤΥΧοκνρτυ",
    "aeopcxyijsdhqwkmhtbAEOPCXYIJSKMHTBABEZHIKMNOPTYXokvptu", strict=True))


def lookalike(name: str, known: Iterable[str]) -> str:
    """``"; 'а' (U+0430 CYRILLIC SMALL LETTER A) at position 2 is not the Latin 'a' of 'Nam'"`` when
    *name* differs from a known name only by look-alike letters of another script (else "")."""
    import unicodedata

    name = unicodedata.normalize("NFC", str(name))
    if not any(c in _LOOKALIKE for c in name):
        return ""
    skeleton = "".join(_LOOKALIKE.get(c, c) for c in name)
    for k in known:
        if str(k) == skeleton:
            i, c = next((i, c) for i, c in enumerate(name) if c != skeleton[i])
            return (f"; '{c}' (U+{ord(c):04X} {unicodedata.name(c, '?')}) at position {i + 1} is not the Latin "
                    f"'{skeleton[i]}' of '{k}'")
    return ""


def suggest(name: str, known: Iterable[str], n: int = 3) -> str:
    """Return ``"; closest known: A, B, C"`` for an unknown *name* (empty string when nothing is close);
    a name that differs from a known one only by look-alike letters gets the differing character."""
    known = list(known)
    same = lookalike(name, known)
    if same:
        return same
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.5)
    if not close:
        from .i18n import fold

        folded = {fold(k).lower(): k for k in known}
        close = [folded[k] for k in difflib.get_close_matches(fold(name).lower(), list(folded), n=n, cutoff=0.5)]
    return ("; closest known: " + ", ".join(close)) if close else ""

