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

/**
 * How far the page, and each list frame on it, reaches past its visible width (issue 16):
 * `page` is the document's sideways scroll, each other key one `.table-wrap`'s. Every value
 * must be 0 or less for the page to fit its screen.
 */
export async function overflows(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const out: Record<string, number> = { page: doc.scrollWidth - window.innerWidth };
    document.querySelectorAll<HTMLElement>(".table-wrap").forEach((el, i) => {
      if (!el.checkVisibility()) return; // a closed <details>: nothing to scroll yet
      const name = el.querySelector("table")?.className || `table ${i}`;
      out[name] = el.scrollWidth - el.clientWidth;
    });
    return out;
  });
}

/** Asserts that nothing on the page scrolls sideways, naming what does. */
export async function expectFits(page: Page, where = new URL(page.url()).pathname) {
  const over = await overflows(page);
  const width = page.viewportSize()?.width;
  for (const [what, px] of Object.entries(over)) {
    expect(px, `${where} at ${width} px: ${what} scrolls sideways by ${px} px`).toBeLessThanOrEqual(0);
  }
}
