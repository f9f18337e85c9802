// The benchmark's side of the load generator: forks scripts/bench/load-child.ts once and sends it
// jobs. The child runs on its own core time, on loopback, and stops each job at its deadline.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { FromChild, LoadJob, LoadResult } from "./load-protocol";

export class LoadGenerator {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: LoadResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (message: FromChild) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      clearTimeout(waiter.timer);
      if ("error" in message) waiter.reject(new Error(`load generator: ${message.error}`));
      else waiter.resolve(message.result);
    });
    child.on("exit", (code, signal) => {
      for (const [id, waiter] of this.pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`load generator exited (${code ?? signal}) during job ${id}`));
      }
      this.pending.clear();
    });
  }

  static start(): LoadGenerator {
    const file = path.join(process.cwd(), "scripts", "bench", "load-child.ts");
    // tsx as a loader of the child, whatever the parent was started with.
    const child = fork(file, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    return new LoadGenerator(child);
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // The child stops the job at its deadline; this only catches a hung child.
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          reject(new Error(`load generator: job ${job.kind} did not answer within ${job.seconds + 90} s`));
        },
        (job.seconds + 90) * 1000,
      );
      this.pending.set(id, { resolve, reject, timer });
      this.child.send({ id, job });
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
