"""Find the data directory and turn its two files into typed models with positions.

Each list entry is validated on its own, so one bad entry never hides the others; pydantic's
errors become :class:`~cctrack.problem.Problem` records at the line and column of the field.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from cctrack.domain import Observation, Release, Source, Target
from cctrack.gcpause import gc_paused
from cctrack.location import (
    OBSERVATIONS_FILE,
    PACKAGED,
    TARGETS_FILE,
    Streamed,
    Unread,
    find_data_dir,
    misnamed,
    read_data,
)
from cctrack.model import (
    ObservationModel,
    ReleaseModel,
    SourceModel,
    TargetModel,
    observation_reader,
    source_record,
)
from cctrack.problem import ERROR, Problem
from cctrack.quantity import written
from cctrack.yaml_lines import line_marks, line_offset
from cctrack.yaml_lines import parse as parse_lines
from cctrack.yaml_nodes import _unpacked
from cctrack.yaml_reader import (
    Document,
    Pos,
    YMap,
    YSeq,
    compose_text,
    locate,
    parse_bytes,
    parse_text,
    unread_document,
    walk,
)

__all__ = ["OBSERVATIONS_FILE", "PACKAGED", "TARGETS_FILE", "find_data_dir"]

E = TypeVar("E")


@dataclass(slots=True)
class Entry:
    """One validated list entry with its node (for positions of its fields): the YAML mapping
    itself, or for an observation read in the regular layout its :class:`Shape` (the mapping
    is then read again when asked for). ``index``: its place in its list; for one held by a
    Shape, the line of its first key instead (the very ``line`` of its observation: no second
    number held for each of a large file's entries), where the shape finds it."""

    index: int
    held: Any  # a YMap, or a Shape

    @property
    def node(self) -> YMap:
        """The entry's YAML mapping."""
        held = self.held
        return held.node(self.index) if type(held) is Shape else held

    def at(self, *loc: str, key: bool = False) -> Pos:
        """Position of a field of this entry (the entry itself when the field is absent)."""
        held = self.held
        if type(held) is Shape:
            return held.locate(self.index, loc, key)
        return locate(held, loc, key=key)


@dataclass(slots=True)
class TargetEntry(Entry):
    """A target with where it stands in targets.yaml."""

    model: Target


@dataclass(slots=True)
class ObservationEntry(Entry):
    """An observation with where it stands in observations.yaml; ``value``: its value as
    written, kept when the mapping is not (the checks weigh the digits it was written with)."""

    model: Observation
    value: Any = None

    def raw(self, key: str) -> Any:
        """A field's value as written in the file (None when it is absent)."""
        held = self.held
        if type(held) is not Shape:
            return held.get(key)
        return self.value if key == "value" else held.node(self.index).get(key)


@dataclass(slots=True)
class ReleaseEntry(Entry):
    """A release with where it stands in targets.yaml."""

    model: Release


@dataclass(slots=True)
class Dataset:
    """Everything read from a data directory: models, positions and problems so far."""

    directory: Path
    targets_doc: Document
    observations_doc: Document
    targets: list[TargetEntry] = field(default_factory=list)
    observations: list[ObservationEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    releases: list[ReleaseEntry] = field(default_factory=list)

    def targets_by_id(self) -> dict[str, Target]:
        """Targets by id; the first wins when an id repeats (the repeat is an error)."""
        out: dict[str, Target] = {}
        for entry in self.targets:
            out.setdefault(entry.model.id, entry.model)
        return out

    def target(self, target_id: str) -> Target | None:
        """The target with this id (the first, when ids repeat)."""
        return self.targets_by_id().get(target_id)


class _Text:
    """The text of an observations file read line by line, to find its entries again: the
    file's bytes (or the text, when it was given as one), where its lines start (made at the
    first question) and its anchors (not the list, which holds the entries that hold this: no
    cycle keeps a data set alive past its run)."""

    __slots__ = ("anchors", "marks", "text")

    def __init__(self) -> None:
        self.text: str | bytes | None = ""  # None: let go (:func:`let_go`)
        self.marks: list[int] = []
        self.anchors: dict[str, tuple[Any, int]] = {}


class Shape:
    """What an observation entry in the regular layout (a key a line on consecutive lines, each
    value on its key's line) keeps of its mapping, shared by every entry of the same keys and
    nested nodes and column: the keys in order, the values that are mappings or lists (the
    very nodes: a source, mostly one alias), the column of the first key, and the text it was
    read from. The entry's position is its first key's line and this column; its fields'
    follow from the layout; the mapping itself is read again from its lines when asked for
    (:meth:`node`): a large file's trees are not held."""

    __slots__ = ("column", "index", "keys", "nested", "source")

    def __init__(
        self, source: _Text, keys: tuple[str, ...], nested: tuple[Any, ...], column: int
    ) -> None:
        self.source = source
        self.keys = keys
        self.nested = nested
        self.column = column  # 0-based
        self.index = {k: i for i, k in enumerate(keys)}

    def locate(self, at: int, loc: tuple[Any, ...], key: bool) -> Pos:
        """:func:`~cctrack.yaml_reader.locate` in the mapping of the entry whose first key is
        on line ``at`` (1-based)."""
        lay = (at - 1) << 32 | self.column
        i = self.index.get(loc[0]) if loc else None
        if i is None:
            return _unpacked(lay)
        kpos = lay + (i << 32)
        vpos = _unpacked(kpos + len(loc[0]) + 2)
        if len(loc) == 1:
            return _unpacked(kpos) if key else vpos
        return walk(self.nested[i], vpos, loc[1:], key)

    def node(self, at: int) -> YMap:
        """The mapping of the entry whose first key is on line ``at``, read again from its
        lines."""
        source = self.source
        lay = (at - 1) << 32 | self.column
        text = source.text
        if text is None:
            raise RuntimeError("an entry read again after its file's text was let go")
        if not source.marks:
            source.marks = line_marks(text)
        start = end = line_offset(text, source.marks, lay >> 32)
        newline: Any = "\n" if isinstance(text, str) else b"\n"
        for _ in self.keys:
            end = text.find(newline, end) + 1 or len(text)
        lines = text[start:end]
        written = lines if isinstance(lines, str) else lines.decode()
        found = parse_lines(written, source.anchors)
        root = found[0] if found is not None else compose_text("", written, source.anchors).root
        item: YMap = root[0]  # the lines read once as this item read again as one
        item.at, item._lay, item._pos, item._index = _unpacked(lay), lay, None, None
        for k, nested in zip(self.keys, self.nested, strict=True):
            if nested is not None:
                dict.__setitem__(item, k, nested)
        return item


def let_go(ds: Dataset) -> None:
    """Drop the text the observations were read from, and the items of its tree's list (the
    entries' list holds them; the checks ask only the tree's shape): a run checks and assesses
    a large file without holding its bytes or a second list of its entries. Nothing a run
    does reads an entry in the regular layout again (:meth:`Entry.node`): its positions follow
    from the layout (:meth:`Entry.at`), the checks read its value as written
    (:meth:`ObservationEntry.raw`), and an entry whose change as written they read (a qualified
    change) keeps its mapping. Reading one again after this is a bug, said at once."""
    root = ds.observations_doc.root
    items = root.get("observations") if isinstance(root, YMap) else None
    if isinstance(items, YSeq):  # the list of the tree: the entries' own list holds them
        items.clear()
        items.pos = array("q")
    for entry in ds.observations:
        held = entry.held
        if type(held) is Shape:
            held.source.text = None
            return  # (one text a file: every shape of it shares it)


def observations_only(ds: Dataset) -> list[Observation]:
    """The data set's observations, its entries let go: their positions (and the list of the
    observations file that holds them) serve the checks, not the assessment, and a large data
    set is assessed without them. The data set is then no longer checked or located in."""
    models: list[Any] = ds.observations  # made the models' list in place, each entry let go
    ds.observations = []
    for i, entry in enumerate(models):
        models[i] = entry.model
    ds.observations_doc.root = None
    return models


_BATCH = 1024  # entries read before they are made observations (see _Thinning)


class _Thinning:
    """The line reader's hook for the observations list (:func:`parse_observations`): each
    entry in the regular layout whose source is valid and that a record makes
    (:func:`~cctrack.model.observation_reader`) becomes its :class:`ObservationEntry`, holding
    a :class:`Shape` instead of its mapping; any other stays a mapping, for :func:`_entries`,
    as does one whose change is qualified (its check reads the change as written)

    Entries are made a batch at a time, not as each is read: loading 100,000 observations
    took about a tenth longer when each entry was made as soon as it was read (three runs
    each). Made as they are read or a batch later, freeing the mappings costs about 0.1 s more
    than keeping them (which a run that exits never frees): the price of not holding them."""

    __slots__ = ("pending", "record", "seq", "shapes", "source", "sources")

    def __init__(self) -> None:
        self.source = _Text()
        self.sources: dict[int, _Shared | None] = {}
        self.shapes: dict[tuple[Any, ...], Shape] = {}
        self.record = observation_reader()
        self.seq: list[Any] | None = None
        self.pending: list[int] = []

    def __call__(self, seq: list[Any], index: int) -> None:
        self.seq = seq  # (the one list the line reader reads)
        self.pending.append(index)
        if len(self.pending) >= _BATCH:
            self.flush(seq)

    def flush(self, seq: Any) -> None:
        """Make the entries read so far of ``seq`` (nothing when it is not the list read)."""
        if seq is self.seq and seq is not None:
            for index in self.pending:
                seq[index] = self.thin(seq[index], index)
        self.pending = []

    def thin(self, item: YMap, index: int) -> Any:
        """The entry of ``item``, or the item itself when a record does not make it."""
        node = item.get("source")
        if type(node) is not YMap:
            return item
        shared = self.sources.get(id(node), _UNSEEN)
        if shared is _UNSEEN:
            shared = _shared_source(item, self.sources, True)
        if shared is None:
            return item
        made = self.record(item, shared.plain, item.at[0])
        if made is None or made.change_qualified:  # (its change as written is read again)
            return item
        # a record holds no mapping or list but its source (every other field is text, a
        # number or a word): the shape is known by the keys, the source node and the column
        column = item.at[1] - 1
        sig = (*item, id(node), column)
        shape = self.shapes.get(sig)
        if shape is None:
            keys = tuple(item)
            nested = tuple(node if k == "source" else None for k in keys)
            shape = self.shapes[sig] = Shape(self.source, keys, nested, column)
        return ObservationEntry(made.line, shape, made, item.get("value"))  # (see Entry)


def parse_observations(name: str, data: bytes | str | Streamed) -> Document:
    """The document of an observations file's bytes or text, its entries in the regular layout
    made observations as they are read (:class:`_Thinning`): the list holds them, not their
    mappings. Read from bytes, the document keeps no text (its entries are read again from the
    bytes: the text of a large file is not held twice); read from a :class:`Streamed` file
    (:func:`cctrack.pipeline.run`), none at all: its entries are not read again (as after
    :func:`let_go`)."""
    thinning = _Thinning()
    hook = ("observations", thinning)
    if isinstance(data, str):
        doc = parse_text(name, data, hook=hook)
    else:
        doc = parse_bytes(name, data, hook)
    root = doc.root
    items = root.get("observations") if isinstance(root, YMap) else None
    if isinstance(items, YSeq):
        thinning.flush(items)
        source = thinning.source
        source.text = None if isinstance(data, Streamed) else data
        source.anchors = doc.anchors
        if not isinstance(data, str):
            doc.text = ""
    return doc


_GENERIC_CODES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-field",
    "enum": "invalid-choice",
    "literal_error": "invalid-choice",
    "string_pattern_mismatch": "invalid-id",
    "string_too_short": "empty-field",
    "string_too_long": "invalid-field",
    "int_type": "wrong-type",
    "int_from_float": "wrong-type",
    "string_type": "wrong-type",
    "list_type": "wrong-type",
    "dict_type": "wrong-type",
    "model_type": "wrong-type",
    "model_attributes_type": "wrong-type",
    "greater_than_equal": "invalid-field",
    "less_than_equal": "invalid-field",
}


def _problem(path: str, node: Any, base: tuple[Any, ...], err: Any) -> Problem:
    loc = tuple(err["loc"])
    code = _GENERIC_CODES.get(err["type"], err["type"])
    name = ".".join(str(p) for p in loc)
    if code == "missing-field" and loc[-1:] == ("source",):
        code = "missing-source"
    elif loc == ("status_override", "reason") and code in {"missing-field", "empty-field"}:
        code = "override-without-reason"
    if code == "missing-field" and err["type"] == "missing":
        message = f"missing required field '{name}'"
    elif code == "unknown-field":
        message = f"unknown field '{name}': check the spelling (see `cctrack schema`)"
    elif code == "wrong-type":
        message = f"'{name}': {err['msg'].lower()}, got {written(err['input'])}"
    elif code == "invalid-id" and loc == ("id",):
        message = (
            f"id {written(err['input'])} must be lower-case letters, digits and hyphens, "
            "starting with a letter or digit (e.g. tourism-revenue)"
        )
    elif code in {"invalid-choice", "empty-field", "invalid-field"}:
        message = f"'{name}': {err['msg']}" if name else err["msg"]
    else:
        message = f"'{name}': {err['msg']}" if name else err["msg"]
    line, col = locate(node, base + loc, key=code == "unknown-field")
    if code == "override-without-reason":
        message = "a status_override needs a non-empty 'reason'"
    return Problem(path, line, col, ERROR, code, message)


_UNSEEN: Any = object()


class _Shared:
    """A source as validated once for every entry naming its YAML node: the plain value, and
    the model (made only when an entry is validated by a model)."""

    __slots__ = ("model", "plain")

    def __init__(self, model: SourceModel | None, plain: Source) -> None:
        self.model = model
        self.plain = plain


def _shared_source(item: YMap, memo: dict[int, _Shared | None], records: bool) -> _Shared | None:
    """The source of an entry as already validated from the same YAML node, or None when it is
    no mapping or fails (then every entry using it reports the problem at its own position).

    A source repeated through an alias is one node: it is validated once, not once per entry,
    and every entry shares one plain value. With ``records``, a plain source is made directly
    where :func:`~cctrack.model.source_record` can (its model only when an entry needs it).
    """
    node = item.get("source")
    if not isinstance(node, YMap):
        return None
    key = id(node)
    if key not in memo:
        plain = source_record(node) if records else None
        if plain is not None:
            memo[key] = _Shared(None, plain)
        else:
            try:
                model = SourceModel.model_validate(node)
                memo[key] = _Shared(model, model.to_domain())
            except ValidationError:
                memo[key] = None
    return memo[key]


def _fields(item: YMap, shared: _Shared | None) -> dict[str, Any]:
    """The entry for its model: its source replaced by the model already made from the same
    node (pydantic accepts a model instance as it is)."""
    if shared is None:
        return item
    if shared.model is None:  # its plain value was made directly: the fields are valid
        p = shared.plain
        shared.model = SourceModel.model_construct(
            title=p.title, publisher=p.publisher, url=p.url, published=p.published,
            reliability=p.reliability,
        )  # fmt: skip
    return {**item, "source": shared.model}


def _entries(
    doc: Document,
    key: str,
    model: type[TargetModel] | type[ObservationModel],
    entry: Callable[[int, YMap, Any], E],
    others: frozenset[str] = frozenset(),
    records: bool = True,
) -> tuple[list[E], list[Problem]]:
    """The valid entries of the list under ``key`` and the problems of the rest; ``others``:
    the other top-level keys the file may hold (read elsewhere); ``entry`` makes an entry of
    its index, node and plain value. With ``records``, an
    observation of the common kinds of value is made directly
    (:func:`~cctrack.model.observation_reader`), any other entry by its model."""
    problems: list[Problem] = []
    root = doc.root
    if root is None:
        return [], problems
    if not isinstance(root, YMap):
        msg = f"expected a mapping with '{key}:'"
        return [], [Problem(doc.path, 1, 1, ERROR, "wrong-type", msg)]
    for extra in root.keys() - {key} - others:
        line, col = root.where(extra, of_key=True) or root.at
        problems.append(
            Problem(doc.path, line, col, ERROR, "unknown-field", f"unknown top-level key '{extra}'")
        )
    items = root.get(key)
    if items is None:
        return [], problems
    if not isinstance(items, YSeq):
        line, col = root.val_at[key]
        msg = f"'{key}' must be a list"
        return [], [*problems, Problem(doc.path, line, col, ERROR, "wrong-type", msg)]
    good: list[E] = []
    sources: dict[int, _Shared | None] = {}
    validate = model.model_validate
    record = observation_reader() if records and model is ObservationModel else None
    for i, item in enumerate(items):
        if type(item) is ObservationEntry:  # made as it was read (:func:`parse_observations`)
            good.append(item)  # type: ignore[arg-type]
            continue
        if not isinstance(item, YMap):
            line, col = items.where(i)
            problems.append(Problem(doc.path, line, col, ERROR, "wrong-type", "expected a mapping"))
            continue
        node = item.get("source")  # a source met before: found here without a call
        shared = sources.get(id(node), _UNSEEN) if isinstance(node, YMap) else None
        if shared is _UNSEEN:
            shared = _shared_source(item, sources, records)
        if record is not None and shared is not None:
            made = record(item, shared.plain, item.at[0])
            if made is not None:
                good.append(entry(i, item, made))
                continue
        try:
            source = None if shared is None else shared.plain
            value = validate(_fields(item, shared)).to_domain(item.at[0], source)
            good.append(entry(i, item, value))
        except ValidationError as exc:
            problems.extend(_problem(doc.path, item, (), e) for e in exc.errors())
    return good, problems


def _releases(doc: Document) -> tuple[list[ReleaseEntry], list[Problem]]:
    """The valid entries of the targets file's ``releases:`` list and the problems of the rest
    (a root that is not a mapping is reported with the targets)."""
    root = doc.root
    if not isinstance(root, YMap) or root.get("releases") is None:
        return [], []
    items = root.get("releases")
    if not isinstance(items, YSeq):
        line, col = root.val_at["releases"]
        return [], [Problem(doc.path, line, col, ERROR, "wrong-type", "'releases' must be a list")]
    good: list[ReleaseEntry] = []
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if not isinstance(item, YMap):
            line, col = items.where(i)
            problems.append(Problem(doc.path, line, col, ERROR, "wrong-type", "expected a mapping"))
            continue
        try:
            good.append(ReleaseEntry(i, item, ReleaseModel.model_validate(item).to_domain()))
        except ValidationError as exc:
            problems.extend(_problem(doc.path, item, (), e) for e in exc.errors())
    return good, problems


def display_path(directory: Path, name: str) -> str:
    """How a data file is named in messages: the path that is opened, as given (``..`` is not
    folded away: after a symbolic link, ``link/../d`` is not ``d``)."""
    return str(directory / name)


def load_dataset(
    directory: Path, raw: Sequence[bytes | Streamed | Unread] | None = None, *, records: bool = True
) -> Dataset:
    """Read and model both files of a data directory; problems are collected, never raised.

    ``raw``: the two files as already read (their bytes, or why there are none), never read
    again here: what was read is what is modelled; or observations.yaml as keyed and read
    again a block at a time (:class:`~cctrack.location.Streamed`, which raises
    :class:`~cctrack.location.Changed` if its bytes are not those keyed). ``records``: see
    :func:`build_dataset`.
    """
    with gc_paused():
        docs = []
        for i, name in enumerate((TARGETS_FILE, OBSERVATIONS_FILE)):
            shown = display_path(directory, name)
            data = raw[i] if raw is not None else read_data(directory / name)
            if isinstance(data, Unread):
                docs.append(unread_document(shown, data))
            elif name == OBSERVATIONS_FILE and records:
                docs.append(parse_observations(shown, data))
            else:
                docs.append(parse_bytes(shown, data))
        return build_dataset(directory, docs[0], docs[1], records=records)


def missing_file(directory: Path, path: str, name: str) -> Problem:
    """``file-missing`` for a data file, naming a ``.yml`` file found in its place."""
    message = f"no {name} in {directory}"
    other = misnamed(directory, name)
    if other is not None:
        message += f"; found {other}: cctrack reads {name}"
    return Problem(path, 1, 1, ERROR, "file-missing", message)


def build_dataset(
    directory: Path, tdoc: Document, odoc: Document, *, records: bool = True
) -> Dataset:
    """Model two documents already read (from disk, or a new text about to be written).

    ``records`` False validates every entry with its pydantic model (the results are the same,
    only slower: the tests compare the two roads)."""
    ds = Dataset(directory, tdoc, odoc, problems=[*tdoc.problems, *odoc.problems])
    for doc, name in ((tdoc, TARGETS_FILE), (odoc, OBSERVATIONS_FILE)):
        if not doc.exists:
            ds.problems.append(missing_file(directory, doc.path, name))
    others = frozenset({"releases"})
    ds.targets, problems = _entries(tdoc, "targets", TargetModel, TargetEntry, others, records)
    ds.problems += problems
    ds.releases, problems = _releases(tdoc)
    ds.problems += problems
    ds.observations, problems = _entries(
        odoc, "observations", ObservationModel, ObservationEntry, records=records
    )
    ds.problems += problems
    return ds
