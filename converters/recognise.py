"""Recognise tables: join page fragments, read title/label/captions/notes around each
table, split header from body, and name the concept (which standard table it is).

Recognition uses the printed title *and* the header signature (the column labels),
never page numbers or positions: a table whose title is missing is still found by its
header, and a title alone does not make a table standard.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .concepts import Concept, Family, Side, all_concepts, concept_by_key, families
from .form_labels import form_cells, has_signature, is_start, looks_like_form, project_form_title
from .model import DocumentBlocks, TableBlock, TextBlock
from .text import COLUMN_NUMBER_RX, squash
from .values import label_forms, label_unit
from .wording import CAPTION_KEY, EMPTY_NOTE_RX, FORM_TITLE_RX, LABEL_BODY, NOTE_RX, TOTAL_LABEL_RX, UNIT_RX

LABEL_RX = re.compile(rf"^({LABEL_BODY})$")
#: A label printed on the title's line, before it (预算01表 收支总表) or in brackets
#: after it (收支总表（预算表1）).
TITLE_LABEL_RX = re.compile(rf"^(?P<before>{LABEL_BODY})(?=\D)|[(（](?P<after>{LABEL_BODY})[)）]$")
#: Numbering printed before a title in the list of tables (一、收支总表, （一）收支总表).
TITLE_NUMBER_RX = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
CAPTION_RX = re.compile(CAPTION_KEY + r"|^\d{4}年度?$")
GRID_CAPTION_RX = re.compile(CAPTION_KEY)
GRID_TITLE_RX = re.compile(r"表([(（][^)）]*[)）])?$")
PARTS_RX = re.compile(r"\s{2,}|\t")
PAGE_NUMBER_RX = re.compile(r"^[-—–\s]*\d+[-—–\s]*$|^[-—–]\s*(\d\s*)+[-—–]$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
LEADING_YEAR_RX = re.compile(r"^\d{4}\s*年度?")
TITLE_PREFIX_RX = re.compile(r"^([^表]{0,30}?\d{4}\s*年度?)?(部门|单位)?")
SUBTITLE_RX = re.compile(r"^[(（]\d{4}年度?[)）]$")
#: A caption part that opens a money unit without finishing it (单位：万 | 单位：), and
#: the rest of a unit a narrow right-aligned caption wraps onto the next line (元).
OPEN_UNIT_RX = re.compile(r"单位[:：]?(万|千|亿)?$")
UNIT_REST_RX = re.compile(r"^[:：]?(万元|千元|亿元|元|万|千|亿)?元?$")
GROUP_LABEL_RX = re.compile(r"(\d{4}年?(度)?)?(预算数|财政拨款|本年收入|本年支出|预算|收入|支出|项目|决算数)")
NUMBERED_NOTE_RX = re.compile(r"^\d{1,2}\s*[、.．]\s*\D")
PART_RX = re.compile(r"^第[一二三四五六七八九十]+部分")
HEADING_RX = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
BODY_VALUE_RX = re.compile(r"^[-+]?[\d,]+(\.\d+)?$|^[\[【(（]?\d{3}(\d{2}){0,2}\D")
RUNNING_PAGES = 3  # pages a line must head or foot to be a running head or foot
#: Share of a table's printed columns a national concept must explain to fit it.
VOCABULARY_EXPLAINED = 0.6


@dataclass
class FoundTable:
    """One printed table, header and body apart, with what is printed around it."""

    concept: Concept | None
    title: str
    label: str | None
    captions: list[list[str]]
    header: list[list[str]]
    merges: list[tuple[int, int, int, int]]
    body: list[list[str]]
    body_pages: list[int | None]
    notes: list[str] = field(default_factory=list)
    empty_note: str | None = None
    column_labels: list[list[str]] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    body_merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def money_unit(self) -> str | None:
        """The money unit the table prints: 单位：万元 in a caption or a header cell, or
        else in brackets after a column label (合计（元）)."""
        cells = [squash(c) for r in self.header for c in r]
        for text in [squash(p) for c in self.captions for p in c] + cells:
            m = UNIT_RX.search(text)
            if m:
                return m.group(1)
        return next((unit for unit in (label_unit(c)[1] for c in cells) if unit), None)


@dataclass
class _Group:
    table: TableBlock
    before: list[TextBlock]
    after: list[TextBlock] = field(default_factory=list)


def group_tables(doc: DocumentBlocks) -> list[_Group]:
    """Attach to each table the text printed before it, joining page fragments: a
    fragment with nothing but page furniture between it and the previous table, on a
    later page, with as many columns, continues that table."""
    groups: list[_Group] = []
    pending: list[TextBlock] = []
    running = running_lines(doc)
    for block in doc.blocks:
        if isinstance(block, TextBlock):
            if PAGE_NUMBER_RX.match(block.text):
                continue
            pending.append(block)
            continue
        prev = groups[-1] if groups else None
        printed = [t for t in pending if squash(t.text) not in running]
        furniture_only = not _has_title_text(printed)
        if prev and (furniture_only or _title_again(prev, pending)) and _continues(prev.table, block):
            prev.after.extend(t for t in printed if not _has_title_text([t]))
            _append_fragment(prev.table, block, repeats_header=not _is_form(prev))
        elif prev and furniture_only and _continues_form(prev, block):
            prev.after.extend(printed)
            _append_fragment(prev.table, block, repeats_header=False)
        else:
            if prev is not None:
                cut = _split_after(pending)
                prev.after.extend(pending[:cut])
                pending = pending[cut:]
            groups.append(
                _Group(
                    TableBlock(list(block.rows), list(block.merges), list(block.row_pages), block.repeated_header_rows),
                    pending,
                )
            )
        pending = []
    if groups:
        groups[-1].after.extend(pending[: _split_after(pending)])
    return groups


def running_lines(doc: DocumentBlocks) -> set[str]:
    """Running heads and feet: a line printed first or last on three pages or more
    (苏州市应急管理局2026年度部门预算公开 over every page), neither a table label nor a
    caption. Between a table and its continuation it is page furniture, not a title."""
    edges: dict[str, set[int]] = {}
    by_page: dict[int | None, list[TextBlock]] = {}
    for b in doc.text_blocks:
        if not PAGE_NUMBER_RX.match(b.text):
            by_page.setdefault(b.page, []).append(b)
    for page, blocks in by_page.items():
        for b in {id(blocks[0]): blocks[0], id(blocks[-1]): blocks[-1]}.values():
            edges.setdefault(squash(b.text), set()).add(page)
    return {
        text
        for text, pages in edges.items()
        if len(pages) >= RUNNING_PAGES
        and None not in pages
        and not LABEL_RX.match(text)
        and not CAPTION_RX.search(text)
        and not any(title_matches(text, c) for c in all_concepts())
    }


def _title_again(prev: _Group, texts: list[TextBlock]) -> bool:
    """The previous table's title, label and captions printed again over a fragment on
    a later page: editions that repeat them on every page of a table (a table per unit
    under one title differs in its caption 单位名称：A / B)."""
    title, label, captions = read_context(texts)
    return bool(title) and (title, label, captions) == read_context(prev.before)


def _has_title_text(texts: list[TextBlock]) -> bool:
    return any(not NOTE_RX.match(t.text) and not EMPTY_NOTE_RX.search(t.text) for t in texts)


def _continues(prev: TableBlock, frag: TableBlock) -> bool:
    """On paper, a fragment on a later page with as many columns; in a document
    without pages (DOCX), a table cut in two by hand (a page break between two Word
    tables) is known by its second part printing the first part's header again."""
    if frag.n_cols != prev.n_cols:
        return False
    prev_page = max(prev.pages, default=None)
    first_page = min(frag.pages, default=None)
    if prev_page is not None and first_page is not None:
        return first_page > prev_page
    return not prev.pages and not frag.pages and _repeated_rows(prev, frag) > 0


def _continues_form(prev: _Group, frag: TableBlock) -> bool:
    """A performance form's next page cut into another number of columns (a PDF page's
    columns are found afresh on each page): a fragment on a later page that prints
    form labels but starts no project of its own, after a table that is a form."""
    prev_page, first_page = max(prev.table.pages, default=None), min(frag.pages, default=None)
    if prev_page is None or first_page is None or first_page <= prev_page:
        return False
    table = [form_cells(r) for r in prev.table.rows]
    rows = [form_cells(r) for r in frag.rows]
    is_form = has_signature(table) and (
        any(is_start(r) for r in table) or project_form_title(read_context(prev.before)[0])
    )
    starts_project = any(is_start(r) for r in rows) and has_signature(rows)
    return is_form and not starts_project and looks_like_form(rows)


def _repeated_rows(table: TableBlock, frag: TableBlock) -> int:
    """How many of the fragment's leading rows print the table's leading rows again,
    position by position."""
    n = 0
    while (
        n < len(frag.rows)
        and n < len(table.rows)
        and any(frag.rows[n])
        and [squash(c) for c in frag.rows[n]] == [squash(c) for c in table.rows[n]]
    ):
        n += 1
    return n


def _is_form(group: _Group) -> bool:
    """Whether the table is titled as a performance-target form: a form has no header
    to repeat, so its first line printed again on a later page is another project's
    (two projects may share a name), not a repeated header."""
    return bool(FORM_TITLE_RX.search(read_context(group.before)[0]))


def _append_fragment(table: TableBlock, frag: TableBlock, repeats_header: bool = True) -> None:
    """Add a continuation, leaving out the header rows it repeats (the table's leading
    rows printed again, position by position) unless the table has no header."""
    skip = _repeated_rows(table, frag) if repeats_header else 0
    offset = len(table.rows) - skip
    carried = _carry_open_merges(table, frag, skip)
    table.rows.extend(frag.rows[skip:])
    table.row_pages.extend(frag.row_pages[skip:])
    table.merges.extend((r + offset, c, rs, cs) for r, c, rs, cs in frag.merges if r >= skip and (r, c) not in carried)


def _carry_open_merges(table: TableBlock, frag: TableBlock, skip: int) -> set[tuple[int, int]]:
    """A merged cell cut by the page break: the table's merge reaching its last row
    goes on where the fragment's first body row starts an empty merge over the same
    columns (the cell's text is printed once, on the first page). The table's merge is
    lengthened to cover both parts, so that its label fills every line it spans; the
    fragment's merges it absorbed are returned. A continuation one line high prints no
    merge and is left alone: an empty cell alone does not tell a cut cell from a blank."""
    end = len(table.rows)
    open_merges = {
        (c, cs): k
        for k, (r, c, rs, cs) in enumerate(table.merges)
        if r + rs == end and squash(table.rows[r][c] if c < len(table.rows[r]) else "")
    }
    carried: set[tuple[int, int]] = set()
    for r, c, rs, cs in frag.merges:
        k = open_merges.get((c, cs))
        if r == skip and k is not None and not squash(frag.rows[r][c] if c < len(frag.rows[r]) else ""):
            r0, c0, rs0, cs0 = table.merges[k]
            table.merges[k] = (r0, c0, rs0 + rs, cs0)
            carried.add((r, c))
    return carried


def _split_after(texts: list[TextBlock]) -> int:
    """How many leading text blocks after a table belong to it: notes, the empty
    note, and the lines a long note wraps onto (same look, not a title)."""
    n = 0
    for t in texts:
        starts_note = NOTE_RX.match(t.text) or EMPTY_NOTE_RX.search(t.text) or (n and NUMBERED_NOTE_RX.match(t.text))
        prev = texts[n - 1] if n else None
        wraps = (
            prev is not None
            and t.size == prev.size
            and not t.bold
            and not t.centered
            and t.page == prev.page
            and not prev.text.endswith(("。", "."))
            and not EMPTY_NOTE_RX.search(prev.text)
            and not LABEL_RX.match(squash(t.text))
            and not CAPTION_RX.search(squash(t.text))
        )
        if not (starts_note or wraps):
            break
        n += 1
    return n


def _note_row(row: list[str]) -> bool:
    """A body row that is a note typed into the grid (注：… or 此表为空 spanning the row)."""
    texts = {c.strip() for c in row if c.strip()}
    return len(texts) == 1 and any(rx.search(next(iter(texts))) for rx in (NOTE_RX, EMPTY_NOTE_RX))


def _notes(after: list[TextBlock]) -> list[str]:
    """Note lines with their wrapped continuations joined."""
    notes: list[str] = []
    for t in after:
        if EMPTY_NOTE_RX.search(t.text):
            continue
        if notes and not (NOTE_RX.match(t.text) or NUMBERED_NOTE_RX.match(t.text)):
            notes[-1] += t.text
        else:
            notes.append(t.text)
    return notes


def read_context(before: list[TextBlock]) -> tuple[str, str | None, list[list[str]]]:
    """Title, label and captions from the lines printed above a table (closest last)."""
    label = None
    captions: list[list[str]] = []
    title_lines: list[TextBlock] = []
    for t in reversed(before[-8:]):
        text = squash(t.text)
        if not title_lines and SUBTITLE_RX.match(text):
            continue
        if LABEL_RX.match(text):
            if label is None:
                label = text
            continue
        if not title_lines and (CAPTION_RX.search(text) or all(CAPTION_RX.search(squash(p)) for p in t.parts)):
            captions.insert(0, [p.strip() for p in t.parts])
            continue
        if any(LABEL_RX.match(squash(p)) for p in t.parts) and len(t.parts) > 1:
            label = label or next(squash(p) for p in t.parts if LABEL_RX.match(squash(p)))
            rest = [p for p in t.parts if not LABEL_RX.match(squash(p))]
            t = TextBlock(" ".join(rest), t.page, rest, t.size, t.bold, t.centered)
        if title_lines and not _same_title(title_lines[0], t):
            break
        if not title_lines and not _may_be_title(squash(t.text)):
            break
        title_lines.insert(0, t)
    title, printed = split_title_label("".join(squash(t.text) for t in title_lines))
    return title, label or printed, join_split_units(captions)


def split_title_label(title: str) -> tuple[str, str | None]:
    """A title and the label printed on its line (预算01表收支总表 → 收支总表, 预算01表)."""
    m = TITLE_LABEL_RX.search(title)
    if m is None or len(m.group()) == len(title):
        return title, None
    return title[: m.start()] + title[m.end() :], m.group("before") or m.group("after")


def join_split_units(captions: list[list[str]]) -> list[list[str]]:
    """Caption lines with a money unit wrapped in a narrow right-aligned cell put back
    together: ``单位：万`` over ``部门名称：X   元`` is ``单位：万元`` over
    ``部门名称：X``. The rest of the unit is the last part of the next line, as the
    wrap leaves it under the part it continues."""
    out = [list(line) for line in captions]
    for upper, lower in zip(out, out[1:]):
        if not upper or not lower:
            continue
        head, rest = squash(upper[-1]), squash(lower[-1])
        if (
            OPEN_UNIT_RX.search(head)
            and not UNIT_RX.search(head)
            and rest
            and UNIT_REST_RX.fullmatch(rest)
            and UNIT_RX.search(head + rest)
        ):
            upper[-1] = upper[-1].strip() + rest
            lower.pop()
    return [line for line in out if line]


def _may_be_title(text: str) -> bool:
    """A line that ends a sentence is prose, and 第二部分 … opens a part of the
    document: when one of them is the closest line above a table, the table prints
    no title of its own (or not in the text layer)."""
    return not text.endswith(("。", "；", ";")) and not PART_RX.match(text)


def _same_title(a: TextBlock, b: TextBlock) -> bool:
    """A title wrapped over two lines: same look, same page, no sentence end."""
    return (
        a.size == b.size
        and a.bold == b.bold
        and a.page == b.page
        and not b.text.endswith(("。", "：", ":"))
        and not HEADING_RX.match(squash(b.text))
    )


def column_labels(rows: list[list[str]], merges: list[tuple[int, int, int, int]], n_header: int) -> list[list[str]]:
    """For each column, the labels above it, outermost first (merged labels repeat for
    every column they cover); column numbers and 栏次 are left out."""
    n_cols = max((len(r) for r in rows), default=0)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, c, rs, cs in merges:
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                owner[(i, j)] = (r, c)
    _add_unmarked_spans(rows, owner, n_header, n_cols)
    out: list[list[str]] = []
    for j in range(n_cols):
        path: list[str] = []
        for i in range(n_header):
            oi, oj = owner.get((i, j), (i, j))
            text = _cell(rows, oi, oj)
            if text and not COLUMN_NUMBER_RX.match(text) and (not path or path[-1] != text):
                path.append(text)
        out.append(path)
    return out


def _cell(rows: list[list[str]], i: int, j: int) -> str:
    return squash(rows[i][j]) if j < len(rows[i]) else ""


def _add_unmarked_spans(
    rows: list[list[str]], owner: dict[tuple[int, int], tuple[int, int]], n_header: int, n_cols: int
) -> None:
    """Group labels printed over several columns without a merge saying so (a DOCX
    that writes the group cell as separate cells, a PDF with a rule under each
    column): the blank header cells right of a label, with labels of their own in the
    rows below, belong to it, as long as the columns share the labels above the row.
    Adds the covered positions to ``owner``, row by row so that nested groups see
    the spans above them."""

    def label_below(i: int, j: int) -> bool:
        return any(
            (text := _cell(rows, r, j)) and not COLUMN_NUMBER_RX.match(text) and (r, j) not in owner
            for r in range(i + 1, n_header)
        )

    def above(i: int, j: int) -> list[tuple[int, int]]:
        return [owner.get((r, j), (r, j)) for r in range(i)]

    for i in range(n_header - 1):
        for k in range(n_cols):
            if (i, k) in owner or not _cell(rows, i, k) or not label_below(i, k):
                continue
            j = k + 1
            while (
                j < n_cols
                and (i, j) not in owner
                and not _cell(rows, i, j)
                and label_below(i, j)
                and above(i, j) == above(i, k)
            ):
                owner[(i, j)] = (i, k)
                j += 1


def header_size(rows: list[list[str]], concept: Concept) -> int:
    """Leading rows that are header: every printed label in them is a known column or
    group label of the concept, or a column number. A row opening with 合计 is the
    first body row, unless the rest of it is labels too (三公 tables print 合计 as a
    column label). Blank rows count as header when label rows follow them (a header
    printed with an empty band between its levels)."""
    n = blank = 0
    for row in rows[:6]:
        cells = [squash(c) for c in row if squash(c)]
        if not cells:
            blank += 1
            continue
        labels = [c for c in cells if COLUMN_NUMBER_RX.match(c) or is_header_label(c, concept.key)]
        if concept.vocabulary:
            if not _vocabulary_header_row(cells, labels):
                break
        elif len(labels) < len(cells):
            break
        if TOTAL_LABEL_RX.match(squash(row[0])) and len(cells) == 1:
            break
        n += 1 + blank
        blank = 0
    return n


def _vocabulary_header_row(cells: list[str], labels: list[str]) -> bool:
    """A header row of a table read with a national vocabulary: a row of column numbers
    (栏次 1 2 3), or one whose cells are mostly known labels (the others a province's own
    sub-labels, 教育收费 under 财政专户拨款) and none an amount or a code (12 in a line
    合计 | 12 is an amount, not a column number), and no total line alone (合计 with
    blank amounts, a table printed empty)."""
    if len(cells) == 1 and TOTAL_LABEL_RX.match(cells[0]):
        return False
    if _column_numbers(cells):
        return True
    return 2 * len(labels) >= len(cells) and not any(BODY_VALUE_RX.match(c) for c in cells)


def _column_numbers(cells: list[str]) -> bool:
    """A row numbering the columns: 栏次, or numbers (letters) counting up one by one
    (1 2 3, A B C), not amounts that happen to be small (12 0 12)."""
    numbers = [c for c in cells if c != "栏次"]
    if not numbers or not all(COLUMN_NUMBER_RX.match(c) for c in numbers):
        return False
    values = [int(c) if c.isdecimal() else ord(c) for c in numbers]
    return "栏次" in cells or (len(values) > 1 and all(b == a + 1 for a, b in zip(values, values[1:])))


@lru_cache(maxsize=1 << 16)
def is_header_label(text: str, concept_key: str) -> bool:
    """Whether a header cell is a column or group label of the concept. Cached by the
    concept's key: every table's header is tried against every concept."""
    concept = concept_by_key(concept_key)
    groups = [s.group for s in concept.sides if s.group is not None] + list(concept.header_words)
    core = label_unit(text)[0]
    return (
        any(r.matches(text) for r in concept.header_rules())
        or any(g.fullmatch(form) for g in groups for form in label_forms(text))
        or bool(GROUP_LABEL_RX.fullmatch(core))
    )


def side_of(path: list[str], concept: Concept) -> tuple[Side | None, str]:
    """The side a column is printed under and the label naming its field. A group
    label above the column names the side and the leaf the field; tables that print
    the side under every item (合计 › 预算数 | 决算数) name the field one level up."""
    leaf = path[-1] if path else ""
    if len(concept.sides) == 1:
        return concept.sides[0], leaf
    for side in concept.sides:
        if side.group is not None and any(side.group.fullmatch(f) for p in path[:-1] or path for f in label_forms(p)):
            return side, leaf
    for side in concept.sides:
        if len(path) >= 2 and side.group is not None and any(side.group.fullmatch(f) for f in label_forms(leaf)):
            return side, path[-2]
    return None, leaf


def header_score(labels: list[list[str]], concept: Concept) -> tuple[float, float]:
    """Share of the concept's columns found among the printed column labels, and share
    of the printed columns that one of the concept's columns explains."""
    rules = concept.header_rules()
    leaves = [side_of(path, concept)[1] for path in labels if path]
    if not rules or not leaves:
        return 0.0, 0.0
    distinct = set(leaves)
    found = sum(1 for rule in rules if any(rule.matches(leaf) for leaf in distinct))
    matched = {leaf for leaf in distinct if any(rule.matches(leaf) for rule in rules)}
    explained = sum(1 for leaf in leaves if leaf in matched)
    return found / len(rules), explained / len(leaves)


CN_DIGITS = {d: i for i, d in enumerate("零一二三四五六七八九")}


def label_key(label: str) -> tuple[str, int] | None:
    """A table label as its style and number: 公开01表, 公开1表 and 公开表1 are all
    (公开表, 1), 表十二 is (表, 12). Editions of one template pad the number or not;
    the style still tells 预算公开表1 from 公开01表."""
    text = squash(label)
    m = re.search(r"\d+|[零一二三四五六七八九十]+", text)
    if m is None:
        return None
    number = m.group()
    if number.isdecimal():
        value = int(number)
    else:
        tens, _, ones = number.rpartition("十")
        value = (CN_DIGITS.get(tens, 1) * 10 if "十" in number else 0) + CN_DIGITS.get(ones, 0)
    return text[: m.start()] + text[m.end() :], value


def title_matches(title: str, concept: Concept) -> bool:
    """The title names the concept's table, with or without what editions print before
    the name: the year (2024年度), the organisation and year (某某局2024年), the
    scope (部门收支预算总表, 单位收入支出决算总表)."""
    title = TITLE_NUMBER_RX.sub("", title)
    cores = {LEADING_YEAR_RX.sub("", title), TITLE_PREFIX_RX.sub("", title, count=1)}
    return any(
        concept.title.search(core) and not (concept.not_title and concept.not_title.search(core)) for core in cores
    )


def recognise(doc: DocumentBlocks) -> list[FoundTable]:
    """Every table of the document, standard ones with their concept.

    Two passes: the first names each table on its own; the family most tables belong
    to then wins ties in the second, since a document follows one template."""
    groups = group_tables(doc)
    contexts = [read_context(g.before) for g in groups]
    concepts = all_concepts()
    fits = [_TableFits(title, label, g.table, concepts) for g, (title, label, _) in zip(groups, contexts)]
    counts = family_counts(fit_table(f, None, False).concept for f in fits)
    family = max(counts, key=counts.get) if counts else None
    national = family in {c.family for c in concepts if c.vocabulary}
    found: list[FoundTable] = []
    for g, (_, _, captions), fits_of_table in zip(groups, contexts, fits):
        fit = fit_table(fits_of_table, family, national)
        concept, n_header, table, title, label = fit.concept, fit.n_header, fit.table, fit.title, fit.label
        if concept is None:
            n_header = _generic_header_size(table)
        captions = captions + fit.captions
        rows = table.rows
        header, body = rows[:n_header], rows[n_header:]
        pages = table.row_pages[n_header:]
        keep = [i for i, r in enumerate(body) if any(c.strip() for c in r)]
        in_grid = []
        while keep and concept is not None and _note_row(body[keep[-1]]):
            i = keep.pop()
            in_grid.insert(0, TextBlock(next(c.strip() for c in body[i] if c.strip()), pages[i]))
        notes = _notes(in_grid + g.after)
        empty = next((squash(t.text) for t in in_grid + g.after if EMPTY_NOTE_RX.search(t.text)), None)
        merges = [m for m in table.merges if m[0] < n_header]
        found.append(
            FoundTable(
                concept,
                title,
                label,
                captions,
                header,
                merges,
                [body[i] for i in keep],
                [pages[i] for i in keep],
                notes,
                empty,
                column_labels(rows, table.merges, n_header),
                table.pages,
                body_merges(table.merges, n_header, keep),
            )
        )
    return found


def body_merges(
    merges: list[tuple[int, int, int, int]], n_header: int, keep: list[int]
) -> list[tuple[int, int, int, int]]:
    """Merged cells of the body, in the rows of the body as kept (blank lines left out):
    a label printed once for the lines it spans (一般公共预算资金 over its 小计 and
    items) or over columns of another group (当年支出小计 across 功能分类 and 支出用途)."""
    position = {row: k for k, row in enumerate(keep)}
    out = []
    for r, c, rs, cs in merges:
        if r >= n_header and r - n_header in position:
            rows = [position[i] for i in range(r - n_header, r - n_header + rs) if i in position]
            out.append((rows[0], c, len(rows), cs))
    return out


@dataclass
class _Fit:
    """A table's concept and header size, and the grid they were found in: the printed
    grid without the title, label and caption lines it holds at its top, if any."""

    concept: Concept | None
    n_header: int
    table: TableBlock
    captions: list[list[str]]
    title: str
    label: str | None


@dataclass
class _GridTop:
    """What a table made in Excel types into its first rows, spanning the grid, above
    its header: a title, a label (公开01表) and caption lines (编制单位：X  单位：元)."""

    title: str | None
    label: str | None
    captions: list[list[str]]
    rest: TableBlock


class _TableFits:
    """The concepts that fit a table as printed and, where needed, the table without the
    title, label and caption rows at its top: what fits does not depend on the
    document's family, which only ranks the fits, so both passes of :func:`recognise`
    share it."""

    def __init__(self, title: str, label: str | None, table: TableBlock, concepts: list[Concept]) -> None:
        self.title, self.label, self.table, self.concepts = title, label, table, concepts
        self.as_printed = fitting_concepts(title, label, table, concepts)

    @cached_property
    def top(self) -> _GridTop:
        return split_grid_top(self.table)

    @cached_property
    def below_top(self) -> list[_Candidate]:
        top = self.top
        return fitting_concepts(top.title or self.title, top.label or self.label, top.rest, self.concepts)


def fit_table(fits: _TableFits, family: str | None, national: bool) -> _Fit:
    """The best concept for the table as printed, or, when none fits, for the table
    without the title, label and caption rows at its top: those are no header rows.
    ``national``: the document's family is the national skeleton's (:func:`best_concept`)."""
    concept, n_header = best_concept(fits.as_printed, family, national)
    top = fits.top
    if concept is None and top.rest is not fits.table:
        title, label = top.title or fits.title, top.label or fits.label
        concept, n_header = best_concept(fits.below_top, family, national)
        if concept is not None:
            return _Fit(concept, n_header, top.rest, top.captions, title, label)
        return _Fit(None, 0, fits.table, [], title, label)
    return _Fit(concept, n_header, fits.table, [], fits.title, fits.label)


def split_grid_top(table: TableBlock) -> _GridTop:
    """The leading rows that hold a title (one text spanning the row, ending in 表) or
    only captions and a label, and the grid below them; a caption cell's parts are split
    where it prints a wide gap."""
    n, title, label, lines = 0, None, None, []
    while n < min(4, len(table.rows)):
        parts = [p for c in table.rows[n] for p in PARTS_RX.split(c.strip()) if p]
        if parts and all(GRID_CAPTION_RX.search(squash(p)) or LABEL_RX.match(squash(p)) for p in parts):
            label = label or next((squash(p) for p in parts if LABEL_RX.match(squash(p))), None)
            if any(not LABEL_RX.match(squash(p)) for p in parts):
                lines.append([p for p in parts if not LABEL_RX.match(squash(p))])
        elif (
            title is None
            and not lines
            and len({squash(p) for p in parts}) == 1
            and GRID_TITLE_RX.search(squash(parts[0]))
        ):
            title, printed = split_title_label(squash(parts[0]))
            label = label or printed
        else:
            break
        n += 1
    if n == 0:
        return _GridTop(None, None, [], table)
    merges = [(r - n, c, rs, cs) for r, c, rs, cs in table.merges if r >= n]
    repeated = None if table.repeated_header_rows is None else max(0, table.repeated_header_rows - n)
    return _GridTop(title, label, lines, TableBlock(table.rows[n:], merges, table.row_pages[n:], repeated))


@dataclass(frozen=True)
class _Candidate:
    """A concept that fits a table, with what ranks it among the others that do:
    whether the title and the label name it, and how well it explains the header."""

    concept: Concept
    n_header: int
    titled: bool
    labelled: bool
    weight: float


def fitting_concepts(title: str, label: str | None, table: TableBlock, concepts: list[Concept]) -> list[_Candidate]:
    """The concepts whose title and header fit; a title alone is not enough and a
    header alone must fit fully. A table whose title is not in the text layer (or not
    read as one) is found by its printed label (公开05表) and a header that fits fully.

    The national concepts list a vocabulary of columns, of which a province prints a
    subset: they fit a titled table when they explain most of its printed columns."""
    fitting: list[_Candidate] = []
    labels_by_size: dict[int, list[list[str]]] = {}
    for c in concepts:
        titled = title_matches(title, c)
        labelled = label is not None and c.label is not None and label_key(label) == label_key(c.label)
        if not titled and title and (c.vocabulary or not labelled):
            continue  # fits by neither title nor label: its header is not weighed
        n = header_size(table.rows, c)
        if n == 0:
            continue
        if n not in labels_by_size:
            labels_by_size[n] = column_labels(table.rows, table.merges, n)
        found, explained = header_score(labels_by_size[n], c)
        if c.vocabulary:
            if titled and found > 0 and explained >= VOCABULARY_EXPLAINED:
                fitting.append(_Candidate(c, n, titled, labelled, explained))
        elif (titled and found >= 0.6) or ((labelled or not title) and found == 1.0):
            fitting.append(_Candidate(c, n, titled, labelled, found + explained))
    return fitting


def best_concept(fitting: list[_Candidate], family: str | None, national: bool) -> tuple[Concept | None, int]:
    """The best of the concepts that fit (:func:`fitting_concepts`), and its header size;
    None where two untitled fits rank alike. A template edition's own concept wins
    over the national skeleton's (in a document of the national skeleton, ``national``,
    its concept wins), then the titled one, then the labelled one, then the one that
    explains most printed columns, then the document's family."""
    if not fitting:
        return None, 0
    scored = [
        (
            (
                c.concept.family == family if national else not c.concept.vocabulary,
                c.titled,
                c.labelled,
                c.weight,
                c.concept.family == family,
            ),
            c,
        )
        for c in fitting
    ]
    scored.sort(key=lambda t: t[0], reverse=True)
    best = scored[0]
    if not best[0][1] and len(scored) > 1 and scored[1][0] == best[0]:
        return None, 0
    return best[1].concept, best[1].n_header


def _generic_header_size(table: TableBlock) -> int:
    """Header of a table outside the concept map: the first row, the rows its merged
    labels reach down over (a label spanning columns has its sub-labels below it),
    and a column-number row after them."""
    n = 1
    for r, _, rs, cs in table.merges:
        if r < n:
            n = max(n, r + rs, r + 2 if cs > 1 else 0)
    n = min(n, 4, len(table.rows))
    if n < len(table.rows) and all(COLUMN_NUMBER_RX.match(squash(c)) for c in table.rows[n] if squash(c)):
        n += 1
    return n


def family_counts(concepts: Iterable[Concept | None]) -> dict[str, int]:
    """How many tables each template family's concepts recognised."""
    return dict(Counter(c.family for c in concepts if c is not None))


def detect_family(doc: DocumentBlocks, found: list[FoundTable]) -> Family | None:
    """The template family: the one most recognised tables belong to, markers breaking ties."""
    counts = family_counts(t.concept for t in found)
    if not counts:
        return None
    fams = {f.name: f for f in families()}
    best = max(counts, key=lambda n: (counts[n], markers_found(fams[n], doc, found)))
    return fams[best]


def markers_found(family: Family, doc: DocumentBlocks, found: list[FoundTable]) -> int:
    """How many of the family's markers the document prints. A marker that is a table
    label (公开01表) is found by its style and number as recognition compares labels,
    so that an edition printing 公开1表 has it too; any other marker as text."""
    text = "".join(squash(b.text) for b in doc.text_blocks[:400])
    labels = {label_key(t.label) for t in found if t.label}
    labels |= {label_key(squash(b.text)) for b in doc.text_blocks[:400] if LABEL_RX.match(squash(b.text))}
    return sum(label_key(m) in labels if LABEL_RX.match(m) else m in text for m in family.markers)
