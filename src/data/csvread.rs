//! The header alias table (English or Chinese headers to canonical names) and the aliased
//! view of a [`RawTable`] that the registry and observation loaders use.

use std::collections::HashMap;

use crate::data::table::{RawRow, RawTable};
use crate::data::{Content, Input};
use crate::error::{Diagnostic, DiagnosticKind, Error, Location, Result};

/// Which table a header row belongs to (the alias `代码` means `id` in a registry but
/// `jurisdiction` in observations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    /// The registry (`jurisdictions.csv`).
    Jurisdictions,
    /// Observations (`observations.csv`).
    Observations,
}

impl HeaderKind {
    /// Canonical columns of the table; any other column is ignored with a warning.
    pub fn known_columns(self) -> &'static [&'static str] {
        match self {
            HeaderKind::Jurisdictions => &[
                "id",
                "name_zh",
                "name_en",
                "level",
                "parent",
                "full_name_zh",
                "statistical_zone",
            ],
            HeaderKind::Observations => &[
                "jurisdiction",
                "indicator",
                "year",
                "value",
                "se",
                "n",
                "deff",
                "lo",
                "hi",
                "source",
                "cite",
            ],
        }
    }

    /// Columns that group rows and so may be merged cells in a sheet (one value over
    /// several rows): a blank one under a filled one is filled from the row above (see
    /// `Table::fill_merged_keys`). Observations: the jurisdiction (also its name in a
    /// progress sheet) — not the indicator, whose blank means `literacy_rate`, nor the
    /// year. Registry: the level and the parent.
    pub fn group_columns(self) -> &'static [&'static str] {
        match self {
            HeaderKind::Jurisdictions => &["level", "parent"],
            HeaderKind::Observations => &["jurisdiction", "jurisdiction_name"],
        }
    }
}

/// The one alias table: maps a header to its canonical name. Matching ignores case,
/// surrounding spaces, a byte-order mark and a trailing unit in brackets (`比例（%）`,
/// `value (%)`). Unknown headers are returned lower-cased.
///
/// | canonical | accepted (besides the canonical name) |
/// |---|---|
/// | jurisdiction | 地区, 地区代码, 地区名称, 行政区划代码, 区划代码, 代码, 单位, 行政区, 行政区划, 省份, 城市, 区县, region |
/// | indicator | 指标, 指标代码, 指标编号 |
/// | year | 年份, 年度, 年, 调查年份, 监测年份 |
/// | value | 比例, 数值, 值, 公民具备科学素质的比例, 具备科学素质的比例, 科学素质比例, 完成值, 实际值, value_pct, rate |
/// | se | 标准误, 标准误差, se_pct |
/// | n | 样本量, 样本数, 样本, 有效样本量 |
/// | deff | 设计效应, 设计效果, design_effect |
/// | lo (95 % interval, lower) | 置信区间下限, 95%置信区间下限, 下限, ci_lo, lo95 |
/// | hi (95 % interval, upper) | 置信区间上限, 95%置信区间上限, 上限, ci_hi, hi95 |
/// | source | 来源, 数据来源, 出处 |
/// | cite | cite_zh, 引用, 引文, 文献 (optional: publisher and date of the figure) |
/// | id (registry) | 代码, 编码, 地区代码, 行政区划代码, 区划代码, code |
/// | name_zh | 名称, 中文名称, 中文名, 地区名称 (registry), name |
/// | name_en | 英文名称, 英文名 |
/// | level | 级别, 层级, 行政级别 |
/// | parent | 上级, 上级代码, 上级地区, 上级行政区 |
pub fn canonical_header(raw: &str, kind: HeaderKind) -> String {
    let h = raw.trim().trim_start_matches('\u{feff}').trim();
    let lower = strip_unit(&h.to_lowercase());
    let common = match lower.as_str() {
        "指标" | "指标代码" | "指标编号" => Some("indicator"),
        "年份" | "年度" | "年" | "调查年份" | "监测年份" => Some("year"),
        "比例"
        | "数值"
        | "值"
        | "公民具备科学素质的比例"
        | "具备科学素质的比例"
        | "科学素质比例"
        | "完成值"
        | "实际值"
        | "value_pct"
        | "rate" => Some("value"),
        "标准误" | "标准误差" | "se_pct" => Some("se"),
        "样本量" | "样本数" | "样本" | "有效样本量" => Some("n"),
        "设计效应" | "设计效果" | "design_effect" => Some("deff"),
        "置信区间下限" | "95%置信区间下限" | "下限" | "ci_lo" | "lo95" => Some("lo"),
        "置信区间上限" | "95%置信区间上限" | "上限" | "ci_hi" | "hi95" => Some("hi"),
        "来源" | "数据来源" | "出处" => Some("source"),
        "cite_zh" | "引用" | "引文" | "文献" => Some("cite"),
        "中文名称" | "中文名" => Some("name_zh"),
        "英文名称" | "英文名" => Some("name_en"),
        "级别" | "层级" | "行政级别" => Some("level"),
        "上级" | "上级代码" | "上级地区" | "上级行政区" => Some("parent"),
        _ => None,
    };
    if let Some(c) = common {
        return c.to_string();
    }
    let specific = match (kind, lower.as_str()) {
        (
            HeaderKind::Observations,
            "地区" | "地区代码" | "地区名称" | "行政区划代码" | "区划代码" | "代码" | "单位"
            | "行政区" | "行政区划" | "省份" | "城市" | "区县" | "region",
        ) => Some("jurisdiction"),
        (
            HeaderKind::Jurisdictions,
            "代码" | "编码" | "地区代码" | "行政区划代码" | "区划代码" | "code",
        ) => Some("id"),
        (HeaderKind::Jurisdictions, "名称" | "地区名称" | "地区" | "name") => {
            Some("name_zh")
        }
        (HeaderKind::Observations, "名称") => Some("jurisdiction"),
        _ => None,
    };
    specific.map(str::to_string).unwrap_or(lower)
}

/// `比例（%）` → `比例`, `value (%)` → `value`: drops one trailing bracketed unit.
fn strip_unit(h: &str) -> String {
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
        if let Some(inner) = h.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                let head = inner[..i].trim();
                if !head.is_empty() {
                    return head.to_string();
                }
            }
        }
    }
    h.to_string()
}

/// Unknown columns warned about one by one; more are summarised.
const MAX_COLUMN_WARNINGS: usize = 10;

/// A table whose headers went through the alias table.
pub(crate) struct Table {
    pub raw: RawTable,
    /// Canonical header of each column.
    pub headers: Vec<String>,
    index: HashMap<String, usize>,
    kind: HeaderKind,
    /// What reading changed or set aside (merged cells filled, note rows), as warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Table {
    pub fn parse(input: &Input, kind: HeaderKind) -> Result<Table> {
        let raw = match &input.content {
            Content::Text(text) => RawTable::from_csv(&input.label, text)?,
            Content::Table(t) => t.clone(),
        };
        no_control_characters(&raw)?;
        let mut table = Table::from_raw(raw, kind)?;
        table.fill_merged_keys();
        Ok(table)
    }

    /// Fills blank grouping cells ([`HeaderKind::group_columns`]) the way a sheet with
    /// merged cells shows them: a blank cell whose row has other data, under a row where
    /// the column is filled (itself perhaps filled so), takes that value — a merged
    /// `乌海市` over rows 3–7 is read on every row. The first data row is never filled. One
    /// warning names the file, the rows and the columns. A registry row of the national
    /// level keeps its blank parent (the root has none).
    pub fn fill_merged_keys(&mut self) {
        let cols: Vec<usize> = self
            .kind
            .group_columns()
            .iter()
            .filter_map(|c| self.optional(c))
            .collect();
        let level = self.optional("level");
        let parent = self.optional("parent");
        let mut filled_rows: Vec<u64> = Vec::new();
        let mut filled_cols: Vec<usize> = Vec::new();
        for i in 1..self.raw.rows.len() {
            let (above, below) = self.raw.rows.split_at_mut(i);
            let (prev, row) = (&above[i - 1], &mut below[0]);
            for &c in &cols {
                if !row.text(c).is_empty() || prev.text(c).is_empty() {
                    continue;
                }
                let other_data = row
                    .cells
                    .iter()
                    .enumerate()
                    .any(|(k, v)| k != c && !v.trim().is_empty());
                let national = Some(c) == parent
                    && level.is_some_and(|l| {
                        row.text(l).parse::<crate::model::Level>()
                            == Ok(crate::model::Level::National)
                    });
                if !other_data || national {
                    continue;
                }
                let value = prev.text(c).to_string();
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, String::new());
                }
                row.cells[c] = value;
                if filled_rows.last() != Some(&row.line) {
                    filled_rows.push(row.line);
                }
                if !filled_cols.contains(&c) {
                    filled_cols.push(c);
                }
            }
        }
        if filled_rows.is_empty() {
            return;
        }
        filled_cols.sort_unstable();
        let names: Vec<String> = filled_cols
            .iter()
            .map(|&c| {
                // Headers hold no control characters (checked above); long ones are cut.
                let h = self.raw.headers.get(c).map_or("", String::as_str);
                h.chars().take(40).collect()
            })
            .collect();
        let label = &self.raw.label;
        let rows = if filled_rows.len() == 1 {
            "row"
        } else {
            "rows"
        };
        let ranges = crate::data::table::line_ranges(&filled_rows);
        let (names_zh, names) = (names.join("、"), names.join(", "));
        let kind = DiagnosticKind::MergedCellsFilled {
            columns: names.clone(),
        };
        self.warnings.push(
            Diagnostic::warning(
                kind,
                text!(
                    "第 {ranges} 行：空白的 {names_zh} 已按上一行填充（合并单元格）",
                    "{rows} {ranges}: blank {names} filled from the row above (merged cells)"
                ),
            )
            .about(label),
        );
    }

    pub fn from_raw(raw: RawTable, kind: HeaderKind) -> Result<Table> {
        let headers: Vec<String> = raw
            .headers
            .iter()
            .map(|h| canonical_header(h, kind))
            .collect();
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if let Some(first) = index.insert(h.clone(), i) {
                return Err(Error::input(
                    raw.header_location(i),
                    text!(
                        "列 {h:?} 在表头中出现了两次（另见第{}列 {:?}）；请只保留一列",
                        "column {h:?} appears twice in the header (also column {}, {:?}); keep one",
                        raw.column_number(first),
                        raw.headers.get(first).map(String::as_str).unwrap_or("")
                    ),
                ));
            }
        }
        let warnings = raw.warnings.clone();
        Ok(Table {
            raw,
            headers,
            index,
            kind,
            warnings,
        })
    }

    pub fn rows(&self) -> &[RawRow] {
        &self.raw.rows
    }

    pub fn label(&self) -> &str {
        &self.raw.label
    }

    /// Refuses a table with a header and no data rows.
    pub fn require_rows(&self) -> Result<()> {
        if self.raw.rows.is_empty() {
            return Err(Error::input(
                Location::at(&self.raw.label, self.raw.header_line),
                text!("文件有表头但没有数据行：表头下至少应有一行", "the file has a header but no data rows: expected at least one row under the header"),
            ));
        }
        Ok(())
    }

    /// One warning per column that is not in [`HeaderKind::known_columns`].
    /// More than [`MAX_COLUMN_WARNINGS`] unknown columns are summarised in one line.
    pub fn unknown_column_warnings(&self) -> Vec<Diagnostic> {
        let known = self.kind.known_columns();
        let unknown: Vec<usize> = self
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty() && !known.contains(&h.as_str()))
            .map(|(i, _)| i)
            .collect();
        let name = |i: usize| {
            crate::output::safety::echo(self.raw.headers.get(i).map(String::as_str).unwrap_or(""))
        };
        if unknown.len() > MAX_COLUMN_WARNINGS {
            let first: Vec<String> = unknown.iter().take(5).map(|&i| name(i)).collect();
            let at = Location::at(&self.raw.label, self.raw.header_line);
            let n = unknown.len();
            return vec![Diagnostic::warning(
                DiagnosticKind::UnknownColumns,
                crate::model::Text::new(
                    format!(
                        "{n} 个未知的列已忽略（{}、…）；可识别的列：{}",
                        first.join("、"),
                        known.join("、")
                    ),
                    format!(
                        "{n} unknown columns are ignored ({}, …); known columns: {}",
                        first.join(", "),
                        known.join(", ")
                    ),
                ),
            )
            .at(&at)];
        }
        unknown
            .into_iter()
            .map(|i| {
                let column = name(i);
                let message = crate::model::Text::new(
                    format!("未知的列 {column} 已忽略；可识别的列：{}", known.join("、")),
                    format!(
                        "unknown column {column} is ignored; known columns: {}",
                        known.join(", ")
                    ),
                );
                Diagnostic::warning(DiagnosticKind::UnknownColumn { column }, message)
                    .at(&self.raw.header_location(i))
            })
            .collect()
    }

    pub fn optional(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn require(&self, name: &str) -> Result<usize> {
        self.optional(name).ok_or_else(|| {
            let known = self.kind.known_columns();
            let closest = self
                .raw
                .headers
                .iter()
                .zip(&self.headers)
                .filter(|(_, canon)| !known.contains(&canon.as_str()))
                .map(|(raw, _)| (strsim::jaro_winkler(&raw.to_lowercase(), name), raw))
                .filter(|(s, _)| *s >= 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let hint = match closest {
                Some((_, raw)) => text!(
                    "；是否指 {raw:?}？请改名为 {name}",
                    "; did you mean {raw:?}? rename it to {name}"
                ),
                None => {
                    let alias = chinese_alias(name);
                    let alias_zh = alias.replace(" or ", " 或 ");
                    text!(
                        "；请添加名为 {name}（{alias_zh}）的列",
                        "; add a column named {name} ({alias})"
                    )
                }
            };
            let hint = match delimiter_hint(&self.raw.headers) {
                Some(d) => d,
                None => hint,
            };
            let shown: Vec<String> = self
                .raw
                .headers
                .iter()
                .take(20)
                .map(|h| crate::output::safety::echo(h))
                .collect();
            let (more_zh, more) = match self.raw.headers.len() {
                n if n > 20 => (format!(" …（共 {n} 列）"), format!(" … ({n} columns)")),
                _ => (String::new(), String::new()),
            };
            let (shown_zh, shown) = (shown.join("、"), shown.join(", "));
            let (hint_zh, hint) = (hint.zh, hint.en);
            Error::input(
                Location::at(&self.raw.label, self.raw.header_line),
                text!(
                    "缺少必需的列 {name:?}；现有的列：{shown_zh}{more_zh}{hint_zh}",
                    "missing required column {name:?}; found columns: {shown}{more}{hint}"
                ),
            )
        })
    }

    pub fn location(&self, row: &RawRow, col: usize) -> Location {
        self.raw.location(row, col)
    }

    pub fn error(&self, row: &RawRow, col: usize, message: impl Into<crate::model::Text>) -> Error {
        self.raw.error(row, col, message)
    }

    pub fn number(&self, row: &RawRow, col: usize) -> Result<Option<f64>> {
        self.raw.number(row, col)
    }

    pub fn year(&self, row: &RawRow, col: usize) -> Result<i32> {
        self.raw.year(row, col)
    }
}

/// The first control character (other than tab) of a text, if any.
pub(crate) fn control_character(s: &str) -> Option<char> {
    s.chars().find(|c| c.is_control() && *c != '\t')
}

fn control_message(c: char, s: &str) -> crate::model::Text {
    text!(
        "文本中不应有控制字符，实际在 {1} 中遇到 U+{0:04X}（代码、名称和来源中不应有换行符或转义码）",
        "expected text without control characters, found U+{:04X} in {} (line breaks and escape codes do not belong in ids, names or sources)",
        c as u32,
        crate::output::safety::echo(s)
    )
}

/// Refuses control characters (except tab) in the header and cells of a registry or
/// observations table: they break terminals, SVG and reports downstream.
fn no_control_characters(raw: &RawTable) -> Result<()> {
    for (i, h) in raw.headers.iter().enumerate() {
        if let Some(c) = control_character(h) {
            return Err(Error::input(raw.header_location(i), control_message(c, h)));
        }
    }
    for row in &raw.rows {
        for (i, cell) in row.cells.iter().enumerate() {
            if let Some(c) = control_character(cell) {
                return Err(raw.error(row, i, control_message(c, cell)));
            }
        }
    }
    Ok(())
}

/// A header read as one column that holds semicolons or tabs: the file uses another
/// delimiter.
fn delimiter_hint(headers: &[String]) -> Option<crate::model::Text> {
    let [only] = headers else { return None };
    let (name, zh, c) = [
        ("semicolon", "分号", ';'),
        ("tab", "制表符", '\t'),
        ("vertical bar", "竖线", '|'),
    ]
    .into_iter()
    .find(|(_, _, c)| only.contains(*c))?;
    Some(text!(
        "；表头看起来以{zh}（{c:?}）分隔：litmon 读取逗号分隔的 CSV——请另存为“CSV UTF-8（逗号分隔）”",
        "; the header looks {name}-separated ({c:?}): litmon reads comma-separated CSV — save it as \"CSV UTF-8 (comma delimited)\""
    ))
}

/// The main Chinese header of a canonical column, for suggestions.
fn chinese_alias(name: &str) -> &'static str {
    match name {
        "jurisdiction" => "地区",
        "indicator" => "指标",
        "year" => "年份",
        "value" => "比例 or 数值",
        "se" => "标准误",
        "n" => "样本量",
        "deff" => "设计效应",
        "lo" => "置信区间下限",
        "hi" => "置信区间上限",
        "source" => "来源",
        "cite" => "引用",
        "id" => "代码",
        "name_zh" => "名称",
        "name_en" => "英文名称",
        "level" => "级别",
        "parent" => "上级",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_group_cells_are_filled_from_the_row_above() {
        // Registry: the parent 150000 merged over lines 3–5; line 6 is a second root,
        // national, and keeps its blank parent.
        let input = Input::new(
            "j.csv",
            "id,name_zh,level,parent\n150000,内蒙古,province,100000\n150300,乌海,prefecture,150000\n150600,鄂尔多斯,prefecture,\n150700,呼伦贝尔,prefecture,\n999999,某国,national,\n",
        );
        let t = Table::parse(&input, HeaderKind::Jurisdictions).unwrap();
        let parents: Vec<&str> = t.rows().iter().map(|r| r.text(3)).collect();
        assert_eq!(parents, ["100000", "150000", "150000", "150000", ""]);
        assert_eq!(
            t.warnings
                .iter()
                .map(|w| w.render(crate::model::Lang::En))
                .collect::<Vec<_>>(),
            ["warning: j.csv: rows 4–5: blank parent filled from the row above (merged cells)"]
        );
        // Observations: the indicator is no group column (blank means literacy_rate); a
        // row with nothing but the key is not filled.
        let input = Input::new("o.csv", "地区,指标,年份,比例\n乌海,x,2021,1\n,,2022,2\n");
        let t = Table::parse(&input, HeaderKind::Observations).unwrap();
        assert_eq!(t.rows()[1].text(0), "乌海");
        assert_eq!(t.rows()[1].text(1), "");
        assert_eq!(
            t.warnings
                .iter()
                .map(|w| w.render(crate::model::Lang::En))
                .collect::<Vec<_>>(),
            ["warning: o.csv: row 3: blank 地区 filled from the row above (merged cells)"]
        );
    }

    #[test]
    fn aliases_and_units() {
        let o = HeaderKind::Observations;
        let j = HeaderKind::Jurisdictions;
        assert_eq!(canonical_header("\u{feff}地区", o), "jurisdiction");
        assert_eq!(canonical_header("比例（%）", o), "value");
        assert_eq!(canonical_header("Value (%)", o), "value");
        assert_eq!(canonical_header(" 年份 ", o), "year");
        assert_eq!(canonical_header("代码", o), "jurisdiction");
        assert_eq!(canonical_header("代码", j), "id");
        assert_eq!(canonical_header("地区名称", j), "name_zh");
        assert_eq!(canonical_header("地区名称", o), "jurisdiction");
        assert_eq!(canonical_header("上级", j), "parent");
        assert_eq!(canonical_header("Remarks", o), "remarks");
    }
}
