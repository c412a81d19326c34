import { Browser, expect, Page, test } from "@playwright/test";
import { ADMIN, DEPT_ADMIN, GUEST, USER, hydrated, setFileSharing, signedIn, expectFits } from "./helpers";

async function personIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signedIn(page, email);
  return page;
}

/** From Contacts: Uma's card, then "Message". */
async function messageUma(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Contacts", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Contacts", level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Search contacts").fill("Uma");
  await page.getByRole("region", { name: "Search results" }).getByRole("button", { name: "Uma User" }).click();
  const card = page.getByRole("region", { name: "Contact card of Uma User" });
  await card.getByRole("button", { name: "Message" }).click();
  await expect(page).toHaveURL(/\/conversations\/\d+$/);
  await expect(page.getByRole("heading", { name: "Uma User", level: 1 })).toBeVisible();
  await hydrated(page);
}

/** The Engineering department's channel, as Dana (a member of Engineering) finds it. */
async function engineeringChannel(browser: Browser): Promise<number> {
  const dana = await personIn(browser, DEPT_ADMIN);
  const list = await (await dana.request.post("/api/load_conversations", { form: {} })).json();
  await dana.context().close();
  const channel = list.page.items.find((c: { title: string; kind: string }) => c.title === "Engineering" && c.kind === "Department");
  expect(channel).toBeTruthy();
  return channel.id;
}

test("Grace Guest and Uma message each other, share a file, and File sharing off takes files away", async ({ browser }) => {
  test.setTimeout(120_000);
  const suffix = Date.now().toString(36);
  const grace = await personIn(browser, GUEST);
  const admin = await personIn(browser, ADMIN);
  await setFileSharing(admin, true);

  // Grace opens the conversation from Uma's card and writes.
  await messageUma(grace);
  const graceMessages = grace.getByRole("list", { name: "Messages" });
  await grace.getByLabel("Message", { exact: true }).fill(`Hello Uma, it is Grace ${suffix}`);
  await grace.getByRole("button", { name: "Send" }).click();
  await expect(graceMessages.getByText(`Hello Uma, it is Grace ${suffix}`)).toBeVisible();
  await expect(grace.getByLabel("Message", { exact: true })).toHaveValue("");

  // Uma finds it unread in Conversations and answers.
  const uma = await personIn(browser, USER);
  await uma.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Conversations" }).click();
  await expect(uma.getByRole("heading", { name: "Conversations", level: 1 })).toBeVisible();
  const entry = uma.getByRole("list", { name: "Conversations" }).getByRole("listitem").filter({ hasText: "Grace Guest" });
  await expect(entry.getByLabel(/unread/)).toBeVisible();
  await entry.getByRole("link", { name: "Grace Guest" }).click();
  await expect(uma.getByRole("heading", { name: "Grace Guest", level: 1 })).toBeVisible();
  await hydrated(uma);
  const umaMessages = uma.getByRole("list", { name: "Messages" });
  await expect(umaMessages.getByText(`Hello Uma, it is Grace ${suffix}`)).toBeVisible();
  await uma.getByLabel("Message", { exact: true }).fill(`Hi Grace ${suffix}`);
  await uma.getByRole("button", { name: "Send" }).click();
  await expect(umaMessages.getByText(`Hi Grace ${suffix}`)).toBeVisible();

  // The answer reaches Grace within 5 seconds, without a reload.
  await expect(graceMessages.getByText(`Hi Grace ${suffix}`)).toBeVisible({ timeout: 5_000 });

  // With File sharing on, Grace attaches a file; Uma downloads it.
  const fileName = `notes-${suffix}.txt`;
  await grace.getByLabel("Attach file").setInputFiles({ name: fileName, mimeType: "text/html", buffer: Buffer.from(`Agenda ${suffix}`) });
  await grace.getByRole("button", { name: "Send" }).click();
  await expect(graceMessages.getByRole("link", { name: `Download ${fileName}` })).toBeVisible();
  const link = umaMessages.getByRole("link", { name: `Download ${fileName}` });
  await expect(link).toBeVisible({ timeout: 5_000 });
  await expect(umaMessages.getByText("text/plain")).toBeVisible();
  const [download] = await Promise.all([uma.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(fileName);
  const href = (await link.getAttribute("href"))!;

  // The admin turns File sharing off: Grace's attach control is gone, with the reason;
  // Uma's download of the file already sent is refused.
  await setFileSharing(admin, false);
  await grace.reload();
  await hydrated(grace);
  await expect(grace.getByLabel("Attach file")).toHaveCount(0);
  await expect(grace.getByText("Files cannot be shared here: File sharing is not active for guests")).toBeVisible();
  await expect(grace.getByLabel("Message", { exact: true })).toBeVisible();
  const refused = await uma.request.get(href);
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("File sharing is not active for guests");

  await setFileSharing(admin, true);
  for (const p of [grace, uma, admin]) await p.context().close();
});

test("Grace Guest cannot open the Engineering department channel by its address", async ({ browser }) => {
  const id = await engineeringChannel(browser);
  const grace = await personIn(browser, GUEST);
  await grace.goto(`/conversations/${id}`);
  await hydrated(grace);
  await expect(grace.getByRole("alert")).toHaveText("This conversation was not found.");
  await expect(grace.getByRole("list", { name: "Messages" })).toHaveCount(0);
  const api = await grace.request.post("/api/load_conversation", { form: { id: String(id) } });
  expect(api.status()).toBe(404);
  // Her list holds no department channel.
  await grace.goto("/conversations");
  await hydrated(grace);
  await expect(grace.getByRole("list", { name: "Conversations" }).getByText("Department channel")).toHaveCount(0);
  await grace.context().close();
});

test.describe("on a phone (375 px)", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("Grace reads and writes a conversation without sideways scrolling", async ({ page }) => {
    const suffix = Date.now().toString(36);
    await signedIn(page, GUEST);
    await messageUma(page);
    await page.getByLabel("Message", { exact: true }).fill(`From my phone ${suffix} ${"long-words-".repeat(12)}`);
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByRole("list", { name: "Messages" }).getByText(`From my phone ${suffix}`)).toBeVisible();
    for (const path of [new URL(page.url()).pathname, "/conversations"]) {
      await page.goto(path);
      await hydrated(page);
      await expectFits(page, path);
    }
    await expect(page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: "Uma User" })).toBeVisible();
  });
});
