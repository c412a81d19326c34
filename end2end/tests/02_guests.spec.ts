import { expect, Page, test } from "@playwright/test";
import { ADMIN, DEPT_ADMIN, hydrated, signIn, expectFits } from "./helpers";

async function openGuests(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Guests", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Guests list" })).toBeVisible();
  await expect(page.getByRole("table")).toBeVisible();
}

async function counter(page: Page): Promise<number> {
  const c = page.getByTestId("guests-created");
  await expect(c).toHaveText(/^\d+$/);
  return Number(await c.textContent());
}

/** The full names of the first `n` rows of the table, leaving Grace Guest (the demo's
 * guest sign-in, used by other tests) alone. */
async function firstNames(page: Page, n: number): Promise<string[]> {
  const boxes = page.getByRole("table").getByRole("checkbox", { name: /^Select (?!all)/ });
  const names: string[] = [];
  for (let i = 0; names.length < n; i++) {
    const label = await boxes.nth(i).getAttribute("aria-label");
    const name = label!.replace(/^Select /, "");
    if (name !== "Grace Guest") names.push(name);
  }
  return names;
}

test("select two guests, Incorporate, No changes nothing, Yes moves them to Users", async ({ page }) => {
  await signIn(page, ADMIN);
  await openGuests(page);
  const before = await counter(page);
  const [a, b] = await firstNames(page, 2);
  await page.getByRole("checkbox", { name: `Select ${a}` }).check();
  await page.getByRole("checkbox", { name: `Select ${b}` }).check();
  await expect(page.getByText("2 selected")).toBeVisible();

  await page.getByRole("button", { name: "Incorporate" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "No" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await counter(page)).toBe(before);
  await expect(page.getByRole("checkbox", { name: `Select ${a}` })).toBeVisible();

  await page.getByRole("button", { name: "Incorporate" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("alert")).toHaveText("2 guests incorporated.");
  await expect(page.getByTestId("guests-created")).toHaveText(String(before - 2));
  await expect(page.getByRole("checkbox", { name: `Select ${a}` })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users", exact: true }).click();
  const row = page.getByRole("row").filter({ hasText: a.split(" ")[1] }).filter({ hasText: a.split(" ")[0] });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Guest", { exact: true })).toHaveCount(0);
  await expect(row).toContainText("User");
});

test("select a guest, Delete, Yes removes them from the list", async ({ page }) => {
  await signIn(page, ADMIN);
  await openGuests(page);
  const before = await counter(page);
  const [a] = await firstNames(page, 1);
  await page.getByRole("checkbox", { name: `Select ${a}` }).check();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("alert")).toHaveText("1 guest deleted.");
  await expect(page.getByTestId("guests-created")).toHaveText(String(before - 1));
  await expect(page.getByRole("checkbox", { name: `Select ${a}` })).toHaveCount(0);
});

test("search: one character shows nothing, two show results below the box, a result opens the guest", async ({ page }) => {
  await signIn(page, ADMIN);
  await openGuests(page);
  const box = page.getByRole("combobox", { name: "Search for guests" });
  await box.fill("g");
  await page.waitForTimeout(600);
  await expect(page.getByRole("listbox")).toHaveCount(0);
  await box.fill("gr");
  const results = page.getByRole("listbox", { name: "Guests found" });
  await expect(results).toBeVisible();
  const option = results.getByRole("option").filter({ hasText: "Grace Guest" });
  await expect(option).toBeVisible();
  await expect(option.getByText("Guest", { exact: true })).toBeVisible();
  const boxBottom = (await box.boundingBox())!.y + (await box.boundingBox())!.height;
  expect((await results.boundingBox())!.y).toBeGreaterThanOrEqual(boxBottom - 1);
  await option.click();
  await expect(page.getByRole("heading", { name: /Grace Guest/ })).toBeVisible();
  await expect(page.getByText("grace.guest@partner.test")).toBeVisible();
});

test("a Department Admin sees a smaller counter than the Company Admin", async ({ page }) => {
  await signIn(page, ADMIN);
  await openGuests(page);
  const all = await counter(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, DEPT_ADMIN);
  await openGuests(page);
  const mine = await counter(page);
  expect(mine).toBeGreaterThan(0);
  expect(mine).toBeLessThan(all);
  // Searching only finds guests of their departments: Grace is sponsored outside them.
  await page.getByRole("combobox", { name: "Search for guests" }).fill("grace");
  await expect(page.getByText("No guest matches.")).toBeVisible();
});

test("sorting by a column reorders the list and says so", async ({ page }) => {
  await signIn(page, ADMIN);
  await openGuests(page);
  // The wide table scrolls inside its frame; the page itself does not grow sideways.
  await expectFits(page);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  const header = page.getByRole("columnheader", { name: "Last Name" });
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  const firstAsc = (await firstNames(page, 1))[0];
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "descending");
  await expect.poll(async () => (await firstNames(page, 1))[0]).not.toBe(firstAsc);
});

test("guest details: rename, upload an avatar, refuse a non-image", async ({ page }) => {
  await signIn(page, ADMIN);
  await openGuests(page);
  const [a] = await firstNames(page, 1);
  await page.getByRole("link", { name: a.split(" ")[0], exact: true }).first().click();
  await expect(page.getByRole("heading", { name: new RegExp(a) })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("First name").fill("Renamed");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: /^Renamed / })).toBeVisible();

  await page.getByLabel("First name").fill(" ");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toHaveText("First name cannot be empty.");

  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );
  await page.getByLabel(/Avatar image/).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await expect(page.getByRole("img", { name: /Avatar of Renamed/ })).toBeVisible();

  await page.getByLabel(/Avatar image/).setInputFiles({ name: "evil.png", mimeType: "image/png", buffer: Buffer.from("<svg onload=alert(1)>") });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await expect(page.getByRole("alert")).toHaveText("An avatar must be a PNG, JPEG or WebP image.");
});

test.describe("on a phone (375 px)", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("search, select, incorporate and delete work at 375 px without the page scrolling sideways", async ({ page }) => {
    await signIn(page, ADMIN);
    await openGuests(page);
    await expectFits(page);
    await page.getByRole("combobox", { name: "Search for guests" }).fill("gr");
    await expect(page.getByRole("listbox").getByRole("option").first()).toBeVisible();
    await page.getByRole("combobox", { name: "Search for guests" }).fill("");
    const before = await counter(page);
    const [inc] = await firstNames(page, 1);
    await page.getByRole("checkbox", { name: `Select ${inc}` }).check();
    await page.getByRole("button", { name: "Incorporate" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "No" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    expect(await counter(page)).toBe(before);
    await page.getByRole("button", { name: "Incorporate" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
    await expect(page.getByRole("alert")).toHaveText("1 guest incorporated.");
    await expect(page.getByTestId("guests-created")).toHaveText(String(before - 1));

    const [a] = await firstNames(page, 1);
    await page.getByRole("checkbox", { name: `Select ${a}` }).check();
    await page.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
    await expect(page.getByTestId("guests-created")).toHaveText(String(before - 2));
  });
});
