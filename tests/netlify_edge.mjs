// Runs the Netlify edge function (netlify/edge-functions/oembed.js, with the Cloudflare worker it
// imports) the way Netlify does for the endpoint's address: its site's files are fetched from the
// requests' address (nginx in the tests). Prints one JSON line per request: status, headers, body.
// usage: node tests/netlify_edge.mjs <repository root> <request URL>...
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, ...requests] = process.argv.slice(2);
// ES modules, as Netlify bundles them: the same two files with .mjs names, the import following.
const folder = mkdtempSync(join(tmpdir(), "edge-"));
mkdirSync(join(folder, "netlify/edge-functions"), { recursive: true });
mkdirSync(join(folder, "deploy/cloudflare"), { recursive: true });
copyFileSync(join(root, "deploy/cloudflare/_worker.js"), join(folder, "deploy/cloudflare/_worker.mjs"));
const edge = readFileSync(join(root, "netlify/edge-functions/oembed.js"), "utf8");
const renamed = edge.replace('"../../deploy/cloudflare/_worker.js"', '"../../deploy/cloudflare/_worker.mjs"');
if (renamed === edge) throw new Error("the edge function no longer imports the worker");
writeFileSync(join(folder, "netlify/edge-functions/oembed.mjs"), renamed);
const handler = (await import(pathToFileURL(join(folder, "netlify/edge-functions/oembed.mjs")))).default;
for (const address of requests) {
  const response = await handler(new Request(address), {});
  console.log(JSON.stringify({ status: response.status, headers: Object.fromEntries(response.headers),
                               body: await response.text() }));
}
