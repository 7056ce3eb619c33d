//! The words of a plan sheet's cells: kinds, directions, qualifiers and units, read
//! (`parse_*`) and written (`*_word`).

use crate::model::{Direction, Kind, PlanIndicator, Qualifier};

/// The Chinese (or English) word of an indicator's kind.
pub(super) fn parse_kind(s: &str) -> Option<Kind> {
    match s.to_lowercase().as_str() {
        "水平" | "水平值" | "存量" | "level" => Some(Kind::Level),
        "累计" | "累计值" | "累积" | "cumulative" => Some(Kind::Cumulative),
        "年度" | "每年" | "年均" | "annual" => Some(Kind::Annual),
        _ => None,
    }
}

/// The word of a direction; empty is 提高 (increase).
pub(super) fn parse_direction(s: &str) -> Option<Direction> {
    match s.to_lowercase().as_str() {
        "" | "提高" | "提升" | "增加" | "上升" | "increase" => Some(Direction::Increase),
        "降低" | "减少" | "下降" | "decrease" => Some(Direction::Decrease),
        "保持" | "维持" | "maintain" => Some(Direction::Maintain),
        _ => None,
    }
}

/// The word of a qualifier; empty is none.
pub(super) fn parse_qualifier(s: &str) -> Option<Option<Qualifier>> {
    match s.to_lowercase().as_str() {
        "" => Some(None),
        "达到" | "以上" | "不低于" | "不少于" | "at_least" | "at least" => {
            Some(Some(Qualifier::AtLeast))
        }
        "超过" | "高于" | "above" => Some(Some(Qualifier::Above)),
        "力争" | "strive" => Some(Some(Qualifier::Strive)),
        "左右" | "约" | "about" => Some(Some(Qualifier::About)),
        _ => None,
    }
}

/// The unit code and display unit of a 单位 cell: `%` and `％` are `pct` shown as %,
/// `百分比` and `pct` are `pct` (no display unit); 人 persons, 人次 person_times, 个/所/家/项/次/场 count, 元/人
/// yuan_per_person, 小时 hours, 天 days, each kept as the display unit; a unit code is
/// taken as it is; any other word (万人, 万人次, 平方米 …) is `other` with the word kept.
///
/// `显示单位（code）` names both: `次/年（count）` is unit `count` shown as 次/年 (what
/// `plans_table` writes when the display word alone would read back as another code).
pub(super) fn parse_unit(s: &str) -> (String, Option<String>) {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = s.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                let code = inner[i + open.len_utf8()..].trim();
                let head = inner[..i].trim();
                if UNIT_CODES.contains(&code) && !head.is_empty() {
                    return (code.to_string(), Some(head.to_string()));
                }
            }
        }
    }
    let code = match s.to_lowercase().as_str() {
        "%" | "％" => return ("pct".into(), Some("%".into())),
        "百分比" | "pct" => return ("pct".into(), None),
        "persons" | "person_times" | "count" | "yuan_per_person" | "hours" | "days" | "other" => {
            return (s.to_lowercase(), None)
        }
        "人" | "名" => "persons",
        "人次" => "person_times",
        "个" | "所" | "家" | "项" | "次" | "场" | "座" | "处" => "count",
        "元/人" | "元每人" => "yuan_per_person",
        "小时" | "学时" => "hours",
        "天" | "日" => "days",
        _ => "other",
    };
    (code.into(), Some(s.to_string()))
}

/// The unit codes of the schema.
const UNIT_CODES: [&str; 8] = [
    "pct",
    "persons",
    "person_times",
    "count",
    "yuan_per_person",
    "hours",
    "days",
    "other",
];

/// The 单位 cell of an indicator: its display unit (else `%` for pct, else the code), with
/// the code in brackets when the word alone would read back as another unit
/// ([`parse_unit`]).
pub(super) fn unit_word(ind: &PlanIndicator) -> String {
    let word = match &ind.unit_zh {
        Some(u) => u.clone(),
        None if ind.unit == "pct" => "%".into(),
        None => ind.unit.clone(),
    };
    // A percentage is written %, with or without its display unit (both show as %).
    let same_pct = ind.unit == "pct" && parse_unit(&word).0 == "pct";
    if same_pct || parse_unit(&word) == (ind.unit.clone(), ind.unit_zh.clone()) {
        word
    } else {
        format!("{word}（{}）", ind.unit)
    }
}

pub(super) fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Level => "水平",
        Kind::Cumulative => "累计",
        Kind::Annual => "年度",
    }
}

pub(super) fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Increase => "提高",
        Direction::Decrease => "降低",
        Direction::Maintain => "保持",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_the_schema_values() {
        assert_eq!(parse_kind("累计"), Some(Kind::Cumulative));
        assert_eq!(parse_kind("年度"), Some(Kind::Annual));
        assert_eq!(parse_kind("水平"), Some(Kind::Level));
        assert_eq!(parse_kind("总量"), None);
        assert_eq!(parse_direction(""), Some(Direction::Increase));
        assert_eq!(parse_direction("降低"), Some(Direction::Decrease));
        assert_eq!(parse_qualifier("达到"), Some(Some(Qualifier::AtLeast)));
        assert_eq!(parse_qualifier("不低于"), Some(Some(Qualifier::AtLeast)));
        assert_eq!(parse_qualifier("超过"), Some(Some(Qualifier::Above)));
        assert_eq!(parse_qualifier("大约"), None);
        assert_eq!(parse_unit("百分比"), ("pct".to_string(), None));
        assert_eq!(parse_unit("％"), ("pct".to_string(), Some("%".to_string())));
        assert_eq!(
            parse_unit("万人"),
            ("other".to_string(), Some("万人".to_string()))
        );
        assert_eq!(
            parse_unit("人次"),
            ("person_times".to_string(), Some("人次".to_string()))
        );
    }

    #[test]
    fn a_unit_code_in_brackets_names_the_unit() {
        assert_eq!(
            parse_unit("次/年（count）"),
            ("count".to_string(), Some("次/年".to_string()))
        );
        assert_eq!(
            parse_unit("%（pct）"),
            ("pct".to_string(), Some("%".to_string()))
        );
    }
}
