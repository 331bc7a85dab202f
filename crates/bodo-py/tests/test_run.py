"""`bodo.run` against `bodo run`: same files, tables as DataFrames equal to their CSVs, errors
that name the file and line, Ctrl-C."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import signal
import threading
import time
from pathlib import Path

import polars as pl
import pytest

import bodo
from conftest import PAGE, WIRE, cli

VARYING = {"manifest.json", "report.html"}  # wall times; the report shows the manifest's run


def files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in VARYING
    }


def test_counts_are_the_cli_manifest_counts(cli_page, py_page):
    manifest = json.loads((cli_page / "manifest.json").read_text())
    assert py_page.counts == manifest["counts"]
    assert py_page.manifest["counts"] == manifest["counts"]
    assert py_page.counts["read"] == (
        py_page.counts["analysed"] + py_page.counts["duplicate"] + py_page.counts["rejected"]
    )


def test_writes_the_files_of_the_cli_byte_for_byte(cli_page, py_page):
    ours, theirs = files(py_page.out), files(cli_page)
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], name


def cells(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize("table", bodo.TABLES)
def test_every_dataframe_equals_its_csv(py_page, table):
    frame = getattr(py_page, table)
    assert isinstance(frame, pl.DataFrame)
    with open(py_page.out / f"{table}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert frame.columns == rows[0]
    assert frame.height == len(rows) - 1
    for got, want in zip(frame.iter_rows(), rows[1:]):
        for value, text in zip(got, want):
            if isinstance(value, float):
                assert math.isclose(value, float(text), rel_tol=0, abs_tol=0), (table, got, want)
            else:
                assert cells(value) == text, (table, got, want)


def test_mentions_are_lazy_and_equal_their_csv(py_page):
    lazy = py_page.mentions
    assert isinstance(lazy, pl.LazyFrame)
    frame = lazy.collect()
    with open(py_page.out / "mentions.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert frame.height == len(rows) - 1
    assert [[cells(v) for v in r] for r in frame.iter_rows()] == rows[1:]


def test_threads_do_not_change_the_tables(tmp_path, py_page):
    one = bodo.run([str(PAGE)], out=tmp_path / "one", threads=1)
    assert files(one.out) == files(py_page.out)


def test_options_are_the_cli_flags(tmp_path):
    out = tmp_path / "nodedup"
    r = bodo.run(str(PAGE), out=out, no_dedup=True, no_charts=True, entity_rules=True)
    cli_out = tmp_path / "cli"
    cli("run", str(PAGE), "-o", str(cli_out), "--no-dedup", "--no-charts", "--entity-rules", "-q")
    assert r.counts == json.loads((cli_out / "manifest.json").read_text())["counts"]
    assert r.counts["duplicate"] == 0
    assert files(out) == files(cli_out)
    options = r.manifest["options"]
    assert options["entity_tagger"] is False and options["dedup"]["enabled"] is False


def test_unknown_option_is_an_option_error(tmp_path):
    with pytest.raises(bodo.OptionError, match="no_such_flag"):
        bodo.run(str(PAGE), out=tmp_path / "x", no_such_flag=True)


def test_bad_value_is_an_option_error_like_the_cli(tmp_path):
    with pytest.raises(bodo.OptionError, match="--dedup-threshold"):
        bodo.run(str(PAGE), out=tmp_path / "x", dedup_threshold=2.0)
    with pytest.raises(bodo.OptionError, match="bin"):
        bodo.run(str(PAGE), out=tmp_path / "x", bin="fortnight")


def test_missing_input_names_the_file(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(bodo.InputError) as info:
        bodo.run(str(missing), out=tmp_path / "x")
    assert str(missing) in str(info.value)
    assert info.value.path == str(missing)


def test_bad_user_dictionary_names_file_and_line(tmp_path):
    bad = tmp_path / "names.csv"
    bad.write_text('surface,type,canonical,source\n카카오,ORG,카카오,x\n"open quote,ORG\n')
    with pytest.raises(bodo.InputError) as info:
        bodo.run(str(WIRE), out=tmp_path / "x", user_dict=str(bad))
    assert info.value.path == str(bad)
    assert info.value.line is not None
    assert str(info.value).startswith(f"{bad}:{info.value.line}:")


def test_empty_values_are_empty_fields(tmp_path):
    """Every missing value is an empty field, never `""`: a rejected record's id, an untitled
    story's title, a rejection without an id — so the tables read back into polars as nulls."""
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        '{"id": "a1", "title": "", "body": "제목 없는 기사의 본문이다. 카카오 서비스가 멈췄다."}\n'
        '{"id": "", "title": "빈 아이디", "body": ""}\n'
        "{not json\n",
        encoding="utf-8",
    )
    r = bodo.run([str(WIRE), str(dump)], out=tmp_path / "r", no_charts=True)
    assert r.counts["rejected"] == r.rejected.height == 2
    assert r.articles.filter(pl.col("status") == "rejected").height == 2
    quoted_empty = re.compile(r'(^|,)""(,|$)')
    for table in bodo.TABLES:
        for n, line in enumerate((r.out / f"{table}.csv").read_text().splitlines(), 1):
            assert not quoted_empty.search(line), f"{table}.csv:{n}: {line}"
    assert r.articles.filter(pl.col("article_id") == "a1")["title"].to_list() == [None]


def test_ctrl_c_stops_the_run_and_leaves_out_as_it_was(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(cli("synth", str(PAGE), "-n", "40000"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "README.md").write_text("kept")
    # The whole run takes minutes; Ctrl-C comes once it is under way, in Rust. Python's own
    # handler, as in a terminal: a process started in the background by a non-interactive
    # shell (a CI script's `cmd &`) inherits SIGINT ignored, and Python then installs none.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            bodo.run(str(corpus), out=out, batch_size=256, no_charts=True)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    # Stopped at the next batch, not at the end of the run.
    assert 1.5 <= time.monotonic() - start < 30
    assert sorted(p.name for p in out.iterdir()) == ["README.md"]
    # The process goes on: the next run is not interrupted.
    r = bodo.run(str(PAGE), out=tmp_path / "after", no_charts=True)
    assert r.counts["read"] > 0
