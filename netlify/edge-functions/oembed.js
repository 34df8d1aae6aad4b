/* Netlify: the oEmbed endpoint, <site>/api/v1/oembed?url=<page address>&format=json, with
   maxwidth and maxheight honoured. The build's _redirects can send that address to a page's
   file but cannot put the sizes into it, so this edge function, which netlify.toml runs for
   that one address (before _redirects), runs the very code of the Cloudflare Pages worker
   (deploy/cloudflare/_worker.js) with the site's own files as its assets: both hosts answer
   as nginx does (tests/test_embed_hosts.py). `netlify dev` asks it again at the address's
   .html and index.html twins after a 404 and keeps the last answer: those get the endpoint's
   own answer too (tests/test_host_runtimes.py). Part of Feeling Safe in Therapy (MIT). */
import worker from "../../deploy/cloudflare/_worker.js";

export default (request) => {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/(\/api\/v1\/oembed)(?:\.html?|\/index\.html?)$/, "$1");
  return worker.fetch(new Request(url, request), { ASSETS: { fetch: (input) => fetch(input) } });
};
