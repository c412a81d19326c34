import { expect, Page, test } from "@playwright/test";
import { ADMIN, hydrated, signIn, expectFits } from "./helpers";

async function openFirstGuest(page: Page): Promise<string> {
  await page.goto("/guests");
  await hydrated(page);
  const link = page.getByRole("table").locator("tbody tr").first().getByRole("link").first();
  await link.click();
  await expect(page.getByText("← Guests list")).toBeVisible();
  return page.url();
}

test("set 1 day on a guest: about a day left, counting down live; then 1 week moves the date", async ({ page }) => {
  await page.clock.install();
  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await openFirstGuest(page);
  await hydrated(page);
  await page.getByLabel("Expiration", { exact: true }).selectOption({ label: "1 day" });
  await expect(page.getByText(/^The guest will leave on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/)).toBeVisible();
  await page.getByRole("button", { name: "Set expiration" }).click();
  const left = page.getByTestId("time-left");
  await expect(left).toHaveText(/^(1 day|23 h \d+ min)$/);
  // The page stays open; two hours pass in the browser: the countdown moves by itself.
  await page.clock.fastForward("02:00:00");
  await expect(left).toHaveText(/^2[12] h \d+ min$/);
  const leaves = page.locator("dt:text-is('Leaves on') + dd");
  const oneDay = (await leaves.textContent())!;
  await page.getByLabel("Expiration", { exact: true }).selectOption({ label: "1 week" });
  await page.getByRole("button", { name: "Set expiration" }).click();
  await expect(leaves).not.toHaveText(oneDay);
  await expect(left).toHaveText(/^(6|7) days( \d+ h)?$/);
});

test("bulk change of expiration shows a preview, No changes nothing, Yes applies", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.goto("/guests");
  await hydrated(page);
  const rows = page.getByRole("table").locator("tbody tr");
  const names: string[] = [];
  for (const i of [1, 2]) {
    const box = rows.nth(i).getByRole("checkbox");
    names.push((await box.getAttribute("aria-label"))!.replace(/^Select /, ""));
    await box.check();
  }
  await page.getByLabel("New expiration").selectOption({ label: "6 months" });
  await page.getByRole("button", { name: "Change expiration" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("Set “6 months” from now for these guests?")).toBeVisible();
  for (const n of names) await expect(dialog.getByRole("cell", { name: n })).toBeVisible();
  await dialog.getByRole("button", { name: "No" }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByRole("button", { name: "Change expiration" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("alert")).toHaveText("2 guests given a new expiration.");
  for (const n of names) {
    const row = page.getByRole("table").getByRole("row", { name: new RegExp(`Select ${n}`) });
    await expect(row.locator("td.time-left")).toHaveText(/^(18\d|17\d) days( \d+ h)?$/);
  }
});

test("at 375 px the guest's Expiration select is usable", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await openFirstGuest(page);
  await hydrated(page);
  await page.getByLabel("Expiration", { exact: true }).selectOption({ label: "1 month" });
  await page.getByRole("button", { name: "Set expiration" }).click();
  await expect(page.getByTestId("time-left")).toHaveText(/^(2[7-9]|3[01]) days( \d+ h)?$/);
  await expectFits(page);
});
