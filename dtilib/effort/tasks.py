"""One home for how a task is worded: :func:`task_text` turns an action's codes and numbers (rule, step
kind, input from/to, ratio from/to, lever, leader) and the framework's row of its sub-indicator into the
sentence an office writes in a plan — "Nâng tỷ lệ hồ sơ trực tuyến từ 6 % lên 10 %", "Ban hành kế hoạch
chuyển đổi số" — never a rule code.  The candidate actions (``description_vi``/``description_en`` of
:func:`~dtilib.effort.actions.candidate_actions`, so ``dti actions`` and report 04), the plan appendix
(:mod:`dtilib.effort.plan`) and the Word draft (:mod:`dtilib.reporting.plandoc`) all take their task
text from here.  Numbers are formatted by :mod:`dtilib.i18n` (shares as percentages).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import i18n

# how an office words a task, by language: a name that starts with a verb is its own task text; documents
# are issued, meetings held (the verb put before such a name); "số …" counts and "tỷ lệ …" ratios are raised
_TASK_VERBS_VI = ("kiểm tra", "ứng dụng", "giám sát", "nâng cấp", "số hóa", "ban hành", "triển khai", "tổ chức",
                  "xây dựng", "thành lập", "kiện toàn", "bố trí", "cài đặt", "thực hiện", "đảm bảo", "bảo đảm",
                  "phê duyệt", "cung cấp", "kết nối", "hợp nhất", "áp dụng", "duy trì", "cập nhật", "phổ cập",
                  "đào tạo", "công bố")
_TASK_VERBS_EN = ("issue", "deploy", "hold", "build", "set up", "establish", "organise", "organize", "install",
                  "carry", "ensure", "approve", "provide", "connect", "merge", "apply", "publish", "train")
# documents are issued, meetings held: the verb an office puts before such a name
_ISSUE_NOUNS_VI = ((("văn bản", "chính sách", "quy chế", "kế hoạch", "nghị quyết", "quyết định", "danh mục", "quy định",
                  "chương trình", "đề án", "kiến trúc"), "Ban hành"),
                (("hội nghị", "lớp", "cuộc", "diễn tập"), "Tổ chức"))
_TASK_VERBS = {"vi": _TASK_VERBS_VI, "en": _TASK_VERBS_EN}
_ISSUE_NOUNS = {"vi": _ISSUE_NOUNS_VI, "en": ()}
_COUNT_NOUNS = {"vi": ("số ",), "en": ()}
_RATIO_NOUNS = {"vi": ("tỷ lệ", "tỷ trọng", "mức độ"), "en": ("share", "ratio", "rate", "level")}


def num_text(x, lang: str = "vi") -> str:
    """A count or a number of points as an office writes it (:func:`dtilib.i18n.fmt_plain`)."""
    return i18n.fmt_plain(x, lang)


def share_text(r, lang: str = "vi") -> str:
    """A share as a percentage with the decimals it has (up to 2): ``0.06`` → ``"6 %"``, ``0.885`` →
    ``"88,5 %"``, ``0.3333`` → ``"33,33 %"``; a share with more digits gets :func:`dtilib.i18n.fmt_percent`'s
    default (``1/3`` → ``"33 %"``)."""
    pct = float(r) * 100
    d = next((d for d in (0, 1, 2) if abs(pct - round(pct, d)) < 1e-7), None)
    return i18n.fmt_percent(r, lang, d)


def share_pair(r0, r1, lang: str = "vi") -> tuple[str, str]:
    """Two shares as percentages (``0.06, 0.1`` → ``"6 %", "10 %"``), with more decimals when that is what
    it takes for the two to read differently (``0.33331, 0.33336`` → ``"33,33 %", "33,34 %"``)."""
    a, b = share_text(r0, lang), share_text(r1, lang)
    for d in (1, 2, 3):
        if a != b:
            break
        a, b = i18n.fmt_percent(r0, lang, d), i18n.fmt_percent(r1, lang, d)
    return a, b


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s and not s[:2].isupper() else s


def tier_label(key, params) -> str:
    """A tier as the framework document words it (``params.labels``, imported frameworks), else its key."""
    labels = params.get("labels") or {}
    return str(labels.get(str(key), labels.get(key, str(key).replace("_", " "))))


def _name(item, lang) -> str | None:
    return i18n.localized(item, "name", lang)


def task_text(action, sub, lang: str = "vi") -> str:
    """The task as an office writes it, from the rule and what the inputs mean — never a rule code.

    *action* is a row of the candidate-action table (``step_kind``, ``part``, ``input_from``, ``input_to``,
    ``ratio_from``, ``ratio_to``, ``lever``, ``leader``); *sub* the framework's row of its sub-indicator
    (``name_vi``, ``name_en``, ``inputs``, ``params``, ``id``).

    >>> sub = {"id": "3.2", "name_vi": "Tỷ lệ hồ sơ trực tuyến", "name_en": "Share of online files"}
    >>> task_text({"step_kind": "ratio", "ratio_from": 0.06, "ratio_to": 0.1}, sub)
    'Nâng tỷ lệ hồ sơ trực tuyến từ 6 % lên 10 %'
    """
    i18n.check_lang(lang)
    name = _name(sub, lang) or str(sub.get("id"))
    part = action.get("part") or ""
    params = sub.get("params") or {}
    if part:
        for p in params.get("parts", []):
            if p["id"] == part:
                name, params = _name(p, lang) or name, p.get("params") or {}
    kind = action.get("step_kind")
    if kind == "step":
        if name.lower().startswith(_TASK_VERBS[lang]):
            return i18n.t("plan.task.do", lang, name=name)
        for nouns, verb in _ISSUE_NOUNS[lang]:
            if name.lower().startswith(nouns):
                return f"{verb} {lower_first(name)}"
        return i18n.t("plan.task.achieve", lang, name=name)
    if kind == "tier":
        return i18n.t("plan.task.tier", lang, name=name, a=tier_label(action.get("input_from"), params),
                      b=tier_label(action.get("input_to"), params))
    a, b = action.get("input_from"), action.get("input_to")
    if kind == "count":
        key = "plan.task.count_of" if name.lower().startswith(_COUNT_NOUNS[lang]) else "plan.task.count"
        return i18n.t(key, lang, name=lower_first(name) if key.endswith("_of") else name, a=num_text(a, lang),
                      b=num_text(b, lang))
    if kind == "points" or pd.isna(action.get("ratio_from", np.nan)):   # a score sheet: points, no rule step
        return i18n.t("plan.task.points", lang, name=name, a=num_text(a, lang), b=num_text(b, lang))
    r0, r1 = share_pair(action.get("ratio_from"), action.get("ratio_to"), lang)
    text = (i18n.t("plan.task.ratio", lang, name=lower_first(name), r0=r0, r1=r1)
            if name.lower().startswith(_RATIO_NOUNS[lang])
            else i18n.t("plan.task.ratio_of", lang, name=name, r0=r0, r1=r1))
    lever = action.get("lever")
    inputs = sub.get("inputs") or {}
    if lever in inputs:
        a, b = float(a), float(b)
        key = "plan.task.lever_up" if b >= a else "plan.task.lever_down"
        text += i18n.t(key, lang, desc=inputs[lever], a=num_text(a, lang), b=num_text(b, lang))
    if bool(action.get("leader", False)):
        text += i18n.t("plan.task.leader", lang)
    return text
