import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * The benchmark must not rot: `npm run bench:smoke` (a few seconds per target, same storage as the
 * rest of the suite: DATABASE_URL / REDIS_URL) runs to the end, exits 0 and prints a table row with
 * a figure for each of the six targets. No figure is asserted: a loaded CI machine measures
 * anything, and the full run (`npm run bench`) is where thresholds count.
 */
const TIMEOUT_MS = 120_000;

function runSmoke(): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    // A process group of its own, so that a timeout ends npm, tsx, the app and the load generator together.
    const child = spawn("npm", ["run", "--silent", "bench:smoke"], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const chunks: string[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      chunks.push(`\n[bench-smoke test: no exit after ${TIMEOUT_MS / 1000} s, sending SIGTERM]\n`);
      kill("SIGTERM");
      setTimeout(() => kill("SIGKILL"), 10_000).unref();
    }, TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: chunks.join("") });
    });
  });
}

/** The table's rows: `| id | target | figure | threshold | result |`. */
function tableRows(output: string): { id: string; figure: string; verdict: string }[] {
  return output
    .split("\n")
    .filter((line) => /^\|\s*\d[a-z]?\s*\|/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
      return { id: cells[1] ?? "", figure: cells[3] ?? "", verdict: cells[5] ?? "" };
    });
}

describe("npm run bench:smoke", () => {
  it(
    "exits 0 and prints a row with a figure for each of the 6 targets",
    async () => {
      const { code, signal, output } = await runSmoke();
      const tail = `\n--- bench:smoke output (last 6000 characters) ---\n${output.slice(-6000)}`;
      expect(signal, tail).toBeNull();
      expect(code, tail).toBe(0);
      const rows = tableRows(output);
      for (const target of ["1", "2", "3", "4", "5", "6"]) {
        const mine = rows.filter((r) => r.id.replace(/[a-z]$/, "") === target);
        expect(mine.length, `no row for target ${target}${tail}`).toBeGreaterThan(0);
        for (const row of mine) {
          // A measured figure has a number; a target the storage cannot run says SKIP. Never an error.
          expect(row.figure.startsWith("ERROR"), `target ${row.id}: ${row.figure}${tail}`).toBe(false);
          expect(
            /\d/.test(row.figure) || row.figure.startsWith("SKIP"),
            `target ${row.id} has no figure: ${row.figure}${tail}`,
          ).toBe(true);
          expect(["PASS", "FAIL", "SKIP"], `target ${row.id}`).toContain(row.verdict);
        }
      }
    },
    TIMEOUT_MS + 20_000,
  );
});
