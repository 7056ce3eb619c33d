//! Helpers shared by the test modules: running the binary and checking how it ended, reading
//! its CSV output, temporary directories. Each asserts what it says and panics with the
//! arguments and stderr of the run, so a failing test names the command that broke.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::litmon;

/// One CSV row as column name → cell.
pub type Row = HashMap<String, String>;

/// `args` with `--lang en` added when they name no language: the tests' needles are the
/// English messages (the default language, Chinese, has its own tests).
pub fn english<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    if !args.contains(&"--lang") {
        v.extend(["--lang", "en"]);
    }
    v
}

/// A new temporary directory, deleted when the value is dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"))
}

/// Runs `litmon ARGS` without `COLUMNS` in its environment (so terminal tables take their
/// default width whatever terminal runs the tests); asserts success and returns
/// (stdout, stderr).
pub fn run_ok(args: &[&str]) -> (Vec<u8>, String) {
    let out = litmon()
        .env_remove("COLUMNS")
        .args(args)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "litmon {args:?}: {err}");
    (out.stdout, err)
}

/// Runs `litmon ARGS`; asserts exit status 2 (bad input or usage), no panic, nothing on
/// stdout and every needle in stderr; returns stderr.
pub fn refused(args: &[&str], needles: &[&str]) -> String {
    let out = litmon().args(english(args)).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "litmon {args:?}: {err}");
    assert!(!err.contains("panicked"), "litmon {args:?}: {err}");
    assert!(out.stdout.is_empty(), "litmon {args:?}: stdout not empty");
    for n in needles {
        assert!(err.contains(n), "litmon {args:?}: expected {n:?} in: {err}");
    }
    err
}

/// As [`refused`], run in `dir`; also asserts that the whole directory is byte-identical
/// afterwards (a refused command writes nothing).
pub fn refused_in(dir: &Path, args: &[&str], needles: &[&str]) -> String {
    let before = tree(dir);
    let out = litmon()
        .current_dir(dir)
        .args(english(args))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
    for n in needles {
        assert!(err.contains(n), "{args:?}: expected {n:?} in: {err}");
    }
    assert_eq!(tree(dir), before, "{args:?}: the directory changed");
    err
}

/// Every file under `root` with its bytes (symlinks listed by their target), sorted; for
/// before/after comparisons.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("list") {
            let p = e.expect("entry").path();
            let rel = p.strip_prefix(root).expect("inside").display().to_string();
            let meta = std::fs::symlink_metadata(&p).expect("meta");
            if meta.is_symlink() {
                let t = std::fs::read_link(&p).expect("link");
                out.insert(rel, format!("-> {}", t.display()).into_bytes());
            } else if meta.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(p);
            } else if meta.is_file() {
                out.insert(rel, std::fs::read(&p).expect("read"));
            } else {
                out.insert(rel, b"<special>".to_vec());
            }
        }
    }
    out
}

/// Parses CSV bytes into (header, rows keyed by column).
pub fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Row>) {
    let mut rdr = csv::Reader::from_reader(bytes);
    let header: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = rdr
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// Runs `litmon ARGS --format csv`, asserts success; returns (header, rows keyed by column).
pub fn csv_output(args: &[&str]) -> (Vec<String>, Vec<Row>) {
    let out = litmon()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "litmon {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_csv(&out.stdout)
}

/// The rows of [`csv_output`].
pub fn csv_rows(args: &[&str]) -> Vec<Row> {
    csv_output(args).1
}

/// The row of jurisdiction `id`.
pub fn row<'a>(rows: &'a [Row], id: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["jurisdiction"] == id)
        .unwrap_or_else(|| panic!("no row for {id}"))
}

/// Cell `col` of `r` as a number (panics, naming the column, on an empty or other cell).
pub fn num(r: &Row, col: &str) -> f64 {
    r[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?} is not a number", r[col]))
}

/// [`run_ok`] with `--lang en` (when the arguments name no language): for tests whose
/// needles are the English warnings and notes.
pub fn run_ok_en(args: &[&str]) -> (Vec<u8>, String) {
    run_ok(&english(args))
}

/// `litmon --lang en`: the binary with English messages (the arguments that follow name
/// no other language).
pub fn litmon_en() -> assert_cmd::Command {
    let mut c = crate::litmon();
    c.args(["--lang", "en"]);
    c
}

/// A plan file written the way a user writes one (`seeds/SCHEMA.md`): `[plan]` with its
/// jurisdiction, title and period, then `[[indicator]]` tables. The literacy-rate indicator,
/// which most tests need, has its own method; any other indicator is given as its TOML lines.
///
/// ```ignore
/// PlanToml::new("150300", "乌海").literacy(Some((2020, 9.0)), (2025, 12.0)).text()
/// ```
#[derive(Clone, Debug)]
pub struct PlanToml {
    jurisdiction: String,
    title: String,
    period: (i32, i32),
    indicators: Vec<String>,
}

impl PlanToml {
    /// A 2021–2025 plan of `jurisdiction` (a code or a name) titled `title`, no indicator yet.
    pub fn new(jurisdiction: &str, title: &str) -> Self {
        PlanToml {
            jurisdiction: jurisdiction.to_string(),
            title: title.to_string(),
            period: (2021, 2025),
            indicators: Vec::new(),
        }
    }

    /// The literacy-rate indicator (percent, level, increasing) with an optional baseline
    /// `(year, value)` and its target `(year, value)`.
    pub fn literacy(self, baseline: Option<(i32, f64)>, target: (i32, f64)) -> Self {
        let mut lines = String::from(
            "id = \"literacy_rate\"\nname_zh = \"公民具备科学素质的比例\"\nunit = \"pct\"\n\
             kind = \"level\"\ndirection = \"increase\"\n",
        );
        if let Some((y, v)) = baseline {
            lines.push_str(&format!("baseline = {{ year = {y}, value = {v:?} }}\n"));
        }
        lines.push_str(&format!(
            "target = {{ year = {}, value = {:?} }}\n",
            target.0, target.1
        ));
        self.indicator(&lines)
    }

    /// An `[[indicator]]` table with these TOML lines.
    pub fn indicator(mut self, lines: &str) -> Self {
        self.indicators.push(lines.trim_end().to_string());
        self
    }

    /// The TOML text.
    pub fn text(&self) -> String {
        let mut s = format!(
            "[plan]\njurisdiction = \"{}\"\ntitle_zh = \"{}\"\nperiod = [{}, {}]\n",
            self.jurisdiction, self.title, self.period.0, self.period.1
        );
        for ind in &self.indicators {
            s.push_str("\n[[indicator]]\n");
            s.push_str(ind);
            s.push('\n');
        }
        s
    }
}

/// A temporary folder of input files for one test (deleted when dropped).
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// A new empty workspace.
    pub fn new() -> Self {
        Workspace { dir: tempdir() }
    }

    /// Writes `contents` to `name` inside the workspace (creating folders) and returns its path
    /// as a string, ready to be a command-line argument.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        p.to_string_lossy().into_owned()
    }

    /// Writes a plan file.
    pub fn plan(&self, name: &str, plan: &PlanToml) -> String {
        self.file(name, plan.text())
    }
}

#[test]
fn a_plan_toml_reads_as_the_schema_says() {
    // The builder's text is what a user writes by hand (compared literally).
    let t = PlanToml::new("150300", "乌海")
        .literacy(Some((2020, 9.0)), (2025, 12.0))
        .text();
    assert_eq!(
        t,
        "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"乌海\"\nperiod = [2021, 2025]\n\n\
         [[indicator]]\nid = \"literacy_rate\"\nname_zh = \"公民具备科学素质的比例\"\n\
         unit = \"pct\"\nkind = \"level\"\ndirection = \"increase\"\n\
         baseline = { year = 2020, value = 9.0 }\ntarget = { year = 2025, value = 12.0 }\n"
    );
    // And litmon reads it: `assess` compares 乌海 with its target of 12.0 for 2025.
    let ws = Workspace::new();
    let plan = ws.plan(
        "p.toml",
        &PlanToml::new("150300", "乌海").literacy(None, (2025, 12.0)),
    );
    let rows = csv_rows(&["assess", "--plans", &plan, "--jurisdiction", "150300"]);
    assert!(
        rows.iter()
            .any(|r| r["target"] == "12" || r["target"] == "12.0"),
        "{rows:?}"
    );
}
