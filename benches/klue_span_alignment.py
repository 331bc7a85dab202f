"""How many KLUE-NER spans start and end where bodo's morphemes do: the ceiling of an entity
tagger over morphemes instead of characters (docs/entity-speed.md), and how many positions it
would tag.

    cargo build --release && python3 benches/klue_span_alignment.py [KLUE-NER JSONL]

Reads the sentences (default: ../shared/eval/klue-ner-news-dev), analyses them with
`bodo tokenize`, and counts per type the gold spans whose two ends are each a morpheme's
start or end or next to whitespace; then the non-space characters per morpheme.
"""

import collections
import json
import subprocess
import sys

path = (
    sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/klue-ner-news-dev/klue-ner-news-dev.jsonl"
)
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

total, aligned = collections.Counter(), collections.Counter()
chars = morphemes = 0
for row, text, lines in zip(rows, texts, analysed):
    bounds, at = {0, len(text)}, 0
    for line in filter(None, lines.split("\n")):
        surface = line.split("\t")[0]
        start = text.find(surface, at)
        if start < 0:
            continue
        bounds |= {start, start + len(surface)}
        at = start + len(surface)
        morphemes += 1
    for i, c in enumerate(text):
        if c.isspace():
            bounds |= {i, i + 1}
        else:
            chars += 1
    for e in row["entities"]:
        total[e["type"]] += 1
        aligned[e["type"]] += e["start"] in bounds and e["end"] in bounds

every = sum(map(len, texts))
print(
    f"{len(rows)} sentences, {every} characters ({chars} not spaces), {morphemes} morphemes: "
    f"{every / morphemes:.2f} characters per morpheme, {chars / morphemes:.2f} without spaces"
)
for kind in sorted(total):
    print(
        f"{kind}  {aligned[kind]:5} of {total[kind]:5} spans on morpheme boundaries "
        f"({aligned[kind] / total[kind]:.3f})"
    )
scored = ["PS", "OG", "LC", "DT"]
a, t = sum(aligned[k] for k in scored), sum(total[k] for k in scored)
print(f"PS/OG/LC/DT  {a} of {t} ({a / t:.3f})")
