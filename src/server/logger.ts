import type { Logger } from "@/core/ports";

type Level = "debug" | "info" | "warn" | "error" | "silent";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * One JSON line per event on stdout/stderr. Callers pass ids and reasons, never secrets.
 * `stream: "stderr"` sends every line to stderr (command-line tools keep stdout for their output).
 */
export function createLogger(level: Level, options: { stream?: "stdout" | "stderr" } = {}): Logger {
  const emit = (at: Exclude<Level, "silent">, event: string, fields?: Record<string, unknown>) => {
    if (order[at] < order[level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: at, event, ...fields });
    if (at === "error" || at === "warn" || options.stream === "stderr") console.error(line);
    else console.log(line);
  };
  return {
    debug: (event, fields) => emit("debug", event, fields),
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}
