//! The `lobby` binary as an operator meets it: its subcommands and its messages for a
//! bad database URL, an unreachable database and a taken port.

use std::process::{Command, Output, Stdio};

fn lobby(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lobby"));
    c.args(args).env_remove("DATABASE_URL").env("LEPTOS_OUTPUT_NAME", "lobby").stdin(Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("lobby runs")
}

/// An SQLite database file for one test, removed (with its WAL files) when dropped.
struct TempDb {
    path: std::path::PathBuf,
    url: String,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

fn temp_db(name: &str) -> TempDb {
    let path = std::env::temp_dir().join(format!("lobby-cli-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    TempDb { path, url }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_bad_database_url_is_explained() {
    let o = lobby(&["--database-url", "mysql://root@localhost/x", "migrate"], &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("must start with sqlite:// or postgres://"), "{}", stderr(&o));
}

#[test]
fn an_unreachable_database_is_explained_without_its_password() {
    let o = lobby(&["--database-url", "postgres://bob:s3cret@127.0.0.1:1/lobby", "migrate"], &[]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("cannot reach the database at postgres://bob:***@127.0.0.1:1/lobby"), "{e}");
    assert!(!e.contains("s3cret"));
}

#[test]
fn create_org_reads_the_password_from_the_environment_and_refuses_a_duplicate() {
    let tmp = temp_db("create-org");
    let db = &tmp.url;
    let args = ["--database-url", db.as_str(), "create-org", "--name", "Initech", "--admin-email", "Boss@Initech.test"];
    let o = lobby(&args, &[("LOBBY_ADMIN_PASSWORD", "a long enough password")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Company Admin boss@initech.test"));
    let again = lobby(&args, &[("LOBBY_ADMIN_PASSWORD", "a long enough password")]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    let short = lobby(&["--database-url", db.as_str(), "create-org", "--name", "Other", "--admin-email", "x@y.test"], &[("LOBBY_ADMIN_PASSWORD", "short")]);
    assert!(stderr(&short).contains("at least 10 characters"), "{}", stderr(&short));
}

#[test]
fn demo_data_prints_the_sign_ins_and_loads_once() {
    let tmp = temp_db("demo");
    let db = &tmp.url;
    let first = lobby(&["--database-url", db.as_str(), "demo-data"], &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(out.contains("Loaded the demo organization") && out.contains("admin@northwind.test"), "{out}");
    let second = lobby(&["--database-url", db.as_str(), "demo-data"], &[]);
    assert!(String::from_utf8_lossy(&second.stdout).contains("Using the demo organization"));
}

#[test]
fn a_taken_port_is_explained() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let tmp = temp_db("port");
    let db = &tmp.url;
    let o = lobby(&["--database-url", db.as_str(), "serve"], &[("LEPTOS_SITE_ADDR", addr.as_str())]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains(&format!("{addr} is already in use")), "{}", stderr(&o));
}

/// PostgreSQL for the multi-server test, or `None` (skipped with a note) when it is
/// unreachable and CI is not set.
async fn pg_database() -> Option<(String, String)> {
    use sqlx::{Connection, Executor};
    let admin_url = std::env::var("LOBBY_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("note: PostgreSQL unreachable ({e}); skipping");
            return None;
        }
        Err(e) => panic!("CI is set but PostgreSQL at {admin_url} is unreachable: {e}"),
    };
    let name = format!("lobby_cli_{}_{}", std::process::id(), std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis());
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    Some((admin_url, format!("{base}/{name}")))
}

fn free_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

/// Kills the servers even when an assertion fails.
struct Servers(Vec<std::process::Child>);

impl Drop for Servers {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Two `lobby serve` processes on one PostgreSQL database, sweeping every second: each
/// guest whose time is up is removed and logged once, each due reminder sent and logged
/// once.
#[tokio::test]
async fn two_servers_on_one_postgres_database_remove_and_remind_each_guest_once() {
    use sqlx::Connection;
    let Some((admin_url, url)) = pg_database().await else { return };
    let o = lobby(&["--database-url", url.as_str(), "demo-data"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    // Every guest without a pending reminder is made due for removal.
    let removals = sqlx::query("UPDATE people SET expires_at = $1 WHERE kind = 'guest' AND next_reminder_at IS NULL AND email <> 'grace.guest@partner.test'")
        .bind(now - 1000)
        .execute(&mut db)
        .await
        .unwrap()
        .rows_affected() as i64;
    let reminders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE kind = 'guest' AND next_reminder_at <= $1 AND expires_at > $1")
        .bind(now)
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert!(removals >= 20 && reminders >= 2, "the demo data gives work to both jobs: {removals} removals, {reminders} reminders");
    let mut servers = Servers(Vec::new());
    for _ in 0..2 {
        let port = free_port();
        let mut c = Command::new(env!("CARGO_BIN_EXE_lobby"));
        c.args(["--database-url", url.as_str(), "serve"])
            .env("LEPTOS_OUTPUT_NAME", "lobby")
            .env("LEPTOS_SITE_ADDR", &port)
            .env("LOBBY_SWEEP_SECONDS", "1")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        servers.0.push(c.spawn().expect("lobby serve starts"));
    }
    let count = |action: &'static str| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM activity WHERE action = $1").bind(action);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE kind = 'guest' AND state <> 'removed' AND (expires_at <= $1 OR next_reminder_at <= $1)")
            .bind(now)
            .fetch_one(&mut db)
            .await
            .unwrap();
        if left == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{left} guests still due after 90 s");
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    // A few more sweeps by both servers: nothing is done twice.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    drop(servers);
    assert_eq!(count("automatic_removal").fetch_one(&mut db).await.unwrap(), removals);
    assert_eq!(count("expiry_reminder").fetch_one(&mut db).await.unwrap(), reminders);
    let twice: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT subject_id, details FROM activity WHERE action = 'expiry_reminder' GROUP BY subject_id, details HAVING COUNT(*) > 1) d",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert_eq!(twice, 0);
    db.close().await.unwrap();
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    let name = url.rsplit('/').next().unwrap();
    sqlx::Executor::execute(&mut admin, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.unwrap();
}
