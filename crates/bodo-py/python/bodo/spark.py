"""bodo's pipeline as Apache Spark stages over the :mod:`bodo.arrow` batch functions.

A thin driver: every analysis step is a Rust stage function called through ``bodo.arrow``
(in ``DataFrame.mapInArrow`` on the executors, or on the driver for the global steps), so a
Spark run writes ``bodo run``'s files. Each stage is written to Parquet under
``OUT/.spark/<stage>``; a stage whose ``_SUCCESS`` marker is there is read back, not re-run, so
a failed run resumes from the last finished stage (stages made from other inputs or stage
options are removed first).

The stages, in order::

    articles    inputs read by bodo (binary files → read_bytes), normalised; position = run order;
                rejected records as rows with a ``reason``
    templates   outlet templates: each text's unit keys (mapInArrow), a groupBy on the keys
                into the counts the rules read, the rules (mapInArrow); the keys learned
                (a few per outlet) are collected and shipped to the executors
    signatures  per-article dedup signatures and learned-template characters (mapInArrow)
    pairs       candidate pairs: each article's bucket keys (mapInArrow), a groupBy on the keys,
                each bucket's pairs (mapInArrow), distinct
    scored      each pair joined with its two texts and verified (mapInArrow)
    stories     connected components of the joined pairs, representatives, cluster ids:
                ``--components driver`` union-find on the driver (Rust ``clusters``), or
                ``stars`` large-star/small-star rounds in Spark with ``clusters`` per component
                (``auto``: driver up to ``--driver-edges`` scored pairs, else stars)
    copy_pairs  each copy with its representative, texts not identical: each article joined
                with its representative's exact hash, ``copy_pair_rows`` (mapInArrow)
    copies      each copy pair joined with its texts and verified (mapInArrow)
    analysed    each story's representative analysed (mapInArrow): keywords, mentions

then the tables: relevance and the keyword, entity and network tables' sums as Spark
``groupBy``s over the per-story rows of Rust functions (``_grouped``: only sums the size of the
vocabulary and one score per story reach the driver), and on the driver ``bodo.arrow.write``
with those sums: every table, ``mentions.csv``, the charts, ``report.html`` and
``manifest.json`` in ``OUT``, by the library code ``bodo run`` ends with; and
``OUT/spark-manifest.json`` (stages, seconds).

Still driver-side (they hold every edge or story in the driver's memory): union-find (in the
driver mode) and the per-row tables: the articles' rows (no text), each story's score and
mentions are collected there (no keyword lists). Executors run with ``RAYON_NUM_THREADS=1``
and every call gets ``threads=1``: Spark already runs one task per core.

Usage: ``python -m bodo.spark INPUT... --out DIR --master local[2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from . import arrow as ba
from ._bodo import BodoError

__all__ = ["Options", "run", "main"]

BATCH = 2048  # articles per Arrow batch out of the read stage

# The stories' connected components: union-find on the driver, or large-star/small-star rounds.
COMPONENTS = ("auto", "driver", "stars")
# `auto` takes the driver's union-find up to this many scored pairs. The driver holds each one
# about five times while `bodo.arrow.clusters` runs (docs/spark.md): measured ≈ 0.3 KB an edge
# in Python and Rust (5M edges ≈ 1.5 GB) plus 40 B an edge of Arrow in the JVM driver.
DRIVER_EDGES = 5_000_000
# How the tables' sums are made: every story's keyword lists collected to the driver and summed
# by the Rust finish there, or Spark groupBys over per-story rows (only the sums collected).
TABLES = ("auto", "driver", "grouped")
# `auto` collects the keyword lists up to this many stories: ≈ 4 KB a story in Arrow, several
# times that as Python lists while they cross into Rust (≈ 1 GB of Arrow at 250k). On two cores
# the groupBys took 255 s where the collection took 33 s at 75k stories (docs/spark.md); on a
# cluster they are what lets the tables scale.
DRIVER_STORIES = 250_000
# Rows a task of the stars mode holds at once: scored pairs per `small` partition, articles
# and pairs per component range.
EDGES_PER_TASK = 1_000_000
ARTICLES_PER_TASK = 1_000_000

STAGES = ["articles", "templates", "signatures", "pairs", "scored", "stories", "copy_pairs", "copies", "analysed"]


class Options:
    """``bodo run``'s options, named as its flags: the stages' own (dedup, analysis) as
    attributes, the rest (``topic``, ``off_topic_ratio``, ``keep_off_topic``,
    ``keywords_per_group``, ``cooccurrence_terms``, ``cooccurrence_min``, ``bin``, ``no_charts``,
    ``font``, ``excel``, ``parquet``, ``force``) passed to :func:`bodo.arrow.write` as given.
    Checked at once: an unknown name or a bad value raises :class:`bodo.OptionError`."""

    def __init__(
        self,
        *,
        shingle_size: int | None = None,
        dedup_threshold: float | None = None,
        no_dedup: bool = False,
        no_learned_boilerplate: bool = False,
        entity_rules: bool = False,
        stopwords: Sequence[str] = (),
        min_keyword_chars: int = 2,
        user_dict: Sequence[str] = (),
        **tables: Any,
    ) -> None:
        from . import _bodo, _options

        self.shingle = shingle_size or ba._SHINGLE
        self.threshold = ba._THRESHOLD if dedup_threshold is None else dedup_threshold
        self.no_dedup = no_dedup
        self.no_learned_boilerplate = no_learned_boilerplate
        self.entity_rules = entity_rules
        self.stopwords = [os.fspath(p) for p in stopwords]
        self.min_keyword_chars = min_keyword_chars
        self.user_dict = [os.fspath(p) for p in user_dict]
        self.tables = tables
        _bodo.check_options(_options(self.run_options()))

    def run_options(self) -> dict[str, Any]:
        """All of them, as ``bodo.run``'s keyword arguments."""
        return {
            "shingle_size": self.shingle,
            "dedup_threshold": self.threshold,
            "no_dedup": self.no_dedup,
            "no_learned_boilerplate": self.no_learned_boilerplate,
            "entity_rules": self.entity_rules,
            "stopwords": self.stopwords,
            "min_keyword_chars": self.min_keyword_chars,
            "user_dict": self.user_dict,
            **self.tables,
        }


# ---------------------------------------------------------------------------------------------
# Arrow ↔ Spark: Spark has no unsigned integers. uint8–uint32 widen to int64; uint64 (hash keys)
# is reinterpreted bit for bit as int64 and back (`_unsigned`), so no value is lost.


def _signed_type(t: pa.DataType) -> pa.DataType:
    if pa.types.is_unsigned_integer(t):
        return pa.int64()
    if pa.types.is_list(t):
        return pa.list_(_signed_type(t.value_type))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _signed_type(f.type)) for f in t])
    if pa.types.is_fixed_size_binary(t):
        return pa.binary()
    return t


def _signed(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` with Spark's types (see above)."""
    schema = pa.schema([pa.field(f.name, _signed_type(f.type)) for f in batch.schema])
    return pa.RecordBatch.from_arrays(
        [c.cast(f.type, safe=False) for c, f in zip(batch.columns, schema)], schema=schema
    )


def _spark_schema(batch: pa.RecordBatch) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(_signed(batch).schema)


def _columns(batch: pa.RecordBatch, names: Sequence[str]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([batch.column(n) for n in names], names=list(names))


def _single(table: pa.Table) -> pa.RecordBatch:
    return ba._batch(table)


# ---------------------------------------------------------------------------------------------
# Per-batch functions run on the executors. They import bodo there (the dictionary is loaded
# once per Python worker, on its first analyse) and never use more than one thread.


def _executor_setup() -> None:
    os.environ.setdefault("RAYON_NUM_THREADS", "1")


def _inputs(batches: Iterator[pa.RecordBatch], names: dict[str, tuple[int, str]]) -> Iterator[tuple]:
    """Each binary file of ``binaryFile`` rows read by bodo: (input number, articles, rejected).
    ``names`` maps a local path to its input's number and name as given (the ``source``)."""
    from urllib.parse import unquote, urlparse

    for batch in batches:
        for uri, data in zip(batch.column("path").to_pylist(), batch.column("content").to_pylist()):
            path = unquote(urlparse(uri).path) if uri.startswith("file:") else uri
            file, name = names[path] if path in names else names[uri]
            yield (file, *ba.read_bytes(data, name))


def _read_files(names: dict[str, tuple[int, str]]) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _executor_setup()
        schema = _records_schema()
        for file, articles, rejected in _inputs(batches, names):
            records = articles.num_rows + rejected.num_rows

            def tagged(batch: pa.RecordBatch, reason: pa.Array) -> pa.RecordBatch:
                n = batch.num_rows
                return ba._with(
                    batch,
                    {
                        "file": pa.array([file] * n, pa.int64()),
                        "records": pa.array([records] * n, pa.int64()),
                        "reason": reason,
                    },
                )

            for start in range(0, articles.num_rows, BATCH):
                texts = ba.normalise(articles.slice(start, BATCH), threads=1)
                yield _signed(tagged(texts, pa.nulls(texts.num_rows, pa.string())))
            if rejected.num_rows:
                # Rejected records ride along as rows with a reason and no position.
                rows = tagged(rejected.drop_columns(["reason"]), rejected.column("reason"))
                n = rows.num_rows
                columns = {f.name: rows.column(f.name) if f.name in rows.schema.names else pa.nulls(n, f.type) for f in schema}
                yield _signed(pa.RecordBatch.from_arrays(list(columns.values()), schema=schema))

    return apply


def _records_schema() -> pa.Schema:
    """The ``articles`` stage's Arrow schema (before Spark's types)."""
    sample = ba.normalise(ba.read_bytes(b"", "empty.jsonl")[0])
    extra = {"file": pa.array([], pa.int64()), "records": pa.array([], pa.int64()), "reason": pa.array([], pa.string())}
    return ba._with(sample, extra).schema


def _signatures(shingle: int, templates: Any) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _executor_setup()
        for batch in batches:
            sig = ba.learned_chars(ba.signatures(batch, shingle=shingle, threads=1), templates=templates, threads=1)
            yield _signed(_columns(sig, _SIGNATURE_COLUMNS))

    return apply


_SIGNATURE_COLUMNS = ["position", "exact", "minhash", "keys", "prints", "short", "learned_boilerplate_chars"]


def _verify(shingle: int, templates: Any) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _executor_setup()
        for batch in batches:
            scored = ba.verify(batch, shingle=shingle, templates=templates, threads=1)
            yield _signed(_columns(scored, ["a", "b", "exact", "similarity", "veto", "ratio", "small"]))

    return apply


def _analyse(options: Options, templates: Any) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _executor_setup()
        for batch in batches:
            analysed = ba.analyse(
                batch,
                templates=templates,
                entity_rules=options.entity_rules,
                stopwords=options.stopwords,
                min_keyword_chars=options.min_keyword_chars,
                user_dict=options.user_dict,
                threads=1,
            )
            yield _signed(_columns(analysed, ["position", "keywords", "mentions"]))

    return apply


def _each_batch(function: Callable[..., pa.RecordBatch], **kwargs: Any) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A ``mapInArrow`` task calling the ``bodo.arrow`` function ``function(batch, **kwargs)``
    on each of its batches, with Spark's types (see ``_signed``)."""

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _executor_setup()
        for batch in batches:
            yield _signed(function(batch, **kwargs))

    return apply


def _learned_templates(texts: Any) -> Any:
    """The learned templates (``kind``, ``key``) of ``bodo run``, by a ``groupBy``: each text's
    unit keys (``template_keys``, one row per key with the article's day), grouped by
    ``(outlet, key)`` into the counts the rules read (articles, distinct days, first and last
    day), decided by ``learned_keys``. The counts are order-free, so the partitioning does not
    matter; only the template keys, a few per outlet, reach the driver."""
    from pyspark.sql import functions as F

    keys = texts.select("title", "body", "outlet", "date").mapInArrow(
        _each_batch(ba.template_keys, threads=1), "outlet boolean, key long, day int"
    )
    counts = keys.groupBy("outlet", "key").agg(
        F.count(F.lit(1)).alias("articles"),
        F.countDistinct("day").alias("days"),
        F.min("day").alias("first"),
        F.max("day").alias("last"),
    )
    return counts.mapInArrow(_each_batch(ba.learned_keys), "kind string, key long")


def _candidate_pairs(signatures: Any) -> Any:
    """The candidate pairs (a < b, exact) of ``bodo.arrow.candidates``, by a ``groupBy``: each
    article's buckets (``candidate_keys``: LSH bands, headline and lead keys, lead prints), the
    articles of each ``(kind, key)`` collected in position order (buckets of one dropped), each
    bucket's pairs (``bucket_pairs``, the Rust code ``bodo run``'s candidates call per bucket),
    distinct; ``exact`` where the two texts' exact hashes are equal. No signature reaches the
    driver; a task holds one bucket's members at a time (the largest bucket is the row size)."""
    from pyspark.sql import functions as F

    keyed = signatures.select("position", "minhash", "keys", "prints", "short").mapInArrow(
        _each_batch(ba.candidate_keys), "kind long, key long, position long, short boolean"
    )
    buckets = (
        keyed.groupBy("kind", "key")
        .agg(F.sort_array(F.collect_list(F.struct("position", "short"))).alias("m"))
        .where(F.size("m") > 1)
        .select("kind", F.col("m.position").alias("members"), F.col("m.short").alias("shorts"))
    )
    found = buckets.mapInArrow(_each_batch(ba.bucket_pairs), "a long, b long").distinct()
    exact = lambda s: signatures.select(F.col("position").alias(s), F.col("exact").alias(f"exact_{s}"))  # noqa: E731
    return (
        found.join(exact("a"), "a")
        .join(exact("b"), "b")
        .select("a", "b", (F.col("exact_a") == F.col("exact_b")).alias("exact"))
    )


def _partition(batches: Iterator[pa.RecordBatch]) -> pa.Table | None:
    """A ``mapInArrow`` task's whole partition as one table (None when empty)."""
    batches = [b for b in batches if b.num_rows]
    return pa.Table.from_batches(batches).combine_chunks() if batches else None


def _local_edges(positions: Any, pairs: pa.Table) -> pa.RecordBatch:
    """Scored pairs as ``bodo.arrow.clusters`` takes them, their ends renumbered to indexes into
    ``positions`` (the sorted positions of the articles in the call)."""
    return pa.record_batch(
        {
            "a": _local(positions, pairs["a"]),
            "b": _local(positions, pairs["b"]),
            "similarity": pairs["similarity"].combine_chunks(),
            "veto": pairs["veto"].combine_chunks(),
            "ratio": pairs["ratio"].combine_chunks(),
            "small": _local(positions, pairs["small"]),
        }
    )


def _local(positions: Any, column: Any) -> pa.Array:
    """``column``'s positions as indexes into the sorted ``positions`` (order kept: the Rust
    ``clusters`` breaks ties by position, so local indexes give its global choices)."""
    import numpy as np

    return pa.array(np.searchsorted(positions, column.to_numpy()), pa.uint32())


def _roots(cluster_id: Any) -> Any:
    """For each row of a ``clusters`` result, the row of its cluster's root (first article):
    ids are 1, 2, … in order of the roots, so a cluster's root is its id's first row."""
    import numpy as np

    ids = cluster_id.to_numpy().astype(np.int64)
    _, first = np.unique(ids, return_index=True)
    return first[ids - 1]


def _joined(threshold: float) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Stars mode, step 1: which scored pairs join two stories, decided by the Rust ``clusters``
    (threshold, the stricter one for dates far apart, the veto, a short text joining only its
    best partner) over one partition of the pairs, partitioned by ``small``: every pair in
    which a text is the short one is in its call, so its best partner is chosen among all of
    them, as on the driver. Rows: ``a``, ``b`` and the scores, ``date_a``, ``date_b``. Gives
    the partition's components as star edges ``a`` (member) → ``b`` (first member): the same
    connectivity as the pairs the union-find joins."""

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import numpy as np

        _executor_setup()
        t = _partition(batches)
        if t is None:
            return
        ends = pa.concat_arrays([t["a"].combine_chunks(), t["b"].combine_chunks()])
        positions, first = np.unique(ends.to_numpy(), return_index=True)
        dates = pa.concat_arrays([t["date_a"].combine_chunks(), t["date_b"].combine_chunks()]).take(pa.array(first))
        edges = _local_edges(positions, t)
        articles = pa.record_batch({"chars": pa.array(np.zeros(len(positions), np.int64)), "date": dates})
        root = _roots(ba.clusters(edges, articles, threshold=threshold).column("cluster_id"))
        member = root != np.arange(len(positions))
        yield pa.record_batch(
            {"a": pa.array(positions[member], pa.int64()), "b": pa.array(positions[root[member]], pa.int64())}
        )

    return apply


def _component_stories(threshold: float) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """Stars mode, last step: the Rust ``clusters`` over whole components (a range of them per
    partition): rows with a ``position`` are articles (``chars``, ``date``, ``component``), the
    others the scored pairs inside a component. Gives each article's representative (the
    Rust choice), its cluster id counted within the partition (1, 2, … in order of the
    components' first articles, as ``clusters`` numbers them) and ``block``, the partition's
    first component, by which the driver turns the local ids into global ones. Raises if a
    cluster found here is not exactly one component of the star rounds."""

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import numpy as np

        _executor_setup()
        t = _partition(batches)
        if t is None:
            return
        is_article = pc.is_valid(t["position"])
        articles = t.filter(is_article).sort_by("position")
        pairs = t.filter(pc.invert(is_article))
        positions = articles["position"].to_numpy()
        edges = _local_edges(positions, pairs)
        found = ba.clusters(
            edges,
            pa.record_batch({"chars": articles["chars"].combine_chunks(), "date": articles["date"].combine_chunks()}),
            threshold=threshold,
        )
        root = positions[_roots(found.column("cluster_id"))]
        if not np.array_equal(root, articles["component"].to_numpy()):
            raise RuntimeError("stars: the union-find over a component's pairs does not give that component")
        n = len(positions)
        yield pa.record_batch(
            {
                "position": pa.array(positions, pa.int64()),
                "cluster_id": found.column("cluster_id").cast(pa.int64()),
                "representative": pa.array(positions[found.column("representative").to_numpy()], pa.int64()),
                "block": pa.array(np.full(n, positions[0]), pa.int64()),
            }
        )

    return apply


# ---------------------------------------------------------------------------------------------
# The driver.


class _Stages:
    """Stage outputs as Parquet under ``work``; finished stages are read back (resume)."""

    def __init__(self, spark: Any, work: Path, log: Callable[[str], None]) -> None:
        self.spark, self.work, self.log = spark, work, log
        self.times: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def done(self, name: str) -> bool:
        return (self.work / name / "_SUCCESS").exists()

    def stage(self, name: str, build: Callable[[], Any]) -> Any:
        """The stage's DataFrame: read back if finished, else built, written and read back."""
        path = str(self.work / name)
        if self.done(name):
            if name not in self.times:  # built by an earlier run, not read again in this one
                self.log(f"{name}: finished before, read from {path}")
        else:
            started = time.perf_counter()
            build().write.mode("overwrite").parquet(path)
            self.times[name] = round(time.perf_counter() - started, 3)
            self.log(f"{name}: {self.times[name]:.1f} s")
        df = self.spark.read.parquet(path)
        return df

    def arrow(self, df: Any, order: Sequence[str]) -> pa.Table:
        """A stage's rows on the driver, in ``order``. Spark 3.5 has no ``DataFrame.toArrow``:
        there, its Arrow collection (batches in partition order), with the schema for an empty
        result."""
        df = df.orderBy(*order)
        if hasattr(df, "toArrow"):
            return df.toArrow()
        from pyspark.sql.pandas.types import to_arrow_schema

        return pa.Table.from_batches(df._collect_as_arrow(), schema=to_arrow_schema(df.schema))

    def from_arrow(self, table: pa.Table) -> Any:
        """A DataFrame of a table made on the driver. Spark 3.5's ``createDataFrame`` takes no
        Arrow table (a pandas detour would turn integer columns with nulls into floats): there,
        through a Parquet file under the work directory, which keeps every type."""
        if int(self.spark.version.split(".")[0]) >= 4:
            return self.spark.createDataFrame(table)
        import pyarrow.parquet as pq

        directory = self.work / "_driver"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{len(list(directory.iterdir()))}.parquet"
        pq.write_table(table, path)
        return self.spark.read.parquet(str(path))


def _star_forest(edges: Any) -> bool:
    """Whether ``edges`` (``a`` > ``b``) are stars around their least position: no ``a`` with two
    edges, no ``b`` that is an ``a``. Exactly the edge sets a large-star and a small-star step
    leave unchanged, so the rounds stop here."""
    from pyspark.sql import functions as F

    if edges.groupBy("a").count().where(F.col("count") > 1).limit(1).count():
        return False
    return not edges.join(edges.select(F.col("a").alias("b")), "b", "left_semi").limit(1).count()


def _stars(spark: Any, edges: Any, work: Path) -> tuple[Any, int]:
    """Connected components of the undirected graph ``edges`` (``a``, ``b``) by the large-star /
    small-star rounds of Kiveris et al. (2014, "Connected Components in MapReduce and Beyond"),
    in the DataFrame API. Edges are kept as ``a`` > ``b``. A round is a large-star step (each
    node's larger neighbours are linked to the least of its neighbourhood, itself included)
    and a small-star step (each node and its smaller neighbours are linked to the least of
    them); rounds run until the edges are stars around each component's least position (no
    change), each written to Parquet under ``work`` (the lineage stays one round long).

    Gives (``position``, ``component``) for every position in an edge, ``component`` the least
    position of its component, and the number of rounds."""
    from pyspark.sql import functions as F

    def saved(df: Any, name: str) -> Any:
        path = str(work / name)
        df.write.mode("overwrite").parquet(path)
        return spark.read.parquet(path)

    e = saved(
        edges.where(F.col("a") != F.col("b"))
        .select(F.greatest("a", "b").alias("a"), F.least("a", "b").alias("b"))
        .distinct(),
        "round-000",
    )
    rounds = 0
    while not _star_forest(e):
        # Large star: every edge both ways (u, v); m(u) = min(u, its neighbours); each v > u → m(u).
        both = e.select(F.col("a").alias("u"), F.col("b").alias("v")).unionByName(
            e.select(F.col("b").alias("u"), F.col("a").alias("v"))
        )
        least = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        large = both.where(F.col("v") > F.col("u")).join(least, "u").select(F.col("v").alias("a"), F.col("m").alias("b"))
        large = large.distinct()
        # Small star: each a and its smaller neighbours b → m(a) = the least of those b.
        least = large.groupBy("a").agg(F.min("b").alias("m"))
        linked = large.join(least, "a")
        small = linked.select(F.col("b").alias("a"), F.col("m").alias("b")).where(F.col("a") != F.col("b"))
        small = small.unionByName(linked.select("a", F.col("m").alias("b"))).distinct()
        rounds += 1
        e = saved(small, f"round-{rounds:03d}")
        shutil.rmtree(work / f"round-{rounds - 1:03d}", ignore_errors=True)
    components = e.select(F.col("a").alias("position"), F.col("b").alias("component")).unionByName(
        e.select(F.col("b").alias("position"), F.col("b").alias("component")).distinct()
    )
    return components, rounds


def _stars_stories(
    spark: Any, texts: Any, scored: Any, threshold: float, work: Path, partitions: int, counts: tuple[int, int]
) -> tuple[Any, int]:
    """The ``stories`` stage in Spark (``--components stars``): the driver mode's rows —
    ``position``, ``cluster_id``, ``representative`` — with no edge or article on the driver.

    1. the pairs that join two stories, per partition of the scored pairs by ``small``
       (:func:`_joined`: the Rust ``clusters`` decides, as star edges);
    2. their connected components by large-star/small-star rounds (:func:`_stars`);
    3. every article (``component`` = itself when it has no joined pair) and every scored pair
       inside one component, range-partitioned by component, the Rust ``clusters`` per
       partition (:func:`_component_stories`): representatives and cluster ids within it;
    4. cluster ids made global: the partitions hold consecutive ranges of components, so a
       partition's ids follow the counts of the partitions before it (``block`` order) — the
       ids ``clusters`` gives over all articles, 1, 2, … in order of each story's first article.

    ``counts``: articles and scored pairs (task sizes). Gives the stories and the rounds."""
    from pyspark.sql import functions as F

    n_articles, n_edges = counts
    shutil.rmtree(work, ignore_errors=True)
    pairs = scored.select("a", "b", "similarity", "veto", "ratio", "small")
    dates = texts.select("position", "date")
    side = lambda s: dates.select(F.col("position").alias(s), F.col("date").alias(f"date_{s}"))  # noqa: E731
    joined = (
        pairs.join(side("a"), "a")
        .join(side("b"), "b")
        .repartition(max(partitions, n_edges // EDGES_PER_TASK + 1), "small")
        .mapInArrow(_joined(threshold), "a long, b long")
    )
    components, rounds = _stars(spark, joined, work)

    articles = (
        texts.select("position", "chars", "date")
        .join(components, "position", "left")
        .withColumn("component", F.coalesce("component", "position"))
    )
    end = lambda s: components.select(F.col("position").alias(s), F.col("component").alias(f"component_{s}"))  # noqa: E731
    inside = (
        pairs.join(end("a"), "a")
        .join(end("b"), "b")
        .where(F.col("component_a") == F.col("component_b"))
        .select(F.col("component_a").alias("component"), "a", "b", "similarity", "veto", "ratio", "small")
    )
    path = str(work / "local")
    (
        articles.unionByName(inside, allowMissingColumns=True)
        .repartitionByRange(max(partitions, n_articles // ARTICLES_PER_TASK + 1), "component")
        .mapInArrow(_component_stories(threshold), "position long, cluster_id long, representative long, block long")
        .write.mode("overwrite")
        .parquet(path)
    )
    local = spark.read.parquet(path)
    offsets, total = [], 0
    for row in local.groupBy("block").agg(F.max("cluster_id").alias("n")).orderBy("block").collect():
        offsets.append((row["block"], total))
        total += row["n"]
    offset = spark.createDataFrame(offsets, "block long, offset long")
    stories = local.join(F.broadcast(offset), "block").select(
        "position", (F.col("cluster_id") + F.col("offset")).alias("cluster_id"), "representative"
    )
    return stories, rounds


def _grouped(st: _Stages, texts: Any, story: Any, analysed: Any, options: Options, partitions: int) -> dict[str, Any]:
    """Relevance and the keyword, entity and network tables' sums as Spark jobs over per-story
    rows the Rust functions give (``bodo.arrow.relevance_parts``, ``relevance_scores``,
    ``story_parts``, ``story_pairs``), summed by ``groupBy``; gives ``bodo.arrow.write``'s
    ``grouped=``. The driver collects sums the size of the vocabulary (per keyword, per
    day/outlet and keyword, per entity, per pair of network nodes) and one score per story.

    1. ``df``: each keyword's stories (``countDistinct``), and the ``--topic`` query's keywords.
    2. The centroid: each story's parts (its terms with their df), summed per keyword as two
       int64 limbs of an exact fixed-point sum; finished on the driver (Rust).
    3. Each story's relevance (its terms with their df and centroid weight); the cutoff from
       the two scores at the typical story's ranks (a sort and ``zipWithIndex``: exact).
    4. Each story's parts of the tables (its keywords, mentions, relevance, and its articles'
       count, days and outlets from the stories stage), summed by table, group, key and kind;
       the network's nodes from those sums; each counted story's pairs of nodes, summed."""
    from pyspark.sql import functions as F

    table_options = options.run_options()
    kept: list[Any] = []

    def cached(df: Any) -> Any:
        kept.append(df.cache())
        return df

    try:
        n = analysed.count()
        kw = analysed.select("position", F.explode("keywords").alias("k")).select("position", "k.keyword", "k.count")
        df = cached(kw.groupBy("keyword").agg(F.countDistinct("position").alias("df")))
        words = ba.topic_keywords(**table_options)
        found = st.arrow(df.where(F.col("keyword").isin(words)), ["keyword"]) if words else pa.table(
            {"keyword": pa.array([], pa.string()), "df": pa.array([], pa.int64())}
        )
        query = ba.topic_query(found, **table_options)

        def per_story(centroid: Any = None) -> Any:
            rows, fields = kw.join(df, "keyword"), ["keyword", "count", "df"]
            if centroid is not None:
                rows, fields = rows.join(F.broadcast(centroid), "keyword", "left"), [*fields, "centroid"]
            lists = rows.groupBy("position").agg(F.collect_list(F.struct(*fields)).alias("terms"))
            # Stories without a keyword still get a score.
            return analysed.select("position").join(lists, "position", "left").repartition(partitions)

        parts = per_story().mapInArrow(
            _each_batch(ba.relevance_parts, stories=n, query=query), "keyword string, hi long, lo long"
        )
        sums = st.arrow(parts.groupBy("keyword").agg(F.sum("hi").alias("hi"), F.sum("lo").alias("lo")), ["keyword"])
        centroid, square, topic = ba.centroid(sums, stories=n, query=query)
        weights = st.from_arrow(pa.Table.from_batches([centroid]))
        scores = cached(
            per_story(weights).mapInArrow(
                _each_batch(ba.relevance_scores, stories=n, square=square, topic=topic),
                "position long, relevance double",
            )
        )
        cutoff = 0.0  # no story: none is off topic (`bodo run`'s empty relevance)
        if n:
            lo, hi = ba.typical_ranks(n, topic=topic)
            ranked = scores.select("relevance").orderBy("relevance").rdd.zipWithIndex()
            at = dict(ranked.filter(lambda r: r[1] in (lo, hi)).map(lambda r: (r[1], r[0][0])).collect())
            cutoff = ba.relevance_cutoff(n, at[lo], at[hi], **table_options)

        members = texts.select("position", "date", "outlet").join(story.select("position", "representative"), "position")
        shares = members.groupBy(F.col("representative").alias("position")).agg(
            F.count("*").alias("articles"),
            F.collect_set("date").alias("days"),
            F.collect_set("outlet").alias("outlets"),
        )
        stories = cached(
            analysed.join(shares, "position").join(scores, "position").repartition(partitions)
        )
        schema = "table string, group string, key string, kind string, n long, articles long"
        summed = (
            stories.mapInArrow(_each_batch(ba.story_parts, cutoff=cutoff, **table_options), schema)
            .groupBy("table", "group", "key", "kind")
            .agg(F.sum("n").alias("n"), F.count("*").alias("stories"), F.sum("articles").alias("articles"))
        )
        parts_sums = st.arrow(summed, ["table", "group", "key", "kind"])
        nodes = ba.cooccurrence_nodes(parts_sums, **table_options)
        pairs = (
            stories.mapInArrow(
                _each_batch(ba.story_pairs, nodes=nodes, cutoff=cutoff, **table_options),
                "a string, b string, articles long",
            )
            .groupBy("a", "b")
            .agg(F.count("*").alias("stories"), F.sum("articles").alias("articles"))
        )
        return {
            "relevance": st.arrow(scores, ["position"]),
            "cutoff": cutoff,
            "parts": parts_sums,
            "pairs": st.arrow(pairs, ["a", "b"]),
        }
    finally:
        for df in kept:
            df.unpersist()


def _spark(master: str | None, partitions: int | None, driver_memory: str = "4g") -> Any:
    """A session for ``master`` (``None``: the one ``spark-submit`` set, else ``local[2]``);
    ``driver_memory`` counts only when it starts the JVM (and in ``local[N]`` the executors are
    the driver's JVM: an input file is one binary value there)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("bodo")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.executorEnv.RAYON_NUM_THREADS", "1")
        .config("spark.ui.enabled", "false")
        # The driver log is bodo's line per stage, not Spark's console bars redrawn into it.
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2048")
    )
    # Under spark-submit the JVM is up already (its gateway port is set) with the master given.
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[2]"
    if master is not None:
        builder = builder.master(master)
    if partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions)).config(
            "spark.default.parallelism", str(partitions)
        )
    return builder.getOrCreate()


def _keep_stages_of(work: Path, inputs: Sequence[Any], options: Options, log: Callable[[str], None]) -> None:
    """Keeps the finished stages under ``work`` only if they were made from these inputs (path,
    size, modification time) and stage options; otherwise they are removed, so a run over other
    data never resumes from stale stages. The table options enter no stage and are not compared."""
    def stamp(path: Any) -> list:
        st = os.stat(path)
        return [os.path.abspath(os.fspath(path)), st.st_size, st.st_mtime_ns]

    made_of = {
        "inputs": [stamp(p) for p in inputs],
        "stopwords": [stamp(p) for p in options.stopwords],
        "user_dict": [stamp(p) for p in options.user_dict],
        "options": [options.shingle, options.threshold, options.no_dedup, options.no_learned_boilerplate,
                    options.entity_rules, options.min_keyword_chars],
    }
    record = work / "made-of.json"
    if work.exists() and (not record.exists() or json.loads(record.read_text()) != made_of):
        if any(work.iterdir()):
            log(f"stages in {work} were made from other inputs or options: starting over")
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(made_of) + "\n")


def run(
    inputs: Sequence[str],
    out: str | os.PathLike[str],
    *,
    master: str | None = None,
    partitions: int | None = None,
    spark: Any = None,
    driver_memory: str = "4g",
    options: Options | None = None,
    components: str = "auto",
    driver_edges: int = DRIVER_EDGES,
    tables: str = "auto",
    driver_stories: int = DRIVER_STORIES,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Runs the stages over ``inputs`` with Spark, writes ``out``; gives the manifest.

    ``master``: ``None`` takes the one ``spark-submit`` set (``local[2]`` outside it);
    ``partitions`` defaults to the master's task slots. ``components``: how the ``stories`` stage finds the connected components of the joined
    pairs — ``"driver"`` (union-find in Rust over every scored pair collected to the driver),
    ``"stars"`` (large-star/small-star rounds in Spark, nothing collected) or ``"auto"``
    (driver up to ``driver_edges`` scored pairs, else stars). Both give the same stories.
    ``tables``: how relevance and the keyword, entity and network tables are summed —
    ``"driver"`` (every story's keyword lists collected, summed by the Rust finish),
    ``"grouped"`` (Spark ``groupBy``s over per-story rows, only the sums collected) or
    ``"auto"`` (driver up to ``driver_stories`` stories). Both give the same tables."""
    from pyspark.sql import functions as F

    from ._bodo import OptionError

    if components not in COMPONENTS:
        raise OptionError(f"components: {components!r} is none of {', '.join(COMPONENTS)}")
    if driver_edges < 0:
        raise OptionError(f"driver edges: {driver_edges} is negative")
    if tables not in TABLES:
        raise OptionError(f"tables: {tables!r} is none of {', '.join(TABLES)}")
    if driver_stories < 0:
        raise OptionError(f"driver stories: {driver_stories} is negative")
    options = options or Options()
    log = log or (lambda line: print(f"bodo.spark: {line}", file=sys.stderr, flush=True))
    out = Path(out)
    work = out / ".spark"
    _keep_stages_of(work, inputs, options, log)
    if partitions is None and master is not None:
        partitions = _cores(master)
    own = spark is None
    spark = spark or _spark(master, partitions, driver_memory)
    master = spark.sparkContext.master
    if partitions is None:
        # The master spark-submit set: its task slots, as Spark counts them.
        partitions = spark.sparkContext.defaultParallelism
        spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    started = time.perf_counter()
    st = _Stages(spark, work, log)
    try:
        files = [os.path.abspath(os.fspath(p)) for p in inputs]

        # Each input is one binary file read on an executor (at most 2 GB: Spark's limit for a
        # binary value), parsed by bodo as `bodo run` reads it; `source` names it as given.
        names = {path: (i, os.fspath(given)) for i, (path, given) in enumerate(zip(files, inputs))}

        def binaries() -> Any:
            return spark.read.format("binaryFile").load(files).select("path", "content").repartition(
                min(partitions, len(files))
            )

        def articles() -> Any:
            schema = _spark_schema(pa.RecordBatch.from_pylist([], schema=_records_schema()))
            from pyspark import StorageLevel

            # Kept, so the count below and the write do not both read and normalise the inputs.
            read = binaries().mapInArrow(_read_files(names), schema).persist(StorageLevel.MEMORY_AND_DISK)
            kept.append(read)
            # Positions and record indexes continue across inputs, as in `bodo run`.
            counts = (
                read.groupBy("file").agg(F.count("position").alias("n"), F.first("records").alias("records")).collect()
            )
            by_file = {r["file"]: (r["n"], r["records"]) for r in counts}
            offsets, pos, rec = [], 0, 0
            for i in range(len(files)):
                offsets.append((i, pos, rec))
                n, records = by_file.get(i, (0, None))
                pos += n
                rec += records or 0
            off = spark.createDataFrame(offsets, "file long, position_offset long, index_offset long")
            return (
                read.join(F.broadcast(off), "file")
                .withColumn("position", F.col("position") + F.col("position_offset"))
                .withColumn("index", F.col("index") + F.col("index_offset"))
                .drop("position_offset", "index_offset", "file", "records")
            )

        kept: list[Any] = []
        records = st.stage("articles", articles)
        for df in kept:
            df.unpersist()
        texts = records.where(F.col("reason").isNull()).drop("reason")
        rejected = records.where(F.col("reason").isNotNull()).select("index", "source", "article_id", "reason")
        n_articles = texts.count()
        st.rows["articles"] = n_articles

        def templates_stage() -> Any:
            if options.no_dedup or options.no_learned_boilerplate:
                return spark.createDataFrame([], "kind string, key long")
            return _learned_templates(texts)

        learned = st.arrow(st.stage("templates", templates_stage), ["kind", "key"])
        keys = {
            kind: pc.filter(learned["key"], pc.equal(learned["kind"], kind)).cast(pa.uint64(), safe=False).to_pylist()
            for kind in ("global", "outlet")
        }
        templates = ba.LearnedTemplates(keys["global"], keys["outlet"])
        st.rows["templates"] = len(templates)

        def signatures() -> Any:
            sample = _columns(
                ba.learned_chars(ba.signatures(ba.normalise(ba.read_bytes(b"", "empty.jsonl")[0]))),
                _SIGNATURE_COLUMNS,
            )
            return texts.select("position", "title", "body", "outlet").mapInArrow(
                _signatures(options.shingle, templates), _spark_schema(sample)
            )

        def pairs() -> Any:
            if options.no_dedup:
                return spark.createDataFrame([], "a long, b long, exact boolean")
            return _candidate_pairs(st.stage("signatures", signatures))

        candidate = st.stage("pairs", pairs)

        def verified(pairs: Any) -> Any:
            """``pairs`` (a, b, exact) joined with their texts and scored on the executors."""
            side = lambda s: texts.select(  # noqa: E731
                F.col("position").alias(s),
                F.col("title").alias(f"title_{s}"),
                F.col("body").alias(f"body_{s}"),
                F.col("outlet").alias(f"outlet_{s}"),
            )
            joined = pairs.join(side("a"), "a").join(side("b"), "b").repartition(partitions)
            schema = "a long, b long, exact boolean, similarity double, veto boolean, ratio double, small long"
            return joined.mapInArrow(_verify(options.shingle, templates), schema)

        def scored() -> Any:
            return verified(candidate)

        edges = st.stage("scored", scored)

        found_components: dict[str, Any] = {}

        def stories() -> Any:
            n_edges = edges.count()
            mode = components
            if mode == "auto":
                mode = "driver" if n_edges <= driver_edges else "stars"
            found_components.update(mode=mode, edges=n_edges, driver_edges=driver_edges)
            log(f"stories: {n_edges:,} scored pairs, components by {mode}")
            if mode == "stars":
                found, rounds = _stars_stories(
                    spark, texts, edges, options.threshold, work / "stars", partitions, (n_articles, n_edges)
                )
                found_components["rounds"] = rounds
                log(f"stories: {rounds} large-star/small-star rounds")
                return found
            e = st.arrow(edges, ["a", "b"])
            arts = st.arrow(texts.select("position", "chars", "date"), ["position"])
            found = ba.clusters(
                _single(e) if e.num_rows else pa.RecordBatch.from_pylist([], schema=e.schema),
                _single(arts),
                threshold=options.threshold,
            )
            return st.from_arrow(pa.Table.from_batches([_signed(found)]))

        story = st.stage("stories", stories)

        def copy_pairs() -> Any:
            if options.no_dedup:
                return spark.createDataFrame([], "a long, b long, exact boolean")
            exact = st.stage("signatures", signatures).select("position", "exact")
            rows = story.select("position", "representative").join(exact, "position").join(
                exact.select(F.col("position").alias("representative"), F.col("exact").alias("representative_exact")),
                "representative",
            )
            return rows.mapInArrow(_each_batch(ba.copy_pair_rows), "a long, b long, exact boolean")

        copies = st.stage("copies", lambda: verified(st.stage("copy_pairs", copy_pairs)))

        def analysed() -> Any:
            reps = (
                texts.join(story.where(F.col("representative") == F.col("position")).select("position"), "position")
                .select("position", "title", "body", "date", "outlet")
                .repartition(partitions)
            )
            schema = (
                "position long, keywords array<struct<keyword:string,kind:string,count:long>>, "
                "mentions array<struct<field:string,start:long,end:long,surface:string,entity:string,type:string>>"
            )
            return reps.mapInArrow(_analyse(options, templates), schema)

        done = st.stage("analysed", analysed)

        # The tables: relevance and the keyword, entity and network sums by Spark groupBys
        # (`_grouped`), or from every story's keyword lists on the driver (`--tables`); on the
        # driver every article's row (no text), the stories, each story's mentions, the copies'
        # scores and the rejected records, in position order.
        started_tables = time.perf_counter()
        n_stories = done.count()
        how = tables if tables != "auto" else ("driver" if n_stories <= driver_stories else "grouped")
        log(f"tables: {n_stories:,} stories, sums by {how}")
        grouped = _grouped(st, texts, story, done, options, partitions) if how == "grouped" else None
        rows = texts.drop("body")
        if not options.no_dedup:
            learned_chars = st.stage("signatures", signatures).select("position", "learned_boilerplate_chars")
            rows = rows.join(learned_chars, "position", "left")
        result = ba.write(
            out,
            st.arrow(rows, ["position"]),
            st.arrow(story, ["position"]),
            st.arrow(done if grouped is None else done.select("position", "mentions"), ["position"]),
            rejected=st.arrow(rejected, ["index"]),
            copies=st.arrow(copies.select("a", "b", "similarity"), ["a", "b"]),
            inputs=list(inputs),
            grouped=grouped,
            **options.run_options(),
        )
        manifest = {
            "command": ["python", "-m", "bodo.spark", *map(str, inputs), "--out", str(out), "--master", master],
            "master": master,
            "partitions": partitions,
            "spark": spark.version,
            "inputs": files,
            "counts": result.counts,
            "stage_rows": st.rows,
            "stage_seconds": st.times,
            "components": found_components or {"mode": "stories stage finished before"},
            "tables": {"mode": how, "stories": n_stories, "driver_stories": driver_stories},
            "tables_seconds": round(time.perf_counter() - started_tables, 3),
            "outputs": result.manifest["outputs"],
            "seconds": round(time.perf_counter() - started, 3),
        }
        (out / "spark-manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        c = result.counts
        log(f"done in {manifest['seconds']:.1f} s: {c['read']:,} records, {c['analysed']:,} stories")
        return manifest
    finally:
        if own:
            spark.stop()


def _cores(master: str) -> int:
    if master.startswith("local[") and master.endswith("]"):
        n = master[6:-1]
        return os.cpu_count() or 1 if n == "*" else int(n)
    return 2 * (os.cpu_count() or 1)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bodo.spark",
        description="bodo's pipeline as Apache Spark stages over bodo.arrow's batch functions: the "
        "same tables, charts and report.html as `bodo run` on the same inputs.",
        epilog="example: python -m bodo.spark dump/*.jsonl -o reports --master 'local[4]' "
        "--driver-memory 8g. Clusters, sizing and resuming: docs/spark.md.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL, CSV or Parquet files of articles, or the formats `bodo run` reads (one file is one read task)")
    p.add_argument("-o", "--out", default="reports", help="report directory, as `bodo run -o` (default: reports); stages are kept in OUT/.spark/ so a failed run resumes")
    p.add_argument("--master", help="Spark master (default: the one spark-submit sets, else local[2])")
    p.add_argument("--partitions", type=int, metavar="N", help="partitions of the per-article stages (default: the master's task slots)")
    p.add_argument("--driver-memory", default="4g", help="driver JVM heap for a local master (default: 4g; 100k articles ran in 6g)")
    p.add_argument(
        "--components",
        choices=COMPONENTS,
        default="auto",
        help="stories' connected components: union-find on the driver, large-star/small-star rounds "
        "in Spark, or auto (driver up to --driver-edges scored pairs; default)",
    )
    p.add_argument(
        "--driver-edges",
        type=int,
        default=DRIVER_EDGES,
        metavar="N",
        help=f"auto: most scored pairs the driver's union-find takes (default {DRIVER_EDGES:,})",
    )
    p.add_argument(
        "--tables",
        choices=TABLES,
        default="auto",
        help="relevance and the keyword, entity and network tables: summed on the driver from every "
        "story's keyword lists, by Spark groupBys, or auto (driver up to --driver-stories; default)",
    )
    p.add_argument(
        "--driver-stories",
        type=int,
        default=DRIVER_STORIES,
        metavar="N",
        help=f"auto: most stories whose keyword lists the driver collects (default {DRIVER_STORIES:,})",
    )
    p.add_argument("--shingle-size", type=int, metavar="N", help="characters per shingle when comparing articles (bodo run's default: 5)")
    p.add_argument("--dedup-threshold", type=float, metavar="0..1", help="containment above which two articles are one story (bodo run's default)")
    p.add_argument("--no-dedup", action="store_true", help="every article its own story")
    p.add_argument("--no-learned-boilerplate", action="store_true", help="do not learn outlet templates from the dump")
    p.add_argument("--entity-rules", action="store_true", help="entity spans by the rules alone instead of the KLUE-trained tagger")
    p.add_argument("--stopwords", action="append", default=[], metavar="FILE", help="extra stopwords, one per line; repeatable")
    p.add_argument("--min-keyword-chars", type=int, default=2, metavar="N", help="drop keywords shorter than N characters (default: 2)")
    p.add_argument("--user-dict", action="append", default=[], metavar="FILE", help="extra names for the entity recogniser (surface,type,canonical,source CSV); repeatable")
    # bodo run's relevance, table and output options, passed on to bodo.arrow.write when given
    # (their defaults are bodo run's).
    tables = p.add_argument_group("tables", "as `bodo run`'s, same defaults; `bodo run --help` explains each")
    tables.add_argument("--topic", metavar="QUERY", help="score relevance against this query instead of the dump's centroid")
    tables.add_argument("--off-topic-ratio", type=float, metavar="0..1", help="off topic below this share of the median story's relevance")
    tables.add_argument("--keep-off-topic", action="store_true", default=None, help="count off-topic stories in the keyword, entity and network tables")
    tables.add_argument("--keywords-per-group", type=int, metavar="N", help="keywords per day and per outlet")
    tables.add_argument("--cooccurrence-terms", type=int, metavar="N", help="nodes of the co-occurrence network")
    tables.add_argument("--cooccurrence-min", type=int, metavar="N", help="least stories a listed pair shares")
    tables.add_argument("--bin", metavar="UNIT", help="timeline unit: day, week, month, year or auto")
    tables.add_argument("--no-charts", action="store_true", default=None, help="tables only: no charts/ and no report.html")
    tables.add_argument("--font", metavar="PATH", help="font for the charts and report instead of the embedded NanumGothic")
    tables.add_argument("--excel", action="store_true", default=None, help="CSVs for Excel (byte-order mark, formula-safe cells)")
    tables.add_argument("--parquet", action="store_true", default=None, help="also every table as Parquet")
    tables.add_argument("--force", action="store_true", default=None, help="write into OUT even when it holds files that are not a bodo report")
    args = p.parse_args(argv)
    given = {a.dest: getattr(args, a.dest) for a in tables._group_actions if getattr(args, a.dest) is not None}
    try:
        options = Options(
            shingle_size=args.shingle_size,
            dedup_threshold=args.dedup_threshold,
            no_dedup=args.no_dedup,
            no_learned_boilerplate=args.no_learned_boilerplate,
            entity_rules=args.entity_rules,
            stopwords=args.stopwords,
            min_keyword_chars=args.min_keyword_chars,
            user_dict=args.user_dict,
            **given,
        )
        run(
            args.inputs,
            args.out,
            master=args.master,
            partitions=args.partitions,
            driver_memory=args.driver_memory,
            options=options,
            components=args.components,
            driver_edges=args.driver_edges,
            tables=args.tables,
            driver_stories=args.driver_stories,
        )
    except (OSError, BodoError) as e:
        print(f"bodo.spark: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
