//! The counts of live guests and members (issue 17 §1) come from `people_counts`, which
//! triggers keep in the writing transaction. Whatever moves people, one at a time, in
//! batches, by a job or by two servers at once, the kept counts equal a full count of the
//! people table, and every count the console shows (Guests created, the Users page, the
//! quota) is that full count in each scope.

use crate::common;

use app::data::people::ScopeOf;
use app::domain::Viewer;
use app::service::guests;
use app::service::structure;
use chrono::Duration;
use common::{Org, TestApp};

/// The kept counts and a full count of the people table, row for row (zeros left out).
async fn assert_counts_exact(t: &TestApp, when: &str) {
    let kept: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT org_id, kind, department_id, n FROM people_counts WHERE n <> 0 ORDER BY 1, 2, 3",
    )
    .fetch_all(t.pool())
    .await
    .unwrap();
    let full: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*)
         FROM people WHERE state <> 'removed' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .fetch_all(t.pool())
    .await
    .unwrap();
    assert_eq!(kept, full, "{when}: the kept counts differ from the people table");
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
        for step in 0..80 {
            let now = t.now_ms();
            match dice.roll(6) {
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
            }
            assert_counts_exact(&t, &format!("step {step}")).await;
            if step % 10 == 9 {
                for v in [&admin, &dept_admin, &b_admin] {
                    assert_scope_counts(&t, v, &format!("step {step}")).await;
                }
            }
        }
        assert!(made > 10, "the run made guests");

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
