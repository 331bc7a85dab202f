#!/usr/bin/env bash
# Issue 13's yardsticks in one run on one corpus: raw lindera, bodo's morphology stage, a whole
# `bodo run`, and the Python peer (benches/peer.py: python-mecab-ko + datasketch + polars on 2
# processes, the same job as an analyst would write it).
#
#     pip install python-mecab-ko datasketch polars numpy        # once, for the peer
#     target/release/bodo synth data/seoul-shinmun-kakao-outage-search.txt -n 10000 --days 365 \
#         --news -o target/bench-data/news-10000.jsonl           # the corpus (deterministic)
#     bash benches/compare.sh target/bench-data/news-10000.jsonl
#     bash benches/compare.sh --no-bench CORPUS    # skip (a): no compiling, bodo run and peer only
#
# (a) `cargo bench --bench morphology -- CORPUS` (builds the bench and target/release/bodo;
#     --offline --locked: nothing is downloaded, so crates must be fetched already): its last line
#     gives raw_lindera_mbps, bodo_morphology_mbps and text_mb;
# (b) `target/release/bodo run CORPUS -o TMP -q`: wall time from outside, and its stages;
# (c) `python3 benches/peer.py CORPUS -o TMP --procs ${PEER_PROCS:-2}`, wall time from outside.
#
# Every MB/s here divides the same text_mb: the UTF-8 bytes of each article's title and body
# after bodo's normalisation (NFC, widths, whitespace, boilerplate stripped), which is what
# benches/morphology.rs counts. The script computes it itself from `bodo normalise CORPUS` (the
# same read_articles + normalise the bench calls) and checks it against the bench's figure.
# So bodo run's and the peer's MB/s are text_mb / their whole wall time (process start to exit,
# dictionary load, imports and writing the tables included), and the ratios are ratios of
# times. The peer's own line, which counts raw bodies only, is printed as it is for reference.
# Times are from one run each on a shared machine: the load average is printed with them.
set -euo pipefail
cd "$(dirname "$0")/.."

bench=1
if [ "${1:-}" = --no-bench ]; then bench=0; shift; fi
if [ $# -ne 1 ] || [ ! -s "$1" ]; then
  echo "usage: bash benches/compare.sh [--no-bench] CORPUS.jsonl   (see the top of this script to make one)" >&2
  exit 2
fi
corpus=$1
bin=target/release/bodo

if ! python3 -c 'import mecab, datasketch, polars, numpy' 2>/dev/null; then
  echo "compare.sh: the Python peer needs python-mecab-ko, datasketch, polars and numpy:" >&2
  echo "    pip install python-mecab-ko datasketch polars numpy" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
field() { sed -nE "s/^(.* )?$1=([^ ]+).*/\2/p" <<<"$2"; }
echo "corpus: $corpus · $(nproc) cores · load average $(cut -d' ' -f1-3 /proc/loadavg)"

# (a) raw lindera and bodo's morphology stage.
lindera=n/a morphology=n/a bench_mb=
if [ "$bench" = 1 ]; then
  echo "== (a) cargo bench --bench morphology"
  if ! cargo bench --offline --locked --bench morphology -- "$corpus" 2>&1 | tee "$tmp/bench.log"; then
    echo "compare.sh: cargo bench failed (offline: run 'cargo fetch' once if crates are missing)" >&2
    exit 1
  fi
  line=$(grep -E '^raw_lindera_mbps=' "$tmp/bench.log" | tail -n 1)
  [ -n "$line" ] || { echo "compare.sh: no raw_lindera_mbps= line in the bench's output" >&2; exit 1; }
  lindera=$(field raw_lindera_mbps "$line")
  morphology=$(field bodo_morphology_mbps "$line")
  bench_mb=$(field text_mb "$line")
fi
[ -x "$bin" ] || { echo "compare.sh: no $bin: cargo build --release" >&2; exit 2; }

# text_mb: normalised title + body bytes, as benches/morphology.rs counts them.
text_mb=$("$bin" normalise "$corpus" | python3 -c 'import json, sys; print("%.6f" % (sum(len(a["title"].encode()) + len(a["body"].encode()) for a in map(json.loads, sys.stdin)) / 1e6))')
if [ -n "$bench_mb" ] && [ "$(awk "BEGIN { d = $text_mb - $bench_mb; print (d < -0.002 || d > 0.002) }")" = 1 ]; then
  echo "compare.sh: text_mb $text_mb (bodo normalise) differs from the bench's $bench_mb" >&2
  exit 1
fi

# (b) the whole bodo run.
echo "== (b) $bin run $corpus -o TMP -q"
start=$(now)
rc=0
"$bin" run "$corpus" -o "$tmp/bodo" -q || rc=$?
run_s=$(calc "$(now) - $start")
# 1: finished, some records rejected (rejected.csv); anything else is a failure.
if [ "$rc" -gt 1 ]; then echo "compare.sh: bodo run exited $rc" >&2; exit 1; fi
stories=$(($(wc -l < "$tmp/bodo/clusters.csv") - 1))
echo "bodo run: ${run_s}s, $stories stories"
# Where the run's time went: its manifest's stages (wall seconds, peak memory so far).
python3 - "$tmp/bodo/manifest.json" <<'PY'
import json, sys
for s in json.load(open(sys.argv[1]))["run"]["stages"]:
    print("  %-48s %7.2f s  %6s MB" % (s["stage"], s["seconds"], s["peak_rss_mb"]))
PY

# (c) the Python peer.
echo "== (c) python3 benches/peer.py $corpus --procs ${PEER_PROCS:-2}"
start=$(now)
python3 benches/peer.py "$corpus" -o "$tmp/peer" --procs "${PEER_PROCS:-2}" | tee "$tmp/peer.log"
peer_s=$(calc "$(now) - $start")
peer_line=$(grep -E '^peer_mbps=' "$tmp/peer.log" | tail -n 1)

run_mbps=$(calc "$text_mb / $run_s")
peer_mbps=$(calc "$text_mb / $peer_s")
ratio() { if [ "$2" = n/a ]; then echo n/a; else calc "$1 / $2"; fi; }
run_over_lindera=$(ratio "$run_mbps" "$lindera")
run_over_peer=$(ratio "$run_mbps" "$peer_mbps")

echo
echo "text: $text_mb MB (normalised title + body) · load average now $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %9s %8s\n' "" "MB/s" seconds stories
printf '%-34s %10s\n' "raw lindera (segment only)" "$lindera"
printf '%-34s %10s\n' "bodo morphology (stage only)" "$morphology"
printf '%-34s %10s %9s %8s\n' "bodo run (whole job)" "$run_mbps" "$run_s" "$stories"
printf '%-34s %10s %9s %8s\n' "python peer (whole job)" "$peer_mbps" "$peer_s" "$(field stories "$peer_line")"
printf '%-34s %10s\n' "bodo run / raw lindera" "$run_over_lindera"
printf '%-34s %10s\n' "bodo run / python peer" "$run_over_peer"
echo "peer's own line: $peer_line"
echo "raw_lindera_mbps=$lindera bodo_morphology_mbps=$morphology bodo_run_mbps=$run_mbps peer_mbps=$peer_mbps run_over_lindera=$run_over_lindera run_over_peer=$run_over_peer text_mb=$text_mb"
