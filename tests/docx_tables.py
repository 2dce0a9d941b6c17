"""Small DOCX documents built in tests: lines of text above one table with real Word
merges, converted end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import docx

from converters.pipeline import convert

Merge = tuple[int, int, int, int]


def build_docx(path: Path, above: list[str], rows: list[list[str]], merges: list[Merge]) -> Path:
    """One table under the lines ``above``; each merge (row, col, rowspan, colspan)
    is one Word cell holding the text of its top-left position."""
    document = docx.Document()
    for line in above:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    covered = {(r + i, c + j) for r, c, rs, cs in merges for i in range(rs) for j in range(cs)}
    for i, cells in enumerate(rows):
        for j, text in enumerate(cells):
            if (i, j) not in covered:
                table.cell(i, j).text = text
    for r, c, rs, cs in merges:
        table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1)).text = rows[r][c]
    document.save(path)
    return path


def records(path: Path, out: Path, concept: str) -> list[dict]:
    result = convert(path, out)
    descriptor = json.loads((result.package_dir / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r.get("budgetpack:concept") == concept)
    with (result.package_dir / res["path"]).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
