/* Сортировка таблиц по щелчку на заголовке столбца (и клавишами Enter/пробел).
 * Сортируются только таблицы-списки (обёртка .amp-sortable); таблицы «показатель — значение» — нет.
 * Числа сравниваются как числа, текст — по правилам русского алфавита, зоны — по уровню
 * (атрибут data-sort); «нет данных», «не указан в документе» и подобные — всегда внизу, вместе;
 * строки «Сумма»/«Итого» остаются последними; столбцы-диаграммы не сортируются. */
(function () {
  "use strict";
  var UNKNOWN = /^(нет данных|неполные данные|не указан[аоы]?( в документе)?|нет в таблице|вне шкалы зон|ещё не проверялась|—|-|)$/i;
  var PINNED = /^(сумма|итого)/i;
  // Создаётся при первой сортировке: правила русского алфавита загружаются десятки миллисекунд, и на каждой
  // странице это задерживало бы первый отклик (total blocking time), даже где таблицу никто не сортирует.
  var collator = null;

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return { unknown: true, text: "" };
    var marked = cell.querySelector("[data-sort]");
    if (marked) {
      var key = marked.getAttribute("data-sort");
      return key === "" ? { unknown: true, text: "" } : { unknown: false, text: key, number: parseFloat(key) };
    }
    var text = cell.textContent.trim();
    if (UNKNOWN.test(text)) return { unknown: true, text: text };
    var number = text.match(/^-?\d+(?:[.,]\d+)?/);
    return { unknown: false, text: text, number: number ? parseFloat(number[0].replace(",", ".")) : null };
  }

  function compare(a, b) {
    if (a.number !== null && b.number !== null && a.number !== b.number) return a.number - b.number;
    collator = collator || new Intl.Collator("ru", { numeric: true, sensitivity: "base" });
    return collator.compare(a.text, b.text);
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      if (th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      var first = row.cells[0] ? row.cells[0].textContent.trim() : "";
      return { row: row, value: cellValue(row, index), position: position, pinned: PINNED.test(first) };
    });
    rows.sort(function (x, y) {
      if (x.pinned !== y.pinned) return x.pinned ? 1 : -1;
      if (x.pinned) return x.position - y.position;
      if (x.value.unknown || y.value.unknown) {
        return x.value.unknown === y.value.unknown ? x.position - y.position : x.value.unknown ? 1 : -1;
      }
      var order = compare(x.value, y.value);
      return (ascending ? order : -order) || x.position - y.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
  }

  function isChart(table, index) {
    var body = table.tBodies[0];
    return Array.prototype.some.call(body.rows, function (row) {
      return row.cells[index] && row.cells[index].querySelector(".amp-bar");
    });
  }

  function enable(root) {
    root.querySelectorAll(".amp-sortable table").forEach(function (table) {
      if (!table.tHead || !table.tBodies[0] || table.tBodies[0].rows.length < 2) return;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        if (isChart(table, index)) return;
        th.setAttribute("aria-sort", "none");
        th.tabIndex = 0;
        th.title = "Сортировать по этому столбцу";
        th.addEventListener("click", function () { sortBy(table, th, index); });
        th.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            sortBy(table, th, index);
          }
        });
      });
    });
  }

  // Подписи карточек широких таблиц ставит строка в самой странице, до первой отрисовки
  // (overrides/partials/table-cards.html): появившись позже, они сдвигали бы страницу.

  // The heading a table stands under: the nearest one before it in the article.
  function headingOf(node) {
    for (var el = node; el && !el.matches("article"); el = el.parentElement) {
      for (var before = el.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-4]$/.test(before.tagName)) return before.textContent.replace(/¶/g, "").trim();
      }
    }
    return "";
  }

  // Таблица, которая на телефоне шире экрана, прокручивается вбок в рамке темы; рамка получает фокус, чтобы
  // прокручивать и с клавиатуры (WCAG 2.1.1; axe: scrollable-region-focusable), и называется для экранного
  // диктора по своему разделу (у двух таблиц одного раздела — с номером; axe: landmark-unique).
  function focusable(root) {
    var named = {};
    root.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth) return;
      var heading = headingOf(wrap);
      var name = heading ? "Таблица «" + heading + "»" : "Таблица";
      named[name] = (named[name] || 0) + 1;
      if (named[name] > 1) name += " (" + named[name] + ")";
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", name + ", прокручивается вбок");
    });
  }

  function setUp() {
    enable(document);
    focusable(document);
  }

  window.ampWhenParsed(setUp);
})();
