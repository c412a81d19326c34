import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Removes this run's SQLite database (playwright.config.ts names it after the run). */
export default async function globalTeardown() {
  const runId = process.env.LOBBY_E2E_RUN;
  if (!runId) return;
  for (const suffix of ["", "-wal", "-shm"]) {
    fs.rmSync(path.join(os.tmpdir(), `lobby-e2e-${runId}.db${suffix}`), { force: true });
  }
}
