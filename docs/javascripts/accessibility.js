/* Доступность: «Версия для слабовидящих» (ГОСТ Р 52872-2019: крупный шрифт, высокая контрастность;
 * выбор запоминается между страницами) и подпись окна поиска для экранных чтецов.
 * Класс на <html> ставится ещё в <head> (overrides/main.html), чтобы страница не мигала. */
(function () {
  "use strict";
  var KEY = "amp-low-vision";
  var CLASS = "amp-low-vision";

  function enabled() {
    return document.documentElement.classList.contains(CLASS);
  }

  function remember(on) {
    try {
      if (on) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY);
    } catch (e) { /* без localStorage режим действует до перезагрузки */ }
  }

  function sync() {
    // Only what changed: a write at every load would make the page lay itself out again.
    var pressed = enabled() ? "true" : "false";
    var label = enabled() ? "Обычная версия сайта" : "Версия для слабовидящих";
    document.querySelectorAll(".amp-low-vision-toggle").forEach(function (button) {
      if (button.getAttribute("aria-pressed") !== pressed) button.setAttribute("aria-pressed", pressed);
      if (button.textContent !== label) button.textContent = label;
    });
  }

  function setUp() {
    document.querySelectorAll(".amp-low-vision-toggle").forEach(function (button) {
      button.addEventListener("click", function () {
        var on = !enabled();
        document.documentElement.classList.toggle(CLASS, on);
        remember(on);
        sync();
      });
    });
    sync();
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Поиск по сайту");
  }

  window.ampWhenParsed(setUp);
})();
