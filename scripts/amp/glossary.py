"""The abbreviations the site explains: one list for the tooltips on every page and the guide's table.

Most of them the two documents use without ever spelling out; their expansions are the site's and are
marked so wherever they are shown. `in_documents` names where a document itself spells one out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    abbreviation: str
    meaning: str
    in_documents: str | None = None  # where a project document spells it out; None: the site's expansion


TERMS: tuple[Term, ...] = (
    Term("ОО", "образовательная организация (школа)"),
    Term("МОУО", "муниципальный орган управления образованием"),
    Term("ШНРО", "школы с низкими результатами обучения", "в рекомендациях по дорожным картам («далее – ШНРО»)"),
    Term("ШНОР", "школы с низкими образовательными результатами"),
    Term("ШНО", "школы с низкими образовательными результатами"),
    Term("ШПРО", "так в документе; по смыслу — ШНРО, школы с низкими результатами обучения"),
    Term("ШФНСУ", "школы, функционирующие в неблагоприятных социальных условиях"),
    Term("ДК", "дорожная карта (план-график)", "в рекомендациях по дорожным картам («далее - ДК»)"),
    Term("ПДС", "постоянно действующий семинар"),
    Term("ФК", "так в федеральной дорожной карте («Проводится ФК»); в документе не расшифровано"),
    Term("МБОУ", "муниципальное бюджетное общеобразовательное учреждение"),
    Term("МОУ", "муниципальное общеобразовательное учреждение"),
    Term("МОБУ", "муниципальное общеобразовательное бюджетное учреждение"),
    Term("СОШ", "средняя общеобразовательная школа"),
    Term("ООШ", "основная общеобразовательная школа"),
    Term("ОШИ", "общеобразовательная школа-интернат"),
    Term("ЦО", "центр образования"),
    Term("МКУ", "муниципальное казённое учреждение", "в заголовке отчёта г. Пензы"),
    Term("ЦКО", "в названии МКУ «ЦКО и МОУО» г. Пензы: «Центр комплексного обслуживания и методологического "
                "обеспечения учреждений образования»", "в заголовке отчёта г. Пензы"),
    Term("ОГЭ", "основной государственный экзамен"),
    Term("ЕГЭ", "единый государственный экзамен"),
)

# The mark of an explanation no document gives: in the tooltip and in the guide's table.
SITE_MARK = "пояснение сайта, в документах проекта не раскрыто"
