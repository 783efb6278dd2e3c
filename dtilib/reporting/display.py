"""Small display helpers for the notebooks: headings, notes, key figures and tables in vi/en.

Numbers are shown with :func:`dtilib.i18n.fmt_number` (``0,5032`` in Vietnamese, ``0.5032`` in English);
column names are translated with :func:`dtilib.i18n.t` where a label exists.  Every helper returns an
object with an HTML representation (shown by Jupyter and kept in the HTML report) and a plain-text one.

>>> import pandas as pd
>>> html = table(pd.DataFrame({"year": [2022], "dti_value": [0.50321]}), "vi")._repr_html_()
>>> "0,5032" in html and "Giá trị DTI" in html
True
"""

from __future__ import annotations

import html as _html
import re

from .. import i18n
from ..i18n import t  # noqa: F401  (re-exported for the notebooks: show.t)
from .labels import check_label, region_label  # noqa: F401  (re-exported for the notebooks)


class HTML:
    """A piece of HTML with a plain-text fallback, and a Markdown form where it is prose (headings,
    notes, summaries), so a notebook opened in JupyterLab reads like the report."""

    def __init__(self, html: str, text: str = "", markdown: str | None = None):
        self.html = html
        self.text = text
        self.markdown = markdown

    def _repr_html_(self) -> str:
        return self.html

    def _repr_markdown_(self) -> str | None:
        return self.markdown

    def __repr__(self) -> str:
        return self.text or _strip_tags(self.html)

    def __str__(self) -> str:
        return self.html


def _strip_tags(s: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", s)


def _label(key: str, lang: str) -> str:
    return i18n.t(key, lang)


def heading(key_or_text: str, lang: str = "vi", level: int = 2, **fmt) -> HTML:
    """A heading from a label key (or literal text when no label exists)."""
    text = i18n.t(key_or_text, lang, **fmt)
    return HTML(f"<h{level}>{_html.escape(text)}</h{level}>", text, "#" * level + " " + _md_escape(text))


def md(key_or_text: str, lang: str = "vi", **fmt) -> HTML:
    """A paragraph of catalogue text (a label key, or literal text) shown as Markdown in a notebook and as
    a paragraph in the report — the notebook's explanations in the language of ``lang``."""
    text = i18n.t(key_or_text, lang, **fmt)
    return HTML(f"<p>{_html.escape(text)}</p>", text, _md_escape(text))


def _md_escape(text: str) -> str:
    """*text* safe inside Markdown (characters that would start emphasis, code or a list are escaped)."""
    import re

    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", str(text))


def note(key_or_text: str, lang: str = "vi", kind: str = "note", **fmt) -> HTML:
    """A paragraph (``kind`` = note, warning or illustrative) from a label key or literal text."""
    text = i18n.t(key_or_text, lang, **fmt)
    return HTML(f'<div class="dti-{kind}">{_html.escape(text)}</div>', text, "> " + _md_escape(text))


def note_text(note, lang: str = "vi") -> str:
    """The text of a library note in *lang* (a bilingual note's Vietnamese or English; plain text as is)."""
    return i18n.note_text(note, lang)


def rank_move(r0, r1, n, lang: str = "vi") -> str:
    """A rank before → after that always says something (``giữ hạng nhất (1/8)…``), see
    :func:`dtilib.i18n.rank_move_text`."""
    return i18n.rank_move_text(r0, r1, n, lang)


def percent(share, lang: str = "vi") -> str:
    """A share 0..1 as readers write it (``0.06`` → ``6 %``), see :func:`dtilib.i18n.fmt_percent`."""
    return i18n.fmt_percent(share, lang)


def fmt_range(lo, hi, lang: str = "vi", decimals: int = 4, bounds=None) -> str:
    """``0,3350–0,4626`` (``≤ 0,6735`` with *bounds* when only the scale bounds one end), see
    :func:`dtilib.i18n.fmt_range`."""
    return i18n.fmt_range(lo, hi, lang, decimals, bounds=bounds)


def fmt_signed(x, lang: str = "vi", decimals: int = 4) -> str:
    """A change with its sign (``+0,0723``, ``−0,0603``), see :func:`dtilib.i18n.fmt_signed`."""
    return i18n.fmt_signed(x, lang, decimals)


def rank_delta_text(delta, lang: str = "vi") -> str:
    """A rank change with its meaning (``−2 (tăng 2 bậc)``), see :func:`dtilib.i18n.rank_delta_text`."""
    return i18n.rank_delta_text(delta, lang)


def paragraph(text: str) -> HTML:
    return HTML(f"<p>{_html.escape(text)}</p>", text)


def bullets(items, lang: str = "vi") -> HTML:
    items = [str(i) for i in items]
    return HTML("<ul>" + "".join(f"<li>{_html.escape(i)}</li>" for i in items) + "</ul>", "\n".join(items))


def _is_table_row(line: str) -> bool:
    """A row of :func:`dtilib.i18n.text_table` (cells padded apart by two spaces or more), not a list item."""
    import re

    return not line.startswith((" ", "- ", "• ")) and bool(re.search(r"\S {2,}\S", line))


def text_block(text: str) -> HTML:
    """A library summary (first line, then ``- `` items, then notes) as a paragraph, a list and paragraphs;
    a padded text table (:func:`dtilib.i18n.text_table`) inside it as a table (first row = header)."""
    import re

    out, items, rows = [], [], []

    def flush():
        if items:
            out.append("<ul>" + "".join(f"<li>{_html.escape(i)}</li>" for i in items) + "</ul>")
            items.clear()
        if rows:
            cells = [re.split(r" {2,}", r.strip()) for r in rows]
            head = "".join(f"<th>{_html.escape(c)}</th>" for c in cells[0])
            body = "".join("<tr>" + "".join(f"<td>{_html.escape(c)}</td>" for c in r) + "</tr>" for r in cells[1:])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            rows.clear()

    for line in str(text).splitlines():
        s = line.strip()
        if not s:
            continue
        if _is_table_row(line):
            if items:
                flush()
            rows.append(line)
        elif s.startswith(("- ", "• ")):
            if rows:
                flush()
            items.append(s[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + s
        else:
            flush()
            out.append(f"<p>{_html.escape(s)}</p>")
    flush()
    mdl, in_table = [], False
    for line in str(text).splitlines():
        st = line.strip()
        if st and _is_table_row(line):
            cells = [_md_escape(c).replace("|", "\\|") for c in re.split(r" {2,}", st)]
            if not in_table:
                mdl += ["", "| " + " | ".join(cells) + " |", "|" + "---|" * len(cells)]
            else:
                mdl.append("| " + " | ".join(cells) + " |")
            in_table = True
            continue
        in_table = False
        if st.startswith(("- ", "• ")):
            mdl.append("- " + _md_escape(st[2:]))
        elif st and line.startswith("  ") and mdl and mdl[-1].startswith("- "):
            mdl[-1] += " " + _md_escape(st)
        elif st:
            mdl += ["", _md_escape(st), ""]
    return HTML('<div class="dti-text">' + "".join(out) + "</div>", str(text), "\n".join(mdl).strip())


def illustrative(lang: str = "vi") -> HTML:
    """The ILLUSTRATIVE banner (shown next to anything computed from the invented example data)."""
    return note("report.illustrative", lang, kind="illustrative")


def appendix_link(path, lang: str = "vi") -> HTML:
    """A link to a file written next to the report (relative, so it works offline from the folder)."""
    from pathlib import Path

    name = Path(path).name
    text = i18n.t("report.appendix", lang, name=name)
    return HTML(f'<p class="dti-note">{_html.escape(text)}: <a href="{_html.escape(name)}">{_html.escape(name)}</a>'
                "</p>", f"{text}: {path}")


def value_ranges(frame, lang: str = "vi") -> list[str]:
    """``value`` where published, else ``lo–hi`` (the bounds the ranking order allows; ``≤ hi`` when only
    the scale's 0 bounds it below, :func:`dtilib.i18n.fmt_range`), per row of *frame*."""
    out = []
    for v, lo, hi in zip(frame["value"], frame["lo"], frame["hi"], strict=True):
        if not _missing(v):
            out.append(fmt(v, lang))
        elif _missing(lo) or _missing(hi):
            out.append("—")
        else:
            out.append(i18n.fmt_range(lo, hi, lang, bounds=(0.0, 1.0)))
    return out


def action_texts(frame, lang: str = "vi") -> list:
    """The task of each row of a table of actions as worded by :mod:`dtilib.effort.tasks` (it names the
    sub-indicator), in *lang*: ``description_vi`` or ``description_en``.

    >>> import pandas as pd
    >>> actions = pd.DataFrame({"description_vi": ["Ban hành quy chế"], "description_en": ["Issue the rules"]})
    >>> action_texts(actions, "en"), action_texts(actions, "vi")
    (['Issue the rules'], ['Ban hành quy chế'])
    """
    return list(frame["description_en" if lang == "en" else "description_vi"])


def group_checks(checks, published, lang: str = "vi"):
    """The checks of :func:`dtilib.analysis.gaps.check_published` in the reader's words: status, check,
    detail, and ``unit: group`` with the group's name in *lang*."""
    group_names = {f"{u}: {n}": f"{u}: {t(g, lang)}"
                   for u, n, g in zip(published["unit"], published["name_vi"], published["group"], strict=True)}
    return checks.assign(status=[t(f"nb03.status_{s}", lang) for s in checks["status"]],
                         check=[check_label(c, lang) for c in checks["check"]],
                         detail=[note_text(d, lang) for d in checks["detail"]],
                         unit=[group_names.get(u, u) for u in checks["unit"]])


def figures(items, lang: str = "vi") -> HTML:
    """Key figures as cards: ``[(label_key_or_text, value), …]``; floats are formatted for *lang*."""
    cards, text = [], []
    for label, value in items:
        lab = i18n.t(label, lang)
        val = fmt(value, lang)
        cards.append(f'<div class="dti-figure"><div class="dti-figure-value">{_html.escape(val)}</div>'
                     f'<div class="dti-figure-label">{_html.escape(lab)}</div></div>')
        text.append(f"{lab}: {val}")
    return HTML('<div class="dti-figures">' + "".join(cards) + "</div>", "\n".join(text))


def points(x, lang: str = "vi") -> str:
    """Points as the frameworks write them: whole points as whole numbers, else 2 decimals (``83,93``,
    ``200``, ``0``; missing ``—``) — never the 4 decimals of a 0..1 value."""
    if _missing(x):
        return "—"
    return i18n.fmt_number(x, lang, 0 if float(x).is_integer() else 2)


def gap_figures(g, lang: str = "vi") -> HTML:
    """The key figures of a :class:`~dtilib.analysis.gaps.Gaps`: points achieved of the maximum (the
    framework's total unknown or nothing scored: said so), the points scored on, lost and not scored, the
    rank in the data (not computable: said so) and the counts at max / partial / zero."""
    tot = g.total
    known = not _missing(tot["max_points"])
    scored = tot["scored_on"] > 0
    of = points(tot["max_points"], lang) if known else t("nb03.unknown_max", lang)
    items = [("nb03.total" if known else "nb03.total_no_max",
              f"{fmt(tot['achieved'], lang, 2)} / {points(tot['max_points'], lang)}" if known and scored else
              fmt(tot["achieved"], lang, 2) if scored else t("nb03.nothing_scored", lang)),
             ("nb03.scored_on", f"{points(tot['scored_on'], lang)} / {of}")]
    if scored:
        items.append(("nb03.lost", fmt(tot["lost"], lang, 2)))
    if known and tot.get("not_scored", 0) > 0:
        items.append(("analysis.not_scored", fmt(tot["not_scored"], lang, 2)))
    items.append(("nb03.rank", f"{tot['rank']}/{tot['rank_of']}") if tot["rank"] is not None else
                 ("nb03.rank_none_label", t("nb03.rank_none", lang)))
    if scored:
        items.append(("nb03.counts", " / ".join(fmt(tot[k], lang) for k in ("n_full", "n_partial", "n_zero"))))
    return figures(items, lang)


def gap_groups(g, lang: str = "vi") -> HTML:
    """The group table of a :class:`~dtilib.analysis.gaps.Gaps`: max, achieved, lost, not scored, the counts
    at max / partial / zero in one column, and the points lost by kind (only the kinds that lost points) —
    narrow enough for a report page."""
    gr = g.groups
    counts = [" / ".join(fmt(r[k], lang) for k in ("n_full", "n_partial", "n_zero")) for _, r in gr.iterrows()]
    frame = gr[["name", "max_points", "achieved", "lost", "not_scored"]].assign(counts=counts)
    labels = {"name": "nb03.group", "max_points": "max_points", "achieved": "nb03.achieved", "lost": "nb03.lost",
              "not_scored": "analysis.not_scored", "counts": "nb03.counts"}
    for k in ("step", "ratio", "peer", "parts", "unknown"):
        col = f"lost_{k}"
        if (gr[col].fillna(0) > 1e-9).any():
            frame[col] = gr[col]
            labels[col] = f"nb03.lost_{k}"
    decimals = {c: 2 for c in frame.columns if c not in ("name", "counts", "max_points")}
    return table(frame, lang, labels=labels, decimals={**decimals, "max_points": 0})


def no_data(g, lang: str = "vi") -> HTML | None:
    """A warning when nothing of the unit could be scored (no data for any sub-indicator), else ``None``."""
    if g.total["scored_on"] > 0:
        return None
    return note("nb03.no_data", lang, kind="warning", unit=g.unit, n=g.total["n"])


def latest_figures(trend_table, lang: str = "vi", target: tuple | None = None) -> HTML:
    """The summary cards of a trend: latest value (its year), latest rank out of its list (its year),
    and the target ``(rank, rank_of, year)`` — taken from the latest year of the record, 63- or 34-list."""
    from ..analysis.trends import latest, rank_text

    last = latest(trend_table)
    items = [("nb02.latest_value", None if last is None or last["value_year"] is None else
              f"{fmt(last['value'], lang)} ({last['value_year']})"),
             ("nb02.latest_rank", None if last is None else rank_text(last, lang))]
    if target is not None:
        items.append(("nb02.target", f"{target[0]}/{target[1]} ({target[2]})"))
    return figures(items, lang)


def fmt(value, lang: str = "vi", decimals: int | None = None) -> str:
    """A value as text for *lang*: ints as ints, floats with *decimals* (default 4 within ±1, else 2),
    missing values as ``—``.

    >>> fmt(0.50321, "vi"), fmt(0.50321, "en"), fmt(539.53, "vi"), fmt(12, "vi"), fmt(None)
    ('0,5032', '0.5032', '539,53', '12', '—')
    """
    import numpy as np

    if _missing(value):
        return "—"
    if isinstance(value, bool | np.bool_):
        return "✓" if value else "✗"
    if isinstance(value, int | np.integer) and decimals is None:
        return i18n.fmt_int(value, lang)
    if isinstance(value, int | float | np.integer | np.floating):
        v = float(value)
        if decimals is None:
            decimals = 4 if abs(v) <= 1 else 2
        return i18n.fmt_number(v, lang, decimals)
    return str(value)


def table(df, lang: str = "vi", *, decimals: dict | None = None, labels: dict | None = None,
          highlight=None, caption: str | None = None, index: bool = False, max_rows: int = 200,
          row_classes=None) -> HTML:
    """*df* as an HTML table with translated headers and *lang* number formats.

    ``decimals`` maps columns to decimals (default: 4 for values in 0..1, 2 otherwise, ints as ints);
    ``labels`` maps columns to label keys or literal header text; ``highlight`` is a boolean mask of
    rows to emphasise (e.g. the province of the report); ``row_classes`` an extra CSS class per row
    (e.g. ``dti-break`` for the first row after a methodology break).  Missing values show as ``—``
    in a cell of class ``gap``; the plain text is aligned in columns.
    """
    import numpy as np
    import pandas as pd

    decimals = decimals or {}
    labels = labels or {}
    frame = df.reset_index() if index else df
    frame = frame.head(max_rows)
    if highlight is None:
        hl = np.zeros(len(frame), dtype=bool)
    else:
        hl = pd.Series(list(highlight)).map(lambda x: bool(x) if not _missing(x) else False).to_numpy(bool)[: len(frame)]
    heads = [i18n.t(labels.get(c, c), lang) if isinstance(c, str) else str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    right = [n or _number_texts(frame[c]) for c, n in zip(frame.columns, numeric, strict=True)]
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{_html.escape(i18n.t(caption, lang))}</caption>")
    out.append("<thead><tr>" + "".join(
        f'<th class="num">{_html.escape(h)}</th>' if n else f'<th style="text-align:left">{_html.escape(h)}</th>'
        for h, n in zip(heads, right, strict=True))
        + "</tr></thead><tbody>")
    rows_text = []
    extra = list(row_classes)[: len(frame)] if row_classes is not None else [""] * len(frame)
    for i, row in enumerate(frame.itertuples(index=False)):
        cells, texts = [], []
        for c, v, n, r in zip(frame.columns, row, numeric, right, strict=True):
            d = decimals.get(c)
            if _is_plain(c) and not _missing(v):
                s = str(int(v)) if isinstance(v, int | float) or hasattr(v, "__int__") else str(v)
            else:
                s = fmt(v, lang, d) if n or isinstance(v, float) else ("—" if _missing(v) else str(v))
            gap = " gap" if _missing(v) else ""
            align = "" if r else ' style="text-align:left"'     # JupyterLab right-aligns every cell
            cells.append(f'<td class="{"num" if r else "txt"}{gap}"{align}>{_html.escape(s)}</td>')
            texts.append(s)
        classes = " ".join(c for c in ("dti-highlight" if hl[i] else "", extra[i] or "") if c)
        cls = f' class="{classes}"' if classes else ""
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
        rows_text.append(texts)
    out.append("</tbody></table>")
    if len(df) > max_rows:
        out.append(f"<p class=dti-meta>… {len(df) - max_rows} more</p>")
    return HTML("".join(out), _aligned(heads, rows_text, right))


def _aligned(heads: list[str], rows: list[list[str]], numeric: list[bool]) -> str:
    """Columns padded to one width (numbers to the right) for a terminal."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads)]

    def line(cells):
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True))

    return "\n".join(line(r).rstrip() for r in [heads, *rows])


#: a number already written as text: ``+0,0723``, ``17–31``, ``−2 (tăng 2 bậc)``, ``—``
_NUMBER_TEXT = re.compile(r"[+−-]?\d[\d.,\u202f]*(?:\s?%)?(?:–\d[\d.,\u202f]*)?(?: \([^()]{0,24}\))?|—")


def _number_texts(column) -> bool:
    """A column of numbers written as text (changes, ranges): aligned and kept on one line as numbers."""
    vals = [v for v in column if not _missing(v)]
    return bool(vals) and all(isinstance(v, str) and _NUMBER_TEXT.fullmatch(v) for v in vals) and any(
        v != "—" for v in vals)


def _is_plain(column) -> bool:
    """Columns shown as written (no thousands separator): years and list sizes."""
    c = str(column)
    return c in ("year", "era", "from_year", "to_year", "from_era", "to_era") or c.endswith("_year")


def missing(v) -> bool:
    """True for None, NaN and pd.NA (a value not known), for the notebooks."""
    return _missing(v)


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def number_axis(ax, lang: str = "vi", decimals: int = 2, axis: str = "y") -> None:
    """Format a matplotlib axis's tick labels with *lang*'s decimal separator."""
    from matplotlib.ticker import FuncFormatter

    f = FuncFormatter(lambda x, _pos: i18n.fmt_number(x, lang, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)


def setup_plots() -> None:
    """Consistent, small, fast figures (PNG, 100 dpi) for reports."""
    import matplotlib

    matplotlib.rcParams.update({
        "figure.figsize": (8, 3.6), "figure.dpi": 100, "savefig.dpi": 100, "axes.spines.top": False,
        "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3, "font.size": 10,
    })
    try:
        from IPython import get_ipython

        ip = get_ipython()
        if ip is not None:
            import matplotlib.pyplot as plt

            plt.switch_backend(matplotlib.get_backend())   # the inline backend now: it sets its formatters

            ip.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
            _describe_figures(ip)
    except ImportError:  # pragma: no cover
        pass


def figure_description(fig) -> str | None:
    """What a figure shows, in its own language: the description a plot function set (``fig.dti_alt``), else
    its titles (the figure's, then each axes') — the report's alt text for the image.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("Điểm bị mất"); plt.close(fig)
    >>> figure_description(fig)
    'Điểm bị mất'
    """
    given = getattr(fig, "dti_alt", None)
    if given:
        return str(given)
    titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) is not None else []
    titles += [ax.get_title() for ax in fig.get_axes()]
    text = "; ".join(" ".join(x.split()) for x in titles if x and x.strip())
    if not text:   # no title: what its axes measure
        text = "; ".join(" / ".join(x for x in (ax.get_ylabel(), ax.get_xlabel()) if x) for ax in fig.get_axes())
    return text.strip("; ") or None


def _describe_figures(ip) -> None:
    """Give every matplotlib figure shown by *ip* its description as the image's ``alt`` metadata (the
    report's HTML writes it as the alt text instead of nbconvert's English placeholder)."""
    from matplotlib.figure import Figure

    png = ip.display_formatter.formatters["image/png"]
    try:
        base = png.lookup_by_type(Figure)
    except KeyError:  # pragma: no cover  (the inline backend not loaded)
        return
    if getattr(base, "dti_described", False):
        return

    def described(fig):
        data = base(fig)
        alt = figure_description(fig)
        if data is None or not alt:
            return data
        if isinstance(data, tuple):
            return data[0], {**(data[1] or {}), "alt": alt}
        return data, {"alt": alt}

    described.dti_described = True
    png.for_type(Figure, described)
