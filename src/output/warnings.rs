//! A quiet standard error: warnings of one kind are printed once, with their count and the
//! first examples, unless `--verbose` asks for every one.

use crate::error::{Diagnostic, Severity};
use crate::model::Lang;

/// Examples shown for a kind of warning; a kind with this many or fewer is printed whole.
pub const EXAMPLES: usize = 5;

/// The lines to print for `diagnostics`, in `lang`: all of them when `all`; otherwise the
/// warnings of one [`crate::error::DiagnosticKind`], when there are more than [`EXAMPLES`],
/// become one line with their count, what the first says and the subjects of the first
/// [`EXAMPLES`], in the order the kinds first appear, saying that `see_all` prints them all
/// (the command line's option). Notes are never grouped. A diagnostic repeated word for
/// word is kept once.
///
/// ```
/// use litmon::error::{Diagnostic, DiagnosticKind};
/// use litmon::model::{Lang, Text};
/// use litmon::output::warnings::grouped;
/// let ws: Vec<Diagnostic> = (1..=7)
///     .map(|i| {
///         Diagnostic::warning(
///             DiagnosticKind::NoDesignDf { replicate: false },
///             Text::new("设计自由度为 0（只有一个 PSU）；无区间", "design df = 0 (one PSU); no interval"),
///         )
///         .about(format!("county=C{i:03}"))
///     })
///     .collect();
/// let lines = grouped(&ws, false, "--verbose", Lang::En);
/// assert_eq!(lines.len(), 1);
/// assert!(lines[0].starts_with("warning: 7 warnings: design df = 0 (one PSU); no interval — county=C001, "));
/// assert!(lines[0].contains("county=C005, … (--verbose prints all 7)"));
/// let zh = grouped(&ws, false, "--verbose", Lang::Zh);
/// assert!(zh[0].starts_with("警告：7 条警告：设计自由度为 0（只有一个 PSU）；无区间——county=C001、"), "{}", zh[0]);
/// assert_eq!(
///     grouped(&ws, true, "--verbose", Lang::En),
///     ws.iter().map(|w| w.render(Lang::En)).collect::<Vec<_>>()
/// );
/// let note = Diagnostic::note(DiagnosticKind::NoteRowsIgnored, Text::new("忽略了注释行", "note rows ignored"))
///     .about("x.csv");
/// assert_eq!(grouped(&vec![note.clone(); 2], false, "--verbose", Lang::Zh), vec!["注意：x.csv：忽略了注释行"]);
/// ```
pub fn grouped(diagnostics: &[Diagnostic], all: bool, see_all: &str, lang: Lang) -> Vec<String> {
    // The same diagnostic twice (a file read by two steps of one command) is said once.
    let mut seen = std::collections::HashSet::new();
    let diagnostics: Vec<&Diagnostic> = diagnostics.iter().filter(|d| seen.insert(*d)).collect();
    if all {
        return diagnostics.into_iter().map(|d| d.render(lang)).collect();
    }
    // Groups in the order their kinds first appear; each note is a group of its own (each
    // override of the embedded data is listed one by one).
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    for d in diagnostics {
        let same = |g: &Vec<&Diagnostic>| d.severity == Severity::Warning && g[0].kind == d.kind;
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(d),
            None => groups.push(vec![d]),
        }
    }
    let mut out = Vec::new();
    for group in groups {
        if group.len() <= EXAMPLES {
            out.extend(group.into_iter().map(|d| d.render(lang)));
        } else {
            out.push(group_line(&group, see_all, lang));
        }
    }
    out
}

/// One line for the warnings of one kind: `warning: N warnings: WHAT — S1, …, S5, …
/// (SEE_ALL prints all N)` (what the first says, the subjects of the first [`EXAMPLES`]).
fn group_line(group: &[&Diagnostic], see_all: &str, lang: Lang) -> String {
    let first = group[0];
    let n = group.len();
    let prefix = first.prefix(lang);
    let says = first.message.get(lang);
    let subjects: Vec<&str> = group
        .iter()
        .take(EXAMPLES)
        .map(|d| d.subject.as_ref().map_or("", |s| s.get(lang)))
        .collect();
    let (count, dash, sep, more) = match lang {
        Lang::Zh => (
            format!("{n} 条警告："),
            "——",
            "、",
            format!("…（{see_all} 可列出全部 {n} 条）"),
        ),
        Lang::En => (
            format!("{n} warnings: "),
            " — ",
            ", ",
            format!("… ({see_all} prints all {n})"),
        ),
    };
    format!(
        "{prefix}{count}{says}{dash}{}{sep}{more}",
        subjects.join(sep)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DiagnosticKind;
    use crate::model::Text;

    fn unknown(column: &str, file: &str) -> Diagnostic {
        Diagnostic::warning(
            DiagnosticKind::UnknownColumn {
                column: column.into(),
            },
            Text::new(
                format!("未知的列 {column}"),
                format!("unknown column {column}"),
            ),
        )
        .about(file)
    }

    #[test]
    fn kinds_group_by_type_and_fields_in_order_of_first_appearance() {
        // Six of column a over six files, interleaved with three of column b: a is one
        // line, b (a different kind by its field) stays whole, after a's line.
        let mut ds = Vec::new();
        for i in 1..=6 {
            ds.push(unknown("a", &format!("f{i}.csv")));
            if i <= 3 {
                ds.push(unknown("b", &format!("g{i}.csv")));
            }
        }
        let lines = grouped(&ds, false, "--verbose", Lang::En);
        assert_eq!(
            lines,
            [
                "warning: 6 warnings: unknown column a — f1.csv, f2.csv, f3.csv, f4.csv, f5.csv, … (--verbose prints all 6)",
                "warning: g1.csv: unknown column b",
                "warning: g2.csv: unknown column b",
                "warning: g3.csv: unknown column b",
            ]
        );
        assert_eq!(grouped(&ds, true, "--verbose", Lang::En).len(), 9);
    }

    #[test]
    fn notes_are_never_grouped_and_repeats_are_said_once() {
        let note = |i: usize| {
            Diagnostic::note(
                DiagnosticKind::ObservationOverridden,
                Text::new(format!("覆盖 {i}"), format!("override {i}")),
            )
        };
        let mut ds: Vec<Diagnostic> = (1..=7).map(note).collect();
        ds.push(note(1));
        let lines = grouped(&ds, false, "--verbose", Lang::Zh);
        assert_eq!(lines.len(), 7);
        assert_eq!(lines[0], "注意：覆盖 1");
        assert_eq!(lines[6], "注意：覆盖 7");
    }

    #[test]
    fn the_count_of_omitted_warnings_is_printed_bare() {
        let omitted = Diagnostic::warning(
            DiagnosticKind::Omitted,
            Text::new("… 另有 3 条警告", "… and 3 more warnings"),
        );
        assert_eq!(
            grouped(&[omitted], false, "--verbose", Lang::En),
            ["… and 3 more warnings"]
        );
    }
}
