import { Browser, expect, Page, test } from "@playwright/test";
import { ADMIN, hydrated, PASSWORD, signedIn, USER, expectFits } from "./helpers";

// The demo organization has one-month guests within a week of leaving: the server's
// reminder job mails their inviters and the Company Admin as soon as it starts.

type Reminder = { to: string; guest: string; links: Record<string, string> };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every reminder in the outbox, read by the Company Admin. */
async function reminders(browser: Browser): Promise<Reminder[]> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signedIn(page, ADMIN);
  await page.goto("/outbox");
  await hydrated(page);
  const mails = page.getByRole("listitem").filter({ hasText: "Reminder: guest " });
  await expect(mails.first()).toBeVisible();
  const out: Reminder[] = [];
  for (let i = 0; i < (await mails.count()); i++) {
    const m = mails.nth(i);
    const to = (await m.getAttribute("aria-label"))!.replace(/^Mail to /, "");
    const subject = (await m.locator("strong").first().textContent())!;
    const guest = subject.match(/^Reminder: guest (.+) leaves Northwind Labs on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/)![1];
    const links: Record<string, string> = {};
    for (const choice of ["extend", "let-expire", "incorporate"]) {
      const href = await m.getByRole("link", { name: new RegExp(`/reminder/${choice}$`) }).getAttribute("href");
      links[choice] = new URL(href!).pathname;
    }
    out.push({ to, guest, links });
  }
  await ctx.close();
  return out;
}

const leavesOn = (page: Page) => page.locator("dt:text-is('Leaves on') + dd");

test("a reminder's Extend link asks first; No changes nothing, Yes gives the period again from now", async ({ page, browser }) => {
  const all = await reminders(browser);
  const r = all.find((m) => m.to === ADMIN)!;
  expect(r, "a reminder to the Company Admin").toBeTruthy();
  await signedIn(page, ADMIN);
  await page.goto(r.links["extend"]);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: `Extend ${r.guest}'s access` })).toBeVisible();
  const before = (await leavesOn(page).textContent())!;
  await expect(page.getByTestId("time-left")).toHaveText(/^(\d|1\d) days?( \d+ h)?$|^\d+ h \d+ min$/);
  await page.getByRole("button", { name: "No" }).click();
  await expect(page.getByRole("status")).toHaveText("Nothing was changed.");
  // Opening the link and answering No changed nothing.
  await page.goto(r.links["extend"]);
  await hydrated(page);
  await expect(leavesOn(page)).toHaveText(before);
  await page.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status")).toHaveText(
    new RegExp(`^${escapeRegExp(r.guest)} now leaves on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC \\(1 month from now\\)\\.$`),
  );
  await page.getByRole("link", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`^${escapeRegExp(r.guest)}`) })).toBeVisible();
  await expect(leavesOn(page)).not.toHaveText(before);
  await expect(page.getByTestId("time-left")).toHaveText(/^(2[7-9]|3[01]) days( \d+ h)?$/);
  await expect(page.locator("dt:text-is('Next reminder') + dd")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
});

test("the inviter may Let expire but not Incorporate; others are refused", async ({ page, browser }) => {
  const all = await reminders(browser);
  const r = all.find((m) => m.to !== ADMIN && !m.to.includes("@partner"))!;
  expect(r, "a reminder to an inviter who is not the Company Admin").toBeTruthy();
  await signedIn(page, r.to);
  await page.goto(r.links["incorporate"]);
  await hydrated(page);
  await expect(page.getByRole("alert")).toHaveText(/^Only a Company Admin or a Department Admin/);
  await expect(page.getByRole("button", { name: "Yes" })).toHaveCount(0);
  await page.goto(r.links["let-expire"]);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: `Let ${r.guest}'s access expire` })).toBeVisible();
  await page.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status")).toHaveText(/keeps the date .*; no further reminders will be sent\.$/);
  // Another inviter's guest is none of this user's business.
  const other = all.find((m) => m.to !== r.to && m.to !== ADMIN && m.guest !== r.guest && !m.to.includes("@partner"))!;
  expect(other, "the demo has reminders to several inviters").toBeTruthy();
  await page.goto(other.links["extend"]);
  await hydrated(page);
  await expect(page.getByRole("alert")).toHaveText(/^This guest was not found/);
});

test("signed out, a reminder link leads through sign-in back to its page; at 375 px", async ({ page, browser }) => {
  const all = await reminders(browser);
  const r = all.find((m) => m.to === ADMIN)!;
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(r.links["incorporate"]);
  await expect(page).toHaveURL(/\/login\?next=/);
  await hydrated(page);
  await page.getByLabel("Email").fill(ADMIN);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${escapeRegExp(r.links["incorporate"])}$`));
  await hydrated(page);
  await expect(page.getByRole("heading", { name: `Incorporate ${r.guest}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Yes" })).toBeVisible();
  await expectFits(page);
  await page.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status")).toHaveText(`${r.guest} is now a member of the organization.`);
});

test("the inviter sets a guest's Expiration from the project; a period chosen when inviting starts at acceptance", async ({ page, browser }) => {
  const email = "lena.later@outside.test";
  await signedIn(page, USER);
  await page.goto("/projects");
  await hydrated(page);
  await page.getByRole("link", { name: "Data migration" }).click();
  await expect(page.getByRole("heading", { name: "Data migration" })).toBeVisible();
  await page.getByRole("button", { name: "Invite members" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "New by email" }).click();
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Expiration").selectOption({ label: "1 month" });
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("status")).toHaveText("1 invitation sent.");

  // The invitee accepts through the link in the outbox.
  const ctx = await browser.newContext();
  const admin = await ctx.newPage();
  await signedIn(admin, ADMIN);
  await admin.goto("/outbox");
  const href = await admin.getByRole("listitem", { name: `Mail to ${email}` }).first().getByRole("link").first().getAttribute("href");
  await admin.goto(href!);
  await hydrated(admin);
  await admin.getByLabel("First name").fill("Lena");
  await admin.getByLabel("Last name").fill("Later");
  await admin.getByLabel("Password", { exact: true }).fill("a long enough password");
  await admin.getByRole("button", { name: "Accept invitation" }).click();
  // The browser is now signed in as the new guest, on their project.
  await expect(admin).toHaveURL(/\/my-project$/);
  await ctx.close();

  await page.reload();
  await hydrated(page);
  const row = page.getByRole("row", { name: /Lena Later/ });
  await expect(row.getByRole("cell").nth(3)).toHaveText(/^(2[7-9]|3[01]) days( \d+ h)?$/);
  await row.getByLabel("Expiration for Lena Later", { exact: true }).selectOption({ label: "1 day" });
  await row.getByRole("button", { name: "Set expiration for Lena Later" }).click();
  await expect(row.getByRole("cell").nth(3)).toHaveText(/^(1 day|23 h \d+ min)$/);
  // A guest someone else invited, and a member, have no such control.
  const notHers = page.getByRole("row", { name: /Emma O'Brien/ });
  await expect(notHers).toBeVisible();
  await expect(notHers.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Uma User/ }).getByRole("combobox")).toHaveCount(0);
});
