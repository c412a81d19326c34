import { expect, Page } from "@playwright/test";

export const PASSWORD = "lobby-demo-pass";
export const ADMIN = "admin@northwind.test";
export const DEPT_ADMIN = "dana.engineering@northwind.test";
export const USER = "uma.user@northwind.test";
export const GUEST = "grace.guest@partner.test";

/** Waits until the WASM has hydrated the page: a click before that lands on inert HTML. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
export const PLAIN_USER = "paul.plain@northwind.test";

/** Signs in and waits until the console has opened (the sign-in page is left). */
export async function signedIn(page: Page, email: string, password = PASSWORD) {
  await signIn(page, email, password);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** Turns File sharing on or off in Settings → Guest Profile (as a Company Admin). */
export async function setFileSharing(page: Page, on: boolean) {
  await page.goto("/settings");
  await hydrated(page);
  const box = page.getByRole("group", { name: "Guest Profile" }).getByLabel("File sharing");
  if (on) await box.check();
  else await box.uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
}

/** Invites one guest by email from the Invitations page with the dialog's defaults, as
 * the signed-in admin, and waits until it is sent. */
export async function inviteGuest(page: Page, email: string) {
  await page.goto("/invitations");
  await hydrated(page);
  await page.getByRole("button", { name: "Invite new members" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  await expect(dialog.getByRole("status")).toHaveText("1 invitation sent.");
}
