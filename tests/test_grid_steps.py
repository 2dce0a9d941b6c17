"""Each step of the grid code on synthetic pages: hand-built char and shape records in
the shape the PDF reader hands over (page coordinates, ``top`` down), no PDF needed."""

from __future__ import annotations

import ast
import dataclasses
import inspect

import pytest

from converters.grid import GRID, GridSettings, Region, Segment, build_grid, chars_to_text, find_regions, page_segments
from converters.grid import settings as settings_module
from converters.grid.cells import cut, open_from_rules, rule_positions
from converters.grid.columns import infer_columns
from converters.grid.geometry import DisjointSets, aligned, cluster, merge_ranges, most_common, overlapped, row_of
from converters.grid.layout import Layout
from converters.grid.rows import text_bands, text_rows
from converters.grid.runs import make_runs, text_lines
from converters.grid.wraps import join_wrapped

SIZE = 10.0


def word(text: str, x0: float, top: float, size: float = SIZE) -> list[dict]:
    """Chars of a word set tight from ``x0``: CJK a full size wide, ASCII half."""
    chars = []
    for ch in text:
        width = size / 2 if ch.isascii() else size
        chars.append({"text": ch, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size, "size": size})
        x0 += width
    return chars


def page(*words: list[dict]) -> list[dict]:
    return [c for w in words for c in w]


def box(x0: float, top: float, x1: float, bottom: float) -> Region:
    """A region with only its outer box drawn."""
    return Region(
        x0,
        top,
        x1,
        bottom,
        [Segment(top, x0, x1), Segment(bottom, x0, x1)],
        [Segment(x0, top, bottom), Segment(x1, top, bottom)],
    )


def line(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"object_type": "line", "pts": [(x0, y0), (x1, y1)], "stroke": True, "fill": False}


def rect(x0: float, top: float, x1: float, bottom: float, fill: bool = False) -> dict:
    return {
        "object_type": "rect",
        "pts": [(x0, top), (x1, top), (x1, bottom), (x0, bottom)],
        "stroke": not fill,
        "fill": fill,
    }


def keep_all(shape: dict) -> bool:
    return not shape.get("fill")


def visible(shape: dict) -> bool:
    return True


# --- settings --------------------------------------------------------------------------


def test_settings_are_frozen_and_each_threshold_says_its_unit_and_why() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        GRID.snap = 3.0  # type: ignore[misc]
    tree = ast.parse(inspect.getsource(settings_module))
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "GridSettings").body
    docs = {}
    for field_node, after in zip(body, body[1:]):
        if (
            isinstance(field_node, ast.AnnAssign)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[field_node.target.id] = after.value.value
    names = {f.name for f in dataclasses.fields(GridSettings)}
    assert names == set(docs), names ^ set(docs)
    for name, doc in docs.items():
        unit, _, why = doc.partition(". ")
        assert unit in {"pt", "x size", "count", "x line pitch"}, (name, unit)
        assert len(why.split()) >= 5, name


# --- geometry helpers -----------------------------------------------------------------


def test_geometry_helpers() -> None:
    sets = DisjointSets(4)
    sets.union(0, 2)
    sets.union(2, 3)
    assert sets.find(0) == sets.find(3) != sets.find(1)
    assert cluster([10.0, 11.5, 30.0, 12.0]) == [10.0, 30.0]
    assert cluster([10.0, 10.4, 10.9], tol=0.5) == [10.0, 10.9]
    assert merge_ranges([(5, 8), (0, 4), (7, 12)]) == [(0, 4), (5, 12)]
    assert merge_ranges([(0, 4), (5, 8)], gap=1.0) == [(0, 8)]
    assert row_of([0, 10, 20], 15) == 1
    xs = [0.0, 100.0, 200.0, 300.0]
    assert overlapped(xs, 120, 180) == (1, 1)
    assert overlapped(xs, 50, 250) == (0, 2)
    assert overlapped(xs, 99.5, 150) == (1, 1)  # ink a hair left of the boundary stays right of it
    assert aligned((10, 50), (11, 30))  # left edges
    assert aligned((10, 50), (30, 51))  # right edges
    assert aligned((10, 50), (20, 40))  # centres
    assert not aligned((10, 50), (20, 60))
    assert most_common([20.0, 20.2, 12.0, 19.9, 35.0], tol=0.5) == 20.0


# --- rules to regions -----------------------------------------------------------------


def test_rules_from_shapes_join_pieces_and_take_thin_filled_strips_only() -> None:
    shapes = [
        rect(50, 100, 350, 160),
        line(50, 130, 200, 130),
        line(200.5, 130, 350, 130),  # one rule drawn in two pieces
        rect(150, 100, 150.8, 160, fill=True),  # a vertical rule drawn as a filled strip
        rect(250, 100, 262, 112, fill=True),  # a filled square: an area, no rule
        rect(300, 140, 302, 140.8, fill=True),
    ]  # a filled dot, no rule
    hs, vs = page_segments(shapes, keep_all, visible)
    assert [(s.pos, s.a, s.b) for s in hs] == [(100, 50, 350), (130, 50, 350), (160, 50, 350)]
    assert [(s.pos, s.a, s.b) for s in vs] == [(50, 100, 160), (150.4, 100, 160), (350, 100, 160)]
    hidden, _ = page_segments([rect(50, 100, 350, 100.8, fill=True)], keep_all, lambda shape: False)
    assert hidden == []


def test_rule_pieces_join_wherever_rounding_puts_them() -> None:
    """A rule at an odd whole point is one rule though a renderer puts one piece a hair
    below it; two column lines 1.9 pt apart that do not touch stay two, however close
    the pieces of the second lie to the first (a line drawn offset under a header cell)."""
    pieces = [line(50, 303.0, 200, 303.0), line(200, 302.99999999999994, 350, 302.99999999999994)]
    hs, _ = page_segments(pieces, keep_all, visible)
    assert [(round(s.pos, 6), s.a, s.b) for s in hs] == [(303.0, 50, 350)]
    header, body, body_offset = (
        line(337.8, 223, 337.8, 252),
        line(339.73, 279, 339.73, 1204),
        line(340.5, 279, 340.5, 1204),
    )
    _, vs = page_segments([header, body, body_offset], keep_all, visible)
    assert [(s.pos, s.a, s.b) for s in vs] == [(337.8, 223, 252), (339.73, 279, 1204)]


def test_a_thick_filled_strip_is_a_rule_on_a_page_printed_large() -> None:
    """Rules drawn as 1.3 pt strips on a page of 7.7 pt text are 2.1 pt on the same page
    printed 1.6 times larger (12.3 pt text): still rules there, and not on a page of
    usual text, where a strip that thick is shading."""
    strip = rect(50, 100, 350, 102.1, fill=True)
    assert page_segments([strip], keep_all, visible, 12.3)[0] != []
    assert page_segments([strip], keep_all, visible, 7.7)[0] == []


def test_regions_group_touching_rules_and_stacks_of_one_width() -> None:
    boxed = [rect(50, 100, 350, 160), line(50, 130, 350, 130), line(200, 100, 200, 160)]
    stack = [line(50, 300, 350, 300), line(51, 320, 349, 320), line(50, 340, 350, 340)]
    far = [line(50, 500, 350, 500), line(50, 600, 350, 600)]  # further apart than a table's rows
    narrow = [rect(400, 100, 450, 160)]  # too narrow for a table
    hs, vs = page_segments(boxed + stack + far + narrow, keep_all, visible)
    regions = find_regions(hs, vs)
    assert [(r.x0, r.top, r.x1, r.bottom) for r in regions] == [(50, 100, 350, 160), (50, 300, 350, 340)]
    assert [len(r.inner_hrules()) for r in regions] == [1, 1]
    assert [len(r.inner_vrules()) for r in regions] == [1, 0]


def test_a_loose_rule_inside_a_box_is_adopted_by_it() -> None:
    shapes = [
        rect(50, 100, 350, 160),
        line(50, 120, 350, 120),
        line(150, 100, 150, 160),
        line(200, 140, 300, 140),
    ]  # touches no other rule
    regions = find_regions(*page_segments(shapes, keep_all, visible))
    assert len(regions) == 1
    assert sorted(s.pos for s in regions[0].hrules) == [100, 120, 140, 160]


# --- text runs -------------------------------------------------------------------------


def test_lines_and_runs() -> None:
    chars = page(word("预算数", 200, 101), word("项目", 60, 100), word("合计", 60, 120), word("1,200.00", 200, 120.5))
    assert ["".join(c["text"] for c in ln) for ln in text_lines(chars)] == ["项目预算数", "合计1,200.00"]
    runs = make_runs(chars)
    assert [(r.text, r.line) for r in runs] == [("项目", 0), ("预算数", 0), ("合计", 1), ("1,200.00", 1)]
    assert runs[3].is_number() and not runs[0].is_number()
    assert (runs[0].x0, runs[0].x1, runs[0].size) == (60, 80, SIZE)
    tight = page(word("一般", 60, 100), word("公共", 84, 100))  # 4 pt apart: within run_gap (half a char)
    assert [r.text for r in make_runs(tight)] == ["一般公共"]
    gap = page(word("一般", 60, 100), word("公共", 86, 100))  # 6 pt apart: past it
    assert [r.text for r in make_runs(gap)] == ["一般", "公共"]
    spaced = gap[:2] + [dict(c, spaced=True) for c in gap[2:3]] + gap[3:]
    assert [r.text for r in make_runs(spaced)] == ["一般公共"]


def test_cell_text_joins_wrapped_lines() -> None:
    assert chars_to_text(page(word("一般公共预算", 60, 100), word("支出", 60, 112))) == "一般公共预算支出"
    assert chars_to_text(page(word("Total", 60, 100), word("amount", 60, 112))) == "Total amount"
    assert chars_to_text(page(word("3", 60, 100), word("月底", 71, 100))) == "3 月底"
    assert chars_to_text([]) == ""


def test_a_printed_space_is_kept_at_a_quarter_of_a_char() -> None:
    """A gap of half a char is a space only past half a char, unless the text layer
    prints a space there (``spaced``): HJ 1238 keeps its half-width space whether a
    renderer puts the 1 at exactly half a char or a hair nearer, and 代码/ 目录 its
    quarter-width one; the same gaps without a printed space are no space."""
    for gap in (5.0, 4.999999, 2.5):
        letters, digits = word("HJ", 60, 100), word("1238", 70 + gap, 100)
        assert chars_to_text(letters + digits) == ("HJ 1238" if gap > 5 else "HJ1238")
        assert chars_to_text(letters + [dict(digits[0], spaced=True)] + digits[1:]) == "HJ 1238"


# --- cells from rules ------------------------------------------------------------------


def ruled_region(v_at_250: tuple[float, float]) -> Region:
    hs = [Segment(y, 50, 350) for y in (100, 120, 140)]
    vs = [Segment(50, 100, 140), Segment(150, 100, 140), Segment(250, *v_at_250), Segment(350, 100, 140)]
    return Region(50, 100, 350, 140, hs, vs)


def test_cells_from_rules() -> None:
    chars = page(
        word("项目", 60, 105),
        word("金额", 160, 105),
        word("备注", 260, 105),
        word("合计", 60, 125),
        word("12.50", 160, 125),
    )
    grid = build_grid(ruled_region((100, 140)), chars)
    assert grid.rows == [["项目", "金额", "备注"], ["合计", "12.50", ""]]
    assert grid.merges == []
    merged = build_grid(ruled_region((120, 140)), page(word("项目", 60, 105), word("金额说明", 200, 105)))
    assert merged.rows[0] == ["项目", "金额说明", ""]
    assert merged.merges == [(0, 1, 1, 2)]


def test_rule_positions_add_missing_edges_and_cut_puts_chars_by_centre() -> None:
    assert rule_positions([Segment(120, 0, 1), Segment(121, 0, 1)], 100, 140) == [100, 120, 140]
    layout = Layout([100, 120, 140], [50, 150, 350])
    open_from_rules(layout, [Segment(100, 50, 350), Segment(120, 50, 150), Segment(140, 50, 350)], vertical=False)
    assert layout.open_h == {(0, 1)}
    grid = cut(layout, page(word("甲", 60, 105), word("乙", 200, 125), word("外", 400, 105)))
    assert grid.rows == [["甲", "乙"], ["", ""]]
    assert grid.merges == [(0, 1, 2, 1)]


# --- columns from text -----------------------------------------------------------------


def test_columns_from_text_between_ruled_rows() -> None:
    hs = [Segment(y, 50, 350) for y in (100, 120, 140, 160)]
    region = Region(50, 100, 350, 160, hs, [Segment(50, 100, 160), Segment(350, 100, 160)])
    chars = page(
        word("项目", 60, 105),
        word("预算数", 185, 105),
        word("备注", 290, 105),
        word("办公费", 60, 125),
        word("1,200.00", 190, 125),
        word("无", 295, 125),
        word("差旅费", 60, 145),
        word("80.00", 198, 145),
    )
    grid = build_grid(region, chars)
    assert grid.rows == [["项目", "预算数", "备注"], ["办公费", "1,200.00", "无"], ["差旅费", "80.00", ""]]
    runs = make_runs(chars)
    columns = infer_columns(region, runs, [row_of([100, 120, 140, 160], r.middle) for r in runs], [])
    assert len(columns.xs) == 4 and columns.groups == {}
    # the first boundary mirrors the box's side about 项目's centre; 预算数's mirror falls
    # past the gap after 1,200.00, so the second is that gap's middle
    assert columns.xs == [50, 90, 260, 350]


def test_group_label_spans_the_columns_of_the_labels_under_it() -> None:
    hs = [Segment(100, 50, 350), Segment(120, 150, 350), Segment(140, 50, 350), Segment(160, 50, 350)]
    region = Region(50, 100, 350, 160, hs, [Segment(50, 100, 160), Segment(350, 100, 160)])
    chars = page(
        word("项目", 60, 115),
        word("本年收入", 230, 105),
        word("合计", 190, 125),
        word("财政拨款", 280, 125),
        word("办公费", 60, 145),
        word("100.00", 185, 145),
        word("80.00", 290, 145),
    )
    grid = build_grid(region, chars)
    assert grid.rows == [["项目", "本年收入", ""], ["", "合计", "财政拨款"], ["办公费", "100.00", "80.00"]]
    assert grid.merges == [(0, 0, 2, 1), (0, 1, 1, 2)]


# --- rows from text --------------------------------------------------------------------


def test_rows_from_text_keep_a_cell_beside_a_taller_one_in_its_row() -> None:
    region = box(50, 100, 350, 180)
    chars = page(
        word("项目", 60, 105),
        word("金额", 200, 105),
        word("办公费", 60, 125),
        word("10.00", 200, 125),
        word("其他商品和", 60, 145),
        word("服务支出", 60, 157),
        word("25.00", 200, 151),
    )
    runs = make_runs(chars)
    assert [{runs[i].text for i in band} for band in text_bands(runs)] == [
        {"项目", "金额"},
        {"10.00", "办公费"},
        {"25.00", "其他商品和", "服务支出"},
    ]
    grid = build_grid(region, chars)
    assert grid.rows == [["项目", "金额"], ["办公费", "10.00"], ["其他商品和服务支出", "25.00"]]


def test_wrapped_lines_with_a_gap_stay_one_cell() -> None:
    region = box(50, 100, 350, 200)
    chars = page(
        word("办公费", 60, 105),
        word("10.00", 250, 105),
        word("其他商品和服务", 60, 125),
        word("25.00", 250, 125),
        word("支出", 60, 137),
        word("差旅费", 60, 165),
        word("30.00", 250, 165),
        word("会议费", 60, 185),
        word("40.00", 250, 185),
    )
    runs = make_runs(chars)
    coarse = text_bands(runs)
    assert len(coarse) == 5
    cols = [(0, 0) if r.x0 < 200 else (1, 1) for r in runs]
    joined = join_wrapped(runs, coarse, cols)
    assert [{runs[i].text for i in band} for band in joined][1] == {"25.00", "其他商品和服务", "支出"}
    layout, cells = text_rows(region, runs, coarse, [50, 200, 350], {})
    assert len(layout.ys) - 1 == 4
    assert build_grid(region, chars).rows[1] == ["其他商品和服务支出", "25.00"]
