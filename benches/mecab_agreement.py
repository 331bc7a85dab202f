#!/usr/bin/env python3
"""Sentence-level agreement of `bodo tokenize` with MeCab-ko on the same mecab-ko-dic 2.1.1.

    pip install python-mecab-ko        # MeCab-ko with mecab-ko-dic 2.1.1 (the comparison only)
    cargo build --release && python3 benches/mecab_agreement.py [--diff N] [--jsonl PATH]

    --bodo PATH       the binary [default: target/release/bodo]
    --diff N          print N differing sentences per corpus (those cut differently first, then
                      tagged differently, then the rest), each with the first stretch of
                      morphemes where the two analyses part, both sides, and its line number
    --jsonl PATH      also a JSONL dump: its `title` and `body` fields, the body split on
                      newlines, non-empty lines only
    --max-lines N     at most N lines of the --jsonl dump [default: 5000]

Corpora, each fed line by line to one `bodo tokenize FILE` process and to one MeCab instance:
- klue-dp: KLUE-DP news half A sentences (../shared/eval/klue-dp-news-dev, field `text`)
- klue-ner: KLUE-NER news half A sentences (../shared/eval/klue-ner-news-dev, field `text`)
- page: the shipped page's non-empty lines (data/seoul-shinmun-kakao-outage-search.txt)
The eval sets are read in place, never copied (../shared/eval/README.md). Newlines and carriage
returns inside a sentence become spaces, so both analysers see the same lines.

A sentence agrees when both give the same sequence of (surface, feature), the feature as MeCab
prints it: `pos,semantic,jongseong,reading,type,start_pos,end_pos,expression` with `*` for an
empty field and T/F for the final consonant. Also reported: agreement on the sequence of
(surface, pos) and on the surfaces alone (the segmentation). The last line is machine-readable:
`agreement=0.xxxx sentences=N`, the full agreement over all corpora together.
"""
import argparse
import difflib
import json
import pathlib
import signal
import subprocess
import sys
import tempfile

import mecab

ROOT = pathlib.Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
CORPORA = {
    "klue-dp": EVAL / "klue-dp-news-dev" / "klue-dp-news-dev.jsonl",
    "klue-ner": EVAL / "klue-ner-news-dev" / "klue-ner-news-dev.jsonl",
    "page": ROOT / "data" / "seoul-shinmun-kakao-outage-search.txt",
}


def one_line(text):
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def eval_sentences(path):
    """(line number, sentence) of an eval set's JSONL (field `text`)."""
    with open(path, encoding="utf-8") as f:
        return [(n, one_line(json.loads(line)["text"])) for n, line in enumerate(f, 1)
                if line.strip()]


def page_lines(path):
    with open(path, encoding="utf-8") as f:
        return [(n, line.rstrip("\r\n")) for n, line in enumerate(f, 1) if line.strip()]


def jsonl_lines(path, cap):
    """(record's line number, line) of a dump's titles and body lines, at most `cap`."""
    lines, unread = [], 0
    with open(path, encoding="utf-8") as f:
        for n, record in enumerate(f, 1):
            if not record.strip():
                continue
            try:
                obj = json.loads(record)
                title, body = str(obj.get("title") or ""), str(obj.get("body") or "")
            except (ValueError, AttributeError):
                unread += 1
                continue
            for line in [one_line(title)] + [one_line(part) for part in body.split("\n")]:
                if line.strip():
                    lines.append((n, line))
                    if len(lines) >= cap:
                        return lines
    if unread:
        print(f"{path}: {unread} records skipped (not a JSON object)", file=sys.stderr)
    return lines


def bodo_analyses(binary, lines):
    """One `bodo tokenize FILE` run: a list of [(surface, feature)] per line."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as f:
        f.write("".join(line + "\n" for line in lines))
        f.flush()
        try:
            run = subprocess.run([binary, "tokenize", f.name], capture_output=True)
        except OSError as e:
            sys.exit(f"{binary}: {e.strerror} (cargo build --release, or give --bodo PATH)")
    if run.returncode != 0:
        sys.exit(f"{binary} tokenize: exit {run.returncode}: {run.stderr.decode(errors='replace')}")
    result, current = [], []
    for row in run.stdout.decode("utf-8").split("\n"):
        if row == "EOS":
            result.append(current)
            current = []
        elif row:
            surface, feature = row.split("\t", 1)
            current.append((surface, feature))
    if current or len(result) != len(lines):
        sys.exit(f"bodo tokenize gave {len(result)} EOS for {len(lines)} lines")
    return result


def feature_string(feature):
    """The feature as MeCab prints it (python-mecab-ko turns `*` into None and T/F into bools)."""
    def field(value):
        if value is None:
            return "*"
        if value is True or value is False:
            return "T" if value else "F"
        return value
    return ",".join(field(v) for v in feature)


def mecab_analyses(tagger, lines):
    return [[(m.surface, feature_string(m.feature)) for m in tagger.parse(line)] for line in lines]


def pos_of(feature):
    return feature.split(",", 1)[0]


def show(morphemes, full):
    """`surface/POS`, or `surface/feature` when the difference lies beyond the POS."""
    return " ".join(f"{s}/{f if full else pos_of(f)}" for s, f in morphemes) or "(nothing)"


def excerpt(line, morphemes, index, before=30, after=50):
    """The line around morpheme `index`, whose offset is found by scanning the surfaces."""
    pos = 0
    for surface, _ in morphemes[:index]:
        found = line.find(surface, pos)
        pos = found + len(surface) if found >= 0 else pos
    start, end = max(0, pos - before), min(len(line), pos + after)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def print_diff(label, line, got, want):
    """The first stretch where bodo and MeCab part, with one agreeing morpheme either side."""
    ops = difflib.SequenceMatcher(None, got, want, autojunk=False).get_opcodes()
    _, i1, i2, j1, j2 = next(op for op in ops if op[0] != "equal")
    a, b = got[max(0, i1 - 1):i2 + 1], want[max(0, j1 - 1):j2 + 1]
    full = [(s, pos_of(f)) for s, f in a] == [(s, pos_of(f)) for s, f in b]
    more = sum(op[0] != "equal" for op in ops) - 1
    print(f"[{label}] {excerpt(line, want, j1)}")
    print(f"    bodo : {show(a, full)}")
    print(f"    mecab: {show(b, full)}" + (f"   (+{more} more)" if more else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bodo", default=str(ROOT / "target" / "release" / "bodo"),
                        metavar="PATH", help="the binary [default: target/release/bodo]")
    parser.add_argument("--diff", type=int, default=0, metavar="N",
                        help="print N differing sentences per corpus, with the first difference")
    parser.add_argument("--jsonl", type=pathlib.Path, metavar="PATH",
                        help="also a JSONL dump (title, body split on newlines)")
    parser.add_argument("--max-lines", type=int, default=5000, metavar="N",
                        help="at most N lines of --jsonl [default: 5000]")
    args = parser.parse_args()

    corpora = {
        "klue-dp": eval_sentences(CORPORA["klue-dp"]),
        "klue-ner": eval_sentences(CORPORA["klue-ner"]),
        "page": page_lines(CORPORA["page"]),
    }
    if args.jsonl:
        corpora[args.jsonl.name] = jsonl_lines(args.jsonl, args.max_lines)

    tagger = mecab.MeCab()
    rows = []
    for name, numbered in corpora.items():
        lines = [line for _, line in numbered]
        got_all = bodo_analyses(args.bodo, lines)
        want_all = mecab_analyses(tagger, lines)
        counts = [len(lines), 0, 0, 0]
        differing = []
        for (number, line), got, want in zip(numbered, got_all, want_all):
            same = (got == want,
                    [(s, pos_of(f)) for s, f in got] == [(s, pos_of(f)) for s, f in want],
                    [s for s, _ in got] == [s for s, _ in want])
            counts = [c + x for c, x in zip(counts, (0,) + same)]
            if not same[0]:
                differing.append((sum(same), number, line, got, want))
        # segmentation differences first, then tags, then the other features
        for _, number, line, got, want in sorted(differing, key=lambda d: d[:2])[:args.diff]:
            print_diff(f"{name}:{number}", line, got, want)
        rows.append((name, counts))
    rows.append(("total", [sum(c[k] for _, c in rows) for k in range(4)]))

    if args.diff:
        print()
    width = max(len(name) for name, _ in rows) + 2
    print(f"{'corpus':<{width}} {'sentences':>9} {'full':>7} {'surf+pos':>8} {'surfaces':>8}")
    for name, (n, full, surface_pos, surfaces) in rows:
        d = max(1, n)
        print(f"{name:<{width}} {n:>9} {full / d:>7.4f} {surface_pos / d:>8.4f}"
              f" {surfaces / d:>8.4f}")
    n, full = rows[-1][1][:2]
    print(f"agreement={full / max(1, n):.4f} sentences={n}")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    sys.exit(main())
