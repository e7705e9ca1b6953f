import datetime as dt

from workbench.parse.article import extract
from workbench.parse.metadata import Sources
from workbench.parse.read import RawDoc

TODAY = dt.date(2026, 11, 30)
STORY = ("Tanker repairs finish early at southern yard\n\n"
         "The yard finished repairs on the tanker two weeks early, the company said on Tuesday.\n\n"
         "Workers replaced pumps and valves during the overhaul, officials said.\n")


def art(text, url=None):
    raw = RawDoc(doc_id="d", source_path="d.txt", sha256="x", format="text", text=text,
                 fields={"url": url} if url else {})
    return extract(raw, Sources(), TODAY)


def test_url_date_is_a_flagged_inference_only_when_the_page_gives_none():
    a = art(STORY, "https://news.example.org/news/2025-07-09/industry/tanker")
    assert (a.published, a.published_basis) == ("2025-07-09", "inferred")
    assert any("inferred from the page address" in w for w in a.warnings)
    a = art(" date 2025-07-10 " + STORY, "https://news.example.org/2025/07/09/tanker")
    assert (a.published, a.published_basis) == ("2025-07-10", "page")
    assert art(STORY, "https://news.example.org/article/173638/tanker").published is None
    assert art(STORY, "https://news.example.org/2027/01/01/tanker").published is None     # after today


def test_captions_leave_the_body_for_their_own_field():
    text = ("Tanker repairs finish early at southern yard\n\n"
            "A tug pushes the tanker into the dock on Friday. (Harbor Authority)\n\n" + STORY.split("\n\n", 1)[1])
    a = art(text)
    assert a.captions == ["A tug pushes the tanker into the dock on Friday. (Harbor Authority)"]
    assert "Harbor Authority" not in a.body and a.body.startswith("The yard finished")
