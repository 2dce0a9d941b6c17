"""The printed labels that tell a performance-target form (项目支出绩效目标表) and its
page fragments, over a grid's rows of cell texts: recognition joins a form's pages
by them (converters/recognise.py) and finds the forms among its tables by them
(converters/form_stitch.py)."""

from __future__ import annotations

import re

from .performance_read import ALL_LABELS, label_of, printed_text
from .text import squash
from .wording import FORM_TITLE_RX, WHOLE_DEPARTMENT_FORM_RX, pattern

START_RX = re.compile(pattern("form_start_labels"))
SIGNATURE_RX = re.compile(pattern("form_signature_labels"))


def form_cells(cells: list[str]) -> list[str]:
    """A row's cells as the form reader reads them: printed text, labels cut over
    neighbouring cells joined."""
    return join_split_labels([printed_text(c) for c in cells])


def join_split_labels(cells: list[str]) -> list[str]:
    """Put a label back together that the PDF reader cut over neighbouring cells (项目 |
    名称), as happens when column boundaries are inferred from white space: the joined
    text goes in the first cell, the others are emptied."""
    out = list(cells)
    for j, text in enumerate(out):
        if not text or ALL_LABELS.fullmatch(label_of(text)):
            continue
        filled = [k for k in range(j + 1, len(out)) if out[k]][:2]
        for n in range(1, len(filled) + 1):
            parts = [text] + [out[k] for k in filled[:n]]
            if ALL_LABELS.fullmatch(label_of("".join(parts))):
                out[j] = "".join(parts)
                for k in filled[:n]:
                    out[k] = ""
                break
    return out


def is_start(cells: list[str]) -> bool:
    """A row starting a project: its first label is 项目名称 or 项目编码."""
    return bool(START_RX.fullmatch(next((label_of(c) for c in cells if c.strip()), "")))


def has_signature(rows: list[list[str]]) -> bool:
    """The rows print a label only the forms have (主管部门及代码, 一级指标 …)."""
    return any(SIGNATURE_RX.fullmatch(label_of(c)) for r in rows for c in r if c.strip())


def looks_like_form(rows: list[list[str]]) -> bool:
    """A page fragment that continues a form: it prints form labels or indicator
    level names (产出指标, 数量指标 …)."""
    return any(ALL_LABELS.fullmatch(label_of(c)) or label_of(c).endswith("指标") for r in rows for c in r if c.strip())


def project_form_title(title: str) -> bool:
    """A title naming one project's form (XX项目绩效目标表), which may print no
    项目名称 line: not a whole department's (部门整体绩效目标表)."""
    text = squash(title)
    return bool(FORM_TITLE_RX.search(text)) and not WHOLE_DEPARTMENT_FORM_RX.search(text)
