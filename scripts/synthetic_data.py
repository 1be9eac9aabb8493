"""Синтетический набор данных в схеме проекта — для замеров скорости и проверки сайта на большом объёме.

    python scripts/synthetic_data.py --schools 10000 --out /tmp/data-10k [--seed 1] [--force]

Пишет папку, которую принимает проверка (`scripts/validate.py --data ПАПКА`) и сборка
(`make site DATA=ПАПКА`): школы с русскими названиями в муниципалитетах разного размера (города
крупнее сёл), три группы программы разных лет, уровни и баллы мониторинга, ссылки на документы
с историей проверок и местами «нет данных». Тексты программы, дорожных карт и матрицы берутся из
настоящих данных (--base, по умолчанию data/). Одинаковые параметры всегда дают одинаковые файлы.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from amp.rules import id_skeleton  # noqa: E402

# About 10 000 schools of a country's programme sit in ~2 300 municipalities.
MUNICIPALITIES_PER_SCHOOL = 0.23
# Monitoring of municipal roadmaps covers a sample of municipalities, as the regional seed does.
MONITORED_SHARE = 0.5
MONITORED_MAX = 300

REGIONS = [
    "Пензенская область", "Тамбовская область", "Саратовская область", "Ульяновская область",
    "Самарская область", "Рязанская область", "Воронежская область", "Липецкая область",
    "Курская область", "Орловская область", "Брянская область", "Калужская область",
    "Тульская область", "Владимирская область", "Ивановская область", "Костромская область",
    "Ярославская область", "Тверская область", "Смоленская область", "Новгородская область",
    "Псковская область", "Вологодская область", "Кировская область", "Нижегородская область",
    "Республика Мордовия", "Чувашская Республика", "Республика Марий Эл", "Республика Татарстан",
    "Оренбургская область", "Волгоградская область", "Астраханская область", "Ростовская область",
    "Белгородская область", "Курганская область", "Омская область", "Новосибирская область",
    "Томская область", "Кемеровская область", "Алтайский край", "Красноярский край",
    "Иркутская область", "Амурская область", "Хабаровский край", "Приморский край",
]

# Place-name roots and how a town, its genitive and its district are formed from them.
ROOTS = [
    "Камен", "Берез", "Сосн", "Дубр", "Никол", "Покр", "Троиц", "Михайл", "Петр", "Иван", "Алексеев",
    "Богород", "Вознесен", "Воскресен", "Знамен", "Успен", "Спас", "Преображен", "Рождеств",
    "Красн", "Бел", "Черн", "Зелен", "Луг", "Пол", "Озер", "Реч", "Ключ", "Родник", "Бор", "Лес",
    "Гор", "Холм", "Дол", "Яр", "Овраж", "Липов", "Кленов", "Ольх", "Осин", "Рябин", "Калин",
    "Малин", "Вишн", "Яблон", "Груш", "Орех", "Ржан", "Пшен", "Овс", "Греч", "Медв", "Волч",
    "Лис", "Зайц", "Орл", "Сокол", "Ястреб", "Журавл", "Лебед", "Гус", "Утк", "Скворц",
    "Голуб", "Ворон", "Сорок", "Кукушк", "Мокш", "Сур", "Вад", "Хопр", "Вор", "Ломов",
    "Наровчат", "Керен", "Инсар", "Пичур", "Ардым", "Кадош", "Кузнец", "Шемыш", "Тамал",
]
TOWN_FORMS = [  # (town, genitive, district adjective) endings
    ("ка", "ки", "ский"),
    ("ово", "ова", "овский"),
    ("ино", "ина", "инский"),
    ("ск", "ска", "ский"),
]
VILLAGE_FORMS = ["овка", "ино", "ское", "ево", "ки", "ская Поляна", "ский Ключ", "ово-Полье", "ищи", "овый Яр"]
VILLAGE_KINDS = ["с.", "с.", "с.", "д.", "п.", "р.п."]

SCHOOL_TYPES = [  # (share, short, full, slug)
    (70, "СОШ", "средняя общеобразовательная школа", "sosh"),
    (14, "ООШ", "основная общеобразовательная школа", "oosh"),
    (5, "НОШ", "начальная общеобразовательная школа", "nosh"),
    (4, "Лицей", "лицей", "licey"),
    (4, "Гимназия", "гимназия", "gimnaziya"),
    (2, "ЦО", "центр образования", "co"),
    (1, "ОШИ", "общеобразовательная школа-интернат", "oshi"),
]
OWNERS = ["МБОУ", "МОУ", "МКОУ", "МАОУ", "МОБУ"]
DOCUMENT_KINDS = [
    ("страница проекта", "Страница проекта «500+» на сайте школы"),
    ("программа развития", "Программа развития школы"),
    ("антирисковая программа", "Антирисковая программа «Низкая учебная мотивация обучающихся»"),
    ("дорожная карта", "Дорожная карта реализации антирисковых программ"),
    ("новости и мероприятия", "Новости о мероприятиях проекта"),
    ("банк методических материалов", "Методические материалы для педагогов"),
    ("иной документ", "Отчёт о самообследовании"),
]
HOSTS = ["edu-penza.ru", "ucoz.ru", "edusite.ru", "gosuslugi.ru", "obr.ru"]

TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))


def slug(text: str) -> str:
    out = "".join(TRANSLIT.get(ch, ch) for ch in text.lower())
    out = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in out)
    return "-".join(part for part in out.split("-") if part)


@dataclass
class Place:
    town: str  # Каменка
    genitive: str  # Каменки
    district: str  # Каменский


@dataclass
class Municipality:
    id: str
    name: str
    kind: str
    place: Place
    region: str
    weight: float
    schools: list = field(default_factory=list)
    documents: list = field(default_factory=list)


class Ids:
    """Unique ids that the validator cannot mistake for one another (no look-alikes)."""

    def __init__(self):
        self.skeletons: set[str] = set()

    def take(self, base: str) -> str:
        candidate, number = base, 2
        while id_skeleton(candidate) in self.skeletons or candidate == "index":
            candidate, number = f"{base}-{number}", number + 1
        self.skeletons.add(id_skeleton(candidate))
        return candidate


def places(rng: random.Random) -> list[Place]:
    found = [Place(root + town, root + gen, root + adj) for root in ROOTS for town, gen, adj in TOWN_FORMS]
    rng.shuffle(found)
    return found


def make_municipalities(rng: random.Random, count: int) -> list[Municipality]:
    pool = places(rng)
    ids = Ids()
    found = []
    for index in range(count):
        place = pool[index % len(pool)]
        region = REGIONS[(index // len(pool) + index) % len(REGIONS)] if index >= len(pool) else None
        city = rng.random() < 0.1
        if city:
            name, kind, weight = f"г. {place.town}", "городской округ", rng.uniform(6, 20)
        else:
            name, kind, weight = f"{place.district} район", "муниципальный район", rng.uniform(0.5, 4)
        if region:  # the same name in another region
            name = f"{name} ({region})"
        base = slug(place.town if city else place.district) + (f"-{REGIONS.index(region) + 1}" if region else "")
        found.append(Municipality(ids.take(base), name, kind, place, region or REGIONS[0], weight))
    return found


def village(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(ROOTS) + rng.choice(VILLAGE_FORMS)
        if name not in used:
            used.add(name)
            return name


def source(section: str, file: str = "000_bbdc31cefbec1c73.txt") -> dict:
    return {"file": file, "section": section}


def document(rng: random.Random, doc_id: str, host: str, path_id: str) -> dict:
    kind, title = rng.choice(DOCUMENT_KINDS)
    url = f"https://{host}/{path_id}/{slug(kind)}"
    if rng.random() < 0.05:
        url += "/Программа развития.pdf"  # schools publish raw spaces and Cyrillic
    return {"id": doc_id, "kind": kind, "title": title, "url": url, "source": source("Ссылки на документы школ")}


def make_schools(rng: random.Random, count: int, municipalities: list[Municipality]) -> list[dict]:
    weights = [m.weight for m in municipalities]
    owners = rng.choices(municipalities, weights=weights, k=count)
    ids = Ids()
    schools = []
    numbers: dict[str, int] = {}
    villages: dict[str, set] = {}
    type_weights = [t[0] for t in SCHOOL_TYPES]
    for owner in owners:
        _, short_type, full_type, type_slug = rng.choices(SCHOOL_TYPES, weights=type_weights)[0]
        place = owner.place
        in_centre = owner.kind == "городской округ" or rng.random() < 0.15
        if in_centre:
            numbers[owner.id] = numbers.get(owner.id, 0) + rng.randint(1, 3)
            number = numbers[owner.id]
            where = f"г. {place.genitive}"
            short = f"{short_type} № {number} {where}"
            base = f"{slug(place.town)}-{type_slug}-{number}"
        else:
            name = village(rng, villages.setdefault(owner.id, set()))
            where = f"{rng.choice(VILLAGE_KINDS)} {name}"
            short = f"{short_type} {where}"
            base = f"{slug(name)}-{type_slug}"
        owner_form = rng.choice(OWNERS)
        long_where = where if owner.kind == "городской округ" else f"{where} {place.district[:-2]}ого района"
        full = f"{owner_form} {full_type} {short[len(short_type) + 1:].replace(where, long_where)}"
        if rng.random() < 0.3:
            full = full.replace(owner_form, "Муниципальное бюджетное общеобразовательное учреждение", 1)
        school_id = ids.take(base if owner.region == REGIONS[0] else f"{base}-{slug(owner.id)}")
        if rng.random() < 0.03:
            municipality, basis = None, None
        elif in_centre and owner.kind != "городской округ":
            municipality, basis = owner.id, "районный центр"
        else:
            municipality, basis = owner.id, rng.choice(["указан в названии школы", "указан в источнике"])
        school = {
            "id": school_id, "name": full, "short_name": short, "municipality": municipality,
            "municipality_basis": basis, "participations": [], "documents": [],
        }
        host = rng.choice(HOSTS)
        for index in range(rng.choice([0, 0, 1, 1, 2, 3])):
            school["documents"].append(document(rng, f"doc-{index + 1}", f"{school_id}.{host}", f"p{index + 1}"))
        if rng.random() < 0.04:
            school["note"] = "Школа реорганизована; сведения — по документу проекта до реорганизации."
        schools.append(school)
        if municipality:
            owner.schools.append(school)
    return schools


def assign_groups(rng: random.Random, schools: list[dict]) -> dict[int, int]:
    """Each school in one group (a few in two); numbers are list positions within a group."""
    counts = {1: 0, 2: 0, 3: 0}
    sections = {
        1: "Образовательные организации «Равенство образовательных возможностей» (группа 1)",
        2: "17 ОО проекта «500+» 2021 года (группа 2)",
        3: "ОО проекта «500+» 2022 года (группа 3); таблица «Уровень неуспешности — Наличие трудностей»",
    }
    for school in schools:
        first = rng.choices([1, 2, 3], weights=[30, 35, 35])[0]
        groups = [first]
        if rng.random() < 0.05:
            groups.append(rng.choice([g for g in (1, 2, 3) if g != first]))
        for group in sorted(groups):
            counts[group] += 1
            level = rng.choices([1, 2, 3, None], weights=[30, 35, 25, 10])[0]
            school["participations"].append({
                "group": group, "number": counts[group], "level": level,
                "difficulties": rng.choice(["1", "2", "2", None]) if group == 3 else None,
                "name_in_source": school["name"], "source": source(sections[group]),
            })
    return counts


def municipality_record(rng: random.Random, m: Municipality, row: int) -> dict:
    listed = rng.random() < 0.8
    record = {
        "id": m.id, "name": m.name, "kind": m.kind, "listed_in_seed": listed,
        "status": None, "monitoring_marks": None, "documents": m.documents,
        "source": source("Таблицы статуса муниципалитетов и мониторинга"),
    }
    if listed:
        def mark():
            return rng.choice([True, True, False, None])
        record["status"] = {
            "row": row, "name_in_source": m.place.district if m.kind != "городской округ" else m.place.town,
            "survey_500plus_2022": mark(), "documents_500plus_2021": mark(), "documents_ravenstvo": mark(),
            "municipal_roadmap": mark(), "source": source("Таблица статуса муниципалитетов"),
        }
        if rng.random() < 0.5:
            record["monitoring_marks"] = {
                "name_in_source": record["status"]["name_in_source"], "shnro": mark(), "plus500": mark(),
                "name_format": ["полужирный"] if rng.random() < 0.1 else [], "source": source("Таблица «Район (город) — ШНРО — 500+»"),
            }
    return record


def monitoring(rng: random.Random, base: dict, municipalities: list[Municipality], marks_rows: int) -> dict:
    data = copy.deepcopy(base)
    criteria = {c["id"]: c["max_points"] for c in data["criteria"]}
    sample_size = min(MONITORED_MAX, max(1, round(len(municipalities) * MONITORED_SHARE)))
    for direction in data["directions"]:
        chosen = sorted(rng.sample(municipalities, sample_size), key=lambda m: m.name)
        rows = []
        for m in chosen:
            empty = rng.random() < 0.1
            scores = {c: (None if empty or rng.random() < 0.05 else rng.randint(0, top)) for c, top in criteria.items()}
            known = [v for v in scores.values() if v is not None]
            total = sum(known) if known else None
            if total is not None and rng.random() < 0.02:
                total += 1  # the document's own arithmetic slip, kept as stated (a warning)
            rows.append({"municipality": m.id, "name_in_source": m.name, "scores": scores, "stated_total": total})
        direction["rows"] = rows

        def actual(claim):
            if claim["count"] == "rows":
                return len(rows)
            if claim["count"] == "marks_rows":
                return marks_rows
            if claim["count"] == "rows_with_data":
                return sum(1 for r in rows if any(v is not None for v in r["scores"].values()) or r["stated_total"] is not None)
            return sum(1 for r in rows if (r["scores"].get(claim["criterion"]) or 0) > 0)

        for claim in direction["intro_claims"]:
            claim["stated"] = actual(claim)
        for finding in direction["findings"]:
            for claim in finding.get("claims", []):
                claim["stated"] = actual(claim)
            criterion = finding.get("criterion")
            fit = [r["municipality"] for r in rows if criterion is None or (r["scores"].get(criterion) or 0) > 0]
            finding["municipalities"] = fit[:3] if finding.get("municipalities") else []
    return data


def report(rng: random.Random, base: dict, m: Municipality, year: int) -> dict | None:
    schools = [s for s in m.schools if s["documents"]]
    if len(schools) < 3 or not m.documents:
        return None
    data = copy.deepcopy(base)
    participants = schools[: min(6, len(schools) - 1)]
    curators = [s for s in m.schools if s not in participants][: len(participants)]
    data["id"] = f"{m.id}-{year}"
    data["municipality"] = m.id
    data["year"] = year
    data["author"] = {"name": "Иванова Е. П.", "position": f"методист управления образования ({m.name})"}
    data["organisations"] = [f"Управление образования ({m.name})"]
    data["participants"] = [s["id"] for s in participants]
    data["participants_text"] = "Участники проекта: " + ", ".join(s["short_name"] for s in participants)
    data["curator_pairs"] = [
        {"curator": c["id"], "school": s["id"], "curator_name_in_source": c["short_name"],
         "school_name_in_source": s["short_name"]}
        for c, s in zip(curators, participants)
    ]
    data["links"] = [{"title_in_source": "Управление образования", "municipality": m.id, "document": m.documents[0]["id"]}]
    data["links"] += [{"title_in_source": s["short_name"], "school": s["id"], "document": s["documents"][0]["id"]}
                      for s in participants]
    data["materials_bank"]["municipality"] = m.id
    data["materials_bank"]["document"] = m.documents[-1]["id"]
    return data


def link_status(rng: random.Random, urls: list[str]) -> dict:
    day = dt.date(2026, 11, 1)
    links = {}
    for url in urls:
        if rng.random() < 0.4:
            continue  # not checked yet
        verdict = rng.choices(["ok", "warning", "broken"], weights=[80, 12, 8])[0]
        failing = verdict != "ok"
        links[url] = {
            "verdict": verdict, "last_verdict": verdict,
            "reason": {"ok": "документ открывается", "warning": "сайт не пускает программу проверки (ошибка 403)",
                       "broken": "страница не найдена (404)"}[verdict],
            "http_status": {"ok": 200, "warning": 403, "broken": 404}[verdict],
            "last_checked": day.isoformat(), "last_ok": None if failing else day.isoformat(),
            "failing_since": (day - dt.timedelta(days=3)).isoformat() if failing else None,
            "consecutive_failures": 2 if verdict == "broken" else (1 if failing else 0),
        }
    return {"links": dict(sorted(links.items()))}


def dump(path: Path, record: dict) -> None:
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def generate(schools_count: int, out: Path, base: Path, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    load = lambda name: yaml.safe_load((base / name).read_text(encoding="utf-8"))  # noqa: E731
    municipalities = make_municipalities(rng, max(3, round(schools_count * MUNICIPALITIES_PER_SCHOOL)))
    for m in municipalities:
        if rng.random() < 0.5:
            host = f"{slug(m.id)}.obr.ru"
            m.documents = [document(rng, "roo-page", host, "proekt"), document(rng, "materials-bank", host, "bank")]
    schools = make_schools(rng, schools_count, municipalities)
    counts = assign_groups(rng, schools)

    for folder in ("schools", "municipalities", "reports"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for name in ("sources.yaml", "roadmaps.yaml", "tools_matrix.yaml"):
        shutil.copy(base / name, out / name)

    programme = load("programme.yaml")
    for group in programme["groups"]:
        group["stated_count"] = counts[group["number"]]
        # «21 ОО проекта …»: the title starts with the number of schools.
        group["title"] = f"{counts[group['number']]} {group['title'].split(' ', 1)[1]}"
    dump(out / "programme.yaml", programme)

    records = [municipality_record(rng, m, row) for row, m in enumerate(municipalities, start=1)]
    for record in records:
        dump(out / "municipalities" / f"{record['id']}.yaml", record)
    marks_rows = sum(1 for r in records if r["monitoring_marks"] is not None)
    dump(out / "monitoring.yaml", monitoring(rng, load("monitoring.yaml"), municipalities, marks_rows))
    for school in schools:
        dump(out / "schools" / f"{school['id']}.yaml", school)

    base_report = load("reports/penza-2025.yaml")
    largest = sorted(municipalities, key=lambda m: (-len(m.schools), m.id))
    made = 0
    for m in largest[: max(1, schools_count // 2500)]:
        found = report(rng, base_report, m, 2025)
        if found:
            dump(out / "reports" / f"{found['id']}.yaml", found)
            made += 1

    urls = sorted({d["url"] for s in schools for d in s["documents"]} | {d["url"] for m in municipalities for d in m.documents})
    dump(out / "link_status.yaml", link_status(rng, urls))
    return {"schools": len(schools), "municipalities": len(municipalities), "reports": made, "documents": len(urls)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Синтетический набор данных в схеме проекта")
    parser.add_argument("--schools", type=int, required=True, help="сколько школ создать")
    parser.add_argument("--out", type=Path, required=True, help="папка для данных (создаётся)")
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора (по умолчанию 1)")
    parser.add_argument("--base", type=Path, default=ROOT / "data",
                        help="откуда взять тексты программы, мониторинга и отчёта (по умолчанию data/)")
    parser.add_argument("--force", action="store_true", help="заменить папку, если она уже есть")
    args = parser.parse_args(argv)
    if args.schools < 1:
        parser.error("--schools: нужно хотя бы 1")
    if args.out.exists() and any(args.out.iterdir()):
        if not args.force:
            parser.error(f"папка {args.out} не пуста (добавьте --force, чтобы заменить её)")
        shutil.rmtree(args.out)
    made = generate(args.schools, args.out, args.base, args.seed)
    print(f"Создано в {args.out}: школ — {made['schools']}, муниципалитетов — {made['municipalities']}, "
          f"отчётов — {made['reports']}, ссылок на документы — {made['documents']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
