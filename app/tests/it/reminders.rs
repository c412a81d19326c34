//! Expiry reminders (issue 5), on both backends with a fake clock: sent once at seven
//! days and at one day before expiry, only when the expiry was set further ahead, once
//! with two servers at once, and the Extend / Let expire / Incorporate links with their
//! refusals.

use crate::common;

use app::service::guests as guests;
use app::service::reminders as choices;
use app::data::invitations::{outbox, MailRow};
use app::domain::expiry::{ExpiryPeriod, ReminderChoice};
use app::domain::PersonId;
use app::error::AppError;
use app::jobs::remind_once;
use chrono::{Duration, TimeZone, Utc};
use common::{Org, TestApp};

async fn mails(t: &TestApp, org: &Org) -> Vec<MailRow> {
    let mut m = outbox(t.pool(), org.id, 1000).await.unwrap();
    m.reverse();
    m
}

async fn log_of(t: &TestApp, org: &Org, action: &str) -> Vec<app::data::activity::ActivityRow> {
    app::data::activity::entries(t.pool(), org.id, 0).await.unwrap().into_iter().filter(|e| e.action.key() == action).collect()
}

/// An organization with a guest invited by the user Uma (not an admin).
async fn setup(t: &TestApp) -> (Org, PersonId, PersonId) {
    let org = t.org("Acme").await;
    let uma = t.member(&org, "uma@acme.test", org.root, false).await;
    let guest = t.guest(&org, "gina@x.test", org.child, None).await;
    t.set_inviter(&org, guest, uma).await;
    (org, uma, guest)
}

both_backends! {
    async fn reminders_go_out_once_at_seven_days_and_at_one_day(t) {
        let (org, _uma, guest) = setup(&t).await;
        let admin = t.viewer(org.admin).await;
        t.clock.set(Utc.with_ymd_and_hms(2020, 11, 25, 9, 0, 0).unwrap());
        guests::set_expiry(&t.state, &admin, &[guest.0], ExpiryPeriod::OneMonth).await.unwrap();
        let expires = Utc.with_ymd_and_hms(2020, 12, 25, 9, 0, 0).unwrap();
        assert_eq!(remind_once(&t.state).await.unwrap(), 0);
        t.clock.set(expires - Duration::days(7) - Duration::minutes(1));
        assert_eq!(remind_once(&t.state).await.unwrap(), 0, "not due yet");
        t.clock.set(expires - Duration::days(7) + Duration::minutes(1));
        assert_eq!(remind_once(&t.state).await.unwrap(), 1);
        assert_eq!(remind_once(&t.state).await.unwrap(), 0, "sent once");
        let sent = mails(&t, &org).await;
        let to: Vec<&str> = sent.iter().map(|m| m.to_email.as_str()).collect();
        assert_eq!(to, vec!["uma@acme.test", org.admin_email.as_str(), "gina@x.test"]);
        assert_eq!(sent[0].subject, "Reminder: guest Guest gina leaves Acme on 2020-12-25 09:00 UTC");
        assert!(sent[0].body_text.contains("leaves on 2020-12-25 09:00 UTC, in 6 days 23 h."), "{}", sent[0].body_text);
        for c in ReminderChoice::ALL {
            assert!(sent[0].body_text.contains(&format!("http://127.0.0.1:3000/guests/{}/reminder/{}", guest.0, c.slug())));
        }
        assert_eq!(sent[2].subject, "Your guest access to Acme ends on 2020-12-25 09:00 UTC");
        assert!(!sent[2].body_text.contains("/reminder/"), "the guest gets a notice, not the links");
        t.clock.set(expires - Duration::hours(23));
        assert_eq!(remind_once(&t.state).await.unwrap(), 1);
        assert_eq!(remind_once(&t.state).await.unwrap(), 0);
        let sent = mails(&t, &org).await;
        assert_eq!(sent.len(), 6);
        assert!(sent[3].body_text.contains("leaves on 2020-12-25 09:00 UTC, in 23 h 0 min."), "{}", sent[3].body_text);
        let log = log_of(&t, &org, "expiry_reminder").await;
        let details: Vec<&str> = log.iter().map(|e| e.details.as_str()).collect();
        assert_eq!(details, vec!["7 days", "1 day"]);
        assert!(log.iter().all(|e| e.actor_id.is_none() && e.subject_id == Some(guest)));
        // Time up: no reminder, the sweeper removes the guest.
        t.clock.set(expires + Duration::minutes(1));
        assert_eq!(remind_once(&t.state).await.unwrap(), 0);
        assert_eq!(app::jobs::sweep_once(&t.state).await.unwrap(), 1);
        assert_eq!(mails(&t, &org).await.len(), 6);
    }
}

both_backends! {
    async fn reminders_only_when_the_expiry_was_set_further_ahead(t) {
        let (org, _uma, week) = setup(&t).await;
        let admin = t.viewer(org.admin).await;
        let day = t.guest(&org, "day@x.test", org.root, None).await;
        guests::set_expiry(&t.state, &admin, &[week.0], ExpiryPeriod::OneWeek).await.unwrap();
        guests::set_expiry(&t.state, &admin, &[day.0], ExpiryPeriod::OneDay).await.unwrap();
        let detail = guests::detail(&t.state, &admin, week.0).await.unwrap().guest;
        assert_eq!(detail.next_reminder_at, Some(detail.expires_at.unwrap() - 86_400_000), "one week: the one-day reminder only");
        assert_eq!(guests::detail(&t.state, &admin, day.0).await.unwrap().guest.next_reminder_at, None);
        t.clock.advance(Duration::hours(1));
        assert_eq!(remind_once(&t.state).await.unwrap(), 0, "a week ahead is not further ahead than seven days");
        t.clock.advance(Duration::days(6));
        assert_eq!(remind_once(&t.state).await.unwrap(), 1);
        let log = log_of(&t, &org, "expiry_reminder").await;
        assert_eq!((log.len(), log[0].subject_id, log[0].details.as_str()), (1, Some(week), "1 day"));
        // Without expiration clears any reminder.
        guests::set_expiry(&t.state, &admin, &[week.0], ExpiryPeriod::Never).await.unwrap();
        assert_eq!(guests::detail(&t.state, &admin, week.0).await.unwrap().guest.next_reminder_at, None);
    }
}

both_backends! {
    async fn two_servers_at_once_send_each_reminder_once(t) {
        let (org, _uma, _g) = setup(&t).await;
        let admin = t.viewer(org.admin).await;
        let mut ids = Vec::new();
        for i in 0..40 {
            ids.push(t.guest(&org, &format!("g{i}@x.test"), org.root, None).await.0);
        }
        guests::set_expiry(&t.state, &admin, &ids, ExpiryPeriod::OneMonth).await.unwrap();
        t.clock.advance(Duration::days(25));
        let (a, b) = (t.state.clone(), t.second_server().await);
        let (ra, rb) = tokio::join!(
            tokio::spawn(async move { remind_once(&a).await }),
            tokio::spawn(async move { remind_once(&b).await })
        );
        assert_eq!(ra.unwrap().unwrap() + rb.unwrap().unwrap(), 40);
        assert_eq!(log_of(&t, &org, "expiry_reminder").await.len(), 40);
        // The fixture's guests were invited by the Company Admin: one mail to them, one notice.
        assert_eq!(mails(&t, &org).await.len(), 80);
    }
}

both_backends! {
    async fn opening_a_link_changes_nothing_and_confirming_does(t) {
        let (org, uma_id, guest) = setup(&t).await;
        let admin = t.viewer(org.admin).await;
        guests::set_expiry(&t.state, &admin, &[guest.0], ExpiryPeriod::OneMonth).await.unwrap();
        t.clock.advance(Duration::days(24));
        assert_eq!(remind_once(&t.state).await.unwrap(), 1);
        let before = guests::detail(&t.state, &admin, guest.0).await.unwrap().guest;
        let uma = t.viewer(uma_id).await;
        let p = choices::preview(&t.state, &uma, guest.0, ReminderChoice::Extend).await.unwrap();
        let expected = ExpiryPeriod::OneMonth.expires_at(t.state.clock.now()).unwrap().timestamp_millis();
        assert_eq!((p.expires_at, p.period, p.new_expires_at), (before.expires_at, Some(ExpiryPeriod::OneMonth), Some(expected)));
        assert!(!p.may_open_details, "the inviter is not an admin");
        assert_eq!(guests::detail(&t.state, &admin, guest.0).await.unwrap().guest, before, "opening changes nothing");
        // Extend: the same period again from now; reminders start over.
        let msg = choices::confirm(&t.state, &uma, guest.0, ReminderChoice::Extend).await.unwrap();
        assert!(msg.starts_with("Guest gina now leaves on "), "{msg}");
        let after = guests::detail(&t.state, &admin, guest.0).await.unwrap().guest;
        assert_eq!(after.expires_at, Some(expected));
        assert_eq!(after.next_reminder_at, Some(expected - 7 * 86_400_000));
        assert_eq!(log_of(&t, &org, "expiry_change").await.last().unwrap().actor_id, Some(uma_id));
        // Let expire: the date stays, no further reminders.
        choices::confirm(&t.state, &uma, guest.0, ReminderChoice::LetExpire).await.unwrap();
        let kept = guests::detail(&t.state, &admin, guest.0).await.unwrap().guest;
        assert_eq!((kept.expires_at, kept.next_reminder_at), (Some(expected), None));
        assert_eq!(log_of(&t, &org, "let_expire").await.len(), 1);
        t.clock.advance(Duration::days(29));
        assert_eq!(remind_once(&t.state).await.unwrap(), 0);
        // Incorporate, by the Company Admin.
        choices::confirm(&t.state, &admin, guest.0, ReminderChoice::Incorporate).await.unwrap();
        assert!(matches!(guests::detail(&t.state, &admin, guest.0).await, Err(AppError::NotFound(_))));
        assert!(matches!(choices::preview(&t.state, &admin, guest.0, ReminderChoice::Extend).await, Err(AppError::NotFound(_))), "a stale link");
    }
}

both_backends! {
    async fn links_work_only_for_those_allowed(t) {
        let (org, uma_id, guest) = setup(&t).await;
        let admin = t.viewer(org.admin).await;
        guests::set_expiry(&t.state, &admin, &[guest.0], ExpiryPeriod::OneMonth).await.unwrap();
        let before = guests::detail(&t.state, &admin, guest.0).await.unwrap().guest;
        let uma = t.viewer(uma_id).await;
        let paul = t.viewer(t.member(&org, "paul@acme.test", org.root, false).await).await;
        let outside_admin = t.viewer(t.dept_admin(&org, "olga@acme.test", org.other).await).await;
        let inside_admin = t.viewer(t.dept_admin(&org, "ivan@acme.test", org.root).await).await;
        let as_guest = t.viewer(t.guest(&org, "other@x.test", org.root, None).await).await;
        let bolt = t.org("Bolt").await;
        let foreign = t.viewer(bolt.admin).await;
        // The inviter may Extend and Let expire, not Incorporate.
        assert!(matches!(choices::preview(&t.state, &uma, guest.0, ReminderChoice::Incorporate).await, Err(AppError::Refused(_))));
        assert!(matches!(choices::confirm(&t.state, &uma, guest.0, ReminderChoice::Incorporate).await, Err(AppError::Refused(_))));
        for c in ReminderChoice::ALL {
            for (who, v) in [("another user", &paul), ("an admin of another department", &outside_admin), ("another organization", &foreign)] {
                assert!(matches!(choices::preview(&t.state, v, guest.0, c).await, Err(AppError::NotFound(_))), "{who} {c:?}");
                assert!(matches!(choices::confirm(&t.state, v, guest.0, c).await, Err(AppError::NotFound(_))), "{who} {c:?}");
            }
            assert_eq!(choices::confirm(&t.state, &as_guest, guest.0, c).await, Err(AppError::Forbidden));
            assert!(matches!(choices::confirm(&t.state, &admin, 999_999, c).await, Err(AppError::NotFound(_))));
        }
        assert_eq!(guests::detail(&t.state, &admin, guest.0).await.unwrap().guest, before, "refusals change nothing");
        assert!(log_of(&t, &org, "let_expire").await.is_empty());
        // A Department Admin over the sponsor department may Incorporate.
        assert!(choices::preview(&t.state, &inside_admin, guest.0, ReminderChoice::Incorporate).await.unwrap().may_open_details);
        choices::confirm(&t.state, &inside_admin, guest.0, ReminderChoice::Incorporate).await.unwrap();
        assert_eq!(log_of(&t, &org, "incorporation").await.len(), 1);
    }
}

both_backends! {
    async fn extend_needs_a_known_period_and_an_expiry(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let now = t.now_ms();
        // Set without a period (as an import would): Extend cannot guess one.
        let raw = t.guest(&org, "raw@x.test", org.root, Some(now + 30 * 86_400_000)).await;
        assert!(matches!(choices::preview(&t.state, &admin, raw.0, ReminderChoice::Extend).await, Err(AppError::Conflict(_))));
        let none = t.guest(&org, "none@x.test", org.root, None).await;
        assert!(matches!(choices::confirm(&t.state, &admin, none.0, ReminderChoice::Extend).await, Err(AppError::Conflict(_))));
        assert_eq!(guests::detail(&t.state, &admin, none.0).await.unwrap().guest.expires_at, None);
        // The fixture's raw expiry still gets its reminder.
        t.clock.advance(Duration::days(24));
        assert_eq!(remind_once(&t.state).await.unwrap(), 1);
    }
}
