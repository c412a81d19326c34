//! Groups and Departments (F-GUESTDEPT) on both backends: the department tree's changes
//! and refusals (Department Admins strictly below their departments, no cycles, unique
//! sibling names, only empty departments deleted and softly), Department Admins, moving
//! members (never a guest), groups and their members (never a guest, never All),
//! incorporating into a chosen department, the log of every change, and department
//! details that never list a guest.

use crate::common;

use app::domain::activity::Action;
use app::domain::{PersonId, Viewer};
use app::error::AppError;
use app::service::structure as st;
use common::{Org, TestApp};

fn refused(msg: &str) -> AppError {
    AppError::Refused(msg.to_string())
}

async fn logged(t: &TestApp, org: &Org, action: Action) -> Vec<String> {
    sqlx::query_scalar("SELECT details FROM activity WHERE org_id = $1 AND action = $2 ORDER BY id")
        .bind(org.id.0)
        .bind(action.key())
        .fetch_all(t.pool())
        .await
        .unwrap()
}

async fn department_of(t: &TestApp, p: PersonId) -> i64 {
    sqlx::query_scalar("SELECT department_id FROM people WHERE id = $1").bind(p.0).fetch_one(t.pool()).await.unwrap()
}

async fn parent_of(t: &TestApp, d: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT parent_id FROM departments WHERE id = $1").bind(d).fetch_one(t.pool()).await.unwrap()
}

async fn table_sizes(t: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in ["departments", "department_closure", "department_admins", "org_groups", "group_members", "activity"] {
        out.push(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(t.pool()).await.unwrap());
    }
    out.push(sqlx::query_scalar("SELECT COUNT(*) FROM departments WHERE removed_at IS NOT NULL").fetch_one(t.pool()).await.unwrap());
    out
}

struct World {
    org: Org,
    admin: Viewer,
    /// Manages Child.
    dana: Viewer,
    user: Viewer,
    guest: Viewer,
    mia: PersonId,
    grace: PersonId,
}

async fn world(t: &TestApp) -> World {
    let org = t.org("Acme").await;
    let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
    let uma = t.member(&org, "uma@acme.test", org.root, false).await;
    let mia = t.member(&org, "mia@acme.test", org.grandchild, false).await;
    let grace = t.guest(&org, "grace@partner.test", org.child, None).await;
    World { admin: t.viewer(org.admin).await, dana: t.viewer(dana).await, user: t.viewer(uma).await, guest: t.viewer(grace).await, org, mia, grace }
}

both_backends! {
    async fn company_admins_build_the_tree_and_every_change_is_logged(t) {
        let w = world(&t).await;
        let s = &t.state;
        let research = st::create_department(s, &w.admin, " Research ", None).await.unwrap();
        let lab = st::create_department(s, &w.admin, "Lab", Some(research)).await.unwrap();
        st::rename_department(s, &w.admin, lab, "Wet lab").await.unwrap();
        st::move_department(s, &w.admin, lab, Some(w.org.root.0)).await.unwrap();
        assert_eq!(parent_of(&t, lab).await, Some(w.org.root.0));
        st::move_department(s, &w.admin, lab, None).await.unwrap();
        assert_eq!(parent_of(&t, lab).await, None);
        st::delete_department(s, &w.admin, lab).await.unwrap();
        // Soft: the row stays with its name; it leaves the page and the choices.
        let name: String = sqlx::query_scalar("SELECT name FROM departments WHERE id = $1").bind(lab).fetch_one(t.pool()).await.unwrap();
        assert_eq!(name, "Wet lab");
        let page = st::page(s, &w.admin).await.unwrap();
        assert!(page.departments.iter().all(|d| d.id != lab));
        assert!(page.departments.iter().any(|d| d.id == research && d.name == "Research" && d.depth == 0));
        assert!(page.departments.iter().all(|d| d.name != "Guests"), "the Guests department is never listed");
        assert!(st::choices(s, &w.admin).await.unwrap().iter().all(|c| c.id != lab));
        // A deleted department is gone for every change.
        assert_eq!(st::rename_department(s, &w.admin, lab, "Back").await.unwrap_err(), AppError::NotFound("This department was not found.".into()));
        assert_eq!(logged(&t, &w.org, Action::DepartmentCreated).await, ["Research", "Lab"]);
        assert_eq!(logged(&t, &w.org, Action::DepartmentRenamed).await, ["Lab → Wet lab"]);
        assert_eq!(logged(&t, &w.org, Action::DepartmentMoved).await, ["Wet lab → under Root", "Wet lab → under the top"]);
        assert_eq!(logged(&t, &w.org, Action::DepartmentDeleted).await, ["Wet lab"]);
    }
}

both_backends! {
    async fn tree_refusals_change_nothing(t) {
        let w = world(&t).await;
        let s = &t.state;
        let o = &w.org;
        let guests_dept: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE org_id = $1 AND is_guests = 1").bind(o.id.0).fetch_one(t.pool()).await.unwrap();
        let bolt = t.org("Bolt").await;
        let before = table_sizes(&t).await;
        let cases: Vec<(AppError, AppError)> = vec![
            // Cycles.
            (st::move_department(s, &w.admin, o.root.0, Some(o.grandchild.0)).await.unwrap_err(),
             AppError::Invalid("A department cannot move under itself or one of its sub-departments.".into())),
            (st::move_department(s, &w.admin, o.child.0, Some(o.child.0)).await.unwrap_err(),
             AppError::Invalid("A department cannot move under itself or one of its sub-departments.".into())),
            // The Guests department.
            (st::rename_department(s, &w.admin, guests_dept, "Visitors").await.unwrap_err(),
             refused("The Guests department cannot be renamed, moved or deleted, and holds no other department.")),
            (st::delete_department(s, &w.admin, guests_dept).await.unwrap_err(),
             refused("The Guests department cannot be renamed, moved or deleted, and holds no other department.")),
            (st::create_department(s, &w.admin, "Inside", Some(guests_dept)).await.unwrap_err(),
             refused("The Guests department cannot be renamed, moved or deleted, and holds no other department.")),
            // Sibling names, case-insensitively; a top-level "Guests" too.
            (st::create_department(s, &w.admin, "child", Some(o.root.0)).await.unwrap_err(),
             AppError::Conflict("A department called “child” is already there: sibling departments have different names.".into())),
            (st::create_department(s, &w.admin, "GUESTS", None).await.unwrap_err(),
             AppError::Conflict("“Guests” is the special department that holds the guests: choose another name.".into())),
            (st::rename_department(s, &w.admin, o.other.0, "root").await.unwrap_err(),
             AppError::Conflict("A department called “root” is already there: sibling departments have different names.".into())),
            // Not empty: members, sub-departments, sponsored guests.
            (st::delete_department(s, &w.admin, o.child.0).await.unwrap_err(),
             AppError::Conflict("This department still has 1 member, 1 sub-department and 1 sponsored guest: only an empty department can be deleted.".into())),
            // Bad names.
            (st::create_department(s, &w.admin, "   ", None).await.unwrap_err(), AppError::Invalid("Department name cannot be empty.".into())),
            (st::create_department(s, &w.admin, &"x".repeat(121), None).await.unwrap_err(), AppError::Invalid("Department name has at most 120 characters.".into())),
            // Department Admin of Child: never Child itself, never outside, never the top.
            (st::rename_department(s, &w.dana, o.child.0, "Mine").await.unwrap_err(),
             refused("You manage this department: only a Company Admin may rename, move or delete it.")),
            (st::delete_department(s, &w.dana, o.child.0).await.unwrap_err(),
             refused("You manage this department: only a Company Admin may rename, move or delete it.")),
            (st::move_department(s, &w.dana, o.grandchild.0, None).await.unwrap_err(), refused("Only a Company Admin may add a top-level department.")),
            (st::move_department(s, &w.dana, o.grandchild.0, Some(o.other.0)).await.unwrap_err(), refused("A department stays within the departments you manage.")),
            (st::create_department(s, &w.dana, "Top", None).await.unwrap_err(), refused("Only a Company Admin may add a top-level department.")),
            (st::create_department(s, &w.dana, "Beside", Some(o.root.0)).await.unwrap_err(), AppError::NotFound("This department was not found.".into())),
            (st::rename_department(s, &w.dana, o.other.0, "Mine").await.unwrap_err(), AppError::NotFound("This department was not found.".into())),
            // Users and guests.
            (st::create_department(s, &w.user, "X", None).await.unwrap_err(), AppError::Forbidden),
            (st::page(s, &w.guest).await.unwrap_err(), AppError::Forbidden),
            // Another organization's departments.
            (st::rename_department(s, &w.admin, bolt.root.0, "Mine").await.unwrap_err(), AppError::NotFound("This department was not found.".into())),
            // Under another organization's department: unknown here, the request's fault (422).
            (st::move_department(s, &w.admin, o.other.0, Some(bolt.root.0)).await.unwrap_err(), AppError::Invalid("The department to move it under was not found.".into())),
            (st::department_details(s, &w.admin, bolt.root.0, None).await.unwrap_err(), AppError::NotFound("This department was not found.".into())),
            (st::department_details(s, &w.dana, o.root.0, None).await.unwrap_err(), AppError::NotFound("This department was not found.".into())),
        ];
        for (got, expected) in cases {
            assert_eq!(got, expected);
            assert!(got.status() < 500);
        }
        assert_eq!(table_sizes(&t).await, before, "a refusal changed nothing");
    }
}

both_backends! {
    async fn department_admins_work_strictly_below_their_departments(t) {
        let w = world(&t).await;
        let s = &t.state;
        let o = &w.org;
        let team = st::create_department(s, &w.dana, "Team", Some(o.child.0)).await.unwrap();
        let sub = st::create_department(s, &w.dana, "Sub", Some(o.grandchild.0)).await.unwrap();
        st::rename_department(s, &w.dana, team, "Squad").await.unwrap();
        st::move_department(s, &w.dana, sub, Some(team)).await.unwrap();
        assert_eq!(parent_of(&t, sub).await, Some(team));
        // Moving Squad under its own Sub is a cycle, for them too.
        assert_eq!(
            st::move_department(s, &w.dana, team, Some(sub)).await.unwrap_err(),
            AppError::Invalid("A department cannot move under itself or one of its sub-departments.".into())
        );
        st::delete_department(s, &w.dana, sub).await.unwrap();
        // Their page starts at Child, and only below it may they edit.
        let page = st::page(s, &w.dana).await.unwrap();
        let names: Vec<(&str, u32, bool)> = page.departments.iter().map(|d| (d.name.as_str(), d.depth, d.may_edit)).collect();
        assert_eq!(names, [("Child", 0, false), ("Grandchild", 1, true), ("Squad", 1, true)]);
        assert!(!page.company_admin);
        // Department details in their reach: admins and members, never a guest.
        let d = st::department_details(s, &w.admin, o.child.0, None).await.unwrap();
        assert_eq!(d.parent.as_deref(), Some("Root"));
        assert_eq!(d.admins.iter().map(|a| a.email.as_str()).collect::<Vec<_>>(), ["dana@acme.test"]);
        assert_eq!(d.member_count, 1);
        assert!(d.members.items.iter().all(|m| m.contact.id != w.grace.0));
        let gd = st::department_details(s, &w.dana, o.grandchild.0, None).await.unwrap();
        assert_eq!(gd.members.items.iter().map(|m| m.contact.id).collect::<Vec<_>>(), [w.mia.0]);
    }
}

both_backends! {
    async fn company_admins_assign_and_remove_department_admins(t) {
        let w = world(&t).await;
        let s = &t.state;
        let o = &w.org;
        st::assign_admin(s, &w.admin, o.other.0, w.user.id.0).await.unwrap();
        let olga = t.viewer(w.user.id).await;
        assert_eq!(olga.managed_departments, [o.other]);
        assert_eq!(st::assign_admin(s, &w.admin, o.other.0, w.user.id.0).await.unwrap_err(), AppError::Conflict("This person already administers this department.".into()));
        assert_eq!(st::assign_admin(s, &w.dana, o.grandchild.0, w.mia.0).await.unwrap_err(), AppError::Forbidden);
        assert_eq!(st::assign_admin(s, &w.admin, o.other.0, w.grace.0).await.unwrap_err(), refused("Guests cannot administer departments."));
        st::remove_admin(s, &w.admin, o.other.0, w.user.id.0).await.unwrap();
        assert!(t.viewer(w.user.id).await.managed_departments.is_empty());
        assert_eq!(st::remove_admin(s, &w.admin, o.other.0, w.user.id.0).await.unwrap_err(), AppError::Conflict("This person does not administer this department.".into()));
        assert_eq!(logged(&t, o, Action::DepartmentAdminAssigned).await, ["Mem uma — Other"]);
        assert_eq!(logged(&t, o, Action::DepartmentAdminRemoved).await, ["Mem uma — Other"]);
    }
}

both_backends! {
    async fn members_move_between_departments_in_scope_and_guests_never(t) {
        let w = world(&t).await;
        let s = &t.state;
        let o = &w.org;
        st::move_person(s, &w.dana, w.mia.0, o.child.0).await.unwrap();
        assert_eq!(department_of(&t, w.mia).await, o.child.0);
        st::move_person(s, &w.admin, w.mia.0, o.other.0).await.unwrap();
        assert_eq!(department_of(&t, w.mia).await, o.other.0);
        let before = table_sizes(&t).await;
        let guests_before = department_of(&t, w.grace).await;
        let cases = [
            (st::move_person(s, &w.admin, w.grace.0, o.root.0).await.unwrap_err(), refused("Guests stay in the Guests department.")),
            (st::move_person(s, &w.dana, w.grace.0, o.grandchild.0).await.unwrap_err(), refused("Guests stay in the Guests department.")),
            // Mia is now outside Dana's departments; Uma is in Root.
            (st::move_person(s, &w.dana, w.mia.0, o.child.0).await.unwrap_err(), AppError::NotFound("This person was not found.".into())),
            (st::move_person(s, &w.dana, w.dana.id.0, o.root.0).await.unwrap_err(), refused("A department stays within the departments you manage.")),
            (st::move_person(s, &w.admin, w.mia.0, 999_999).await.unwrap_err(), AppError::NotFound("This department was not found.".into())),
            (st::move_person(s, &w.user, w.mia.0, o.root.0).await.unwrap_err(), AppError::Forbidden),
            (st::move_person(s, &w.guest, w.mia.0, o.root.0).await.unwrap_err(), AppError::Forbidden),
        ];
        for (got, expected) in cases {
            assert_eq!(got, expected);
        }
        assert_eq!(department_of(&t, w.grace).await, guests_before);
        assert_eq!(table_sizes(&t).await, before);
        assert_eq!(logged(&t, o, Action::PersonMoved).await, ["Mem mia → Child", "Mem mia → Other"]);
    }
}

both_backends! {
    async fn groups_hold_members_never_guests_and_all_is_never_edited(t) {
        let w = world(&t).await;
        let s = &t.state;
        let o = &w.org;
        let all: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE org_id = $1 AND is_all = 1").bind(o.id.0).fetch_one(t.pool()).await.unwrap();
        let g = st::create_group(s, &w.admin, "Reviewers").await.unwrap();
        assert_eq!(st::create_group(s, &w.admin, "reviewers").await.unwrap_err(), AppError::Conflict("A group called “reviewers” already exists.".into()));
        assert_eq!(st::create_group(s, &w.admin, "all").await.unwrap_err(), AppError::Conflict("A group called “all” already exists.".into()));
        assert_eq!(st::create_group(s, &w.dana, "Mine").await.unwrap_err(), AppError::Forbidden);
        // Dana adds the members of her departments; the Company Admin anyone.
        assert_eq!(st::add_group_members(s, &w.dana, g, &[w.mia.0, w.mia.0]).await.unwrap(), 1);
        assert_eq!(st::add_group_members(s, &w.admin, g, &[w.mia.0, w.user.id.0]).await.unwrap(), 1);
        let before = table_sizes(&t).await;
        let cases = [
            (st::add_group_members(s, &w.admin, g, &[w.grace.0]).await.unwrap_err(), refused("Guests cannot be added to groups.")),
            // All or nothing: a member and a guest together add nobody.
            (st::add_group_members(s, &w.admin, g, &[w.dana.id.0, w.grace.0]).await.unwrap_err(), refused("Guests cannot be added to groups.")),
            (st::add_group_members(s, &w.dana, g, &[w.user.id.0]).await.unwrap_err(), AppError::NotFound("This person was not found.".into())),
            (st::add_group_members(s, &w.admin, all, &[w.mia.0]).await.unwrap_err(), refused("The group All holds every member automatically and cannot be edited.")),
            (st::add_group_members(s, &w.admin, g, &[]).await.unwrap_err(), AppError::Invalid("Choose at least one person to add.".into())),
            (st::add_group_members(s, &w.admin, g, &(1..=101).collect::<Vec<_>>()).await.unwrap_err(), AppError::Invalid("Add at most 100 people at a time.".into())),
            (st::add_group_members(s, &w.admin, 999_999, &[w.mia.0]).await.unwrap_err(), AppError::NotFound("This group was not found.".into())),
            (st::rename_group(s, &w.admin, all, "Everyone").await.unwrap_err(), refused("The group All holds every member automatically and cannot be edited.")),
            (st::delete_group(s, &w.admin, all).await.unwrap_err(), refused("The group All holds every member automatically and cannot be edited.")),
            (st::remove_group_member(s, &w.admin, all, w.mia.0).await.unwrap_err(), refused("The group All holds every member automatically and cannot be edited.")),
            (st::remove_group_member(s, &w.dana, g, w.user.id.0).await.unwrap_err(), AppError::NotFound("This person was not found.".into())),
            (st::rename_group(s, &w.dana, g, "Mine").await.unwrap_err(), AppError::Forbidden),
            (st::add_group_members(s, &w.user, g, &[w.mia.0]).await.unwrap_err(), AppError::Forbidden),
            (st::add_group_members(s, &w.guest, g, &[w.mia.0]).await.unwrap_err(), AppError::Forbidden),
        ];
        for (got, expected) in cases {
            assert_eq!(got, expected);
        }
        assert_eq!(table_sizes(&t).await, before, "a refusal changed nothing");
        // Details: both members, Dana may take out only hers.
        let d = st::group_details(s, &w.dana, g, None).await.unwrap();
        assert_eq!(d.member_count, 2);
        let may: Vec<(i64, bool)> = d.members.items.iter().map(|m| (m.contact.id, m.may_change)).collect();
        assert!(may.contains(&(w.mia.0, true)) && may.contains(&(w.user.id.0, false)), "{may:?}");
        // All lists every live member, never a guest.
        let all_d = st::group_details(s, &w.admin, all, None).await.unwrap();
        assert!(all_d.is_all && all_d.members.items.iter().all(|m| m.contact.id != w.grace.0));
        assert_eq!(all_d.member_count, 4);
        // The picker never offers a guest; Dana's only her members.
        assert!(st::member_candidates(s, &w.admin, "grace").await.unwrap().is_empty());
        assert_eq!(st::member_candidates(s, &w.admin, "mem").await.unwrap().len(), 4);
        assert_eq!(st::member_candidates(s, &w.dana, "mem").await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), [w.mia.0]);
        st::remove_group_member(s, &w.dana, g, w.mia.0).await.unwrap();
        st::rename_group(s, &w.admin, g, "Readers").await.unwrap();
        st::delete_group(s, &w.admin, g).await.unwrap();
        assert!(st::page(s, &w.admin).await.unwrap().groups.iter().all(|x| x.id != g));
        assert_eq!(st::group_details(s, &w.admin, g, None).await.unwrap_err(), AppError::NotFound("This group was not found.".into()));
        assert_eq!(logged(&t, o, Action::GroupCreated).await, ["Reviewers"]);
        assert_eq!(logged(&t, o, Action::GroupMemberAdded).await, ["Mem mia — Reviewers", "Mem uma — Reviewers"]);
        assert_eq!(logged(&t, o, Action::GroupMemberRemoved).await, ["Mem mia — Reviewers"]);
        assert_eq!(logged(&t, o, Action::GroupRenamed).await, ["Reviewers → Readers"]);
        assert_eq!(logged(&t, o, Action::GroupDeleted).await, ["Readers"]);
    }
}

both_backends! {
    async fn incorporating_moves_the_guest_into_the_chosen_department_and_all(t) {
        let w = world(&t).await;
        let s = &t.state;
        let o = &w.org;
        let gus = t.guest(o, "gus@partner.test", o.child, None).await;
        // Dana may choose only her departments; never the Guests department.
        assert_eq!(
            app::service::guests::incorporate_into(s, &w.dana, &[w.grace.0], Some(o.other.0)).await.unwrap_err(),
            AppError::NotFound("This department was not found.".into())
        );
        let guests_dept: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE org_id = $1 AND is_guests = 1").bind(o.id.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(
            app::service::guests::incorporate_into(s, &w.admin, &[w.grace.0], Some(guests_dept)).await.unwrap_err(),
            refused("The Guests department cannot be renamed, moved or deleted, and holds no other department.")
        );
        app::service::guests::incorporate_into(s, &w.dana, &[w.grace.0], Some(o.grandchild.0)).await.unwrap();
        assert_eq!(department_of(&t, w.grace).await, o.grandchild.0);
        // Without a choice: the sponsor department.
        app::service::guests::incorporate_into(s, &w.admin, &[gus.0], None).await.unwrap();
        assert_eq!(department_of(&t, gus).await, o.child.0);
        let all: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE org_id = $1 AND is_all = 1").bind(o.id.0).fetch_one(t.pool()).await.unwrap();
        let all_d = st::group_details(s, &w.admin, all, None).await.unwrap();
        assert!(all_d.members.items.iter().any(|m| m.contact.id == w.grace.0));
        let gd = st::department_details(s, &w.admin, o.grandchild.0, None).await.unwrap();
        assert!(gd.members.items.iter().any(|m| m.contact.id == w.grace.0));
    }
}

both_backends! {
    async fn a_deleted_department_leaves_every_scope_and_takes_no_one_new(t) {
        use app::data::invitations::{self as inv, NewInvitation};
        use app::domain::{Permission, PersonKind};
        let w = world(&t).await;
        let s = &t.state;
        let o = &w.org;
        let temp = st::create_department(s, &w.admin, "Temp", Some(o.child.0)).await.unwrap();
        let now = t.now_ms();
        let mut tx = t.db().begin_org_write(o.id).await.unwrap();
        let token = "d".repeat(64);
        let invitation = inv::insert(&mut tx, NewInvitation {
            org: o.id,
            email: "late@partner.test",
            kind: PersonKind::Guest,
            project: Some(o.project),
            permission: Some(Permission::Edit),
            department: app::domain::DeptId(temp),
            inviter: o.admin,
            token_hash: &app::service::invitations::token::hash_token(&token),
            expiry_period: None,
            now: now - 120_000,
            validity_ends_at: now + app::domain::invite::INVITATION_VALIDITY_MS,
        }).await.unwrap();
        tx.commit().await.unwrap();
        // A pending invitation keeps the department; once lapsed, it does not.
        assert_eq!(
            st::delete_department(s, &w.admin, temp).await.unwrap_err(),
            AppError::Conflict("This department still has 1 pending invitation: only an empty department can be deleted.".into())
        );
        sqlx::query("UPDATE invitations SET state = 'lapsed' WHERE id = $1").bind(invitation.0).execute(t.pool()).await.unwrap();
        st::delete_department(s, &w.admin, temp).await.unwrap();
        let mut conn = t.pool().acquire().await.unwrap();
        assert!(!app::data::people::manages(&mut conn, w.dana.id, app::domain::DeptId(temp)).await.unwrap(), "out of Dana's scope");
        drop(conn);
        assert_eq!(
            app::service::invitations::sending::resend(s, &w.admin, invitation.0).await.unwrap_err(),
            AppError::Conflict("The department of this invitation was deleted: send a new invitation instead.".into())
        );
        assert_eq!(
            st::move_person(s, &w.admin, w.mia.0, temp).await.unwrap_err(),
            AppError::NotFound("This department was not found.".into())
        );
    }
}
