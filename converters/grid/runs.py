"""Text runs: chars grouped into printed lines and, on each line, into runs printed next
to each other (a cell's text, or one line of it); and the text of one cell."""

from __future__ import annotations

from dataclasses import dataclass

from .patterns import NUMBER_RX
from .settings import GRID


@dataclass
class Run:
    """Chars printed next to each other on one line: a cell's text, or one line of it."""

    chars: list[dict]
    line: int
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(c["x0"] for c in self.chars)
        self.x1 = max(c["x1"] for c in self.chars)
        self.top = min(c["top"] for c in self.chars)
        self.bottom = max(c["bottom"] for c in self.chars)
        self.size = max(max(c["size"] for c in self.chars), GRID.min_char_size)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    def is_number(self) -> bool:
        return bool(NUMBER_RX.match(self.text))


def make_runs(chars: list[dict]) -> list[Run]:
    """Runs of every printed line, lines top to bottom, runs left to right; a char
    the text layer joins to the previous one by spaces (``spaced``) continues its run."""
    runs: list[Run] = []
    for number, line in enumerate(text_lines(chars)):
        current = [line[0]]
        for prev, c in zip(line, line[1:]):
            if c["x0"] - prev["x1"] > GRID.run_gap * max(prev["size"], GRID.min_char_size) and not c.get("spaced"):
                runs.append(Run(current, number))
                current = [c]
            else:
                current.append(c)
        runs.append(Run(current, number))
    return runs


def text_lines(chars: list[dict]) -> list[list[dict]]:
    """Chars grouped into printed lines by their vertical middle, each sorted by x."""
    lines: list[list[dict]] = []
    mids: list[float] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        if lines and abs(mid - mids[-1]) <= max(GRID.line_floor, c["size"] * GRID.line_ratio):
            lines[-1].append(c)
        else:
            lines.append([c])
            mids.append(mid)
    for line in lines:
        line.sort(key=lambda c: c["x0"])
    return lines


def chars_to_text(chars: list[dict]) -> str:
    """Text of one cell: lines top to bottom, joined without a break where a line wraps.

    Wrapped CJK text joins with nothing between; a space on the line is kept only
    where the gap between two chars is wider than half a char (a quarter, where the
    text layer has a space there: ``spaced``).
    """
    if not chars:
        return ""
    chars = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    lines: list[list[dict]] = []
    for c in chars:
        if lines and abs(c["top"] - lines[-1][0]["top"]) <= max(GRID.line_floor, c["size"] * GRID.cell_line_ratio):
            lines[-1].append(c)
        else:
            lines.append([c])
    texts = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        prev = None
        for c in line:
            if c["text"].isspace():
                continue
            gap = GRID.printed_space_gap if c.get("spaced") else GRID.space_gap
            if prev is not None and c["x0"] - prev["x1"] > prev["size"] * gap:
                parts.append(" ")
            parts.append(c["text"])
            prev = c
        texts.append("".join(parts))
    out = texts[0]
    for t in texts[1:]:
        if out and t and out[-1].isascii() and t[0].isascii() and out[-1].isalpha() and t[0].isalpha():
            out += " " + t
        else:
            out += t
    return out.strip()
