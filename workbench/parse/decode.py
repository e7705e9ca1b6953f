"""Decode the bytes of an input file into text, and say how.

Most inputs are UTF-8. What is not comes in a few kinds, each handled by a
rule for that kind rather than one guess for the whole file:

* a byte-order mark names the encoding;
* NUL bytes on one parity only are UTF-16 without a BOM; otherwise more than
  a few NULs (or control bytes) mean a binary file, which is refused, and a
  few stray NULs are dropped with a warning;
* text that is UTF-8 apart from a few bad bytes (a stray byte pasted in) is
  decoded as UTF-8 segment by segment, the bad bytes replaced and counted,
  so one byte can never make a whole article decode as a Mac code page;
* lines in a legacy multi-byte encoding (CP949/EUC-KR, from
  ``settings.FALLBACK_ENCODINGS``) are decoded in it when the result is
  plausible for it (mostly common Hangul syllables), even amid UTF-8 lines;
* the remaining lines, when the file holds fewer well-formed UTF-8 sequences
  than bad bytes, are decoded with the first single-byte fallback (CP1252,
  Latin-1) in which they are all valid.

Whatever is decoded must then look like text (few control characters or
replacement marks), else the file is refused: random bytes are not an
article just because Latin-1 can decode anything. Every departure from
plain UTF-8 is reported as a warning.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from workbench import settings


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Decoded:
    """Text decoded from bytes, the encoding(s) used and what was not clean."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# One well-formed UTF-8 sequence of two to four bytes.
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_HIGH = re.compile(rb"[\x80-\xff]")
# Characters that do not occur in prose: C0/C1 controls other than
# tab/newline/carriage return/form feed, DEL, and the replacement mark.
_NON_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_CONTROL_BYTES = bytes([*range(1, 9), 0x0B, *range(0x0E, 0x20), 0x7F])
_HANGUL = re.compile("[\uac00-\ud7a3]")
_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uac00-\ud7a3\u3131-\u318e\uff00-\uffef]")

# Encodings whose output can be checked for plausibility (mostly Hangul), so
# they may be applied to single lines; single-byte code pages decode anything
# and are only used for a whole file with no UTF-8 in it.
_KOREAN = {"cp949", "euc_kr", "johab", "iso2022_kr"}


def _codec(name: str) -> str:
    return codecs.lookup(name).name


def _plausible_korean(text: str) -> bool:
    """Decoded text whose non-ASCII characters are mostly Hangul, and Hangul of
    the 2,350 common syllables (KS X 1001). The second test matters: CP949's
    extension maps a high byte followed by an ASCII letter to rare syllables,
    so a CP1252 "it’s" (0x92 0x73) would otherwise pass as Korean."""
    non_ascii = sum(1 for c in text if ord(c) > 127)
    syllables = _HANGUL.findall(text)
    if not non_ascii or len(syllables) < 0.6 * non_ascii or len(_CJK.findall(text)) < 0.9 * non_ascii:
        return False
    common = sum(1 for c in syllables if _in_ksx1001(c))
    return common >= 0.95 * len(syllables)


def _in_ksx1001(char: str) -> bool:
    """In KS X 1001's common-syllable block: two bytes, both 0xA1 or above, in CP949.
    (Python's euc-kr codec also encodes rare syllables, as 8-byte sequences.)"""
    try:
        b = char.encode("cp949")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and b[0] >= 0xA1 and b[1] >= 0xA1


def non_text_share(text: str) -> float:
    """Share of characters that never occur in prose (controls, U+FFFD)."""
    return len(_NON_TEXT.findall(text)) / max(1, len(text))


def utf8_evidence(data: bytes) -> tuple[int, int]:
    """(well-formed multi-byte UTF-8 sequences, high bytes outside them)."""
    seqs = _UTF8_SEQ.findall(data)
    covered = sum(len(s) for s in seqs)
    return len(seqs), len(_HIGH.findall(data)) - covered


def _utf16_by_nuls(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit on one byte parity only (ASCII-range
    characters in UTF-16 without a BOM), else None."""
    sample = data[:65536]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if max(even_nul, odd_nul) >= 0.1 and min(even_nul, odd_nul) <= 0.01:
        return "utf-16-be" if even_nul > odd_nul else "utf-16-le"
    return None


def _fallbacks() -> tuple[list[str], list[str]]:
    """settings.FALLBACK_ENCODINGS split into (checkable per line, whole file only)."""
    korean: list[str] = []
    single: list[str] = []
    for name in settings.FALLBACK_ENCODINGS:
        (korean if _codec(name) in _KOREAN else single).append(name)
    return korean, single


def _try_korean(line: bytes, encodings: list[str]) -> tuple[str, str] | None:
    for enc in encodings:
        try:
            text = line.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_korean(text):
            return text, enc
    return None


def _decode_whole(data: bytes, single: list[str]) -> str:
    """The first single-byte fallback in which all of ``data`` is valid."""
    for enc in single:
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    raise DecodeError("not UTF-8 and not valid in any of the fallback encodings "
                      f"{', '.join(settings.FALLBACK_ENCODINGS)}")


def _decode_segments(data: bytes) -> Decoded:
    """Decode line by line: UTF-8 where valid, a Korean code page where it fits;
    the remaining lines by their balance of evidence (see ``_decode_rest``)."""
    korean, single = _fallbacks()
    lines = data.splitlines(keepends=True)
    parts: list[str] = []
    counts: dict[str, int] = {}          # encoding -> lines decoded in it (non-ASCII only)
    rest: list[int] = []
    korean_lines: set[int] = set()
    for i, line in enumerate(lines):
        try:
            parts.append(line.decode("utf-8"))
            if not line.isascii():
                counts["utf-8"] = counts.get("utf-8", 0) + 1
            continue
        except UnicodeDecodeError:
            pass
        hit = _try_korean(line, korean)
        parts.append(hit[0] if hit else "")
        if hit:
            counts[hit[1]] = counts.get(hit[1], 0) + 1
            korean_lines.add(i)
        else:
            rest.append(i)
    seqs = utf8_evidence(b"".join(ln for i, ln in enumerate(lines) if i not in korean_lines))[0]
    warnings = _decode_rest(lines, rest, parts, counts, single, seqs) if rest else []
    for enc, n in counts.items():
        if enc != "utf-8":
            warnings.append(f"not valid UTF-8: {n} line(s) decoded as {enc} (fallback)")
    return Decoded("".join(parts), "+".join(counts) or "utf-8", warnings)


def _decode_rest(lines: list[bytes], rest: list[int], parts: list[str], counts: dict[str, int],
                 single: list[str], seqs: int) -> list[str]:
    """Fill ``parts`` for lines neither UTF-8 nor plausibly Korean: in the Korean
    code page the file already uses if they are valid in it; as UTF-8 with
    replacement when the file's well-formed UTF-8 sequences (``seqs``, Korean
    lines aside) are at least as many as these lines' bad bytes (a stray byte
    in UTF-8 text); else in the first single-byte fallback."""
    blob = b"".join(lines[i] for i in rest)
    used_korean = [e for e in counts if e != "utf-8"]
    for enc in used_korean:
        try:
            blob.decode(enc)
        except UnicodeDecodeError:
            continue
        for i in rest:
            parts[i] = lines[i].decode(enc)
        counts[enc] += len(rest)
        return []
    bad = utf8_evidence(blob)[1]
    if seqs >= bad or not single:
        replaced = 0
        for i in rest:
            parts[i] = lines[i].decode("utf-8", errors="replace")
            replaced += parts[i].count("\ufffd") - lines[i].count("\ufffd".encode())
        counts["utf-8"] = counts.get("utf-8", 0) + len(rest)
        shown = ", ".join(str(i + 1) for i in rest[:5]) + (" ..." if len(rest) > 5 else "")
        return [f"{replaced} invalid UTF-8 byte sequence(s) replaced with U+FFFD (line(s) {shown})"]
    enc = _decode_whole(blob, single)
    for i in rest:
        parts[i] = lines[i].decode(enc)
    counts[enc] = counts.get(enc, 0) + len(rest)
    return []


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc).lstrip("\ufeff")
            except UnicodeDecodeError as e:
                raise DecodeError(f"starts with a {enc} byte-order mark but is not valid {enc}: {e.reason} "
                                  f"at byte {e.start}") from e
            return Decoded(text, enc.replace("-sig", ""))
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data``; raise DecodeError when it is not text (see module doc)."""
    got = _decode_bom(data)
    if got is None:
        got = _decode_unmarked(data)
    check_text(got)
    return got


def check_text(got: Decoded) -> None:
    """Raise DecodeError when decoded text holds too many characters prose never has."""
    share = non_text_share(got.text)
    if share > settings.MAX_NON_TEXT_SHARE:
        raise DecodeError(f"does not look like text (binary or random bytes?): {share:.0%} of its "
                          f"characters are control characters or undecodable bytes "
                          f"(decoded as {got.encoding})")


def _decode_unmarked(data: bytes) -> Decoded:
    """No BOM: NULs first (UTF-16, binary, or a few stray NULs dropped; NUL is
    valid UTF-8, so this comes before the UTF-8 attempt), then UTF-8, then
    segment by segment."""
    notes = []
    if b"\x00" in data:
        enc = _utf16_by_nuls(data)
        if enc is not None:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise DecodeError(f"NUL bytes suggest {enc} without a byte-order mark, but it is not "
                                  f"valid {enc}: {e.reason} at byte {e.start}") from e
            return Decoded(text, enc, [f"no byte-order mark; decoded as {enc} by its NUL-byte pattern"])
        nuls = data.count(0)
        if nuls > settings.MAX_NON_TEXT_SHARE * len(data):
            raise DecodeError(f"looks like a binary file ({nuls:,} NUL bytes, {nuls / len(data):.0%}), "
                              "not text")
        data = data.replace(b"\x00", b"")
        notes.append(f"{nuls} stray NUL byte(s) removed")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > settings.MAX_NON_TEXT_SHARE * len(data):   # the same bytes in every fallback encoding
        raise DecodeError(f"does not look like text (binary or random bytes?): {controls / len(data):.0%} "
                          "of its bytes are control characters")
    try:
        got = Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        got = _decode_segments(data)
    got.warnings[:0] = notes
    return got
