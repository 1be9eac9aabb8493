/* «Подбор школ» на странице «Школы»: школы по муниципалитету, группе, году и уровню по всему сайту.
 *
 * Варианты выбора с числом школ записаны в страницу при сборке (schools_filter.md.j2), поэтому
 * подбор виден сразу и на своём месте, а индекс Pagefind (страницы школ несут фильтры в скрытом
 * блоке, см. school.md.j2) скачивается, только когда читатель меняет условие, и только нужные его
 * части: подбор одинаково быстр на 60 и на 10 000 школ. Движок общий с поиском по сайту
 * (window.ampSearch из site-search.js): если часть индекса или сведения о школе не скачались, подбор
 * не говорит «таких школ нет», а предлагает повторить. Условия попадают в адрес страницы
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
    if (!box) return;
    var form = box.querySelector("form");
    var meta = box.querySelector(".amp-filter__meta");
    var list = box.querySelector(".amp-filter__results");
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

    // «Поиск не загрузился — повторить»: движок запускается заново, условия те же.
    function failed(current) {
      if (current !== request) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "amp-search-retry";
      button.textContent = "повторить";
      button.addEventListener("click", function () {
        form.elements.municipality.focus(); // кнопка исчезнет с новым ответом
        if (window.ampSearch) window.ampSearch.restart();
        run();
      });
      meta.textContent = "Поиск не загрузился — ";
      meta.appendChild(button);
      box.dataset.shown = String(current);
    }

    function item(data) {
      var li = document.createElement("li");
      if (!data) {
        li.className = "amp-filter__missing";
        li.textContent = "Сведения о школе не загрузились: нажмите «повторить» выше.";
        return li;
      }
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      var about = document.createElement("span");
      about.className = "amp-filter__about";
      about.textContent = [data.meta.municipality, data.meta.programme].filter(Boolean).join(" · ");
      li.append(link, about);
      return li;
    }

    function show(current, complete) {
      var slice = found.slice(shown, shown + PAGE);
      shown += slice.length;
      return Promise.all(slice.map(window.ampSearch.details)).then(function (pages) {
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
          button.addEventListener("click", function () { show(current, complete); });
          li.appendChild(button);
          list.appendChild(li);
        }
        if (!complete || pages.indexOf(null) >= 0) failed(current);
        else box.dataset.shown = String(current);
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
      if (!window.ampSearch) {
        failed(current);
        return Promise.resolve();
      }
      return window.ampSearch.search(null, { filters: filters, sort: { order: "asc" } }).then(function (response) {
        if (current !== request) return;
        found = response.results;
        // Неполный индекс: не «таких школ нет» и не число, а просьба повторить; найденное — ниже.
        if (response.complete) {
          meta.textContent = found.length ? "Найдено: " + plural(found.length, "школа", "школы", "школ") : "Таких школ нет.";
        }
        return show(current, response.complete);
      }, function () {
        failed(current);
      });
    }

    // Ссылка с условиями (?group=2#filter) сразу показывает подбор; без условий индекс не нужен.
    var params = new URLSearchParams(location.search);
    FIELDS.forEach(function (name) {
      var wanted = params.get(name);
      if (!wanted) return;
      var select = form.elements[name];
      select.value = wanted;
      // Ссылки, которыми делились раньше, называли муниципалитет по имени, а не по коду: «Каменский район».
      if (select.value !== wanted) {
        Array.prototype.forEach.call(select.options, function (option) {
          if (option.value && option.text.replace(/ \(\d+\)$/, "") === wanted) select.value = option.value;
        });
      }
    });
    form.addEventListener("change", run);
    form.addEventListener("reset", function () { setTimeout(run); });
    if (Object.keys(chosen()).length) run();
    else box.dataset.shown = "0";
  }

  window.ampWhenParsed(function () { mount(document.querySelector("[data-amp-filter]")); });
})();
