import { expect, test } from "@playwright/test";
import { ADMIN, hydrated, signedIn, expectFits } from "./helpers";

const FEATURES = ["Messaging", "File sharing", "Audio calls", "Video calls", "Screen sharing", "Channel creation"];

test("the Guest Profile lists every feature and keeps what the admin saves", async ({ page }) => {
  await signedIn(page, ADMIN);
  await page.goto("/settings");
  await hydrated(page);
  const profile = page.getByRole("group", { name: "Guest Profile" });
  for (const f of FEATURES) {
    await expect(profile.getByRole("checkbox", { name: f, exact: true })).toBeVisible();
  }
  // The demo organization lets its guests message and share files, nothing more.
  await expect(profile.getByLabel("Messaging")).toBeChecked();
  await expect(profile.getByLabel("File sharing")).toBeChecked();
  await expect(profile.getByLabel("Video calls")).not.toBeChecked();

  await profile.getByLabel("File sharing").uncheck();
  await profile.getByLabel("Screen sharing").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await page.reload();
  await hydrated(page);
  await expect(profile.getByLabel("File sharing")).not.toBeChecked();
  await expect(profile.getByLabel("Screen sharing")).toBeChecked();
  await expect(profile.getByLabel("Messaging")).toBeChecked();

  // Back as the demo had it, for the tests after this one.
  await profile.getByLabel("File sharing").check();
  await profile.getByLabel("Screen sharing").uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await page.reload();
  await hydrated(page);
  await expect(profile.getByLabel("File sharing")).toBeChecked();
  await expect(profile.getByLabel("Screen sharing")).not.toBeChecked();
});

test("at 375 px the Guest Profile fits the screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signedIn(page, ADMIN);
  await page.goto("/settings");
  await hydrated(page);
  const profile = page.getByRole("group", { name: "Guest Profile" });
  await profile.getByLabel("Channel creation").scrollIntoViewIfNeeded();
  await expect(profile.getByLabel("Channel creation")).toBeInViewport();
  await expectFits(page);
});
