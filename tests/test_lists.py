"""Long lists (schools, documents, link checks) continue on pages of whole municipalities; the list of
municipalities itself continues alphabetically."""

from __future__ import annotations

import re

import pytest
from amp import paging
from amp.pages import render_pages
from amp.paging import split


def test_municipalities_stay_whole_and_a_large_one_continues():
    groups = [("a", [1, 2]), ("b", [3, 4, 5]), ("c", list(range(6, 14))), ("d", [14])]
    pages = split(groups, limit=4)
    shape = [[(s.municipality, s.rows, s.continued) for s in page] for page in pages]
    assert shape == [
        [("a", [1, 2], False)],
        [("b", [3, 4, 5], False)],
        [("c", [6, 7, 8, 9], False)],
        [("c", [10, 11, 12, 13], True)],
        [("d", [14], False)],
    ]
    assert split([], limit=4) == [[]]
    assert [len(p) for p in split([("a", [1]), ("b", [2]), ("c", [3])], limit=4)] == [3]


@pytest.fixture(scope="module")
def paged_pages(seed_dataset):
    dataset, problems = seed_dataset
    saved = paging.ROWS_PER_PAGE
    paging.ROWS_PER_PAGE = 3
    try:
        pages = render_pages(dataset, problems)
    finally:
        paging.ROWS_PER_PAGE = saved
    return dataset, pages


def test_schools_list_is_split_with_every_school_once(paged_pages):
    dataset, pages = paged_pages
    numbered = sorted((path for path in pages if path.startswith("lists/schools/")),
                      key=lambda path: int(path.split("/")[-1].removesuffix(".md")))
    assert len(numbered) >= 5
    listed = []
    for path in numbered:
        rows = re.findall(r"^\| \[[^\]]+\]\(\.\./\.\./schools/([a-z0-9-]+)\.md\)", pages[path], re.M)
        assert 0 < len(rows) <= 3
        listed += rows
    assert sorted(listed) == sorted(dataset.schools)
    index = pages["schools/index.md"]
    for number, path in enumerate(numbered, start=1):
        assert f"[Страница {number}](../{path})" in index
    assert "| Школа | Муниципалитет |" not in index  # the table moved to the numbered pages
    second = pages["lists/schools/2.md"]
    assert "[← Страница 1](../../lists/schools/1.md)" in second and "[Страница 3 →](../../lists/schools/3.md)" in second


def test_link_checks_and_documents_are_split_too(paged_pages):
    _, pages = paged_pages
    assert any(path.startswith("lists/links/") for path in pages)
    assert any(path.startswith("lists/documents/") for path in pages)
    assert "](lists/links/1.md)" in pages["links.md"]
    assert "](lists/documents/1.md)" in pages["materials.md"]


def test_municipalities_are_split_alphabetically_with_every_one_once(paged_pages):
    dataset, pages = paged_pages
    numbered = sorted((path for path in pages if path.startswith("lists/municipalities/")),
                      key=lambda path: int(path.split("/")[-1].removesuffix(".md")))
    assert len(numbered) == -(-len(dataset.municipalities) // 3)
    listed = []
    for path in numbered:
        rows = re.findall(r"^\| \[[^\]]+\]\(\.\./\.\./municipalities/([a-z0-9-]+)\.md\)", pages[path], re.M)
        assert 0 < len(rows) <= 3
        listed += rows
    by_name = sorted(dataset.municipalities.values(), key=lambda m: (m.name, m.id))
    assert listed == [m.id for m in by_name]
    index = pages["municipalities/index.md"]
    assert "| Муниципалитет |" not in index and "[Страница 1](../lists/municipalities/1.md)" in index
    assert f"Страница 1 из {len(numbered)} списка муниципалитетов" in pages["lists/municipalities/1.md"]


def test_long_groups_link_to_the_school_filter(paged_pages):
    _, pages = paged_pages
    groups = pages["programme/groups.md"]
    assert "(../schools/index.md?group=1#filter)" in groups
    assert "| № | Школа |" not in groups


def test_a_short_list_stays_on_its_page(seed_dataset):
    dataset, problems = seed_dataset
    pages = render_pages(dataset, problems)
    assert not any(path.startswith("lists/") for path in pages)
    assert "| Школа | Муниципалитет |" in pages["schools/index.md"]
    assert "| Муниципалитет |" in pages["municipalities/index.md"]
    assert "| № | Школа |" in pages["programme/groups.md"]
