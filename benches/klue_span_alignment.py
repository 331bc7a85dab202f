"""How many KLUE-NER spans start and end where bodo's morphemes do: the ceiling of an entity
tagger over morphemes instead of characters (docs/entity-speed.md), and how many positions it
would tag.

    cargo build --release && python3 benches/klue_span_alignment.py [KLUE-NER JSONL]

Reads the sentences (default: ../shared/eval/klue-ner-news-dev), analyses them with
`bodo tokenize`, and counts per type the gold spans whose two ends are each a morpheme's
start or end or next to whitespace; then the characters per morpheme. `read` and `morphemes`
are shared with benches/ner_positions.py.
"""

import collections
import json
import subprocess
import sys

KLUE_NER = "../shared/eval/klue-ner-news-dev/klue-ner-news-dev.jsonl"
SCORED = ("PS", "OG", "LC", "DT")


def read(path):
    """The KLUE-NER rows, their texts on one line each, and `bodo tokenize`'s output per text."""
    with open(path, encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    texts = [r["text"].replace("\n", " ") for r in rows]
    analysed = subprocess.run(
        ["target/release/bodo", "tokenize"],
        input="\n".join(texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("EOS\n")
    assert len(analysed) >= len(texts), "bodo tokenize gave fewer sentences than it read"
    return rows, texts, analysed[: len(texts)]


def morphemes(text, lines):
    """(start, end, surface, tag, ko-dic class) per morpheme of `text`, character offsets."""
    out, at = [], 0
    for line in filter(None, lines.split("\n")):
        surface, features = line.split("\t")
        tag, cls = features.split(",")[:2]
        start = text.find(surface, at)
        if start >= 0:
            out.append((start, start + len(surface), surface, tag, cls))
            at = start + len(surface)
    return out


def main():
    rows, texts, analysed = read(sys.argv[1] if len(sys.argv) > 1 else KLUE_NER)
    total, aligned = collections.Counter(), collections.Counter()
    count = 0
    for row, text, lines in zip(rows, texts, analysed):
        ms = morphemes(text, lines)
        count += len(ms)
        bounds = {0, len(text)} | {m[0] for m in ms} | {m[1] for m in ms}
        bounds |= {i + d for i, c in enumerate(text) if c.isspace() for d in (0, 1)}
        for e in row["entities"]:
            total[e["type"]] += 1
            aligned[e["type"]] += e["start"] in bounds and e["end"] in bounds

    every = sum(map(len, texts))
    chars = sum(not c.isspace() for t in texts for c in t)
    print(
        f"{len(rows)} sentences, {every} characters ({chars} not spaces), {count} morphemes: "
        f"{every / count:.2f} characters per morpheme, {chars / count:.2f} without spaces"
    )
    for kind in sorted(total):
        print(
            f"{kind}  {aligned[kind]:5} of {total[kind]:5} spans on morpheme boundaries "
            f"({aligned[kind] / total[kind]:.3f})"
        )
    a, t = sum(aligned[k] for k in SCORED), sum(total[k] for k in SCORED)
    print(f"PS/OG/LC/DT  {a} of {t} ({a / t:.3f})")


if __name__ == "__main__":
    main()
