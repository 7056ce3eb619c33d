"""Reference for litmon's siblings' common deviation by year (src/trend/period.rs),
derived independently: universal kriging (a random walk with an unknown start, the
covariance form) instead of the Rust code's precision form with a flat start.

Model: interval i covers the years (x0, x1]; D_i = sum of pi_t over them + eps_i,
eps_i ~ N(0, e_i); pi_t = pi_0 + u_t, u a random walk from 0 at the first year
(Cov(u_a, u_b) = tau2 * min(a, b), a, b year indices from 0), pi_0 unknown (fixed effect).
tau2: the REML maximum on the grid 10^(-8 + k/4), k = 0..16 (ties: the smaller), pooled
over groups, each group with its own pi_0 and first year; groups with one interval
carry no information. Estimate of T = sum of pi_t over (t0, t1]: the BLUP
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
    print("unit: tau2", repr(t2))
    for t0, t1 in [(2015, 2020), (2012, 2018), (2019, 2020)]:
        print(f"unit: sum ({t0}, {t1}]", *map(repr, total(g1, t2, 2008, 2020, t0, t1)))
    # tests/forecast.rs fixture: B's two intervals (C's own excluded), e = 5q = 1e-4 each
    # (survey variances of se 1e-6 percentage points are below 1e-15); tau2 pooled with C's.
    b = [(2010, 2015, 0.01, 1e-4), (2015, 2020, -0.01, 1e-4)]
    c = [(2010, 2015, -0.01, 1e-4)]
    t2 = tau2_of([b + c])
    print("fixture: tau2", repr(t2))
    print("fixture: sum (2015, 2020]", *map(repr, total(b, t2, 2010, 2020, 2015, 2020)))
