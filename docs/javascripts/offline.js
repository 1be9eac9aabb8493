/* Страницы без связи: регистрирует docs/sw.js (он сохраняет открытые страницы и файлы сайта) и на
 * странице из сохранённых показывает «Сохранённая копия от …» — дату, которую туда вписал sw.js. */
(function () {
  "use strict";
  // Этот скрипт — assets/amp.js; sw.js лежит в корне сайта, и его область — весь сайт, в том числе
  // на адресе проекта (…github.io/<репозиторий>/).
  var script = document.currentScript;

  function showSaved() {
    document.querySelectorAll("[data-amp-saved]").forEach(function (note) {
      var saved = new Date(note.getAttribute("data-amp-saved") || "");
      if (isNaN(saved.getTime())) {
        if (!note.hidden) note.hidden = true;
        return;
      }
      note.textContent = "Сохранённая копия от " + saved.toLocaleString("ru-RU", {
        day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit"
      }) + ". Нет связи с сайтом: сведения могли с тех пор измениться.";
      note.hidden = false;
    });
  }

  function pageFiles() {
    // Страница и её файлы загружены до того, как sw.js начал отвечать за них: он сохраняет их по этому списку.
    var urls = [location.href.split("#")[0]];
    document.querySelectorAll("link[rel=stylesheet][href], link[rel=icon][href], script[src]").forEach(function (node) {
      urls.push(node.href || node.src);
    });
    return urls;
  }

  // The page must be parsed: the list of its files is read from it.
  window.ampWhenParsed(function () {
    if ("serviceWorker" in navigator && script && script.src) {
      var first = !navigator.serviceWorker.controller;
      navigator.serviceWorker.register(new URL("../sw.js", script.src).href)
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function (registration) {
          if (first && registration.active) registration.active.postMessage({ keep: pageFiles() });
        })
        .catch(function () { /* без сохранения страниц сайт работает как обычно */ });
    }
  });

  window.ampWhenParsed(showSaved);
})();
