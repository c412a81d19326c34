import { expect, test } from "@playwright/test";
import { ADMIN, DEPT_ADMIN, expectFits, GUEST, hydrated, signedIn, USER } from "./helpers";

// Issue 16: every page fits the screen. For every role, every link of the Main navigation
// (so pages added later are held to it too) is opened at 375 px and at 1,280 px: the page
// never scrolls sideways, and no list scrolls sideways inside its frame either.

const WIDTHS = [
  { width: 375, height: 812 },
  { width: 1280, height: 800 },
];
// Beside the navigation: the lists an admin reaches from the Guests list.
const ADMIN_LISTS = ["/invitations", "/guests/inventory"];
const ROLES = [
  ["Company Admin", ADMIN, ADMIN_LISTS],
  ["Department Admin", DEPT_ADMIN, ADMIN_LISTS],
  ["member", USER, []],
  ["guest", GUEST, []],
] as const;

for (const size of WIDTHS) {
  for (const [role, email, extra] of ROLES) {
    test(`every page fits ${size.width} px for a ${role}`, async ({ page }) => {
      await page.setViewportSize(size);
      await signedIn(page, email);
      const nav = page.getByRole("navigation", { name: "Main" });
      const linked = await nav.getByRole("link").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
      const hrefs = [...new Set([...linked, ...extra])];
      expect(hrefs.length).toBeGreaterThan(1);
      for (const href of hrefs) {
        await page.goto(href);
        await hydrated(page);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        // Lists render after their data arrives.
        await expect(page.getByText("Loading…")).toHaveCount(0);
        await expectFits(page, href);
        // What a click unfolds (the chart's numbers, details panels) fits too.
        const folded = await page.locator("details:not([open])").count();
        if (folded > 0) {
          await page.locator("details:not([open]) > summary").evaluateAll((ss) => ss.forEach((s) => (s as HTMLElement).click()));
          await expectFits(page, `${href} with ${folded} details open`);
        }
        // The navigation's labels are shown whole ("Groups and Departments" was cut).
        const cut = await nav.getByRole("link").evaluateAll((as) => as.filter((a) => a.scrollWidth > a.clientWidth).map((a) => a.textContent));
        expect(cut, `${href}: cut navigation labels`).toEqual([]);
      }
    });
  }
}

test.describe("the Guests list on a phone", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("rows are cards: the checkbox, the name and the time left are on screen", async ({ page }) => {
    await signedIn(page, ADMIN);
    await page.goto("/guests");
    await hydrated(page);
    const row = page.getByRole("table").locator("tbody tr").first();
    await expect(row.getByRole("checkbox")).toBeInViewport();
    await expect(row.getByRole("link").first()).toBeInViewport();
    const timeLeft = row.locator("td.time-left");
    await expect(timeLeft).toBeInViewport();
    // Each fact says what it is, since the column headers are not beside it.
    await expect(row.locator("td[data-label='Project']")).toBeVisible();
  });
});

test("the bulk actions appear as a toolbar saying how many are selected", async ({ page }) => {
  await signedIn(page, ADMIN);
  await page.goto("/guests");
  await hydrated(page);
  await expect(page.getByRole("toolbar", { name: "Bulk actions" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Incorporate" })).toHaveCount(0);
  const boxes = page.getByRole("table").getByRole("checkbox", { name: /^Select (?!all)/ });
  await boxes.nth(1).check();
  const bar = page.getByRole("toolbar", { name: "Bulk actions" });
  await expect(bar).toBeVisible();
  await expect(bar.getByRole("status")).toHaveText("1 selected");
  await boxes.nth(2).check();
  await expect(bar.getByRole("status")).toHaveText("2 selected");
  for (const name of ["Incorporate", "Delete", "Change expiration"]) await expect(bar.getByRole("button", { name })).toBeEnabled();
  await expect(bar.getByLabel("New expiration")).toBeVisible();
  await bar.getByRole("button", { name: "Clear selection" }).click();
  await expect(bar).toHaveCount(0);
  await expect(boxes.nth(1)).not.toBeChecked();
});
