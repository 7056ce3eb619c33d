//! Borrowing strength across jurisdictions: a pooled residual variance and pooled slopes.

/// A pooled residual variance s₀² (on a model's scale, for weight 1) with its degrees of
/// freedom: s₀² = Σ RSS_j / Σ (n_j − 2) over the series that can estimate one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResidualPrior {
    /// Pooled residual variance s₀², on the model's scale.
    pub var: f64,
    /// Its degrees of freedom Σ (n_j − 2).
    pub df: f64,
}

impl ResidualPrior {
    /// Used when no series of the dataset can estimate a residual variance: s₀² = 0.005
    /// (sd ≈ 0.07 on the logit scale, about ±7 % relative), close to the value pooled from
    /// the published national and provincial series of the embedded data (0.0057 on 28 df),
    /// given only 4 df so that intervals stay wide.
    pub const FALLBACK: ResidualPrior = ResidualPrior {
        var: 0.005,
        df: 4.0,
    };

    /// The fallback on a model's own scale: [`ResidualPrior::FALLBACK`] on the logit and log
    /// scales (alike for rates near 10 %); on the percent scale the same relative spread
    /// around 10 %, sd ≈ 0.07 × 10 % × 0.9 ≈ 0.64 pp (variance 0.4).
    pub fn fallback(scale: super::dist::Scale) -> ResidualPrior {
        match scale {
            super::dist::Scale::Percent => ResidualPrior {
                var: 0.4,
                ..Self::FALLBACK
            },
            _ => Self::FALLBACK,
        }
    }

    /// Pools `(variance, df)` pairs: Σ var·df / Σ df, df = Σ df. `None` if there are none.
    pub fn pool(items: impl IntoIterator<Item = (f64, f64)>) -> Option<ResidualPrior> {
        let (mut ss, mut df) = (0.0, 0.0);
        for (v, d) in items {
            if v.is_finite() && d > 0.0 {
                ss += v * d;
                df += d;
            }
        }
        (df > 0.0).then(|| ResidualPrior { var: ss / df, df })
    }
}

/// The slope a series is shrunk toward, with its uncertainty.
#[derive(Debug, Clone, PartialEq)]
pub struct SlopePrior {
    /// Pooled slope β₀.
    pub slope: f64,
    /// Var(β₀).
    pub var_mean: f64,
    /// Between-jurisdiction slope variance σ_b².
    pub var_between: f64,
    /// Number of series behind it.
    pub k: usize,
    /// Where the pooled slope came from.
    pub source: PriorSource,
}

/// Origin of a pooled slope, reported in `reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriorSource {
    /// The random-effects mean of `k` siblings under `parent` (the series itself left out).
    Peers {
        /// Id of the parent jurisdiction whose children were pooled.
        parent: String,
        /// Number of siblings pooled (the series itself excluded).
        k: usize,
    },
    /// The own slope of the nearest ancestor with one.
    Ancestor {
        /// Id of that ancestor.
        id: String,
    },
    /// Anything else (tests, user-supplied priors).
    Other(String),
}

/// Running sums for a DerSimonian–Laird pool of slopes b_j with variances s_j², so that a
/// member can be left out by subtraction (leave-one-out pooling costs O(1) per member).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SlopeSums {
    k: usize,
    sw: f64,
    sw2: f64,
    swb: f64,
    swb2: f64,
}

impl SlopeSums {
    /// Adds a slope b_j with variance s_j² (weight 1/s_j²); non-finite or non-positive
    /// variances are ignored.
    pub fn add(&mut self, slope: f64, var: f64) {
        if !(var > 0.0 && var.is_finite() && slope.is_finite()) {
            return;
        }
        let w = 1.0 / var;
        self.k += 1;
        self.sw += w;
        self.sw2 += w * w;
        self.swb += w * slope;
        self.swb2 += w * slope * slope;
    }

    /// The sums with one member (slope, variance) left out.
    pub fn without(&self, slope: f64, var: f64) -> SlopeSums {
        let mut one = SlopeSums::default();
        one.add(slope, var);
        SlopeSums {
            k: self.k - one.k,
            sw: self.sw - one.sw,
            sw2: self.sw2 - one.sw2,
            swb: self.swb - one.swb,
            swb2: self.swb2 - one.swb2,
        }
    }

    /// Number of slopes in the sums.
    pub fn k(&self) -> usize {
        self.k
    }

    /// DerSimonian–Laird between-series variance:
    /// σ_b² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw)), Q = Σ w (b − b̄_w)², w = 1/s².
    pub fn between_var(&self) -> Option<f64> {
        if self.k < 2 || self.sw <= 0.0 {
            return None;
        }
        let q = self.swb2 - self.swb * self.swb / self.sw;
        let c = self.sw - self.sw2 / self.sw;
        if c <= 0.0 {
            return Some(0.0);
        }
        Some(((q - (self.k as f64 - 1.0)) / c).max(0.0))
    }
}

/// The random-effects pooled slope over `members` (slope, var): with σ_b² from
/// [`SlopeSums::between_var`], β₀ = Σ w* b / Σ w*, w* = 1/(s² + σ_b²), Var(β₀) = 1/Σ w*.
pub fn pool_slopes(
    members: &[(f64, f64)],
    var_between: f64,
    source: PriorSource,
) -> Option<SlopePrior> {
    let (mut sw, mut swb, mut k) = (0.0, 0.0, 0);
    for &(b, v) in members {
        if v > 0.0 && v.is_finite() && b.is_finite() {
            let w = 1.0 / (v + var_between);
            sw += w;
            swb += w * b;
            k += 1;
        }
    }
    (sw > 0.0).then(|| SlopePrior {
        slope: swb / sw,
        var_mean: 1.0 / sw,
        var_between,
        k,
        source,
    })
}
