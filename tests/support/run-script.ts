import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = process.cwd();
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process to its end, collecting its output; killed after `timeoutMs`. Never rejects for a non-zero exit. */
export function runProcess(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs a repository script (`tsx scripts/<name>.ts`) as its own process, as `npm run` would, with
 * the test's environment on top of this one. Never rejects for a non-zero exit: the test judges it.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ScriptResult> {
  return runProcess(process.execPath, [TSX, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeoutMs,
  });
}

/** A failure must be one readable line: no stack trace, no multi-line dump. */
export function expectOneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  if (lines.length !== 1 || /^\s+at /m.test(stderr)) throw new Error(`expected one line on stderr, got:\n${stderr}`);
  return lines[0]!;
}
