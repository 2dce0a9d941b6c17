"""Find tables on a PDF page and cut them into a grid of cells.

Budget tables are drawn with rules, but renderings leave some out: the inner vertical
rules, every inner rule (only the outer box), or the bottom rule where a table breaks
across pages. Row and column boundaries come from the rules where they exist and from
the text where they do not:

* columns (:func:`~.columns.infer_columns`): the x ranges that the text of every row
  leaves empty. Labels centred over several columns (本年收入 over its parts) would hide
  or invent boundaries, so they are recognised by the labels printed under them on both
  sides and left out of that count (:mod:`.groups`); each then gets the columns it is
  centred over.
* rows (:func:`~.rows.text_rows`): the y ranges that no text crosses; lines of one
  wrapped cell stay together (by line pitch, alignment and centring on the row's other
  cells, :mod:`.wraps`), and a header label centred over two header rows spans both.

Merged cells are where a rule between two neighbouring cells is missing or, without
rules, where text crosses the boundary or is centred over several cells.

The steps, one module each: :mod:`.rules` (rules to regions), :mod:`.runs` (text runs),
:mod:`.cells` (cells from rules), :mod:`.columns` and :mod:`.groups` (columns from
text), :mod:`.rows` and :mod:`.wraps` (rows from text), :mod:`.geometry` (helpers);
:mod:`.build` puts them together. Every threshold is in :mod:`.settings`.
"""

from .build import build_grid
from .layout import Grid
from .rules import Region, Segment, find_regions, page_segments
from .runs import chars_to_text, text_lines
from .settings import GRID, GridSettings

__all__ = [
    "GRID",
    "Grid",
    "GridSettings",
    "Region",
    "Segment",
    "build_grid",
    "chars_to_text",
    "find_regions",
    "page_segments",
    "text_lines",
]
