#!/usr/bin/env python3
"""What kind of noun errors an analysis makes on the KLUE-DP news sentences (half A).

    python3 ../shared/eval/nouns_score.py make-input /tmp/dp.txt     # the sentences, one a line
    target/release/bodo tokenize /tmp/dp.txt > /tmp/dp.bodo
    python3 benches/noun_errors.py /tmp/dp.bodo [--mecab] [--examples N]
    python3 benches/noun_errors.py --mecab [--examples N]            # python-mecab-ko alone

The errors are those of nouns_score.py's noun F1: per sentence, the multiset of NNG/NNP surfaces
of the analysis (an inflected ko-dic entry such as NNP+JKS counts with its first tag) against the
gold's. A false positive (FP) is an analysed noun left over, a false negative (FN) a gold noun
left over; a noun is paired first with one of the same surface at the same characters, then with
any left of the same surface, so the counts are exactly nouns_score.py's. --mecab adds the same
figures for python-mecab-ko (same mecab-ko-dic 2.1.1) on the same sentences, side by side.

Each error is classified on its region: the smallest stretch of the sentence around it whose
two ends are morpheme boundaries on both sides (gold and analysis). Gold morphemes are located
in their eojeol by their text; a gold morpheme written as a lemma (흘리 in 흘렸다) gets the stretch
between its located neighbours. The first kind that applies:
- unknown: the analysis has an unknown-word morpheme in the region. ko-dic's unknown words
  (unk.def) get one of five tags and nothing else: UNKNOWN for Hangul, SL for other letters, SH
  for Han characters, SN for digits, SY for symbols, every other field `*`
  (`뾁뛣<TAB>UNKNOWN,*,*,*,*,*,*,*`). So a morpheme is unknown when its tag is one of these
  five and its reading is `*`. Dictionary entries always have a reading except the symbols SF, SC, SE,
  SSO and SSC, so the rule agrees with MeCab's own unknown-node flag on every morpheme of both
  eval sets and the shipped page. An unknown Hangul run can take in what follows it in the
  eojeol: MeCab reads `뾁뛣했다` as one UNKNOWN morpheme.
- tag: the other side has a morpheme on exactly the same characters, with a tag other than
  NNG/NNP (NNB, NR, XR, MAG, ...): same surface, not a noun on one side.
- compound: the region holds only nouns (NNG, NNP, NNB, NR, NP), one on one side and two or
  more adjacent ones on the other (판교데이터센터/NNP against 판교/NNG 데이터/NNG 센터/NNG).
- boundary: any other difference in segmentation: nouns split at different places on both
  sides (정안/NNP 나들목/NNG against 정안나/NNP 들목/NNG), a prefix or suffix (이/MMD 날/NNG
  against 이날/NNG, 악성/NNG against 악/NNG 성/XSN), a noun inside a verb or cut across a
  particle, an inflected entry (NNG+JKS), a gold morpheme not written as in the text (a lemma:
  어렵/VA 음/ETN against 어려움/NNG; a respelling: 예맨/NNP for 예멘).
"""
import argparse
import json
import pathlib
import re
import signal
import sys
from collections import Counter, defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "eval" / "klue-dp-news-dev" / "klue-dp-news-dev.jsonl"
NOUN = {"NNG", "NNP"}
NOMINAL = {"NNG", "NNP", "NNB", "NR", "NP"}
UNKNOWN_POS = {"UNKNOWN", "SL", "SH", "SN", "SY"}
KINDS = ["unknown", "tag", "compound", "boundary"]


class Morpheme:
    __slots__ = ("surface", "tag", "start", "end", "unknown")

    def __init__(self, surface, tag, start, end, unknown=False):
        self.surface, self.tag, self.start, self.end = surface, tag, start, end
        self.unknown = unknown

    def __str__(self):
        return f"{self.surface}/{self.tag}"


def first_tag(pos):
    return pos.split("+")[0]


def is_unknown(pos, reading):
    """An unknown-word entry of ko-dic (see the module's docstring)."""
    return pos in UNKNOWN_POS and reading in (None, "*")


def locate_eojeol(form, morphs, offset):
    """Gold morphemes of one eojeol with character spans in the sentence.

    Surfaces are matched from the front and from the back; in between, a noun is found by its
    text (nouns are written as they appear) and its followers chained on. A morpheme left
    unmatched (a lemma) spans the gap between its matched neighbours."""
    n = len(morphs)
    spans = [None] * n
    cursor, i = 0, 0
    while i < n and morphs[i][0] and form.startswith(morphs[i][0], cursor):
        spans[i] = (cursor, cursor + len(morphs[i][0]))
        cursor += len(morphs[i][0])
        i += 1
    end, j = len(form), n - 1
    while j >= i and morphs[j][0] and form.endswith(morphs[j][0], cursor, end):
        spans[j] = (end - len(morphs[j][0]), end)
        end -= len(morphs[j][0])
        j -= 1
    k, chained = i, False
    while k <= j:
        surface, tag = morphs[k]
        at = -1
        if surface and chained and form.startswith(surface, cursor, end):
            at = cursor
        elif surface and tag in NOMINAL:
            at = form.find(surface, cursor, end)
        chained = at >= 0
        if chained:
            spans[k] = (at, at + len(surface))
            cursor = at + len(surface)
        k += 1
    result = []
    for k, (surface, tag) in enumerate(morphs):
        if spans[k] is None:
            before = max((s[1] for s in spans[:k] if s), default=0)
            after = min((s[0] for s in spans[k + 1:] if s), default=len(form))
            spans[k] = (before, max(before, after))
        result.append(Morpheme(surface, tag, offset + spans[k][0], offset + spans[k][1]))
    return result


def gold_sentences():
    """(text, gold morphemes with spans) per sentence. The eojeols are the text's
    whitespace-separated words (two gold forms differ from the text: a quote, `3.2` for `3.20`)."""
    sentences = []
    for line in open(GOLD, encoding="utf-8"):
        row = json.loads(line)
        text = row["text"].replace("\n", " ")
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", text)]
        if len(words) != len(row["eojeols"]):
            sys.exit(f"{GOLD}: {row['id']}: {len(row['eojeols'])} eojeols, {len(words)} words")
        morphemes = []
        for (at, word), eojeol in zip(words, row["eojeols"]):
            morphs = [(m[0], m[1]) for m in (eojeol["morphs"] or [])]
            morphemes += locate_eojeol(word, morphs, at)
        sentences.append((text, morphemes))
    return sentences


def place(text, analysed):
    """Spans of analysed (surface, feature) pairs, found by scanning the sentence."""
    result, cursor, lost = [], 0, 0
    for surface, feature in analysed:
        at = text.find(surface, cursor)
        if at < 0:
            lost += 1
            at = cursor
        else:
            cursor = at + len(surface)
        fields = feature.split(",")
        reading = fields[3] if len(fields) > 3 else None
        result.append(Morpheme(surface, first_tag(fields[0]), at, at + len(surface),
                               is_unknown(fields[0], reading)))
    return result, lost


def read_analysis(path, texts):
    sentences, current = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line == "EOS":
            sentences.append(current)
            current = []
        elif "\t" in line:
            surface, feature = line.split("\t", 1)
            current.append((surface, feature))
    if len(sentences) != len(texts):
        sys.exit(f"{path}: expected {len(texts)} EOS-terminated sentences, got {len(sentences)}")
    placed = [place(text, s) for text, s in zip(texts, sentences)]
    lost = sum(n for _, n in placed)
    if lost:
        print(f"{path}: {lost} morphemes not found in their sentence", file=sys.stderr)
    return [p for p, _ in placed]


def mecab_analysis(texts):
    import mecab

    tagger = mecab.MeCab()
    result = []
    for text in texts:
        result.append([Morpheme(m.surface, first_tag(m.feature.pos), m.span.start, m.span.end,
                                is_unknown(m.feature.pos, m.feature.reading))
                       for m in tagger.parse(text)])
    return result


def region(start, end, sides):
    """Widen [start, end) until no morpheme of either side crosses its ends."""
    changed = True
    while changed:
        changed = False
        for side in sides:
            for m in side:
                if m.start < end and m.end > start and (m.start < start or m.end > end):
                    start, end = min(start, m.start), max(end, m.end)
                    changed = True
    return start, end


def classify(error, other, analysed, gold):
    """The kind of one error, its region (start, end), and both sides' morphemes there."""
    start, end = region(error.start, error.end, (gold, analysed))
    inside = lambda side: [m for m in side if m.start < end and m.end > start
                           or m.start == m.end and start <= m.start < end]
    got, want = inside(analysed), inside(gold)
    one_to_many = min(len(got), len(want)) == 1 < max(len(got), len(want))
    if any(m.unknown for m in got):
        kind = "unknown"
    elif any((m.start, m.end, m.surface) == (error.start, error.end, error.surface)
             and m.tag not in NOUN for m in other):
        kind = "tag"
    elif one_to_many and all(m.tag in NOMINAL for m in got + want):
        kind = "compound"
    else:
        kind = "boundary"
    return kind, (start, end), got, want


def errors(gold, analysed):
    """(FP, FN) morphemes of one sentence, paired as nouns_score.py's multisets."""
    got = [m for m in analysed if m.tag in NOUN]
    unpaired_want = [m for m in gold if m.tag in NOUN]
    unpaired_got = []
    for same_place in (True, False):
        for g in got if same_place else unpaired_got[:]:
            match = next((w for w in unpaired_want if w.surface == g.surface
                          and (not same_place or (w.start, w.end) == (g.start, g.end))), None)
            if match:
                unpaired_want.remove(match)
                if not same_place:
                    unpaired_got.remove(g)
            elif same_place:
                unpaired_got.append(g)
    return unpaired_got, unpaired_want


def analyse(gold_sents, analysis):
    """Counts and examples per (FP|FN, kind), and the noun P/R/F1."""
    counts, examples = Counter(), defaultdict(list)
    pred = expected = 0
    for number, ((text, gold), analysed) in enumerate(zip(gold_sents, analysis), 1):
        pred += sum(m.tag in NOUN for m in analysed)
        expected += sum(m.tag in NOUN for m in gold)
        fp, fn = errors(gold, analysed)
        for side, other, found in (("FP", gold, fp), ("FN", analysed, fn)):
            for m in found:
                kind, (s, e), got, want = classify(m, other, analysed, gold)
                counts[side, kind] += 1
                examples[side, kind].append((m, number, text[s:e], got, want))
    fp, fn = sum(counts["FP", k] for k in KINDS), sum(counts["FN", k] for k in KINDS)
    tp = pred - fp
    assert tp == expected - fn
    p, r = tp / max(1, pred), tp / max(1, expected)
    return counts, examples, (p, r, 2 * tp / max(1, pred + expected))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("analysis", nargs="?", type=pathlib.Path,
                        help="`bodo tokenize` output for nouns_score.py's make-input sentences")
    parser.add_argument("--mecab", action="store_true", help="also python-mecab-ko's analysis")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="N examples of each kind of FP and FN")
    args = parser.parse_args()
    if not args.analysis and not args.mecab:
        parser.error("give an analysis file, --mecab, or both")

    gold = gold_sentences()
    texts = [text for text, _ in gold]
    systems = {}
    if args.analysis:
        systems["bodo"] = analyse(gold, read_analysis(args.analysis, texts))
    if args.mecab:
        systems["mecab"] = analyse(gold, mecab_analysis(texts))

    for name, (counts, examples, _) in systems.items():
        for side in ("FP", "FN"):
            for kind in KINDS:
                for m, number, stretch, got, want in examples[side, kind][:args.examples]:
                    print(f"{name} {side} {kind:<8} {m.surface}  «{stretch}» (sentence {number})"
                          f"  gold: {' '.join(map(str, want))}  got: {' '.join(map(str, got))}")
    if args.examples:
        print()

    print(f"{len(gold)} sentences, {sum(m.tag in NOUN for _, g in gold for m in g)} gold nouns")
    print(f"{'kind':<10}" + "".join(f" {name + ' FP':>9} {name + ' FN':>9}" for name in systems))
    for kind in KINDS + ["total"]:
        row = f"{kind:<10}"
        for counts, _, _ in systems.values():
            fp = sum(counts["FP", k] for k in KINDS) if kind == "total" else counts["FP", kind]
            fn = sum(counts["FN", k] for k in KINDS) if kind == "total" else counts["FN", kind]
            row += f" {fp:>9} {fn:>9}"
        print(row)
    for name, (_, _, (p, r, f)) in systems.items():
        print(f"{name}: noun P={p:.3f} R={r:.3f} F1={f:.3f}")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    sys.exit(main())
