"""How narrow may an interval for a sub-national figure be, and what would it cover?

Issue 21 asks for sampling error at every level from sample sizes (a province n/31, a
prefecture n/419 of the national survey; `trend::sampling`) and for an 80 % coverage of
0.75–0.90 on unseen published figures. A forecast of a figure can be no more certain than
that figure's own survey: its 80 % interval is at least median ± 1.2816·se, se the figure's
sampling error alone (and a forecast that starts from one published value carries that
value's error too: ± 1.2816·√2·se). This script scores the three forecast proxies
(`cutoff_eval.py`, `holdout_eval.py`, `unseen_replica.py`) below the nation three ways:
the model's 80 % intervals, the one-survey floor and the two-survey floor, both around the
model's medians; and the RMS of (actual − median)/se. Where even the one-survey floor covers
more than 0.90, no interval that keeps the sampling error can meet the gate's upper bound.

    python3 scripts/coverage_floor.py [--data data] [--bin target/release/litmon]

Standard library only; needs a built binary.
"""
import argparse
import csv
import io
import math
import re
import subprocess
import sys

from sample_sizes import sample

Z80 = 1.2815515655446004


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr)
    return out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data")
    ap.add_argument("--bin", default="target/release/litmon")
    args = ap.parse_args()
    with open(f"{args.data}/jurisdictions.csv", newline="", encoding="utf-8-sig") as f:
        level = {r["id"]: r["level"] for r in csv.DictReader(f)}

    def table(text):
        lines = [l for l in text.splitlines() if l.startswith("jurisdiction,") or re.match(r"^[0-9]", l)]
        return [
            (r["jurisdiction"], int(r["year"]), float(r["actual"]), float(r["median"]),
             float(r["lo80"]), float(r["hi80"]))
            for r in csv.DictReader(io.StringIO("\n".join(lines)))
        ]

    def replay(text):
        pat = re.compile(r"^(\S+) (\d+) actual ([\d.]+) median ([\d.]+) \(([\d.]+)–([\d.]+)\)")
        return [
            (m[1], int(m[2]), float(m[3]), float(m[4]), float(m[5]), float(m[6]))
            for m in map(pat.match, text.splitlines()) if m
        ]

    py = sys.executable
    sets = {
        "cut-offs 2018/2020/2022": table(run([py, "scripts/cutoff_eval.py", "--data", args.data,
                                              "--cutoffs", "2018", "2020", "2022", "--detail",
                                              "--bin", args.bin])),
        "hold-out": table(run([py, "scripts/holdout_eval.py", "--data", args.data, "--detail",
                               "--bin", args.bin])),
        "replay of the last unseen set": replay(run([py, "scripts/unseen_replica.py", "--data",
                                                     args.data, "--bin", args.bin])),
    }
    for name, rows in sets.items():
        below = [r for r in rows if level.get(r[0]) != "national"]
        if not below:
            continue
        model = one = two = 0
        z2 = 0.0
        for j, year, actual, median, lo, hi in below:
            p = actual / 100
            se = 100 * math.sqrt(p * (1 - p) / sample(level.get(j, "county"), year))
            err = abs(actual - median)
            model += lo <= actual <= hi
            one += err <= Z80 * se
            two += err <= Z80 * math.sqrt(2) * se
            z2 += (err / se) ** 2
        n = len(below)
        print(f"{name}: {n} forecasts below the nation; 80 % coverage of the model's intervals "
              f"{model / n:.2f}, of median ± 1.28·se (one survey) {one / n:.2f}, of median ± "
              f"1.28·√2·se (two) {two / n:.2f}; RMS (actual − median)/se {math.sqrt(z2 / n):.2f}")


if __name__ == "__main__":
    main()
