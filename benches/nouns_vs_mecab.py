#!/usr/bin/env python3
"""Noun quality of bodo vs MeCab-ko on the same dictionary, against hand-labelled gold.

    pip install python-mecab-ko        # MeCab-ko with mecab-ko-dic 2.1.1 (what bodo embeds)
    cargo build --release && python3 benches/nouns_vs_mecab.py

Scores, as multisets per sentence over tests/data/nouns-gold.tsv (see its header for the rule):
- bodo: `bodo tokenize --nouns`
- mecab nouns(): MeCab-ko's own noun list (every NN* morpheme, bound nouns included)
- mecab NNG/NNP/SL/SH: MeCab-ko's morphemes with bodo's tag set, no joining
- mecab + bodo rule: MeCab-ko's morphemes grouped with bodo's compound rule, which isolates the
  difference between lindera's and MeCab's segmentation on the same dictionary.
"""
import collections
import pathlib
import subprocess
import sys

import mecab

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOUN = {"NNG", "NNP", "SL", "SH"}
INFLECTING = {"들", "적", "님", "씨", "께"}


def gold():
    for line in (ROOT / "tests/data/nouns-gold.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            sentence, nouns = line.split("\t")
            yield sentence, nouns.split("|")


def score(pairs):
    tp = pred = exp = 0
    for got, want in pairs:
        remaining = collections.Counter(want)
        for g in got:
            if remaining[g] > 0:
                remaining[g] -= 1
                tp += 1
        pred += len(got)
        exp += len(want)
    p, r = tp / pred, tp / exp
    return p, r, 2 * p * r / (p + r)


def bodo_nouns(sentences):
    out = subprocess.run(
        [str(ROOT / "target/release/bodo"), "tokenize", "--nouns"],
        input="\n".join(sentences) + "\n", capture_output=True, text=True, check=True,
    ).stdout
    result, current = [], []
    for line in out.splitlines():
        if line == "EOS":
            result.append(current)
            current = []
        else:
            current.append(line.split("\t")[0])
    return result


def mecab_with_rule(m, sentence):
    """bodo's rule over MeCab's morphemes (offsets recovered by scanning the sentence)."""
    spans, pos = [], 0
    for surface, tag in m.pos(sentence):
        start = sentence.index(surface, pos)
        spans.append((start, start + len(surface), surface, tag.split("+")[0]))
        pos = start + len(surface)
    nouns, i = [], 0
    while i < len(spans):
        if spans[i][3] not in NOUN:
            i += 1
            continue
        j = i + 1
        while j < len(spans) and spans[j][0] == spans[j - 1][1]:
            s, t = spans[j][2], spans[j][3]
            if t in NOUN or (t == "XSN" and s not in INFLECTING):
                j += 1
            elif (t == "SY" and s == "&" and spans[j - 1][3] == "SL" and j + 1 < len(spans)
                  and spans[j + 1][3] == "SL" and spans[j + 1][0] == spans[j][1]):
                j += 2
            else:
                break
        nouns.append(sentence[spans[i][0]:spans[j - 1][1]])
        i = j
    return nouns


def main():
    data = list(gold())
    sentences = [s for s, _ in data]
    wants = [w for _, w in data]
    m = mecab.MeCab()
    rows = {
        "bodo (lindera + ko-dic)": bodo_nouns(sentences),
        "mecab-ko nouns()": [m.nouns(s) for s in sentences],
        "mecab-ko NNG/NNP/SL/SH": [[w for w, t in m.pos(s) if t in NOUN] for s in sentences],
        "mecab-ko + bodo's rule": [mecab_with_rule(m, s) for s in sentences],
    }
    print(f"{len(data)} sentences, {sum(map(len, wants))} gold nouns")
    print(f"{'system':<28} {'P':>6} {'R':>6} {'F1':>6}")
    for name, got in rows.items():
        p, r, f = score(zip(got, wants))
        print(f"{name:<28} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
