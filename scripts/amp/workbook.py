"""The first visible sheet of an .xlsx, read as Excel shows it, or refused with a Russian message.

A workbook is a zip of XML parts and comes from outside. Before any XML is parsed the archive is
checked: unpacked sizes and compression ratios (a few kilobytes must not unpack into gigabytes), and
no part may declare a DOCTYPE or entities (openpyxl parses with the standard library's expat, which
expands entities; defusedxml is not installed). What openpyxl's streaming mode does not expose —
hidden sheets, hidden rows and columns, formulas without a stored value, merged cells — is read by one
streaming pass over the sheet's XML; the values then come from openpyxl in read-only mode, row by
row, up to the last row and column with content — never to the sheet's declared dimension, which the
file may set to a million rows by 16 384 columns. Empty rows are skipped, not kept.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
import zlib
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.exceptions import CellCoordinatesException

from .spreadsheet import MAX_COLUMNS, MAX_ROWS, SAVE_AS_XLSX, Table, TableError, cell_problems, from_rows

MAX_PARTS = 2_000
MAX_UNPACKED = 64 * 2**20  # a sheet of 50 000 rows × 20 columns unpacks to about 40 MB
MAX_SHARED_STRINGS = 16 * 2**20  # openpyxl keeps every shared string in memory
MAX_RATIO = 100  # real sheets compress 5–30 times; a zip bomb, a thousand
RATIO_FLOOR = 2**20  # small parts (empty styles, themes) may compress better; they cannot grow large
MAX_CELLS = 2_000_000  # <c> elements, empty formatted ones included: openpyxl parses each
EXCEL_COLUMNS = 16_384  # Excel's own limit; a longer row is not Excel's

# A DOCTYPE is the only way to declare entities; in UTF-16 a part would hide it from a byte search.
FORBIDDEN = tuple(word.encode(enc) for word in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))
HIDDEN_HOW = "покажите их — выделите соседние, правой кнопкой → «Показать» — или удалите, и сохраните файл"


_REFERENCE = re.compile(r"([A-Z]{1,3})[1-9][0-9]{0,6}")
_letters = functools.lru_cache(maxsize=1024)(column_index_from_string)  # a sheet has few distinct columns


def _column(ref: str) -> int:
    """The column number of a cell reference («AB12» → 28)."""
    found = _REFERENCE.fullmatch(ref)
    if found is None:
        raise ValueError(ref)
    return _letters(found[1])


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: ElementTree.Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace prefix (r:id)."""
    return next((v for k, v in element.attrib.items() if _local(k) == name), None)


def _broken(name: str, what: str = "") -> TableError:
    detail = f" ({what})" if what else ""
    return TableError(f"{name}: книга Excel повреждена или обрезана{detail}: {SAVE_AS_XLSX} заново "
                      "(или скачайте файл ещё раз)")


def _check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Sizes first (from the directory: zipfile never unpacks more than a part declares), then every
    part's bytes for a DOCTYPE, streamed a megabyte at a time."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise TableError(f"{name}: в архиве {len(parts)} частей (у книги Excel их десятки): {SAVE_AS_XLSX} заново")
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED:
        raise TableError(f"{name}: книга распаковывается в {total / 2**20:.0f} МБ (ожидалось не больше "
                         f"{MAX_UNPACKED >> 20} МБ — больше любой таблицы программы): оставьте в книге только нужную "
                         "таблицу и сохраните заново")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise TableError(f"{name}: часть «{part.filename}» сжата в {ratio:.0f} раз (так сжимаются только искусственно "
                             f"созданные файлы, ожидалось не больше {MAX_RATIO}): {SAVE_AS_XLSX} заново")
        if posixpath.basename(part.filename).lower() == "sharedstrings.xml" and part.file_size > MAX_SHARED_STRINGS:
            raise TableError(f"{name}: текст ячеек занимает {part.file_size / 2**20:.0f} МБ (ожидалось не больше "
                             f"{MAX_SHARED_STRINGS >> 20} МБ): оставьте в книге только нужную таблицу")
    for part in parts:
        tail = b""
        with archive.open(part) as stream:
            while chunk := stream.read(2**20):
                window = tail + chunk
                if any(word in window for word in FORBIDDEN):
                    raise TableError(f"{name}: часть «{part.filename}» объявляет DOCTYPE или сущности XML (Excel так не "
                                     f"пишет; так устроены файлы-ловушки): {SAVE_AS_XLSX} заново")
                tail = window[-32:]


def _xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(part))


def _target(source: str, target: str) -> str:
    """A relationship's target as a path inside the archive."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    folder, file = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    found = {}
    for rel in _xml(archive, rels).iter():
        if _local(rel.tag) == "Relationship":
            found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], _target(part, rel.get("Target", "")))
    return found


def _sheets(archive: zipfile.ZipFile, name: str) -> list[tuple[str, str, str, str]]:
    """(name, state, kind, part) of every sheet, in the workbook's order."""
    names = set(archive.namelist())
    if "_rels/.rels" not in names:
        hint = (" — это таблица LibreOffice (.ods)" if "mimetype" in names and
                b"spreadsheet" in archive.read("mimetype")[:200] else "")
        raise TableError(f"{name}: это zip-архив, а не книга Excel (.xlsx){hint}: {SAVE_AS_XLSX}")
    book = next((target for kind, target in _relations(archive, "").values() if kind == "officeDocument"), None)
    if book is None or book not in names:
        raise TableError(f"{name}: это zip-архив, а не книга Excel (.xlsx): {SAVE_AS_XLSX}")
    relations = _relations(archive, book)
    sheets = []
    for sheet in _xml(archive, book).iter():
        if _local(sheet.tag) == "sheet":
            kind, part = relations.get(_attribute(sheet, "id") or "", ("", ""))
            sheets.append((sheet.get("name", ""), sheet.get("state", "visible"), kind, part))
    return sheets


def _scan(archive: zipfile.ZipFile, part: str, sheet: str, name: str) -> tuple[list[str], list[tuple[str, int]], int]:
    """Problems a coordinator cannot see in Excel, and the merged blocks, from one streaming pass.

    Only end events (half as many as start and end): a row is checked when it closes, its cells still
    attached; then it is emptied. A row may not grow past Excel's 16 384 cells, nor the sheet past the
    row and cell caps, so what is held at once stays small."""
    hidden_columns: list[tuple[int, int]] = []
    hidden_rows_used: list[int] = []
    hidden_columns_used: set[int] = set()
    formulas: list[str] = []
    merged: list[tuple[str, int]] = []
    row = rows = cells = in_row = widest = 0
    local: dict[str, str] = {}  # tag → local name, computed once per tag
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream):
            tag = local.get(element.tag) or local.setdefault(element.tag, _local(element.tag))
            if tag == "c":
                cells += 1
                in_row += 1
                if cells > MAX_CELLS or in_row > EXCEL_COLUMNS:
                    raise TableError(f"{name}: на листе «{sheet}» больше {MAX_CELLS} ячеек или строка длиннее "
                                     f"{EXCEL_COLUMNS} ячеек: удалите лишние строки и столбцы")
            elif tag == "row":
                rows += 1
                if rows > MAX_ROWS:
                    raise TableError(f"{name}: на листе «{sheet}» больше {MAX_ROWS} строк (больше любой таблицы "
                                     "программы): удалите лишние строки")
                row = int(element.get("r") or row + 1)
                hidden = element.get("hidden") in ("1", "true")
                column = 0
                for cell in element:
                    ref = cell.get("r")
                    column = _column(ref) if ref else column + 1
                    value = formula = inline = None
                    for child in cell:
                        kind = local.get(child.tag) or local.setdefault(child.tag, _local(child.tag))
                        if kind == "v":
                            value = child
                        elif kind == "f":
                            formula = child
                        elif kind == "is":
                            inline = child
                    has_value = (value is not None and bool(value.text)) or (inline is not None and any(inline.itertext()))
                    # Excel stores a formula's empty-text result as t="str" with an empty <v>: that is a value.
                    stored = has_value or (cell.get("t") == "str" and value is not None)
                    if formula is not None and not stored:
                        formulas.append(f"{get_column_letter(column)}{row}")
                    if has_value or formula is not None:
                        if row > MAX_ROWS or column > MAX_COLUMNS:
                            raise TableError(f"{name}: на листе «{sheet}» заполнена ячейка {get_column_letter(column)}"
                                             f"{row} — за пределами {MAX_ROWS} строк и {MAX_COLUMNS} столбцов (больше "
                                             "любой таблицы программы; возможно, случайное значение далеко внизу или "
                                             "справа): удалите его")
                        widest = max(widest, column)
                        if hidden and (not hidden_rows_used or hidden_rows_used[-1] != row):
                            hidden_rows_used.append(row)
                        if hidden_columns and any(low <= column <= high for low, high in hidden_columns):
                            hidden_columns_used.add(column)
                element.clear()  # an empty shell stays in <sheetData>: at most MAX_ROWS of them
                in_row = 0
            elif tag == "col" and element.get("hidden") in ("1", "true"):
                hidden_columns.append((int(element.get("min", 0)), int(element.get("max", 0))))
            elif tag == "mergeCell" and element.get("ref"):
                merged.append((element.get("ref"), range_boundaries(element.get("ref"))[1]))
    problems = []
    if hidden_rows_used:
        problems.append(f"лист «{sheet}», {_listed('строка', 'строки', [str(r) for r in hidden_rows_used])}: скрытые "
                        f"строки с данными (ожидались только видимые строки: {HIDDEN_HOW})")
    if hidden_columns_used:
        letters = [get_column_letter(c) for c in sorted(hidden_columns_used)]
        problems.append(f"лист «{sheet}», {_listed('столбец', 'столбцы', letters)}: скрытые столбцы с данными "
                        f"(ожидались только видимые столбцы: {HIDDEN_HOW})")
    if formulas:
        problems.append(f"лист «{sheet}», {_listed('ячейка', 'ячейки', formulas)}: формула без сохранённого значения "
                        "(файл сохранила программа, которая не пересчитала формулы: откройте его в Excel или "
                        "LibreOffice и сохраните — или замените формулы значениями)")
    return problems, sorted(merged), widest


def _listed(one: str, many: str, items: list[str], limit: int = 20) -> str:
    more = f" и ещё {len(items) - limit}" if len(items) > limit else ""
    return f"{one if len(items) == 1 else many} {', '.join(items[:limit])}{more}"


def _values(raw: bytes, sheet: str, name: str, widest: int) -> tuple[list[tuple[int, list[object]]], list[str]]:
    """The non-empty rows as the stored values show them (a formula: its last computed value); `widest`:
    the last column with content (the scan's), so that no row is padded further."""
    from openpyxl import load_workbook

    rows, problems = [], []
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a hostile file; each means «broken»
        raise _broken(name) from None
    try:
        cells = book[sheet].iter_rows(min_row=1, min_col=1, max_row=MAX_ROWS, max_col=max(widest, 1),
                                       values_only=True)
        for number, values in enumerate(cells, start=1):
            if any(v is not None and v != "" for v in values):
                values = list(values)
                while values and values[-1] is None:
                    values.pop()
                problems += cell_problems(sheet, number, values)
                rows.append((number, values))
    except Exception:
        raise _broken(name) from None
    finally:
        book.close()
    return rows, problems


def read_workbook(name: str, raw: bytes, marker: str = "") -> Table:
    """The first visible worksheet of the workbook `raw` (the file's bytes, read once, so the checked
    file is the file read); hidden sheets, rows, columns and formulas without values are problems."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            _check_archive(archive, name)
            sheets = _sheets(archive, name)
            problems = []
            for title, state, _, _ in sheets:
                if state == "veryHidden":
                    problems.append(f"лист «{title}» скрыт так, что Excel не показывает его даже в списке скрытых "
                                    "(ожидались только видимые листы: скопируйте видимые листы в новую книгу)")
                elif state != "visible":
                    problems.append(f"лист «{title}» скрыт (ожидались только видимые листы: покажите его — правой "
                                    "кнопкой по ярлыку листа → «Показать» — или удалите, и сохраните файл)")
            visible = [(title, part) for title, state, kind, part in sheets if kind == "worksheet" and state == "visible"]
            if not visible:
                raise TableError(f"{name}: в книге нет видимого листа с таблицей (покажите лист с таблицей и сохраните файл)")
            sheet, part = visible[0]
            if part not in set(archive.namelist()):
                raise _broken(name, f"нет листа «{sheet}»")
            found, merged, widest = _scan(archive, part, sheet, name)
    except TableError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, zlib.error, EOFError, KeyError,
            ValueError, NotImplementedError, RuntimeError, OSError, CellCoordinatesException):
        raise _broken(name) from None
    rows, long_cells = _values(raw, sheet, name, widest)
    return from_rows(sheet, rows, merged, marker, problems + found + long_cells, [t for t, _ in visible[1:]])
