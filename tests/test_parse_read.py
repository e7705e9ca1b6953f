"""read: file discovery, formats, encodings, rejections."""
import gzip
import json

import pytest

from workbench.parse.read import InputError, decode, discover, doc_stem, read_file

# Real snippets: the opening of seed 002 and a Korean rendering of the same report.
EN = ("Senior defence officials of South Korea and the United States held talks in Seoul on "
      "Wednesday to discuss ways to advance their combined sustainment capabilities.")
KO = "합동참모본부는 11일 서울에서 미국 국방군수국장과 첫 공식 회의를 열고 연합 지속지원 능력 강화 방안을 논의했다고 밝혔다."
FR = "Les responsables de la défense sud-coréens et américains ont tenu des pourparlers à Séoul."


@pytest.mark.parametrize("encoding,text", [
    ("utf-8", EN + " " + KO),
    ("utf-8-sig", EN + " " + KO),
    ("utf-16", EN + " " + KO),            # with BOM
    ("utf-16-le", EN + " " + KO),         # without BOM
    ("utf-16-be", EN + " " + KO),
    ("cp949", KO + "\n" + KO),
    ("euc-kr", KO + "\n" + KO),
    ("latin-1", FR + " " + FR),
])
def test_decode_encodings(encoding, text):
    got, _ = decode(text.encode(encoding))
    assert got.lstrip("\ufeff") == text


def test_decode_refuses_binary():
    with pytest.raises(InputError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)), "x.txt")


def test_doc_stem_strips_all_extensions(tmp_path):
    assert doc_stem(tmp_path / "a.html.gz") == "a"
    assert doc_stem(tmp_path / "001_x.txt") == "001_x"


def test_text_file_in_cp949(tmp_path):
    p = tmp_path / "ko.txt"
    p.write_bytes((KO + "\n\n" + KO).encode("cp949"))
    res = read_file(p)
    (doc,) = res.docs
    assert doc.format == "text" and doc.encoding == "cp949" and KO in doc.text
    assert doc.doc_id == "ko"


def test_html_gz_and_meta_charset(tmp_path):
    html = f'<html><head><meta charset="euc-kr"><title>t</title></head><body><p>{KO}</p></body></html>'
    p = tmp_path / "page.html.gz"
    p.write_bytes(gzip.compress(html.encode("euc-kr")))
    (doc,) = read_file(p).docs
    assert doc.format == "html" and KO in doc.html and doc.doc_id == "page"


def test_json_list_gives_stable_ids(tmp_path):
    p = tmp_path / "export.json"
    p.write_text(json.dumps([{"id": "a1", "title": "T1", "text": EN},
                             {"title": "T2", "body": EN, "date": "2026-02-11"}]), encoding="utf-8")
    res = read_file(p)
    assert [d.doc_id for d in res.docs] == ["export__a1", "export__2"]
    assert res.docs[1].fields["published"] == "2026-02-11"
    assert res.docs[0].fields["title"] == "T1"


def test_jsonl_bad_line_rejected_alone(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text(json.dumps({"text": EN}) + "\n{not json\n" + json.dumps({"text": EN, "id": 7}) + "\n",
                 encoding="utf-8")
    res = read_file(p)
    assert [d.doc_id for d in res.docs] == ["feed__1", "feed__7"]
    (rej,) = res.rejected
    assert "line 2" in str(rej) and "feed.jsonl" in str(rej)


def test_csv_record_without_text_is_rejected_with_reason(tmp_path):
    p = tmp_path / "sheet.csv"
    p.write_text("title,text,outlet\nA,\"" + EN + "\",Yonhap\nB,,Yonhap\n", encoding="utf-8")
    res = read_file(p)
    assert len(res.docs) == 1 and res.docs[0].fields["outlet"] == "Yonhap"
    assert "no article text" in res.rejected[0].reason


def test_invalid_json_names_file_and_position(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text('{"text": "abc",', encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_file(p)
    assert "broken.json" in str(e.value) and "line 1" in str(e.value)


def test_empty_and_bad_gzip(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "bad.html.gz").write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="empty"):
        read_file(tmp_path / "empty.txt")
    with pytest.raises(InputError, match="gzip"):
        read_file(tmp_path / "bad.html.gz")


def test_discover_lists_unsupported(tmp_path):
    (tmp_path / "a.txt").write_text(EN)
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text(EN)
    found, refused = discover([tmp_path, tmp_path / "missing.txt"])
    assert [f.name for f in found] == ["a.txt"]
    reasons = {e.path.split("/")[-1]: e.reason for e in refused}
    assert "unsupported" in reasons["b.pdf"] and "no such" in reasons["missing.txt"]


def test_reading_never_modifies_the_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(EN.encode("utf-16"))
    before = (p.read_bytes(), p.stat().st_mtime_ns)
    read_file(p)
    assert (p.read_bytes(), p.stat().st_mtime_ns) == before


def test_export_text_as_list_of_paragraphs_is_joined_and_warned(tmp_path):
    p = tmp_path / "paras.json"
    p.write_text(json.dumps({"body": [EN, FR], "authors": ["A. Kim", "B. Lee"]}), encoding="utf-8")
    (doc,) = read_file(p).docs
    assert doc.text == EN + "\n\n" + FR and doc.fields["author"] == "A. Kim, B. Lee"
    assert doc.warnings == ["record 1: field 'body' is a list of 2 strings; joined as paragraphs"]


def test_export_field_of_wrong_type_named_in_warning(tmp_path):
    p = tmp_path / "typed.jsonl"
    p.write_text(json.dumps({"text": EN, "headline": ["a", "b"], "published": 20260211}) + "\n",
                 encoding="utf-8")
    (doc,) = read_file(p).docs
    assert "title" not in doc.fields and "published" not in doc.fields
    assert any("'headline' is a list" in w for w in doc.warnings)
    assert any("'published' is a number (20260211)" in w for w in doc.warnings)


def test_export_field_keeps_a_protective_leading_tab(tmp_path):
    """A spreadsheet user's guard against formulas ("\\t=...") survives reading."""
    p = tmp_path / "sheet.csv"
    p.write_text("title,text,outlet\n\"\t=1+1 \",\"" + EN + "\",\" Yonhap \"\n", encoding="utf-8")
    (doc,) = read_file(p).docs
    assert doc.fields["title"] == "\t=1+1" and doc.fields["outlet"] == "Yonhap"
