//! The Schmidt–Kalman level filter of `local_angular`: the level at a series' last point,
//! with the slope a consider parameter (its uncertainty carried, not re-estimated).

/// The filtered level at the last point: mean, variance and covariance with the slope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilteredLevel {
    /// Filtered level at the last point, on the scale of the input values.
    pub mean: f64,
    /// Its variance.
    pub var: f64,
    /// Covariance of the level with the slope.
    pub cov: f64,
}

/// The Schmidt–Kalman level filter of the module docs over points (t, y, v), with the
/// slope `beta` a consider parameter of variance `slope_var` and level noise `q` per year.
/// Empty input gives a NaN level.
pub fn schmidt_kalman(
    t: &[f64],
    y: &[f64],
    v: &[f64],
    beta: f64,
    slope_var: f64,
    q: f64,
) -> FilteredLevel {
    let Some((&t0, &y0)) = t.first().zip(y.first()) else {
        return FilteredLevel {
            mean: f64::NAN,
            var: f64::NAN,
            cov: f64::NAN,
        };
    };
    let (mut m, mut p, mut c) = (y0, v.first().copied().unwrap_or(0.0), 0.0);
    let mut prev = t0;
    for i in 1..t.len().min(y.len()).min(v.len()) {
        let d = t[i] - prev;
        m += beta * d;
        p += 2.0 * d * c + d * d * slope_var + q * d;
        c += d * slope_var;
        let r = v[i];
        if r > 0.0 {
            let k = p / (p + r);
            m += k * (y[i] - m);
            p = (1.0 - k) * (1.0 - k) * p + k * k * r;
            c *= 1.0 - k;
        } else {
            m = y[i];
            p = 0.0;
            c = 0.0;
        }
        prev = t[i];
    }
    FilteredLevel {
        mean: m,
        var: p,
        cov: c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two exact points: the level is the latest value; a noisy third point moves it by
    /// k = P/(P + v) with P = 2²V + 2q (no cross term at an exact point).
    #[test]
    fn filter_by_hand() {
        let (beta, vb, q) = (0.015, 1e-5, 2e-5);
        let f = schmidt_kalman(&[2018.0, 2020.0], &[0.30, 0.33], &[0.0, 0.0], beta, vb, q);
        assert_eq!((f.mean, f.var, f.cov), (0.33, 0.0, 0.0));
        let v3 = 0.004;
        let f = schmidt_kalman(
            &[2018.0, 2020.0, 2022.0],
            &[0.30, 0.33, 0.40],
            &[0.0, 0.0, v3],
            beta,
            vb,
            q,
        );
        let p = 4.0 * vb + 2.0 * q; // 8e-5
        let c = 2.0 * vb;
        let k = p / (p + v3);
        let m = 0.33 + 2.0 * beta;
        assert!((f.mean - (m + k * (0.40 - m))).abs() < 1e-15);
        assert!((f.var - ((1.0 - k).powi(2) * p + k * k * v3)).abs() < 1e-18);
        assert!((f.cov - (1.0 - k) * c).abs() < 1e-18);
    }
}
