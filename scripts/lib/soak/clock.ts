import { performance } from "node:perf_hooks";

/** The timed phase: it starts once every device is signed in and ends at the deadline. */
export class SoakClock {
  started = 0;
  deadline = Infinity;

  start(seconds: number): void {
    this.started = performance.now();
    this.deadline = this.started + seconds * 1000;
  }

  /** Before `start`, never. */
  over(): boolean {
    return performance.now() >= this.deadline;
  }

  /** More than a third of the timed phase has gone by (never before `start`). */
  pastFirstThird(): boolean {
    return performance.now() > this.started + (this.deadline - this.started) / 3;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}
