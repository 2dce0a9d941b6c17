"""Every layout threshold the grid code uses, named once with its unit and its reason.

Units: ``pt`` is a PDF point (1/72 inch) in page coordinates; ``x size`` is a multiple
of the font size of the char or run at hand (at least :attr:`GridSettings.min_char_size`);
counts are plain numbers. The values were tuned on the fixture corpus: the steps read
them from :data:`GRID`, so a change here changes every step that shares the notion.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GridSettings:
    """Thresholds for finding tables from rules and cutting them into cells from text."""

    # --- rules to regions -----------------------------------------------------------
    snap: float = 2.0
    """pt. Rules closer than this are one rule (a rule drawn twice, or in pieces), a rule
    reaching within this of a cell side's ends covers it, and cut positions closer than
    this are one boundary: renderers place one rule a little differently each time."""
    side_tolerance: float = 0.5
    """pt. A shape side whose ends differ at most this across it is horizontal (vertical):
    rules are axis-aligned up to rounding."""
    rule_width: float = 2.0
    """pt. A filled shape at most this thick is a rule, not an area: some producers draw
    a 0.8 pt filled strip instead of a line."""
    rule_text_ratio: float = 0.25
    """x size. A filled shape at most this many times the page's usual text size thick
    is a rule too: a page printed larger (an A4 table on a bigger sheet) thickens its
    rules with its text, while a shaded cell is at least a line of text high."""
    dot: float = 3.0
    """pt. A thin filled shape no longer than this is a dot or a glyph's stroke, no rule."""
    min_rule_length: float = 3.0
    """pt. A rule, once its pieces are joined, must be longer than this: shorter strokes
    are ticks and glyph parts."""
    min_table_width: float = 80.0
    """pt. Rules grouped into something narrower are a box or a mark, not a table."""
    stack_distance: float = 80.0
    """pt. Horizontal rules of one width touching no vertical rule belong to one table
    (drawn without vertical rules) when less than this apart: a tall wrapped row's height."""
    stack_extent: float = 6.0
    """pt. Horizontal rules whose ends differ less than this have one width (one table's
    stack), despite stroke caps and rounding."""
    region_margin: float = 1.0
    """pt. A point this far outside a table's rules is still inside it: the outer rules'
    own thickness."""

    # --- text runs ------------------------------------------------------------------
    min_char_size: float = 4.0
    """pt. Font sizes below this are taken as this: some producers report 0 or 1 and
    scale the glyphs with the text matrix, which would make every gap look wide."""
    line_floor: float = 2.0
    """pt. Chars whose middles (or, in one cell, tops) differ at most this are on one
    line whatever their size: the floor under the two ratios below."""
    line_ratio: float = 0.45
    """x size. Chars whose vertical middles differ at most this are on one printed line:
    less than half a char, so the next line (a full pitch down) never is."""
    cell_line_ratio: float = 0.4
    """x size. In one cell's text, chars whose tops differ at most this are on one line."""
    run_gap: float = 0.5
    """x size. Chars further apart than this start a new run: cells are separated by
    padding, while the chars of one label are set tight (or joined by spaces)."""
    space_gap: float = 0.5
    """x size. In one cell's text, a gap wider than this between two chars is a space."""
    printed_space_gap: float = 0.15
    """x size. Where the text layer has a space between two chars, a gap wider than this
    is that space. Fonts' spaces are a quarter to half a char wide: half is
    :attr:`space_gap` itself, where a renderer's rounding would decide whether HJ 1238
    keeps its space, and a quarter is narrower (代码/ 目录)."""
    cell_gap: float = 1.0
    """x size. Runs at least this far apart on one line can be separate cells; closer ones
    are the pieces of one label."""
    align: float = 1.5
    """pt. Runs whose left edges, right edges or centres differ at most this are aligned
    (printed with one alignment in one column)."""

    # --- columns from text ----------------------------------------------------------
    ink_slack: float = 1.0
    """pt. Ink may reach this far past a boundary, a gap or a neighbour's room and still
    count as inside it: glyph boxes stick out of their advance a little."""
    cover_inset: float = 1.0
    """pt. Trimmed from both ends of a cell's side before asking whether a rule covers it,
    so a rule ending at the crossing rule's far edge still counts."""
    cut_offset: float = 0.5
    """pt. Where a boundary must cut through text, it is tried this far right of a run's
    end, so the run stays on its own side."""
    group_depth: int = 3
    """count. Header rows below a group label where the labels it groups are printed."""
    group_side: float = 0.5
    """x size. A label under a group label is on its left (right) when its centre is more
    than this left (right) of the group label's centre."""
    group_span_slack: float = 0.5
    """x size. With the cells of its row known, a group label takes the widest span whose
    middle is within this of the best centred span's distance to the label's centre."""
    left_aligned_count: int = 3
    """count. Runs (this one included) starting at one left edge that make it a
    left-aligned column: such text is never a centred group label."""
    min_column_numbers: int = 3
    """count. Consecutive column numbers (栏次 1 2 3) on a line needed to take them as
    column numbers rather than values."""
    mirror_slack: float = 3.0
    """pt. A first or last column number's mirrored edge falls in a gap when within this of
    it: the number then is centred in its column and no boundary lies beyond it."""
    wrap_last_line: float = 1.6
    """x size. A run at most this below a wider run's top, within its ink, is the short last
    line of a wrapped cell (one line pitch, with leading)."""
    top_tolerance: float = 0.5
    """pt. Labels whose tops differ at most this are the topmost line of a cell together."""

    # --- rows from text -------------------------------------------------------------
    overlap_slack: float = 0.5
    """pt. Ink reaching less than this into another run's (or row's) vertical range does
    not overlap it: neighbouring lines' glyph boxes touch."""
    cut_merge: float = 0.5
    """pt. Row cuts closer than this are one."""
    centring_gain: float = 1.0
    """pt. A header label is merged up over empty rows only when that brings its row's
    middle at least this much closer to the label's middle."""
    full_line_slack: float = 2.0
    """x size. A line at most this narrower than the column's widest is full: lines before
    a wrap's last are (one char may move down with a closing bracket)."""
    wrap_gap: float = 1.0
    """x size. A run starting at most this below a cell's bottom, aligned with it, can be
    its next line."""
    stacked_min: float = 0.5
    """x size. Runs whose tops differ at most this are side by side, not one above the
    other, when measuring line pitch."""
    pitch_margin: float = 1.0
    """pt. Added to the measured line pitch: lines of one cell may be set this much looser."""
    row_step_tolerance: float = 0.5
    """pt. Distances between lines within this of one another count as one row step."""
    wrap_shorter: float = 2.0
    """pt. A distance at least this shorter than the common row step is a wrap, not a row."""
    centred_ratio: float = 0.25
    """x line pitch. When the pitch is a guess, a wrapped cell is kept only when its middle is
    within this of a row's printed line."""


GRID = GridSettings()
"""The settings every step reads."""
