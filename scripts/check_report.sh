#!/usr/bin/env bash
# Renders the report in headless Chromium: a screenshot (PNG) and a PDF (A4), then checks
# that both exist and are not trivially small. Usage: scripts/check_report.sh [OUT_DIR]
# (the report goes to OUT_DIR/report/, the screenshot and PDF beside it, so reruns work: litmon
# replaces a report directory only when it holds nothing but a report).
# Installs Debian's chromium and a CJK font (fonts-wqy-microhei) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out}"

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|droid sans fallback\|noto sans cjk"; then
  apt-get install -y -qq fonts-wqy-microhei >/dev/null || true
fi

mkdir -p "$out"
cargo run --release --quiet -- report -o "$out/report/"
html="$(realpath "$out/report/report.html")"
profile="$(mktemp -d)"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --hide-scrollbars "--user-data-dir=$profile")
timeout 120 chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$out/report-screenshot.png" "file://$html" 2>/dev/null
timeout 120 chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$html" 2>/dev/null
rm -rf "$profile"

for f in "$out/report-screenshot.png" "$out/report.pdf"; do
  size=$(stat -c %s "$f")
  if [ "$size" -lt 20000 ]; then
    echo "check_report: $f is only $size bytes" >&2
    exit 1
  fi
  echo "check_report: $f ($size bytes)"
done
