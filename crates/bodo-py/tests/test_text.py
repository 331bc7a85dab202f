"""`bodo.tokenize`, `nouns`, `entities` and `normalise` against `bodo tokenize` and
`bodo normalise` on real news text."""

from __future__ import annotations

import json

import pytest

import bodo
from conftest import PAGE, WIRE, cli


def lines() -> list[str]:
    """The body lines of the wire-copy fixture's articles, as `bodo normalise` gives them."""
    out = cli("normalise", str(WIRE))
    return [line for a in map(json.loads, out.splitlines()) for line in a["body"].split("\n") if line]


def blocks(text: str) -> list[list[str]]:
    """`bodo tokenize`'s output, one list of lines per input line."""
    out, block = [], []
    for line in text.splitlines():
        if line == "EOS":
            out.append(block)
            block = []
        else:
            block.append(line)
    return out


def test_tokenize_is_bodo_tokenize():
    text = "\n".join(lines())
    want = blocks(cli("tokenize", stdin=text))
    for line, expected in zip(text.split("\n"), want):
        got = [f"{m.surface}\t{','.join(m.features)}" for m in bodo.tokenize(line)]
        assert got == expected
        for m in bodo.tokenize(line):
            assert line[m.start : m.end] == m.surface
            assert m.tag == m.features[0]


def test_nouns_are_bodo_tokenize_nouns():
    text = "\n".join(lines())
    want = blocks(cli("tokenize", "--nouns", stdin=text))
    for line, expected in zip(text.split("\n"), want):
        nouns = bodo.nouns(line)
        assert [f"{n.keyword}\t{n.tags}" for n in nouns] == expected
        for n in nouns:
            assert line[n.start : n.end].startswith(n.keyword[:1])


@pytest.mark.parametrize("rules", [False, True])
def test_entities_are_bodo_tokenize_entities(rules):
    text = "\n".join(lines())
    args = ["tokenize", "--entities", "--date", "2022-10-16"] + (["--entity-rules"] if rules else [])
    want = blocks(cli(*args, stdin=text))
    for line, expected in zip(text.split("\n"), want):
        found = bodo.entities(line, date="2022-10-16", entity_rules=rules)
        assert [f"{m.surface}\t{m.type}\t{m.entity}" for m in found] == expected
        for m in found:
            assert line[m.start : m.end] == m.surface


def test_normalise_is_bodo_normalise():
    cases = [json.loads(l) for l in WIRE.read_text().splitlines()]
    want = [json.loads(l) for l in cli("normalise", str(WIRE)).splitlines()]
    for case, expected in zip(cases, want):
        assert bodo.normalise(case["body"], title=case["title"]) == (
            expected["title"],
            expected["body"],
        )
        assert bodo.normalise(case["body"]) == expected["body"]
    once = bodo.normalise(PAGE.read_text())
    assert bodo.normalise(once) == once
