// Runs the Cloudflare Pages worker (the built site's _worker.js) the way Pages does, with
// env.ASSETS being the static site itself, served at the requests' address (nginx in
// the tests). Prints one JSON line per request: status, headers, body.
// usage: node tests/cloudflare_worker.mjs <_worker.js> <request URL>...
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [source, ...requests] = process.argv.slice(2);
const module = join(mkdtempSync(join(tmpdir(), "worker-")), "worker.mjs");  // an ES module, as Pages loads it
copyFileSync(source, module);
const worker = (await import(pathToFileURL(module))).default;
const env = { ASSETS: { fetch: (input) => fetch(input instanceof Request ? input.url : String(input)) } };
for (const address of requests) {
  const response = await worker.fetch(new Request(address), env);
  console.log(JSON.stringify({ status: response.status, headers: Object.fromEntries(response.headers),
                               body: await response.text() }));
}
