"""What the document is: organisation, year, scope, read from its captions, its tables'
labelled cells and its cover."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import DocumentBlocks
from .recognise import HEADING_RX, FoundTable
from .text import ORG_SUFFIX_RX, YEAR_RX, squash
from .wording import ORG_CAPTION_KEY

ORG_CAPTION_RX = re.compile(rf"^{ORG_CAPTION_KEY}\s*(.+?)\s*$")
#: An organisation printed after its code: 312001大厂回族自治县公安局, 011-汾阳市公安局,
#: 047：大同市公安局. The name starts with a CJK character that is not 年, so a year
#: (2024年度) is no organisation.
CODED_ORG_RX = re.compile(r"^\d{3,}\s*[-—–－:：]?\s*(?!年)([\u3400-\u9fff].*)$")
#: A cover line naming the organisation before the document: 国家信访局2026年度部门预算.
COVER_ORG_RX = re.compile(
    r"^(?![\d〇零一二]{2,4}年|[省市区县]级)(\D{2,30}?)(20\d{2}年度?)?(部门|单位)(预算|决算)(公开)?$"
)
#: Labels a table prints before the organisation's name in the next cell (部门名称 |
#: 北京市生态环境局), as the head of a 部门整体绩效目标表 does.
ORG_CELL_RX = re.compile(r"(部门|单位|预算单位)名称|编制单位|填报单位")
COVER_RX = re.compile(r"(20\d{2})\s*年度?\s*(?:[省市区县]级)?\s*(部门|单位)?\s*(预算|决算)")  # 2026年区级部门预算


@dataclass
class DocumentMeta:
    organisation: str | None
    year: int | None
    document_kind: str | None
    scope: str | None


def read_meta(doc: DocumentBlocks, found: list[FoundTable]) -> DocumentMeta:
    orgs: Counter[str] = Counter(
        org for t in found for caption in t.captions for part in caption if (org := caption_org(part))
    )
    years: Counter[int] = Counter(int(m.group(1)) for t in found if t.concept for m in YEAR_RX.finditer(t.title))
    for t in found:
        for caption in t.captions:
            for part in caption:
                m = re.search(r"(?:预算年度[:：]\s*|^)(20\d{2})\s*年?度?$", squash(part))
                if m:
                    years[int(m.group(1))] += 1
    kind = scope = None
    cover_year = None
    for b in doc.text_blocks[:60]:
        m = COVER_RX.search(squash(b.text))
        if m:
            cover_year = int(m.group(1))
            scope = {"部门": "department", "单位": "unit"}.get(m.group(2) or "", scope)
            kind = "final_accounts" if m.group(3) == "决算" else "budget"
            break
    if cover_year is None:
        cover = "".join(squash(b.text) for b in doc.text_blocks[:6])
        cover_year = int(m.group(1)) if (m := COVER_RX.search(cover)) else None
    if not years and cover_year is None:
        years.update(int(m.group(1)) for b in doc.text_blocks[:400] for m in YEAR_RX.finditer(b.text))
    orgs = orgs or _cell_orgs(found)
    organisation = orgs.most_common(1)[0][0] if orgs else _cover_org(doc)
    year = years.most_common(1)[0][0] if years else cover_year
    return DocumentMeta(organisation, year, kind, scope)


def caption_org(part: str) -> str | None:
    """The organisation a caption names: 单位名称：X, or a coded name (011-X), or both
    (单位名称：011-X); the code is no part of the name."""
    labelled = ORG_CAPTION_RX.match(part.strip())
    text = labelled.group(1) if labelled else part.strip()
    coded = CODED_ORG_RX.match(text)
    if coded is None and labelled is None:
        return None
    name = squash(coded.group(1) if coded else text)
    return name if name and not re.search(r"[:：]", name) else None


def _cell_orgs(found: list[FoundTable]) -> Counter[str]:
    """Names printed right of an organisation label in a table's row, where no caption
    names one (Beijing's tables-only editions): only a name ending as an organisation's
    does (局, 委员会 …), so that a column headed 单位名称 over its units gives none."""
    out: Counter[str] = Counter()
    for t in found:
        for row in (*t.header, *t.body):
            cells = [squash(c) for c in row if c.strip()]
            for label, value in zip(cells, cells[1:]):
                if ORG_CELL_RX.fullmatch(label) and ORG_SUFFIX_RX.search(value) and not re.search(r"[\d:：]", value):
                    out[value] += 1
    return out


def _cover_org(doc: DocumentBlocks) -> str | None:
    """The first short line of the document that is not a title: the cover's organisation.
    A table's title (…表), a heading (一、主要职能) or a date (二〇二六年三月) is none."""
    for b in doc.text_blocks[:10]:
        text = squash(b.text)
        named = COVER_ORG_RX.match(text)
        if named:
            return named.group(1)
        if (
            2 < len(text) <= 30
            and not YEAR_RX.search(text)
            and not re.search(r"目录|部分|表$|〇|[:：]", text)
            and not HEADING_RX.match(text)
        ):
            return text
    return None
