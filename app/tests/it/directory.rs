//! The directory each person sees (F-CONTACTS, F-VISIBILITY) and View as (F-VIEWAS), on
//! both backends: every list and search that shows people, as each kind of viewer, with
//! canary guests; removed and expired people gone at once; View as computing exactly
//! what the person sees, within the admin's scope, logged once.

use crate::common;

use app::domain::activity::Action;
use app::domain::paging::Page;
use app::domain::{PersonId, PersonState, Viewer};
use app::error::AppError;
use app::model::directory::Contact;
use app::service::directory as dir;
use common::{Org, TestApp};
use std::collections::BTreeSet;

/// Every person of the directory's people list, walking all pages.
async fn everyone(t: &TestApp, v: &Viewer, as_person: Option<i64>) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let d = dir::directory(&t.state, v, as_person, cursor.as_deref()).await.unwrap();
        out.extend(d.people.items.iter().map(|c| c.id));
        match d.people.next {
            Some(n) => cursor = Some(n),
            None => return out,
        }
    }
}

fn ids(p: &Page<Contact>) -> BTreeSet<i64> {
    p.items.iter().map(|c| c.id).collect()
}

async fn group_named(t: &TestApp, org: &Org, name: &str) -> i64 {
    let mut tx = t.db().begin_org_write(org.id).await.unwrap();
    let g = app::data::orgs::create_group(&mut tx, org.id, name).await.unwrap();
    tx.commit().await.unwrap();
    g.0
}

async fn all_group(t: &TestApp, org: &Org) -> i64 {
    sqlx::query_scalar("SELECT id FROM org_groups WHERE org_id = $1 AND is_all = 1").bind(org.id.0).fetch_one(t.pool()).await.unwrap()
}

async fn put_in_group(t: &TestApp, group: i64, person: PersonId) {
    sqlx::query("INSERT INTO group_members (group_id, person_id) VALUES ($1, $2)").bind(group).bind(person.0).execute(t.pool()).await.unwrap();
}

both_backends! {
    async fn no_guest_sees_another_guest_and_no_list_of_members_holds_a_guest(t) {
        let org = t.org("Acme").await;
        let bolt = t.org("Bolt").await;
        let admin = org.admin;
        let mia = t.member(&org, "mia@acme.test", org.root, false).await;
        let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
        let gail = t.guest(&org, "gail@partner.test", org.root, None).await;
        let gus = t.guest(&org, "gus@partner.test", org.child, None).await;
        let bolt_member = t.member(&bolt, "bo@bolt.test", bolt.root, false).await;
        let bolt_guest = t.guest(&bolt, "bea@partner.test", bolt.root, None).await;
        let team = group_named(&t, &org, "Team").await;
        put_in_group(&t, team, mia).await;
        put_in_group(&t, team, gail).await; // even if a guest were listed, no list shows them
        let all = all_group(&t, &org).await;
        let members: BTreeSet<i64> = [admin, mia, dana].iter().map(|p| p.0).collect();
        let guests: BTreeSet<i64> = [gail, gus].iter().map(|p| p.0).collect();

        for who in [admin, mia, dana, gail, gus] {
            let v = t.viewer(who).await;
            let is_guest = guests.contains(&who.0);
            let mut expect: BTreeSet<i64> = members.clone();
            if !is_guest {
                expect.extend(&guests);
            }
            expect.remove(&who.0);
            // People, walking every page.
            assert_eq!(everyone(&t, &v, None).await, expect, "people as {who:?}");
            // Search: "guest" is both guests' first name, "mem" every member's.
            let found: BTreeSet<i64> = dir::search(&t.state, &v, None, "guest").await.unwrap().iter().map(|c| c.id).collect();
            let want: BTreeSet<i64> = if is_guest { BTreeSet::new() } else { guests.clone() };
            assert_eq!(found, want, "search as {who:?}");
            let found: BTreeSet<i64> = dir::search(&t.state, &v, None, "mem").await.unwrap().iter().map(|c| c.id).collect();
            let want: BTreeSet<i64> = members.iter().copied().filter(|m| *m != who.0).collect();
            assert_eq!(found, want, "members found as {who:?}");
            for bolt_person in [bolt_member, bolt_guest] {
                assert!(!found.contains(&bolt_person.0));
            }
            // Department details: members only, whoever looks.
            let root = dir::department_members(&t.state, &v, None, org.root.0, None).await.unwrap();
            assert_eq!(ids(&root), [admin.0, mia.0].into_iter().collect(), "root as {who:?}");
            let child = dir::department_members(&t.state, &v, None, org.child.0, None).await.unwrap();
            assert_eq!(ids(&child), [dana.0].into_iter().collect());
            // The directory's departments and their counts: members only; no Guests department.
            let d = dir::directory(&t.state, &v, None, None).await.unwrap();
            assert!(d.departments.iter().all(|x| x.name != "Guests"));
            assert_eq!(d.departments.iter().find(|x| x.id == org.root.0).unwrap().members, 2);
            // Groups: All (members only) for members, never for a guest; Team without its guest.
            let listed: Vec<(String, i64)> = d.groups.iter().map(|g| (g.name.clone(), g.members)).collect();
            match who {
                w if w == mia => assert_eq!(listed, vec![("All".to_string(), 3), ("Team".to_string(), 1)]),
                w if is_guest || w == gus => assert_eq!(listed, Vec::<(String, i64)>::new(), "{w:?}"),
                _ => assert_eq!(listed, vec![("All".to_string(), 3)]),
            }
            let all_members = dir::group_members(&t.state, &v, None, all, None).await;
            if is_guest {
                assert!(matches!(all_members, Err(AppError::NotFound(_))), "{all_members:?}");
            } else {
                assert_eq!(ids(&all_members.unwrap()), members);
            }
            // A card: a guest's of another guest is "not found", like an unknown id.
            let other_guest = if who == gail { gus } else { gail };
            let card = dir::card(&t.state, &v, None, other_guest.0).await;
            if is_guest {
                assert!(matches!(card, Err(AppError::NotFound(_))), "{card:?}");
            } else {
                assert_eq!(card.unwrap().contact.id, other_guest.0);
            }
            for foreign in [bolt_member, bolt_guest] {
                assert!(matches!(dir::card(&t.state, &v, None, foreign.0).await, Err(AppError::NotFound(_))));
            }
            assert!(matches!(dir::department_members(&t.state, &v, None, bolt.root.0, None).await, Err(AppError::NotFound(_))));
        }
        // A group someone is not in is not theirs to open; Team's one member is Mia.
        let dana_v = t.viewer(dana).await;
        assert!(matches!(dir::group_members(&t.state, &dana_v, None, team, None).await, Err(AppError::NotFound(_))));
        let mia_v = t.viewer(mia).await;
        assert_eq!(ids(&dir::group_members(&t.state, &mia_v, None, team, None).await.unwrap()), [mia.0].into_iter().collect());
        // Two words: each must start a word of the same person.
        let both: Vec<i64> = dir::search(&t.state, &dana_v, None, "mem mi").await.unwrap().iter().map(|c| c.id).collect();
        assert_eq!(both, vec![mia.0]);
        assert!(dir::search(&t.state, &dana_v, None, "guest mi").await.unwrap().is_empty());
        // The Guests department has no details.
        let guests_dept: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE org_id = $1 AND is_guests = 1").bind(org.id.0).fetch_one(t.pool()).await.unwrap();
        assert!(matches!(dir::department_members(&t.state, &mia_v, None, guests_dept, None).await, Err(AppError::NotFound(_))));
    }
}

both_backends! {
    async fn removed_and_expired_people_leave_every_list_at_once(t) {
        let org = t.org("Acme").await;
        let mia = t.viewer(t.member(&org, "mia@acme.test", org.root, false).await).await;
        let leaving = t.guest(&org, "late@partner.test", org.root, Some(t.now_ms() + 60_000)).await;
        let gone = t.member(&org, "gone@acme.test", org.root, false).await;
        let all = all_group(&t, &org).await;
        assert!(everyone(&t, &mia, None).await.contains(&leaving.0));
        assert_eq!(ids(&dir::group_members(&t.state, &mia, None, all, None).await.unwrap()).len(), 3);

        t.clock.advance(chrono::Duration::minutes(2)); // past the guest's expiry, before any sweep
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::set_state(&mut tx, org.id, gone, PersonState::Removed, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();

        let people = everyone(&t, &mia, None).await;
        assert!(!people.contains(&leaving.0) && !people.contains(&gone.0), "{people:?}");
        assert!(dir::search(&t.state, &mia, None, "late").await.unwrap().is_empty());
        assert!(dir::search(&t.state, &mia, None, "gone").await.unwrap().is_empty());
        assert!(!ids(&dir::department_members(&t.state, &mia, None, org.root.0, None).await.unwrap()).contains(&gone.0));
        let d = dir::directory(&t.state, &mia, None, None).await.unwrap();
        assert_eq!(d.groups.iter().find(|g| g.id == all).unwrap().members, 2);
        // The card still answers, with why nobody reaches them.
        let card = dir::card(&t.state, &mia, None, leaving.0).await.unwrap();
        assert!(card.features.iter().all(|f| !f.available && f.reason == "Guest late's guest access has expired."), "{card:?}");
    }
}

both_backends! {
    async fn the_group_all_is_listed_only_while_displayed(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let all = all_group(&t, &org).await;
        let mut s = app::service::settings::get(&t.state, &admin).await.unwrap().settings;
        s.display_all_group = false;
        app::service::settings::save(&t.state, &admin, &s).await.unwrap();
        let d = dir::directory(&t.state, &admin, None, None).await.unwrap();
        assert!(d.groups.iter().all(|g| !g.is_all), "{:?}", d.groups);
        assert!(matches!(dir::group_members(&t.state, &admin, None, all, None).await, Err(AppError::NotFound(_))));
    }
}

both_backends! {
    async fn view_as_sees_exactly_what_the_person_sees_within_scope_and_is_logged_once(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let mia = t.member(&org, "mia@acme.test", org.root, false).await;
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let gail = t.guest(&org, "gail@partner.test", org.root, None).await;
        let gus = t.guest(&org, "gus@partner.test", org.grandchild, None).await;
        let bolt = t.org("Bolt").await;
        let gail_v = t.viewer(gail).await;

        // The same people, groups and cards as Gail's own.
        assert_eq!(everyone(&t, &admin, Some(gail.0)).await, everyone(&t, &gail_v, None).await);
        let as_gail = dir::directory(&t.state, &admin, Some(gail.0), None).await.unwrap();
        let own = dir::directory(&t.state, &gail_v, None, None).await.unwrap();
        assert_eq!(as_gail.groups, own.groups);
        assert_eq!(as_gail.people, own.people);
        assert_eq!(as_gail.viewed_as.as_ref().map(|v| v.id), Some(gail.0));
        assert!(own.viewed_as.is_none());
        assert_eq!(dir::card(&t.state, &admin, Some(gail.0), mia.0).await.unwrap(), dir::card(&t.state, &gail_v, None, mia.0).await.unwrap());
        let files = dir::card(&t.state, &admin, Some(gail.0), mia.0).await.unwrap();
        let file_sharing = files.features.iter().find(|f| f.feature == app::domain::profile::Feature::FileSharing).unwrap();
        assert!(!file_sharing.available);
        // As Gail, another guest does not exist.
        assert!(matches!(dir::card(&t.state, &admin, Some(gail.0), gus.0).await, Err(AppError::NotFound(_))));

        // Logged once for a run of clicks, naming the person; nothing else written.
        let logged = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        let views: Vec<_> = logged.iter().filter(|e| e.action == Action::ViewedAs).collect();
        assert_eq!(views.len(), 1, "{views:?}");
        assert_eq!((views[0].actor_id, views[0].subject_id), (Some(org.admin), Some(gail)));
        let seen: Option<i64> = sqlx::query_scalar("SELECT last_seen_at FROM people WHERE id = $1").bind(gail.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(seen, None, "View as is not a sign-in");
        // Ten minutes on, looking again is a new entry — one, even for requests at once
        // (the check runs inside the write transaction).
        t.clock.advance(chrono::Duration::minutes(11));
        let (a, b) = tokio::join!(dir::directory(&t.state, &admin, Some(gail.0), None), dir::directory(&t.state, &admin, Some(gail.0), None));
        a.unwrap();
        b.unwrap();
        let again = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(again.iter().filter(|e| e.action == Action::ViewedAs).count(), 2);

        // A Department Admin: people of their subtree only (Gus is sponsored by Grandchild).
        assert!(dir::directory(&t.state, &dana, Some(gus.0), None).await.is_ok());
        for outside in [gail.0, mia.0, bolt.admin.0, 999_999] {
            let e = dir::directory(&t.state, &dana, Some(outside), None).await.unwrap_err();
            assert!(matches!(e, AppError::NotFound(_)), "{outside}: {e:?}");
        }
        let candidates: Vec<i64> = dir::view_as_candidates(&t.state, &dana, "guest").await.unwrap().iter().map(|c| c.id).collect();
        assert_eq!(candidates, vec![gus.0]);
        let candidates: BTreeSet<i64> = dir::view_as_candidates(&t.state, &admin, "guest").await.unwrap().iter().map(|c| c.id).collect();
        assert_eq!(candidates, [gail.0, gus.0].into_iter().collect());
        // Users and guests never view as anyone.
        let mia_v = t.viewer(mia).await;
        for v in [&mia_v, &gail_v] {
            assert_eq!(dir::directory(&t.state, v, Some(gus.0), None).await.unwrap_err(), AppError::Forbidden);
            assert_eq!(dir::view_as_candidates(&t.state, v, "guest").await.unwrap_err(), AppError::Forbidden);
        }
        // Someone whose access has ended has nothing to view as.
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::set_state(&mut tx, org.id, gail, PersonState::Removed, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(dir::directory(&t.state, &admin, Some(gail.0), None).await, Err(AppError::NotFound(_))));
    }
}

both_backends! {
    async fn a_bad_cursor_is_refused_and_pages_do_not_repeat(t) {
        let org = t.org("Acme").await;
        for i in 0..120 {
            t.member(&org, &format!("person{i:03}@acme.test"), org.root, false).await;
        }
        let admin = t.viewer(org.admin).await;
        let e = dir::directory(&t.state, &admin, None, Some("not a cursor")).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid(_)), "{e:?}");
        // Forwards then backwards: the same pages, in order, nobody twice.
        let mut pages = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let d = dir::directory(&t.state, &admin, None, cursor.as_deref()).await.unwrap();
            pages.push(d.people.items.iter().map(|c| c.id).collect::<Vec<_>>());
            match d.people.next {
                Some(n) => cursor = Some(n),
                None => break,
            }
        }
        assert_eq!(pages.len(), 3);
        let flat: Vec<i64> = pages.concat();
        assert_eq!(flat.len(), 120);
        assert_eq!(flat.iter().collect::<BTreeSet<_>>().len(), 120);
        let last = dir::directory(&t.state, &admin, None, cursor.as_deref()).await.unwrap();
        let back = dir::directory(&t.state, &admin, None, last.people.prev.as_deref()).await.unwrap();
        assert_eq!(back.people.items.iter().map(|c| c.id).collect::<Vec<_>>(), pages[1]);
    }
}

both_backends! {
    async fn the_benchmark_generator_adds_members_that_the_directory_lists(t) {
        let (admin, _, org) = app::setup::generate_people(&t.state, 20, 30).await.unwrap();
        let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_id = $1 AND kind = 'member'").bind(org.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(members, 32, "30 generated and the two admins");
        let guest: i64 = sqlx::query_scalar("SELECT id FROM people WHERE org_id = $1 AND kind = 'guest' AND expires_at IS NULL ORDER BY id LIMIT 1").bind(org.0).fetch_one(t.pool()).await.unwrap();
        let guest = t.viewer(PersonId(guest)).await;
        let seen = everyone(&t, &guest, None).await;
        assert_eq!(seen.len(), 32, "a guest sees every member and no guest");
        let admin = t.viewer(admin).await;
        let found = dir::search(&t.state, &admin, None, "member 27").await.unwrap();
        assert!(found.iter().any(|c| c.name == "Member 27"), "{found:?}");
    }
}
