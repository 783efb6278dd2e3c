"""Vietnamese / English labels of the analysis (registered with :func:`dtilib.i18n.register`)."""

from __future__ import annotations

from ..i18n import register

LABELS = {
    "analysis.list": {"vi": "DS", "en": "List"},
    "analysis.rank_of": {"vi": "Trên", "en": "Of"},
    "analysis.delta_value": {"vi": "Δ giá trị", "en": "Δ value"},
    "analysis.delta_rank": {"vi": "Δ hạng", "en": "Δ rank"},
    "analysis.percentile": {"vi": "Phân vị*", "en": "Percentile*"},
    "analysis.vs_avg": {"vi": "So với TB*", "en": "vs avg*"},
    "analysis.break": {"vi": "Gián đoạn", "en": "Break"},
    "analysis.trend_title": {"vi": "Xu hướng Chỉ số chuyển đổi số (DTI): {unit}", "en": "DTI trend: {unit}"},
    "analysis.trend_note": {
        "vi": ("Δ hạng âm = tăng bậc. Gián đoạn: method = đổi bộ chỉ số (so sánh qua mốc này cần thận trọng), "
               "reorg = chuyển từ danh sách 63 sang 34 tỉnh. — = chưa có số liệu công bố (không nội suy). "
               "* Công cụ hỗ trợ so sánh giữa các bộ chỉ số: phân vị = 1 − (hạng − 1)/(số tỉnh − 1); "
               "so với TB = giá trị − trung bình cấp tỉnh đã công bố của năm."),
        "en": ("Negative Δ rank = moved up. Breaks: method = framework changed (compare across it with care), "
               "reorg = the 63-province list became the 34-province list. — = not published (never "
               "interpolated). * Comparability aids across frameworks: percentile = 1 − (rank − 1)/(list size − 1); "
               "vs avg = value − the published provincial average of the year."),
    },
    # plots
    "analysis.value_axis": {"vi": "Giá trị DTI (0–1)", "en": "DTI value (0–1)"},
    "analysis.rank_axis": {"vi": "Xếp hạng (1 = cao nhất)", "en": "Rank (1 = best)"},
    "analysis.provincial_avg": {"vi": "Trung bình cấp tỉnh", "en": "Provincial average"},
    "analysis.method_break": {"vi": "Đổi bộ chỉ số", "en": "Framework change"},
    "analysis.reorg_break": {"vi": "Sắp xếp 63 → 34 tỉnh", "en": "63 → 34 reorganisation"},
    "analysis.breaks_note": {
        "vi": "Đường bị ngắt tại mốc đổi bộ chỉ số hoặc danh sách tỉnh: không so sánh trực tiếp qua mốc.",
        "en": "Lines are broken where the framework or the province list changed: no direct comparison across.",
    },
    "analysis.missing_note": {"vi": "Năm thiếu số liệu để trống: {years}", "en": "Years not published left empty: {years}"},
    "analysis.source_note": {"vi": "Nguồn: {source}. Bộ chỉ số: {frameworks}.",
                             "en": "Source: {source}. Framework: {frameworks}."},
    "analysis.source_published": {"vi": "kết quả DTI công bố (dti.gov.vn, báo chí, tài liệu tỉnh)",
                                  "en": "published DTI results (dti.gov.vn, press, provincial documents)"},
    "analysis.bump_title": {"vi": "Thứ hạng DTI của nhóm so sánh", "en": "DTI ranks of the peer group"},
    "analysis.gap_title": {"vi": "Điểm đạt và điểm bị mất theo nhóm chỉ số: {unit}",
                           "en": "Points achieved and lost per indicator group: {unit}"},
    "analysis.achieved": {"vi": "Điểm đạt", "en": "Achieved"},
    "analysis.lost": {"vi": "Điểm bị mất", "en": "Points lost"},
    "analysis.total": {"vi": "Tổng", "en": "Total"},
    "analysis.kind.step": {"vi": "Bước rẻ (nhị phân/mức/đếm)", "en": "Cheap step (binary/tiered/count)"},
    "analysis.kind.ratio": {"vi": "Độ dốc (tỷ lệ)", "en": "Slope (ratio rule)"},
    "analysis.kind.peer": {"vi": "Phụ thuộc đơn vị khác (min–max)", "en": "Peer-dependent (min–max)"},
    "analysis.kind.parts": {"vi": "Nhiều phần (cộng dồn)", "en": "Parts (additive)"},
    "analysis.kind.unknown": {"vi": "Chưa rõ quy tắc", "en": "Rule unknown"},
    "analysis.profile_title": {"vi": "Chỉ số thành phần chính {year}: {unit} so với nhóm so sánh",
                               "en": "Main indicators {year}: {unit} vs peers"},
    "analysis.profile_axis": {"vi": "Giá trị (0–1)", "en": "Value (0–1)"},
    "analysis.peer_mean": {"vi": "TB nhóm so sánh ({n} tỉnh có số liệu)", "en": "Peer mean ({n} with data)"},
    "analysis.peer_range": {"vi": "Khoảng của nhóm", "en": "Peer range"},
    "analysis.illustrative": {"vi": "Dữ liệu minh họa", "en": "Illustrative data"},
}

register(LABELS)


class Note(str):
    """An English note (it *is* the string) that also carries its Vietnamese text (``.vi``)."""

    vi: str

    def __new__(cls, en: str, vi: str | None = None):
        obj = super().__new__(cls, en)
        obj.vi = vi if vi is not None else en
        return obj

    def text(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else str(self)


def note_text(note, lang: str) -> str:
    """The text of a note in *lang* (plain strings are returned as they are)."""
    return note.text(lang) if isinstance(note, Note) else str(note)
