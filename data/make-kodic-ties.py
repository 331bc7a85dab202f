#!/usr/bin/env python3
"""Write data/kodic-ties.tsv: the order MeCab-ko lists ko-dic entries that tie.

Some ko-dic entries share surface, context ids and cost and differ only in their other features
(`저` NP read as itself, and `저` NP an inflected form of `제`). No cost tells them apart, so MeCab
keeps the one its compiled dictionary (sys.dic) lists first. lindera's copy of ko-dic was rebuilt
from sources sorted by feature (../shared/lindera-cache/README.md), which loses that order; bodo
restores it from this table (src/morph/lattice.rs).

    pip download --no-deps -d W python-mecab-ko-dic==2.1.1.post2 && (cd W && unzip -q *.whl)
    python3 data/make-kodic-ties.py W/mecab_ko_dic/dictionary/sys.dic > data/kodic-ties.tsv

Output: one line per tie group whose sys.dic order differs from the sorted order:
surface, left id, right id, cost, then the features of each entry in sys.dic order (tab-separated).
Source: mecab-ko-dic 2.1.1 (Apache-2.0), as compiled in the PyPI wheel python-mecab-ko-dic.
"""
import struct
import sys
from collections import defaultdict

HEADER = struct.Struct("<10I32s")
TOKEN = struct.Struct("<HHHhII")  # lcAttr rcAttr posid wcost feature compound


def groups(path):
    data = open(path, "rb").read()
    (magic, _version, _typ, lexsize, _l, _r, dsize, tsize, fsize, _d, _cs) = HEADER.unpack_from(data, 0)
    assert magic ^ 0xEF718F77 == len(data), "not a MeCab dictionary"
    off = HEADER.size
    units = dsize // 8
    arr = struct.unpack_from("<" + "iI" * units, data, off)
    bases, checks = arr[0::2], arr[1::2]
    tokens = data[off + dsize:off + dsize + tsize]
    feats = data[off + dsize + tsize:off + dsize + tsize + fsize]

    def feature(o):
        return feats[o:feats.index(b"\0", o)].decode("utf-8")

    stack = [(bases[0], b"")]
    while stack:
        b, key = stack.pop()
        if 0 <= b < units and checks[b] == b and bases[b] < 0:
            value = -bases[b] - 1
            idx, n = value >> 8, value & 0xFF
            by_cost = defaultdict(list)
            for t in range(idx, idx + n):
                lc, rc, _posid, cost, fo, _c = TOKEN.unpack_from(tokens, t * TOKEN.size)
                by_cost[(lc, rc, cost)].append(feature(fo))
            for (lc, rc, cost), fs in by_cost.items():
                if len(fs) > 1 and fs != sorted(fs):
                    yield key.decode("utf-8"), lc, rc, cost, fs
        for c in range(256):
            p = b + c + 1
            if p >= units:
                break
            if checks[p] == b and p != b:
                stack.append((bases[p], key + bytes([c])))


def main():
    rows = sorted(groups(sys.argv[1]))
    print("# ko-dic entries that tie, in MeCab-ko's order (data/make-kodic-ties.py; mecab-ko-dic 2.1.1, Apache-2.0)")
    for surface, lc, rc, cost, fs in rows:
        print("\t".join([surface, str(lc), str(rc), str(cost)] + fs))


main()
