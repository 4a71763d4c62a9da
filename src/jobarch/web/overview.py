"""The architecture as one picture: an icicle chart (functions, then families, then foci, side by side, each as
wide as its share of the profiles), laid out here and drawn as inline SVG by the home page's template.

No script and no chart library: the layout is a few rectangles, and the page's CSP allows no script anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 1000
ROW = 44
MAX_FOCI = 400  # more foci than this and their row is left out (each would be thinner than 2.5 units)
TINTS = ["#dbe8f7", "#f6e3cf", "#dcefdc", "#efdcef", "#f5f0c9", "#d9eeee", "#f3dada", "#e4e4f4"]


@dataclass(frozen=True)
class Segment:
    """One rectangle: a function, family or focus, with its link and how many profiles it holds."""

    row: int
    x: float
    width: float
    label: str
    code: str
    href: str
    profiles: int
    fill: str
    key: str = ""  # a function's number in the legend under the picture: drawn when its name does not fit

    @property
    def y(self) -> int:
        return self.row * ROW

    @property
    def text(self) -> str:
        """What fits (about 7 units a character): the label, else the code, else nothing. Never a cut label:
        the visible text must be part of the link's accessible name (WCAG 2.5.3, label in name)."""
        room = int(self.width / 7.2)
        return next((s for s in (self.label, self.code, self.key) if s and len(s) <= room), "")

    @property
    def name(self) -> str:
        """The link's accessible name (its SVG title): label, code and size, containing whichever of them is shown."""
        key = f"{self.key}. " if self.key else ""
        return f"{key}{self.label} ({self.code}): {self.profiles} profile{'s' if self.profiles != 1 else ''}"


def icicle(functions: dict[str, dict]) -> tuple[list[Segment], int]:
    """The segments of the chart and its number of rows (2 when there are too many foci to draw)."""
    total = sum(fn["profiles"] for fn in functions.values())
    if not total:
        return [], 0
    foci = sum(len(fam["foci"]) for fn in functions.values() for fam in fn["families"].values())
    rows = 3 if foci <= MAX_FOCI else 2
    scale = WIDTH / total
    segments = []
    x = 0.0
    for i, (fn_code, fn) in enumerate(functions.items()):
        tint = TINTS[i % len(TINTS)]
        segments.append(
            Segment(
                0,
                x,
                fn["profiles"] * scale,
                fn["label"] or fn_code,
                fn_code,
                f"/functions/{fn_code}",
                fn["profiles"],
                tint,
                str(i + 1),
            )
        )
        fx = x
        for fam_code, fam in fn["families"].items():
            segments.append(
                Segment(
                    1,
                    fx,
                    fam["profiles"] * scale,
                    fam["label"] or fam_code,
                    fam_code,
                    f"/families/{fam_code}",
                    fam["profiles"],
                    tint,
                )
            )
            if rows == 3:
                cx = fx
                for focus in fam["foci"]:
                    segments.append(
                        Segment(
                            2,
                            cx,
                            focus["profiles"] * scale,
                            focus["label"] or focus["code"],
                            focus["code"],
                            f"/foci/{focus['code']}",
                            focus["profiles"],
                            tint,
                        )
                    )
                    cx += focus["profiles"] * scale
            fx += fam["profiles"] * scale
        x += fn["profiles"] * scale
    return [s for s in segments if s.profiles], rows
