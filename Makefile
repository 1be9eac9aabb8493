# Две команды для нового компьютера (Python 3.11+): `make site` и `make test`. См. README.md.
# Цели «фальшивые» (.PHONY): выполняются всегда, даже если папка site/ уже есть.

PYTHON ?= python3
# Папка с данными: `make site DATA=другая/папка` собирает сайт из неё (по умолчанию data/).
DATA ?= data
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test validate serve links benchmark benchmark-site clean venv schemas

# Виртуальное окружение ставится заново, только если изменились requirements.lock / requirements.txt.
$(STAMP): requirements.txt requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("Нужен Python 3.11 или новее, найден " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

venv: $(STAMP)

validate: $(STAMP)
	$(BIN)/python scripts/validate.py --data "$(DATA)"

# Сайт собирается во временную папку и только при успехе заменяет site/: полусобранного сайта не бывает.
# Данные читает и проверяет один раз сама сборка (scripts/hooks.py): печатает предупреждения, как
# make validate, и создаёт страницы в памяти (в docs/ ничего не пишется). Индекс поиска (Pagefind)
# строится после того, как MkDocs завершился: так они не занимают память одновременно.
site: $(STAMP)
	rm -rf site.tmp
	AMP_DATA="$(DATA)" AMP_SEARCH_INDEX=separate NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site.tmp
	$(BIN)/python scripts/search_index.py site.tmp
	rm -rf site
	mv site.tmp site
	@echo "Сайт собран в папку site/."

test: $(STAMP)
	$(BIN)/python -m pytest tests

# Страницы пересоздаются при каждом сохранении файла в data/ (scripts/hooks.py): перечитываются только
# изменённые файлы, а пересобираются только страницы, текст которых изменился (--dirty). После правки
# шаблонов темы (overrides/) перезапустите serve. Строгая проверка — в make site (--dirty всегда предупреждает).
serve: $(STAMP)
	AMP_DATA="$(DATA)" NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dirty --no-strict

# Схемы файлов данных для редакторов (.vscode/schemas/) — после изменения модели данных.
schemas: $(STAMP)
	$(BIN)/python scripts/editor_schemas.py

links: $(STAMP)
	$(BIN)/python scripts/check_links.py

benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark_links.py

# Сборка сайта на 100, 1 000 и 10 000 синтетических школ рядом с эталоном (несколько минут; см. README).
benchmark-site: $(STAMP)
	$(BIN)/python scripts/benchmark.py

# «Что изменилось» на синтетической истории из 1 000 коммитов рядом со сборкой без истории (см. README).
.PHONY: benchmark-history
benchmark-history: $(STAMP)
	$(BIN)/python scripts/benchmark_history.py

# Импорт таблицы группы в 5 000 школ и таблицы мониторинга рядом с голым openpyxl (около минуты; см. README).
.PHONY: benchmark-import
benchmark-import: $(STAMP)
	$(BIN)/python scripts/benchmark_import.py

# Lighthouse 12 (npm, Node 20) в Debian Chromium: шесть страниц сайта рядом с голым mkdocs + Material (см. README).
.PHONY: benchmark-lighthouse
benchmark-lighthouse: $(STAMP)
	$(BIN)/python scripts/benchmark_lighthouse.py

clean:
	rm -rf site site.tmp $(VENV)
