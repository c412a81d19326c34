import { BrowserContext, expect, Page, test } from "@playwright/test";
import { ADMIN, DEPT_ADMIN, GUEST, PLAIN_USER, USER, hydrated, signedIn } from "./helpers";

// Every page, loaded whole (server-rendered, then hydrated) by each role, must hydrate
// without an error. The WASM is held back a second so that the streamed parts of the
// page have all arrived before hydration starts, as on a slow network.

async function slowWasm(context: BrowserContext) {
  await context.route("**/pkg/*.wasm", async (route) => {
    await new Promise((r) => setTimeout(r, 1000));
    await route.continue();
  });
}

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    // A refusal's 4xx status is logged by the browser as a failed load; it is no fault.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text().slice(0, 300));
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message.slice(0, 300)}`));
  return errors;
}

/** The first link on `path` whose href matches `pattern`. */
async function firstHref(page: Page, path: string, pattern: RegExp): Promise<string> {
  await page.goto(path);
  await hydrated(page);
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link like ${pattern} on ${path}`).toBeTruthy();
  return href!;
}

async function visitAll(page: Page, paths: string[], errors: string[]) {
  expect(errors, "console errors before the visits").toEqual([]);
  for (const path of paths) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator("main").first()).not.toContainText("Loading…");
    await page.waitForTimeout(300);
    expect(errors, `console errors on ${path}`).toEqual([]);
  }
}

test("the Company Admin's pages hydrate without errors", async ({ page, context }) => {
  // Ten pages, each waiting a second for the WASM: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const errors = collectErrors(page);
  await signedIn(page, ADMIN);
  const guest = await firstHref(page, "/guests", /^\/guests\/\d+$/);
  const project = await firstHref(page, "/projects", /^\/projects\/\d+$/);
  await slowWasm(context);
  await visitAll(page, ["/", "/users", "/guests", guest, `${guest}/reminder/extend`, "/projects", project, "/invitations", "/outbox", "/settings", "/contacts", "/groups", "/conversations"], errors);
});

test("a Department Admin's, a user's and a guest's pages hydrate without errors", async ({ browser }) => {
  // Four people, each signing in and opening pages that wait a second for the WASM.
  test.setTimeout(90_000);
  for (const who of [DEPT_ADMIN, USER, PLAIN_USER, GUEST]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await signedIn(page, who);
    const home = new URL(page.url()).pathname;
    const project = await firstHref(page, home === "/" ? "/projects" : home, /^\/projects\/\d+$/);
    await slowWasm(context);
    await visitAll(page, [home, project, "/contacts"], errors);
    await context.close();
  }
});
