import { expect, Page, test } from "@playwright/test";
import { ADMIN, DEPT_ADMIN, GUEST, USER, hydrated, signedIn, expectFits } from "./helpers";

async function openGroupsPage(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Groups and Departments" }).click();
  await expect(page.getByRole("heading", { name: "Groups and Departments", level: 1 })).toBeVisible();
  await hydrated(page);
}

test("an admin adds a department and a group with a member; a guest is never offered and refused by the server", async ({ page }) => {
  const suffix = Date.now().toString(36);
  await signedIn(page, ADMIN);
  await openGroupsPage(page);

  const depts = page.getByRole("region", { name: "Departments" });
  await depts.getByText("New department").click();
  await page.getByLabel("Department name").fill(`Research ${suffix}`);
  await page.getByLabel("Parent department").selectOption({ label: "Engineering" });
  await page.getByRole("button", { name: "Create department" }).click();
  await expect(page.getByRole("status")).toHaveText("Department created.");
  await depts.getByRole("button", { name: `Research ${suffix} (0 members)` }).click();
  const dept = page.getByRole("region", { name: `Department Research ${suffix}` });
  await expect(dept.getByRole("definition").first()).toHaveText("Engineering");
  // An empty department is deleted after a confirmation.
  await dept.getByRole("button", { name: "Delete department" }).click();
  await page.getByRole("dialog", { name: "Delete department" }).getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("status")).toHaveText("Department deleted.");
  await expect(depts.getByRole("button", { name: new RegExp(`^Research ${suffix}`) })).toHaveCount(0);

  const groups = page.getByRole("region", { name: "Groups" });
  await groups.getByText("New group").click();
  await page.getByLabel("Group name").fill(`Reviewers ${suffix}`);
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("status")).toHaveText("Group created.");
  await groups.getByRole("button", { name: `Reviewers ${suffix} (0 members)` }).click();
  const panel = page.getByRole("region", { name: `Group Reviewers ${suffix}` });
  // The member picker never offers a guest.
  await panel.getByLabel("Find members").fill("Grace");
  await expect(panel.getByText("No member matches.")).toBeVisible();
  await panel.getByLabel("Find members").fill("Uma");
  await panel.getByRole("button", { name: "Choose Uma User" }).click();
  await panel.getByRole("button", { name: "Add members" }).click();
  await expect(page.getByRole("status")).toHaveText("1 person added to the group.");
  await expect(panel.getByRole("listitem").filter({ hasText: "Uma User" })).toBeVisible();
  await expect(groups.getByRole("button", { name: `Reviewers ${suffix} (1 member)` })).toBeVisible();

  // A crafted request adding Grace Guest is refused with the rule's words.
  const structure = await (await page.request.post("/api/load_structure", { form: {} })).json();
  const group = structure.groups.find((g: { name: string }) => g.name === `Reviewers ${suffix}`);
  const found = await (await page.request.post("/api/search_guests", { form: { query: "Grace Guest" } })).json();
  const grace = found.find((g: { email: string }) => g.email === "grace.guest@partner.test");
  const add = await page.request.post("/api/add_group_members", { data: { group: group.id, people: [grace.id] } });
  expect(add.status()).toBe(403);
  expect(await add.text()).toContain("Guests cannot be added to groups.");
  await expect(groups.getByRole("button", { name: `Reviewers ${suffix} (1 member)` })).toBeVisible();
  // Moving a guest is refused the same way.
  const move = await page.request.post("/api/move_to_department", { form: { person: String(grace.id), department: String(structure.departments[0].id) } });
  expect(move.status()).toBe(403);
  expect(await move.text()).toContain("Guests stay in the Guests department.");
});

test("a Department Admin moves a member within their departments and sees only their tree", async ({ page }) => {
  await signedIn(page, DEPT_ADMIN);
  await openGroupsPage(page);
  const depts = page.getByRole("region", { name: "Departments" });
  await expect(depts.getByRole("button", { name: /^Engineering / })).toBeVisible();
  await expect(depts.getByRole("button", { name: /^Sales / })).toHaveCount(0);
  // Their own department is not theirs to rename; one below is.
  await depts.getByRole("button", { name: /^Engineering / }).click();
  await expect(page.getByRole("region", { name: "Department Engineering" }).getByRole("button", { name: "Delete department" })).toHaveCount(0);
  await depts.getByRole("button", { name: /^Applications / }).click();
  const apps = page.getByRole("region", { name: "Department Applications" });
  await expect(apps.getByRole("button", { name: "Delete department" })).toBeVisible();
  const first = apps.getByRole("listitem").filter({ has: page.getByRole("button", { name: /to department$/ }) }).first();
  const name = (await first.locator(".name").textContent())!;
  await first.getByRole("button", { name: "Move to department" }).click();
  await first.getByLabel("Department", { exact: true }).selectOption({ label: "\u00a0\u00a0Platform" });
  await first.getByRole("button", { name: "Move", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Moved to the department.");
  await depts.getByRole("button", { name: /^Platform / }).click();
  await expect(page.getByRole("region", { name: "Department Platform" }).getByText(name, { exact: true })).toBeVisible();
});

test("at 375 px Groups and Departments fit the screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signedIn(page, ADMIN);
  await page.goto("/groups");
  await hydrated(page);
  await page.getByRole("region", { name: "Departments" }).getByRole("button", { name: /^Engineering / }).click();
  await expect(page.getByRole("region", { name: "Department Engineering" }).getByRole("heading", { name: "Department Admins" })).toBeVisible();
  await page.getByRole("region", { name: "Groups" }).getByRole("button", { name: /^Leadership / }).click();
  await expect(page.getByRole("region", { name: "Group Leadership" }).getByRole("button", { name: "Add members" })).toBeVisible();
  await expectFits(page);
});

test("a guest and a user land on a home of their own at /, never a refusal", async ({ page }) => {
  for (const who of [GUEST, USER]) {
    await page.context().clearCookies();
    await signedIn(page, who);
    await page.goto("/");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: /^Welcome, / })).toBeVisible();
    await expect(page.getByRole("region", { name: /^Your project/ }).getByRole("link").first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Open your contacts" })).toBeVisible();
    await expect(page.getByRole("alert")).toHaveCount(0);
  }
});
