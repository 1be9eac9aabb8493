/* Поиск по русским словоформам: «Каменка» находит «Каменки», «школой» — «школа».
 *
 * Поиск Material дописывает к каждому слову «*» (поиск по началу слова), а такие слова lunr
 * не приводит к основе, поэтому русский стеммер (включён в mkdocs.yml) для них не работает.
 * Слова с усилением «^1» Material оставляет без «*»: отправляем каждое слово дважды —
 * «слово^1» (целиком, через стеммер) и «слово» (по началу). Запрос уходит в поисковый
 * worker сообщением {type: 2, data: "…"}; если формат сообщений изменится, поиск просто
 * работает как без этого файла (а тест в браузере это заметит). */
(function () {
  "use strict";
  var QUERY = 2;

  function withWholeWords(query) {
    if (/["*^~+:]/.test(query)) return query; // запрос с операторами — как ввёл читатель
    return query
      .split(/\s+/)
      .filter(function (term) { return term.length > 0; })
      .map(function (term) { return term + "^1 " + term; })
      .join(" ");
  }

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var args = Array.prototype.slice.call(arguments);
      args[0] = { type: QUERY, data: withWholeWords(message.data) };
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };
})();
