"""decode: how each kind of non-UTF-8 input is decoded, warned or refused."""
import random

import pytest

from workbench.parse.decode import DecodeError, decode_bytes, non_text_share, utf8_evidence

EN = "The two armies’ “combined logistics” drill — held on Tuesday — moved fuel and spare parts.\n"
KO = "양국 군은 화요일 연료와 정비 부품을 옮기는 연합 군수 훈련을 했다.\n"


def test_plain_utf8_has_no_warning():
    got = decode_bytes((EN + KO).encode())
    assert (got.text, got.encoding, got.warnings) == (EN + KO, "utf-8", [])


def test_stray_byte_in_utf8_is_replaced_counted_and_warned():
    data = EN.encode() + b"A stray\x92 byte on the second line.\n"
    got = decode_bytes(data)
    assert got.encoding == "utf-8" and "armies’" in got.text and "stray\ufffd byte" in got.text
    assert got.warnings == ["1 invalid UTF-8 byte sequence(s) replaced with U+FFFD (line(s) 2)"]


def test_cp1252_apostrophe_before_a_letter_is_not_read_as_korean():
    # 0x92 0x73 ("’s") is a valid CP949 extension syllable; it must not win.
    got = decode_bytes("The army’s depot and the navy’s yard.\n".encode("cp1252"))
    assert got.text == "The army’s depot and the navy’s yard.\n" and got.encoding == "cp1252"
    assert any("cp1252 (fallback)" in w for w in got.warnings)


@pytest.mark.parametrize("enc", ["cp949", "euc-kr"])
def test_korean_code_page_whole_file(enc):
    got = decode_bytes((KO * 3).encode(enc))
    assert got.text == KO * 3 and got.encoding == "cp949"


def test_utf8_and_cp949_mixed_by_line():
    got = decode_bytes(EN.encode() + KO.encode("cp949") + KO.encode())
    assert got.text == EN + KO + KO and got.encoding == "utf-8+cp949"
    assert got.warnings == ["not valid UTF-8: 1 line(s) decoded as cp949 (fallback)"]


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_by_nul_pattern(enc):
    got = decode_bytes((EN + KO).encode(enc))
    assert got.text == EN + KO and got.encoding == enc and "NUL-byte pattern" in got.warnings[0]


def test_few_stray_nuls_dropped_many_refused():
    got = decode_bytes((EN * 5).encode().replace(b"drill", b"dr\x00ill", 1))
    assert got.text == EN * 5 and got.warnings == ["1 stray NUL byte(s) removed"]
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"".join(i.to_bytes(4, "little") + b"DATA" for i in range(500)))


def test_random_bytes_refused_even_without_nuls():
    data = random.Random(3).randbytes(5000).replace(b"\0", b"\x01")
    with pytest.raises(DecodeError, match="does not look like text"):
        decode_bytes(data)


def test_high_bytes_only_random_refused_after_decoding():
    # no control bytes at all: only the decoded text shows it is not prose
    rng = random.Random(4)
    data = bytes(rng.choice(range(0x80, 0x100)) for _ in range(4000))
    with pytest.raises(DecodeError, match="does not look like text"):
        decode_bytes(data)


def test_evidence_and_share_helpers():
    assert utf8_evidence("é’".encode() + b"\xff") == (2, 1)
    assert non_text_share("ab\x01\ufffd") == 0.5
