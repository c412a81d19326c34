//! The directory each person sees (F-CONTACTS, F-VISIBILITY), the Guest Profile's policy
//! asked for them (F-PROFILE), and View as (F-VIEWAS).
//!
//! Every use case takes an optional `as_person`: when an admin gives one, the answer is
//! computed on the server as that person would get it — same lists, same policy — after
//! [`access::may_view_as`] allowed it. View as creates no session, sends nothing and
//! changes nothing; it is logged (once per admin and person every ten minutes, so a
//! page of clicks is one entry).

use crate::data::directory::{self as db, ContactRow, Seer};
use crate::data::{activity, invitations as settings_db, people};
use crate::domain::access::{self, may_see_person, Relation};
use crate::domain::activity::Action;
use crate::domain::paging::{page_of, Page, Position};
use crate::domain::profile::{self, Availability, Feature, Party, Standing};
use crate::domain::{search, DeptId, GroupId, PersonId, PersonKind, Viewer};
use crate::error::AppError;
use crate::model::directory::*;
use crate::web::state::AppState;

/// People per page of the directory's lists.
pub const PAGE_SIZE: i64 = 50;
/// Results of a directory search.
pub const SEARCH_RESULTS: i64 = 20;
/// A View as is logged again after this long.
const VIEW_AS_LOG_EVERY_MS: i64 = 10 * 60 * 1000;

const PERSON_NOT_FOUND: &str = "This person was not found.";

fn not_found() -> AppError {
    AppError::NotFound(PERSON_NOT_FOUND.into())
}

/// Whose eyes: the viewer, or the person an admin views as.
struct Eyes {
    who: Viewer,
    viewed_as: Option<ViewedAs>,
}

impl Eyes {
    fn seer(&self) -> Seer {
        Seer { org: self.who.org_id, person: self.who.id, sees_guests: self.who.kind != PersonKind::Guest }
    }
}

/// The viewer, or — for View as — the person `as_person` after the access rule allowed
/// it, logged.
async fn eyes(state: &AppState, viewer: &Viewer, as_person: Option<i64>) -> Result<Eyes, AppError> {
    let Some(id) = as_person else { return Ok(Eyes { who: viewer.clone(), viewed_as: None }) };
    access::admin_only(viewer).map_err(|d| AppError::denied(d, PERSON_NOT_FOUND))?;
    let pool = state.db.pool();
    let target = PersonId(id);
    let placement = db::placement(pool, viewer.org_id, target).await?;
    let relation = match placement {
        _ if target == viewer.id => Relation::Itself,
        None => Relation::OtherOrganization,
        Some(_) if viewer.role() == crate::domain::Role::CompanyAdmin => Relation::InScope,
        Some(_) if db::in_scope_of(pool, viewer.org_id, viewer.id, target).await? => Relation::InScope,
        Some(_) => Relation::OutOfScope,
    };
    access::may_view_as(viewer, relation).map_err(|d| AppError::denied(d, PERSON_NOT_FOUND))?;
    let now = state.now_ms();
    let Some((who, _)) = people::load_viewer(pool, target, now).await? else {
        return Err(AppError::NotFound("This person has left the organization or their access has expired: there is nothing to view as.".into()));
    };
    if who.id != viewer.id {
        // Checked inside the write transaction, so two requests at once log once.
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        if db::viewed_as_since(tx.conn(), viewer.org_id, viewer.id, who.id, now - VIEW_AS_LOG_EVERY_MS).await? {
            return Ok(Eyes { viewed_as: Some(viewed_as(&who)), who });
        }
        // The guest's sponsor or the member's department: whose admins see the entry.
        let scope = match placement {
            Some((PersonKind::Guest, _, sponsor)) => sponsor,
            Some((_, dept, _)) => Some(dept),
            None => None,
        };
        activity::record(
            &mut tx,
            activity::Entry {
                org: viewer.org_id,
                at: now,
                actor: Some(viewer.id),
                subject: Some(who.id),
                action: Action::ViewedAs,
                details: "",
                target: Some((activity::TargetKind::Person, Some(who.id.0))),
                scope,
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(Eyes { viewed_as: Some(viewed_as(&who)), who })
}

fn viewed_as(who: &Viewer) -> ViewedAs {
    ViewedAs { id: who.id.0, name: crate::domain::people::full_name(&who.first_name, &who.last_name), kind: who.kind }
}

pub(crate) fn contact(r: ContactRow) -> Contact {
    let avatar = r.avatar.as_ref().map(|v| format!("/avatars/{}?v={v}", r.id.0));
    Contact { id: r.id.0, name: crate::domain::people::full_name(&r.first_name, &r.last_name), kind: r.kind, department: r.department, avatar }
}

fn position(cursor: Option<&str>) -> Result<Position, AppError> {
    Ok(Position::parse_text(cursor)?)
}

/// The Contacts page: departments with their member counts, the person's groups (and
/// All while *Display the group All* is on, never for a guest), and a page of people.
pub async fn directory(state: &AppState, viewer: &Viewer, as_person: Option<i64>, cursor: Option<&str>) -> Result<Directory, AppError> {
    let pos = position(cursor)?;
    let eyes = eyes(state, viewer, as_person).await?;
    let pool = state.db.pool();
    let now = state.now_ms();
    let org = eyes.who.org_id;
    let show_all = settings_db::settings_of(pool, org).await?.display_all_group && eyes.who.kind != PersonKind::Guest;
    let departments = db::departments(pool, org, now)
        .await?
        .into_iter()
        .map(|d| DepartmentEntry { id: d.id.0, parent: d.parent_id.map(|p| p.0), name: d.name, members: d.members })
        .collect();
    // A guest is in no group (F-GUESTDEPT), whatever a stray row says.
    let groups = if eyes.who.kind == PersonKind::Guest {
        Vec::new()
    } else {
        db::groups_of(pool, org, eyes.who.id, show_all, now)
            .await?
            .into_iter()
            .map(|g| GroupEntry { id: g.id.0, name: g.name, is_all: g.is_all, members: g.members })
            .collect()
    };
    let rows = db::people(pool, eyes.seer(), now, &pos, PAGE_SIZE + 1).await?;
    let people = page_of(rows, &pos, PAGE_SIZE, db::contact_key).map(contact);
    Ok(Directory { viewed_as: eyes.viewed_as, departments, groups, people })
}

/// People the person may see with a word starting with each word typed (from two
/// characters; nothing for less).
pub async fn search(state: &AppState, viewer: &Viewer, as_person: Option<i64>, query: &str) -> Result<Vec<Contact>, AppError> {
    let eyes = eyes(state, viewer, as_person).await?;
    let Some(prefixes) = search::query_prefixes(query) else { return Ok(Vec::new()) };
    let rows = db::search(state.db.pool(), eyes.seer(), state.now_ms(), &prefixes, SEARCH_RESULTS, false).await?;
    Ok(rows.into_iter().map(contact).collect())
}

/// A department's details: its live members, a page at a time — never a guest, whoever
/// looks. The Guests department has no details.
pub async fn department_members(state: &AppState, viewer: &Viewer, as_person: Option<i64>, dept: i64, cursor: Option<&str>) -> Result<Page<Contact>, AppError> {
    let pos = position(cursor)?;
    let eyes = eyes(state, viewer, as_person).await?;
    let rows = db::department_members(state.db.pool(), eyes.who.org_id, DeptId(dept), state.now_ms(), &pos, PAGE_SIZE + 1)
        .await?
        .ok_or_else(|| AppError::NotFound("This department was not found.".into()))?;
    Ok(page_of(rows, &pos, PAGE_SIZE, db::contact_key).map(contact))
}

/// A group's live members, a page at a time: All (while shown, never to a guest) or a
/// group the person belongs to.
pub async fn group_members(state: &AppState, viewer: &Viewer, as_person: Option<i64>, group: i64, cursor: Option<&str>) -> Result<Page<Contact>, AppError> {
    let pos = position(cursor)?;
    let eyes = eyes(state, viewer, as_person).await?;
    let pool = state.db.pool();
    let missing = || AppError::NotFound("This group was not found.".into());
    let (is_all, rows) = db::group_members(pool, eyes.who.org_id, GroupId(group), state.now_ms(), &pos, PAGE_SIZE + 1).await?.ok_or_else(missing)?;
    let may_open = if eyes.who.kind == PersonKind::Guest {
        false
    } else if is_all {
        settings_db::settings_of(pool, eyes.who.org_id).await?.display_all_group
    } else {
        db::in_group(pool, GroupId(group), eyes.who.id).await?
    };
    if !may_open {
        return Err(missing());
    }
    Ok(page_of(rows, &pos, PAGE_SIZE, db::contact_key).map(contact))
}

/// A contact card: who they are and, for each feature used with someone, whether it is
/// available between the person and them, and why.
pub async fn card(state: &AppState, viewer: &Viewer, as_person: Option<i64>, id: i64) -> Result<ContactCard, AppError> {
    let eyes = eyes(state, viewer, as_person).await?;
    let (row, availability) = weigh(state, &eyes.who, id, &Feature::WITH_SOMEONE).await?;
    let contact = contact(ContactRow {
        id: row.id,
        first_name: row.first_name,
        last_name: row.last_name,
        kind: row.kind,
        department: row.department,
        department_id: row.department_id,
        avatar: row.avatar,
        sort_text: String::new(),
    });
    Ok(ContactCard { contact, features: availability })
}

/// May the viewer use `feature` (its key, e.g. "file_sharing") with person `with`, and
/// why. Another organization's person, an unknown id, and — for a guest — another guest
/// are "not found": a guest never learns that another guest exists.
pub async fn may_use(state: &AppState, viewer: &Viewer, feature: &str, with: i64) -> Result<Availability, AppError> {
    may_use_as(state, viewer, None, feature, with).await
}

/// [`may_use`] asked about person `as_person` (an admin's View as; the JSON API's
/// policy question for messenger clients): may they use `feature` with `with`, and why.
pub async fn may_use_as(state: &AppState, viewer: &Viewer, as_person: Option<i64>, feature: &str, with: i64) -> Result<Availability, AppError> {
    let feature = Feature::from_key(feature).ok_or_else(|| {
        let known: Vec<&str> = Feature::ALL.iter().map(|f| f.key()).collect();
        AppError::Invalid(format!("Unknown feature. Use one of: {}.", known.join(", ")))
    })?;
    let eyes = eyes(state, viewer, as_person).await?;
    let (_, mut answers) = weigh(state, &eyes.who, with, &[feature]).await?;
    Ok(answers.remove(0))
}

/// The person `with` as `who` may see them (removed and expired people included: the
/// policy says why they cannot be reached), and the policy's answer for each feature.
async fn weigh(state: &AppState, who: &Viewer, with: i64, features: &[Feature]) -> Result<(db::CardRow, Vec<Availability>), AppError> {
    let pool = state.db.pool();
    let other = db::card(pool, who.org_id, PersonId(with)).await?.ok_or_else(not_found)?;
    // Seeing a person does not depend on admin scope: everyone sees the organization's
    // members, and nobody but a member sees a guest other than themself.
    let relation = if other.id == who.id { Relation::Itself } else { Relation::OutOfScope };
    if !may_see_person(who, other.kind, relation) {
        return Err(not_found());
    }
    let me = db::card(pool, who.org_id, who.id).await?.ok_or_else(not_found)?;
    let now = state.now_ms();
    let profile = settings_db::settings_of(pool, who.org_id).await?.guest_profile;
    let (my_name, their_name) = (full_name(&me), full_name(&other));
    let a = Party { id: me.id.0, name: &my_name, kind: me.kind, standing: Standing::of(me.state, me.expires_at, now) };
    let b = Party { id: other.id.0, name: &their_name, kind: other.kind, standing: Standing::of(other.state, other.expires_at, now) };
    let answers = features.iter().map(|f| profile::availability(&a, &b, *f, &profile)).collect();
    Ok((other, answers))
}

fn full_name(p: &db::CardRow) -> String {
    crate::domain::people::full_name(&p.first_name, &p.last_name)
}

/// People an admin may view as, matching a search (from two characters): the whole
/// organization for a Company Admin, their scope for a Department Admin.
pub async fn view_as_candidates(state: &AppState, viewer: &Viewer, query: &str) -> Result<Vec<Contact>, AppError> {
    access::admin_only(viewer).map_err(|d| AppError::denied(d, PERSON_NOT_FOUND))?;
    let Some(prefixes) = search::query_prefixes(query) else { return Ok(Vec::new()) };
    let pool = state.db.pool();
    let seer = Seer { org: viewer.org_id, person: viewer.id, sees_guests: true };
    let scoped = viewer.role() != crate::domain::Role::CompanyAdmin;
    let rows = db::search(pool, seer, state.now_ms(), &prefixes, SEARCH_RESULTS, scoped).await?;
    Ok(rows.into_iter().map(contact).collect())
}

/// A person's avatar for the directory: anyone who may see them (live) may fetch it.
pub async fn avatar(state: &AppState, viewer: &Viewer, id: i64) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let seer = Seer { org: viewer.org_id, person: viewer.id, sees_guests: viewer.kind != PersonKind::Guest };
    Ok(db::avatar(state.db.pool(), seer, state.now_ms(), PersonId(id)).await?)
}
