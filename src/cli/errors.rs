//! Library errors worded for the command line: where an option is the way out of a problem
//! (a file's encoding or sheet, the output format), the message names the flag that sets it.
//! The library words the same problems without flags, and with them here
//! ([`crate::error::ReadProblem::worded`]); the
//! survey estimator's errors are worded with the `estimate` flag of each column role
//! ([`user_error`]).

use crate::error::Error;
use crate::model::Lang;
use crate::survey::error::{ColumnRole, SurveyError};

/// `e` with every problem whose remedy is a flag worded with that flag (also inside
/// [`Error::Problems`]); other errors unchanged.
pub fn worded(e: Error) -> Error {
    match e {
        Error::Read { location, problem } => Error::input(location, problem.worded(true)),
        Error::SheetTooLong { rows, limit } => Error::drawing(text!(
            "XLSX 工作簿：一张工作表写不下 {rows} 行（Excel 每张表最多 {limit} 行）；请用 --format csv",
            "XLSX workbook: cannot write {rows} rows to one sheet (Excel's limit is {limit}); use --format csv"
        )),
        Error::Problems { problems, more } => Error::Problems {
            problems: problems.into_iter().map(worded).collect(),
            more,
        },
        other => other,
    }
}

/// The language `--lang` asks for, read from the raw arguments (for errors of the parser
/// itself, before the flags are known): English for `--lang en` / `--lang=en`, else Chinese.
pub fn lang_of_args(args: &[std::ffi::OsString]) -> Lang {
    let en = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en")
        || args.iter().any(|a| a == "--lang=en");
    if en {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// A command-line parser error worded in Chinese (the flag, the value and the valid values
/// as clap found them; clap's own English sentence for kinds without a Chinese wording);
/// `None` for help and version output, which is not an error.
pub fn clap_error_zh(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    let get = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let valid = get(ContextKind::ValidValue);
    let suggested = [
        ContextKind::SuggestedValue,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
    ]
    .into_iter()
    .map(get)
    .find(|s| !s.is_empty());
    let english = || {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or_default();
        first.trim_start_matches("error: ").to_string()
    };
    let mut out = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidValue if valid.is_empty() => format!("{arg} 的取值 \"{value}\" 无效"),
        ErrorKind::InvalidValue => format!("{arg} 的取值 \"{value}\" 无效，可选的值为：{valid}"),
        ErrorKind::UnknownArgument => format!("不认识的参数 {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!("不认识的命令 {}", get(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::ArgumentConflict => {
            format!("参数 {arg} 不能与 {} 同时使用", get(ContextKind::PriorArg))
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or_else(english, |s| s.to_string());
            format!("{arg} 的取值 \"{value}\" 无效（{why}）")
        }
        _ => format!("命令行参数有误（{}）", english()),
    };
    match suggested {
        Some(s) => out.push_str(&format!("；是否应为 {s}？用 --help 查看用法")),
        None => out.push_str("；用 --help 查看用法"),
    }
    Some(out)
}

/// The flag that names a column of `role`.
fn column_flag(role: ColumnRole) -> &'static str {
    match role {
        ColumnRole::Strata => "--strata",
        ColumnRole::Psu => "--psu",
        ColumnRole::Weight => "--weight",
        ColumnRole::Fpc => "--fpc",
        ColumnRole::Score => "--score",
        ColumnRole::Domain => "--by",
        ColumnRole::PostStratum => "--poststrata",
    }
}

/// Words an estimator error for the user of `litmon estimate`, naming the flag to fix
/// (bad input, exit status 2, as every [`SurveyError`]); other errors are returned as they
/// are.
pub fn user_error(e: Error) -> Error {
    let e = match e {
        Error::Survey(e) => e,
        Error::Problems { problems, more } => {
            return Error::Problems {
                problems: problems.into_iter().map(user_error).collect(),
                more,
            }
        }
        e => return e,
    };
    match e {
        SurveyError::MissingColumn {
            location,
            role,
            name,
            header,
        } => Error::input(
            location,
            text!(
"{}：应有名为 {name:?} 的列；表头中的列为 {}",
"{}: expected a column named {name:?}; the header has {}",
                column_flag(role),
                header.join(",")
            ),
        ),
        SurveyError::ReplicateColumnsMissing {
            location,
            prefix,
            header,
        } => Error::input(
            location,
            text!(
"--repweights：应至少有 2 个名称以 {prefix:?} 开头的列；表头中的列为 {}",
"--repweights: expected at least 2 columns whose names start with {prefix:?}; \
                 the header has {}",
                header.join(",")
            ),
        ),
        SurveyError::TooFewReplicates { prefix, found } => Error::usage(text!(
"--repweights：应至少有 2 个以 {prefix:?} 开头的重复权重列，实际只有 {found} 个",
"--repweights: expected at least 2 replicate weight columns starting with {prefix:?}, \
             found {found}"
        )),
        SurveyError::FayWithoutRho => {
            Error::usage(text!("--reptype fay：请用 --rho 给出 Fay 系数", "--reptype fay: give Fay's coefficient with --rho"))
        }
        SurveyError::JknWithoutRscales => Error::usage(
            text!("--reptype jkn：请用 --rscales F 给出每个重复的 (n_h − 1)/n_h", "--reptype jkn: give the per-replicate (n_h − 1)/n_h with --rscales F"),
        ),
        SurveyError::RscalesCount { expected, found } => Error::usage(text!(
"--rscales：应有 {expected} 个数（每个重复一个），实际有 {found} 个",
"--rscales: expected {expected} numbers (one per replicate), found {found}"
        )),
        SurveyError::LonelyPsu { stratum } => Error::usage(text!(
"分层 {stratum:?} 只有一个初级抽样单元（PSU）：请选择 --lonely-psu adjust、remove 或 certainty（同 R 的 options(survey.lonely.psu)）",
"stratum {stratum:?} has only one PSU: choose --lonely-psu adjust, remove or certainty \
             (as R options(survey.lonely.psu))"
        )),
        SurveyError::NoDataRows => Error::usage(text!("--microdata：文件没有数据行", "--microdata: the file has no data rows")),
        SurveyError::PopulationsPerMargin => Error::usage(
            text!("--rake：每个 --rake 边际需要一个 --rake-population 文件，顺序相同", "--rake: give one --rake-population file per --rake margin, in the same order"),
        ),
        SurveyError::MarginTotalsDiffer {
            location,
            total,
            first,
            first_total,
        } => Error::input(
            location,
            text!(
"各 --rake-population 边际描述的不是同一总体：本文件合计 {total}，{first} 合计 {first_total}；各文件合计应相等（相对误差 1e-6 以内）",
"the --rake-population margins do not describe one population: this file totals {total}, {first} totals {first_total}; expected equal totals (relative 1e-6)"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Location, ReadProblem};

    #[test]
    fn read_problems_name_their_flag_and_keep_their_place() {
        let e = Error::Problems {
            problems: vec![Error::Read {
                location: Location::at("a.csv", 3),
                problem: ReadProblem::NotGbk,
            }],
            more: 0,
        };
        let text = worded(e).to_string();
        assert!(text.contains("a.csv"), "{text}");
        assert!(text.contains("a.csv:3"), "{text}");
        assert!(text.contains("(--encoding gbk)"), "{text}");
        let sheet = worded(Error::Read {
            location: Location::file("b.xlsx"),
            problem: ReadProblem::NoSuchSheet {
                want: "数据".into(),
                sheets: vec!["Sheet1".into(), "注释".into()],
            },
        });
        assert_eq!(
            sheet.to_string(),
            "b.xlsx: --sheet: no sheet named \"数据\"; the sheets are: Sheet1, 注释"
        );
        assert!(sheet.is_bad_input());
        let long = worded(Error::SheetTooLong {
            rows: 2_000_000,
            limit: 1_048_575,
        });
        assert!(long.to_string().ends_with("use --format csv"), "{long}");
        // Each wording in both languages, the flag named in each.
        use crate::model::Lang;
        for problem in [
            ReadProblem::NotUtf8 { byte: 0xB1 },
            ReadProblem::NotGbk,
            ReadProblem::NeitherUtf8NorGbk,
            ReadProblem::NoSuchSheet {
                want: "x".into(),
                sheets: vec!["a".into()],
            },
        ] {
            let w = worded(Error::Read {
                location: Location::at("a.csv", 3),
                problem,
            });
            let (zh, en) = (w.render(Lang::Zh), w.render(Lang::En));
            assert!(zh.starts_with("a.csv 第3行："), "{zh}");
            assert!(en.starts_with("a.csv:3: "), "{en}");
            assert!(
                zh.contains("--") && en.contains("--") && zh != en,
                "{zh} / {en}"
            );
        }
        assert!(long.render(Lang::Zh).ends_with("请用 --format csv"));
        assert!(!long.is_bad_input());
    }

    /// The estimator's own messages name no flag; the words for the user name the flag of
    /// each column role.
    #[test]
    fn survey_errors_are_worded_with_their_flag() {
        let roles = [
            (ColumnRole::Strata, "--strata"),
            (ColumnRole::Psu, "--psu"),
            (ColumnRole::Weight, "--weight"),
            (ColumnRole::Fpc, "--fpc"),
            (ColumnRole::Score, "--score"),
            (ColumnRole::Domain, "--by"),
            (ColumnRole::PostStratum, "--poststrata"),
        ];
        for (role, flag) in roles {
            let e = SurveyError::MissingColumn {
                location: Location::at("m.csv", 1),
                role,
                name: "x".into(),
                header: vec!["a".into(), "b".into()],
            };
            assert!(!e.to_string().contains("--"), "{e}");
            let user = user_error(Error::Survey(e));
            assert!(user.is_bad_input());
            assert_eq!(
                user.to_string(),
                format!("m.csv:1: {flag}: expected a column named \"x\"; the header has a,b")
            );
        }
        let e = SurveyError::LonelyPsu {
            stratum: "S4".into(),
        };
        assert!(!e.to_string().contains("--"), "{e}");
        assert_eq!(
            user_error(Error::Survey(e)).to_string(),
            "stratum \"S4\" has only one PSU: choose --lonely-psu adjust, remove or certainty (as R options(survey.lonely.psu))"
        );
    }
}
