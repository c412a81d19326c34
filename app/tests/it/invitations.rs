//! Invitations and projects (issue 4), on both backends: who may invite, the quota under
//! concurrency, tokens (replay, lapse, revoke, concurrent redemption), duplicate emails,
//! one project per guest, and read-only versus edit permission.

use crate::common;

use app::model::invitations::InviteInput;
use app::service::invitations as inv;
use app::service::projects as projects;
use app::service::settings as settings;
use app::auth::{check_sign_in, SignInAttempt};
use app::data::invitations as inv_db;
use app::domain::expiry::ExpiryPeriod;
use app::domain::invite::{InvitePolicy, OrgSettings};
use app::domain::{Permission, PersonKind, Role, Viewer};
use app::error::AppError;
use common::{Org, TestApp};

fn guest_invite(emails: &str, project: i64, permission: Permission) -> InviteInput {
    InviteInput { emails: emails.into(), role: PersonKind::Guest, project: Some(project), permission, department: None, expiry: ExpiryPeriod::Never }
}

/// The token of the newest invitation mail to `email`, read from the outbox.
async fn token_for(t: &TestApp, org: &Org, email: &str) -> String {
    let mails = inv_db::outbox(t.pool(), org.id, 1000).await.unwrap();
    let m = mails.iter().find(|m| m.to_email == email).expect("a mail to the invitee");
    let at = m.body_text.find("/invite/").expect("a link in the mail") + "/invite/".len();
    m.body_text[at..at + 64].to_string()
}

async fn set_policy(t: &TestApp, admin: &Viewer, on: bool, policy: InvitePolicy, per_member: i64) {
    let s = OrgSettings { invitations_enabled: on, invite_policy: policy, guests_per_member: per_member, display_all_group: true, receive_activity_report: true, guest_profile: Default::default() };
    settings::save(&t.state, admin, &s).await.unwrap();
}

async fn accept(t: &TestApp, token: &str, first: &str) -> Result<app::domain::PersonId, AppError> {
    inv::accept(&t.state, token, first, "Visitor", "a long enough password", "").await
}

both_backends! {
    async fn who_may_invite_guests(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let dept_admin = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let uma_id = t.member(&org, "uma@acme.test", org.root, false).await;
        let plain = t.viewer(t.member(&org, "paul@acme.test", org.root, false).await).await;
        // More members so the quota never decides here.
        for i in 0..5 { t.member(&org, &format!("m{i}@acme.test"), org.root, false).await; }
        let guest = t.viewer(t.guest(&org, "g@x.test", org.root, None).await).await;
        let p = org.project.0;
        settings::authorize(&t.state, &admin, uma_id.0, true).await.unwrap();
        let uma = t.viewer(uma_id).await;
        // Users need to be in the project they invite into.
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        for u in [uma_id, plain.id] { app::data::people::add_project_member(&mut tx, org.project, u, Permission::Edit).await.unwrap(); }
        tx.commit().await.unwrap();

        // A new organization: only admins invite.
        let mut n = 0;
        let mut next = || { n += 1; format!("new{n}@x.test") };
        assert_eq!(inv::send(&t.state, &admin, guest_invite(&next(), p, Permission::Edit)).await, Ok(1));
        assert_eq!(inv::send(&t.state, &dept_admin, guest_invite(&next(), p, Permission::Edit)).await, Ok(1));
        for v in [&uma, &plain, &guest] {
            let e = inv::send(&t.state, v, guest_invite(&next(), p, Permission::Edit)).await.unwrap_err();
            assert_eq!(e.status(), 403, "{:?} {e:?}", v.role());
        }
        // Selected users: Uma (authorized) yes, Paul no, a guest never.
        set_policy(&t, &admin, true, InvitePolicy::Selected, 3).await;
        assert_eq!(inv::send(&t.state, &uma, guest_invite(&next(), p, Permission::Edit)).await, Ok(1));
        assert_eq!(inv::send(&t.state, &plain, guest_invite(&next(), p, Permission::Edit)).await.unwrap_err().status(), 403);
        assert_eq!(inv::send(&t.state, &guest, guest_invite(&next(), p, Permission::Edit)).await.unwrap_err().status(), 403);
        // Every user.
        set_policy(&t, &admin, true, InvitePolicy::Everyone, 3).await;
        assert_eq!(inv::send(&t.state, &plain, guest_invite(&next(), p, Permission::Edit)).await, Ok(1));
        // Only admins invite members.
        let member = InviteInput { role: PersonKind::Member, department: Some(org.root.0), project: None, ..guest_invite(&next(), p, Permission::Edit) };
        assert_eq!(inv::send(&t.state, &plain, member.clone()).await.unwrap_err(), AppError::Refused("Only admins may invite members.".into()));
        assert_eq!(inv::send(&t.state, &admin, member).await, Ok(1));
        // Feature off: nobody, admins included, and the options say why.
        set_policy(&t, &admin, false, InvitePolicy::Everyone, 3).await;
        for v in [&admin, &dept_admin, &uma, &plain] {
            let e = inv::send(&t.state, v, guest_invite(&next(), p, Permission::Edit)).await.unwrap_err();
            assert_eq!(e, AppError::Refused("Invitation of External Users is turned off for this organization.".into()));
            assert!(inv::options(&t.state, v).await.unwrap().guest_refusal.is_some());
        }
        // The guest cannot even read the options; refusals changed nothing.
        assert_eq!(inv::options(&t.state, &guest).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(inv::list(&t.state, &admin, None).await.unwrap().items.len(), 5);
    }
}

both_backends! {
    async fn a_department_admin_sponsors_only_within_their_departments(t) {
        let org = t.org("Acme").await;
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        for i in 0..3 { t.member(&org, &format!("m{i}@acme.test"), org.root, false).await; }
        let mut input = guest_invite("a@x.test", org.project.0, Permission::Edit);
        input.department = Some(org.other.0);
        assert!(matches!(inv::send(&t.state, &dana, input.clone()).await, Err(AppError::NotFound(_))));
        input.department = Some(org.grandchild.0);
        assert_eq!(inv::send(&t.state, &dana, input).await, Ok(1));
        let token = token_for(&t, &org, "a@x.test").await;
        let id = accept(&t, &token, "Ann").await.unwrap();
        let admin = t.viewer(org.admin).await;
        let g = app::service::guests::detail(&t.state, &admin, id.0).await.unwrap().guest;
        assert_eq!(g.department, "Grandchild");
        assert_eq!(g.invited_by, "Mem dana");
        // Another organization's project is unknown.
        let bolt = t.org("Bolt").await;
        let foreign = guest_invite("b@x.test", bolt.project.0, Permission::Edit);
        assert!(matches!(inv::send(&t.state, &dana, foreign).await, Err(AppError::NotFound(_))));
    }
}

both_backends! {
    async fn the_quota_counts_guests_and_pending_invitations(t) {
        // One member (the admin) and the default 3 per member: 3 guests in all.
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        t.guest(&org, "g1@x.test", org.root, None).await;
        assert_eq!(inv::send(&t.state, &admin, guest_invite("a@x.test", org.project.0, Permission::Edit)).await, Ok(1));
        let over = inv::send(&t.state, &admin, guest_invite("b@x.test, c@x.test", org.project.0, Permission::Edit)).await.unwrap_err();
        assert_eq!(over.to_string(), "The guest limit is 3 (3 per member); 1 more can be invited.");
        assert_eq!(inv::list(&t.state, &admin, None).await.unwrap().items.len(), 1, "nothing was sent");
        assert_eq!(inv::send(&t.state, &admin, guest_invite("b@x.test", org.project.0, Permission::Edit)).await, Ok(1));
        assert!(inv::send(&t.state, &admin, guest_invite("c@x.test", org.project.0, Permission::Edit)).await.is_err());
        // A revoked invitation frees its slot; a lapsed one too.
        let b = inv::list(&t.state, &admin, None).await.unwrap().items.into_iter().find(|i| i.email == "b@x.test").unwrap();
        inv::revoke(&t.state, &admin, b.id).await.unwrap();
        assert_eq!(inv::options(&t.state, &admin).await.unwrap().quota_remaining, 1);
        t.clock.advance(chrono::Duration::days(8));
        assert_eq!(inv::options(&t.state, &admin).await.unwrap().quota_remaining, 2);
        // Members are not limited by the guest quota.
        let m = InviteInput { role: PersonKind::Member, department: Some(org.root.0), project: None, ..guest_invite("m1@x.test, m2@x.test, m3@x.test", 0, Permission::Edit) };
        assert_eq!(inv::send(&t.state, &admin, m).await, Ok(3));
    }
}

both_backends! {
    async fn twenty_concurrent_invitations_at_the_boundary_never_exceed_the_quota(t) {
        let org = t.org("Acme").await;
        for i in 0..2 { t.member(&org, &format!("m{i}@acme.test"), org.root, false).await; }
        // 3 members × 3 = 9; 4 guests already, so 5 more fit.
        for i in 0..4 { t.guest(&org, &format!("g{i}@x.test"), org.root, None).await; }
        let admin = t.viewer(org.admin).await;
        let mut handles = Vec::new();
        for i in 0..20 {
            let state = t.state.clone();
            let admin = admin.clone();
            let input = guest_invite(&format!("c{i}@x.test"), org.project.0, Permission::Edit);
            handles.push(tokio::spawn(async move { inv::send(&state, &admin, input).await }));
        }
        let mut ok = 0;
        for h in handles {
            match h.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => assert!(e.to_string().starts_with("The guest limit is 9"), "{e:?}"),
            }
        }
        assert_eq!(ok, 5);
        let mut conn = t.pool().acquire().await.unwrap();
        let q = inv_db::quota(&mut conn, org.id, t.now_ms()).await.unwrap();
        assert_eq!((q.used, q.limit()), (9, 9));
    }
}

both_backends! {
    async fn a_link_works_once_lapses_after_seven_days_and_can_be_revoked(t) {
        let org = t.org("Acme").await;
        for i in 0..3 { t.member(&org, &format!("m{i}@acme.test"), org.root, false).await; }
        let admin = t.viewer(org.admin).await;
        inv::send(&t.state, &admin, guest_invite("ann@x.test, bob@x.test, cy@x.test", org.project.0, Permission::ReadOnly)).await.unwrap();
        let (ann, bob, cy) = (token_for(&t, &org, "ann@x.test").await, token_for(&t, &org, "bob@x.test").await, token_for(&t, &org, "cy@x.test").await);
        // Only the hash is stored.
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE token_hash = $1").bind(ann.clone()).fetch_one(t.pool()).await.unwrap();
        assert_eq!(stored, 0);

        let info = inv::info(&t.state, &ann).await.unwrap();
        assert_eq!((info.email.as_str(), info.project.as_deref(), info.permission), ("ann@x.test", Some("Apollo"), Some(Permission::ReadOnly)));
        let id = accept(&t, &ann, "Ann").await.unwrap();
        // Replay: refused, nothing created.
        let again = accept(&t, &ann, "Mallory").await.unwrap_err();
        assert_eq!(again.to_string(), "This invitation has already been accepted. Sign in instead.");
        // The new guest signs in and is a guest in that one project, read-only.
        let s = check_sign_in(&t.state, &SignInAttempt { email: "ann@x.test".into(), password: "a long enough password".into(), address: "t".into() }).await.unwrap();
        assert_eq!(s.viewer.id, id);
        assert_eq!(s.viewer.role(), Role::Guest);
        assert_eq!(s.viewer.project_id, Some(org.project));
        let page = projects::page(&t.state, &s.viewer, org.project.0).await.unwrap();
        assert_eq!(page.permission, Permission::ReadOnly);

        // Revoked.
        let bob_inv = inv::list(&t.state, &admin, None).await.unwrap().items.into_iter().find(|i| i.email == "bob@x.test").unwrap();
        inv::revoke(&t.state, &admin, bob_inv.id).await.unwrap();
        assert!(accept(&t, &bob, "Bob").await.unwrap_err().to_string().contains("withdrawn"));
        // Lapsed after seven days; Resend gives a new link that works, the old one not.
        t.clock.advance(chrono::Duration::days(7));
        assert!(accept(&t, &cy, "Cy").await.unwrap_err().to_string().contains("lapsed"));
        let cy_inv = inv::list(&t.state, &admin, None).await.unwrap().items.into_iter().find(|i| i.email == "cy@x.test").unwrap();
        assert_eq!(cy_inv.state, app::domain::invite::InvitationState::Lapsed);
        inv::resend(&t.state, &admin, cy_inv.id).await.unwrap();
        let cy2 = token_for(&t, &org, "cy@x.test").await;
        assert_ne!(cy, cy2);
        assert!(accept(&t, &cy, "Cy").await.is_err());
        accept(&t, &cy2, "Cy").await.unwrap();
        // A made-up token.
        assert!(matches!(inv::info(&t.state, &"0".repeat(64)).await, Err(AppError::NotFound(_))));
        assert!(matches!(inv::info(&t.state, "short").await, Err(AppError::NotFound(_))));
        // Acceptance is in the activity log.
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "acceptance").count(), 2);
        assert_eq!(log.iter().filter(|e| e.action.key() == "invitation").count(), 3);
    }
}

both_backends! {
    async fn twenty_concurrent_redemptions_make_exactly_one_account(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        inv::send(&t.state, &admin, guest_invite("once@x.test", org.project.0, Permission::Edit)).await.unwrap();
        let token = token_for(&t, &org, "once@x.test").await;
        let mut handles = Vec::new();
        for i in 0..20 {
            let state = t.state.clone();
            let token = token.clone();
            handles.push(tokio::spawn(async move { inv::accept(&state, &token, &format!("P{i}"), "V", "a long enough password", "").await }));
        }
        let mut ok = 0;
        for h in handles {
            if h.await.unwrap().is_ok() { ok += 1; }
        }
        assert_eq!(ok, 1);
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE email = 'once@x.test'").fetch_one(t.pool()).await.unwrap();
        assert_eq!(n, 1);
    }
}

both_backends! {
    async fn duplicate_emails_get_a_clear_message_and_nothing_is_sent(t) {
        let org = t.org("Acme").await;
        for i in 0..3 { t.member(&org, &format!("m{i}@acme.test"), org.root, false).await; }
        let admin = t.viewer(org.admin).await;
        t.guest(&org, "here@x.test", org.root, None).await;
        inv::send(&t.state, &admin, guest_invite("pending@x.test", org.project.0, Permission::Edit)).await.unwrap();
        let e = inv::send(&t.state, &admin, guest_invite("fresh@x.test, HERE@x.test, pending@x.test", org.project.0, Permission::Edit)).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "Nothing was sent: here@x.test already belongs to a person of this organization; pending@x.test already has a pending invitation."
        );
        assert_eq!(inv::list(&t.state, &admin, None).await.unwrap().items.len(), 1);
        // Bad input: empty, malformed, no project.
        assert!(matches!(inv::send(&t.state, &admin, guest_invite("", org.project.0, Permission::Edit)).await, Err(AppError::Invalid(_))));
        assert!(matches!(inv::send(&t.state, &admin, guest_invite("not-an-email", org.project.0, Permission::Edit)).await, Err(AppError::Invalid(_))));
        let mut no_project = guest_invite("x@x.test", 0, Permission::Edit);
        no_project.project = None;
        assert!(matches!(inv::send(&t.state, &admin, no_project).await, Err(AppError::Invalid(_))));
        assert!(matches!(inv::send(&t.state, &admin, guest_invite("x@x.test", 999_999, Permission::Edit)).await, Err(AppError::NotFound(_))));
        // A deleted guest's email may be invited again.
        let gone = t.guest(&org, "gone@x.test", org.root, None).await;
        app::service::guests::delete(&t.state, &admin, &[gone.0]).await.unwrap();
        assert_eq!(inv::send(&t.state, &admin, guest_invite("gone@x.test", org.project.0, Permission::Edit)).await, Ok(1));
    }
}

both_backends! {
    async fn one_project_per_guest_and_removal_keeps_them(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let g = t.guest(&org, "g@x.test", org.root, None).await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        let second = app::data::orgs::create_project(&mut tx, org.id, "Gemini", "", t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        let e = projects::add_guest(&t.state, &admin, g.0, second.0, Permission::Edit).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        assert!(e.to_string().contains("one project at most"));
        projects::remove_guest(&t.state, &admin, g.0).await.unwrap();
        // Still a guest of the organization, with no project.
        let d = app::service::guests::detail(&t.state, &admin, g.0).await.unwrap().guest;
        assert_eq!(d.project, None);
        assert!(projects::page(&t.state, &admin, org.project.0).await.unwrap().members.iter().all(|m| m.id != g.0));
        assert!(matches!(projects::remove_guest(&t.state, &admin, g.0).await, Err(AppError::Conflict(_))));
        projects::add_guest(&t.state, &admin, g.0, second.0, Permission::ReadOnly).await.unwrap();
        let d = app::service::guests::detail(&t.state, &admin, g.0).await.unwrap().guest;
        assert_eq!((d.project.as_deref(), d.permission), (Some("Gemini"), Some(Permission::ReadOnly)));
        // Users and other organizations' admins cannot move guests.
        let user = t.viewer(t.member(&org, "u@acme.test", org.root, false).await).await;
        assert_eq!(projects::remove_guest(&t.state, &user, g.0).await.unwrap_err(), AppError::Forbidden);
        let bolt = t.org("Bolt").await;
        let bolt_admin = t.viewer(bolt.admin).await;
        assert!(matches!(projects::remove_guest(&t.state, &bolt_admin, g.0).await, Err(AppError::NotFound(_))));
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert!(log.iter().any(|e| e.action.key() == "project_removal"));
        assert!(log.iter().any(|e| e.action.key() == "project_addition"));
    }
}

both_backends! {
    async fn read_only_guests_only_look_edit_guests_work(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let ro = t.guest(&org, "ro@x.test", org.root, None).await;
        let ed = t.guest(&org, "ed@x.test", org.root, None).await;
        projects::remove_guest(&t.state, &admin, ro.0).await.unwrap();
        projects::add_guest(&t.state, &admin, ro.0, org.project.0, Permission::ReadOnly).await.unwrap();
        let (ro, ed) = (t.viewer(ro).await, t.viewer(ed).await);
        projects::add_task(&t.state, &ed, org.project.0, "Write the brief").await.unwrap();
        let task = projects::page(&t.state, &ed, org.project.0).await.unwrap().tasks[0].id;
        projects::set_task_done(&t.state, &ed, org.project.0, task, true).await.unwrap();
        let e = projects::add_task(&t.state, &ro, org.project.0, "Sneaky").await.unwrap_err();
        assert_eq!(e, AppError::Refused("You have read-only access to this project.".into()));
        assert_eq!(projects::set_task_done(&t.state, &ro, org.project.0, task, false).await.unwrap_err().status(), 403);
        let page = projects::page(&t.state, &ro, org.project.0).await.unwrap();
        assert_eq!(page.tasks.len(), 1);
        assert!(page.tasks[0].done);
        // A guest sees the members but no other guest.
        assert!(page.members.iter().filter(|m| m.is_guest).all(|m| m.id == ro.id.0));
        // Another project is not found for a guest; bad input changes nothing.
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        let other = app::data::orgs::create_project(&mut tx, org.id, "Gemini", "", t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(projects::page(&t.state, &ed, other.0).await, Err(AppError::NotFound(_))));
        assert!(matches!(projects::add_task(&t.state, &ed, org.project.0, "  ").await, Err(AppError::Invalid(_))));
        assert!(matches!(projects::set_task_done(&t.state, &ed, org.project.0, 999_999, true).await, Err(AppError::NotFound(_))));
        assert_eq!(projects::page(&t.state, &admin, org.project.0).await.unwrap().tasks.len(), 1);
    }
}

both_backends! {
    async fn settings_are_for_company_admins_and_logged(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let s = settings::get(&t.state, &admin).await.unwrap();
        assert!(s.settings.invitations_enabled);
        assert_eq!(s.settings.invite_policy, InvitePolicy::Admins);
        assert_eq!(s.settings.guests_per_member, 3);
        assert_eq!(settings::get(&t.state, &dana).await.unwrap_err(), AppError::Forbidden);
        let mut bad = s.settings.clone();
        bad.guests_per_member = -2;
        assert!(matches!(settings::save(&t.state, &admin, &bad).await, Err(AppError::Invalid(_))));
        assert_eq!(settings::save(&t.state, &dana, &s.settings).await.unwrap_err(), AppError::Forbidden);
        assert!(matches!(settings::authorize(&t.state, &admin, 999_999, true).await, Err(AppError::NotFound(_))));
        let bolt = t.org("Bolt").await;
        assert!(matches!(settings::authorize(&t.state, &admin, bolt.admin.0, true).await, Err(AppError::NotFound(_))));
        let mut good = s.settings.clone();
        good.guests_per_member = 5;
        settings::save(&t.state, &admin, &good).await.unwrap();
        assert_eq!(settings::get(&t.state, &admin).await.unwrap().settings.guests_per_member, 5);
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "settings_changed").count(), 1);
    }
}

both_backends! {
    async fn a_member_invited_without_a_department_joins_the_inviters(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let m = InviteInput { role: PersonKind::Member, department: None, project: None, ..guest_invite("mia@x.test", 0, Permission::Edit) };
        assert_eq!(inv::send(&t.state, &admin, m).await, Ok(1));
        let token = token_for(&t, &org, "mia@x.test").await;
        let id = accept(&t, &token, "Mia").await.unwrap();
        let v = t.viewer(id).await;
        assert_eq!(v.role(), Role::User);
        let dept: i64 = sqlx::query_scalar("SELECT department_id FROM people WHERE id = $1").bind(id.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(dept, org.root.0, "the Company Admin's department");
    }
}

both_backends! {
    async fn the_invitations_list_pages_newest_first(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        for batch in 0..3 {
            let emails: Vec<String> = (0..45).map(|i| format!("m{batch}-{i}@acme.test")).collect();
            let input = InviteInput {
                emails: emails.join(", "),
                role: app::domain::PersonKind::Member,
                project: None,
                permission: app::domain::Permission::Edit,
                department: None,
                expiry: app::domain::expiry::ExpiryPeriod::Never,
            };
            inv::send(&t.state, &admin, input).await.unwrap();
            t.clock.advance(chrono::Duration::seconds(1));
        }
        let first = inv::list(&t.state, &admin, None).await.unwrap();
        assert_eq!((first.items.len(), first.prev.is_some()), (100, false));
        assert!(first.items[0].email.starts_with("m2-"));
        // A new invitation meanwhile does not shift the next page (keyset, not OFFSET).
        inv::send(&t.state, &admin, InviteInput { emails: "late@acme.test".into(), role: app::domain::PersonKind::Member, project: None, permission: app::domain::Permission::Edit, department: None, expiry: app::domain::expiry::ExpiryPeriod::Never }).await.unwrap();
        let second = inv::list(&t.state, &admin, first.next.as_deref()).await.unwrap();
        assert_eq!((second.items.len(), second.next.is_some()), (35, false));
        assert!(second.items.iter().all(|i| i.email.starts_with("m0-")));
        let ids = |p: &app::domain::paging::Page<app::model::invitations::InvitationItem>| p.items.iter().map(|i| i.id).collect::<Vec<_>>();
        assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)), "no row twice");
        // Back to the newer page: the same rows as before.
        let back = inv::list(&t.state, &admin, second.prev.as_deref()).await.unwrap();
        assert_eq!(ids(&back), ids(&first));
        for bad in ["x", "a.i1", "a.iabc.1", "z.i1.1"] {
            assert!(matches!(inv::list(&t.state, &admin, Some(bad)).await, Err(AppError::Invalid(_))), "{bad}");
        }
    }
}
