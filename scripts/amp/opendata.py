"""The open-data tables: one description of every published table and column, from which the CSV,
XLSX and JSON files and the data dictionary are all made.

A column either comes from a field of the data model (its type and allowed values are read from
the model) or is computed by the site (its type is given here). Unknown values stay empty cells
in CSV and XLSX and null in JSON — never 0. Values are written exactly as typed: these are data,
not HTML, so nothing is escaped — except that a CSV text cell a spreadsheet would run as a formula
gets a leading apostrophe (XLSX stores it as a string cell instead).
"""

from __future__ import annotations

import io
import json
import re
import typing
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import derive
from .derive import Dataset
from .model import Document, GroupParticipation, LinkStatus, Municipality, School, ScoreRow, StatusRow
from .schema_errors import describe

DOCUMENT = "документ проекта"
COMPUTED = "расчёт сайта"
CHECKER = "автоматическая проверка ссылок"
SITE = "оценка сайта (в документах нет)"
OUTSIDE = "источник не из документов проекта (ОКТМО)"


@dataclass(frozen=True)
class Column:
    name: str  # header in CSV and XLSX, key in JSON
    meaning: str  # Russian, for the data dictionary
    field: tuple[type, str] | None = None  # the model field it holds: type and allowed values come from it
    kind: str = ""  # the type in words, for columns the site computes
    source: str = DOCUMENT

    def type_text(self) -> str:
        if self.field is None:
            return self.kind
        model, name = self.field
        info = model.model_fields[name]
        annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        return describe(annotation)


@dataclass(frozen=True)
class Table:
    name: str  # file name without extension
    title: str  # Russian, for the page and the XLSX sheet
    columns: Callable[[Dataset], list[Column]]
    rows: Callable[[Dataset, dict], list[dict]]


# --- the tables ---------------------------------------------------------------------------------

def _school_columns(ds: Dataset) -> list[Column]:
    return [
        Column("id", "идентификатор школы (имя её файла данных)", (School, "id")),
        Column("name", "полное наименование, как в документе", (School, "name")),
        Column("short_name", "краткое название на сайте", (School, "short_name"), source="редакция сайта"),
        Column("municipality", "идентификатор муниципалитета школы", (School, "municipality")),
        Column("municipality_basis", "откуда известен муниципалитет («районный центр» и «населённый пункт по ОКТМО» — "
               "вывод сайта, в документах проекта муниципалитет не указан)", (School, "municipality_basis")),
        Column("oktmo", "код ОКТМО населённого пункта школы, по которому сайт определил муниципалитет; пусто — "
               "муниципалитет известен иначе или не установлен", (School, "oktmo"), source=OUTSIDE),
        Column("municipality_source", "откуда взят муниципалитет, если не из документов проекта (название источника)",
               kind="строка или пусто", source=OUTSIDE),
        Column("note", "примечание", (School, "note")),
    ]


def _school_rows(ds: Dataset, status: dict) -> list[dict]:
    return [{"id": s.id, "name": s.name, "short_name": s.short_name, "municipality": s.municipality,
             "municipality_basis": s.municipality_basis, "oktmo": s.oktmo,
             "municipality_source": _source_title(ds, s.municipality_source), "note": s.note}
            for s in ds.schools.values()]


def _source_title(ds: Dataset, source) -> str | None:
    if source is None:
        return None
    return next((d.title for d in ds.sources.documents if d.file == source.file), source.file)


def _participation_columns(ds: Dataset) -> list[Column]:
    return [
        Column("school", "идентификатор школы", kind="строка (id из таблицы schools)"),
        Column("group", "группа программы", (GroupParticipation, "group")),
        Column("number", "номер в списке группы", (GroupParticipation, "number")),
        Column("name_in_source", "название школы, как в документе", (GroupParticipation, "name_in_source")),
        Column("level", "уровень неуспешности", (GroupParticipation, "level")),
        Column("difficulties", "«Наличие трудностей» (значения документ не поясняет)", (GroupParticipation, "difficulties")),
    ]


def _participation_rows(ds: Dataset, status: dict) -> list[dict]:
    return [{"school": s.id, "group": p.group, "number": p.number, "name_in_source": p.name_in_source,
             "level": p.level, "difficulties": p.difficulties}
            for s in ds.schools.values() for p in s.participations]


_STATUS_FIELDS = ("survey_500plus_2022", "documents_500plus_2021", "documents_ravenstvo", "municipal_roadmap")


def _municipality_columns(ds: Dataset) -> list[Column]:
    columns = [
        Column("id", "идентификатор муниципалитета", (Municipality, "id")),
        Column("name", "название", (Municipality, "name")),
        Column("kind", "вид муниципального образования", (Municipality, "kind")),
        Column("listed_in_seed", "упоминается ли в документах проекта (false — только в перечне ОКТМО)",
               (Municipality, "listed_in_seed")),
        *(Column(f, f"таблица статуса: «{t}»", (StatusRow, f)) for f, t in zip(_STATUS_FIELDS, (
            "Анкетирование 500+ 2022", "Ссылки на документы 500+ 2021", "Ссылки на документы «Равенство...»",
            "Муниципальная ДК"))),
        Column("schools", "число школ с известным муниципалитетом", kind="целое число", source=COMPUTED),
    ]
    for d in ds.monitoring.directions:
        columns += [
            Column(f"{d.id}_computed_total", f"мониторинг «{d.short_title}»: сумма баллов по критериям",
                   kind="целое число или пусто", source=COMPUTED),
            Column(f"{d.id}_stated_total", f"мониторинг «{d.short_title}»: итог, как в документе",
                   (ScoreRow, "stated_total")),
        ]
    return columns


def _municipality_rows(ds: Dataset, status: dict) -> list[dict]:
    rows = []
    for m in ds.municipalities.values():
        row = {"id": m.id, "name": m.name, "kind": m.kind, "listed_in_seed": m.listed_in_seed}
        row.update({f: getattr(m.status, f) if m.status else None for f in _STATUS_FIELDS})
        row["schools"] = len(derive.schools_of(ds.schools, m.id))
        for d in ds.monitoring.directions:
            score = next((r for r in d.rows if r.municipality == m.id), None)
            row[f"{d.id}_computed_total"] = derive.computed_total(score) if score else None
            row[f"{d.id}_stated_total"] = score.stated_total if score else None
        rows.append(row)
    return rows


def _score_columns(ds: Dataset) -> list[Column]:
    return [
        Column("direction", "направление мониторинга", kind="строка (id направления)"),
        Column("municipality", "идентификатор муниципалитета", (ScoreRow, "municipality")),
        Column("name_in_source", "название муниципалитета, как в таблице документа", (ScoreRow, "name_in_source")),
        *(Column(c.id, f"К{c.number}: {c.title} (0–{c.max_points})", kind="целое число или пусто (нет данных)")
          for c in ds.monitoring.criteria),
        Column("computed_total", "сумма баллов по критериям", kind="целое число или пусто", source=COMPUTED),
        Column("stated_total", "итог, как в документе", (ScoreRow, "stated_total")),
        Column("zone", "цветовая зона по сумме («неполные данные», если есть пустые ячейки)",
               kind="строка или пусто", source=SITE),
    ]


def _score_rows(ds: Dataset, status: dict) -> list[dict]:
    rows = []
    for d in ds.monitoring.directions:
        for r in d.rows:
            zone = derive.row_zone(r, ds.monitoring.zones)
            label = zone.title if zone else ("неполные данные" if derive.computed_total(r) is not None else None)
            rows.append({"direction": d.id, "municipality": r.municipality, "name_in_source": r.name_in_source,
                         **{c.id: r.scores.get(c.id) for c in ds.monitoring.criteria},
                         "computed_total": derive.computed_total(r), "stated_total": r.stated_total, "zone": label})
    return rows


def _document_columns(ds: Dataset) -> list[Column]:
    return [
        Column("owner_kind", "чей документ: school, municipality или materials_bank", kind="строка"),
        Column("owner", "идентификатор школы, муниципалитета или отчёта", kind="строка"),
        Column("id", "идентификатор документа у владельца (у материалов банка — номер)", kind="строка"),
        Column("title", "название документа", (Document, "title")),
        Column("kind", "вид документа", (Document, "kind")),
        Column("url", "адрес, как в данных", (Document, "url")),
        Column("verdict", "состояние ссылки: ok, warning, broken; пусто — ещё не проверялась", (LinkStatus, "verdict"),
               source=CHECKER),
        Column("reason", "что увидела проверка (текст, как на сайте)", (LinkStatus, "reason"), source=CHECKER),
        Column("reason_code", "код причины — слово словаря проверки ссылок (not_found, timeout, tls_expired…); "
               "пусто у записей прежнего вида", kind="строка", source=CHECKER),
        Column("last_checked", "дата последней проверки", (LinkStatus, "last_checked"), source=CHECKER),
        Column("last_ok", "когда ссылка последний раз открывалась", (LinkStatus, "last_ok"), source=CHECKER),
        Column("failing_since", "с какого дня не открывается", (LinkStatus, "failing_since"), source=CHECKER),
    ]


def _document_rows(ds: Dataset, status: dict) -> list[dict]:
    found = [(folder.removesuffix("s") if folder == "schools" else "municipality", owner.id, d.id, d.title, d.kind, d.url)
             for folder, owner, d in derive.all_documents(ds)]
    for report in ds.reports.values():
        found += [("materials_bank", report.id, str(n), m.title, "материал банка", m.url)
                  for n, m in enumerate(report.materials_bank.items, start=1) if m.url]
    rows = []
    for owner_kind, owner, doc_id, title, kind, url in found:
        st = status.get(url)
        rows.append({"owner_kind": owner_kind, "owner": owner, "id": doc_id, "title": title, "kind": kind, "url": url,
                     "verdict": st.verdict if st else None, "reason": st.reason_text(url) if st else None,
                     "reason_code": st.reason_code if st else None,
                     "last_checked": st.last_checked.isoformat() if st else None,
                     "last_ok": st.last_ok.isoformat() if st and st.last_ok else None,
                     "failing_since": st.failing_since.isoformat() if st and st.failing_since else None})
    return rows


TABLES = [
    Table("schools", "Школы", _school_columns, _school_rows),
    Table("participations", "Участие школ в группах", _participation_columns, _participation_rows),
    Table("municipalities", "Муниципалитеты", _municipality_columns, _municipality_rows),
    Table("scores", "Баллы мониторинга", _score_columns, _score_rows),
    Table("documents", "Документы и состояние ссылок", _document_columns, _document_rows),
]
DICTIONARY_HEADER = ["table", "column", "meaning", "type", "source"]


# --- formats ------------------------------------------------------------------------------------

def _frame(columns: list[Column], rows: list[dict]) -> pd.DataFrame:
    names = [c.name for c in columns]
    # Integers with gaps would become floats («1.0»); the nullable types keep them whole.
    return pd.DataFrame(rows, columns=names).convert_dtypes()


# A text cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# when the CSV is opened (=HYPERLINK(…), @SUM(…), -2+3 and tab/CR variants).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP «CSV
    Injection»); numbers stay numbers (-3 is a number, not text), so only strings are touched."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(frame: pd.DataFrame) -> str:
    text_columns = [name for name in frame.columns if not pd.api.types.is_numeric_dtype(frame[name])]
    safe = frame.copy()
    for name in text_columns:
        safe[name] = safe[name].map(neutralise, na_action="ignore")
    # The byte-order mark makes Excel read the file as UTF-8 (Cyrillic, «№»), not as cp1251.
    return "\ufeff" + safe.to_csv(index=False, lineterminator="\r\n")


def _json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def dictionary_rows(ds: Dataset) -> list[dict]:
    return [{"table": t.name, "column": c.name, "meaning": c.meaning, "type": c.type_text(), "source": c.source}
            for t in TABLES for c in t.columns(ds)]


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _stable_zip(data: bytes) -> bytes:
    """The same workbook gives the same bytes: entries in name order, one fixed timestamp (openpyxl
    stamps the zip entries and docProps' «modified» with the time of saving)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            content = source.read(name)
            if name == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def _xlsx(sheets: list[tuple[str, pd.DataFrame]]) -> bytes:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    # Write-only: rows go straight to the file (half the time of building every cell in memory first).
    book = Workbook(write_only=True)
    fixed = dt.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed
    book.properties.creator = "Адресная методическая помощь школам"

    def text(sheet, value: str) -> WriteOnlyCell:
        # Text stays text, as typed: a value starting with «=» must never become a formula.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    for title, frame in sheets:
        # Excel forbids []:*?/\ in a sheet name and allows 31 characters; a direction's name may hold any.
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Лист")
        sheet.freeze_panes = "A2"
        sheet.append([text(sheet, str(c)) for c in frame.columns])
        for record in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
            sheet.append([text(sheet, v) if isinstance(v, str) else v for v in record])
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue())


# The documents' own layout of a group's school list: what coordinators import (import_table.py).
GROUP_HEADER = ["№ п/п", "Образовательная организация", "Уровень неуспешности", "Наличие трудностей"]


def group_frame(ds: Dataset, group: int | None) -> pd.DataFrame:
    """A group's schools as the documents list them; None: the blank template."""
    rows = [] if group is None else [
        [p.number, p.name_in_source, p.level, None if p.difficulties is None else int(p.difficulties)]
        for _, p in derive.group_members(ds.schools, group)]
    return pd.DataFrame(rows, columns=GROUP_HEADER).convert_dtypes()


def scores_frame(ds: Dataset, direction) -> pd.DataFrame:
    """A monitoring table as the document lays it out: a municipality per row, a criterion per column;
    direction None: the blank template (criteria as К1–К6, which the importer takes too)."""
    titles = direction.column_titles if direction else {c.id: f"К{c.number}" for c in ds.monitoring.criteria}
    header = ["Район (город)"] + [titles[c.id] for c in ds.monitoring.criteria] + ["Итого"]
    rows = [] if direction is None else [
        [r.name_in_source] + [r.scores.get(c.id) for c in ds.monitoring.criteria] + [r.stated_total]
        for r in direction.rows]
    return pd.DataFrame(rows, columns=header).convert_dtypes()


# The documents' own layout of the municipalities' status table: «+» yes, «—» no, empty cell unknown.
STATUS_TITLES = dict(zip(_STATUS_FIELDS, ("Анкетирование 500+ 2022", "Ссылки на документы 500+ 2021",
                                          "Ссылки на документы «Равенство...»", "Муниципальная ДК")))
STATUS_HEADER = ["№ п/п", "Район (город)", *STATUS_TITLES.values()]
STATUS_MARKS = {True: "+", False: "—", None: None}


def status_frame(ds: Dataset | None) -> pd.DataFrame:
    """The status table as the document lays it out; None: the blank template."""
    rows = [] if ds is None else [
        [m.status.row, m.status.name_in_source, *(STATUS_MARKS[getattr(m.status, f)] for f in _STATUS_FIELDS)]
        for m in sorted((m for m in ds.municipalities.values() if m.status), key=lambda m: m.status.row)]
    return pd.DataFrame(rows, columns=STATUS_HEADER).convert_dtypes()


def open_data_paths(ds: Dataset) -> list[str]:
    """The addresses render_open_data writes, without making any file (a test keeps the two equal)."""
    paths = [f"downloads/{t.name}.{ext}" for t in TABLES for ext in ("csv", "json")]
    paths += ["downloads/dictionary.csv", "downloads/open-data.xlsx", "downloads/template-group.xlsx",
              "downloads/template-monitoring.xlsx", "downloads/statuses.xlsx", "downloads/template-statuses.xlsx"]
    paths += [f"downloads/group-{g.number}.xlsx" for g in ds.programme.groups]
    return paths + [f"downloads/monitoring-{d.id}.xlsx" for d in ds.monitoring.directions]


def render_open_data(ds: Dataset, status: dict) -> dict[str, str | bytes]:
    """Every download of the «Открытые данные» page, keyed by its path in the site."""
    files: dict[str, str | bytes] = {}
    sheets = []
    for table in TABLES:
        columns = table.columns(ds)
        rows = table.rows(ds, status)
        frame = _frame(columns, rows)
        files[f"downloads/{table.name}.csv"] = _csv(frame)
        files[f"downloads/{table.name}.json"] = _json(rows)
        sheets.append((table.title, frame))
    dictionary = pd.DataFrame(dictionary_rows(ds), columns=DICTIONARY_HEADER)
    files["downloads/dictionary.csv"] = _csv(dictionary)
    sheets.append(("Словарь данных", dictionary))
    files["downloads/open-data.xlsx"] = _xlsx(sheets)
    for group in ds.programme.groups:
        files[f"downloads/group-{group.number}.xlsx"] = _xlsx([(f"Группа {group.number}", group_frame(ds, group.number))])
    files["downloads/template-group.xlsx"] = _xlsx([("Группа", group_frame(ds, None))])
    for direction in ds.monitoring.directions:
        files[f"downloads/monitoring-{direction.id}.xlsx"] = _xlsx([(direction.short_title, scores_frame(ds, direction))])
    files["downloads/template-monitoring.xlsx"] = _xlsx([("Мониторинг", scores_frame(ds, None))])
    files["downloads/statuses.xlsx"] = _xlsx([("Статус муниципалитетов", status_frame(ds))])
    files["downloads/template-statuses.xlsx"] = _xlsx([("Статус муниципалитетов", status_frame(None))])
    return files
