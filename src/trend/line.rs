//! Weighted least-squares straight line, centred at the weighted mean of x.
//!
//! With weights w_i, x̄ = Σw x / Σw, ȳ = Σw y / Σw, Sxx = Σw (x − x̄)²,
//! b̂ = Σw (x − x̄)(y − ȳ) / Sxx and the weighted residual sum of squares
//! RSS = Σw (y − ȳ − b̂(x − x̄))². In the centred parameterisation X'WX = diag(Σw, Sxx),
//! so Var(ȳ) = σ²/Σw and Var(b̂) = σ²/Sxx are uncorrelated (σ² = 1 for absolute weights,
//! RSS/(n − 2) for relative weights, as R `lm(y ~ x, weights = w)`).

/// A fitted weighted line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WlsLine {
    /// Number of points fitted.
    pub n: usize,
    /// Weighted mean of x, x̄ = Σw x / Σw.
    pub xbar: f64,
    /// Weighted mean of y, ȳ = Σw y / Σw (the fitted value at x̄).
    pub ybar: f64,
    /// Slope b̂ = Σw (x − x̄)(y − ȳ) / Sxx.
    pub slope: f64,
    /// Sum of the weights Σw.
    pub sum_w: f64,
    /// Weighted sum of squares of x about x̄, Sxx = Σw (x − x̄)².
    pub sxx: f64,
    /// Weighted residual sum of squares.
    pub rss: f64,
}

impl WlsLine {
    /// Fits y = ȳ + b (x − x̄) by WLS. `None` with fewer than two distinct x or no weight.
    pub fn fit(x: &[f64], y: &[f64], w: &[f64]) -> Option<WlsLine> {
        let n = x.len();
        if n < 2 || y.len() != n || w.len() != n {
            return None;
        }
        let sum_w: f64 = w.iter().sum();
        if sum_w <= 0.0 || !sum_w.is_finite() {
            return None;
        }
        let xbar = x.iter().zip(w).map(|(x, w)| w * x).sum::<f64>() / sum_w;
        let ybar = y.iter().zip(w).map(|(y, w)| w * y).sum::<f64>() / sum_w;
        let mut sxx = 0.0;
        let mut sxy = 0.0;
        for i in 0..n {
            let dx = x[i] - xbar;
            sxx += w[i] * dx * dx;
            sxy += w[i] * dx * (y[i] - ybar);
        }
        if sxx <= 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        let rss = (0..n)
            .map(|i| {
                let r = y[i] - ybar - slope * (x[i] - xbar);
                w[i] * r * r
            })
            .sum();
        Some(WlsLine {
            n,
            xbar,
            ybar,
            slope,
            sum_w,
            sxx,
            rss,
        })
    }

    /// Fitted value at x.
    pub fn at(&self, x: f64) -> f64 {
        self.ybar + self.slope * (x - self.xbar)
    }

    /// Residual degrees of freedom n − 2.
    pub fn df(&self) -> usize {
        self.n.saturating_sub(2)
    }

    /// DerSimonian–Laird moment estimate of the extra variance τ² of a meta-regression on
    /// x with known variances (weights w = 1/v, this line fitted with them):
    /// τ² = max(0, (Q − (n − 2)) / c), Q = RSS, c = tr(P) = Σw − tr((X'WX)⁻¹ X'W²X)
    /// = Σw − Σw²/Σw − Σw²(x − x̄)²/Sxx (metafor `rma(method = "DL")`).
    pub fn dl_tau2(&self, x: &[f64], w: &[f64]) -> f64 {
        let sw2: f64 = w.iter().map(|w| w * w).sum();
        let sw2x2: f64 = x
            .iter()
            .zip(w)
            .map(|(x, w)| w * w * (x - self.xbar).powi(2))
            .sum();
        let c = self.sum_w - sw2 / self.sum_w - sw2x2 / self.sxx;
        if c <= 0.0 {
            return 0.0;
        }
        ((self.rss - self.df() as f64) / c).max(0.0)
    }
}
