/* Сортировка таблиц по щелчку на заголовке столбца (и клавишей Enter).
 * Числа сравниваются как числа, текст — по правилам русского алфавита;
 * «нет данных» и пустые ячейки всегда внизу. Без внешних библиотек. */
(function () {
  "use strict";
  var UNKNOWN = /^(нет данных|не указан|—|-|)$/i;
  var collator = new Intl.Collator("ru", { numeric: true, sensitivity: "base" });

  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.textContent.trim() : "";
    if (UNKNOWN.test(text) || /^нет (данных|в таблице)/i.test(text)) return { unknown: true, text: text };
    var number = text.match(/^-?\d+(?:[.,]\d+)?/);
    return { unknown: false, text: text, number: number ? parseFloat(number[0].replace(",", ".")) : null };
  }

  function compare(a, b) {
    if (a.unknown || b.unknown) return a.unknown === b.unknown ? 0 : a.unknown ? 1 : -1;
    if (a.number !== null && b.number !== null && a.number !== b.number) return a.number - b.number;
    return collator.compare(a.text, b.text);
  }

  function sortBy(table, header, index) {
    var body = table.tBodies[0];
    if (!body) return;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.setAttribute("aria-sort", "none"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, value: cellValue(row, index), position: position };
    });
    rows.sort(function (x, y) {
      var unknownOrder = compare(x.value, y.value);
      if (x.value.unknown || y.value.unknown) return unknownOrder || x.position - y.position;
      return (ascending ? unknownOrder : -unknownOrder) || x.position - y.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
  }

  function enable(root) {
    root.querySelectorAll("article table").forEach(function (table) {
      // Короткие таблицы (2–3 строки «показатель — значение») сортировать незачем.
      if (!table.tHead || table.dataset.sortable || !table.tBodies[0] || table.tBodies[0].rows.length < 4) return;
      table.dataset.sortable = "yes";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        th.setAttribute("aria-sort", "none");
        th.tabIndex = 0;
        th.title = "Сортировать по этому столбцу";
        th.addEventListener("click", function () { sortBy(table, th, index); });
        th.addEventListener("keydown", function (event) {
          if (event.key === "Enter") sortBy(table, th, index);
        });
      });
    });
  }

  // Material с мгновенной навигацией подменяет страницу без перезагрузки: document$ сообщает о каждой.
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { enable(document); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { enable(document); });
  }
})();
