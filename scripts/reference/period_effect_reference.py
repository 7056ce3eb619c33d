"""Reference for litmon's siblings' common deviation by year (src/trend/period.rs),
derived independently: universal kriging (a random walk with an unknown start, the
covariance form) instead of the Rust code's precision form with a flat start.

Model: interval i covers the years (x0, x1]; D_i = sum of pi_t over them + eps_i,
eps_i ~ N(0, e_i); pi_t = pi_0 + u_t, u a random walk from 0 at the first year
(Cov(u_a, u_b) = tau2 * min(a, b), a, b year indices from 0), pi_0 unknown (fixed effect).
tau2: leave-one-series-out cross-validation on the grid 10^(-8 + k/4), k = 0..16 (ties:
the smaller), pooled over groups (each group with its own pi_0 and first year): every
series' intervals are predicted by the BLUP below from the other series' intervals of its
group (sums clamped to the years those intervals span), and tau2 maximises
sum -0.5 * ((D - T^)^2 / (Var(T - T^) + e) + ln(Var(T - T^) + e)). (The REML maximum,
which litmon used before, is kept here for comparison.) Estimate of T = sum of pi_t over (t0, t1]: the BLUP
T^ = x_T pi0^ + c' S^-1 (D - X pi0^), Var(T - T^) = g'Kg tau2 - c' S^-1 c
+ (x_T - X' S^-1 c)^2 / (X' S^-1 X), with S = tau2 H K H' + E, c = tau2 H K g.

    python3 scripts/reference/period_effect_reference.py

Prints the numbers asserted in src/trend/period.rs (unit test) and tests/forecast.rs
(`variance_components_by_hand`). Needs numpy.
"""
import numpy as np


def design(iv, start, end):
    years = list(range(start + 1, end + 1))
    h = np.array([[1.0 if x0 < t <= x1 else 0.0 for t in years] for x0, x1, _, _ in iv])
    k = np.array([[min(a, b) for b in range(len(years))] for a in range(len(years))], float)
    return years, h, k


def reml(iv, tau2):
    start = min(i[0] for i in iv)
    end = max(i[1] for i in iv)
    _, h, k = design(iv, start, end)
    s = tau2 * h @ k @ h.T + np.diag([i[3] for i in iv])
    x = h.sum(axis=1)
    d = np.array([i[2] for i in iv])
    si = np.linalg.inv(s)
    xsx = x @ si @ x
    beta = x @ si @ d / xsx
    r = d - x * beta
    return -0.5 * (np.linalg.slogdet(s)[1] + np.log(xsx) + r @ si @ r)


def tau2_of(groups):
    groups = [g for g in groups if len(g) >= 2]
    if not groups:
        return 1e-6
    best = None
    for k in range(17):
        t = 10 ** (-8 + 0.25 * k)
        ll = sum(reml(g, t) for g in groups)
        if best is None or ll > best[1]:
            best = (t, ll)
    return best[0]


def cv_tau2(groups):
    """groups: lists of (series, x0, x1, d, e)."""
    best = None
    for k in range(17):
        t = 10 ** (-8 + 0.25 * k)
        score, any_ = 0.0, False
        for g in groups:
            start, end = min(i[1] for i in g), max(i[2] for i in g)
            for s in sorted({i[0] for i in g}):
                others = [i[1:] for i in g if i[0] != s]
                if not others:
                    continue
                lo, hi = min(i[0] for i in others), max(i[1] for i in others)
                for _, x0, x1, d, e in (i for i in g if i[0] == s):
                    a, b = min(max(x0, lo), hi), min(max(x1, lo), hi)
                    m, v = total(others, t, start, end, a, b) if b > a else (0.0, 0.0)
                    score += -0.5 * ((d - m) ** 2 / (v + e) + np.log(v + e))
                    any_ = True
        if any_ and (best is None or score > best[1]):
            best = (t, score)
    return 1e-6 if best is None else best[0]


def total(iv, tau2, start, end, t0, t1):
    years, h, k = design(iv, start, end)
    g = np.array([1.0 if t0 < t <= t1 else 0.0 for t in years])
    s = tau2 * h @ k @ h.T + np.diag([i[3] for i in iv])
    si = np.linalg.inv(s)
    x = h.sum(axis=1)
    d = np.array([i[2] for i in iv])
    xsx = x @ si @ x
    beta = x @ si @ d / xsx
    c = tau2 * h @ k @ g
    xt = g.sum()
    est = xt * beta + c @ si @ (d - x * beta)
    var = tau2 * g @ k @ g - c @ si @ c + (xt - x @ si @ c) ** 2 / xsx
    return est, var


if __name__ == "__main__":
    # Unit test (period.rs): one group of three intervals, another of one.
    g1 = [(2010, 2014, 0.012, 4e-5), (2014, 2016, -0.002, 2e-5), (2016, 2020, -0.008, 5e-5)]
    g2 = [(2012, 2015, 0.003, 1e-5)]
    t2 = tau2_of([g1, g2])
    print("unit: tau2 (REML, litmon's choice before; the sums below are at it)", repr(t2))
    for t0, t1 in [(2015, 2020), (2012, 2018), (2019, 2020)]:
        print(f"unit: sum ({t0}, {t1}]", *map(repr, total(g1, t2, 2008, 2020, t0, t1)))
    # Unit test (period.rs): cross-validated tau2 of two groups of series.
    a = [(0, 2010, 2015, 0.020, 4e-5), (0, 2015, 2020, -0.008, 3e-5),
         (1, 2010, 2014, 0.018, 5e-5), (1, 2014, 2020, -0.006, 4e-5),
         (2, 2012, 2018, 0.012, 6e-5), (2, 2018, 2022, -0.012, 2e-5),
         (3, 2016, 2022, -0.016, 3e-5)]
    b = [(4, 2011, 2016, 0.003, 1e-5), (5, 2013, 2019, -0.002, 2e-5)]
    print("unit: cv tau2", repr(cv_tau2([a, b])))
    print("unit: cv tau2 of b alone", repr(cv_tau2([b])))
    one = [(0, 2010, 2015, 0.02, 4e-5), (0, 2015, 2020, -0.01, 4e-5)]
    print("unit: cv tau2 of one series (not identified)", repr(cv_tau2([one])))
    t2 = cv_tau2([a, b])
    held = [i[1:] for i in a if i[0] != 3]
    print("unit: series 3 predicted from the others", *map(repr, total(held, t2, 2010, 2022, 2016, 2022)))
    # tests/forecast.rs fixture: B's two intervals (C's own excluded), e = 5q = 1e-4 each
    # (survey variances of se 1e-6 percentage points are below 1e-15); tau2 pooled with C's.
    b = [(2010, 2015, 0.01, 1e-4), (2015, 2020, -0.01, 1e-4)]
    c = [(2010, 2015, -0.01, 1e-4)]
    print("fixture: REML tau2 (before)", repr(tau2_of([b + c])))
    t2 = cv_tau2([[(1,) + i for i in b] + [(2,) + i for i in c]])
    print("fixture: tau2", repr(t2))
    print("fixture: sum (2015, 2020]", *map(repr, total(b, t2, 2010, 2020, 2015, 2020)))
