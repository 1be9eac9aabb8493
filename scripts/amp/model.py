"""The data model: one set of types for the validator, the generator, the link checker and the tests.

Every file in data/ maps to one model below (see FILES). `None` always means «нет данных» — the
seed is silent — and is never turned into 0 or an empty string. Fields without a default are
required even when they may be null: a coordinator writes `level: null` on purpose, so a missing
key is a mistake, not a way of saying «unknown».
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Annotated, Literal

from linkcheck.history import entry_reason
from linkcheck.result import BROKEN, OK, WARNING
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

# The link checker's verdict words: one vocabulary, defined by the checker.
Verdict = Literal[OK, WARNING, BROKEN]  # type: ignore[valid-type]

# A slug: lower-case Latin letters, digits and hyphens. Used in file names and page addresses.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# Free text. Invisible characters and words mixing Latin and Cyrillic letters are refused by
# textcheck.text_problems for data files only (not here: link_status.yaml, which the link checker
# writes from what websites answer, uses this type too and must stay readable).
Text = Annotated[str, StringConstraints(min_length=1)]
# http(s) address; the path may hold raw spaces and Cyrillic (the link checker encodes them),
# but not leading/trailing blanks or line breaks. rules._url_error refuses the rest: user names and
# passwords, more than 2 000 characters, invalid host names, invisible characters, and | < > " ` \ { } ^
# and [ ] (outside an IPv6 host), which must be percent-encoded.
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/?#]+(?:[/?#](?:[^\t\r\n]*[^\s])?)?$")]



# ---------------------------------------------------------------------------------------------
# Enumerated values as a person types them. One normaliser serves the validator (YAML in data/)
# and the spreadsheet importer: letter case, spacing, «ё», and the documents' spelling of a coded
# value with or without its code («2», «2 Умеренно неуспевающие», «Умеренно неуспевающие»).


def spelling_key(text: str) -> str:
    """«  Антирисковая  Программа.» and «антирисковая программа» are one spelling."""
    return " ".join(text.lower().replace("ё", "е").split()).strip(" .")


def coded(value: object, codes: dict) -> tuple[object, bool]:
    """The canonical value a typed value means, among `codes` (canonical value → its name in the
    documents, or None), and whether it was ambiguous. Returns (value, False) unchanged when it
    means none of them (the caller reports it, listing what is accepted)."""
    if type(value) not in (str, int, float):  # a date, a list, true: nothing a code is typed as
        return value, False
    if value in codes and type(value) in {type(code) for code in codes}:
        return value, False
    text = spelling_key(str(value))
    named = {code: spelling_key(label) for code, label in codes.items() if label}
    plain = {spelling_key(str(code)): code for code in codes}
    if text in plain:
        return plain[text], False
    found = re.fullmatch(r"(\d+)(?:[.,]0+)?(?:\s*[-–—.:)]?\s*([^\W\d].*))?", text)
    if found:
        code = plain.get(found[1])
        if code is not None and (found[2] is None or named.get(code) == found[2]):
            return code, False
        return value, code is not None and found[2] is not None
    words = set(text.split())
    matches = [code for code, label in named.items() if words and words <= set(label.split())]
    if len(matches) == 1:
        return matches[0], False
    return value, len(matches) > 1


def accepted_spellings(codes: dict) -> list[str]:
    """What `coded` accepts, as a message lists it."""
    shown = [f"«{code}»" for code in codes]
    shown += [f"«{code} {label}»" for code, label in codes.items() if label and not isinstance(code, str)]
    shown += [f"«{label}»" for code, label in codes.items() if label and not isinstance(code, str)]
    return shown


def _typed(options: typing.Any, names: dict | None = None):
    """A Literal type that also accepts what a person types for it (names: the codes' names)."""
    codes = {code: (names or {}).get(code) for code in typing.get_args(options)}
    return Annotated[options, BeforeValidator(lambda value: coded(value, codes)[0])]


# The levels of low performance as the programme's document names them (programme.yaml repeats
# them for the pages; a level written with its name in data/ is read by these).
LEVEL_NAMES = {1: "Базово неуспевающие", 2: "Умеренно неуспевающие", 3: "Сильно неуспевающие"}
LevelCode = _typed(Literal[1, 2, 3], LEVEL_NAMES)

class Record(BaseModel):
    """Base of every record: unknown fields are errors (a typo like `munisipality:` must not pass)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(Record):
    """Where a fact comes from: the seed file (by name) and its section."""

    file: Text
    section: Text


class DateRef(Record):
    """A date or period as the seed writes it, plus its reading.

    `text` is verbatim («25.04-01.06», «21.06. 2021»); `start`/`end` are what it means when that
    can be read without guessing (a day without a year stays null).
    """

    text: Text
    start: dt.date | None
    end: dt.date | None = None


class Period(Record):
    start: dt.date
    end: dt.date


# ---------------------------------------------------------------------------------------------
# data/programme.yaml


class Role(Record):
    id: Slug
    number: int
    title: Text


class Project(Record):
    id: Slug
    title: Text
    level: _typed(Literal["региональный", "федеральный"])


class Level(Record):
    id: Literal[1, 2, 3]
    title: Text


class Contact(Record):
    """Whom to ask: an organisation and its site, only as a source gives them.

    `derived_by_site`: no document gives the address as the organisation's site; the site took it
    from the addresses of the organisation's documents (the host), and every page says so."""

    name: Text
    url: Url | None = None
    derived_by_site: bool = False
    source: Source


class Group(Record):
    number: Literal[1, 2, 3]
    project: Slug
    year: int | None
    title: Text
    stated_count: int
    tasks: list[Text]
    deadlines_schools: list[DateRef]
    deadlines_authorities: list[DateRef]
    source: Source


class Programme(Record):
    title: Text
    subtitle: Text
    goal: Text
    period: Period
    period_text: Text
    roles: list[Role]
    projects: list[Project]
    levels: list[Level]
    difficulties_note: Text
    groups: list[Group]
    # The programme's regional coordinator (operator) as the documents name it; null: they name only the role.
    coordinator: Contact | None = None
    source: Source


# ---------------------------------------------------------------------------------------------
# data/schools/<id>.yaml

DocumentKind = _typed(Literal[
    "страница проекта",
    "программа развития",
    "антирисковая программа",
    "дорожная карта",
    "новости и мероприятия",
    "банк методических материалов",
    "иной документ",
])


class Document(Record):
    """A document or page a school or municipality publishes; every URL here is link-checked."""

    id: Slug
    kind: DocumentKind
    title: Text
    url: Url
    source: Source


class GroupParticipation(Record):
    group: _typed(Literal[1, 2, 3])
    number: int = Field(ge=1)
    level: LevelCode | None
    difficulties: _typed(Literal["1", "2"]) | None
    name_in_source: Text
    source: Source


# «районный центр» and «населённый пункт по ОКТМО» are the site's own findings (pages.INFERRED_BASES):
# no document of the project names the municipality, and every page showing it says so.
MunicipalityBasis = _typed(Literal["указан в названии школы", "районный центр", "указан в источнике",
                                   "населённый пункт по ОКТМО"])
# An OKTMO code of a settlement as the classifier prints it: «56 640 402 101».
OktmoCode = Annotated[str, StringConstraints(pattern=r"^\d{2} \d{3} \d{3} \d{3}$")]


class School(Record):
    id: Slug
    name: Text
    short_name: Text
    municipality: Slug | None
    municipality_basis: MunicipalityBasis | None
    # Where the municipality comes from when no project document names it (basis «населённый пункт по
    # ОКТМО»): the outside source, and the settlement's code in it.
    municipality_source: Source | None = None
    oktmo: OktmoCode | None = None
    participations: list[GroupParticipation]
    documents: list[Document]
    # The school's own site; empty: no source gives it («нет данных»).
    contacts: list[Contact] = []
    note: Text | None = None


# ---------------------------------------------------------------------------------------------
# data/municipalities/<id>.yaml


class StatusRow(Record):
    """A row of the seed's status table (+ yes, — no, empty cell: null)."""

    row: int = Field(ge=1)
    name_in_source: Text
    survey_500plus_2022: bool | None
    documents_500plus_2021: bool | None
    documents_ravenstvo: bool | None
    municipal_roadmap: bool | None
    source: Source


# How a document sets a municipality's name apart in a table (it never says why): kept because the
# emphasis is part of what the table says, and shown the same way on every table.
NameFormat = Literal["полужирный", "подчёркнутый"]


class MonitoringMarks(Record):
    """A row of the table «Район (город) — ШНРО — 500+» (the seed does not explain the marks)."""

    name_in_source: Text
    shnro: bool | None
    plus500: bool | None
    name_format: list[NameFormat] = []
    source: Source


class Municipality(Record):
    id: Slug
    name: Text
    kind: _typed(Literal["городской округ", "муниципальный район"])
    listed_in_seed: bool
    status: StatusRow | None
    monitoring_marks: MonitoringMarks | None
    documents: list[Document]
    # The municipal education office (and its site) as a source names it; empty: «нет данных».
    contacts: list[Contact] = []
    source: Source


# ---------------------------------------------------------------------------------------------
# data/monitoring.yaml

CriterionId = Literal["roadmap", "events_match", "methodical_events", "results_monitoring", "recommendations", "information"]


class Criterion(Record):
    id: CriterionId
    number: int
    title: Text
    max_points: int = Field(ge=1)
    scale_text: Text


class Zone(Record):
    title: Text
    min_points: int = Field(ge=0)
    max_points: int = Field(ge=0)
    colour: _typed(Literal["red", "yellow", "green"])


class ScoreRow(Record):
    municipality: Slug
    name_in_source: Text
    name_format: list[NameFormat] = []
    scores: dict[CriterionId, int | None]
    stated_total: int | None


class CountClaim(Record):
    """A number the seed states about the table, re-counted by the validator."""

    text: Text
    stated: int
    # rows: rows in the direction's table; rows_with_data: rows with at least one score;
    # criterion_positive: rows scoring above 0 on `criterion`; marks_rows: rows of the marks table.
    count: Literal["rows", "rows_with_data", "criterion_positive", "marks_rows"]
    criterion: CriterionId | None = None


class Finding(Record):
    text: Text
    municipalities: list[Slug] = []
    claims: list[CountClaim] = []
    # The finding says the listed municipalities did what this criterion measures: a blank or zero
    # cell for one of them is a contradiction inside the document, listed on «Качество данных».
    criterion: CriterionId | None = None


class Direction(Record):
    id: Slug
    short_title: Text
    title: Text
    table_heading: Text
    column_titles: dict[CriterionId, Text]
    column_scales: dict[CriterionId, Text | None]
    stated_max_total: int
    rows: list[ScoreRow]
    findings_intro: Text
    intro_claims: list[CountClaim]
    findings: list[Finding]
    problems: list[Text]
    source: Source


class Seminar(Record):
    date: DateRef
    text: Text
    recommendations: list[Text]
    source: Source


class Monitoring(Record):
    title: Text
    marks_heading: Text
    criteria_heading: Text
    criteria: list[Criterion]
    zones: list[Zone]
    zones_note: Text
    directions: list[Direction]
    factors: list[Text]
    seminar: Seminar
    source: Source


# ---------------------------------------------------------------------------------------------
# data/roadmaps.yaml


class FederalStep(Record):
    date: DateRef
    event: Text
    note: Text | None


class TemplateField(Record):
    name: Text
    explanation: Text


class Roadmaps(Record):
    design_recommendations_title: Text
    design_recommendations: list[Text]
    template_columns: list[Text]
    template_fields: list[TemplateField]
    federal: list[FederalStep]
    federal_source: Source
    source: Source


# ---------------------------------------------------------------------------------------------
# data/tools_matrix.yaml


class ToolsMatrix(Record):
    title: Text
    tools: list[Text]
    risks: list[Text]
    # cells[risk][tool] — the seed leaves every cell empty, so this stays {} until someone fills it.
    cells: dict[str, dict[str, Text]]
    source: Source


# ---------------------------------------------------------------------------------------------
# data/reports/<id>.yaml (the city of Penza 2025 report)


class Person(Record):
    name: Text
    position: Text


class CuratorPair(Record):
    curator: Slug
    school: Slug
    curator_name_in_source: Text
    school_name_in_source: Text


class Event(Record):
    number: int
    kind: Text | None
    title: Text


class Order(Record):
    issuer: Text
    number: Text
    date: DateRef


class LinkRef(Record):
    """A link the report names, kept with its owner: a school's or a municipality's document."""

    title_in_source: Text
    school: Slug | None = None
    municipality: Slug | None = None
    document: Slug


class Material(Record):
    title: Text
    url: Url | None


class MaterialsBank(Record):
    intro: Text
    municipality: Slug
    document: Slug
    items: list[Material]


class Report(Record):
    id: Slug
    title: Text
    year: int
    period: Period
    municipality: Slug
    project: Slug
    organisations: list[Text]
    author: Person
    participants: list[Slug]
    participants_text: Text
    goal: Text
    directions: list[Text]
    diagnostics_intro: Text
    diagnostics: list[Text]
    professional_development_model: Text
    methodical_support: list[Text]
    curator_pairs: list[CuratorPair]
    events_intro: Text
    events: list[Event]
    plan_order: Order
    links: list[LinkRef]
    materials_bank: MaterialsBank
    results: list[Text]
    source: Source


# ---------------------------------------------------------------------------------------------
# data/sources.yaml


class SeedDocument(Record):
    file: Text
    title: Text
    description: Text
    # When the document was written, in words as it says it («Пенза 2025»); null: it does not say.
    date_text: Text | None = None
    # true: one of the project's own documents; false: a source from elsewhere, which the site
    # marks wherever a fact taken from it appears.
    project_document: bool


class Sources(Record):
    documents: list[SeedDocument]


# What lives where: single files and folders of one record per file.
SINGLE_FILES: dict[str, type[Record]] = {
    "sources.yaml": Sources,
    "programme.yaml": Programme,
    "monitoring.yaml": Monitoring,
    "roadmaps.yaml": Roadmaps,
    "tools_matrix.yaml": ToolsMatrix,
}
FOLDERS: dict[str, type[Record]] = {
    "schools": School,
    "municipalities": Municipality,
    "reports": Report,
}

# How a missing file or folder is described to a coordinator.
FILES_DESCRIPTION: dict[str, str] = {
    "sources.yaml": "перечень источников (data/sources.yaml)",
    "programme.yaml": "цель, сроки, участники и группы программы (data/programme.yaml)",
    "monitoring.yaml": "критерии и баллы мониторинга (data/monitoring.yaml)",
    "roadmaps.yaml": "шаблон и федеральная дорожная карта (data/roadmaps.yaml)",
    "tools_matrix.yaml": "матрица управленческих инструментов (data/tools_matrix.yaml)",
    "schools": "по одному файлу на школу (data/schools/<id>.yaml)",
    "municipalities": "по одному файлу на муниципалитет (data/municipalities/<id>.yaml)",
    "reports": "отчёты муниципалитетов (data/reports/<id>.yaml)",
}


# ---------------------------------------------------------------------------------------------
# data/link_status.yaml — written by scripts/check_links.py, read by the pages.


# What the link checker stores of what a server sent: a URL in printable ASCII (everything else
# percent-encoded), a host, or a word of the checker's vocabulary (reason codes, tls_expired).
CleanUrl = Annotated[str, StringConstraints(pattern=r"^https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$",
                                            max_length=2048)]
Token = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._\-:\[\]]{0,252}$")]
ParamName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,29}$")]


class LinkStatus(Record):
    """One link in data/link_status.yaml. The reason is a code of the checker's vocabulary and its
    parameters; the text is made from them when shown (`reason_text`), so no words a server sent are
    published. Files written before reason codes hold `reason`, a text; they are still read."""

    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)  # dates are written as strings

    verdict: Verdict
    last_verdict: Verdict
    reason: Text | None = None
    reason_code: Token | None = None
    reason_params: dict[ParamName, bool | int | float | CleanUrl | Token] = Field(default_factory=dict, max_length=20)
    http_status: int | None
    last_checked: dt.date
    last_ok: dt.date | None
    failing_since: dt.date | None
    consecutive_failures: int = Field(ge=0)
    permanent_redirect: CleanUrl | None = None

    @model_validator(mode="after")
    def _has_reason(self) -> "LinkStatus":
        if self.reason is None and self.reason_code is None:
            raise ValueError("нет причины: ожидалось поле reason_code (или reason в файлах прежнего вида)")
        return self

    def reason_text(self, url: str) -> str:
        """The Russian reason shown for ``url``: the checker's vocabulary, filled with the parameters."""
        return entry_reason({"verdict": self.verdict, "last_verdict": self.last_verdict, "reason": self.reason,
                             "reason_code": self.reason_code, "reason_params": self.reason_params}, url)


class LinkStatusFile(Record):
    links: dict[str, LinkStatus]


def nesting_depth(annotation) -> int:
    """How many mappings and lists deep a file of this model can nest: deeper input is refused
    before it is built (it can only be a mistake, and very deep nesting exhausts the parser)."""
    import types
    import typing

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return nesting_depth(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return max(nesting_depth(a) for a in typing.get_args(annotation))
    if origin in (list, dict):
        return 1 + max(nesting_depth(a) for a in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return 1 + max((nesting_depth(f.annotation) for f in annotation.model_fields.values()), default=0)
    return 0
