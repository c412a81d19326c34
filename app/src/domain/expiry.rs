//! Guest expiry: the periods an admin may choose, the date a period gives when counted
//! from a moment (calendar months, UTC), and the "time left" text of the countdowns.

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
