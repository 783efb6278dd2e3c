"""Vietnamese / English labels of the analysis (registered with :func:`dtilib.i18n.register`)."""

from __future__ import annotations

from ..i18n import Note, note_text, register  # noqa: F401  (Note/note_text: kept importable here)

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
        "vi": ("Δ hạng âm = tăng bậc (hạng 1 là cao nhất). Gián đoạn: đổi bộ chỉ số (so sánh qua mốc này cần thận "
               "trọng) hoặc chuyển từ danh sách 63 sang 34 tỉnh. — = chưa có số liệu công bố (không nội suy). "
               "* Công cụ hỗ trợ so sánh giữa các bộ chỉ số: phân vị = 1 − (hạng − 1)/(số tỉnh − 1); "
               "so với TB = giá trị − trung bình cấp tỉnh đã công bố của năm."),
        "en": ("Negative Δ rank = moved up (rank 1 is the best). Breaks: the framework changed (compare across it "
               "with care) or the 63-province list became the 34-province list. — = not published (never "
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
    "analysis.illustrative_short": {"vi": "MINH HOẠ", "en": "ILLUSTRATIVE"},
    "analysis.n_provinces": {"vi": "Số tỉnh", "en": "Provinces"},
    "analysis.avg_published": {"vi": "Trung bình cấp tỉnh (công bố)", "en": "Provincial average (published)"},
    "analysis.value_range": {"vi": "Khoảng giá trị (chưa công bố)", "en": "Value range (not published)"},
    "analysis.points_gained": {"vi": "Điểm tăng", "en": "Points gained"},
    "analysis.cost_likely": {"vi": "Chi phí (dự kiến)", "en": "Cost (likely)"},
    "analysis.chosen": {"vi": "được chọn", "en": "chosen"},
    "analysis.actions_title": {"vi": "Điểm tăng và chi phí của từng hành động", "en": "Points and cost of each action"},
    "analysis.probability": {"vi": "Xác suất", "en": "Probability"},
    "analysis.outlook_axis": {"vi": "Giá trị DTI dự kiến năm {year}", "en": "Expected DTI value, {year}"},
    # rank-change decomposition (decompose.py)
    "decompose.head": {"vi": "{unit}: hạng {r0}/{n} ({y0}) → {r1}/{n} ({y1}), {places}.",
                       "en": "{unit}: rank {r0}/{n} ({y0}) → {r1}/{n} ({y1}), {places}."},
    "decompose.general": {"vi": "- Mức tăng chung {general}: {basis}; mức tăng chung của mọi tỉnh không làm đổi hạng.",
                          "en": "- General rise {general}: {basis}; a rise shared by all moves no rank."},
    "decompose.part.actual": {"vi": "Thay đổi thực tế", "en": "Actual change"},
    "decompose.part.general_rise": {"vi": "Mức tăng chung", "en": "General rise"},
    "decompose.part.own": {"vi": "Độ lệch riêng của tỉnh", "en": "The province's own deviation"},
    "decompose.part.reshuffle": {"vi": "Xáo trộn giữa các tỉnh khác", "en": "Reshuffling among the others"},
    "decompose.col.part": {"vi": "Thành phần", "en": "Component"},
    "decompose.col.value": {"vi": "Giá trị thay đổi", "en": "Value change"},
    "decompose.col.rank": {"vi": "Hạng nếu chỉ có phần này", "en": "Rank with this part only"},
    "decompose.col.places": {"vi": "Số bậc", "en": "Places"},
    "decompose.own_cf": {
        "vi": "- Nếu chỉ có độ lệch riêng của {unit} (giá trị {y1} trừ mức tăng chung, so với các tỉnh năm {y0}): "
              "hạng {rank}.",
        "en": "- Own deviation only ({y1} value less the general rise, among the others' {y0} values): rank {rank}."},
    "decompose.reshuffle_cf": {
        "vi": "- Nếu chỉ có sự xáo trộn giữa các tỉnh khác (giá trị {y0} của {unit} cộng mức tăng chung, so với các "
              "tỉnh năm {y1}): hạng {rank}.",
        "en": "- Reshuffling among the others only ({y0} value plus the general rise, among the others' {y1} values): "
              "rank {rank}."},
    "decompose.data": {
        "vi": "- Số liệu: năm {y0} biết hạng của {r0}/{n0} tỉnh khác, giá trị của {v0}; năm {y1} biết hạng {r1}, giá "
              "trị {v1}. Các khoảng trên là cận từ thứ tự xếp hạng.",
        "en": "- Data: {y0}: ranks of {r0}/{n0} others known, values of {v0}; {y1}: ranks {r1}, values {v1}. Ranges "
              "are bounds from the rank order."},
    "decompose.hold": {"vi": "- Để giữ hạng {rank} năm {year} cần giá trị {value} ({basis}){short}.",
                       "en": "- To hold rank {rank} in {year} it needed {value} ({basis}){short}."},
    "decompose.short": {"vi": "; thiếu {short}", "en": "; short by {short}"},
    "decompose.rose": {
        "vi": "- Năm {year} {unit} lên {k} bậc (hạng {r0} → {r1}): không thiếu gì để giữ hạng {r0}.",
        "en": "- In {year} {unit} gained {k} places (rank {r0} → {r1}): nothing was short of holding rank {r0}."},
    "decompose.held": {
        "vi": "- Năm {year} {unit} giữ hạng {r0}: không thiếu gì để giữ hạng.",
        "en": "- In {year} {unit} held rank {r0}: nothing was short of holding it."},
    "decompose.points": {"vi": " = {points} điểm/{total}", "en": " = {points} points of {total}"},
    "decompose.method_break": {
        "vi": "- Đổi bộ chỉ số {a} → {b}: mức tăng chung gồm cả phần do đổi phương pháp, số liệu công bố không tách "
              "được.",
        "en": "- Framework changed {a} → {b}: the general rise includes the change of method, which the published "
              "totals cannot separate."},
    "decompose.verdict.reshuffle.down": {
        "vi": "Kết luận: tụt hạng do các tỉnh xung quanh tiến nhanh hơn mức tăng chung; độ lệch riêng của tỉnh không "
              "kéo hạng xuống.",
        "en": "Verdict: the fall is due to the reshuffling among the others (those around it rose more than the "
              "general rise); the unit's own deviation did not pull it down."},
    "decompose.verdict.own.down": {
        "vi": "Kết luận: tụt hạng do giá trị của tỉnh tăng kém mức tăng chung.",
        "en": "Verdict: the fall is due to the unit's own value rising less than the general rise."},
    "decompose.verdict.both.down": {
        "vi": "Kết luận: cả độ lệch riêng của tỉnh và sự xáo trộn giữa các tỉnh khác đều kéo hạng xuống.",
        "en": "Verdict: both the unit's own deviation and the reshuffling among the others pulled it down."},
    "decompose.verdict.reshuffle.up": {
        "vi": "Kết luận: tăng hạng nhờ sự xáo trộn giữa các tỉnh khác; độ lệch riêng của tỉnh không nâng hạng.",
        "en": "Verdict: the rise is due to the reshuffling among the others; the unit's own deviation did not lift it."},
    "decompose.verdict.own.up": {
        "vi": "Kết luận: tăng hạng nhờ giá trị của tỉnh tăng hơn mức tăng chung.",
        "en": "Verdict: the rise is due to the unit's own value rising more than the general rise."},
    "decompose.verdict.both.up": {
        "vi": "Kết luận: cả độ lệch riêng của tỉnh và sự xáo trộn giữa các tỉnh khác đều góp phần tăng hạng.",
        "en": "Verdict: both the unit's own deviation and the reshuffling among the others lifted it."},
    "decompose.verdict.offsetting": {
        "vi": "Kết luận: hạng không đổi vì hai phần bù trừ nhau: độ lệch riêng của tỉnh và sự xáo trộn giữa các "
              "tỉnh khác đi ngược chiều.",
        "en": "Verdict: offsetting — the unit's own deviation and the reshuffling among the others cancelled out."},
    "decompose.verdict.no_change": {
        "vi": "Kết luận: không thay đổi — hạng giữ nguyên, không phần nào chắc chắn làm thay đổi hạng.",
        "en": "Verdict: no change — the rank held and no part surely moved it."},
    "decompose.verdict.own_partial": {
        "vi": "Kết luận: chắc chắn có phần do độ lệch riêng của tỉnh; phần xáo trộn không xác định được.",
        "en": "Verdict: the unit's own deviation surely contributed; the reshuffling share is undetermined."},
    "decompose.verdict.reshuffle_partial": {
        "vi": "Kết luận: chắc chắn có phần do xáo trộn giữa các tỉnh khác; phần của chính tỉnh không xác định được do "
              "thiếu giá trị công bố.",
        "en": "Verdict: the reshuffling among the others surely contributed; the unit's own share is undetermined "
              "(values not published)."},
    # outlook and target (outlook.py, target.py)
    "outlook.scenario.persistence": {"vi": "Giữ nguyên (không đổi)", "en": "Persistence (no change)"},
    "outlook.scenario.average": {"vi": "Tăng như trung bình cấp tỉnh", "en": "Provincial-average growth"},
    "outlook.scenario.paired": {"vi": "Tăng như các tỉnh công bố hai năm liền", "en": "Recent paired changes"},
    "outlook.scenario.own": {"vi": "Theo lịch sử của chính tỉnh", "en": "The province's own history"},
    "outlook.default": {"vi": "mặc định (kiểm tra ngược)", "en": "default (backtest)"},
    "outlook.head": {"vi": "{what}: triển vọng năm {year} (từ năm {origin}: {base}, {kind}), theo kịch bản:",
                     "en": "{what}: outlook {year} (from {origin}: {base}, {kind}), per scenario:"},
    "outlook.step.across_a_break": {"vi": "qua mốc đổi bộ chỉ số", "en": "across a break"},
    "outlook.step.same_framework": {"vi": "cùng bộ chỉ số", "en": "same framework"},
    "outlook.rank_what": {"vi": "Giá trị hạng {rank}/{n}", "en": "Value of rank {rank}/{n}"},
    "outlook.backtest_head": {
        "vi": "Kiểm tra ngược: mỗi giá trị công bố được dự báo từ số liệu năm trước ({n} giá trị); sai số tuyệt đối "
              "trung bình và tỷ lệ nằm trong khoảng của kịch bản.",
        "en": "Backtest: each published value predicted from the previous year's record ({n} values); mean absolute "
              "error and the share inside the scenario's band."},
    "outlook.by_break": {"vi": "Theo loại bước: cùng bộ chỉ số / qua mốc đổi bộ chỉ số:",
                         "en": "By step: same framework / across a framework change:"},
    "target.outlook": {
        "vi": "- Triển vọng năm {year} của giá trị hạng {rank} (từ danh sách năm {origin}: {base}, {kind}), theo kịch bản:",
        "en": "- Outlook {year} for the rank-{rank} value (from the {origin} list: {base}, {kind}), per scenario:"},
    "target.scenario": {
        "vi": "  · {name}: {est} ({lo}–{hi}; tăng {growth}/năm, sai số chuẩn {se}){mark}; kiểm tra ngược: sai số "
              "tuyệt đối TB {mae} trên {n} giá trị",
        "en": "  · {name}: {est} ({lo}–{hi}; growth {growth}/year, se {se}){mark}; backtest: mean abs error {mae} "
              "over {n} values"},
    "target.gap": {"vi": "  So với giá trị gần nhất của {unit} ({value}, {year}): cần tăng ≈ {gap} ({lo} đến {hi} "
                         "giữa các kịch bản){points}.",
                   "en": "  From {unit}'s latest value ({value}, {year}): a rise of ≈ {gap} ({lo} to {hi} across the "
                         "scenarios){points} is needed."},
    "target.points": {"vi": " ≈ {points} điểm (thang {total} của {fw})", "en": " ≈ {points} points (of {total}, {fw})"},
    "target.rank_gain": {
        "vi": "- Theo thứ hạng: từ hạng {rank} ({year}) cần lên ≥ {places} bậc; trong các lần thay đổi hạng sau {step} "
              "năm đã quan sát, {k}/{n} lần đạt mức đó (tỷ lệ {p}).",
        "en": "- By rank: from rank {rank} ({year}) it needs ≥ {places} places up; of the observed {step}-year rank "
              "changes, {k}/{n} gained that much (share {p})."},
    "target.translated": {
        "vi": "Từ 1/7/2025 cả nước còn 34 tỉnh, nên mục tiêu cho năm {year} tính trên 34: hạng {rank}/63 tương ứng "
              "hạng {r34}/34 (cùng vị trí tương đối, phân vị {pct}).",
        "en": "From 1/7/2025 there are 34 provinces, so a target for {year} is out of 34: rank {rank}/63 "
              "corresponds to rank {r34}/34 (the same relative place, percentile {pct})."},
    "target.lead": {
        "vi": "Để đạt hạng {rank}/{n} năm {year}, {unit} cần giá trị DTI khoảng {est} ({lo}–{hi} giữa các kịch "
              "bản){gap}.",
        "en": "To reach rank {rank}/{n} in {year}, {unit} needs a DTI value of about {est} ({lo}–{hi} across the "
              "scenarios){gap}."},
    "target.lead_gap": {"vi": ", tức tăng ≈ {gap} so với {value} năm {vyear}{points}",
                        "en": ", a rise of ≈ {gap} from {value} in {vyear}{points}"},
    "target.lead_above": {"vi": "; giá trị năm {vyear} của tỉnh ({value}) đã cao hơn mức này ≈ {gap}{points}",
                          "en": "; its {vyear} value ({value}) is already above that by ≈ {gap}{points}"},
    "target.gap_above": {"vi": "  Giá trị gần nhất của {unit} ({value}, {year}) đã cao hơn mức này ≈ {gap}{points}.",
                         "en": "  {unit}'s latest value ({value}, {year}) is already above it by ≈ {gap}{points}."},
    "target.lead_none": {"vi": "{unit}: mục tiêu hạng {rank}/{n} năm {year}; chưa dự báo được giá trị cần đạt (xem "
                               "ghi chú cuối).",
                         "en": "{unit}: target rank {rank}/{n} in {year}; the value needed cannot be projected (see "
                               "the note at the end)."},
    "target.col.needed": {"vi": "Giá trị cần đạt", "en": "Value needed"},
    "target.col.own": {"vi": "Giá trị của tỉnh (hạng)", "en": "The province's value (rank)"},
    "target.col.short": {"vi": "Còn thiếu", "en": "Short by"},
    "target.col.reached": {"vi": "đã đạt", "en": "reached"},
    "target.col.points_of": {"vi": "{points} điểm/{total}", "en": "{points} points of {total}"},
    "target.basis_head": {"vi": "Căn cứ từng năm:", "en": "Basis, year by year:"},
    "target.no_projection.no_list": {
        "vi": "không dự báo được: chưa có bảng xếp hạng {era} tỉnh nào công bố trước năm {year}",
        "en": "no projection: no ranking of the {era}-province list was published before {year}"},
    "target.no_projection.outside": {
        "vi": "không dự báo được: hạng {rank} nằm ngoài danh sách năm {origin} (1–{n})",
        "en": "no projection: rank {rank} is outside the {origin} list (1–{n})"},
    "target.no_projection.other": {
        "vi": "không dự báo được giá trị của hạng mục tiêu cho năm {year} từ số liệu công bố",
        "en": "no projection: the target rank's value for {year} cannot be projected from the published record"},
    "decompose.verdict.undetermined": {"vi": "Kết luận: số liệu công bố chưa đủ để phân định.",
                                       "en": "Verdict: the published data are not enough to tell."},
}

register(LABELS)

