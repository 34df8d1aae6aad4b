/* Cloudflare Pages: oEmbed for any consumer, <site>/api/v1/oembed?url=<page address>&format=json.
   Cloudflare's _redirects cannot match a query string, so this small worker answers that
   one address; the build copies it next to the site with a _routes.json that sends it
   nothing else but the files meant for the server (answered 404, below), so every other
   address is the static site with its _headers. It finds
   the page in the site's own feed (api/v1/pages.json), returns the page's built oEmbed
   file with maxwidth and maxheight honoured, and answers exactly as nginx's location in
   _headers.nginx does (a test compares the two). Part of Feeling Safe in Therapy (MIT). */
var ENDPOINT = "api/v1/oembed";
var HEADERS = {
  "Content-Type": "application/json",
  "Access-Control-Allow-Origin": "*",
  "Cross-Origin-Resource-Policy": "cross-origin",
  "Cache-Control": "public, max-age=300, must-revalidate",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Strict-Transport-Security": "max-age=31536000"   // _headers' /* does not reach a worker's answers
};
// The 404 page's headers (_headers does not reach a worker's answers): the build writes them
// into this line (feeling_safe/publishing/oembed_endpoint.py, worker_with_headers).
var PAGE_NOT_FOUND_HEADERS = {};
var NOT_FOUND = "{\"error\": \"not found: url is not the address of a page of this guide that can be embedded\"}";
var NOT_JSON = "{\"error\": \"not implemented: only format=json is served\"}";

function answer(status, body) {
  return new Response(body, { status: status, headers: HEADERS });
}

// Host and path without the last slash; either scheme (as nginx's pattern allows).
function bare(address) {
  var match = /^https?:\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(address || "");
  return match ? (match[1] + (match[2] || "/")).toLowerCase().replace(/\/$/, "") : null;
}

// A whole number below `limit` (no leading zero) is taken; anything else keeps `limit`.
function upTo(value, limit) {
  return /^[1-9][0-9]*$/.test(value || "") && Number(value) < limit ? Number(value) : limit;
}

async function oembed(request, env, url) {
  var root = new URL(url.pathname.slice(0, -ENDPOINT.length), url);
  var query = url.searchParams;
  var wanted = bare(query.get("url"));
  var feed = await (await env.ASSETS.fetch(new URL("api/v1/pages.json", root))).json();
  var page = feed.pages.filter(function (p) { return p.oembed_url && bare(p.url) === wanted; })[0];
  var format = query.get("format");
  if (format && format !== "json") return answer(501, NOT_JSON);
  if (!page) return answer(404, NOT_FOUND);
  var file = await env.ASSETS.fetch(new URL(new URL(page.oembed_url).pathname, url));
  var text = await file.text();
  var data = JSON.parse(text);
  var width = upTo(query.get("maxwidth"), data.width);
  var height = upTo(query.get("maxheight"), data.height);
  var cap = /^[1-9][0-9]{0,5}$/.test(query.get("maxheight") || "") ? " data-max-height=\\\"" + query.get("maxheight") + "\\\"" : "";
  text = text.split("\"width\": " + data.width).join("\"width\": " + width)
    .split("\"height\": " + data.height + ",").join("\"height\": " + height + ",")
    .split("height=\\\"" + data.height + "\\\"").join("height=\\\"" + height + "\\\"" + cap);
  return answer(200, text);
}

// _routes.json also sends the worker the files in the site's folder meant for the server, never
// for readers (_headers.nginx, .htaccess, the build's stamp...): they get the 404 page with its
// own headers, as an unknown address does (Cloudflare may send /404.html on to /404 first).
async function notFound(env, url) {
  var page = new URL(url.pathname.replace(/[^/]*$/, "") + "404.html", url);
  var found = await env.ASSETS.fetch(page);
  if (found.status >= 300 && found.status < 400 && found.headers.get("Location")) {
    found = await env.ASSETS.fetch(new URL(found.headers.get("Location"), page));
  }
  var headers = new Headers(PAGE_NOT_FOUND_HEADERS);
  headers.set("Content-Type", "text/html; charset=utf-8");
  return new Response(await found.arrayBuffer(), { status: 404, headers: headers });
}

export default {
  async fetch(request, env) {
    var url = new URL(request.url);
    if (url.pathname.slice(-ENDPOINT.length - 1) !== "/" + ENDPOINT) return notFound(env, url);
    return oembed(request, env, url);
  }
};
