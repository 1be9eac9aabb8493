"""Reading a coordinator's table (.xlsx or .csv) into cells that know their sheet, row and column.

Merged cells are reported, not guessed at: in a merged block only the first cell holds a value,
and which rows it was meant for is the coordinator's call. Numbers stored as text, extra spaces
and Excel's BOM are taken as the coordinator meant them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Row:
    sheet: str
    number: int  # as Excel shows it, 1-based
    cells: dict[str, object]  # header → value (None for an empty cell)
    columns: dict[str, str]  # header → column letter, for messages

    def where(self, header: str | None = None) -> str:
        column = f", столбец {self.columns[header]} («{header}»)" if header in self.columns else ""
        return f"лист «{self.sheet}», строка {self.number}{column}"


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]
    problems: list[str]  # merged cells and the like: nothing may be written while any remains


def clean(value: object) -> object:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return value


def _is_header(row: list[object], marker: str) -> bool:
    return any(marker in "".join(str(v).lower().split()) for v in row if v is not None)


def _from_grid(sheet: str, grid: list[list[object]], merged: list[tuple[str, int]], marker: str = "") -> Table:
    """`marker`: a word of the header row (titles and merged header cells above it are fine)."""
    start = next((i for i, row in enumerate(grid) if marker and _is_header(row, marker)), None)
    if start is None:
        start = next((i for i, row in enumerate(grid) if any(clean(v) for v in row)), None)
    problems = [f"лист «{sheet}», ячейки {block}: объединённые ячейки (ожидались отдельные ячейки в каждой строке; "
                "разъедините их и впишите значение в каждую)" for block, first_row in merged
                if start is not None and first_row > start + 1]
    if start is None:
        return Table([], [], problems + [f"лист «{sheet}»: таблица пуста (ожидалась строка заголовков и строки данных)"])
    header = [str(clean(v) or "") for v in grid[start]]
    columns = {h: get_column_letter(i + 1) for i, h in enumerate(header) if h}
    rows = []
    for offset, values in enumerate(grid[start + 1:], start=start + 2):
        cells = {h: clean(values[i]) if i < len(values) else None for i, h in enumerate(header) if h}
        if any(v is not None for v in cells.values()):
            rows.append(Row(sheet, offset, cells, columns))
    return Table(header, rows, problems)


def read_table(path: Path, marker: str = "") -> Table:
    """The first sheet of an .xlsx, or a .csv (UTF-8 with or without BOM, or cp1251 from old Excel).

    The header is the first row with `marker` in it (lower case, no spaces), or the first non-empty row."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, data_only=True, read_only=False)
        sheet = book.worksheets[0]
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        merged = sorted((str(r), r.min_row) for r in sheet.merged_cells.ranges)
        return _from_grid(sheet.title, grid, merged, marker)
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1251")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        grid = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
        return _from_grid(path.name, grid, [], marker)
    raise ValueError(f"{path.name}: неизвестный формат (ожидался файл .xlsx или .csv)")
