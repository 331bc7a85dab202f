#!/usr/bin/env python3
"""Derive the KLUE-convention gold sets `gold-klue.tsv` from bodo's own gold sets.

    python3 tests/data/entities/klue.py            # write gold-klue.tsv and heldout/gold-klue.tsv
    python3 tests/data/entities/klue.py --check    # compare with the files, exit 1 on a difference
    python3 tests/data/entities/klue.py --review   # print every proposed addition / change in
                                                   # context (±20 chars) and unlabelled look-alikes
    options: --bodo PATH (bodo binary), --only dev|heldout

`gold.tsv` (bodo's conventions, GUIDELINES.md) stays the source. This script
  1. converts it mechanically (section "KLUE conventions (gold-klue.tsv)" of GUIDELINES.md):
     `최모` → `최`; a DATE with a part of day or clock time → DATE day part + TIME part;
     `국회 과방위` → one ORG; a country + its ministry → one ORG; address LOC + site LOC → one LOC;
  2. proposes additions from patterns (surname + 씨 / title, `A씨`, `경찰`/`검찰`/`정부`/`소방당국`,
     `이날`/`전날`, parts of day and clock times, durations, `주말`, `조선시대`), kept only where no
     span overlaps them;
  3. applies the hand-written overrides file (`klue-overrides.txt` beside the gold set):

         # comment
         drop    AID FIELD START SURFACE | reason             a proposed or converted span goes
         add     AID FIELD START SURFACE | TYPE | ENTITY | reason      new span, must not overlap
         replace AID FIELD START SURFACE | TYPE | ENTITY | reason      new span; overlapping spans
                                                                      are removed first

Types: PER, ORG, LOC, DATE, and TIME (KLUE's TI: clock times and parts of day; not scored).
Checks: spans inside the field, no overlaps, surface == slice, no span starting or ending with
whitespace, every override matches exactly one thing.
"""
import argparse
import collections
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_gold import find_bodo  # noqa: E402  (the same binary lookup)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
HEADER = 'article_id\tfield\tstart\tend\tsurface\ttype\tentity'
TYPES = ('PER', 'ORG', 'LOC', 'DATE', 'TIME')
NONAME = '(이름 없음)'

SETS = {
    'dev': dict(
        inputs=[os.path.join(ROOT, 'data', 'seoul-shinmun-kakao-outage-search.txt'),
                os.path.join(HERE, 'articles.jsonl')],
        gold=os.path.join(HERE, 'gold.tsv'),
        overrides=os.path.join(HERE, 'klue-overrides.txt'),
        out=os.path.join(HERE, 'gold-klue.tsv')),
    'heldout': dict(
        inputs=[os.path.join(HERE, 'heldout', 'articles.jsonl')],
        gold=os.path.join(HERE, 'heldout', 'gold.tsv'),
        overrides=os.path.join(HERE, 'heldout', 'klue-overrides.txt'),
        out=os.path.join(HERE, 'heldout', 'gold-klue.tsv')),
}


def fail(msg):
    sys.exit('klue.py: ' + msg)


# ---------------------------------------------------------------- input

def load_articles(bodo, inputs):
    arts, order = {}, []
    for path in inputs:
        out = subprocess.run([bodo, 'normalise', path], capture_output=True, check=True)
        for line in out.stdout.decode('utf-8').splitlines():
            if line.strip():
                d = json.loads(line)
                arts[d['article_id']] = d
                order.append(d['article_id'])
    return arts, order


def read_gold(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    if lines[0] != HEADER:
        fail(f'{path}: unexpected header')
    for line in lines[1:]:
        if not line or line.startswith('#'):
            continue
        aid, field, s, e, surf, typ, ent = line.split('\t')
        rows.append(dict(aid=aid, field=field, start=int(s), end=int(e), surface=surf,
                         type=typ, entity=ent, kind='gold'))
    return rows


def row(aid, field, start, surface, typ, entity, kind):
    return dict(aid=aid, field=field, start=start, end=start + len(surface), surface=surface,
                type=typ, entity=entity, kind=kind)


# ---------------------------------------------------------------- 1. mechanical conversions

PART_DAY = '새벽|오전|오후|아침|저녁|밤|낮|정오|자정'
TIME_TAIL = re.compile(r'(?:^| )((?:(?:%s) ?)?\d{1,2}시(?: ?\d{1,2}분)?|(?:%s))$' % (PART_DAY, PART_DAY))
COUNTRIES = ('미국', '중국', '일본', '북한', '러시아', '영국', '프랑스', '독일')


def convert(rows, arts, log):
    out = []
    for r in rows:
        if r['type'] == 'PER' and re.fullmatch(r'[가-힣]모', r['surface']):
            # KLUE: 최모(28)씨 → 최 (the 모 is outside the span); entity kept
            out.append(dict(r, end=r['start'] + 1, surface=r['surface'][0], kind='PER 모-surname'))
            log['PER: 최모 → 최 (모 outside the span)'] += 1
            continue
        if r['type'] == 'DATE':
            m = TIME_TAIL.search(r['surface'])
            if m:
                tpart = m.group(1)
                tstart = r['start'] + m.start(1)
                dpart = r['surface'][:m.start(1)].rstrip()
                if dpart:
                    ent = r['entity']
                    dated = bool(arts[r['aid']].get('date'))
                    ent = re.sub(r'T\d\d:\d\d$', '', ent) if dated else dpart
                    out.append(dict(r, end=r['start'] + len(dpart), surface=dpart, entity=ent,
                                    kind='DATE split'))
                    out.append(row(r['aid'], r['field'], tstart, tpart, 'TIME', tpart,
                                   'DATE split'))
                    log['DATE: day + time split into DATE + TIME'] += 1
                else:
                    out.append(dict(r, type='TIME', entity=r['surface'], kind='DATE→TIME'))
                    log['DATE: clock time / part of day alone → TIME'] += 1
                continue
        out.append(r)
    # merges of adjacent spans separated by one space
    out.sort(key=lambda r: (r['aid'], r['field'], r['start']))
    merged = []
    for r in out:
        p = merged[-1] if merged else None
        text = arts[r['aid']][r['field']]
        if p and p['aid'] == r['aid'] and p['field'] == r['field'] and \
                r['start'] == p['end'] + 1 and text[p['end']] == ' ':
            both = text[p['start']:r['end']]
            kind = None
            if p['type'] == 'ORG' and p['surface'] == '국회' and r['type'] == 'ORG':
                kind, typ, ent = 'ORG 국회+committee', 'ORG', r['entity']
                log['ORG: 국회 + committee → one ORG'] += 1
            elif p['type'] == 'LOC' and p['surface'] in COUNTRIES and r['type'] == 'ORG':
                kind, typ, ent = 'ORG country+body', 'ORG', r['entity']
                log['ORG: country + ministry → one ORG'] += 1
            elif p['type'] == 'LOC' and r['type'] == 'LOC':
                kind, typ, ent = 'LOC address+site', 'LOC', r['entity']
                log['LOC: address + site/village/facility → one LOC'] += 1
            if kind:
                merged[-1] = dict(p, end=r['end'], surface=both, type=typ, entity=ent, kind=kind)
                continue
        merged.append(r)
    return merged


# ---------------------------------------------------------------- 2. proposals

SURNAMES = set('김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류'
               '나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹탁국어은편용예'
               '봉경사부가복태목형피두감음빈동온호범좌팽승간상')
TITLES = ('대통령|전 대통령|당선인|대표|의원|장관|회장|의장|총리|위원장|원내대표|후보자|후보|씨|감독|'
          '사장|시장|지사|교수|원장|총장|부장|검사|판사|변호사|청장|차관|실장|대변인|이사장|선수|국장|'
          '팀장|비서관|수석|부회장|센터장|본부장|부총리|총재|간사|전 의원|전 장관|전 대표|전 회장|'
          '기자|작가|대사|이사|전무|상무|부대표|공동대표|위원|교육감|구청장|군수|내정자|양|군')
END = r'(?=(?:은|는|이|가|을|를|의|에|에서|에게|께서|도|과|와|로|으로|만|까지|측|이다|이라|' \
      r'이며|처럼|보다|부터|조차|마저|뿐)?(?:[\s,.·…”’"\')\]]|$))'
DUR_UNIT = r'(?:\d+년(?: \d+개월)?|\d+(?:개월|주|주일|일))'

PATTERNS = [
    # (regex with one group = span, type, kind)
    (r'(?<![가-힣A-Za-z0-9·])([가-힣])(?: ?모)?(?:\([^)]{1,12}\))? ?씨(?![가-힣])|'
     r'(?<![가-힣A-Za-z0-9·])([가-힣])(?: ?모)?(?:\([^)]{1,12}\))? ?씨(?=(?:는|가|를|의|와|에게|도|와|에|로|측|이다|였다)(?![가-힣]))',
     'PER', 'PER surname+씨'),
    (r'(?<![가-힣A-Za-z0-9·])([가-힣]) (?:%s)(?![가-힣])|(?<![가-힣A-Za-z0-9·])([가-힣]) (?:%s)%s'
     % (TITLES, TITLES, END), 'PER', 'PER surname+title'),
    (r'(?<![A-Za-z0-9])([A-Z])(?:\([^)]{1,12}\))? ?씨', 'PER', 'PER letter+씨'),
    (r'(?<![가-힣])(경찰|검찰|정부|소방당국)' + END, 'ORG', 'ORG generic body'),
    (r'(?<![가-힣])(이날|전날)(?![가-힣]*?[가-힣]{3})', 'DATE', 'DATE 이날/전날'),
    (r'(?<![가-힣\d])((?:(?:%s) ?)?\d{1,2}시(?!간)(?: ?\d{1,2}분)?)' % PART_DAY, 'TIME', 'TIME clock'),
    (r'(?<![가-힣])(%s)%s' % (PART_DAY, END), 'TIME', 'TIME part of day'),
    (r'(?<![\d.,])((?:(?:연장 )?(?:전반|후반) )?\d+분(?!의)|\d+시간(?: ?\d+분)?)', 'TIME',
     'TIME duration'),
    (r'(?<![\d.,가-힣])((?:지난 )?%s(?:간|째|(?= ?(?:만|동안|전|후|뒤|새|이상|가량|여|넘게|남짓|'
     r'이내|늦|미뤄|연장|늦춘|미룬|앞당))))' % DUR_UNIT, 'DATE', 'DATE duration'),
    (r'(?<![가-힣])((?:하루|이틀|사흘|나흘|닷새|엿새|이레|열흘|일주일|보름)(?:간|째)?)(?![가-힣]{2})',
     'DATE', 'DATE duration'),
    (r'(?<![가-힣])((?:한|두|세|석|네|다섯|여섯) (?:달|해)(?:간|째)?)(?!외|러|성|력|결|명)', 'DATE',
     'DATE duration'),
    (r'(?<![가-힣])(주말)(?=동안|' + END[3:], 'DATE', 'DATE 주말'),
    (r'(?<![가-힣])(조선 ?시대|조선 중기)', 'DATE', 'DATE historical period'),
]


def overlaps(a, b):
    return a['aid'] == b['aid'] and a['field'] == b['field'] and a['start'] < b['end'] and \
        b['start'] < a['end']


def propose(rows, arts, order):
    index = collections.defaultdict(list)
    for r in rows:
        index[(r['aid'], r['field'])].append(r)
    props = []
    for aid in order:
        D = arts[aid].get('date')
        D = dt.date.fromisoformat(D) if D else None
        for field in ('title', 'body'):
            text = arts[aid][field]
            taken = list(index[(aid, field)])
            for pat, typ, kind in PATTERNS:
                for m in re.finditer(pat, text):
                    g = next(i for i in range(1, (m.lastindex or 1) + 1) if m.group(i) is not None)
                    s, e = m.span(g)
                    surf = text[s:e]
                    if kind.startswith('PER surname') and surf not in SURNAMES:
                        continue
                    if kind.startswith('PER surname') and s >= 1 and text[s - 1] == ' ' and \
                            any(t['type'] == 'PER' and t['end'] == s - 1 for t in taken):
                        continue        # `문재인 전 대통령`: 전 is `former`, not a surname
                    if typ == 'PER':
                        ent = NONAME
                    elif kind == 'DATE 이날/전날' and D:
                        ent = (D - dt.timedelta(days=1 if surf == '전날' else 0)).isoformat()
                    else:
                        ent = surf
                    r = row(aid, field, s, surf, typ, ent, 'proposed ' + kind)
                    if any(overlaps(r, t) for t in taken):
                        continue
                    taken.append(r)
                    props.append(r)
    return props


# ---------------------------------------------------------------- 3. overrides

def apply_overrides(rows, path, arts, log):
    if not os.path.exists(path):
        return rows
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        cols = [c.strip() for c in line.split(' | ')]
        head = cols[0].split(None, 4)
        if len(head) != 5 or head[0] not in ('drop', 'add', 'replace'):
            fail(f'{path}:{no}: bad line {line!r}')
        op, aid, field, start, surf = head
        start = int(start)
        if aid not in arts or field not in ('title', 'body'):
            fail(f'{path}:{no}: unknown article/field')
        text = arts[aid][field]
        if text[start:start + len(surf)] != surf:
            fail(f'{path}:{no}: {surf!r} is not at {start} (found '
                 f'{text[start:start + len(surf)]!r})')
        if op == 'drop':
            if len(cols) != 2 or not cols[1]:
                fail(f'{path}:{no}: drop needs a reason')
            hit = [r for r in rows if r['aid'] == aid and r['field'] == field and
                   r['start'] == start and r['surface'] == surf]
            if len(hit) != 1:
                fail(f'{path}:{no}: no span {surf!r} at {start} to drop')
            k = hit[0]['kind']
            log['override drop: ' + ('proposal rejected' if k.startswith('proposed') else
                                     'bodo span removed')] += 1
            rows = [r for r in rows if r is not hit[0]]
            continue
        if len(cols) != 4 or cols[1] not in TYPES or not cols[2] or not cols[3]:
            fail(f'{path}:{no}: expected "{op} AID FIELD START SURFACE | TYPE | ENTITY | reason"')
        new = row(aid, field, start, surf, cols[1], cols[2], 'override ' + op)
        clash = [r for r in rows if overlaps(r, new)]
        if op == 'add' and clash:
            fail(f'{path}:{no}: {surf!r} overlaps {clash[0]["surface"]!r}; use replace')
        if op == 'replace' and not clash:
            fail(f'{path}:{no}: replace {surf!r} overlaps nothing; use add')
        rows = [r for r in rows if r not in clash]
        rows.append(new)
        log[f'override {op} ({cols[1]})'] += 1
    return rows


# ---------------------------------------------------------------- output and checks

def validate(rows, arts):
    by = collections.defaultdict(list)
    for r in rows:
        text = arts[r['aid']][r['field']]
        if not (0 <= r['start'] < r['end'] <= len(text)):
            fail(f'span outside the field: {r}')
        if text[r['start']:r['end']] != r['surface']:
            fail(f'surface != slice: {r}')
        if r['surface'] != r['surface'].strip():
            fail(f'span starts or ends with whitespace: {r}')
        if r['type'] not in TYPES or not r['entity']:
            fail(f'bad type or entity: {r}')
        by[(r['aid'], r['field'])].append(r)
    for key, rs in by.items():
        rs.sort(key=lambda r: r['start'])
        for a, b in zip(rs, rs[1:]):
            if b['start'] < a['end']:
                fail(f'overlap in {key}: {a["surface"]!r}@{a["start"]} {b["surface"]!r}@{b["start"]}')


def render(rows, order):
    rank = {aid: i for i, aid in enumerate(order)}
    rows = sorted(rows, key=lambda r: (rank[r['aid']], r['field'] != 'title', r['start']))
    out = [HEADER, '# generated by klue.py from gold.tsv + klue-overrides.txt (KLUE-NER '
                   'conventions: GUIDELINES.md, last section); TIME rows are not scored']
    for r in rows:
        out.append('\t'.join([r['aid'], r['field'], str(r['start']), str(r['end']),
                              r['surface'], r['type'], r['entity']]))
    return '\n'.join(out) + '\n'


def ctx(arts, r, w=20):
    t = arts[r['aid']][r['field']]
    return (t[max(0, r['start'] - w):r['start']] + '[' + r['surface'] + ']' +
            t[r['end']:r['end'] + w]).replace('\n', ' ')


def build(name, args, bodo):
    cfg = SETS[name]
    arts, order = load_articles(bodo, cfg['inputs'])
    gold = read_gold(cfg['gold'])
    log = collections.Counter()
    rows = convert(gold, arts, log)
    props = propose(rows, arts, order)
    for p in props:
        log['proposed: ' + p['kind'][9:]] += 1
    rows = apply_overrides(rows + props, cfg['overrides'], arts, log)
    validate(rows, arts)
    if args.review:
        print(f'===== {name}: conversions')
        for r in rows:
            if r['kind'] not in ('gold',) and not r['kind'].startswith('proposed'):
                print(f"  {r['kind']:<22} {r['aid']} {r['field']} {r['start']} {r['surface']} "
                      f"| {r['type']} | {r['entity']} :: {ctx(arts, r)}")
        print(f'===== {name}: proposals (kept)')
        for r in rows:
            if r['kind'].startswith('proposed'):
                print(f"  {r['kind'][9:]:<22} {r['aid']} {r['field']} {r['start']} {r['surface']} "
                      f"| {r['type']} | {r['entity']} :: {ctx(arts, r)}")
    return render(rows, order), rows, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bodo')
    ap.add_argument('--check', action='store_true')
    ap.add_argument('--review', action='store_true')
    ap.add_argument('--only', choices=sorted(SETS))
    ap.add_argument('--quiet', action='store_true')
    args = ap.parse_args()
    bodo = find_bodo(args.bodo)
    bad = False
    for name in SETS:
        if args.only and name != args.only:
            continue
        text, rows, log = build(name, args, bodo)
        out = SETS[name]['out']
        if args.check:
            old = open(out, encoding='utf-8').read() if os.path.exists(out) else ''
            if old != text:
                print(f'klue.py: {out} differs from what klue.py generates', file=sys.stderr)
                bad = True
        elif not args.review:
            with open(out, 'w', encoding='utf-8') as f:
                f.write(text)
        if not args.quiet:
            counts = collections.Counter(r['type'] for r in rows)
            print(f'{name}: ' + ', '.join(f'{t} {counts[t]}' for t in TYPES) +
                  f' (total {len(rows)})', file=sys.stderr)
            for k, v in sorted(log.items()):
                print(f'  {v:4} {k}', file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
