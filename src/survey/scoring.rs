//! Scoring rules: from a respondent's test scores to 0/1 outcomes (literate or not).
//!
//! * total of score columns ≥ threshold (since 2022: knowledge 40 + method 20 + spirit and
//!   thinking 20 + application 20, literate at 70 of 100), optionally with graded levels
//!   (≥ 55 basic, ≥ 85 high-order), each estimated as its own proportion;
//! * the Miller rule (through 2018): every dimension at or above its own threshold;
//! * a precomputed 0/1 column.
//!
//! The sum is taken left to right in the order the columns are given, so that a reference
//! computed the same way (R `a + b + c + d >= 70`) classifies every row identically.

/// How outcomes are derived from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoringRule {
    /// Σ columns ≥ `threshold`; each of `levels` adds an outcome Σ columns ≥ level.
    Total {
        /// Score columns, summed left to right in this order.
        columns: Vec<String>,
        /// Total score at or above which a respondent is literate (70 since 2022).
        threshold: f64,
        /// Graded levels (e.g. 55, 85), each its own outcome `score>=L`.
        levels: Vec<f64>,
    },
    /// Literate when every column is ≥ its own threshold.
    Miller {
        /// (column, threshold) of each dimension.
        dimensions: Vec<(String, f64)>,
    },
    /// A precomputed 0/1 column (1 = literate).
    Indicator {
        /// Name of the 0/1 column.
        column: String,
    },
}

impl Default for ScoringRule {
    /// The 2022+ rule: knowledge + method + spirit + application ≥ 70.
    fn default() -> Self {
        ScoringRule::Total {
            columns: ["knowledge", "method", "spirit", "application"]
                .map(String::from)
                .to_vec(),
            threshold: 70.0,
            levels: Vec::new(),
        }
    }
}

impl ScoringRule {
    /// Columns the rule reads, in order.
    pub fn columns(&self) -> Vec<&str> {
        match self {
            ScoringRule::Total { columns, .. } => columns.iter().map(String::as_str).collect(),
            ScoringRule::Miller { dimensions } => {
                dimensions.iter().map(|(c, _)| c.as_str()).collect()
            }
            ScoringRule::Indicator { column } => vec![column.as_str()],
        }
    }

    /// Names of the outcomes: the headline first (empty name), then one per graded level
    /// (`score>=55`).
    pub fn outcome_names(&self) -> Vec<String> {
        let mut v = vec![String::new()];
        if let ScoringRule::Total { levels, .. } = self {
            v.extend(levels.iter().map(|l| format!("score>={l}")));
        }
        v
    }

    /// Number of outcomes ([`Self::outcome_names`]).
    pub fn n_outcomes(&self) -> usize {
        self.outcome_names().len()
    }

    /// Classifies one row from its values of [`Self::columns`] (same order) into `out`
    /// (length [`Self::n_outcomes`]). An indicator must be 0 or 1; returns the index of the
    /// offending value otherwise.
    pub fn classify(&self, values: &[f64], out: &mut [f64]) -> Result<(), usize> {
        match self {
            ScoringRule::Total {
                threshold, levels, ..
            } => {
                let total = values.iter().fold(0.0, |a, &b| a + b);
                out[0] = f64::from(u8::from(total >= *threshold));
                for (o, l) in out[1..].iter_mut().zip(levels) {
                    *o = f64::from(u8::from(total >= *l));
                }
            }
            ScoringRule::Miller { dimensions } => {
                out[0] = f64::from(u8::from(
                    values.iter().zip(dimensions).all(|(v, (_, t))| v >= t),
                ));
            }
            ScoringRule::Indicator { .. } => {
                let v = values[0];
                if v != 0.0 && v != 1.0 {
                    return Err(0);
                }
                out[0] = v;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_rule_with_levels() {
        let r = ScoringRule::Total {
            columns: vec!["a".into(), "b".into()],
            threshold: 70.0,
            levels: vec![55.0, 85.0],
        };
        let mut out = [0.0; 3];
        r.classify(&[40.0, 30.0], &mut out).unwrap();
        assert_eq!(out, [1.0, 1.0, 0.0]);
        r.classify(&[30.0, 24.5], &mut out).unwrap();
        assert_eq!(out, [0.0, 0.0, 0.0]);
        assert_eq!(r.outcome_names(), vec!["", "score>=55", "score>=85"]);
    }

    #[test]
    fn miller_needs_every_dimension() {
        let r = ScoringRule::Miller {
            dimensions: vec![("k".into(), 0.7), ("m".into(), 0.6)],
        };
        let mut out = [0.0];
        r.classify(&[0.9, 0.6], &mut out).unwrap();
        assert_eq!(out[0], 1.0);
        r.classify(&[1.0, 0.5], &mut out).unwrap();
        assert_eq!(out[0], 0.0);
    }

    #[test]
    fn indicator_must_be_binary() {
        let r = ScoringRule::Indicator {
            column: "lit".into(),
        };
        let mut out = [0.0];
        assert_eq!(r.classify(&[2.0], &mut out), Err(0));
        assert!(r.classify(&[1.0], &mut out).is_ok());
    }
}
