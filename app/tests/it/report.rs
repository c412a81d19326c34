//! The Activity Report (F-REPORT) on both backends: its two conditions, a Department
//! Admin's scope (entries about a guest incorporated since included), month boundaries
//! in UTC, the filters and keyset pages, the chart drawn from the table's rows, the CSV
//! (escaping, the same scope and filters, the download route), and the monthly mail:
//! once per organization and month with two servers, caught up after a gap.

use crate::common;

use app::data::activity::{self as log, Entry};
use app::data::invitations as inv;
use app::domain::activity::{Action, TargetKind};
use app::domain::expiry::ExpiryPeriod;
use app::domain::report::{Month, ReportFilters};
use app::domain::{PersonKind, Permission, PersonId, Viewer};
use app::error::AppError;
use app::model::invitations::InviteInput;
use app::model::report::{ReportEntry, ReportQuery, ReportView};
use app::service::report as report;
use chrono::{TimeZone, Utc};
use common::web;
use common::{Org, TestApp, PASSWORD};
use http::{header, StatusCode};

struct World {
    org: Org,
    admin: Viewer,
    /// Dana manages Child (and Grandchild); Olga manages Other.
    dana: Viewer,
    olga: Viewer,
    uma: Viewer,
}

async fn world(t: &TestApp) -> World {
    let org = t.org("Acme").await;
    let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
    let olga = t.dept_admin(&org, "olga@acme.test", org.other).await;
    let uma = t.member(&org, "uma@acme.test", org.root, false).await;
    World { admin: t.viewer(org.admin).await, dana: t.viewer(dana).await, olga: t.viewer(olga).await, uma: t.viewer(uma).await, org }
}

async fn set_settings(t: &TestApp, org: &Org, invitations: bool, report_on: bool) {
    let mut s = inv::settings_of(t.pool(), org.id).await.unwrap();
    s.invitations_enabled = invitations;
    s.receive_activity_report = report_on;
    let mut tx = t.db().begin_org_write(org.id).await.unwrap();
    inv::save_settings(&mut tx, org.id, &s, org.admin, t.now_ms()).await.unwrap();
    tx.commit().await.unwrap();
}

async fn invite(t: &TestApp, by: &Viewer, email: &str, org: &Org, dept: app::domain::DeptId) {
    let input = InviteInput {
        emails: email.into(),
        role: PersonKind::Guest,
        project: Some(org.project.0),
        permission: Permission::Edit,
        department: Some(dept.0),
        expiry: ExpiryPeriod::Never,
    };
    app::service::invitations::sending::send(&t.state, by, input).await.unwrap();
}

async fn view(t: &TestApp, who: &Viewer, month: &str, filters: ReportFilters) -> Result<ReportView, AppError> {
    report::view(&t.state, who, ReportQuery { month: month.into(), filters, ..Default::default() }).await
}

fn guest_rows(v: &ReportView) -> Vec<ReportEntry> {
    v.guest.as_ref().expect("a Guest activity section").items.clone()
}

fn other_rows(v: &ReportView) -> Vec<ReportEntry> {
    v.other.as_ref().expect("an Other activity section").items.clone()
}

fn actions(rows: &[ReportEntry]) -> Vec<String> {
    rows.iter().map(|r| format!("{}: {}", r.action, r.about)).collect()
}

/// The whole CSV of a month as the viewer would download it.
async fn csv(t: &TestApp, who: &Viewer, month: &str, filters: &ReportFilters) -> Result<String, AppError> {
    let mut export = report::csv_export(&t.state, who, month, filters).await?;
    let mut out = Vec::new();
    while let Some(chunk) = export.next_chunk().await? {
        out.extend(chunk);
    }
    Ok(String::from_utf8(out).expect("UTF-8"))
}

/// An entry written straight to the log at `at` (unix ms).
async fn entry(t: &TestApp, org: &Org, at: i64, actor: Option<PersonId>, subject: Option<PersonId>, action: Action, scope: Option<app::domain::DeptId>) {
    let mut tx = t.db().begin_org_write(org.id).await.unwrap();
    log::record(&mut tx, Entry { org: org.id, at, actor, subject, action, details: "", target: None, scope }).await.unwrap();
    tx.commit().await.unwrap();
}

fn ms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap().timestamp_millis()
}

both_backends! {
    async fn the_report_shows_what_the_settings_allow(t) {
        let w = world(&t).await;
        let s = &t.state;
        invite(&t, &w.admin, "ivy@partner.test", &w.org, w.org.child).await;
        let g1 = t.guest(&w.org, "gina@partner.test", w.org.child, None).await;
        let g2 = t.guest(&w.org, "gail@partner.test", w.org.child, None).await;
        t.clock.advance(chrono::Duration::seconds(5));
        app::service::guests::incorporate(s, &w.admin, &[g1.0]).await.unwrap();
        app::service::guests::delete(s, &w.admin, &[g2.0]).await.unwrap();
        app::service::structure::create_department(s, &w.admin, "Research", None).await.unwrap();

        let v = view(&t, &w.admin, "", ReportFilters::default()).await.unwrap();
        assert!(v.enabled);
        assert_eq!(v.month, "2026-11");
        let guest = guest_rows(&v);
        // Newest first, each naming its guest, the person who acted by name, dates to the second.
        assert_eq!(actions(&guest), ["Deletion: Guest gail", "Incorporation: Guest gina", "Invitation: ivy@partner.test"]);
        assert!(guest.iter().all(|r| r.by == "Mem admin"), "{guest:?}");
        assert_eq!(guest[2].date, "2026-11-22 09:00:00");
        assert_eq!(guest[0].date, "2026-11-22 09:00:05");
        let other = other_rows(&v);
        assert!(actions(&other).contains(&"Department created: Research".to_string()), "{other:?}");
        assert!(other.iter().all(|r| r.action != "Invitation" && r.action != "Deletion"));
        assert_eq!(v.chart.as_ref().unwrap().totals(), [1, 1, 1, 0]);
        assert_eq!(v.chart.as_ref().unwrap().days[21], [1, 1, 1, 0], "all on the 22nd");
        let all = csv(&t, &w.admin, "", &ReportFilters::default()).await.unwrap();
        assert!(all.contains("Guest activity,2026-11-22T09:00:05Z,Mem admin,Deletion,Guest gail,"), "{all}");

        // Invitation of External Users off: the guest section and its chart are gone, the rest stays.
        set_settings(&t, &w.org, false, true).await;
        let v = view(&t, &w.admin, "", ReportFilters::default()).await.unwrap();
        assert!(v.enabled && v.guest.is_none() && v.chart.is_none());
        assert!(!other_rows(&v).is_empty());
        assert!(v.actions.iter().all(|a| a.section == "Other activity"));
        let other_only = csv(&t, &w.admin, "", &ReportFilters::default()).await.unwrap();
        assert!(!other_only.contains("Guest activity") && other_only.contains("Other activity,"), "{other_only}");

        // Receive Activity Report off: no report at all, for past months too, and no CSV.
        set_settings(&t, &w.org, true, false).await;
        for month in ["", "2026-10"] {
            let v = view(&t, &w.admin, month, ReportFilters::default()).await.unwrap();
            assert!(!v.enabled && v.guest.is_none() && v.other.is_none() && v.chart.is_none());
            assert!(v.may_change_settings);
        }
        assert!(!view(&t, &w.dana, "", ReportFilters::default()).await.unwrap().may_change_settings);
        assert!(matches!(csv(&t, &w.admin, "", &ReportFilters::default()).await, Err(AppError::Refused(_))));
    }
}

both_backends! {
    async fn only_admins_see_it_and_a_department_admin_sees_their_departments(t) {
        let w = world(&t).await;
        let s = &t.state;
        // Grace is sponsored by Grandchild (below Dana's Child), Otto by Other (Olga's).
        let grace = t.guest(&w.org, "grace@partner.test", w.org.grandchild, None).await;
        let otto = t.guest(&w.org, "otto@partner.test", w.org.other, None).await;
        app::service::guests::rename(s, &w.admin, grace.0, "Grace", "Hopper").await.unwrap();
        app::service::guests::rename(s, &w.admin, otto.0, "Otto", "Other").await.unwrap();
        // Grace is incorporated into Root: her sponsor is gone, her entries stay Dana's.
        app::service::guests::incorporate_into(s, &w.admin, &[grace.0], Some(w.org.root.0)).await.unwrap();
        invite(&t, &w.dana, "ivy@partner.test", &w.org, w.org.child).await;

        let dana = guest_rows(&view(&t, &w.dana, "", ReportFilters::default()).await.unwrap());
        assert_eq!(actions(&dana), ["Invitation: ivy@partner.test", "Incorporation: Grace Hopper", "Guest edited: Grace Hopper"]);
        assert_eq!(dana[0].by, "Mem dana");
        let olga = guest_rows(&view(&t, &w.olga, "", ReportFilters::default()).await.unwrap());
        assert_eq!(actions(&olga), ["Guest edited: Otto Other"]);
        let admin = guest_rows(&view(&t, &w.admin, "", ReportFilters::default()).await.unwrap());
        assert_eq!(admin.len(), 4);
        // The CSV has the same scope.
        let dana_csv = csv(&t, &w.dana, "", &ReportFilters::default()).await.unwrap();
        assert!(dana_csv.contains("Grace Hopper") && !dana_csv.contains("Otto"), "{dana_csv}");
        assert_eq!(v_chart(&t, &w.dana).await, [1, 1, 0, 0]);

        // Nobody else: a user, a guest; and nothing for a bad month or filter.
        let grace_viewer = t.viewer(t.guest(&w.org, "gus@partner.test", w.org.child, None).await).await;
        for who in [&w.uma, &grace_viewer] {
            assert!(matches!(view(&t, who, "", ReportFilters::default()).await, Err(AppError::Forbidden | AppError::NotFound(_))));
            assert!(matches!(report::csv_export(&t.state, who, "", &ReportFilters::default()).await, Err(AppError::Forbidden | AppError::NotFound(_))));
        }
        for bad in ["2026-13", "november", "2026-11-01", "0000-01"] {
            assert!(matches!(view(&t, &w.admin, bad, ReportFilters::default()).await, Err(AppError::Invalid(_))), "{bad}");
        }
        let bad_action = ReportFilters { action: "launch_missiles".into(), ..Default::default() };
        assert!(matches!(view(&t, &w.admin, "", bad_action.clone()).await, Err(AppError::Invalid(_))));
        assert!(matches!(report::csv_export(&t.state, &w.admin, "", &bad_action).await, Err(AppError::Invalid(_))));
        let long = ReportFilters { text: "x".repeat(101), ..Default::default() };
        assert!(matches!(view(&t, &w.admin, "", long).await, Err(AppError::Invalid(_))));
    }
}

async fn v_chart(t: &TestApp, who: &Viewer) -> [i64; 4] {
    view(t, who, "", ReportFilters::default()).await.unwrap().chart.unwrap().totals()
}

both_backends! {
    async fn months_are_calendar_months_in_utc(t) {
        let w = world(&t).await;
        let g = t.guest(&w.org, "gina@partner.test", w.org.child, None).await;
        let last_of_october = ms(2026, 10, 31, 23, 59, 59);
        let first_of_november = ms(2026, 11, 1, 0, 0, 0);
        let last_of_november = ms(2026, 11, 30, 23, 59, 59);
        let first_of_december = ms(2026, 12, 1, 0, 0, 0);
        for at in [last_of_october, first_of_november, last_of_november, first_of_december] {
            entry(&t, &w.org, at, Some(w.org.admin), Some(g), Action::ExpiryChanged, None).await;
        }
        let dates = |v: ReportView| guest_rows(&v).into_iter().map(|r| r.date).collect::<Vec<_>>();
        let nov = view(&t, &w.admin, "2026-11", ReportFilters::default()).await.unwrap();
        assert_eq!(dates(nov), ["2026-11-30 23:59:59", "2026-11-01 00:00:00"]);
        let oct = view(&t, &w.admin, "2026-10", ReportFilters::default()).await.unwrap();
        assert_eq!(dates(oct), ["2026-10-31 23:59:59"]);
        // The Month select offers this month back to the organization's first.
        let v = view(&t, &w.admin, "", ReportFilters::default()).await.unwrap();
        assert_eq!(v.months.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(), ["2026-11"]);
        assert_eq!(v.month_label, "November 2026");
        // The chart puts each on its own UTC day.
        let mut f = ReportFilters::default();
        f.action = "automatic_removal".into();
        entry(&t, &w.org, last_of_november, None, Some(g), Action::ExpiredRemoval, None).await;
        entry(&t, &w.org, first_of_november, None, Some(g), Action::ExpiredRemoval, None).await;
        let c = view(&t, &w.admin, "2026-11", ReportFilters::default()).await.unwrap().chart.unwrap();
        assert_eq!(c.days.len(), 30);
        assert_eq!(c.days[0], [0, 0, 0, 1]);
        assert_eq!(c.days[29], [0, 0, 0, 1]);
        let only = guest_rows(&view(&t, &w.admin, "2026-11", f).await.unwrap());
        assert_eq!(only.len(), 2);
        assert!(only.iter().all(|r| r.by == "Lobby" && r.action == "Automatic removal"));
    }
}

both_backends! {
    async fn filters_and_pages(t) {
        let w = world(&t).await;
        let g = t.guest(&w.org, "gina@partner.test", w.org.child, None).await;
        app::service::guests::rename(&t.state, &w.admin, g.0, "Gina", "Lollobrigida").await.unwrap();
        let start = ms(2026, 11, 2, 0, 0, 0);
        // 230 expiry changes by Dana, 20 automatic removals: every second a new entry.
        for i in 0..250 {
            let (actor, action) = if i % 25 == 0 { (None, Action::ExpiredRemoval) } else { (Some(w.dana.id), Action::ExpiryChanged) };
            entry(&t, &w.org, start + i * 1000, actor, Some(g), action, None).await;
        }
        let by = |actor: &str| ReportFilters { actor: actor.into(), ..Default::default() };
        let n = |v: &ReportView| v.guest.as_ref().unwrap().items.len();
        // Pages of 100, newest first, no gaps nor repeats, stable under a new entry.
        let first = view(&t, &w.admin, "", ReportFilters::default()).await.unwrap();
        let page1 = first.guest.clone().unwrap();
        assert_eq!(page1.items.len(), 100);
        assert!(page1.prev.is_none());
        entry(&t, &w.org, start + 500_000, Some(w.dana.id), Some(g), Action::ExpiryChanged, None).await;
        let mut seen: Vec<i64> = page1.items.iter().map(|e| e.id).collect();
        let mut cursor = page1.next.clone();
        while let Some(c) = cursor {
            let q = ReportQuery { guest_cursor: Some(c), ..Default::default() };
            let p = report::view(&t.state, &w.admin, q).await.unwrap().guest.unwrap();
            seen.extend(p.items.iter().map(|e| e.id));
            cursor = p.next;
        }
        let mut sorted = seen.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(sorted.len(), seen.len(), "no entry twice");
        assert_eq!(seen.len(), 251, "250 entries and the rename, none of the one added later");
        // Filters: the person who acted (name, email; "Lobby" for automatic actions), the
        // action, the guest, text; the chart follows them.
        assert_eq!(n(&view(&t, &w.admin, "", by("lobby")).await.unwrap()), 10);
        let dana = view(&t, &w.admin, "", by("DANA@acme")).await.unwrap();
        assert_eq!(dana.guest.as_ref().unwrap().items.len(), 100);
        assert_eq!(dana.chart.as_ref().unwrap().totals(), [0, 0, 0, 0]);
        let removals = ReportFilters { action: "automatic_removal".into(), ..Default::default() };
        let v = view(&t, &w.admin, "", removals).await.unwrap();
        assert_eq!(n(&v), 10);
        assert_eq!(v.chart.unwrap().totals(), [0, 0, 0, 10]);
        let guest = ReportFilters { guest: "lollo".into(), action: "guest_edited".into(), ..Default::default() };
        assert_eq!(actions(&guest_rows(&view(&t, &w.admin, "", guest).await.unwrap())), ["Guest edited: Gina Lollobrigida"]);
        let none = ReportFilters { text: "100%_".into(), ..Default::default() };
        assert_eq!(n(&view(&t, &w.admin, "", none).await.unwrap()), 0, "% and _ are searched for, not wildcards");
        // The CSV of a filter has exactly the rows of the table, oldest first.
        let f = ReportFilters { actor: "lobby".into(), ..Default::default() };
        let file = csv(&t, &w.admin, "", &f).await.unwrap();
        let lines: Vec<&str> = file.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "Section,Date,Administrator/Authorized User,Action,About,Details");
        assert_eq!(lines.len(), 11);
        assert!(lines[1].starts_with("Guest activity,2026-11-02T00:00:00Z,Lobby,Automatic removal,Gina Lollobrigida"), "{}", lines[1]);
        // A cursor that is not one of ours is refused.
        let q = ReportQuery { guest_cursor: Some("garbage".into()), ..Default::default() };
        assert!(matches!(report::view(&t.state, &w.admin, q).await, Err(AppError::Invalid(_))));
    }
}

both_backends! {
    async fn the_csv_never_runs_in_a_spreadsheet(t) {
        let w = world(&t).await;
        let g = t.guest(&w.org, "x@partner.test", w.org.child, None).await;
        app::service::guests::rename(&t.state, &w.admin, g.0, "=HYPERLINK(\"x\")", "Smith").await.unwrap();
        // An admin with no name is named by their mobile number.
        let nameless = t.member(&w.org, "nameless@acme.test", w.org.root, true).await;
        sqlx::query("UPDATE people SET first_name = '', last_name = '', mobile = '+44 20 7946 0000' WHERE id = $1")
            .bind(nameless.0)
            .execute(t.pool())
            .await
            .unwrap();
        let nameless = t.viewer(nameless).await;
        app::service::guests::set_expiry(&t.state, &nameless, &[g.0], ExpiryPeriod::OneMonth).await.unwrap();
        let v = view(&t, &w.admin, "", ReportFilters::default()).await.unwrap();
        let rows = guest_rows(&v);
        assert_eq!(rows[0].by, "+44 20 7946 0000");
        assert_eq!(rows[0].about, "=HYPERLINK(\"x\") Smith", "the page shows the name as it is");
        let file = csv(&t, &w.admin, "", &ReportFilters::default()).await.unwrap();
        let mut reader = csv_reader(&file);
        let records: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        let change = records.iter().find(|r| r[3] == "Expiry change").expect("the expiry change");
        assert_eq!(change[2], "'+44 20 7946 0000");
        assert_eq!(change[4], "'=HYPERLINK(\"x\") Smith");
        for r in &records {
            for cell in r {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} would run");
            }
        }
        // RFC 4180: the quote is doubled inside a quoted cell, lines end in CRLF.
        assert!(file.contains("\"'=HYPERLINK(\"\"x\"\") Smith\""), "{file}");
        assert!(file.ends_with("\r\n"));
    }
}

fn csv_reader(file: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(true).from_reader(file.as_bytes())
}

both_backends! {
    async fn the_download_route_sends_the_csv_to_admins_only(t) {
        let w = world(&t).await;
        let g = t.guest(&w.org, "gina@partner.test", w.org.child, None).await;
        app::service::guests::delete(&t.state, &w.admin, &[g.0]).await.unwrap();
        let app = web::app(&t).await;
        let admin = web::sign_in(&app, &w.org.admin_email, PASSWORD).await;
        let r = web::get(&app, "/activity.csv?month=2026-11&action=deletion", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.header(header::CONTENT_TYPE), Some("text/csv; charset=utf-8"));
        assert!(r.header(header::CONTENT_DISPOSITION).unwrap().contains("activity-report-2026-11.csv"));
        assert_eq!(r.header(header::CACHE_CONTROL), Some("private, no-store"));
        let lines: Vec<&str> = r.body.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 2, "{}", r.body);
        assert!(lines[1].contains(",Deletion,Guest gina,"), "{}", r.body);
        // Refusals: nobody signed in, a user, a bad month, an unknown action.
        assert_eq!(web::get(&app, "/activity.csv", None).await.status, StatusCode::UNAUTHORIZED);
        let uma = web::sign_in(&app, "uma@acme.test", PASSWORD).await;
        assert!(matches!(web::get(&app, "/activity.csv", Some(&uma)).await.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
        assert_eq!(web::get(&app, "/activity.csv?month=2026-13", Some(&admin)).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(web::get(&app, "/activity.csv?action=nope", Some(&admin)).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(web::get(&app, "/activity.csv?month=%ZZ", Some(&admin)).await.status, StatusCode::BAD_REQUEST);
        // The page itself renders for the admin.
        let page = web::get(&app, "/activity", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Administrator/Authorized User") && page.body.contains("Download CSV"), "{}", page.body);
    }
}

async fn mails_to(t: &TestApp, to: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT subject, body_text, attachment_name FROM outbox WHERE to_email = $1 AND subject LIKE 'Activity Report%' ORDER BY id")
        .bind(to)
        .fetch_all(t.pool())
        .await
        .unwrap()
}

both_backends! {
    async fn the_monthly_mail_goes_once_and_catches_up(t) {
        let w = world(&t).await;
        let second_admin = t.member(&w.org, "ceo@acme.test", w.org.root, true).await;
        let _ = second_admin;
        let s = &t.state;
        invite(&t, &w.admin, "ivy@partner.test", &w.org, w.org.child).await;
        let g = t.guest(&w.org, "cmd@partner.test", w.org.child, None).await;
        app::service::guests::rename(s, &w.admin, g.0, "=cmd", "calc").await.unwrap();
        app::service::guests::delete(s, &w.admin, &[g.0]).await.unwrap();
        // Nothing is owed in the organization's first month.
        assert_eq!(app::jobs::report_once(s).await.unwrap(), 0);
        // On the first of December two servers run the job at once: one mail per Company Admin.
        t.clock.set(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 30).unwrap());
        let other = t.second_server().await;
        let (a, b) = tokio::join!(app::jobs::report_once(s), app::jobs::report_once(&other));
        assert_eq!(a.unwrap() + b.unwrap(), 1, "one server claims the month");
        assert_eq!(app::jobs::report_once(s).await.unwrap(), 0, "and nobody sends it again");
        for to in [w.org.admin_email.as_str(), "ceo@acme.test"] {
            let mails = mails_to(&t, to).await;
            assert_eq!(mails.len(), 1, "{to}: {mails:?}");
            let (subject, text, attachment) = &mails[0];
            assert_eq!(subject, "Activity Report of Acme: November 2026");
            assert!(text.contains("Invitation: 1") && text.contains("Deletion: 1"), "{text}");
            assert_eq!(attachment.as_deref(), Some("activity-report-2026-11.csv"));
        }
        assert!(mails_to(&t, "dana@acme.test").await.is_empty(), "Department Admins are not mailed");
        let bytes: Vec<u8> = sqlx::query_scalar("SELECT attachment FROM outbox WHERE to_email = $1 AND attachment IS NOT NULL")
            .bind(&w.org.admin_email)
            .fetch_one(t.pool())
            .await
            .unwrap();
        let attached = String::from_utf8(bytes).unwrap();
        let records: Vec<Vec<String>> = csv_reader(&attached).records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        let deletion = records.iter().find(|r| r[3] == "Deletion").expect("the deletion");
        assert_eq!(deletion[4], "'=cmd calc", "{attached}");

        // Without SMTP the admins read it in the outbox, the CSV a link away.
        let outbox = app::service::invitations::outbox::outbox(s, &w.admin, None).await.unwrap();
        let mail = outbox.items.iter().find(|m| m.subject.starts_with("Activity Report")).expect("in the outbox");
        assert_eq!(mail.attachment.as_deref(), Some("activity-report-2026-11.csv"));
        let (name, file) = app::service::invitations::outbox::attachment(s, &w.admin, mail.id).await.unwrap();
        assert_eq!((name.as_str(), file.as_slice()), ("activity-report-2026-11.csv", attached.as_bytes()));
        assert!(matches!(app::service::invitations::outbox::attachment(s, &w.dana, mail.id).await, Err(AppError::Forbidden)));
        let invitation_mail = outbox.items.iter().find(|m| m.attachment.is_none()).expect("the invitation's mail");
        assert!(matches!(app::service::invitations::outbox::attachment(s, &w.admin, invitation_mail.id).await, Err(AppError::NotFound(_))));

        // A downtime from December to April: December, January, February and March, once each.
        t.clock.set(Utc.with_ymd_and_hms(2027, 4, 2, 8, 0, 0).unwrap());
        assert_eq!(app::jobs::report_once(&other).await.unwrap(), 4);
        assert_eq!(app::jobs::report_once(s).await.unwrap(), 0);
        let subjects: Vec<String> = mails_to(&t, &w.org.admin_email).await.into_iter().map(|m| m.0).collect();
        assert_eq!(
            subjects,
            ["November 2026", "December 2026", "January 2027", "February 2027", "March 2027"].map(|m| format!("Activity Report of Acme: {m}"))
        );
        // A month with the report off is claimed without mail, and not sent later.
        set_settings(&t, &w.org, true, false).await;
        t.clock.set(Utc.with_ymd_and_hms(2027, 5, 1, 0, 0, 0).unwrap());
        assert_eq!(app::jobs::report_once(s).await.unwrap(), 1);
        set_settings(&t, &w.org, true, true).await;
        assert_eq!(app::jobs::report_once(s).await.unwrap(), 0);
        assert_eq!(mails_to(&t, &w.org.admin_email).await.len(), 5);
        let claims = app::data::report::claims(t.pool(), w.org.id).await.unwrap();
        assert_eq!(claims.len(), 6);
        assert_eq!(claims.last().unwrap(), &("2027-04".to_string(), 0));
        let _ = Month::parse("2027-04").unwrap();
    }
}

both_backends! {
    async fn a_long_gap_catches_up_twelve_months_at_most(t) {
        let w = world(&t).await;
        t.clock.set(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        assert_eq!(app::jobs::report_once(&t.state).await.unwrap(), 1);
        t.clock.set(Utc.with_ymd_and_hms(2029, 1, 15, 0, 0, 0).unwrap());
        assert_eq!(app::jobs::report_once(&t.state).await.unwrap(), 12);
        let claims = app::data::report::claims(t.pool(), w.org.id).await.unwrap();
        assert_eq!(claims.iter().map(|c| c.0.as_str()).collect::<Vec<_>>()[1..], ["2028-01", "2028-02", "2028-03", "2028-04", "2028-05", "2028-06", "2028-07", "2028-08", "2028-09", "2028-10", "2028-11", "2028-12"]);
        // An empty month still gets its letter: nothing happened is worth knowing.
        let last = mails_to(&t, &w.org.admin_email).await.pop().unwrap();
        assert!(last.1.contains("Nothing this month"), "{}", last.1);
        let _ = TargetKind::Person;
    }
}

/// The report's counts as the log's own rows give them: `(day in month, action)` for the
/// section and scope asked (`depts`: the scope departments a Department Admin manages).
fn expected(rows: &[(i64, Action, i64, i64)], month: Month, guest: bool, depts: Option<&[i64]>, action: Option<Action>) -> (app::domain::report::Chart, Vec<(Action, i64)>) {
    let mut chart = app::domain::report::Chart::empty(month);
    let mut counts = std::collections::BTreeMap::<&str, (Action, i64)>::new();
    for (at, a, dept, about_guest) in rows {
        let inside = *at >= month.start_ms() && *at < month.end_ms() && (*about_guest == 1) == guest;
        if inside && depts.is_none_or(|d| d.contains(dept)) && action.is_none_or(|x| x == *a) {
            chart.add(((at - month.start_ms()) / 86_400_000) as usize, *a, 1);
            counts.entry(a.key()).or_insert((*a, 0)).1 += 1;
        }
    }
    (chart, counts.into_values().collect())
}

both_backends! {
    async fn the_daily_counts_are_the_logs_own(t) {
        // The chart, the dashboard's sparkline and the mail's summary read the daily counts
        // a trigger keeps; after entries written every way the log is written (one, a
        // batch, a job's batch of removals, several servers at once) they equal what the
        // log's rows say, for each section, scope and action filter.
        let w = world(&t).await;
        let guests = [
            t.guest(&w.org, "gina@partner.test", w.org.child, None).await,
            t.guest(&w.org, "gail@partner.test", w.org.grandchild, None).await,
            t.guest(&w.org, "gus@partner.test", w.org.other, None).await,
        ];
        let scopes = [None, Some(w.org.root), Some(w.org.child), Some(w.org.grandchild), Some(w.org.other)];
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let oct = ms(2026, 10, 1, 0, 0, 0);
        let mut batch = Vec::new();
        for i in 0..400 {
            // Across October, November and the first days of December, to the millisecond.
            let at = oct + (next(66 * 86_400) as i64) * 1000 + next(1000) as i64;
            let action = Action::ALL[next(Action::ALL.len() as u64) as usize];
            let subject = (next(4) > 0).then(|| guests[next(3) as usize]);
            let scope = scopes[next(scopes.len() as u64) as usize];
            if i % 3 == 0 {
                entry(&t, &w.org, at, Some(w.org.admin), subject, action, scope).await;
            } else {
                batch.push((at, action, subject, scope));
            }
        }
        let mut tx = t.db().begin_org_write(w.org.id).await.unwrap();
        let entries: Vec<Entry> = batch.iter().map(|(at, action, subject, scope)| Entry { org: w.org.id, at: *at, actor: None, subject: *subject, action: *action, details: "", target: None, scope: *scope }).collect();
        log::record_many(&mut tx, &entries).await.unwrap();
        log::record_for_people(&mut tx, &guests, ms(2026, 11, 30, 23, 59, 59), None, Action::ExpiredRemoval, "").await.unwrap();
        tx.commit().await.unwrap();
        // Two servers write the same day's counts at once.
        let other = t.second_server().await;
        let day = ms(2026, 11, 15, 12, 0, 0);
        let write = |db: app::data::Db, k: i64| {
            let (org, g) = (w.org.id, guests[0]);
            async move {
                for j in 0..25 {
                    let mut tx = db.begin_write().await.unwrap();
                    let e = Entry { org, at: day + k * 100 + j, actor: None, subject: Some(g), action: Action::Deleted, details: "", target: None, scope: None };
                    log::record(&mut tx, e).await.unwrap();
                    tx.commit().await.unwrap();
                }
            }
        };
        let a = tokio::spawn(write(t.db().clone(), 0));
        let b = tokio::spawn(write(other.db.clone(), 1));
        a.await.unwrap();
        b.await.unwrap();

        let rows: Vec<(i64, Action, i64, i64)> =
            sqlx::query_as("SELECT at, action, COALESCE(scope_department_id, 0), about_guest FROM activity WHERE org_id = $1")
                .bind(w.org.id.0)
                .fetch_all(t.pool())
                .await
                .unwrap();
        assert!(rows.len() >= 453, "{} entries", rows.len());
        let dana = [w.org.child.0, w.org.grandchild.0];
        let olga = [w.org.other.0];
        let mut checked = 0;
        for month in ["2026-09", "2026-10", "2026-11", "2026-12"].map(|m| Month::parse(m).unwrap()) {
            for guest in [true, false] {
                for (admin, depts) in [(None, None), (Some(w.dana.id), Some(&dana[..])), (Some(w.olga.id), Some(&olga[..]))] {
                    for action in [None, Some(Action::Deleted), Some(Action::Invited), Some(Action::GuestEdited)] {
                        let filters = app::domain::report::Filters { action, ..Default::default() };
                        let q = app::data::report::Query { org: w.org.id, month, about_guest: Some(guest), scoped_to: admin, filters: &filters };
                        let (chart, counts) = expected(&rows, month, guest, depts, action);
                        assert_eq!(app::data::report::chart(t.pool(), &q).await.unwrap(), chart, "{month:?} guest={guest} {admin:?} {action:?}");
                        let mut got = app::data::report::action_counts(t.pool(), &q).await.unwrap();
                        assert!(got.windows(2).all(|p| p[0].1 >= p[1].1), "most first: {got:?}");
                        got.sort_by_key(|(a, _)| a.key());
                        let mut counts = counts;
                        counts.sort_by_key(|(a, _)| a.key());
                        assert_eq!(got, counts, "{month:?} guest={guest} {admin:?} {action:?}");
                        checked += counts.len();
                    }
                }
            }
        }
        assert!(checked > 50, "the comparisons saw entries: {checked}");
        // A filter on the person who acted reads the entries themselves, and agrees.
        let filters = app::domain::report::Filters { actor: Some("lobby".into()), ..Default::default() };
        let nov = Month::parse("2026-11").unwrap();
        let q = app::data::report::Query { org: w.org.id, month: nov, about_guest: Some(true), scoped_to: None, filters: &filters };
        let lobby: Vec<_> = sqlx::query_as::<_, (i64, Action, i64, i64)>(
            "SELECT at, action, COALESCE(scope_department_id, 0), about_guest FROM activity WHERE org_id = $1 AND actor_id IS NULL",
        )
        .bind(w.org.id.0)
        .fetch_all(t.pool())
        .await
        .unwrap();
        assert_eq!(app::data::report::chart(t.pool(), &q).await.unwrap(), expected(&lobby, nov, true, None, None).0);
    }
}
