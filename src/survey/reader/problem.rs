//! A problem met while reading a block: where (line, stage of the row's checks) and what
//! ([`Problem`]), so the first problem of the file is the one a row-by-row reader meets.

/// Where in a row's checks a problem arose, so that the first problem of the file is the one
/// a row-by-row reader meets first: the record's shape, the fpc, the weight, the running
/// weight total, then replicate weights and scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    Record,
    Fpc,
    Weight,
    WeightTotal,
    Values,
}

/// A problem found in a block, at a 0-based line of the block.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub line: u64,
    pub stage: Stage,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone)]
pub(super) enum ProblemKind {
    /// A message about field `column` (or the whole record).
    Message {
        column: Option<usize>,
        message: crate::model::Text,
    },
    /// The fpc of local stratum `stratum` differs from its first value in the block.
    FpcChanged {
        column: usize,
        stratum: u32,
        first: f64,
        first_line: u64,
        found: f64,
    },
}

impl Problem {
    pub(super) fn at(
        line: u64,
        stage: Stage,
        column: Option<usize>,
        message: crate::model::Text,
    ) -> Self {
        Problem {
            line,
            stage,
            kind: ProblemKind::Message { column, message },
        }
    }
}

/// The message for weights whose running total leaves the range of a double.
pub(super) fn overflow_message(w: f64) -> crate::model::Text {
    text!(
        "权重之和在这一行超过了可表示的最大数（约 1.8e308）（权重 {}）；应为真实总体的权重——请重新缩放",
        "the weights sum past the largest representable number (about 1.8e308) at this row (weight {}); expected weights of a real population — rescale them",
        crate::model::format::shortest(w)
    )
}
