//! The monthly Activity Report (F-REPORT): its months (UTC), its two sections, the chart's
//! actions and the numbers it draws, how a person who acted is named, the filters, the
//! CSV cell rule that keeps a spreadsheet from running a cell, and which months the
//! first-of-the-month mail still owes.

use super::activity::Action;
use super::InvalidInput;
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Entries per page of each section.
pub const REPORT_PAGE: i64 = 100;
/// Rows read at once while a CSV is written.
pub const CSV_BATCH: i64 = 1000;
/// The largest CSV attached to the monthly mail; a larger one is linked instead.
pub const MAIL_CSV_LIMIT: usize = 5 * 1024 * 1024;
/// Months the monthly mail catches up after a downtime, at most.
pub const CATCH_UP_MONTHS: usize = 12;
/// Months offered by the Month select, the current one included.
pub const MONTHS_OFFERED: usize = 24;
/// The longest text of a filter.
pub const MAX_FILTER_CHARS: usize = 100;
/// What the report calls Lobby itself acting (the sweeper, the lapse of an invitation).
pub const LOBBY: &str = "Lobby";

/// A calendar month in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// The month of an instant (unix ms).
    pub fn of_ms(ms: i64) -> Month {
        let t = Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
        Month { year: t.year(), month: t.month() }
    }

    /// `YYYY-MM`, as the Month select and the links carry it.
    pub fn parse(s: &str) -> Result<Month, InvalidInput> {
        let bad = || InvalidInput("Choose a month from the list.".into());
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let (year, month): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(1970..=9998).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The name of its CSV: `activity-report-2026-11.csv`.
    pub fn csv_file_name(self) -> String {
        format!("activity-report-{}.csv", self.key())
    }

    /// "November 2026".
    pub fn label(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }

    fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// Its first millisecond.
    pub fn start_ms(self) -> i64 {
        self.first_day().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis()
    }

    /// The first millisecond after it.
    pub fn end_ms(self) -> i64 {
        self.next().start_ms()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    pub fn days(self) -> usize {
        ((self.end_ms() - self.start_ms()) / DAY_MS) as usize
    }

    /// The months the Month select offers at `now`: this one first, back to the
    /// organization's first month, at most [`MONTHS_OFFERED`].
    pub fn offered(now_ms: i64, org_created_ms: i64) -> Vec<Month> {
        let first = Month::of_ms(org_created_ms);
        let mut m = Month::of_ms(now_ms);
        let mut out = vec![m];
        while out.len() < MONTHS_OFFERED && m > first {
            m = m.prev();
            out.push(m);
        }
        out
    }
}

const DAY_MS: i64 = 86_400_000;

/// The day of the month (0-based) of an instant inside `month`.
pub fn day_index(month: Month, at_ms: i64) -> usize {
    ((at_ms - month.start_ms()).max(0) / DAY_MS) as usize
}

/// "2026-11-03 14:05:09": the report's Date, to the second, in UTC.
pub fn date_time(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// "2026-11-03T14:05:09Z": the CSV's Date (ISO 8601, UTC).
pub fn iso_date_time(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The report's two sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    /// Invitations, incorporations, deletions and everything else about guests.
    Guest,
    /// Settings, departments, groups, members.
    Other,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Guest => "Guest activity",
            Section::Other => "Other activity",
        }
    }

    pub fn of(about_guest: bool) -> Section {
        if about_guest {
            Section::Guest
        } else {
            Section::Other
        }
    }
}

/// What the report shows under the organization's settings: nothing unless *Receive
/// Activity Report* is on; the Guest activity section only while *Invitation of External
/// Users* is on. The current settings decide for past months too.
pub fn sections(receive_activity_report: bool, invitations_enabled: bool) -> Vec<Section> {
    match (receive_activity_report, invitations_enabled) {
        (false, _) => vec![],
        (true, true) => vec![Section::Guest, Section::Other],
        (true, false) => vec![Section::Other],
    }
}

/// The actions the chart counts per day, in its order.
pub const CHART_ACTIONS: [Action; 4] = [Action::Invited, Action::Incorporated, Action::Deleted, Action::ExpiredRemoval];

/// The chart's series names, in [`CHART_ACTIONS`] order.
pub const CHART_SERIES: [&str; 4] = ["Invitations", "Incorporations", "Deletions", "Automatic removals"];

/// How the report names the person who acted: their name, else their mobile number,
/// else their email; [`LOBBY`] when nobody did (an automatic action).
pub fn actor_label(actor: Option<(&str, &str, Option<&str>, &str)>) -> String {
    let Some((first, last, mobile, email)) = actor else { return LOBBY.to_string() };
    let name = format!("{} {}", first.trim(), last.trim());
    let name = name.trim();
    if !name.is_empty() {
        return name.to_string();
    }
    match mobile.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => m.to_string(),
        None => email.to_string(),
    }
}

/// A CSV cell a spreadsheet will not run: text that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'` (a mobile number "+44…" included).
pub fn inert_cell(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// The report's filters, as the page and the CSV link carry them (all optional text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilters {
    /// An action's key; empty: every action.
    #[serde(default)]
    pub action: String,
    /// Part of the name, email or mobile of the person who acted ("Lobby": automatic).
    #[serde(default)]
    pub actor: String,
    /// Part of the guest's name or email (Guest activity only).
    #[serde(default)]
    pub guest: String,
    /// Part of anything an entry says.
    #[serde(default)]
    pub text: String,
}

/// [`ReportFilters`] checked: an action that exists, texts trimmed, lowercased and at
/// most [`MAX_FILTER_CHARS`] long.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub action: Option<Action>,
    pub actor: Option<String>,
    pub guest: Option<String>,
    pub text: Option<String>,
}

impl Filters {
    pub fn parse(f: &ReportFilters) -> Result<Filters, InvalidInput> {
        let action = match f.action.trim() {
            "" => None,
            key => Some(Action::from_key(key).ok_or_else(|| InvalidInput("Choose an action from the list.".into()))?),
        };
        let text = |s: &str, what: &str| -> Result<Option<String>, InvalidInput> {
            let s = s.trim();
            if s.chars().count() > MAX_FILTER_CHARS {
                return Err(InvalidInput(format!("The {what} filter is longer than {MAX_FILTER_CHARS} characters.")));
            }
            if s.contains('\0') {
                return Err(InvalidInput(format!("The {what} filter has a character that cannot be searched.")));
            }
            Ok((!s.is_empty()).then(|| s.to_lowercase()))
        };
        Ok(Filters {
            action,
            actor: text(&f.actor, "person who acted")?,
            guest: text(&f.guest, "guest")?,
            text: text(&f.text, "text")?,
        })
    }

    /// Whether the Lobby itself is the person asked for.
    pub fn actor_is_lobby(&self) -> bool {
        self.actor.as_deref().is_some_and(|a| LOBBY.to_lowercase().starts_with(a))
    }
}

/// A `LIKE` pattern matching `s` anywhere, with `\` escaping `%`, `_` and itself.
pub fn like_pattern(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The chart's numbers: per day of the month, the count of each of [`CHART_ACTIONS`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    pub month: String,
    pub days: Vec<[i64; 4]>,
}

impl Chart {
    /// An empty chart of `month` (one zeroed row a day).
    pub fn empty(month: Month) -> Chart {
        Chart { month: month.label(), days: vec![[0; 4]; month.days()] }
    }

    /// Adds `count` of `action` on the day at `day` (counts of other actions and days
    /// outside the month are ignored).
    pub fn add(&mut self, day: usize, action: Action, count: i64) {
        if let (Some(row), Some(i)) = (self.days.get_mut(day), CHART_ACTIONS.iter().position(|a| *a == action)) {
            row[i] += count;
        }
    }

    /// Each series' total over the month.
    pub fn totals(&self) -> [i64; 4] {
        let mut t = [0; 4];
        for d in &self.days {
            for i in 0..4 {
                t[i] += d[i];
            }
        }
        t
    }

    /// The tallest day (all series stacked), at least 1.
    pub fn peak(&self) -> i64 {
        self.days.iter().map(|d| d.iter().sum::<i64>()).max().unwrap_or(0).max(1)
    }

    /// The chart in words: each series' total, then the days with activity.
    pub fn summary(&self) -> String {
        let t = self.totals();
        let totals: Vec<String> = CHART_SERIES.iter().zip(t).map(|(s, n)| format!("{s}: {n}")).collect();
        format!("{}. {}.", self.month, totals.join(", "))
    }

    /// The stacked bars: for each day and series with a count, (day, series, y, height)
    /// in a box `height` high (y grows downwards).
    pub fn bars(&self, height: f64) -> Vec<(usize, usize, f64, f64)> {
        let peak = self.peak() as f64;
        let mut out = Vec::new();
        for (day, counts) in self.days.iter().enumerate() {
            let mut top = height;
            for (series, &n) in counts.iter().enumerate() {
                if n > 0 {
                    let h = n as f64 / peak * height;
                    top -= h;
                    out.push((day, series, top, h));
                }
            }
        }
        out
    }
}

/// The months whose report the first-of-the-month mail still owes at `now`: the month
/// before this one when the organization has never been mailed (and existed then);
/// else every month after the last one claimed up to last month, at most the newest
/// [`CATCH_UP_MONTHS`], none before the organization existed. Oldest first.
pub fn months_owed(now_ms: i64, last_claimed: Option<Month>, org_created_ms: i64) -> Vec<Month> {
    let last_month = Month::of_ms(now_ms).prev();
    let created = Month::of_ms(org_created_ms);
    let from = match last_claimed {
        None => last_month,
        Some(m) => m.next(),
    };
    let mut out = Vec::new();
    let mut m = last_month;
    while m >= from && m >= created && out.len() < CATCH_UP_MONTHS {
        out.push(m);
        m = m.prev();
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap().timestamp_millis()
    }

    #[test]
    fn months_have_utc_boundaries() {
        let nov = Month { year: 2026, month: 11 };
        assert_eq!(nov.start_ms(), ms(2026, 11, 1, 0, 0, 0));
        assert_eq!(nov.end_ms(), ms(2026, 12, 1, 0, 0, 0));
        assert_eq!(Month::of_ms(ms(2026, 11, 30, 23, 59, 59) + 999), nov);
        assert_eq!(Month::of_ms(ms(2026, 12, 1, 0, 0, 0)), nov.next());
        assert_eq!(Month { year: 2026, month: 12 }.next(), Month { year: 2027, month: 1 });
        assert_eq!(Month { year: 2027, month: 1 }.prev(), Month { year: 2026, month: 12 });
        for (m, days) in [((2026, 2), 28), ((2028, 2), 29), ((2026, 11), 30), ((2026, 12), 31)] {
            assert_eq!(Month { year: m.0, month: m.1 }.days(), days);
        }
        assert_eq!(nov.label(), "November 2026");
        assert_eq!(nov.key(), "2026-11");
        assert_eq!(day_index(nov, ms(2026, 11, 3, 23, 0, 0)), 2);
    }

    #[test]
    fn months_parse_only_as_the_select_sends_them() {
        assert_eq!(Month::parse("2026-11"), Ok(Month { year: 2026, month: 11 }));
        for bad in ["", "2026", "2026-13", "2026-00", "26-11", "2026-1", "abcd-ef", "2026-11-01", "0000-01", "2026/11"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_select_offers_this_month_back_to_the_organizations_first() {
        let now = ms(2026, 11, 24, 10, 0, 0);
        let offered = Month::offered(now, ms(2026, 9, 15, 0, 0, 0));
        assert_eq!(offered.iter().map(|m| m.key()).collect::<Vec<_>>(), vec!["2026-11", "2026-10", "2026-09"]);
        assert_eq!(Month::offered(now, 0).len(), MONTHS_OFFERED);
        assert_eq!(Month::offered(now, now).len(), 1);
    }

    #[test]
    fn dates_are_to_the_second_in_utc() {
        let t = ms(2026, 11, 3, 14, 5, 9) + 999;
        assert_eq!(date_time(t), "2026-11-03 14:05:09");
        assert_eq!(iso_date_time(t), "2026-11-03T14:05:09Z");
    }

    #[test]
    fn sections_follow_the_two_settings() {
        assert_eq!(sections(false, true), vec![]);
        assert_eq!(sections(false, false), vec![]);
        assert_eq!(sections(true, true), vec![Section::Guest, Section::Other]);
        assert_eq!(sections(true, false), vec![Section::Other]);
    }

    #[test]
    fn the_person_who_acted_is_a_name_else_a_mobile_else_an_email() {
        assert_eq!(actor_label(None), "Lobby");
        assert_eq!(actor_label(Some(("Ada", "Lovelace", Some("+44 1"), "a@x"))), "Ada Lovelace");
        assert_eq!(actor_label(Some((" ", "", Some("+44 20 7946 0000"), "a@x"))), "+44 20 7946 0000");
        assert_eq!(actor_label(Some(("", "", Some(" "), "a@x"))), "a@x");
        assert_eq!(actor_label(Some(("Ada", "", None, "a@x"))), "Ada");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_inert() {
        let table = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+44 20 7946 0000", "'+44 20 7946 0000"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Ada", "Ada"),
            ("", ""),
            (" =x", " =x"),
            ("a=b", "a=b"),
        ];
        for (cell, want) in table {
            assert_eq!(inert_cell(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn filters_are_checked_and_lowercased() {
        let f = Filters::parse(&ReportFilters { action: "incorporation".into(), actor: " Ada ".into(), guest: "".into(), text: "X_y".into() }).unwrap();
        assert_eq!(f.action, Some(Action::Incorporated));
        assert_eq!(f.actor.as_deref(), Some("ada"));
        assert_eq!(f.guest, None);
        assert_eq!(f.text.as_deref(), Some("x_y"));
        assert!(Filters::parse(&ReportFilters { action: "nope".into(), ..Default::default() }).is_err());
        assert!(Filters::parse(&ReportFilters { text: "a".repeat(MAX_FILTER_CHARS + 1), ..Default::default() }).is_err());
        assert!(Filters::parse(&ReportFilters { guest: "a\0".into(), ..Default::default() }).is_err());
        assert!(Filters::parse(&ReportFilters { actor: "lob".into(), ..Default::default() }).unwrap().actor_is_lobby());
        assert!(!Filters::parse(&ReportFilters { actor: "ada".into(), ..Default::default() }).unwrap().actor_is_lobby());
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn the_chart_counts_its_four_actions_per_day() {
        let nov = Month { year: 2026, month: 11 };
        let mut c = Chart::empty(nov);
        assert_eq!(c.days.len(), 30);
        c.add(0, Action::Invited, 3);
        c.add(0, Action::Deleted, 1);
        c.add(29, Action::ExpiredRemoval, 2);
        c.add(30, Action::Invited, 9);
        c.add(1, Action::SettingsChanged, 5);
        assert_eq!(c.totals(), [3, 0, 1, 2]);
        assert_eq!(c.peak(), 4);
        assert_eq!(c.summary(), "November 2026. Invitations: 3, Incorporations: 0, Deletions: 1, Automatic removals: 2.");
        let bars = c.bars(100.0);
        assert_eq!(bars, vec![(0, 0, 25.0, 75.0), (0, 2, 0.0, 25.0), (29, 3, 50.0, 50.0)]);
        assert_eq!(Chart::empty(nov).peak(), 1);
    }

    #[test]
    fn the_mail_owes_last_month_or_the_gap_since_the_last_one() {
        let now = ms(2026, 11, 1, 0, 5, 0);
        let keys = |v: Vec<Month>| v.into_iter().map(|m| m.key()).collect::<Vec<_>>();
        let long_ago = ms(2020, 1, 1, 0, 0, 0);
        // Never mailed: last month only.
        assert_eq!(keys(months_owed(now, None, long_ago)), vec!["2026-10"]);
        // Mailed last month already: nothing.
        assert_eq!(keys(months_owed(now, Some(Month { year: 2026, month: 10 }), long_ago)), Vec::<String>::new());
        // A gap: each missed month once, oldest first.
        assert_eq!(keys(months_owed(now, Some(Month { year: 2026, month: 7 }), long_ago)), vec!["2026-08", "2026-09", "2026-10"]);
        // A long gap: the newest twelve.
        let owed = months_owed(now, Some(Month { year: 2023, month: 1 }), long_ago);
        assert_eq!(owed.len(), CATCH_UP_MONTHS);
        assert_eq!(owed.first().unwrap().key(), "2025-11");
        assert_eq!(owed.last().unwrap().key(), "2026-10");
        // Nothing before the organization existed.
        assert_eq!(keys(months_owed(now, None, ms(2026, 11, 1, 0, 1, 0))), Vec::<String>::new());
        assert_eq!(keys(months_owed(now, Some(Month { year: 2026, month: 1 }), ms(2026, 9, 20, 0, 0, 0))), vec!["2026-09", "2026-10"]);
    }
}
