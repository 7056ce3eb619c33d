"""The last set of "unseen" published figures, replayed: the literacy figures added to the
curated data in December 2026 (`../shared/data/README.md`: the nation 2024 and 2025, 湖北 2025,
北京, 新疆, 西藏, 河北 2023, 广东 2018 and 2022, 福建 2018, 江苏 2022, 兰州, 大理, 中山 and 海淀区
2023) are removed from DIR, the rest is projected (`litmon --data … project --to 2025`), and
each removed figure later than its series' remaining values is scored against the projection
and against naive drift as issue 21's gate defines it (the series' last two values extended;
a one-value series borrows its nearest ancestor's last two values' pace). Figures the
projection does not give (older than the insufficient-data rule allows) are listed as skipped.

    python3 scripts/unseen_replica.py [--data data] [--bin target/release/litmon]

Standard library only.
"""
import argparse
import csv
import io
import shutil
import subprocess
import sys
import tempfile

from naive_drift import naive_drift

ap = argparse.ArgumentParser()
ap.add_argument("--data", default="data")
ap.add_argument("--bin", default="target/release/litmon")
args = ap.parse_args()
BIN, DATA = args.bin, args.data
ADDED = {
    ("100000", 2024), ("100000", 2025), ("420000", 2025), ("110000", 2023), ("650000", 2023),
    ("540000", 2023), ("130000", 2023), ("440000", 2018), ("440000", 2022), ("350000", 2018),
    ("320000", 2022), ("620100", 2023), ("532900", 2023), ("442000", 2023), ("110108", 2023),
}
def read(p):
    with open(p, newline="", encoding="utf-8-sig") as f: return list(csv.DictReader(f))
obs = read(f"{DATA}/observations.csv")
par = {r["id"]: r["parent"] for r in read(f"{DATA}/jurisdictions.csv")}
keep = [r for r in obs if not (r["indicator"]=="literacy_rate" and (r["jurisdiction"], int(r["year"])) in ADDED)]
gone = [r for r in obs if r["indicator"]=="literacy_rate" and (r["jurisdiction"], int(r["year"])) in ADDED]
tmp = tempfile.mkdtemp()
shutil.copytree(DATA, f"{tmp}/d")
with open(f"{tmp}/d/observations.csv","w",newline="",encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(obs[0].keys())); w.writeheader(); w.writerows(keep)
series = {}
for r in keep:
    if r["indicator"]=="literacy_rate": series.setdefault(r["jurisdiction"],{})[int(r["year"])]=float(r["value"])
out = subprocess.run([BIN,"--data",f"{tmp}/d","project","--to","2025","--format","csv"],capture_output=True,text=True)
if out.returncode: sys.exit(out.stderr)
fc = {(r["jurisdiction"],int(r["year"])):r for r in csv.DictReader(io.StringIO(out.stdout))}
rows=[]
for r in gone:
    j,y,v = r["jurisdiction"],int(r["year"]),float(r["value"])
    last = max(series.get(j,{0:0}).keys())
    f = fc.get((j,y)); d = naive_drift(series, par, j, y)
    if y <= last or f is None or d is None:
        print("skip",j,y,"last",last,"fc" if f else "nofc"); continue
    rows.append((j,y,v,float(f["median"]),float(f["lo80"]),float(f["hi80"]),float(f["lo95"]),float(f["hi95"]),d))
for x in rows: print("%s %d actual %.2f median %.2f (%.2f–%.2f) drift %.2f"%(x[0],x[1],x[2],x[3],x[4],x[5],x[8]))
n=len(rows); mae=sum(abs(x[3]-x[2]) for x in rows)/n; dm=sum(abs(x[8]-x[2]) for x in rows)/n
print(f"n {n} mae {mae:.3f} drift {dm:.3f} ratio {mae/dm:.2f} cov80 {sum(x[4]<=x[2]<=x[5] for x in rows)/n:.2f} cov95 {sum(x[6]<=x[2]<=x[7] for x in rows)/n:.2f}")
