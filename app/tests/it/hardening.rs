//! The abuse paths of the hardening issue, each closed and kept closed, on both
//! backends: the project page's scope, the sign-in throttle under concurrency, the cap
//! on password work, resending limits and quota, acceptance re-checking the world, the
//! lapse job and the purges, the read-only inviter, archived projects' tasks, and last
//! sign-in.

use crate::common;

use app::model::invitations::InviteInput;
use app::service::invitations as inv;
use app::service::projects as projects;
use app::service::settings as settings;
use app::auth::{check_sign_in, SignInAttempt};
use app::data::invitations as inv_db;
use app::domain::expiry::ExpiryPeriod;
use app::domain::invite::{InvitePolicy, OrgSettings};
use app::domain::{LastSignIn, Permission, PersonKind, PersonState, Viewer};
use app::error::AppError;
use app::web::state::{AppState, Config};
use common::web;
use common::{Org, TestApp, PASSWORD};
use http::{header, StatusCode};
use std::sync::Arc;

fn attempt(email: &str, password: &str) -> SignInAttempt {
    SignInAttempt { email: email.into(), password: password.into(), address: "198.51.100.9".into() }
}

fn guest_invite(email: &str, project: i64, permission: Permission) -> InviteInput {
    InviteInput { emails: email.into(), role: PersonKind::Guest, project: Some(project), permission, department: None, expiry: ExpiryPeriod::Never }
}

async fn set_settings(t: &TestApp, admin: &Viewer, on: bool, policy: InvitePolicy, per_member: i64) {
    let s = OrgSettings { invitations_enabled: on, invite_policy: policy, guests_per_member: per_member, display_all_group: true, receive_activity_report: true, guest_profile: Default::default() };
    settings::save(&t.state, admin, &s).await.unwrap();
}

/// The token of the newest invitation mail to `email`.
async fn token_for(t: &TestApp, org: &Org, email: &str) -> String {
    let mails = inv_db::outbox(t.pool(), org.id, 1000).await.unwrap();
    let m = mails.iter().find(|m| m.to_email == email).expect("a mail to the invitee");
    let at = m.body_text.find("/invite/").expect("a link in the mail") + "/invite/".len();
    m.body_text[at..at + 64].to_string()
}

async fn invitation_id(t: &TestApp, admin: &Viewer, email: &str) -> i64 {
    inv::list(&t.state, admin, None).await.unwrap().items.into_iter().find(|i| i.email == email).expect("the invitation").id
}

async fn seen(t: &TestApp, org: &Org, v: Viewer) -> Vec<String> {
    projects::page(&t.state, &v, org.project.0).await.unwrap().members.into_iter().map(|m| m.email).collect()
}

async fn detail(t: &TestApp, v: &Viewer, guest: app::domain::PersonId) -> LastSignIn {
    app::service::guests::detail(&t.state, v, guest.0).await.unwrap().last_sign_in
}

async fn accept(t: &TestApp, token: &str) -> Result<app::domain::PersonId, AppError> {
    inv::accept(&t.state, token, "New", "Comer", "a long enough password", "").await
}

both_backends! {
    async fn a_department_admin_sees_only_their_guests_on_a_project_page(t) {
        let org = t.org("Acme").await;
        let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
        // Dana works in the project herself: still only her departments' guests.
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::add_project_member(&mut tx, org.project, dana, Permission::Edit).await.unwrap();
        tx.commit().await.unwrap();
        let member = t.member(&org, "mia@acme.test", org.other, false).await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::add_project_member(&mut tx, org.project, member, Permission::Edit).await.unwrap();
        tx.commit().await.unwrap();
        t.guest(&org, "mine@x.test", org.grandchild, Some(t.now_ms() + 86_400_000)).await;
        t.guest(&org, "notmine@x.test", org.other, Some(t.now_ms() + 86_400_000)).await;
        let by_dana = seen(&t, &org, t.viewer(dana).await).await;
        assert!(by_dana.contains(&"mine@x.test".to_string()), "{by_dana:?}");
        assert!(!by_dana.contains(&"notmine@x.test".to_string()), "{by_dana:?}");
        assert!(by_dana.contains(&"mia@acme.test".to_string()), "members stay visible: {by_dana:?}");
        let by_admin = seen(&t, &org, t.viewer(org.admin).await).await;
        assert!(by_admin.contains(&"notmine@x.test".to_string()) && by_admin.contains(&"mine@x.test".to_string()));
        // A member of the project sees its guests; a guest only themself among guests.
        let by_mia = seen(&t, &org, t.viewer(member).await).await;
        assert!(by_mia.contains(&"notmine@x.test".to_string()));
        let g = t.guest(&org, "me@x.test", org.child, None).await;
        let by_guest = seen(&t, &org, t.viewer(g).await).await;
        assert!(by_guest.contains(&"me@x.test".to_string()));
        assert!(!by_guest.iter().any(|e| e == "mine@x.test" || e == "notmine@x.test"), "{by_guest:?}");
    }
}

both_backends! {
    async fn ten_parallel_wrong_passwords_get_at_most_five_checks(t) {
        let org = t.org("Acme").await;
        let mut tasks = Vec::new();
        for i in 0..10 {
            let state = t.state.clone();
            let email = org.admin_email.clone();
            tasks.push(tokio::spawn(async move {
                check_sign_in(&state, &SignInAttempt { email, password: format!("wrong {i}"), address: format!("192.0.2.{i}") }).await
            }));
        }
        let mut wrong = 0;
        let mut locked = 0;
        for task in tasks {
            match task.await.unwrap() {
                Err(AppError::BadCredentials) => wrong += 1,
                Err(AppError::TooManyAttempts { retry_after_secs }) => {
                    assert!(retry_after_secs > 0 && retry_after_secs <= 15 * 60);
                    locked += 1
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!((wrong, locked), (5, 5), "only five passwords were checked");
        // The right password is refused too until the window passes, and the refusal
        // over HTTP says when to come back.
        let app = web::app(&t).await;
        let r = web::form(&app, "sign_in", &format!("email={}&password={}", web::enc(&org.admin_email), web::enc(PASSWORD)), None).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert_eq!(r.header(header::RETRY_AFTER), Some("900"));
        let e: AppError = serde_json::from_str(&r.body).unwrap();
        assert_eq!(e.to_string(), "Too many failed sign-ins. Try again in 15 minutes.");
        // An unknown email: the same message as a wrong password, counted the same way.
        for _ in 0..5 {
            let unknown = check_sign_in(&t.state, &attempt("nobody@acme.test", "whatever it is")).await.unwrap_err();
            assert_eq!(unknown, AppError::BadCredentials);
        }
        let locked = check_sign_in(&t.state, &attempt("nobody@acme.test", "whatever it is")).await.unwrap_err();
        assert!(matches!(locked, AppError::TooManyAttempts { .. }), "{locked:?}");
    }
}

both_backends! {
    async fn password_work_is_capped_and_beyond_the_cap_the_answer_is_429(t) {
        let org = t.org("Acme").await;
        let config = Config { password_permits: 1, password_wait_ms: 0, ..Config::default() };
        let state = AppState::new(t.db().clone(), Arc::new(t.clock.clone()), config);
        let held = state.password_work.clone().acquire_owned().await.unwrap();
        let busy = check_sign_in(&state, &attempt(&org.admin_email, PASSWORD)).await.unwrap_err();
        assert!(matches!(busy, AppError::RateLimited { .. }), "{busy:?}");
        assert_eq!(busy.status(), 429);
        assert!(busy.retry_after().is_some());
        // Acceptance hashes a password: the same cap.
        let admin = t.viewer(org.admin).await;
        inv::send(&state, &admin, guest_invite("new@x.test", org.project.0, Permission::Edit)).await.unwrap();
        let token = token_for(&t, &org, "new@x.test").await;
        let e = inv::accept(&state, &token, "New", "Comer", "a long enough password", "").await.unwrap_err();
        assert!(matches!(e, AppError::RateLimited { .. }), "{e:?}");
        // Over HTTP: 429 with Retry-After.
        let app = web::app_for(state.clone()).await;
        let r = web::form(&app, "sign_in", &format!("email={}&password={}", web::enc(&org.admin_email), web::enc(PASSWORD)), None).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert!(r.header(header::RETRY_AFTER).is_some());
        drop(held);
        // Busy refusals were not counted as failures: the right password works at once.
        for _ in 0..3 {
            check_sign_in(&state, &attempt(&org.admin_email, "wrong wrong")).await.unwrap_err();
        }
        assert!(check_sign_in(&state, &attempt(&org.admin_email, PASSWORD)).await.is_ok());
        accept(&t, &token).await.unwrap();
    }
}

both_backends! {
    async fn resending_a_lapsed_invitation_takes_a_quota_place_and_is_rate_limited(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        // One member, one guest place.
        set_settings(&t, &admin, true, InvitePolicy::Admins, 1).await;
        inv::send(&t.state, &admin, guest_invite("first@x.test", org.project.0, Permission::Edit)).await.unwrap();
        let first = invitation_id(&t, &admin, "first@x.test").await;
        // Pending: resending is allowed once a minute, not sooner.
        let e = inv::resend(&t.state, &admin, first).await.unwrap_err();
        assert!(matches!(e, AppError::RateLimited { retry_after_secs: 60, .. }), "{e:?}");
        assert!(e.to_string().contains("less than a minute ago"));
        t.clock.advance(chrono::Duration::seconds(61));
        inv::resend(&t.state, &admin, first).await.unwrap();
        // It lapses; its place goes to another guest.
        t.clock.advance(chrono::Duration::days(8));
        inv::send(&t.state, &admin, guest_invite("second@x.test", org.project.0, Permission::Edit)).await.unwrap();
        let e = inv::resend(&t.state, &admin, first).await.unwrap_err();
        assert!(matches!(e, AppError::OverQuota(_)), "{e:?}");
        assert_eq!(e.status(), 409);
        assert!(e.to_string().contains("limit"), "the quota message: {e}");
        // With a place free again, the resend goes; five a day at most.
        let second = invitation_id(&t, &admin, "second@x.test").await;
        inv::revoke(&t.state, &admin, second).await.unwrap();
        for i in 0..4 {
            inv::resend(&t.state, &admin, first).await.unwrap_or_else(|e| panic!("resend {i}: {e}"));
            t.clock.advance(chrono::Duration::seconds(61));
        }
        // The fifth of the day goes; a sixth does not.
        inv::resend(&t.state, &admin, first).await.unwrap();
        t.clock.advance(chrono::Duration::seconds(61));
        let e = inv::resend(&t.state, &admin, first).await.unwrap_err();
        assert!(e.to_string().contains("5 times today"), "{e}");
        assert_eq!(e.status(), 429);
        t.clock.advance(chrono::Duration::days(1));
        inv::resend(&t.state, &admin, first).await.unwrap();
        // Over HTTP the limit is a 429 with Retry-After.
        let app = web::app(&t).await;
        let cookie = web::sign_in(&app, &org.admin_email, PASSWORD).await;
        let r = web::form(&app, "resend_invitation", &format!("id={first}"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
        assert_eq!(r.header(header::RETRY_AFTER), Some("60"));
    }
}

both_backends! {
    async fn acceptance_rechecks_the_world_and_signs_the_new_guest_in(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        set_settings(&t, &admin, true, InvitePolicy::Selected, 100).await;
        let uma_id = t.member(&org, "uma@acme.test", org.root, false).await;
        settings::authorize(&t.state, &admin, uma_id.0, true).await.unwrap();
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::add_project_member(&mut tx, org.project, uma_id, Permission::Edit).await.unwrap();
        tx.commit().await.unwrap();
        let uma = t.viewer(uma_id).await;
        for e in ["a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test", "g@x.test"] {
            inv::send(&t.state, &uma, guest_invite(e, org.project.0, Permission::Edit)).await.unwrap();
        }
        let token = |e: &'static str| { let t = &t; let org = &org; async move { token_for(t, org, e).await } };

        // Invitation of External Users switched off.
        set_settings(&t, &admin, false, InvitePolicy::Selected, 100).await;
        let e = accept(&t, &token("a@x.test").await).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)) && e.to_string().contains("Invitation of External Users has been turned off"), "{e}");
        set_settings(&t, &admin, true, InvitePolicy::Selected, 100).await;
        // The inviter lost the right to invite.
        settings::authorize(&t.state, &admin, uma_id.0, false).await.unwrap();
        let e = accept(&t, &token("b@x.test").await).await.unwrap_err();
        assert!(e.to_string().contains("may no longer invite"), "{e}");
        settings::authorize(&t.state, &admin, uma_id.0, true).await.unwrap();
        // The project was archived.
        projects::update(&t.state, &admin, org.project.0, "Apollo", "", true).await.unwrap();
        let e = accept(&t, &token("c@x.test").await).await.unwrap_err();
        assert!(e.to_string().contains("archived"), "{e}");
        projects::update(&t.state, &admin, org.project.0, "Apollo", "", false).await.unwrap();
        // The inviter is read-only in the project now, or left it: an Edit invitation of
        // theirs no longer holds.
        sqlx::query("UPDATE project_members SET permission = 'read_only' WHERE person_id = $1").bind(uma_id.0).execute(t.pool()).await.unwrap();
        let e = accept(&t, &token("e@x.test").await).await.unwrap_err();
        assert!(e.to_string().contains("no longer has the access to the project"), "{e}");
        sqlx::query("DELETE FROM project_members WHERE person_id = $1").bind(uma_id.0).execute(t.pool()).await.unwrap();
        let e = accept(&t, &token("g@x.test").await).await.unwrap_err();
        assert!(e.to_string().contains("no longer has the access to the project"), "{e}");
        // …nor can it be resent by an inviter without that access.
        t.clock.advance(chrono::Duration::minutes(2));
        let g = invitation_id(&t, &admin, "g@x.test").await;
        assert!(matches!(inv::resend(&t.state, &t.viewer(uma_id).await, g).await, Err(AppError::NotFound(_))));
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::add_project_member(&mut tx, org.project, uma_id, Permission::Edit).await.unwrap();
        tx.commit().await.unwrap();
        // Refusals changed nothing: the links still work once the world is right again.
        accept(&t, &token("a@x.test").await).await.unwrap();
        accept(&t, &token("e@x.test").await).await.unwrap();
        // The inviter left.
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::set_state(&mut tx, org.id, uma_id, PersonState::Removed, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        let e = accept(&t, &token("d@x.test").await).await.unwrap_err();
        assert!(e.to_string().contains("has left the organization"), "{e}");

        // Success over HTTP signs the new guest in and sends them to their project.
        inv::send(&t.state, &admin, guest_invite("f@x.test", org.project.0, Permission::ReadOnly)).await.unwrap();
        let app = web::app(&t).await;
        let body = format!("token={}&first_name=Fay&last_name=Guest&password={}&mobile=", token("f@x.test").await, web::enc("a long enough password"));
        let r = web::form(&app, "accept_invitation", &body, None).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        assert_eq!(r.header(header::LOCATION), Some("/my-project"));
        let cookie = r.cookie().expect("signed in at once");
        let me = web::form(&app, "current_user", "", Some(&cookie)).await;
        assert_eq!(me.status, StatusCode::OK);
        assert!(me.body.contains("f@x.test") && me.body.contains("\"Guest\""), "{}", me.body);
    }
}

both_backends! {
    async fn the_lapse_job_marks_and_logs_each_invitation_once_and_old_ones_are_purged(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        for e in ["a@x.test", "b@x.test", "c@x.test"] {
            inv::send(&t.state, &admin, guest_invite(e, org.project.0, Permission::Edit)).await.unwrap();
        }
        let c = invitation_id(&t, &admin, "c@x.test").await;
        inv::revoke(&t.state, &admin, c).await.unwrap();
        assert_eq!(app::jobs::lapse_once(&t.state).await.unwrap(), 0, "nothing is due yet");
        t.clock.advance(chrono::Duration::days(7));
        // Two servers at once: each invitation lapses and is logged once.
        let second = t.second_server().await;
        let (x, y) = tokio::join!(app::jobs::lapse_once(&t.state), app::jobs::lapse_once(&second));
        assert_eq!(x.unwrap() + y.unwrap(), 2);
        assert_eq!(app::jobs::lapse_once(&t.state).await.unwrap(), 0);
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        let lapses: Vec<_> = log.iter().filter(|e| e.action.key() == "invitation_lapsed").collect();
        assert_eq!(lapses.len(), 2);
        assert!(lapses.iter().all(|e| e.actor_id.is_none()), "Lobby is the actor");
        assert!(lapses.iter().any(|e| e.details.contains("a@x.test")));
        let states: Vec<&str> = inv::list(&t.state, &admin, None).await.unwrap().items.into_iter().map(|i| i.state.label()).collect();
        assert_eq!(states, vec!["Revoked", "Lapsed", "Lapsed"], "newest first: c, b, a");
        // 90 days after they closed, lapsed and revoked invitations leave the lists; the
        // log keeps them.
        // The revoked one closed 7 days before the lapsed ones.
        t.clock.advance(chrono::Duration::days(89));
        let (gone, _) = app::jobs::purge_once(&t.state).await.unwrap();
        assert_eq!(gone, 1);
        let states: Vec<&str> = inv::list(&t.state, &admin, None).await.unwrap().items.into_iter().map(|i| i.state.label()).collect();
        assert_eq!(states, vec!["Lapsed", "Lapsed"]);
        t.clock.advance(chrono::Duration::days(2));
        let (gone, _) = app::jobs::purge_once(&t.state).await.unwrap();
        assert_eq!(gone, 2);
        assert!(inv::list(&t.state, &admin, None).await.unwrap().items.is_empty());
        let after = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(after.len(), log.len(), "the log keeps everything");
        // Stale sign-in counters go too.
        check_sign_in(&t.state, &attempt(&org.admin_email, "wrong wrong")).await.unwrap_err();
        t.clock.advance(chrono::Duration::minutes(16));
        let (_, counters) = app::jobs::purge_once(&t.state).await.unwrap();
        assert_eq!(counters, 2, "the account's and the address's");
    }
}

both_backends! {
    async fn a_read_only_member_invites_read_only_only(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        set_settings(&t, &admin, true, InvitePolicy::Everyone, 100).await;
        let ro = t.member(&org, "ro@acme.test", org.root, false).await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::add_project_member(&mut tx, org.project, ro, Permission::ReadOnly).await.unwrap();
        tx.commit().await.unwrap();
        let ro = t.viewer(ro).await;
        let e = inv::send(&t.state, &ro, guest_invite("x@x.test", org.project.0, Permission::Edit)).await.unwrap_err();
        assert_eq!(e, AppError::Refused("You have read-only access to this project, so you can invite guests with read-only access only.".into()));
        assert_eq!(inv::send(&t.state, &ro, guest_invite("x@x.test", org.project.0, Permission::ReadOnly)).await, Ok(1));
        assert_eq!(inv::options(&t.state, &ro).await.unwrap().read_only_projects, vec![org.project.0]);
        // Admins give edit anywhere.
        assert_eq!(inv::send(&t.state, &admin, guest_invite("y@x.test", org.project.0, Permission::Edit)).await, Ok(1));
        assert!(inv::options(&t.state, &admin).await.unwrap().read_only_projects.is_empty());
    }
}

both_backends! {
    async fn tasks_of_an_archived_project_cannot_be_ticked(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        projects::add_task(&t.state, &admin, org.project.0, "Review").await.unwrap();
        let task = projects::page(&t.state, &admin, org.project.0).await.unwrap().tasks[0].id;
        projects::update(&t.state, &admin, org.project.0, "Apollo", "", true).await.unwrap();
        let e = projects::set_task_done(&t.state, &admin, org.project.0, task, true).await.unwrap_err();
        assert_eq!(e, AppError::Invalid("This project is archived.".into()));
        assert!(!projects::page(&t.state, &admin, org.project.0).await.unwrap().tasks[0].done);
    }
}

both_backends! {
    async fn last_sign_in_is_recorded_at_sign_in_and_hourly_while_in_use(t) {
        let org = t.org("Acme").await;
        let guest = t.guest(&org, "grace@x.test", org.child, None).await;
        let admin = t.viewer(org.admin).await;
        // Joined before recording began: unknown.
        sqlx::query("UPDATE lobby_meta SET value = $1").bind(t.now_ms() + 1).execute(t.pool()).await.unwrap();
        assert_eq!(detail(&t, &admin, guest).await, LastSignIn::UnknownBefore(t.now_ms() + 1));
        sqlx::query("UPDATE lobby_meta SET value = 0").execute(t.pool()).await.unwrap();
        assert_eq!(detail(&t, &admin, guest).await, LastSignIn::Never);

        let app = web::app(&t).await;
        let signed_in_at = t.now_ms();
        let cookie = web::sign_in(&app, "grace@x.test", PASSWORD).await;
        assert_eq!(detail(&t, &admin, guest).await, LastSignIn::At(signed_in_at));
        // Within the hour, using Lobby records nothing new.
        t.clock.advance(chrono::Duration::minutes(30));
        assert_eq!(web::form(&app, "current_user", "", Some(&cookie)).await.status, StatusCode::OK);
        assert_eq!(detail(&t, &admin, guest).await, LastSignIn::At(signed_in_at));
        // After an hour, the next request does.
        t.clock.advance(chrono::Duration::minutes(31));
        web::form(&app, "my_projects", "", Some(&cookie)).await;
        assert_eq!(detail(&t, &admin, guest).await, LastSignIn::At(signed_in_at + 61 * 60_000));
        // The details page shows it.
        let admin_cookie = web::sign_in(&app, &org.admin_email, PASSWORD).await;
        let page = web::get(&app, &format!("/guests/{}", guest.0), Some(&admin_cookie)).await;
        assert!(page.body.contains("Last sign-in"), "{}", page.body);
        assert!(page.body.contains(&app::domain::expiry::format_utc(signed_in_at + 61 * 60_000)));
    }
}
