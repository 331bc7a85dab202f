"""`bodo.arrow`'s batch stages on the shipped page reproduce `bodo run`'s stories, keywords and
mentions exactly; the same results whatever the batch cut or thread count; PyCapsule input."""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import bodo.arrow as ba
from conftest import PAGE


def rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def stages():
    """The page through every batch stage, as `bodo run` chains them."""
    articles, rejected = ba.read([str(PAGE)])
    texts = ba.normalise(articles)
    templates = ba.learn_templates(texts)
    pairs = ba.candidates(ba.signatures(texts))
    scored = ba.verify(ba.pair_texts(pairs, texts), templates=templates)
    stories = ba.clusters(scored, texts)
    reps = texts.filter(pc.equal(stories["representative"], stories["position"]))
    analysed = ba.analyse(reps, templates=templates)
    return dict(articles=articles, rejected=rejected, texts=texts, pairs=pairs, scored=scored,
                stories=stories, reps=reps, analysed=analysed, templates=templates)


def test_clusters_are_the_cli_stories(stages, cli_page):
    table = [r for r in rows(cli_page / "articles.csv") if r["status"] != "rejected"]
    arts, stories = stages["articles"], stages["stories"]
    assert arts.num_rows == len(table)
    ids = arts["article_id"].to_pylist()
    for p, row in enumerate(table):
        assert ids[p] == row["article_id"]
        assert stories["cluster_id"][p].as_py() == int(row["cluster_id"])
        rep = stories["representative"][p].as_py()
        assert (rep == p) == (row["status"] == "analysed")
        assert row["duplicate_of"] == ("" if rep == p else ids[rep])


def test_normalised_texts_are_the_cli_rows(stages, cli_page):
    table = [r for r in rows(cli_page / "articles.csv") if r["status"] != "rejected"]
    texts = stages["texts"]
    assert texts["title"].to_pylist() == [r["title"] for r in table]
    assert texts["chars"].to_pylist() == [int(r["chars"]) for r in table]
    assert texts["boilerplate_chars"].to_pylist() == [int(r["boilerplate_chars"]) for r in table]


def test_keywords_are_the_cli_keywords(stages, cli_page):
    """keywords.csv's tf, df, articles and kind from the analysed representatives, counted over
    the stories the CLI counts (on topic) — a plain count as the reference."""
    clusters = {int(r["cluster_id"]): r for r in rows(cli_page / "clusters.csv")}
    stories, analysed = stages["stories"], stages["analysed"]
    rep_cluster = {
        p: stories["cluster_id"][p].as_py()
        for p in range(stories.num_rows)
        if stories["representative"][p].as_py() == p
    }
    tf, df, printed, kinds = Counter(), Counter(), Counter(), defaultdict(Counter)
    for position, keywords in zip(analysed["position"].to_pylist(), analysed["keywords"].to_pylist()):
        cluster = clusters[rep_cluster[position]]
        for k in keywords:  # a keyword's kind is tallied over every story
            kinds[k["keyword"]][k["kind"]] += k["count"]
        if cluster["off_topic"] == "true":
            continue
        seen = set()
        for k in keywords:
            tf[k["keyword"]] += k["count"]
            seen.add(k["keyword"])
        for word in seen:
            df[word] += 1
            printed[word] += int(cluster["size"])
    want = rows(cli_page / "keywords.csv")
    assert sorted(tf) == sorted(r["keyword"] for r in want)
    for r in want:
        word = r["keyword"]
        assert (tf[word], df[word], printed[word]) == (int(r["tf"]), int(r["df"]), int(r["articles"])), word
        top = max(kinds[word].values())
        assert r["kind"] == min(k for k, n in kinds[word].items() if n == top), word


def test_mentions_are_the_cli_mentions(stages, cli_page):
    ids = stages["articles"]["article_id"].to_pylist()
    got = [
        [ids[p], m["field"], str(m["start"]), str(m["end"]), m["surface"], m["entity"], m["type"]]
        for p, ms in zip(stages["analysed"]["position"].to_pylist(), stages["analysed"]["mentions"].to_pylist())
        for m in ms
    ]
    with open(cli_page / "mentions.csv", newline="", encoding="utf-8") as f:
        want = list(csv.reader(f))[1:]
    assert got == want


def test_one_thread_and_small_batches_give_the_same(stages):
    texts, reps = stages["texts"], stages["reps"]
    for name, one in [
        ("normalise", ba.normalise(stages["articles"], threads=1)),
        ("analyse", pa.concat_batches(
            [ba.analyse(reps.slice(i, 3), templates=stages["templates"], threads=1) for i in range(0, reps.num_rows, 3)]
        )),
    ]:
        assert one.equals({"normalise": texts, "analyse": stages["analysed"]}[name]), name
    sig = ba.signatures(texts)
    cut = pa.concat_batches([ba.signatures(texts.slice(i, 4), threads=1) for i in range(0, texts.num_rows, 4)])
    assert cut.equals(sig)
    scored = ba.verify(ba.pair_texts(stages["pairs"], texts), templates=stages["templates"], threads=1)
    assert scored.equals(stages["scored"])


def test_union_find_ignores_edge_order(stages):
    edges = stages["scored"]
    shuffled = edges.take(pa.array(list(reversed(range(edges.num_rows)))))
    assert ba.clusters(shuffled, stages["texts"]).equals(stages["stories"])


def test_takes_tables_and_pycapsule_objects(stages):
    class Capsule:
        def __init__(self, batch):
            self.batch = batch

        def __arrow_c_array__(self, requested_schema=None):
            return self.batch.__arrow_c_array__(requested_schema)

    articles = stages["articles"]
    assert ba.normalise(Capsule(articles)).equals(stages["texts"])
    assert ba.normalise(pa.Table.from_batches([articles])).equals(stages["texts"])


def test_missing_column_is_named(stages):
    with pytest.raises(KeyError, match="body"):
        ba.normalise(stages["articles"].drop_columns(["body"]))


def test_the_gil_is_released_during_rust_work(stages):
    """Another Python thread runs while a batch is analysed."""
    import threading

    reps = pa.concat_batches([stages["reps"]] * 8)
    done = threading.Event()
    ticks = 0

    def work():
        ba.analyse(reps, threads=1)
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    while not done.is_set():
        ticks += 1
    thread.join()
    assert ticks > 1000


@pytest.mark.parametrize("compress", [False, True])
def test_read_bytes_is_read_of_the_file(compress, stages):
    import gzip

    data = PAGE.read_bytes()
    name = str(PAGE)
    if compress:
        data, name = gzip.compress(data), name + ".gz"
    articles, rejected = ba.read_bytes(data, name)
    assert articles.drop_columns(["source"]).equals(stages["articles"].drop_columns(["source"]))
    assert articles["source"].to_pylist() == [
        s.replace(str(PAGE), name, 1) for s in stages["articles"]["source"].to_pylist()
    ]
    assert rejected.num_rows == stages["rejected"].num_rows
