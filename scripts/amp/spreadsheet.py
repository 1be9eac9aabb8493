"""Reading a coordinator's table (.xlsx or .csv) into cells that know their sheet, row and column.

The file comes from outside: it is read only as far as the coordinator can see it. What Excel hides
(sheets, rows, columns), formulas without a stored value, duplicate headers and merged cells in the
data are named and refused, never read silently; a file that is not a table, is broken, or is far
larger than any table of the programme gets a Russian message naming the file and what to do
(`TableError`). Numbers stored as text, extra spaces and Excel's BOM are taken as the coordinator
meant them. Memory and time are bounded by the caps below, whatever the file declares.
"""

from __future__ import annotations

import codecs
import csv
import io
import stat
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

# Caps, generous for the largest real table: a region sends at most a few thousand rows of a few
# columns; the country-wide group list is about 10 000 schools.
MAX_FILE_BYTES = 16 * 2**20
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 1_000  # the longest school name in the documents is under 300 characters

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 (.xls), and any password-protected workbook
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SAVE_AS_XLSX = "откройте её в Excel или LibreOffice и сохраните как «Книга Excel (*.xlsx)»"


class TableError(ValueError):
    """A file that cannot be read as a table; the message (Russian) names the file and what to do."""


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
    sheet: str = ""  # the sheet read (a CSV: the file's name)
    other_sheets: list[str] = field(default_factory=list)  # visible sheets not read
    read_as: str = ""  # for the coordinator: «лист «Группа 3»», or a CSV's encoding and delimiter


def clean(value: object) -> object:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return value


def header_key(text: str) -> str:
    """«Уровень  неуспешности» and «уровень неуспешности» are the same header."""
    return "".join(text.lower().replace("n°", "№").split())


def _is_header(row: list[object], marker: str) -> bool:
    return any(marker in header_key(str(v)) for v in row if v is not None)


def shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_problems(sheet: str, number: int, values: list[object]) -> list[str]:
    """A cell longer than any name in the documents: refused, and cut short in `values`, so that no later
    message quotes it whole."""
    problems = []
    for i, v in enumerate(values):
        if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
            values[i] = shown(v)
            problems.append(f"лист «{sheet}», строка {number}, столбец {get_column_letter(i + 1)}: текст длиной {len(v)} "
                            f"знаков (ожидалось не больше {MAX_CELL_CHARS}: название, число или отметка; найдено: "
                            f"«{values[i]}»)")
    return problems


def from_rows(sheet: str, rows: list[tuple[int, list[object]]], merged: list[tuple[str, int]], marker: str = "",
              problems: list[str] | None = None, other_sheets: list[str] | None = None, read_as: str = "") -> Table:
    """`rows`: the non-empty rows as (row number, values); `marker`: a word of the header row (titles and
    merged header cells above it are fine)."""
    problems = list(problems or [])
    start = next((i for i, (_, values) in enumerate(rows) if marker and _is_header(values, marker)), None)
    if start is None and rows:
        start = 0
    if start is None:
        return Table([], [], problems + [f"лист «{sheet}»: таблица пуста (ожидалась строка заголовков и строки данных)"],
                     sheet, other_sheets or [], read_as or f"лист «{sheet}»")
    header_row, values = rows[start]
    problems += [f"лист «{sheet}», ячейки {block}: объединённые ячейки (ожидались отдельные ячейки в каждой строке; "
                 "разъедините их и впишите значение в каждую)" for block, first_row in merged if first_row > header_row]
    header = [str(clean(v) or "") for v in values]
    columns = {h: get_column_letter(i + 1) for i, h in reversed(list(enumerate(header))) if h}
    seen: dict[str, list[str]] = {}
    for i, h in enumerate(header):
        if h:
            seen.setdefault(header_key(h), []).append(get_column_letter(i + 1))
    for key, letters in seen.items():
        if len(letters) > 1:
            h = next(h for h in header if h and header_key(h) == key)
            problems.append(f"лист «{sheet}», строка {header_row}: заголовок «{h}» повторяется в столбцах "
                            f"{', '.join(letters[:-1])} и {letters[-1]} (ожидался один столбец с таким заголовком: "
                            "удалите или переименуйте лишний)")
    table_rows = []
    for number, values in rows[start + 1:]:
        cells = {h: clean(values[i]) if i < len(values) else None for i, h in enumerate(header) if h}
        if any(v is not None for v in cells.values()):
            table_rows.append(Row(sheet, number, cells, columns))
    return Table(header, table_rows, problems, sheet, other_sheets or [], read_as or f"лист «{sheet}»")


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's «Текст Юникод»), or cp1251 (old Excel)
    when the bytes are not UTF-8 — the only encodings that can be told apart reliably."""
    save = "сохраните таблицу из Excel как «CSV UTF-8 (разделитель — запятая)» или как .xlsx"
    try:
        if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            text, encoding = raw.decode("utf-32"), "UTF-32"
        elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text, encoding = raw.decode("utf-16"), "UTF-16"
        elif raw.startswith(codecs.BOM_UTF8):
            text, encoding = raw.decode("utf-8-sig"), "UTF-8"
        else:
            try:
                text, encoding = raw.decode("utf-8"), "UTF-8"
            except UnicodeDecodeError:
                text, encoding = raw.decode("cp1251"), "Windows-1251"
    except UnicodeDecodeError:
        raise TableError(f"{name}: кодировка не распознана (ожидалась UTF-8, UTF-16 с меткой или Windows-1251): {save}")
    if "\x00" in text:
        raise TableError(f"{name}: в тексте нулевые байты — это не CSV, или он в UTF-16 без метки кодировки: {save}")
    return text, encoding


def _delimiter(text: str, name: str, marker: str) -> str:
    """The delimiter that splits the header line into the most columns (Russian Excel writes «;»)."""
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    if not lines:
        return ";"
    line = next((x for x in lines if marker and marker in header_key(x)), lines[0])
    widths = {d: len(next(csv.reader([line], delimiter=d))) for d in (";", ",", "\t")}
    best = max(widths, key=lambda d: widths[d])  # ties: the first, «;»
    if widths[best] < 2:
        raise TableError(f"{name}: в строке заголовков один столбец — разделитель столбцов не распознан (ожидались "
                         f"«;», «,» или табуляция; найдено: «{shown(line)}»): сохраните таблицу из Excel как «CSV UTF-8 "
                         "(разделитель — запятая)» или как .xlsx")
    return best


def _read_csv(raw: bytes, name: str, marker: str) -> Table:
    """`name`: the path, for messages; the file's own name stands for the sheet."""
    text, encoding = _decode(raw, name)
    delimiter = _delimiter(text, name, marker)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    sheet = Path(name).name
    rows, problems = [], []
    try:
        for number, values in enumerate(reader, start=1):  # a record is a row, as Excel shows the file
            # Empty lines count too: millions of them are no table, and reading on would only take time.
            if number > MAX_ROWS or len(values) > MAX_COLUMNS and any(v.strip() for v in values[MAX_COLUMNS:]):
                raise TableError(f"{name}, строка {number}: таблица больше {MAX_ROWS} строк или {MAX_COLUMNS} столбцов "
                                 "(больше любой таблицы программы): удалите лишние строки и столбцы")
            if not any(v.strip() for v in values):
                continue
            problems += cell_problems(sheet, number, values)
            rows.append((number, values))
    except csv.Error as exc:
        why = (f"ячейка длиннее {csv.field_size_limit()} знаков" if "field limit" in str(exc) else
               "кавычки или переводы строк не по правилам CSV")
        raise TableError(f"{name}, строка {reader.line_num} файла: текст не читается как CSV ({why}): сохраните таблицу "
                         "из Excel заново как «CSV UTF-8» или как .xlsx")
    shown_delimiter = {";": "«;»", ",": "«,»", "\t": "табуляция"}[delimiter]
    return from_rows(sheet, rows, [], marker, problems, read_as=f"текст CSV (кодировка {encoding}, разделитель — "
                                                              f"{shown_delimiter})")


def read_table(path: Path, marker: str = "") -> Table:
    """The first visible sheet of an .xlsx, or a .csv; the header is the first row with `marker` in it
    (lower case, no spaces), or the first non-empty row. The file's content, not its name, decides how
    it is read; the name only shapes the message when they disagree."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TableError(f"{name}: файл не найден (проверьте имя файла и папку)")
    except OSError as exc:
        raise TableError(f"{name}: файл не открывается ({exc.strerror or exc}): проверьте путь и права доступа")
    if stat.S_ISDIR(info.st_mode):
        raise TableError(f"{name}: это папка, а не файл (укажите файл таблицы .xlsx или .csv)")
    if not stat.S_ISREG(info.st_mode):
        raise TableError(f"{name}: это не обычный файл (укажите файл таблицы .xlsx или .csv)")
    if info.st_size == 0:
        raise TableError(f"{name}: файл пуст (0 байт): сохраните таблицу заново")
    if info.st_size > MAX_FILE_BYTES:
        raise TableError(f"{name}: файл размером {info.st_size / 2**20:.1f} МБ (ожидалось не больше "
                         f"{MAX_FILE_BYTES >> 20} МБ — больше любой таблицы программы): оставьте в нём только нужную таблицу")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise TableError(f"{name}: файл не читается ({exc.strerror or exc}): проверьте права доступа")
    suffix = path.suffix.lower()
    if raw.startswith(OLE_MAGIC):
        named = f"файл назван {suffix}, но это" if suffix not in (".xls", "") else "это"
        raise TableError(f"{name}: {named} книга старого формата Excel 97–2003 (.xls) или книга, защищённая паролем: "
                         f"{SAVE_AS_XLSX} без пароля")
    if raw.startswith(ZIP_MAGIC):
        from .workbook import read_workbook  # openpyxl is loaded only for workbooks

        return read_workbook(name, raw, marker)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise TableError(f"{name}: файл назван {suffix}, но это не книга Excel (возможно, текст или веб-страница): "
                         f"{SAVE_AS_XLSX}; если это CSV, переименуйте файл в .csv")
    if suffix in (".csv", ".txt"):
        return _read_csv(raw, name, marker)
    raise TableError(f"{name}: неизвестный формат (ожидался файл .xlsx или .csv)")
