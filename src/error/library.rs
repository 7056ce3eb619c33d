//! The library's error type ([`Error`]), its [`Result`], and several input errors reported
//! at once ([`Problems`]).

use std::fmt;

use super::{io_text, survey, Lang, Location, ReadProblem, RecordError, Text};

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
                problems: two_year_problems(),
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

    /// "expected a year" at lines 2 and 5 of `o.csv`.
    fn two_year_problems() -> Vec<Error> {
        [2, 5]
            .into_iter()
            .map(|line| {
                Error::input(
                    Location::at("o.csv", line),
                    text!("应为年份", "expected a year"),
                )
            })
            .collect()
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
            problems: two_year_problems(),
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
