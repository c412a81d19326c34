import { expect, test } from "@playwright/test";
import { DEPT_ADMIN, hydrated, signedIn, USER, expectFits } from "./helpers";

// Settings → API tokens: made in the console, shown once, copied, used, revoked.

test("a Company Admin creates a token, copies it once, uses it, and revokes it", async ({ page, context, request, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(baseURL!).origin });
  await signedIn(page, "admin@northwind.test");
  await page.goto("/settings");
  await hydrated(page);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 1 })).toBeVisible();
  await hydrated(page);

  // Without a scope the server refuses, and nothing is made.
  await page.getByLabel("Name").fill("HR offboarding");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("alert")).toContainText("scope");
  await expect(page.getByRole("textbox", { name: "New token" })).toHaveCount(0);

  const scopes = page.getByRole("group", { name: "Scopes" });
  // A Company Admin may grant every scope, Manage settings included.
  await expect(scopes.getByRole("checkbox")).toHaveCount(6);
  await scopes.getByLabel("Read guests").check();
  await page.getByLabel("Expires in (days)").fill("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const secretBox = page.getByRole("textbox", { name: "New token" });
  await expect(secretBox).toBeVisible();
  const secret = await secretBox.inputValue();
  expect(secret).toMatch(/^lobby_[0-9a-f]{72}$/);
  await expect(page.getByRole("status")).toContainText("shown only once");

  await page.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByText("Copied.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // Listed with its scopes and expiry, never its secret.
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "HR offboarding" }) });
  await expect(card).toContainText("Read guests");
  await expect(card).toContainText("Active");
  await expect(card).toContainText("Never");
  expect(await page.content()).not.toContain(secret.slice(20));

  // The token works on the API, for reading guests only.
  const auth = { Authorization: `Bearer ${secret}` };
  expect((await request.get("/api/v1/guests?limit=1", { headers: auth })).status()).toBe(200);
  expect((await request.get("/api/v1/tokens", { headers: auth })).status()).toBe(403);

  // Reloaded, the secret is gone for good; the last use is shown.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("textbox", { name: "New token" })).toHaveCount(0);
  await expect(card).not.toContainText("Never");

  await card.getByRole("button", { name: "Revoke token HR offboarding" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke token" });
  await expect(dialog.getByRole("button", { name: "No" })).toBeFocused();
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(card).toContainText("Revoked");
  await expect(card.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  const refused = await request.get("/api/v1/guests?limit=1", { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toContain("Bearer");
});

test("a Department Admin may not grant Manage settings; a user is refused the page", async ({ page, browser }) => {
  await signedIn(page, DEPT_ADMIN);
  await page.goto("/settings/tokens");
  await hydrated(page);
  const scopes = page.getByRole("group", { name: "Scopes" });
  await expect(scopes.getByLabel("Manage guests")).toBeVisible();
  await expect(scopes.getByLabel("Manage settings")).toHaveCount(0);

  const other = await browser.newPage();
  await signedIn(other, USER);
  await other.goto("/settings/tokens");
  await expect(other.getByRole("alert")).toBeVisible();
  await expect(other.getByRole("button", { name: "Create token" })).toHaveCount(0);
  await other.close();
});

test.describe("at 375 px", () => {
  test.use({ viewport: { width: 375, height: 800 } });
  test("the tokens page and a new token fit without sideways scrolling", async ({ page }) => {
    await signedIn(page, "admin@northwind.test");
    await page.goto("/settings/tokens");
    await hydrated(page);
    await page.getByLabel("Name").fill("Phone check");
    await page.getByRole("group", { name: "Scopes" }).getByLabel("Ask policy").check();
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByRole("textbox", { name: "New token" })).toBeVisible();
    await expectFits(page);
  });
});
