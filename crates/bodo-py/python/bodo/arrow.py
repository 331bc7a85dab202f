"""bodo's per-batch stages as Arrow functions, for engines (Spark ``mapInArrow``, Ray, DuckDB).

Each function takes a ``pyarrow.RecordBatch`` (or a ``pyarrow.Table``, or any object with the
Arrow PyCapsule interface, ``__arrow_c_array__``) and gives a ``pyarrow.RecordBatch``; columns
it does not use are passed through. They call the Rust stage functions the ``bodo run``
command calls (``bodo::normalise::batch``, ``bodo::dedup::signatures``/``candidates``/
``verify``/``clusters``, ``bodo::analyse::batch``), so the same articles give the same results
byte for byte; nothing is randomly seeded, and the dictionary is loaded once per process.

The stages of a dedup and analysis, as ``bodo run`` chains them::

    articles, rejected = bodo.arrow.read(["dump.jsonl"])      # position = row
    texts = bodo.arrow.normalise(articles)
    templates = bodo.arrow.learn_templates(texts)              # outlet templates of the dump
    pairs = bodo.arrow.candidates(bodo.arrow.signatures(texts))
    scored = bodo.arrow.verify(bodo.arrow.pair_texts(pairs, texts), templates=templates)
    stories = bodo.arrow.clusters(scored, texts)               # cluster_id, representative
    reps = texts.filter(pc.equal(stories["representative"], stories["position"]))
    analysed = bodo.arrow.analyse(reps, templates=templates)   # keywords, mentions
    copies = bodo.arrow.verify(bodo.arrow.pair_texts(bodo.arrow.copy_pairs(stories, sig), texts),
                               templates=templates)            # each copy against its story
    texts = bodo.arrow.learned_chars(texts, templates=templates)
    tables = bodo.arrow.tables(texts, stories, analysed, rejected=rejected, copies=copies)
    bodo.arrow.write("reports", texts, stories, analysed, rejected=rejected, copies=copies,
                     inputs=["dump.jsonl"])                    # bodo run's files, charts, report

(``sig`` is ``bodo.arrow.signatures(texts)``.) An engine that should not hold every signature
in one place gets ``candidates``' pairs from ``candidate_keys`` per batch, a group-by on
``(kind, key)`` with the members in position order, and ``bucket_pairs`` per batch of buckets
(taken distinct), as ``bodo.spark`` does. ``tables`` and ``write`` take ``bodo run``'s
relevance and table options (``topic=``, ``keep_off_topic=``, ``keywords_per_group=``, …) and
call the library code ``bodo run`` finishes with (relevance, aggregation, tables, charts,
report), so they give its files. An engine that should not hold every story's keywords in one
place sums the rows of the per-story functions ``relevance_parts``, ``relevance_scores``,
``story_parts`` and ``story_pairs`` itself and gives the sums to ``tables``/``write`` as
``grouped=`` (see :func:`tables`), as ``bodo.spark`` does with ``groupBy``s.

``threads=0`` uses one worker per core inside the call; give ``threads=1`` on an engine's
executors, which already run one task per core. Batches are converted to Python lists at the
boundary (the cost is measured in ``crates/bodo-py/bench/overhead.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from . import _bodo

if TYPE_CHECKING:
    from . import Result

__all__ = [
    "read",
    "read_bytes",
    "normalise",
    "signatures",
    "candidates",
    "candidate_keys",
    "bucket_pairs",
    "pair_texts",
    "verify",
    "clusters",
    "analyse",
    "TemplateCounter",
    "learn_templates",
    "learned_chars",
    "learned_keys",
    "template_keys",
    "copy_pairs",
    "copy_pair_rows",
    "topic_keywords",
    "topic_query",
    "relevance_parts",
    "centroid",
    "relevance_scores",
    "typical_ranks",
    "relevance_cutoff",
    "story_parts",
    "cooccurrence_nodes",
    "story_pairs",
    "tables",
    "write",
]

_SHINGLE, _THRESHOLD = _bodo.dedup_defaults()


def _batch(data: Any) -> pa.RecordBatch:
    """A RecordBatch from a RecordBatch, a Table or an Arrow PyCapsule object."""
    if isinstance(data, pa.RecordBatch):
        return data
    if isinstance(data, pa.Table):
        return data.combine_chunks().to_batches()[0] if data.num_rows else pa.RecordBatch.from_pylist([], schema=data.schema)
    return pa.record_batch(data)


def _column(batch: pa.RecordBatch, name: str, default: Any = None) -> list:
    index = batch.schema.get_field_index(name)
    if index < 0:
        if default is not None:
            return [default] * batch.num_rows
        raise KeyError(f"the batch has no column {name!r} (columns: {', '.join(batch.schema.names)})")
    return batch.column(index).to_pylist()


def _pairs(a: Sequence[int], b: Sequence[int], exact: Sequence[bool]) -> pa.RecordBatch:
    """Pairs of positions as :func:`candidates` and :func:`copy_pairs` give them to
    :func:`pair_texts` and :func:`verify`: ``a < b``, and whether the two texts are identical."""
    return pa.RecordBatch.from_arrays(
        [pa.array(a, pa.uint32()), pa.array(b, pa.uint32()), pa.array(exact, pa.bool_())],
        names=["a", "b", "exact"],
    )


def _optional(batch: pa.RecordBatch, name: str) -> list:
    index = batch.schema.get_field_index(name)
    return batch.column(index).to_pylist() if index >= 0 else [None] * batch.num_rows


def _with(batch: pa.RecordBatch, columns: dict[str, pa.Array]) -> pa.RecordBatch:
    """``batch`` with ``columns`` added or replaced (in place of a column of the same name)."""
    arrays = dict(zip(batch.schema.names, batch.columns))
    arrays.update(columns)
    return pa.RecordBatch.from_arrays(list(arrays.values()), names=list(arrays.keys()))


def read(inputs: Sequence[str]) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """The records of ``inputs`` (any format ``bodo run`` reads) in run order: the articles
    (``position``, ``index``, ``article_id``, ``source``, ``outlet``, ``date`` ISO, ``date_raw``,
    ``title``, ``body``, ``url``, and a BIGKinds export's cells ``bigkinds_people``,
    ``bigkinds_places``, ``bigkinds_organisations``, ``bigkinds_keywords``, null for other
    inputs) and the rejected records (``index``, ``source``, ``article_id``, ``reason``).
    ``position`` numbers the articles, as dedup does."""
    import os

    return _records(*_bodo.read([os.fspath(p) for p in inputs]))


def read_bytes(data: bytes, name: str) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """:func:`read` of an input held in memory (an upload, a blob, a Spark binary file), read
    as the file ``name`` would be: its format from the extension or the content, compressed or
    zipped as files may be; sources are ``name:line``."""
    return _records(*_bodo.read([name], bytes(data)))


_BIGKINDS = ["bigkinds_people", "bigkinds_places", "bigkinds_organisations", "bigkinds_keywords"]


def _records(articles: list, rejected: list) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    names = ["index", "article_id", "source", "outlet", "date", "date_raw", "title", "body", "url"]
    columns = list(zip(*articles)) if articles else [[] for _ in range(len(names) + 1)]
    arrays = [pa.array(range(len(articles)), pa.uint32())]
    arrays += [pa.array(c, pa.uint64() if n == "index" else pa.string()) for n, c in zip(names, columns)]
    cells = columns[len(names)]
    arrays += [pa.array([c[i] if c is not None else None for c in cells], pa.string()) for i in range(4)]
    rej_names = ["index", "source", "article_id", "reason"]
    rej_columns = list(zip(*rejected)) if rejected else [[] for _ in rej_names]
    rej = [pa.array(c, pa.uint64() if n == "index" else pa.string()) for n, c in zip(rej_names, rej_columns)]
    return (
        pa.RecordBatch.from_arrays(arrays, names=["position", *names, *_BIGKINDS]),
        pa.RecordBatch.from_arrays(rej, names=rej_names),
    )


def normalise(batch: Any, *, threads: int = 0) -> pa.RecordBatch:
    """``title`` and ``body`` normalised (NFC, widths, whitespace, HTML, boilerplate), plus
    ``boilerplate_chars`` (removed from the body) and ``chars`` (of the normalised body)."""
    batch = _batch(batch)
    titles, bodies, boilerplate, chars = _bodo.normalise(
        _column(batch, "title"), _column(batch, "body"), threads
    )
    return _with(
        batch,
        {
            "title": pa.array(titles, pa.string()),
            "body": pa.array(bodies, pa.string()),
            "boilerplate_chars": pa.array(boilerplate, pa.uint64()),
            "chars": pa.array(chars, pa.uint64()),
        },
    )


def signatures(batch: Any, *, shingle: int = _SHINGLE, threads: int = 0) -> pa.RecordBatch:
    """Each normalised text's dedup signature: ``exact`` (128-bit hash, 16 bytes), ``minhash``
    (72 values), ``keys`` (headline and lead keys), ``prints`` (lead prints), ``short``."""
    batch = _batch(batch)
    exact, minhash, keys, prints, short = _bodo.signatures(
        _column(batch, "title"), _column(batch, "body"), shingle, threads
    )
    return _with(
        batch,
        {
            "exact": pa.array(exact, pa.binary(16)),
            "minhash": pa.array(minhash, pa.list_(pa.uint32())),
            "keys": pa.array(keys, pa.list_(pa.uint64())),
            "prints": pa.array(prints, pa.list_(pa.uint32())),
            "short": pa.array(short, pa.bool_()),
        },
    )


def candidates(batch: Any, *, threads: int = 0) -> pa.RecordBatch:
    """The candidate pairs among *all* the signatures (one table, rows in position order): LSH
    bands, headlines and lead keys, as ``bodo run``; ``a < b`` are row numbers, ``exact`` marks
    identical texts (scored 1 without reading them)."""
    batch = _batch(batch)
    a, b, exact = _bodo.candidates(
        _column(batch, "exact"),
        _column(batch, "minhash"),
        _column(batch, "keys"),
        _column(batch, "prints"),
        _column(batch, "short"),
        threads,
    )
    return _pairs(a, b, exact)


def candidate_keys(batch: Any) -> pa.RecordBatch:
    """The buckets each signature belongs to, one row per bucket: ``kind`` (0 a lead print,
    1–3 a headline or lead key slot, 4… an LSH band), ``key`` (uint64), ``position`` (the
    batch's ``position`` column, else the row number) and ``short``. Works on any batch of
    signatures: grouped by ``(kind, key)`` across all of them and given to :func:`bucket_pairs`,
    the buckets propose exactly :func:`candidates`' pairs."""
    batch = _batch(batch)
    positions = _column(batch, "position") if "position" in batch.schema.names else list(range(batch.num_rows))
    kind, key, position, short = _bodo.candidate_keys(
        positions,
        _column(batch, "minhash"),
        # Keys stored bit for bit as signed (Spark has no uint64) are cast back.
        batch.column("keys").cast(pa.list_(pa.uint64()), safe=False).to_pylist(),
        _column(batch, "prints"),
        _column(batch, "short"),
    )
    return pa.RecordBatch.from_arrays(
        [
            pa.array(kind, pa.uint32()),
            pa.array(key, pa.uint64()),
            pa.array(position, pa.uint32()),
            pa.array(short, pa.bool_()),
        ],
        names=["kind", "key", "position", "short"],
    )


def bucket_pairs(batch: Any) -> pa.RecordBatch:
    """The pairs ``a < b`` (positions) the buckets propose, one bucket a row: ``kind`` (as
    :func:`candidate_keys` gives it), ``members`` (the positions sharing the key, ascending,
    distinct) and ``shorts`` (each member's ``short``). Buckets are independent, so a batch may
    hold any of them; pairs repeat across buckets (take them distinct), and a bucket of one
    member gives none."""
    batch = _batch(batch)
    a, b = _bodo.bucket_pairs(_column(batch, "kind"), _column(batch, "members"), _column(batch, "shorts"))
    return pa.RecordBatch.from_arrays([pa.array(a, pa.uint32()), pa.array(b, pa.uint32())], names=["a", "b"])


def pair_texts(pairs: Any, texts: Any) -> pa.RecordBatch:
    """``pairs`` with each side's normalised text and outlet (``title_a``, ``body_a``,
    ``outlet_a``, ``title_b``, …) taken from ``texts`` by row: what :func:`verify` reads (an
    engine does this join itself)."""
    pairs, texts = _batch(pairs), _batch(texts)
    columns: dict[str, pa.Array] = {}
    for side in ("a", "b"):
        rows = pairs.column(pairs.schema.get_field_index(side))
        for name in ("title", "body", "outlet"):
            index = texts.schema.get_field_index(name)
            if index >= 0:
                columns[f"{name}_{side}"] = texts.column(index).take(rows)
    return _with(pairs, columns)


def verify(
    batch: Any,
    *,
    shingle: int = _SHINGLE,
    templates: "LearnedTemplates | None" = None,
    threads: int = 0,
) -> pa.RecordBatch:
    """Each pair (``a``, ``b``, ``exact``, ``title_a``, ``body_a``, ``title_b``, ``body_b``,
    optionally ``outlet_a``, ``outlet_b``) scored on its texts' shingles, learned template left
    out: ``similarity`` (containment; Jaccard for short texts), ``veto`` (a number of the shorter
    text's headline or lead missing from the longer), ``ratio`` (sizes), ``small`` (the smaller
    text's position)."""
    batch = _batch(batch)
    exact = _column(batch, "exact", False) if batch.schema.get_field_index("exact") < 0 else _column(batch, "exact")
    similarity, veto, ratio, small = _bodo.verify(
        _column(batch, "a"),
        _column(batch, "b"),
        [bool(e) for e in exact],
        (_column(batch, "title_a"), _column(batch, "body_a")),
        (_column(batch, "title_b"), _column(batch, "body_b")),
        _optional(batch, "outlet_a"),
        _optional(batch, "outlet_b"),
        shingle,
        templates,
        threads,
    )
    return _with(
        batch,
        {
            "similarity": pa.array(similarity, pa.float64()),
            "veto": pa.array(veto, pa.bool_()),
            "ratio": pa.array(ratio, pa.float64()),
            "small": pa.array(small, pa.uint32()),
        },
    )


def clusters(edges: Any, articles: Any, *, threshold: float = _THRESHOLD) -> pa.RecordBatch:
    """Union-find over scored pairs (``a``, ``b``, ``similarity``, ``veto``, ``ratio``,
    ``small``; any order) into stories: for every row of ``articles`` (``chars``, ``date``) its
    ``position``, ``cluster_id`` (1, 2, … in order of each story's first article) and
    ``representative`` (the position of its most complete article), as ``bodo run``."""
    edges, articles = _batch(edges), _batch(articles)
    cluster_id, representative = _bodo.clusters(
        _column(edges, "a"),
        _column(edges, "b"),
        _column(edges, "similarity"),
        _column(edges, "veto"),
        _column(edges, "ratio"),
        _column(edges, "small"),
        _column(articles, "chars"),
        _optional(articles, "date"),
        threshold,
    )
    n = articles.num_rows
    return pa.RecordBatch.from_arrays(
        [
            pa.array(range(n), pa.uint32()),
            pa.array(cluster_id, pa.uint32()),
            pa.array(representative, pa.uint32()),
        ],
        names=["position", "cluster_id", "representative"],
    )


_KEYWORD = pa.struct([("keyword", pa.string()), ("kind", pa.string()), ("count", pa.uint64())])
_MENTION = pa.struct(
    [
        ("field", pa.string()),
        ("start", pa.uint64()),
        ("end", pa.uint64()),
        ("surface", pa.string()),
        ("entity", pa.string()),
        ("type", pa.string()),
    ]
)


def analyse(
    batch: Any,
    *,
    templates: "LearnedTemplates | None" = None,
    entity_rules: bool = False,
    stopwords: Sequence[str] = (),
    min_keyword_chars: int = 2,
    user_dict: Sequence[str] = (),
    threads: int = 0,
) -> pa.RecordBatch:
    """Each normalised text (``title``, ``body``, optionally ``date`` and ``outlet``) analysed
    as ``bodo run`` analyses a story's representative: ``keywords`` (keyword, kind — entity type
    or noun tags —, count; sorted) and ``mentions`` (field, start, end in characters, surface,
    entity, type). Options as ``bodo run``'s."""
    batch = _batch(batch)
    keywords, mentions = _bodo.analyse_batch(
        _column(batch, "title"),
        _column(batch, "body"),
        _optional(batch, "date"),
        _optional(batch, "outlet"),
        templates,
        entity_rules,
        list(stopwords),
        min_keyword_chars,
        list(user_dict),
        threads,
    )
    (k_offsets, *k_columns), (m_offsets, *m_columns) = keywords, mentions
    return _with(
        batch,
        {
            "keywords": _lists(k_offsets, k_columns, _KEYWORD),
            "mentions": _lists(m_offsets, m_columns, _MENTION),
        },
    )


def _lists(offsets: list[int], columns: list[list], item: pa.StructType) -> pa.ListArray:
    """A list<struct> column from row offsets and the struct's flat columns."""
    values = pa.StructArray.from_arrays(
        [pa.array(c, item.field(i).type) for i, c in enumerate(columns)],
        fields=list(item),
    )
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values, type=pa.list_(item))


LearnedTemplates = _bodo.LearnedTemplates


class TemplateCounter:
    """Counts, batch by batch in input order, the units outlet templates are learned from
    (normalised ``title``, ``body``, ``outlet``, ``date``); :meth:`learn` gives the templates
    :func:`verify` and :func:`analyse` leave out, as ``bodo run`` learns them from a dump."""

    def __init__(self) -> None:
        self._counter = _bodo.TemplateCounter()

    def add(self, batch: Any, *, threads: int = 0) -> None:
        batch = _batch(batch)
        self._counter.add(
            _column(batch, "title"),
            _column(batch, "body"),
            _optional(batch, "outlet"),
            _optional(batch, "date"),
            threads,
        )

    def learn(self) -> LearnedTemplates:
        return self._counter.learn()


def learn_templates(*batches: Any, threads: int = 0) -> LearnedTemplates:
    """The templates of normalised batches (a dump, in input order)."""
    counter = TemplateCounter()
    for batch in batches:
        counter.add(batch, threads=threads)
    return counter.learn()


def template_keys(batch: Any, *, threads: int = 0) -> pa.RecordBatch:
    """The keys each normalised text (``title``, ``body``, optionally ``outlet`` and ``date``)
    is counted under for the templates, one row per key: ``outlet`` (counted within the
    outlet), ``key`` (uint64), ``day`` (days since 1950-01-01; null when undated). Grouped by
    ``(outlet, key)`` over a whole dump in any order — ``articles`` the rows, ``days`` the
    distinct days, ``first``/``last`` the least and greatest — they are what
    :func:`learned_keys` decides on, and give :class:`TemplateCounter`'s templates."""
    batch = _batch(batch)
    outlet, key, day = _bodo.template_keys(
        _column(batch, "title"), _column(batch, "body"), _optional(batch, "outlet"), _optional(batch, "date"), threads
    )
    return pa.RecordBatch.from_arrays(
        [pa.array(outlet, pa.bool_()), pa.array(key, pa.uint64()), pa.array(day, pa.int32())],
        names=["outlet", "key", "day"],
    )


def learned_keys(counts: Any) -> pa.RecordBatch:
    """The template keys among grouped :func:`template_keys` counts (columns ``outlet``,
    ``key``, ``articles``, ``days``, ``first``, ``last``): ``kind`` (``"global"`` or
    ``"outlet"``) and ``key`` (uint64) of each key the rules make template."""
    counts = _batch(counts)
    outlet = _column(counts, "outlet")
    learned = pa.array(
        _bodo.learned_keys(
            outlet, _column(counts, "articles"), _column(counts, "days"), _column(counts, "first"), _column(counts, "last")
        ),
        pa.bool_(),
    )
    kind = pa.array(["outlet" if o else "global" for o in outlet], pa.string())
    key = counts.column("key").cast(pa.uint64(), safe=False)
    return pa.RecordBatch.from_arrays(
        [pc.filter(kind, learned), pc.filter(key, learned)], names=["kind", "key"]
    )


def learned_chars(
    batch: Any, *, templates: "LearnedTemplates | None" = None, threads: int = 0
) -> pa.RecordBatch:
    """``learned_boilerplate_chars``: the characters of each normalised text (``title``,
    ``body``, optionally ``outlet``) that are learned template, as ``articles.csv`` gives them
    (0 without templates)."""
    batch = _batch(batch)
    chars = _bodo.learned_chars(
        _column(batch, "title"), _column(batch, "body"), _optional(batch, "outlet"), templates, threads
    )
    return _with(batch, {"learned_boilerplate_chars": pa.array(chars, pa.uint64())})


def copy_pairs(stories: Any, signatures: Any) -> pa.RecordBatch:
    """Each copy with its story's representative (``a < b``, positions) whose texts are not
    identical, as ``bodo run`` compares them for ``similarity_to_representative``: ``stories``
    as :func:`clusters` gives them, ``signatures`` (:func:`signatures`' ``exact`` hashes, by
    ``position``) tell exact copies, which score 1 unread. :func:`verify` (after
    :func:`pair_texts`) scores the pairs; :func:`tables` takes them as ``copies``."""
    stories = _sorted(_batch(stories))
    exact = _column(_sorted(_batch(signatures)), "exact")
    a, b = _bodo.copy_pairs(_column(stories, "representative"), exact)
    return _pairs(a, b, [False] * len(a))


def copy_pair_rows(batch: Any) -> pa.RecordBatch:
    """:func:`copy_pairs` over rows an engine has joined, in any order: ``position``,
    ``representative``, ``exact`` and ``representative_exact`` (the two exact hashes); the
    pairs of the rows that give one (a copy whose text is not its representative's)."""
    batch = _batch(batch)
    a, b = _bodo.copy_pair_rows(
        _column(batch, "position"),
        _column(batch, "representative"),
        _column(batch, "exact"),
        _column(batch, "representative_exact"),
    )
    return _pairs(a, b, [False] * len(a))


def _sorted(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` in ``position`` order (as it is when it has no ``position``)."""
    if batch.schema.get_field_index("position") < 0:
        return batch
    positions = batch.column(batch.schema.get_field_index("position"))
    order = pc.sort_indices(positions)
    return batch.take(order)


def _flat(lists: pa.Array, fields: Sequence[str]) -> list:
    """A list<struct> column as row offsets and the structs' columns (Python lists)."""
    lists = lists.combine_chunks() if isinstance(lists, pa.ChunkedArray) else lists
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_pylist()
    offsets = [0]
    for n in lengths:
        offsets.append(offsets[-1] + n)
    values = pc.list_flatten(lists)
    return [offsets, *(values.field(f).to_pylist() for f in fields)]


def _run_columns(articles: Any, stories: Any, analysed: Any, rejected: Any, copies: Any) -> dict:
    """What the Rust side makes the tables from, as Python lists (see :func:`tables`)."""
    articles, stories, analysed = (_sorted(_batch(b)) for b in (articles, stories, analysed))
    n = articles.num_rows

    def counts(name: str) -> list:
        return _column(articles, name) if articles.schema.get_field_index(name) >= 0 else [0] * n

    cells = [_optional(articles, name) for name in _BIGKINDS]
    bigkinds = [None if all(c is None for c in row) else tuple(c or "" for c in row) for row in zip(*cells)]
    no = [[], [], [], []]
    rej = _batch(rejected) if rejected is not None else None
    cop = _batch(copies) if copies is not None else None
    return {
        "articles": {
            "index": _column(articles, "index"),
            "article_id": _column(articles, "article_id"),
            "source": _column(articles, "source"),
            "outlet": _optional(articles, "outlet"),
            "date": _optional(articles, "date"),
            "date_raw": _optional(articles, "date_raw"),
            "url": _optional(articles, "url"),
            "title": _column(articles, "title"),
            "chars": _column(articles, "chars"),
            "boilerplate_chars": counts("boilerplate_chars"),
            "learned_boilerplate_chars": counts("learned_boilerplate_chars"),
            "bigkinds": bigkinds,
        },
        "cluster_id": _column(stories, "cluster_id"),
        "representative": _column(stories, "representative"),
        "rejected": tuple(_column(rej, c) for c in ("index", "source", "article_id", "reason")) if rej else tuple(no),
        "copies": tuple(_column(cop, c) for c in ("a", "b", "similarity")) if cop else ([], [], []),
        "position": _column(analysed, "position"),
        "keywords": tuple(_flat(analysed.column(analysed.schema.get_field_index("keywords")), ["keyword", "kind", "count"]))
        if "keywords" in analysed.schema.names
        else ([0] * (analysed.num_rows + 1), [], [], []),
        "mentions": tuple(
            _flat(
                analysed.column(analysed.schema.get_field_index("mentions")),
                ["field", "start", "end", "surface", "entity", "type"],
            )
        ),
    }


# ---------------------------------------------------------------------------------------------
# Relevance and the tables' sums per batch of stories, for an engine that sums them itself (a
# `groupBy`, as `bodo.spark`): each function is the Rust code `bodo run` calls per story, the
# engine only sums the rows (integers: any order, any partitioning gives the same sums) and
# hands the sums to `tables`/`write` as `grouped=`.


def topic_keywords(**options: Any) -> list[str]:
    """The keywords of ``options``' ``topic`` as ``bodo run`` analyses a ``--topic`` query
    (none without a topic): look up their ``df`` and give them to :func:`topic_query`."""
    from . import _options

    return _bodo.topic_keywords(_options(options))


def topic_query(found: Any, **options: Any) -> pa.RecordBatch:
    """The topic's keywords found in the dump (``keyword``, ``df`` over every story), checked:
    a topic none of whose keywords occurs raises ``OptionError``, as ``bodo run``. The
    ``query=`` of :func:`relevance_parts` and :func:`centroid` (empty without a topic)."""
    from . import _options

    found = _batch(found)
    keywords, dfs = _bodo.topic_query(_options(options), _column(found, "keyword"), _column(found, "df"))
    return pa.record_batch({"keyword": pa.array(keywords, pa.string()), "df": pa.array(dfs, pa.uint64())})


def _query(query: Any) -> tuple[list, list]:
    if query is None:
        return [], []
    query = _batch(query)
    return _column(query, "keyword"), _column(query, "df")


def _terms(batch: pa.RecordBatch, fields: Sequence[str]) -> list:
    return _flat(batch.column(batch.schema.get_field_index("terms")), fields)


def relevance_parts(batch: Any, *, stories: int, query: Any = None) -> pa.RecordBatch:
    """What each story adds to the centroid relevance is measured against: ``terms``
    (list of ``keyword``, ``count``, ``df`` — the keyword's stories among all ``stories``) per
    story; rows ``keyword``, ``hi``, ``lo`` (a fixed-point part as two int64 limbs: sum each per
    keyword, exactly, and give the sums to :func:`centroid`)."""
    batch = _batch(batch)
    offsets, keywords, counts, dfs = _terms(batch, ["keyword", "count", "df"])
    keys, hi, lo = _bodo.relevance_parts((offsets, keywords, counts, dfs), stories, _query(query))
    return pa.record_batch(
        {"keyword": pa.array(keys, pa.string()), "hi": pa.array(hi, pa.int64()), "lo": pa.array(lo, pa.int64())}
    )


def centroid(sums: Any, *, stories: int, query: Any = None) -> tuple[pa.RecordBatch, float, bool]:
    """The centroid from :func:`relevance_parts` summed per keyword (``keyword``, ``hi``,
    ``lo``): (rows ``keyword``, ``centroid``; ``|centroid|²``; whether against a topic), for
    :func:`relevance_scores`."""
    sums = _batch(sums)
    keys, weights, square, topic = _bodo.centroid(
        _column(sums, "keyword"), _column(sums, "hi"), _column(sums, "lo"), stories, _query(query)
    )
    rows = pa.record_batch({"keyword": pa.array(keys, pa.string()), "centroid": pa.array(weights, pa.float64())})
    return rows, square, topic


def relevance_scores(batch: Any, *, stories: int, square: float, topic: bool) -> pa.RecordBatch:
    """Each story's ``relevance`` (``position`` passed through): ``terms`` as for
    :func:`relevance_parts` plus each keyword's ``centroid`` weight (null: none)."""
    batch = _batch(batch)
    offsets, keywords, counts, dfs, weights = _terms(batch, ["keyword", "count", "df", "centroid"])
    scores = _bodo.relevance_scores((offsets, keywords, counts, dfs), weights, stories, square, topic)
    return pa.record_batch({"position": batch.column(batch.schema.get_field_index("position")),
                            "relevance": pa.array(scores, pa.float64())})


def typical_ranks(stories: int, *, topic: bool) -> tuple[int, int]:
    """The two ranks (0-based, scores ascending) between which the typical story's score lies:
    give the scores found there to :func:`relevance_cutoff`."""
    return _bodo.typical_ranks(stories, topic)


def relevance_cutoff(stories: int, low: float, high: float, **options: Any) -> float:
    """The relevance below which a story is off topic, from the scores at
    :func:`typical_ranks` (``options``: ``topic``, ``off_topic_ratio``)."""
    from . import _options

    return _bodo.relevance_cutoff(_options(options), stories, low, high)


def _groups(batch: pa.RecordBatch, name: str) -> tuple[list, list]:
    lists = batch.column(batch.schema.get_field_index(name))
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_pylist()
    offsets = [0]
    for n in lengths:
        offsets.append(offsets[-1] + n)
    return offsets, pc.list_flatten(lists).to_pylist()


def story_parts(batch: Any, *, cutoff: float, **options: Any) -> pa.RecordBatch:
    """Each story's rows of the keyword and entity tables' sums, from ``keywords`` and
    ``mentions`` (:func:`analyse`), ``relevance``, ``articles`` (the articles it stands for),
    ``days`` (ISO dates; empty: none) and ``outlets`` (of its articles): ``table``, ``group``, ``key``, ``kind``, ``n``,
    ``articles`` — summed by (``table``, ``group``, ``key``, ``kind``) into ``n``, ``stories``
    (rows summed) and ``articles``, they are ``grouped=``'s ``parts``. A story counts when on
    topic by ``cutoff`` (or with ``keep_off_topic=True``); every story gives its keywords' kinds."""
    from . import _options

    batch = _batch(batch)
    keywords = tuple(_flat(batch.column(batch.schema.get_field_index("keywords")), ["keyword", "kind", "count"]))
    mentions = tuple(
        _flat(
            batch.column(batch.schema.get_field_index("mentions")),
            ["field", "start", "end", "surface", "entity", "type"],
        )
    )
    table, group, key, kind, n, _, articles = _bodo.story_parts(
        keywords,
        mentions,
        _column(batch, "relevance"),
        _column(batch, "articles"),
        _groups(batch, "days"),
        _groups(batch, "outlets"),
        cutoff,
        _options(options),
    )
    return pa.record_batch(
        {
            "table": pa.array(table, pa.string()),
            "group": pa.array(group, pa.string()),
            "key": pa.array(key, pa.string()),
            "kind": pa.array(kind, pa.string()),
            "n": pa.array(n, pa.int64()),
            "articles": pa.array(articles, pa.int64()),
        }
    )


def cooccurrence_nodes(parts: Any, **options: Any) -> list[str]:
    """The co-occurrence network's nodes (keywords) from the summed :func:`story_parts`
    (``table``, ``group``, ``key``, ``kind``, ``n``, ``stories``, ``articles``)."""
    from . import _options

    return _bodo.cooccurrence_nodes(_parts(parts), _options(options))


def _parts(parts: Any) -> tuple:
    parts = _batch(parts)
    return tuple(_column(parts, c) for c in ("table", "group", "key", "kind", "n", "stories", "articles"))


def story_pairs(batch: Any, *, nodes: Sequence[str], cutoff: float, **options: Any) -> pa.RecordBatch:
    """Each counted story's pairs of network ``nodes`` (``a`` before ``b`` in their order) and
    the ``articles`` it stands for, from ``keywords``, ``relevance`` and ``articles``: summed by
    (``a``, ``b``) into ``stories`` (rows) and ``articles``, they are ``grouped=``'s ``pairs``."""
    from . import _options

    batch = _batch(batch)
    keywords = tuple(_flat(batch.column(batch.schema.get_field_index("keywords")), ["keyword", "kind", "count"]))
    a, b, articles = _bodo.story_pairs(
        keywords, _column(batch, "relevance"), _column(batch, "articles"), list(nodes), cutoff, _options(options)
    )
    return pa.record_batch(
        {"a": pa.array(a, pa.string()), "b": pa.array(b, pa.string()), "articles": pa.array(articles, pa.int64())}
    )


def _grouped(grouped: Any) -> dict | None:
    """``grouped=`` as the Rust side takes it: ``relevance`` (``position``, ``relevance`` per
    story), ``cutoff``, ``parts`` and ``pairs`` (summed)."""
    if grouped is None:
        return None
    scores = _sorted(_batch(grouped["relevance"]))
    pairs = _batch(grouped["pairs"])
    return {
        "relevance": _column(scores, "relevance"),
        "cutoff": grouped["cutoff"],
        "parts": _parts(grouped["parts"]),
        "pairs": tuple(_column(pairs, c) for c in ("a", "b", "stories", "articles")),
    }


def _table(data: bytes) -> pa.Table:
    """A table the Rust side gave as Parquet bytes, strings as plain ``string`` columns."""
    import pyarrow.parquet as pq

    table = pq.read_table(pa.BufferReader(data))
    schema = pa.schema(
        [
            pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) or pa.types.is_string_view(f.type) else f
            for f in table.schema
        ]
    )
    return table.cast(schema)


def tables(
    articles: Any,
    stories: Any,
    analysed: Any,
    *,
    rejected: Any = None,
    copies: Any = None,
    grouped: Any = None,
    **options: Any,
) -> dict[str, pa.Table]:
    """Every table ``bodo run`` writes but ``mentions.csv`` (which is ``analysed``'s
    ``mentions``), by name (``"keywords"`` is keywords.csv), from the stages' results:

    - ``articles``: every readable article, normalised (:func:`normalise`'s columns, from
      :func:`read`: ``position``, ``index``, ``article_id``, ``source``, ``outlet``, ``date``,
      ``date_raw``, ``url``, ``title``, ``chars``, ``boilerplate_chars``; optionally
      :func:`learned_chars`' ``learned_boilerplate_chars`` and the ``bigkinds_*`` cells);
    - ``stories``: :func:`clusters`' ``position``, ``cluster_id``, ``representative``;
    - ``analysed``: :func:`analyse` of the representatives (``position``, ``keywords``,
      ``mentions``), one row each;
    - ``rejected``: :func:`read`'s rejected records (``index``, ``source``, ``article_id``,
      ``reason``), placed among the articles by ``index`` as in ``articles.csv``;
    - ``copies``: the :func:`copy_pairs` scored by :func:`verify` (``a``, ``b``,
      ``similarity``); without them every copy's similarity is 1.

    Rows may come in any order (they are put in ``position`` order). ``options`` are ``bodo
    run``'s, named as its flags, with its defaults: ``topic=None``, ``off_topic_ratio=0.4``,
    ``keep_off_topic=False``, ``keywords_per_group=100``, ``cooccurrence_terms=200``,
    ``cooccurrence_min=2``, ``bin="auto"``, and the analysis options the stories were analysed
    with (``stopwords``, ``min_keyword_chars``, ``user_dict``: the topic query is analysed with
    them). The tables are the DataFrames ``bodo run`` writes as CSV, with their types.
    Columns that do not describe one run (a representative that is not analysed, lengths that
    differ) raise ``ValueError``; a topic none of whose words occurs raises ``OptionError``.

    ``grouped``: relevance and the keyword, entity and network tables' sums computed by an
    engine from the per-story functions above (``relevance``: ``position``, ``relevance`` per
    story; ``cutoff``; ``parts``: :func:`story_parts` summed; ``pairs``: :func:`story_pairs`
    summed). ``analysed`` then needs no ``keywords`` (only ``mentions``, for the entities'
    BIGKinds comparison and ``mentions.csv``); the tables are the same.
    """
    from . import _options

    columns = _run_columns(articles, stories, analysed, rejected, copies)
    frames = _bodo.tables(columns, _options(options), _grouped(grouped))
    return {name.removesuffix(".csv"): _table(data) for name, data in frames}


def write(
    out: Any,
    articles: Any,
    stories: Any,
    analysed: Any,
    *,
    rejected: Any = None,
    copies: Any = None,
    inputs: Sequence[Any] = (),
    grouped: Any = None,
    **options: Any,
) -> "Result":
    """Writes into ``out`` what ``bodo run`` writes — every table of :func:`tables`,
    ``mentions.csv``, the charts, ``report.html`` and ``manifest.json`` — with the library code
    ``bodo run`` writes them with; staged, and moved into ``out`` only when complete.
    ``inputs``: the files the articles were read from (the manifest lists them with their
    sha256, as the report does). ``options`` as for :func:`tables`, plus ``bodo run``'s output
    options: ``excel``, ``parquet``, ``no_charts``, ``font``, ``force``. Gives the
    :class:`bodo.Result` of ``out``. The manifest's ``stories.dedup`` counts and ``run``
    section are the engine's to know and are left at zero here.
    """
    import os

    from . import Result, _command, _options

    paths = [os.fspath(p) for p in inputs]
    columns = _run_columns(articles, stories, analysed, rejected, copies)
    command = _command("bodo.arrow.write", paths, out, options)
    written = json.loads(_bodo.write(os.fspath(out), paths, columns, _options(options), command, _grouped(grouped)))
    return Result(Path(out), written["counts"])
