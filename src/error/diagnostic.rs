//! Warnings and notes ([`Diagnostic`]): what the library and the command line tell a person
//! besides errors, typed by [`Severity`] and [`DiagnosticKind`] and worded in both languages.
//!
//! A diagnostic reads `SEVERITY SUBJECT: MESSAGE` — `warning: f.csv:3: unknown column x is
//! ignored; …`, `注意：…` — where the severity word and the subject may be absent. Grouping
//! ([`crate::output::warnings`]) works on the typed kind and subject, never on the words.

use super::{Lang, Location, Text};

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Something litmon did on purpose that the user should know of (an override, a
    /// setting ignored): `note: …` / `注意：…`; never grouped.
    Note,
    /// Something that may be wrong in the input or in the result: `warning: …` / `警告：…`.
    Warning,
}

impl Severity {
    /// The word that opens the line in `lang`: `warning: `, `note: `, `警告：`, `注意：`.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Warning, Lang::En) => "warning: ",
            (Severity::Warning, Lang::Zh) => "警告：",
            (Severity::Note, Lang::En) => "note: ",
            (Severity::Note, Lang::Zh) => "注意：",
        }
    }
}

/// What a diagnostic is about, one variant per place that makes one. Two diagnostics of the
/// same kind say the same thing of different subjects (with other numbers, perhaps); the
/// fields hold the names that make two messages of one place say different things.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    // Reading tables and loading the dataset.
    /// Blank cells of these columns filled from the row above (merged cells).
    MergedCellsFilled {
        /// The columns filled, as the message lists them.
        columns: String,
    },
    /// A column litmon does not read.
    UnknownColumn {
        /// The column's header.
        column: String,
    },
    /// Many unknown columns of one file, summarised in one line.
    UnknownColumns,
    /// Note rows under a table set aside.
    NoteRowsIgnored,
    /// A data directory without observations.
    NoObservationsFile,
    /// Something in a plans directory that is not a regular file, skipped.
    NotARegularFile,
    /// A level target on the wrong side of its baseline.
    TargetWrongWay {
        /// Whether the indicator is meant to increase.
        increase: bool,
    },
    /// An observation's indicator that no sub-indicator of its jurisdiction's plans matches.
    UnmatchedIndicator {
        /// The indicator as written.
        indicator: String,
        /// The jurisdiction's Chinese name.
        jurisdiction: String,
    },
    /// A file whose literacy rates all look like fractions.
    RatesLookLikeFractions,
    /// A user's registry row replacing the embedded one.
    RegistryRowReplaced,
    /// A user's observation replacing one of the base data.
    ObservationOverridden,
    /// A user's plan indicator replacing one of the base plan.
    PlanIndicatorOverridden,
    /// The count of the diagnostics left out of a long list.
    Omitted,
    /// Observations after `--as-of` ignored.
    AsOfIgnored,
    // The survey estimator.
    /// A domain without a respondent of nonzero weight.
    NoRespondent,
    /// A domain without design degrees of freedom.
    NoDesignDf {
        /// Whether the design is one of replicate weights.
        replicate: bool,
    },
    /// An estimate of 0 % or 100 %, with the exact bound.
    DegenerateInterval,
    /// A raking that did not converge.
    RakingNotConverged,
    /// Domain values the registry does not know, left out by a jurisdiction filter.
    UnregisteredDomains,
    /// A jurisdiction filter that keeps no domain.
    NoDomainKept,
    // Small-area estimation.
    /// A second direct estimate of an area.
    DuplicateDirect {
        /// The area.
        jurisdiction: String,
    },
    /// Observations above the area level, used as benchmark targets.
    BenchmarkTargets,
    /// σ_u² estimated at zero.
    SigmaZero,
    /// The σ_u² iterations did not converge.
    SigmaNotConverged,
    /// Benchmarking without a population column.
    EqualWeights,
    /// A parent whose direct value disagrees with its areas.
    ParentDisagrees,
    /// Parents without a direct value, rolled up from their areas.
    RolledUp,
    /// Areas whose EBLUP is near 0 % or 100 %.
    NearEdge,
    // The command line.
    /// A table without rows.
    EmptyTable,
    /// A jurisdiction asked for that no plan gives a target.
    NoPlanTarget,
    /// `--sheet` without a workbook.
    SheetIgnored,
    /// `serve --bind` on an address other machines reach.
    OpenToNetwork,
    /// No browser could be opened.
    NoBrowser,
}

impl DiagnosticKind {
    /// Whether the line opens with the severity word: every kind but the count of omitted
    /// diagnostics and the skipped non-regular file, which have always been printed bare.
    pub fn shows_severity(&self) -> bool {
        !matches!(
            self,
            DiagnosticKind::Omitted | DiagnosticKind::NotARegularFile
        )
    }
}

/// A warning or a note: its severity, its kind, what it is about (a file position, a survey
/// domain, an area) and what it says, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Note or warning.
    pub severity: Severity,
    /// What it is about, as a kind ([`DiagnosticKind`]); diagnostics are grouped by it.
    pub kind: DiagnosticKind,
    /// The subject, when there is one: `f.csv:3` / `f.csv 第3行`, `county=C001`.
    pub subject: Option<Text>,
    /// What it says of the subject.
    pub message: Text,
}

impl Diagnostic {
    /// A warning without a subject.
    pub fn warning(kind: DiagnosticKind, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            kind,
            subject: None,
            message,
        }
    }

    /// A note without a subject.
    pub fn note(kind: DiagnosticKind, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Note,
            kind,
            subject: None,
            message,
        }
    }

    /// The same diagnostic about `subject` (the same words in both languages: a file name,
    /// a domain, an area id).
    pub fn about(self, subject: impl Into<String>) -> Self {
        let s = subject.into();
        self.about_text(Text::new(s.clone(), s))
    }

    /// The same diagnostic about a place of an input (`f.csv:3, column 2` /
    /// `f.csv 第3行，第2列`, [`Location::render`]).
    pub fn at(self, place: &Location) -> Self {
        self.about_text(Text::new(place.render(Lang::Zh), place.to_string()))
    }

    /// The same diagnostic about `subject`, worded in each language.
    pub fn about_text(self, subject: Text) -> Self {
        Diagnostic {
            subject: Some(subject),
            ..self
        }
    }

    /// What the diagnostic says without its severity word, in `lang`: `SUBJECT: MESSAGE`
    /// (`SUBJECT：MESSAGE` in Chinese), or the message alone.
    pub fn body(&self, lang: Lang) -> String {
        let message = self.message.get(lang);
        match (&self.subject, lang) {
            (Some(s), Lang::En) => format!("{}: {message}", s.en),
            (Some(s), Lang::Zh) => format!("{}：{message}", s.zh),
            (None, _) => message.to_string(),
        }
    }

    /// The severity word that opens the line in `lang`, or nothing
    /// ([`DiagnosticKind::shows_severity`]).
    pub fn prefix(&self, lang: Lang) -> &'static str {
        if self.kind.shows_severity() {
            self.severity.word(lang)
        } else {
            ""
        }
    }

    /// The whole line in `lang`: the severity word, then [`Diagnostic::body`].
    pub fn render(&self, lang: Lang) -> String {
        format!("{}{}", self.prefix(lang), self.body(lang))
    }

    /// The whole line in both languages ([`Diagnostic::render`]).
    pub fn text(&self) -> Text {
        Text::new(self.render(Lang::Zh), self.render(Lang::En))
    }

    /// True when either language's line contains `needle` (for tests and filters).
    pub fn contains(&self, needle: &str) -> bool {
        self.text().contains(needle)
    }

    /// True when either language's line without its severity word ([`Diagnostic::body`])
    /// starts with `prefix`.
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.body(Lang::Zh).starts_with(prefix) || self.body(Lang::En).starts_with(prefix)
    }
}

/// English, as library users and logs read it ([`Diagnostic::render`]).
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_severity_subject_and_message() {
        let d = Diagnostic::warning(
            DiagnosticKind::NoRespondent,
            Text::new("没有受访者", "no respondent"),
        )
        .about("county=C001");
        assert_eq!(d.render(Lang::En), "warning: county=C001: no respondent");
        assert_eq!(d.render(Lang::Zh), "警告：county=C001：没有受访者");
        assert!(d.starts_with("county=C001"));
        let n = Diagnostic::note(DiagnosticKind::AsOfIgnored, Text::new("甲", "a"))
            .at(&Location::at("f.csv", 3));
        assert_eq!(
            n.text(),
            Text::new("注意：f.csv 第3行：甲", "note: f.csv:3: a")
        );
        let bare = Diagnostic::warning(DiagnosticKind::Omitted, Text::new("乙", "b"));
        assert_eq!(bare.render(Lang::En), "b");
    }
}
