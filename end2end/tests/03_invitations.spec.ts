import { Browser, expect, Page, test } from "@playwright/test";
import { ADMIN, PLAIN_USER, USER, GUEST, hydrated, signIn, signedIn, expectFits } from "./helpers";

const NEWCOMER = "newcomer@outside.test";
const NEWCOMER_PASSWORD = "a long enough password";

async function openProject(page: Page, name: string) {
  await page.goto("/projects");
  await hydrated(page);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

/** The invitation link for `email`, read by the Company Admin in the outbox. */
async function linkFromOutbox(browser: Browser, email: string): Promise<string> {
  const ctx = await browser.newContext();
  const admin = await ctx.newPage();
  await signIn(admin, ADMIN);
  await expect(admin.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await admin.goto("/outbox");
  const mail = admin.getByRole("listitem", { name: `Mail to ${email}` }).first();
  const href = await mail.getByRole("link").first().getAttribute("href");
  await ctx.close();
  expect(href).toMatch(/\/invite\/[0-9a-f]{64}$/);
  return href!;
}

test("an authorized user invites a read-only guest from a project; the guest accepts and sees only that project", async ({ page, browser }) => {
  await signIn(page, USER);
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  await openProject(page, "Data migration");
  await page.getByRole("button", { name: "Invite members" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "New by email" }).click();
  await dialog.getByLabel("Email").fill(NEWCOMER);
  await expect(dialog.getByLabel("Role")).toHaveValue("guest");
  await dialog.getByLabel("Permission").selectOption({ label: "Read-only" });
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("status")).toHaveText("1 invitation sent.");
  // The same address again: a clear message, nothing sent.
  await dialog.getByLabel("Email").fill(NEWCOMER);
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("alert")).toContainText("already has a pending invitation");

  const link = await linkFromOutbox(browser, NEWCOMER);
  const ctx = await browser.newContext();
  const guest = await ctx.newPage();
  await guest.goto(link);
  await hydrated(guest);
  await expect(guest.getByRole("heading", { name: "Join Northwind Labs" })).toBeVisible();
  await guest.getByLabel("First name").fill("Nora");
  await guest.getByLabel("Last name").fill("Newcomer");
  await guest.getByLabel("Password", { exact: true }).fill(NEWCOMER_PASSWORD);
  await guest.getByRole("button", { name: "Accept invitation" }).click();
  // Accepting signs the new guest in and lands them on their project.
  await expect(guest).toHaveURL(/\/my-project$/);
  await hydrated(guest);
  const nav = guest.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["My project", "Contacts", "Conversations", "My profile"]);
  await expect(guest.getByRole("heading", { name: "My project" })).toBeVisible();
  await expect(guest.getByRole("link", { name: "Data migration" })).toBeVisible();
  await expect(guest.locator(".project-list > li")).toHaveCount(1);
  // The link works once.
  await guest.goto(link);
  await expect(guest.getByRole("alert")).toHaveText("This invitation has already been accepted. Sign in instead.");
  await ctx.close();
});

test("a read-only guest cannot tick a task (no control, server refuses) while an edit guest can", async ({ page }) => {
  await signedIn(page, NEWCOMER, NEWCOMER_PASSWORD);
  await openProject(page, "Data migration");
  await expect(page.getByText("Your permission: Read-only")).toBeVisible();
  const tasks = page.locator("ul.tasks > li");
  await expect(tasks).toHaveCount(3);
  await expect(page.locator("ul.tasks").getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add task" })).toHaveCount(0);
  const project = page.url().split("/").pop()!;
  const task = await tasks.first().getAttribute("data-task-id");
  const crafted = await page.request.post("/api/set_task_done", { form: { project, task: task!, done: "true" } });
  expect(crafted.status()).toBe(403);
  const add = await page.request.post("/api/add_task", { form: { project, title: "Sneaky" } });
  expect(add.status()).toBe(403);
  await page.reload();
  await hydrated(page);
  await expect(tasks).toHaveCount(3);

  // Grace is an edit guest of "Website redesign".
  await page.context().clearCookies();
  await signedIn(page, GUEST);
  await openProject(page, "Website redesign");
  await expect(page.getByText("Your permission: Edit")).toBeVisible();
  await page.getByLabel("New task").fill("Draft the sitemap");
  await page.getByRole("button", { name: "Add task" }).click();
  const box = page.getByRole("checkbox", { name: "Draft the sitemap" });
  await expect(box).not.toBeChecked();
  await box.check();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("checkbox", { name: "Draft the sitemap" })).toBeChecked();
});

test("an unauthorized user has no invite button and the server refuses a crafted request", async ({ page }) => {
  await signIn(page, PLAIN_USER);
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  await openProject(page, "Partner portal");
  await expect(page.getByText("Your permission: Edit")).toBeVisible();
  await expect(page.getByRole("button", { name: "Invite members" })).toHaveCount(0);
  await expect(page.getByRole("note")).toHaveText("You are not authorized to invite guests. Ask a Company Admin.");
  const project = Number(page.url().split("/").pop());
  const crafted = await page.request.post("/api/send_invitations", {
    data: { input: { emails: "sneaky@outside.test", role: "Guest", project, permission: "Edit", department: null, expiry: "Never" } },
  });
  expect(crafted.status()).toBe(403);
  expect(await crafted.text()).toContain("not authorized to invite");
});

test("remove a guest from their project, then add them to another", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Guests", exact: true }).click();
  await hydrated(page);
  const firstName = page.getByRole("table").locator("tbody tr").first().getByRole("link").first();
  await firstName.click();
  await expect(page.getByText("← Guests list")).toBeVisible();
  const projectField = page.locator("dt:text-is('Project') + dd");
  const before = (await projectField.textContent())!.trim();
  expect(before).not.toBe("—");
  await page.getByRole("button", { name: "Remove from workspace" }).click();
  await expect(projectField).toHaveText("—");
  const other = before === "Partner portal" ? "Mobile app 2.0" : "Partner portal";
  await page.getByLabel("Project", { exact: true }).selectOption({ label: other });
  await page.getByLabel("Permission", { exact: true }).selectOption({ label: "Read-only" });
  await page.getByRole("button", { name: "Add to project" }).click();
  await expect(projectField).toHaveText(other);
  await expect(page.locator("dt:text-is('Permission') + dd")).toHaveText("Read-only");
});

test("over the quota the invite dialog says the limit and nothing is sent", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await page.goto("/settings");
  await hydrated(page);
  await page.getByLabel("Guest quota per member").fill("1");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await page.goto("/guests");
  await hydrated(page);
  await page.getByRole("button", { name: "Invite new members" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill("one@outside.test, two@outside.test");
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(/^The guest limit is \d+ \(1 per member\); 0 more can be invited\.$/);
  await page.goto("/invitations");
  await expect(page.getByText("one@outside.test")).toHaveCount(0);
  // Back to the default for whatever runs next.
  await page.goto("/settings");
  await hydrated(page);
  await page.getByLabel("Guest quota per member").fill("3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
});

test("at 375 px the invite dialog and a project page are usable", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signedIn(page, USER);
  await openProject(page, "Data migration");
  await page.getByRole("button", { name: "Invite members" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "New by email" }).click();
  await expect(page.getByRole("dialog").getByRole("button", { name: "Send invitations" })).toBeInViewport();
  await expectFits(page);
});
