#!/usr/bin/env python3
"""Turn the hand list `labels.txt` into `gold.tsv` (character offsets) and check it.

Held-out set: `articles.jsonl` in this folder was written after the recogniser, by a labeller
who never saw its output; the labels follow ../GUIDELINES.md.

    python3 make_gold.py                 # validate labels.txt and (re)write gold.tsv
    python3 make_gold.py --check         # validate and compare with the existing gold.tsv
    python3 make_gold.py --review        # also print every mention in context and possible misses
    python3 make_gold.py --bodo PATH     # also check that `PATH normalise articles.jsonl`
                                         # leaves every title and body unchanged

labels.txt format (lines starting with `#` are comments, blank lines are ignored):

    = SURFACE -> ENTITY          canonical name for a PER/ORG/LOC surface (whole file)
    @ ARTICLE_ID YYYY-MM-DD      starts an article (the date must equal the article's date)
    title: / body:               starts a field
    TYPE SURFACE                 a mention; entity = canonical name of SURFACE, else SURFACE
    TYPE SURFACE -> ENTITY       a mention with its own entity (for DATE: the resolution,
                                 which is also recomputed from the rules and must match)
    TYPE +N SURFACE ...          skip N unlabelled occurrences of SURFACE before this one

Mentions are listed in reading order: each is the first occurrence of its surface at or after
the end of the previous mention of the same field (after the optional skips).

Validation stops (exit 1) on the first error: unknown type, surface not found, span with
leading/trailing space or punctuation, overlap, an entity that differs from the canonical map,
a DATE resolution that differs from the rules, a date line that differs from the article.
"""

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ARTICLES = os.path.join(HERE, "articles.jsonl")
LABELS = os.path.join(HERE, "labels.txt")
GOLD = os.path.join(HERE, "gold.tsv")
TYPES = ("PER", "ORG", "LOC", "DATE")
HEADER = "article_id\tfield\tstart\tend\tsurface\ttype\tentity"


class LabelError(Exception):
    pass


# ---------------------------------------------------------------- DATE resolution (GUIDELINES.md)

WEEK_RE = re.compile(r"^(지난주|지난 주|이번주|이번 주|다음주|다음 주)( 주말| 후반| 초| 중반)?$"
                     r"|^(지난|이번|다음) 주말$")
DAY_WORDS = {"오늘": 0, "어제": -1, "그제": -2, "그저께": -2, "내일": 1, "모레": 2}
YEAR_WORDS = {"지난해": -1, "작년": -1, "올해": 0, "올": 0, "내년": 1}
MONTH_WORDS = {"지난달": -1, "이달": 0, "다음 달": 1, "다음달": 1}
PART_OF_PERIOD = {"초", "말", "중순", "상순", "하순", "상반기", "하반기"}
PART_OF_DAY = {"새벽", "오전", "아침", "낮", "오후", "저녁", "밤"}
AFTERNOON = {"오후", "저녁", "밤"}


def add_months(y, m, k):
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def valid_day(y, m, d):
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def resolve_date(surface, d):
    """ISO resolution of a DATE surface against the article date d (a datetime.date)."""
    if WEEK_RE.match(surface):
        return surface
    toks = surface.split(" ")
    # Re-join two-word relative words.
    joined = []
    i = 0
    while i < len(toks):
        if i + 1 < len(toks) and toks[i] == "다음" and toks[i + 1] == "달":
            joined.append("다음 달")
            i += 2
        else:
            joined.append(toks[i])
            i += 1
    toks = joined

    year = month = day = None
    level = None            # "Y", "M", "D"
    mod = None              # "지난" / "오는" before a month or day
    day_offset = None
    hour = minute = None
    part_of_day = None

    def err(msg):
        raise LabelError(f"DATE {surface!r}: {msg}")

    for t in toks:
        m_year = re.fullmatch(r"(\d{4})년", t)
        m_month = re.fullmatch(r"(\d{1,2})월", t)
        m_day = re.fullmatch(r"(\d{1,2})일", t)
        m_hour = re.fullmatch(r"(\d{1,2})시", t)
        m_min = re.fullmatch(r"(\d{1,2})분", t)
        m_quarter = re.fullmatch(r"[1-4]분기", t)
        if m_year:
            if level is not None:
                err("year after another part")
            year, level = int(m_year.group(1)), "Y"
        elif t in YEAR_WORDS:
            if level is not None:
                err("year word after another part")
            year, level = d.year + YEAR_WORDS[t], "Y"
        elif t in MONTH_WORDS:
            if level is not None:
                err("month word after another part")
            year, month = add_months(d.year, d.month, MONTH_WORDS[t])
            level = "M"
        elif t in DAY_WORDS:
            if level is not None:
                err("day word after another part")
            day_offset = DAY_WORDS[t]
            level = "D"
        elif t in ("지난", "오는"):
            if level is not None or mod is not None:
                err("modifier in the wrong place")
            mod = t
        elif m_month:
            mm = int(m_month.group(1))
            if not 1 <= mm <= 12:
                err("bad month")
            if level == "Y":
                month = mm
            elif level is None:
                if mod == "지난":
                    year = d.year if mm <= d.month else d.year - 1
                elif mod == "오는":
                    year = d.year if mm > d.month else d.year + 1
                else:
                    year = d.year
                month = mm
                mod = None
            else:
                err("month after a month or day")
            level = "M"
        elif m_day:
            dd = int(m_day.group(1))
            if level == "M":
                day = dd
            elif level is None:
                if mod == "지난":
                    y, mo = d.year, d.month
                    while not (valid_day(y, mo, dd) and dt.date(y, mo, dd) <= d):
                        y, mo = add_months(y, mo, -1)
                elif mod == "오는":
                    y, mo = d.year, d.month
                    while not (valid_day(y, mo, dd) and dt.date(y, mo, dd) > d):
                        y, mo = add_months(y, mo, 1)
                else:
                    y, mo = d.year, d.month
                year, month, day = y, mo, dd
                mod = None
            else:
                err("day after a day or a bare year")
            if not valid_day(year, month, day):
                err("no such day")
            level = "D"
        elif t in PART_OF_PERIOD or m_quarter:
            if level not in ("Y", "M") or hour is not None:
                err("part of a period without a month or year")
        elif t in PART_OF_DAY:
            if part_of_day is not None or hour is not None or level in ("Y", "M"):
                err("part of day in the wrong place")
            part_of_day = t
        elif m_hour:
            if hour is not None or level in ("Y", "M"):
                err("clock time in the wrong place")
            hour = int(m_hour.group(1))
        elif m_min:
            if hour is None or minute is not None:
                err("minutes without an hour")
            minute = int(m_min.group(1))
        else:
            err(f"unknown part {t!r}")

    if mod is not None:
        err("modifier without a month or day")
    if level is None:
        if hour is None:
            err("a part of day alone is not a DATE")
        level, year, month, day = "D", d.year, d.month, d.day      # clock time alone -> D
    if day_offset is not None:
        r = d + dt.timedelta(days=day_offset)
        year, month, day = r.year, r.month, r.day
    if level == "Y":
        out = f"{year:04d}"
    elif level == "M":
        out = f"{year:04d}-{month:02d}"
    else:
        out = f"{year:04d}-{month:02d}-{day:02d}"
    if hour is not None:
        if level != "D":
            err("clock time on a month or year")
        if part_of_day in AFTERNOON and hour < 12:
            hour += 12
        if not (0 <= hour <= 23 and 0 <= (minute or 0) <= 59):
            err("bad clock time")
        out += f"T{hour:02d}:{(minute or 0):02d}"
    return out


# ---------------------------------------------------------------- reading

def load_articles(bodo=None):
    arts = {}
    with open(ARTICLES, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            a = json.loads(line)
            for k in ("id", "date", "outlet", "title", "body"):
                if k not in a:
                    raise LabelError(f"articles.jsonl:{n}: missing {k}")
            for k in ("title", "body"):
                if unicodedata.normalize("NFC", a[k]) != a[k]:
                    raise LabelError(f"{a['id']}: {k} is not NFC")
            arts[a["id"]] = a
    if bodo:
        out = subprocess.run([bodo, "normalise", ARTICLES], capture_output=True, text=True,
                             check=True).stdout
        seen = 0
        for line in out.splitlines():
            o = json.loads(line)
            a = arts[o["article_id"]]
            for k in ("title", "body"):
                if o[k] != a[k]:
                    raise LabelError(f"{a['id']}: bodo normalise changes the {k}")
            seen += 1
        if seen != len(arts):
            raise LabelError("bodo normalise printed a different number of articles")
    return arts


PUNCT_EDGE = re.compile(r"^[\s\W_]|[\s\W_]$")


def parse_labels(arts):
    canon = {}
    mentions = []       # (aid, field, start, end, surface, type, entity)
    aid = field = None
    pos = {}
    done = set()
    with open(LABELS, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        where = f"labels.txt:{n}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("= "):
            if " -> " not in line:
                raise LabelError(f"{where}: canonical line without ->")
            s, e = line[2:].split(" -> ", 1)
            if s.strip() in canon:
                raise LabelError(f"{where}: {s!r} has two canonical names")
            canon[s.strip()] = e.strip()
            continue
        if line.startswith("@ "):
            parts = line[2:].split()
            if len(parts) != 2:
                raise LabelError(f"{where}: bad article line")
            aid, date = parts
            if aid not in arts:
                raise LabelError(f"{where}: unknown article {aid}")
            if aid in done:
                raise LabelError(f"{where}: {aid} labelled twice")
            if arts[aid]["date"] != date:
                raise LabelError(f"{where}: date {date} != article date {arts[aid]['date']}")
            done.add(aid)
            field = None
            continue
        if line in ("title:", "body:"):
            if aid is None:
                raise LabelError(f"{where}: field before any article")
            field = line[:-1]
            pos[(aid, field)] = pos.get((aid, field), 0)
            continue
        if field is None:
            raise LabelError(f"{where}: mention outside a field")
        m = re.fullmatch(r"(\S+)\s+(?:\+(\d+)\s+)?(.+?)(?:\s+->\s+(.+))?", line)
        if not m:
            raise LabelError(f"{where}: cannot parse {line!r}")
        typ, skip, surface, entity = m.group(1), int(m.group(2) or 0), m.group(3), m.group(4)
        if typ not in TYPES:
            raise LabelError(f"{where}: unknown type {typ}")
        if PUNCT_EDGE.search(surface):
            raise LabelError(f"{where}: span {surface!r} starts or ends with space/punctuation")
        text = arts[aid][field]
        start = text.find(surface, pos[(aid, field)])
        for _ in range(skip):
            if start < 0:
                break
            start = text.find(surface, start + 1)
        if start < 0:
            raise LabelError(f"{where}: {surface!r} not found in {aid} {field} "
                             f"after offset {pos[(aid, field)]}")
        end = start + len(surface)
        if text[start:end] != surface:
            raise LabelError(f"{where}: slice mismatch")
        d = dt.date.fromisoformat(arts[aid]["date"])
        if typ == "DATE":
            if entity is None:
                raise LabelError(f"{where}: DATE without its resolution")
            rule = resolve_date(surface, d)
            if rule != entity:
                raise LabelError(f"{where}: DATE {surface!r}: labelled {entity}, rules give {rule}")
        else:
            if entity is None:
                entity = canon.get(surface, surface)
            elif surface in canon and canon[surface] != entity:
                # an explicit entity may override the map only on purpose (e.g. 외교부 of China)
                pass
        mentions.append((aid, field, start, end, surface, typ, entity))
        pos[(aid, field)] = end
    missing = set(arts) - done
    if missing:
        raise LabelError(f"articles without labels: {sorted(missing)}")
    # overlaps (mentions within a field are ordered, but check anyway)
    by_field = {}
    for mm in mentions:
        by_field.setdefault((mm[0], mm[1]), []).append(mm)
    for k, ms in by_field.items():
        ms.sort(key=lambda x: x[2])
        for a, b in zip(ms, ms[1:]):
            if b[2] < a[3]:
                raise LabelError(f"{k}: {a[4]!r} and {b[4]!r} overlap")
    return canon, mentions


# ---------------------------------------------------------------- review aids

DATE_HINT = re.compile(r"\d{4}년|\d{1,2}월|\d{1,2}일|\d{1,2}시|오전|오후|새벽|어제|오늘|내일|그제|"
                       r"지난해|올해|내년|작년|지난달|이달|다음 달|지난주|다음 주|이번 주|주말")
NOT_DATE_CONTEXT = re.compile(r"이날|전날|당일|같은 날|\d+일간|\d+시간")


def review(arts, canon, mentions):
    spans = {}
    for m in mentions:
        spans.setdefault((m[0], m[1]), []).append((m[2], m[3]))

    def covered(aid, field, s, e):
        return any(s < b and a < e for a, b in spans.get((aid, field), []))

    for m in mentions:
        aid, field, s, e, surface, typ, ent = m
        t = arts[aid][field]
        ctx = t[max(0, s - 8):s] + "[" + t[s:e] + "]" + t[e:e + 8]
        print(f"{aid}\t{field}\t{typ}\t{ent}\t{ctx}")
    print("\n# possible misses (unlabelled occurrences of labelled surfaces / canonical forms)")
    surfaces = {m[4] for m in mentions if m[5] != "DATE"} | set(canon)
    for aid, a in arts.items():
        for field in ("title", "body"):
            t = a[field]
            for sf in sorted(surfaces, key=len, reverse=True):
                for mm in re.finditer(re.escape(sf), t):
                    if not covered(aid, field, mm.start(), mm.end()):
                        ctx = t[max(0, mm.start() - 8):mm.start()] + "[" + sf + "]" + \
                            t[mm.end():mm.end() + 8]
                        print(f"{aid}\t{field}\t{sf}\t{ctx}")
            for mm in DATE_HINT.finditer(t):
                if not covered(aid, field, mm.start(), mm.end()):
                    ctx = t[max(0, mm.start() - 8):mm.start()] + "[" + mm.group() + "]" + \
                        t[mm.end():mm.end() + 8]
                    print(f"{aid}\t{field}\tDATE?\t{ctx}")


def to_tsv(mentions):
    out = [HEADER]
    for aid, field, s, e, surface, typ, ent in mentions:
        out.append(f"{aid}\t{field}\t{s}\t{e}\t{surface}\t{typ}\t{ent}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="compare with gold.tsv, do not write")
    ap.add_argument("--review", action="store_true", help="print mentions in context and misses")
    ap.add_argument("--bodo", help="path of a bodo binary to check normalisation with")
    args = ap.parse_args()
    try:
        arts = load_articles(args.bodo)
        canon, mentions = parse_labels(arts)
    except LabelError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    tsv = to_tsv(mentions)
    if args.review:
        review(arts, canon, mentions)
    if args.check:
        with open(GOLD, encoding="utf-8") as f:
            if f.read() != tsv:
                print("error: gold.tsv is out of date; run make_gold.py", file=sys.stderr)
                return 1
    else:
        with open(GOLD, "w", encoding="utf-8") as f:
            f.write(tsv)
    counts = {t: sum(1 for m in mentions if m[5] == t) for t in TYPES}
    print(f"{len(mentions)} mentions in {len(arts)} articles: "
          + ", ".join(f"{t} {counts[t]}" for t in TYPES), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
