from typing import Callable, Hashable, Iterable, Optional, Sequence, Tuple, Union

__version__: str

Text = Union[str, bytes]
ProgressFunction = Callable[[str, int, int], object]

class Span:
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def char_start(self) -> int: ...
    @property
    def char_end(self) -> int: ...

class Passage:
    @property
    def a(self) -> Span: ...
    @property
    def b(self) -> Span: ...
    @property
    def score(self) -> float: ...
    @property
    def a_tokens(self) -> int: ...
    @property
    def b_tokens(self) -> int: ...
    @property
    def aligned(self) -> int: ...
    @property
    def matched(self) -> int: ...

class Pair:
    @property
    def a(self) -> Hashable: ...
    @property
    def b(self) -> Hashable: ...
    @property
    def a_index(self) -> int: ...
    @property
    def b_index(self) -> int: ...
    @property
    def passages(self) -> list[Passage]: ...

class DedupRecord:
    @property
    def id(self) -> Hashable: ...
    @property
    def cluster(self) -> Hashable: ...
    @property
    def kept(self) -> bool: ...
    @property
    def duplicate_of(self) -> Optional[Hashable]: ...
    @property
    def similarity(self) -> float: ...

def compare(
    a: Text,
    b: Text,
    *,
    min_tokens: int = 20,
    min_score: float = 0.3,
    max_gap: int = 12,
    max_occurrences: int = 8,
    fold_case: bool = True,
    strip_marks: bool = True,
    fold_arabic: bool = True,
    fold_digits: bool = True,
    match_variants: bool = True,
    progress: Optional[ProgressFunction] = None,
) -> list[Passage]: ...

def scan(
    documents: Iterable[Tuple[Hashable, Text]],
    *,
    threads: int = 0,
    min_tokens: int = 20,
    min_score: float = 0.3,
    max_gap: int = 12,
    max_occurrences: int = 8,
    window_tokens: int = 48,
    window_stride: int = 24,
    num_hashes: int = 64,
    window_threshold: float = 0.3,
    max_bucket: int = 64,
    boilerplate_documents: int = 50,
    fold_case: bool = True,
    strip_marks: bool = True,
    fold_arabic: bool = True,
    fold_digits: bool = True,
    match_variants: bool = True,
    progress: Optional[ProgressFunction] = None,
) -> list[Pair]: ...

class Deduplicator:
    def __init__(
        self,
        *,
        threshold: float = 0.8,
        mode: str = "jaccard",
        keep: str = "first",
        shingle: int = 5,
        num_hashes: int = 128,
        lsh_threshold: float = 0.0,
        max_bucket: int = 64,
        threads: int = 0,
        temp_dir: Optional[str] = None,
        fold_case: bool = True,
        strip_marks: bool = True,
        fold_arabic: bool = True,
        fold_digits: bool = True,
        match_variants: bool = True,
    ) -> None: ...
    def add(self, id: Hashable, text: Text) -> None: ...
    def add_many(self, documents: Iterable[Tuple[Hashable, Text]]) -> None: ...
    def finish(self) -> list[DedupRecord]: ...
    def __len__(self) -> int: ...
    @property
    def stats(self) -> Optional[dict[str, int]]: ...

BenchmarkItem = Tuple[Hashable, Union[Text, Sequence[Text]]]

class ContaminationMatch:
    @property
    def doc(self) -> str: ...
    @property
    def doc_index(self) -> int: ...
    @property
    def item(self) -> Span: ...
    @property
    def doc_span(self) -> Span: ...
    @property
    def doc_text(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def tokens(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def fields(self) -> list[int]: ...

class ItemReport:
    @property
    def id(self) -> Hashable: ...
    @property
    def status(self) -> str: ...
    @property
    def tokens(self) -> int: ...
    @property
    def covered_tokens(self) -> int: ...
    @property
    def contaminated_fraction(self) -> float: ...
    @property
    def longest_match(self) -> int: ...
    @property
    def total_matches(self) -> int: ...
    @property
    def matches(self) -> list[ContaminationMatch]: ...

class ContaminationIndex:
    def __init__(
        self,
        items: Iterable[BenchmarkItem],
        *,
        mode: str = "aligned",
        ngram: int = 13,
        contaminated_at: float = 0.8,
        partial_at: float = 0.2,
        max_matches: int = 10,
        min_match_tokens: int = 8,
        min_short_tokens: int = 5,
        min_weight_share: float = 0.5,
        bag_threshold: float = 0.55,
        max_seed_item_share: float = 0.005,
        fold_case: bool = True,
        strip_marks: bool = True,
        fold_arabic: bool = True,
        fold_digits: bool = True,
        match_variants: bool = True,
    ) -> None: ...
    def scan(
        self, documents: Iterable[Tuple[Hashable, Text]], *, threads: int = 0
    ) -> None: ...
    def report(self) -> list[ItemReport]: ...
    def __len__(self) -> int: ...
    @property
    def documents(self) -> int: ...
    @property
    def stats(self) -> Optional[dict[str, int]]: ...

def contamination(
    items: Iterable[BenchmarkItem],
    documents: Iterable[Tuple[Hashable, Text]],
    threads: int = 0,
    **options: object,
) -> list[ItemReport]: ...

class FeedBatch:
    @property
    def number(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def added_unix_seconds(self) -> int: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def documents(self) -> int: ...

class FeedAddResult:
    @property
    def already_added(self) -> bool: ...
    @property
    def batch(self) -> FeedBatch: ...
    @property
    def added(self) -> int: ...
    @property
    def existing_ids(self) -> int: ...

class FeedMatch:
    @property
    def id(self) -> str: ...
    @property
    def batch(self) -> str: ...
    @property
    def similarity(self) -> float: ...
    @property
    def exact(self) -> bool: ...
    @property
    def document(self) -> int: ...
    @property
    def text(self) -> Optional[str]: ...

class FeedIndex:
    # Parameter keywords left None: the index's own (or, when the index is
    # created, shingle=5, num_hashes=128, lsh_threshold=0.8, store_texts=True
    # and the normalisation switches True, as `neardup index add`).
    def __init__(
        self,
        path: str,
        *,
        create: bool = False,
        writable: bool = False,
        wait: bool = False,
        threads: int = 0,
        shingle: Optional[int] = None,
        num_hashes: Optional[int] = None,
        lsh_threshold: Optional[float] = None,
        store_texts: Optional[bool] = None,
        fold_case: Optional[bool] = None,
        strip_marks: Optional[bool] = None,
        fold_arabic: Optional[bool] = None,
        fold_digits: Optional[bool] = None,
        match_variants: Optional[bool] = None,
    ) -> None: ...
    def add(
        self, batch_name: str, documents: Iterable[Tuple[object, Text]]
    ) -> FeedAddResult: ...
    def query(
        self,
        documents: Iterable[Union[Text, Tuple[object, Text]]],
        *,
        threshold: float = 0.8,
        texts: bool = False,
    ) -> list[list[FeedMatch]]: ...
    def stats(self) -> dict[str, object]: ...
    def prune(
        self,
        older_than_seconds: Optional[float] = None,
        batch: Optional[str] = None,
    ) -> list[FeedBatch]: ...
    def close(self) -> None: ...
    def __enter__(self) -> "FeedIndex": ...
    def __exit__(self, *exc: object) -> None: ...
    @property
    def params(self) -> dict[str, object]: ...
    @property
    def closed(self) -> bool: ...
    @property
    def writable(self) -> bool: ...
    @property
    def path(self) -> str: ...
