"""Safe HTML for reports: escaped tables, figures as PNG, and the final sanitiser.

Article text is untrusted. Everything the report notebooks show goes through
``table_html`` / ``text`` here, which escape every value; the exported page is
then passed through :func:`sanitize` (nh3), which keeps only the tags and
attributes a report needs, no scripts, no event handlers, no styles, and
``data:`` URLs only for embedded raster images. Two layers: a mistake in
one does not make a page run a script.
"""
from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

RESERVED_NAMES = ("index", "corpus-overview")


def report_slug(name: str) -> str:
    """The file-name stem of a topic's report: lower-case letters, digits and
    dashes (never ``index`` or the overview's name)."""
    s = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-") or "topic"
    return s + "-topic" if s in RESERVED_NAMES else s


class Html(str):
    """A string that is already safe HTML (built here from escaped parts)."""


def text(value: Any) -> Html:
    """``value`` as escaped HTML text (None/NaN/NaT become an empty string)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(plain(value), quote=True))


def rows(frame: Any, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of a DataFrame as dicts of ``columns`` (default all): the values ``iterrows``
    gives (Python scalars, ``Timestamp``, ``pd.NA``), read a column at a time, not a Series per row."""
    cols = list(frame.columns) if columns is None else list(columns)
    return [dict(zip(cols, values)) for values in zip(*(frame[c].tolist() for c in cols))]


def plain(value: Any) -> str:
    """``value`` as display text: lists joined by "; ", missing values empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(plain(v) for v in value if plain(v))
    try:
        import pandas as pd
        if value is pd.NaT or (not isinstance(value, (str, bytes)) and pd.isna(value)):
            return ""
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        pass
    return str(value)


def link(href: str, label: Any, cls: str | None = None) -> Html:
    """An ``<a>`` to a relative or http(s) address (anything else is dropped)."""
    if not re.match(r"^(#|https?://|[\w.-]+\.(html|ipynb)(#.*)?$)", href or ""):
        return text(label)
    c = f' class="{html.escape(cls, quote=True)}"' if cls else ""
    return Html(f'<a href="{html.escape(href, quote=True)}"{c}>{text(label)}</a>')


def anchor_id(prefix: str, key: str) -> str:
    """An ``id`` safe to put in an attribute and a fragment, one per distinct ``key``:
    a readable part plus a short hash of the key itself, so "a b", "a_b", "a+b" and
    two names in another script never share an id."""
    import hashlib
    readable = re.sub(r"[^A-Za-z0-9]+", "-", str(key)).strip("-")[:40]
    digest = hashlib.sha1(str(key).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}{readable}-{digest}" if readable else f"{prefix}{digest}"


def table_html(rows: Iterable[Mapping[str, Any]] | Any, columns: Sequence[str] | None = None,
               cls: str = "wb-table", row_ids: Sequence[str] | None = None,
               empty: str = "(none)") -> Html:
    """A ``<table>`` of ``rows`` (dicts or a DataFrame); cell values are escaped
    unless they are :class:`Html`. ``row_ids`` gives each ``<tr>`` an id."""
    if hasattr(rows, "to_dict"):
        columns = list(columns or rows.columns)  # type: ignore[union-attr]  # a DataFrame
        rows = rows.to_dict("records")
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else []
    if not rows:
        return Html(f'<p class="wb-empty">{text(empty)}</p>')
    out = [f'<table class="{html.escape(cls, quote=True)}"><thead><tr>']
    out += [f"<th>{text(c)}</th>" for c in columns]
    out.append("</tr></thead><tbody>")
    for i, r in enumerate(rows):
        rid = f' id="{html.escape(row_ids[i], quote=True)}"' if row_ids else ""
        out.append(f"<tr{rid}>" + "".join(f'<td data-label="{text(c)}">{text(r.get(c))}</td>' for c in columns)
                   + "</tr>")
    out.append("</tbody></table>")
    return Html("".join(out))


def bullets(items: Iterable[Any], empty: str = "(none)") -> Html:
    items = [text(i) for i in items]
    if not items:
        return Html(f'<p class="wb-empty">{text(empty)}</p>')
    return Html("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")


def figure_png(fig, dpi: int = 100) -> bytes:
    """A matplotlib ``Figure`` (made without pyplot) rendered to PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    with matplotlib.rc_context({"text.usetex": False, "text.parse_math": False}):   # untrusted text stays text
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def show(html_part: str, data: Any = None, section: str | None = None) -> None:
    """Display ``html_part`` in the notebook; ``data`` (JSON-able) rides along
    as ``application/json`` so tests and tools can read what was shown."""
    from IPython.display import display
    bundle: dict[str, Any] = {"text/html": str(html_part), "text/plain": f"[{section or 'html'}]"}
    if data is not None:
        bundle["application/json"] = {"section": section, "data": data}
    display(bundle, raw=True, metadata={"workbench": {"section": section}} if section else None)


def show_figure(fig, section: str | None = None, alt: str = "figure") -> None:
    """Display a matplotlib figure as an embedded PNG (works with no GUI backend)."""
    from IPython.display import display
    png = figure_png(fig)
    meta: dict[str, Any] = {"alt": alt, "image/png": {"alt": alt}}      # the exported page's alt text
    if section:
        meta["workbench"] = {"section": section}
    display({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": alt}, raw=True, metadata=meta)


# --------------------------------------------------------------------------- sanitising

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
    "section", "header", "footer", "main", "nav", "article", "time",
}
_ATTRS = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "data-label"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_SAFE_HREF = re.compile(r"^(#[\w.:-]*|https?://[^\s\"'<>]+|[\w./-]+\.(html|ipynb)(#[\w.:-]*)?)$", re.I)


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "src":
        return value if tag == "img" and _DATA_IMAGE.match(value) else None
    if attr == "href":
        return value if _SAFE_HREF.match(value) and ".." not in value else None
    return value


def sanitize(fragment: str) -> str:
    """Keep only what a report needs: no script/style/iframe/form, no ``on*``
    attributes, no inline styles; links stay relative or http(s); images only
    as embedded ``data:image/...;base64`` URLs."""
    import nh3
    return nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags={"script", "style", "noscript", "iframe", "object", "embed", "template",
                            "svg", "math", "textarea", "select"},
        attributes=_ATTRS,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "data"},
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1f24;background:#fff;line-height:1.45;overflow-wrap:anywhere;word-break:normal}
main{max-width:1100px;margin:0 auto;padding:1.5rem 1.25rem 4rem;box-sizing:border-box}
main *{max-width:100%;box-sizing:border-box}
td,li,p,blockquote,a{overflow-wrap:anywhere}
th{overflow-wrap:normal;word-break:normal}
.wb-nowrap,.wb-date,.wb-kind{white-space:nowrap}
.wb-words{overflow-wrap:normal;word-break:keep-all}
a.anchor-link{display:none}
h1{font-size:1.7rem;margin:.2rem 0 .6rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr:nth-child(even) td{background:#fbfcfd}
img{max-width:100%;height:auto}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:.85rem}
.wb-empty{color:#57606a;font-style:italic}
.wb-cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.5rem 0 1rem}
.wb-card{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem;min-width:8rem}
.wb-card b{display:block;font-size:1.4rem}
.wb-quote{border-left:3px solid #8c959f;margin:.6rem 0;padding:.2rem .8rem}
.wb-cite{color:#57606a;font-size:.85rem}
.wb-status-failed{color:#b3261e;font-weight:bold}.wb-status-ok{color:#1a7f37}
.wb-meta{color:#57606a;font-size:.9rem}
.jp-InputPrompt,.jp-OutputPrompt,.prompt{display:none}
@media (max-width:700px){main{padding:1rem .6rem 3rem}h1{font-size:1.35rem}.wb-card{min-width:6.5rem}
table.wb-table,table.wb-table tbody,table.wb-table tr,table.wb-table td{display:block;width:100%}
table.wb-table thead{display:none}table.wb-table tr{border:1px solid #d0d7de;margin:0 0 .6rem}
table.wb-table td{border:0;border-top:1px solid #eaeef2;padding:.25rem .5rem}
table.wb-table td:first-child{border-top:0}
.output_png{overflow-x:auto}main .output_png img{max-width:none}
.output_png::before{content:"Figure at full size: scroll sideways to see all of it \2192";display:block;font-size:.8rem;color:#57606a}
table.wb-table td[data-label]::before{content:attr(data-label);display:block;font-size:.75rem;font-weight:600;color:#57606a}}
"""


def page(title: str, body: str, extra_css: str = "") -> str:
    """A complete, script-free HTML document around an (already sanitised) body."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">"
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}{extra_css}</style></head>"
            f"<body><main>\n{body}\n</main></body></html>\n")
