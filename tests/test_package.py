"""The package as a whole: importable without fcntl (Windows), public names with real signatures."""
from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap

import pytest

import workbench


def test_imports_and_locks_without_fcntl(tmp_path):
    """With ``fcntl`` unavailable (as on Windows) the package imports and its locks work."""
    code = textwrap.dedent(f"""
        import sys
        sys.modules["fcntl"] = None          # any "import fcntl" now raises ImportError
        import workbench
        from workbench import pipeline, store
        from workbench.reports import run, state
        from workbench.store import locked
        with locked({str(tmp_path)!r}):
            pass
        with state.report_lock(__import__("pathlib").Path({str(tmp_path)!r}), "x", timeout=1):
            pass
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_import_is_cheap():
    """``import workbench`` loads neither pandas nor trafilatura (the CLI starts fast)."""
    code = "import sys, workbench; print(sorted(m for m in ('pandas', 'trafilatura') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["ingest", "load_corpus", "corpus_events", "explorer", "run_reports"])
def test_public_names_have_real_signatures(name):
    params = inspect.signature(getattr(workbench, name)).parameters
    assert "store" in params                      # one name for the store argument everywhere
    assert inspect.Parameter.VAR_POSITIONAL not in {p.kind for p in params.values()}


def test_events_is_a_deprecated_alias():
    with pytest.warns(DeprecationWarning):
        assert workbench.events is workbench.corpus_events


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        workbench.no_such_thing  # noqa: B018
