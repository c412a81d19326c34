//! The counts of live guests and members, of those who never signed in, and of pending
//! invitations (issue 17 §1) come from `people_counts` and `invitation_counts`, which
//! triggers keep in the writing transaction. Whatever moves people or invitations, one at
//! a time, in batches, by a job or by two servers at once, the kept counts equal a full
//! count of the tables, and every count the console shows (Guests created, the Users
//! page, the quota, the dashboard's cards) is that full count in each scope.

use crate::common;

use app::data::people::ScopeOf;
use app::domain::Viewer;
use app::service::guests;
use app::service::structure;
use chrono::Duration;
use common::{Org, TestApp};

/// The kept counts and a full count of the people and invitations tables, row for row
/// (zeros left out).
async fn assert_counts_exact(t: &TestApp, when: &str) {
    let kept: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT org_id, kind, department_id, n, unseen FROM people_counts WHERE n <> 0 OR unseen <> 0 ORDER BY 1, 2, 3",
    )
    .fetch_all(t.pool())
    .await
    .unwrap();
    let full: Vec<(i64, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*),
                CAST(SUM(CASE WHEN last_seen_at IS NULL AND created_at >= (SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since') THEN 1 ELSE 0 END) AS BIGINT)
         FROM people WHERE state <> 'removed' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .fetch_all(t.pool())
    .await
    .unwrap();
    assert_eq!(kept, full, "{when}: the kept counts differ from the people table");
    let kept: Vec<(i64, String, i64, i64)> =
        sqlx::query_as("SELECT org_id, kind, department_id, n FROM invitation_counts WHERE n <> 0 ORDER BY 1, 2, 3")
            .fetch_all(t.pool())
            .await
            .unwrap();
    let full: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT org_id, kind, department_id, COUNT(*) FROM invitations WHERE state = 'pending' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .fetch_all(t.pool())
    .await
    .unwrap();
    assert_eq!(kept, full, "{when}: the kept counts differ from the invitations table");
}

/// What each scope's counters say, against a full count of the same scope.
async fn assert_scope_counts(t: &TestApp, viewer: &Viewer, when: &str) {
    let scope = ScopeOf::of(viewer);
    let managed = "(SELECT c.descendant_id FROM department_admins a JOIN department_closure c ON c.ancestor_id = a.department_id WHERE a.person_id = $3)";
    let full_sql = format!(
        "SELECT
           (SELECT COUNT(*) FROM people p WHERE p.org_id = $1 AND p.kind = 'member' AND p.state <> 'removed' AND ($2 = 1 OR p.department_id IN {managed})),
           (SELECT COUNT(*) FROM people p WHERE p.org_id = $1 AND p.kind = 'guest' AND p.state <> 'removed' AND ($2 = 1 OR p.sponsor_department_id IN {managed}))"
    );
    let (members, guests_full): (i64, i64) = sqlx::query_as(&full_sql)
        .bind(scope.org.0)
        .bind(if scope.whole_org { 1i64 } else { 0 })
        .bind(scope.viewer.0)
        .fetch_one(t.pool())
        .await
        .unwrap();
    let counts = app::data::people::counts(t.pool(), scope).await.unwrap();
    assert_eq!((counts.members, counts.guests), (members, guests_full), "{when}: Users page counts");
    assert_eq!(guests::count(&t.state, viewer).await.unwrap(), guests_full, "{when}: Guests created");

    // The dashboard's cards, each against the full count of its definition.
    let now = t.now_ms();
    let guests_in = format!("p.org_id = $1 AND p.kind = 'guest' AND p.state <> 'removed' AND ($2 = 1 OR p.sponsor_department_id IN {managed})");
    let pending_in = format!("i.org_id = $1 AND i.kind = 'guest' AND i.state = 'pending' AND i.validity_ends_at > $4 AND ($2 = 1 OR i.department_id IN {managed})");
    let figures_sql = format!(
        "SELECT
           (SELECT COUNT(*) FROM people p WHERE {guests_in} AND p.expires_at <= $4 + $5),
           (SELECT COUNT(*) FROM invitations i WHERE {pending_in}),
           (SELECT COUNT(*) FROM invitations i WHERE {pending_in} AND i.validity_ends_at <= $4 + $6),
           (SELECT COUNT(*) FROM people p WHERE {guests_in} AND p.last_seen_at IS NULL
              AND p.created_at >= (SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'))
           + (SELECT COUNT(*) FROM invitations i WHERE {pending_in})"
    );
    let full: (i64, i64, i64, i64) = sqlx::query_as(&figures_sql)
        .bind(scope.org.0)
        .bind(if scope.whole_org { 1i64 } else { 0 })
        .bind(scope.viewer.0)
        .bind(now)
        .bind(7 * 86_400_000i64)
        .bind(48 * 3_600_000i64)
        .fetch_one(t.pool())
        .await
        .unwrap();
    let f = app::data::dashboard::figures(t.pool(), scope, now).await.unwrap();
    assert_eq!((f.leaving_soon, f.pending, f.lapsing_soon, f.never_signed_in), full, "{when}: the dashboard's cards");

    // The quota: live guests and unlapsed pending guest invitations of the organization.
    let used: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed')
              + (SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND kind = 'guest' AND state = 'pending' AND validity_ends_at > $2)",
    )
    .bind(scope.org.0)
    .bind(now)
    .fetch_one(t.pool())
    .await
    .unwrap();
    let mut conn = t.pool().acquire().await.unwrap();
    let quota = app::data::invitations::quota(&mut conn, scope.org, now).await.unwrap();
    assert_eq!(quota.used, used, "{when}: the quota's places used");
}

async fn live_guests(t: &TestApp, org: &Org) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed' ORDER BY id")
        .bind(org.id.0)
        .fetch_all(t.pool())
        .await
        .unwrap()
}

async fn live_members(t: &TestApp, org: &Org) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM people WHERE org_id = $1 AND kind = 'member' AND state <> 'removed' AND is_company_admin = 0 ORDER BY id")
        .bind(org.id.0)
        .fetch_all(t.pool())
        .await
        .unwrap()
}

/// A small linear congruential generator: the same "random" operations on every run.
struct Dice(u64);
impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

both_backends! {
    async fn kept_counts_equal_a_full_count_after_every_kind_of_change(t) {
        let a = t.org("Acme").await;
        let b = t.org("Beta").await;
        let admin = t.viewer(a.admin).await;
        let dept_admin_id = t.dept_admin(&a, "da@acme.test", a.child).await;
        let dept_admin = t.viewer(dept_admin_id).await;
        let b_admin = t.viewer(b.admin).await;
        assert_counts_exact(&t, "after setup").await;

        let depts = [a.root, a.child, a.grandchild, a.other];
        let mut dice = Dice(17);
        let mut made = 0;
        // Pending invitations: (organization, id, token); and every invitation sent.
        let mut invited: Vec<(bool, i64, String)> = Vec::new();
        let mut sent: Vec<(bool, i64)> = Vec::new();
        let mut renewed = 0;
        let (mut accepted, mut closed) = (0, 0);
        for step in 0..120 {
            let now = t.now_ms();
            if step == 60 {
                // Sign-ins counted from now on: everyone who joined before is "unknown".
                sqlx::query("UPDATE lobby_meta SET value = $1 WHERE key = 'last_seen_recorded_since'").bind(now - 30_000).execute(t.pool()).await.unwrap();
            }
            match dice.roll(12) {
                6 | 7 => {
                    made += 1;
                    let in_b = dice.roll(4) == 0;
                    let (org, dept) = if in_b { (&b, b.root) } else { (&a, depts[dice.roll(4)]) };
                    let token = format!("{made:064x}");
                    let mut tx = t.db().begin_org_write(org.id).await.unwrap();
                    let id = common::insert_invitation(&mut tx, org, &format!("inv{made}@x.test"), dept, org.admin, now, &token).await;
                    tx.commit().await.unwrap();
                    invited.push((in_b, id, token));
                    sent.push((in_b, id));
                }
                11 if !sent.is_empty() => {
                    // Resend: a lapsed one is pending again (a new link), a revoked or
                    // accepted one is refused and nothing moves.
                    let (in_b, id) = sent[dice.roll(sent.len())];
                    let who = if in_b { &b_admin } else { &admin };
                    t.clock.advance(Duration::minutes(2));
                    if app::service::invitations::resend(&t.state, who, id).await.is_ok() {
                        renewed += 1;
                    }
                }
                8 if !invited.is_empty() => {
                    let (_, _, token) = invited.remove(dice.roll(invited.len()));
                    // A lapsed one is refused and stays as it is.
                    if app::service::invitations::acceptance::accept(&t.state, &token, "New", "Comer", "a long enough password", "").await.is_ok() {
                        accepted += 1;
                    }
                }
                9 if !invited.is_empty() => {
                    let (in_b, id, _) = invited.remove(dice.roll(invited.len()));
                    let who = if in_b { &b_admin } else { &admin };
                    if app::service::invitations::revoke(&t.state, who, id).await.is_ok() {
                        closed += 1;
                    }
                }
                10 => {
                    // A day passes: some invitations reach their last day, some lapse.
                    t.clock.advance(Duration::hours(30));
                    closed += app::jobs::lapse_once(&t.state).await.unwrap();
                    let live = live_guests(&t, &a).await;
                    if !live.is_empty() {
                        let who = live[dice.roll(live.len())];
                        app::data::people::record_seen(t.pool(), app::domain::PersonId(who), t.now_ms()).await.unwrap();
                    }
                }
                r => match r % 6 {
                0 | 1 => {
                    made += 1;
                    // Some guests are set to leave soon, for the sweeper to remove.
                    let expires = if dice.roll(3) == 0 { Some(now + 60_000) } else { None };
                    t.guest(&a, &format!("g{made}@x.test"), depts[dice.roll(4)], expires).await;
                    if dice.roll(4) == 0 {
                        t.guest(&b, &format!("g{made}@x.test"), b.root, None).await;
                    }
                }
                2 => {
                    let live = live_guests(&t, &a).await;
                    if !live.is_empty() {
                        let pick = live[dice.roll(live.len())];
                        let into = if dice.roll(2) == 0 { None } else { Some(depts[dice.roll(4)].0) };
                        guests::incorporate_into(&t.state, &admin, &[pick], into).await.unwrap();
                    }
                }
                3 => {
                    let live = live_guests(&t, &a).await;
                    let chosen: Vec<i64> = live.iter().copied().filter(|_| dice.roll(3) == 0).collect();
                    if !chosen.is_empty() {
                        guests::delete(&t.state, &admin, &chosen).await.unwrap();
                    }
                }
                4 => {
                    let members = live_members(&t, &a).await;
                    if !members.is_empty() {
                        let who = members[dice.roll(members.len())];
                        let to = depts[dice.roll(4)];
                        // Moving someone into the department they are in is refused; nothing changes then.
                        let _ = structure::move_person(&t.state, &admin, who, to.0).await;
                    }
                }
                _ => {
                    t.clock.advance(Duration::minutes(2));
                    app::jobs::sweep_once(&t.state).await.unwrap();
                }
                },
            }
            assert_counts_exact(&t, &format!("step {step}")).await;
            if step % 10 == 9 {
                for v in [&admin, &dept_admin, &b_admin] {
                    assert_scope_counts(&t, v, &format!("step {step}")).await;
                }
            }
        }
        assert!(made > 10, "the run made guests and invitations");
        assert!(accepted > 0 && closed > 0 && renewed > 0, "invitations were accepted ({accepted}), revoked or lapsed ({closed}) and sent again ({renewed})");

        // Two servers at once: one deletes, one incorporates, and both sweep.
        for i in 0..40 {
            let expires = if i % 4 == 0 { Some(t.now_ms() + 1_000) } else { None };
            t.guest(&a, &format!("late{i}@x.test"), depts[i % 4], expires).await;
        }
        t.clock.advance(Duration::seconds(5));
        let live = live_guests(&t, &a).await;
        let (evens, odds): (Vec<i64>, Vec<i64>) = live.iter().partition(|id| *id % 2 == 0);
        let (s1, s2) = (t.state.clone(), t.second_server().await);
        let (v1, v2) = (admin.clone(), admin.clone());
        let (s3, s4) = (s1.clone(), s2.clone());
        let (r1, r2, r3, r4) = tokio::join!(
            tokio::spawn(async move { guests::delete(&s1, &v1, &evens).await }),
            tokio::spawn(async move { guests::incorporate_into(&s2, &v2, &odds, None).await }),
            tokio::spawn(async move { app::jobs::sweep_once(&s3).await }),
            tokio::spawn(async move { app::jobs::sweep_once(&s4).await })
        );
        // A guest the sweeper took first is no longer selectable: that refusal is fine.
        for r in [r1.unwrap().map(|_| ()), r2.unwrap().map(|_| ())] {
            if let Err(e) = r {
                assert!((400..500).contains(&e.status()), "a refusal, not a failure: {e:?}");
            }
        }
        r3.unwrap().unwrap();
        r4.unwrap().unwrap();
        assert_counts_exact(&t, "after two servers").await;
        for v in [&admin, &dept_admin, &b_admin] {
            assert_scope_counts(&t, v, "after two servers").await;
        }
    }
}
