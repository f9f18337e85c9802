import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { collectOutput, waitUntilHealthy } from "../../scripts/lib/app-server";
import { freePort } from "../../scripts/lib/ports";

const ROOT = process.cwd();
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

/**
 * `next dev` as a developer starts it (`npm run dev -- -p <port>`), on a free port other than 3000
 * and with exactly the environment given (nothing inherited but PATH and HOME, so no DATABASE_URL
 * or APP_URL of the test runner leaks in). Next 16 writes development output to .next/dev,
 * which `next build` keeps and `next start` never reads: it runs beside a production build. Next
 * allows one `next dev` per checkout (a lock in .next/dev): with your own `npm run dev` running,
 * start fails and shows Next's message saying so.
 */
export class DevServer {
  private output: string[] = [];

  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    collectOutput(child, this.output);
  }

  static async start(env: Record<string, string>): Promise<DevServer> {
    let port = await freePort();
    while (port === 3000) port = await freePort();
    const child = spawn(process.execPath, [NEXT_BIN, "dev", "-p", String(port)], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? ROOT,
        // What `next dev` sets anyway; never the runner's "test".
        NODE_ENV: "development",
        NEXT_TELEMETRY_DISABLED: "1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: next dev starts a server process of its own, stopped with it.
      detached: true,
    });
    const server = new DevServer(port, child);
    try {
      await waitUntilHealthy(child, server.url, "next dev", () => server.logs, 90_000);
    } catch (error) {
      await server.stop();
      throw new Error(`${String(error)}\n--- next dev output ---\n${server.logs}`);
    }
    return server;
  }

  /** The address a developer opens: localhost, as `next dev` prints it. */
  get url(): string {
    return `http://localhost:${this.port}`;
  }

  get logs(): string {
    return this.output.join("");
  }

  async stop(): Promise<void> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const group = -child.pid;
    process.kill(group, "SIGTERM");
    const timer = setTimeout(() => process.kill(group, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
