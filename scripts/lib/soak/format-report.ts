import type { SoakReport } from "./report";

export function formatSoakReport(report: SoakReport): string {
  const lines: string[] = [];
  const pad = (value: string | number, width: number) => String(value).padStart(width);
  lines.push(`Soak against ${report.baseUrl} (${report.storage}), seed ${report.seed}`);
  lines.push(
    `${report.devices} devices, ${report.users} users, ${report.seconds.toFixed(1)} s, ${report.requests} requests, ` +
      `${report.requestsPerSecond.toFixed(1)} requests/s (timed phase; register, first_sign_in and warm_up happen before the clock)`,
  );
  lines.push("");
  lines.push(
    `${"action".padEnd(16)}${pad("requests", 9)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}${pad("max ms", 9)}  statuses`,
  );
  const order = [
    "register",
    "first_sign_in",
    "warm_up",
    "sign_in",
    "me",
    "refresh",
    "sessions",
    "replay",
    "logout_local",
    "delete_other",
    "logout_others",
    "logout_global",
    "change_password",
    "final_list",
  ];
  const names = [
    ...order.filter((a) => report.actions[a]),
    ...Object.keys(report.actions).filter((a) => !order.includes(a)),
  ];
  for (const name of names) {
    const a = report.actions[name]!;
    const codes = Object.entries(a.statuses)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([code, count]) => `${code}×${count}`)
      .join(" ");
    lines.push(
      `${name.padEnd(16)}${pad(a.requests, 9)}${pad(a.p50Ms.toFixed(1), 9)}${pad(a.p99Ms.toFixed(1), 9)}${pad(a.maxMs.toFixed(0), 9)}  ${codes}`,
    );
  }
  if (report.slowest.length) {
    lines.push(
      `slowest: ${report.slowest
        .slice(0, 5)
        .map((x) => `${x.action} ${x.ms.toFixed(0)} ms at ${x.atSeconds.toFixed(1)} s`)
        .join(", ")}`,
    );
  }
  lines.push("");
  const r = report.revocations;
  lines.push(`sign-ins ${report.signIns}, refreshes ${report.refreshes}, replays of dead tokens ${report.replays}`);
  lines.push(
    `revocations: local ${r.logoutLocal}, delete other ${r.deleteOther}, others ${r.logoutOthers}, global ${r.logoutGlobal}, password change ${r.passwordChange}; ` +
      `${report.sessionsRevoked} sessions ended`,
  );
  lines.push(
    `checked: ${report.refusalChecks} first requests of revoked devices, ${report.listChecks} device lists, ` +
      (report.database.checked
        ? `${report.database.rows} session rows (${report.database.expectedRows} sign-ins)`
        : "session rows not checked (no databaseUrl)"),
  );
  lines.push("");
  const check = (label: string, value: number) =>
    lines.push(`${value === 0 ? "ok  " : "FAIL"} ${label.padEnd(44)}${pad(value, 6)}`);
  check("stale acceptances (dead token -> 2xx)", report.staleAcceptances);
  check("late refusals (revoked device accepted once)", report.lateRefusals);
  check("5xx", report.fiveXX);
  check("429", report.tooManyRequests);
  check("transport errors / timeouts", report.networkErrors);
  check("unexpected refusals (live device refused)", report.unexpectedRefusals);
  check("unexpected statuses", report.unexpectedStatuses);
  check("device-list mismatches", report.listMismatches);
  check("session-row mismatches (lost/extra/state)", report.rowMismatches);
  if (report.failures.length) {
    lines.push("", "first failures:", ...report.failures.slice(0, 20).map((f) => `  - ${f}`));
  }
  lines.push("", report.ok ? "SOAK OK" : "SOAK FAILED");
  return lines.join("\n");
}
