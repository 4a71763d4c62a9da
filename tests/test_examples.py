"""The examples people copy run as written: every ```python block of the README and every docstring example."""

from __future__ import annotations

import doctest
import importlib
import re
import subprocess
import sys

import pytest

from tests.helpers import REFERENCE_CODE, REPO

PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
WITH_EXAMPLES = sorted(
    ".".join(path.relative_to(REPO / "src").with_suffix("").parts).removesuffix(".__init__")
    for path in (REPO / "src" / "jobarch").rglob("*.py")
    if ">>> " in path.read_text(encoding="utf-8")
)


def test_the_readme_has_python_examples_and_the_package_docstring_examples():
    assert PYTHON_BLOCKS and "jobarch.api" in WITH_EXAMPLES


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=lambda b: b.splitlines()[-1][:40])
def test_a_readme_python_example_runs(block):
    """Run from the repository root, as a reader of the README would, in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", block], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if "profile_page" in block:
        assert REFERENCE_CODE in done.stdout and "Manager II" in done.stdout


@pytest.mark.parametrize("module", WITH_EXAMPLES)
def test_docstring_examples_run(module, monkeypatch):
    monkeypatch.chdir(REPO)
    failures, tried = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
