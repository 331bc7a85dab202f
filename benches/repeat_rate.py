#!/usr/bin/env python3
"""Eojeol repeat rate and copy share of a JSONL news corpus (e.g. one `bodo synth` wrote).

    python3 benches/repeat_rate.py target/bench-data/synth-10000-365d.jsonl [more.jsonl ...]
    bodo synth data/seoul-shinmun-kakao-outage-search.txt --news -n 10000 | python3 benches/repeat_rate.py -

An eojeol is a whitespace-separated word of title + body. `repeat rate = 1 - distinct/tokens`:
the share of eojeol tokens that repeat an earlier one, i.e. the hit rate a per-eojeol
morphology cache of unbounded size would see on this corpus. Real Korean news is about 0.75 at
20 MB (a quarter of the tokens are first occurrences); a benchmark corpus should be close, or a
cache benchmark on it lies.

`copy share` is the share of articles whose title (leading `[...]` tags such as `[종합]` removed)
an earlier article already had: for `bodo synth` output, whose titles end in the story number,
that is exactly the share of articles that are copies of another article of the same story. For
other dumps it is only a lower bound on copies (rewritten headlines are not counted).

`first bytes` is the share of the eojeols' UTF-8 bytes that lie in first occurrences: what an
exact analyser must analyse in full at least once whatever it caches (a first occurrence is
longer than the average token, so this share is above `first occ.`).

`--curve N` also prints the repeat rate after every N MB of input, to see how it grows.
"""

import argparse
import json
import re
import sys

TAGS = re.compile(r"^(\[[^\]]*\]\s*)+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="JSONL files, or - for stdin")
    parser.add_argument("--curve", type=float, metavar="MB", help="print the rate every MB")
    args = parser.parse_args()

    seen: set[str] = set()
    titles: set[str] = set()
    tokens = articles = copies = 0
    word_bytes = first_bytes = 0
    size = 0
    next_mark = args.curve * 1e6 if args.curve else None
    for path in args.inputs:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")
        with stream:
            for raw in stream:
                size += len(raw)
                line = raw.strip()
                if not line:
                    continue
                record = json.loads(line)
                title = record.get("title") or ""
                body = record.get("body") or ""
                words = title.split() + body.split()
                tokens += len(words)
                for word in words:
                    n = len(word.encode())
                    word_bytes += n
                    if word not in seen:
                        seen.add(word)
                        first_bytes += n
                articles += 1
                key = TAGS.sub("", title).strip()
                if key in titles:
                    copies += 1
                else:
                    titles.add(key)
                if next_mark is not None and size >= next_mark:
                    print(f"{size / 1e6:9.1f} MB  repeat rate {1 - len(seen) / tokens:.4f}")
                    next_mark += args.curve * 1e6
    if tokens == 0:
        sys.exit("no eojeols read")
    print(f"bytes        {size}")
    print(f"articles     {articles}")
    print(f"tokens       {tokens}")
    print(f"distinct     {len(seen)}")
    print(f"repeat rate  {1 - len(seen) / tokens:.4f}")
    print(f"first occ.   {len(seen) / tokens:.4f}")
    print(f"first bytes  {first_bytes / word_bytes:.4f}")
    print(f"copy share   {copies / articles:.4f}")


if __name__ == "__main__":
    main()
