//! The Guests list's server functions (inner), on both backends: scope, search, bulk
//! Incorporate and Delete, details and renaming.

use crate::common;

use app::service::guests as guests;
use app::service::people as people_api;
use app::auth::{check_sign_in, SignInAttempt};
use app::domain::guests::{GuestSort, SortDir};
use app::domain::{PersonKind, Role};
use app::error::AppError;
use common::PASSWORD;

fn attempt(email: &str) -> SignInAttempt {
    SignInAttempt { email: email.into(), password: PASSWORD.into(), address: "t".into() }
}

both_backends! {
    async fn department_admin_cannot_reach_a_guest_outside_their_subtree(t) {
        let org = t.org("Acme").await;
        let other_org = t.org("Bolt").await;
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let inside = t.guest(&org, "inside@x.test", org.grandchild, None).await;
        let outside = t.guest(&org, "outside@x.test", org.other, None).await;
        let foreign = t.guest(&other_org, "foreign@x.test", other_org.root, None).await;

        let page = guests::page(&t.state, &dana, None, GuestSort::LastName, SortDir::Asc).await.unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.page.items.iter().map(|r| r.id).collect::<Vec<_>>(), vec![inside.0]);
        assert!(guests::search(&t.state, &dana, "outside").await.unwrap().is_empty());
        assert!(guests::search(&t.state, &dana, "foreign").await.unwrap().is_empty());
        assert_eq!(guests::search(&t.state, &dana, "inside").await.unwrap().len(), 1);

        for id in [outside, foreign] {
            assert!(matches!(guests::detail(&t.state, &dana, id.0).await, Err(AppError::NotFound(_))));
            let e = guests::incorporate(&t.state, &dana, &[id.0]).await.unwrap_err();
            assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
            assert_eq!(e.to_string(), "1 of the selected guests could not be found. Reload the list and try again.");
            assert!(matches!(guests::delete(&t.state, &dana, &[id.0]).await, Err(AppError::NotFound(_))));
            assert!(matches!(guests::rename(&t.state, &dana, id.0, "X", "Y").await, Err(AppError::NotFound(_))));
        }
        // Nothing changed: the Company Admin still sees all three of Acme's... two guests.
        let admin = t.viewer(org.admin).await;
        assert_eq!(guests::page(&t.state, &admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap().total, 2);
        // And the Company Admin of Acme cannot reach Bolt's guest either.
        assert!(matches!(guests::detail(&t.state, &admin, foreign.0).await, Err(AppError::NotFound(_))));
        assert!(matches!(guests::delete(&t.state, &admin, &[foreign.0]).await, Err(AppError::NotFound(_))));
    }
}

both_backends! {
    async fn users_and_guests_get_nothing_from_the_guests_list(t) {
        let org = t.org("Acme").await;
        let g = t.guest(&org, "g@x.test", org.root, None).await;
        let user = t.viewer(t.member(&org, "u@acme.test", org.root, false).await).await;
        let guest = t.viewer(g).await;
        for v in [&user, &guest] {
            assert_eq!(guests::page(&t.state, v, None, GuestSort::LastName, SortDir::Asc).await.unwrap_err(), AppError::Forbidden);
            assert_eq!(guests::search(&t.state, v, "gu").await.unwrap_err(), AppError::Forbidden);
            assert_eq!(guests::detail(&t.state, v, g.0).await.unwrap_err(), AppError::Forbidden);
            assert_eq!(guests::incorporate(&t.state, v, &[g.0]).await.unwrap_err(), AppError::Forbidden);
            assert_eq!(guests::delete(&t.state, v, &[g.0]).await.unwrap_err(), AppError::Forbidden);
        }
    }
}

both_backends! {
    async fn search_needs_two_characters_and_matches_word_prefixes_folded(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let zoe = t.guest(&org, "zoe.muller@partner.test", org.root, None).await;
        guests::rename(&t.state, &admin, zoe.0, "Zoë", "Müller").await.unwrap();
        let mut last = zoe;
        for i in 0..15 {
            last = t.guest(&org, &format!("guest{i}@x.test"), org.root, None).await;
        }
        assert!(last.0 >= 10, "a user id of two digits or more");
        assert!(guests::search(&t.state, &admin, "").await.unwrap().is_empty());
        assert!(guests::search(&t.state, &admin, "z").await.unwrap().is_empty());
        assert!(guests::search(&t.state, &admin, " m ").await.unwrap().is_empty());
        for q in ["zo", "ZOE", "zoë", "mül", "MULLER", "partner", "zoe.mu"] {
            let hits = guests::search(&t.state, &admin, q).await.unwrap();
            assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![zoe.0], "query {q:?}");
        }
        // Prefixes of words only, not infixes.
        assert!(guests::search(&t.state, &admin, "uller").await.unwrap().is_empty());
        // The user id is searchable.
        let by_id = guests::search(&t.state, &admin, &last.0.to_string()).await.unwrap();
        assert_eq!(by_id.iter().map(|h| h.id).collect::<Vec<_>>(), vec![last.0]);
        // At most ten results.
        assert_eq!(guests::search(&t.state, &admin, "guest").await.unwrap().len(), 10);
        // Members are not guests.
        assert!(guests::search(&t.state, &admin, "admin").await.unwrap().is_empty());
    }
}

both_backends! {
    async fn the_list_sorts_by_each_column_and_pages(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let a = t.guest(&org, "aaron@x.test", org.root, Some(t.now_ms() + 86_400_000)).await;
        t.clock.advance(chrono::Duration::seconds(5));
        let b = t.guest(&org, "bea@x.test", org.other, None).await;
        t.clock.advance(chrono::Duration::seconds(5));
        let c = t.guest(&org, "carl@x.test", org.child, Some(t.now_ms() + 3_600_000)).await;
        let order = |p: app::api::guests::GuestPage| p.page.items.iter().map(|r| r.id).collect::<Vec<_>>();
        let by = |s, d| guests::page(&t.state, &admin, None, s, d);
        assert_eq!(order(by(GuestSort::LastName, SortDir::Asc).await.unwrap()), vec![a.0, b.0, c.0]);
        assert_eq!(order(by(GuestSort::LastName, SortDir::Desc).await.unwrap()), vec![c.0, b.0, a.0]);
        assert_eq!(order(by(GuestSort::InvitationDate, SortDir::Desc).await.unwrap()), vec![c.0, b.0, a.0]);
        // Time left: soonest first, "Without expiration" last.
        assert_eq!(order(by(GuestSort::TimeLeft, SortDir::Asc).await.unwrap()), vec![c.0, a.0, b.0]);
        assert_eq!(order(by(GuestSort::Department, SortDir::Asc).await.unwrap()), vec![c.0, b.0, a.0]);
        for s in GuestSort::ALL {
            assert_eq!(by(s, SortDir::Asc).await.unwrap().page.items.len(), 3, "{s:?}");
        }
        let first = by(GuestSort::LastName, SortDir::Asc).await.unwrap().page.items[0].clone();
        assert_eq!(first.invited_by, "Mem admin");
        assert_eq!(first.department, "Root");
        assert_eq!(first.project.as_deref(), Some("Apollo"));
        // A cursor that is not one, or one of a number-ordered list given to a
        // name-ordered one (and back), is refused with a plain 400.
        let dated = by(GuestSort::InvitationDate, SortDir::Asc).await.unwrap();
        assert!(dated.page.next.is_none() && dated.page.prev.is_none(), "one page only");
        for (cursor, sort) in [("x", GuestSort::LastName), ("a.i5.1", GuestSort::LastName), ("a.t61.1", GuestSort::TimeLeft), ("a.t61.1", GuestSort::InvitationDate)] {
            let e = guests::page(&t.state, &admin, Some(cursor), sort, SortDir::Asc).await.unwrap_err();
            assert!(matches!(e, AppError::Invalid(_)), "{cursor} {sort:?}: {e:?}");
        }
    }
}

both_backends! {
    async fn incorporated_guests_become_members_in_their_sponsor_department(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let g1 = t.guest(&org, "g1@x.test", org.child, Some(t.now_ms() + 1_000_000)).await;
        let g2 = t.guest(&org, "g2@x.test", org.root, None).await;
        let stay = t.guest(&org, "stay@x.test", org.root, None).await;
        assert_eq!(guests::incorporate(&t.state, &admin, &[g1.0, g2.0]).await.unwrap(), 2);

        let page = guests::page(&t.state, &admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap();
        assert_eq!(page.page.items.iter().map(|r| r.id).collect::<Vec<_>>(), vec![stay.0]);
        let users = people_api::list_users(&t.state, &admin, false, None).await.unwrap();
        let g1row = users.page.items.iter().find(|r| r.id == g1.0).expect("on the Users page");
        assert!(!g1row.is_guest);
        assert_eq!(g1row.department, "Child");

        // They sign in as members with user rights, in All, kept in the project with edit.
        let me = check_sign_in(&t.state, &attempt("g1@x.test")).await.unwrap().viewer;
        assert_eq!(me.kind, PersonKind::Member);
        assert_eq!(me.role(), Role::User);
        let (expires, perm, in_all): (Option<i64>, String, i64) = sqlx::query_as(
            "SELECT p.expires_at, pm.permission,
                    (SELECT COUNT(*) FROM group_members gm JOIN org_groups g ON g.id = gm.group_id WHERE g.is_all = 1 AND gm.person_id = p.id)
             FROM people p JOIN project_members pm ON pm.person_id = p.id WHERE p.id = $1")
            .bind(g1.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!((expires, perm.as_str(), in_all), (None, "edit", 1));
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "incorporation").count(), 2);
        // A member can never go back: incorporating again is refused, naming them.
        let e = guests::incorporate(&t.state, &admin, &[g1.0]).await.unwrap_err();
        assert!(matches!(&e, AppError::Conflict(m) if m.contains("already a member")), "{e:?}");
    }
}

both_backends! {
    async fn deleted_guests_leave_everything_and_cannot_sign_in(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let g = t.guest(&org, "gone@x.test", org.root, None).await;
        assert!(check_sign_in(&t.state, &attempt("gone@x.test")).await.is_ok());
        assert_eq!(guests::delete(&t.state, &admin, &[g.0]).await.unwrap(), 1);
        assert_eq!(check_sign_in(&t.state, &attempt("gone@x.test")).await.unwrap_err(), AppError::BadCredentials);
        assert_eq!(guests::page(&t.state, &admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap().total, 0);
        assert!(guests::search(&t.state, &admin, "gone").await.unwrap().is_empty());
        assert_eq!(app::service::dashboard::admin(&t.state, &admin).await.unwrap().guests, 0);
        assert!(matches!(guests::detail(&t.state, &admin, g.0).await, Err(AppError::NotFound(_))));
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert!(log.iter().any(|e| e.action.key() == "deletion" && e.subject_id == Some(g)));
        // The same email may be invited again.
        t.guest(&org, "gone@x.test", org.root, None).await;
    }
}

both_backends! {
    async fn a_bulk_action_with_one_ineligible_guest_changes_nothing(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let a = t.guest(&org, "a@x.test", org.root, None).await;
        let b = t.guest(&org, "b@x.test", org.root, None).await;
        let c = t.guest(&org, "c@x.test", org.root, None).await;
        guests::delete(&t.state, &admin, &[c.0]).await.unwrap();
        let e = guests::incorporate(&t.state, &admin, &[a.0, b.0, c.0]).await.unwrap_err();
        assert!(matches!(&e, AppError::Conflict(m) if m.contains("Guest c was already deleted")), "{e:?}");
        let e = guests::delete(&t.state, &admin, &[a.0, b.0, c.0]).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)));
        let page = guests::page(&t.state, &admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap();
        assert_eq!(page.total, 2, "a and b are untouched");
        // Unknown ids, empty selections: refused, nothing changes.
        assert!(matches!(guests::delete(&t.state, &admin, &[a.0, 987_654]).await, Err(AppError::NotFound(_))));
        assert!(matches!(guests::delete(&t.state, &admin, &[]).await, Err(AppError::Invalid(_))));
        assert_eq!(guests::page(&t.state, &admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap().total, 2);
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "incorporation").count(), 0);
    }
}

both_backends! {
    async fn two_admins_acting_on_one_guest_at_once_one_wins(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let other_admin = t.viewer(t.member(&org, "admin2@acme.test", org.root, true).await).await;
        for round in 0..5 {
            let g = t.guest(&org, &format!("race{round}@x.test"), org.root, None).await;
            let (s1, s2) = (t.state.clone(), t.state.clone());
            let (v1, v2) = (admin.clone(), other_admin.clone());
            let inc = tokio::spawn(async move { guests::incorporate(&s1, &v1, &[g.0]).await });
            let del = tokio::spawn(async move { guests::delete(&s2, &v2, &[g.0]).await });
            let (r1, r2) = (inc.await.unwrap(), del.await.unwrap());
            assert!(r1.is_ok() != r2.is_ok(), "exactly one wins: {r1:?} {r2:?}");
            let loser = if r1.is_ok() { r2 } else { r1 };
            assert!(matches!(loser, Err(AppError::Conflict(_))), "{loser:?}");
            let (kind, state): (String, String) = sqlx::query_as("SELECT kind, state FROM people WHERE id = $1")
                .bind(g.0).fetch_one(t.pool()).await.unwrap();
            assert!(matches!((kind.as_str(), state.as_str()), ("member", "active") | ("guest", "removed")), "{kind} {state}");
            let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity WHERE subject_id = $1 AND action IN ('incorporation', 'deletion')")
                .bind(g.0).fetch_one(t.pool()).await.unwrap();
            assert_eq!(logged, 1);
        }
    }
}

both_backends! {
    async fn renaming_validates_and_updates_search(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let g = t.guest(&org, "g@x.test", org.root, None).await;
        assert!(matches!(guests::rename(&t.state, &admin, g.0, "  ", "X").await, Err(AppError::Invalid(_))));
        assert!(matches!(guests::rename(&t.state, &admin, g.0, "A", &"x".repeat(101)).await, Err(AppError::Invalid(_))));
        guests::rename(&t.state, &admin, g.0, " Héloïse ", "Abélard").await.unwrap();
        let d = guests::detail(&t.state, &admin, g.0).await.unwrap();
        assert_eq!((d.guest.first_name.as_str(), d.guest.last_name.as_str()), ("Héloïse", "Abélard"));
        assert_eq!(guests::search(&t.state, &admin, "helo").await.unwrap().len(), 1);
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert!(log.iter().any(|e| e.action.key() == "guest_edited" && e.subject_id == Some(g)));
    }
}

both_backends! {
    async fn the_benchmark_generator_fills_a_scoped_searchable_list(t) {
        let (admin, dept_admin, _) = app::setup::generate_guests(&t.state, 900).await.unwrap();
        let (admin, dept_admin) = (t.viewer(admin).await, t.viewer(dept_admin).await);
        let all = guests::page(&t.state, &admin, None, GuestSort::TimeLeft, SortDir::Asc).await.unwrap();
        assert_eq!(all.total, 900);
        let some = guests::page(&t.state, &dept_admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap();
        assert!(some.total > 0 && some.total < 900, "{}", some.total);
        let hits = guests::search(&t.state, &admin, "guest 42").await.unwrap();
        assert!(hits.iter().any(|h| h.last_name == "42"), "{hits:?}");
        assert!(hits.len() <= 10);
        // Running it again adds to the same organization.
        app::setup::generate_guests(&t.state, 100).await.unwrap();
        assert_eq!(guests::page(&t.state, &admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap().total, 1000);
    }
}

both_backends! {
    async fn keyset_pages_walk_every_sort_both_ways_and_hold_under_changes(t) {
        use app::domain::guests::PAGE_SIZE;
        use std::collections::HashSet;
        let (admin, _, _) = app::setup::generate_guests(&t.state, 2 * PAGE_SIZE as usize + 25).await.unwrap();
        let admin = t.viewer(admin).await;
        let ids = |p: &app::api::guests::GuestPage| p.page.items.iter().map(|r| r.id).collect::<Vec<_>>();
        for sort in GuestSort::ALL {
            for dir in [SortDir::Asc, SortDir::Desc] {
                // Forwards through every page: each guest once, nothing missed.
                let mut pages = vec![guests::page(&t.state, &admin, None, sort, dir).await.unwrap()];
                assert!(pages[0].page.prev.is_none(), "{sort:?} {dir:?}: no page before the first");
                while let Some(next) = pages.last().unwrap().page.next.clone() {
                    pages.push(guests::page(&t.state, &admin, Some(&next), sort, dir).await.unwrap());
                    assert!(pages.len() <= 3, "{sort:?} {dir:?}: more pages than guests");
                }
                let seen: Vec<i64> = pages.iter().flat_map(&ids).collect();
                assert_eq!(pages.len(), 3, "{sort:?} {dir:?}");
                assert_eq!(seen.len(), 2 * PAGE_SIZE as usize + 25, "{sort:?} {dir:?}");
                assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len(), "{sort:?} {dir:?}: a guest twice");
                // Backwards from the last page: the same pages again.
                let mut back = pages.last().unwrap().clone();
                for want in pages.iter().rev().skip(1) {
                    back = guests::page(&t.state, &admin, back.page.prev.as_deref(), sort, dir).await.unwrap();
                    assert_eq!(ids(&back), ids(want), "{sort:?} {dir:?}: back one page");
                }
                assert!(back.page.prev.is_none(), "{sort:?} {dir:?}: back at the first page");
            }
        }
        // Changes between two page reads neither repeat nor skip anyone: the next page
        // starts after the last guest shown, wherever the rows moved.
        let first = guests::page(&t.state, &admin, None, GuestSort::InvitationDate, SortDir::Asc).await.unwrap();
        let second = guests::page(&t.state, &admin, first.page.next.as_deref(), GuestSort::InvitationDate, SortDir::Asc).await.unwrap();
        let shown = ids(&first);
        guests::delete(&t.state, &admin, &shown[..5]).await.unwrap();
        guests::delete(&t.state, &admin, &ids(&second)[..1]).await.unwrap();
        let again = guests::page(&t.state, &admin, first.page.next.as_deref(), GuestSort::InvitationDate, SortDir::Asc).await.unwrap();
        assert_eq!(ids(&again)[..PAGE_SIZE as usize - 1], ids(&second)[1..], "the deleted guest is gone and no one moved up from page 1");
        // A page whose guests were all deleted is empty, without links (the console
        // offers the way back to the first page).
        let last_cursor = again.page.next.clone().unwrap();
        let last = guests::page(&t.state, &admin, Some(&last_cursor), GuestSort::InvitationDate, SortDir::Asc).await.unwrap();
        let last_len = last.page.items.len() as i64;
        assert!(last_len > 0);
        guests::delete(&t.state, &admin, &ids(&last)).await.unwrap();
        let gone = guests::page(&t.state, &admin, Some(&last_cursor), GuestSort::InvitationDate, SortDir::Asc).await.unwrap();
        assert!(gone.page.items.is_empty() && gone.page.next.is_none() && gone.page.prev.is_none());
        assert_eq!(gone.total, 2 * PAGE_SIZE + 25 - 6 - last_len);
    }
}

/// The ids of the organization's live guests in the order of `sort`, as a join computes
/// it (what the kept keys must give), ascending or descending.
async fn joined_order(t: &common::TestApp, org: &common::Org, sort: GuestSort, desc: bool) -> Vec<i64> {
    let key = match sort {
        GuestSort::InvitedBy => "LOWER(COALESCE(inv.last_name, ''))",
        GuestSort::Department => "LOWER(COALESCE(d.name, ''))",
        _ => "LOWER(COALESCE(pr.name, ''))",
    };
    let dir = if desc { "DESC" } else { "ASC" };
    sqlx::query_scalar(&format!(
        "SELECT p.id FROM people p LEFT JOIN people inv ON inv.id = p.invited_by
           LEFT JOIN departments d ON d.id = p.sponsor_department_id LEFT JOIN projects pr ON pr.id = p.project_id
         WHERE p.org_id = $1 AND p.kind = 'guest' AND p.state <> 'removed' ORDER BY {key} {dir}, p.id {dir}"
    ))
    .bind(org.id.0)
    .fetch_all(t.pool())
    .await
    .unwrap()
}

/// Every page of the Guests list under `sort`, walked by its Next cursors.
async fn listed_order(t: &common::TestApp, admin: &app::domain::Viewer, sort: GuestSort, dir: SortDir) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let p = guests::page(&t.state, admin, cursor.as_deref(), sort, dir).await.unwrap();
        ids.extend(p.page.items.iter().map(|g| g.id));
        match p.page.next {
            Some(n) => cursor = Some(n),
            None => return ids,
        }
    }
}

both_backends! {
    async fn sorting_by_inviter_department_and_project_follows_every_change_and_rename(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let beta = app::service::projects::create(&t.state, &admin, "Beta", "").await.unwrap();
        let zed = t.member(&org, "zed@acme.test", org.root, false).await;
        let amy = t.member(&org, "amy@acme.test", org.child, false).await;
        let depts = [org.root, org.child, org.grandchild, org.other];
        let mut made = Vec::new();
        // 60 guests: more than a page, with every key repeated (ties go by id).
        for i in 0..60 {
            let g = t.guest(&org, &format!("g{i:02}@x.test"), depts[i % 4], None).await;
            match i % 3 {
                0 => t.set_inviter(&org, g, zed).await,
                1 => t.set_inviter(&org, g, amy).await,
                _ => {}
            }
            if i % 5 == 0 || i % 7 == 0 {
                // Out of Acme's project; some into Beta, some in none.
                app::service::projects::remove_guest(&t.state, &admin, g.0).await.unwrap();
            }
            if i % 5 == 0 {
                app::service::projects::add_guest(&t.state, &admin, g.0, beta, app::domain::Permission::ReadOnly).await.unwrap();
            }
            made.push(g);
        }
        let sorts = [GuestSort::InvitedBy, GuestSort::Department, GuestSort::Project];
        let check = |when: &'static str| {
            let (t, org, admin) = (&t, &org, &admin);
            async move {
                for sort in sorts {
                    for (dir, desc) in [(SortDir::Asc, false), (SortDir::Desc, true)] {
                        assert_eq!(listed_order(t, admin, sort, dir).await, joined_order(t, org, sort, desc).await, "{when}: {sort:?} {dir:?}");
                    }
                }
            }
        };
        check("as created").await;

        // Renames of what the keys name, through the console's own use cases.
        app::service::structure::rename_department(&t.state, &admin, org.child.0, "Aardvark team").await.unwrap();
        app::service::projects::update(&t.state, &admin, beta, "Zulu", "", false).await.unwrap();
        sqlx::query("UPDATE people SET last_name = 'Aaronson' WHERE id = $1").bind(zed.0).execute(t.pool()).await.unwrap();
        check("after renames").await;

        // A guest's own inviter, sponsor department and project change.
        t.set_inviter(&org, made[2], amy).await;
        sqlx::query("UPDATE people SET sponsor_department_id = $1 WHERE id = $2").bind(org.other.0).bind(made[1].0).execute(t.pool()).await.unwrap();
        app::service::projects::remove_guest(&t.state, &admin, made[3].0).await.unwrap();
        app::service::projects::add_guest(&t.state, &admin, made[3].0, beta, app::domain::Permission::Edit).await.unwrap();
        check("after moves").await;
    }
}

both_backends! {
    async fn bulk_actions_change_every_selected_guest_and_no_other(t) {
        // The bulk actions write each table once for the whole selection: every selected
        // guest changes, is logged once with their own sponsor as scope, and a guest left
        // out of the selection is untouched.
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let depts = [org.root, org.child, org.grandchild, org.other];
        let mut picked = Vec::new();
        for (i, d) in depts.iter().enumerate() {
            picked.push(t.guest(&org, &format!("pick{i}@x.test"), *d, None).await);
        }
        let bystander = t.guest(&org, "bystander@x.test", org.child, None).await;
        let ids: Vec<i64> = picked.iter().map(|p| p.0).collect();
        let before = t.now_ms() - 1;
        let row = |id: i64| {
            let pool = t.pool().clone();
            async move {
                sqlx::query_as::<_, (String, String, Option<i64>, Option<i64>, i64, i64)>(
                    "SELECT kind, state, expires_at, next_reminder_at, session_epoch,
                            (SELECT COUNT(*) FROM search_words w WHERE w.person_id = p.id) FROM people p WHERE p.id = $1",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        let untouched = row(bystander.0).await;

        // Change of expiry: each one gets the date, a first reminder and a log entry.
        assert_eq!(guests::set_expiry(&t.state, &admin, &ids, app::domain::expiry::ExpiryPeriod::OneMonth).await, Ok(4));
        let log = app::data::activity::entries(t.pool(), org.id, before).await.unwrap();
        for (p, d) in picked.iter().zip(depts) {
            let (_, _, expires, reminder, _, _) = row(p.0).await;
            assert!(expires.is_some() && reminder.is_some() && reminder < expires, "{p:?}");
            let mine: Vec<_> = log.iter().filter(|e| e.subject_id == Some(*p) && e.action.key() == "expiry_change").collect();
            assert_eq!(mine.len(), 1, "{p:?}: {log:?}");
            assert_eq!((mine[0].actor_id, mine[0].scope_department_id, mine[0].details.as_str()), (Some(org.admin), Some(d), "1 month"));
        }
        assert_eq!(row(bystander.0).await, untouched);

        // Delete two: removed, signed out, out of search, logged; the others stay.
        let (gone, kept) = ids.split_at(2);
        let mut epochs = Vec::new();
        for id in gone {
            epochs.push(row(*id).await.4);
        }
        assert_eq!(guests::delete(&t.state, &admin, gone).await, Ok(2));
        for (id, epoch) in gone.iter().zip(epochs) {
            let (_, state, _, _, now_epoch, words) = row(*id).await;
            assert_eq!((state.as_str(), now_epoch, words), ("removed", epoch + 1, 0), "{id}");
        }
        let log = app::data::activity::entries(t.pool(), org.id, before).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "deletion").map(|e| e.subject_id.unwrap().0).collect::<Vec<_>>(), gone.to_vec());

        // Incorporate the other two into one department: members there, in All, in the
        // project with edit, expiry cleared; logged under their sponsor as guests.
        assert_eq!(guests::incorporate_into(&t.state, &admin, kept, Some(org.child.0)).await, Ok(2));
        for id in kept {
            let (kind, state, expires, reminder, _, _) = row(*id).await;
            assert_eq!((kind.as_str(), state.as_str(), expires, reminder), ("member", "active", None, None), "{id}");
            let (dept, in_all, perm): (i64, i64, String) = sqlx::query_as(
                "SELECT p.department_id,
                        (SELECT COUNT(*) FROM group_members gm JOIN org_groups g ON g.id = gm.group_id WHERE g.is_all = 1 AND gm.person_id = p.id),
                        (SELECT pm.permission FROM project_members pm WHERE pm.person_id = p.id)
                 FROM people p WHERE p.id = $1",
            )
            .bind(id)
            .fetch_one(t.pool())
            .await
            .unwrap();
            assert_eq!((dept, in_all, perm.as_str()), (org.child.0, 1, "edit"), "{id}");
        }
        let log = app::data::activity::entries(t.pool(), org.id, before).await.unwrap();
        let inc: Vec<_> = log.iter().filter(|e| e.action.key() == "incorporation").map(|e| (e.subject_id.unwrap().0, e.scope_department_id)).collect();
        assert_eq!(inc, vec![(kept[0], Some(depts[2])), (kept[1], Some(depts[3]))]);
        assert_eq!(row(bystander.0).await, untouched);
        assert_eq!(guests::count(&t.state, &admin).await.unwrap(), 1, "the kept count follows: only the bystander is a guest");
    }
}

both_backends! {
    async fn every_guest_list_order_reads_an_index_instead_of_sorting(t) {
        // The Guests list's first page in each order and direction, as its statement is
        // planned: the rows come from an index of the guests in that order, so no page
        // sorts the organization's guests, however many (issue 17 §2; the sort keys of
        // migration 0018).
        use app::data::Backend;
        use app::domain::paging::Position;
        let org = t.org("Acme").await;
        for i in 0..20 {
            t.guest(&org, &format!("plan{i}@x.test"), org.child, None).await;
        }
        // One transaction, rolled back at the end: the settings below stay inside it.
        let mut conn = t.pool().begin().await.unwrap();
        let pg = matches!(t.db().backend(), Backend::Postgres);
        if pg {
            // A handful of rows: make PostgreSQL show the plan it would pick at scale,
            // where reading the table and sorting it is the costly way.
            sqlx::query("SET LOCAL enable_seqscan = off").execute(&mut *conn).await.unwrap();
            sqlx::query("SET LOCAL enable_sort = off").execute(&mut *conn).await.unwrap();
            sqlx::query("SET LOCAL enable_bitmapscan = off").execute(&mut *conn).await.unwrap();
        } else {
            sqlx::query("ANALYZE").execute(&mut *conn).await.unwrap();
        }
        for sort in GuestSort::ALL {
            for dir in [SortDir::Asc, SortDir::Desc] {
                let sql = app::data::guests::list_statement(sort, dir, &Position::First, None);
                let explain = if pg { format!("EXPLAIN {sql}") } else { format!("EXPLAIN QUERY PLAN {sql}") };
                let q = sqlx::query(&explain).bind(org.id.0).bind(1_i64).bind(org.admin.0).bind(50_i64);
                let rows = q.fetch_all(&mut *conn).await.unwrap();
                let plan: Vec<String> = rows
                    .iter()
                    .map(|r| {
                        use sqlx::Row;
                        if pg { r.get::<String, _>(0) } else { r.get::<String, _>(3) }
                    })
                    .collect();
                let text = plan.join("\n");
                if pg {
                    assert!(!plan.iter().any(|l| l.trim_start().trim_start_matches("->").trim_start().starts_with("Sort")), "{sort:?} {dir:?} sorts:\n{text}");
                    assert!(text.contains("Index Scan") && text.contains("on people p"), "{sort:?} {dir:?} reads no index of the guests:\n{text}");
                } else {
                    assert!(!text.contains("TEMP B-TREE FOR ORDER BY"), "{sort:?} {dir:?} sorts:\n{text}");
                    assert!(text.contains(" p USING INDEX people_by_") || text.contains(" p USING COVERING INDEX people_by_"), "{sort:?} {dir:?} reads no order index of the guests:\n{text}");
                }
            }
        }
        conn.rollback().await.unwrap();
    }
}
