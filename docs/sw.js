/* Открытые страницы и файлы сайта — без связи (регистрирует javascripts/offline.js).
 * Страница всегда берётся из сети, если сеть отвечает (сохранённая копия никогда не заменяет свежую);
 * без связи — из сохранённых, с датой сохранения, которую страница показывает читателю. Файлы сайта
 * (стили, скрипты, шрифты, картинки) тоже сначала из сети (с обычным кэшем браузера), без связи — из сохранённых. */
"use strict";

var CACHE = "amp-pages-v1";
var SAVED = "X-Amp-Saved"; // когда сохранена копия страницы (ISO 8601)
var SCOPE = new URL(self.registration.scope).pathname;
var FILE_KINDS = { style: true, script: true, font: true, image: true, manifest: true };
// Сколько хранить: последние открытые страницы (около 40 КБ каждая) и файлы (после выкладки старые версии
// стилей и скриптов больше не нужны) — телефону не нужно копить весь сайт.
var MAX_PAGES = 200;
var MAX_FILES = 60;

function isPageAddress(url) {
  return /\/$|\.html$/.test(url.pathname);
}

function isPage(request, url) {
  return request.mode === "navigate" || isPageAddress(url);
}

// Cache.keys() lists entries in the order they were last put, so the first ones are the longest unread.
function trim(cache) {
  return cache.keys().then(function (requests) {
    var pages = [], files = [];
    requests.forEach(function (request) {
      (isPageAddress(new URL(request.url)) ? pages : files).push(request);
    });
    var old = pages.slice(0, Math.max(0, pages.length - MAX_PAGES))
      .concat(files.slice(0, Math.max(0, files.length - MAX_FILES)));
    return Promise.all(old.map(function (request) { return cache.delete(request); }));
  });
}

function ours(url) {
  // Индекс поиска не сохраняется: без связи поиск всё равно не работает, а частей у индекса много.
  return url.origin === self.location.origin && url.pathname.indexOf(SCOPE) === 0 &&
    url.pathname.indexOf(SCOPE + "pagefind/") !== 0 && url.pathname !== SCOPE + "sw.js";
}

function keep(key, response, page) {
  if (!response.ok || response.type !== "basic") return Promise.resolve();
  var copy = response.clone();
  return copy.blob().then(function (body) {
    var headers = new Headers(copy.headers);
    if (page) headers.set(SAVED, new Date().toISOString());
    return caches.open(CACHE).then(function (cache) {
      return cache.put(key, new Response(body, { status: copy.status, statusText: copy.statusText, headers: headers }))
        .then(function () { return trim(cache); });
    });
  });
}

function saved(key, page) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key, { ignoreSearch: page });
  }).then(function (response) {
    if (!response) return Response.error();
    if (!page) return response;
    var date = response.headers.get(SAVED) || "";
    return response.text().then(function (text) {
      // Дата — в заготовку страницы (overrides/main.html), текст записи — javascripts/offline.js.
      return new Response(text.replace('data-amp-saved=""', 'data-amp-saved="' + date + '"'),
        { status: 200, headers: response.headers });
    });
  });
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (!ours(url)) return;
  var page = isPage(request, url);
  if (!page && !FILE_KINDS[request.destination]) return;
  var key = url.href.split("#")[0];
  // Страница — с проверкой у сервера (no-cache): кэш браузера не подменяет свежую страницу старой.
  var fresh = page ? new Request(request, { cache: "no-cache" }) : request;
  event.respondWith(fetch(fresh).then(function (response) {
    event.waitUntil(keep(key, response, page));
    return response;
  }, function () {
    return saved(key, page);
  }));
});

// Первая страница и её файлы загрузились до того, как этот скрипт начал за них отвечать: страница
// присылает их список (javascripts/offline.js), и они сохраняются сейчас.
self.addEventListener("message", function (event) {
  var urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  event.waitUntil(Promise.all(urls.map(function (href) {
    var url;
    try {
      url = new URL(href, self.location.href);
    } catch (e) {
      return null;
    }
    if (!ours(url)) return null;
    var page = isPageAddress(url);
    var key = url.href.split("#")[0];
    return fetch(key, { cache: page ? "no-cache" : "default" }).then(function (response) {
      return keep(key, response, page);
    }, function () { /* нет связи: сохранится при следующем открытии */ });
  })));
});
