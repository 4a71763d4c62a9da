"""What several test modules share: the reference page, and comparing a rendered page with it."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REFERENCE_CODE = "MANUFA3.MANUFACT13A2.M2"
REFERENCE_PAGE = Path(__file__).parent / "reference" / f"profile-page-{REFERENCE_CODE}.txt"
FIXTURES = Path(__file__).parent / "fixtures"

# Interface chrome of the web page: link texts and toggles, not content.
CHROME = [" How coordinates work → · Compare side-by-side →", "show ▾"]


def squash(line: str) -> str:
    """Compare without whitespace: the page export glues some fields together."""
    for chrome in CHROME:
        line = line.replace(chrome, "")
    return re.sub(r"\s+", "", line)


def reference_lines() -> list[str]:
    return [line for line in REFERENCE_PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_contains_in_order(rendered: str, expected: list[str]) -> None:
    lines = [squash(line) for line in rendered.splitlines()]
    position = 0
    for want in expected:
        target = squash(want)
        try:
            position = lines.index(target, position) + 1
        except ValueError:
            raise AssertionError(f"missing or out of order after line {position}: {want!r}") from None


MINIMAL = (FIXTURES / "minimal.ttl").read_text(encoding="utf-8")  # the smallest valid architecture


def imported(runner, fmt: str, source: Path, out: Path, *options: str):
    """``jobarch import FMT SOURCE -o OUT`` (it must succeed), and the graph of the files it wrote."""
    from rdflib import Graph

    from jobarch.cli import main

    result = runner.invoke(main, ["import", fmt, str(source), "-o", str(out), *options])
    assert result.exit_code == 0, result.stderr
    graph = Graph()
    for path in out.glob("*.ttl"):
        graph.parse(path)
    return graph
