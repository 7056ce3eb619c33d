//! The files `litmon serve` holds (uploads, each with its [`Role`]), the files it refused,
//! and the dataset they make with the embedded data, validated as one whole on each change.

use super::limits::MAX_FILES;
use super::view::View;
use crate::data::{canonical_header, Content, HeaderKind, Input, ReadOptions, Sources};
use crate::error::{Error, Result};
use crate::model::{Dataset, Lang, Text};

/// What an uploaded file holds, as the command line's flags name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `--observations`: survey values.
    Observations,
    /// `--plans`: a plan (TOML or plan sheet).
    Plan,
    /// `--jurisdictions`: registry rows.
    Jurisdictions,
}

impl Role {
    /// Every role, in the page's order.
    pub const ALL: [Role; 3] = [Role::Observations, Role::Plan, Role::Jurisdictions];

    /// Machine name (`observations`, `plan`, `jurisdictions`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Observations => "observations",
            Role::Plan => "plan",
            Role::Jurisdictions => "jurisdictions",
        }
    }

    /// The role's name on the page.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Observations, Lang::Zh) => "调查数据",
            (Role::Plan, Lang::Zh) => "规划目标",
            (Role::Jurisdictions, Lang::Zh) => "行政区划",
            (Role::Observations, Lang::En) => "survey values",
            (Role::Plan, Lang::En) => "plan",
            (Role::Jurisdictions, Lang::En) => "registry rows",
        }
    }

    /// The role of a machine name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One uploaded file, in memory.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name shown and used in messages: the client's file name without any directory.
    pub name: String,
    /// What it holds.
    pub role: Role,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A file the page refused, with the reason (the library's message, file:row:column).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file's display name.
    pub file: String,
    /// What is wrong, in both languages (the page shows its own).
    pub message: Text,
}

/// The files held and the dataset they make with the embedded data.
#[derive(Debug, Clone)]
pub struct State {
    /// Files loaded, in upload order.
    pub uploads: Vec<Upload>,
    /// Files refused since (cleared for a file when it loads).
    pub problems: Vec<Problem>,
    /// The embedded data plus `uploads`, validated as one whole.
    pub dataset: Dataset,
}

impl State {
    /// The embedded data and `uploads`; an error names the file and place of the problem.
    pub fn with_uploads(uploads: Vec<Upload>) -> Result<State> {
        let dataset = build(&uploads)?;
        Ok(State {
            uploads,
            problems: Vec::new(),
            dataset,
        })
    }

    /// Adds (or replaces, by name) one file: the whole new set is validated first, and a
    /// file with errors leaves everything as it was and is listed with its problems.
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) -> std::result::Result<(), Text> {
        let name = display_name(name);
        let result = self.try_add(&name, bytes);
        self.problems.retain(|p| p.file != name);
        if let Err(message) = &result {
            self.problems.push(Problem {
                file: name,
                message: message.clone(),
            });
        }
        result
    }

    fn try_add(&mut self, name: &str, bytes: Vec<u8>) -> std::result::Result<(), Text> {
        let ext = extension(name);
        if !matches!(ext.as_deref(), Some("xlsx" | "csv" | "toml")) {
            return Err(text!(
                "{name}：应为 .xlsx、.csv 或 .toml 文件（观测值、规划或行政区划）",
                "{name}: expected an .xlsx, .csv or .toml file (observations, a plan or registry rows)"
            ));
        }
        let replacing = self.uploads.iter().any(|u| u.name == name);
        if !replacing && self.uploads.len() >= MAX_FILES {
            return Err(text!(
                "{name}：最多同时保存 {MAX_FILES} 个文件；请先移除一个",
                "{name}: at most {MAX_FILES} files are held at once; remove one first"
            ));
        }
        let input =
            Input::from_bytes(name, &bytes, &ReadOptions::default()).map_err(|e| both(&e))?;
        let role = guess_role(name, &input);
        let mut next = self.uploads.clone();
        next.retain(|u| u.name != name);
        next.push(Upload {
            name: name.to_string(),
            role,
            bytes,
        });
        self.replace(next)
    }

    /// Removes the file named `name` (and its problems).
    pub fn remove(&mut self, name: &str) -> std::result::Result<(), Text> {
        self.problems.retain(|p| p.file != name);
        let mut next = self.uploads.clone();
        next.retain(|u| u.name != name);
        self.replace(next)
    }

    /// Reads the file named `name` as `role` instead.
    pub fn set_role(&mut self, name: &str, role: Role) -> std::result::Result<(), Text> {
        let mut next = self.uploads.clone();
        for u in next.iter_mut().filter(|u| u.name == name) {
            u.role = role;
        }
        let result = self.replace(next);
        self.problems.retain(|p| p.file != name);
        if let Err(message) = &result {
            self.problems.push(Problem {
                file: name.to_string(),
                message: message.clone(),
            });
        }
        result
    }

    fn replace(&mut self, next: Vec<Upload>) -> std::result::Result<(), Text> {
        let dataset = build(&next).map_err(|e| both(&e))?;
        self.uploads = next;
        self.dataset = dataset;
        Ok(())
    }

    /// The dataset as of `view.as_of` (observations after it left out, as `--as-of` does).
    pub fn dataset_for(&self, view: &View) -> Dataset {
        let mut ds = self.dataset.clone();
        if let Some(y) = view.as_of {
            ds.restrict_to(y);
        }
        ds
    }
}

/// The embedded data plus the uploads, each read as the command line reads the file given
/// to the flag of its role ([`crate::data::load_sources`]).
fn build(uploads: &[Upload]) -> Result<Dataset> {
    let mut extra = Sources::default();
    for u in uploads {
        let mut input = Input::from_bytes(&u.name, &u.bytes, &ReadOptions::default())?;
        input.overrides = true;
        match u.role {
            Role::Observations => extra.observations.push(input),
            Role::Plan => extra.plans.push(input),
            Role::Jurisdictions => extra.jurisdictions.push(input),
        }
    }
    crate::data::load_sources(crate::data::embedded::sources(), extra)
}

/// The client's file name as a label: the last path component, without control characters,
/// at most 100 characters. It never names a file on this machine.
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.trim().is_empty() {
        "file".into()
    } else {
        clean
    }
}

fn extension(name: &str) -> Option<String> {
    let (_, ext) = name.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Headers that only a plan sheet has (its target columns, [`crate::data::plan_sheet`]).
const PLAN_HEADERS: &[&str] = &["目标值", "目标年", "target", "target_year", "target_value"];

/// What a file holds, from its name and headers: `.toml` is a plan; a table with target
/// columns a plan sheet; one with a level or parent column registry rows; else observations.
/// The page lets the user correct it.
pub fn guess_role(name: &str, input: &Input) -> Role {
    if extension(name).as_deref() == Some("toml") {
        return Role::Plan;
    }
    let headers: Vec<String> = match &input.content {
        Content::Table(t) => t.headers.clone(),
        Content::Text(text) => text
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.split([',', '\t']).map(|h| h.trim().to_string()).collect())
            .unwrap_or_default(),
    };
    let canon: Vec<String> = headers
        .iter()
        .map(|h| canonical_header(h, HeaderKind::Jurisdictions))
        .collect();
    if canon.iter().any(|h| PLAN_HEADERS.contains(&h.as_str())) {
        Role::Plan
    } else if canon.iter().any(|h| h == "level" || h == "parent") {
        Role::Jurisdictions
    } else {
        Role::Observations
    }
}

/// A library error as the page shows it, in both languages (the CLI's wording).
pub fn both(e: &Error) -> Text {
    Text::new(e.render(Lang::Zh), e.render(Lang::En))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_name_is_only_a_label() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\a\\包头.xlsx"), "包头.xlsx");
        assert_eq!(display_name("a\nb.csv"), "ab.csv");
        assert_eq!(display_name("dir/"), "file");
        assert_eq!(display_name(&"x".repeat(300)).chars().count(), 100);
    }

    #[test]
    fn roles_are_guessed_from_the_headers() {
        let opts = ReadOptions::default();
        let guess = |name: &str, text: &str| {
            let input = Input::from_bytes(name, text.as_bytes(), &opts).expect("text");
            guess_role(name, &input)
        };
        assert_eq!(
            guess("a.csv", "地区,年份,比例\n包头,2020,10.5\n"),
            Role::Observations
        );
        assert_eq!(guess("a.csv", "代码,名称,级别,上级\n"), Role::Jurisdictions);
        assert_eq!(guess("a.csv", "地区,方案,指标,目标年,目标值\n"), Role::Plan);
        assert_eq!(guess("a.toml", "[plan]\n"), Role::Plan);
    }
}
