//! The Activity Report as the console shows it (F-REPORT).

use crate::domain::paging::Page;
use crate::domain::report::{Chart, ReportFilters};
use serde::{Deserialize, Serialize};

/// What the page asks for: a month (`YYYY-MM`; empty: this one — but always given, so a
/// request that names nothing is refused as malformed), the filters, and each section's
/// page cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportQuery {
    pub month: String,
    #[serde(default)]
    pub filters: ReportFilters,
    #[serde(default)]
    pub guest_cursor: Option<String>,
    #[serde(default)]
    pub other_cursor: Option<String>,
}

/// An entry as a row of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportEntry {
    pub id: i64,
    /// "2026-11-03 14:05:09" (UTC).
    pub date: String,
    /// The Administrator/Authorized User: a name, a mobile number, or "Lobby".
    pub by: String,
    /// The action's label.
    pub action: String,
    /// Who or what it was about (the guest in Guest activity), as named then.
    pub about: String,
    /// What else the log says, if anything.
    pub note: Option<String>,
}

/// One of the Month select's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthChoice {
    pub key: String,
    pub label: String,
}

/// One of the Action filter's choices, with its section's title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionChoice {
    pub key: String,
    pub label: String,
    pub section: String,
}

/// The report of a month. `sections_shown` is empty when the report is off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// *Receive Activity Report* is on.
    pub enabled: bool,
    /// The viewer may change the settings (a Company Admin).
    pub may_change_settings: bool,
    pub month: String,
    pub month_label: String,
    pub months: Vec<MonthChoice>,
    pub actions: Vec<ActionChoice>,
    /// Present while *Invitation of External Users* is on.
    pub guest: Option<Page<ReportEntry>>,
    pub chart: Option<Chart>,
    pub other: Option<Page<ReportEntry>>,
}
