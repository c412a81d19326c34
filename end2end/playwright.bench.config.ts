import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// Benchmarks (issue 16 §3), not tests: they print numbers for BENCHMARKS.md and assert
// only that what they time happened. `npx playwright test -c playwright.bench.config.ts`
// (scripts/bench-phone.sh) against the same release build and demo server as the suite.
export default defineConfig({
  ...base,
  testDir: "./bench",
  testMatch: "**/*.bench.ts",
  timeout: 600_000,
  reporter: "list",
});
