import pg from "pg";

/** What the model expects in the database: compared by `checkSessionRows`. */
export interface SessionExpectation {
  users: { id: string; epoch: number; tainted: boolean }[];
  sessions: { id: string; userId: string; epoch: number; live: boolean }[];
}

export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Session rows of the soak's users against the model: no duplicated id, no lost and no extra row
 * (one row per successful sign-in), every session the model believes live is live (not revoked,
 * epoch = the user's), every one it believes ended is not, and each user's epoch is the number of
 * successful "log out everywhere" and password changes. Works on pg and PGlite alike.
 */
export async function checkSessionRows(
  expectation: SessionExpectation,
  query: Query,
): Promise<{ rows: number; expectedRows: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  const ids = expectation.users.map((u) => u.id);
  const rows = await query(
    `SELECT s.id, s.user_id::text AS user_id, s.epoch, s.revoked_at IS NOT NULL AS revoked,
            (s.idle_expires_at > now() AND s.absolute_expires_at > now()) AS unexpired
       FROM device_sessions s WHERE s.user_id = ANY($1::uuid[])`,
    [ids],
  );
  const userRows = await query(`SELECT id::text AS id, session_epoch FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  const epochs = new Map(userRows.map((r) => [String(r.id), Number(r.session_epoch)]));
  const tainted = new Set(expectation.users.filter((u) => u.tainted).map((u) => u.id));

  const byId = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const id = String(row.id);
    byId.set(id, [...(byId.get(id) ?? []), row]);
  }
  for (const [id, list] of byId) if (list.length > 1) mismatches.push(`session ${id} has ${list.length} rows`);

  for (const user of expectation.users) {
    if (user.tainted) continue;
    const dbEpoch = epochs.get(user.id);
    if (dbEpoch === undefined) mismatches.push(`user ${user.id} is missing`);
    else if (dbEpoch !== user.epoch)
      mismatches.push(
        `user ${user.id}: session_epoch ${dbEpoch} in the database, ${user.epoch} raises seen by the clients`,
      );
    const expectedRows = expectation.sessions.filter((s) => s.userId === user.id).length;
    const actualRows = rows.filter((r) => String(r.user_id) === user.id).length;
    if (expectedRows !== actualRows)
      mismatches.push(`user ${user.id}: ${actualRows} session rows, ${expectedRows} successful sign-ins`);
  }

  const known = new Set(expectation.sessions.map((s) => s.id));
  for (const row of rows) {
    if (!known.has(String(row.id)) && !tainted.has(String(row.user_id)))
      mismatches.push(`extra row ${String(row.id)} (user ${String(row.user_id)}): no client signed it in`);
  }
  for (const session of expectation.sessions) {
    if (tainted.has(session.userId)) continue;
    const row = byId.get(session.id)?.[0];
    if (!row) {
      mismatches.push(`lost row: session ${session.id} (user ${session.userId}) was signed in but has no row`);
      continue;
    }
    const userEpoch = epochs.get(session.userId) ?? -1;
    const epoch = Number(row.epoch);
    const liveInDb = row.revoked !== true && epoch >= userEpoch && row.unexpired === true;
    if (String(row.user_id) !== session.userId)
      mismatches.push(`session ${session.id} belongs to ${String(row.user_id)}, not ${session.userId}`);
    if (session.live && !liveInDb)
      mismatches.push(
        `session ${session.id} is live for its device but not in the database (revoked ${String(row.revoked)}, epoch ${epoch} / user ${userEpoch})`,
      );
    if (session.live && epoch !== session.epoch)
      mismatches.push(`session ${session.id}: epoch ${epoch} in the database, ${session.epoch} in its tokens`);
    if (!session.live && liveInDb)
      mismatches.push(
        `session ${session.id} was revoked for its clients but is live in the database (epoch ${epoch} / user ${userEpoch})`,
      );
  }
  return { rows: rows.length, expectedRows: expectation.sessions.length, mismatches };
}

/** `checkSessionRows` on the PostgreSQL database at `databaseUrl`. */
export async function checkSessionRowsInPostgres(
  expectation: SessionExpectation,
  databaseUrl: string,
): Promise<{ rows: number; expectedRows: number; mismatches: string[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await checkSessionRows(
      expectation,
      async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[],
    );
  } finally {
    await client.end();
  }
}
