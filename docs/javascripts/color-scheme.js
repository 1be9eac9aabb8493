/* Тёмная и светлая схема: кнопка «Тёмная тема» в полосе над шапкой (overrides/main.html).
 * Пока читатель не нажал её, схема следует настройке телефона и меняется вместе с ней; нажатие
 * запоминается между страницами. Схему до отрисовки ставит строка в шапке (overrides/main.html); здесь —
 * только кнопка: при загрузке страница ничего не пересчитывает (переключатель палитр Material пересчитывал
 * стили всей страницы дважды). */
(function () {
  "use strict";
  var KEY = "amp-color-scheme";
  var DARK = "slate";
  var LIGHT = "default";
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function chosen() {
    try {
      var value = localStorage.getItem(KEY);
      return value === DARK || value === LIGHT ? value : null;
    } catch (e) {
      return null;
    }
  }

  function current() {
    return document.body.getAttribute("data-md-color-scheme") === DARK ? DARK : LIGHT;
  }

  function sync() {
    var pressed = current() === DARK ? "true" : "false";
    document.querySelectorAll(".amp-scheme-toggle").forEach(function (button) {
      if (button.getAttribute("aria-pressed") !== pressed) button.setAttribute("aria-pressed", pressed);
    });
  }

  function show(scheme) {
    if (current() !== scheme) document.body.setAttribute("data-md-color-scheme", scheme);
    sync();
  }

  function setUp() {
    document.querySelectorAll(".amp-scheme-toggle").forEach(function (button) {
      button.addEventListener("click", function () {
        var scheme = current() === DARK ? LIGHT : DARK;
        try {
          localStorage.setItem(KEY, scheme);
        } catch (e) { /* без localStorage выбор действует до перезагрузки */ }
        show(scheme);
      });
    });
    sync();
  }

  if (system) {
    var follow = function () {
      if (!chosen()) show(system.matches ? DARK : LIGHT);
    };
    if (system.addEventListener) system.addEventListener("change", follow);
    else if (system.addListener) system.addListener(follow);
  }

  window.ampWhenParsed(setUp);
})();
