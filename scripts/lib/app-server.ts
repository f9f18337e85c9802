import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort, waitFor } from "./ports";

// The repository root: every runner (npm scripts, vitest, Playwright) starts there.
const ROOT = process.cwd();
/** The production server (`npm start`): Next's handler behind the app's own HTTP server. */
export const SERVER_SCRIPT = path.join(ROOT, "server.mjs");

/** A production instance of the app (`npm start`'s server.mjs on the existing build) on a loopback port. */
export class AppServer {
  private child: ChildProcess | undefined;
  private output: string[] = [];

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string>, port?: number): Promise<AppServer> {
    const app = new AppServer(port ?? (await freePort()), env);
    await app.start();
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the server printed: shown when a test fails, and checked for leaked secrets. */
  get logs(): string {
    return this.output.join("");
  }

  async start(): Promise<void> {
    this.output = [];
    const child = spawn(process.execPath, [SERVER_SCRIPT, "-p", String(this.port), "-H", "127.0.0.1"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", LOG_LEVEL: "warn", ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    collectOutput(child, this.output);
    try {
      await waitUntilHealthy(child, this.url, "the app", () => this.logs, 60_000);
    } catch (error) {
      await this.stop();
      throw new Error(`${String(error)}\n--- app output ---\n${this.logs}`);
    }
  }

  /**
   * SIGTERM (the server finishes what is in flight and closes its services), SIGKILL after 5 s.
   * Answers how the process ended (null when it was not running).
   */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return null;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    const status = await exited;
    clearTimeout(timer);
    return status;
  }
}

/** Thrown by the start-up probe so that waitFor stops at once instead of retrying for a minute. */
export class AppExited extends Error {}

/** Keeps what a server process prints (shown when a test fails, checked for leaked secrets). */
export function collectOutput(child: ChildProcess, sink: string[]): void {
  child.stdout?.on("data", (chunk: Buffer) => sink.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => sink.push(chunk.toString()));
}

/** Until `<url>/api/health` answers 200; fails at once, with the output, if the process exits first. */
export async function waitUntilHealthy(
  child: ChildProcess,
  url: string,
  what: string,
  logs: () => string,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    `${what} on ${url}`,
    async () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new AppExited(`${what} exited (${child.exitCode ?? child.signalCode}):\n${logs()}`);
      const res = await fetch(`${url}/api/health`);
      return res.ok ? true : undefined;
    },
    timeoutMs,
    200,
  );
}
