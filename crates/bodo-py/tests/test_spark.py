"""`bodo.spark` on `local[2]` writes `bodo run`'s files on a generated corpus with wire copies,
dates and outlets: every table equal after sorting by its rows (and byte for byte, as the
writer is the library's), mentions.csv, every chart and report.html; a second run over the
same output resumes from the finished stages; the stars mode of the connected components gives
the driver mode's stories.

Needs pyspark and Java 17 (skipped without them)."""

from __future__ import annotations

import csv
import json
import pickle
import random
import shutil

import pytest

from conftest import PAGE, cli

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no java on PATH (Spark needs Java 17)", allow_module_level=True)

import bodo  # noqa: E402
import bodo.arrow as ba  # noqa: E402
import bodo.spark as bs  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

ARTICLES = 2000


def rows(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def files(out) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".spark" not in p.parts)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A `bodo synth --news` corpus over 30 days (a quarter of it copies), a rejected record
    in a second input, and `bodo run`'s reports of both."""
    base = tmp_path_factory.mktemp("spark")
    jsonl = base / "synth.jsonl"
    cli("synth", str(PAGE), "-n", str(ARTICLES), "--news", "--days", "30", "-o", str(jsonl))
    bad = base / "bad.jsonl"
    bad.write_text('{"id": "x1", "title": "제목"}\nnot json\n', encoding="utf-8")
    cli("run", str(jsonl), str(bad), "-o", str(base / "cli"), "--quiet")
    return base, [str(jsonl), str(bad)]


@pytest.fixture(scope="module")
def spark():
    session = bs._spark("local[2]", 2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def spark_run(corpus, spark):
    base, inputs = corpus
    manifest = bs.run(inputs, base / "spark", spark=spark, partitions=2, log=lambda _: None)
    return base / "spark", manifest


def test_every_table_is_the_cli_table(corpus, spark_run):
    """With the tables summed on the driver (`auto` at 1,500 stories); the grouped sums are
    `test_grouped_tables_do_not_depend_on_partitions`."""
    assert spark_run[1]["tables"]["mode"] == "driver"
    want_dir, got_dir = corpus[0] / "cli", spark_run[0]
    names = sorted(p.name for p in want_dir.glob("*.csv"))
    assert sorted(p.name for p in got_dir.glob("*.csv")) == names
    assert len(names) == 14
    for name in names:
        want, got = rows(want_dir / name), rows(got_dir / name)
        assert got[0] == want[0], name
        assert sorted(got[1:]) == sorted(want[1:]), name
        assert (got_dir / name).read_bytes() == (want_dir / name).read_bytes(), name
    articles = rows(want_dir / "articles.csv")
    assert len(articles) == ARTICLES + 2 + 1
    status = articles[0].index("status")
    assert {r[status] for r in articles[1:]} == {"analysed", "duplicate", "rejected"}
    for name in ["keywords_by_day.csv", "keywords_by_outlet.csv", "timeline.csv", "outlets.csv", "cooccurrence.csv"]:
        assert len(rows(want_dir / name)) > 10, name


def test_charts_report_and_manifest_are_the_cli_ones(corpus, spark_run):
    want_dir, got_dir = corpus[0] / "cli", spark_run[0]
    assert [f for f in files(got_dir) if f != "spark-manifest.json"] == files(want_dir)
    for file in files(want_dir):
        if file.startswith("charts/") or file == "report.html":
            assert (got_dir / file).read_bytes() == (want_dir / file).read_bytes(), file
    want, got = (json.loads((d / "manifest.json").read_text("utf-8")) for d in (want_dir, got_dir))
    for m in (want, got):
        m.pop("command_line"), m.pop("run"), m["stories"].pop("dedup")
    assert got == want


def test_grouped_pairs_are_the_driver_candidates(spark_run):
    """The `pairs` stage (bucket keys, a groupBy, each bucket's pairs) gives exactly
    `bodo.arrow.candidates` over every signature, exact flags included."""
    work = spark_run[0] / ".spark"
    sig = pq.read_table(work / "signatures").sort_by("position")
    assert sig["position"].to_pylist() == list(range(sig.num_rows))
    sig = sig.set_column(
        sig.schema.get_field_index("keys"), "keys", sig["keys"].cast(pa.list_(pa.uint64()), safe=False)
    )
    want = ba.candidates(sig).to_pylist()
    got = pq.read_table(work / "pairs").to_pylist()
    assert len(want) > 100
    assert len(got) == len(want)
    as_set = lambda rows: {(r["a"], r["b"], r["exact"]) for r in rows}  # noqa: E731
    assert as_set(got) == as_set(want)
    assert any(r["exact"] for r in want) and not all(r["exact"] for r in want)


def test_grouped_templates_are_the_counters(corpus, spark_run):
    """The `templates` stage (each text's unit keys, a groupBy, the rules) learns what
    `bodo run`'s counter learns, and so does the counter fed the texts in another order and
    other batches: the counts are order-free."""
    texts = ba.normalise(ba.read([corpus[1][0]])[0])
    want = ba.learn_templates(texts).keys()
    assert len(want[0]) > 0 and len(want[1]) > 0
    order = list(range(texts.num_rows))
    random.Random(7).shuffle(order)
    shuffled = texts.take(pa.array(order))
    counter = ba.TemplateCounter()
    for start in range(0, shuffled.num_rows, 333):
        counter.add(shuffled.slice(start, 333))
    assert counter.learn().keys() == want
    learned = pq.read_table(spark_run[0] / ".spark" / "templates")
    got = tuple(
        sorted(k & (2**64 - 1) for k, kind in zip(learned["key"].to_pylist(), learned["kind"].to_pylist()) if kind == name)
        for name in ("global", "outlet")
    )
    assert got == want


def test_parquet_inputs_give_the_cli_tables(corpus, spark, tmp_path):
    """A Parquet dump (the fixture's articles, with a row that has no body) read by Spark's
    `articles` stage gives `bodo run`'s tables of the same file, byte for byte."""
    articles = ba.read([corpus[1][0]])[0]
    table = pa.table(
        {
            "id": articles["article_id"],
            "title": articles["title"],
            "body": articles["body"],
            "date": articles["date"],
            "press": articles["outlet"],
        }
    ).slice(0, 400)
    table = pa.concat_tables([table, pa.table({c: pa.array([None], table[c].type) for c in table.column_names})])
    dump = tmp_path / "dump.parquet"
    pq.write_table(table, dump, row_group_size=128)
    cli("run", str(dump), "-o", str(tmp_path / "cli"), "--quiet", "--no-charts")
    bs.run([str(dump)], tmp_path / "spark", spark=spark, partitions=2, log=lambda _: None,
           options=bs.Options(no_charts=True))
    names = sorted(p.name for p in (tmp_path / "cli").glob("*.csv"))
    assert "rejected.csv" in names and len(rows(tmp_path / "cli" / "rejected.csv")) == 2
    assert len(rows(tmp_path / "cli" / "articles.csv")) == 402
    for name in names:
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_a_second_run_resumes_from_the_stages(corpus, spark_run, spark):
    out, first = spark_run
    lines: list[str] = []
    again = bs.run(corpus[1], out, spark=spark, partitions=2, log=lines.append)
    assert again["stage_seconds"] == {}
    stages = [line for line in lines[:-1] if not line.startswith("tables: ")]
    assert stages and all("finished before" in line for line in stages), lines
    assert again["counts"] == first["counts"]


def test_table_options_reach_the_tables(corpus, spark_run, spark, tmp_path):
    """`--keep-off-topic` and the top-N options are bodo run's (the stages are reused)."""
    out, _ = spark_run
    shutil.copytree(out / ".spark", tmp_path / ".spark")
    options = bs.Options(keep_off_topic=True, keywords_per_group=5, cooccurrence_terms=20)
    bs.run(corpus[1], tmp_path, spark=spark, partitions=2, options=options, log=lambda _: None)
    want = tmp_path / "cli"
    cli("run", *corpus[1], "-o", str(want), "--quiet", "--keep-off-topic", "--keywords-per-group", "5",
        "--cooccurrence-terms", "20")
    for name in sorted(p.name for p in want.glob("*.csv")):
        assert (tmp_path / name).read_bytes() == (want / name).read_bytes(), name


def test_bad_options_are_refused_before_any_stage(tmp_path):
    with pytest.raises(bodo.OptionError, match="components"):
        bs.run([], tmp_path / "out", components="star")
    with pytest.raises(bodo.OptionError, match="tables"):
        bs.run([], tmp_path / "out", tables="spark")
    assert not (tmp_path / "out").exists()
    with pytest.raises(bodo.OptionError, match="off-topic-ratio"):
        bs.Options(off_topic_ratio=2.0)
    with pytest.raises(bodo.OptionError, match="topik"):
        bs.Options(topik="카카오")


def test_templates_pickle_as_their_keys(corpus):
    """Executors get the driver's learned templates by pickle."""
    articles, _ = ba.read([corpus[1][0]])
    templates = ba.learn_templates(ba.normalise(articles))
    again = pickle.loads(pickle.dumps(templates))
    assert len(templates) > 0
    assert again.keys() == templates.keys()
    assert len(again) == len(templates)


def test_stars_mode_gives_the_driver_stories(corpus, spark_run, spark, tmp_path):
    """`--components stars` (large-star/small-star rounds in Spark, `clusters` per component)
    gives the stories of the driver's union-find (the default `auto` at this size), row for row,
    and so the same tables (the other stages reused)."""
    out, manifest = spark_run
    assert manifest["components"]["mode"] == "driver"
    shutil.copytree(out / ".spark", tmp_path / ".spark")
    shutil.rmtree(tmp_path / ".spark" / "stories")
    stars = bs.run(corpus[1], tmp_path, spark=spark, partitions=2, components="stars", log=lambda _: None)
    assert stars["components"]["mode"] == "stars"
    assert stars["components"]["rounds"] >= 1
    assert list(stars["stage_seconds"]) == ["stories"]
    want, got = (
        pq.read_table(d / ".spark" / "stories").sort_by("position") for d in (out, tmp_path)
    )
    assert got.schema == want.schema
    assert got.num_rows == ARTICLES
    assert got.equals(want)
    assert len(set(want.column("cluster_id").to_pylist())) < ARTICLES * 0.9  # copies were joined
    names = [f for f in files(out) if not f.endswith("manifest.json")]
    assert [f for f in files(tmp_path) if not f.endswith("manifest.json")] == names
    assert sum(f.endswith(".csv") for f in names) == 14
    for name in names:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def union_find(nodes, edges) -> dict[int, int]:
    """Each node's least connected node, by a plain union-find."""
    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in nodes}


def test_star_rounds_give_the_union_find_components(spark, tmp_path):
    """The large-star/small-star loop on a long chain in shuffled order, a star whose centre is
    its largest node, two components joined by one edge, repeated and reversed edges;
    isolated nodes are in no edge (the stories stage gives them themselves)."""
    chain = list(range(10, 90))
    random.Random(16).shuffle(chain)
    edges = list(zip(chain, chain[1:]))
    edges += [(130, leaf) for leaf in range(100, 130)]
    edges += [(200, 201), (201, 202), (150, 151), (151, 202), (202, 150), (201, 200)]
    nodes = list(range(0, 210))
    df = spark.createDataFrame(edges, "a long, b long")
    components, rounds = bs._stars(spark, df, tmp_path)
    found = {r["position"]: r["component"] for r in components.collect()}
    assert len(found) == components.count()
    assert union_find(nodes, edges) == {n: found.get(n, n) for n in nodes}
    assert rounds >= 2  # the chain takes rounds


def test_stages_of_other_inputs_or_options_are_not_resumed(tmp_path):
    """A run over other data (or with other stage options) into the same OUT starts over
    instead of reading the stages an earlier run left."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text('{"id": "1", "title": "가", "body": "나"}\n', encoding="utf-8")
    b.write_text('{"id": "2", "title": "다", "body": "라"}\n', encoding="utf-8")
    work, said = tmp_path / "out" / ".spark", []

    def stage_after(inputs, options):
        bs._keep_stages_of(work, inputs, options, said.append)
        kept = (work / "articles" / "_SUCCESS").exists()
        (work / "articles").mkdir(exist_ok=True)
        (work / "articles" / "_SUCCESS").touch()
        return kept

    assert not stage_after([a], bs.Options())  # nothing there yet
    assert stage_after([a], bs.Options())  # same inputs and options: resumed
    assert stage_after([a], bs.Options(topic="카카오"))  # a table option enters no stage
    assert not stage_after([b], bs.Options())  # other inputs
    assert not stage_after([b], bs.Options(no_dedup=True))  # other stage options
    a.write_text('{"id": "1", "title": "가", "body": "나나"}\n', encoding="utf-8")
    assert not stage_after([a], bs.Options())  # the same path, changed
    assert len(said) == 3 and all("starting over" in line for line in said)


@pytest.mark.parametrize("partitions, flags, options", [
    (1, [], {}),
    (3, ["--topic", "카카오 먹통"], {"topic": "카카오 먹통"}),
])
def test_grouped_tables_do_not_depend_on_partitions(corpus, spark_run, spark, tmp_path, partitions, flags, options):
    """Relevance and the tables' sums are groupBys of per-story rows: with one partition or
    three (tasks and shuffles), against the centroid or a topic, the tables are `bodo run`'s
    byte for byte and the manifest's relevance (the cutoff to the last bit) is its own."""
    out, _ = spark_run
    shutil.copytree(out / ".spark", tmp_path / ".spark")
    shuffle = spark.conf.get("spark.sql.shuffle.partitions")
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    try:
        got = bs.run(corpus[1], tmp_path, spark=spark, partitions=partitions, options=bs.Options(**options),
                     tables="grouped", log=lambda _: None)
    finally:
        spark.conf.set("spark.sql.shuffle.partitions", shuffle)
    assert got["stage_seconds"] == {}
    assert got["tables"]["mode"] == "grouped"
    want = tmp_path / "cli"
    cli("run", *corpus[1], "-o", str(want), "--quiet", *flags)
    for name in sorted(p.name for p in want.glob("*.csv")):
        assert (tmp_path / name).read_bytes() == (want / name).read_bytes(), name
    relevance = lambda d: json.loads((d / "manifest.json").read_text("utf-8"))["relevance"]  # noqa: E731
    assert relevance(tmp_path) == relevance(want)
