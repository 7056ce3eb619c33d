"""Reference for litmon's transfer scale (src/trend/transfer.rs) on the embedded data:
the estimate lambda^ and the number of intervals behind it, computed from data/ directly.

The panel: every literacy_rate value of data/observations.csv (sorted by year, the first of
a year kept), on the angular scale theta = asin(sqrt(p)), p = percent/100 kept inside
[1e-4, 1 - 1e-4]. (The plans' baselines, 乌海 and 五台县 2020, are one-value series below no
other series with data: they give no interval and cover none, so they are left out.)
Sampling variance of a value without a standard error (none of the embedded ones has one):
1/(4n), n the national survey's valid sample of the latest year at or before the value's
(8,474 in 2003 and before, 68,416 from 2010, 309,800 from 2020, 289,000 from 2023) over the
units of the level (province /31; prefecture /419 and county /2,844 with the year raised to
2020).

Intervals: for every series and every two consecutive values (x0, x1), the nearest ancestor
(walking data/jurisdictions.csv's parent column) whose series spans [x0, x1] — values
interpolated linearly in the year on the angular scale, and the survey variances likewise —
gives a0, a1 and v = v_child(x0) + v_child(x1) + v_anc(x0) + v_anc(x1).
Carry (the midpoint rule): r(c, a) = (sin 2a / sin 2c)^(1 - lambda); the child's change is
r(c0 + r(c0, a0) * D / 2, (a0 + a1) / 2) * D with D = a1 - a0.
lambda^ minimises sum (dy - carry)^2 / v over lambda = 0, 0.05, ..., 2 (the first minimum),
1 with fewer than ten intervals.

For comparison it also prints the estimate with the exact transform g_lambda (numerical
integral of (p(1-p))^(-lambda/2)) instead of the midpoint rule; that one is not asserted.

    python3 scripts/reference/transfer_reference.py > tests/fixtures/reference/transfer.csv

Needs numpy (only for the exact transform). Output: `quantity,value` rows.
"""
import csv
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sample_sizes import sample  # noqa: E402  (scripts/sample_sizes.py)


def theta(pct):
    p = min(max(pct / 100.0, 1e-4), 1.0 - 1e-4)
    return math.asin(math.sqrt(p))


def interp(ts, ys, x):
    if not ts or x < ts[0] or x > ts[-1]:
        return None
    for i, t in enumerate(ts):
        if t == x:
            return ys[i]
        if t > x:
            t0, t1 = ts[i - 1], t
            return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - t0) / (t1 - t0)
    return None


def main():
    jur = {r["id"]: r for r in csv.DictReader(open("data/jurisdictions.csv", encoding="utf-8-sig"))}
    series = {}
    for r in csv.DictReader(open("data/observations.csv", encoding="utf-8-sig")):
        if r["indicator"] != "literacy_rate":
            continue
        series.setdefault(r["jurisdiction"], []).append((int(r["year"]), float(r["value"])))
    panel = {}
    for j, pts in series.items():
        pts.sort(key=lambda p: p[0])
        seen, kept = set(), []
        for y, v in pts:
            if y not in seen:
                seen.add(y)
                kept.append((y, v))
        level = jur[j]["level"]
        panel[j] = (
            [float(y) for y, _ in kept],
            [theta(v) for _, v in kept],
            [1.0 / (4.0 * sample(level, y)) for y, _ in kept],
        )

    def ancestors(j):
        out, p = [], jur[j]["parent"]
        while p:
            if p in panel:
                out.append(p)
            p = jur[p]["parent"] if p in jur else ""
        return out

    pairs = []
    for j, (ts, ys, vs) in panel.items():
        anc = ancestors(j)
        for i in range(1, len(ts)):
            x0, x1 = ts[i - 1], ts[i]
            for k in anc:
                kt, ky, kv = panel[k]
                a0, a1 = interp(kt, ky, x0), interp(kt, ky, x1)
                if a0 is None or a1 is None:
                    continue
                v = vs[i - 1] + vs[i] + interp(kt, kv, x0) + interp(kt, kv, x1)
                pairs.append((ys[i] - ys[i - 1], ys[i - 1], a0, a1, v))
                break

    def ratio(lam, c, a):
        return (math.sin(2 * a) / math.sin(2 * c)) ** (1.0 - lam)

    def carry(lam, c0, a0, a1):
        d = a1 - a0
        half = c0 + 0.5 * ratio(lam, c0, a0) * d
        return ratio(lam, half, 0.5 * (a0 + a1)) * d

    grid = [i * 0.05 for i in range(41)]
    losses = [sum((dy - carry(l, c0, a0, a1)) ** 2 / v for dy, c0, a0, a1, v in pairs) for l in grid]
    best = 1.0
    if len(pairs) >= 10:
        best_loss = math.inf
        for l, loss in zip(grid, losses):
            if loss < best_loss:
                best, best_loss = l, loss

    # The exact transform, for comparison only.
    p = np.linspace(1e-6, 1 - 1e-6, 200001)

    def exact_loss(lam):
        d = (p * (1 - p)) ** (-lam / 2)
        g = np.concatenate([[0.0], np.cumsum((d[1:] + d[:-1]) / 2 * np.diff(p))])
        fwd = lambda t: np.interp(math.sin(t) ** 2, p, g)
        back = lambda x: math.asin(math.sqrt(np.interp(x, g, p)))
        return sum((dy - (back(fwd(c0) + fwd(a1) - fwd(a0)) - c0)) ** 2 / v for dy, c0, a0, a1, v in pairs)

    exact = min(grid, key=exact_loss)

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["quantity", "value"])
    w.writerow(["n_intervals", len(pairs)])
    w.writerow(["lambda_hat", f"{best:.2f}"])
    for l, loss in zip(grid, losses):
        w.writerow([f"loss_{l:.2f}", repr(loss)])
    print(f"exact transform: lambda_hat {exact:.2f}", file=sys.stderr)


main()
