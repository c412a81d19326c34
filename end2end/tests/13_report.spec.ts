import { expect, Page, test } from "@playwright/test";
import * as fs from "node:fs";
import { ADMIN, PLAIN_USER, hydrated, signedIn, inviteGuest, expectFits } from "./helpers";

const INVITEE = "report.invitee@outside.test";
const DATE_TO_THE_SECOND = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

async function openReport(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity Report" }).click();
  await expect(page.getByRole("heading", { name: "Activity Report", level: 1 })).toBeVisible();
  await hydrated(page);
}

/** Sets one checkbox of Settings → Users Authorization and saves. */
async function setSetting(page: Page, label: string, on: boolean) {
  await page.goto("/settings");
  await hydrated(page);
  const box = page.getByLabel(label, { exact: true });
  if (on) await box.check();
  else await box.uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
}

/** Selects the first guest of the Guests list other than Grace Guest and confirms `action`. */
async function actOnAGuest(page: Page, action: "Incorporate" | "Delete"): Promise<string> {
  await page.goto("/guests");
  await hydrated(page);
  const boxes = page.getByRole("table").getByRole("checkbox", { name: /^Select (?!all)(?!Grace Guest)/ });
  const label = await boxes.first().getAttribute("aria-label");
  const name = label!.replace(/^Select /, "");
  await boxes.first().check();
  await page.getByRole("button", { name: action }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("alert")).toHaveText(action === "Incorporate" ? "1 guest incorporated." : "1 guest deleted.");
  return name;
}

test("an admin's invitation, incorporation and deletion are in this month's report, to the second, and in its CSV", async ({ page }) => {
  await signedIn(page, ADMIN);
  await inviteGuest(page, INVITEE);
  const incorporated = await actOnAGuest(page, "Incorporate");
  const deleted = await actOnAGuest(page, "Delete");

  await openReport(page);
  const month = page.getByLabel("Month");
  await expect(month).toBeVisible();
  const guests = page.getByRole("region", { name: "Guest activity" });
  await expect(guests.getByRole("columnheader")).toHaveText(["Date", "Administrator/Authorized User", "Action"]);
  for (const [action, about] of [["Invitation", INVITEE], ["Incorporation", incorporated], ["Deletion", deleted]]) {
    const row = guests.getByRole("row").filter({ hasText: `${action}: ${about}` }).first();
    await expect(row).toBeVisible();
    await expect(row.getByRole("cell").nth(0)).toHaveText(DATE_TO_THE_SECOND);
    await expect(row.getByRole("cell").nth(1)).toHaveText("Alice Admin");
  }
  // The chart is drawn from the same entries, with its numbers in words.
  const chart = guests.getByRole("img", { name: "Guest activity per day" });
  await expect(chart).toBeVisible();
  await expect(guests.getByRole("list", { name: "Chart legend" })).toContainText(/Invitations: [1-9]/);
  await expect(page.getByRole("region", { name: "Other activity" })).toBeVisible();

  // A filter narrows the table, and the CSV follows it.
  await page.getByLabel("Action").selectOption({ label: "Deletion" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=deletion/);
  await expect(guests.getByRole("row").filter({ hasText: "Invitation:" })).toHaveCount(0);
  await expect(guests.getByRole("row").filter({ hasText: `Deletion: ${deleted}` })).toHaveCount(1);
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).not.toHaveURL(/action=/);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^activity-report-\d{4}-\d{2}\.csv$/);
  const text = fs.readFileSync((await download.path())!, "utf8");
  const lines = text.split("\r\n").filter((l) => l.length > 0);
  expect(lines[0]).toBe("Section,Date,Administrator/Authorized User,Action,About,Details");
  for (const [action, about] of [["Invitation", INVITEE], ["Incorporation", incorporated], ["Deletion", deleted]]) {
    const line = lines.find((l) => l.includes(`,${action},${about},`));
    expect(line, `${action} of ${about} in the CSV`).toBeTruthy();
    expect(line!).toMatch(/^Guest activity,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z,Alice Admin,/);
  }
});

test("with Invitation of External Users off the guest section is gone; with Receive Activity Report off the report is", async ({ page }) => {
  await signedIn(page, ADMIN);
  try {
    await setSetting(page, "Invitation of External Users", false);
    await openReport(page);
    await expect(page.getByRole("region", { name: "Other activity" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Guest activity" })).toHaveCount(0);
    await expect(page.getByRole("columnheader", { name: "Administrator/Authorized User" })).toHaveCount(0);

    await setSetting(page, "Receive Activity Report", false);
    await openReport(page);
    await expect(page.getByRole("status")).toContainText("The Activity Report is off");
    await expect(page.getByRole("link", { name: "Turn it on in Settings" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Other activity" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
    // The CSV is refused too, not only hidden.
    const csv = await page.request.get("/activity.csv");
    expect(csv.status()).toBe(403);
  } finally {
    await setSetting(page, "Receive Activity Report", true);
    await setSetting(page, "Invitation of External Users", true);
  }
  await openReport(page);
  await expect(page.getByRole("region", { name: "Guest activity" })).toBeVisible();
});

test("a user has no report: no link, and the address refuses", async ({ page }) => {
  await signedIn(page, PLAIN_USER);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity Report" })).toHaveCount(0);
  await page.goto("/activity");
  await hydrated(page);
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  expect((await page.request.get("/activity.csv")).status()).toBe(403);
});

test.describe("on a phone (375 px)", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("the report, its chart and its filters fit without sideways scrolling", async ({ page }) => {
    await signedIn(page, ADMIN);
    await openReport(page);
    const chart = page.getByRole("img", { name: "Guest activity per day" });
    await expect(chart).toBeVisible();
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(375);
    expect(box.width).toBeGreaterThan(250);
    await expect(page.getByLabel("Month")).toBeVisible();
    await expect(page.getByRole("link", { name: "Download CSV" })).toBeVisible();
    await expectFits(page);
  });
});
