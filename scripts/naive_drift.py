"""Naive drift as issue 21's acceptance gate defines it, shared by the evaluation scripts:
the series' last two values extended (percentage points per year), else — one value — that
value plus its nearest ancestor's last two values' pace. Standard library only."""


def naive_drift(series, parent, j, year, own_until=None, ancestor_until=None):
    """Drift for series `j` at `year` from its values up to `own_until` (all when None) and
    its ancestors' up to `ancestor_until` (all when None); None when there is nothing to
    extend. `series`: id → {year: value}; `parent`: id → parent id."""
    upto = lambda s, c: sorted((t, v) for t, v in s.items() if c is None or t <= c)
    past = upto(series.get(j, {}), own_until)
    if len(past) >= 2:
        (t1, y1), (t2, y2) = past[-2:]
        return y2 + (y2 - y1) / (t2 - t1) * (year - t2)
    if not past:
        return None
    a = parent.get(j)
    while a:
        s = upto(series.get(a, {}), ancestor_until)
        if len(s) >= 2:
            (t1, y1), (t2, y2) = s[-2:]
            return past[-1][1] + (y2 - y1) / (t2 - t1) * (year - past[-1][0])
        a = parent.get(a)
    return None
