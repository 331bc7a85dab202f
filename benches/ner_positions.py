"""Characters or morphemes as an entity tagger's positions: the same CRF (python-crfsuite,
CRFsuite's L-BFGS, c1 0.05, c2 0.5, 150 iterations) trained both ways on KLUE-NER half A, with
the same information — the characters and bodo's morphemes (tag, ko-dic class, surface) —
scored by 5-fold cross-validation in contiguous blocks, exact spans of PS/OG/LC/DT.

    cargo build --release
    python3 -m venv /tmp/crf && /tmp/crf/bin/pip install python-crfsuite
    /tmp/crf/bin/python benches/ner_positions.py [morphemes|morphemes+edges|characters] [JSONL]

A design measurement for docs/entity-speed.md, not bodo's tagger: it has none of bodo's
evidence features (rules, gazetteer, dates) and none of its project development set, so its
F1 is below bodo's; what it measures is the difference between the two kinds of positions.
"""

import collections
import sys
import tempfile
import time

import pycrfsuite
from klue_span_alignment import KLUE_NER, SCORED, morphemes, read

LEVEL = sys.argv[1] if len(sys.argv) > 1 else "morphemes"
rows, texts, analysed = read(sys.argv[2] if len(sys.argv) > 2 else KLUE_NER)


def morpheme_features(text, ms, k):
    start, _, surface, tag, cls = ms[k]
    f = [
        "bias",
        "s=" + surface,
        "t=" + tag,
        "c=" + cls,
        f"st={surface}/{tag}",
        "first=" + surface[0],
        "last=" + surface[-1],
        f"len={min(len(surface), 5)}",
        f"space={int(start > 0 and text[start - 1] == ' ')}",
    ]
    if len(surface) >= 2:
        f += ["first2=" + surface[:2], "last2=" + surface[-2:]]
    for d in (-2, -1, 1, 2):
        j = k + d
        f += [f"{d}:s={ms[j][2]}", f"{d}:t={ms[j][3]}"] if 0 <= j < len(ms) else [f"{d}:none"]
    if k > 0:
        f.append(f"tags={ms[k - 1][3]}|{tag}")
    if k + 1 < len(ms):
        f.append(f"tags+={tag}|{ms[k + 1][3]}")
    if LEVEL == "morphemes+edges":
        end = ms[k][1]
        before = text[start - 1] if start > 0 else "#"
        after = text[end] if end < len(text) else "#"
        f += [
            "cb=" + before,
            "ca=" + after,
            "bb=" + before + surface[0],
            "ba=" + surface[-1] + after,
        ]
        f.append(f"ends={int(after in ' #')}")
        f += ["in=" + c for c in sorted(set(surface[1:-1]))]
        f += ["bi=" + surface[i : i + 2] for i in range(len(surface) - 1)]
    return f


def character_features(text, i, morpheme_of):
    at = lambda j: text[j] if 0 <= j < len(text) else "#"
    f = ["bias"]
    f += [f"c{d}={at(i + d)}" for d in range(-2, 3)]
    f += [f"b{d}={at(i + d)}{at(i + d + 1)}" for d in range(-2, 2)]
    f += [f"t{d}={at(i + d)}{at(i + d + 1)}{at(i + d + 2)}" for d in range(-2, 1)]
    if i in morpheme_of:
        tag, first, cls = morpheme_of[i]
        f += ["t=" + tag, f"first={first}", "c=" + cls]
    return f


def sequences():
    """Per sentence: features, BIO labels and each position's character span."""
    for row, text, lines in zip(rows, texts, analysed):
        ms, gold = morphemes(text, lines), row["entities"]
        if LEVEL.startswith("morphemes"):
            labels = []
            for start, *_ in ms:
                label = "O"
                for e in gold:
                    if e["start"] <= start < e["end"]:
                        first = not any(e["start"] <= m[0] < start for m in ms)
                        label = ("B-" if first else "I-") + e["type"]
                labels.append(label)
            yield (
                [morpheme_features(text, ms, k) for k in range(len(ms))],
                labels,
                [(m[0], m[1]) for m in ms],
            )
        else:
            morpheme_of = {
                i: (tag, int(i == a), cls) for a, b, _, tag, cls in ms for i in range(a, b)
            }
            labels = ["O"] * len(text)
            for e in gold:
                for i in range(e["start"], e["end"]):
                    labels[i] = ("B-" if i == e["start"] else "I-") + e["type"]
            yield (
                [character_features(text, i, morpheme_of) for i in range(len(text))],
                labels,
                [(i, i + 1) for i in range(len(text))],
            )


def spans(labels, positions, text):
    out, open_ = set(), None
    for (a, b), label in zip(positions, labels + ["O"]):
        if open_ and (label == "O" or label.startswith("B-") or label[2:] != open_[2]):
            s, e, k = open_
            out.add((s, len(text[s:e].rstrip()) + s, k))
            open_ = None
        if label != "O":
            open_ = [a, b, label[2:]] if open_ is None else [open_[0], b, open_[2]]
    if open_:
        s, e, k = open_
        out.add((s, len(text[s:e].rstrip()) + s, k))
    return out


data = list(sequences())
n, counts, began = len(data), collections.Counter(), time.time()
with tempfile.TemporaryDirectory() as tmp:
    for fold in range(5):
        lo, hi = n * fold // 5, n * (fold + 1) // 5
        trainer = pycrfsuite.Trainer(verbose=False)
        for i, (x, y, _) in enumerate(data):
            if not lo <= i < hi:
                trainer.append(x, y)
        trainer.set_params({"c1": 0.05, "c2": 0.5, "max_iterations": 150})
        trainer.train(f"{tmp}/model")
        tagger = pycrfsuite.Tagger()
        tagger.open(f"{tmp}/model")
        for i in range(lo, hi):
            x, _, positions = data[i]
            got = {s for s in spans(tagger.tag(x), positions, texts[i]) if s[2] in SCORED}
            gold = {
                (e["start"], e["end"], e["type"])
                for e in rows[i]["entities"]
                if e["type"] in SCORED
            }
            for s in got & gold:
                counts[s[2], "tp"] += 1
            for s in got - gold:
                counts[s[2], "fp"] += 1
            for s in gold - got:
                counts[s[2], "fn"] += 1


def f1(kinds):
    tp, fp, fn = (sum(counts[k, c] for k in kinds) for c in ("tp", "fp", "fn"))
    return 2 * tp / (2 * tp + fp + fn)


print(
    f"{LEVEL}: {sum(len(x) for x, _, _ in data)} positions, 5-fold CV exact-span F1 "
    f"{f1(SCORED):.3f} ({' '.join(f'{k} {f1([k]):.3f}' for k in sorted(SCORED))}), "
    f"{time.time() - began:.0f} s"
)
