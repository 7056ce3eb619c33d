//! Errors of the library. Every input error names the file, the line and the column
//! (when there is one) and says what was expected, so that a user can fix it.

/// Errors of the survey layer ([`crate::survey`]): typed, worded without flag names.
pub mod survey;
/// The output language and messages in both languages.
pub mod text;

use std::fmt;

pub use text::{Lang, Text};

/// A name that is none of an enumeration's values (a `--lang`, `--ci` or `lonely_psu` given as
/// text): what was given and the canonical names expected. Every named enumeration of the
/// library ([`crate::model::Level`], [`crate::trend::ModelKind`], [`crate::survey::ci::CiMethod`],
/// …) parses with [`std::str::FromStr`] and returns this error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {}, found {given:?}", expected.join(", "))]
pub struct UnknownName {
    /// The text as given.
    pub given: String,
    /// The canonical names (the enumeration's `NAMES`).
    pub expected: &'static [&'static str],
}

impl UnknownName {
    /// The error for `given`, which is none of `expected`.
    pub fn new(given: &str, expected: &'static [&'static str]) -> Self {
        UnknownName {
            given: given.to_string(),
            expected,
        }
    }
}

/// Where in an input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// File name as the user gave it (or `embedded:data/…` for the built-in data).
    pub file: String,
    /// 1-based line number, when known.
    pub line: Option<u64>,
    /// Column name or number, when known.
    pub column: Option<String>,
}

impl Location {
    /// A whole file, without line or column.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// A line of a file (1-based).
    pub fn at(file: impl Into<String>, line: u64) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: None,
        }
    }

    /// The location narrowed to a column (a name or a 1-based number; shown as
    /// `column N` when it starts with a digit, else `key NAME`).
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        match &self.column {
            Some(col) if col.starts_with(|c: char| c.is_ascii_digit()) => {
                write!(f, ", column {col}")?
            }
            Some(key) => write!(f, ", key {key}")?,
            None => {}
        }
        Ok(())
    }
}

impl Location {
    /// The location in `lang`: `x.csv:3, column 4 (value)` in English, `x.csv 第3行，第4列（value）`
    /// in Chinese (the file name and the numbers kept as given).
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(" 第{line}行"));
        }
        match &self.column {
            Some(col) if col.starts_with(|c: char| c.is_ascii_digit()) => {
                let digits = col.chars().take_while(|c| c.is_ascii_digit()).count();
                let (n, rest) = col.split_at(digits);
                let rest = rest.trim();
                match rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
                    Some(name) => out.push_str(&format!("，第{n}列（{name}）")),
                    None if rest.is_empty() => out.push_str(&format!("，第{n}列")),
                    None => out.push_str(&format!("，第{n}列 {rest}")),
                }
            }
            Some(key) => out.push_str(&format!("，键 {key}")),
            None => {}
        }
        out
    }
}

/// The library's error type. Every message is held in both languages of `--lang`
/// ([`Error::render`]); [`fmt::Display`] is the English one.
#[derive(Debug)]
pub enum Error {
    /// Bad input data: the user must fix the file (exit status 2).
    Input {
        /// Where the problem is.
        location: Location,
        /// What was expected, in the user's terms.
        message: Text,
    },

    /// Several problems of the inputs, reported at once so that a user fixes them in one
    /// pass (exit status 2): one line each, in the single problem's own words, at most
    /// [`Problems::MAX`] of them and then `… and N more`. Built by [`Problems`].
    Problems {
        /// The problems shown, at most [`Problems::MAX`].
        problems: Vec<Error>,
        /// How many more were found and not shown.
        more: usize,
    },

    /// A command-line value that cannot be used (exit status 2).
    Usage(Text),

    /// A chart or report could not be drawn (exit status 1).
    Render(Text),

    /// A problem found by the survey estimator, in its own terms (exit status 2). The command
    /// line words it for the user with the flag to fix (`litmon estimate`).
    Survey(survey::SurveyError),

    /// An input file that cannot be read as asked, where a reading option (its text
    /// encoding, its sheet) is the way out (exit status 2). Worded here without the command
    /// line; the command line names the option to use.
    Read {
        /// Where the problem is.
        location: Location,
        /// What is wrong, typed.
        problem: ReadProblem,
    },

    /// A table too long for one Excel sheet (exit status 1): CSV holds it.
    SheetTooLong {
        /// Rows of the table.
        rows: usize,
        /// Excel's limit of rows on a sheet (the header row excluded).
        limit: usize,
    },

    /// An output row type that cannot be written as cells: a programming error (exit status
    /// 1).
    Record(RecordError),

    /// A file could not be read or written: exit status 2 when the path is at fault (see
    /// [`Error::is_bad_input`]), 1 for a runtime failure such as a full disk.
    Io {
        /// The path as the user gave it.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl From<survey::SurveyError> for Error {
    fn from(e: survey::SurveyError) -> Self {
        Error::Survey(e)
    }
}

impl From<RecordError> for Error {
    fn from(e: RecordError) -> Self {
        Error::Record(e)
    }
}

/// The English message ([`Error::render`] with [`Lang::En`]).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Survey(e) => e.source(),
            Error::Record(e) => e.source(),
            _ => None,
        }
    }
}

impl Error {
    /// An [`Error::Input`] at `location` with `message` (what was expected, in both
    /// languages).
    pub fn input(location: Location, message: impl Into<Text>) -> Self {
        Error::Input {
            location,
            message: message.into(),
        }
    }

    /// An [`Error::Usage`]: a command-line value that cannot be used.
    pub fn usage(message: impl Into<Text>) -> Self {
        Error::Usage(message.into())
    }

    /// An [`Error::Render`]: a chart or report that could not be drawn.
    pub fn drawing(message: impl Into<Text>) -> Self {
        Error::Render(message.into())
    }

    /// The message in `lang`: the place (file, line, column) and what is wrong.
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let colon = if zh { "：" } else { ": " };
        match self {
            Error::Input { location, message } => {
                format!("{}{colon}{}", location.render(lang), message.get(lang))
            }
            Error::Problems { problems, more } => problems_text(problems, *more, lang),
            Error::Usage(t) | Error::Render(t) => t.get(lang).to_string(),
            Error::Survey(e) => e.render(lang),
            Error::Read { location, problem } => {
                format!("{}{colon}{}", location.render(lang), problem.text().get(lang))
            }
            Error::SheetTooLong { rows, limit } => {
                text!(
                    "XLSX 工作簿：一张工作表写不下 {rows} 行（Excel 每张表最多 {limit} 行）；请写成 CSV",
                    "XLSX workbook: cannot write {rows} rows to one sheet (Excel's limit is {limit}); write it as CSV"
                )
                .get(lang)
                .to_string()
            }
            Error::Record(e) => e.text().get(lang).to_string(),
            Error::Io { path, source } => {
                format!("{path}{colon}{}", io_text(source).get(lang))
            }
        }
    }

    /// True for errors caused by the user's input or flags (exit status 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Input { .. } | Error::Usage(_) | Error::Survey(_) | Error::Read { .. } => true,
            Error::Problems { problems, .. } => problems.iter().all(Error::is_bad_input),
            Error::Render(_) | Error::Record(_) | Error::SheetTooLong { .. } => false,
            // A path the user gave that cannot be read or written as asked: missing, not
            // permitted, read-only, a directory given as a file (or the reverse), a
            // symlink loop. A full disk or a failing device stays a runtime failure.
            Error::Io { source, .. } => {
                use std::io::ErrorKind as K;
                // ELOOP (a symlink loop) has no stable ErrorKind yet.
                const ELOOP: i32 = if cfg!(target_os = "linux") { 40 } else { 62 };
                matches!(
                    source.kind(),
                    K::NotFound
                        | K::PermissionDenied
                        | K::InvalidData
                        | K::InvalidInput
                        | K::ReadOnlyFilesystem
                        | K::IsADirectory
                        | K::NotADirectory
                        | K::AlreadyExists
                ) || (cfg!(unix) && source.raw_os_error() == Some(ELOOP))
            }
        }
    }
}

/// An I/O error in both languages: the English is the system's own text; the Chinese says
/// what happened by its kind (找不到文件, 没有权限, …) and keeps the system's text when the
/// kind says little.
pub fn io_text(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let os = e.to_string();
    let zh = match e.kind() {
        K::NotFound => "找不到该文件或目录".to_string(),
        K::PermissionDenied => "没有权限读写该文件".to_string(),
        K::AlreadyExists => "该文件已存在".to_string(),
        K::IsADirectory => "这是一个目录，不是文件".to_string(),
        K::NotADirectory => "路径中有一项不是目录".to_string(),
        K::ReadOnlyFilesystem => "文件系统只读，不能写入".to_string(),
        K::StorageFull => "磁盘已满".to_string(),
        K::DirectoryNotEmpty => "目录不为空".to_string(),
        K::InvalidData => format!("数据无效（{os}）"),
        K::InvalidInput => format!("输入无效（{os}）"),
        K::UnexpectedEof => "文件意外结束（可能不完整）".to_string(),
        K::Interrupted => "读写被中断".to_string(),
        _ if cfg!(unix)
            && e.raw_os_error() == Some(if cfg!(target_os = "linux") { 40 } else { 62 }) =>
        {
            "符号链接循环".to_string()
        }
        _ => format!("读写失败（{os}）"),
    };
    Text::new(zh, os)
}

/// Why an input's text or sheet cannot be read as asked ([`Error::Read`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    /// Read as UTF-8, and a byte is not UTF-8.
    NotUtf8 {
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    /// Read as GBK/GB18030, and the bytes are not.
    NotGbk,
    /// Read with the encoding detected, and the bytes are neither UTF-8 nor GBK/GB18030.
    NeitherUtf8NorGbk,
    /// A workbook has no sheet of the name asked for.
    NoSuchSheet {
        /// The sheet asked for.
        want: String,
        /// The workbook's sheets, in order.
        sheets: Vec<String>,
    },
}

impl ReadProblem {
    /// What is wrong, in both languages, without the command line's flags.
    pub fn text(&self) -> Text {
        match self {
            ReadProblem::NotUtf8 { byte } => text!(
                "应为 UTF-8 文本，却遇到字节 0x{byte:02X}；该文件像是 GBK 编码：请按 GBK 读取，或另存为“CSV UTF-8”",
                "expected UTF-8 text, found byte 0x{byte:02X}; the file looks like GBK: read it as GBK or save it as \"CSV UTF-8\""
            ),
            ReadProblem::NotGbk => text!(
                "应为 GBK/GB18030 文本，却遇到不属于该编码的字节；请按 UTF-8 读取",
                "expected GBK/GB18030 text, found bytes that are not; read it as UTF-8"
            ),
            ReadProblem::NeitherUtf8NorGbk => text!(
                "应为 UTF-8 或 GBK/GB18030 文本，却遇到两者都不是的字节（是否为二进制文件？）；请另存为“CSV UTF-8”或指明其编码",
                "expected text in UTF-8 or GBK/GB18030, found bytes that are neither (is it a binary file?); save it as \"CSV UTF-8\" or name its encoding"
            ),
            ReadProblem::NoSuchSheet { want, sheets } => {
                let zh_list = sheets.join("、");
                let en_list = sheets.join(", ");
                text!(
                    "没有名为“{want}”的工作表；现有工作表：{zh_list}",
                    "no sheet named {want:?}; the sheets are: {en_list}"
                )
            }
        }
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for ReadProblem {}

/// An output row type that cannot be written as cells (`crate::output::record`): found by
/// the tests of each table, never by a user's data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("output record: {0}")]
pub struct RecordError(pub String);

impl RecordError {
    /// The message in both languages (the record's own words stay as written: they name
    /// Rust types for the developer).
    pub fn text(&self) -> Text {
        let m = &self.0;
        text!("输出记录（程序错误）：{m}", "output record: {m}")
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `FILE: N problems; fix them all and run again:` (the file when all are in one) and
/// one indented line per problem, in `lang`.
fn problems_text(problems: &[Error], more: usize, lang: Lang) -> String {
    let files: Vec<Option<&str>> = problems
        .iter()
        .map(|e| match e {
            Error::Input { location, .. } => Some(location.file.as_str()),
            _ => None,
        })
        .collect();
    let zh = lang == Lang::Zh;
    let place = match files.first() {
        Some(Some(first)) if files.iter().all(|f| f == &Some(*first)) => {
            format!("{first}{}", if zh { "：" } else { ": " })
        }
        _ => String::new(),
    };
    let n = problems.len() + more;
    let mut out = if zh {
        format!("{place}共 {n} 处问题，请全部改正后再运行：")
    } else {
        format!("{place}{n} problems; fix them all and run again:")
    };
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.render(lang));
    }
    if more > 0 {
        if zh {
            out.push_str(&format!("\n  … 另有 {more} 处"));
        } else {
            out.push_str(&format!("\n  … and {more} more"));
        }
    }
    out
}

/// Collects the problems of an input to report them together: the first [`Problems::MAX`]
/// are kept, the rest counted.
///
/// ```
/// use litmon::error::{Error, Location, Problems, Text};
/// let mut p = Problems::default();
/// assert!(p.check(Ok::<_, Error>(1)).is_some());
/// for line in 2..=4 {
///     let what = Text::new("应为数字", "expected a number");
///     p.push(Error::input(Location::at("o.csv", line), what));
/// }
/// let e = p.into_result().unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "o.csv: 3 problems; fix them all and run again:\n  o.csv:2: expected a number\n  o.csv:3: expected a number\n  o.csv:4: expected a number"
/// );
/// ```
#[derive(Debug, Default)]
pub struct Problems {
    problems: Vec<Error>,
    more: usize,
}

impl Problems {
    /// Problems listed one by one; the others are counted (`… and N more`).
    pub const MAX: usize = 20;

    /// Records a problem (a nested [`Error::Problems`] is flattened).
    pub fn push(&mut self, e: Error) {
        match e {
            Error::Problems { problems, more } => {
                for p in problems {
                    self.push(p);
                }
                self.more += more;
            }
            e if self.problems.len() < Self::MAX => self.problems.push(e),
            _ => self.more += 1,
        }
    }

    /// The value of `r`, or `None` after recording its error.
    pub fn check<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    /// True when no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Ok` without problems; one problem as itself (its message unchanged); several as
    /// [`Error::Problems`].
    pub fn into_result(mut self) -> Result<()> {
        match (self.problems.len(), self.more) {
            (0, _) => Ok(()),
            (1, 0) => Err(self.problems.remove(0)),
            _ => Err(Error::Problems {
                problems: self.problems,
                more: self.more,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::survey::{ColumnRole, SurveyError};
    use super::{Error, Lang, Location, ReadProblem, RecordError};

    /// One value of every [`ReadProblem`] (the match fails to compile when one is added).
    fn every_read_problem() -> Vec<ReadProblem> {
        let all = vec![
            ReadProblem::NotUtf8 { byte: 0xB1 },
            ReadProblem::NotGbk,
            ReadProblem::NeitherUtf8NorGbk,
            ReadProblem::NoSuchSheet {
                want: "数据".into(),
                sheets: vec!["Sheet1".into(), "说明".into()],
            },
        ];
        for p in &all {
            match p {
                ReadProblem::NotUtf8 { .. }
                | ReadProblem::NotGbk
                | ReadProblem::NeitherUtf8NorGbk
                | ReadProblem::NoSuchSheet { .. } => {}
            }
        }
        all
    }

    /// One value of every [`SurveyError`].
    fn every_survey_error() -> Vec<SurveyError> {
        let loc = Location::at("m.csv", 1);
        let header = vec!["stratum".to_string(), "psu".to_string()];
        let all = vec![
            SurveyError::MissingColumn {
                location: loc.clone(),
                role: ColumnRole::Weight,
                name: "w".into(),
                header: header.clone(),
            },
            SurveyError::ReplicateColumnsMissing {
                location: loc.clone(),
                prefix: "rep".into(),
                header,
            },
            SurveyError::TooFewReplicates {
                prefix: "rep".into(),
                found: 1,
            },
            SurveyError::FayWithoutRho,
            SurveyError::JknWithoutRscales,
            SurveyError::RscalesCount {
                expected: 4,
                found: 3,
            },
            SurveyError::LonelyPsu {
                stratum: "A".into(),
            },
            SurveyError::NoDataRows,
            SurveyError::PopulationsPerMargin,
            SurveyError::MarginTotalsDiffer {
                location: loc,
                total: 10.0,
                first: "sex.csv".into(),
                first_total: 12.0,
            },
        ];
        for e in &all {
            match e {
                SurveyError::MissingColumn { .. }
                | SurveyError::ReplicateColumnsMissing { .. }
                | SurveyError::TooFewReplicates { .. }
                | SurveyError::FayWithoutRho
                | SurveyError::JknWithoutRscales
                | SurveyError::RscalesCount { .. }
                | SurveyError::LonelyPsu { .. }
                | SurveyError::NoDataRows
                | SurveyError::PopulationsPerMargin
                | SurveyError::MarginTotalsDiffer { .. } => {}
            }
        }
        all
    }

    /// One value of every [`Error`] variant (and every read problem and survey error
    /// inside one).
    fn every_error() -> Vec<Error> {
        let mut all = vec![
            Error::input(
                Location::at("o.csv", 3).with_column("4 (value)"),
                text!("应为数值，实际为“abc”", "expected a number, found \"abc\""),
            ),
            Error::Problems {
                problems: vec![
                    Error::input(
                        Location::at("o.csv", 2),
                        text!("应为年份", "expected a year"),
                    ),
                    Error::input(
                        Location::at("o.csv", 5),
                        text!("应为年份", "expected a year"),
                    ),
                ],
                more: 3,
            },
            Error::usage(text!("需要 -o 目录", "needs -o DIR")),
            Error::drawing(text!("字体无法加载", "the font could not be loaded")),
            Error::SheetTooLong {
                rows: 2_000_000,
                limit: 1_048_575,
            },
            Error::Record(RecordError("a boolean has no single-cell form".into())),
            Error::Io {
                path: "x.csv".into(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            Error::Io {
                path: "x.csv".into(),
                source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            },
        ];
        for problem in every_read_problem() {
            all.push(Error::Read {
                location: Location::file("b.xlsx"),
                problem,
            });
        }
        for e in every_survey_error() {
            all.push(Error::Survey(e));
        }
        for e in &all {
            match e {
                Error::Input { .. }
                | Error::Problems { .. }
                | Error::Usage(_)
                | Error::Render(_)
                | Error::Survey(_)
                | Error::Read { .. }
                | Error::SheetTooLong { .. }
                | Error::Record(_)
                | Error::Io { .. } => {}
            }
        }
        all
    }

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_error_has_a_chinese_and_an_english_message() {
        let all = every_error();
        assert_eq!(all.len(), 8 + 4 + 10);
        for e in &all {
            let zh = e.render(Lang::Zh);
            let en = e.render(Lang::En);
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{e:?}");
            assert_ne!(zh, en, "{e:?}");
            assert!(has_cjk(&zh), "no Chinese in {zh:?}");
            // The English has no Chinese of its own (only the names given: 数据, 说明).
            let en_own = en.replace("数据", "").replace("说明", "");
            assert!(!has_cjk(&en_own), "Chinese in {en:?}");
            assert_eq!(e.to_string(), en);
        }
    }

    #[test]
    fn locations_keep_file_and_numbers_in_both_languages() {
        let l = Location::at("x.csv", 3).with_column("4 (value)");
        assert_eq!(l.render(Lang::En), "x.csv:3, column 4 (value)");
        assert_eq!(l.render(Lang::Zh), "x.csv 第3行，第4列（value）");
        let k = Location::file("design.toml").with_column("scoring.threshold");
        assert_eq!(k.render(Lang::Zh), "design.toml，键 scoring.threshold");
        let e = Error::Problems {
            problems: vec![
                Error::input(
                    Location::at("o.csv", 2),
                    text!("应为年份", "expected a year"),
                ),
                Error::input(
                    Location::at("o.csv", 5),
                    text!("应为年份", "expected a year"),
                ),
            ],
            more: 1,
        };
        assert_eq!(
            e.render(Lang::Zh),
            "o.csv：共 3 处问题，请全部改正后再运行：\n  o.csv 第2行：应为年份\n  o.csv 第5行：应为年份\n  … 另有 1 处"
        );
    }

    #[test]
    fn io_errors_keep_the_system_text_in_english_and_say_it_in_chinese() {
        let e = Error::Io {
            path: "missing.csv".into(),
            source: std::io::Error::from_raw_os_error(2),
        };
        assert!(e
            .render(Lang::En)
            .starts_with("missing.csv: No such file or directory"));
        assert_eq!(e.render(Lang::Zh), "missing.csv：找不到该文件或目录");
    }

    fn io(code: i32) -> Error {
        Error::Io {
            path: "out.csv".into(),
            source: std::io::Error::from_raw_os_error(code),
        }
    }

    /// EROFS (30) and EACCES (13) are the user's choice of output: exit 2, like every other
    /// path problem; ENOSPC (28, a full disk) stays a runtime failure (exit 1). Linux numbers.
    #[cfg(target_os = "linux")]
    #[test]
    fn read_only_and_permission_errors_are_bad_input_a_full_disk_is_not() {
        assert!(io(30).is_bad_input());
        assert!(io(13).is_bad_input());
        assert!(!io(28).is_bad_input());
    }
}
