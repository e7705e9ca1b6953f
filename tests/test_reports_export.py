"""reports.export.export_html (used by reports.run): the notebook's HTML outputs skip nbconvert's final
BeautifulSoup pass (placeholders), and the page is the same as with that pass."""
import base64
import io

import nbformat

from workbench.reports import export as run
from workbench.reports.html import page, sanitize, table_html, text

# as reports.html builds them: escaped text in well-formed markup
PARTS = [
    '<p class="wb-note">Tom &amp; Jerry said &quot;hi&quot; &#x27;there&#x27; &lt;script&gt;</p>',
    table_html([{"Name": "A <b>bold</b> claim", "N": 3}, {"Name": "Ünïcode — “quotes” 한국", "N": None}]),
    '<div><br>line<br/>break<hr></div>',
    '<a href="#ref-1" title="a \'quoted\' title">x</a><span data-x="1">kept text</span>',
    str(text("<script>alert(1)</script> & more")),
]
# outputs not from show(): these take nbconvert's whole pass (an img gets its alt text there)
OTHER = ['<div><img src="data:image/png;base64,AAAA"></div>', '<ul><li>one<li>two</ul><p>a <b>b <i>c</b> d']


def _png() -> str:
    from matplotlib.figure import Figure
    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode()


def _notebook():
    cells = [nbformat.v4.new_markdown_cell("# Title\n\n## A section *with* `code`"),
             nbformat.v4.new_markdown_cell("notebook only", metadata={"tags": ["notebook-only"]})]
    for i, part in enumerate(PARTS + OTHER):
        meta = {"workbench": {"section": f"s{i}"}} if i < len(PARTS) else {}
        out = nbformat.v4.new_output("display_data", data={"text/html": part, "text/plain": f"[{i}]"},
                                     metadata=meta)
        cells.append(nbformat.v4.new_code_cell(f"show({i})", outputs=[out]))
        cells.append(nbformat.v4.new_markdown_cell(f"## Section {i}"))
    img = nbformat.v4.new_output("display_data", data={"image/png": _png(), "text/plain": "fig"},
                                 metadata={"alt": "a figure", "image/png": {"alt": "a figure"}})
    cells.append(nbformat.v4.new_code_cell("fig", outputs=[img]))
    cells.append(nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "stream", name="stdout", text="printed\n")]))
    return nbformat.v4.new_notebook(cells=cells)


def test_page_equals_the_page_made_with_nbconverts_full_pass(tmp_path):
    nbformat.write(_notebook(), tmp_path / "nb.ipynb")
    nb = nbformat.read(tmp_path / "nb.ipynb", as_version=4)      # as run.py reads an executed notebook
    before = nbformat.writes(nb)
    body, _ = run._exporter().from_notebook_node(nb)     # the whole page through BeautifulSoup
    full_pass = page("T", sanitize(body))
    assert run.export_html(nb, "T") == full_pass
    assert "kept text" in full_pass and "한국" in full_pass and "<script" not in full_pass
    assert 'alt="No description' in full_pass             # the other outputs did take the full pass
    assert nbformat.writes(nb) == before                  # the notebook itself is left as it was
    light, slots = run._slotted(nb)
    assert len(slots) == len(PARTS) and all(k not in full_pass for k in slots)


def test_papermill_writes_the_output_notebook_once_not_per_cell(tmp_path, monkeypatch):
    import papermill.engines as pe

    from workbench.reports.run import PAPERMILL_ENGINE, _papermill
    pm = _papermill()
    src = tmp_path / "in.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = {i}\nprint(x)")
                                                   for i in range(6)]), src)
    writes = []
    real = pe.write_ipynb
    monkeypatch.setattr(pe, "write_ipynb", lambda nb, path: (writes.append(path), real(nb, path)))
    for engine, most in ((PAPERMILL_ENGINE, 2), ("nbclient", 12)):
        writes.clear()
        out = tmp_path / f"{engine}.ipynb"
        pm.execute_notebook(str(src), str(out), progress_bar=False, engine_name=engine, kernel_name="python3")
        done = nbformat.read(out, as_version=4)
        assert [c.outputs[0]["text"] for c in done.cells] == [f"{i}\n" for i in range(6)]
        assert (len(writes) <= most) == (engine == PAPERMILL_ENGINE), (engine, len(writes))
