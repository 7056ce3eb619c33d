#!/usr/bin/env bash
# Drives `litmon serve` in headless Chromium through WebDriver (chromedriver; the client is
# Python's standard library): uploads the 包头 workbook and plan with the page's file picker,
# chooses 包头, reads the status cell (achieved, P 0.56), switches to English, downloads the
# report zip by its link and compares its report.md with `litmon report`'s for the same
# files and place, and saves screenshots of the page in Chinese and English.
# Usage: scripts/check_serve.sh [OUT_DIR]   (screenshots: OUT_DIR/serve-zh.png, serve-en.png)
# Installs Debian's chromium, chromium-driver and a CJK font when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mkdir -p "${1:-out}" && realpath "${1:-out}")"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|droid sans fallback\|noto sans cjk"; then
  apt-get install -y -qq fonts-wqy-microhei >/dev/null || true
fi

cargo build --release --quiet
litmon="$(realpath target/release/litmon)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The command line's report from the same files, under the same names.
fixtures="$(realpath tests/fixtures/serve)"
mkdir -p "$work/cli"
cp "$fixtures/baotou.xlsx" "$fixtures/baotou_plan.toml" "$work/cli/"
(cd "$work/cli" && "$litmon" --quiet --observations baotou.xlsx --plans baotou_plan.toml \
  report --jurisdiction 150200 --lang en -o report/)

"$litmon" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/serve.out" ] && break; sleep 0.1; done
url="$(head -1 "$work/serve.out")"
case "$url" in http://127.0.0.1:*) ;; *) echo "check_serve: no address printed" >&2; cat "$work/serve.err" >&2; exit 1 ;; esac

driver_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chromedriver --port="$driver_port" >"$work/driver.log" 2>&1 &
pids+=($!)

python3 - "$driver_port" "$url" "$fixtures" "$work" "$out" <<'PY'
import base64, io, json, os, sys, time, urllib.request, zipfile

port, url, fixtures, work, out = sys.argv[1:]
wd = f"http://127.0.0.1:{port}"
downloads = os.path.join(work, "downloads")
os.makedirs(downloads)
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(wd + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)["value"]


for _ in range(100):
    try:
        call("GET", "/status")
        break
    except OSError:
        time.sleep(0.1)

caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1800",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             f"--user-data-dir={os.path.join(work, 'profile')}"],
    "prefs": {"download.default_directory": downloads, "download.prompt_for_download": False},
}}}}
sid = call("POST", "/session", caps)["sessionId"]
S = f"/session/{sid}"


def find(css, timeout=60):
    end = time.time() + timeout
    while True:
        try:
            v = call("POST", S + "/element", {"using": "css selector", "value": css})
            if ELEMENT not in v:
                raise SystemExit(f"check_serve: {css}: {v}")
            return v[ELEMENT]
        except urllib.error.HTTPError:
            if time.time() > end:
                raise SystemExit(f"check_serve: no element {css}")
            time.sleep(0.2)


def text(css):
    return call("GET", f"{S}/element/{find(css)}/text").strip()


def wait_text(css, want, timeout=60):
    end = time.time() + timeout
    got = None
    while time.time() < end:
        try:
            got = text(css)
            if got == want:
                return got
        except SystemExit:
            pass
        time.sleep(0.2)
    raise SystemExit(f"check_serve: {css} shows {got!r}, expected {want!r}")


def screenshot(name):
    png = base64.b64decode(call("GET", S + "/screenshot"))
    path = os.path.join(out, name)
    with open(path, "wb") as f:
        f.write(png)
    print(f"check_serve: {path} ({len(png)} bytes)")


try:
    call("POST", S + "/url", {"url": url})
    # The file picker: both files at once (WebDriver joins paths with a newline).
    picker = find("input#files")
    files = "\n".join(os.path.join(fixtures, f) for f in ("baotou.xlsx", "baotou_plan.toml"))
    call("POST", f"{S}/element/{picker}/value", {"text": files})
    find('tr[data-file="baotou_plan.toml"]')
    # Choose 包头 in the place menu (the form submits itself on change).
    option = find('select[name=place] option[value="150200"]')
    call("POST", f"{S}/element/{option}/click", {})
    row = 'tr[data-jurisdiction="150200"][data-target-year="2025"]'
    wait_text(f"{row} td.status", "已达标")
    p = text(f"{row} td.p-reach")
    if p != "0.56":
        raise SystemExit(f"check_serve: P shows {p!r}, expected '0.56'")
    print("check_serve: 包头 2025 — 已达标, P 0.56")
    screenshot("serve-zh.png")
    call("POST", f"{S}/element/{find('#lang-toggle')}/click", {})
    wait_text(f"{row} td.status", "achieved")
    print("check_serve: English — achieved")
    screenshot("serve-en.png")
    # Download the report by its link.
    call("POST", f"{S}/element/{find('#dl-report')}/click", {})
    zip_path = os.path.join(downloads, "report.zip")
    end = time.time() + 120
    while not os.path.exists(zip_path) and time.time() < end:
        time.sleep(0.2)
    if not os.path.exists(zip_path):
        raise SystemExit("check_serve: the report zip was not downloaded")
    time.sleep(0.5)
    with zipfile.ZipFile(zip_path) as z:
        md = z.read("report/report.md")
    with open(os.path.join(work, "cli", "report", "report.md"), "rb") as f:
        cli = f.read()
    if md != cli:
        raise SystemExit("check_serve: report.md of the page's zip differs from `litmon report`'s")
    print(f"check_serve: report.md of the downloaded zip equals the command line's ({len(md)} bytes)")
finally:
    call("DELETE", S)
PY
