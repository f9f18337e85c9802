import { readFile, unlink, writeFile } from "node:fs/promises";

/**
 * PGlite serves one process per data folder; a second one (say `npm run db:seed` while
 * `npm run dev` runs) would corrupt it. A pid file next to the folder turns that into a clear
 * error. A lock left by a process that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(/*turbopackIgnore: true*/ file, String(process.pid), { flag: "wx" });
      return async () => {
        await unlink(/*turbopackIgnore: true*/ file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number((await readFile(/*turbopackIgnore: true*/ file, "utf8").catch(() => "")).trim());
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `The embedded database ${dataDir} is in use by process ${owner} (is \`npm run dev\` running?). ` +
          "Stop that process first, or point DATABASE_URL at PostgreSQL.",
      );
    }
    await unlink(/*turbopackIgnore: true*/ file).catch(() => undefined); // stale: its owner is gone
  }
  throw new Error(`Could not lock the embedded database ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
