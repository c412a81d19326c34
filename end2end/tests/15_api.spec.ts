import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { expectFits } from "./helpers";
import * as os from "node:os";
import * as path from "node:path";

// The server of this run (see playwright.config.ts): its database, for `lobby create-token`.
const root = path.resolve(__dirname, "..", "..");
const db = path.join(os.tmpdir(), `lobby-e2e-${process.env.LOBBY_E2E_RUN}.db`);

function createToken(scopes: string): string {
  return execFileSync(
    `${root}/target/release/lobby`,
    ["create-token", "--org", "Northwind Labs", "--owner", "admin@northwind.test", "--scopes", scopes, "--days", "7"],
    { env: { ...process.env, DATABASE_URL: `sqlite://${db}` }, encoding: "utf8" },
  ).trim();
}

test("the API reference at /api/docs works offline and lists the operations", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  await page.route("**/*", (route) => {
    if (new URL(route.request().url()).origin !== origin) {
      elsewhere.push(route.request().url());
      return route.abort();
    }
    return route.continue();
  });
  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { name: "Lobby API reference", level: 1 })).toBeVisible();
  const ops = page.getByRole("table", { name: "Operations" });
  await expect(ops.getByRole("row").filter({ hasText: "/api/v1/guests/{id}/expiry" })).toHaveCount(1);
  await expect(ops.getByRole("row").filter({ hasText: "/api/v1/invitations/{id}/resend" })).toHaveCount(1);
  expect(await ops.getByRole("row").count()).toBeGreaterThan(18);
  expect(elsewhere).toEqual([]);
  // At 375 px the table does not scroll sideways.
  await page.setViewportSize({ width: 375, height: 800 });
  await expectFits(page);
});

test("a token made with lobby create-token lists guests, and stops once it revokes itself", async ({ request }) => {
  const token = createToken("read_guests");
  expect(token).toMatch(/^lobby_[0-9a-f]{72}$/);
  const auth = { Authorization: `Bearer ${token}` };
  const list = await request.get("/api/v1/guests?limit=5&sort=last_name", { headers: auth });
  expect(list.status()).toBe(200);
  const body = await list.json();
  expect(body.items).toHaveLength(5);
  expect(typeof body.next_cursor).toBe("string");
  const none = await request.get("/api/v1/guests");
  expect(none.status()).toBe(401);
  expect(none.headers()["content-type"]).toBe("application/problem+json");
  expect((await none.json()).type).toBe("urn:lobby:problem:unauthenticated");
  expect((await request.delete("/api/v1/tokens/current", { headers: auth })).status()).toBe(200);
  expect((await request.get("/api/v1/guests", { headers: auth })).status()).toBe(401);
});
