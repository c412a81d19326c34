import { defineConfig, devices } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";

// Each run starts its own Lobby (release build) on a fresh SQLite database with the
// demo organization, on a port of its own so a developer's server on 3000 is untouched.
const port = Number(process.env.LOBBY_E2E_PORT ?? 3100);
const root = path.resolve(__dirname, "..");
const runId = process.env.LOBBY_E2E_RUN ?? `${Date.now()}-${process.pid}`;
process.env.LOBBY_E2E_RUN = runId;
const db = path.join(os.tmpdir(), `lobby-e2e-${runId}.db`);

export default defineConfig({
  testDir: "./tests",
  globalTeardown: "./global-teardown.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One worker, files in name order: later files change the demo data (incorporate, delete).
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: `${root}/target/release/lobby serve --demo`,
    cwd: root,
    url: `http://127.0.0.1:${port}/login`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      DATABASE_URL: `sqlite://${db}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: `${root}/target/site`,
      LEPTOS_ENV: "PROD",
      RUST_LOG: "warn",
    },
  },
});
