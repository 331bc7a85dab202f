"""`bodo.spark` on `local[2]` gives `bodo run`'s stories and mentions on a generated corpus with
wire copies, and a second run over the same output resumes from the finished stages.

Needs pyspark and Java 17 (skipped without them)."""

from __future__ import annotations

import csv
import pickle
import shutil

import pytest

from conftest import PAGE, cli

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no java on PATH (Spark needs Java 17)", allow_module_level=True)

import bodo.arrow as ba  # noqa: E402
import bodo.spark as bs  # noqa: E402

ARTICLES = 2000


def rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A `bodo synth --news` corpus (a quarter of it copies) and `bodo run`'s reports of it."""
    base = tmp_path_factory.mktemp("spark")
    jsonl = base / "synth.jsonl"
    cli("synth", str(PAGE), "-n", str(ARTICLES), "--news", "-o", str(jsonl))
    cli("run", str(jsonl), "-o", str(base / "cli"), "--quiet")
    return base, jsonl


@pytest.fixture(scope="module")
def spark():
    session = bs._spark("local[2]", 2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark_run(corpus, spark):
    base, jsonl = corpus
    manifest = bs.run([str(jsonl)], base / "spark", spark=spark, partitions=2, log=lambda _: None)
    return base / "spark", manifest


def test_stories_are_the_cli_stories(corpus, spark_run):
    base, _ = corpus
    want = [r for r in rows(base / "cli" / "articles.csv") if r["status"] != "rejected"]
    got = rows(spark_run[0] / "stories.csv")
    assert len(got) == len(want) == ARTICLES
    key = lambda r: (r["article_id"], r["cluster_id"], r["status"], r["duplicate_of"])  # noqa: E731
    assert [key(r) for r in got] == [key(r) for r in want]
    assert any(r["status"] == "duplicate" for r in want)


def test_mentions_are_the_cli_mentions(corpus, spark_run):
    base, _ = corpus
    want = (base / "cli" / "mentions.csv").read_text(encoding="utf-8")
    assert (spark_run[0] / "mentions.csv").read_text(encoding="utf-8") == want
    assert want.count("\n") > ARTICLES


def test_a_second_run_resumes_from_the_stages(corpus, spark_run, spark):
    out, first = spark_run
    lines: list[str] = []
    again = bs.run([str(corpus[1])], out, spark=spark, partitions=2, log=lines.append)
    assert again["stage_seconds"] == {}
    assert all("finished before" in line for line in lines[:-1]), lines
    assert again["counts"] == first["counts"]


def test_templates_pickle_as_their_keys(corpus):
    """Executors get the driver's learned templates by pickle."""
    articles, _ = ba.read([str(corpus[1])])
    templates = ba.learn_templates(ba.normalise(articles))
    again = pickle.loads(pickle.dumps(templates))
    assert len(templates) > 0
    assert again.keys() == templates.keys()
    assert len(again) == len(templates)
