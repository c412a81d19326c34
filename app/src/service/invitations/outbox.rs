//! The outbox: mail Lobby queued, read by Company Admins.

use crate::domain::paging::{page_of, Page, Position, OUTBOX_PAGE};
use crate::error::AppError;
use crate::model::invitations::*;
use crate::data::invitations::{self as db};
use crate::domain::Viewer;
use crate::web::state::AppState;

/// Company Admins read the mail Lobby queued (the outbox), newest first, a page at
/// a time.
pub async fn outbox(state: &AppState, viewer: &Viewer, cursor: Option<&str>) -> Result<Page<MailItem>, AppError> {
    crate::domain::access::company_admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    let pos = Position::parse_numeric(cursor)?;
    let rows = db::outbox_page(state.db.pool(), viewer.org_id, &pos, OUTBOX_PAGE + 1).await?;
    let page = page_of(rows, &pos, OUTBOX_PAGE, db::mail_key);
    let items = page
        .items
        .into_iter()
        .map(|m| MailItem { id: m.id.0, to: m.to_email, subject: m.subject, text: m.body_text, created_at: m.created_at.0, sent: m.sent_at.is_some(), attachment: m.attachment_name })
        .collect();
    Ok(Page { items, next: page.next, prev: page.prev })
}

/// The file sent with a mail of the viewer's organization (its name and bytes), for
/// Company Admins, as the outbox is. Another organization's mail is not found.
pub async fn attachment(state: &AppState, viewer: &Viewer, id: i64) -> Result<(String, Vec<u8>), AppError> {
    crate::domain::access::company_admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    db::mail_attachment(state.db.pool(), viewer.org_id, crate::domain::MailId(id))
        .await?
        .ok_or_else(|| AppError::NotFound("This mail has no attachment.".into()))
}
