//! What the page shows ([`View`]: the query parameters of every page and download
//! address), and the command-line settings it stands for, built directly ([`View::context`]).

use super::http::percent_encode;
use crate::cli::context::{Context, Output};
use crate::cli::filter::RowFilter;
use crate::model::{Dataset, Lang, Level};
use crate::output::Format;
use crate::trend::{ModelKind, TrendConfig};

/// The year the candidate targets are for (the next plans' end).
pub const TARGET_YEAR: i32 = 2030;

/// What the page shows: the query parameters of every page and download address.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// Language (`lang`).
    pub lang: Lang,
    /// One place, as its id (`place`).
    pub place: Option<String>,
    /// One level (`level`).
    pub level: Option<Level>,
    /// As-of year (`as_of`).
    pub as_of: Option<i32>,
    /// Trend model (`model`).
    pub model: ModelKind,
    /// Probability of the candidate targets (`p`, 0.05–0.95).
    pub probability: f64,
}

impl View {
    /// The default view in `lang`.
    pub fn new(lang: Lang) -> View {
        View {
            lang,
            place: None,
            level: None,
            as_of: None,
            model: TrendConfig::default().model,
            probability: 0.8,
        }
    }

    /// The view of a request's parameters; a value that does not parse, or a place the
    /// dataset does not know, is left at its default.
    pub fn from_params(params: &[(String, String)], default_lang: Lang, ds: &Dataset) -> View {
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let mut v = View::new(
            get("lang")
                .and_then(|l| l.parse().ok())
                .unwrap_or(default_lang),
        );
        v.place = get("place")
            .and_then(|p| ds.resolve(p))
            .map(|j| j.id.clone());
        v.level = get("level").and_then(|l| l.parse().ok());
        v.as_of = get("as_of")
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| crate::cli::args::YEARS.contains(&i64::from(*y)));
        if let Some(m) = get("model").and_then(|m| m.parse().ok()) {
            v.model = m;
        }
        if let Some(p) = get("p")
            .and_then(|p| p.parse::<f64>().ok())
            .filter(|p| (0.05..=0.95).contains(p))
        {
            v.probability = p;
        }
        v
    }

    /// The query string of this view (with `lang` replaced by `lang`).
    pub fn query(&self, lang: Lang) -> String {
        let mut q = vec![format!("lang={}", lang.as_str())];
        if let Some(p) = &self.place {
            q.push(format!("place={}", percent_encode(p)));
        }
        if let Some(l) = self.level {
            q.push(format!("level={}", l.as_str()));
        }
        if let Some(y) = self.as_of {
            q.push(format!("as_of={y}"));
        }
        q.push(format!("model={}", self.model.name()));
        q.push(format!("p={}", self.probability));
        q.join("&")
    }

    /// The settings the command line builds from this view's flags (`--lang`, `--model`,
    /// `--as-of`; `--jurisdiction` and `--level` when `filtered`), the output in `format`.
    pub fn context(&self, filtered: bool, format: Format) -> Context {
        let filter = if filtered {
            RowFilter {
                jurisdictions: self.place.iter().cloned().collect(),
                level: self.level,
            }
        } else {
            RowFilter::default()
        };
        Context {
            load: Default::default(),
            as_of: self.as_of,
            indicator: crate::model::LITERACY_RATE.to_string(),
            lang: self.lang,
            trend: TrendConfig {
                model: self.model,
                ..TrendConfig::default()
            },
            filter,
            verbose: false,
            output: Output { format, path: None },
            protected: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::serve::http;

    #[test]
    fn the_view_keeps_only_values_that_parse() {
        let ds = crate::data::load(&crate::data::LoadOptions::default()).expect("embedded");
        let params = |q: &str| http::parse_query(q);
        let v = View::from_params(
            &params("lang=en&place=包头&p=0.5&as_of=2023&model=cagr"),
            Lang::Zh,
            &ds,
        );
        assert_eq!(v.lang, Lang::En);
        assert_eq!(v.place.as_deref(), Some("150200"));
        assert_eq!(v.probability, 0.5);
        assert_eq!(v.as_of, Some(2023));
        assert_eq!(v.model, ModelKind::Cagr);
        let v = View::from_params(
            &params("place=nowhere&p=1.5&as_of=1800&level=x"),
            Lang::Zh,
            &ds,
        );
        assert_eq!(v, View::new(Lang::Zh));
        // The query string reads back as the same view.
        let w = View::from_params(
            &params(
                &View {
                    place: Some("150200".into()),
                    ..View::new(Lang::En)
                }
                .query(Lang::En),
            ),
            Lang::Zh,
            &ds,
        );
        assert_eq!(w.place.as_deref(), Some("150200"));
        assert_eq!(w.lang, Lang::En);
    }
}
