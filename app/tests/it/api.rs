//! The JSON API (F-API) on both backends, through the whole router: tokens (made,
//! listed, revoked, expired, scoped, bound to their owner's role now), every `/api/v1`
//! operation's refusals (no token, a bad one, a revoked or expired one, the wrong scope,
//! another organization's ids, a Department Admin out of scope), problem+json answers
//! for bad input, and the use cases the console has (guests, invitations).

use crate::common;

use app::domain::api_token::Scope;
use app::domain::{PersonId, Viewer};
use app::model::api_tokens::NewTokenInput;
use app::service::api_tokens;
use axum::body::Body;
use axum::Router;
use common::{web, Org, TestApp};
use http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts a problem+json answer with this status and `type`.
    fn problem(&self, status: u16, slug: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        assert_eq!(self.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json", "{}", self.body);
        let p = self.json();
        assert_eq!(p["type"], format!("urn:lobby:problem:{slug}"), "{}", self.body);
        assert_eq!(p["status"], status);
        assert!(p["title"].as_str().is_some_and(|t| !t.is_empty()));
        let detail = p["detail"].as_str().unwrap();
        for leak in ["sqlx", "SELECT", "panicked", "DbError", "error returned from database"] {
            assert!(!detail.contains(leak), "internals in {detail}");
        }
    }
}

async fn call(app: &Router, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    let mut req = Request::builder().method(method).uri(path).header(header::HOST, "127.0.0.1:3000");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn raw(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn token(t: &TestApp, who: &Viewer, scopes: &[Scope], days: i64) -> String {
    api_tokens::create(&t.state, who, NewTokenInput { name: "test".into(), scopes: scopes.to_vec(), days }).await.unwrap().secret
}

const ALL: [Scope; 6] = Scope::ALL;

struct World {
    a: Org,
    admin: Viewer,
    dana: Viewer,
    /// A guest of Child (Dana's) and one of Other (not Dana's).
    child_guest: PersonId,
    other_guest: PersonId,
    b_admin: Viewer,
    b_guest: PersonId,
}

async fn world(t: &TestApp) -> World {
    let a = t.org("Acme").await;
    let b = t.org("Beta").await;
    let dana = t.dept_admin(&a, "dana@acme.test", a.child).await;
    let now = t.now_ms();
    let child_guest = t.guest(&a, "cg@partner.test", a.child, Some(now + 30 * 86_400_000)).await;
    let other_guest = t.guest(&a, "og@partner.test", a.other, None).await;
    let b_guest = t.guest(&b, "bg@partner.test", b.root, None).await;
    World { admin: t.viewer(a.admin).await, dana: t.viewer(dana).await, b_admin: t.viewer(b.admin).await, a, child_guest, other_guest, b_guest }
}

/// A path with its `{id}` filled.
fn fill(path: &str, id: i64) -> String {
    let p = path.replace("{id}", &id.to_string()).replace("{person}", &id.to_string());
    if p.ends_with("/search") {
        p + "?q=ab"
    } else if p.ends_with("/policy") {
        format!("{p}?feature=messaging&with={id}")
    } else {
        p
    }
}

/// A body that would pass for the operation (so a refusal is about who asks, not what).
fn body_for(method: &str, path: &str, w: &World, guest: PersonId) -> Option<Value> {
    match (method, path) {
        ("PATCH", "/api/v1/guests/{id}") => Some(json!({"first_name": "Ada", "last_name": "Lovelace"})),
        ("PUT", "/api/v1/guests/{id}/expiry") => Some(json!({"period": "one_week"})),
        ("POST", "/api/v1/guests/expiry") => Some(json!({"ids": [guest.0], "period": "one_week"})),
        ("POST", "/api/v1/guests/incorporate") => Some(json!({"ids": [guest.0]})),
        ("POST", "/api/v1/guests/delete") => Some(json!({"ids": [guest.0]})),
        ("POST", "/api/v1/invitations") => Some(json!({"emails": ["new@partner.test"], "kind": "guest", "project": w.a.project.0})),
        ("POST", "/api/v1/tokens") => Some(json!({"name": "n", "scopes": ["read_guests"], "days": 5})),
        ("PUT", "/api/v1/guests/{id}/project") => Some(json!({"project": w.a.project.0, "permission": "edit"})),
        ("PUT", "/api/v1/settings") => Some(settings_json(5)),
        ("POST", "/api/v1/departments") => Some(json!({"name": "Unit", "parent": w.a.child.0})),
        ("PATCH", "/api/v1/departments/{id}") => Some(json!({"name": "Renamed"})),
        ("PUT", "/api/v1/people/{id}/department") => Some(json!({"department": w.a.child.0})),
        ("POST", "/api/v1/groups/{id}/members") => Some(json!({"people": [w.dana.id.0]})),
        ("POST", "/api/v1/projects") => Some(json!({"name": "Apollo"})),
        ("PUT", "/api/v1/projects/{id}") => Some(json!({"name": "Apollo", "archived": false})),
        ("PUT", "/api/v1/settings/inviters/{id}") => Some(json!({"authorized": true})),
        _ => None,
    }
}

/// Settings as `PUT /api/v1/settings` takes them, with this quota per member.
fn settings_json(guests_per_member: i64) -> Value {
    json!({
        "invitations_enabled": true,
        "invite_policy": "selected",
        "guests_per_member": guests_per_member,
        "display_all_group": true,
        "receive_activity_report": false,
        "guest_profile": {"messaging": true, "file_sharing": true, "audio_calls": false, "video_calls": false, "screen_sharing": false, "channel_creation": false}
    })
}

fn method(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap()
}

both_backends! {
    async fn every_operation_refuses_a_missing_bad_revoked_or_expired_token_and_the_wrong_scope(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let ops = app::web::api_v1::operations();
        assert!(ops.len() >= 25, "{ops:?}");
        let revoked = token(&t, &w.admin, &ALL, 30).await;
        let mut tx = t.db().begin_org_write(w.a.id).await.unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens WHERE token_hash = $1").bind(api_tokens::hash(&revoked)).fetch_one(tx.conn()).await.unwrap();
        app::data::api_tokens::revoke(&mut tx, w.a.id, app::domain::TokenId(id), None, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        let expired = token(&t, &w.admin, &ALL, 1).await;
        // No scope covers another: a token with only ask_policy may do nothing but ask
        // policy and revoke itself; one with only read_activity may not ask policy.
        let narrow = token(&t, &w.admin, &[Scope::AskPolicy], 30).await;
        let not_policy = token(&t, &w.admin, &[Scope::ReadActivity], 30).await;
        let malformed = "lobby_0000";
        let forged = format!("lobby_{}", "0".repeat(72));
        t.clock.advance(chrono::Duration::days(2));
        let before = web::fingerprint(&t).await;
        for (m, path) in &ops {
            let p = fill(path, w.child_guest.0);
            let body = body_for(m, path, &w, w.child_guest);
            for bad in [None, Some(malformed), Some(forged.as_str()), Some(revoked.as_str()), Some(expired.as_str())] {
                let r = call(&app, method(m), &p, bad, body.clone()).await;
                r.problem(401, "unauthenticated");
                assert!(r.headers.get(header::WWW_AUTHENTICATE).is_some(), "{m} {path}");
            }
            let policy = path == "/api/v1/policy" || path.ends_with("/directory");
            if path != "/api/v1/tokens/current" {
                let wrong = if policy { &not_policy } else { &narrow };
                call(&app, method(m), &p, Some(wrong), body.clone()).await.problem(403, "forbidden");
            }
        }
        // Cookies are not accepted: a signed-in browser session is no token.
        let cookie = web::sign_in(&app, &w.a.admin_email, common::PASSWORD).await;
        let req = Request::get("/api/v1/guests").header(header::COOKIE, cookie).body(Body::empty()).unwrap();
        raw(&app, req).await.problem(401, "unauthenticated");
        let mut after = web::fingerprint(&t).await;
        // Signing in and the hourly note of refused tokens (an entry of the log, counted
        // in its daily counts) are the only changes.
        let changed = ["sessions", "tower_sessions", "activity", "activity_daily", "api_tokens", "signin_failures"];
        after.retain(|(table, ..)| !changed.contains(&table.as_str()));
        let mut before = before;
        before.retain(|(table, ..)| !changed.contains(&table.as_str()));
        assert_eq!(before, after, "refused requests changed nothing");
        // The revoked token's use was logged, once within the hour.
        let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activity WHERE action = 'refused_token_used' AND target_id = $1").bind(id).fetch_one(t.pool()).await.unwrap();
        assert_eq!(logged, 1);
    }
}

both_backends! {
    async fn ids_of_another_organization_or_outside_a_department_admins_scope_are_not_found(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let admin = token(&t, &w.admin, &ALL, 30).await;
        let dana = token(&t, &w.dana, &[Scope::ManageGuests, Scope::ManageInvitations], 30).await;
        let b = token(&t, &w.b_admin, &ALL, 30).await;
        for (m, path) in app::web::api_v1::operations().into_iter().filter(|(_, p)| p.contains("guests/{id}")) {
            // Beta's admin on Acme's guest, Dana on a guest of Other.
            for (who, guest) in [(&b, w.child_guest), (&dana, w.other_guest), (&admin, w.b_guest)] {
                let body = body_for(&m, &path, &w, guest);
                call(&app, method(&m), &fill(&path, guest.0), Some(who), body).await.problem(404, "not-found");
            }
        }
        for path in ["/api/v1/guests/delete", "/api/v1/guests/incorporate", "/api/v1/guests/expiry"] {
            let body = body_for("POST", path, &w, w.b_guest);
            let r = call(&app, Method::POST, path, Some(&admin), body).await;
            assert!(matches!(r.status.as_u16(), 404 | 422), "{path}: {} {}", r.status, r.body);
        }
        // What each sees of the list: their own scope, with no canary from elsewhere.
        let mine = call(&app, Method::GET, "/api/v1/guests?limit=200", Some(&dana), None).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let v = mine.json();
        let emails: Vec<&str> = v["items"].as_array().unwrap().iter().map(|g| g["email"].as_str().unwrap()).collect();
        assert_eq!(emails, ["cg@partner.test"]);
        assert!(!mine.body.contains("og@partner.test") && !mine.body.contains("bg@partner.test"));
        let count = call(&app, Method::GET, "/api/v1/guests/count", Some(&b), None).await.json();
        assert_eq!(count["count"], 1);
        // A Department Admin's token: never manage_settings, and the token endpoints refuse it.
        let refused = api_tokens::create(&t.state, &w.dana, NewTokenInput { name: "x".into(), scopes: vec![Scope::ManageSettings], days: 5 }).await;
        assert!(matches!(refused, Err(app::error::AppError::Invalid(_))));
        call(&app, Method::GET, "/api/v1/tokens", Some(&dana), None).await.problem(403, "forbidden");
        // Tokens of another organization are not found.
        let a_tokens = api_tokens::list(&t.state, &w.admin).await.unwrap();
        let a_id = a_tokens[0].id;
        call(&app, Method::DELETE, &format!("/api/v1/tokens/{a_id}"), Some(&b), None).await.problem(404, "not-found");
    }
}

/// The id an operation's path takes, by the resource it names: `ids` maps a path's
/// first segment after `/api/v1/` (or `people`, `inviters`, `members`) to one.
fn fill_with(path: &str, ids: &[(&str, i64)]) -> String {
    let id_of = |k: &str| ids.iter().find(|(n, _)| *n == k).map(|(_, v)| *v).unwrap_or_else(|| panic!("no id for {k} in {path}"));
    if !path.contains('{') && !path.ends_with("/search") && !path.ends_with("/policy") {
        return path.to_string();
    }
    let resource = path.trim_start_matches("/api/v1/").split('/').next().unwrap();
    let resource = if path.starts_with("/api/v1/settings/inviters/") { "people" } else { resource };
    let p = if path.contains("{id}") { path.replace("{id}", &id_of(resource).to_string()) } else { path.to_string() };
    let p = if p.contains("{person}") { p.replace("{person}", &id_of("people").to_string()) } else { p };
    if p.ends_with("/search") {
        p + "?q=ab"
    } else if p.ends_with("/policy") {
        format!("{p}?feature=messaging&with={}", id_of("people"))
    } else {
        p
    }
}

both_backends! {
    async fn every_operation_keeps_to_the_callers_organization_and_departments(t) {
        // The /api/v1 rows of the access matrix: every operation, called by another
        // organization's Company Admin and by a Department Admin on what is outside her
        // departments, is refused or answers without a trace of what it may not see.
        let w = world(&t).await;
        let app = web::app(&t).await;
        let admin = token(&t, &w.admin, &ALL, 30).await;
        let b = token(&t, &w.b_admin, &ALL, 30).await;
        let dana_scopes: Vec<Scope> = ALL.iter().copied().filter(|s| *s != Scope::ManageSettings).collect();
        let dana = token(&t, &w.dana, &dana_scopes, 30).await;
        // Acme's things outside Child: an invitation, a member, of Other; a group; a token.
        let inv = call(&app, Method::POST, "/api/v1/invitations", Some(&admin), Some(json!({"emails": ["oi@partner.test"], "kind": "guest", "project": w.a.project.0, "department": w.a.other.0}))).await;
        assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.body);
        let inv = inv.json()["items"][0]["id"].as_i64().unwrap();
        let om = t.member(&w.a, "om@acme.test", w.a.other, false).await.0;
        let mut tx = t.db().begin_org_write(w.a.id).await.unwrap();
        let group = app::data::orgs::create_group(&mut tx, w.a.id, "Reviewers").await.unwrap();
        app::data::orgs::add_group_member(&mut tx, group, PersonId(om)).await.unwrap();
        tx.commit().await.unwrap();
        let group = group.0;
        let a_token = api_tokens::list(&t.state, &w.admin).await.unwrap()[0].id;
        let ops = app::web::api_v1::operations();
        let acme_ids = [("guests", w.other_guest.0), ("invitations", inv), ("projects", w.a.project.0), ("departments", w.a.other.0), ("people", om), ("groups", group), ("tokens", a_token)];
        // What Beta's admin and Dana may never read.
        let beta_canaries = ["cg@partner.test", "og@partner.test", "oi@partner.test", "om@acme.test", "acme"];
        // (Members are in everyone's directory; guests and invitations are not.)
        let dana_canaries = ["og@partner.test", "oi@partner.test"];
        // Operations a Department Admin has over the whole organization, as in the console.
        let org_wide = |path: &str| path.starts_with("/api/v1/projects") || path.starts_with("/api/v1/groups/");
        let mut answered = Vec::new();
        for (m, path) in &ops {
            if path == "/api/v1/tokens/current" {
                continue;
            }
            let body = body_for(m, path, &w, w.other_guest);
            for (who, name, canaries) in [(&b, "Beta's admin", &beta_canaries[..]), (&dana, "Dana", &dana_canaries[..])] {
                let p = fill_with(path, &acme_ids);
                let r = call(&app, method(m), &p, Some(who), body.clone()).await;
                let lower = r.body.to_lowercase();
                for c in canaries {
                    assert!(!lower.contains(c), "{name}: {m} {p} shows {c}: {}", r.body);
                }
                if path.contains('{') && !(name == "Dana" && org_wide(path)) {
                    assert!(matches!(r.status.as_u16(), 403 | 404), "{name}: {m} {p} → {} {}", r.status, r.body);
                } else if r.status.is_success() {
                    answered.push(format!("{name}: {m} {p}"));
                } else {
                    assert!(r.status.is_client_error(), "{name}: {m} {p} → {} {}", r.status, r.body);
                }
            }
        }
        // Some answered (each with a body free of canaries), and none touched Acme outside Child.
        assert!(answered.iter().any(|a| a.starts_with("Dana: GET /api/v1/guests")), "{answered:?}");
        assert!(answered.iter().any(|a| a.starts_with("Beta's admin: GET /api/v1/inventory")), "{answered:?}");
        // Acme's outside-Child rows are as they were.
        let og: (String, String) = sqlx::query_as("SELECT first_name, email FROM people WHERE id = $1").bind(w.other_guest.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(og, ("Guest".to_string(), "og@partner.test".to_string()));
        let st: String = sqlx::query_scalar("SELECT state FROM invitations WHERE id = $1").bind(inv).fetch_one(t.pool()).await.unwrap();
        assert_eq!(st, "pending");
        let om_dept: i64 = sqlx::query_scalar("SELECT department_id FROM people WHERE id = $1").bind(om).fetch_one(t.pool()).await.unwrap();
        assert_eq!(om_dept, w.a.other.0);
        let other_name: String = sqlx::query_scalar("SELECT name FROM departments WHERE id = $1").bind(w.a.other.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(other_name, "Other");
        let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE id = $1 AND revoked_at IS NULL").bind(a_token).fetch_one(t.pool()).await.unwrap();
        assert_eq!(live, 1, "Acme's token is not revoked");
        let in_group: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM group_members WHERE group_id = $1 AND person_id = $2").bind(group).bind(om).fetch_one(t.pool()).await.unwrap();
        assert_eq!(in_group, 1, "the member of Other is still in the group");
    }
}

both_backends! {
    async fn a_token_acts_as_its_owner_now(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let dana = token(&t, &w.dana, &[Scope::ReadGuests], 30).await;
        assert_eq!(call(&app, Method::GET, "/api/v1/guests/count", Some(&dana), None).await.json()["count"], 1);
        // Dana is no longer a Department Admin: her token stops at once.
        sqlx::query("DELETE FROM department_admins WHERE person_id = $1").bind(w.dana.id.0).execute(t.pool()).await.unwrap();
        call(&app, Method::GET, "/api/v1/guests/count", Some(&dana), None).await.problem(401, "unauthenticated");
        // "Last used" is noted, at most once a minute.
        let admin = token(&t, &w.admin, &ALL, 30).await;
        call(&app, Method::GET, "/api/v1/guests/count", Some(&admin), None).await;
        let used = |t: &TestApp| {
            let pool = t.pool().clone();
            let h = api_tokens::hash(&admin);
            async move { sqlx::query_scalar::<_, Option<i64>>("SELECT last_used_at FROM api_tokens WHERE token_hash = $1").bind(h).fetch_one(&pool).await.unwrap() }
        };
        let first = used(&t).await.expect("noted");
        t.clock.advance(chrono::Duration::seconds(30));
        call(&app, Method::GET, "/api/v1/guests/count", Some(&admin), None).await;
        assert_eq!(used(&t).await, Some(first), "not again within the minute");
        t.clock.advance(chrono::Duration::seconds(31));
        call(&app, Method::GET, "/api/v1/guests/count", Some(&admin), None).await;
        assert!(used(&t).await.unwrap() > first);
        // The token revokes itself.
        let r = call(&app, Method::DELETE, "/api/v1/tokens/current", Some(&admin), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        call(&app, Method::GET, "/api/v1/guests/count", Some(&admin), None).await.problem(401, "unauthenticated");
        // The owner is mailed 7 days before expiry, once.
        let soon = token(&t, &w.admin, &[Scope::ReadGuests], 10).await;
        assert!(api_tokens::well_formed(&soon));
        assert_eq!(app::jobs::token_notices_once(&t.state).await.unwrap(), 0);
        t.clock.advance(chrono::Duration::days(4));
        assert_eq!(app::jobs::token_notices_once(&t.state).await.unwrap(), 1);
        assert_eq!(app::jobs::token_notices_once(&t.state).await.unwrap(), 0);
        let subject: String = sqlx::query_scalar("SELECT subject FROM outbox WHERE to_email = $1 ORDER BY id DESC LIMIT 1").bind(&w.a.admin_email).fetch_one(t.pool()).await.unwrap();
        assert!(subject.contains("API token") && subject.contains("expires"), "{subject}");
    }
}

both_backends! {
    async fn bad_input_gets_a_problem_and_changes_nothing(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let admin = token(&t, &w.admin, &ALL, 30).await;
        let before = web::fingerprint(&t).await;
        let g = w.child_guest.0;
        let cases: Vec<(Method, String, Option<Value>, u16, &str)> = vec![
            (Method::GET, "/api/v1/guests?limit=0".into(), None, 422, "invalid-input"),
            (Method::GET, "/api/v1/guests?limit=201".into(), None, 422, "invalid-input"),
            (Method::GET, "/api/v1/guests?limit=lots".into(), None, 400, "malformed-request"),
            (Method::GET, "/api/v1/guests?sort=salary".into(), None, 400, "malformed-request"),
            (Method::GET, "/api/v1/guests?cursor=nonsense".into(), None, 422, "invalid-input"),
            (Method::GET, "/api/v1/guests?expires_before=tomorrow".into(), None, 422, "invalid-input"),
            (Method::GET, "/api/v1/guests/search?q=a".into(), None, 422, "invalid-input"),
            (Method::GET, "/api/v1/guests/search".into(), None, 400, "malformed-request"),
            (Method::GET, "/api/v1/guests/abc".into(), None, 400, "malformed-request"),
            (Method::GET, "/api/v1/guests/999999".into(), None, 404, "not-found"),
            (Method::PATCH, format!("/api/v1/guests/{g}"), Some(json!({"first_name": "", "last_name": "X"})), 422, "invalid-input"),
            (Method::PATCH, format!("/api/v1/guests/{g}"), Some(json!({"first_name": 5, "last_name": "X"})), 422, "invalid-input"),
            (Method::PATCH, format!("/api/v1/guests/{g}"), Some(json!({"first_name": "A", "last_name": "B", "salary": 1})), 422, "invalid-input"),
            (Method::PUT, format!("/api/v1/guests/{g}/expiry"), Some(json!({"period": "forever"})), 422, "invalid-input"),
            (Method::POST, "/api/v1/guests/delete".into(), Some(json!({"ids": []})), 422, "invalid-input"),
            (Method::POST, "/api/v1/guests/delete".into(), Some(json!({"ids": [g, 999999]})), 404, "not-found"),
            (Method::POST, "/api/v1/invitations".into(), Some(json!({"emails": ["not-an-email"], "kind": "guest", "project": w.a.project.0})), 422, "invalid-input"),
            (Method::POST, "/api/v1/invitations".into(), Some(json!({"emails": [], "kind": "guest"})), 422, "invalid-input"),
            (Method::POST, "/api/v1/invitations".into(), Some(json!({"emails": ["og@partner.test"], "kind": "guest", "project": w.a.project.0})), 409, "conflict"),
            (Method::POST, "/api/v1/tokens".into(), Some(json!({"name": "x", "scopes": ["read_guests"], "days": 400})), 422, "invalid-input"),
            (Method::POST, "/api/v1/tokens".into(), Some(json!({"name": " ", "scopes": ["read_guests"], "days": 4})), 422, "invalid-input"),
            (Method::POST, "/api/v1/tokens".into(), Some(json!({"name": "x", "scopes": [], "days": 4})), 422, "invalid-input"),
            (Method::DELETE, "/api/v1/invitations/424242".into(), None, 404, "not-found"),
            (Method::GET, "/api/v1/no-such-thing".into(), None, 404, "not-found"),
            (Method::GET, "/api/v1".into(), None, 404, "not-found"),
            (Method::PUT, "/api/v1/guests".into(), None, 405, "method-not-allowed"),
        ];
        for (m, path, body, status, slug) in cases {
            let r = call(&app, m.clone(), &path, Some(&admin), body.clone()).await;
            assert_eq!((r.status.as_u16(), m.as_str(), path.as_str()), (status, m.as_str(), path.as_str()), "{}", r.body);
            r.problem(status, slug);
        }
        // Not JSON, broken JSON, too large.
        let req = |ct: &str, body: Vec<u8>| {
            Request::post("/api/v1/guests/delete").header(header::AUTHORIZATION, format!("Bearer {admin}")).header(header::CONTENT_TYPE, ct).body(Body::from(body)).unwrap()
        };
        raw(&app, req("text/plain", b"{\"ids\":[1]}".to_vec())).await.problem(415, "unsupported-media-type");
        raw(&app, req("application/json", b"{\"ids\":[1".to_vec())).await.problem(400, "malformed-request");
        let big = format!("{{\"ids\":[{}1]}}", "1,".repeat(200_000));
        raw(&app, req("application/json", big.into_bytes())).await.problem(413, "too-large");
        let mut after = web::fingerprint(&t).await;
        after.retain(|(table, ..)| table != "api_tokens");
        let mut before = before;
        before.retain(|(table, ..)| table != "api_tokens");
        assert_eq!(before, after, "nothing changed");
    }
}

both_backends! {
    async fn guests_and_invitations_through_the_api_as_in_the_console(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let admin = token(&t, &w.admin, &[Scope::ManageGuests, Scope::ManageInvitations], 30).await;
        let now = t.now_ms();
        t.guest(&w.a, "soon@partner.test", w.a.root, Some(now + 3 * 86_400_000)).await;
        // Guests leaving this week, by time left, paged one at a time.
        let week = chrono::DateTime::from_timestamp_millis(now + 7 * 86_400_000).unwrap().to_rfc3339();
        let url = format!("/api/v1/guests?limit=1&sort=time_left&expires_before={}", web::enc(&week));
        let p1 = call(&app, Method::GET, &url, Some(&admin), None).await;
        assert_eq!(p1.status, StatusCode::OK, "{}", p1.body);
        let p1 = p1.json();
        assert_eq!(p1["items"][0]["email"], "soon@partner.test");
        assert!(p1["items"][0]["expires_at"].as_str().unwrap().ends_with('Z'));
        assert!(p1["next_cursor"].is_null(), "only one leaves this week");
        let all = call(&app, Method::GET, "/api/v1/guests?limit=2&sort=first_name", Some(&admin), None).await.json();
        let next = all["next_cursor"].as_str().unwrap();
        let rest = call(&app, Method::GET, &format!("/api/v1/guests?limit=2&sort=first_name&cursor={}", web::enc(next)), Some(&admin), None).await.json();
        assert_eq!(all["items"].as_array().unwrap().len() + rest["items"].as_array().unwrap().len(), 3);
        assert_eq!(call(&app, Method::GET, "/api/v1/guests/count", Some(&admin), None).await.json()["count"], 3);
        let found = call(&app, Method::GET, "/api/v1/guests/search?q=soon", Some(&admin), None).await.json();
        assert_eq!(found["items"][0]["email"], "soon@partner.test");

        // Get → rename → expiry → delete.
        let g = w.child_guest.0;
        let got = call(&app, Method::GET, &format!("/api/v1/guests/{g}"), Some(&admin), None).await.json();
        assert_eq!((got["email"].as_str(), got["department"].as_str()), (Some("cg@partner.test"), Some("Child")));
        let renamed = call(&app, Method::PATCH, &format!("/api/v1/guests/{g}"), Some(&admin), Some(json!({"first_name": "Ada", "last_name": "Lovelace"}))).await.json();
        assert_eq!(renamed["first_name"], "Ada");
        let exp = call(&app, Method::PUT, &format!("/api/v1/guests/{g}/expiry"), Some(&admin), Some(json!({"period": "one_week"}))).await.json();
        assert_eq!(exp["expiry_period"], "one_week");
        let deleted = call(&app, Method::DELETE, &format!("/api/v1/guests/{g}"), Some(&admin), None).await;
        assert_eq!(deleted.json()["changed"], 1);
        call(&app, Method::GET, &format!("/api/v1/guests/{g}"), Some(&admin), None).await.problem(404, "not-found");

        // Invitation create → get → resend → revoke.
        let made = call(&app, Method::POST, "/api/v1/invitations", Some(&admin), Some(json!({"emails": ["x1@partner.test", "x2@partner.test"], "kind": "guest", "project": w.a.project.0, "permission": "edit", "expiry": "one_month"}))).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = made.json();
        assert_eq!(made["items"].as_array().unwrap().len(), 2);
        let id = made["items"][0]["id"].as_i64().unwrap();
        let got = call(&app, Method::GET, &format!("/api/v1/invitations/{id}"), Some(&admin), None).await.json();
        assert_eq!((got["email"].as_str(), got["state"].as_str(), got["permission"].as_str()), (Some("x1@partner.test"), Some("pending"), Some("edit")));
        t.clock.advance(chrono::Duration::minutes(2));
        let again = call(&app, Method::POST, &format!("/api/v1/invitations/{id}/resend"), Some(&admin), None).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        let soon_again = call(&app, Method::POST, &format!("/api/v1/invitations/{id}/resend"), Some(&admin), None).await;
        soon_again.problem(429, "rate-limited");
        assert!(soon_again.headers.get(header::RETRY_AFTER).is_some());
        let gone = call(&app, Method::DELETE, &format!("/api/v1/invitations/{id}"), Some(&admin), None).await.json();
        assert_eq!(gone["state"], "revoked");
        call(&app, Method::DELETE, &format!("/api/v1/invitations/{id}"), Some(&admin), None).await.problem(409, "conflict");
        let list = call(&app, Method::GET, "/api/v1/invitations", Some(&admin), None).await.json();
        assert!(list["items"].as_array().unwrap().iter().any(|i| i["email"] == "x2@partner.test"));
        // Listed by state, as people see it: a pending one past its link's validity is lapsed.
        let in_state = |r: Reply| -> Vec<String> {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()["items"].as_array().unwrap().iter().map(|i| format!("{} {}", i["email"].as_str().unwrap(), i["state"].as_str().unwrap())).collect()
        };
        assert_eq!(in_state(call(&app, Method::GET, "/api/v1/invitations?state=revoked", Some(&admin), None).await), ["x1@partner.test revoked"]);
        assert_eq!(in_state(call(&app, Method::GET, "/api/v1/invitations?state=pending", Some(&admin), None).await), ["x2@partner.test pending"]);
        assert!(in_state(call(&app, Method::GET, "/api/v1/invitations?state=lapsed", Some(&admin), None).await).is_empty());
        call(&app, Method::GET, "/api/v1/invitations?state=open", Some(&admin), None).await.problem(400, "malformed-request");
        t.clock.advance(chrono::Duration::days(app::domain::invite::INVITATION_VALIDITY_DAYS + 1));
        assert!(in_state(call(&app, Method::GET, "/api/v1/invitations?state=pending", Some(&admin), None).await).is_empty());
        assert_eq!(in_state(call(&app, Method::GET, "/api/v1/invitations?state=lapsed", Some(&admin), None).await), ["x2@partner.test lapsed"]);
        assert!(in_state(call(&app, Method::GET, "/api/v1/invitations?state=accepted", Some(&admin), None).await).is_empty());
        // The same rule as the console: a Department Admin invites only into their departments.
        let dana = token(&t, &w.dana, &[Scope::ManageInvitations], 30).await;
        let r = call(&app, Method::POST, "/api/v1/invitations", Some(&dana), Some(json!({"emails": ["y@partner.test"], "kind": "guest", "project": w.a.project.0, "department": w.a.other.0}))).await;
        assert!(matches!(r.status.as_u16(), 403 | 404 | 422), "{} {}", r.status, r.body);
    }
}

both_backends! {
    async fn projects_settings_and_policy_through_the_api_as_in_the_console(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let admin = token(&t, &w.admin, &ALL, 30).await;
        let g = w.child_guest.0;

        // A guest leaves their project and joins it again, once each.
        let out = call(&app, Method::DELETE, &format!("/api/v1/guests/{g}/project"), Some(&admin), None).await;
        assert_eq!(out.status, StatusCode::OK, "{}", out.body);
        assert!(out.json()["project"].is_null());
        call(&app, Method::DELETE, &format!("/api/v1/guests/{g}/project"), Some(&admin), None).await.problem(409, "conflict");
        let body = json!({"project": w.a.project.0, "permission": "read_only"});
        let back = call(&app, Method::PUT, &format!("/api/v1/guests/{g}/project"), Some(&admin), Some(body.clone())).await;
        assert_eq!(back.status, StatusCode::OK, "{}", back.body);
        assert_eq!(back.json()["permission"], "read_only");
        assert!(back.json()["project"].is_string());
        call(&app, Method::PUT, &format!("/api/v1/guests/{g}/project"), Some(&admin), Some(body)).await.problem(409, "conflict");
        let unknown = json!({"project": 999999, "permission": "edit"});
        call(&app, Method::DELETE, &format!("/api/v1/guests/{g}/project"), Some(&admin), None).await;
        call(&app, Method::PUT, &format!("/api/v1/guests/{g}/project"), Some(&admin), Some(unknown)).await.problem(404, "not-found");

        // Settings: read, refused when out of range, changed, and who may invite.
        let s = call(&app, Method::GET, "/api/v1/settings", Some(&admin), None).await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        let s = s.json();
        assert_eq!(s["settings"]["guest_profile"]["messaging"], true);
        let dana_row = s["inviters"].as_array().unwrap().iter().find(|i| i["email"] == "dana@acme.test").expect("Dana is listed").clone();
        assert_eq!(dana_row["authorized"], false);
        call(&app, Method::PUT, "/api/v1/settings", Some(&admin), Some(settings_json(1001))).await.problem(422, "invalid-input");
        let mut unknown_field = settings_json(3);
        unknown_field["salary"] = json!(1);
        call(&app, Method::PUT, "/api/v1/settings", Some(&admin), Some(unknown_field)).await.problem(422, "invalid-input");
        let saved = call(&app, Method::PUT, "/api/v1/settings", Some(&admin), Some(settings_json(3))).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let saved = saved.json();
        assert_eq!((saved["settings"]["invite_policy"].as_str(), saved["settings"]["guests_per_member"].as_i64()), (Some("selected"), Some(3)));
        assert_eq!(saved["settings"]["guest_profile"]["file_sharing"], true);
        let dana_id = w.dana.id.0;
        let authorized = call(&app, Method::PUT, &format!("/api/v1/settings/inviters/{dana_id}"), Some(&admin), Some(json!({"authorized": true}))).await.json();
        assert!(authorized["inviters"].as_array().unwrap().iter().any(|i| i["id"] == dana_id && i["authorized"] == true));
        call(&app, Method::PUT, &format!("/api/v1/settings/inviters/{g}"), Some(&admin), Some(json!({"authorized": true}))).await.problem(404, "not-found");
        // Another organization's member is not found either.
        let b_member = w.b_admin.id.0;
        call(&app, Method::PUT, &format!("/api/v1/settings/inviters/{b_member}"), Some(&admin), Some(json!({"authorized": true}))).await.problem(404, "not-found");

        // Over the quota: 409 with its own type, and nothing sent.
        call(&app, Method::PUT, "/api/v1/settings", Some(&admin), Some(settings_json(0))).await;
        let over = call(&app, Method::POST, "/api/v1/invitations", Some(&admin), Some(json!({"emails": ["q@partner.test"], "kind": "guest", "project": w.a.project.0}))).await;
        over.problem(409, "over-quota");
        let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE email = 'q@partner.test'").fetch_one(t.pool()).await.unwrap();
        assert_eq!(sent, 0);

        // Policy: the guest may message the admin; file sharing is on now; another guest
        // does not exist for a guest.
        let admin_id = w.admin.id.0;
        let ask = |q: String| {
            let (app, admin) = (app.clone(), admin.clone());
            async move { call(&app, Method::GET, &format!("/api/v1/policy?{q}"), Some(&admin), None).await }
        };
        let yes = ask(format!("person={g}&feature=file_sharing&with={admin_id}")).await;
        assert_eq!(yes.status, StatusCode::OK, "{}", yes.body);
        let yes = yes.json();
        assert_eq!((yes["allowed"].as_bool(), yes["person"].as_i64(), yes["feature"].as_str()), (Some(true), Some(g), Some("file_sharing")));
        assert!(!yes["reason"].as_str().unwrap().is_empty());
        let no = ask(format!("person={g}&feature=video_calls&with={admin_id}")).await.json();
        assert_eq!(no["allowed"], false);
        assert!(no["reason"].as_str().unwrap().to_lowercase().contains("video"), "{no}");
        ask(format!("person={g}&feature=messaging&with={}", w.other_guest.0)).await.problem(404, "not-found");
        ask(format!("person={g}&feature=teleport&with={admin_id}")).await.problem(422, "invalid-input");
        ask(format!("person={}&feature=messaging&with={admin_id}", w.b_guest.0)).await.problem(404, "not-found");
        // The owner themself when no person is given: a member reaches the guest.
        let mine = ask(format!("feature=messaging&with={g}")).await.json();
        assert_eq!((mine["person"].as_i64(), mine["allowed"].as_bool()), (Some(admin_id), Some(true)));
        // A Department Admin asks only about people in their scope.
        let dana = token(&t, &w.dana, &[Scope::AskPolicy], 30).await;
        let r = call(&app, Method::GET, &format!("/api/v1/policy?person={}&feature=messaging&with={admin_id}", w.other_guest.0), Some(&dana), None).await;
        r.problem(404, "not-found");
        let r = call(&app, Method::GET, &format!("/api/v1/policy?person={g}&feature=messaging&with={admin_id}"), Some(&dana), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // The directory as the guest sees it: members, never another guest.
        let d = call(&app, Method::GET, &format!("/api/v1/people/{g}/directory"), Some(&admin), None).await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.body);
        let d = d.json();
        assert_eq!(d["person"], g);
        assert!(d["groups"].as_array().unwrap().is_empty(), "a guest is in no group");
        let people = d["people"].as_array().unwrap();
        assert!(people.iter().any(|p| p["id"] == admin_id));
        assert!(people.iter().all(|p| p["kind"] == "member" || p["id"] == g), "{people:?}");
        // As the admin: the guests too.
        let own = call(&app, Method::GET, &format!("/api/v1/people/{admin_id}/directory"), Some(&admin), None).await.json();
        assert!(own["people"].as_array().unwrap().iter().any(|p| p["id"] == w.other_guest.0));
        call(&app, Method::GET, &format!("/api/v1/people/{}/directory", w.other_guest.0), Some(&dana), None).await.problem(404, "not-found");
        call(&app, Method::GET, &format!("/api/v1/people/{g}/directory?cursor=nonsense"), Some(&admin), None).await.problem(422, "invalid-input");
    }
}

both_backends! {
    async fn projects_activity_and_inventory_through_the_api_as_in_the_console(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let admin = token(&t, &w.admin, &ALL, 30).await;
        let dana = token(&t, &w.dana, &[Scope::ReadGuests, Scope::ManageGuests, Scope::ReadActivity], 30).await;
        let b = token(&t, &w.b_admin, &ALL, 30).await;
        let p = w.a.project.0;

        // Projects: listed, read with the people the owner may see, created, archived.
        let list = call(&app, Method::GET, "/api/v1/projects", Some(&admin), None).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.json()["items"].as_array().unwrap().iter().any(|x| x["id"] == p));
        let emails = |r: &Reply| -> Vec<String> { r.json()["people"].as_array().unwrap().iter().map(|x| x["email"].as_str().unwrap().to_string()).collect() };
        let whole = call(&app, Method::GET, &format!("/api/v1/projects/{p}"), Some(&admin), None).await;
        assert_eq!(whole.status, StatusCode::OK, "{}", whole.body);
        let whole = emails(&whole);
        assert!(whole.contains(&"cg@partner.test".to_string()) && whole.contains(&"og@partner.test".to_string()), "{whole:?}");
        let hers = emails(&call(&app, Method::GET, &format!("/api/v1/projects/{p}"), Some(&dana), None).await);
        assert!(hers.contains(&"cg@partner.test".to_string()) && !hers.contains(&"og@partner.test".to_string()), "{hers:?}");
        call(&app, Method::GET, &format!("/api/v1/projects/{p}"), Some(&b), None).await.problem(404, "not-found");
        call(&app, Method::POST, "/api/v1/projects", Some(&admin), Some(json!({"name": " "}))).await.problem(422, "invalid-input");
        call(&app, Method::POST, "/api/v1/projects", Some(&admin), Some(json!({"name": "x", "description": "d".repeat(501)}))).await.problem(422, "invalid-input");
        let made = call(&app, Method::POST, "/api/v1/projects", Some(&admin), Some(json!({"name": "Apollo", "description": "Moon"}))).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let id = made.json()["project"]["id"].as_i64().unwrap();
        let archived = call(&app, Method::PUT, &format!("/api/v1/projects/{id}"), Some(&dana), Some(json!({"name": "Apollo 11", "archived": true}))).await;
        assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
        assert_eq!((archived.json()["project"]["name"].as_str(), archived.json()["project"]["archived"].as_bool()), (Some("Apollo 11"), Some(true)));
        call(&app, Method::PUT, &format!("/api/v1/projects/{id}"), Some(&b), Some(json!({"name": "Mine", "archived": false}))).await.problem(404, "not-found");

        // The Activity Report: refused while off, then the month's entries and its CSV.
        assert_eq!(call(&app, Method::PUT, "/api/v1/settings", Some(&admin), Some(settings_json(1000))).await.status, StatusCode::OK);
        call(&app, Method::GET, "/api/v1/activity", Some(&admin), None).await.problem(403, "forbidden");
        call(&app, Method::GET, "/api/v1/activity.csv", Some(&admin), None).await.problem(403, "forbidden");
        let mut on = settings_json(1000);
        on["receive_activity_report"] = json!(true);
        assert_eq!(call(&app, Method::PUT, "/api/v1/settings", Some(&admin), Some(on)).await.status, StatusCode::OK);
        let month = call(&app, Method::GET, "/api/v1/activity", Some(&admin), None).await;
        assert_eq!(month.status, StatusCode::OK, "{}", month.body);
        let month = month.json();
        assert_eq!(month["month"], "2026-11");
        let other = month["other"]["items"].as_array().unwrap();
        assert!(other.iter().any(|e| e["about"].as_str().is_some_and(|a| a.contains("Apollo"))), "{other:?}");
        call(&app, Method::GET, "/api/v1/activity?month=2026-13", Some(&admin), None).await.problem(422, "invalid-input");
        let csv = call(&app, Method::GET, "/api/v1/activity.csv?month=2026-11", Some(&admin), None).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        assert!(csv.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
        assert!(csv.body.contains("Apollo") && csv.body.lines().count() >= 3, "{}", csv.body);
        // Dana's report: her departments only (Acme's project entries are organization-wide, not hers).
        let hers = call(&app, Method::GET, "/api/v1/activity", Some(&dana), None).await;
        assert_eq!(hers.status, StatusCode::OK, "{}", hers.body);
        assert!(!hers.body.contains("og@partner.test"));

        // The inventory: JSON with the console's filters, and the same rows as CSV.
        let inv = call(&app, Method::GET, "/api/v1/inventory?sort=name&dir=desc", Some(&admin), None).await;
        assert_eq!(inv.status, StatusCode::OK, "{}", inv.body);
        let rows: Vec<String> = inv.json()["items"].as_array().unwrap().iter().map(|x| x["email"].as_str().unwrap().to_string()).collect();
        assert!(rows.contains(&"cg@partner.test".to_string()) && rows.contains(&"og@partner.test".to_string()), "{rows:?}");
        let csv = call(&app, Method::GET, "/api/v1/inventory.csv?sort=name&dir=desc", Some(&admin), None).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        assert_eq!(csv.body.lines().count(), rows.len() + 1, "a header and the same rows: {}", csv.body);
        for e in &rows {
            assert!(csv.body.contains(e.as_str()), "{e} in the CSV");
        }
        let of_other = call(&app, Method::GET, &format!("/api/v1/inventory?department={}", w.a.other.0), Some(&admin), None).await.json();
        let of_other: Vec<&str> = of_other["items"].as_array().unwrap().iter().map(|x| x["email"].as_str().unwrap()).collect();
        assert_eq!(of_other, ["og@partner.test"]);
        let hers = call(&app, Method::GET, "/api/v1/inventory", Some(&dana), None).await;
        assert!(hers.body.contains("cg@partner.test") && !hers.body.contains("og@partner.test"), "{}", hers.body);
        call(&app, Method::GET, "/api/v1/inventory?sort=salary", Some(&admin), None).await.problem(422, "invalid-input");
        call(&app, Method::GET, "/api/v1/inventory.csv?idle=-3", Some(&admin), None).await.problem(422, "invalid-input");
        let theirs = call(&app, Method::GET, "/api/v1/inventory", Some(&b), None).await;
        assert!(theirs.status == StatusCode::OK && !theirs.body.contains("cg@partner.test"), "{}", theirs.body);
    }
}

both_backends! {
    async fn departments_and_groups_through_the_api_as_in_the_console(t) {
        let w = world(&t).await;
        let app = web::app(&t).await;
        let admin = token(&t, &w.admin, &ALL, 30).await;
        let dana = token(&t, &w.dana, &[Scope::ReadGuests, Scope::ManageGuests], 30).await;
        let b = token(&t, &w.b_admin, &ALL, 30).await;
        let (child, grandchild, other) = (w.a.child.0, w.a.grandchild.0, w.a.other.0);
        let names = |r: &Reply| -> Vec<String> { r.json()["departments"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap().to_string()).collect() };

        let all = call(&app, Method::GET, "/api/v1/departments", Some(&admin), None).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        let all = names(&all);
        assert!(["Root", "Child", "Grandchild", "Other"].iter().all(|n| all.contains(&n.to_string())), "{all:?}");
        assert!(!all.contains(&"Guests".to_string()), "the Guests department is not listed: {all:?}");
        let hers = names(&call(&app, Method::GET, "/api/v1/departments", Some(&dana), None).await);
        assert_eq!(hers, ["Child", "Grandchild"]);
        call(&app, Method::GET, &format!("/api/v1/departments/{other}"), Some(&dana), None).await.problem(404, "not-found");
        call(&app, Method::GET, &format!("/api/v1/departments/{child}"), Some(&b), None).await.problem(404, "not-found");
        let d = call(&app, Method::GET, &format!("/api/v1/departments/{child}"), Some(&admin), None).await.json();
        assert!(d["admins"].as_array().unwrap().iter().any(|a| a["email"] == "dana@acme.test"), "{d}");

        // Dana creates below Child, renames and deletes it; the top level is not hers.
        let made = call(&app, Method::POST, "/api/v1/departments", Some(&dana), Some(json!({"name": "Unit", "parent": child}))).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let unit = made.json()["id"].as_i64().unwrap();
        call(&app, Method::POST, "/api/v1/departments", Some(&dana), Some(json!({"name": "Unit", "parent": child}))).await.problem(409, "conflict");
        let top = call(&app, Method::POST, "/api/v1/departments", Some(&dana), Some(json!({"name": "Top", "parent": null}))).await;
        assert!(matches!(top.status.as_u16(), 403 | 404), "{} {}", top.status, top.body);
        call(&app, Method::POST, "/api/v1/departments", Some(&dana), Some(json!({"name": "", "parent": child}))).await.problem(422, "invalid-input");
        let renamed = call(&app, Method::PATCH, &format!("/api/v1/departments/{unit}"), Some(&dana), Some(json!({"name": "Unit 2"}))).await;
        assert_eq!(renamed.json()["name"], "Unit 2", "{}", renamed.body);
        call(&app, Method::PATCH, &format!("/api/v1/departments/{unit}"), Some(&dana), Some(json!({}))).await.problem(422, "invalid-input");
        let moved = call(&app, Method::PATCH, &format!("/api/v1/departments/{unit}"), Some(&dana), Some(json!({"parent": grandchild}))).await;
        assert_eq!(moved.json()["parent"], "Grandchild", "{}", moved.body);
        let away = call(&app, Method::PATCH, &format!("/api/v1/departments/{unit}"), Some(&dana), Some(json!({"parent": other}))).await;
        assert!(matches!(away.status.as_u16(), 403 | 404), "{} {}", away.status, away.body);
        assert_eq!(call(&app, Method::DELETE, &format!("/api/v1/departments/{unit}"), Some(&dana), None).await.status, StatusCode::OK);
        call(&app, Method::DELETE, &format!("/api/v1/departments/{unit}"), Some(&dana), None).await.problem(404, "not-found");
        // Child has a member and sponsors a guest: not deleted.
        call(&app, Method::DELETE, &format!("/api/v1/departments/{child}"), Some(&admin), None).await.problem(409, "conflict");

        // Moving a member: within Dana's departments only.
        let m = t.member(&w.a, "mover@acme.test", w.a.child, false).await.0;
        let r = call(&app, Method::PUT, &format!("/api/v1/people/{m}/department"), Some(&dana), Some(json!({"department": grandchild}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = call(&app, Method::PUT, &format!("/api/v1/people/{m}/department"), Some(&dana), Some(json!({"department": other}))).await;
        assert!(matches!(r.status.as_u16(), 403 | 404), "{} {}", r.status, r.body);
        let r = call(&app, Method::PUT, &format!("/api/v1/people/{}/department", w.child_guest.0), Some(&admin), Some(json!({"department": other}))).await;
        r.problem(403, "forbidden");
        assert!(r.body.contains("Guests stay in the Guests department"), "{}", r.body);

        // Groups: members in and out; never a guest; another organization's group is unknown.
        let mut tx = t.db().begin_org_write(w.a.id).await.unwrap();
        let g = app::data::orgs::create_group(&mut tx, w.a.id, "Reviewers").await.unwrap().0;
        tx.commit().await.unwrap();
        let added = call(&app, Method::POST, &format!("/api/v1/groups/{g}/members"), Some(&admin), Some(json!({"people": [m]}))).await;
        assert_eq!(added.json()["changed"], 1, "{}", added.body);
        let guest = call(&app, Method::POST, &format!("/api/v1/groups/{g}/members"), Some(&admin), Some(json!({"people": [w.child_guest.0]}))).await;
        guest.problem(403, "forbidden");
        assert!(guest.body.contains("Guests cannot be added to groups"), "{}", guest.body);
        let page = call(&app, Method::GET, &format!("/api/v1/groups/{g}"), Some(&admin), None).await.json();
        assert_eq!(page["member_count"], 1);
        assert_eq!(page["members"][0]["id"], m);
        call(&app, Method::GET, &format!("/api/v1/groups/{g}"), Some(&b), None).await.problem(404, "not-found");
        assert_eq!(call(&app, Method::DELETE, &format!("/api/v1/groups/{g}/members/{m}"), Some(&admin), None).await.status, StatusCode::OK);
        assert_eq!(call(&app, Method::GET, &format!("/api/v1/groups/{g}"), Some(&admin), None).await.json()["member_count"], 0);
        call(&app, Method::DELETE, &format!("/api/v1/groups/{g}/members/abc"), Some(&admin), None).await.problem(400, "malformed-request");
    }
}

#[tokio::test]
async fn the_openapi_document_is_the_snapshot_and_the_reference_page_lists_every_operation() {
    let doc = serde_json::to_string_pretty(&app::web::api_v1::openapi_json()).unwrap() + "\n";
    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
        std::fs::write(&snapshot, &doc).unwrap();
    }
    let want = std::fs::read_to_string(&snapshot).expect("tests/snapshots/openapi.json (UPDATE_SNAPSHOTS=1 writes it)");
    assert!(want == doc, "the API contract changed: review the diff and run with UPDATE_SNAPSHOTS=1 to accept it");
    let v: Value = serde_json::from_str(&doc).unwrap();
    assert!(v["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(v["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(v["components"]["schemas"]["Problem"].is_object());
    // Every operation has its own operationId (clients and fuzzers name calls by it).
    let mut ids = Vec::new();
    for item in v["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            ids.push(op["operationId"].as_str().expect("an operationId").to_string());
        }
    }
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "operationIds repeat: {ids:?}");

    let t = common::sqlite().await;
    let app = web::app(&t).await;
    let served = call(&app, Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.json(), v);
    let page = call(&app, Method::GET, "/api/docs", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script") && !page.body.contains("https://"), "offline: nothing fetched");
    for (m, path) in app::web::api_v1::operations() {
        assert!(page.body.contains(&format!("<code>{m}</code></td><td><code>{path}</code>")), "{m} {path}");
    }
}
