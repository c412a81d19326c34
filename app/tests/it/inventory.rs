//! The guest inventory (F-INVENTORY) on both backends: every filter's rows against a
//! hand-computed set, pending invitations included, a Department Admin's scope, every
//! sort order walked page by page in both directions, and the CSV (the same rows, the
//! download route and its refusals).

use crate::common;

use app::domain::expiry::ExpiryPeriod;
use app::domain::inventory::{EntryState, InventoryFilters, InventorySort, DAY_MS, INVENTORY_PAGE};
use app::domain::{DeptId, LastSignIn, PersonId, PersonKind, Permission, Viewer};
use app::error::AppError;
use app::model::invitations::InviteInput;
use app::model::inventory::{InventoryItem, InventoryPage, InventoryQuery};
use app::service::inventory as inventory;
use common::web;
use common::{Org, TestApp, PASSWORD};
use http::{header, StatusCode};
use std::collections::BTreeSet;

async fn invite(t: &TestApp, by: &Viewer, email: &str, org: &Org, dept: DeptId) {
    let input = InviteInput {
        emails: email.into(),
        role: PersonKind::Guest,
        project: Some(org.project.0),
        permission: Permission::ReadOnly,
        department: Some(dept.0),
        expiry: ExpiryPeriod::OneMonth,
    };
    app::service::invitations::sending::send(&t.state, by, input).await.unwrap();
}

async fn sql(t: &TestApp, text: &str, binds: &[i64]) {
    let mut q = sqlx::query(text);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(t.pool()).await.unwrap();
}

async fn page(t: &TestApp, who: &Viewer, sort: &str, dir: &str, filters: InventoryFilters, cursor: Option<String>) -> Result<InventoryPage, AppError> {
    inventory::page(&t.state, who, InventoryQuery { sort: sort.into(), dir: dir.into(), filters, cursor }).await
}

/// The emails of a first page.
async fn emails(t: &TestApp, who: &Viewer, filters: InventoryFilters) -> BTreeSet<String> {
    let p = page(t, who, "", "", filters, None).await.unwrap();
    assert!(p.page.next.is_none(), "one page is enough here");
    p.page.items.into_iter().map(|i| i.email).collect()
}

fn set(emails: &[&str]) -> BTreeSet<String> {
    emails.iter().map(|e| e.to_string()).collect()
}

fn f() -> InventoryFilters {
    InventoryFilters::default()
}

/// The world of the filter test, at 2026-11-22 09:00 UTC:
/// - ann (Child): leaves in 2 days, last signed in 40 days ago;
/// - bob (Child): without expiration, never signed in, invited by Dana;
/// - cat (Other): leaves in 20 days, signed in yesterday;
/// - dan (Root): deleted today; eve (Root): deleted 40 days ago (gone from the inventory);
/// - ivy@ (Child): invited today; old@ (Other): invited 5 days ago, lapsing in 2, both pending;
///   a third, 8 days old, has lapsed (its validity is 7 days) though not yet swept.
struct World {
    org: Org,
    admin: Viewer,
    dana: Viewer,
    uma: Viewer,
    dana_id: PersonId,
}

async fn world(t: &TestApp) -> World {
    let org = t.org("Acme").await;
    // Sign-ins are recorded for as long as these guests exist: none is "unknown".
    sql(t, "UPDATE lobby_meta SET value = 0 WHERE key = 'last_seen_recorded_since'", &[]).await;
    let dana_id = t.dept_admin(&org, "dana@acme.test", org.child).await;
    let uma = t.member(&org, "uma@acme.test", org.root, false).await;
    let now = t.now_ms();
    let admin = t.viewer(org.admin).await;
    // The older invitations are sent first, with the clock back.
    t.clock.advance(chrono::Duration::days(-8));
    invite(t, &admin, "lapsed@partner.test", &org, org.other).await;
    t.clock.advance(chrono::Duration::days(3));
    invite(t, &admin, "old@partner.test", &org, org.other).await;
    t.clock.advance(chrono::Duration::days(5));
    invite(t, &admin, "ivy@partner.test", &org, org.child).await;
    let ann = t.guest(&org, "ann@partner.test", org.child, Some(now + 2 * DAY_MS)).await;
    let bob = t.guest(&org, "bob@partner.test", org.child, None).await;
    let cat = t.guest(&org, "cat@partner.test", org.other, Some(now + 20 * DAY_MS)).await;
    let dan = t.guest(&org, "dan@partner.test", org.root, None).await;
    let eve = t.guest(&org, "eve@partner.test", org.root, None).await;
    sql(t, "UPDATE people SET last_seen_at = $1 WHERE id = $2", &[now - 40 * DAY_MS, ann.0]).await;
    sql(t, "UPDATE people SET last_seen_at = $1 WHERE id = $2", &[now - DAY_MS, cat.0]).await;
    // Joined long ago, so "not signed in for 30 days" counts from before.
    sql(t, "UPDATE people SET created_at = $1 WHERE id = $2", &[now - 60 * DAY_MS, ann.0]).await;
    t.set_inviter(&org, bob, dana_id).await;
    app::service::guests::delete(&t.state, &admin, &[dan.0]).await.unwrap();
    app::service::guests::delete(&t.state, &admin, &[eve.0]).await.unwrap();
    sql(t, "UPDATE people SET removed_at = $1 WHERE id = $2", &[now - 40 * DAY_MS, eve.0]).await;
    World { dana: t.viewer(dana_id).await, uma: t.viewer(uma).await, admin, org, dana_id }
}

both_backends! {
    async fn each_filter_gives_the_rows_it_names(t) {
        let w = world(&t).await;
        let a = &w.admin;
        let all = ["ann@partner.test", "bob@partner.test", "cat@partner.test", "dan@partner.test", "ivy@partner.test", "old@partner.test"];
        assert_eq!(emails(&t, a, f()).await, set(&all), "guests, the recently removed and pending invitations; not eve");

        let never = InventoryFilters { never: "1".into(), ..f() };
        assert_eq!(emails(&t, a, never.clone()).await, set(&["bob@partner.test", "ivy@partner.test", "old@partner.test"]));
        let idle = InventoryFilters { idle: "30".into(), ..f() };
        assert_eq!(emails(&t, a, idle).await, set(&["ann@partner.test"]), "bob joined today: not idle for 30 days yet");
        let idle0 = InventoryFilters { idle: "0".into(), ..f() };
        assert_eq!(emails(&t, a, idle0).await, set(&["ann@partner.test", "cat@partner.test"]));
        assert_eq!(emails(&t, a, InventoryFilters { expiring: "7".into(), ..f() }).await, set(&["ann@partner.test"]));
        assert_eq!(emails(&t, a, InventoryFilters { expiring: "30".into(), ..f() }).await, set(&["ann@partner.test", "cat@partner.test"]));
        assert_eq!(emails(&t, a, InventoryFilters { pending_older: "3".into(), ..f() }).await, set(&["old@partner.test"]));
        assert_eq!(emails(&t, a, InventoryFilters { pending_older: "4".into(), ..f() }).await, set(&["old@partner.test"]));
        assert!(emails(&t, a, InventoryFilters { pending_older: "5".into(), ..f() }).await.is_empty(), "exactly 5 days is not older than 5");
        assert_eq!(emails(&t, a, InventoryFilters { lapsing: "1".into(), ..f() }).await, set(&["old@partner.test"]), "2 days of its 7 left");
        let child = InventoryFilters { department: w.org.child.0.to_string(), ..f() };
        assert_eq!(emails(&t, a, child).await, set(&["ann@partner.test", "bob@partner.test", "ivy@partner.test"]));
        let by_dana = InventoryFilters { inviter: w.dana_id.0.to_string(), ..f() };
        assert_eq!(emails(&t, a, by_dana).await, set(&["bob@partner.test"]));
        let by_admin = InventoryFilters { inviter: w.org.admin.0.to_string(), never: "1".into(), ..f() };
        assert_eq!(emails(&t, a, by_admin).await, set(&["ivy@partner.test", "old@partner.test"]), "filters combine");
        let state = |s: &str| InventoryFilters { state: s.into(), ..f() };
        assert_eq!(emails(&t, a, state("pending")).await, set(&["ivy@partner.test", "old@partner.test"]));
        assert_eq!(emails(&t, a, state("expiring")).await, set(&["ann@partner.test"]));
        assert_eq!(emails(&t, a, state("active")).await, set(&["bob@partner.test", "cat@partner.test"]));
        assert_eq!(emails(&t, a, state("removed")).await, set(&["dan@partner.test"]));

        // What a row says.
        let p = page(&t, a, "name", "asc", f(), None).await.unwrap();
        let row = |e: &str| -> InventoryItem { p.page.items.iter().find(|i| i.email == e).cloned().unwrap() };
        let ann = row("ann@partner.test");
        assert_eq!((ann.state, ann.department.as_str(), ann.inviter.as_str()), (EntryState::Expiring, "Child", "Mem admin"));
        assert_eq!(ann.last_sign_in, Some(LastSignIn::At(t.now_ms() - 40 * DAY_MS)));
        assert_eq!(ann.project.as_deref(), Some("Apollo"));
        assert_eq!(row("bob@partner.test").inviter, "Mem dana");
        assert_eq!(row("dan@partner.test").state, EntryState::Removed);
        let ivy = row("ivy@partner.test");
        assert_eq!((ivy.state, ivy.guest_id, ivy.accepted_at, ivy.last_sign_in), (EntryState::Pending, None, None, None));
        assert_eq!((ivy.permission, ivy.expiry_period), (Some(Permission::ReadOnly), Some(ExpiryPeriod::OneMonth)));
        assert!(ivy.invitation_id.is_some() && ivy.lapses_at.unwrap() > t.now_ms());

        // A Department Admin: what their departments sponsor, whatever the filters ask.
        let d = &w.dana;
        assert_eq!(emails(&t, d, f()).await, set(&["ann@partner.test", "bob@partner.test", "ivy@partner.test"]));
        assert!(emails(&t, d, InventoryFilters { department: w.org.other.0.to_string(), ..f() }).await.is_empty());
        assert_eq!(emails(&t, d, InventoryFilters { never: "1".into(), ..f() }).await, set(&["bob@partner.test", "ivy@partner.test"]));

        // Refusals: a user, bad filters, a bad order, a foreign cursor.
        assert!(matches!(page(&t, &w.uma, "", "", f(), None).await, Err(AppError::Forbidden | AppError::NotFound(_))), "a user has no inventory");
        for bad in [
            InventoryFilters { idle: "-3".into(), ..f() },
            InventoryFilters { expiring: "lots".into(), ..f() },
            InventoryFilters { state: "gone".into(), ..f() },
            InventoryFilters { department: "x".into(), ..f() },
        ] {
            assert!(matches!(page(&t, a, "", "", bad.clone(), None).await, Err(AppError::Invalid(_))), "{bad:?}");
        }
        assert!(matches!(page(&t, a, "salary", "", f(), None).await, Err(AppError::Invalid(_))));
        assert!(matches!(page(&t, a, "name", "sideways", f(), None).await, Err(AppError::Invalid(_))));
        assert!(matches!(page(&t, a, "name", "", f(), Some("a.i5.3".into())).await, Err(AppError::Invalid(_))), "a date cursor under a name order");
        // Crafted cursors at the ends of the id range: an empty page, no overflow.
        for c in [format!("a.i0.{}", i64::MAX), format!("b.i0.{}", i64::MIN), format!("a.i{}.{}", i64::MAX, i64::MIN), format!("b.i{}.{}", i64::MIN, i64::MAX)] {
            match page(&t, a, "invited", "", f(), Some(c.clone())).await {
                Ok(p) => assert!(p.page.items.len() <= 6, "{c}"),
                Err(e) => assert!(matches!(e, AppError::Invalid(_)), "{c}: {e:?}"),
            }
        }

        // Sign-ins recorded only since ten days ago: bob, who joined before and has none,
        // is "Unknown", not "Never signed in".
        let now = t.now_ms();
        sql(&t, "UPDATE lobby_meta SET value = $1 WHERE key = 'last_seen_recorded_since'", &[now - 10 * DAY_MS]).await;
        sql(&t, "UPDATE people SET created_at = $1 WHERE email = 'bob@partner.test' AND id > $2", &[now - 20 * DAY_MS, 0]).await;
        assert_eq!(emails(&t, a, never.clone()).await, set(&["ivy@partner.test", "old@partner.test"]));
        let p = page(&t, a, "name", "asc", f(), None).await.unwrap();
        let bob = p.page.items.iter().find(|i| i.email == "bob@partner.test").unwrap();
        assert_eq!(bob.last_sign_in, Some(LastSignIn::UnknownBefore(now - 10 * DAY_MS)));
        let d = app::service::dashboard::admin(&t.state, a).await.unwrap();
        assert_eq!(d.never_signed_in, 2, "the card counts as the filter does");
    }
}

both_backends! {
    async fn every_order_pages_through_every_row_once_both_ways(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let now = t.now_ms();
        // 60 guests and 15 invitations with repeating keys, so ties cross page boundaries.
        let mut total = 0;
        for i in 0..60i64 {
            let expires = (i % 3 != 0).then_some(now + (i % 7 + 1) * DAY_MS);
            let g = t.guest(&org, &format!("g{i:02}@partner.test"), if i % 2 == 0 { org.child } else { org.other }, expires).await;
            if i % 4 == 0 {
                sql(&t, "UPDATE people SET last_seen_at = $1 WHERE id = $2", &[now - (i % 5) * DAY_MS, g.0]).await;
            }
            if i % 10 == 0 {
                sql(&t, "UPDATE people SET last_name = 'same' WHERE id = $1", &[g.0]).await;
            }
            if i == 7 || i == 8 {
                app::service::guests::delete(&t.state, &admin, &[g.0]).await.unwrap();
            }
            total += 1;
        }
        for i in 0..15 {
            let mut tx = t.db().begin_org_write(org.id).await.unwrap();
            let email = format!("inv{i:02}@partner.test");
            common::insert_invitation(&mut tx, &org, &email, org.root, org.admin, t.now_ms(), &email).await;
            tx.commit().await.unwrap();
            total += 1;
        }
        for sort in InventorySort::ALL {
            for dir in ["asc", "desc"] {
                let mut seen: Vec<i64> = Vec::new();
                let mut cursor = None;
                let mut pages = Vec::new();
                loop {
                    let p = page(&t, &admin, sort.key(), dir, f(), cursor.clone()).await.unwrap();
                    assert!(p.page.items.len() as i64 <= INVENTORY_PAGE);
                    seen.extend(p.page.items.iter().map(|i| i.rid));
                    pages.push(p.page.clone());
                    match p.page.next {
                        Some(n) => cursor = Some(n),
                        None => break,
                    }
                }
                assert_eq!(seen.len(), total, "{sort:?} {dir}: every row");
                assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), total, "{sort:?} {dir}: each once");
                assert_eq!(pages.len(), 2, "{sort:?} {dir}: 75 rows are two pages");
                // Back from the last page: the first page again, row for row.
                let back = page(&t, &admin, sort.key(), dir, f(), pages[1].prev.clone()).await.unwrap();
                assert_eq!(back.page.items.iter().map(|i| i.rid).collect::<Vec<_>>(), pages[0].items.iter().map(|i| i.rid).collect::<Vec<_>>(), "{sort:?} {dir}");
                assert!(back.page.prev.is_none(), "{sort:?} {dir}: the first page has no previous");
                // The order is the one asked for.
                let rows: Vec<InventoryItem> = pages.iter().flat_map(|p| p.items.clone()).collect();
                let ordered = rows.windows(2).all(|w| {
                    let (a, b) = (&w[0], &w[1]);
                    let cmp = match sort {
                        InventorySort::Name => a.display_name().to_lowercase().split(' ').last().map(str::to_string).cmp(&b.display_name().to_lowercase().split(' ').last().map(str::to_string)),
                        InventorySort::Invited => a.invited_at.cmp(&b.invited_at),
                        InventorySort::Expiry => a.expires_at.unwrap_or(i64::MAX).cmp(&b.expires_at.unwrap_or(i64::MAX)),
                        InventorySort::LastSignIn => {
                            let v = |i: &InventoryItem| match i.last_sign_in { Some(LastSignIn::At(t)) => t, _ => 0 };
                            v(a).cmp(&v(b))
                        }
                        InventorySort::State => {
                            let rank = |i: &InventoryItem| match i.state { EntryState::Pending => 0, EntryState::Removed => 2, _ => 1 };
                            rank(a).cmp(&rank(b))
                        }
                    };
                    if dir == "asc" { cmp.is_le() } else { cmp.is_ge() }
                });
                assert!(ordered, "{sort:?} {dir}: {:?}", rows.iter().map(|r| (r.display_name().to_string(), r.state)).collect::<Vec<_>>());
            }
        }
        // By state: pending first, then the expiring before the active, the removed last.
        let p = page(&t, &admin, "state", "asc", f(), None).await.unwrap();
        assert_eq!(p.page.items[0].state, EntryState::Pending);
        assert_eq!(p.page.items[15].state, EntryState::Expiring);
    }
}

/// The whole CSV as the viewer would download it.
async fn csv(t: &TestApp, who: &Viewer, sort: &str, filters: &InventoryFilters) -> String {
    let mut export = inventory::csv_export(&t.state, who, sort, "", filters).await.unwrap();
    let mut out = Vec::new();
    while let Some(chunk) = export.next_chunk().await.unwrap() {
        out.extend(chunk);
    }
    String::from_utf8(out).unwrap()
}

both_backends! {
    async fn the_csv_is_the_filtered_rows(t) {
        let w = world(&t).await;
        for filters in [f(), InventoryFilters { never: "1".into(), ..f() }, InventoryFilters { department: w.org.child.0.to_string(), ..f() }] {
            let p = page(&t, &w.admin, "name", "", filters.clone(), None).await.unwrap();
            let text = csv(&t, &w.admin, "name", &filters).await;
            let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
            assert_eq!(lines[0], "Name,Email,State,Sponsor department,Inviter,Project,Permission,Invited,Accepted,Last sign-in,Expiry,Invitation lapses");
            let in_csv: Vec<String> = lines[1..].iter().map(|l| l.split(',').nth(1).unwrap().to_string()).collect();
            let on_page: Vec<String> = p.page.items.iter().map(|i| i.email.clone()).collect();
            assert_eq!(in_csv, on_page, "{filters:?}: the same rows in the same order");
        }
        let all = csv(&t, &w.admin, "name", &f()).await;
        assert!(all.contains("Guest ann,ann@partner.test,Expiring within 7 days,Child,Mem admin,Apollo,Edit,2026-11-22T09:00:00Z,2026-09-23T09:00:00Z,2026-10-13T09:00:00Z,2026-11-24T09:00:00Z,"), "{all}");
        assert!(all.contains(",ivy@partner.test,Pending invitation,Child,Mem admin,Apollo,Read-only,2026-11-22T09:00:00Z,,Never signed in,1 month after acceptance,"), "{all}");
        assert!(all.contains("Guest bob,bob@partner.test,Active,Child,Mem dana,Apollo,Edit,2026-11-22T09:00:00Z,2026-11-22T09:00:00Z,Never signed in,Without expiration,"), "{all}");
        // A name that would be a formula in a spreadsheet is made inert.
        sql(&t, "UPDATE people SET first_name = '=HYPERLINK(1)' WHERE email = 'bob@partner.test'", &[]).await;
        assert!(csv(&t, &w.admin, "", &f()).await.contains("'=HYPERLINK(1) bob,"));
        // The Department Admin's CSV: their rows only.
        let dana = csv(&t, &w.dana, "", &f()).await;
        assert!(dana.contains("ann@partner.test") && !dana.contains("cat@partner.test") && !dana.contains("old@partner.test"), "{dana}");

        // The download route.
        let app = web::app(&t).await;
        let admin = web::sign_in(&app, &w.org.admin_email, PASSWORD).await;
        let r = web::get(&app, "/guests/inventory.csv?state=pending&sort=name", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.header(header::CONTENT_TYPE), Some("text/csv; charset=utf-8"));
        assert!(r.header(header::CONTENT_DISPOSITION).unwrap().contains("guest-inventory-2026-11-22.csv"));
        let lines: Vec<&str> = r.body.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "{}", r.body);
        assert!(lines[1].contains("ivy@partner.test") && lines[2].contains("old@partner.test"), "{}", r.body);
        assert_eq!(web::get(&app, "/guests/inventory.csv", None).await.status, StatusCode::UNAUTHORIZED);
        let uma = web::sign_in(&app, "uma@acme.test", PASSWORD).await;
        assert!(matches!(web::get(&app, "/guests/inventory.csv", Some(&uma)).await.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
        assert_eq!(web::get(&app, "/guests/inventory.csv?idle=-1", Some(&admin)).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(web::get(&app, "/guests/inventory.csv?sort=nope", Some(&admin)).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(web::get(&app, "/guests/inventory.csv?state=%ZZ", Some(&admin)).await.status, StatusCode::BAD_REQUEST);
        // The page renders for the admin, with its filters and the link from the Guests list.
        let page = web::get(&app, "/guests/inventory?never=1", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Never signed in") && page.body.contains("Download CSV") && page.body.contains("bob@partner.test"), "{}", page.body);
        assert!(web::get(&app, "/guests", Some(&admin)).await.body.contains("Guest inventory"));
    }
}

/// The rows the inventory shows for `query` (an address's query string), all pages.
async fn rows_of(t: &TestApp, who: &Viewer, query: &str) -> usize {
    let mut q = InventoryQuery::default();
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap();
        let v = v.to_string();
        match k {
            "state" => q.filters.state = v,
            "never" => q.filters.never = v,
            "lapsing" => q.filters.lapsing = v,
            "sort" => q.sort = v,
            other => panic!("{other}"),
        }
    }
    let mut n = 0;
    loop {
        let p = inventory::page(&t.state, who, q.clone()).await.unwrap();
        n += p.page.items.len();
        match p.page.next {
            Some(c) => q.cursor = Some(c),
            None => return n,
        }
    }
}

both_backends! {
    async fn the_dashboard_counts_what_its_links_show(t) {
        let w = world(&t).await;
        let s = &t.state;
        let d = app::service::dashboard::admin(s, &w.admin).await.unwrap();
        assert_eq!((d.users, d.guests), (3, 3), "ann, bob, cat live; dan and eve removed");
        assert_eq!((d.leaving_soon, d.pending, d.lapsing_soon, d.never_signed_in), (1, 2, 1, 3));
        assert_eq!((d.quota_used, d.quota_limit), (5, 9), "3 guests and 2 pending invitations of 3 × 3 members");
        // Each number is the length of the list its card links to (the links of ui/dashboard.rs).
        for (n, link) in [(d.leaving_soon, "state=expiring&sort=expiry"), (d.pending, "state=pending&sort=state"), (d.lapsing_soon, "lapsing=1&sort=state"), (d.never_signed_in, "never=1")] {
            assert_eq!(rows_of(&t, &w.admin, link).await as i64, n, "{link}");
        }
        // The sparkline: today's invitation (ivy) and two deletions; the older invitations days before.
        let spark = d.sparkline.expect("guest activity is on");
        assert_eq!(spark.days[29], [1, 2], "{:?}", spark.days);
        assert_eq!(spark.days[24], [1, 0]);
        assert_eq!(spark.totals(), [3, 2]);
        let recent = d.recent.expect("the report is on");
        assert_eq!(recent.len(), 5, "{recent:?}");
        assert_eq!((recent[0].action.as_str(), recent[0].about.as_str()), ("Deletion", "Guest eve"));

        // A Department Admin of Child: ann and bob, ivy's invitation; only their entries.
        let d = app::service::dashboard::admin(s, &w.dana).await.unwrap();
        assert_eq!((d.guests, d.leaving_soon, d.pending, d.lapsing_soon, d.never_signed_in), (2, 1, 1, 0, 2));
        for (n, link) in [(d.leaving_soon, "state=expiring&sort=expiry"), (d.pending, "state=pending&sort=state"), (d.never_signed_in, "never=1")] {
            assert_eq!(rows_of(&t, &w.dana, link).await as i64, n, "Dana {link}");
        }
        assert_eq!(d.sparkline.unwrap().totals(), [1, 0], "ivy's invitation is Child's; the deletions are Root's");
        assert!(d.recent.unwrap().iter().all(|e| e.about != "Guest eve"));

        // A user has no dashboard; their home lists their own guests and invitations.
        assert!(matches!(app::service::dashboard::admin(s, &w.uma).await, Err(AppError::Forbidden | AppError::NotFound(_))));
        let own = app::service::dashboard::own_guests(s, &w.dana).await.unwrap();
        assert_eq!(own.guests.iter().map(|g| g.email.as_str()).collect::<Vec<_>>(), ["bob@partner.test"]);
        assert!(own.invitations.is_empty());
        let own = app::service::dashboard::own_guests(s, &w.admin).await.unwrap();
        assert_eq!(own.guests.iter().map(|g| g.email.as_str()).collect::<Vec<_>>(), ["ann@partner.test", "cat@partner.test"], "soonest expiry first");
        assert_eq!(own.invitations.iter().map(|i| i.email.as_str()).collect::<Vec<_>>(), ["ivy@partner.test", "old@partner.test"], "not the lapsed one");

        // Guest activity off: no sparkline; the report off: no recent entries.
        let mut st = app::data::invitations::settings_of(t.pool(), w.org.id).await.unwrap();
        st.receive_activity_report = false;
        let mut tx = t.db().begin_org_write(w.org.id).await.unwrap();
        app::data::invitations::save_settings(&mut tx, w.org.id, &st, w.org.admin, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        let d = app::service::dashboard::admin(s, &w.admin).await.unwrap();
        assert!(d.recent.is_none() && d.sparkline.is_none());
    }
}
