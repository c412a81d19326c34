import { expect, Page, test } from "@playwright/test";
import { ADMIN, hydrated, signedIn } from "../tests/helpers";

// Issue 16 §3: 1,000 guest rows created by the Leptos table of the Guests list against
// the same rows created by plain DOM code in the same page, as js-framework-benchmark
// compares a framework with vanilla JS ("create 1,000 rows": into an empty table, until
// the frame after they are in the document).
// - Leptos: the list's own server function answers with 1,000 guests (the real answer
//   of one page, its items repeated with new ids); timed from the moment that answer
//   reaches the page's fetch to the frame after the 1,000th row is in the table. That
//   includes reading and deserializing the answer, as the plain code's JSON.parse.
// - Plain DOM: the same JSON text parsed and the same markup built with
//   createElement/textContent (the same cells, attributes and a change listener on each
//   checkbox), into an empty table of the same page, timed the same way.
// Each run empties the Leptos table first (an answer with no guests), so both create
// rows into an empty table beside the same page.

const RUNS = Number(process.env.LOBBY_BENCH_RUNS ?? 15);
const ROWS = 1000;

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: q(0.5), p99: q(0.99), runs: s.length };
}

/** Clicks a sort header (each click fetches the list again) and waits for `rows` rows. */
async function refetch(page: Page, header: string, rows: number): Promise<number> {
  await page.evaluate((want) => {
    const w = window as any;
    w.__bench = { want, response: 0, painted: 0 };
    if (!w.__origFetch) {
      w.__origFetch = window.fetch.bind(window);
      window.fetch = async (...args: Parameters<typeof fetch>) => {
        const r = await w.__origFetch(...args);
        if (String(args[0] instanceof Request ? args[0].url : args[0]).includes("list_guests")) w.__bench.response = performance.now();
        return r;
      };
    }
    const done = () => {
      return w.__bench.response > 0 && document.querySelectorAll("main table tbody tr").length === want;
    };
    const obs = new MutationObserver(() => {
      if (w.__bench.painted === 0 && done()) {
        obs.disconnect();
        requestAnimationFrame(() => setTimeout(() => { w.__bench.painted = performance.now(); }, 0));
      }
    });
    obs.observe(document.body, { childList: true, subtree: true });
  }, rows);
  await page.getByRole("button", { name: header }).click();
  await page.waitForFunction(() => (window as any).__bench.painted > 0, undefined, { timeout: 60_000 });
  return page.evaluate(() => (window as any).__bench.painted - (window as any).__bench.response);
}

/** The same rows by plain DOM code: parse, build, append, until the next frame. */
async function plain(page: Page, json: string): Promise<number> {
  return page.evaluate(
    (text) =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        const data = JSON.parse(text);
        const table = document.createElement("table");
        table.className = "bench-plain";
        const tbody = document.createElement("tbody");
        const cell = (tr: HTMLElement, text: string, cls?: string, label?: string) => {
          const td = document.createElement("td");
          if (cls) td.className = cls;
          if (label) td.setAttribute("data-label", label);
          td.textContent = text;
          tr.appendChild(td);
          return td;
        };
        const link = (tr: HTMLElement, href: string, text: string) => {
          const td = document.createElement("td");
          td.className = "lead";
          const a = document.createElement("a");
          a.href = href;
          a.textContent = text;
          td.appendChild(a);
          tr.appendChild(td);
        };
        const selected = new Set<number>();
        for (const g of data.page.items) {
          const tr = document.createElement("tr");
          const sel = document.createElement("td");
          sel.className = "select";
          const box = document.createElement("input");
          box.type = "checkbox";
          box.setAttribute("aria-label", `Select ${g.first_name} ${g.last_name}`);
          box.addEventListener("change", () => (box.checked ? selected.add(g.id) : selected.delete(g.id)));
          sel.appendChild(box);
          tr.appendChild(sel);
          const href = `/guests/${g.id}`;
          link(tr, href, g.first_name);
          link(tr, href, g.last_name);
          cell(tr, g.user_id, "user-id", "User ID");
          cell(tr, g.invited_by, undefined, "Invited by");
          cell(tr, g.invited_at ? new Date(g.invited_at).toISOString().slice(0, 10) : "—", "date", "Invitation date");
          cell(tr, g.department, undefined, "Department");
          cell(tr, g.project ?? "—", undefined, "Project");
          cell(tr, g.permission ?? "—", undefined, "Permission");
          const left = g.expires_at ? Math.max(0, Math.floor((g.expires_at - data.now) / 86_400_000)) : null;
          cell(tr, left === null ? "Never" : `${left} days`, "time-left", "Time left");
          tbody.appendChild(tr);
        }
        table.appendChild(tbody);
        document.querySelector("main")!.appendChild(table);
        requestAnimationFrame(() =>
          setTimeout(() => {
            const ms = performance.now() - t0;
            table.remove();
            resolve(ms);
          }, 0),
        );
      }),
    json,
  );
}

test("1,000 guest rows: the Leptos table against plain DOM code in the same page", async ({ page }) => {
  await signedIn(page, ADMIN);
  await page.goto("/guests");
  await hydrated(page);
  // One real answer of the list's server function, to repeat.
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/list_guests") && r.ok()),
    page.getByRole("button", { name: "First Name" }).click(),
  ]);
  const real = await resp.json();
  const items = real.page.items as Array<Record<string, unknown>>;
  expect(items.length).toBeGreaterThan(0);
  const many = Array.from({ length: ROWS }, (_, i) => ({ ...items[i % items.length], id: 1_000_000 + i }));
  const big = JSON.stringify({ ...real, total: ROWS, page: { items: many, next: null, prev: null } });
  const none = JSON.stringify({ ...real, total: 0, page: { items: [], next: null, prev: null } });
  let answer = none;
  await page.route("**/api/list_guests*", (route) => route.fulfill({ status: 200, contentType: "application/json", body: answer }));

  const leptos: number[] = [];
  const vanilla: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    answer = none;
    await refetch(page, "Last Name", 0);
    const p = await plain(page, big);
    answer = big;
    const l = await refetch(page, "First Name", ROWS);
    await expect(page.locator("main table tbody tr")).toHaveCount(ROWS);
    if (i >= 2) {
      // two warm-up runs
      leptos.push(l);
      vanilla.push(p);
    }
  }
  const [l, v] = [stats(leptos), stats(vanilla)];
  console.log(
    `\n| create 1,000 guest rows (Chromium, 1,280 px) | median ms | p99 ms | runs |\n| --- | ---: | ---: | ---: |\n` +
      `| plain DOM code (baseline) | ${v.median.toFixed(1)} | ${v.p99.toFixed(1)} | ${v.runs} |\n` +
      `| Leptos Guests table | ${l.median.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.runs} |\n` +
      `ratio (median): ${(l.median / v.median).toFixed(2)}×`,
  );
});
