/* Поиск по сайту: индекс Pagefind (русская морфология, индекс частями) в поле поиска Material.
 *
 * Разметка — overrides/partials/site-search.html (классы поиска Material: вид, место в шапке и
 * поведение на телефоне дают стили темы; в шапку поле переносит строка в самой странице,
 * overrides/main.html, ещё до первой отрисовки). Скрипт загружает Pagefind при
 * первом обращении к поиску (посещение без поиска ничего лишнего не скачивает), показывает
 * название и отрывок каждой найденной страницы. Клавиши: «/», «s» или «f» — открыть поиск,
 * стрелки — по результатам, Enter — перейти, Esc — закрыть.
 *
 * Текст результатов (названия и отрывки из страниц, а значит из данных) вставляется только как
 * текст: разметкой становится лишь <mark> вокруг найденных слов. */
// Once the page is parsed (ready.js): the script may arrive before the header is.
window.ampWhenParsed(function () {
  "use strict";
  var mount = document.querySelector("[data-amp-search]");
  var header = document.querySelector(".md-header__inner");
  var toggle = document.getElementById("__search");
  if (!mount || !header || !toggle) return;
  window.__ampSearch = true; // started (tests wait for it before pressing «/»)

  var PAGE = 10; // результатов за раз; остальные — кнопкой «Показать ещё»
  var text = mount.dataset;
  var bundle = new URL(mount.dataset.bundle, location.href);
  var base = new URL("..", bundle).pathname;

  // Кнопку и поле уже перенесла в шапку (перед ссылкой на репозиторий, если она есть) строка в
  // overrides/main.html, до первой отрисовки; скрипт работает с ними там.

  var form = header.querySelector(".md-search__form");
  var input = form.querySelector(".md-search__input");
  var result = header.querySelector(".md-search-result");
  var meta = result.querySelector(".md-search-result__meta");
  var list = header.querySelector(".md-search-result__list");
  var output = header.querySelector(".md-search__scrollwrap");

  var current = 0; // номер последнего запроса: ответы на устаревшие запросы не показываются
  var found = []; // результаты текущего запроса
  var shown = 0;

  /* Движок поиска (Pagefind), общий с «Подбором школ». Pagefind молча ищет без части индекса, которая
   * не скачалась, и помнит неудачу, поэтому: основной поток (noWorker: загрузки видны через Resource
   * Timing), неудачная загрузка после запуска делает ответ неполным, «повторить» запускает движок заново.
   * Подробнее — README, «Поиск». */
  var OPTIONS = { baseUrl: base, excerptLength: 24, noWorker: true };
  var engine = null; // Promise модуля Pagefind, готового к поиску
  var ready = false; // движок загружен: первый запрос не ждёт скачивания
  var attempt = 0; // попытка импорта: новая после неудачной — с новым адресом
  var startedAt = 0; // performance.now() запуска движка: более ранние загрузки его не касаются
  var broken = false; // после запуска не скачалась часть индекса
  var watcher = null;

  function failedDownload(entry) {
    if (typeof entry.responseStatus === "number") return entry.responseStatus === 0 || entry.responseStatus >= 400;
    return entry.decodedBodySize === 0; // браузер без responseStatus: файлы индекса не бывают пустыми
  }

  function note(entries) {
    entries.forEach(function (entry) {
      if (entry.startTime < startedAt || entry.name.indexOf(bundle.href) !== 0) return;
      if (entry.name.indexOf("/fragment/") >= 0) return; // неудачный отрывок сообщает сам result.data()
      if (failedDownload(entry)) broken = true;
    });
  }

  function watch() {
    if (watcher || typeof PerformanceObserver !== "function") return;
    try {
      watcher = new PerformanceObserver(function (list) { note(list.getEntries()); });
      watcher.observe({ type: "resource", buffered: true });
    } catch (error) {
      watcher = null;
    }
  }

  function started(loading) {
    engine = loading;
    loading.then(function () { ready = true; }, function () {
      if (engine !== loading) return;
      engine = null; // следующий запрос загрузит модуль заново
      ready = false;
    });
    return loading;
  }

  // После неудачного импорта — новый адрес: браузер по старым правилам HTML помнит неудачу.
  function fresh() {
    startedAt = performance.now();
    broken = false;
    var url = new URL("pagefind.js", bundle);
    if (attempt) url.searchParams.set("retry", String(attempt));
    return import(url.href).then(function (module) {
      return module.options(OPTIONS).then(function () { return module; });
    }, function (error) {
      attempt += 1;
      throw error;
    });
  }

  function load() {
    if (engine) return engine;
    watch();
    return started(fresh());
  }

  // «Повторить»: модуль запускается заново (destroy), не загрузившийся — загружается снова.
  function restart() {
    var old = engine;
    engine = null;
    ready = false;
    if (!old) return load();
    return started(old.then(function (module) {
      return module.destroy().then(function () {
        startedAt = performance.now();
        broken = false;
        return module.options(OPTIONS);
      }).then(function () { return module; });
    }, fresh));
  }

  // Поле поиска открыто: движок загружается заранее; неудачу покажет сам запрос.
  function preload() {
    load().then(null, function () {});
  }

  // Ответ на запрос: {results, complete}; complete — весь нужный индекс скачался.
  function run(term, options) {
    return load().then(function (module) {
      return module.search(term, options);
    }).then(function (response) {
      if (watcher) note(watcher.takeRecords());
      return { results: response ? response.results : [], complete: !broken };
    });
  }

  // Отрывок или сведения одного результата; null — не скачались (на их месте так и пишется).
  function details(result) {
    return result.data().then(null, function () { return null; });
  }

  window.ampSearch = { search: run, restart: restart, details: details };

  function say(message) {
    meta.textContent = message;
  }

  // «Поиск не загрузился — повторить»: кнопка запускает движок заново и повторяет запрос.
  function failed() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "amp-search-retry";
    button.textContent = text.retry;
    button.addEventListener("click", function () {
      output.focus(); // кнопка исчезнет с новым ответом; фокус остаётся в окне поиска
      restart();
      search(input.value);
    });
    meta.textContent = text.failed + " — ";
    meta.appendChild(button);
  }

  function count(n) {
    if (n === 0) return text.none;
    if (n === 1) return text.one;
    return text.other.replace("#", String(n));
  }

  // Отрывок Pagefind — текст страницы (с экранированными &lt; &gt; &amp;) и <mark> вокруг совпадений.
  // Разбираем его в неактивном документе и переносим только текст и <mark>.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    var out = document.createDocumentFragment();
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  // На месте результата, чей отрывок не скачался.
  function missing() {
    var li = document.createElement("li");
    li.className = "md-search-result__item amp-search-missing";
    var article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    var title = document.createElement("h1");
    title.textContent = text.missingTitle;
    var teaser = document.createElement("p");
    teaser.textContent = text.missing;
    article.append(title, teaser);
    li.appendChild(article);
    return li;
  }

  function item(data) {
    if (!data) return missing();
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url; // Pagefind keeps titles as plain text
    var teaser = document.createElement("p");
    teaser.appendChild(excerpt(data.excerpt || ""));
    article.append(icon, title, teaser);
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function more() {
    var li = document.createElement("li");
    li.className = "md-search-result__item amp-search-more";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = text.more;
    button.addEventListener("click", function () {
      li.remove();
      show(current, true);
    });
    li.appendChild(button);
    return li;
  }

  function show(request, focusNext) {
    var slice = found.slice(shown, shown + PAGE);
    shown += slice.length;
    return Promise.all(slice.map(details)).then(function (pages) {
      if (request !== current) return;
      var first = null;
      pages.forEach(function (data) {
        var li = item(data);
        if (data) first = first || li;
        list.appendChild(li);
      });
      if (pages.indexOf(null) >= 0) failed();
      if (shown < found.length) list.appendChild(more());
      if (focusNext && first) first.querySelector("a").focus();
    });
  }

  function search(query) {
    var request = ++current;
    delete result.dataset.query;
    query = query.trim();
    if (!query) {
      found = [];
      list.textContent = "";
      say(text.placeholder);
      return Promise.resolve();
    }
    if (!ready) say(text.loading);
    function answered() {
      if (request === current) result.dataset.query = query; // на что отвечает показанный список
    }
    return run(query).then(function (response) {
      if (request !== current) return;
      found = response.results;
      shown = 0;
      list.textContent = "";
      // Неполный индекс: не «ничего не найдено» и не число, а просьба повторить; найденное — ниже.
      if (response.complete) say(count(found.length));
      else failed();
      return show(request, false).then(answered);
    }, function () {
      if (request !== current) return;
      found = [];
      list.textContent = "";
      failed();
      answered();
    });
  }

  function isOpen() {
    return toggle.checked;
  }

  function open() {
    if (!isOpen()) toggle.click();
    input.focus();
  }

  function close() {
    if (isOpen()) toggle.click();
    input.blur();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link, .amp-search-more button"));
  }

  toggle.addEventListener("change", function () {
    if (isOpen()) {
      preload();
      input.focus();
    } else {
      input.blur();
    }
  });
  input.addEventListener("focus", function () {
    if (!isOpen()) toggle.click();
    preload();
  });
  input.addEventListener("input", function () {
    search(input.value);
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      search("");
      input.focus();
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target instanceof Element && (target.isContentEditable || target.closest("input, textarea, select"));
    if (!isOpen()) {
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
      }
      return;
    }
    var items = links();
    var at = items.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      items[Math.min(at + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp" && (at >= 0 || document.activeElement === output)) {
      event.preventDefault();
      if (at > 0) items[at - 1].focus();
      else input.focus();
    } else if (at >= 0 && event.key.length === 1 && !typing) {
      input.focus(); // продолжает печатать запрос
    }
  });

  // Ссылка с запросом (?q=…) открывает поиск сразу: её можно переслать.
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    open();
    search(query);
  } else if (input.value.trim()) {
    // Набранное, пока скрипт шёл по медленной сети (поле видно с первой отрисовки), ищется сразу.
    open();
    search(input.value);
  }
});
