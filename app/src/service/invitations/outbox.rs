//! The outbox: mail Lobby queued, read by Company Admins.

use crate::domain::paging::Paged;
use crate::error::AppError;
use crate::model::invitations::*;
use crate::data::invitations::{self as db};
use crate::domain::paging;
use crate::domain::Viewer;
use crate::state::AppState;

/// Company Admins read the mail Lobby queued (the outbox), newest first, a page at
/// a time.
pub async fn outbox(state: &AppState, viewer: &Viewer, page: i64) -> Result<Paged<MailItem>, AppError> {
    crate::domain::access::company_admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    let page = paging::check_page(page)?;
    let (limit, offset) = paging::window(page, OUTBOX_PAGE_SIZE);
    let mails = db::outbox_page(state.db.pool(), viewer.org_id, limit, offset)
        .await?
        .into_iter()
        .map(|m| MailItem { id: m.id, to: m.to_email, subject: m.subject, text: m.body_text, created_at: m.created_at, sent: m.sent_at.is_some() })
        .collect();
    Ok(paging::paged(mails, page, OUTBOX_PAGE_SIZE))
}
