//! The columns of a plan sheet: their Chinese headers, canonical keys and the English
//! headers also accepted, which are required, and reading a header back to its key.

/// The columns of the plan sheet, in order: (Chinese header written by the template,
/// canonical key, English headers also accepted).
pub(super) const COLUMNS: [(&str, &str, &[&str]); 18] = [
    (
        "地区",
        "jurisdiction",
        &[
            "jurisdiction",
            "地区代码",
            "地区名称",
            "行政区划代码",
            "region",
        ],
    ),
    (
        "方案名称",
        "title",
        &["title", "title_zh", "方案", "规划名称", "文件名称", "plan"],
    ),
    ("发文机关", "issuer", &["issuer", "issuer_zh", "印发机关"]),
    ("文号", "document_no", &["document_no", "发文字号"]),
    (
        "起始年",
        "first_year",
        &["first_year", "period_start", "起始年份", "开始年"],
    ),
    (
        "结束年",
        "last_year",
        &["last_year", "period_end", "结束年份", "截止年"],
    ),
    (
        "指标代码",
        "indicator",
        &["indicator", "id", "indicator_id"],
    ),
    (
        "指标名称",
        "name",
        &["name", "name_zh", "indicator_name", "指标"],
    ),
    ("类型", "kind", &["kind", "指标类型"]),
    ("单位", "unit", &["unit", "unit_zh", "计量单位"]),
    ("方向", "direction", &["direction"]),
    (
        "基期年",
        "baseline_year",
        &["baseline_year", "基期年份", "基准年"],
    ),
    (
        "基期值",
        "baseline",
        &["baseline", "baseline_value", "基期数值", "基准值"],
    ),
    ("目标年", "target_year", &["target_year", "目标年份"]),
    ("目标值", "target", &["target", "target_value", "目标"]),
    ("限定词", "qualifier", &["qualifier", "表述"]),
    (
        "牵头部门",
        "lead",
        &["lead", "lead_zh", "责任单位", "牵头单位"],
    ),
    ("备注", "note", &["note", "说明"]),
];

/// Columns a plan sheet must have.
pub(super) const REQUIRED: [&str; 9] = [
    "jurisdiction",
    "title",
    "first_year",
    "last_year",
    "name",
    "kind",
    "unit",
    "target_year",
    "target",
];

/// The Chinese header of a canonical column key.
pub(super) fn header_zh(key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(_, k, _)| *k == key)
        .map_or("", |(zh, _, _)| zh)
}

/// The canonical key of a header (Chinese or English, case and a bracketed unit ignored).
pub(super) fn canonical(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    let h = match h.find(['(', '（']) {
        Some(i) if i > 0 => h[..i].trim().to_string(),
        _ => h,
    };
    COLUMNS
        .iter()
        .find(|(zh, key, en)| h == *zh || h == *key || en.contains(&h.as_str()))
        .map(|(_, key, _)| *key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_chinese_headers_agree() {
        for (zh, key, en) in COLUMNS {
            assert_eq!(canonical(zh), Some(key));
            assert_eq!(canonical(key), Some(key));
            for e in en {
                assert_eq!(canonical(e), Some(key), "{e}");
            }
        }
        assert_eq!(canonical("目标值（%）"), Some("target"));
        assert_eq!(canonical("Target_Year"), Some("target_year"));
    }
}
