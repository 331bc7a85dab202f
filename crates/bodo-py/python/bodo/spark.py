"""bodo's pipeline as Apache Spark stages over the :mod:`bodo.arrow` batch functions.

A thin driver: every analysis step is a Rust stage function called through ``bodo.arrow``
(in ``DataFrame.mapInArrow`` on the executors, or on the driver for the global steps), so a
Spark run gives ``bodo run``'s stories and mentions. Each stage is written to Parquet under
``OUT/.spark/<stage>``; a stage whose ``_SUCCESS`` marker is there is read back, not re-run, so
a failed run resumes from the last finished stage (same inputs and options assumed).

The stages, in order::

    articles    inputs read by bodo (binary files → read_bytes), normalised; position = run order
    templates   outlet templates learned over the texts in position order (driver)
    signatures  per-article dedup signatures (mapInArrow)
    pairs       candidate pairs over all signatures (driver, Rust)
    scored      each pair joined with its two texts and verified (mapInArrow)
    stories     union-find over the scored pairs (driver, Rust): cluster_id, representative
    analysed    each story's representative analysed (mapInArrow): keywords, mentions

then ``mentions.csv`` and ``stories.csv`` in ``OUT``, and ``OUT/spark-manifest.json``.

Still driver-side (they hold every signature or edge in the driver's memory): templates,
candidates and union-find. Executors run with ``RAYON_NUM_THREADS=1`` and every call gets
``threads=1``: Spark already runs one task per core.

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

__all__ = ["Options", "run", "main"]

BATCH = 2048  # articles per Arrow batch out of the read stage

STAGES = ["articles", "templates", "signatures", "pairs", "scored", "stories", "analysed"]


class Options:
    """``bodo run``'s options this driver takes so far (names as its flags)."""

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
    ) -> None:
        self.shingle = shingle_size or ba._SHINGLE
        self.threshold = ba._THRESHOLD if dedup_threshold is None else dedup_threshold
        self.no_dedup = no_dedup
        self.no_learned_boilerplate = no_learned_boilerplate
        self.entity_rules = entity_rules
        self.stopwords = list(stopwords)
        self.min_keyword_chars = min_keyword_chars
        self.user_dict = list(user_dict)


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
        for file, articles, rejected in _inputs(batches, names):
            records = articles.num_rows + rejected.num_rows
            for start in range(0, articles.num_rows, BATCH):
                texts = ba.normalise(articles.slice(start, BATCH), threads=1)
                yield _signed(
                    ba._with(
                        texts,
                        {
                            "file": pa.array([file] * texts.num_rows, pa.int64()),
                            "records": pa.array([records] * texts.num_rows, pa.int64()),
                        },
                    )
                )

    return apply


def _signatures(shingle: int) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _executor_setup()
        for batch in batches:
            sig = ba.signatures(batch, shingle=shingle, threads=1)
            yield _signed(_columns(sig, ["position", "exact", "minhash", "keys", "prints", "short"]))

    return apply


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
            sample = ba.normalise(ba.read_bytes(b"", "empty.jsonl")[0])
            schema = _spark_schema(
                ba._with(sample, {"file": pa.array([], pa.int64()), "records": pa.array([], pa.int64())})
            )
            from pyspark import StorageLevel

            # Kept, so the count below and the write do not both read and normalise the inputs.
            read = binaries().mapInArrow(_read_files(names), schema).persist(StorageLevel.MEMORY_AND_DISK)
            kept.append(read)
            # Positions and record indexes continue across inputs, as in `bodo run`.
            counts = read.groupBy("file").agg(F.count("*").alias("n"), F.first("records").alias("records")).collect()
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
                .drop("position_offset", "index_offset", "file", "records")
            )

        kept: list[Any] = []
        texts = st.stage("articles", articles)
        for df in kept:
            df.unpersist()
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
                ba.signatures(ba.normalise(ba.read_bytes(b"", "empty.jsonl")[0])),
                ["position", "exact", "minhash", "keys", "prints", "short"],
            )
            return texts.select("position", "title", "body").mapInArrow(
                _signatures(options.shingle), _spark_schema(sample)
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

        def scored() -> Any:
            side = lambda s: texts.select(  # noqa: E731
                F.col("position").alias(s),
                F.col("title").alias(f"title_{s}"),
                F.col("body").alias(f"body_{s}"),
                F.col("outlet").alias(f"outlet_{s}"),
            )
            joined = candidate.join(side("a"), "a").join(side("b"), "b").repartition(partitions)
            schema = "a long, b long, exact boolean, similarity double, veto boolean, ratio double, small long"
            return joined.mapInArrow(_verify(options.shingle, templates), schema)

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
        tables = _write_tables(spark, texts, story, done, out)
        manifest = {
            "command": ["python", "-m", "bodo.spark", *map(str, inputs), "--out", str(out), "--master", master],
            "master": master,
            "partitions": partitions,
            "spark": spark.version,
            "inputs": files,
            "counts": {"articles": n_articles, "stories": story.select("cluster_id").distinct().count(), **st.rows},
            "stage_seconds": st.times,
            "tables": tables,
            "seconds": round(time.perf_counter() - started, 3),
        }
        (out / "spark-manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        log(f"done in {manifest['seconds']:.1f} s: {n_articles:,} articles, {manifest['counts']['stories']:,} stories")
        return manifest
    finally:
        if own:
            spark.stop()


def _write_tables(spark: Any, texts: Any, story: Any, analysed: Any, out: Path) -> list[str]:
    """``mentions.csv`` (as ``bodo run`` writes it) and ``stories.csv`` (each article's story)."""
    from pyspark.sql import functions as F

    import csv

    ids = texts.select("position", "article_id")
    mentions = (
        analysed.select("position", F.posexplode("mentions").alias("i", "m"))
        .join(ids, "position")
        .select("position", "i", "article_id", "m.field", "m.start", "m.end", "m.surface", "m.entity", "m.type")
        .orderBy("position", "i")
        .toArrow()
    )
    with open(out / "mentions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["article_id", "field", "start", "end", "surface", "entity", "type"])
        for row in mentions.drop_columns(["position", "i"]).to_pylist():
            w.writerow(row.values())
    rep_ids = ids.select(F.col("position").alias("representative"), F.col("article_id").alias("representative_id"))
    stories = (
        story.join(ids, "position")
        .join(rep_ids, "representative")
        .select("position", "article_id", "cluster_id", "representative_id")
        .orderBy("position")
        .toArrow()
    )
    with open(out / "stories.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["article_id", "cluster_id", "status", "duplicate_of"])
        for r in stories.to_pylist():
            rep = r["representative_id"] == r["article_id"]
            w.writerow([r["article_id"], r["cluster_id"], "analysed" if rep else "duplicate", "" if rep else r["representative_id"]])
    return ["mentions.csv", "stories.csv"]


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
    p.add_argument("--min-keyword-chars", type=int, default=2)
    p.add_argument("--user-dict", action="append", default=[])
    args = p.parse_args(argv)
    options = Options(
        shingle_size=args.shingle_size,
        dedup_threshold=args.dedup_threshold,
        no_dedup=args.no_dedup,
        no_learned_boilerplate=args.no_learned_boilerplate,
        entity_rules=args.entity_rules,
        min_keyword_chars=args.min_keyword_chars,
        user_dict=args.user_dict,
    )
    try:
        run(
            args.inputs,
            args.out,
            master=args.master,
            partitions=args.partitions,
            driver_memory=args.driver_memory,
            options=options,
        )
    except OSError as e:
        print(f"bodo.spark: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
