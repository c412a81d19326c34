//! Creating organizations (the `create-org` command) and the demo organization (the
//! `demo-data` command).

use crate::auth::hash_password;
use crate::data::activity::{self, Action, Entry};
use crate::data::people::{self, NewGuest, NewMember};
use crate::data::{orgs, WriteTx};
use crate::domain::expiry::ExpiryPeriod;
use crate::domain::{DeptId, Email, NewPassword, OrgId, Permission, PersonId, ProjectId, Title};
use crate::error::AppError;
use crate::web::state::AppState;

/// Creates an organization, a first department named after it, and its first Company
/// Admin. Refuses an organization name already in use.
pub async fn create_org(
    state: &AppState,
    name: &str,
    admin_email: &str,
    admin_password: &str,
) -> Result<(OrgId, PersonId), AppError> {
    let name = Title::parse(name, "The organization name")?;
    let email = Email::parse(admin_email)?;
    let password = NewPassword::parse(admin_password)?;
    if orgs::org_exists_named(state.db.pool(), name.as_str()).await? {
        return Err(AppError::Conflict(format!("An organization named “{}” already exists.", name.as_str())));
    }
    let hash = hash_password(password.expose())?;
    let now = state.now_ms();
    let mut tx = state.db.begin_write().await?;
    let org = orgs::create_org(&mut tx, name.as_str(), now).await?;
    let dept = orgs::create_department(&mut tx, org, None, name.as_str()).await?;
    let local = email.as_str().split('@').next().unwrap_or("admin");
    let admin = people::insert_member(
        &mut tx,
        NewMember {
            org,
            email: email.as_str(),
            first_name: local,
            last_name: "Admin",
            mobile: None,
            department: dept,
            is_company_admin: true,
            authorized_to_invite: true,
            password_hash: Some(&hash),
            now,
        },
    )
    .await?;
    log(&mut tx, org, now, None, None, Action::OrganizationCreated, name.as_str()).await?;
    log(&mut tx, org, now, None, Some(admin), Action::MemberAdded, "Company Admin").await?;
    tx.commit().await?;
    Ok((org, admin))
}

async fn log(
    tx: &mut WriteTx,
    org: OrgId,
    at: i64,
    actor: Option<PersonId>,
    subject: Option<PersonId>,
    action: Action,
    details: &str,
) -> Result<(), AppError> {
    activity::record(tx, Entry { org, at, actor, subject, action, details, target: None, scope: None }).await?;
    Ok(())
}

pub const DEMO_ORG: &str = "Northwind Labs";
pub const DEMO_PASSWORD: &str = "lobby-demo-pass";

#[derive(Clone, Debug)]
pub struct DemoSignIns {
    pub company_admin: String,
    pub department_admin: String,
    pub authorized_user: String,
    pub guest: String,
    pub plain_user: String,
    pub password: &'static str,
    pub created: bool,
}

pub const DEMO_ADMIN: &str = "admin@northwind.test";
pub const DEMO_DEPT_ADMIN: &str = "dana.engineering@northwind.test";
pub const DEMO_USER: &str = "uma.user@northwind.test";
pub const DEMO_GUEST: &str = "grace.guest@partner.test";
/// An ordinary user who is not authorized to invite.
pub const DEMO_PLAIN_USER: &str = "paul.plain@northwind.test";

const FIRST: [&str; 20] = [
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Chloé", "Mateo",
    "Isla", "Lucas", "Maya", "Ethan", "Zoë", "Hugo", "Nora", "Leo", "Inès", "Aarav",
];
const LAST: [&str; 20] = [
    "Smith", "García", "Müller", "Rossi", "Dubois", "Kowalski", "Nguyen", "Silva", "Jensen", "Novak",
    "Okafor", "Tanaka", "Larsen", "Moreau", "Ivanova", "Haddad", "O'Brien", "Schmidt", "Costa", "Yilmaz",
];

/// Loads the demo organization unless it is already there; either way returns the
/// sign-ins to print. Deterministic: the same data on every fresh database.
pub async fn demo_data(state: &AppState) -> Result<DemoSignIns, AppError> {
    let mut out = DemoSignIns {
        company_admin: DEMO_ADMIN.into(),
        department_admin: DEMO_DEPT_ADMIN.into(),
        authorized_user: DEMO_USER.into(),
        guest: DEMO_GUEST.into(),
        plain_user: DEMO_PLAIN_USER.into(),
        password: DEMO_PASSWORD,
        created: false,
    };
    if orgs::org_exists_named(state.db.pool(), DEMO_ORG).await? {
        return Ok(out);
    }
    // One hash for every demo account keeps loading fast; real accounts each get their own salt.
    let hash = hash_password(DEMO_PASSWORD)?;
    let now = state.now_ms();
    let day = 86_400_000i64;
    let mut tx = state.db.begin_write().await?;
    let org = orgs::create_org(&mut tx, DEMO_ORG, now - 400 * day).await?;
    // The demo's guests may share files as well as message (a new organization allows
    // Messaging only), so the Guest Profile has something to turn off.
    orgs::set_guest_feature(&mut tx, org, crate::domain::profile::Feature::FileSharing, true).await?;
    log(&mut tx, org, now - 400 * day, None, None, Action::OrganizationCreated, DEMO_ORG).await?;

    // A tree three levels deep (Engineering › Platform › Infrastructure).
    let engineering = orgs::create_department(&mut tx, org, None, "Engineering").await?;
    let platform = orgs::create_department(&mut tx, org, Some(engineering), "Platform").await?;
    let infra = orgs::create_department(&mut tx, org, Some(platform), "Infrastructure").await?;
    let security = orgs::create_department(&mut tx, org, Some(platform), "Security").await?;
    let apps = orgs::create_department(&mut tx, org, Some(engineering), "Applications").await?;
    let sales = orgs::create_department(&mut tx, org, None, "Sales").await?;
    let emea = orgs::create_department(&mut tx, org, Some(sales), "Sales EMEA").await?;
    let americas = orgs::create_department(&mut tx, org, Some(sales), "Sales Americas").await?;
    let operations = orgs::create_department(&mut tx, org, None, "Operations").await?;
    let finance = orgs::create_department(&mut tx, org, Some(operations), "Finance").await?;
    let depts = [engineering, platform, infra, security, apps, sales, emea, americas, operations, finance];

    let leadership = orgs::create_group(&mut tx, org, "Leadership").await?;
    let oncall = orgs::create_group(&mut tx, org, "On-call").await?;
    let _design = orgs::create_group(&mut tx, org, "Design guild").await?;

    let mut projects: Vec<ProjectId> = Vec::new();
    for (name, desc) in [
        ("Website redesign", "New public website with the agency."),
        ("Mobile app 2.0", "The next major version of the mobile app."),
        ("Data migration", "Moving the warehouse to the new platform."),
        ("Partner portal", "A portal for resellers and partners."),
    ] {
        let p = orgs::create_project(&mut tx, org, name, desc, now - 300 * day).await?;
        let target = Some((activity::TargetKind::Project, Some(p.0)));
        activity::record(&mut tx, Entry { org, at: now - 300 * day, actor: None, subject: None, action: Action::ProjectCreated, details: name, target, scope: None }).await?;
        projects.push(p);
    }

    // (email, first name, last name, department, Company Admin, authorized to invite)
    let mut members: Vec<(String, String, String, DeptId, bool, bool)> = vec![
        (DEMO_ADMIN.into(), "Alice".into(), "Admin".into(), operations, true, true),
        (DEMO_DEPT_ADMIN.into(), "Dana".into(), "Engineering".into(), engineering, false, false),
        (DEMO_USER.into(), "Uma".into(), "User".into(), apps, false, true),
        (DEMO_PLAIN_USER.into(), "Paul".into(), "Plain".into(), apps, false, false),
    ];
    for i in 0..26usize {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + 3) % LAST.len()];
        let email = format!("{}.{}{}@northwind.test", ascii(first), ascii(last), i);
        members.push((email, first.into(), last.into(), depts[i % depts.len()], false, i % 9 == 0));
    }
    let mut member_ids: Vec<(PersonId, DeptId)> = Vec::new();
    for (i, (email, first, last, dept, admin, auth)) in members.iter().enumerate() {
        let id = people::insert_member(
            &mut tx,
            NewMember {
                org,
                email,
                first_name: first,
                last_name: last,
                mobile: (i % 4 == 1).then(|| format!("+336123456{:02}", i)).as_deref(),
                department: *dept,
                is_company_admin: *admin,
                authorized_to_invite: *auth,
                password_hash: Some(&hash),
                now: now - 380 * day,
            },
        )
        .await?;
        log(&mut tx, org, now - 380 * day, None, Some(id), Action::MemberAdded, "").await?;
        if i < 3 {
            orgs::add_group_member(&mut tx, leadership, id).await?;
        } else if i % 5 == 0 {
            orgs::add_group_member(&mut tx, oncall, id).await?;
        }
        people::add_project_member(&mut tx, projects[i % projects.len()], id, Permission::Edit).await?;
        member_ids.push((id, *dept));
    }
    // A few tasks per project, so a project page has something to tick.
    for (i, p) in projects.iter().enumerate() {
        for (j, title) in ["Kick-off meeting", "Collect requirements", "First review"].iter().enumerate() {
            let t = crate::data::projects::add_task(&mut tx, *p, title, member_ids[0].0, now - 200 * day).await?;
            if (i + j) % 3 == 0 {
                crate::data::projects::set_task_done(&mut tx, *p, t, true).await?;
            }
        }
    }
    // Uma may invite, and is read-only in one project: she invites read-only there.
    people::add_project_member(&mut tx, projects[3], member_ids[2].0, Permission::ReadOnly).await?;
    let dana = member_ids[1].0;
    people::add_department_admin(&mut tx, dana, engineering).await?;
    // Selected users (Uma among them) may invite guests besides the admins.
    let mut settings = crate::data::invitations::settings(tx.conn(), org).await?;
    settings.invite_policy = crate::domain::invite::InvitePolicy::Selected;
    crate::data::invitations::save_settings(&mut tx, org, &settings, member_ids[0].0, now - 380 * day).await?;

    // 40 guests, sponsored across departments, invited over the last four months.
    for i in 0..40usize {
        let (first, last, email) = if i == 0 {
            ("Grace".to_string(), "Guest".to_string(), DEMO_GUEST.to_string())
        } else {
            // Unique full names: the list's checkboxes are named after them.
            let first = FIRST[i % FIRST.len()];
            let last = LAST[(i * 7 + i / FIRST.len() + 2) % LAST.len()];
            (first.to_string(), last.to_string(), format!("{}.{}{}@partner{}.test", ascii(first), ascii(last), i, i % 6))
        };
        let (inviter, sponsor) = member_ids[(i * 7) % member_ids.len()];
        let invited_at = now - ((i as i64 * 37) % 120 + 1) * day - (i as i64 * 3_600_000);
        // Expiries as an admin set them: a period, from a moment. Several of the one-month
        // guests are within a week of leaving, so their reminders go out at start.
        let (period, set_at) = match i % 5 {
            1 => (ExpiryPeriod::OneMonth, invited_at.max(now - (21 + i as i64 % 7) * day)),
            2 => (ExpiryPeriod::OneMonth, now),
            3 => (ExpiryPeriod::OneDay, now - 18 * 3_600_000 + i as i64 * 60_000),
            _ => (ExpiryPeriod::Never, now),
        };
        let expires_at = chrono::DateTime::from_timestamp_millis(set_at)
            .and_then(|t| period.expires_at(t))
            .map(|t| t.timestamp_millis());
        let id = people::insert_guest(
            &mut tx,
            NewGuest {
                org,
                email: &email,
                first_name: &first,
                last_name: &last,
                mobile: (i % 3 == 0).then(|| format!("+4479460001{:02}", i)).as_deref(),
                password_hash: Some(&hash),
                invited_by: inviter,
                invited_at,
                sponsor_department: sponsor,
                project: Some(projects[i % projects.len()]),
                permission: if i % 2 == 0 { Permission::Edit } else { Permission::ReadOnly },
                expires_at,
                expiry_period: Some(period),
                expiry_set_at: set_at,
                now: invited_at,
            },
        )
        .await?;
        // As the Activity Report would have seen it: invited, then accepted an hour later.
        log(&mut tx, org, invited_at - 3_600_000, Some(inviter), Some(id), Action::Invited, "guest").await?;
        log(&mut tx, org, invited_at, Some(id), Some(id), Action::InvitationAccepted, "").await?;
    }
    tx.commit().await?;
    out.created = true;
    Ok(out)
}

fn ascii(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'é' | 'ë' | 'è' => Some('e'),
            'ü' => Some('u'),
            'í' => Some('i'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}


pub const BENCH_ORG: &str = "Benchmark Org";
pub const BENCH_ADMIN: &str = "admin@bench.test";
pub const BENCH_DEPT_ADMIN: &str = "dept.admin@bench.test";

/// The benchmark organization (created once: a department tree, a Company Admin and a
/// Department Admin of one branch) filled with `count` more guests. Returns the admins.
pub async fn generate_guests(state: &AppState, count: usize) -> Result<(PersonId, PersonId, OrgId), AppError> {
    generate_people(state, count, 0).await
}

/// The benchmark organization filled with `guests` more guests and `members` more
/// members (spread over its departments). Returns the admins and the organization.
pub async fn generate_people(state: &AppState, count: usize, members: usize) -> Result<(PersonId, PersonId, OrgId), AppError> {
    let now = state.now_ms();
    let pool = state.db.pool();
    let (org, admin, dept_admin, sponsors) = match orgs::org_named(pool, BENCH_ORG).await? {
        Some(org) => {
            let missing = || AppError::internal("generate-guests", "the benchmark organization lost its admins");
            let admin = people::live_by_email(pool, org, BENCH_ADMIN).await?.ok_or_else(missing)?;
            let dept_admin = people::live_by_email(pool, org, BENCH_DEPT_ADMIN).await?.ok_or_else(missing)?;
            let depts = orgs::departments(pool, org).await?;
            let sponsors: Vec<DeptId> = depts.iter().filter(|d| !d.is_guests).map(|d| d.id).collect();
            (org, admin, dept_admin, sponsors)
        }
        None => {
            let hash = hash_password(DEMO_PASSWORD)?;
            let mut tx = state.db.begin_write().await?;
            let org = orgs::create_org(&mut tx, BENCH_ORG, now).await?;
            let mut sponsors = Vec::new();
            let mut branch = None;
            for top in ["North", "South", "East", "West"] {
                let t = orgs::create_department(&mut tx, org, None, top).await?;
                branch.get_or_insert(t);
                sponsors.push(t);
                for sub in ["Sales", "Support", "Research"] {
                    let s = orgs::create_department(&mut tx, org, Some(t), &format!("{top} {sub}")).await?;
                    sponsors.push(s);
                    sponsors.push(orgs::create_department(&mut tx, org, Some(s), &format!("{top} {sub} Lab")).await?);
                }
            }
            let mk = |email: &'static str, admin: bool, dept: DeptId| NewMember {
                org,
                email,
                first_name: "Bench",
                last_name: "Admin",
                mobile: None,
                department: dept,
                is_company_admin: admin,
                authorized_to_invite: true,
                password_hash: None,
                now,
            };
            let admin = people::insert_member(&mut tx, NewMember { password_hash: Some(&hash), ..mk(BENCH_ADMIN, true, sponsors[0]) }).await?;
            let dept_admin = people::insert_member(&mut tx, NewMember { password_hash: Some(&hash), ..mk(BENCH_DEPT_ADMIN, false, sponsors[0]) }).await?;
            people::add_department_admin(&mut tx, dept_admin, branch.expect("a branch")).await?;
            tx.commit().await?;
            (org, admin, dept_admin, sponsors)
        }
    };
    crate::data::generate::members(&state.db, org, &sponsors, members, now).await?;
    crate::data::generate::guests(&state.db, org, admin, &sponsors, count, now).await?;
    Ok((admin, dept_admin, org))
}
