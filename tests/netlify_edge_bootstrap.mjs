// Netlify's local edge runtime for tests/test_host_runtimes.py (netlify dev loads it through
// NETLIFY_EDGE_BOOTSTRAP instead of fetching Netlify's from the network): the bootstrap that
// @netlify/edge-functions-dev ships (installed with netlify-cli), its server on loopback only
// (Deno.serve listens on every interface unless told a host name).
const serve = Deno.serve;
Deno.serve = (options, handler) => serve({ ...options, hostname: "127.0.0.1" }, handler);
export * from "../node_modules/@netlify/edge-functions-dev/dist/deno/bootstrap.mjs";
