import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { ADMIN, hydrated, signedIn } from "./helpers";

test("the outbox shows 100 mails a page, newest first, with Older and Newer mail links", async ({ page }) => {
  await signedIn(page, ADMIN);
  await page.goto("/users");
  await hydrated(page);
  await page.getByRole("button", { name: "Invite new members" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Role").selectOption({ label: "Member" });
  // Three batches of 40 members: 120 invitation mails, more than one page.
  for (const batch of [0, 1, 2]) {
    const emails = Array.from({ length: 40 }, (_, i) => `pager${batch}-${i}@northwind.test`).join(", ");
    await dialog.getByLabel("Email").fill(emails);
    await dialog.getByRole("button", { name: "Send invitations" }).click();
    await expect(dialog.getByRole("status")).toHaveText("40 invitations sent.");
  }
  await page.goto("/outbox");
  await hydrated(page);
  const mails = page.locator("li.mail");
  await expect(mails).toHaveCount(100);
  await expect(mails.first()).toHaveAttribute("aria-label", "Mail to pager2-39@northwind.test");
  const pages = page.getByRole("navigation", { name: "Outbox pages" });
  await expect(pages.getByRole("link", { name: "Newer mail" })).toHaveCount(0);
  await pages.getByRole("link", { name: "Older mail" }).click();
  await expect(pages.getByText("Page 2")).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Mail to pager0-0@northwind.test" })).toBeVisible();
  await pages.getByRole("link", { name: "Newer mail" }).click();
  await expect(pages.getByText("Page 1")).toBeVisible();
  await expect(mails).toHaveCount(100);
});

test("the invitations list shows 100 a page, newest first, with Older and Newer invitations links", async ({ page }) => {
  // The 120 member invitations of the test above are pending.
  await signedIn(page, ADMIN);
  await page.goto("/invitations");
  await hydrated(page);
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows).toHaveCount(100);
  await expect(rows.first().getByRole("cell").first()).toHaveText("pager2-39@northwind.test");
  const pages = page.getByRole("navigation", { name: "Invitation pages" });
  await expect(pages.getByRole("link", { name: "Newer invitations" })).toHaveCount(0);
  await pages.getByRole("link", { name: "Older invitations" }).click();
  await expect(pages.getByText("Page 2")).toBeVisible();
  await expect(page.getByRole("cell", { name: "pager0-0@northwind.test", exact: true })).toBeVisible();
  await pages.getByRole("link", { name: "Newer invitations" }).click();
  await expect(rows).toHaveCount(100);
});

test("the Guests list pages by cursor: Next and Previous walk 120 guests, 50 a page, and a sort starts again at page 1", async ({ page }) => {
  // A second organization of 120 generated guests, loaded into the running server's
  // database by the same binary (`lobby generate-guests`).
  const root = path.resolve(__dirname, "..", "..");
  const db = path.join(os.tmpdir(), `lobby-e2e-${process.env.LOBBY_E2E_RUN}.db`);
  execFileSync(`${root}/target/release/lobby`, ["generate-guests", "--count", "120"], {
    env: { ...process.env, DATABASE_URL: `sqlite://${db}`, RUST_LOG: "warn" },
  });
  await signedIn(page, "admin@bench.test");
  await page.goto("/guests");
  await hydrated(page);
  await expect(page.getByTestId("guests-created")).toHaveText("120");
  const rows = page.getByRole("table").locator("tbody tr");
  const pages = page.getByRole("navigation", { name: "Pages" });
  const firstName = async () => (await rows.first().getByRole("checkbox").getAttribute("aria-label"))!;
  await expect(rows).toHaveCount(50);
  await expect(pages.getByText("Page 1 of 3")).toBeVisible();
  await expect(pages.getByRole("button", { name: "Previous" })).toBeDisabled();
  const first = await firstName();

  await pages.getByRole("button", { name: "Next" }).click();
  await expect(pages.getByText("Page 2 of 3")).toBeVisible();
  await expect(rows).toHaveCount(50);
  const second = await firstName();
  expect(second).not.toEqual(first);
  await pages.getByRole("button", { name: "Next" }).click();
  await expect(pages.getByText("Page 3 of 3")).toBeVisible();
  await expect(rows).toHaveCount(20);
  await expect(pages.getByRole("button", { name: "Next" })).toBeDisabled();

  await pages.getByRole("button", { name: "Previous" }).click();
  await expect(pages.getByText("Page 2 of 3")).toBeVisible();
  expect(await firstName()).toEqual(second);
  await pages.getByRole("button", { name: "Previous" }).click();
  await expect(pages.getByText("Page 1 of 3")).toBeVisible();
  expect(await firstName()).toEqual(first);

  // Sorting by another column starts at its first page.
  await pages.getByRole("button", { name: "Next" }).click();
  await expect(pages.getByText("Page 2 of 3")).toBeVisible();
  await page.getByRole("button", { name: "Last Name" }).click();
  await expect(pages.getByText("Page 1 of 3")).toBeVisible();
  await expect(pages.getByRole("button", { name: "Previous" })).toBeDisabled();
});

test("the Users list pages by cursor, by name, and counts guests only when they are included", async ({ page }) => {
  // The generated organization of the test above: its members and 120 guests.
  await signedIn(page, "admin@bench.test");
  await page.goto("/users");
  await hydrated(page);
  const status = page.getByRole("status").filter({ hasText: /people$/ });
  await expect(status).toHaveText(/^\d+ people$/);
  const members = Number((await status.textContent())!.split(" ")[0]);
  expect(members).toBeGreaterThan(0);
  await page.getByLabel("Include guests").check();
  const everyone = members + 120;
  await expect(status).toHaveText(`${everyone} people`);
  const last = Math.ceil(everyone / 50);
  const pages = page.getByRole("navigation", { name: "Pages" });
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(pages.getByText(`Page 1 of ${last}`)).toBeVisible();
  await expect(rows).toHaveCount(50);
  await expect(pages.getByRole("button", { name: "Previous" })).toBeDisabled();
  // Folded as SQLite's LOWER folds (ASCII letters only), compared by code point.
  const lastNames = async () => (await rows.locator("td[data-label='Last Name']").allTextContents()).map((t) => t.replace(/ Guest$/, "").replace(/[A-Z]/g, (c) => c.toLowerCase()));
  const first = await lastNames();
  expect(first).toEqual([...first].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

  for (let n = 2; n <= last; n++) {
    await pages.getByRole("button", { name: "Next" }).click();
    await expect(pages.getByText(`Page ${n} of ${last}`)).toBeVisible();
  }
  await expect(rows).toHaveCount(everyone - 50 * (last - 1));
  await expect(pages.getByRole("button", { name: "Next" })).toBeDisabled();
  for (let n = last - 1; n >= 1; n--) {
    await pages.getByRole("button", { name: "Previous" }).click();
    await expect(pages.getByText(`Page ${n} of ${last}`)).toBeVisible();
  }
  await expect(rows).toHaveCount(50);
  expect(await lastNames()).toEqual(first);

  // Leaving the guests out starts again at the first page, with the members' count.
  await page.getByLabel("Include guests").uncheck();
  await expect(status).toHaveText(`${members} people`);
  await expect(pages.getByRole("button", { name: "Previous" })).toBeDisabled();
});
