// The production server: `npm start` (node server.mjs [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]).
//
// Next's own request handler (the one `next start` uses, through `next()`) behind a plain Node HTTP
// server, for what `next start` does not do (docs/decisions/0014-client-address-and-shutdown.md):
//
// - The client address. `next start` leaves a client-sent X-Forwarded-For in place, so the app
//   cannot tell the socket's peer from what the client claimed. This server deletes any
//   client-sent value of the private header PEER_ADDRESS_HEADER and writes the socket's peer
//   address into it; src/server/http/client-info.ts reads it.
//
// Options as `next start`: -p/--port (default $PORT, else 3000), -H/--hostname (default: every
// address), --keepAliveTimeout (milliseconds). Plain JavaScript: production needs no TypeScript runner.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** Keep equal to PEER_ADDRESS_HEADER in src/server/http/client-info.ts. */
const PEER_ADDRESS_HEADER = "x-rjs-peer-address";

const { values: options } = parseArgs({
  options: {
    port: { type: "string", short: "p" },
    hostname: { type: "string", short: "H" },
    keepAliveTimeout: { type: "string" },
  },
});
const port = Number(options.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${options.port ?? process.env.PORT}`);

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

const server = createServer((req, res) => {
  delete req.headers[PEER_ADDRESS_HEADER];
  if (req.socket.remoteAddress) req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress;
  handle(req, res).catch((error) => {
    log("error", "request_failed", { error: String(error) });
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "server_error", error_description: "Something went wrong." }));
  });
});
if (options.keepAliveTimeout) server.keepAliveTimeout = Number(options.keepAliveTimeout);
server.listen(port, options.hostname, () => log("info", "listening", { address: server.address() }));

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
