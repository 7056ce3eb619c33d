"""Cut-off evaluation of litmon's projections against later published values.

For each cut-off year C, runs `litmon --data DIR --as-of C project --to 2035 --format csv`
(only data up to C is used) and scores every later published value of every jurisdiction
against the projection's median and its 80 %/95 % intervals, beside "naive drift" (the last
two values' change in percentage points extended; a series with one value up to C borrows its
nearest ancestor's last two values' pace up to C, as the acceptance gate defines it). This is how forecasts on series the model
has not seen are judged: point DIR at a data folder with other series.

    python3 scripts/cutoff_eval.py --data data --cutoffs 2018 2020 2022 [--model NAME] [--detail]

Standard library only; needs a built binary (default target/release/litmon).
"""
import argparse
import csv
import io
import subprocess
import sys

from naive_drift import naive_drift


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--cutoffs", type=int, nargs="+", required=True)
    ap.add_argument("--model")
    ap.add_argument("--bin", default="target/release/litmon")
    ap.add_argument("--detail", action="store_true")
    a = ap.parse_args()
    with open(f"{a.data}/jurisdictions.csv", newline="", encoding="utf-8-sig") as f:
        parent = {r["id"]: r["parent"] for r in csv.DictReader(f)}
    series = {}
    with open(f"{a.data}/observations.csv", newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["indicator"] == "literacy_rate":
                series.setdefault(r["jurisdiction"], {})[int(r["year"])] = float(r["value"])
    rows = []
    for c in a.cutoffs:
        cmd = [a.bin, "--data", a.data, "--as-of", str(c), "project", "--to", "2035", "--format", "csv"]
        if a.model:
            cmd += ["--model", a.model]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode:
            sys.exit(out.stderr)
        fc = {(r["jurisdiction"], int(r["year"])): r for r in csv.DictReader(io.StringIO(out.stdout))}
        for j, s in series.items():
            for y, v in sorted(s.items()):
                f = fc.get((j, y))
                if y <= c or f is None:
                    continue
                drift = naive_drift(series, parent, j, y, own_until=c, ancestor_until=c)
                rows.append((j, c, y, v, float(f["median"]), float(f["lo80"]), float(f["hi80"]),
                             float(f["lo95"]), float(f["hi95"]), drift))
    if not rows:
        sys.exit("no forecasts to score")
    if a.detail:
        print("jurisdiction,cutoff,year,actual,median,lo80,hi80,naive_drift")
        for r in rows:
            d = "" if r[9] is None else f"{r[9]:.2f}"
            print(f"{r[0]},{r[1]},{r[2]},{r[3]:.2f},{r[4]:.2f},{r[5]:.2f},{r[6]:.2f},{d}")
    both = [r for r in rows if r[9] is not None]
    mae = sum(abs(r[4] - r[3]) for r in both) / len(both)
    naive = sum(abs(r[9] - r[3]) for r in both) / len(both)
    print(f"forecasts {len(rows)} (naive drift defined for {len(both)})")
    print(f"mae_pp {mae:.3f}  naive_drift_mae_pp {naive:.3f}  ratio {mae / naive:.2f}")
    print(f"coverage80 {sum(r[5] <= r[3] <= r[6] for r in rows) / len(rows):.2f}  "
          f"coverage95 {sum(r[7] <= r[3] <= r[8] for r in rows) / len(rows):.2f}")


if __name__ == "__main__":
    main()
