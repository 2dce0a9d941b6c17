"""Pages printed sideways: a table turned a quarter on the sheet, read by turning the paper.

Some producers print a wide table across a portrait sheet turned a quarter, without
the page's /Rotate that would show it upright (the readers apply /Rotate). Its text
runs up or down the page, and the grid code, which reads lines left to right, finds
no table there. Where most of a page's text runs one way, up or down, its chars and
shapes are turned a quarter so that the text runs left to right, as a reader turning
the paper sees it; a page of upright text with a few turned labels (a narrow header
cell printed vertically) is left as it is.

Coordinates are the readers' (:func:`converters.pdf_reader.page_objects`): x to the
right and ``top`` down from the page's top-left corner; a char's ``matrix`` is in PDF
space, y up, and its first two terms give the direction its text runs in.
"""

from __future__ import annotations

#: Share of a char's text direction across the way it runs below which it runs that
#: way: text turned a quarter has no x term; a slanted watermark has both.
ACROSS = 0.1
#: Chars looked at, spread over the page, to tell which way most of its text runs.
SAMPLE = 256


def upright_page(
    chars: list[dict], shapes: list[dict], width: float, height: float
) -> tuple[list[dict], list[dict], float]:
    """The page's chars and shapes, and its width, as read with its text upright."""
    ways = {"right": 0, "up": 0, "down": 0}
    for c in chars[:: max(1, len(chars) // SAMPLE)]:
        m = c.get("matrix")
        if m and not c["text"].isspace():
            a, b = m[0], m[1]
            if abs(b) <= ACROSS * abs(a):
                ways["right"] += a > 0
            elif abs(a) <= ACROSS * abs(b):
                ways["up" if b > 0 else "down"] += 1
    way = max(ways, key=lambda k: ways[k])
    if way == "right" or ways[way] * 2 <= sum(ways.values()):
        return chars, shapes, width
    if way == "up":  # turn the page clockwise: (x, y) -> (height - y, x)
        return (
            [_char(c, height - c["bottom"], height - c["top"], c["x0"], c["x1"], clockwise=True) for c in chars],
            [{**s, "pts": [(height - y, x) for x, y in s["pts"]]} for s in shapes],
            height,
        )
    return (  # text runs down: turn the page counter-clockwise: (x, y) -> (y, width - x)
        [_char(c, c["top"], c["bottom"], width - c["x1"], width - c["x0"], clockwise=False) for c in chars],
        [{**s, "pts": [(y, width - x) for x, y in s["pts"]]} for s in shapes],
        height,
    )


def _char(c: dict, x0: float, x1: float, top: float, bottom: float, clockwise: bool) -> dict:
    """``c`` at its place on the turned page, its matrix turned with it."""
    a, b, cc, d, e, f = c["matrix"]
    matrix = (b, -a, d, -cc, e, f) if clockwise else (-b, a, -d, cc, e, f)
    return {
        **c,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "size": bottom - top,
        "matrix": matrix,
        "upright": True,
    }
