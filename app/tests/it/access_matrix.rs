//! The guard: every door of the server — every registered server function, every axum
//! route of `http::extra_routes`, every page — tried by every kind of caller through the
//! real router, on both backends.
//!
//! - The expected answer of each (door, caller) is written in [`DOORS`]; a registered
//!   server function or route without a row fails the suite, and so does a row for a
//!   door that no longer exists.
//! - Every relation has canary people (and a canary invitation and project) whose unique
//!   names and emails must never appear in a 2xx answer of a caller who may not see
//!   them: a status code alone would not catch a list that shows too much.
//! - A second test posts malformed, wrong-typed, overflowing and oversized arguments to
//!   every registered server function and checks for a 4xx with a plain message and
//!   that no table changed.

use crate::common;

use app::data::invitations as inv;
use app::data::{orgs, people, WriteTx};
use app::domain::messages::ConversationKind;
use app::domain::{ConversationId, DeptId, GroupId, MessageId, Permission, PersonId, ProjectId};
use common::web::{self, enc, Reply};
use common::{Org, TestApp, PASSWORD};
use http::{header, Method, StatusCode};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The callers, in the order of the expectation strings of [`DOORS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    GuestReadOnly,
    GuestEdit,
    User,
    AuthorizedUser,
    DeptAdminInScope,
    DeptAdminOutOfScope,
    CompanyAdmin,
    OtherOrgAdmin,
}

const CALLERS: [Caller; 9] = [
    Caller::Anonymous,
    Caller::GuestReadOnly,
    Caller::GuestEdit,
    Caller::User,
    Caller::AuthorizedUser,
    Caller::DeptAdminInScope,
    Caller::DeptAdminOutOfScope,
    Caller::CompanyAdmin,
    Caller::OtherOrgAdmin,
];

/// Canary strings: each is in the names or email of people (or a project, an
/// invitation) of one relation.
const ORG_B: &str = "canaryorgb";
const OUT_OF_SCOPE: &str = "canaryoutscope";
const OTHER_PROJECT: &str = "canaryothproj";
const INVITATION: &str = "canaryinvite";
const CANARIES: [&str; 4] = [ORG_B, OUT_OF_SCOPE, OTHER_PROJECT, INVITATION];

impl Caller {
    /// The canaries this caller may see in the directory: a member every guest of their
    /// organization, a guest none (the canaries are guests, an invitation, and
    /// organization B's people).
    fn may_see_in_directory(self, canary: &str) -> bool {
        match self {
            Caller::Anonymous | Caller::GuestReadOnly | Caller::GuestEdit => false,
            Caller::OtherOrgAdmin => canary == ORG_B,
            _ => canary == OUT_OF_SCOPE || canary == OTHER_PROJECT,
        }
    }

    /// The canaries this caller may see.
    fn may_see(self, canary: &str) -> bool {
        match self {
            Caller::Anonymous | Caller::GuestReadOnly | Caller::GuestEdit => false,
            // Members of project P see its guests, the out-of-scope one included.
            Caller::User | Caller::AuthorizedUser => canary == OUT_OF_SCOPE,
            // Dana manages Child: the other project's guest is hers, nothing of Other.
            Caller::DeptAdminInScope => canary == OTHER_PROJECT,
            // Olga manages Other.
            Caller::DeptAdminOutOfScope => canary == OUT_OF_SCOPE || canary == INVITATION,
            Caller::CompanyAdmin => canary != ORG_B,
            Caller::OtherOrgAdmin => canary == ORG_B,
        }
    }
}

/// How a server function takes its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Enc {
    Form,
    Json,
}

/// An argument's type, for the malformed-argument test.
#[derive(Clone, Copy, Debug)]
enum Ty {
    Int,
    Bool,
    Str,
    /// A string that may be left out (`#[server(default)]`).
    OptStr,
    /// A whole number that may be left out.
    OptInt,
    /// An enum, with one valid variant.
    Enum(&'static str),
    Ints,
    /// A JSON object, with a valid sample.
    Obj(&'static str),
}

/// One door: its path, how it is called, its arguments, and what each caller gets, one
/// character per caller in [`CALLERS`] order:
/// `o` 2xx or a 3xx that is not to the sign-in page, `O` 2xx or any 3xx, `1` 401,
/// `3` 403, `4` 404, `L` a redirect to the sign-in page.
struct Door {
    path: &'static str,
    /// A second row of the same door with other targets (e.g. another project).
    case: &'static str,
    enc: Enc,
    args: &'static [(&'static str, Ty)],
    expect: &'static str,
    /// The caller's session does not survive this door (it signs someone in or out).
    ends_session: bool,
    /// A door of the directory (F-CONTACTS): a member sees every live person of their
    /// organization, guests included; a guest sees members only (see
    /// [`Caller::may_see_in_directory`]).
    directory: bool,
}

const fn door(path: &'static str, enc: Enc, args: &'static [(&'static str, Ty)], expect: &'static str) -> Door {
    Door { path, case: "", enc, args, expect, ends_session: false, directory: false }
}

const INVITE_INPUT: &str = r#"{"emails":"x@y.test","role":"Guest","project":1,"permission":"ReadOnly","department":null,"expiry":"Never"}"#;
const REPORT_QUERY: &str = r#"{"month":"","filters":{"action":"","actor":"","guest":"","text":""}}"#;
const INVENTORY_QUERY: &str = r#"{"sort":"name","dir":"asc","filters":{"state":"","never":"","idle":"","expiring":"","pending_older":"","lapsing":"","department":"","inviter":""}}"#;
const TOKEN_INPUT: &str = r#"{"name":"CI","scopes":["read_guests"],"days":30}"#;
const SETTINGS: &str = r#"{"invitations_enabled":true,"invite_policy":"Selected","guests_per_member":1000,"display_all_group":true,"receive_activity_report":true,"guest_profile":{"messaging":true,"file_sharing":true,"audio_calls":false,"video_calls":false,"screen_sharing":false,"channel_creation":false}}"#;

use Enc::{Form, Json};
use Ty::*;

/// Server functions by endpoint (without `/api/`), then the axum routes by method and path.
const DOORS: &[Door] = &[
    Door { ends_session: true, ..door("sign_in", Form, &[("email", Str), ("password", Str)], "ooooooooo") },
    Door { ends_session: true, ..door("sign_out", Form, &[], "1OOOOOOOO") },
    door("current_user", Form, &[], "1oooooooo"),
    door("preview_reminder_choice", Form, &[("id", Int), ("choice", Enum("Extend"))], "1334oo4o4"),
    door("confirm_reminder_choice", Form, &[("id", Int), ("choice", Enum("LetExpire"))], "1334oo4o4"),
    door("my_projects", Form, &[], "1oooooooo"),
    door("create_project", Form, &[("name", Str), ("description", Str)], "13333oooo"),
    door("update_project", Form, &[("id", Int), ("name", Str), ("description", Str), ("archived", Bool)], "13333ooo4"),
    door("project_page", Form, &[("id", Int)], "1ooooooo4"),
    // A project none of the guests and users is in: only admins reach it.
    Door { case: "other project", ..door("project_page", Form, &[("id", Int)], "14444ooo4") },
    door("add_task", Form, &[("project", Int), ("title", Str)], "13oooooo4"),
    Door { case: "other project", ..door("add_task", Form, &[("project", Int), ("title", Str)], "14444ooo4") },
    door("set_task_done", Form, &[("project", Int), ("task", Int), ("done", Bool)], "13oooooo4"),
    // A task of another project, through project P: not found for anyone who may edit P.
    Door { case: "task of another project", ..door("set_task_done", Form, &[("project", Int), ("task", Int), ("done", Bool)], "134444444") },
    door("remove_from_project", Form, &[("guest", Int)], "13333o4o4"),
    door("add_to_project", Form, &[("guest", Int), ("project", Int), ("permission", Enum("Edit"))], "13333o4o4"),
    door("dashboard_counts", Form, &[], "13333oooo"),
    door("list_users", Form, &[("include_guests", Bool), ("cursor", OptStr)], "13333oooo"),
    door("get_settings", Form, &[], "1333333oo"),
    door("save_settings", Json, &[("settings", Obj(SETTINGS))], "1333333oo"),
    door("set_invite_authorization", Form, &[("person", Int), ("authorized", Bool)], "1333333o4"),
    door("list_guests", Form, &[("cursor", OptStr), ("sort", Enum("FirstName")), ("dir", Enum("Asc"))], "13333oooo"),
    door("search_guests", Form, &[("query", Str)], "13333oooo"),
    door("get_guest", Form, &[("id", Int)], "13333o4o4"),
    door("incorporate_guests", Json, &[("ids", Ints), ("department", OptInt)], "13333o4o4"),
    door("delete_guests", Json, &[("ids", Ints)], "13333o4o4"),
    door("rename_guest", Form, &[("id", Int), ("first_name", Str), ("last_name", Str)], "13333o4o4"),
    door("set_guest_expiry", Json, &[("ids", Ints), ("period", Enum("OneMonth"))], "1334oo4o4"),
    door("invite_options", Form, &[], "133oooooo"),
    // The home page's own guests and pending invitations: any member, their own only.
    door("my_guests", Form, &[], "133oooooo"),
    door("send_invitations", Json, &[("input", Obj(INVITE_INPUT))], "1333oooo4"),
    door("list_invitations", Form, &[("cursor", OptStr)], "133oooooo"),
    door("resend_invitation", Form, &[("id", Int)], "13344o4o4"),
    door("revoke_invitation", Form, &[("id", Int)], "13344o4o4"),
    door("invitation_info", Form, &[("token", Str)], "ooooooooo"),
    Door {
        ends_session: true,
        ..door("accept_invitation", Form, &[("token", Str), ("first_name", Str), ("last_name", Str), ("password", Str), ("mobile", Str)], "ooooooooo")
    },
    door("outbox", Form, &[("cursor", OptStr)], "1333333oo"),
    // The Guest Profile's policy about a member of A, then about a guest of A (another
    // guest never learns that one exists).
    door("may_use", Form, &[("feature", Str), ("with", Int)], "1ooooooo4"),
    Door { case: "about a guest", ..door("may_use", Form, &[("feature", Str), ("with", Int)], "144ooooo4") },
    // The directory as the caller sees it, then View as Grace (a guest sponsored by
    // Child): admins in scope only.
    Door { directory: true, ..door("load_directory", Form, &[("as_person", OptInt), ("cursor", OptStr)], "1oooooooo") },
    Door { directory: true, case: "as a guest", ..door("load_directory", Form, &[("as_person", OptInt), ("cursor", OptStr)], "13333o4o4") },
    Door { directory: true, ..door("search_contacts", Form, &[("as_person", OptInt), ("query", Str)], "1oooooooo") },
    // Root of A's members: everyone of A; organization B does not know it.
    Door { directory: true, ..door("department_members", Form, &[("as_person", OptInt), ("id", Int), ("cursor", OptStr)], "1ooooooo4") },
    // The All group: never for a guest.
    Door { directory: true, ..door("group_members", Form, &[("as_person", OptInt), ("id", Int), ("cursor", OptStr)], "144ooooo4") },
    Door { directory: true, ..door("get_contact_card", Form, &[("as_person", OptInt), ("id", Int)], "1ooooooo4") },
    Door { directory: true, case: "of a guest", ..door("get_contact_card", Form, &[("as_person", OptInt), ("id", Int)], "144ooooo4") },
    door("view_as_candidates", Form, &[("query", Str)], "13333oooo"),
    // Groups and Departments: Dana manages Child, Olga manages Other. Departments
    // changed are fresh ones below Child; people moved or added are fresh members of
    // Child; the group is A's "Reviewers".
    door("load_structure", Form, &[], "13333oooo"),
    door("load_department", Form, &[("id", Int), ("cursor", OptStr)], "13333o4o4"),
    door("create_department", Form, &[("name", Str), ("parent", OptInt)], "13333o4o4"),
    door("rename_department", Form, &[("id", Int), ("name", Str)], "13333o4o4"),
    door("move_department", Form, &[("id", Int), ("parent", OptInt)], "13333o4o4"),
    door("delete_department", Form, &[("id", Int)], "13333o4o4"),
    door("assign_department_admin", Form, &[("department", Int), ("person", Int)], "1333333o4"),
    door("remove_department_admin", Form, &[("department", Int), ("person", Int)], "1333333o4"),
    door("move_to_department", Form, &[("person", Int), ("department", Int)], "13333o4o4"),
    door("load_group", Form, &[("id", Int), ("cursor", OptStr)], "13333ooo4"),
    door("create_group", Form, &[("name", Str)], "1333333oo"),
    door("rename_group", Form, &[("id", Int), ("name", Str)], "1333333o4"),
    door("delete_group", Form, &[("id", Int)], "1333333o4"),
    door("add_group_members", Json, &[("group", Int), ("people", Ints)], "13333o4o4"),
    door("remove_group_member", Form, &[("group", Int), ("person", Int)], "13333o4o4"),
    door("member_candidates", Form, &[("query", Str)], "13333oooo"),
    // Messages and channels: a direct conversation of Grace and Uma (with a file), the
    // Root department's channel (Paul, Uma and the Company Admin are in Root), a fresh
    // channel of Uma with Paul and Grace. Guests may message and share files here but
    // not create channels.
    door("load_conversations", Form, &[("cursor", OptStr)], "1oooooooo"),
    door("load_conversation", Form, &[("id", Int), ("cursor", OptStr)], "1o44o4444"),
    Door { case: "department channel", ..door("load_conversation", Form, &[("id", Int), ("cursor", OptStr)], "144oo44o4") },
    door("newer_messages", Form, &[("id", Int), ("cursor", OptStr)], "1o44o4444"),
    door("send_message", Form, &[("id", Int), ("text", Str)], "1o44o4444"),
    Door { case: "department channel", ..door("send_message", Form, &[("id", Int), ("text", Str)], "144oo44o4") },
    // With a fresh member of A, then with a guest (whom another guest never finds).
    door("open_conversation", Form, &[("with", Int)], "1ooooooo4"),
    Door { case: "with a guest", ..door("open_conversation", Form, &[("with", Int)], "144ooooo4") },
    door("create_channel", Json, &[("name", Str), ("people", Ints)], "133ooooo4"),
    door("add_to_channel", Json, &[("id", Int), ("people", Ints)], "134oo4444"),
    // The Activity Report: admins, a Department Admin's entries by their departments.
    door("load_report", Json, &[("query", Obj(REPORT_QUERY))], "13333oooo"),
    // The guest inventory: admins, a Department Admin's the guests and invitations their departments sponsor.
    door("load_inventory", Json, &[("query", Obj(INVENTORY_QUERY))], "13333oooo"),
    door("inventory_inviters", Form, &[], "13333oooo"),
    // Settings → API tokens: admins; a Department Admin sees and revokes only their own
    // tokens (the one revoked here is the Company Admin's).
    door("api_tokens", Form, &[], "13333oooo"),
    door("create_api_token", Json, &[("input", Obj(TOKEN_INPUT))], "13333oooo"),
    door("revoke_api_token", Form, &[("id", Int)], "1333344o4"),
    // axum routes: "METHOD path".
    door("POST /guests/{id}/avatar", Form, &[], "L3333o4o4"),
    // An admin in scope, or anyone whose directory shows the (live) guest: never another guest.
    door("GET /avatars/{id}", Form, &[], "144ooooo4"),
    door("POST /conversations/{id}/files", Form, &[], "1o44o4444"),
    door("GET /files/{id}", Form, &[], "1o44o4444"),
    door("GET /activity.csv", Form, &[], "13333oooo"),
    door("GET /guests/inventory.csv", Form, &[], "13333oooo"),
    // A mail of A's outbox with the monthly report's CSV attached.
    door("GET /outbox/{id}/attachment", Form, &[], "1333333o4"),
];

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

/// Two organizations with everyone the matrix needs.
struct World {
    a: Org,
    b: Org,
    dana: PersonId,
    olga: PersonId,
    uma: PersonId,
    paul: PersonId,
    grace: PersonId,
    gus: PersonId,
    /// A guest of project P sponsored by Child, invited by Uma: a fixed target.
    target: PersonId,
    /// A second project of A that only admins reach.
    p2: ProjectId,
    task: i64,
    /// A task of project P2.
    p2_task: i64,
    /// A group of A ("Reviewers").
    group: GroupId,
    /// Grace and Uma's direct conversation, and its message with a file.
    direct: ConversationId,
    file_message: MessageId,
    /// The Root department's channel.
    root_channel: ConversationId,
    seq: AtomicUsize,
}

async fn write(t: &TestApp, org: &Org) -> WriteTx {
    t.db().begin_org_write(org.id).await.unwrap()
}

impl World {
    async fn build(t: &TestApp) -> World {
        let a = t.org("Acme").await;
        let b = t.org("Bolt").await;
        let dana = t.dept_admin(&a, "dana@acme.test", a.child).await;
        let olga = t.dept_admin(&a, "olga@acme.test", a.other).await;
        let uma = t.member(&a, "uma@acme.test", a.root, false).await;
        let paul = t.member(&a, "paul@acme.test", a.root, false).await;
        let now = t.now_ms();
        let mut tx = write(t, &a).await;
        people::add_project_member(&mut tx, a.project, uma, Permission::Edit).await.unwrap();
        people::add_project_member(&mut tx, a.project, paul, Permission::Edit).await.unwrap();
        inv::set_authorized(&mut tx, a.id, uma, true, a.admin, now).await.unwrap();
        let settings: app::domain::invite::OrgSettings = serde_json::from_str(SETTINGS).unwrap();
        inv::save_settings(&mut tx, a.id, &settings, a.admin, now).await.unwrap();
        let p2 = orgs::create_project(&mut tx, a.id, "Hermes", "", now).await.unwrap();
        let task = app::data::projects::add_task(&mut tx, a.project, "Kick-off", a.admin, now).await.unwrap();
        let p2_task = app::data::projects::add_task(&mut tx, p2, "Secret plan", a.admin, now).await.unwrap();
        let group = orgs::create_group(&mut tx, a.id, "Reviewers").await.unwrap();
        tx.commit().await.unwrap();
        let grace = t.guest(&a, "grace@partner.test", a.child, None).await;
        let gus = t.guest(&a, "gus@partner.test", a.grandchild, None).await;
        sqlx::query("UPDATE people SET permission = 'read_only' WHERE id = $1").bind(grace.0).execute(t.pool()).await.unwrap();

        // Canaries.
        t.guest(&a, &format!("{OUT_OF_SCOPE}@x.test"), a.other, None).await;
        let p2_guest = t.guest(&a, &format!("{OTHER_PROJECT}@x.test"), a.child, None).await;
        sqlx::query("UPDATE people SET project_id = $1 WHERE id = $2").bind(p2.0).bind(p2_guest.0).execute(t.pool()).await.unwrap();
        t.member(&b, &format!("{ORG_B}-member@bolt.test"), b.root, false).await;
        t.guest(&b, &format!("{ORG_B}-guest@x.test"), b.root, None).await;
        let mut tx = write(t, &b).await;
        orgs::create_project(&mut tx, b.id, &format!("{ORG_B} project"), "", now).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = write(t, &a).await;
        common::insert_invitation(&mut tx, &a, &format!("{INVITATION}@x.test"), a.other, a.admin, now, "c".repeat(64).as_str()).await;
        tx.commit().await.unwrap();

        let mut tx = write(t, &a).await;
        let key = app::domain::messages::direct_key(grace.0, uma.0);
        let direct = app::data::messages::create(&mut tx, a.id, ConversationKind::Direct, None, Some(&key), grace, &[grace, uma], now).await.unwrap();
        let file = app::data::messages::NewFile { name: "notes.txt", content_type: "text/plain; charset=utf-8", bytes: b"hello" };
        let (file_message, _) = app::data::messages::post(&mut tx, direct, grace, now, "", Some(file)).await.unwrap();
        tx.commit().await.unwrap();
        let root_channel = app::data::messages::department_channel(t.pool(), a.root).await.unwrap().unwrap();

        let w = World { a, b, dana, olga, uma, paul, grace, gus, target: PersonId(0), p2, task, p2_task, group, direct, file_message, root_channel, seq: AtomicUsize::new(0) };
        let target = w.fresh_guest(t).await;
        World { target, ..w }
    }

    fn next(&self) -> usize {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    fn email_of(&self, c: Caller) -> Option<String> {
        Some(match c {
            Caller::Anonymous => return None,
            Caller::GuestReadOnly => "grace@partner.test".into(),
            Caller::GuestEdit => "gus@partner.test".into(),
            Caller::User => "paul@acme.test".into(),
            Caller::AuthorizedUser => "uma@acme.test".into(),
            Caller::DeptAdminInScope => "dana@acme.test".into(),
            Caller::DeptAdminOutOfScope => "olga@acme.test".into(),
            Caller::CompanyAdmin => self.a.admin_email.clone(),
            Caller::OtherOrgAdmin => self.b.admin_email.clone(),
        })
    }

    /// A new guest of project P, sponsored by Child, invited by Uma, leaving in a month
    /// with the period known (so Extend and Let expire apply).
    async fn fresh_guest(&self, t: &TestApp) -> PersonId {
        let n = self.next();
        let id = t.guest(&self.a, &format!("target{n}@partner.test"), self.a.child, Some(t.now_ms() + 30 * 86_400_000)).await;
        sqlx::query("UPDATE people SET invited_by = $1, expiry_period = '1m' WHERE id = $2")
            .bind(self.uma.0)
            .bind(id.0)
            .execute(t.pool())
            .await
            .unwrap();
        id
    }

    /// A new member of Child.
    async fn fresh_member(&self, t: &TestApp) -> PersonId {
        let n = self.next();
        t.member(&self.a, &format!("member{n}@acme.test"), self.a.child, false).await
    }

    /// A new empty department below Child.
    async fn fresh_department(&self, t: &TestApp) -> DeptId {
        let n = self.next();
        let mut tx = write(t, &self.a).await;
        let d = orgs::create_department(&mut tx, self.a.id, Some(self.a.child), &format!("Unit {n}")).await.unwrap();
        tx.commit().await.unwrap();
        d
    }

    /// A pending invitation by the Company Admin, sponsored by Child, sent two minutes ago
    /// (so it may be resent); returns its id and token.
    async fn fresh_invitation(&self, t: &TestApp) -> (i64, String) {
        let n = self.next();
        let token = format!("{n:064x}");
        let mut tx = write(t, &self.a).await;
        let id = common::insert_invitation(&mut tx, &self.a, &format!("invitee{n}@partner.test"), self.a.child, self.a.admin, t.now_ms() - 120_000, &token).await;
        tx.commit().await.unwrap();
        (id, token)
    }
}

/// Calls one door as one caller, with arguments that would succeed for a caller who is
/// allowed (fresh targets for doors that change them).
async fn call(t: &TestApp, app: &axum::Router, w: &World, door: &Door, cookie: Option<&str>) -> Reply {
    let a = &w.a;
    let body: String = match (door.path, door.case) {
        ("project_page", "other project") => format!("id={}", w.p2.0),
        ("add_task", "other project") => format!("project={}&title=Review", w.p2.0),
        ("may_use", "about a guest") => format!("feature=file_sharing&with={}", w.target.0),
        ("load_directory", "as a guest") => format!("as_person={}", w.grace.0),
        ("get_contact_card", "of a guest") => format!("id={}", w.target.0),
        ("load_conversation", "department channel") => format!("id={}", w.root_channel.0),
        ("send_message", "department channel") => format!("id={}&text=Hello+Root", w.root_channel.0),
        ("open_conversation", "with a guest") => format!("with={}", w.target.0),
        ("set_task_done", "task of another project") => format!("project={}&task={}&done=true", a.project.0, w.p2_task),
        _ => match door.path {
        "sign_in" => {
            let email = format!("fresh{}@acme.test", w.next());
            t.member(a, &email, a.root, false).await;
            format!("email={}&password={}", enc(&email), enc(PASSWORD))
        }
        "sign_out" | "current_user" | "my_projects" | "dashboard_counts" | "get_settings" | "invite_options" | "load_structure" | "inventory_inviters" | "my_guests" | "api_tokens" => String::new(),
        "preview_reminder_choice" => format!("id={}&choice=Extend", w.fresh_guest(t).await.0),
        "confirm_reminder_choice" => format!("id={}&choice=LetExpire", w.fresh_guest(t).await.0),
        "create_project" => format!("name=New+project+{}&description=", w.next()),
        "update_project" => {
            let mut tx = write(t, a).await;
            let p = orgs::create_project(&mut tx, a.id, &format!("Old name {}", w.next()), "", t.now_ms()).await.unwrap();
            tx.commit().await.unwrap();
            format!("id={}&name=Renamed&description=&archived=false", p.0)
        }
        "project_page" => format!("id={}", a.project.0),
        "add_task" => format!("project={}&title=Review", a.project.0),
        "set_task_done" => format!("project={}&task={}&done=true", a.project.0, w.task),
        "remove_from_project" => format!("guest={}", w.fresh_guest(t).await.0),
        "add_to_project" => {
            let g = w.fresh_guest(t).await;
            sqlx::query("UPDATE people SET project_id = NULL, permission = NULL WHERE id = $1").bind(g.0).execute(t.pool()).await.unwrap();
            format!("guest={}&project={}&permission=Edit", g.0, a.project.0)
        }
        "list_users" => "include_guests=true".into(),
        "may_use" => format!("feature=messaging&with={}", w.uma.0),
        "load_directory" => String::new(),
        "search_contacts" | "view_as_candidates" => "query=canary".into(),
        "department_members" => format!("id={}", a.root.0),
        "group_members" => {
            let all: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE org_id = $1 AND is_all = 1").bind(a.id.0).fetch_one(t.pool()).await.unwrap();
            format!("id={all}")
        }
        "get_contact_card" => format!("id={}", w.uma.0),
        "member_candidates" => "query=canary".into(),
        "load_conversations" => String::new(),
        "load_conversation" | "newer_messages" => format!("id={}", w.direct.0),
        "send_message" => format!("id={}&text=Hello", w.direct.0),
        "open_conversation" => format!("with={}", w.fresh_member(t).await.0),
        "create_channel" => format!("{{\"name\":\"Channel {}\",\"people\":[{}]}}", w.next(), w.fresh_member(t).await.0),
        "add_to_channel" => {
            let mut tx = write(t, a).await;
            let c = app::data::messages::create(&mut tx, a.id, ConversationKind::Channel, Some("Launch"), None, w.uma, &[w.uma, w.paul, w.grace], t.now_ms()).await.unwrap();
            tx.commit().await.unwrap();
            format!("{{\"id\":{},\"people\":[{}]}}", c.0, w.fresh_member(t).await.0)
        }
        "load_department" => format!("id={}", a.grandchild.0),
        "create_department" => format!("name=Team+{}&parent={}", w.next(), a.child.0),
        "rename_department" => format!("id={}&name=Renamed+{}", w.fresh_department(t).await.0, w.next()),
        "move_department" => format!("id={}&parent={}", w.fresh_department(t).await.0, a.grandchild.0),
        "delete_department" => format!("id={}", w.fresh_department(t).await.0),
        "assign_department_admin" => format!("department={}&person={}", a.grandchild.0, w.fresh_member(t).await.0),
        "remove_department_admin" => {
            let p = w.fresh_member(t).await;
            let mut tx = write(t, a).await;
            people::add_department_admin(&mut tx, p, a.grandchild).await.unwrap();
            tx.commit().await.unwrap();
            format!("department={}&person={}", a.grandchild.0, p.0)
        }
        "move_to_department" => format!("person={}&department={}", w.fresh_member(t).await.0, a.grandchild.0),
        "load_group" => format!("id={}", w.group.0),
        "create_group" => format!("name=Club+{}", w.next()),
        "rename_group" | "delete_group" => {
            let mut tx = write(t, a).await;
            let g = orgs::create_group(&mut tx, a.id, &format!("Temporary {}", w.next())).await.unwrap();
            tx.commit().await.unwrap();
            if door.path == "rename_group" { format!("id={}&name=Renamed+group+{}", g.0, w.next()) } else { format!("id={}", g.0) }
        }
        "add_group_members" => format!("{{\"group\":{},\"people\":[{}]}}", w.group.0, w.fresh_member(t).await.0),
        "remove_group_member" => {
            let p = w.fresh_member(t).await;
            let mut tx = write(t, a).await;
            orgs::add_group_member(&mut tx, w.group, p).await.unwrap();
            tx.commit().await.unwrap();
            format!("group={}&person={}", w.group.0, p.0)
        }
        "save_settings" => format!("{{\"settings\":{SETTINGS}}}"),
        "create_api_token" => format!("{{\"input\":{TOKEN_INPUT}}}"),
        "revoke_api_token" => {
            let made = app::service::api_tokens::create_for(&t.state, "Acme", &a.admin_email, "read_guests", 30, &format!("Matrix {}", w.next())).await.unwrap();
            format!("id={}", made.token.id)
        }
        "load_report" => format!("{{\"query\":{REPORT_QUERY}}}"),
        "load_inventory" => format!("{{\"query\":{INVENTORY_QUERY}}}"),
        "set_invite_authorization" => format!("person={}&authorized=true", w.uma.0),
        // By last name, so the canaries ("canary…") are on the first page whatever the
        // fresh guests ("target…") the other rows add.
        "list_guests" => "sort=LastName&dir=Asc".into(),
        "search_guests" => "query=canary".into(),
        "get_guest" => format!("id={}", w.target.0),
        "incorporate_guests" | "delete_guests" => format!("{{\"ids\":[{}]}}", w.fresh_guest(t).await.0),
        "rename_guest" => format!("id={}&first_name=Renamed&last_name=Guest", w.fresh_guest(t).await.0),
        "set_guest_expiry" => format!("{{\"ids\":[{}],\"period\":\"OneWeek\"}}", w.fresh_guest(t).await.0),
        "send_invitations" => format!(
            r#"{{"input":{{"emails":"sent{}@partner.test","role":"Guest","project":{},"permission":"ReadOnly","department":null,"expiry":"Never"}}}}"#,
            w.next(),
            a.project.0
        ),
        "list_invitations" | "outbox" => String::new(),
        "resend_invitation" | "revoke_invitation" => format!("id={}", w.fresh_invitation(t).await.0),
        "invitation_info" => format!("token={}", w.fresh_invitation(t).await.1),
        "accept_invitation" => format!(
            "token={}&first_name=New&last_name=Comer&password={}&mobile=",
            w.fresh_invitation(t).await.1,
            enc("a long enough password")
        ),
        "POST /guests/{id}/avatar" => {
            let g = w.fresh_guest(t).await;
            let boundary = "XyZboundary";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .into_bytes();
            body.extend_from_slice(PNG);
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            return web::send(app, Method::POST, &format!("/guests/{}/avatar", g.0), Some(&format!("multipart/form-data; boundary={boundary}")), body, cookie).await;
        }
        "GET /avatars/{id}" => {
            let mut tx = write(t, a).await;
            app::data::guests::set_avatar(&mut tx, a.id, w.target, "image/png", PNG, a.admin, t.now_ms()).await.unwrap();
            tx.commit().await.unwrap();
            return web::get(app, &format!("/avatars/{}", w.target.0), cookie).await;
        }
        "POST /conversations/{id}/files" => {
            let boundary = "XyZboundary";
            let body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hello.txt\"\r\nContent-Type: image/png\r\n\r\nhello there\r\n--{boundary}--\r\n"
            )
            .into_bytes();
            return web::send(app, Method::POST, &format!("/conversations/{}/files", w.direct.0), Some(&format!("multipart/form-data; boundary={boundary}")), body, cookie).await;
        }
        "GET /files/{id}" => return web::get(app, &format!("/files/{}", w.file_message.0), cookie).await,
        "GET /activity.csv" => return web::get(app, "/activity.csv", cookie).await,
        "GET /guests/inventory.csv" => return web::get(app, "/guests/inventory.csv?sort=name", cookie).await,
        "GET /outbox/{id}/attachment" => {
            let mut tx = write(t, a).await;
            let letter = app::mail::Letter { subject: "Activity Report".into(), text: "t".into(), html: "h".into() };
            let mail = app::mail::queue_with(&mut tx, a.id, &a.admin_email, &letter, Some(("activity-report-2026-11.csv", b"Section\r\n")), t.now_ms()).await.unwrap();
            tx.commit().await.unwrap();
            return web::get(app, &format!("/outbox/{}/attachment", mail.0), cookie).await;
        }
        other => panic!("no arguments written for the door {other}"),
        },
    };
    match door.enc {
        Enc::Form => web::form(app, door.path, &body, cookie).await,
        Enc::Json => web::json(app, door.path, &body, cookie).await,
    }
}

fn matches(expect: char, r: &Reply) -> bool {
    let s = r.status.as_u16();
    match expect {
        'o' => (200..400).contains(&s) && !r.header(header::LOCATION).is_some_and(|l| l.contains("error") || l.starts_with("/login")),
        'O' => (200..400).contains(&s),
        '1' => s == 401,
        '3' => s == 403,
        '4' => s == 404,
        'L' => s == 303 && r.header(header::LOCATION) == Some("/login"),
        _ => panic!("unknown expectation {expect}"),
    }
}

fn check_canaries(caller: Caller, what: &str, directory: bool, r: &Reply) {
    if !r.status.is_success() {
        return;
    }
    for canary in CANARIES {
        let may = if directory { caller.may_see_in_directory(canary) } else { caller.may_see(canary) };
        if !may {
            assert!(!r.body.to_lowercase().contains(canary), "{caller:?} saw {canary} in {what}: {}", r.body);
        }
    }
}

/// The doors the server has: registered server functions and the extra axum routes.
fn registered() -> BTreeSet<String> {
    let mut out: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.strip_prefix("/api/").unwrap_or(p).to_string())
        .collect();
    for (m, p) in app::web::http::extra_routes() {
        out.insert(format!("{m} {p}"));
    }
    out
}

#[test]
fn every_door_has_rows_in_the_matrix() {
    let rows: BTreeSet<(&str, &str)> = DOORS.iter().map(|d| (d.path, d.case)).collect();
    assert_eq!(rows.len(), DOORS.len(), "a row is written twice");
    let written: BTreeSet<String> = DOORS.iter().map(|d| d.path.to_string()).collect();
    let have = registered();
    let missing: Vec<_> = have.difference(&written).collect();
    let stale: Vec<_> = written.difference(&have).collect();
    assert!(missing.is_empty(), "doors without rows in the access matrix: {missing:?}");
    assert!(stale.is_empty(), "rows for doors the server does not have: {stale:?}");
    for d in DOORS {
        assert_eq!(d.expect.chars().count(), CALLERS.len(), "{}: one expectation per caller", d.path);
    }
}

both_backends! {
    async fn every_door_answers_each_caller_as_written_and_leaks_no_canary(t) {
        let w = World::build(&t).await;
        let app = web::app(&t).await;
        let mut cookies: Vec<Option<String>> = Vec::new();
        for c in CALLERS {
            cookies.push(match w.email_of(c) {
                Some(e) => Some(web::sign_in(&app, &e, PASSWORD).await),
                None => None,
            });
        }
        let mut failures = Vec::new();
        for door in DOORS {
            for (i, caller) in CALLERS.into_iter().enumerate() {
                let expect = door.expect.chars().nth(i).unwrap();
                let r = call(&t, &app, &w, door, cookies[i].as_deref()).await;
                if !matches(expect, &r) {
                    failures.push(format!("{} {} as {caller:?}: expected {expect}, got {} {}", door.path, door.case, r.status, r.body.chars().take(200).collect::<String>()));
                }
                assert!(r.status.as_u16() < 500, "{} as {caller:?}: {} {}", door.path, r.status, r.body);
                check_canaries(caller, door.path, door.directory, &r);
                if door.ends_session {
                    if let Some(e) = w.email_of(caller) {
                        cookies[i] = Some(web::sign_in(&app, &e, PASSWORD).await);
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{} unexpected answers:\n{}", failures.len(), failures.join("\n"));

        // Pages: whatever each caller opens, no server error and no canary.
        let pages = page_paths(&w, &t).await;
        for (i, caller) in CALLERS.into_iter().enumerate() {
            for path in &pages {
                let r = web::get(&app, path, cookies[i].as_deref()).await;
                assert!(r.status.as_u16() < 500, "page {path} as {caller:?}: {}", r.status);
                check_canaries(caller, path, path.starts_with("/contacts"), &r);
            }
        }
        let _ = (&w.b, w.dana, w.olga, w.paul, w.grace, w.gus);
    }
}

/// Every page route the app declares, with its parameters filled in (the fixed target
/// guest, project P, a pending invitation). A new page route without a filling here
/// fails.
async fn page_paths(w: &World, t: &TestApp) -> Vec<String> {
    let (_, token) = w.fresh_invitation(t).await;
    let mut out = Vec::new();
    for path in web::page_routes().await {
        let filled = path
            .replace("{id}", &match path.as_str() {
                p if p.starts_with("/projects/") => w.a.project.0.to_string(),
                _ => w.target.0.to_string(),
            })
            .replace("{choice}", "extend")
            .replace("{token}", &token);
        assert!(!filled.contains('{') && !filled.contains(':'), "page route {path} has a parameter this test does not fill");
        out.push(filled);
    }
    assert!(out.len() >= 15, "{out:?}");
    out
}

// ---- Malformed arguments ------------------------------------------------------------

/// A valid sample of an argument.
fn sample(ty: Ty, enc: Enc) -> String {
    match (ty, enc) {
        (Int | OptInt, _) => "1".into(),
        (Bool, _) => "true".into(),
        (Str | OptStr, Enc::Form) => "x".into(),
        (Str | OptStr, Enc::Json) => "\"x\"".into(),
        (Enum(v), Enc::Form) => v.into(),
        (Enum(v), Enc::Json) => format!("\"{v}\""),
        (Ints, _) => "[1]".into(),
        (Obj(o), _) => o.into(),
    }
}

/// Wrong values of an argument's type: wrong type, overflowing, malformed.
fn wrong(ty: Ty, enc: Enc) -> Vec<String> {
    let overflow = "1180591620717411303424"; // 2^70
    match (ty, enc) {
        (Int, Enc::Form) => vec!["abc".into(), "1.5".into(), overflow.into(), "".into()],
        (OptInt, Enc::Form) => vec!["abc".into(), "1.5".into(), overflow.into()],
        (OptInt, Enc::Json) => vec!["\"abc\"".into(), "1.5".into(), overflow.into()],
        (Int, Enc::Json) => vec!["\"abc\"".into(), "1.5".into(), overflow.into(), "null".into()],
        (Bool, Enc::Form) => vec!["maybe".into(), "2".into()],
        (Bool, Enc::Json) => vec!["\"maybe\"".into(), "2".into()],
        (Str | OptStr, Enc::Form) => vec![],
        (Str | OptStr, Enc::Json) => vec!["12".into(), "[]".into()],
        (Enum(_), Enc::Form) => vec!["Bogus".into(), "".into()],
        (Enum(_), Enc::Json) => vec!["\"Bogus\"".into(), "7".into()],
        (Ints, _) => vec!["\"x\"".into(), format!("[{overflow}]"), "[1e30]".into(), "{}".into()],
        (Obj(_), _) => vec!["\"x\"".into(), "12".into(), "{}".into(), "[]".into()],
    }
}

fn body_of(args: &[(&str, String)], enc: Enc) -> String {
    match enc {
        Enc::Form => args.iter().map(|(k, v)| format!("{k}={}", enc_form(v))).collect::<Vec<_>>().join("&"),
        Enc::Json => format!("{{{}}}", args.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(",")),
    }
}

fn enc_form(v: &str) -> String {
    enc(v)
}

/// The bodies that must be refused for a server function.
fn malformed_bodies(d: &Door) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if d.enc == Enc::Json {
        out.push(("truncated JSON".into(), "{".into()));
        out.push(("not an object".into(), "[1,2]".into()));
    }
    for (i, (name, ty)) in d.args.iter().enumerate() {
        for bad in wrong(*ty, d.enc) {
            let args: Vec<(&str, String)> =
                d.args.iter().enumerate().map(|(j, (n, t))| (*n, if i == j { bad.clone() } else { sample(*t, d.enc) })).collect();
            out.push((format!("{name} = {bad}"), body_of(&args, d.enc)));
        }
        if matches!(ty, OptStr | OptInt) {
            continue;
        }
        let without: Vec<(&str, String)> =
            d.args.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, (n, t))| (*n, sample(*t, d.enc))).collect();
        out.push((format!("without {name}"), body_of(&without, d.enc)));
    }
    out
}

both_backends! {
    async fn every_server_function_refuses_malformed_arguments_with_a_4xx_and_changes_nothing(t) {
        let w = World::build(&t).await;
        let app = web::app(&t).await;
        let cookie = web::sign_in(&app, &w.a.admin_email, PASSWORD).await;
        let before = web::fingerprint(&t).await;
        let registered = registered();
        let mut tried = 0;
        let mut failures = Vec::new();
        for d in DOORS.iter().filter(|d| !d.path.contains(' ') && d.case.is_empty()) {
            assert!(registered.contains(d.path));
            let path = format!("/api/{}", d.path);
            let ct = match d.enc {
                Enc::Form => "application/x-www-form-urlencoded",
                Enc::Json => "application/json",
            };
            let mut cases = malformed_bodies(d);
            // Oversized: over the 1 MiB limit, whatever the function.
            let big = match d.enc {
                Enc::Form => format!("pad={}", "a".repeat(app::web::http::SERVER_FN_BODY_LIMIT + 10)),
                Enc::Json => format!("{{\"pad\":\"{}\"}}", "a".repeat(app::web::http::SERVER_FN_BODY_LIMIT + 10)),
            };
            cases.push(("oversized body".into(), big));
            for (what, body) in cases {
                tried += 1;
                let r = web::send(&app, Method::POST, &path, Some(ct), body.into_bytes(), Some(&cookie)).await;
                let expected = if what == "oversized body" { vec![413] } else { vec![400] };
                if !expected.contains(&r.status.as_u16()) {
                    failures.push(format!("{} with {what}: {} {}", d.path, r.status, r.body.chars().take(200).collect::<String>()));
                    continue;
                }
                // A plain message: the error type, readable, without internals.
                let e: app::error::AppError = serde_json::from_str(&r.body).unwrap_or_else(|_| panic!("{} with {what}: not an error body: {}", d.path, r.body));
                let text = e.to_string();
                assert!(!text.is_empty() && !text.contains("sqlx") && !text.contains("panicked"), "{}: {text}", d.path);
            }
        }
        assert!(failures.is_empty(), "{} of {tried} malformed requests were not refused as they should be:\n{}", failures.len(), failures.join("\n"));
        assert!(tried > 100, "{tried}");
        // 40,000 ids: refused by the selection cap before any SQL.
        let ids: Vec<String> = (1..=40_000).map(|i| i.to_string()).collect();
        for ep in ["delete_guests", "incorporate_guests"] {
            let r = web::json(&app, ep, &format!("{{\"ids\":[{}]}}", ids.join(",")), Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{ep}: {}", r.body);
            assert!(r.body.contains("at most 500"), "{}", r.body);
        }
        // A declared length over the limit is refused before the body is read.
        let req = http::Request::post("/api/current_user")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, web::ORIGIN)
            .header(header::CONTENT_LENGTH, (3 * 1024 * 1024).to_string())
            .header(header::COOKIE, &cookie)
            .body(axum::body::Body::from("x"))
            .unwrap();
        let res = tower::ServiceExt::oneshot(app.clone(), req).await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(web::fingerprint(&t).await, before, "a refused request changed the database");
    }
}

both_backends! {
    async fn every_answer_carries_the_security_headers(t) {
        let w = World::build(&t).await;
        let app = web::app(&t).await;
        let cookie = web::sign_in(&app, &w.a.admin_email, PASSWORD).await;
        let answers = [
            ("page", web::get(&app, "/guests", Some(&cookie)).await),
            ("sign-in page", web::get(&app, "/login", None).await),
            ("unknown page", web::get(&app, "/no/such/page", None).await),
            ("server function", web::form(&app, "current_user", "", Some(&cookie)).await),
            ("refused server function", web::form(&app, "current_user", "", None).await),
        ];
        for (what, r) in &answers {
            assert_eq!(r.header(header::X_FRAME_OPTIONS), Some("DENY"), "{what}");
            assert_eq!(r.header(header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"), "{what}");
            assert_eq!(r.header(header::REFERRER_POLICY), Some("same-origin"), "{what}");
            let csp = r.header(header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{what}: no CSP"));
            assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        }
        // A page's policy allows exactly its own inline scripts, by their nonce.
        let page = &answers[0].1;
        let csp = page.header(header::CONTENT_SECURITY_POLICY).unwrap();
        let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce in the page's CSP");
        assert!(nonce.len() >= 16, "{nonce}");
        assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry the nonce");
        assert!(!csp.contains("'unsafe-eval'") && !csp.contains("'unsafe-inline'; script"), "{csp}");
        assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
        let other = web::get(&app, "/guests", Some(&cookie)).await;
        assert_ne!(other.header(header::CONTENT_SECURITY_POLICY), Some(csp), "a new nonce for every page");
        // Everything that is not a page allows nothing to run.
        assert!(answers[3].1.header(header::CONTENT_SECURITY_POLICY).unwrap().starts_with("default-src 'none'"));
    }
}
