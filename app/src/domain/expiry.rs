//! Guest expiry: the periods an admin may choose, the date a period gives when counted
//! from a moment (calendar months, UTC), the reminders before expiry, and the "time left"
//! text of the countdowns.

use chrono::{DateTime, Days, Months, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExpiryPeriod {
    Never,
    OneDay,
    OneWeek,
    OneMonth,
    SixMonths,
    OneYear,
}

impl ExpiryPeriod {
    pub const ALL: [ExpiryPeriod; 6] = [
        ExpiryPeriod::Never,
        ExpiryPeriod::OneDay,
        ExpiryPeriod::OneWeek,
        ExpiryPeriod::OneMonth,
        ExpiryPeriod::SixMonths,
        ExpiryPeriod::OneYear,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ExpiryPeriod::Never => "Without expiration",
            ExpiryPeriod::OneDay => "1 day",
            ExpiryPeriod::OneWeek => "1 week",
            ExpiryPeriod::OneMonth => "1 month",
            ExpiryPeriod::SixMonths => "6 months",
            ExpiryPeriod::OneYear => "1 year",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ExpiryPeriod::Never => "never",
            ExpiryPeriod::OneDay => "1d",
            ExpiryPeriod::OneWeek => "1w",
            ExpiryPeriod::OneMonth => "1m",
            ExpiryPeriod::SixMonths => "6m",
            ExpiryPeriod::OneYear => "1y",
        }
    }

    pub fn from_key(s: &str) -> Option<ExpiryPeriod> {
        Self::ALL.into_iter().find(|p| p.key() == s)
    }

    /// When a guest leaves if this period is set at `from`. Months are calendar months:
    /// one month after January 31 is the last day of February.
    pub fn expires_at(self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            ExpiryPeriod::Never => None,
            ExpiryPeriod::OneDay => from.checked_add_days(Days::new(1)),
            ExpiryPeriod::OneWeek => from.checked_add_days(Days::new(7)),
            ExpiryPeriod::OneMonth => from.checked_add_months(Months::new(1)),
            ExpiryPeriod::SixMonths => from.checked_add_months(Months::new(6)),
            ExpiryPeriod::OneYear => from.checked_add_months(Months::new(12)),
        }
    }
}

const DAY_MS: i64 = 86_400_000;

/// A reminder mailed before a guest's expiry. A reminder is scheduled only when the
/// expiry was set further ahead than its lead time: a guest given one week gets the
/// one-day reminder but not the seven-day one; a guest given one day gets none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reminder {
    SevenDays,
    OneDay,
}

impl Reminder {
    /// Earliest first.
    pub const ALL: [Reminder; 2] = [Reminder::SevenDays, Reminder::OneDay];

    /// How long before the expiry it is sent, in ms.
    pub fn lead_ms(self) -> i64 {
        match self {
            Reminder::SevenDays => 7 * DAY_MS,
            Reminder::OneDay => DAY_MS,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reminder::SevenDays => "7 days",
            Reminder::OneDay => "1 day",
        }
    }

    /// The reminder to send at `now` for a guest leaving at `expires_at`: the one-day
    /// reminder once within a day (a server that was down skips the stale seven-day one),
    /// else the seven-day one; none once the time is up (the sweeper's turn).
    pub fn due_at(expires_at: i64, now: i64) -> Option<Reminder> {
        let left = expires_at - now;
        if left <= 0 {
            None
        } else if left <= Reminder::OneDay.lead_ms() {
            Some(Reminder::OneDay)
        } else {
            Some(Reminder::SevenDays)
        }
    }
}

/// When the first reminder is due for an expiry set at `set_at` (unix ms), if any.
pub fn first_reminder(set_at: i64, expires_at: i64) -> Option<i64> {
    Reminder::ALL
        .into_iter()
        .find(|r| expires_at - set_at > r.lead_ms())
        .map(|r| expires_at - r.lead_ms())
}

/// When the reminder after `sent` is due, if any.
pub fn reminder_after(sent: Reminder, expires_at: i64) -> Option<i64> {
    match sent {
        Reminder::SevenDays => Some(expires_at - Reminder::OneDay.lead_ms()),
        Reminder::OneDay => None,
    }
}

/// What to choose in a reminder mail; each link opens a confirmation page first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReminderChoice {
    /// The same period again, counted from now.
    Extend,
    /// Keep the date; no further reminders.
    LetExpire,
    /// Make the guest a member.
    Incorporate,
}

impl ReminderChoice {
    pub const ALL: [ReminderChoice; 3] = [ReminderChoice::Extend, ReminderChoice::LetExpire, ReminderChoice::Incorporate];

    /// The path segment of the choice's link.
    pub fn slug(self) -> &'static str {
        match self {
            ReminderChoice::Extend => "extend",
            ReminderChoice::LetExpire => "let-expire",
            ReminderChoice::Incorporate => "incorporate",
        }
    }

    pub fn from_slug(s: &str) -> Option<ReminderChoice> {
        Self::ALL.into_iter().find(|c| c.slug() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReminderChoice::Extend => "Extend",
            ReminderChoice::LetExpire => "Let expire",
            ReminderChoice::Incorporate => "Incorporate",
        }
    }

    /// What the choice does, as the reminder mail explains it.
    pub fn explanation(self) -> &'static str {
        match self {
            ReminderChoice::Extend => "the same period again, from now",
            ReminderChoice::LetExpire => "keep the date, no further reminders",
            ReminderChoice::Incorporate => "make them a member of the organization",
        }
    }

    /// The console page a reminder's link opens for guest `id`.
    pub fn path(self, id: i64) -> String {
        format!("/guests/{id}/reminder/{}", self.slug())
    }
}

/// "2020-12-25 09:00 UTC" from unix ms: how dates are written in mail and on pages.
pub fn format_utc(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()
}

/// Who gets a guest's reminder: the person who invited them (if still an active
/// member) and the Company Admins, each once (emails compared without case).
pub fn reminder_recipients(inviter: Option<&str>, admins: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in inviter.into_iter().chain(admins.iter().map(String::as_str)) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(e)) {
            out.push(e.to_string());
        }
    }
    out
}

/// [`time_left`] from unix ms.
pub fn time_left_ms(now: i64, expires: i64) -> String {
    match (DateTime::from_timestamp_millis(now), DateTime::from_timestamp_millis(expires)) {
        (Some(n), Some(e)) => time_left(n, e),
        _ => String::new(),
    }
}

/// "6 days 3 h", "5 h 12 min", "42 min", "less than a minute", or "expired".
pub fn time_left(now: DateTime<Utc>, expires: DateTime<Utc>) -> String {
    let secs = (expires - now).num_seconds();
    if secs <= 0 {
        return "expired".to_string();
    }
    let days = secs / 86_400;
    let hours = (secs % 86_400) / 3_600;
    let mins = (secs % 3_600) / 60;
    let unit = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if days > 0 {
        if hours > 0 {
            format!("{} {hours} h", unit(days, "day", "days"))
        } else {
            unit(days, "day", "days")
        }
    } else if hours > 0 {
        format!("{hours} h {mins} min")
    } else if mins > 0 {
        format!("{mins} min")
    } else {
        "less than a minute".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap()
    }

    #[test]
    fn the_seed_example_counts_from_the_moment_of_change() {
        // Added 2020-11-21 with one week: leaves 2020-11-28.
        assert_eq!(ExpiryPeriod::OneWeek.expires_at(at(2020, 11, 21)), Some(at(2020, 11, 28)));
        // Changed on 2020-11-25 to one month: leaves 2020-12-25.
        assert_eq!(ExpiryPeriod::OneMonth.expires_at(at(2020, 11, 25)), Some(at(2020, 12, 25)));
    }

    #[test]
    fn months_end_on_the_last_day_when_the_day_is_missing() {
        assert_eq!(ExpiryPeriod::OneMonth.expires_at(at(2021, 1, 31)), Some(at(2021, 2, 28)));
        assert_eq!(ExpiryPeriod::OneMonth.expires_at(at(2024, 1, 31)), Some(at(2024, 2, 29)));
        assert_eq!(ExpiryPeriod::SixMonths.expires_at(at(2021, 8, 31)), Some(at(2022, 2, 28)));
        assert_eq!(ExpiryPeriod::OneYear.expires_at(at(2024, 2, 29)), Some(at(2025, 2, 28)));
        assert_eq!(ExpiryPeriod::OneDay.expires_at(at(2024, 2, 28)), Some(at(2024, 2, 29)));
    }

    #[test]
    fn without_expiration_removes_the_date() {
        assert_eq!(ExpiryPeriod::Never.expires_at(at(2020, 11, 25)), None);
    }

    #[test]
    fn keys_round_trip() {
        for p in ExpiryPeriod::ALL {
            assert_eq!(ExpiryPeriod::from_key(p.key()), Some(p));
        }
        assert_eq!(ExpiryPeriod::from_key("2w"), None);
    }

    fn ms(y: i32, m: u32, d: u32) -> i64 {
        at(y, m, d).timestamp_millis()
    }

    #[test]
    fn reminders_are_scheduled_only_when_the_expiry_is_further_ahead() {
        // One month: the seven-day reminder first.
        let set = ms(2020, 11, 25);
        let expires = ms(2020, 12, 25);
        assert_eq!(first_reminder(set, expires), Some(ms(2020, 12, 18)));
        // One week exactly is not further ahead than seven days: only the one-day reminder.
        assert_eq!(first_reminder(ms(2020, 11, 21), ms(2020, 11, 28)), Some(ms(2020, 11, 27)));
        // One day exactly: none; eight days: both.
        assert_eq!(first_reminder(ms(2020, 11, 21), ms(2020, 11, 22)), None);
        assert_eq!(first_reminder(ms(2020, 11, 20), ms(2020, 11, 28)), Some(ms(2020, 11, 21)));
        // 25 hours ahead: the one-day reminder only.
        assert_eq!(first_reminder(0, 25 * 3_600_000), Some(3_600_000));
    }

    #[test]
    fn the_one_day_reminder_follows_the_seven_day_one_and_nothing_follows_it() {
        let expires = ms(2020, 12, 25);
        assert_eq!(reminder_after(Reminder::SevenDays, expires), Some(ms(2020, 12, 24)));
        assert_eq!(reminder_after(Reminder::OneDay, expires), None);
    }

    #[test]
    fn the_reminder_due_depends_on_the_time_left() {
        let expires = ms(2020, 12, 25);
        assert_eq!(Reminder::due_at(expires, ms(2020, 12, 18)), Some(Reminder::SevenDays));
        assert_eq!(Reminder::due_at(expires, ms(2020, 12, 20)), Some(Reminder::SevenDays));
        // A server down through the seven-day mark sends only the one-day reminder.
        assert_eq!(Reminder::due_at(expires, ms(2020, 12, 24)), Some(Reminder::OneDay));
        assert_eq!(Reminder::due_at(expires, expires - 1), Some(Reminder::OneDay));
        assert_eq!(Reminder::due_at(expires, expires), None);
    }

    #[test]
    fn the_inviter_and_each_admin_get_one_reminder() {
        let admins = vec!["a@x.test".to_string(), "b@x.test".to_string()];
        assert_eq!(reminder_recipients(Some("u@x.test"), &admins), vec!["u@x.test", "a@x.test", "b@x.test"]);
        assert_eq!(reminder_recipients(Some("A@x.test"), &admins), vec!["A@x.test", "b@x.test"]);
        assert_eq!(reminder_recipients(None, &admins), vec!["a@x.test", "b@x.test"]);
    }

    #[test]
    fn reminder_choices_round_trip_through_their_links() {
        for c in ReminderChoice::ALL {
            assert_eq!(ReminderChoice::from_slug(c.slug()), Some(c));
            assert_eq!(c.path(42), format!("/guests/42/reminder/{}", c.slug()));
        }
        assert_eq!(ReminderChoice::from_slug("delete"), None);
    }

    #[test]
    fn time_left_texts() {
        let now = at(2020, 11, 21);
        let plus = |s: i64| now + chrono::Duration::seconds(s);
        assert_eq!(time_left(now, plus(6 * 86_400 + 3 * 3_600 + 59)), "6 days 3 h");
        assert_eq!(time_left(now, plus(86_400)), "1 day");
        assert_eq!(time_left(now, plus(5 * 3_600 + 12 * 60)), "5 h 12 min");
        assert_eq!(time_left(now, plus(42 * 60 + 5)), "42 min");
        assert_eq!(time_left(now, plus(30)), "less than a minute");
        assert_eq!(time_left(now, plus(0)), "expired");
        assert_eq!(time_left(now, plus(-10)), "expired");
    }
}
