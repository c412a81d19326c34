//! The first-of-the-month mail (F-REPORT): every Company Admin of an organization with
//! *Receive Activity Report* on gets the previous month's report (UTC), its summary and
//! chart's numbers in the letter and its CSV attached (or linked when over 5 MB).
//!
//! Each (organization, month) is claimed by a row of `report_mailings` inserted in the
//! transaction that queues its mails, so with several servers it goes out once: a
//! server that finds the month claimed sends nothing. A month with the report off is
//! claimed without mail. After a downtime each missed month (at most 12) is sent once,
//! oldest first ([`months_owed`]). The letter is written before the transaction (reading
//! a month can take a while), one organization-month at a time.

use super::{Done, Job};
use crate::data::{reminders, report, WriteTx};
use crate::domain::report::{months_owed, Month};
use crate::domain::OrgId;
use crate::error::AppError;
use crate::mail::Letter;
use crate::web::state::AppState;

pub struct MonthlyReport;

/// A month an organization is owed, and its letter and CSV (none: the report is off).
pub struct Owed {
    pub org: OrgId,
    pub month: Month,
    pub letter: Option<(Letter, Option<Vec<u8>>)>,
}

/// Organizations read at once while looking for one that is owed a month.
const ORGS_PER_READ: i64 = 200;

impl Job for MonthlyReport {
    type Item = Owed;
    const NAME: &'static str = "monthly activity report";
    const BATCH: i64 = 1;

    async fn due(&self, state: &AppState, now: i64, _limit: i64) -> Result<Vec<(Owed, OrgId)>, AppError> {
        let last_month = Month::of_ms(now).prev();
        let mut after = 0;
        loop {
            let orgs = report::orgs_behind(state.db.pool(), last_month, after, ORGS_PER_READ).await?;
            for o in &orgs {
                after = o.id.0;
                let claimed = o.last_claimed.as_deref().and_then(|m| Month::parse(m).ok());
                if let Some(&month) = months_owed(now, claimed, o.created_at.0).first() {
                    let letter = crate::service::report::monthly_letter(state, o.id, month).await?;
                    return Ok(vec![(Owed { org: o.id, month, letter }, o.id)]);
                }
            }
            if (orgs.len() as i64) < ORGS_PER_READ {
                return Ok(Vec::new());
            }
        }
    }

    async fn process(&self, _state: &AppState, tx: &mut WriteTx, items: &[Owed], now: i64) -> Result<Done, AppError> {
        let mut done = Done::default();
        for owed in items {
            let org = owed.org;
            let admins = match owed.letter {
                Some(_) => reminders::company_admin_emails(tx, org).await?,
                None => Vec::new(),
            };
            if !report::claim(tx, org, owed.month, admins.len() as i64, now).await? {
                continue;
            }
            done.handled += 1;
            if let Some((letter, csv)) = &owed.letter {
                let name = owed.month.csv_file_name();
                for to in &admins {
                    let attachment = csv.as_deref().map(|bytes| (name.as_str(), bytes));
                    done.mails.push(crate::mail::queue_with(tx, org, to, letter, attachment, now).await?);
                }
            }
        }
        Ok(done)
    }
}
