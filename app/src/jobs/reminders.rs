//! Expiry reminders: seven days and one day before a guest's expiry (each only if the
//! expiry was set further ahead than that, see [`crate::domain::expiry::first_reminder`]),
//! a mail to the person who invited them and to the Company Admins, with links to
//! Extend, Let expire or Incorporate, and a notice to the guest. Run by the job runner
//! of `lobby serve`.
//!
//! Each guest row carries `next_reminder_at`; a reminder is sent by the server whose
//! conditional UPDATE moves that column on (see [`crate::data::reminders::claim`]), in
//! the same transaction as its mail and its activity entry. So with several servers each
//! reminder is sent and logged once, and a crash before commit sends nothing and leaves
//! the reminder due for the next run.

use super::{Done, Job};
use crate::data::activity::{self, Action, Entry};
use crate::data::reminders::{self as db, DueRow};
use crate::data::WriteTx;
use crate::domain::expiry::{reminder_after, reminder_recipients, Reminder, ReminderChoice};
use crate::domain::OrgId;
use crate::error::AppError;
use crate::mail;
use crate::web::state::AppState;
use std::collections::HashMap;

pub struct Reminders;

impl Job for Reminders {
    type Item = DueRow;
    const NAME: &'static str = "expiry reminders";
    const BATCH: i64 = 200;

    async fn due(&self, state: &AppState, now: i64, limit: i64) -> Result<Vec<(DueRow, OrgId)>, AppError> {
        Ok(db::due(state.db.pool(), now, limit).await?.into_iter().map(|d| {
            let org = d.org_id;
            (d, org)
        }).collect())
    }

    async fn process(&self, state: &AppState, tx: &mut WriteTx, due: &[DueRow], now: i64) -> Result<Done, AppError> {
        let mut mails = Vec::new();
        let mut admins: HashMap<OrgId, Vec<String>> = HashMap::new();
        let mut reminded = 0;
        for d in due {
            // `due` only returns guests whose time is not up, so one is always due.
            let expires_at = d.expires_at.millis();
            let Some(which) = Reminder::due_at(expires_at, now) else { continue };
            if !db::claim(tx, d.id, d.next_reminder_at.millis(), expires_at, reminder_after(which, expires_at)).await? {
                continue;
            }
            let Some(facts) = db::facts(tx, d.id).await? else { continue };
            let org = d.org_id;
            if !admins.contains_key(&d.org_id) {
                let list = db::company_admin_emails(tx, org).await?;
                admins.insert(d.org_id, list);
            }
            let leaves_on = crate::domain::expiry::format_utc(expires_at);
            // What the mail says is the real time left (a server that was down may send the
            // seven-day reminder with five days left); the log keeps which reminder it was.
            let left = crate::domain::expiry::time_left_ms(now, expires_at);
            let guest = format!("{} {}", facts.first_name, facts.last_name);
            let choices: Vec<(&str, &str, String)> = ReminderChoice::ALL
                .into_iter()
                .map(|c| (c.label(), c.explanation(), format!("{}{}", state.config.public_url, c.path(d.id.0))))
                .collect();
            let letter = mail::reminder_letter(&facts.org_name, &guest, &facts.email, &leaves_on, &left, &choices);
            for to in reminder_recipients(facts.inviter_email.as_deref(), &admins[&d.org_id]) {
                mails.push(mail::queue(tx, org, &to, &letter, now).await?);
            }
            let notice = mail::guest_notice_letter(&facts.org_name, &facts.first_name, &leaves_on, &left, facts.inviter_name.as_deref());
            mails.push(mail::queue(tx, org, &facts.email, &notice, now).await?);
            activity::record(
                tx,
                Entry { org, at: now, actor: None, subject: Some(d.id), action: Action::ExpiryReminder, details: which.label(), target: None, scope: None },
            )
            .await?;
            reminded += 1;
        }
        Ok(Done { handled: reminded, mails })
    }
}
