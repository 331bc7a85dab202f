"""`bodo.arrow`'s batch stages on the shipped page reproduce `bodo run` exactly: its stories
and mentions, and — through `tables` and `write`, which end with the library code `bodo run`
ends with — every table, chart and report.html, with the default options, with `topic=` and
with `keep_off_topic=True`; the same results whatever the batch cut or thread count; PyCapsule
input."""

from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pytest

import bodo
import bodo.arrow as ba
from conftest import PAGE, cli


def rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def stages():
    """The page through every batch stage, as `bodo run` chains them."""
    articles, rejected = ba.read([str(PAGE)])
    texts = ba.normalise(articles)
    templates = ba.learn_templates(texts)
    signatures = ba.signatures(texts)
    pairs = ba.candidates(signatures)
    scored = ba.verify(ba.pair_texts(pairs, texts), templates=templates)
    stories = ba.clusters(scored, texts)
    reps = texts.filter(pc.equal(stories["representative"], stories["position"]))
    analysed = ba.analyse(reps, templates=templates)
    copies = ba.verify(ba.pair_texts(ba.copy_pairs(stories, signatures), texts), templates=templates)
    return dict(articles=articles, rejected=rejected, texts=texts, signatures=signatures, pairs=pairs, scored=scored,
                stories=stories, reps=reps, analysed=analysed, templates=templates, copies=copies,
                rows=ba.learned_chars(texts, templates=templates))


#: `bodo run`'s flags and the same options as keyword arguments.
VARIANTS = {
    "default": ([], {}),
    "topic": (["--topic", "카카오 먹통"], {"topic": "카카오 먹통"}),
    "keep_off_topic": (["--keep-off-topic"], {"keep_off_topic": True}),
}


@pytest.fixture(scope="module", params=list(VARIANTS))
def variant(request, tmp_path_factory):
    """(name, `bodo run`'s reports of the page with the variant's flags, its options)."""
    flags, options = VARIANTS[request.param]
    out = tmp_path_factory.mktemp(f"cli-{request.param}") / "reports"
    cli("run", str(PAGE), "-o", str(out), "--quiet", *flags)
    return request.param, out, options


def arrow_tables(stages, **options) -> dict[str, pa.Table]:
    return ba.tables(stages["rows"], stages["stories"], stages["analysed"], rejected=stages["rejected"],
                     copies=stages["copies"], **options)


def read_csv(path, like: pa.Table) -> pa.Table:
    """A CSV bodo wrote, read with the column types of ``like`` (empty cells null)."""
    options = pcsv.ConvertOptions(column_types=like.schema, strings_can_be_null=True)
    return pcsv.read_csv(path, convert_options=options)


def csv_names(out) -> list[str]:
    return sorted(p.name for p in out.glob("*.csv") if p.name != "mentions.csv")


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
    """keywords.csv from the Arrow stages alone: relevance, totals, idf, ranks and kinds by the
    library's own code, value for value."""
    got = arrow_tables(stages)["keywords"]
    want = read_csv(cli_page / "keywords.csv", got)
    assert got.num_rows > 100
    assert got.equals(want)


def test_every_table_is_the_cli_table(stages, variant):
    """Each table `tables` gives equals the CSV `bodo run` wrote, value for value and type for
    type (the CSV read with the table's types: polars writes the shortest text that reads back
    as the same float, so floats compare exactly)."""
    name, out, options = variant
    got = arrow_tables(stages, **options)
    assert sorted(f"{t}.csv" for t in got) == csv_names(out)
    for table, data in got.items():
        with open(out / f"{table}.csv", encoding="utf-8") as f:
            assert data.column_names == next(csv.reader(f)), table
        assert data.equals(read_csv(out / f"{table}.csv", data)), (name, table)
    off = got["clusters"].filter(pc.equal(got["clusters"]["off_topic"], True)).num_rows
    assert off >= 1 or name == "topic", "the page's festival story is off topic"


def test_write_is_bodo_run(stages, variant, tmp_path):
    """`write` gives `bodo run`'s directory: every CSV, mentions.csv, every chart and report.html
    byte for byte (the writers are the library's); the manifest's counts, options, inputs and
    outputs equal (its `run` section, command line and dedup's own counts are the engine's)."""
    name, out, options = variant
    result = ba.write(tmp_path / "arrow", stages["rows"], stages["stories"], stages["analysed"],
                      rejected=stages["rejected"], copies=stages["copies"], inputs=[str(PAGE)], **options)
    mine = tmp_path / "arrow"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(p.relative_to(mine).as_posix() for p in mine.rglob("*") if p.is_file()) == files
    for file in files:
        if file != "manifest.json":
            assert (mine / file).read_bytes() == (out / file).read_bytes(), (name, file)
    want, got = (json.loads((d / "manifest.json").read_text("utf-8")) for d in (out, mine))
    for key in ("command_line", "run"):
        want.pop(key), got.pop(key)
    want["stories"].pop("dedup"), got["stories"].pop("dedup")
    assert got == want
    assert result.counts == want["counts"]
    assert isinstance(result, bodo.Result) and result.keywords.height == want["counts"]["keywords"]


def test_tables_refuse_stories_that_are_not_the_representatives(stages):
    with pytest.raises(ValueError, match="representatives"):
        ba.tables(stages["rows"], stages["stories"], stages["analysed"].slice(1))


def test_a_topic_absent_from_the_stories_is_an_option_error(stages):
    with pytest.raises(bodo.OptionError, match="none of its keywords"):
        arrow_tables(stages, topic="양자역학")


def test_unknown_options_are_refused(stages):
    with pytest.raises(bodo.OptionError, match="topik"):
        arrow_tables(stages, topik="카카오")


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


def test_buckets_grouped_by_key_give_the_candidates(stages):
    """`candidate_keys`, a plain groupBy on (kind, key) and `bucket_pairs` (in batches of
    buckets, in any order) propose exactly `candidates`' pairs: the Spark `pairs` stage."""
    keys = ba.candidate_keys(stages["signatures"]).to_pylist()
    buckets: dict[tuple[int, int], list[tuple[int, bool]]] = {}
    for row in reversed(keys):
        buckets.setdefault((row["kind"], row["key"]), []).append((row["position"], row["short"]))
    assert {kind for kind, _ in buckets} >= {0, 1, 4}
    rows = [
        {"kind": kind, "members": [p for p, _ in sorted(m)], "shorts": [s for _, s in sorted(m)]}
        for (kind, _), m in sorted(buckets.items(), key=lambda kv: -len(kv[1]))
    ]
    found: list[tuple[int, int]] = []
    for start in range(0, len(rows), 97):
        got = ba.bucket_pairs(pa.RecordBatch.from_pylist(rows[start : start + 97]))
        found += zip(got["a"].to_pylist(), got["b"].to_pylist())
    want = stages["pairs"]
    assert want.num_rows > 0
    assert sorted(set(found)) == list(zip(want["a"].to_pylist(), want["b"].to_pylist()))


def test_copy_pairs_of_joined_rows_are_the_copy_pairs(stages):
    """`copy_pair_rows` over each article joined with its representative's exact hash, rows in
    any order, gives `copy_pairs`' pairs: the Spark `copy_pairs` stage."""
    stories, exact = stages["stories"].to_pylist(), stages["signatures"]["exact"].to_pylist()
    joined = [
        {"position": s["position"], "representative": s["representative"],
         "exact": exact[s["position"]], "representative_exact": exact[s["representative"]]}
        for s in reversed(stories)
    ]
    found = []
    for start in range(0, len(joined), 4):
        got = ba.copy_pair_rows(pa.RecordBatch.from_pylist(joined[start : start + 4]))
        found += zip(got["a"].to_pylist(), got["b"].to_pylist())
    want = ba.copy_pairs(stages["stories"], stages["signatures"])
    assert want.num_rows > 0
    assert sorted(found) == sorted(zip(want["a"].to_pylist(), want["b"].to_pylist()))


def summed(rows: pa.RecordBatch, keys: list[str], sums: list[str]) -> pa.Table:
    """An engine's ``groupBy(keys).agg(sum(...), count)``: ``sums`` summed, ``stories`` the rows."""
    table = pa.Table.from_batches([rows]) if isinstance(rows, pa.RecordBatch) else rows
    done = table.group_by(keys).aggregate([(c, "sum") for c in sums] + [([], "count_all")])
    return done.rename_columns(keys + sums + ["stories"]) if done.num_rows else pa.table(
        {**{k: table[k] for k in keys}, **{c: table[c] for c in sums}, "stories": pa.array([], pa.int64())}
    )


def grouped_tables(stages, batches: int, **options) -> dict[str, pa.Table]:
    """`tables` from relevance and the tables' sums computed as an engine does (`bodo.spark`):
    the per-story functions on ``batches`` slices of the stories, their rows summed by key
    (here by pyarrow), only the sums and each story's score handed to `tables`."""
    analysed = stages["analysed"]
    n = analysed.num_rows
    cut = lambda b: [b.slice(i, -(-b.num_rows // batches)) for i in range(0, b.num_rows, -(-b.num_rows // batches))]  # noqa: E731
    rows = analysed.to_pylist()
    kw = [(r["position"], k["keyword"], k["count"]) for r in rows for k in r["keywords"]]
    df: dict[str, set] = {}
    for p, k, _ in kw:
        df.setdefault(k, set()).add(p)
    query = ba.topic_query(pa.record_batch({"keyword": list(df), "df": [len(v) for v in df.values()]}), **options) \
        if options.get("topic") else None

    def terms(extra=None):
        item = [("keyword", pa.string()), ("count", pa.uint64()), ("df", pa.uint64())]
        if extra is not None:
            item.append(("centroid", pa.float64()))
        lists = [[{"keyword": k["keyword"], "count": k["count"], "df": len(df[k["keyword"]]),
                   **({"centroid": extra.get(k["keyword"])} if extra is not None else {})} for k in r["keywords"]]
                 for r in rows]
        return pa.record_batch({"position": analysed["position"], "terms": pa.array(lists, pa.list_(pa.struct(item)))})

    parts = pa.concat_tables(pa.Table.from_batches([ba.relevance_parts(b, stories=n, query=query)]) for b in cut(terms()))
    sums = summed(parts, ["keyword"], ["hi", "lo"])
    centroid, square, topic = ba.centroid(sums, stories=n, query=query)
    weights = dict(zip(centroid["keyword"].to_pylist(), centroid["centroid"].to_pylist()))
    scores = pa.concat_tables(
        pa.Table.from_batches([ba.relevance_scores(b, stories=n, square=square, topic=topic)]) for b in cut(terms(weights))
    )
    lo, hi = ba.typical_ranks(n, topic=topic)
    ordered = sorted(scores["relevance"].to_pylist())
    cutoff = ba.relevance_cutoff(n, ordered[lo], ordered[hi], **options)

    stories, texts = stages["stories"], stages["texts"]
    reps = stories["representative"].to_pylist()
    per: dict[int, tuple[int, set, set]] = {}
    for p, rep in enumerate(reps):
        count, days, outlets = per.setdefault(rep, (0, set(), set()))
        date, outlet = texts["date"][p].as_py(), texts["outlet"][p].as_py()
        days |= {date} if date is not None else set()
        outlets |= {outlet} if outlet is not None else set()
        per[rep] = (count + 1, days, outlets)
    by_position = dict(zip(scores["position"].to_pylist(), scores["relevance"].to_pylist()))
    story_rows = analysed.select(["position", "keywords", "mentions"]).to_pylist()
    batch = pa.Table.from_pylist(
        [{**r, "relevance": by_position[r["position"]], "articles": per[r["position"]][0],
          "days": sorted(per[r["position"]][1]), "outlets": sorted(per[r["position"]][2])} for r in story_rows],
        schema=pa.schema(list(analysed.select(["position", "keywords", "mentions"]).schema) + [
            ("relevance", pa.float64()), ("articles", pa.int64()), ("days", pa.list_(pa.string())),
            ("outlets", pa.list_(pa.string()))]),
    ).combine_chunks().to_batches()[0]
    parts = pa.concat_tables(pa.Table.from_batches([ba.story_parts(b, cutoff=cutoff, **options)]) for b in cut(batch))
    parts = summed(parts, ["table", "group", "key", "kind"], ["n", "articles"])
    nodes = ba.cooccurrence_nodes(parts, **options)
    pairs = pa.concat_tables(
        pa.Table.from_batches([ba.story_pairs(b, nodes=nodes, cutoff=cutoff, **options)]) for b in cut(batch)
    )
    pairs = summed(pairs, ["a", "b"], ["articles"])
    grouped = {"relevance": scores, "cutoff": cutoff, "parts": parts, "pairs": pairs}
    return ba.tables(stages["rows"], stages["stories"], analysed.drop_columns(["keywords"]),
                     rejected=stages["rejected"], copies=stages["copies"], grouped=grouped, **options)


@pytest.mark.parametrize("batches", [1, 3])
def test_grouped_sums_give_the_same_tables(stages, variant, batches):
    """Relevance and the keyword, entity and network tables from per-story rows summed by key
    (an engine's `groupBy`), in one batch or three: every table as `bodo run`'s."""
    name, out, options = variant
    got = grouped_tables(stages, batches, **options)
    for table, data in got.items():
        assert data.equals(read_csv(out / f"{table}.csv", data)), (name, table, batches)
