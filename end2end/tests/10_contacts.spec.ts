import { expect, Page, test } from "@playwright/test";
import { ADMIN, GUEST, USER, hydrated, setFileSharing, signedIn, expectFits } from "./helpers";

/** Opens Contacts viewing as Grace Guest, through the "View as" search. */
async function viewAsGrace(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Contacts", level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("View as").fill("Grace");
  await page.getByRole("button", { name: "View as Grace Guest" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Viewing as Grace Guest" })).toHaveText(/Viewing as Grace Guest \(guest\), read-only\./);
}

async function cardOfUma(page: Page) {
  await page.getByLabel("Search contacts").fill("Uma");
  await page.getByRole("region", { name: "Search results" }).getByRole("button", { name: "Uma User" }).click();
  const card = page.getByRole("region", { name: "Contact card of Uma User" });
  await expect(card).toBeVisible();
  return card;
}

test("View as Grace Guest follows the Guest Profile: File sharing off, then on again", async ({ page }) => {
  await signedIn(page, ADMIN);
  await setFileSharing(page, false);
  await viewAsGrace(page);
  // Grace's directory: members only, no All group.
  const people = page.getByRole("region", { name: "People" });
  await expect(people.getByRole("listitem").first()).toBeVisible();
  await expect(people.locator(".badge.guest")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Groups" }).getByRole("button", { name: /^All / })).toHaveCount(0);

  let card = await cardOfUma(page);
  const files = card.getByRole("listitem").filter({ hasText: "File sharing" });
  await expect(files).toContainText("not available");
  await expect(files).toContainText("File sharing is not active for guests in this organization's Guest Profile.");
  await expect(card.getByRole("listitem").filter({ hasText: "Messaging" })).toContainText("available");
  await expect(card.getByRole("listitem").filter({ hasText: "Messaging" })).not.toContainText("not available");

  await setFileSharing(page, true);
  await viewAsGrace(page);
  card = await cardOfUma(page);
  await expect(card.getByRole("listitem").filter({ hasText: "File sharing" })).not.toContainText("not available");
  await expect(card.getByRole("listitem").filter({ hasText: "File sharing" })).toContainText("available");
  await page.getByRole("link", { name: "Stop viewing as" }).first().click();
  await expect(page.getByRole("status").filter({ hasText: "Viewing as" })).toHaveCount(0);
});

test("a guest's Contacts show members only and no All group; a member's show guests and All", async ({ page }) => {
  await signedIn(page, GUEST);
  await page.goto("/contacts");
  await hydrated(page);
  const people = page.getByRole("region", { name: "People" });
  await expect(people.getByRole("listitem").first()).toBeVisible();
  await expect(people.locator(".badge.guest")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Groups" }).getByRole("button", { name: /^All / })).toHaveCount(0);
  await expect(page.getByLabel("View as")).toHaveCount(0);
  // Every guest's email is at a partner's domain: the search finds none of them (only
  // people incorporated earlier in the suite, members now).
  await page.getByLabel("Search contacts").fill("partner");
  const results = page.getByRole("region", { name: "Search results" });
  await expect(results).toBeVisible();
  await expect(results.locator(".badge.guest")).toHaveCount(0);
  await expect(results.getByRole("button", { name: /Guest$/ })).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await signedIn(page, USER);
  await page.goto("/contacts");
  await hydrated(page);
  await expect(page.getByRole("region", { name: "Groups" }).getByRole("button", { name: /^All \(\d+ members\)$/ })).toBeVisible();
  await page.getByLabel("Search contacts").fill("Grace");
  await expect(page.getByRole("region", { name: "Search results" }).getByRole("button", { name: "Grace Guest" })).toBeVisible();
  // Department details list members, never a guest.
  const depts = page.getByRole("region", { name: "Departments" });
  await depts.getByRole("button", { name: /^Engineering / }).click();
  await expect(depts.getByRole("listitem").filter({ hasText: "Dana Engineering" }).first()).toBeVisible();
  await expect(depts.locator(".badge.guest")).toHaveCount(0);
});

test("at 375 px Contacts and a card fit the screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signedIn(page, ADMIN);
  await viewAsGrace(page);
  const card = await cardOfUma(page);
  await card.scrollIntoViewIfNeeded();
  await expect(card.getByRole("listitem").filter({ hasText: "Screen sharing" })).toBeInViewport();
  await expectFits(page);
});
