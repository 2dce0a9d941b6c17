"""The prose against the tables: figures the 情况说明 quotes, and the percentages it
derives from them.

The prose is read as sentences (text blocks joined, since a PDF line or a DOCX
paragraph may end mid-sentence; broken at headings, tables and 。！？). Only tight
statements are checked — a known term or a row name of a table, then at most a few
filler words, then the amount — so that a figure is never tied to the wrong words;
anything looser is left alone. A percentage is judged against the range the rounded
figures allow, not against one exact quotient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .check_model import (
    ZERO,
    Context,
    Finding,
    Kind,
    Rule,
    Selected,
    Table,
    field_title,
    fmt,
    in_unit,
    label,
    plain,
    row_ref,
    select,
)
from .model import Block, DocumentBlocks, TableBlock, TextBlock
from .recognise import HEADING_RX, PAGE_NUMBER_RX
from .text import ASCII_BRACKETS, squash
from .values import decimals

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
UNITS = "亿元|万元|千元|元"
AMOUNT_RX = re.compile(rf"(?P<amt>{NUM})(?P<unit>{UNITS})")
SENTENCE_END = "。！？!?"
IMPRECISE_AFTER = re.compile(r"^(左右|以上|以下|以内|多|余)")
UP, DOWN = "增加|增长|上升|提高|增", "减少|下降|降低|减"
CHANGE_RX = re.compile(
    rf"(?P<dir>{UP}|{DOWN})了?(?P<delta>{NUM})(?P<unit>{UNITS})[,，、]?(?:同比)?"
    rf"(?P<dir2>{UP}|{DOWN}|增幅|降幅|减幅)(?:了|为|达)?(?P<pct>\d+(?:\.\d+)?)%"
)
SHARE_RX = re.compile(
    rf"(?P<amt>{NUM})(?P<unit>{UNITS})[,，]?(?:占比|占比重|所占比重|占)(?:为)?(?P<pct>\d+(?:\.\d+)?)%"
)
PRIOR_TOKEN = r"20\d\d年|上年|去年|上一年"
COMPARE_RX = re.compile(
    rf"比(?P<ref>(?:{PRIOR_TOKEN})[^，,。；;%\d]{{0,12}}?)(?P<dir>{UP}|{DOWN})了?(?P<pct>\d+(?:\.\d+)?)%"
)
INCREASE_RX = re.compile(
    rf"(?P<amt>{NUM})(?P<unit>{UNITS})[,，]?比(?:{PRIOR_TOKEN})[^，,。；;\d]{{0,12}}?增加(?P<delta>{NUM})(?P<unit2>{UNITS})"
)
COMPLETION_RX = re.compile(r"完成(?:年初)?预算的(?P<pct>\d+(?:\.\d+)?)%")
BUDGET_RX = re.compile(rf"年初预算(?:数)?(?:为)?(?P<amt>{NUM})(?P<unit>{UNITS})")
FINAL_RX = re.compile(rf"决算(?:数)?(?:为)?(?P<amt>{NUM})(?P<unit>{UNITS})")
CLAUSE_BREAK = re.compile(r"[，,；;:、]")


@dataclass
class Sentence:
    """One sentence of prose, white space removed, with the page each part came from."""

    text: str
    spans: list[tuple[int, int | None]] = field(default_factory=list)
    heading: bool = False

    def page_at(self, pos: int) -> int | None:
        page = None
        for start, p in self.spans:
            if start > pos:
                break
            page = p
        return page


def sentences(doc: DocumentBlocks) -> list[Sentence]:
    """The document's prose as sentences, in reading order."""
    out: list[Sentence] = []
    run = Sentence("")
    for block in doc.blocks:
        if isinstance(block, TableBlock) or _is_heading(block):
            out += _split(run)
            run = Sentence("")
            if isinstance(block, TextBlock):
                out.append(Sentence(squash(block.text), [(0, block.page)], heading=True))
            continue
        if PAGE_NUMBER_RX.match(block.text):
            continue
        run.spans.append((len(run.text), block.page))
        run.text += squash(block.text)
    return [s for s in out + _split(run) if s.text]


def prose(ctx: Context) -> list[Sentence]:
    """The document's sentences, split once per evaluation: each narrative rule reads them all."""
    if ctx.prose is None:
        ctx.prose = sentences(ctx.doc)
    return ctx.prose


def _is_heading(block: Block) -> bool:
    return isinstance(block, TextBlock) and (
        block.heading_level is not None or block.bold or bool(HEADING_RX.match(squash(block.text)))
    )


def _split(run: Sentence) -> list[Sentence]:
    out, start = [], 0
    for m in re.finditer(f"[{SENTENCE_END}]+", run.text):
        out.append(_cut(run, start, m.end()))
        start = m.end()
    if start < len(run.text):
        out.append(_cut(run, start, len(run.text)))
    return out


def _cut(run: Sentence, start: int, end: int) -> Sentence:
    spans = [(0, run.page_at(start))] + [(s - start, p) for s, p in run.spans if start < s < end]
    return Sentence(run.text[start:end], spans)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _half_unit(v: Decimal) -> Decimal:
    return Decimal(5).scaleb(-decimals(v) - 1)


def _finding(
    rule: Rule,
    s: Sentence,
    pos: int,
    tables: list[str],
    rows: list[str],
    expected: Decimal | None,
    found: Decimal | None,
    tol: Decimal | None,
    unit: str | None,
    zh: str,
    en: str,
) -> Finding:
    return Finding(
        rule.id, rule.severity, tables, rows, expected, found, tol, unit, zh, en, page=s.page_at(pos), sentence=s.text
    )


# --- quoted figures -------------------------------------------------------------------


@dataclass
class Term:
    """A phrase the prose uses for a figure, and the table figures it may mean."""

    name: str
    keyword: str
    refs: list[dict]


def quoted_figures(rule: Rule, ctx: Context) -> list[Finding]:
    """A figure quoted after a known term (收入总计, 基本支出, “三公”经费 …) or a row
    name of a table (公共安全支出, 住房公积金, 公务接待费 …) must equal one of the
    table figures that term can mean; a figure equal to none of them is a finding."""
    terms = [Term(t["name"], t["keyword"], t["refs"]) for t in rule.params["terms"]]
    keywords = [re.compile(t.keyword) for t in terms]
    names = _row_names(ctx, rule.params["named_rows"], keywords)
    for name, cands in _column_names(ctx, rule.params["named_columns"], keywords).items():
        names.setdefault(name, []).extend(cands)
    rx = _statement_rx(terms, names, rule.params["fillers"])
    skip_before = re.compile(rule.params["exclude_before"])
    item_end = re.compile(f"[{rule.params['item_suffixes']}]$")
    skip_sentence = re.compile(rule.params["skip_sentences"])
    prior = _prior_year_rx(ctx.year)
    out: list[Finding] = []
    for s in [s for s in prose(ctx) if not skip_sentence.search(s.text)]:
        for m in rx.finditer(s.text.translate(ASCII_BRACKETS)):
            if _excluded(s.text, m, skip_before, prior):
                continue
            if m.groupdict().get("row_name"):
                what, cands = m.group("row_name"), names[m.group("row_name")]
            elif item_end.search(s.text[: m.start()]):
                continue  # 公务用车购置及运行费预算支出: the item's figure, not the term's
            else:
                term = terms[next(i for i in range(len(terms)) if m.group(f"term{i}") is not None)]
                what, cands = term.name, [c for c in (_pick_ref(ctx, r) for r in term.refs) if c is not None]
            out += _judge(rule, ctx, s, m, what, cands)
    return out


def _statement_rx(terms: list[Term], names: dict[str, list[Selected]], fillers: str) -> re.Pattern:
    alts = [f"(?P<term{i}>{t.keyword})" for i, t in enumerate(terms)]
    if names:
        alts.append("(?P<row_name>" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")")
    return re.compile(f"(?:{'|'.join(alts)})(?:{fillers})*?(?P<amt>{NUM})(?P<unit>{UNITS})")


def _nameable(name: str, params: dict, keywords: list[re.Pattern]) -> bool:
    """Long enough to be unambiguous, and not a term (terms say themselves which
    figures they may mean)."""
    return len(name) >= params["min_length"] and not any(k.fullmatch(name) for k in keywords)


def _row_names(ctx: Context, params: dict, keywords: list[re.Pattern]) -> dict[str, list[Selected]]:
    """Row labels of the given tables, each with every amount printed on rows of that
    label."""
    out: dict[str, list[Selected]] = {}
    for key in params["tables"]:
        table = ctx.tables.get(key)
        for row in table.rows if table else []:
            name = label(row)
            if row.get("row_kind") == "total" or not _nameable(name, params, keywords):
                continue
            out.setdefault(name.translate(ASCII_BRACKETS), []).extend(
                Selected(
                    table,
                    row[f],
                    [row],
                    1,
                    f"{table.name}「{name}」{field_title(table, f)}",
                    f"{table.name} '{name}' {f}",
                )
                for f in table.money_fields(row.get("side"))
                if isinstance(row.get(f), Decimal)
            )
    return {n: c for n, c in out.items() if c}


def _column_names(ctx: Context, params: dict, keywords: list[re.Pattern]) -> dict[str, list[Selected]]:
    """Column titles of tables that print one item per column (因公出国（境）费 and the
    rest of a 三公 table; not their 合计): each with every amount printed in that column."""
    out: dict[str, list[Selected]] = {}
    for key in params["tables"]:
        table = ctx.tables.get(key)
        for name in [f for f in table.money_fields() if f != "total"] if table else []:
            title = plain(field_title(table, name))
            if not _nameable(title, params, keywords):
                continue
            out.setdefault(title.translate(ASCII_BRACKETS), []).extend(
                Selected(table, row[name], [row], 1, f"{table.name}「{title}」", f"{table.name} {name}")
                for row in table.rows
                if isinstance(row.get(name), Decimal)
            )
    return {n: c for n, c in out.items() if c}


def _pick_ref(ctx: Context, ref: dict) -> Selected | None:
    table = ctx.tables.get(ref["table"])
    return select(table, ref) if table else None


def _prior_year_rx(year: int | None) -> re.Pattern:
    last = f"|{year - 1}年" if year else ""
    return re.compile(f"上年|去年|上一年|以前年度|同期{last}")


def _excluded(text: str, m: re.Match, skip_before: re.Pattern, prior: re.Pattern) -> bool:
    """Not a plain statement of this year's figure: a change (增拨公用经费240万元), last
    year's figure, or an approximate one (210万元左右)."""
    before = text[: m.start()]
    clause = CLAUSE_BREAK.split(before)[-1]
    return bool(skip_before.search(before) or prior.search(clause) or IMPRECISE_AFTER.match(text[m.end() :]))


def _judge(rule: Rule, ctx: Context, s: Sentence, m: re.Match, what: str, cands: list[Selected]) -> list[Finding]:
    if not cands:
        return []
    ctx.compared(rule)
    quoted, unit = _dec(m.group("amt")), m.group("unit")
    allowed = max(ctx.tolerance, _half_unit(quoted))
    values = [in_unit(c.value, c.table.unit, unit) for c in cands]
    if any(abs(quoted - v) <= allowed for v in values):
        return []
    closest = min(values, key=lambda v: abs(quoted - v))
    listed = "；".join(f"{c.what} {fmt(v)}" for c, v in zip(cands, values))
    listed_en = "; ".join(f"{c.what_en} {fmt(v)}" for c, v in zip(cands, values))
    zh = f"说明中“{m.group(0)}”所引 {what} {fmt(quoted)} {unit} 与表中对应数字均不一致：{listed}"
    en = f"The text quotes {what} as {fmt(quoted)} {unit} ('{m.group(0)}'), matching none of the table figures it can mean: {listed_en}"
    tables = list(dict.fromkeys(c.table.resource for c in cands))
    rows = list(dict.fromkeys(row_ref(c.table, r) for c in cands for r in c.rows[:5]))
    return [_finding(rule, s, m.start("amt"), tables, rows, closest, quoted, allowed, unit, zh, en)]


# --- percentages ----------------------------------------------------------------------


def _pct_range(num: tuple[Decimal, Decimal], den: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal] | None:
    """Lowest and highest num/den·100 for num, den within their rounding (value, half unit)."""
    corners = [(n, d) for n in (num[0] - num[1], num[0] + num[1]) for d in (den[0] - den[1], den[0] + den[1])]
    if any(d <= 0 for _, d in corners):
        return None
    values = [n / d * 100 for n, d in corners]
    return min(values), max(values)


def _pct_ok(printed: Decimal, rng: tuple[Decimal, Decimal], half: Decimal | None = None) -> bool:
    """Is the printed percentage within the range, give or take half a unit of its
    last digit (``half``, when the printed value was negated)?"""
    h = _half_unit(printed) if half is None else half
    return rng[0] - h <= printed <= rng[1] + h


def _as_pct(rng: tuple[Decimal, Decimal], printed: Decimal) -> Decimal:
    return ((rng[0] + rng[1]) / 2).quantize(Decimal(1).scaleb(-max(2, decimals(printed))))


def _amounts(text: str, end: int, unit: str) -> list[tuple[Decimal, Decimal]]:
    """(value in ``unit``, half unit of its last digit) of every amount in ``text[:end]``."""
    return [
        (
            in_unit(_dec(a.group("amt")), a.group("unit"), unit),
            in_unit(_half_unit(_dec(a.group("amt"))), a.group("unit"), unit),
        )
        for a in AMOUNT_RX.finditer(text[:end])
    ]


def change_percent(rule: Rule, ctx: Context) -> list[Finding]:
    """比上年增加 D 万元，增长 P%: P must follow from D and this year's figure X quoted
    before it (last year = X − D, or X + D for a decrease). Every figure quoted before
    it in the sentence (or the one before) is tried as X; a finding only when none
    gives P."""
    out: list[Finding] = []
    prev = Sentence("")
    for s in prose(ctx):
        for m in CHANGE_RX.finditer(s.text):
            ctx.compared(rule)
            out += _check_change(rule, s, prev, m)
        prev = s
    return out


def _check_change(rule: Rule, s: Sentence, prev: Sentence, m: re.Match) -> list[Finding]:
    unit, delta, printed = m.group("unit"), _dec(m.group("delta")), _dec(m.group("pct"))
    down = re.fullmatch(DOWN, m.group("dir")) is not None
    bases = _amounts(s.text, m.start(), unit) or _amounts(prev.text, len(prev.text), unit)
    tried = []
    for x, hx in bases:
        last = (x + delta, hx + _half_unit(delta)) if down else (x - delta, hx + _half_unit(delta))
        rng = _pct_range((delta, _half_unit(delta)), last)
        if rng is None:
            continue
        if _pct_ok(printed, rng):
            return []
        tried.append((x, last[0], rng))
    if not tried:
        return []
    x, last, rng = tried[0]
    expected = _as_pct(rng, printed)
    verb_zh, verb_en = ("减少", "decrease") if down else ("增加", "increase")
    zh = (
        f"“{m.group(0)}”：本年 {fmt(x)} {unit}、{verb_zh} {fmt(delta)} {unit}，则上年为 {fmt(last)} {unit}，"
        f"变动率应约为 {fmt(expected)}%，文中为 {fmt(printed)}%"
    )
    en = (
        f"'{m.group(0)}': this year {fmt(x)} {unit} and a {verb_en} of {fmt(delta)} {unit} put last year at "
        f"{fmt(last)} {unit}, so the change is about {fmt(expected)}%, not the {fmt(printed)}% printed"
    )
    return [_finding(rule, s, m.start("pct"), [], [], expected, printed, _half_unit(printed), "%", zh, en)]


def compared_percent(rule: Rule, ctx: Context) -> list[Finding]:
    """上年(执行数) A 万元，本年 B 万元，比上年增加/减少 P%: P must be (B − A) / A. A is
    the figure quoted in a clause naming the year compared with (2025年 …), B the last
    figure quoted after it; nothing is judged when the sentence does not say which is
    which, or when A is zero."""
    out: list[Finding] = []
    for s in prose(ctx):
        for m in COMPARE_RX.finditer(s.text):
            pair = _base_and_current(s.text, m)
            if pair:
                ctx.compared(rule)
                out += _check_compared(rule, s, m, *pair)
    return out


def _base_and_current(text: str, m: re.Match) -> tuple[re.Match, re.Match] | None:
    token = re.match(PRIOR_TOKEN, m.group("ref")).group(0)
    amounts = list(AMOUNT_RX.finditer(text[: m.start()]))
    for i in range(len(amounts) - 2, -1, -1):
        clause = CLAUSE_BREAK.split(text[: amounts[i].start()])[-1]
        if token in clause:
            return amounts[i], amounts[-1]
    return None


def _check_compared(rule: Rule, s: Sentence, m: re.Match, base: re.Match, current: re.Match) -> list[Finding]:
    unit = base.group("unit")
    a, ha = _dec(base.group("amt")), _half_unit(_dec(base.group("amt")))
    b = in_unit(_dec(current.group("amt")), current.group("unit"), unit)
    hb = in_unit(_half_unit(_dec(current.group("amt"))), current.group("unit"), unit)
    printed = _dec(m.group("pct"))
    signed = -printed if re.fullmatch(DOWN, m.group("dir")) else printed
    rng = _pct_range((b - a, ha + hb), (a, ha))
    if rng is None or _pct_ok(signed, rng, _half_unit(printed)):
        return []
    expected = _as_pct(rng, printed)
    zh = (
        f"“{m.group(0)}”：由 {fmt(a)} {unit} 到 {fmt(b)} {unit}，变动率约为 {fmt(expected)}%，"
        f"文中为{m.group('dir')} {fmt(printed)}%"
    )
    en = (
        f"'{m.group(0)}': from {fmt(a)} {unit} to {fmt(b)} {unit} the change is about {fmt(expected)}%, "
        f"not the {m.group('dir')} {fmt(printed)}% printed"
    )
    return [_finding(rule, s, m.start("pct"), [], [], expected, signed, _half_unit(printed), "%", zh, en)]


def increase_exceeds_figure(rule: Rule, ctx: Context) -> list[Finding]:
    """X 万元，比上年增加 D 万元 with D larger than X puts last year's figure below zero,
    which no budget line can be: one of the two figures is wrong (often copied from
    the line above). X must open its clause group (up to ；), so that it is the figure
    the increase belongs to and not the last item of a 其中 list."""
    out: list[Finding] = []
    for s in prose(ctx):
        for m in INCREASE_RX.finditer(s.text):
            segment = re.split(r"[；;]", s.text[: m.start()])[-1]
            if not AMOUNT_RX.search(segment):
                ctx.compared(rule)
                out += _check_increase(rule, s, m)
    return out


def _check_increase(rule: Rule, s: Sentence, m: re.Match) -> list[Finding]:
    unit = m.group("unit")
    x = _dec(m.group("amt"))
    delta = in_unit(_dec(m.group("delta")), m.group("unit2"), unit)
    tol = _half_unit(x) + in_unit(_half_unit(_dec(m.group("delta"))), m.group("unit2"), unit)
    if delta - x <= tol:
        return []
    zh = f"“{m.group(0)}”：增加额 {fmt(delta)} {unit} 大于本年数 {fmt(x)} {unit}，上年数将为负 {fmt(x - delta)} {unit}"
    en = (
        f"'{m.group(0)}': the increase {fmt(delta)} {unit} exceeds this year's {fmt(x)} {unit}, which would put "
        f"last year at {fmt(x - delta)} {unit}"
    )
    return [_finding(rule, s, m.start("delta"), [], [], x, delta, tol, unit, zh, en)]


def share_percent(rule: Rule, ctx: Context) -> list[Finding]:
    """X 万元，占 P%: P must be X over the whole the sentence opens with: its first
    figure, unless that figure cannot be the whole of the shares after it. It cannot
    when it has a share itself (其中：A 万元，占 P%；B 万元，占 Q%: parts of a whole said
    in an earlier sentence) or when the shared figures add up to more than it (收入包括
    A 万元、B 万元；支出包括 C 万元，占 P%…: the shares are of A and B together); then
    the sentence's shares are not compared."""
    out: list[Finding] = []
    for s in prose(ctx):
        first = AMOUNT_RX.search(s.text)
        shares = list(SHARE_RX.finditer(s.text))
        if first is None or not shares or not _opens_whole(first, shares):
            continue
        for m in shares:
            ctx.compared(rule)
            out += _check_share(rule, s, first, m)
    return out


def _opens_whole(first: re.Match, shares: list[re.Match]) -> bool:
    """Whether the sentence's first figure can be the whole of its ``shares``: it is
    none of them and at least their sum, give or take the rounding of the figures."""
    if shares[0].start() <= first.start():
        return False
    unit = first.group("unit")
    whole = _dec(first.group("amt"))
    parts = [in_unit(_dec(m.group("amt")), m.group("unit"), unit) for m in shares]
    rounding = _half_unit(whole) + sum(in_unit(_half_unit(_dec(m.group("amt"))), m.group("unit"), unit) for m in shares)
    return sum(parts) <= whole + rounding


def _check_share(rule: Rule, s: Sentence, first: re.Match, m: re.Match) -> list[Finding]:
    unit = m.group("unit")
    part, printed = _dec(m.group("amt")), _dec(m.group("pct"))
    whole = in_unit(_dec(first.group("amt")), first.group("unit"), unit)
    h_whole = in_unit(_half_unit(_dec(first.group("amt"))), first.group("unit"), unit)
    if whole < part:
        return []
    rng = _pct_range((part, _half_unit(part)), (whole, h_whole))
    if rng is None or _pct_ok(printed, rng):
        return []
    expected = _as_pct(rng, printed)
    zh = f"“{m.group(0)}”：{fmt(part)} {unit} 占本句总额 {fmt(whole)} {unit} 的比例应约为 {fmt(expected)}%，文中为 {fmt(printed)}%"
    en = (
        f"'{m.group(0)}': {fmt(part)} {unit} of the {fmt(whole)} {unit} the sentence opens with is about "
        f"{fmt(expected)}%, not the {fmt(printed)}% printed"
    )
    return [_finding(rule, s, m.start("pct"), [], [], expected, printed, _half_unit(printed), "%", zh, en)]


def completion_percent(rule: Rule, ctx: Context) -> list[Finding]:
    """年初预算 A 万元，决算 B 万元，完成年初预算的 P%: P must be B / A."""
    out: list[Finding] = []
    for s in prose(ctx):
        start = 0
        for m in COMPLETION_RX.finditer(s.text):
            budget = _last(BUDGET_RX, s.text, start, m.start())
            final = _last(FINAL_RX, s.text, start, m.start())
            start = m.end()
            if budget and final:
                ctx.compared(rule)
                out += _check_completion(rule, s, m, budget, final)
    return out


def _last(rx: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    hits = list(rx.finditer(text[:end], start))
    return hits[-1] if hits else None


def _check_completion(rule: Rule, s: Sentence, m: re.Match, budget: re.Match, final: re.Match) -> list[Finding]:
    unit = budget.group("unit")
    a = _dec(budget.group("amt"))
    b = in_unit(_dec(final.group("amt")), final.group("unit"), unit)
    printed = _dec(m.group("pct"))
    rng = _pct_range((b, _half_unit(_dec(final.group("amt")))), (a, _half_unit(a)))
    if rng is None or _pct_ok(printed, rng):
        return []
    expected = _as_pct(rng, printed)
    zh = (
        f"“{m.group(0)}”：决算 {fmt(b)} {unit} ÷ 年初预算 {fmt(a)} {unit} 约为 {fmt(expected)}%，文中为 {fmt(printed)}%"
    )
    en = f"'{m.group(0)}': final {fmt(b)} {unit} over budget {fmt(a)} {unit} is about {fmt(expected)}%, not {fmt(printed)}%"
    return [_finding(rule, s, m.start("pct"), [], [], expected, printed, _half_unit(printed), "%", zh, en)]


def published_targets(rule: Rule, ctx: Context) -> list[Finding]:
    """公开项目绩效目标 N 个，涉及项目金额 X 万元: the document prints N target tables and
    their year funds add up to X. Judged only when target tables were read."""
    table = ctx.tables.get(rule.params["table"])
    if table is None:
        return []
    rx = re.compile(rule.params["pattern"].replace("{NUM}", NUM).replace("{UNITS}", UNITS))
    name = rule.params["field"]
    out: list[Finding] = []
    for s in prose(ctx):
        for m in rx.finditer(s.text):
            ctx.compared(rule, 2)
            out += _count_finding(rule, s, m, table) + _funds_finding(rule, ctx, s, m, table, name)
    return out


def _count_finding(rule: Rule, s: Sentence, m: re.Match, table: Table) -> list[Finding]:
    claimed, printed = Decimal(m.group("n")), Decimal(len(table.rows))
    if claimed == printed:
        return []
    zh = f"“{m.group(0)}”：文中称公开 {claimed} 个项目绩效目标，文件印有 {printed} 张绩效目标表"
    en = f"'{m.group(0)}': the text says {claimed} performance targets are published; the document prints {printed} target tables"
    return [_finding(rule, s, m.start("n"), [table.resource], [], printed, claimed, ZERO, "个", zh, en)]


def _funds_finding(rule: Rule, ctx: Context, s: Sentence, m: re.Match, table: Table, name: str) -> list[Finding]:
    unit = m.group("unit")
    quoted = _dec(m.group("amt"))
    total = in_unit(sum((r[name] for r in table.rows if isinstance(r.get(name), Decimal)), ZERO), table.unit, unit)
    tol = max(ctx.tolerance, _half_unit(quoted))
    if abs(quoted - total) <= tol:
        return []
    zh = f"“{m.group(0)}”：文件所印各绩效目标表年度资金合计 {fmt(total)} {unit}，文中为 {fmt(quoted)} {unit}"
    en = f"'{m.group(0)}': the target tables printed add up to {fmt(total)} {unit} of year funds, the text says {fmt(quoted)} {unit}"
    rows = [row_ref(table, r) for r in table.rows]
    return [_finding(rule, s, m.start("amt"), [table.resource], rows, total, quoted, tol, unit, zh, en)]


def magnitude(rule: Rule, ctx: Context) -> list[Finding]:
    """A figure in 万元 many times (``params.factor``) larger than the largest amount
    in any table is almost surely a figure in 元 labelled 万元."""
    biggest = max(
        (
            in_unit(v, t.unit, "万元")
            for t in ctx.tables.values()
            for r in t.rows
            for v in r.values()
            if isinstance(v, Decimal)
        ),
        default=ZERO,
    )
    if biggest <= 0:
        return []
    limit = biggest * Decimal(rule.params["factor"])
    out: list[Finding] = []
    for s in prose(ctx):
        for a in AMOUNT_RX.finditer(s.text):
            value = _dec(a.group("amt"))
            if a.group("unit") != "万元":
                continue
            ctx.compared(rule)
            if value > limit:
                zh = (
                    f"说明中的 {fmt(value)} 万元是各表最大金额 {fmt(biggest)} 万元的 {fmt((value / biggest).quantize(Decimal(1)))} 倍，"
                    f"单位可能应为“元”"
                )
                en = (
                    f"The text quotes {fmt(value)} 万元, {fmt((value / biggest).quantize(Decimal(1)))} times the largest "
                    f"amount in any table ({fmt(biggest)} 万元); the unit is probably 元"
                )
                out.append(_finding(rule, s, a.start(), [], [], None, value, None, "万元", zh, en))
    return out


# --- an item's paragraph -----------------------------------------------------------

#: An item named by its code parts: 住房保障支出（221类）住房改革支出（02款）住房公积金（01项）.
ITEM_CODE_RX = re.compile(
    r"[(（](?P<cls>\d{3})类[)）](?:(?P<name1>[^(（，,。]{1,30})[(（](?P<kuan>\d{2})款[)）])?"
    r"(?:(?P<name2>[^(（，,。]{1,30})[(（](?P<xiang>\d{2})项[)）])?"
)


#: Words just before a stated budget that make it a part's or another year's figure.
NOT_THE_ITEM_RX = re.compile(r"其中|基本支出|项目支出|上年|去年|执行")
NOT_THE_ITEM_REACH = 6  # characters before the figure looked at


def item_paragraphs(rule: Rule, ctx: Context) -> list[Finding]:
    """A paragraph that names an item by its code (…（221类）…（02款）住房公积金（01项）)
    states the item's figure for the year: the amount right after the name, and every
    “(本年)预算安排 / 预算数为 X 万元” up to the next item or heading. Each must be the item's amount in
    the tables by functional classification (any of them: total, or the general budget's
    own); a figure none of them prints is a finding naming the item, its code and both
    figures."""
    tables = ctx.tables_of(rule)
    stated = re.compile(rule.params["stated"].replace("{NUM}", NUM).replace("{UNITS}", UNITS))
    out: list[Finding] = []
    code = name = None
    for s in prose(ctx):
        if s.heading:
            code = None
        named = ITEM_CODE_RX.search(s.text)
        if named:
            code = "".join(g for g in (named.group("cls"), named.group("kuan"), named.group("xiang")) if g)
            name = (
                named.group("name2")
                if named.group("xiang")
                else named.group("name1")
                if named.group("kuan")
                else s.text[: named.start()]
            ).strip() or code
            figures = [m for m in AMOUNT_RX.finditer(s.text, named.end()) if m.start() == named.end()]
        else:
            figures = []
        if code is None:
            continue
        figures += [m for m in stated.finditer(s.text) if _items_figure(s.text, m, ctx.year)]
        cands = [(t, r) for t in tables for r in t.rows if r.get("code") == code]
        for m in figures:
            if not cands:
                continue
            ctx.compared(rule)
            out += _judge_item(rule, s, m, code, name, cands)
    return out


def _items_figure(text: str, m: re.Match, year: int | None) -> bool:
    """Whether a stated budget is the item's own for the year: one naming another year
    (2025年预算安排) is not, nor one of a part or of last year (其中基本支出预算安排,
    上年预算安排) printed just before it."""
    if m.group("year"):
        return year is None or int(m.group("year")[:4]) == year
    return not NOT_THE_ITEM_RX.search(text[max(0, m.start() - NOT_THE_ITEM_REACH) : m.start()])


def _judge_item(
    rule: Rule, s: Sentence, m: re.Match, code: str, name: str, cands: list[tuple[Table, dict]]
) -> list[Finding]:
    unit, printed = m.group("unit"), _dec(m.group("amt"))
    values = [
        (t, r, in_unit(v, t.unit, unit))
        for t, r in cands
        for f in ("total", "general_budget")
        if isinstance(v := r.get(f), Decimal)
    ]
    half = _half_unit(printed)
    if not values or any(abs(v - printed) <= max(half, _half_unit(v)) for _, _, v in values):
        return []
    t, r, v = values[0]
    zh = (
        f"说明中「{name}」（{code}）{fmt(printed)} {unit}，而{t.name}该科目为 {fmt(v)} {unit}"
        f"（表中印为 {fmt(r.get('total'))} {t.unit}）"
    )
    en = (
        f"the text gives {name} ({code}) as {fmt(printed)} {unit}, but {t.name} prints {fmt(v)} {unit} "
        f"for that item ({fmt(r.get('total'))} {t.unit} as printed)"
    )
    return [_finding(rule, s, m.start("amt"), [t.resource], [row_ref(t, r)], v, printed, half, unit, zh, en)]


NARRATIVE_KINDS: dict[str, Kind] = {
    "quoted_figures": quoted_figures,
    "change_percent": change_percent,
    "compared_percent": compared_percent,
    "increase_exceeds_figure": increase_exceeds_figure,
    "share_percent": share_percent,
    "completion_percent": completion_percent,
    "magnitude": magnitude,
    "published_targets": published_targets,
    "item_paragraphs": item_paragraphs,
}
