import { createServer } from "node:net";

/**
 * Inside a vitest worker (VITEST_POOL_ID 1..n), ports come from the worker's own block, below the
 * kernel's ephemeral range (32768 and up on Linux, where listen(0) and outgoing connections take
 * theirs). Tests stop servers and start them again on the same port (a restart, an outage, a key
 * rotation): with listen(0), a file in the other worker could be handed that port in the gap, start
 * its own app there, and find the first file's app answering its health check, so that every request
 * it then made went to an app of another test (it happened, as 401s for valid tokens). In disjoint
 * blocks a port given up for a moment is only ever taken back by its own worker, whose files run one
 * at a time.
 */
const BLOCK_FLOOR = 20_000;
const BLOCK_SIZE = 1_500;
const poolId = Number(process.env.VITEST_POOL_ID);
const block =
  Number.isInteger(poolId) && poolId >= 1 && BLOCK_FLOOR + poolId * BLOCK_SIZE <= 32_768
    ? { first: BLOCK_FLOOR + (poolId - 1) * BLOCK_SIZE, size: BLOCK_SIZE }
    : null;
/** Where this process looks next in its block; a random start, so a child process does not follow the same walk. */
let cursor = block ? Math.floor(Math.random() * block.size) : 0;

function listenOn(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" || error.code === "EACCES" ? resolve(null) : reject(error),
    );
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : null));
    });
  });
}

/** A TCP port that is free on loopback right now (from this vitest worker's block, see above). */
export async function freePort(): Promise<number> {
  if (block) {
    for (let tries = 0; tries < block.size; tries++) {
      const port = block.first + (cursor++ % block.size);
      if ((await listenOn(port)) !== null) return port;
    }
    throw new Error(`no free port in ${block.first}-${block.first + block.size - 1}`);
  }
  const port = await listenOn(0);
  if (port === null) throw new Error("no port");
  return port;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof Error && error.constructor.name === "AppExited") throw error;
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
