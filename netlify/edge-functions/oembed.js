/* Netlify: the oEmbed endpoint, <site>/api/v1/oembed?url=<page address>&format=json, with
   maxwidth and maxheight honoured. The build's _redirects can send that address to a page's
   file but cannot put the sizes into it, so this edge function, which netlify.toml runs for
   that one address (before _redirects), runs the very code of the Cloudflare Pages worker
   (deploy/cloudflare/_worker.js) with the site's own files as its assets: both hosts answer
   as nginx does (tests/test_embed_hosts.py). Part of Feeling Safe in Therapy (MIT). */
import worker from "../../deploy/cloudflare/_worker.js";

export default (request) => worker.fetch(request, { ASSETS: { fetch: (input) => fetch(input) } });
