//! Guest expiry (issue 5), on both backends with a fake clock: setting a period counts
//! from the moment of change, who may set it, bulk changes, the sweeper, and sign-in of
//! a guest whose time is up.

use crate::common;

use app::service::guests as guests;
use app::auth::{check_sign_in, SignInAttempt};
use app::domain::expiry::ExpiryPeriod;
use app::domain::guests::{GuestSort, SortDir};
use app::error::AppError;
use chrono::{Duration, TimeZone, Utc};
use common::PASSWORD;

fn ms(y: i32, m: u32, d: u32) -> i64 {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap().timestamp_millis()
}

both_backends! {
    async fn expiry_counts_from_the_moment_of_change(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        t.clock.set(Utc.with_ymd_and_hms(2020, 11, 21, 9, 0, 0).unwrap());
        let g = t.guest(&org, "g@x.test", org.root, None).await;
        guests::set_expiry(&t.state, &admin, &[g.0], ExpiryPeriod::OneWeek).await.unwrap();
        assert_eq!(guests::detail(&t.state, &admin, g.0).await.unwrap().guest.expires_at, Some(ms(2020, 11, 28)));
        t.clock.set(Utc.with_ymd_and_hms(2020, 11, 25, 9, 0, 0).unwrap());
        guests::set_expiry(&t.state, &admin, &[g.0], ExpiryPeriod::OneMonth).await.unwrap();
        assert_eq!(guests::detail(&t.state, &admin, g.0).await.unwrap().guest.expires_at, Some(ms(2020, 12, 25)));
        guests::set_expiry(&t.state, &admin, &[g.0], ExpiryPeriod::Never).await.unwrap();
        assert_eq!(guests::detail(&t.state, &admin, g.0).await.unwrap().guest.expires_at, None);
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "expiry_change").count(), 3);
    }
}

both_backends! {
    async fn admins_in_scope_and_the_inviter_may_set_expiry_no_one_else(t) {
        let org = t.org("Acme").await;
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let inside = t.guest(&org, "in@x.test", org.grandchild, None).await;
        let outside = t.guest(&org, "out@x.test", org.other, None).await;
        assert_eq!(guests::set_expiry(&t.state, &dana, &[inside.0], ExpiryPeriod::OneDay).await, Ok(1));
        assert!(matches!(guests::set_expiry(&t.state, &dana, &[outside.0], ExpiryPeriod::OneDay).await, Err(AppError::NotFound(_))));
        // The fixture's guests are invited by the Company Admin; another user may not.
        let user = t.viewer(t.member(&org, "u@acme.test", org.root, false).await).await;
        assert!(matches!(guests::set_expiry(&t.state, &user, &[outside.0], ExpiryPeriod::OneDay).await, Err(AppError::NotFound(_))));
        let guest = t.viewer(inside).await;
        assert_eq!(guests::set_expiry(&t.state, &guest, &[outside.0], ExpiryPeriod::OneDay).await, Err(AppError::Forbidden));
        // The inviter may, for the one guest they invited.
        let bob_id = t.member(&org, "bob@acme.test", org.root, false).await;
        t.set_inviter(&org, outside, bob_id).await;
        let bob = t.viewer(bob_id).await;
        assert_eq!(guests::set_expiry(&t.state, &bob, &[outside.0], ExpiryPeriod::OneWeek).await, Ok(1));
        assert!(guests::set_expiry(&t.state, &bob, &[outside.0, inside.0], ExpiryPeriod::OneWeek).await.is_err());
        // Another organization's guest is unknown.
        let bolt = t.org("Bolt").await;
        let foreign = t.guest(&bolt, "f@x.test", bolt.root, None).await;
        let admin = t.viewer(org.admin).await;
        assert!(matches!(guests::set_expiry(&t.state, &admin, &[foreign.0], ExpiryPeriod::OneDay).await, Err(AppError::NotFound(_))));
    }
}

both_backends! {
    async fn bulk_expiry_is_all_or_nothing(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let a = t.guest(&org, "a@x.test", org.root, None).await;
        let b = t.guest(&org, "b@x.test", org.root, None).await;
        guests::delete(&t.state, &admin, &[b.0]).await.unwrap();
        assert!(matches!(guests::set_expiry(&t.state, &admin, &[a.0, b.0], ExpiryPeriod::OneDay).await, Err(AppError::Conflict(_))));
        assert_eq!(guests::detail(&t.state, &admin, a.0).await.unwrap().guest.expires_at, None);
        let c = t.guest(&org, "c@x.test", org.root, None).await;
        assert_eq!(guests::set_expiry(&t.state, &admin, &[a.0, c.0], ExpiryPeriod::SixMonths).await, Ok(2));
        let expected = ExpiryPeriod::SixMonths.expires_at(t.state.clock.now()).unwrap().timestamp_millis();
        for id in [a, c] {
            assert_eq!(guests::detail(&t.state, &admin, id.0).await.unwrap().guest.expires_at, Some(expected));
        }
    }
}

both_backends! {
    async fn the_sweeper_removes_exactly_the_due_guests(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let now = t.now_ms();
        let due = t.guest(&org, "due@x.test", org.child, Some(now + 60_000)).await;
        let later = t.guest(&org, "later@x.test", org.root, Some(now + 3_600_000)).await;
        let never = t.guest(&org, "never@x.test", org.root, None).await;
        assert_eq!(app::jobs::sweep_once(&t.state).await.unwrap(), 0);
        t.clock.advance(Duration::minutes(2));
        // Time is up: refused at sign-in even before the sweeper ran.
        let attempt = SignInAttempt { email: "due@x.test".into(), password: PASSWORD.into(), address: "t".into() };
        assert_eq!(check_sign_in(&t.state, &attempt).await.unwrap_err(), AppError::BadCredentials);
        assert_eq!(app::jobs::sweep_once(&t.state).await.unwrap(), 1);
        assert_eq!(app::jobs::sweep_once(&t.state).await.unwrap(), 0, "idempotent");
        let page = guests::page(&t.state, &admin, None, GuestSort::LastName, SortDir::Asc).await.unwrap();
        let ids: Vec<i64> = page.page.items.iter().map(|r| r.id).collect();
        assert!(!ids.contains(&due.0));
        assert!(ids.contains(&later.0) && ids.contains(&never.0));
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        let removals: Vec<_> = log.iter().filter(|e| e.action.key() == "automatic_removal").collect();
        assert_eq!(removals.len(), 1);
        assert_eq!((removals[0].actor_id, removals[0].subject_id), (None, Some(due)));
        // The guest is its target, and its sponsor department its scope (a Department
        // Admin of Child sees it in the report); stored to the second.
        let e = removals[0];
        assert_eq!((e.target_kind, e.target_id, e.scope_department_id), (Some(app::domain::activity::TargetKind::Person), Some(due.0), Some(org.child)));
        assert_eq!((e.details.as_str(), e.at.0 % 1000), ("automatic", 0));
    }
}

both_backends! {
    async fn two_sweepers_at_once_remove_and_log_each_guest_once(t) {
        let org = t.org("Acme").await;
        let now = t.now_ms();
        for i in 0..60 {
            t.guest(&org, &format!("g{i}@x.test"), org.root, Some(now + 1_000)).await;
        }
        t.clock.advance(Duration::seconds(5));
        // Two servers: each with its own connection pool on the one database.
        let (a, b) = (t.state.clone(), t.second_server().await);
        let (ra, rb) = tokio::join!(
            tokio::spawn(async move { app::jobs::sweep_once(&a).await }),
            tokio::spawn(async move { app::jobs::sweep_once(&b).await })
        );
        assert_eq!(ra.unwrap().unwrap() + rb.unwrap().unwrap(), 60);
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "automatic_removal").count(), 60);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE kind = 'guest' AND state <> 'removed'").fetch_one(t.pool()).await.unwrap();
        assert_eq!(left, 0);
    }
}

both_backends! {
    async fn a_period_chosen_when_inviting_starts_at_acceptance(t) {
        use app::model::invitations::InviteInput;
        use app::service::invitations as inv;
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let input = InviteInput {
            emails: "later@x.test".into(),
            role: app::domain::PersonKind::Guest,
            project: Some(org.project.0),
            permission: app::domain::Permission::Edit,
            department: None,
            expiry: ExpiryPeriod::OneWeek,
        };
        inv::send(&t.state, &admin, input).await.unwrap();
        let mail = app::data::invitations::outbox(t.pool(), org.id, 10).await.unwrap().remove(0);
        let at = mail.body_text.find("/invite/").unwrap() + 8;
        let token = mail.body_text[at..at + 64].to_string();
        t.clock.advance(Duration::days(3));
        let id = inv::accept(&t.state, &token, "Lia", "Later", "a long enough password", "").await.unwrap();
        let expected = t.now_ms() + 7 * 86_400_000;
        assert_eq!(guests::detail(&t.state, &admin, id.0).await.unwrap().guest.expires_at, Some(expected));
    }
}

both_backends! {
    async fn the_project_page_offers_expiration_for_the_guests_the_viewer_invited(t) {
        let org = t.org("Acme").await;
        let uma_id = t.member(&org, "uma@acme.test", org.root, false).await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::add_project_member(&mut tx, org.project, uma_id, app::domain::Permission::Edit).await.unwrap();
        tx.commit().await.unwrap();
        let hers = t.guest(&org, "hers@x.test", org.root, None).await;
        let other = t.guest(&org, "other@x.test", org.root, None).await;
        t.set_inviter(&org, hers, uma_id).await;
        let uma = t.viewer(uma_id).await;
        let page = app::service::projects::page(&t.state, &uma, org.project.0).await.unwrap();
        let may = |id: i64| page.members.iter().find(|m| m.id == id).map(|m| m.may_set_expiry);
        assert_eq!((may(hers.0), may(other.0), may(uma_id.0)), (Some(true), Some(false), Some(false)));
        let admin = t.viewer(org.admin).await;
        let page = app::service::projects::page(&t.state, &admin, org.project.0).await.unwrap();
        assert!(page.members.iter().filter(|m| m.is_guest).all(|m| m.may_set_expiry));
        // A Department Admin of another branch: not for these guests (sponsored by Root).
        let olga_id = t.dept_admin(&org, "olga@acme.test", org.other).await;
        let olga = t.viewer(olga_id).await;
        let page = app::service::projects::page(&t.state, &olga, org.project.0).await.unwrap();
        assert!(page.members.iter().all(|m| !m.may_set_expiry));
        // …unless Olga invited the guest herself: then the page offers it and the server agrees.
        t.set_inviter(&org, other, olga_id).await;
        let page = app::service::projects::page(&t.state, &olga, org.project.0).await.unwrap();
        assert_eq!(page.members.iter().find(|m| m.id == other.0).map(|m| m.may_set_expiry), Some(true));
        assert_eq!(guests::set_expiry(&t.state, &olga, &[other.0], ExpiryPeriod::OneDay).await, Ok(1));
        t.set_inviter(&org, other, org.admin).await;
        // And the server agrees with what the page offers.
        assert_eq!(guests::set_expiry(&t.state, &uma, &[hers.0], ExpiryPeriod::OneWeek).await, Ok(1));
        assert!(matches!(guests::set_expiry(&t.state, &uma, &[other.0], ExpiryPeriod::OneWeek).await, Err(AppError::NotFound(_))));
    }
}

both_backends! {
    async fn the_sweeper_and_an_admin_deleting_the_same_guests_neither_fail_nor_log_twice(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let now = t.now_ms();
        let mut ids = Vec::new();
        for i in 0..60 {
            ids.push(t.guest(&org, &format!("g{i}@x.test"), org.root, Some(now + 1_000)).await.0);
        }
        t.clock.advance(Duration::seconds(5));
        for round in 0..3 {
            let chunk: Vec<i64> = ids[round * 20..round * 20 + 20].to_vec();
            let (sweeper, state) = (t.second_server().await, t.state.clone());
            let a = admin.clone();
            let (swept, deleted) = tokio::join!(
                tokio::spawn(async move { app::jobs::sweep_once(&sweeper).await }),
                tokio::spawn(async move { guests::delete(&state, &a, &chunk).await })
            );
            // Whoever comes second finds the guests gone: no deadlock, no internal error.
            swept.unwrap().unwrap();
            match deleted.unwrap() {
                Ok(_) | Err(AppError::Conflict(_)) | Err(AppError::NotFound(_)) => {}
                Err(e) => panic!("the admin's Delete failed: {e:?}"),
            }
        }
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        for id in &ids {
            let n = log.iter().filter(|e| e.subject_id == Some(app::domain::PersonId(*id)) && (e.action.key() == "deletion" || e.action.key() == "automatic_removal")).count();
            assert_eq!(n, 1, "guest {id} removed once");
        }
    }
}
