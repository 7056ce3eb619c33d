"""Reference values for litmon's `local_angular` level filter (src/trend/local.rs).

Writes tests/fixtures/reference/local_filter.csv: for fixed parameters (drift beta, slope
variance V, level noise q per year) and series of (year, angular value, survey variance),
the filtered level at the last point: mean, variance, covariance with the slope.

Two independent checks, neither sharing code with litmon:
* V = 0 (known drift): statsmodels' KalmanFilter on the local-level model
  mu_{i+1} = mu_i + beta*D_i + eta_i, Var(eta_i) = q*D_i, y_i = mu_i + eps_i, Var(eps_i) = v_i,
  with time-varying state intercept and state covariance, initialised at the first point
  (known initialisation mu_1 ~ N(y_1, v_1) after conditioning on y_1, i.e. prior variance
  that gives posterior (y_1, v_1): we start the filter at the second point with a_2|1 =
  y_1 + beta*D_1 and P_2|1 = v_1 + q*D_1).
* V > 0 (slope as a consider parameter, Schmidt-Kalman): the filter's estimate m_n is linear
  in (beta_true - beta, mu_1 - y_1-noise, eta, eps). We propagate its coefficient vector
  through the recursion with numpy and take the exact error variance c' S c and the
  covariance with the slope error, which a consider filter must report as P and C.

Run: python3 scripts/reference/local_filter_reference.py  (needs numpy, statsmodels)
"""
import csv
import numpy as np
from statsmodels.tsa.statespace.kalman_filter import KalmanFilter

CASES = [
    # name, beta, V, q, years, y, v
    ("exact_points", 0.015, 0.0, 2e-5, [2015, 2018, 2020], [0.25, 0.30, 0.33], [0.0, 0.0, 0.0]),
    ("noisy_latest", 0.015, 0.0, 1.2e-5, [2020, 2024], [0.2862, 0.4906], [0.0, 0.00672]),
    ("all_noisy", 0.017, 0.0, 3e-5, [2016, 2018, 2019, 2022, 2023],
     [0.20, 0.24, 0.27, 0.30, 0.34], [4e-4, 2.5e-4, 6e-4, 1e-4, 9e-4]),
    ("consider_noisy_latest", 0.0165, 2.3e-6, 1.15e-5, [2020, 2024], [0.2862, 0.4906], [0.0, 0.00672]),
    ("consider_all_noisy", 0.017, 4e-6, 3e-5, [2016, 2018, 2019, 2022, 2023],
     [0.20, 0.24, 0.27, 0.30, 0.34], [4e-4, 2.5e-4, 6e-4, 1e-4, 9e-4]),
]


def statsmodels_filter(beta, q, t, y, v):
    """Known-drift local level through statsmodels (V = 0)."""
    n = len(t)
    if n == 1:
        return y[0], v[0], 0.0
    d = np.diff(np.asarray(t, float))
    m = n - 1  # observations 2..n
    kf = KalmanFilter(k_endog=1, k_states=1)
    kf.bind(np.asarray(y[1:], float).reshape(1, m))
    kf.design = np.ones((1, 1, 1))
    kf.transition = np.ones((1, 1, 1))
    kf.selection = np.ones((1, 1, 1))
    kf.obs_cov = np.asarray(v[1:], float).reshape(1, 1, m)
    # state intercept and covariance of the step *into* observation i+1 (time-varying)
    c = np.zeros((1, m))
    qc = np.zeros((1, 1, m))
    c[0, : m - 1] = beta * d[1:]
    qc[0, 0, : m - 1] = q * d[1:]
    kf.state_intercept = c
    kf.state_cov = qc
    kf.initialize_known(np.array([y[0] + beta * d[0]]), np.array([[v[0] + q * d[0]]]))
    res = kf.filter()
    return float(res.filtered_state[0, -1]), float(res.filtered_state_cov[0, 0, -1]), 0.0


def consider_filter(beta, V, q, t, y, v):
    """Schmidt-Kalman filter, with its error variance checked by coefficient propagation.

    Error components z = (e_b, e_1, eta_2..eta_n, eps_2..eps_n): e_b = beta - beta_true,
    e_1 = the first point's level error (variance v_1). The estimate error m - mu is c'z.
    """
    n = len(t)
    k_dim = 2 + 2 * (n - 1)
    S = np.zeros((k_dim, k_dim))
    S[0, 0] = V
    S[1, 1] = v[0]
    d = np.diff(np.asarray(t, float))
    for i in range(n - 1):
        S[2 + i, 2 + i] = q * d[i]
        S[2 + (n - 1) + i, 2 + (n - 1) + i] = v[i + 1]
    c = np.zeros(k_dim)  # error of m (estimate minus truth)
    c[1] = 1.0
    m = y[0]
    P, C = v[0], 0.0
    for i in range(1, n):
        di = d[i - 1]
        m = m + beta * di
        # truth advances by beta_true*d + eta; estimate by beta*d: error += d*e_b - eta
        c = c.copy()
        c[0] += di
        c[2 + (i - 1)] -= 1.0
        P = P + 2 * di * C + di * di * V + q * di
        C = C + di * V
        r = v[i]
        if r > 0:
            k = P / (P + r)
        else:
            k = 1.0
        # y_i = mu_i + eps_i: m += k (y - m) -> error = (1-k) err + k eps
        c = (1 - k) * c
        c[2 + (n - 1) + (i - 1)] += k
        m = m + k * (y[i] - m)
        P = (1 - k) ** 2 * P + k * k * r
        C = (1 - k) * C
    var_exact = float(c @ S @ c)
    cov_exact = float(c @ S[:, 0])  # Cov(error of m, e_b); e_b enters as +beta error
    assert abs(var_exact - P) <= 1e-12 * max(1.0, abs(P)) + 1e-18, (var_exact, P)
    assert abs(cov_exact - C) <= 1e-12 * max(1.0, abs(C)) + 1e-18, (cov_exact, C)
    return float(m), var_exact, cov_exact


def main():
    rows = []
    for name, beta, V, q, t, y, v in CASES:
        if V == 0.0:
            mean, var, cov = statsmodels_filter(beta, q, t, y, v)
        else:
            mean, var, cov = consider_filter(beta, V, q, t, y, v)
        rows.append([name, beta, V, q, ";".join(map(str, t)), ";".join(map(repr, y)),
                     ";".join(map(repr, v)), repr(mean), repr(var), repr(cov)])
    with open("tests/fixtures/reference/local_filter.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case", "beta", "slope_var", "q", "years", "y", "v", "mean", "var", "cov"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
