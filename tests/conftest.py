"""Loaded only when pytest runs tests/live and tests/browser together (rootdir tests/).

Both folders hold a test_reports.py and have no __init__.py, so pytest's default
"prepend" import mode would find the first one cached under the module name
test_reports and refuse the second ("import file mismatch"). Before a module is
collected, a cached module of the same name from another file is dropped, as
pytest itself does for conftest.py; the collected module keeps its object."""

from __future__ import annotations

import sys
from pathlib import Path


def pytest_collectstart(collector):
    path = getattr(collector, "path", None)
    if path is None or path.suffix != ".py" or not path.name.startswith("test_"):
        return
    cached = sys.modules.get(path.stem)
    origin = getattr(cached, "__file__", None)
    if origin and Path(origin).resolve() != Path(path).resolve():
        del sys.modules[path.stem]
