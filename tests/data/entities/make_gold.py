#!/usr/bin/env python3
"""Build gold.tsv from the hand-made mention list labels.txt.

labels.txt is the reviewable source of the gold set (see GUIDELINES.md for what is labelled);
this script only finds character offsets and checks the list. Usage, from the repository root:

    python3 tests/data/entities/make_gold.py                 # runs `bodo normalise` itself
    python3 tests/data/entities/make_gold.py --bodo PATH     # a given bodo binary
    python3 tests/data/entities/make_gold.py --normalised A.jsonl B.jsonl   # saved output
    python3 tests/data/entities/make_gold.py --check         # compare with gold.tsv, write nothing
    python3 tests/data/entities/make_gold.py --review FILE   # also write a review listing

labels.txt format
-----------------
    @ ARTICLE_ID FIELD          starts the mentions of one field (title or body) of one article
    PATTERN | TYPE [| ENTITY]   one mention, in reading order
    # ...                       comment
    = TYPE SURFACE -> ENTITY    alias: the canonical name of SURFACE when ENTITY is not given

PATTERN is either the surface itself, or the surface in [brackets] inside some context
(`[카카오] 서비스 장애`, `[과방위]원장`) when the next occurrence of the bare surface is not the
mention (it sits inside a product name, say). Mentions are found in order: each PATTERN is
searched from the end of the previous mention, so the list reads like the article.

ENTITY defaults to the alias of the surface, else the surface. For DATE it is the ISO resolution
in a dated article (it must be written by hand; this script recomputes it from the rules of
GUIDELINES.md and fails on a mismatch) and the surface in an undated one.

Checks (any failure exits non-zero): every field named exists; every pattern is found; the slice
equals the surface; types are PER/ORG/LOC/DATE; spans lie inside the field and do not overlap;
no span starts or ends with whitespace or punctuation; DATE entities agree with the rules.
"""
import argparse
import calendar
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
INPUTS = [
    os.path.join(ROOT, 'data', 'seoul-shinmun-kakao-outage-search.txt'),
    os.path.join(HERE, 'articles.jsonl'),
]
TYPES = ('PER', 'ORG', 'LOC', 'DATE')
EDGE_BAD = set(' \t\n\'"‘’“”()[]{}<>.,·…:;!?-–—/')


def fail(msg):
    sys.exit('make_gold: ' + msg)


# ---------------------------------------------------------------- normalised text

def find_bodo(explicit):
    if explicit:
        return explicit
    for cand in (os.path.join(ROOT, 'target', 'release', 'bodo'),
                 os.path.join(ROOT, 'target', 'debug', 'bodo'),
                 shutil.which('bodo') or '', '/work/tools/bodo'):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    fail('no bodo binary found: build it or pass --bodo PATH or --normalised FILES')


def load_articles(args):
    texts = []
    if args.normalised:
        for path in args.normalised:
            with open(path, encoding='utf-8') as f:
                texts.append(f.read())
    else:
        bodo = find_bodo(args.bodo)
        for path in INPUTS:
            out = subprocess.run([bodo, 'normalise', path], capture_output=True, check=True)
            texts.append(out.stdout.decode('utf-8'))
    arts = {}
    order = []
    for text in texts:
        for line in text.splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            aid = d['article_id']
            if aid in arts:
                fail(f'article {aid} appears twice in the normalised input')
            arts[aid] = d
            order.append(aid)
    return arts, order


# ---------------------------------------------------------------- DATE rules

PART_DAY = '(?:새벽|오전|오후|아침|저녁|밤)'
PART_PERIOD = '(?:상반기|하반기|[1-4]분기|초|중순|말)'
CLOCK = r'(?:(' + PART_DAY[3:-1] + r') )?(\d{1,2})시(?: (\d{1,2})분)?'


def add_months(y, m, k):
    m0 = y * 12 + (m - 1) + k
    return m0 // 12, m0 % 12 + 1


def day_ok(y, m, d):
    return 1 <= d <= calendar.monthrange(y, m)[1]


def clock(part, h, mi):
    h = int(h)
    mi = int(mi or 0)
    if part in ('오후', '저녁', '밤') and h < 12:
        h += 12
    return f'T{h:02d}:{mi:02d}'


def resolve(surface, D):
    """The ISO resolution of a DATE surface against article date D, by GUIDELINES.md."""
    s = surface
    if re.fullmatch(r'지난주|다음 ?주|이번 ?주|지난 주말|이번 주말', s):
        return s                                    # week expressions stay unresolved
    m = re.fullmatch(CLOCK, s)                      # a clock time alone refers to D
    if m:
        return D.isoformat() + clock(*m.groups())
    y, mo, day = None, None, None
    rest = s
    pats = [
        (r'(\d{4})년(?: (\d{1,2})월(?: (\d{1,2})일)?)?', 'abs'),
        (r'(지난해|작년|올해|올|내년)(?: (\d{1,2})월(?: (\d{1,2})일)?)?', 'relyear'),
        (r'(지난달|이달|다음 달)(?: (\d{1,2})일)?', 'relmonth'),
        (r'(지난|오는) (\d{1,2})월', 'pmonth'),
        (r'(\d{1,2})월(?: (\d{1,2})일)?', 'month'),
        (r'(?:(지난|오는) )?(\d{1,2})일', 'day'),
        (r'(오늘|어제|그제|그저께|내일|모레)', 'deictic'),
    ]
    for pat, kind in pats:
        m = re.match(pat + r'(?= |$)', rest)
        if not m:
            continue
        g = m.groups()
        rest = rest[m.end():].lstrip()
        if kind == 'abs':
            y = int(g[0])
            mo = int(g[1]) if g[1] else None
            day = int(g[2]) if g[2] else None
        elif kind == 'relyear':
            y = D.year + {'지난해': -1, '작년': -1, '올해': 0, '올': 0, '내년': 1}[g[0]]
            mo = int(g[1]) if g[1] else None
            day = int(g[2]) if g[2] else None
        elif kind == 'relmonth':
            y, mo = add_months(D.year, D.month, {'지난달': -1, '이달': 0, '다음 달': 1}[g[0]])
            day = int(g[1]) if g[1] else None
        elif kind == 'pmonth':
            M = int(g[1])
            if g[0] == '지난':
                y = D.year if M <= D.month else D.year - 1
            else:
                y = D.year if M > D.month else D.year + 1
            mo = M
        elif kind == 'month':
            y, mo = D.year, int(g[0])
            day = int(g[1]) if g[1] else None
        elif kind == 'day':
            N = int(g[1])
            if g[0] is None:
                y, mo, day = D.year, D.month, N
            elif g[0] == '지난':
                y, mo = D.year, D.month
                while not (day_ok(y, mo, N) and dt.date(y, mo, N) <= D):
                    y, mo = add_months(y, mo, -1)
                day = N
            else:
                y, mo = D.year, D.month
                while not (day_ok(y, mo, N) and dt.date(y, mo, N) > D):
                    y, mo = add_months(y, mo, 1)
                day = N
        elif kind == 'deictic':
            k = {'오늘': 0, '어제': -1, '그제': -2, '그저께': -2, '내일': 1, '모레': 2}[g[0]]
            x = D + dt.timedelta(days=k)
            y, mo, day = x.year, x.month, x.day
        break
    else:
        return None
    # a part of the year or month keeps the resolution at year / month
    m = re.fullmatch(PART_PERIOD, rest)
    if m and day is None:
        rest = ''
    t = ''
    if rest:
        m = re.fullmatch(PART_DAY, rest)
        if m and day is not None:
            rest = ''
        else:
            m = re.fullmatch(CLOCK, rest)
            if m and day is not None:
                t = clock(*m.groups())
                rest = ''
    if rest:
        return None
    if day is not None:
        if not day_ok(y, mo, day):
            return None
        return f'{y:04d}-{mo:02d}-{day:02d}' + t
    if mo is not None:
        return f'{y:04d}-{mo:02d}'
    return f'{y:04d}'


# ---------------------------------------------------------------- labels

def parse_labels(path):
    aliases = {}
    blocks = []      # (article_id, field, [(lineno, pattern, type, entity|None)])
    cur = None
    with open(path, encoding='utf-8') as f:
        for no, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            if line.startswith('@'):
                parts = line[1:].split()
                if len(parts) != 2 or parts[1] not in ('title', 'body'):
                    fail(f'{path}:{no}: bad header {line!r}')
                cur = (parts[0], parts[1], [])
                blocks.append(cur)
                continue
            if line.startswith('='):
                m = re.fullmatch(r'=\s*(PER|ORG|LOC)\s+(.+?)\s+->\s+(.+?)\s*', line)
                if not m:
                    fail(f'{path}:{no}: bad alias {line!r}')
                aliases[(m.group(1), m.group(2))] = m.group(3)
                continue
            if cur is None:
                fail(f'{path}:{no}: mention before any @ header')
            cols = [c.strip() for c in line.split(' | ')]
            if len(cols) not in (2, 3) or not cols[0]:
                fail(f'{path}:{no}: expected "PATTERN | TYPE [| ENTITY]": {line!r}')
            if cols[1] not in TYPES:
                fail(f'{path}:{no}: bad type {cols[1]!r}')
            cur[2].append((no, cols[0], cols[1], cols[2] if len(cols) == 3 else None))
    return aliases, blocks


def split_pattern(pat):
    if '[' in pat:
        m = re.fullmatch(r'(.*?)\[(.+?)\](.*)', pat)
        if not m or '[' in m.group(1) + m.group(3):
            fail(f'bad pattern {pat!r}')
        return m.group(1), m.group(2), m.group(3)
    return '', pat, ''


def build(arts, order, aliases, blocks, path):
    rows = []
    seen = set()
    warnings = []
    for aid, field, items in blocks:
        if (aid, field) in seen:
            fail(f'{aid} {field} has two blocks')
        seen.add((aid, field))
        if aid not in arts:
            fail(f'unknown article {aid}')
        text = arts[aid][field]
        date = arts[aid].get('date')
        D = dt.date.fromisoformat(date) if date else None
        cursor = 0
        for no, pat, typ, ent in items:
            left, surf, right = split_pattern(pat)
            ctx = left + surf + right
            pos = text.find(ctx, max(0, cursor - len(left)))
            while pos != -1 and pos + len(left) < cursor:
                pos = text.find(ctx, pos + 1)
            if pos == -1:
                fail(f'{path}:{no}: {pat!r} not found in {aid} {field} after offset {cursor}')
            start = pos + len(left)
            end = start + len(surf)
            if text[start:end] != surf:
                fail(f'{path}:{no}: slice mismatch')
            if surf[0] in EDGE_BAD or surf[-1] in EDGE_BAD:
                fail(f'{path}:{no}: span {surf!r} starts or ends with whitespace/punctuation')
            if typ == 'DATE':
                want = resolve(surf, D) if D else surf
                if ent is None:
                    if D:
                        fail(f'{path}:{no}: DATE {surf!r} in dated {aid} needs its resolution')
                    ent = surf
                if D is None and ent != surf:
                    fail(f'{path}:{no}: undated {aid}: DATE entity must be the surface')
                if want is None:
                    fail(f'{path}:{no}: DATE {surf!r}: form not covered by the rules')
                if ent != want:
                    fail(f'{path}:{no}: DATE {surf!r}: written {ent}, rules give {want}')
            elif ent is None:
                ent = aliases.get((typ, surf), surf)
            # soft checks: spans that begin or end inside a word are listed for review
            if start > 0 and re.match(r'[\w가-힣]', text[start - 1]):
                warnings.append(f'{aid} {field} {start}: {surf!r} starts inside a word '
                                f'(…{text[max(0, start - 6):end]})')
            rows.append((aid, field, start, end, surf, typ, ent, no))
            cursor = end
    # overlaps
    by = {}
    for r in rows:
        by.setdefault((r[0], r[1]), []).append(r)
    for key, rs in by.items():
        rs.sort(key=lambda r: (r[2], r[3]))
        for a, b in zip(rs, rs[1:]):
            if b[2] < a[3]:
                fail(f'overlap in {key}: {a[4]!r}@{a[2]} and {b[4]!r}@{b[2]}')
    rank = {aid: i for i, aid in enumerate(order)}
    rows.sort(key=lambda r: (rank[r[0]], 0 if r[1] == 'title' else 1, r[2]))
    missing = [aid for aid in order if (aid, 'body') not in seen or (aid, 'title') not in seen]
    if missing:
        fail('articles without a title and a body block: ' + ', '.join(missing))
    return rows, warnings


def render(rows):
    out = ['article_id\tfield\tstart\tend\tsurface\ttype\tentity',
           '# generated by make_gold.py from labels.txt (rules: GUIDELINES.md); offsets are '
           'character offsets into the fields printed by `bodo normalise`']
    for aid, field, s, e, surf, typ, ent, _ in rows:
        out.append(f'{aid}\t{field}\t{s}\t{e}\t{surf}\t{typ}\t{ent}')
    return '\n'.join(out) + '\n'


def review(rows, arts, order):
    """Each mention in context, then every unlabelled occurrence of a labelled surface."""
    out = []
    labelled = {(r[0], r[1], r[2]) for r in rows}
    surfaces = sorted({r[4] for r in rows}, key=len, reverse=True)
    for aid in order:
        for field in ('title', 'body'):
            text = arts[aid][field]
            out.append(f'=== {aid} {field}')
            for r in rows:
                if r[0] == aid and r[1] == field:
                    ctx = text[max(0, r[2] - 8):r[2]] + '[' + r[4] + ']' + text[r[3]:r[3] + 8]
                    out.append(f'  {r[5]:4} {r[6]:<22} {ctx}')
            spans = [(r[2], r[3]) for r in rows if r[0] == aid and r[1] == field]
            for s in surfaces:
                for m in re.finditer(re.escape(s), text):
                    if any(a <= m.start() < b for a, b in spans):
                        continue
                    ctx = text[max(0, m.start() - 8):m.start()] + '{' + s + '}' + \
                        text[m.end():m.end() + 8]
                    out.append(f'  -- unlabelled {s!r}: {ctx}')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bodo')
    ap.add_argument('--normalised', nargs='+')
    ap.add_argument('--labels', default=os.path.join(HERE, 'labels.txt'))
    ap.add_argument('--out', default=os.path.join(HERE, 'gold.tsv'))
    ap.add_argument('--check', action='store_true', help='compare with --out, write nothing')
    ap.add_argument('--review')
    ap.add_argument('--quiet', action='store_true')
    args = ap.parse_args()

    arts, order = load_articles(args)
    aliases, blocks = parse_labels(args.labels)
    rows, warnings = build(arts, order, aliases, blocks, args.labels)
    text = render(rows)
    if args.check:
        with open(args.out, encoding='utf-8') as f:
            if f.read() != text:
                fail(f'{args.out} is out of date with {args.labels}')
    else:
        with open(args.out, 'w', encoding='utf-8') as f:
            f.write(text)
    if args.review:
        with open(args.review, 'w', encoding='utf-8') as f:
            f.write(review(rows, arts, order))
    if not args.quiet:
        for w in warnings:
            print('note:', w, file=sys.stderr)
        counts = {}
        for r in rows:
            grp = 'fixtures' if arts[r[0]].get('date') else 'page'
            counts[(grp, r[5])] = counts.get((grp, r[5]), 0) + 1
        for grp in ('page', 'fixtures'):
            line = ', '.join(f'{t} {counts.get((grp, t), 0)}' for t in TYPES)
            print(f'{grp}: {sum(counts.get((grp, t), 0) for t in TYPES)} mentions ({line})')
        print(f'total: {len(rows)} mentions in {len(order)} articles')


if __name__ == '__main__':
    main()
