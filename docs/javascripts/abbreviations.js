/* Сокращения (ОО, СОШ, К1–К6…): касание или щелчок по сокращению показывает его расшифровку рядом, следующее
 * касание где угодно или Esc её убирает. На компьютере расшифровка видна и при наведении (атрибут title).
 * Один обработчик на всю страницу и одна подсказка на всех: при загрузке страница ничего не перестраивает
 * (подсказки темы, content.tooltips, при загрузке создавали по элементу на каждое сокращение — на списке школ
 * их десятки, см. README «Производительность»). Текст — только как текст. */
(function () {
  "use strict";
  var tip = null;
  var shownFor = null;

  function hide() {
    if (tip && !tip.hidden) tip.hidden = true;
    shownFor = null;
  }

  function show(abbr) {
    if (!tip) {
      tip = document.createElement("span");
      tip.className = "amp-abbr-tip";
      tip.setAttribute("role", "tooltip");
      tip.id = "amp-abbr-tip";
      document.body.appendChild(tip);
    }
    tip.textContent = abbr.textContent.trim() + " — " + abbr.getAttribute("title");
    tip.hidden = false;
    var box = abbr.getBoundingClientRect();
    var width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
    shownFor = abbr;
  }

  document.addEventListener("click", function (event) {
    var abbr = event.target instanceof Element ? event.target.closest("abbr[title]") : null;
    if (abbr && abbr !== shownFor && abbr.getAttribute("title")) show(abbr);
    else hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
})();
