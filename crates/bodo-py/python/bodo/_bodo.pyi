"""Stubs of `bodo._bodo`, the compiled module (pyo3) `bodo` and `bodo.arrow` wrap.

Columns cross as Python lists, in row order; `threads=0` means one worker per core.
"""

from typing import Optional, TypedDict

__version__: str
DICTIONARY: str

class BodoError(Exception): ...

class InputError(BodoError):
    path: str
    line: Optional[int]

class OptionError(BodoError): ...

class LearnedTemplates:
    def __init__(self, global_keys: list[int], outlet_keys: list[int]) -> None: ...
    def __len__(self) -> int: ...
    def keys(self) -> tuple[list[int], list[int]]: ...
    def __reduce__(self) -> tuple[type, tuple[list[int], list[int]]]: ...

class TemplateCounter:
    def __init__(self) -> None: ...
    def add(
        self,
        titles: list[str],
        bodies: list[str],
        outlets: list[Optional[str]],
        dates: list[Optional[str]],
        threads: int = 0,
    ) -> None: ...
    def learn(self) -> LearnedTemplates: ...

def template_keys(
    titles: list[str],
    bodies: list[str],
    outlets: list[Optional[str]],
    dates: list[Optional[str]],
    threads: int = 0,
) -> tuple[list[bool], list[int], list[Optional[int]]]: ...
def learned_keys(
    outlet: list[bool],
    articles: list[int],
    days: list[int],
    first: list[Optional[int]],
    last: list[Optional[int]],
) -> list[bool]: ...

def check_options(options: str) -> None:
    """Raises OptionError when `bodo run`'s options (JSON) are not valid."""

def run(inputs: list[str], out: str, options: str, command_line: list[str]) -> str:
    """`bodo run`; `options` is a JSON object of its flags; gives the counts as JSON."""

def tokenize(text: str) -> list[tuple[str, str, list[str], int, int]]: ...
def nouns(text: str) -> list[tuple[str, str, int, int]]: ...
def entities(
    text: str, date: Optional[str] = None, entity_rules: bool = False, user_dict: list[str] = ...
) -> list[tuple[str, str, str, int, int]]: ...
def normalise(
    titles: list[str], bodies: list[str], threads: int = 0
) -> tuple[list[str], list[str], list[int], list[int]]: ...
def signatures(
    titles: list[str], bodies: list[str], shingle: int, threads: int = 0
) -> tuple[list[bytes], list[list[int]], list[list[int]], list[list[int]], list[bool]]: ...
def candidates(
    exact: list[bytes],
    minhash: list[list[int]],
    keys: list[list[int]],
    prints: list[list[int]],
    short: list[bool],
    threads: int = 0,
) -> tuple[list[int], list[int], list[bool]]: ...
def candidate_keys(
    positions: list[int],
    minhash: list[list[int]],
    keys: list[list[int]],
    prints: list[list[int]],
    short: list[bool],
) -> tuple[list[int], list[int], list[int], list[bool]]: ...
def bucket_pairs(
    kinds: list[int], members: list[list[int]], shorts: list[list[bool]]
) -> tuple[list[int], list[int]]: ...
def verify(
    a: list[int],
    b: list[int],
    exact: list[bool],
    texts_a: tuple[list[str], list[str]],
    texts_b: tuple[list[str], list[str]],
    outlets_a: list[Optional[str]],
    outlets_b: list[Optional[str]],
    shingle: int,
    templates: Optional[LearnedTemplates] = None,
    threads: int = 0,
) -> tuple[list[float], list[bool], list[float], list[int]]: ...
def clusters(
    a: list[int],
    b: list[int],
    similarity: list[float],
    veto: list[bool],
    ratio: list[float],
    small: list[int],
    chars: list[int],
    dates: list[Optional[str]],
    threshold: float,
) -> tuple[list[int], list[int]]: ...
def analyse_batch(
    titles: list[str],
    bodies: list[str],
    dates: list[Optional[str]],
    outlets: list[Optional[str]],
    templates: Optional[LearnedTemplates] = None,
    entity_rules: bool = False,
    stopwords: list[str] = ...,
    min_keyword_chars: int = 2,
    user_dict: list[str] = ...,
    threads: int = 0,
) -> tuple[
    tuple[list[int], list[str], list[str], list[int]],
    tuple[list[int], list[str], list[int], list[int], list[str], list[str], list[str]],
]:
    """(keyword offsets, keyword, kind, count), (mention offsets, field, start, end, surface,
    entity, type): row i's are offsets[i]..offsets[i + 1]."""

def read(
    inputs: list[str], data: Optional[bytes] = None
) -> tuple[
    list[
        tuple[
            int,
            str,
            str,
            Optional[str],
            Optional[str],
            Optional[str],
            str,
            str,
            Optional[str],
            Optional[tuple[str, str, str, str]],
        ]
    ],
    list[tuple[int, str, Optional[str], str]],
]:
    """Articles (index, id, source, outlet, ISO date, raw date, title, body, url, BIGKinds
    cells: people, places, organisations, keywords) and rejected records (index, source, id,
    reason)."""

def learned_chars(
    titles: list[str],
    bodies: list[str],
    outlets: list[Optional[str]],
    templates: Optional[LearnedTemplates] = None,
    threads: int = 0,
) -> list[int]: ...
def copy_pairs(representative: list[int], exact: list[bytes]) -> tuple[list[int], list[int]]:
    """(a, b): each copy with its representative, smaller position first, exact hashes differing."""

def copy_pair_rows(
    position: list[int],
    representative: list[int],
    exact: list[Optional[bytes]],
    representative_exact: list[Optional[bytes]],
) -> tuple[list[int], list[int]]:
    """`copy_pairs` over joined rows: the pairs of the rows that give one."""

class _ArticleColumns(TypedDict):
    index: list[int]
    article_id: list[str]
    source: list[str]
    outlet: list[Optional[str]]
    date: list[Optional[str]]
    date_raw: list[Optional[str]]
    url: list[Optional[str]]
    title: list[str]
    chars: list[int]
    boilerplate_chars: list[int]
    learned_boilerplate_chars: list[int]
    bigkinds: list[Optional[tuple[str, str, str, str]]]

class RunColumns(TypedDict):
    """What `tables` and `write` make a run's tables from (`bodo.arrow._run_columns`)."""

    articles: _ArticleColumns
    cluster_id: list[int]
    representative: list[int]
    rejected: tuple[list[int], list[str], list[Optional[str]], list[str]]
    copies: tuple[list[int], list[int], list[float]]
    position: list[int]
    keywords: tuple[list[int], list[str], list[str], list[int]]
    mentions: tuple[list[int], list[str], list[int], list[int], list[str], list[str], list[str]]

_Parts = tuple[list[str], list[str], list[str], list[str], list[int], list[int], list[int]]

class GroupedColumns(TypedDict):
    """An engine's relevance (scores in position order, cutoff) and summed parts and pairs."""

    relevance: list[float]
    cutoff: float
    parts: _Parts
    pairs: tuple[list[str], list[str], list[int], list[int]]

def tables(columns: RunColumns, options: str, grouped: Optional[GroupedColumns] = None) -> list[tuple[str, bytes]]:
    """Every table but mentions.csv: (file name, the table as Parquet bytes)."""

def write(
    out: str,
    inputs: list[str],
    columns: RunColumns,
    options: str,
    command_line: list[str],
    grouped: Optional[GroupedColumns] = None,
) -> str:
    """bodo run's report directory from the columns; gives {"counts", "outputs"} as JSON."""

_Terms = tuple[list[int], list[str], list[int], list[int]]

def relevance_parts(
    terms: _Terms, stories: int, query: tuple[list[str], list[int]]
) -> tuple[list[str], list[int], list[int]]:
    """Each story's centroid parts: (keyword, hi limb, lo limb)."""

def centroid(
    keys: list[str], hi: list[int], lo: list[int], stories: int, query: tuple[list[str], list[int]]
) -> tuple[list[str], list[float], float, bool]:
    """(keywords, weights, |centroid|², against a topic)."""

def relevance_scores(
    terms: _Terms, weights: list[Optional[float]], stories: int, square: float, topic: bool
) -> list[float]: ...
def typical_ranks(stories: int, topic: bool) -> tuple[int, int]: ...
def relevance_cutoff(options: str, stories: int, low: float, high: float) -> float: ...
def topic_keywords(options: str) -> list[str]: ...
def topic_query(options: str, keywords: list[str], dfs: list[int]) -> tuple[list[str], list[int]]: ...
def story_parts(
    keywords: tuple[list[int], list[str], list[str], list[int]],
    mentions: tuple[list[int], list[str], list[int], list[int], list[str], list[str], list[str]],
    relevance: list[float],
    articles: list[int],
    days: tuple[list[int], list[str]],
    outlets: tuple[list[int], list[str]],
    cutoff: float,
    options: str,
) -> _Parts:
    """(table, group, key, kind, n, stories (1), articles) per part."""

def cooccurrence_nodes(parts: _Parts, options: str) -> list[str]: ...
def story_pairs(
    keywords: tuple[list[int], list[str], list[str], list[int]],
    relevance: list[float],
    articles: list[int],
    nodes: list[str],
    cutoff: float,
    options: str,
) -> tuple[list[str], list[str], list[int]]: ...
def dedup_defaults() -> tuple[int, float]: ...
