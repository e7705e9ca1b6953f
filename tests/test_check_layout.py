"""scripts/check_layout.py: it finds what it is there to find, and the package passes it."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

from conftest import REPO

_spec = importlib.util.spec_from_file_location("check_layout", REPO / "scripts" / "check_layout.py")
assert _spec and _spec.loader
check_layout = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_layout)


def _module(tmp_path, rel: str, text: str):
    p = tmp_path / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_long_function_long_module_and_upstream_import_are_reported(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(85))
    p = _module(tmp_path, "workbench/parse/bad.py",
                "from workbench.store import load_corpus\n\n\ndef f():\n" + body + "\n" + "\n" * 520)
    problems = check_layout.check_file(p, tmp_path)
    assert any("function f is 86 lines" in x for x in problems)
    assert any("lines (max 600)" in x for x in problems)
    assert any("imports workbench.store.load_corpus from a later stage" in x for x in problems)


def test_downstream_import_of_an_upstream_module_is_fine(tmp_path):
    p = _module(tmp_path, "workbench/reports/ok.py", "from workbench.parse.article import extract\n")
    assert check_layout.check_file(p, tmp_path) == []


def test_the_package_passes():
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "check_layout.py")], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
