"""bodo's pipeline as Apache Spark stages over the :mod:`bodo.arrow` batch functions.

A thin driver: every analysis step is a Rust stage function called through ``bodo.arrow``
(in ``DataFrame.mapInArrow`` on the executors, or on the driver for the global steps), so a
Spark run writes ``bodo run``'s files. Each stage is written to Parquet under
``OUT/.spark/<stage>``; a stage whose ``_SUCCESS`` marker is there is read back, not re-run, so
a failed run resumes from the last finished stage (same inputs and options assumed).

The stages, in order::

    articles    inputs read by bodo (binary files → read_bytes), normalised; position = run order;
                rejected records as rows with a ``reason``
    templates   outlet templates learned over the texts in position order (driver)
    signatures  per-article dedup signatures and learned-template characters (mapInArrow)
    pairs       candidate pairs over all signatures (driver, Rust)
    scored      each pair joined with its two texts and verified (mapInArrow)
    stories     union-find over the scored pairs (driver, Rust): cluster_id, representative
    copy_pairs  each copy with its representative, texts not identical (driver, Rust)
    copies      each copy pair joined with its texts and verified (mapInArrow)
    analysed    each story's representative analysed (mapInArrow): keywords, mentions

then, on the driver, ``bodo.arrow.write``: relevance, aggregation, every table, ``mentions.csv``,
the charts, ``report.html`` and ``manifest.json`` in ``OUT``, by the library code ``bodo run``
ends with; and ``OUT/spark-manifest.json`` (stages, seconds).

Still driver-side (they hold every signature, edge or story in the driver's memory): templates,
candidates, union-find, copy pairs, and the tables: the articles' rows (no text) and every
story's keywords and mentions are collected there. Executors run with ``RAYON_NUM_THREADS=1``
and every call gets ``threads=1``: Spark already runs one task per core.

Usage: ``python -m bodo.spark INPUT... --out DIR --master local[2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
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


def _batches(table: pa.Table) -> list[pa.RecordBatch]:
    return table.combine_chunks().to_batches() or [pa.RecordBatch.from_pylist([], schema=table.schema)]


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
            self.log(f"{name}: finished before, read from {path}")
        else:
            started = time.perf_counter()
            build().write.mode("overwrite").parquet(path)
            self.times[name] = round(time.perf_counter() - started, 3)
            self.log(f"{name}: {self.times[name]:.1f} s")
        df = self.spark.read.parquet(path)
        return df

    def arrow(self, df: Any, order: Sequence[str]) -> pa.Table:
        """A stage's rows on the driver, in ``order``."""
        return df.orderBy(*order).toArrow()

    def from_arrow(self, table: pa.Table) -> Any:
        return self.spark.createDataFrame(table)


def _spark(master: str, partitions: int, driver_memory: str = "4g") -> Any:
    """A session for ``master``; ``driver_memory`` counts only when it starts the JVM (and in
    ``local[N]`` the executors are the driver's JVM: an input file is one binary value there)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName("bodo")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.executorEnv.RAYON_NUM_THREADS", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2048")
    )
    return builder.getOrCreate()


def run(
    inputs: Sequence[str],
    out: str | os.PathLike[str],
    *,
    master: str = "local[2]",
    partitions: int | None = None,
    spark: Any = None,
    driver_memory: str = "4g",
    options: Options | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Runs the stages over ``inputs`` with Spark, writes ``out``; gives the manifest."""
    from pyspark.sql import functions as F

    options = options or Options()
    log = log or (lambda line: print(f"bodo.spark: {line}", file=sys.stderr, flush=True))
    out = Path(out)
    work = out / ".spark"
    work.mkdir(parents=True, exist_ok=True)
    if partitions is None:
        partitions = _cores(master)
    own = spark is None
    spark = spark or _spark(master, partitions, driver_memory)
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
                keys: tuple[list[int], list[int]] = ([], [])
            else:
                ordered = st.arrow(texts.select("position", "title", "body", "outlet", "date"), ["position"])
                counter = ba.TemplateCounter()
                for batch in _batches(ordered):
                    counter.add(batch)
                keys = counter.learn().keys()
            table = pa.table(
                {
                    "kind": pa.array(["global"] * len(keys[0]) + ["outlet"] * len(keys[1])),
                    "key": pa.array(keys[0] + keys[1], pa.uint64()).cast(pa.int64(), safe=False),
                }
            )
            return st.from_arrow(table) if table.num_rows else spark.createDataFrame([], "kind string, key long")

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
            sig = st.arrow(st.stage("signatures", signatures), ["position"])
            sig = sig.set_column(
                sig.schema.get_field_index("keys"), "keys", sig["keys"].cast(pa.list_(pa.uint64()), safe=False)
            )
            found = ba.candidates(_single(sig))
            return st.from_arrow(pa.Table.from_batches([_signed(found)]))

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

        def stories() -> Any:
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
            empty = spark.createDataFrame([], "a long, b long, exact boolean")
            if options.no_dedup:
                return empty
            exact = st.arrow(st.stage("signatures", signatures).select("position", "exact"), ["position"])
            found = ba.copy_pairs(st.arrow(story.select("position", "representative"), ["position"]), exact)
            return st.from_arrow(pa.Table.from_batches([_signed(found)])) if found.num_rows else empty

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

        # The tables, on the driver: every article's row (no text), every story's keywords and
        # mentions, the copies' scores and the rejected records, in position order.
        started_tables = time.perf_counter()
        rows = texts.drop("body")
        if not options.no_dedup:
            learned_chars = st.stage("signatures", signatures).select("position", "learned_boilerplate_chars")
            rows = rows.join(learned_chars, "position", "left")
        result = ba.write(
            out,
            st.arrow(rows, ["position"]),
            st.arrow(story, ["position"]),
            st.arrow(done, ["position"]),
            rejected=st.arrow(rejected, ["index"]),
            copies=st.arrow(copies.select("a", "b", "similarity"), ["a", "b"]),
            inputs=list(inputs),
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
    p = argparse.ArgumentParser(prog="python -m bodo.spark", description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--out", default="reports")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--partitions", type=int)
    p.add_argument("--driver-memory", default="4g")
    p.add_argument("--shingle-size", type=int)
    p.add_argument("--dedup-threshold", type=float)
    p.add_argument("--no-dedup", action="store_true")
    p.add_argument("--no-learned-boilerplate", action="store_true")
    p.add_argument("--entity-rules", action="store_true")
    p.add_argument("--stopwords", action="append", default=[])
    p.add_argument("--min-keyword-chars", type=int, default=2)
    p.add_argument("--user-dict", action="append", default=[])
    # bodo run's relevance, table and output options, passed on to bodo.arrow.write when given
    # (their defaults are bodo run's).
    tables = p.add_argument_group("tables (as bodo run's)")
    tables.add_argument("--topic")
    tables.add_argument("--off-topic-ratio", type=float)
    tables.add_argument("--keep-off-topic", action="store_true", default=None)
    tables.add_argument("--keywords-per-group", type=int)
    tables.add_argument("--cooccurrence-terms", type=int)
    tables.add_argument("--cooccurrence-min", type=int)
    tables.add_argument("--bin")
    tables.add_argument("--no-charts", action="store_true", default=None)
    tables.add_argument("--font")
    tables.add_argument("--excel", action="store_true", default=None)
    tables.add_argument("--parquet", action="store_true", default=None)
    tables.add_argument("--force", action="store_true", default=None)
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
        )
    except (OSError, BodoError) as e:
        print(f"bodo.spark: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
