#!/usr/bin/env python3
"""The Python peer: the speed yardstick of issue 13, bodo's job as an analyst would write it.

    pip install python-mecab-ko datasketch polars numpy
    python3 benches/peer.py target/bench-data/news-10000.jsonl [-o OUT] [--procs 2]

What a typical analyst writes with python-mecab-ko + datasketch + polars, on 2 processes, for
the job `bodo run` does (much reduced): read a JSONL dump (fields id, title, body and date, as
`bodo synth --news` writes them; outlet and url are not used); normalise (NFC, whitespace runs
to one space); group near-duplicates with MinHash (character 5-gram shingles of the body) and
MinHashLSH, a story being a connected group of LSH matches and its first article the
representative; MeCab-ko over each representative's title + body; nouns (NNG/NNP) counted into
a keyword table (stories that use a noun, total count) and articles and stories counted per
day; CSVs written with polars (keywords.csv, timeline.csv, stories.csv).

It is meant to be straightforward and honest, not tuned: plain library calls, a
multiprocessing Pool for the per-article work (MinHash signatures and morphology), the
rest in the main process. No boilerplate stripping, entities, relevance or charts.

Last line, for benches/compare.sh: `peer_mbps=… articles=… stories=… text_mb=… seconds=…`, where
text_mb is the UTF-8 bytes of every article's body as read (not only the representatives') and
seconds the wall time of the whole script from just before its third-party imports to the end
(interpreter start-up aside; benches/compare.sh also times the process from outside).
"""
import argparse
import collections
import json
import multiprocessing
import pathlib
import re
import sys
import tempfile
import time
import unicodedata

T0 = time.perf_counter()

try:
    import polars as pl
    from datasketch import LeanMinHash, MinHash, MinHashLSH
    from mecab import MeCab
except ImportError as err:
    sys.exit(f"peer.py: {err.name} is missing: pip install python-mecab-ko datasketch polars numpy")

SHINGLE = 5
NOUN_TAGS = ("NNG", "NNP")
SPACES = re.compile(r"\s+")


def normalise(text):
    return SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def signature(args):
    """MinHash of a body's character 5-grams (the whole body when it is shorter)."""
    body, num_perm = args
    grams = {body[i:i + SHINGLE] for i in range(max(1, len(body) - SHINGLE + 1))}
    m = MinHash(num_perm=num_perm)
    m.update_batch([g.encode("utf-8") for g in grams])
    return LeanMinHash(m)


_tagger = None


def start_worker():
    global _tagger
    _tagger = MeCab()


def nouns(text):
    """Counts of the NNG/NNP morphemes of one text."""
    return collections.Counter(word for word, tag in _tagger.pos(text) if tag in NOUN_TAGS)


def stories_of(sigs, threshold, num_perm):
    """Story of each article: the index of its group's first article (union of LSH matches)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(sigs):
            session.insert(i, m)
    parent = list(range(len(sigs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)  # the root stays the group's first article
    return [find(i) for i in range(len(sigs))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=pathlib.Path, help="JSONL dump, one article per line")
    ap.add_argument("-o", "--out", type=pathlib.Path, help="output dir [default: a new temp dir]")
    ap.add_argument("--procs", type=int, default=2, help="worker processes [default: 2]")
    ap.add_argument("--num-perm", type=int, default=128, help="MinHash permutations [default: 128]")
    ap.add_argument("--threshold", type=float, default=0.8, help="LSH Jaccard threshold [default: 0.8]")
    args = ap.parse_args()
    out = args.out or pathlib.Path(tempfile.mkdtemp(prefix="peer-"))
    out.mkdir(parents=True, exist_ok=True)
    laps, last = {}, [T0]

    def lap(name):  # seconds since the previous lap, for the stderr summary
        now = time.perf_counter()
        laps[name], last[0] = now - last[0], now

    lap("imports")
    articles = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                articles.append(json.loads(line))
    text_bytes = sum(len((a.get("body") or "").encode("utf-8")) for a in articles)
    ids = [str(a.get("id") or n) for n, a in enumerate(articles)]
    days = [str(a.get("date") or "")[:10] for a in articles]  # "2022-12-16 17:23" → the day
    titles = [normalise(a.get("title")) for a in articles]
    bodies = [normalise(a.get("body")) for a in articles]
    lap("read+normalise")

    with multiprocessing.Pool(args.procs, initializer=start_worker) as pool:
        sigs = pool.map(signature, [(b, args.num_perm) for b in bodies], chunksize=32)
        lap("minhash")
        story = stories_of(sigs, args.threshold, args.num_perm)
        reps = sorted(set(story))
        lap("lsh+groups")
        counts = pool.map(nouns, [f"{titles[i]}\n{bodies[i]}" for i in reps], chunksize=16)
        lap("mecab")

    total, in_stories = collections.Counter(), collections.Counter()
    for c in counts:
        total.update(c)
        in_stories.update(c.keys())
    keywords = pl.DataFrame(
        {"noun": list(total), "stories": [in_stories[n] for n in total], "count": list(total.values())}
    ).sort(["count", "noun"], descending=[True, False])
    keywords.write_csv(out / "keywords.csv")
    is_rep = [story[i] == i for i in range(len(articles))]
    timeline = (
        pl.DataFrame({"date": days, "rep": is_rep})
        .group_by("date")
        .agg(pl.len().alias("articles"), pl.col("rep").sum().alias("stories"))
        .sort("date")
    )
    timeline.write_csv(out / "timeline.csv")
    pl.DataFrame({"article_id": ids, "story": [ids[s] for s in story]}).write_csv(out / "stories.csv")
    lap("tables")

    seconds = time.perf_counter() - T0
    text_mb = text_bytes / 1e6
    print(
        f"peer: {len(articles)} articles, {len(reps)} stories, {len(total)} nouns → {out}; "
        + ", ".join(f"{k} {v:.2f}s" for k, v in laps.items()),
        file=sys.stderr,
    )
    print(
        f"peer_mbps={text_mb / seconds:.3f} articles={len(articles)} stories={len(reps)} "
        f"text_mb={text_mb:.3f} seconds={seconds:.3f}"
    )


if __name__ == "__main__":
    main()
