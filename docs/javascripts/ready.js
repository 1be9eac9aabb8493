/* Когда скриптам сайта браться за страницу. assets/amp.js загружается асинхронно (mkdocs.yml: async): он не
 * задерживает ни первую отрисовку, ни готовность темы (меню, вкладки, оглавление работают, пока он ещё идёт
 * по медленной сети) и может выполниться и до, и после того, как браузер разобрал страницу.
 *   ampWhenParsed(fn) — fn один раз, когда страница разобрана (сразу, если уже).
 * Каждая fn — отдельной задачей браузера, в порядке вызова: вместе они заняли бы телефон так надолго, что он
 * перестал бы отвечать на касания (total blocking time), а по очереди каждая короче 50 мс. */
(function () {
  "use strict";
  function soon(fn) {
    setTimeout(function () { fn(); }, 0);
  }
  window.ampWhenParsed = function (fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { soon(fn); });
    else soon(fn);
  };
})();
