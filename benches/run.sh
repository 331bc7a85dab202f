#!/usr/bin/env bash
# End-to-end wall time, MB/s and peak memory of the `bodo` binary on generated corpora.
#
#     bash benches/run.sh                        # 10k and 50k articles
#     bash benches/run.sh 10000 100000 1000000   # any sizes (the issue-7 growth curve)
#
# Corpora come from `bodo synth` (deterministic; dates over a year) and are kept in
# target/bench-data/. Charts and report.html are drawn as in a normal run (they cost well under
# a second).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/bodo
mkdir -p target/bench-data
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000)
printf '%-10s %10s %9s %9s %12s %12s\n' articles MB seconds MB/s articles/s peak_RSS_MB
for n in "${sizes[@]}"; do
  corpus=target/bench-data/synth-$n-365d.jsonl
  [ -s "$corpus" ] || "$bin" synth data/seoul-shinmun-kakao-outage-search.txt -n "$n" --days 365 -o "$corpus"
  out=$(mktemp -d)
  log=$(mktemp)
  /usr/bin/time -v "$bin" run "$corpus" -o "$out" -q 2> "$log" || { cat "$log"; exit 1; }
  bytes=$(stat -c %s "$corpus")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  awk -v n="$n" -v b="$bytes" -v s="$secs" -v r="$rss" \
    'BEGIN { printf "%-10d %10.1f %9.2f %9.2f %12.0f %12.1f\n", n, b/1e6, s, b/1e6/s, n/s, r/1024 }'
  rm -rf "$out" "$log"
done
