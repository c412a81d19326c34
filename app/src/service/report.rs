//! The Activity Report (F-REPORT): the page of a month, its CSV written as it is read,
//! and the letter the first-of-the-month mail sends. Company Admins see the whole
//! organization, Department Admins the entries whose scope department they manage;
//! nobody else sees it. The organization's current settings decide what exists: nothing
//! without *Receive Activity Report*, no Guest activity without *Invitation of External
//! Users* (for past months too).

use crate::data::report::{self as db, Query, ReportRow};
use crate::data::invitations::settings_of;
use crate::domain::access;
use crate::domain::activity::Action;
use crate::domain::paging::{page_of, Page, Position};
use crate::domain::report::{self as rules, Filters, Month, ReportFilters, Section, CSV_BATCH, REPORT_PAGE};
use crate::domain::{OrgId, PersonId, Role, Viewer};
use crate::error::AppError;
use crate::model::report::*;
use crate::web::state::AppState;

/// What a report read covers for a viewer: their organization, and a Department Admin's
/// departments.
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    pub org: OrgId,
    pub scoped_to: Option<PersonId>,
}

/// Admins only: the whole organization for a Company Admin, their departments for a
/// Department Admin.
pub fn scope_of(viewer: &Viewer) -> Result<Scope, AppError> {
    access::admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    let scoped_to = (viewer.role() != Role::CompanyAdmin).then_some(viewer.id);
    Ok(Scope { org: viewer.org_id, scoped_to })
}

/// The month asked for (`YYYY-MM`), this one when none is given.
fn month_of(state: &AppState, month: &str) -> Result<Month, AppError> {
    if month.trim().is_empty() {
        Ok(Month::of_ms(state.now_ms()))
    } else {
        Ok(Month::parse(month)?)
    }
}

pub(crate) fn entry(r: ReportRow) -> ReportEntry {
    ReportEntry {
        id: r.id,
        date: rules::date_time(r.at.0),
        by: rules::actor_label(r.actor()),
        action: r.action.label().to_string(),
        note: r.action.note(&r.details),
        about: r.target_label,
    }
}

/// The sections the organization's settings show now.
pub(crate) async fn sections(state: &AppState, org: OrgId) -> Result<Vec<Section>, AppError> {
    let s = settings_of(state.db.pool(), org).await?;
    Ok(rules::sections(s.receive_activity_report, s.invitations_enabled))
}

/// A section's page at the cursor given.
async fn section_page(state: &AppState, q: &Query<'_>, cursor: Option<&str>) -> Result<Page<ReportEntry>, AppError> {
    let pos = Position::parse_numeric(cursor)?;
    let rows = db::entries(state.db.pool(), q, true, &pos, REPORT_PAGE + 1).await?;
    Ok(page_of(rows, &pos, REPORT_PAGE, db::key).map(entry))
}

/// The report of a month for the viewer: each section the settings show, a page at a
/// time, and the chart of Guest activity.
pub async fn view(state: &AppState, viewer: &Viewer, q: ReportQuery) -> Result<ReportView, AppError> {
    let scope = scope_of(viewer)?;
    let month = month_of(state, &q.month)?;
    let filters = Filters::parse(&q.filters)?;
    let shown = sections(state, scope.org).await?;
    let created = crate::data::orgs::created_at(state.db.pool(), scope.org).await?;
    let months = Month::offered(state.now_ms(), created).into_iter().map(|m| MonthChoice { key: m.key(), label: m.label() }).collect();
    let actions = Action::ALL
        .into_iter()
        .filter_map(|a| {
            let section = match a.about_guest() {
                Some(true) => Section::Guest,
                Some(false) => Section::Other,
                None => Section::Guest,
            };
            shown.contains(&section).then(|| ActionChoice { key: a.key().into(), label: a.label().into(), section: section.title().into() })
        })
        .collect();
    let mut view = ReportView {
        enabled: !shown.is_empty(),
        may_change_settings: viewer.role() == Role::CompanyAdmin,
        month: month.key(),
        month_label: month.label(),
        months,
        actions,
        guest: None,
        chart: None,
        other: None,
    };
    for section in shown {
        let query = Query { org: scope.org, month, about_guest: Some(section == Section::Guest), scoped_to: scope.scoped_to, filters: &filters };
        match section {
            Section::Guest => {
                view.guest = Some(section_page(state, &query, q.guest_cursor.as_deref()).await?);
                view.chart = Some(db::chart(state.db.pool(), &query).await?);
            }
            Section::Other => view.other = Some(section_page(state, &query, q.other_cursor.as_deref()).await?),
        }
    }
    Ok(view)
}

/// The CSV's header row.
pub const CSV_HEADER: [&str; 6] = ["Section", "Date", "Administrator/Authorized User", "Action", "About", "Details"];

/// One entry as a CSV record.
fn csv_record(r: &ReportRow) -> [String; 6] {
    [
        Section::of(r.about_guest).title().to_string(),
        rules::iso_date_time(r.at.0),
        rules::actor_label(r.actor()),
        r.action.label().to_string(),
        r.target_label.clone(),
        r.action.note(&r.details).unwrap_or_default(),
    ]
}

/// CSV bytes of `rows` (with the header first when `header`), by [`super::csv::write`].
pub fn csv_bytes(rows: &[ReportRow], header: bool) -> Vec<u8> {
    super::csv::write(header.then_some(&CSV_HEADER[..]), rows.iter().map(csv_record))
}

/// A month's CSV being written: what it covers and where it has got to. Each
/// [`CsvExport::next_chunk`] reads at most [`CSV_BATCH`] entries and gives their bytes,
/// so a download of any length holds one batch at a time.
pub struct CsvExport {
    state: AppState,
    org: OrgId,
    month: Month,
    about_guest: Option<bool>,
    scoped_to: Option<PersonId>,
    filters: Filters,
    pos: Position,
    header_done: bool,
    finished: bool,
}

impl CsvExport {
    /// The file's name: `activity-report-2026-11.csv`.
    pub fn file_name(&self) -> String {
        self.month.csv_file_name()
    }

    /// The next bytes of the file; `None` once it is all written.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        if self.finished {
            return Ok(None);
        }
        let q = Query { org: self.org, month: self.month, about_guest: self.about_guest, scoped_to: self.scoped_to, filters: &self.filters };
        let rows = db::entries(self.state.db.pool(), &q, false, &self.pos, CSV_BATCH).await?;
        if (rows.len() as i64) < CSV_BATCH {
            self.finished = true;
        }
        if let Some(last) = rows.last() {
            self.pos = Position::After(db::key(last));
        }
        let bytes = csv_bytes(&rows, !self.header_done);
        self.header_done = true;
        Ok(Some(bytes))
    }
}

/// The CSV of a month for the viewer, with the same scope and filters as the page: its
/// sections as the settings show them, oldest entry first. Refused like the page.
pub async fn csv_export(state: &AppState, viewer: &Viewer, month: &str, filters: &ReportFilters) -> Result<CsvExport, AppError> {
    let scope = scope_of(viewer)?;
    let month = month_of(state, month)?;
    let filters = Filters::parse(filters)?;
    export(state, scope, month, filters).await
}

async fn export(state: &AppState, scope: Scope, month: Month, filters: Filters) -> Result<CsvExport, AppError> {
    let shown = sections(state, scope.org).await?;
    if shown.is_empty() {
        return Err(AppError::Refused(OFF.into()));
    }
    let about_guest = if shown.contains(&Section::Guest) { None } else { Some(false) };
    Ok(CsvExport {
        state: state.clone(),
        org: scope.org,
        month,
        about_guest,
        scoped_to: scope.scoped_to,
        filters,
        pos: Position::First,
        header_done: false,
        finished: false,
    })
}

/// Why there is no report.
pub const OFF: &str = "The Activity Report is off for this organization. A Company Admin can turn on Receive Activity Report in Settings.";

/// The monthly mail of an organization's month: the summary and chart's numbers as a
/// letter, and the CSV when it is at most [`rules::MAIL_CSV_LIMIT`] (else the letter
/// links to the report). `None` when the report is off.
pub async fn monthly_letter(state: &AppState, org: OrgId, month: Month) -> Result<Option<(crate::mail::Letter, Option<Vec<u8>>)>, AppError> {
    let s = settings_of(state.db.pool(), org).await?;
    let shown = rules::sections(s.receive_activity_report, s.invitations_enabled);
    if shown.is_empty() {
        return Ok(None);
    }
    let none = Filters::default();
    let mut counts: Vec<(Section, Vec<(Action, i64)>)> = Vec::new();
    let mut chart = None;
    for section in &shown {
        let q = Query { org, month, about_guest: Some(*section == Section::Guest), scoped_to: None, filters: &none };
        counts.push((*section, db::action_counts(state.db.pool(), &q).await?));
        if *section == Section::Guest {
            chart = Some(db::chart(state.db.pool(), &q).await?);
        }
    }
    let mut export = export(state, Scope { org, scoped_to: None }, month, Filters::default()).await?;
    let mut csv = Vec::new();
    let mut fits = true;
    while let Some(chunk) = export.next_chunk().await? {
        csv.extend_from_slice(&chunk);
        if csv.len() > rules::MAIL_CSV_LIMIT {
            fits = false;
            break;
        }
    }
    let org_name = crate::data::orgs::org_name(state.db.pool(), org).await?.unwrap_or_default();
    let link = format!("{}/activity?month={}", state.config.public_url, month.key());
    let letter = crate::mail::report_letter(&org_name, &month.label(), &counts, chart.as_ref(), &link, fits.then_some(export.file_name()).as_deref());
    Ok(Some((letter, fits.then_some(csv))))
}
