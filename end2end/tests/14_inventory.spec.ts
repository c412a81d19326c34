import { expect, Page, test } from "@playwright/test";
import * as fs from "node:fs";
import { ADMIN, GUEST, PLAIN_USER, expectFits, hydrated, signedIn, inviteGuest } from "./helpers";

const INVITEE = "inventory.invitee@outside.test";

async function openInventory(page: Page, query = "") {
  await page.goto(`/guests/inventory${query}`);
  await expect(page.getByRole("heading", { name: "Guest inventory", level: 1 })).toBeVisible();
  await hydrated(page);
}

/** The inventory table's row of `text` (an email). */
function row(page: Page, text: string) {
  return page.getByRole("table").getByRole("row").filter({ hasText: text });
}

test("a guest invited but not accepted is under Never signed in, as a pending invitation, and in the CSV", async ({ page, browser }) => {
  // Grace signs in, so she is one guest the filter must leave out.
  const ctx = await browser.newContext();
  await signedIn(await ctx.newPage(), GUEST);
  await ctx.close();
  await signedIn(page, ADMIN);
  await inviteGuest(page, INVITEE);

  // From the Guests list to the inventory.
  await page.goto("/guests");
  await hydrated(page);
  await page.getByRole("link", { name: "Guest inventory" }).click();
  await expect(page.getByRole("heading", { name: "Guest inventory", level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole("columnheader")).toHaveText([
    "Name", "Email", "State", "Sponsor department", "Inviter", "Project", /^Invited/, "Accepted", "Last sign-in", "Expiry", "Time left", "Actions",
  ]);
  await page.getByLabel("Never signed in").check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/never=1/);
  const invited = row(page, INVITEE);
  await expect(invited).toHaveCount(1);
  await expect(invited.getByRole("cell").nth(2)).toHaveText("Pending invitation");
  await expect(invited.getByRole("cell").nth(4)).toHaveText("Alice Admin");
  await expect(invited.getByRole("button", { name: `Resend to ${INVITEE}` })).toBeVisible();
  // Every row the filter leaves never signed in; a guest who has (Grace) is not there.
  await expect(row(page, "grace.guest@partner.test")).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^guest-inventory-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync((await download.path())!, "utf8");
  const lines = text.split("\r\n").filter((l) => l.length > 0);
  expect(lines[0]).toBe("Name,Email,State,Sponsor department,Inviter,Project,Permission,Invited,Accepted,Last sign-in,Expiry,Invitation lapses");
  const line = lines.find((l) => l.includes(`,${INVITEE},`));
  expect(line, "the invitation in the CSV").toBeTruthy();
  expect(line!).toContain(",Pending invitation,");
  expect(lines.some((l) => l.includes("grace.guest@partner.test"))).toBe(false);
  // The CSV has the rows the page shows: all of them on one page, or more than a page.
  const next = page.getByRole("navigation", { name: "Inventory pages" }).getByRole("button", { name: "Next" });
  if (await next.isDisabled()) {
    await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(lines.length - 1);
  } else {
    expect(lines.length - 1).toBeGreaterThan(50);
  }

  // Revoking from its row takes it out.
  await row(page, INVITEE).getByRole("button", { name: `Revoke invitation of ${INVITEE}` }).click();
  await expect(page.getByRole("alert")).toHaveText("Invitation revoked.");
  await expect(row(page, INVITEE)).toHaveCount(0);

  // Sorting by a column keeps the filter and says so.
  await page.getByRole("columnheader", { name: "Name" }).getByRole("link").click();
  await expect(page).toHaveURL(/never=1/);
  await expect(page).toHaveURL(/sort=name/);
  await expect(page.getByRole("columnheader", { name: "Name" })).toHaveAttribute("aria-sort", "ascending");

});

test("a guest set to leave in 1 day is on the dashboard's Leaving within 7 days, whose link opens the inventory filtered so", async ({ page }) => {
  await signedIn(page, ADMIN);
  await openInventory(page, "?state=active&sort=name");
  const first = page.getByRole("table").locator("tbody tr").first();
  const email = (await first.getByRole("cell").nth(1).textContent())!.trim();
  const name = (await first.getByRole("cell").nth(0).textContent())!.trim();
  await first.getByRole("button", { name: `Change expiration of ${name}` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("New expiration").selectOption({ label: "1 day" });
  await dialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("alert")).toHaveText("1 guest given a new expiration.");
  // Active no longer: the filter of this page leaves them out.
  await expect(row(page, email)).toHaveCount(0);

  await page.goto("/");
  await hydrated(page);
  const leaving = page.getByRole("link", { name: /^Leaving within 7 days: \d+$/ });
  await expect(leaving).toBeVisible();
  const count = Number((await page.getByTestId("leaving-count").textContent())!.trim());
  expect(count).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole("img", { name: "Invitations and removals per day" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Recent activity" }).getByRole("listitem").first()).toBeVisible();
  await leaving.click();
  await expect(page).toHaveURL(/\/guests\/inventory\?state=expiring/);
  await expect(page.getByRole("heading", { name: "Guest inventory", level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByLabel("State")).toHaveValue("expiring");
  await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(count);
  const leaver = row(page, email);
  await expect(leaver.getByRole("cell").nth(2)).toHaveText("Expiring within 7 days");
  await expect(leaver.locator("td.time-left")).toHaveText(/^(1 day|23 h \d+ min)$/);
  // The other numbers link to their lists too.
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: /^Never signed in: \d+$/ }).click();
  await expect(page).toHaveURL(/never=1/);
});

test("a user has no inventory: the page refuses and the CSV answers 403", async ({ page }) => {
  await signedIn(page, PLAIN_USER);
  const r = await page.request.get("/guests/inventory.csv");
  expect(r.status()).toBe(403);
  await page.goto("/guests/inventory");
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test.describe("on a phone (375 px)", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("the dashboard, the inventory and its filters fit without sideways scrolling", async ({ page }) => {
    await signedIn(page, ADMIN);
    await page.goto("/");
    await hydrated(page);
    await expect(page.getByRole("link", { name: /^Leaving within 7 days: \d+$/ })).toBeVisible();
    await expectFits(page, "the dashboard");
    await openInventory(page, "?state=expiring");
    await expect(page.getByLabel("Expiring within")).toBeVisible();
    await expect(page.getByLabel("Sponsor department")).toBeVisible();
    await expect(page.getByLabel("Inviter")).toBeVisible();
    await expect(page.getByRole("link", { name: "Download CSV" })).toBeVisible();
    await expectFits(page, "the inventory");
  });
});
