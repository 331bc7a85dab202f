"""bodo (보도): how Korean news covered an event, from Python.

The same Rust stages as the ``bodo`` command (one implementation, built into this module):

- :func:`run` analyses dumps exactly as ``bodo run`` does, writes the same files and gives a
  :class:`Result` whose tables are polars DataFrames read from the CSVs it wrote;
- :func:`tokenize`, :func:`nouns`, :func:`entities` and :func:`normalise` analyse one text;
- :mod:`bodo.arrow` has the per-batch stages (normalise, signatures, candidates, verify,
  clusters, analyse) as ``pyarrow.RecordBatch -> pyarrow.RecordBatch`` functions for engines.

Rust work runs with the GIL released, in parallel unless ``threads=1``; errors are
:class:`BodoError` (:class:`InputError` names the file and line); Ctrl-C stops a run at its
next batch and leaves ``out`` as it was.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple, Sequence, Union

from . import _bodo
from ._bodo import DICTIONARY, BodoError, InputError, OptionError, __version__

PathLike = Union[str, "os.PathLike[str]"]

__all__ = [
    "run",
    "load",
    "Result",
    "read_table",
    "tokenize",
    "nouns",
    "entities",
    "normalise",
    "Morpheme",
    "Noun",
    "Mention",
    "BodoError",
    "InputError",
    "OptionError",
    "DICTIONARY",
    "__version__",
]

#: The tables ``bodo run`` writes, by attribute name (``result.keywords`` is keywords.csv).
TABLES = (
    "articles",
    "clusters",
    "keywords",
    "keywords_by_day",
    "keywords_by_outlet",
    "entities",
    "entities_by_day",
    "cooccurrence",
    "timeline",
    "timeline_binned",
    "outlets",
    "rejected",
    "bigkinds_entities_overlap",
)


def read_table(path: PathLike):
    """One CSV bodo wrote, as a polars DataFrame: every column's type inferred from the whole
    file (not its first rows), every empty field null."""
    import polars as pl

    return pl.read_csv(path, infer_schema_length=None)


class Result:
    """A finished run: its directory, counts and manifest, and its tables as polars DataFrames
    (read from the CSVs on first use; ``mentions`` as a LazyFrame, as it can be large)."""

    def __init__(self, out: Path, counts: dict[str, int]):
        self.out = out
        #: ``read = analysed + duplicate + rejected``, unparsed dates, boilerplate, keywords.
        self.counts: dict[str, int] = counts
        self._tables: dict[str, Any] = {}
        self._manifest: dict[str, Any] | None = None

    @property
    def manifest(self) -> dict[str, Any]:
        """manifest.json as a dict."""
        if self._manifest is None:
            self._manifest = json.loads((self.out / "manifest.json").read_text("utf-8"))
        return self._manifest

    def table(self, name: str):
        """The table ``name`` (``"keywords"`` or ``"keywords.csv"``) as a DataFrame."""
        name = name.removesuffix(".csv")
        if name not in TABLES:
            raise KeyError(f"{name}: not a table of bodo run ({', '.join(TABLES)})")
        if name not in self._tables:
            self._tables[name] = read_table(self.out / f"{name}.csv")
        return self._tables[name]

    @property
    def mentions(self):
        """mentions.csv as a polars LazyFrame (one row per entity mention: it can be large)."""
        import polars as pl

        return pl.scan_csv(self.out / "mentions.csv", infer_schema_length=None)

    def __getattr__(self, name: str):
        if name in TABLES:
            return self.table(name)
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(TABLES))

    def __repr__(self) -> str:
        c = self.counts
        return (
            f"<bodo.Result {self.out}: read {c['read']} · analysed {c['analysed']} · "
            f"duplicates {c['duplicate']} · rejected {c['rejected']}>"
        )


def run(
    inputs: PathLike | Sequence[PathLike],
    out: PathLike = "reports",
    **options: Any,
) -> Result:
    """Analyses ``inputs`` as ``bodo run`` does and writes its tables, charts, report.html and
    manifest.json into ``out``.

    ``options`` are ``bodo run``'s, named as its flags with ``_`` for ``-`` and the same
    defaults: ``threads=0`` (one per core), ``no_dedup=False``, ``topic=None``,
    ``entity_rules=False``, ``parquet=False``, ``force=False``, ``bin="auto"``,
    ``stopwords=[...]``, ``user_dict=[...]``, … (see ``bodo run --help``). An unknown name or a
    bad value raises :class:`OptionError`; an unreadable input :class:`InputError` naming it.

    >>> r = bodo.run(["data/seoul-shinmun-kakao-outage-search.txt"], out="reports-py")
    >>> r.counts["read"], r.counts["analysed"]
    (20, 15)
    >>> r.keywords.head(3)
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths = [os.fspath(p) for p in inputs]
    command = _command("bodo.run", paths, out, options)
    counts = _bodo.run(paths, os.fspath(out), _options(options), command)
    return Result(Path(out), json.loads(counts))


def _options(options: dict[str, Any]) -> str:
    """``bodo run``'s options as the JSON the Rust side reads (paths as strings, a single
    stopword or dictionary file as a list)."""
    options = dict(options)
    for key in ("stopwords", "user_dict"):
        if isinstance(options.get(key), (str, os.PathLike)):
            options[key] = [options[key]]
    for key in ("stopwords", "user_dict", "font"):
        if key in options and options[key] is not None:
            value = options[key]
            options[key] = [os.fspath(v) for v in value] if isinstance(value, (list, tuple)) else os.fspath(value)
    return json.dumps(options)


def _command(what: str, paths: Sequence[str], out: PathLike, options: dict[str, Any]) -> list[str]:
    """The manifest's ``command_line`` of a call from Python."""
    command = ["python", what, *paths, f"out={os.fspath(out)}"]
    return command + [f"{k}={v!r}" for k, v in sorted(options.items())]


def load(out: PathLike = "reports") -> Result:
    """The :class:`Result` of a run already written to ``out`` (by ``bodo run`` or
    :func:`run`): its tables and manifest, read when used."""
    out = Path(out)
    manifest = out / "manifest.json"
    if not manifest.is_file():
        raise InputError(f"{manifest}: no bodo run here (run `bodo run INPUT -o {out}` first)")
    result = Result(out, {})
    result.counts = result.manifest["counts"]
    return result


class Morpheme(NamedTuple):
    """One morpheme: ``start`` and ``end`` are character offsets into the text."""

    surface: str
    tag: str
    features: list[str]
    start: int
    end: int


class Noun(NamedTuple):
    """A keyword noun (compounds joined), its ko-dic tags (``NNP+NNG``), character offsets."""

    keyword: str
    tags: str
    start: int
    end: int


class Mention(NamedTuple):
    """An entity mention: its surface, type (PER, ORG, LOC, DATE, TIME), canonical name."""

    surface: str
    type: str
    entity: str
    start: int
    end: int


def tokenize(text: str) -> list[Morpheme]:
    """ko-dic's morphemes of ``text`` (MeCab-ko's analysis, as ``bodo tokenize``); each line is a
    sentence of its own.

    >>> [m.surface + "/" + m.tag for m in bodo.tokenize("카카오 먹통")]
    ['카카오/NNP', '먹통/NNG']
    """
    return [Morpheme(*m) for m in _bodo.tokenize(text)]


def nouns(text: str) -> list[Noun]:
    """The keyword nouns bodo counts in ``text`` (``bodo tokenize --nouns``), before stopwords."""
    return [Noun(*n) for n in _bodo.nouns(text)]


def entities(
    text: str,
    date: str | None = None,
    *,
    entity_rules: bool = False,
    user_dict: Sequence[PathLike] = (),
) -> list[Mention]:
    """The entities of ``text`` read as an article body; relative dates (``지난 15일``) resolve
    against ``date`` (``YYYY-MM-DD``). ``entity_rules=True``: the rules alone, as
    ``bodo run --entity-rules``."""
    dicts = [os.fspath(p) for p in user_dict]
    return [Mention(*m) for m in _bodo.entities(text, date, entity_rules, dicts)]


def normalise(text: str, title: str | None = None) -> str | tuple[str, str]:
    """``text`` as bodo analyses an article body: NFC, widths folded, whitespace collapsed, HTML
    and news boilerplate removed. With ``title``, gives ``(title, body)`` normalised."""
    titles, bodies, _, _ = _bodo.normalise([title or ""], [text], 1)
    return bodies[0] if title is None else (titles[0], bodies[0])

