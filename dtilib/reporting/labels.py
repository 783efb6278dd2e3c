"""Codes of the reports shown as words: regions and reconciliation checks (text in the catalogue,
``dtilib/text/catalogue.yaml``; :func:`t` is :func:`dtilib.i18n.t`)."""

from __future__ import annotations

from .. import i18n
from ..data.reconcile import check_label  # noqa: F401  (re-exported: the check codes as words)
from ..i18n import t


def region_label(name, lang: str = "vi") -> str:
    """A region's name in *lang* (the Vietnamese name as stored; unknown or missing → as it is / ``—``)."""
    if not isinstance(name, str) or not name:
        return "—"
    key = f"region.{name}"
    return t(key, lang) if i18n.has(key) else name
