//! The registry of jurisdictions (`jurisdictions.csv`): parsing its rows and checking
//! their links (each parent known, one level above its child, no cycle).

use std::collections::HashMap;

use super::csvread;
use super::csvread::HeaderKind;
use super::sources::Input;
use super::suggest::unknown_jurisdiction_message;
use super::table::RawRow;
use crate::error::{Error, Location, Problems, Result};
use crate::model::{Dataset, Jurisdiction, Level};

/// Parses a registry (`id,name_zh,name_en,level,parent`, optional `full_name_zh` and
/// `statistical_zone`).
pub fn parse_jurisdictions(input: &Input) -> Result<Vec<Jurisdiction>> {
    parse_registry(input, &mut Vec::new()).map(|(js, _)| js)
}

/// The registry rows and where each was read.
pub(super) fn parse_registry(
    input: &Input,
    warnings: &mut Vec<crate::error::Diagnostic>,
) -> Result<(Vec<Jurisdiction>, Vec<[Location; 2]>)> {
    let table = csvread::Table::parse(input, HeaderKind::Jurisdictions)?;
    let c_id = table.require("id")?;
    let c_zh = table.require("name_zh")?;
    let c_en = table.optional("name_en");
    let c_level = table.require("level")?;
    let c_parent = table.require("parent")?;
    let c_full = table.optional("full_name_zh");
    let c_zone = table.optional("statistical_zone");
    table.require_rows()?;
    warnings.extend(table.warnings.iter().cloned());
    warnings.extend(table.unknown_column_warnings());
    let mut out = Vec::with_capacity(table.rows().len());
    let mut origins = Vec::with_capacity(table.rows().len());
    // Every bad row of the file is reported at once.
    let mut problems = Problems::default();
    for row in table.rows() {
        let parsed = (|| -> Result<Jurisdiction> {
            let id = row.text(c_id).to_string();
            if id.is_empty() {
                return Err(table.error(
                    row,
                    c_id,
                    text!(
                        "应为地区代码（如 150300），实际为空单元格",
                        "expected a jurisdiction id (e.g. 150300), found an empty cell"
                    ),
                ));
            }
            if let Some(c) = id.chars().find(|c| matches!(c, '/' | '\\')) {
                return Err(table.error(
                row,
                c_id,
                text!(
"地区代码中不应有路径分隔符，实际为 {:?}（见 {}）；地区代码会用作图表的文件名",
"expected a jurisdiction id without path separators, found {:?} in {}; ids become file names of charts",
                    c,
                    crate::output::safety::echo(&id)
                ),
            ));
            }
            let name_zh = row.text(c_zh).to_string();
            if name_zh.is_empty() {
                return Err(table.error(
                    row,
                    c_zh,
                    text!(
                        "应为 {id} 的中文名称，实际为空单元格",
                        "expected the Chinese name of {id}, found an empty cell"
                    ),
                ));
            }
            let level_s = row.text(c_level);
            let level = level_s.parse::<Level>().map_err(|_| {
            table.error(
                row,
                c_level,
                text!(
"应为 national、province、prefecture 或 county（全国、省、市、县），实际为 {}",
"expected national, province, prefecture or county (全国, 省, 市, 县), found {}", crate::output::safety::echo(level_s)),
            )
        })?;
            let parent = Some(row.text(c_parent).to_string()).filter(|p| !p.is_empty());
            let statistical_zone = statistical_zone(&table, row, c_zone, c_id)?;
            let mut full_name_zh = c_full.map(|c| row.text(c).to_string()).unwrap_or_default();
            if full_name_zh == name_zh {
                full_name_zh.clear();
            }
            Ok(Jurisdiction {
                id,
                name_zh,
                name_en: c_en.map(|c| row.text(c).to_string()).unwrap_or_default(),
                level,
                parent,
                full_name_zh,
                statistical_zone,
            })
        })();
        if let Some(j) = problems.check(parsed) {
            out.push(j);
            origins.push([table.location(row, c_id), table.location(row, c_parent)]);
        }
    }
    problems.into_result()?;
    Ok((out, origins))
}

/// The `statistical_zone` cell of `row`: `yes` (true, 1, 是) or empty (no, false, 0, 否);
/// false without the column.
fn statistical_zone(
    table: &csvread::Table,
    row: &RawRow,
    c_zone: Option<usize>,
    c_id: usize,
) -> Result<bool> {
    match c_zone.map(|c| row.text(c)) {
        None => Ok(false),
        Some(z) => match z.to_lowercase().as_str() {
            "" | "no" | "false" | "0" | "否" => Ok(false),
            "yes" | "true" | "1" | "是" => Ok(true),
            _ => Err(table.error(
                row,
                c_zone.unwrap_or(c_id),
                text!(
                    "应为 yes 或空单元格（是否为统计区），实际为 {}",
                    "expected yes or an empty cell (statistical zone or not), found {}",
                    crate::output::safety::echo(z)
                ),
            )),
        },
    }
}

/// Replaces a base registry row by a user's row of the same id, keeping the base's full
/// name and statistical-zone mark where the user's row (perhaps in the five-column layout)
/// leaves them empty. Returns the replaced row's description when the rows differ.
pub(super) fn replace_registry_row(
    base: &mut Jurisdiction,
    mut user: Jurisdiction,
) -> Option<String> {
    if user.full_name_zh.is_empty() && user.name_zh != base.full_name() {
        user.full_name_zh = base.full_name_zh.clone();
    }
    user.statistical_zone |= base.statistical_zone;
    if user == *base {
        return None;
    }
    let was = format!(
        "{}{} {}, parent {}",
        base.name_zh,
        Some(&base.name_en)
            .filter(|e| !e.is_empty())
            .map(|e| format!(" {e}"))
            .unwrap_or_default(),
        base.level.as_str(),
        base.parent.as_deref().unwrap_or("none")
    );
    *base = user;
    Some(was)
}

/// No chain of parents in `js` returns to a place: the first cycle found is an error at the
/// `parent` cell (`at`) of one of its places. `ids` indexes `js` by id.
fn no_parent_cycle(
    js: &[Jurisdiction],
    ids: &HashMap<String, usize>,
    at: &dyn Fn(usize, &str) -> Location,
) -> Result<()> {
    // Cycles, in one linear pass: each node is walked at most once (state 1 while on the
    // current path, 2 once its chain is known to end at a root).
    let mut state = vec![0u8; js.len()];
    for start in 0..js.len() {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = Some(start);
        while let Some(k) = cur {
            match state[k] {
                2 => break,
                1 => {
                    let from = path.iter().position(|&p| p == k).unwrap_or(0);
                    let mut chain: Vec<&str> =
                        path[from..].iter().map(|&p| js[p].id.as_str()).collect();
                    chain.push(js[k].id.as_str());
                    return Err(Error::input(
                        at(k, "parent"),
                        text!(
"{} 的上级形成了循环（{}）；上级链应止于全国，全国的上级为空",
"the parents of {} form a cycle ({}); the chain must end at the nation, whose parent is empty",
                            js[k].id,
                            chain.join(" → ")
                        ),
                    ));
                }
                _ => {
                    state[k] = 1;
                    path.push(k);
                    cur = js[k].parent.as_deref().and_then(|p| ids.get(p).copied());
                }
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
    Ok(())
}

/// Unique ids; every parent in the registry (given by id, or by a unique Chinese name,
/// which is replaced by its id); no cycles.
pub(super) fn validate_registry(js: &mut [Jurisdiction], origins: &[[Location; 2]]) -> Result<()> {
    let at = |i: usize, col: &str| {
        let k = usize::from(col == "parent");
        origins.get(i).map(|o| o[k].clone()).unwrap_or_default()
    };
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (i, j) in js.iter().enumerate() {
        if let Some(prev) = ids.insert(j.id.clone(), i) {
            let p = at(prev, "id");
            return Err(Error::input(
                at(i, "id"),
                text!(
                    "地区代码 {:?} 重复（另见 {}{}）；每个代码只能出现一次",
                    "duplicate jurisdiction id {:?} (also at {}{}); each id must appear once",
                    j.id,
                    p.file,
                    p.line.map(|l| format!(":{l}")).unwrap_or_default()
                ),
            ));
        }
    }
    // A parent given by name (内蒙古, 内蒙古自治区, 长春/朝阳区) is looked up as names are
    // everywhere else ([`Dataset::lookup`]), in an index built only when one is needed.
    let mut named: Option<Dataset> = None;
    for i in 0..js.len() {
        let Some(p) = js[i].parent.clone() else {
            continue;
        };
        if ids.contains_key(&p) {
            continue;
        }
        let reg =
            named.get_or_insert_with(|| Dataset::from_parts(js.to_vec(), Vec::new(), Vec::new()));
        match reg.resolve(&p) {
            Some(parent) => js[i].parent = Some(parent.id.clone()),
            None => {
                return Err(Error::input(at(i, "parent"), {
                    let id = &js[i].id;
                    let m = unknown_jurisdiction_message(reg, &p);
                    crate::model::Text::new(
                        format!("{id} 的上级：{}", m.zh),
                        format!("parent of {id}: {}", m.en),
                    )
                }));
            }
        }
    }
    no_parent_cycle(js, &ids, &at)?;
    // A parent is of a higher level (national > province > prefecture > county), so every
    // chain of ancestors has at most four links.
    for (i, j) in js.iter().enumerate() {
        let Some(&k) = j.parent.as_deref().and_then(|p| ids.get(p)) else {
            continue;
        };
        let parent = &js[k];
        // Level's order is national < province < prefecture < county (higher first).
        if parent.level >= j.level {
            return Err(Error::input(
                at(i, "parent"),
                text!(
"{} 的级别为 {}，而其上级 {} 的级别为 {}：上级的级别应更高（national > province > prefecture > county）",
"{} is a {} whose parent {} is a {}: expected a parent of a higher level (national > province > prefecture > county)",
                    j.id,
                    j.level.as_str(),
                    parent.id,
                    parent.level.as_str()
                ),
            ));
        }
    }
    Ok(())
}
