import { expect, test } from "@playwright/test";
import { ADMIN, DEPT_ADMIN, GUEST, USER, hydrated, signIn, expectFits } from "./helpers";

test("the Company Admin signs in and sees the dashboard counts", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Users: 30" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Guests: 40" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of ["Dashboard", "Users", "Guests", "Groups and Departments", "Projects", "Contacts", "Settings", "Activity Report"]) {
    await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
  }
});

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  await signIn(page, ADMIN, "not the password");
  await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
  await expect(page).toHaveURL(/\/login$/);
});

test("an unknown email gets the same answer as a wrong password", async ({ page }) => {
  await signIn(page, "nobody@northwind.test", "not the password");
  await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
});

test("the same sign-in works on a phone-sized screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, ADMIN);
  await expect(page.getByRole("link", { name: "Guests: 40" })).toBeVisible();
  // Nothing sticks out sideways: the page itself does not scroll horizontally.
  await expectFits(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByRole("table")).toBeVisible();
});

test("a Department Admin counts only the guests of their departments", async ({ page }) => {
  await signIn(page, DEPT_ADMIN);
  const guests = page.getByTestId("guests-count");
  await expect(guests).toBeVisible();
  const n = Number(await guests.textContent());
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(40);
});

test("the Users page marks guests with a badge when the filter includes them", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "30 people" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Guest" })).toHaveCount(0);
  await page.getByLabel("Include guests").check();
  await expect(page.getByRole("status").filter({ hasText: "70 people" })).toBeVisible();
  await expect(page.locator(".badge.guest").first()).toHaveText("Guest");
});

test("an ordinary user sees Projects, Contacts and Conversations, and a guest their project, Contacts, Conversations and profile", async ({ page }) => {
  await signIn(page, USER);
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Projects", "Contacts", "Conversations"]);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, GUEST);
  await expect(nav.getByRole("link")).toHaveText(["My project", "Contacts", "Conversations", "My profile"]);
  await expect(page.getByRole("listitem").getByRole("heading")).toHaveCount(1);
});

test("signing out ends the session: the dashboard sends you back to sign in", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await hydrated(page);
  await expect(page).toHaveURL(/\/login$/);
});
