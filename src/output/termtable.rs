//! The terminal view of a table: the key columns within the terminal's width, with Chinese
//! headers and status words under `--lang zh`. CSV, JSON, XLSX and Markdown keep every
//! column and the contract's names and words; only this view is translated and trimmed.

use std::io::IsTerminal;

use unicode_width::UnicodeWidthStr;

use crate::model::Lang;

/// Width assumed when standard output is not a terminal and `COLUMNS` is not set.
pub const DEFAULT_WIDTH: usize = 120;

/// Narrowest width honoured (a smaller `COLUMNS` is taken as this).
const MIN_WIDTH: usize = 40;

/// The width to fit: `COLUMNS` when set to a number, else the terminal's width when standard
/// output is a terminal, else [`DEFAULT_WIDTH`].
pub fn terminal_width() -> usize {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
    {
        return w.max(MIN_WIDTH);
    }
    if std::io::stdout().is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
            return usize::from(w).max(MIN_WIDTH);
        }
    }
    DEFAULT_WIDTH
}

/// Display width of a line in terminal columns (CJK characters count two).
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Splits `text` into lines of at most `width` display columns (at spaces when possible,
/// anywhere in CJK text); continuation lines are indented by two spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(MIN_WIDTH);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    let mut last_space: Option<usize> = None;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if line_w + cw > width {
            let rest = match last_space {
                Some(at) if at > 2 => {
                    let rest = line[at + 1..].to_string();
                    line.truncate(at);
                    rest
                }
                _ => String::new(),
            };
            lines.push(std::mem::take(&mut line));
            line.push_str("  ");
            line.push_str(&rest);
            line_w = display_width(&line);
            last_space = None;
        }
        if c == ' ' {
            last_space = Some(line.len());
        }
        line.push(c);
        line_w += cw;
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Which status vocabulary a table's `status` column uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Words {
    /// Assessment statuses (`assess`: achieved = 已达标).
    #[default]
    Assessment,
    /// Sub-indicator pace statuses (`indicators`: achieved = 已完成, no_data = 无数据).
    Pace,
}

/// The header of a column in the terminal view.
pub fn header(column: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return column;
    }
    match column {
        "jurisdiction" => "代码",
        "name_zh" => "名称",
        "indicator" => "指标",
        "baseline_year" => "基期年",
        "baseline" => "基期值",
        "latest_year" => "最新年",
        "latest" => "最新值",
        "target_year" => "目标年",
        "target" => "目标值",
        "required_per_year" => "年需增",
        "observed_per_year" => "年实增",
        "cagr_ratio" => "增速比",
        "progress_share" => "完成进度",
        "unsd_rho" => "预期完成度",
        "official_category" => "官方分类",
        "projected" => "预测值",
        "lo80" => "80%下限",
        "hi80" => "80%上限",
        "lo95" => "95%下限",
        "hi95" => "95%上限",
        "median" => "中位数",
        "p_reach" => "达标概率",
        "p_reach_measured" => "达标概率(含误差)",
        "status" => "状态",
        "model" => "模型",
        "n_obs" => "观测数",
        "reason" => "说明",
        "year" => "年份",
        "probability" => "概率",
        "plan" => "规划",
        "kind" => "类型",
        // Not 单位: read back (the progress template), 单位 names the reporting unit.
        "unit" => "计量单位",
        "jurisdiction_name" => "地区名",
        "indicator_name" => "指标名",
        "done" => "已完成",
        "share_done" => "完成比例",
        "share_elapsed" => "时间进度",
        "projected_end" => "期末预计",
        "level" => "级别",
        "origin" => "预测起点",
        "actual" => "实际值",
        "n" => "样本量",
        "mae_pp" => "平均绝对误差",
        "coverage80" => "80%覆盖率",
        "coverage95" => "95%覆盖率",
        "horizon" => "预测年数",
        "bias_pp" => "平均偏差",
        "direct" => "直接估计",
        "direct_se" => "直接估计标准误",
        "mse" => "均方误差",
        "rmse" => "均方根误差",
        "gamma" => "收缩系数",
        "synthetic" => "合成估计",
        "benchmarked" => "校准估计",
        "domain" => "域",
        "sum_weights" => "权数和",
        "est" => "估计值",
        "se" => "标准误",
        "lo" => "下限",
        "hi" => "上限",
        "deff" => "设计效应",
        "n_eff" => "有效样本量",
        "df" => "自由度",
        "reliability" => "可靠性",
        other => other,
    }
}

/// A word of a `status`, `official_category`, `kind` or `level` cell in the terminal view
/// (`None`: shown as written).
pub fn word(column: &str, text: &str, words: Words, lang: Lang) -> Option<&'static str> {
    use crate::assess::pace::PaceStatus;
    use crate::assess::{OfficialCategory, Status};
    let zh = lang == Lang::Zh;
    match column {
        "status" => match words {
            Words::Assessment => Status::ALL
                .iter()
                .find(|s| s.as_str() == text)
                .map(|s| crate::assess::wording::status_label(*s, lang)),
            Words::Pace => [
                PaceStatus::Achieved,
                PaceStatus::NotAchieved,
                PaceStatus::OnTrack,
                PaceStatus::AtRisk,
                PaceStatus::OffTrack,
                PaceStatus::Regressing,
                PaceStatus::NoData,
            ]
            .iter()
            .find(|s| s.as_str() == text)
            .map(|s| crate::assess::style::pace_style(*s).label(lang)),
        },
        "official_category" => [
            OfficialCategory::Achieved,
            OfficialCategory::NotAchieved,
            OfficialCategory::OnTrack,
            OfficialCategory::AccelerationNeeded,
            OfficialCategory::LimitedProgress,
            OfficialCategory::Deterioration,
        ]
        .iter()
        .find(|c| c.as_str() == text)
        .map(|c| {
            if zh {
                crate::assess::wording::category_zh(*c)
            } else {
                crate::assess::wording::category_en(*c)
            }
        }),
        "indicator" if zh && text == crate::model::LITERACY_RATE => Some("公民具备科学素质的比例"),
        "domain" if zh && text == "total" => Some("总体"),
        "kind" if zh => match text {
            "level" => Some("水平"),
            "cumulative" => Some("累计"),
            "annual" => Some("年度"),
            _ => None,
        },
        "level" if zh => match text {
            "national" => Some("全国"),
            "province" => Some("省级"),
            "prefecture" => Some("地市级"),
            "county" => Some("县级"),
            "prefecture_and_below" => Some("地市级及以下"),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_line_within_the_width() {
        let text =
            "150300 乌海（2025年达到12）: 2022年以后没有调查数据；请补充2020年及以后的数值，"
                .repeat(4);
        let lines = wrap(&text, 50);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| display_width(l) <= 50), "{lines:?}");
        let joined: String = lines.iter().map(|l| l.trim_start()).collect();
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn status_words_follow_the_language() {
        assert_eq!(
            word("status", "on_track", Words::Assessment, Lang::Zh),
            Some("进度正常")
        );
        assert_eq!(
            word("status", "achieved", Words::Pace, Lang::Zh),
            Some("已完成")
        );
        assert_eq!(
            word("status", "no_data", Words::Pace, Lang::En),
            Some("no data")
        );
        assert_eq!(header("p_reach", Lang::Zh), "达标概率");
        assert_eq!(header("p_reach", Lang::En), "p_reach");
    }
}
