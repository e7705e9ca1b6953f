"""A realistic benchmark corpus: N distinct text dumps with ~10 % near-copies.

    python benchmarks/make_corpus.py --docs 10000 [--out /tmp/wb-corpus-10000] [--seed 7]

Built from the development pages (data/dev/extraction: dumps with their gold
bodies) and the seeds (data/raw with data/gold/seeds.json):

* every page is cut into *furniture* (what precedes and follows its gold body:
  menus, headline, share lines, comments, related stories) and a body;
* a new body takes a real page's paragraph shape and fills it with sentences
  drawn mostly from that page and partly from two others, in page order, most
  of them spliced with another sentence (first part of one, last part of the
  other) so that documents rarely share whole sentences (now
  and then a whole real paragraph, now and then one of a few shared
  "background" paragraphs, as topical news repeats), with numbers, dates and
  capitalised two-word names varied;
* it is put back between the furniture of a randomly chosen page (dates in the
  furniture varied as well), so the cleaner has the same work as on real pages;
* about ``--copies`` of the documents are near-copies of an earlier one: the same
  body around another page's furniture, with light edits (a word changed in a
  sentence or two, the last paragraph dropped, a wire header put in front).

Writes ``<out>/raw/NNNNNN.txt`` and ``<out>/truth.json``: the copy groups as file
names, each file's template page, and a sentence of each body (so a benchmark
can edit a body).
Deterministic for a given seed and N. Refuses to write inside data/raw.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "dev" / "extraction"
RAW = ROOT / "data" / "raw"
SEEDS_GOLD = ROOT / "data" / "gold" / "seeds.json"

COPY_SHARE = 0.10
BACKGROUND_PARAS = 40        # shared paragraphs, as topical coverage repeats background
BACKGROUND_P = 0.25          # chance a body carries one of them
SPLICE_P = 0.7             # chance a drawn sentence is spliced with another one
WHOLE_PARA_P = 0.15          # chance a paragraph is a real one (varied) rather than mixed sentences
MIN_WORDS = 120
WIRES = ("Yonhap", "AP", "Reuters", "AFP", "Newsis")
CITIES = ("SEOUL", "WASHINGTON", "BUSAN", "TOKYO", "PYEONGTAEK", "HONOLULU")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MONTH_RE = re.compile(r"\b(" + "|".join(MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)"
                       r"(\s+)(\d{1,2})\b")
_YEAR_RE = re.compile(r"\b(19[89]\d|20[0-3]\d)\b")
_DIGIT = re.compile(r"\d")
_NUM_RE = re.compile(r"\b\d[\d,.]*\b")
_NAME_RE = re.compile(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,}(?:-[a-z]+)?)\b")
_SENT_RE = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])")
_ISO_RE = re.compile(r"\b(20[0-3]\d)([-./])(\d{2})\2(\d{2})\b")
_FULL_RE = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2}),\s+(19[89]\d|20[0-3]\d)\b")
_NAME_STOP = {"The", "South", "North", "United", "New", "This", "That", "But", "And", "For", "With", "When",
              "His", "Her", "Their", "They", "Its", "Korea", "Korean", "Defense", "Defence", "Navy", "Army",
              "Air", "Force", "Forces", "Department", "Ministry", "Command", "Joint", "Chiefs", "Staff"}


@dataclass
class Template:
    """A page cut around its gold body."""
    name: str
    head: str      # furniture before the body
    tail: str      # furniture after the body
    paras: list[str]


def cut_page(name: str, dump: str, body: str) -> Template | None:
    """Split ``dump`` into furniture / body / furniture at the gold body's
    first and last paragraphs; None when they cannot be found in order."""
    paras = [p.strip() for p in body.split("\n\n") if p.strip()]
    if not paras:
        return None
    starts = [dump.find(p[:50]) for p in paras]
    found = [(s, p) for s, p in zip(starts, paras) if s >= 0]
    if len(found) < max(1, len(paras) // 2):
        return None
    start = min(s for s, _ in found)
    last = max(found, key=lambda x: x[0])
    end_key = last[1][-50:]
    end = dump.find(end_key, last[0])
    if end < 0:
        return None
    end += len(end_key)
    return Template(name, dump[:start], dump[end:], paras)


def load_templates() -> list[Template]:
    """Every development page and seed whose gold body can be located."""
    out = []
    for g in sorted(DEV.glob("*.gold.txt")):
        d = g.with_name(g.name[: -len(".gold.txt")] + ".txt")
        if d.exists():
            t = cut_page(d.stem, d.read_text("utf-8", "replace"), g.read_text("utf-8", "replace"))
            if t:
                out.append(t)
    if SEEDS_GOLD.exists():
        for doc in json.loads(SEEDS_GOLD.read_text("utf-8")).get("documents", []):
            p = RAW / f"{doc['doc_id']}.txt"
            if p.exists() and doc.get("body"):
                t = cut_page(p.stem, p.read_text("utf-8", "replace"), doc["body"])
                if t:
                    out.append(t)
    if not out:
        sys.exit(f"no usable pages under {DEV} or {RAW}")
    return out


def sentences(para: str) -> list[str]:
    return [s.strip() for s in _SENT_RE.split(para) if s.strip()]


def splice(a: str, b: str, rng: random.Random) -> str:
    """The first part of ``a`` joined to the last part of ``b`` (at a comma when
    there is one near the middle): sentences stay sentence-like while two
    documents drawing the same sentence rarely share all of it."""
    wa, wb = a.split(" "), b.split(" ")
    if len(wa) < 6 or len(wb) < 6:
        return a
    cut_a = next((i + 1 for i in range(len(wa) // 3, 2 * len(wa) // 3) if wa[i].endswith(",")),
                 rng.randint(len(wa) // 3, 2 * len(wa) // 3))
    cut_b = rng.randint(len(wb) // 3, 2 * len(wb) // 3)
    return " ".join(wa[:cut_a] + wb[cut_b:])


class Varier:
    """Numbers, dates and capitalised two-word names varied, per document."""

    def __init__(self, rng: random.Random, names: list[str]):
        self.rng, self.names = rng, names

    def _num(self, m: re.Match) -> str:
        s = m.group(0)
        if self.rng.random() < 0.4:
            return s
        return "".join(str(self.rng.randint(1 if i == 0 else 0, 9)) if c.isdigit() else c
                       for i, c in enumerate(s))

    def _name(self, m: re.Match) -> str:
        if m.group(1) in _NAME_STOP or m.group(2) in _NAME_STOP or self.rng.random() < 0.5:
            return m.group(0)
        return self.rng.choice(self.names)

    def dates(self, text: str) -> str:
        r = self.rng
        text = _FULL_RE.sub(lambda m: f"{r.choice(MONTHS)} {r.randint(1, 28)}, {r.randint(2018, 2026)}", text)
        text = _ISO_RE.sub(lambda m: f"{r.randint(2018, 2026)}{m.group(2)}{r.randint(1, 12):02d}"
                                     f"{m.group(2)}{r.randint(1, 28):02d}", text)
        return text

    def text(self, s: str) -> str:
        if not _DIGIT.search(s):       # no number, year or date to vary (and no random draw spent)
            return _NAME_RE.sub(self._name, s)
        r = self.rng
        s = self.dates(s)
        s = _MONTH_RE.sub(lambda m: f"{r.choice(MONTHS)}{m.group(2)}{r.randint(1, 28)}", s)
        s = _YEAR_RE.sub(lambda m: str(r.randint(2015, 2026)), s)
        s = _NUM_RE.sub(lambda m: m.group(0) if _YEAR_RE.fullmatch(m.group(0)) else self._num(m), s)
        return _NAME_RE.sub(self._name, s)


class Generator:
    """Deterministic bodies and pages from the templates' material."""

    def __init__(self, templates: list[Template], seed: int):
        self.rng = random.Random(seed)
        self.templates = templates
        self.paras = [p for t in templates for p in t.paras if len(p.split()) >= 12]
        self.sents = [s for p in self.paras for s in sentences(p) if len(s.split()) >= 6]
        self.by_page = [[s for p in t.paras for s in sentences(p) if len(s.split()) >= 6] for t in templates]
        self.by_page = [x if len(x) >= 3 else self.sents for x in self.by_page]
        self.shapes = [[len(sentences(p)) for p in t.paras] for t in templates]
        names = sorted({m.group(0) for p in self.paras for m in _NAME_RE.finditer(p)
                        if m.group(1) not in _NAME_STOP and m.group(2) not in _NAME_STOP})
        self.varier = Varier(self.rng, names or ["Kim Min-su"])
        self.background = [self._mixed_para(self.rng.randint(2, 4)) for _ in range(BACKGROUND_PARAS)]

    def _mixed_para(self, n: int, donors: list[list[str]] | None = None) -> str:
        """``n`` sentences, mostly from the first donor page, in their page order."""
        r = self.rng
        donors = donors or [self.sents]
        picked = []
        for _ in range(max(1, n)):
            pool = donors[0] if r.random() < 0.6 or len(donors) == 1 else r.choice(donors[1:])
            i = r.randrange(len(pool))
            s = pool[i] if r.random() > SPLICE_P else splice(pool[i], r.choice(self.sents), r)
            picked.append((i, s))
        return " ".join(self.varier.text(s) for _, s in sorted(picked, key=lambda x: x[0]))

    def body(self) -> list[str]:
        """A new body: a real page's paragraph shape filled with recombined text."""
        r = self.rng
        while True:
            k = r.randrange(len(self.templates))
            donors = [self.by_page[k]] + [r.choice(self.by_page) for _ in range(2)]
            shape = [min(max(n, 1), 5) for n in self.shapes[k]][:14]
            while len(shape) < 4:
                shape.append(r.randint(1, 4))
            paras = [self.varier.text(r.choice(self.paras)) if r.random() < WHOLE_PARA_P
                     else self._mixed_para(n, donors) for n in shape]
            if r.random() < BACKGROUND_P:
                paras.insert(r.randint(1, len(paras)), r.choice(self.background))
            if sum(len(p.split()) for p in paras) >= MIN_WORDS:
                return paras

    def near_copy(self, paras: list[str]) -> list[str]:
        """Light edits a syndicating outlet makes: a word or two, a dropped
        closing paragraph, a wire header."""
        r = self.rng
        out = list(paras)
        for _ in range(r.randint(0, 2)):
            i = r.randrange(len(out))
            words = out[i].split(" ")
            j = r.randrange(len(words))
            words[j] = r.choice(("also", "reportedly", "said", "further", "recently"))
            out[i] = " ".join(words)
        if len(out) >= 6 and r.random() < 0.3:
            out.pop()
        if r.random() < 0.4:
            out[0] = (f"{r.choice(CITIES)}, {r.choice(MONTHS)} {r.randint(1, 28)} "
                      f"({r.choice(WIRES)}) -- " + out[0])
        return out

    def page(self, paras: list[str], avoid: str | None = None) -> tuple[str, str]:
        """A whole dump (and its template's name) around ``paras``."""
        t = self.rng.choice(self.templates)
        while avoid and t.name == avoid and len(self.templates) > 1:
            t = self.rng.choice(self.templates)
        head, tail = self.varier.dates(t.head), self.varier.dates(t.tail)
        return head + "\n\n".join(paras) + tail, t.name


def generate(n: int, out: Path, seed: int = 7, copies: float = COPY_SHARE) -> dict:
    """Write ``n`` dumps under ``out/raw`` and ``out/truth.json``; return the truth."""
    out = Path(out).resolve()
    if out == RAW.resolve() or RAW.resolve() in out.parents or out in RAW.resolve().parents:
        raise SystemExit(f"refusing to write into or above {RAW}")
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for old in raw.glob("*.txt"):
        old.unlink()
    g = Generator(load_templates(), seed)
    bodies: list[tuple[str, list[str], str]] = []     # (file name, paras, template) of originals
    group_of: dict[str, list[str]] = {}
    first_sentence: dict[str, str] = {}
    template_of: dict[str, str] = {}
    for i in range(n):
        name = f"{i:06d}.txt"
        if bodies and g.rng.random() < copies:
            orig_name, paras, tname = g.rng.choice(bodies)
            paras = g.near_copy(paras)
            text, tname = g.page(paras, avoid=tname)
            group_of.setdefault(orig_name, [orig_name]).append(name)
        else:
            paras = g.body()
            text, tname = g.page(paras)
            bodies.append((name, paras, tname))
        first_sentence[name] = sentences(paras[-1])[0]
        template_of[name] = tname
        (raw / name).write_text(text, encoding="utf-8")
    truth = {"docs": n, "seed": seed, "copy_groups": sorted(group_of.values()),
             "edit_anchor": first_sentence, "template": template_of}
    tmp = out / "truth.json.tmp"
    tmp.write_text(json.dumps(truth, indent=0), encoding="utf-8")
    os.replace(tmp, out / "truth.json")
    return truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=None, help="default: <tmp>/wb-corpus-<docs>")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--copies", type=float, default=COPY_SHARE, help="share of near-copies")
    a = ap.parse_args()
    out = a.out or Path(tempfile.gettempdir()) / f"wb-corpus-{a.docs}"
    t0 = time.perf_counter()
    truth = generate(a.docs, out, a.seed, a.copies)
    size = sum(p.stat().st_size for p in (out / "raw").glob("*.txt"))
    groups = truth["copy_groups"]
    print(f"{a.docs} documents in {out / 'raw'} ({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s; "
          f"{sum(len(x) - 1 for x in groups)} near-copies in {len(groups)} group(s); truth in {out / 'truth.json'}")


if __name__ == "__main__":
    main()
