//! Test fixtures: a fresh database per test on each backend, and a builder for the
//! organizations and people a test needs.
//!
//! `both_backends!` turns one async test body into two tests, `…::sqlite` and
//! `…::postgres`. PostgreSQL is at LOBBY_TEST_PG_URL (default
//! postgres://postgres@127.0.0.1:5432/test); each test creates its own database and
//! drops it afterwards. Without PostgreSQL the postgres half is skipped with a note —
//! unless CI is set, where it fails.

#![allow(dead_code)]

pub mod web;

use app::clock::FakeClock;
use app::data::people::{self, NewGuest, NewMember};
use app::data::{orgs, Db};
use app::domain::{DeptId, OrgId, Permission, PersonId, ProjectId};
use app::web::state::{AppState, Config};
use chrono::{TimeZone, Utc};
use sqlx::{Connection, Executor};
use std::sync::{Arc, OnceLock};

pub const PASSWORD: &str = "correct horse battery";

/// One argon2 hash of [`PASSWORD`] for every fixture person: hashing is slow on purpose.
pub fn password_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| app::auth::hash_password(PASSWORD).unwrap())
}

pub struct TestApp {
    pub state: AppState,
    pub clock: FakeClock,
    pg_name: Option<String>,
    sqlite_path: Option<std::path::PathBuf>,
}

impl TestApp {
    pub fn db(&self) -> &Db {
        &self.state.db
    }

    pub fn pool(&self) -> &sqlx::AnyPool {
        self.state.db.pool()
    }

    pub fn now_ms(&self) -> i64 {
        self.state.now_ms()
    }
}

fn unique_name() -> String {
    use rand::Rng;
    format!("lobby_t_{:016x}", rand::thread_rng().gen::<u64>())
}

fn app_for(db: Db) -> (AppState, FakeClock) {
    let clock = FakeClock::at(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
    (AppState::new(db, Arc::new(clock.clone()), Config::default()), clock)
}

pub async fn sqlite() -> TestApp {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
    let db = Db::connect(&format!("sqlite://{}", path.display())).await.expect("sqlite test database");
    db.migrate().await.expect("sqlite migrations");
    let (state, clock) = app_for(db);
    TestApp { state, clock, pg_name: None, sqlite_path: Some(path) }
}

pub fn pg_admin_url() -> String {
    std::env::var("LOBBY_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn pg_url_for(name: &str) -> String {
    let admin = pg_admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin);
    format!("{base}/{name}")
}

/// A fresh PostgreSQL database, or `None` (skipped) when PostgreSQL is unreachable and
/// CI is not set.
pub async fn postgres() -> Option<TestApp> {
    let mut admin = match sqlx::PgConnection::connect(&pg_admin_url()).await {
        Ok(c) => c,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but PostgreSQL at {} is unreachable: {e}", pg_admin_url());
            }
            eprintln!("note: PostgreSQL unreachable ({e}); skipping the postgres half of this test");
            return None;
        }
    };
    let name = unique_name();
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
    let db = Db::connect(&pg_url_for(&name)).await.expect("postgres test database");
    db.migrate().await.expect("postgres migrations");
    let (state, clock) = app_for(db);
    Some(TestApp { state, clock, pg_name: Some(name), sqlite_path: None })
}

pub struct Cleanup {
    pg_name: Option<String>,
    sqlite_path: Option<std::path::PathBuf>,
}

impl TestApp {
    pub fn cleanup_handle(&self) -> Cleanup {
        Cleanup { pg_name: self.pg_name.clone(), sqlite_path: self.sqlite_path.clone() }
    }
}

impl Cleanup {
    pub async fn run(self) {
        if let Some(name) = self.pg_name {
            if let Ok(mut admin) = sqlx::PgConnection::connect(&pg_admin_url()).await {
                let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
            }
        }
        if let Some(p) = self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
    }
}

/// The longest one test may run; the slowest take well under a minute.
pub const TEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// Runs a test body, then drops its database whether the body passed, panicked or hung.
pub async fn run_test<F, Fut>(t: TestApp, body: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let cleanup = t.cleanup_handle();
    // A hung test fails with its name instead of holding the whole run until CI's limit.
    let task = tokio::spawn(body(t));
    let abort = task.abort_handle();
    let result = tokio::time::timeout(TEST_LIMIT, task).await;
    if result.is_err() {
        abort.abort();
    }
    cleanup.run().await;
    match result {
        Err(_) => panic!("the test ran longer than {} s", TEST_LIMIT.as_secs()),
        Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Ok(Err(e)) => panic!("the test's task ended without finishing: {e}"),
        Ok(Ok(())) => {}
    }
}

#[macro_export]
macro_rules! both_backends {
    ($(#[$meta:meta])* async fn $name:ident($t:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($t: $crate::common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::common::sqlite().await;
                $crate::common::run_test(t, body).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = $crate::common::postgres().await {
                    $crate::common::run_test(t, body).await;
                }
            }
        }
    };
}

/// An organization built for a test: a small department tree (Root › Child › Grandchild,
/// and a separate Other root), a project, and a Company Admin.
#[derive(Clone, Debug)]
pub struct Org {
    pub id: OrgId,
    pub root: DeptId,
    pub child: DeptId,
    pub grandchild: DeptId,
    pub other: DeptId,
    pub project: ProjectId,
    pub admin: PersonId,
    pub admin_email: String,
}

impl TestApp {
    pub async fn org(&self, name: &str) -> Org {
        let now = self.now_ms();
        let mut tx = self.db().begin_write().await.unwrap();
        let id = orgs::create_org(&mut tx, name, now).await.unwrap();
        let root = orgs::create_department(&mut tx, id, None, "Root").await.unwrap();
        let child = orgs::create_department(&mut tx, id, Some(root), "Child").await.unwrap();
        let grandchild = orgs::create_department(&mut tx, id, Some(child), "Grandchild").await.unwrap();
        let other = orgs::create_department(&mut tx, id, None, "Other").await.unwrap();
        let project = orgs::create_project(&mut tx, id, "Apollo", "", now).await.unwrap();
        tx.commit().await.unwrap();
        let admin_email = format!("admin@{}.test", name.to_lowercase().replace(' ', ""));
        let mut org = Org { id, root, child, grandchild, other, project, admin: PersonId(0), admin_email: admin_email.clone() };
        org.admin = self.member(&org, &admin_email, root, true).await;
        org
    }

    pub async fn member(&self, org: &Org, email: &str, dept: DeptId, company_admin: bool) -> PersonId {
        let mut tx = self.db().begin_org_write(org.id).await.unwrap();
        let id = people::insert_member(
            &mut tx,
            NewMember {
                org: org.id,
                email,
                first_name: "Mem",
                last_name: email.split('@').next().unwrap(),
                mobile: None,
                department: dept,
                is_company_admin: company_admin,
                authorized_to_invite: false,
                password_hash: Some(password_hash()),
                now: self.now_ms(),
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn dept_admin(&self, org: &Org, email: &str, manages: DeptId) -> PersonId {
        let id = self.member(org, email, manages, false).await;
        let mut tx = self.db().begin_org_write(org.id).await.unwrap();
        people::add_department_admin(&mut tx, id, manages).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn guest(&self, org: &Org, email: &str, sponsor: DeptId, expires_at: Option<i64>) -> PersonId {
        let mut tx = self.db().begin_org_write(org.id).await.unwrap();
        let now = self.now_ms();
        let id = people::insert_guest(
            &mut tx,
            NewGuest {
                org: org.id,
                email,
                first_name: "Guest",
                last_name: email.split('@').next().unwrap(),
                mobile: None,
                password_hash: Some(password_hash()),
                invited_by: org.admin,
                invited_at: now,
                sponsor_department: sponsor,
                project: Some(org.project),
                permission: Permission::Edit,
                expires_at,
                expiry_period: None,
                expiry_set_at: now,
                now,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// Another server on the same database: its own connection pool, the same clock.
    pub async fn second_server(&self) -> AppState {
        let db = Db::connect(self.db().url()).await.expect("second connection pool");
        AppState::new(db, Arc::new(self.clock.clone()), Config::default())
    }

    /// Makes `inviter` the person who invited `guest`.
    pub async fn set_inviter(&self, org: &Org, guest: PersonId, inviter: PersonId) {
        let mut tx = self.db().begin_org_write(org.id).await.unwrap();
        sqlx::query("UPDATE people SET invited_by = $1 WHERE id = $2").bind(inviter.0).bind(guest.0).execute(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
    }

    pub async fn viewer(&self, id: PersonId) -> app::domain::Viewer {
        people::load_viewer(self.pool(), id, self.now_ms()).await.unwrap().expect("person can sign in").0
    }
}

/// A pending guest invitation from `inviter` written straight to the table (no quota
/// check, no mail), valid for the usual week from `now`; `token` is the secret whose hash
/// is stored. Returns the invitation's id.
pub async fn insert_invitation(tx: &mut app::data::WriteTx, org: &Org, email: &str, dept: DeptId, inviter: PersonId, now: i64, token: &str) -> i64 {
    app::data::invitations::insert(
        tx,
        app::data::invitations::NewInvitation {
            org: org.id,
            email,
            kind: app::domain::PersonKind::Guest,
            project: Some(org.project),
            permission: Some(Permission::Edit),
            department: dept,
            inviter,
            token_hash: &app::service::invitations::token::hash_token(token),
            expiry_period: None,
            now,
            validity_ends_at: now + app::domain::invite::INVITATION_VALIDITY_MS,
        },
    )
    .await
    .unwrap()
    .0
}
