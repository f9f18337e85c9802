// The production server: `npm start` (node server.mjs [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]).
//
// Next's own request handler (the one `next start` uses, through `next()`) behind a plain Node HTTP
// server, for two things `next start` does not do (docs/decisions/0014-client-address-and-shutdown.md):
//
// - The client address. `next start` leaves a client-sent X-Forwarded-For in place, so the app
//   cannot tell the socket's peer from what the client claimed. This server deletes any
//   client-sent value of the private header PEER_ADDRESS_HEADER and writes the socket's peer
//   address into it; src/server/http/client-info.ts reads it.
// - Graceful shutdown. On SIGTERM or SIGINT: stop accepting connections, let requests in flight
//   finish (open event streams are ended: their browsers reconnect, to another instance), then
//   close the app's services (Redis, the database, PGlite and its lock file) and exit 0. Requests
//   still running after SHUTDOWN_TIMEOUT_SECONDS (default 10) are cut, and the exit code is 1.
//
// Options as `next start`: -p/--port (default $PORT, else 3000), -H/--hostname (default: every
// address), --keepAliveTimeout (milliseconds). Plain JavaScript: production needs no TypeScript runner.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** Keep equal to PEER_ADDRESS_HEADER in src/server/http/client-info.ts. */
const PEER_ADDRESS_HEADER = "x-rjs-peer-address";
/** Where src/server/boot.ts leaves the function that closes the app's services. */
const CLOSE_SERVICES = Symbol.for("revocable-jwt-sessions.close-services");

const { values: options } = parseArgs({
  options: {
    port: { type: "string", short: "p" },
    hostname: { type: "string", short: "H" },
    keepAliveTimeout: { type: "string" },
  },
});
const port = Number(options.port ?? process.env.PORT ?? 3000);
const shutdownTimeoutMs = 1000 * Number(process.env.SHUTDOWN_TIMEOUT_SECONDS || 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${options.port ?? process.env.PORT}`);
if (!(shutdownTimeoutMs > 0)) fail(`SHUTDOWN_TIMEOUT_SECONDS must be a positive number`);

process.env.NODE_ENV ||= "production"; // as `next start` does, before Next is loaded
const { default: next } = await import("next");
const app = next({
  dev: false,
  dir: fileURLToPath(new URL(".", import.meta.url)),
  hostname: options.hostname ?? "localhost",
  port,
});
await app.prepare();
const handle = app.getRequestHandler();

/** Requests being answered: the shutdown waits for them, and ends the event streams among them. */
const inFlight = new Set();
let stopping = false;

const server = createServer((req, res) => {
  delete req.headers[PEER_ADDRESS_HEADER];
  if (req.socket.remoteAddress) req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress;
  if (stopping) res.setHeader("connection", "close");
  inFlight.add(res);
  res.once("close", () => {
    inFlight.delete(res);
    if (stopping) drainStep();
  });
  handle(req, res).catch((error) => {
    log("error", "request_failed", { error: String(error) });
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "server_error", error_description: "Something went wrong." }));
  });
});
if (options.keepAliveTimeout) server.keepAliveTimeout = Number(options.keepAliveTimeout);
server.listen(port, options.hostname, () => log("info", "listening", { address: server.address() }));

let drained;
const allDrained = new Promise((resolve) => (drained = resolve));

/**
 * Called when the shutdown starts and whenever an answer ends during it: event streams never end by
 * themselves, so they are ended (their browsers reconnect, to another instance); the other
 * requests are waited for. Idle keep-alive connections are closed as they appear.
 */
function drainStep() {
  server.closeIdleConnections();
  for (const res of inFlight) if (String(res.getHeader("content-type")).startsWith("text/event-stream")) res.destroy();
  if (inFlight.size === 0) drained();
}

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log("info", "shutdown_started", { signal, inFlight: inFlight.size });
  const closed = new Promise((resolve) => server.close(() => resolve()));
  // The answers still to be written close their connection: no client sends another request here.
  for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
  drainStep();
  let timer;
  const timedOut = await Promise.race([
    allDrained.then(() => false),
    new Promise((resolve) => (timer = setTimeout(() => resolve(true), shutdownTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (timedOut) log("warn", "shutdown_timeout", { cut: inFlight.size });
  server.closeAllConnections(); // nothing is in flight any more (or it is cut): idle keep-alive sockets
  await closed;
  await app.close().catch((error) => log("error", "shutdown_error", { error: String(error) }));
  await globalThis[CLOSE_SERVICES]?.().catch((error) => log("error", "shutdown_error", { error: String(error) }));
  log("info", "shutdown_complete", {});
  process.exit(timedOut ? 1 : 0);
}
// Repeated signals (a shell sends Ctrl-C to the whole process group) do not cut the shutdown short.
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

/** One JSON line, like the app's logger (src/server/logger.ts), at or above LOG_LEVEL. */
function log(level, event, fields) {
  const order = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
  if (order[level] < (order[process.env.LOG_LEVEL] ?? order.info)) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === "info") console.log(line);
  else console.error(line);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
