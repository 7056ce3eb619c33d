//! Messages for an unknown jurisdiction: the closest registered names, a hint when the
//! text looks like UTF-8 read as GBK, and how to add a place to the registry.

use crate::error::Problems;
use crate::model::{Dataset, Jurisdiction, Level, Lookup};

/// Suggestions computed for unknown names per file: a file of 200,000 bad rows shows
/// [`Problems::MAX`] of them, and only those are worth a search of the registry.
pub(super) const MAX_SUGGESTED: usize = Problems::MAX;

/// How a user adds a place the registry lacks (the end of every unknown-name message).
const ADD_A_PLACE: &str = "a place the registry lacks is added with --jurisdictions F (a CSV of id,name_zh,name_en,level,parent rows)";

/// [`ADD_A_PLACE`] in Chinese.
const ADD_A_PLACE_ZH: &str =
    "地区名录中没有的地区可用 --jurisdictions F 添加（CSV，每行为 id,name_zh,name_en,level,parent）";

/// The message for a code or name that designates no single jurisdiction:
/// - ambiguous: "ambiguous jurisdiction name …" listing every candidate with its level,
///   parent and code, and how to write one (`长春/朝阳区` or the code);
/// - unknown: "unknown jurisdiction …" with up to three registered names that resemble it
///   ([`Dataset::suggestions`]: containment, then shared characters, then edit distance),
///   and how to add a place (`--jurisdictions F`).
pub fn unknown_jurisdiction_message(ds: &Dataset, key: &str) -> crate::model::Text {
    use crate::model::Text;
    let shown = crate::output::safety::echo(key.trim());
    let parent_name = |j: &Jurisdiction| parent_name(ds, j);
    let level_zh = |l: Level| match l {
        Level::National => "全国",
        Level::Province => "省级",
        Level::Prefecture => "地市级",
        Level::County => "县级",
    };
    let described = |j: &Jurisdiction| {
        let inside = parent_name(j)
            .map(|p| format!(" in {p}"))
            .unwrap_or_default();
        let inside_zh = parent_name(j)
            .map(|p| format!("，属{p}"))
            .unwrap_or_default();
        Text::new(
            format!("{} {}（{}{inside_zh}）", j.id, j.name_zh, level_zh(j.level)),
            format!("{} {} ({}{inside})", j.id, j.name_zh, j.level.as_str()),
        )
    };
    match ds.lookup(key) {
        Lookup::Found(j) => {
            let d = described(j);
            Text::new(
                format!("{shown} 是 {}", d.zh),
                format!("{shown} is {}", d.en),
            )
        }
        Lookup::Ambiguous(named) => {
            let example = named
                .iter()
                .find_map(|j| parent_name(j).map(|p| format!("{p}/{}", j.name_zh)));
            let (ex_zh, ex) = match example {
                Some(e) => (format!("（如 {e}）"), format!(" (e.g. {e})")),
                None => (String::new(), String::new()),
            };
            let n = named.len();
            let all = joined(named.iter().map(|j| described(j)).collect());
            Text::new(
                format!(
                    "地区名称 {shown} 有歧义：有 {n} 个地区同名——{}；请改写代码或“上级/名称”{ex_zh}",
                    all.zh
                ),
                format!(
                    "ambiguous jurisdiction name {shown}: {n} jurisdictions bear it — {}; write the code or parent/name{ex} instead",
                    all.en
                ),
            )
        }
        Lookup::Unknown => unknown_place_message(ds, key, &shown),
    }
}

/// The message for a key that names no registered place ([`Lookup::Unknown`]): UTF-8 read
/// as GBK, an unknown `parent/name`, or the closest registered names.
fn unknown_place_message(ds: &Dataset, key: &str, shown: &str) -> crate::model::Text {
    use crate::model::Text;
    if let Some(j) = utf8_read_as_gbk(key.trim()).and_then(|t| ds.resolve(&t)) {
        let (id, name) = (&j.id, &j.name_zh);
        return text!(
            "未知地区 {shown}：这是 {id} {name} 的 UTF-8 字节被当作 GBK 读出的结果——文件混用了编码（或对 UTF-8 文件给了 --encoding gbk）；整个文件应使用同一种编码——请把整个文件另存为“CSV UTF-8”",
            "unknown jurisdiction {shown}: these are the bytes of {id} {name} in UTF-8 read as GBK — the file mixes encodings (or --encoding gbk was given for a UTF-8 file); expected one encoding throughout — save the whole file as CSV UTF-8"
        );
    }
    if let Some((parent, name)) = key.trim().rsplit_once('/') {
        if ds.resolve(parent).is_none() {
            let inner = unknown_jurisdiction_message(ds, parent);
            return Text::new(
                format!("未知地区 {shown}：其上级部分不是唯一的地区：{}", inner.zh),
                format!(
                    "unknown jurisdiction {shown}: its parent part is not one place: {}",
                    inner.en
                ),
            );
        }
        let name = crate::output::safety::echo(name.trim());
        let parent = crate::output::safety::echo(parent.trim());
        return Text::new(
            format!("未知地区 {shown}：{parent} 下没有名为 {name} 的地区；{ADD_A_PLACE_ZH}"),
            format!(
                "unknown jurisdiction {shown}: no jurisdiction named {name} under {parent}; {ADD_A_PLACE}"
            ),
        );
    }
    let closest = ds.suggestions(key, 3);
    if closest.is_empty() {
        return Text::new(
            format!(
                "未知地区 {shown}：应为地区名录中的代码或名称；没有相近的已登记名称；{ADD_A_PLACE_ZH}"
            ),
            format!(
                "unknown jurisdiction {shown}: expected a code or name from the registry; no registered name resembles it; {ADD_A_PLACE}"
            ),
        );
    }
    let near = joined(
        closest
            .iter()
            .map(|j| match parent_name(ds, j) {
                Some(p) if j.level != Level::Province => Text::new(
                    format!("{} {}（属{p}）", j.id, j.name_zh),
                    format!("{} {} (in {p})", j.id, j.name_zh),
                ),
                _ => {
                    let t = format!("{} {}", j.id, j.name_zh);
                    Text::new(t.clone(), t)
                }
            })
            .collect(),
    );
    Text::new(
        format!(
            "未知地区 {shown}：应为地区名录中的代码或名称；最接近的：{}；{ADD_A_PLACE_ZH}",
            near.zh
        ),
        format!(
            "unknown jurisdiction {shown}: expected a code or name from the registry; closest: {}; {ADD_A_PLACE}",
            near.en
        ),
    )
}

/// The Chinese name of `j`'s parent, when it has one in `ds`.
fn parent_name(ds: &Dataset, j: &Jurisdiction) -> Option<String> {
    j.parent
        .as_deref()
        .and_then(|p| ds.jurisdiction(p))
        .map(|p| p.name_zh.clone())
}

/// Texts joined into one list: `、` between the Chinese, `, ` between the English.
fn joined(texts: Vec<crate::model::Text>) -> crate::model::Text {
    crate::model::Text::new(
        texts
            .iter()
            .map(|t| t.zh.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        texts
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The text whose UTF-8 bytes, decoded as GBK/GB18030, gave `key` (涔屾捣 → 乌海), when there
/// is one and it differs: a UTF-8 line inside a file read as GBK.
fn utf8_read_as_gbk(key: &str) -> Option<String> {
    if key.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(key);
    let text = std::str::from_utf8(&bytes).ok().filter(|_| !unmappable)?;
    (text != key).then(|| text.to_string())
}

/// [`unknown_jurisdiction_message`] without the search for similar names: for the bad rows
/// of a file beyond the first [`MAX_SUGGESTED`], which are counted, not shown.
pub(super) fn unknown_jurisdiction_brief(key: &str) -> crate::model::Text {
    let shown = crate::output::safety::echo(key.trim());
    text!(
        "未知地区 {shown}：应为地区名录中的代码或名称；{ADD_A_PLACE_ZH}",
        "unknown jurisdiction {shown}: expected a code or name from the registry; {ADD_A_PLACE}"
    )
}
