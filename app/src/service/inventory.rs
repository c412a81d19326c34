//! The guest inventory (F-INVENTORY): every guest and every pending guest invitation in
//! the viewer's scope with who sponsors them, when they last came and when they leave,
//! filtered, sorted, a page at a time, and its CSV of exactly what the filters show.
//! Admins only, with the scope of every other list: a Company Admin the organization, a
//! Department Admin the guests and invitations their departments sponsor. The actions
//! from a row are the ones of the Guests list and the Invitations page, through their
//! own services.

use crate::data::inventory::{self as db, InventoryRow, Query};
use crate::data::people::ScopeOf;
use crate::domain::access;
use crate::domain::guests::SortDir;
use crate::domain::inventory::{Filters, InventoryFilters, InventorySort, CSV_BATCH, INVENTORY_PAGE};
use crate::domain::paging::{page_of, Position};
use crate::domain::{InvalidInput, LastSignIn, Viewer};
use crate::error::AppError;
use crate::model::inventory::*;
use crate::web::state::AppState;

fn admin_scope(viewer: &Viewer) -> Result<ScopeOf, AppError> {
    access::admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    Ok(ScopeOf::of(viewer))
}

/// The order asked for: a sort key (empty: invited) and `asc`/`desc` (empty: the
/// column's first direction).
pub fn order_of(sort: &str, dir: &str) -> Result<(InventorySort, SortDir), InvalidInput> {
    let sort = match sort.trim() {
        "" => InventorySort::Invited,
        k => InventorySort::from_key(k).ok_or_else(|| InvalidInput("Choose a column to sort by.".into()))?,
    };
    let dir = match dir.trim() {
        "" => sort.first_dir(),
        "asc" => SortDir::Asc,
        "desc" => SortDir::Desc,
        _ => return Err(InvalidInput("A sort goes up (asc) or down (desc).".into())),
    };
    Ok((sort, dir))
}

fn item(r: InventoryRow, now: i64) -> InventoryItem {
    let state = r.state(now);
    let last_sign_in = r.person.map(|_| LastSignIn::of(r.last_seen_at.map(|t| t.0), r.accepted_at.map(|t| t.0).unwrap_or(0), r.recorded_since));
    InventoryItem {
        rid: r.rid,
        guest_id: r.person.map(|p| p.0),
        invitation_id: r.invitation.map(|i| i.0),
        name: crate::domain::people::full_name(&r.first_name, &r.last_name),
        email: r.email,
        state,
        department: r.department,
        inviter: r.inviter,
        project: r.project,
        permission: r.permission,
        invited_at: r.invited_at.map(|t| t.0),
        accepted_at: r.accepted_at.map(|t| t.0),
        last_sign_in,
        expires_at: r.expires_at.map(|t| t.0),
        expiry_period: r.expiry_period,
        lapses_at: r.lapses_at.map(|t| t.0),
    }
}

/// A page of the inventory for the viewer.
pub async fn page(state: &AppState, viewer: &Viewer, q: InventoryQuery) -> Result<InventoryPage, AppError> {
    let scope = admin_scope(viewer)?;
    let (sort, dir) = order_of(&q.sort, &q.dir)?;
    let filters = Filters::parse(&q.filters)?;
    let pos = sort.position(q.cursor.as_deref())?;
    let now = state.now_ms();
    let pool = state.db.pool();
    let rows = db::page(pool, &Query { scope, now, filters: &filters }, sort, dir, &pos, INVENTORY_PAGE + 1).await?;
    let page = page_of(rows, &pos, INVENTORY_PAGE, db::key).map(|r| item(r, now));
    Ok(InventoryPage { page, now })
}

/// The most inviters the Inviter filter lists.
const MAX_INVITERS: i64 = 500;

/// The Inviter filter's choices: who invited a guest or a pending invitation in scope.
pub async fn inviters(state: &AppState, viewer: &Viewer) -> Result<Vec<InviterChoice>, AppError> {
    let scope = admin_scope(viewer)?;
    let rows = db::inviters(state.db.pool(), scope, MAX_INVITERS).await?;
    Ok(rows.into_iter().map(|(id, name)| InviterChoice { id: id.0, name }).collect())
}

/// The CSV's header row.
pub const CSV_HEADER: [&str; 12] = [
    "Name",
    "Email",
    "State",
    "Sponsor department",
    "Inviter",
    "Project",
    "Permission",
    "Invited",
    "Accepted",
    "Last sign-in",
    "Expiry",
    "Invitation lapses",
];

fn iso(ms: Option<i64>) -> String {
    ms.map(crate::domain::report::iso_date_time).unwrap_or_default()
}

/// One row as a CSV record: dates ISO 8601 in UTC, a last sign-in as its date or in
/// words ("Never signed in", "Unknown (before …)"), an invitation's expiry as its period.
fn csv_record(i: &InventoryItem) -> [String; 12] {
    let last = match i.last_sign_in {
        Some(LastSignIn::At(t)) => iso(Some(t)),
        Some(other) => other.label(),
        None => LastSignIn::Never.label(),
    };
    let expiry = match (i.expires_at, i.expiry_period, i.guest_id) {
        (Some(t), _, _) => iso(Some(t)),
        (None, Some(p), None) => format!("{} after acceptance", p.label()),
        _ => "Without expiration".to_string(),
    };
    [
        i.name.clone(),
        i.email.clone(),
        i.state.label().to_string(),
        i.department.clone(),
        i.inviter.clone(),
        i.project.clone().unwrap_or_default(),
        i.permission.map(|p| p.label().to_string()).unwrap_or_default(),
        iso(i.invited_at),
        iso(i.accepted_at),
        last,
        expiry,
        iso(i.lapses_at),
    ]
}

/// CSV bytes of `items` (with the header first when `header`).
pub fn csv_bytes(items: &[InventoryItem], header: bool) -> Vec<u8> {
    super::csv::write(header.then_some(&CSV_HEADER[..]), items.iter().map(csv_record))
}

/// The inventory's CSV being written, [`CSV_BATCH`] rows at a time, in the page's order
/// from its first row.
pub struct CsvExport {
    state: AppState,
    scope: ScopeOf,
    now: i64,
    sort: InventorySort,
    dir: SortDir,
    filters: Filters,
    pos: Position,
    header_done: bool,
    finished: bool,
}

impl CsvExport {
    /// `guest-inventory-2026-12-04.csv`.
    pub fn file_name(&self) -> String {
        let day = chrono::DateTime::from_timestamp_millis(self.now).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        format!("guest-inventory-{day}.csv")
    }

    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        if self.finished {
            return Ok(None);
        }
        let q = Query { scope: self.scope, now: self.now, filters: &self.filters };
        let rows = db::page(self.state.db.pool(), &q, self.sort, self.dir, &self.pos, CSV_BATCH).await?;
        if (rows.len() as i64) < CSV_BATCH {
            self.finished = true;
        }
        if let Some(last) = rows.last() {
            self.pos = Position::After(db::key(last));
        }
        let items: Vec<InventoryItem> = rows.into_iter().map(|r| item(r, self.now)).collect();
        let bytes = csv_bytes(&items, !self.header_done);
        self.header_done = true;
        Ok(Some(bytes))
    }
}

/// The CSV of the inventory as the viewer's page shows it with these filters and order.
pub async fn csv_export(state: &AppState, viewer: &Viewer, sort: &str, dir: &str, filters: &InventoryFilters) -> Result<CsvExport, AppError> {
    let scope = admin_scope(viewer)?;
    let (sort, dir) = order_of(sort, dir)?;
    let filters = Filters::parse(filters)?;
    Ok(CsvExport {
        state: state.clone(),
        scope,
        now: state.now_ms(),
        sort,
        dir,
        filters,
        pos: Position::First,
        header_done: false,
        finished: false,
    })
}
