"""Tables outside the concept map, exported as they are printed.

A disclosure holds tables no template names (机构设置情况, 政府购买服务指导目录 …).
They are still data a user may want, so each becomes a resource marked as an other
table: its printed header labels as field titles, every cell as text, nothing typed or
interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass

from .package import ResourceData
from .recognise import FoundTable
from .values import clean_text


@dataclass
class OtherTable:
    """An other table as written, with the printed table it came from."""

    resource: ResourceData
    table: FoundTable

    def report(self) -> dict:
        """Its entry in the report's ``other_tables``: where it is and what its header says."""
        return {
            "resource": self.resource.name,
            "title": self.resource.title,
            "pages": self.table.pages,
            "row_count": len(self.resource.rows),
            "header": self.table.header,
        }


def other_tables(tables: list[FoundTable], first_index: int = 1) -> list[OtherTable]:
    """Each table with a body as a resource ``other_NN``, numbered in document order."""
    return [OtherTable(_resource(t, f"other_{i:02d}"), t) for i, t in enumerate(tables, start=first_index) if t.body]


def _resource(table: FoundTable, name: str) -> ResourceData:
    n_cols = max(len(r) for r in table.header + table.body)
    labels = table.column_labels + [[] for _ in range(n_cols - len(table.column_labels))]
    fields = (
        [
            {
                "name": "line_no",
                "type": "integer",
                "title": "行号",
                "description": "Order of the printed row (1 = first body row).",
                "constraints": {"required": True, "minimum": 1},
            },
        ]
        + [
            {
                "name": f"col_{j + 1}",
                "type": "string",
                "title": "/".join(path) or f"第{j + 1}列",
                "description": "Cell text as printed, under the header labels in the title.",
            }
            for j, path in enumerate(labels[:n_cols])
        ]
        + [
            {
                "name": "page",
                "type": "integer",
                "title": "页码",
                "description": "PDF page of the row; null for DOCX.",
                "constraints": {"minimum": 1},
            },
        ]
    )
    schema = {
        "title": table.title or name,
        "description": "A table outside the standard set, exported as printed: every cell as text, "
        "header labels as field titles.",
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["line_no"],
    }
    rows = []
    for i, (cells, page) in enumerate(zip(table.body, table.body_pages), start=1):
        row = {"line_no": i, "page": page}
        row.update({f"col_{j + 1}": clean_text(c) or None for j, c in enumerate(cells[:n_cols])})
        rows.append(row)
    extra = {"budgetpack:kind": "other", "budgetpack:pages": table.pages, "budgetpack:header": table.header}
    return ResourceData(name, table.title or name, schema, rows, extra)
