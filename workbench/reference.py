"""Reference knowledge: the gazetteer, the topic taxonomy and the news sources.

Analysts edit three TOML files under ``data/reference/`` (see each file's header
for its layout):

* ``gazetteer.toml`` - organisations, people, places and platforms/programmes,
  each with a canonical name and aliases, plus the lexicon used to recognise
  people the gazetteer does not know (ranks, titles, role nouns, Korean surnames)
  and the national prefixes news puts in front of a name;
* ``topics.toml`` - the topic taxonomy with cue terms and weights;
* ``sources.toml`` - outlets (publications) and agencies (wire services).

:func:`load_reference` reads and validates them and caches the result per
directory until a file changes. Any problem raises :class:`ReferenceDataError` whose
message names the file and the entry, e.g.::

    data/reference/gazetteer.toml: organization #12 ("DLA"): missing "name"
"""
from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import settings
from workbench.errors import ReferenceDataError
from workbench.files import display_path

GAZETTEER_FILE = "gazetteer.toml"
TOPICS_FILE = "topics.toml"
SOURCES_FILE = "sources.toml"
FILES = (GAZETTEER_FILE, TOPICS_FILE, SOURCES_FILE)


# --------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...] = ()
    prefixed_aliases: tuple[str, ...] = ()
    misprints: tuple[str, ...] = ()
    country: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    rank: str | None = None
    country: str | None = None
    organization: str | None = None
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    country: str | None = None
    capital: bool = False


@dataclass(frozen=True)
class Platform:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    country: str | None = None
    operator: str | None = None      # organisation name (a ship's navy or command)


@dataclass(frozen=True)
class SharedAlias:
    """An alias declared to name entries of two tables ("organization:X")."""
    alias: str
    entries: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Topic:
    name: str
    description: str
    cues: dict[str, float]
    exclude: tuple[str, ...] = ()
    label: str = ""                  # the name readers see in reports ("Logistics and sustainment")


@dataclass(frozen=True)
class Source:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    country: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class PeoplePatterns:
    ranks: dict[str, str]            # surface form -> canonical rank
    titles: tuple[str, ...]
    role_nouns: tuple[str, ...]
    korean_surnames: frozenset[str]


@dataclass(frozen=True)
class TopicScoring:
    default_weight: float = 1.0
    threshold: float = 2.0
    sentence_cap: float = 3.0
    # The taxonomy is for defence news: an article naming fewer than
    # ``domain_min`` distinct domain terms gets no topics at all.
    domain_terms: tuple[str, ...] = ()
    domain_min: int = 0


@dataclass
class Reference:
    """Everything the analysis layer knows, as loaded from ``directory``."""

    directory: Path
    organizations: tuple[Organization, ...]
    people: tuple[Person, ...]
    places: tuple[Place, ...]
    platforms: tuple[Platform, ...]
    national_prefixes: dict[str, tuple[str, ...]]
    people_patterns: PeoplePatterns
    topics: tuple[Topic, ...]
    topic_scoring: TopicScoring
    outlets: tuple[Source, ...]
    agencies: tuple[Source, ...]
    aggregators: tuple[Source, ...] = ()    # sites republishing others' stories: never an outlet
    shared_aliases: tuple[SharedAlias, ...] = ()
    # Compiled matchers, built lazily by workbench.analyse and kept with the data.
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def compiled(self, key: str, build):
        """The object ``build(self)`` made once for this reference (thread-safe)."""
        obj = self._compiled.get(key)
        if obj is None:
            with self._lock:
                obj = self._compiled.get(key)
                if obj is None:
                    obj = build(self)
                    self._compiled[key] = obj
        return obj

    def organization(self, name: str) -> Organization | None:
        for o in self.organizations:
            if o.name == name:
                return o
        return None


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------

class _Ctx:
    """Where we are, for error messages: file, table, entry index and name."""

    def __init__(self, file: str, table: str | None = None, index: int | None = None,
                 entry: dict | None = None):
        self.file, self.table, self.index, self.entry = file, table, index, entry

    def fail(self, msg: str) -> ReferenceDataError:
        where = self.file
        if self.table is not None:
            where += f": {self.table}"
            if self.index is not None:
                where += f" #{self.index}"
                name = self.entry.get("name") if isinstance(self.entry, dict) else None
                if isinstance(name, str) and name.strip():
                    where += f' ("{name}")'
        return ReferenceDataError(f"{where}: {msg}")


def _str(ctx: _Ctx, entry: dict, key: str, required: bool = False) -> str | None:
    if key not in entry:
        if required:
            raise ctx.fail(f'missing "{key}"')
        return None
    v = entry[key]
    if not isinstance(v, str):
        raise ctx.fail(f'"{key}" must be a string, not {type(v).__name__}')
    if required and not v.strip():
        raise ctx.fail(f'"{key}" is empty')
    return v.strip() or None


def _name(ctx: _Ctx, entry: dict, key: str = "name") -> str:
    """A required, non-empty string field."""
    v = _str(ctx, entry, key, required=True)
    if v is None:  # _str raised already; this keeps the type exact
        raise ctx.fail(f'missing "{key}"')
    return v


def _strs(ctx: _Ctx, entry: dict, key: str) -> tuple[str, ...]:
    v = entry.get(key, [])
    if isinstance(v, str):
        raise ctx.fail(f'"{key}" must be a list of strings (write ["{v}"])')
    if not isinstance(v, list):
        raise ctx.fail(f'"{key}" must be a list of strings, not {type(v).__name__}')
    out = []
    for i, s in enumerate(v):
        if not isinstance(s, str):
            raise ctx.fail(f'"{key}" item {i + 1} must be a string, not {type(s).__name__}')
        if not s.strip():
            raise ctx.fail(f'"{key}" item {i + 1} is empty')
        out.append(s.strip())
    return tuple(dict.fromkeys(out))


_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def _domains(ctx: _Ctx, entry: dict) -> tuple[str, ...]:
    """Web domains as bare lower-case host names ("stripes.com", "en.yna.co.kr")."""
    out = _strs(ctx, entry, "domains")
    for d in out:
        if not _DOMAIN.match(d):
            raise ctx.fail(f'"domains": "{d}" is not a bare host name such as "stripes.com" '
                           '(no scheme, path or capitals)')
    return out


def _bool(ctx: _Ctx, entry: dict, key: str) -> bool:
    v = entry.get(key, False)
    if not isinstance(v, bool):
        raise ctx.fail(f'"{key}" must be true or false')
    return v


def _check_keys(ctx: _Ctx, entry: Any, allowed: set[str]) -> dict:
    if not isinstance(entry, dict):
        raise ctx.fail(f"must be a table, not {type(entry).__name__}")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise ctx.fail(f"unknown key(s) {', '.join(repr(k) for k in unknown)} "
                       f"(allowed: {', '.join(sorted(allowed))})")
    return entry


def _entries(ctx_file: str, data: dict, table: str, required: bool = True) -> list:
    v = data.get(table)
    if v is None:
        if required:
            raise _Ctx(ctx_file).fail(f'no [[{table}]] entries')
        return []
    if not isinstance(v, list):
        raise _Ctx(ctx_file).fail(f'"{table}" must be an array of tables ([[{table}]])')
    return v


def _no_duplicates(file: str, table: str, items, keys_of) -> None:
    """Fail when two entries of one table claim the same name or alias."""
    seen: dict[str, tuple[int, str]] = {}
    for i, item in enumerate(items, 1):
        for k in keys_of(item):
            norm = " ".join(k.split()).casefold()
            if norm in seen and seen[norm][1] != item.name:
                j, other = seen[norm]
                raise ReferenceDataError(
                    f'{file}: {table} #{i} ("{item.name}"): "{k}" is already used by '
                    f'{table} #{j} ("{other}")')
            seen.setdefault(norm, (i, item.name))


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------

def _read_toml(path: Path) -> dict:
    name = display_path(path)
    if not path.is_file():
        raise ReferenceDataError(f"{name}: file not found")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(f"{name}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{name}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
                                 f"{exc.start}); TOML files must be saved as UTF-8") from None
    except OSError as exc:
        raise ReferenceDataError(f"{name}: cannot read: {exc}") from None


def _load_gazetteer(path: Path):
    file = display_path(path)
    data = _read_toml(path)
    top = _check_keys(_Ctx(file), data, {"organization", "person", "place", "platform",
                                          "national_prefixes", "people_patterns", "shared_alias"})

    orgs = []
    for i, e in enumerate(_entries(file, top, "organization"), 1):
        ctx = _Ctx(file, "organization", i, e if isinstance(e, dict) else None)
        _check_keys(ctx, e, {"name", "aliases", "prefixed_aliases", "misprints", "country", "kind"})
        orgs.append(Organization(
            name=_name(ctx, e), aliases=_strs(ctx, e, "aliases"),
            prefixed_aliases=_strs(ctx, e, "prefixed_aliases"), misprints=_strs(ctx, e, "misprints"),
            country=_str(ctx, e, "country"), kind=_str(ctx, e, "kind")))
        if orgs[-1].prefixed_aliases and not orgs[-1].country:
            raise ctx.fail('"prefixed_aliases" needs a "country" (whose prefixes to use)')
    _no_duplicates(file, "organization", orgs, lambda o: (o.name, *o.aliases, *o.misprints))

    people = []
    for i, e in enumerate(_entries(file, top, "person", required=False), 1):
        ctx = _Ctx(file, "person", i, e if isinstance(e, dict) else None)
        _check_keys(ctx, e, {"name", "aliases", "role", "rank", "country", "organization", "context"})
        p = Person(name=_name(ctx, e), aliases=_strs(ctx, e, "aliases"),
                   role=_str(ctx, e, "role"), rank=_str(ctx, e, "rank"), country=_str(ctx, e, "country"),
                   organization=_str(ctx, e, "organization"), context=_strs(ctx, e, "context"))
        if len(p.name.split()) < 2:
            raise ctx.fail('"name" must be a full name (given name and surname)')
        if p.organization and not any(o.name == p.organization for o in orgs):
            raise ctx.fail(f'"organization" = "{p.organization}" is not an organization name in this file')
        people.append(p)
    _no_duplicates(file, "person", people, lambda p: (p.name, *p.aliases))

    places = []
    for i, e in enumerate(_entries(file, top, "place", required=False), 1):
        ctx = _Ctx(file, "place", i, e if isinstance(e, dict) else None)
        _check_keys(ctx, e, {"name", "aliases", "kind", "country", "capital"})
        places.append(Place(name=_name(ctx, e), aliases=_strs(ctx, e, "aliases"),
                            kind=_str(ctx, e, "kind"), country=_str(ctx, e, "country"),
                            capital=_bool(ctx, e, "capital")))
    _no_duplicates(file, "place", places, lambda p: (p.name, *p.aliases))

    platforms = _load_platforms(file, top, orgs)
    shared = _load_shared_aliases(file, top, {"organization": orgs, "person": people,
                                              "place": places, "platform": platforms})

    prefixes: dict[str, tuple[str, ...]] = {}
    np_ = top.get("national_prefixes", {})
    ctx = _Ctx(file, "national_prefixes")
    if not isinstance(np_, dict):
        raise ctx.fail("must be a table of COUNTRY = [prefixes]")
    for country, vals in np_.items():
        prefixes[country] = _strs(_Ctx(file, f"national_prefixes.{country}"), {"v": vals}, "v")
    for i, o in enumerate(orgs, 1):
        if o.prefixed_aliases and o.country not in prefixes:
            raise ReferenceDataError(f'{file}: organization #{i} ("{o.name}"): country "{o.country}" '
                                 f'has no [national_prefixes] entry')

    pp = top.get("people_patterns", {})
    ctx = _Ctx(file, "people_patterns")
    _check_keys(ctx, pp, {"ranks", "titles", "role_nouns", "korean_surnames"})
    ranks: dict[str, str] = {}
    raw_ranks = pp.get("ranks", [])
    if not isinstance(raw_ranks, list):
        raise ctx.fail('"ranks" must be a list of ["as written", "canonical"] pairs')
    for i, pair in enumerate(raw_ranks, 1):
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(x, str) and x.strip() for x in pair)):
            raise ctx.fail(f'"ranks" item {i} must be ["as written", "canonical"], got {pair!r}')
        ranks[pair[0].strip()] = pair[1].strip()
    patterns = PeoplePatterns(
        ranks=ranks, titles=_strs(ctx, pp, "titles"), role_nouns=_strs(ctx, pp, "role_nouns"),
        korean_surnames=frozenset(_strs(ctx, pp, "korean_surnames")))
    return tuple(orgs), tuple(people), tuple(places), tuple(platforms), prefixes, patterns, shared


def _load_platforms(file: str, top: dict, orgs: list) -> list[Platform]:
    """[[platform]] entries; a ship's "operator" must name an organisation."""
    platforms = []
    for i, e in enumerate(_entries(file, top, "platform", required=False), 1):
        ctx = _Ctx(file, "platform", i, e if isinstance(e, dict) else None)
        _check_keys(ctx, e, {"name", "aliases", "kind", "country", "operator"})
        pf = Platform(name=_name(ctx, e), aliases=_strs(ctx, e, "aliases"),
                      kind=_str(ctx, e, "kind"), country=_str(ctx, e, "country"),
                      operator=_str(ctx, e, "operator"))
        if pf.operator and not any(o.name == pf.operator for o in orgs):
            raise ctx.fail(f'"operator" = "{pf.operator}" is not an organization name in this file')
        platforms.append(pf)
    _no_duplicates(file, "platform", platforms, lambda p: (p.name, *p.aliases))
    return platforms


def _load_shared_aliases(file: str, top: dict, tables: dict) -> tuple[SharedAlias, ...]:
    """[[shared_alias]] entries: an alias that knowingly names entries of two
    tables. Each entry must be written "table:Name" and name an existing entry."""
    out = []
    for i, e in enumerate(_entries(file, top, "shared_alias", required=False), 1):
        ctx = _Ctx(file, "shared_alias", i, None)
        _check_keys(ctx, e, {"alias", "entries", "note"})
        alias = _str(ctx, e, "alias", required=True) or ""
        refs = _strs(ctx, e, "entries")
        if len(refs) < 2:
            raise ctx.fail(f'"{alias}": "entries" must list at least two "table:Name" entries')
        for r in refs:
            table, _, name = r.partition(":")
            if table not in tables or not any(x.name == name for x in tables[table]):
                raise ctx.fail(f'"{alias}": "{r}" is not a "table:Name" of an entry in this file '
                               f'(tables: {", ".join(tables)})')
        out.append(SharedAlias(alias=alias, entries=refs, note=_str(ctx, e, "note")))
    return tuple(out)


def _load_topics(path: Path):
    file = display_path(path)
    data = _read_toml(path)
    top = _check_keys(_Ctx(file), data, {"scoring", "topic", "domain"})
    sc = top.get("scoring", {})
    ctx = _Ctx(file, "scoring")
    _check_keys(ctx, sc, {"default_weight", "threshold", "sentence_cap"})
    vals: dict = {}
    dom = top.get("domain", {})
    dctx = _Ctx(file, "domain")
    _check_keys(dctx, dom, {"terms", "min_terms"})
    if dom:
        vals["domain_terms"] = _strs(dctx, dom, "terms")
        mt = dom.get("min_terms", 1)
        if isinstance(mt, bool) or not isinstance(mt, int) or mt < 0:
            raise dctx.fail('"min_terms" must be a whole number ≥ 0')
        if mt and not vals["domain_terms"]:
            raise dctx.fail('"min_terms" is set but "terms" is empty')
        vals["domain_min"] = mt
    for k in ("default_weight", "threshold", "sentence_cap"):
        if k in sc:
            v = sc[k]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                raise ctx.fail(f'"{k}" must be a positive number')
            vals[k] = float(v)
    scoring = TopicScoring(**vals)
    topics = []
    for i, e in enumerate(_entries(file, top, "topic"), 1):
        ctx = _Ctx(file, "topic", i, e if isinstance(e, dict) else None)
        _check_keys(ctx, e, {"name", "label", "description", "cues", "weights", "exclude"})
        name = _name(ctx, e)
        if name != name.lower() or " " in name:
            raise ctx.fail('"name" must be a lower-case slug such as "logistics-sustainment"')
        cues = {c: scoring.default_weight for c in _strs(ctx, e, "cues")}
        w = e.get("weights", {})
        if not isinstance(w, dict):
            raise ctx.fail('"weights" must be a table of "cue" = number')
        for cue, val in w.items():
            if isinstance(val, bool) or not isinstance(val, (int, float)) or val <= 0:
                raise ctx.fail(f'weight of "{cue}" must be a positive number, not {val!r}')
            if not cue.strip():
                raise ctx.fail("empty cue in weights")
            cues[cue.strip()] = float(val)
        if not cues:
            raise ctx.fail("no cue terms (give \"cues\" or a [topic.weights] table)")
        topics.append(Topic(name=name, description=_str(ctx, e, "description") or "",
                            cues=cues, exclude=_strs(ctx, e, "exclude"), label=_str(ctx, e, "label") or ""))
    seen: dict[str, tuple[int, str]] = {}
    for i, t in enumerate(topics, 1):
        key = re.sub(r"[^0-9a-z]+", "", t.name.lower())     # report files are named by this
        if key in seen:
            j, other = seen[key]
            why = "name already used" if other == t.name else f'name differs from "{other}" only in punctuation'
            raise ReferenceDataError(f'{file}: topic #{i} ("{t.name}"): {why} by topic #{j} '
                                     "(both would write one report file)")
        seen[key] = (i, t.name)
    return tuple(topics), scoring


def _load_sources(path: Path):
    file = display_path(path)
    data = _read_toml(path)
    top = _check_keys(_Ctx(file), data, {"outlet", "agency", "aggregator"})
    out = {}
    for table in ("outlet", "agency", "aggregator"):
        items = []
        for i, e in enumerate(_entries(file, top, table, required=table != "aggregator"), 1):
            ctx = _Ctx(file, table, i, e if isinstance(e, dict) else None)
            _check_keys(ctx, e, {"name", "aliases", "domains", "country", "language"})
            items.append(Source(name=_name(ctx, e), aliases=_strs(ctx, e, "aliases"),
                                domains=_domains(ctx, e), country=_str(ctx, e, "country"),
                                language=_str(ctx, e, "language")))
        _no_duplicates(file, table, items, lambda s: (s.name, *s.aliases))
        out[table] = tuple(items)
    return out["outlet"], out["agency"], out["aggregator"]


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------

_CACHE: dict[tuple, Reference] = {}
_CACHE_LOCK = threading.Lock()


def _stamp(directory: Path) -> tuple:
    parts: list[tuple[str, int | None, int | None]] = []
    for name in FILES:
        p = directory / name
        try:
            st = p.stat()
            parts.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            parts.append((name, None, None))
    return tuple(parts)


def load_reference(directory: str | Path | None = None) -> Reference:
    """Read and validate the reference files in ``directory`` (default
    ``settings.reference_dir()``). Cached until one of the files changes."""
    d = Path(directory) if directory is not None else settings.reference_dir()
    d = d.resolve()
    key = (str(d), _stamp(d))
    ref = _CACHE.get(key)
    if ref is not None:
        return ref
    orgs, people, places, platforms, prefixes, patterns, shared = _load_gazetteer(d / GAZETTEER_FILE)
    topics, scoring = _load_topics(d / TOPICS_FILE)
    outlets, agencies, aggregators = _load_sources(d / SOURCES_FILE)
    ref = Reference(directory=d, organizations=orgs, people=people, places=places,
                    platforms=platforms, national_prefixes=prefixes, people_patterns=patterns,
                    topics=topics, topic_scoring=scoring, outlets=outlets, agencies=agencies,
                    aggregators=aggregators, shared_aliases=shared)
    with _CACHE_LOCK:
        for k in [k for k in _CACHE if k[0] == str(d)]:
            del _CACHE[k]
        _CACHE[key] = ref
    return ref


def validate(directory: str | Path | None = None) -> list[str]:
    """Problems with the reference files as messages (empty when all is well)."""
    try:
        load_reference(directory)
    except ReferenceDataError as exc:
        return [str(exc)]
    return []
