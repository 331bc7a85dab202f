"""The overhead of calling bodo's analysis stage from Python, per batch, against the same work
inside `bodo run`.

    python crates/bodo-py/bench/overhead.py [BATCHES] [THREADS]     # default 4 batches, all cores

Makes a `bodo synth --news` corpus of BATCHES × 2,048 articles (the CLI's batch size), then:
1. `bodo run --no-dedup --no-charts` on it (every article a story, so the analysis stage sees
   every article, as the Python calls do): the manifest's "morphology + entities + keywords"
   seconds per batch;
2. in this process, per batch: `bodo.arrow.normalise` then `bodo.arrow.analyse` (dictionary
   loaded beforehand by a warm-up call); of which the Rust call alone (`_bodo.analyse_batch`
   on lists already converted) and the Arrow ⇄ Python list conversions.
Checks its answer: the keyword counts of the Python batches cover the CLI's `keywords.csv`
(equal when no story is off topic). Each figure is the best of three rounds. Prints one table: milliseconds per batch, MB/s of normalised text.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa

import bodo
import bodo.arrow as ba
from bodo import _bodo

REPO = Path(__file__).resolve().parents[3]
BATCH = 2048
REPEATS = 3


def main() -> None:
    batches = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    binary = Path(os.environ.get("BODO_BIN", REPO / "target" / "release" / "bodo"))
    work = Path(tempfile.mkdtemp(prefix="bodo-overhead-"))
    corpus = work / "corpus.jsonl"
    page = REPO / "data" / "seoul-shinmun-kakao-outage-search.txt"
    subprocess.run(
        [binary, "synth", page, "--news", "-n", str(batches * BATCH), "-o", corpus],
        check=True, capture_output=True,
    )

    out = work / "cli"
    articles, _ = ba.read([str(corpus)])
    ba.analyse(ba.normalise(articles.slice(0, 8)), threads=threads)  # loads the dictionary
    batches_in = [ba.normalise(articles.slice(i * BATCH, BATCH), threads=threads) for i in range(batches)]
    text_mb = sum(
        len(t.encode()) + len(b.encode())
        for batch in batches_in
        for t, b in zip(batch["title"].to_pylist(), batch["body"].to_pylist())
    ) / 1e6
    lists = [[batch.column(n).to_pylist() for n in ("title", "body", "date", "outlet")] for batch in batches_in]
    # The machine is shared: each figure is the best of REPEATS rounds, the three measured in
    # turn within a round.
    cli_s, call_s, rust_s = [], [], []
    for _ in range(REPEATS):
        subprocess.run(
            [binary, "run", corpus, "-o", out, "--no-dedup", "--no-charts", "-q", "-j", str(threads),
             "--force"],
            check=False, capture_output=True,
        )
        manifest = json.loads((out / "manifest.json").read_text())
        stage = {s["stage"]: s["seconds"] for s in manifest["run"]["stages"]}
        cli_s.append(stage["morphology + entities + keywords"])
        start = time.perf_counter()
        analysed = [ba.analyse(batch, threads=threads) for batch in batches_in]
        call_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        for columns in lists:
            _bodo.analyse_batch(*columns, None, False, [], 2, [], threads)
        rust_s.append(time.perf_counter() - start)
    totals = Counter()
    for batch in analysed:
        for row in batch["keywords"].to_pylist():
            for k in row:
                totals[k["keyword"]] += k["count"]
    cli_ms, call_ms, rust_ms = (1000 * min(xs) / batches for xs in (cli_s, call_s, rust_s))

    with open(out / "keywords.csv", newline="", encoding="utf-8") as f:
        cli_tf = {r["keyword"]: int(r["tf"]) for r in csv.DictReader(f)}
    off_topic = manifest["relevance"]["off_topic_stories"]
    # The CLI counts on-topic stories only: every keyword it lists, at most as often.
    assert all(totals[k] >= tf for k, tf in cli_tf.items()), "a keyword of bodo run is missing"
    if off_topic == 0:
        assert {k: v for k, v in totals.items() if k in cli_tf} == cli_tf, "keyword totals differ"
    print(f"{batches} batches of {BATCH} articles ({text_mb / batches:.1f} MB of text each), "
          f"threads={threads or os.cpu_count()}, best of {REPEATS}, bodo {bodo.__version__}")
    print("| per batch of 2,048 articles | ms | MB/s |")
    print("|---|---|---|")
    for name, value in [
        ("`bodo run`: morphology + entities + keywords stage", cli_ms),
        ("`bodo.arrow.analyse`: the whole Python call", call_ms),
        ("`_bodo.analyse_batch`: the Rust call on Python lists", rust_ms),
    ]:
        print(f"| {name} | {value:,.0f} | {text_mb / batches / (value / 1000):.2f} |")
    print(f"Python call against `bodo run`: {100 * (call_ms / cli_ms - 1):+.1f} %; "
          f"Arrow <-> lists and back: {call_ms - rust_ms:,.0f} ms a batch "
          f"({100 * (call_ms - rust_ms) / call_ms:.1f} % of the call)"
          + ("" if off_topic == 0 else f" (answer check skipped: {off_topic} off-topic stories)"))


if __name__ == "__main__":
    main()
