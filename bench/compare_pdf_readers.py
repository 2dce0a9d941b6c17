"""Compare the chars and shapes the two PDF readers give, page by page.

    python bench/compare_pdf_readers.py [PDF ...]   (default: every PDF fixture)

For each file it prints the pages where the readers differ and the first differences:
the text sequence, char boxes beyond a tolerance, the light/black/visible classes of
colours (pdfminer keeps a colour's own space, PDFium gives RGB), the shapes' classes,
flags and points, and which chars a later filled rectangle hides.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from converters import pdfium_objects  # noqa: E402
from converters.pdf_reader import is_black, is_light, is_rule, is_visible_fill, mark_spaced, page_objects, uncovered  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
TOLERANCE = 0.01  # points


def _char_key(c: dict) -> tuple:
    return (c["text"], is_light(c["non_stroking_color"]), is_black(c["non_stroking_color"]))


def _shape_key(s: dict) -> tuple:
    return (s["object_type"], bool(s["stroke"]), bool(s["fill"]), is_rule(s), is_visible_fill(s))


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def compare_page(old: tuple[list[dict], list[dict]], new: tuple[list[dict], list[dict]], limit: int) -> list[str]:
    out: list[str] = []
    (oc, os_), (nc, ns) = old, new
    otext = " ".join("".join(c["text"] for c in oc).split())
    ntext = " ".join("".join(c["text"] for c in nc).split())
    if otext != ntext:
        k = next((i for i, (a, b) in enumerate(zip(otext, ntext)) if a != b), min(len(otext), len(ntext)))
        out.append(
            f"text differs at {k} ({len(otext)} vs {len(ntext)}): {otext[max(0, k - 10) : k + 20]!r} | {ntext[max(0, k - 10) : k + 20]!r}"
        )
    else:
        mark_spaced(oc)
        mark_spaced(nc)
        for a, b in zip([c for c in oc if not c["text"].isspace()], [c for c in nc if not c["text"].isspace()]):
            fields = [f for f in ("x0", "x1", "top", "bottom", "size") if not _near(a[f], b[f])]
            if a.get("spaced") != b.get("spaced"):
                fields.append("spaced")
            if fields or _char_key(a) != _char_key(b):
                out.append(
                    f"char {a['text']!r}: "
                    + ", ".join(f"{f} {a.get(f)}/{b.get(f)}" for f in fields)
                    + (
                        ""
                        if _char_key(a) == _char_key(b)
                        else f" colour {a['non_stroking_color']}/{b['non_stroking_color']}"
                    )
                )
                if len(out) >= limit:
                    break
        oc_ink = [c for c in oc if not c["text"].isspace()]
        nc_ink = [c for c in nc if not c["text"].isspace()]
        kept_old = {id(x) for x in uncovered(oc_ink, os_)}
        kept_new = {id(x) for x in uncovered(nc_ink, ns)}
        hidden_old = {i for i, c in enumerate(oc_ink) if id(c) not in kept_old}
        hidden_new = {i for i, c in enumerate(nc_ink) if id(c) not in kept_new}
        if hidden_old != hidden_new:
            out.append(
                f"hidden chars differ: {sorted(hidden_old - hidden_new)[:5]} / {sorted(hidden_new - hidden_old)[:5]}"
            )
    if len(os_) != len(ns):
        out.append(f"shape count {len(os_)} vs {len(ns)}")
    for k, (a, b) in enumerate(zip(os_, ns)):
        same_pts = len(a["pts"]) == len(b["pts"]) and all(
            _near(p[0], q[0]) and _near(p[1], q[1]) for p, q in zip(a["pts"], b["pts"])
        )
        if _shape_key(a) != _shape_key(b) or not same_pts:
            out.append(f"shape {k}: {_shape_key(a)} {a['pts'][:5]} | {_shape_key(b)} {b['pts'][:5]}")
            break
    return out[:limit]


def compare_file(path: Path, limit: int) -> int:
    differing = 0
    with pdfplumber.open(path) as pdf:
        doc = pdfium.PdfDocument(path)
        try:
            for index, page in enumerate(pdf.pages):
                chars, shapes = page_objects(page)
                new = pdfium_objects.page_objects(doc[index], page)
                diffs = compare_page((chars, shapes), new, limit)
                page.close()
                if diffs:
                    differing += 1
                    if differing <= 3:
                        print(f"  page {index + 1}:")
                        for line in diffs:
                            print(f"    {line}")
        finally:
            doc.close()
    return differing


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--limit", type=int, default=4, help="differences shown per page")
    args = ap.parse_args()
    paths = args.pdfs or sorted(
        p for d in ("corpus", "real", "real2", "made", "variants") for p in (FIXTURES / d).rglob("*.pdf")
    )
    for path in paths:
        print(path.relative_to(FIXTURES) if path.is_relative_to(FIXTURES) else path)
        differing = compare_file(path, args.limit)
        print(f"  {differing} page(s) differ")


if __name__ == "__main__":
    main()
