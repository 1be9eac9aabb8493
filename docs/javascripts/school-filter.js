/* «Подбор школ» на странице «Школы»: школы по муниципалитету, группе, году и уровню по всему сайту.
 *
 * Работает на фильтрах индекса Pagefind (страницы школ несут их в скрытом блоке, см.
 * school.md.j2): загружается только то, что нужно для выбранных условий, поэтому подбор одинаково
 * быстр на 60 и на 10 000 школ и работает на телефоне. Условия попадают в адрес страницы
 * (?group=2&level=3#filter), такой ссылкой можно поделиться. Названия и сведения из индекса
 * вставляются только как текст. */
(function () {
  "use strict";
  var PAGE = 20;
  var FIELDS = ["municipality", "group", "year", "level"];

  function plural(n, one, few, many) {
    var tail = n % 100, last = n % 10;
    if (tail >= 11 && tail <= 14) return n + " " + many;
    return n + " " + (last === 1 ? one : last >= 2 && last <= 4 ? few : many);
  }

  function mount(box) {
    if (!box || box.dataset.ready || typeof window.ampPagefind !== "function") return;
    box.dataset.ready = "1";
    box.hidden = false;
    var form = box.querySelector("form");
    var meta = box.querySelector(".amp-filter__meta");
    var list = box.querySelector(".amp-filter__results");
    var municipality = form.elements.municipality;
    var request = 0;
    var found = [];
    var shown = 0;

    function chosen() {
      var filters = {};
      FIELDS.forEach(function (name) {
        var value = form.elements[name].value;
        if (value) filters[name] = value;
      });
      return filters;
    }

    function remember(filters) {
      var params = new URLSearchParams(location.search);
      FIELDS.forEach(function (name) {
        if (filters[name]) params.set(name, filters[name]);
        else params.delete(name);
      });
      var query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function item(data) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      var about = document.createElement("span");
      about.className = "amp-filter__about";
      about.textContent = [data.meta.municipality, data.meta.programme].filter(Boolean).join(" · ");
      li.append(link, about);
      return li;
    }

    function show(current) {
      var slice = found.slice(shown, shown + PAGE);
      shown += slice.length;
      return Promise.all(slice.map(function (r) { return r.data(); })).then(function (pages) {
        if (current !== request) return;
        var old = list.querySelector(".amp-filter__more");
        if (old) old.remove();
        pages.forEach(function (data) { list.appendChild(item(data)); });
        if (shown < found.length) {
          var li = document.createElement("li");
          li.className = "amp-filter__more";
          var button = document.createElement("button");
          button.type = "button";
          button.className = "md-button";
          button.textContent = "Показать ещё";
          button.addEventListener("click", function () { show(current); });
          li.appendChild(button);
          list.appendChild(li);
        }
        box.dataset.shown = String(current);
      });
    }

    function run() {
      var current = ++request;
      delete box.dataset.shown; // снова появится, когда список для этих условий будет показан
      var filters = chosen();
      remember(filters);
      list.textContent = "";
      found = [];
      shown = 0;
      if (!Object.keys(filters).length) {
        meta.textContent = "Выберите муниципалитет, группу, год или уровень.";
        box.dataset.shown = String(current);
        return Promise.resolve();
      }
      meta.textContent = "Поиск…";
      return window.ampPagefind().then(function (pagefind) {
        return pagefind.search(null, { filters: filters, sort: { order: "asc" } });
      }).then(function (response) {
        if (current !== request) return;
        found = response ? response.results : [];
        meta.textContent = found.length ? "Найдено: " + plural(found.length, "школа", "школы", "школ") : "Таких школ нет.";
        return show(current);
      }, function () {
        if (current === request) meta.textContent = "Подбор не загрузился: проверьте соединение и попробуйте ещё раз.";
      });
    }

    // Муниципалитеты — из индекса (сколько школ в каждом), по алфавиту.
    window.ampPagefind().then(function (pagefind) {
      return pagefind.filters();
    }).then(function (filters) {
      var counts = (filters && filters.municipality) || {};
      Object.keys(counts).sort(function (a, b) { return a.localeCompare(b, "ru"); }).forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        option.textContent = name + " (" + counts[name] + ")";
        municipality.appendChild(option);
      });
      municipality.disabled = false;
      var wanted = new URLSearchParams(location.search).get("municipality");
      if (wanted) municipality.value = wanted;
      if (Object.keys(chosen()).length) run();
      else box.dataset.shown = "0";
    }, function () {
      meta.textContent = "Подбор не загрузился: проверьте соединение и обновите страницу.";
    });

    var params = new URLSearchParams(location.search);
    FIELDS.forEach(function (name) {
      if (name !== "municipality" && params.get(name)) form.elements[name].value = params.get(name);
    });
    form.addEventListener("change", run);
    form.addEventListener("reset", function () { setTimeout(run); });
  }

  // Страница могла открыться мгновенной навигацией Material: подключаемся к каждой новой странице.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { mount(document.querySelector("[data-amp-filter]")); });
  } else {
    mount(document.querySelector("[data-amp-filter]"));
  }
})();
