import { expect, Page, test } from "@playwright/test";
import { ADMIN, GUEST, USER, hydrated, signIn, signedIn } from "./helpers";

async function openProject(page: Page, name: string) {
  await page.goto("/projects");
  await hydrated(page);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

test("pages carry a nonce Content-Security-Policy and refuse framing, and still hydrate", async ({ page }) => {
  const res = await page.goto("/login");
  const headers = res!.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  const csp = headers["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
  // The browser hides nonce attributes from the DOM; the page working is the proof.
  await hydrated(page);
  expect(nonce.length).toBeGreaterThanOrEqual(16);
});

test("a read-only member who may invite can only invite read-only guests to that project", async ({ page }) => {
  await signedIn(page, USER);
  await openProject(page, "Partner portal");
  await expect(page.getByText("Your permission: Read-only")).toBeVisible();
  await page.getByRole("button", { name: "Invite members" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "New by email" }).click();
  await expect(dialog.getByText("You have read-only access to this project, so you can invite guests with read-only access only.")).toBeVisible();
  await expect(dialog.getByRole("option", { name: "Edit" })).toBeDisabled();
  await expect(dialog.getByLabel("Permission")).toHaveValue("read_only");
  await dialog.getByLabel("Email").fill("reader@outside.test");
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("status")).toHaveText("1 invitation sent.");
  // A crafted request for Edit is refused by the server.
  const project = Number(page.url().split("/").pop());
  const crafted = await page.request.post("/api/send_invitations", {
    data: { input: { emails: "editor@outside.test", role: "Guest", project, permission: "Edit", department: null, expiry: "Never" } },
  });
  expect(crafted.status()).toBe(403);
  expect(await crafted.text()).toContain("read-only access only");
});

test("an invitation cannot be sent again within a minute of the last sending", async ({ page }) => {
  await signedIn(page, ADMIN);
  await page.goto("/invitations");
  await hydrated(page);
  await page.getByRole("button", { name: "Invite new members" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill("twice@outside.test");
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("status")).toHaveText("1 invitation sent.");
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.reload();
  await hydrated(page);
  await page.getByRole("button", { name: "Resend to twice@outside.test" }).click();
  await expect(page.getByRole("alert")).toHaveText("This invitation was sent less than a minute ago. Wait a minute before sending it again.");
});

test("a guest's details show their last sign-in", async ({ page, browser }) => {
  // Grace signs in (in a browser of her own)…
  const ctx = await browser.newContext();
  const grace = await ctx.newPage();
  await signedIn(grace, GUEST);
  await ctx.close();
  // …and the admin sees when.
  await signedIn(page, ADMIN);
  await page.goto("/guests");
  await hydrated(page);
  await page.getByRole("combobox", { name: "Search for guests" }).fill("grace");
  await page.getByRole("option", { name: /Grace Guest/ }).first().click();
  await expect(page.getByRole("heading", { name: /Grace Guest/ })).toBeVisible();
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.locator("dt:text-is('Last sign-in') + dd")).toHaveText(new RegExp(`^${today} \\d{2}:\\d{2} UTC$`));
});

test("a wrong password five times locks the account and says when to try again", async ({ page }) => {
  const email = "nobody.here@northwind.test";
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong password ${i}`);
    await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
  }
  await signIn(page, email, "lobby-demo-pass");
  await expect(page.getByRole("alert")).toHaveText(/^Too many failed sign-ins\. Try again in 1[45] minutes\.$/);
});
