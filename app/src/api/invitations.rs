//! Inviting people by email (F-AUTH-INVITE, F-INVITE, F-QUOTA), the pending-invitations
//! list with Resend and Revoke, accepting an invitation by its link (F-ACCEPT), and the
//! outbox of mail sent without an SMTP server.

use crate::domain::expiry::ExpiryPeriod;
use crate::domain::paging::Paged;
use crate::domain::{Permission, PersonKind};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// What the invite dialog offers this person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteChoices {
    /// Why this person may not invite guests, if they may not.
    pub guest_refusal: Option<String>,
    pub may_invite_members: bool,
    pub projects: Vec<Choice>,
    /// Departments to choose from (sponsor of a guest, department of a member); empty
    /// when the inviter's own department is used.
    pub departments: Vec<Choice>,
    pub quota_limit: i64,
    pub quota_remaining: i64,
    /// Projects where this person has read-only access: they invite read-only there.
    pub read_only_projects: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInput {
    /// One or more addresses.
    pub emails: String,
    pub role: PersonKind,
    pub project: Option<i64>,
    pub permission: Permission,
    pub department: Option<i64>,
    pub expiry: ExpiryPeriod,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationItem {
    pub id: i64,
    pub email: String,
    pub is_guest: bool,
    pub inviter: String,
    pub created_at: i64,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    pub state: String,
    pub may_resend: bool,
}

/// What the invitation page shows before the invitee accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub org_name: String,
    pub inviter: String,
    pub email: String,
    pub is_guest: bool,
    pub project: Option<String>,
    pub permission: Option<Permission>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailItem {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub created_at: i64,
    pub sent: bool,
}

#[server(endpoint = "invite_options")]
pub async fn invite_options() -> Result<InviteChoices, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::options(&state, &viewer).await
    }.await)
}

#[server(endpoint = "send_invitations", input = server_fn::codec::Json)]
pub async fn send_invitations(input: InviteInput) -> Result<usize, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::send(&state, &viewer, input).await
    }.await)
}

#[server(endpoint = "list_invitations")]
pub async fn list_invitations(page: i64) -> Result<Paged<InvitationItem>, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::list(&state, &viewer, page).await
    }.await)
}

/// Invitations per page.
pub const INVITATIONS_PAGE_SIZE: i64 = 100;

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(id: i64) -> Result<(), AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::resend(&state, &viewer, id).await
    }.await)
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(id: i64) -> Result<(), AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::revoke(&state, &viewer, id).await
    }.await)
}

/// Open to anonymous callers: the link's token is the credential.
#[server(endpoint = "invitation_info")]
pub async fn invitation_info(token: String) -> Result<InvitationPreview, AppError> {
    use super::ctx::*;
    respond(async {
        let state = app_state()?;
        inner::info(&state, &token).await
    }.await)
}

/// Open to anonymous callers: the link's token is the credential.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    first_name: String,
    last_name: String,
    password: String,
    mobile: String,
) -> Result<(), AppError> {
    use super::ctx::*;
    respond(async {
        let state = app_state()?;
        let person = inner::accept(&state, &token, &first_name, &last_name, &password, &mobile).await?;
        // The new person is signed in at once and lands on their home (a guest: their
        // project), in a new session even if the browser had one.
        let mut session = auth_session().await?;
        let user = crate::auth::session_user(&state, person).await?.ok_or(AppError::Internal)?;
        session.session.cycle_id().await.map_err(|e| AppError::internal("renewing the session id", e))?;
        session.login(&user).await.map_err(|e| AppError::internal("starting a session", e))?;
        if let Err(e) = crate::auth::note_seen(&state, &session.session, person, true).await {
            tracing::warn!(error = %e, "recording a sign-in");
        }
        leptos_axum::redirect(user.viewer.navigation().first().map(|n| n.path()).unwrap_or("/"));
        Ok(())
    }.await)
}

/// Mail per outbox page.
pub const OUTBOX_PAGE_SIZE: i64 = 100;

#[server(endpoint = "outbox")]
pub async fn outbox(page: i64) -> Result<Paged<MailItem>, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::outbox(&state, &viewer, page).await
    }.await)
}

#[cfg(feature = "ssr")]
pub mod inner {
    use super::*;
    use crate::auth::{hash_password_blocking, hash_token, new_token};
    use crate::data::invitations::{self as db, InvitationRow, NewInvitation};
    use crate::data::people::{self, NewGuest, NewMember};
    use crate::data::{activity, orgs, projects, WriteTx};
    use crate::domain::paging;
    use crate::domain::invite::{
        may_accept, may_grant, may_invite, parse_emails, resend_allowed, InvitationState, ProjectNow,
        INVITATION_VALIDITY_DAYS, INVITATION_VALIDITY_MS,
    };
    use crate::domain::{DeptId, Mobile, NewPassword, OrgId, PersonId, PersonName, ProjectId, Role, Viewer};
    use crate::mail;
    use crate::state::AppState;

    pub(crate) fn refusal(e: crate::domain::invite::InviteRefusal) -> AppError {
        AppError::Refused(e.to_string())
    }

    /// The departments this admin may pick: every ordinary one for a Company Admin, the
    /// managed subtree for a Department Admin, none for others.
    async fn department_choices(state: &AppState, viewer: &Viewer) -> Result<Vec<Choice>, AppError> {
        if !viewer.is_admin() {
            return Ok(Vec::new());
        }
        let all = orgs::departments(state.db.pool(), viewer.org_id).await?;
        let tree = crate::domain::dept_tree::DeptTree::new(all.iter().map(|d| (d.id, d.parent)));
        let reach = tree.subtree(&viewer.managed_departments);
        Ok(all
            .into_iter()
            .filter(|d| !d.is_guests && (viewer.is_company_admin || reach.contains(&d.id)))
            .map(|d| Choice { id: d.id.0, name: d.name })
            .collect())
    }

    /// Projects one may invite into: all open ones for admins, one's own for others.
    pub async fn project_choices(state: &AppState, viewer: &Viewer) -> Result<Vec<Choice>, AppError> {
        let rows = orgs::projects_of_person(state.db.pool(), viewer.org_id, viewer.id, viewer.is_admin()).await?;
        Ok(rows.into_iter().filter(|p| !p.archived).map(|p| Choice { id: p.id.0, name: p.name }).collect())
    }

    pub async fn options(state: &AppState, viewer: &Viewer) -> Result<InviteChoices, AppError> {
        if viewer.role() == Role::Guest {
            return Err(AppError::Forbidden);
        }
        let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
        let settings = db::settings(&mut conn, viewer.org_id).await?;
        let quota = db::quota(&mut conn, viewer.org_id, state.now_ms()).await?;
        drop(conn);
        let guest_refusal = may_invite(viewer, &settings, PersonKind::Guest).err().map(|e| e.to_string());
        Ok(InviteChoices {
            may_invite_members: may_invite(viewer, &settings, PersonKind::Member).is_ok(),
            guest_refusal,
            projects: project_choices(state, viewer).await?,
            departments: department_choices(state, viewer).await?,
            quota_limit: quota.limit(),
            quota_remaining: quota.remaining(),
            read_only_projects: if viewer.is_admin() {
                Vec::new()
            } else {
                projects::read_only_projects(state.db.pool(), viewer.id).await?.into_iter().map(|p| p.0).collect()
            },
        })
    }

    /// The department an invitation is fixed to: for a guest its sponsor, for a member the
    /// one they join. Admins may choose within their reach; without a choice a Department
    /// Admin gets their first managed department and everyone else their own.
    async fn department_for(tx: &mut WriteTx, viewer: &Viewer, chosen: Option<i64>) -> Result<DeptId, AppError> {
        let own = db::department_of(tx.conn(), viewer.id).await?;
        match (viewer.role(), chosen) {
            (Role::CompanyAdmin, Some(d)) => {
                if orgs::is_ordinary_department(tx.conn(), viewer.org_id, DeptId(d)).await? {
                    Ok(DeptId(d))
                } else {
                    Err(AppError::NotFound("This department was not found.".into()))
                }
            }
            (Role::DepartmentAdmin, Some(d)) => {
                if db::manages(tx.conn(), viewer.id, DeptId(d)).await? {
                    Ok(DeptId(d))
                } else {
                    Err(AppError::NotFound("This department was not found.".into()))
                }
            }
            (Role::DepartmentAdmin, None) => viewer
                .managed_departments
                .first()
                .copied()
                .ok_or_else(|| AppError::Invalid("Choose a department.".into())),
            _ => Ok(own),
        }
    }

    /// A project of the organization, open, that the inviter works in (admins: any),
    /// where the inviter has at least the permission they give.
    async fn project_for(tx: &mut WriteTx, viewer: &Viewer, id: i64, permission: Permission) -> Result<ProjectId, AppError> {
        let not_found = || AppError::NotFound("This project was not found.".into());
        let p = projects::get(tx.conn(), viewer.org_id, ProjectId(id)).await?.ok_or_else(not_found)?;
        if p.archived != 0 {
            return Err(AppError::Invalid(format!("The project “{}” is archived.", p.name)));
        }
        let own = if viewer.is_admin() {
            Permission::Edit
        } else {
            projects::membership(tx.conn(), viewer.id, ProjectId(id)).await?.ok_or_else(not_found)?
        };
        may_grant(viewer, own, permission).map_err(refusal)?;
        Ok(ProjectId(id))
    }

    fn link(state: &AppState, token: &str) -> String {
        format!("{}/invite/{token}", state.config.public_url.trim_end_matches('/'))
    }

    async fn queue_invitation_mail(
        tx: &mut WriteTx,
        state: &AppState,
        viewer: &Viewer,
        email: &str,
        kind: PersonKind,
        project: Option<&str>,
        permission: Option<Permission>,
        token: &str,
    ) -> Result<i64, AppError> {
        let what = match (kind, project) {
            (PersonKind::Guest, Some(p)) => format!(
                "as a guest in the project “{p}” ({})",
                permission.map(|p| p.label().to_lowercase()).unwrap_or_default()
            ),
            (PersonKind::Guest, None) => "as a guest".to_string(),
            (PersonKind::Member, _) => "as a member".to_string(),
        };
        let letter = mail::invitation_letter(&viewer.org_name, &viewer.full_name(), &what, &link(state, token), INVITATION_VALIDITY_DAYS);
        Ok(mail::queue(tx, viewer.org_id, email, &letter, state.now_ms()).await?)
    }

    /// Sends invitations, all or none: every address valid and free, the inviter allowed,
    /// and for guests the quota not exceeded — checked under the organization's write
    /// lock, so concurrent invitations cannot pass it together.
    pub async fn send(state: &AppState, viewer: &Viewer, input: InviteInput) -> Result<usize, AppError> {
        let emails = parse_emails(&input.emails)?;
        let now = state.now_ms();
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        let settings = db::settings(tx.conn(), viewer.org_id).await?;
        may_invite(viewer, &settings, input.role).map_err(refusal)?;
        let project = match (input.role, input.project) {
            (_, Some(p)) => Some(project_for(&mut tx, viewer, p, input.permission).await?),
            (PersonKind::Guest, None) => return Err(AppError::Invalid("Choose the project the guest joins.".into())),
            (PersonKind::Member, None) => None,
        };
        let project_name = match project {
            Some(p) => projects::get(tx.conn(), viewer.org_id, p).await?.map(|p| p.name),
            None => None,
        };
        let department = department_for(&mut tx, viewer, input.department).await?;
        let mut taken = Vec::new();
        for e in &emails {
            if let Some(why) = db::email_taken(&mut tx, viewer.org_id, e.as_str(), now).await? {
                taken.push(format!("{e} {why}"));
            }
        }
        if !taken.is_empty() {
            return Err(AppError::Conflict(format!("Nothing was sent: {}.", taken.join("; "))));
        }
        if input.role == PersonKind::Guest {
            db::quota(tx.conn(), viewer.org_id, now).await?.admit(emails.len() as i64)?;
        }
        let permission = Some(input.permission);
        let expiry = (input.role == PersonKind::Guest && input.expiry != ExpiryPeriod::Never).then(|| input.expiry.key());
        let mut mails = Vec::new();
        for e in &emails {
            let (token, token_hash) = new_token();
            db::insert(
                &mut tx,
                NewInvitation {
                    org: viewer.org_id,
                    email: e.as_str(),
                    kind: input.role,
                    project,
                    permission,
                    department,
                    inviter: viewer.id,
                    token_hash: &token_hash,
                    expiry_period: expiry,
                    now,
                    validity_ends_at: now + INVITATION_VALIDITY_MS,
                },
            )
            .await?;
            mails.push(queue_invitation_mail(&mut tx, state, viewer, e.as_str(), input.role, project_name.as_deref(), permission, &token).await?);
        }
        tx.commit().await?;
        state.mailer.deliver(state, &mails).await;
        Ok(emails.len())
    }

    fn item(r: InvitationRow, now: i64) -> InvitationItem {
        let st = InvitationState::at(&r.state, r.validity_ends_at, now);
        InvitationItem {
            id: r.id,
            email: r.email,
            is_guest: r.kind == "guest",
            inviter: r.inviter,
            created_at: r.created_at,
            project: r.project,
            permission: r.permission.as_deref().and_then(Permission::from_db),
            state: st.label().to_string(),
            may_resend: matches!(st, InvitationState::Pending | InvitationState::Lapsed),
        }
    }

    /// Admins see the invitations of their reach; others the ones they sent.
    pub async fn list(state: &AppState, viewer: &Viewer, page: i64) -> Result<Paged<InvitationItem>, AppError> {
        if viewer.role() == Role::Guest {
            return Err(AppError::Forbidden);
        }
        let page = paging::check_page(page)?;
        let (limit, offset) = paging::window(page, INVITATIONS_PAGE_SIZE);
        let rows = db::list(state.db.pool(), viewer.org_id, viewer.is_company_admin, viewer.id, !viewer.is_admin(), limit, offset).await?;
        let now = state.now_ms();
        Ok(paging::paged(rows.into_iter().map(|r| item(r, now)).collect(), page, INVITATIONS_PAGE_SIZE))
    }

    /// An invitation this viewer may resend or revoke: their own, or one in their reach.
    async fn manageable(tx: &mut WriteTx, viewer: &Viewer, id: i64) -> Result<InvitationRow, AppError> {
        let not_found = || AppError::NotFound("This invitation was not found.".into());
        if viewer.role() == Role::Guest {
            return Err(AppError::Forbidden);
        }
        let row = db::by_id(tx.conn(), viewer.org_id, id).await?.ok_or_else(not_found)?;
        let allowed = row.inviter_id == viewer.id.0
            || viewer.is_company_admin
            || (viewer.is_admin() && db::manages(tx.conn(), viewer.id, DeptId(row.department_id)).await?);
        if allowed {
            Ok(row)
        } else {
            Err(not_found())
        }
    }

    /// Sends an invitation again with a new link: at most once a minute and five times a
    /// day, and a lapsed guest invitation takes a place in the quota again, checked like a
    /// new one.
    pub async fn resend(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
        let now = state.now_ms();
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        let row = manageable(&mut tx, viewer, id).await?;
        let kind = if row.kind == "guest" { PersonKind::Guest } else { PersonKind::Member };
        may_invite(viewer, &db::settings(tx.conn(), viewer.org_id).await?, kind).map_err(refusal)?;
        let st = InvitationState::at(&row.state, row.validity_ends_at, now);
        if !matches!(st, InvitationState::Pending | InvitationState::Lapsed) {
            return Err(AppError::Conflict("This invitation was already accepted or revoked.".into()));
        }
        let permission = row.permission.as_deref().and_then(Permission::from_db);
        // The same project rules as a new invitation: open, and no more than the sender has.
        if let Some(p) = row.project_id {
            project_for(&mut tx, viewer, p, permission.unwrap_or(Permission::ReadOnly)).await?;
        }
        let (day_start, resends) = resend_allowed(row.sent_at, row.resend_day_start, row.resends_in_day, now)
            .map_err(|e| AppError::RateLimited { message: e.to_string(), retry_after_secs: e.retry_after_secs() })?;
        if kind == PersonKind::Guest && st == InvitationState::Lapsed {
            db::quota(tx.conn(), viewer.org_id, now).await?.admit(1)?;
        }
        let (token, token_hash) = new_token();
        let renewal = db::Renewal {
            token_hash: &token_hash,
            now,
            validity_ends_at: now + INVITATION_VALIDITY_MS,
            resend_day_start: day_start,
            resends_in_day: resends,
        };
        if !db::renew(&mut tx, viewer.org_id, id, renewal, viewer.id).await? {
            return Err(AppError::Conflict("This invitation was already accepted or revoked.".into()));
        }
        let mail = queue_invitation_mail(&mut tx, state, viewer, &row.email, kind, row.project.as_deref(), permission, &token).await?;
        tx.commit().await?;
        state.mailer.deliver(state, &[mail]).await;
        Ok(())
    }

    pub async fn revoke(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        manageable(&mut tx, viewer, id).await?;
        if !db::revoke(&mut tx, viewer.org_id, id, viewer.id, state.now_ms()).await? {
            return Err(AppError::Conflict("This invitation was already accepted, revoked or lapsed.".into()));
        }
        tx.commit().await?;
        Ok(())
    }

    fn bad_link() -> AppError {
        AppError::NotFound("This invitation link is not valid. Check that you copied all of it.".into())
    }

    /// A usable invitation by its token, or the message that says why not.
    async fn usable(state: &AppState, token: &str) -> Result<InvitationRow, AppError> {
        if token.trim().len() != 64 {
            return Err(bad_link());
        }
        let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
        let row = db::by_token_hash(&mut conn, &hash_token(token)).await?.ok_or_else(bad_link)?;
        let st = InvitationState::at(&row.state, row.validity_ends_at, state.now_ms());
        match st.unusable_message() {
            Some(m) => Err(AppError::Conflict(m.to_string())),
            None => Ok(row),
        }
    }

    pub async fn info(state: &AppState, token: &str) -> Result<InvitationPreview, AppError> {
        let row = usable(state, token).await?;
        let org_name = orgs::org_name(state.db.pool(), OrgId(row.org_id)).await?.unwrap_or_default();
        Ok(InvitationPreview {
            org_name,
            inviter: row.inviter,
            email: row.email,
            is_guest: row.kind == "guest",
            project: row.project,
            permission: row.permission.as_deref().and_then(Permission::from_db),
        })
    }

    /// Redeems a link: exactly one account per invitation, however many try at once.
    pub async fn accept(state: &AppState, token: &str, first: &str, last: &str, password: &str, mobile: &str) -> Result<PersonId, AppError> {
        let first = PersonName::parse(first, "First name")?;
        let last = PersonName::parse(last, "Last name")?;
        let password = NewPassword::parse(password)?;
        let mobile = Mobile::parse(mobile)?;
        let row = usable(state, token).await?;
        let hash = hash_password_blocking(state, password.expose().to_string()).await?;
        let org = OrgId(row.org_id);
        let now = state.now_ms();
        let mut tx = state.db.begin_org_write(org).await?;
        if !db::claim(&mut tx, row.id, now).await? {
            // Someone else redeemed it (or it lapsed) between reading and claiming.
            let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
            drop(tx);
            let again = db::by_token_hash(&mut conn, &hash_token(token)).await?.ok_or_else(bad_link)?;
            let st = InvitationState::at(&again.state, again.validity_ends_at, now);
            return Err(AppError::Conflict(st.unusable_message().unwrap_or("This invitation can no longer be used.").to_string()));
        }
        // The world may have changed since the invitation was sent.
        let settings = db::settings(tx.conn(), org).await?;
        let inviter = people::load_viewer(state.db.pool(), PersonId(row.inviter_id), now).await?.map(|(v, _)| v);
        let inviter = inviter.filter(|v| v.org_id == org);
        let project_now = match row.project_id {
            Some(p) => {
                let archived = projects::get(tx.conn(), org, ProjectId(p)).await?.is_none_or(|p| p.archived != 0);
                let inviter_permission = match &inviter {
                    Some(v) if v.is_admin() => Some(Permission::Edit),
                    Some(v) => projects::membership(tx.conn(), v.id, ProjectId(p)).await?,
                    None => None,
                };
                let given = row.permission.as_deref().and_then(Permission::from_db).unwrap_or(Permission::ReadOnly);
                Some(ProjectNow { archived, inviter_permission, given })
            }
            None => None,
        };
        let kind = if row.kind == "guest" { PersonKind::Guest } else { PersonKind::Member };
        may_accept(inviter.as_ref(), &settings, kind, project_now).map_err(|e| AppError::Conflict(e.to_string()))?;
        if people::email_in_use_tx(&mut tx, org, &row.email).await? {
            return Err(AppError::Conflict("This email address already belongs to a person of the organization. Sign in instead.".into()));
        }
        let permission = row.permission.as_deref().and_then(Permission::from_db).unwrap_or(Permission::ReadOnly);
        let project = row.project_id.map(ProjectId);
        let person = if row.kind == "guest" {
            let period = row.expiry_period.as_deref().and_then(ExpiryPeriod::from_key);
            let expires_at = period.and_then(|p| p.expires_at(state.clock.now())).map(|t| t.timestamp_millis());
            people::insert_guest(
                &mut tx,
                NewGuest {
                    org,
                    email: &row.email,
                    first_name: first.as_str(),
                    last_name: last.as_str(),
                    mobile: mobile.as_ref().map(|m| m.as_str()),
                    password_hash: Some(&hash),
                    invited_by: PersonId(row.inviter_id),
                    invited_at: row.created_at,
                    sponsor_department: DeptId(row.department_id),
                    project,
                    permission,
                    expires_at,
                    expiry_period: period,
                    expiry_set_at: now,
                    now,
                },
            )
            .await?
        } else {
            let id = people::insert_member(
                &mut tx,
                NewMember {
                    org,
                    email: &row.email,
                    first_name: first.as_str(),
                    last_name: last.as_str(),
                    mobile: mobile.as_ref().map(|m| m.as_str()),
                    department: DeptId(row.department_id),
                    is_company_admin: false,
                    authorized_to_invite: false,
                    password_hash: Some(&hash),
                    now,
                },
            )
            .await?;
            if let Some(p) = project {
                people::add_project_member(&mut tx, p, id, permission).await?;
            }
            id
        };
        db::set_accepted_person(&mut tx, row.id, person).await?;
        activity::record(
            &mut tx,
            activity::Entry { org, at: now, actor: Some(person), subject: Some(person), action: activity::Action::InvitationAccepted, details: &row.kind },
        )
        .await?;
        tx.commit().await?;
        Ok(person)
    }

    /// Company Admins read the mail Lobby queued (the outbox), newest first, a page at
    /// a time.
    pub async fn outbox(state: &AppState, viewer: &Viewer, page: i64) -> Result<Paged<MailItem>, AppError> {
        if viewer.role() != Role::CompanyAdmin {
            return Err(AppError::Forbidden);
        }
        let page = paging::check_page(page)?;
        let (limit, offset) = paging::window(page, OUTBOX_PAGE_SIZE);
        let mails = db::outbox_page(state.db.pool(), viewer.org_id, limit, offset)
            .await?
            .into_iter()
            .map(|m| MailItem { id: m.id, to: m.to_email, subject: m.subject, text: m.body_text, created_at: m.created_at, sent: m.sent_at.is_some() })
            .collect();
        Ok(paging::paged(mails, page, OUTBOX_PAGE_SIZE))
    }
}
