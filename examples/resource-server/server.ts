/**
 * A separate service that accepts the app's access tokens (see README.md):
 *   GET /whoami  (Bearer)  -> 200 {sub, sid}; 401 RFC 6750 when the token is bad or revoked;
 *                             503 when revocation cannot be checked (never "accept" on a guess)
 *   GET /health            -> 200 {status, revocationCheck}
 * Run from the repository root: npm run example:resource-server
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { CannotDecide, createTokenVerifier, InvalidToken, type TokenClaims } from "./access-token";
import { loadConfig, type Config } from "./config";
import { createRevocationCheck } from "./revocation";

const config = readConfig();
const verify = createTokenVerifier(config);
const revocation = createRevocationCheck(config);
const revocationCheck = [config.redis && "redis", config.introspection && "introspection"].filter(Boolean).join("+");

class MissingToken extends Error {}

/** The one place this service reads its environment; a bad value stops it with a readable message. */
function readConfig(): Config {
  try {
    // eslint-disable-next-line no-restricted-syntax
    return loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1). */
function bearerToken(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header) throw new MissingToken("An access token is required.");
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match?.[1] || match[1].length > 8192) throw new InvalidToken("The access token is malformed.");
  return match[1];
}

/** Signature and claims locally, then revocation (Redis and/or introspection). */
async function authenticate(req: IncomingMessage): Promise<TokenClaims> {
  const token = bearerToken(req);
  const claims = await verify(token);
  const verdict = await revocation.check(token, claims);
  if (verdict === "refuse") throw new InvalidToken("The session of this token has been signed out.");
  if (verdict === "unknown")
    throw new CannotDecide("Sessions cannot be checked right now. Please try again in a moment.");
  return claims;
}

function sendError(res: ServerResponse, error: unknown): void {
  const realm = 'Bearer realm="resource-server"';
  if (error instanceof MissingToken) {
    // RFC 6750 §3.1: no error code when the request carried no credentials at all.
    return send(res, 401, { error: "invalid_token", error_description: error.message }, { "www-authenticate": realm });
  }
  if (error instanceof InvalidToken) {
    const challenge = `${realm}, error="invalid_token", error_description="${error.message}"`;
    return send(
      res,
      401,
      { error: "invalid_token", error_description: error.message },
      { "www-authenticate": challenge },
    );
  }
  if (error instanceof CannotDecide) {
    return send(
      res,
      503,
      { error: "temporarily_unavailable", error_description: error.message },
      { "retry-after": "5" },
    );
  }
  console.error(
    JSON.stringify({
      level: "error",
      event: "unexpected_error",
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  send(res, 500, { error: "server_error", error_description: "Something went wrong on our side." });
}

const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>([
  ["/health", async (_req, res) => send(res, 200, { status: "ok", revocationCheck, redis: revocation.redis?.status })],
  [
    "/whoami",
    async (req, res) => {
      const { sub, sid } = await authenticate(req);
      send(res, 200, { sub, sid });
    },
  ],
]);

const server = createServer((req, res) => {
  const route = routes.get((req.url ?? "/").split("?")[0]!);
  if (!route) return send(res, 404, { error: "not_found", error_description: "There is no such endpoint." });
  if (req.method !== "GET")
    return send(
      res,
      405,
      { error: "method_not_allowed", error_description: "Only GET is accepted." },
      { allow: "GET" },
    );
  route(req, res).catch((error: unknown) => sendError(res, error));
});

server.listen(config.port, config.host, () => {
  console.log(
    JSON.stringify({ level: "info", event: "listening", url: `http://${config.host}:${config.port}`, revocationCheck }),
  );
});

function shutdown(): void {
  server.close();
  revocation.redis?.disconnect();
  server.closeAllConnections();
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
