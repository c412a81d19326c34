//! Who may invite whom (F-AUTH-INVITE), the organization settings that decide it, the
//! addresses typed into the invite dialog, and an invitation's life (pending, accepted,
//! revoked, lapsed after seven days).

use super::{Email, InvalidInput, PersonKind, Role, Viewer};
use serde::{Deserialize, Serialize};

/// How long an invitation link works after it was (last) sent.
pub const INVITATION_VALIDITY_DAYS: i64 = 7;
pub const INVITATION_VALIDITY_MS: i64 = INVITATION_VALIDITY_DAYS * 86_400_000;
/// Addresses one "Send invitations" may carry.
pub const MAX_EMAILS_PER_INVITE: usize = 50;

/// Who may invite guests besides admins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitePolicy {
    /// No one: only Company Admins and Department Admins.
    Admins,
    Everyone,
    /// The users whose "authorized to invite" flag is set.
    Selected,
}

impl InvitePolicy {
    pub const ALL: [InvitePolicy; 3] = [InvitePolicy::Admins, InvitePolicy::Everyone, InvitePolicy::Selected];

    pub fn as_db(self) -> &'static str {
        match self {
            InvitePolicy::Admins => "admins",
            InvitePolicy::Everyone => "everyone",
            InvitePolicy::Selected => "selected",
        }
    }

    pub fn from_db(s: &str) -> Option<InvitePolicy> {
        Self::ALL.into_iter().find(|p| p.as_db() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            InvitePolicy::Admins => "No one (admins only)",
            InvitePolicy::Everyone => "Every user",
            InvitePolicy::Selected => "Selected users",
        }
    }
}

/// An organization's settings (Settings → Users Authorization and the report options).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSettings {
    /// The feature *Invitation of External Users*.
    pub invitations_enabled: bool,
    pub invite_policy: InvitePolicy,
    pub guests_per_member: i64,
    pub display_all_group: bool,
    pub receive_activity_report: bool,
    /// Which features guests may use (F-PROFILE).
    pub guest_profile: super::profile::GuestProfile,
}

impl OrgSettings {
    pub const MAX_GUESTS_PER_MEMBER: i64 = 1000;

    /// Checks the values an admin typed; the quota is a whole number from 0.
    pub fn validate(&self) -> Result<(), InvalidInput> {
        if !(0..=Self::MAX_GUESTS_PER_MEMBER).contains(&self.guests_per_member) {
            return Err(InvalidInput(format!(
                "The guest quota per member must be a whole number from 0 to {}.",
                Self::MAX_GUESTS_PER_MEMBER
            )));
        }
        Ok(())
    }
}

/// Why someone may not invite; the text is shown where the invite button would be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum InviteRefusal {
    #[error("Invitation of External Users is turned off for this organization.")]
    FeatureOff,
    #[error("Only admins may invite members.")]
    MembersNeedAdmin,
    #[error("You are not authorized to invite guests. Ask a Company Admin.")]
    NotAuthorized,
    #[error("You have read-only access to this project, so you can invite guests with read-only access only.")]
    ReadOnlyInviter,
}

/// F-AUTH-INVITE within a project: nobody gives a guest more than they have there. Admins
/// have edit rights in every project; `own` is anyone else's permission in it.
pub fn may_grant(viewer: &Viewer, own: super::Permission, wanted: super::Permission) -> Result<(), InviteRefusal> {
    if viewer.is_admin() || own == super::Permission::Edit || wanted == super::Permission::ReadOnly {
        Ok(())
    } else {
        Err(InviteRefusal::ReadOnlyInviter)
    }
}

/// Why an invitation can no longer be accepted although its link is still valid: the
/// world changed since it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AcceptRefusal {
    #[error("This invitation can no longer be accepted: Invitation of External Users has been turned off. Ask the person who invited you.")]
    FeatureOff,
    #[error("This invitation can no longer be accepted: its project has been archived. Ask the person who invited you for a new invitation.")]
    ProjectArchived,
    #[error("This invitation can no longer be accepted: the person who invited you has left the organization. Ask someone else there to invite you.")]
    InviterLeft,
    #[error("This invitation can no longer be accepted: the person who invited you may no longer invite. Ask someone else there to invite you.")]
    InviterNotAllowed,
    #[error("This invitation can no longer be accepted: the person who invited you no longer has the access to the project that it gives. Ask them for a new invitation.")]
    InviterLostProject,
}

/// A project invitation at the moment of acceptance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProjectNow {
    pub archived: bool,
    /// The inviter's own permission in the project now (`None`: no longer in it).
    /// Admins have edit rights in every project.
    pub inviter_permission: Option<super::Permission>,
    /// The permission the invitation gives.
    pub given: super::Permission,
}

/// F-ACCEPT, re-checked at the moment of acceptance: the feature still on, the project
/// (if any) still open, and the inviter (`None`: no longer active) still allowed to send
/// this invitation — to invite at all, and to give this permission in this project.
pub fn may_accept(
    inviter: Option<&Viewer>,
    settings: &OrgSettings,
    kind: PersonKind,
    project: Option<ProjectNow>,
) -> Result<(), AcceptRefusal> {
    if !settings.invitations_enabled {
        return Err(AcceptRefusal::FeatureOff);
    }
    if project.is_some_and(|p| p.archived) {
        return Err(AcceptRefusal::ProjectArchived);
    }
    let inviter = inviter.ok_or(AcceptRefusal::InviterLeft)?;
    may_invite(inviter, settings, kind).map_err(|_| AcceptRefusal::InviterNotAllowed)?;
    if let Some(p) = project.filter(|_| !inviter.is_admin()) {
        let own = p.inviter_permission.ok_or(AcceptRefusal::InviterLostProject)?;
        may_grant(inviter, own, p.given).map_err(|_| AcceptRefusal::InviterLostProject)?;
    }
    Ok(())
}

/// The least time between two sendings of one invitation.
pub const RESEND_INTERVAL_MS: i64 = 60_000;
/// Resends of one invitation allowed within a day (from the first of them).
pub const RESENDS_PER_DAY: i64 = 5;
const DAY_MS: i64 = 86_400_000;

/// Why an invitation may not be sent again yet, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResendRefusal {
    #[error("This invitation was sent less than a minute ago. Wait a minute before sending it again.")]
    TooSoon { retry_after_secs: i64 },
    #[error("This invitation was already sent again {RESENDS_PER_DAY} times today. Try again tomorrow.")]
    DailyLimit { retry_after_secs: i64 },
}

impl ResendRefusal {
    pub fn retry_after_secs(self) -> i64 {
        match self {
            ResendRefusal::TooSoon { retry_after_secs } | ResendRefusal::DailyLimit { retry_after_secs } => retry_after_secs,
        }
    }
}

/// Whether an invitation last sent at `sent_at`, resent `resends` times in the day that
/// began at `day_start`, may be sent again at `now`; if so, the day's new
/// `(day_start, resends)` to store.
pub fn resend_allowed(sent_at: i64, day_start: i64, resends: i64, now: i64) -> Result<(i64, i64), ResendRefusal> {
    let since = now - sent_at;
    if (0..RESEND_INTERVAL_MS).contains(&since) {
        return Err(ResendRefusal::TooSoon { retry_after_secs: ((RESEND_INTERVAL_MS - since + 999) / 1000).max(1) });
    }
    if now - day_start >= DAY_MS || now < day_start {
        return Ok((now, 1));
    }
    if resends >= RESENDS_PER_DAY {
        return Err(ResendRefusal::DailyLimit { retry_after_secs: ((day_start + DAY_MS - now + 999) / 1000).max(1) });
    }
    Ok((day_start, resends + 1))
}

/// Revoked and lapsed invitations leave the lists this long after they closed (the
/// activity log keeps them).
pub const CLOSED_INVITATION_KEEP_MS: i64 = 90 * DAY_MS;

/// F-AUTH-INVITE: Company Admins and Department Admins may always invite while the
/// feature is on; users only as the policy says; guests never; only admins invite members.
pub fn may_invite(viewer: &Viewer, settings: &OrgSettings, kind: PersonKind) -> Result<(), InviteRefusal> {
    if !settings.invitations_enabled {
        return Err(InviteRefusal::FeatureOff);
    }
    let admin = viewer.is_admin();
    if kind == PersonKind::Member {
        return if admin { Ok(()) } else { Err(InviteRefusal::MembersNeedAdmin) };
    }
    match viewer.role() {
        Role::CompanyAdmin | Role::DepartmentAdmin => Ok(()),
        Role::Guest => Err(InviteRefusal::NotAuthorized),
        Role::User => match settings.invite_policy {
            InvitePolicy::Everyone => Ok(()),
            InvitePolicy::Selected if viewer.authorized_to_invite => Ok(()),
            _ => Err(InviteRefusal::NotAuthorized),
        },
    }
}

/// The "Email" field: one or more addresses separated by commas, semicolons, spaces or
/// new lines. Duplicates collapse; every address must be valid or nothing is sent.
pub fn parse_emails(input: &str) -> Result<Vec<Email>, InvalidInput> {
    let mut out: Vec<Email> = Vec::new();
    for part in input.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        let e = Email::parse(part)?;
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if out.is_empty() {
        return Err(InvalidInput("Enter at least one email address.".into()));
    }
    if out.len() > MAX_EMAILS_PER_INVITE {
        return Err(InvalidInput(format!(
            "Send at most {MAX_EMAILS_PER_INVITE} invitations at once."
        )));
    }
    Ok(out)
}

/// An invitation's state as people see it: a pending one whose link is past its
/// validity is lapsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Pending,
    Accepted,
    Revoked,
    Lapsed,
}

impl InvitationState {
    /// From the stored state and validity end (unix ms) at `now`: a stored pending
    /// invitation past its validity is lapsed even before the lapse job marks it so.
    pub fn at(stored: InvitationState, validity_ends_at: i64, now: i64) -> InvitationState {
        match stored {
            InvitationState::Pending if now >= validity_ends_at => InvitationState::Lapsed,
            other => other,
        }
    }

    pub fn as_db(self) -> &'static str {
        match self {
            InvitationState::Pending => "pending",
            InvitationState::Accepted => "accepted",
            InvitationState::Revoked => "revoked",
            InvitationState::Lapsed => "lapsed",
        }
    }

    pub fn from_db(s: &str) -> Option<InvitationState> {
        [InvitationState::Pending, InvitationState::Accepted, InvitationState::Revoked, InvitationState::Lapsed]
            .into_iter()
            .find(|st| st.as_db() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            InvitationState::Pending => "Pending",
            InvitationState::Accepted => "Accepted",
            InvitationState::Revoked => "Revoked",
            InvitationState::Lapsed => "Lapsed",
        }
    }

    /// What the invitation page says when the link can no longer be used.
    pub fn unusable_message(self) -> Option<&'static str> {
        match self {
            InvitationState::Pending => None,
            InvitationState::Accepted => Some("This invitation has already been accepted. Sign in instead."),
            InvitationState::Revoked => Some("This invitation was withdrawn. Ask the person who invited you for a new one."),
            InvitationState::Lapsed => Some("This invitation has lapsed: links work for 7 days. Ask the person who invited you to send it again."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(kind: PersonKind, company_admin: bool, managed: Vec<i64>, authorized: bool) -> Viewer {
        crate::domain::roles::test_viewer(kind, company_admin, managed, authorized)
    }

    fn settings(on: bool, policy: InvitePolicy) -> OrgSettings {
        OrgSettings {
            invitations_enabled: on,
            invite_policy: policy,
            guests_per_member: 3,
            display_all_group: true,
            guest_profile: Default::default(),
            receive_activity_report: true,
        }
    }

    #[test]
    fn authorization_matrix() {
        let admin = viewer(PersonKind::Member, true, vec![], false);
        let dept_admin = viewer(PersonKind::Member, false, vec![4], false);
        let authorized = viewer(PersonKind::Member, false, vec![], true);
        let plain = viewer(PersonKind::Member, false, vec![], false);
        let guest = viewer(PersonKind::Guest, false, vec![], true);
        use InvitePolicy::*;
        use PersonKind::Guest as G;
        for p in [Admins, Everyone, Selected] {
            assert_eq!(may_invite(&admin, &settings(true, p), G), Ok(()));
            assert_eq!(may_invite(&dept_admin, &settings(true, p), G), Ok(()));
            assert_eq!(may_invite(&guest, &settings(true, p), G), Err(InviteRefusal::NotAuthorized));
            for v in [&admin, &dept_admin, &authorized, &plain, &guest] {
                assert_eq!(may_invite(v, &settings(false, p), G), Err(InviteRefusal::FeatureOff));
            }
        }
        assert_eq!(may_invite(&authorized, &settings(true, Admins), G), Err(InviteRefusal::NotAuthorized));
        assert_eq!(may_invite(&authorized, &settings(true, Selected), G), Ok(()));
        assert_eq!(may_invite(&plain, &settings(true, Selected), G), Err(InviteRefusal::NotAuthorized));
        assert_eq!(may_invite(&plain, &settings(true, Everyone), G), Ok(()));
        // Members: admins only.
        assert_eq!(may_invite(&admin, &settings(true, Admins), PersonKind::Member), Ok(()));
        assert_eq!(may_invite(&dept_admin, &settings(true, Admins), PersonKind::Member), Ok(()));
        assert_eq!(
            may_invite(&plain, &settings(true, Everyone), PersonKind::Member),
            Err(InviteRefusal::MembersNeedAdmin)
        );
    }

    #[test]
    fn emails_split_dedupe_and_refuse_bad_ones() {
        let v = parse_emails("Ann@x.test, bob@y.test;ann@x.test\ncy@z.test ").unwrap();
        let v: Vec<&str> = v.iter().map(|e| e.as_str()).collect();
        assert_eq!(v, vec!["ann@x.test", "bob@y.test", "cy@z.test"]);
        assert_eq!(parse_emails(" , ").unwrap_err().0, "Enter at least one email address.");
        assert!(parse_emails("ann@x.test, not-an-email").unwrap_err().0.contains("not-an-email"));
        let many: Vec<String> = (0..51).map(|i| format!("p{i}@x.test")).collect();
        assert!(parse_emails(&many.join(",")).is_err());
    }

    #[test]
    fn pending_lapses_at_the_end_of_its_validity() {
        use InvitationState::*;
        assert_eq!(InvitationState::at(Pending, 1000, 999), Pending);
        assert_eq!(InvitationState::at(Pending, 1000, 1000), Lapsed);
        assert_eq!(InvitationState::at(Accepted, 1000, 5000), Accepted);
        assert_eq!(InvitationState::at(Revoked, 1000, 0), Revoked);
        assert_eq!(InvitationState::at(Lapsed, 1000, 0), Lapsed);
        for st in [Pending, Accepted, Revoked, Lapsed] {
            assert_eq!(InvitationState::from_db(st.as_db()), Some(st));
        }
        assert_eq!(InvitationState::from_db("Pending"), None, "stored lower case");
        assert!(InvitationState::Pending.unusable_message().is_none());
        assert!(InvitationState::Lapsed.unusable_message().is_some());
    }

    #[test]
    fn nobody_grants_more_than_they_have() {
        use crate::domain::Permission::{Edit, ReadOnly};
        let admin = viewer(PersonKind::Member, true, vec![], false);
        let dept_admin = viewer(PersonKind::Member, false, vec![4], false);
        let user = viewer(PersonKind::Member, false, vec![], true);
        // (viewer, own permission, wanted, allowed)
        let table = [
            (&admin, ReadOnly, Edit, true),
            (&dept_admin, ReadOnly, Edit, true),
            (&user, Edit, Edit, true),
            (&user, Edit, ReadOnly, true),
            (&user, ReadOnly, ReadOnly, true),
            (&user, ReadOnly, Edit, false),
        ];
        for (v, own, wanted, ok) in table {
            assert_eq!(may_grant(v, own, wanted).is_ok(), ok, "{:?} {own:?} {wanted:?}", v.role());
        }
        assert_eq!(may_grant(&user, ReadOnly, Edit), Err(InviteRefusal::ReadOnlyInviter));
    }

    #[test]
    fn acceptance_rechecks_the_world() {
        let admin = viewer(PersonKind::Member, true, vec![], false);
        let authorized = viewer(PersonKind::Member, false, vec![], true);
        let on = settings(true, InvitePolicy::Selected);
        use crate::domain::Permission::{Edit, ReadOnly};
        let g = PersonKind::Guest;
        let open = |inviter_permission, given| Some(ProjectNow { archived: false, inviter_permission, given });
        let archived = Some(ProjectNow { archived: true, inviter_permission: Some(Edit), given: Edit });
        assert_eq!(may_accept(Some(&admin), &on, g, open(None, Edit)), Ok(()), "admins reach every project");
        assert_eq!(may_accept(Some(&authorized), &on, g, open(Some(Edit), Edit)), Ok(()));
        assert_eq!(may_accept(Some(&authorized), &on, g, open(Some(ReadOnly), ReadOnly)), Ok(()));
        assert_eq!(may_accept(Some(&admin), &settings(false, InvitePolicy::Selected), g, open(Some(Edit), Edit)), Err(AcceptRefusal::FeatureOff));
        assert_eq!(may_accept(Some(&admin), &on, g, archived), Err(AcceptRefusal::ProjectArchived));
        assert_eq!(may_accept(None, &on, g, None), Err(AcceptRefusal::InviterLeft));
        assert_eq!(may_accept(Some(&authorized), &settings(true, InvitePolicy::Admins), g, None), Err(AcceptRefusal::InviterNotAllowed));
        let mut demoted = authorized.clone();
        demoted.authorized_to_invite = false;
        assert_eq!(may_accept(Some(&demoted), &on, g, None), Err(AcceptRefusal::InviterNotAllowed));
        // The inviter left the project, or is read-only there now.
        assert_eq!(may_accept(Some(&authorized), &on, g, open(None, ReadOnly)), Err(AcceptRefusal::InviterLostProject));
        assert_eq!(may_accept(Some(&authorized), &on, g, open(Some(ReadOnly), Edit)), Err(AcceptRefusal::InviterLostProject));
        // A member invitation needs an admin still.
        assert_eq!(may_accept(Some(&authorized), &on, PersonKind::Member, None), Err(AcceptRefusal::InviterNotAllowed));
    }

    #[test]
    fn resending_is_limited_to_once_a_minute_and_five_a_day() {
        let t0 = 1_000_000_000;
        // First resend: a new day begins.
        assert_eq!(resend_allowed(t0, 0, 0, t0 + 60_000), Ok((t0 + 60_000, 1)));
        assert_eq!(resend_allowed(t0, 0, 0, t0 + 59_001), Err(ResendRefusal::TooSoon { retry_after_secs: 1 }));
        assert_eq!(resend_allowed(t0, 0, 0, t0 + 1), Err(ResendRefusal::TooSoon { retry_after_secs: 60 }));
        // Within the day: counts up to five.
        let day = t0;
        assert_eq!(resend_allowed(t0, day, 4, t0 + 120_000), Ok((day, 5)));
        let e = resend_allowed(t0, day, 5, t0 + 120_000).unwrap_err();
        assert_eq!(e, ResendRefusal::DailyLimit { retry_after_secs: (DAY_MS - 120_000) / 1000 });
        assert!(e.to_string().contains("5 times today"));
        // The next day starts over.
        assert_eq!(resend_allowed(t0, day, 5, day + DAY_MS), Ok((day + DAY_MS, 1)));
    }

    #[test]
    fn settings_quota_bounds() {
        let mut s = settings(true, InvitePolicy::Admins);
        assert!(s.validate().is_ok());
        s.guests_per_member = -1;
        assert!(s.validate().is_err());
        s.guests_per_member = 1001;
        assert!(s.validate().is_err());
    }
}
