import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usingPostgres } from "../../scripts/lib/databases";
import { formatSoakReport } from "../../scripts/lib/soak/format-report";
import type { SoakReport } from "../../scripts/lib/soak/report";
import { runSoak } from "../../scripts/lib/soak/run";
import { checkSessionRows } from "../../scripts/lib/soak/session-rows";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * The short soak (the long one is `npm run soak`): 40 devices of 10 users sign in, refresh, list
 * and revoke each other for 8 seconds; a client-side model knows which tokens must be refused from
 * which moment on (see scripts/lib/soak/run.ts). Storage follows DATABASE_URL / REDIS_URL like every
 * integration test; the session rows are compared with the model on both (PGlite: after the app
 * stopped, since only one process may open its folder).
 */
let testApp: TestApp;
let report: SoakReport;
let rowCheck: { rows: number; expectedRows: number; mismatches: string[] };

beforeAll(async () => {
  testApp = await startTestApp("soak", { RATE_LIMIT_SCALE: "1000", LOG_LEVEL: "error" });
  report = await runSoak({
    baseUrl: testApp.app.url,
    devices: 40,
    seconds: 8,
    databaseUrl: testApp.database.url,
    // Rarer moves boosted so that 8 seconds see every kind of revocation.
    weights: { logout_local: 1.5, delete_other: 2, logout_others: 1.5, logout_global: 1.2, change_password: 1 },
  });
  console.log(formatSoakReport(report));
  if (usingPostgres()) {
    rowCheck = { rows: report.database.rows ?? -1, expectedRows: report.database.expectedRows ?? -1, mismatches: [] };
  } else {
    await testApp.app.stop();
    const db = new PGlite(testApp.database.env.PGLITE_DATA_DIR!);
    try {
      await db.waitReady;
      rowCheck = await checkSessionRows(
        report.expectation,
        async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
      );
    } finally {
      await db.close();
    }
  }
}, 150_000);

afterAll(async () => {
  await testApp?.stop();
});

const details = () => `\n${report.failures.join("\n")}`;

describe("soak: 40 devices for 8 seconds", () => {
  it("did enough of everything to prove something", () => {
    expect(report.signIns).toBeGreaterThanOrEqual(40);
    expect(report.refreshes).toBeGreaterThan(0);
    expect(report.actions.me?.requests ?? 0).toBeGreaterThan(0);
    expect(report.actions.sessions?.requests ?? 0).toBeGreaterThan(0);
    expect(report.revocations.logoutLocal, "log out this device").toBeGreaterThan(0);
    expect(report.revocations.deleteOther, "DELETE another device").toBeGreaterThan(0);
    expect(report.revocations.logoutOthers, "log out all others").toBeGreaterThan(0);
    expect(report.revocations.logoutGlobal, "log out everywhere").toBeGreaterThan(0);
    expect(report.revocations.passwordChange, "password change").toBeGreaterThan(0);
    expect(report.replays, "dead tokens replayed").toBeGreaterThan(0);
    expect(report.refusalChecks, "revoked devices checked on their next request").toBeGreaterThan(0);
    expect(report.listChecks, "device lists compared with the model").toBeGreaterThan(0);
  });

  it("accepted no revoked or outdated token", () => {
    expect(report.staleAcceptances, details()).toBe(0);
  });

  it("refused every revoked device on its first request after the revocation", () => {
    expect(report.lateRefusals, details()).toBe(0);
  });

  it("answered no 5xx, no 429 and never failed to answer", () => {
    expect(report.fiveXX, details()).toBe(0);
    expect(report.tooManyRequests, details()).toBe(0);
    expect(report.networkErrors, details()).toBe(0);
  });

  it("never refused a live device and answered every request as the API documents", () => {
    expect(report.unexpectedRefusals, details()).toBe(0);
    expect(report.unexpectedStatuses, details()).toBe(0);
  });

  it("listed exactly the live devices", () => {
    expect(report.listMismatches, details()).toBe(0);
  });

  it("lost, duplicated or invented no session row; every row's state matches the model", () => {
    expect(
      rowCheck.mismatches.length === 0 && report.rowMismatches === 0,
      `${rowCheck.mismatches.join("\n")}${details()}`,
    ).toBe(true);
    expect(rowCheck.rows).toBe(report.signIns);
    expect(rowCheck.expectedRows).toBe(report.signIns);
  });

  it("is ok overall", () => {
    expect(report.ok, formatSoakReport(report)).toBe(true);
  });
});
