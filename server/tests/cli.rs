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

fn temp_db(name: &str) -> String {
    let p = std::env::temp_dir().join(format!("lobby-cli-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&p);
    format!("sqlite://{}", p.display())
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
    let db = temp_db("create-org");
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
    let db = temp_db("demo");
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
    let db = temp_db("port");
    let o = lobby(&["--database-url", db.as_str(), "serve"], &[("LEPTOS_SITE_ADDR", addr.as_str())]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains(&format!("{addr} is already in use")), "{}", stderr(&o));
}
