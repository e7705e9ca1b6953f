"""Analyst corrections that survive every re-run (``data/corrections.toml``).

Any automatic answer can be wrong. An analyst writes a correction once, as a
``[[correction]]`` entry keyed by the article's ``doc_id`` (its ``url`` finds it
again when the file was renamed; its ``sha256`` notes the raw file it was made
on, so a changed file is reported). Every ``ingest`` applies the file after
analysis and linking: the corrected values go in the article's ``Fix`` overlay,
never into what the page gave or what analysis found, so deleting an entry
undoes it on the next run. A correction that cannot be applied (its article
is gone, an event sentence no longer found, its raw file changed) is reported
in the ingest summary, never dropped silently.

The file is validated on load; an error names the file and the entry::

    data/corrections.toml: correction #3 ("c3", doc 004_x): set.published: "Feb 11" is not YYYY-MM-DD
"""
from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import settings
from workbench.errors import ReferenceDataError
from workbench.files import atomic_write, display_path, file_lock
from workbench.record import Article, Event, Fix, FixValue, Organization, Person, TopicHit

CORRECTIONS_FILE = "corrections.toml"
SETTABLE = ("title", "published", "outlet", "author", "agency")
LIST_KINDS = ("organizations", "people", "topics")
ENTRY_KEYS = {"id", "doc_id", "url", "sha256", "note", "by", "at", "set", "relevant", "merge_with", "split",
              "event", *(f"{op}_{k}" for op in ("add", "remove") for k in LIST_KINDS)}
EVENT_KEYS = {"sentence", "kind", "set_kind", "set_date"}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")
_EVENT_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?$")


def corrections_path(home: str | Path | None = None) -> Path:
    """``data/corrections.toml`` of the project (``home`` overrides the project folder)."""
    return (Path(home) / "data" if home else settings.home() / "data") / CORRECTIONS_FILE


@dataclass(frozen=True)
class EventFix:
    """A fix to one event, found by (a piece of) its sentence and, optionally, its kind."""

    sentence: str
    kind: str | None = None
    set_kind: str | None = None
    set_date: str | None = None


@dataclass(frozen=True)
class Correction:
    """One validated ``[[correction]]`` entry."""

    id: str
    doc_id: str | None = None
    url: str | None = None
    sha256: str | None = None
    note: str | None = None
    set: dict[str, str | None] = field(default_factory=dict)
    add: dict[str, tuple[str, ...]] = field(default_factory=dict)      # kind -> names
    remove: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relevant: bool | None = None
    merge_with: str | None = None
    split: bool = False
    events: tuple[EventFix, ...] = ()

    @property
    def label(self) -> str:
        return f"[{self.id}]"


# --------------------------------------------------------------------------- loading


def _str(v: Any, what: str, fail) -> str:
    if not isinstance(v, str) or not v.strip():
        raise fail(f"{what}: expected a non-empty string, got {v!r}")
    return v.strip()


def _names(v: Any, what: str, fail) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list):
        raise fail(f"{what}: expected a list of names, got {v!r}")
    return tuple(_str(x, what, fail) for x in v)


def _event_fix(ev: Any, i: int, fail) -> EventFix:
    what = f"event #{i}"
    if not isinstance(ev, dict):
        raise fail(f"{what}: expected a table")
    unknown = set(ev) - EVENT_KEYS
    if unknown:
        raise fail(f"{what}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(EVENT_KEYS))})")
    date = ev.get("set_date")
    if date is not None and not (isinstance(date, str) and _EVENT_DATE.match(date) and _valid_date(date)):
        raise fail(f"{what}: set_date {date!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    fx = EventFix(sentence=_str(ev.get("sentence"), f"{what}: sentence", fail),
                  kind=_str(ev["kind"], f"{what}: kind", fail) if "kind" in ev else None,
                  set_kind=_str(ev["set_kind"], f"{what}: set_kind", fail) if "set_kind" in ev else None,
                  set_date=date)
    if fx.set_kind is None and fx.set_date is None:
        raise fail(f"{what}: says neither set_kind nor set_date")
    return fx


def _valid_date(s: str) -> bool:
    try:
        dt.date.fromisoformat(s + "-01-01"[len(s) - 4:] if len(s) < 10 else s)
    except ValueError:
        return False
    return True


def _set_fields(v: Any, fail) -> dict[str, str | None]:
    if not isinstance(v, dict):
        raise fail("set: expected a table such as { title = \"...\" }")
    out: dict[str, str | None] = {}
    for k, val in v.items():
        if k not in SETTABLE:
            raise fail(f"set.{k}: not a field a correction sets (one of {', '.join(SETTABLE)})")
        if val == "":
            out[k] = None          # an empty string clears the field
            continue
        out[k] = _str(val, f"set.{k}", fail)
        if k == "published" and not (_DAY.match(out[k] or "") and _valid_date(out[k] or "")):
            raise fail(f"set.published: {val!r} is not a YYYY-MM-DD date")
    return out


def parse_entry(raw: Any, n: int, where: str) -> Correction:
    """One ``[[correction]]`` table, validated; errors name ``where`` and the entry."""
    cid: str = raw["id"] if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{n}"
    doc = raw.get("doc_id") if isinstance(raw, dict) else None

    def fail(msg: str) -> ReferenceDataError:
        return ReferenceDataError(f"{where}: correction #{n} ({cid!r}" + (f", doc {doc}" if doc else "") +
                                  f"): {msg}")
    if not isinstance(raw, dict):
        raise fail("expected a table")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))}")
    if not raw.get("doc_id") and not raw.get("url"):
        raise fail("needs doc_id (or url) to find its article")
    if "relevant" in raw and not isinstance(raw["relevant"], bool):
        raise fail(f"relevant: expected true or false, got {raw['relevant']!r}")
    if "split" in raw and not isinstance(raw["split"], bool):
        raise fail(f"split: expected true or false, got {raw['split']!r}")
    events = raw.get("event", [])
    if not isinstance(events, list):
        raise fail("event: expected [[correction.event]] tables")
    opt = {k: _str(raw[k], k, fail) for k in ("doc_id", "url", "sha256", "note", "merge_with") if k in raw}
    c = Correction(id=cid, set=_set_fields(raw.get("set", {}), fail), relevant=raw.get("relevant"),
                   split=bool(raw.get("split", False)),
                   add={k: _names(raw[f"add_{k}"], f"add_{k}", fail) for k in LIST_KINDS if f"add_{k}" in raw},
                   remove={k: _names(raw[f"remove_{k}"], f"remove_{k}", fail)
                           for k in LIST_KINDS if f"remove_{k}" in raw},
                   events=tuple(_event_fix(e, i, fail) for i, e in enumerate(events, 1)), **opt)
    if c.split and c.merge_with:
        raise fail("split and merge_with contradict each other")
    if not (c.set or c.add or c.remove or c.relevant is not None or c.merge_with or c.split or c.events):
        raise fail("corrects nothing (no set, add_*, remove_*, relevant, merge_with, split or event)")
    return c


def load_corrections(path: str | Path | None = None) -> list[Correction]:
    """The validated corrections of ``path`` (default ``data/corrections.toml``); none when absent."""
    p = Path(path) if path else corrections_path()
    where = display_path(p)
    if not p.exists():
        return []
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ReferenceDataError(f"{where}: cannot read: {e}") from None
    return parse_corrections(text, where)


def parse_corrections(text: str, where: str = CORRECTIONS_FILE) -> list[Correction]:
    """The validated corrections of TOML ``text``; errors name ``where`` and the entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ReferenceDataError(f"{where}: not valid TOML: {e}") from None
    unknown = set(data) - {"correction"}
    if unknown:
        raise ReferenceDataError(f"{where}: unknown table(s) {', '.join(sorted(unknown))}; "
                                 "corrections are [[correction]] entries")
    entries = data.get("correction", [])
    if not isinstance(entries, list):
        raise ReferenceDataError(f"{where}: correction: expected [[correction]] entries")
    out = [parse_entry(e, n, where) for n, e in enumerate(entries, 1)]
    seen: dict[str, int] = {}
    for n, c in enumerate(out, 1):
        if c.id in seen:
            raise ReferenceDataError(f"{where}: correction #{n} ({c.id!r}): id already used by correction "
                                     f"#{seen[c.id]}")
        seen[c.id] = n
    return out


# --------------------------------------------------------------------------- applying

Problem = tuple[str, str]   # (the correction, as "file [id] (doc)", what could not be done)


def _set(fix: Fix, name: str, value: str | None) -> None:
    fix.values = [v for v in fix.values if v["field"] != name] + [FixValue(field=name, value=value)]


def _key(s: str) -> str:
    return " ".join(s.casefold().replace("-", " ").split())


def _new_item(kind: str, name: str) -> Any:
    if kind == "organizations":
        return Organization(name=name, aliases=[], mentions=0, kind=None, misprints=[])
    if kind == "people":
        return Person(name=name, role=None, rank=None, mentions=0, aliases=[], known=False)
    return TopicHit(topic=name, score=1.0, weight=1.0, evidence=[], cues=[])


def _names_of(kind: str, item: Any) -> set[str]:
    if kind == "topics":
        return {_key(item["topic"])}
    return {_key(item["name"]), *(_key(a) for a in item.get("aliases") or [])}


def _edit_lists(art: Article, fix: Fix, c: Correction, topics: set[str] | None, say) -> None:
    """Add and remove organisations, people, topics (names compared without case and hyphens)."""
    for kind in LIST_KINDS:
        if kind not in c.add and kind not in c.remove:
            continue
        items = getattr(fix, kind)
        items = copy.deepcopy(getattr(art, kind)) if items is None else items
        for name in c.remove.get(kind, ()):
            kept = [it for it in items if _key(name) not in _names_of(kind, it)]
            if len(kept) == len(items):
                say(f"remove_{kind}: {name!r} is not among the article's {kind}; nothing removed")
            else:
                fix.notes.append(f"{kind[:-1]} {name!r} removed by analyst {c.label}")
            items = kept
        for name in c.add.get(kind, ()):
            if kind == "topics" and topics is not None and name not in topics:
                say(f"add_topics: {name!r} is not a topic of topics.toml; not added")
            elif any(_key(name) in _names_of(kind, it) for it in items):
                say(f"add_{kind}: {name!r} is already among the article's {kind}")
            else:
                items.append(_new_item(kind, name))
                fix.notes.append(f"{kind[:-1]} {name!r} added by analyst {c.label}")
        setattr(fix, kind, items)


_PRECISION = {4: "year", 7: "month", 10: "day"}


def _edit_events(art: Article, fix: Fix, c: Correction, say) -> None:
    """Fix an event's kind or date; the event is found by a piece of its sentence (and its kind)."""
    if not c.events:
        return
    events: list[Event] = copy.deepcopy(art.events) if fix.events is None else fix.events
    for ef in c.events:
        hits = [e for e in events if _key(ef.sentence) in _key(e.get("sentence") or "")
                and (ef.kind is None or e.get("kind") == ef.kind)]
        if not hits:
            say(f"event {ef.sentence[:60]!r}" + (f" ({ef.kind})" if ef.kind else "") +
                " is no longer among the article's events; not applied")
            continue
        for e in hits:
            if ef.set_kind:
                e["kind"] = ef.set_kind
            if ef.set_date:
                e["date"], e["date_precision"], e["date_basis"] = ef.set_date, _PRECISION[len(ef.set_date)], "analyst"
                e["date_partial"], e["year_inferred"] = None, False
        what = " and ".join(x for x in (ef.set_kind and f"kind {ef.set_kind!r}",
                                        ef.set_date and f"date {ef.set_date}") if x)
        fix.notes.append(f"event {what} set by analyst {c.label}")
    fix.events = events


def _set_values(art: Article, fix: Fix, c: Correction) -> None:
    for name, value in c.set.items():
        _set(fix, name, value)
        if name == "published":
            _set(fix, "published_basis", "analyst" if value else None)
        fix.notes.append(f"{name} {'set' if value else 'cleared'} by analyst {c.label}")
    if c.relevant is not None:
        fix.relevant = c.relevant
        fix.notes.append(f"marked {'relevant' if c.relevant else 'not relevant'} by analyst {c.label}")


def _story_of(a: Article) -> str:
    return a.link.story_id if a.link is not None else a.doc_id


def _split(art: Article, fix: Fix, c: Correction, stories: dict[str, str], say) -> None:
    """Take a false copy out of its story; it keeps only what its own page gave."""
    old = stories[art.doc_id]
    rest = sorted(d for d, s in stories.items() if s == old and d != art.doc_id)
    if not rest:
        say("split: the article is not linked to any copy; nothing to split")
        return
    stories[art.doc_id] = art.doc_id
    if old == art.doc_id:   # the story was named after this article: the others take another name
        for d in rest:
            stories[d] = rest[0]
    if art.link is not None and art.link.published:
        _set(fix, "published", art.published)
        _set(fix, "published_basis", art.published_basis)
    if art.link is not None and art.link.title:
        _set(fix, "title", art.title)
    fix.notes.append(f"split from story {old} by analyst {c.label}")


def _merge(art: Article, fix: Fix, c: Correction, stories: dict[str, str],
           by_id: dict[str, Article], say) -> None:
    """Join this article's story (all its copies) to the story of ``merge_with``."""
    target = by_id.get(c.merge_with or "")
    if target is None:
        say(f"merge_with: article {c.merge_with} is not in the corpus; not merged")
        return
    old, new = stories[art.doc_id], stories[target.doc_id]
    if old == new:
        say(f"merge_with: already one story with {target.doc_id}")
        return
    for d, s in stories.items():
        if s == old:
            stories[d] = new
    fix.notes.append(f"story merged with {target.doc_id}'s by analyst {c.label}")


def _find(c: Correction, by_id: dict[str, Article], by_url: dict[str, Article], say) -> Article | None:
    art = by_id.get(c.doc_id or "")
    if art is None and c.url:
        art = by_url.get(c.url)
        if art is not None and c.doc_id:
            say(f"doc_id {c.doc_id} not found; applied to {art.doc_id}, which has its url")
    if art is None:
        say(f"article {c.doc_id or c.url} is not in the corpus (file removed or renamed?); not applied")
    elif c.sha256 and art.sha256 and art.sha256 != c.sha256:
        say(f"the raw file changed since the correction (sha256 {c.sha256[:12]}… now {art.sha256[:12]}…); "
            "applied to the new version, check it still holds")
    return art


def apply_corrections(articles: list[Article], corrections: list[Correction], topics: set[str] | None = None,
                      where: str = CORRECTIONS_FILE) -> list[Problem]:
    """Set each article's ``fix`` overlay from ``corrections`` (in file order; a later entry
    wins), replacing last run's. Returns what could not be done, by correction."""
    by_id = {a.doc_id: a for a in articles}
    by_url = {a.url: a for a in articles if a.url}
    stories = {a.doc_id: _story_of(a) for a in articles}
    for a in articles:
        a.fix = None
    problems: list[Problem] = []
    for c in corrections:
        def say(msg: str, c: Correction = c) -> None:
            problems.append((f"{where} {c.label}" + (f" (doc {c.doc_id})" if c.doc_id else ""), msg))
        art = _find(c, by_id, by_url, say)
        if art is None:
            continue
        fix = art.fix = art.fix or Fix()
        if c.split:
            _split(art, fix, c, stories, say)
        if c.merge_with:
            _merge(art, fix, c, stories, by_id, say)
        _set_values(art, fix, c)
        _edit_lists(art, fix, c, topics, say)
        _edit_events(art, fix, c, say)
    for a in articles:
        if stories[a.doc_id] != _story_of(a):
            a.fix = a.fix or Fix()
            _set(a.fix, "story_id", stories[a.doc_id])
            if not any(n.startswith(("story merged", "split from")) for n in a.fix.notes):
                a.fix.notes.append(f"story changed to {stories[a.doc_id]} by an analyst's merge or split")
    return problems


def correct(articles: list[Article], corrections: list[Correction], *, is_stale, reanalyse,
            topics: set[str] | None = None, where: str = CORRECTIONS_FILE) -> list[Problem]:
    """Apply ``corrections`` after analysis and linking. A corrected publication date is the
    anchor event dates resolve against, so the articles it changes (``is_stale``) are analysed
    again (``reanalyse``) and the corrections applied over the new analysis."""
    problems = apply_corrections(articles, corrections, topics, where)
    stale = [a for a in articles if is_stale(a)]
    if stale:
        reanalyse(stale)
        problems = apply_corrections(articles, corrections, topics, where)
    return problems


# --------------------------------------------------------------------------- writing (the explorer's button)


def _toml_value(v: Any) -> str:
    """A TOML literal for a string, bool or list/table of them (JSON string escapes are valid TOML)."""
    import json
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_value(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to corrections.toml")


def entry_text(entry: dict[str, Any]) -> str:
    """One ``[[correction]]`` entry as TOML text (``event`` items as ``[[correction.event]]``)."""
    lines = ["", "[[correction]]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in entry.items() if k != "event" and v is not None]
    for ev in entry.get("event") or []:
        lines += ["[[correction.event]]", *(f"{k} = {_toml_value(v)}" for k, v in ev.items() if v is not None)]
    return "\n".join(lines) + "\n"


def add_correction(doc_id: str, *, path: str | Path | None = None, sha256: str | None = None,
                   url: str | None = None, **what: Any) -> Correction:
    """Append one correction for ``doc_id`` to the corrections file and return it, validated.

    ``what`` holds the entry's keys (``set={"title": ...}``, ``add_organizations=[...]``,
    ``relevant=False``, ``merge_with=...``, ``split=True``, ``event=[{...}]``, ``note``, ``by``).
    The file is locked, the new text validated as a whole before it replaces the old one
    (atomically), and the analyst's comments and earlier entries are kept as written."""
    p = Path(path) if path else corrections_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(p.with_name(f".{p.name}.lock"), what=f"the corrections file {display_path(p)}"):
        old = p.read_text(encoding="utf-8") if p.exists() else ""
        existing = parse_corrections(old, display_path(p))
        ids = {c.id for c in existing}
        n = len(existing) + 1
        while f"c{n}" in ids:
            n += 1
        entry: dict[str, Any] = {"id": f"c{n}", "doc_id": doc_id, "sha256": sha256, "url": url,
                                 "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **what}
        text = (old if old.endswith("\n") or not old else old + "\n") + entry_text(entry)
        new = parse_corrections(text, display_path(p))[-1]   # the whole file is checked before it is written
        atomic_write(p, text)
    return new


def correction_for(art: Article, **what: Any) -> dict[str, Any]:
    """The keys that tie a correction to ``art`` (doc_id, sha256, url) with ``what``."""
    return {"doc_id": art.doc_id, "sha256": art.sha256, "url": art.url, **what}
