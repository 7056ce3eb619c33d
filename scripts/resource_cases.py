#!/usr/bin/env python3
"""Issue 20, items 5 to 8: the large inputs, each run under `ulimit -v 2000000` with a
10 s limit and /usr/bin/time -v. Prints exit status, wall time, peak RSS and the last
line of stderr per case. Usage: scripts/resource_cases.py [path/to/litmon] [case…]

Inputs are generated into a temporary directory (deterministic; nothing downloaded)."""
import os, random, subprocess, sys, tempfile

LITMON = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.abspath("target/release/litmon")
ONLY = sys.argv[2:]
W = tempfile.mkdtemp(prefix="litmon-resource-")


def write(name, lines):
    p = os.path.join(W, name)
    with open(p, "w") as f:
        for l in lines:
            f.write(l)
            f.write("\n")
    return p


def rep_micro(name, rows, reps, domains):
    """JK1-style replicate weights: row i is in PSU i % reps, which replicate i % reps drops;
    domain = (i // 20) % domains, so each domain holds rows of up to 20 PSUs."""
    rnd = random.Random(1)
    head = ["id,weight,county,literate"] + []
    cols = ",".join(f"repw{r+1}" for r in range(reps))
    def gen():
        yield f"id,weight,county,literate,{cols}"
        f = reps / (reps - 1)
        for i in range(rows):
            d = (i // 20) % domains
            w = round(50 + 100 * rnd.random(), 2)
            drop = i % reps
            rw = ",".join("0" if r == drop else f"{w*f:.6f}" for r in range(reps))
            yield f"{i},{w},D{d},{rnd.randint(0,1)},{rw}"
    return write(name, gen())


def cases():
    c = []
    m = rep_micro("rep200.csv", 40_000, 200, 2_000)
    c.append(("5a 200 reps x 2000 domains x 40k rows", ["estimate", "--microdata", m, "--weight", "weight", "--indicator-column", "literate", "--repweights", "repw", "--reptype", "jk1", "--by", "county", "--format", "csv", "-o", os.path.join(W, "o5a.csv")]))
    m = rep_micro("rep10000.csv", 200, 10_000, 20)
    c.append(("5b 10000 reps x 200 rows", ["estimate", "--microdata", m, "--weight", "weight", "--indicator-column", "literate", "--repweights", "repw", "--reptype", "jk1", "--format", "csv", "-o", os.path.join(W, "o5b.csv")]))
    for reps in (1000, 4000):
        m = rep_micro(f"rep{reps}.csv", 2_000, reps, 100)
        c.append((f"5c {reps} reps x 2000 rows, --by county", ["estimate", "--microdata", m, "--weight", "weight", "--indicator-column", "literate", "--repweights", "repw", "--reptype", "jk1", "--by", "county", "--format", "csv", "-o", os.path.join(W, f"o5c{reps}.csv")]))
    # 6: one 100 MB line of commas, as microdata and as observations.
    p = os.path.join(W, "commas.csv")
    with open(p, "w") as f:
        f.write("id,weight,literate\n")
        f.write("," * (100 << 20))
        f.write("\n")
    c.append(("6a 100 MB line (microdata)", ["estimate", "--microdata", p, "--weight", "weight", "--indicator-column", "literate"]))
    c.append(("6a 100 MB line (observations)", ["assess", "--observations", p]))
    # 6b: --by dom,psu with 1 M distinct values.
    rnd = random.Random(2)
    def big():
        yield "id,weight,dom,psu,literate"
        for i in range(1_000_000):
            yield f"{i},{1+rnd.random():.3f},d{i},p{i},{i%2}"
    m = write("million.csv", big())
    c.append(("6b --by dom,psu, 1 M domains (csv)", ["estimate", "--microdata", m, "--weight", "weight", "--indicator-column", "literate", "--by", "dom,psu", "--format", "csv", "-o", os.path.join(W, "o6b.csv")]))
    c.append(("6c --by dom, 1 M domains (terminal table)", ["estimate", "--microdata", m, "--weight", "weight", "--indicator-column", "literate", "--by", "dom"]))
    # 6d: project --to 2100 on 20k jurisdictions.
    d = os.path.join(W, "big")
    os.makedirs(os.path.join(d, "plans"), exist_ok=True)
    reg = ["id,name_zh,name_en,level,parent", "100000,全国,China,national,"]
    obs = ["jurisdiction,indicator,year,value,se,n,source"]
    for k in range(20_000):
        jid = f"9{k:05d}"
        reg.append(f"{jid},地{k},J{k},province,100000")
        obs.append(f"{jid},literacy_rate,2020,{8 + k % 7},,,s")
        obs.append(f"{jid},literacy_rate,2022,{9 + k % 5},,,s")
    write("big/jurisdictions.csv", reg)
    write("big/observations.csv", obs)
    for fmt in ("csv", "json", "xlsx", "table"):
        out = ["-o", os.path.join(W, f"o6d.{fmt}")] if fmt == "xlsx" else []
        c.append((f"6d project --to 2100, 20k jurisdictions ({fmt})", ["project", "--data", d, "--to", "2100", "--format", fmt] + out))
    # 7: plan TOML of 800 and 10,000 indicators (key lines once per file, not per field).
    for n in (800, 10_000):
        lines = ["[plan]", 'jurisdiction = "150300"', 'title_zh = "乌海市测试方案"', "period = [2021, 2025]"]
        for i in range(n):
            lines += ["", "[[indicator]]", f'id = "sub_{i}"', f'name_zh = "指标{i}"', 'unit = "count"',
                      'kind = "annual"', f"target = {{ year = 2025, value = {10 + i % 90} }}", 'note = "n"']
        p = write(f"plan{n}.toml", lines)
        c.append((f"7 plan of {n} indicators", ["assess", "--plans", p, "--format", "csv"]))
    # 8: suggestions for unknown names: 200k rows of short unknown ids, 20k rows of
    # 500-character names, one 4 MB cell.
    head = "jurisdiction,indicator,year,value"
    p = write("unknown_short.csv", [head] + [f"x{i},literacy_rate,2022,10" for i in range(200_000)])
    c.append(("8a 200k rows of unknown short ids", ["assess", "--observations", p]))
    rnd = random.Random(3)
    han = [chr(0x4E00 + rnd.randrange(20_000)) for _ in range(5_000)]
    p = write("unknown_long.csv", [head] + ["".join(rnd.choice(han) for _ in range(500)) + ",literacy_rate,2022,10" for _ in range(20_000)])
    c.append(("8b 20k rows of 500-character names", ["assess", "--observations", p]))
    p = write("huge_cell.csv", [head, "乌" * ((4 << 20) // 3) + ",literacy_rate,2022,10"])
    c.append(("8c one 4 MB cell", ["assess", "--observations", p]))
    return c


for name, args in cases():
    if ONLY and not any(name.startswith(o) for o in ONLY):
        continue
    cmd = "ulimit -v 2000000; exec timeout 10 /usr/bin/time -v \"$0\" \"$@\" > /dev/null"
    r = subprocess.run(["sh", "-c", cmd, LITMON] + args, capture_output=True, text=True, errors="replace")
    err = r.stderr.splitlines()
    rss = next((l.split(":")[1].strip() for l in err if "Maximum resident" in l), "?")
    wall = next((l.split("):")[1].strip() for l in err if "Elapsed (wall" in l), "?")
    msg = [l for l in err if not l.startswith("\t") and "Command exited" not in l and "Command terminated" not in l]
    last = msg[-1][:160] if msg else ""
    print(f"{name}: exit {r.returncode}, {wall} wall, peak RSS {rss} KB; {last}", flush=True)
