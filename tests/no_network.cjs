// Loaded into every Node process of a host runtime under test (NODE_OPTIONS=--require): any
// connection to an address that is not this machine (a name to resolve, or an address off
// loopback) is written to NO_NETWORK_LOG and refused at once, so a runtime that tries to reach
// the network fails the test that reads the log, instead of waiting on a network that is not
// there. Node's own fetch, undici, http and tls all connect through net.Socket. Its servers
// listen on loopback only (below).
"use strict";
const fs = require("node:fs");
const net = require("node:net");

const LOG = process.env.NO_NETWORK_LOG;
const LOCAL = new Set(["localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "::"]);

function isLocal(host) {
  return host === undefined || LOCAL.has(String(host)) || /^127\./.test(String(host));
}

// The (host, port) or path that socket.connect was called with, in any of its forms.
function target(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === "object") return first.path ? null : { host: first.host, port: first.port };
  if (typeof first === "string" && !/^\d+$/.test(first)) return null;  // a Unix socket path
  return { host: typeof args[1] === "string" ? args[1] : undefined, port: first };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const to = target(args);
  if (to && !isLocal(to.host)) {
    const line = `${process.pid} ${process.argv.slice(1, 3).join(" ")}: connect to ${to.host}:${to.port}\n`;
    if (LOG) fs.appendFileSync(LOG, line);
    process.nextTick(() => this.destroy(Object.assign(new Error(`no network in this test: ${to.host}:${to.port}`),
                                                      { code: "ENETUNREACH" })));
    return this;
  }
  return connect.apply(this, args);
};

// And it listens on loopback only: `netlify dev` binds every interface and has no flag against it.
const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (args.length === 0 || typeof first === "function") {
    args.unshift(0, "127.0.0.1");
  } else if (first && typeof first === "object" && !first.path && !first._handle && !first.fd && !first.handle) {
    if (!first.host || WILDCARD.has(first.host)) args[0] = { ...first, host: "127.0.0.1" };
  } else if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
    else if (WILDCARD.has(args[1])) args[1] = "127.0.0.1";
  }
  return listen.apply(this, args);
};
