//! The data layer on SQLite and PostgreSQL: schema, scope, activity log, write locking.


use app::data::activity::{self, Action, Entry};
use app::data::people::{self, ScopeOf};
use app::data::{orgs, throttle};
use app::domain::{PersonId, PersonState};

both_backends! {
    async fn new_org_has_guests_department_and_all_group(t) {
        let org = t.org("Acme").await;
        let depts = orgs::departments(t.pool(), org.id).await.unwrap();
        let guests: Vec<_> = depts.iter().filter(|d| d.is_guests).collect();
        assert_eq!(guests.len(), 1, "exactly one Guests department");
        assert_eq!(guests[0].name, "Guests");
        let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_groups WHERE org_id = $1 AND is_all = 1")
            .bind(org.id.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(all, 1);
        // The admin member is in All.
        let in_all: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM group_members gm JOIN org_groups g ON g.id = gm.group_id WHERE g.org_id = $1 AND g.is_all = 1 AND gm.person_id = $2")
            .bind(org.id.0).bind(org.admin.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(in_all, 1);
    }
}

both_backends! {
    async fn guests_go_to_the_guests_department_and_never_to_all(t) {
        let org = t.org("Acme").await;
        let g = t.guest(&org, "g@x.test", org.child, None).await;
        let (kind, dept_is_guests): (String, i64) = sqlx::query_as(
            "SELECT p.kind, d.is_guests FROM people p JOIN departments d ON d.id = p.department_id WHERE p.id = $1")
            .bind(g.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(kind, "guest");
        assert_eq!(dept_is_guests, 1);
        let in_groups: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM group_members WHERE person_id = $1")
            .bind(g.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(in_groups, 0);
    }
}

both_backends! {
    async fn department_admin_scope_covers_every_sub_department(t) {
        let org = t.org("Acme").await;
        let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
        t.member(&org, "m-root@acme.test", org.root, false).await;
        t.member(&org, "m-grand@acme.test", org.grandchild, false).await;
        t.guest(&org, "g-child@x.test", org.child, None).await;
        t.guest(&org, "g-grand@x.test", org.grandchild, None).await;
        t.guest(&org, "g-other@x.test", org.other, None).await;
        t.guest(&org, "g-root@x.test", org.root, None).await;

        let company = people::counts(t.pool(), ScopeOf::of(&t.viewer(org.admin).await)).await.unwrap();
        assert_eq!((company.members, company.guests), (4, 4));
        let dept = people::counts(t.pool(), ScopeOf::of(&t.viewer(dana).await)).await.unwrap();
        // Dana (child) and m-grand; guests sponsored by child and grandchild.
        assert_eq!((dept.members, dept.guests), (2, 2));
    }
}

both_backends! {
    async fn removed_people_leave_lists_and_counts_and_free_their_email(t) {
        let org = t.org("Acme").await;
        let g = t.guest(&org, "g@x.test", org.root, None).await;
        let admin = t.viewer(org.admin).await;
        assert_eq!(people::counts(t.pool(), ScopeOf::of(&admin)).await.unwrap().guests, 1);
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        assert!(people::set_state(&mut tx, org.id, g, PersonState::Removed, t.now_ms()).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(people::counts(t.pool(), ScopeOf::of(&admin)).await.unwrap().guests, 0);
        let rows = people::list_people(t.pool(), ScopeOf::of(&admin), true, &app::domain::paging::Position::First, 50).await.unwrap();
        assert_eq!(rows.len(), 1, "the admin alone");
        assert!(rows.iter().all(|r| r.row.id != g));
        // The record stays for the log, and the email can be used again.
        assert!(!people::email_in_use(t.pool(), org.id, "g@x.test").await.unwrap());
        t.guest(&org, "g@x.test", org.root, None).await;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE email = 'g@x.test'").fetch_one(t.pool()).await.unwrap();
        assert_eq!(n, 2);
    }
}

both_backends! {
    async fn a_live_email_is_unique_within_an_organization_only(t) {
        let a = t.org("Acme").await;
        let b = t.org("Bolt").await;
        t.member(&a, "same@x.test", a.root, false).await;
        t.member(&b, "same@x.test", b.root, false).await;
        let mut tx = t.db().begin_org_write(a.id).await.unwrap();
        let dup = people::insert_member(&mut tx, people::NewMember {
            org: a.id, email: "same@x.test", first_name: "A", last_name: "B", mobile: None,
            department: a.root, is_company_admin: false, authorized_to_invite: false,
            password_hash: None, now: t.now_ms(),
        }).await;
        assert!(dup.unwrap_err().is_unique_violation());
    }
}

both_backends! {
    async fn activity_is_append_only_and_stored_to_the_second(t) {
        let org = t.org("Acme").await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        activity::record(&mut tx, Entry {
            org: org.id, at: 1_700_000_000_789, actor: Some(org.admin), subject: None,
            action: Action::ProjectCreated, details: "Apollo",
            target: Some((activity::TargetKind::Project, Some(org.project.0))), scope: None,
        }).await.unwrap();
        tx.commit().await.unwrap();
        let rows = activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].at, app::domain::Timestamp(1_700_000_000_000));
        assert_eq!(rows[0].action.key(), "project_created");
        assert_eq!(rows[0].actor_id, Some(org.admin));
        assert_eq!((rows[0].target_kind.map(|k| k.as_db()), rows[0].target_id), (Some("project"), Some(org.project.0)));
        assert!(sqlx::query("UPDATE activity SET action = 'x'").execute(t.pool()).await.is_err());
        assert!(sqlx::query("DELETE FROM activity").execute(t.pool()).await.is_err());
        assert_eq!(activity::entries(t.pool(), org.id, 0).await.unwrap().len(), 1);
    }
}

both_backends! {
    async fn throttle_counts_within_a_window_restarts_after_and_is_purged(t) {
        let pool = t.pool();
        let key = "account:a@x.test";
        for i in 1..=3 {
            let c = throttle::count_attempt(pool, key, 10_000 + i, 0).await.unwrap();
            assert_eq!(c, throttle::Count { attempts: i, window_start: 10_001 });
        }
        throttle::forgive(pool, key).await.unwrap();
        assert_eq!(throttle::count_attempt(pool, key, 10_010, 0).await.unwrap().attempts, 3);
        // A later window starts from one.
        let c = throttle::count_attempt(pool, key, 50_000, 20_000).await.unwrap();
        assert_eq!(c, throttle::Count { attempts: 1, window_start: 50_000 });
        throttle::clear(pool, key).await.unwrap();
        assert_eq!(throttle::count_attempt(pool, key, 60_000, 20_000).await.unwrap().attempts, 1);
        // Counters whose window has passed are deleted; current ones stay.
        throttle::count_attempt(pool, "address:old", 1_000, 0).await.unwrap();
        assert_eq!(throttle::purge(pool, 20_000).await.unwrap(), 1);
        let left: Vec<String> = sqlx::query_scalar("SELECT key FROM signin_failures ORDER BY key").fetch_all(pool).await.unwrap();
        assert_eq!(left, vec![key.to_string()]);
    }
}

both_backends! {
    async fn concurrent_attempts_each_get_their_own_count(t) {
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let pool = t.pool().clone();
            tasks.push(tokio::spawn(async move { throttle::count_attempt(&pool, "account:race@x.test", 5_000, 0).await.unwrap().attempts }));
        }
        let mut counts: Vec<i64> = Vec::new();
        for task in tasks {
            counts.push(task.await.unwrap());
        }
        counts.sort();
        assert_eq!(counts, (1..=20).collect::<Vec<i64>>());
    }
}

both_backends! {
    async fn concurrent_read_then_write_transactions_do_not_fail_or_lose_updates(t) {
        // Twenty writers each read a counter and write it back plus one, inside the
        // organization write transaction. None may fail (SQLITE_BUSY) or lose an update.
        let org = t.org("Acme").await;
        let mut handles = Vec::new();
        for _ in 0..20 {
            let db = t.db().clone();
            let org_id = org.id;
            handles.push(tokio::spawn(async move {
                let mut tx = db.begin_org_write(org_id).await?;
                let q: i64 = sqlx::query_scalar("SELECT guests_per_member FROM organizations WHERE id = $1")
                    .bind(org_id.0).fetch_one(tx.conn()).await?;
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                sqlx::query("UPDATE organizations SET guests_per_member = $1 WHERE id = $2")
                    .bind(q + 1).bind(org_id.0).execute(tx.conn()).await?;
                tx.commit().await
            }));
        }
        for h in handles {
            h.await.unwrap().expect("no writer fails");
        }
        let q: i64 = sqlx::query_scalar("SELECT guests_per_member FROM organizations WHERE id = $1")
            .bind(org.id.0).fetch_one(t.pool()).await.unwrap();
        assert_eq!(q, 3 + 20);
    }
}

both_backends! {
    async fn guest_department_admins_and_expired_guests_cannot_load_a_session(t) {
        let org = t.org("Acme").await;
        let soon = t.now_ms() + 60_000;
        let g = t.guest(&org, "g@x.test", org.root, Some(soon)).await;
        assert!(people::load_viewer(t.pool(), g, t.now_ms()).await.unwrap().is_some());
        t.clock.advance(chrono::Duration::minutes(2));
        assert!(people::load_viewer(t.pool(), g, t.now_ms()).await.unwrap().is_none(), "expired guest");
        assert!(people::load_viewer(t.pool(), PersonId(999_999), t.now_ms()).await.unwrap().is_none());
    }
}

both_backends! {
    async fn entries_carry_their_target_and_the_scope_department_of_that_moment(t) {
        use app::model::invitations::InviteInput;
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let guest = t.guest(&org, "g@x.test", org.grandchild, None).await;
        // Incorporation moves the guest out of the Guests department; the entry keeps the
        // sponsor it had, so the sponsor's Department Admins still see it.
        app::service::guests::incorporate(&t.state, &admin, &[guest.0]).await.unwrap();
        // An invitation's entries point at it and at its department.
        let input = InviteInput {
            emails: "new@x.test".into(), role: app::domain::PersonKind::Guest, project: Some(org.project.0),
            permission: app::domain::Permission::Edit, department: Some(org.child.0), expiry: app::domain::expiry::ExpiryPeriod::Never,
        };
        app::service::invitations::send(&t.state, &admin, input).await.unwrap();
        let inv = app::service::invitations::list(&t.state, &admin, None).await.unwrap().items[0].id;
        app::service::invitations::revoke(&t.state, &admin, inv).await.unwrap();
        let rows = activity::entries(t.pool(), org.id, 0).await.unwrap();
        let find = |action: &str| rows.iter().find(|r| r.action.key() == action).unwrap_or_else(|| panic!("{action}: {rows:?}"));
        let inc = find("incorporation");
        assert_eq!((inc.target_kind.map(|k| k.as_db()), inc.target_id, inc.scope_department_id), (Some("person"), Some(guest.0), Some(org.grandchild)));
        for action in ["invitation", "invitation_revoked"] {
            let e = find(action);
            assert_eq!((e.target_kind.map(|k| k.as_db()), e.target_id, e.scope_department_id), (Some("invitation"), Some(inv), Some(org.child)), "{action}");
        }
        // The one helper for single-row changes: logged only when the row changed.
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        let entry = |details| Entry { org: org.id, at: t.now_ms(), actor: Some(org.admin), subject: None, action: Action::ProjectChanged, details, target: Some((activity::TargetKind::Project, Some(org.project.0))), scope: None };
        let q = sqlx::query("UPDATE projects SET description = 'x' WHERE id = $1").bind(org.project.0);
        assert!(activity::change_logged(&mut tx, q, entry("changed")).await.unwrap());
        let q = sqlx::query("UPDATE projects SET description = 'x' WHERE id = $1").bind(-1i64);
        assert!(!activity::change_logged(&mut tx, q, entry("unchanged")).await.unwrap());
        tx.commit().await.unwrap();
        let rows = activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(rows.iter().filter(|r| r.details == "changed").count(), 1);
        assert_eq!(rows.iter().filter(|r| r.details == "unchanged").count(), 0);
    }
}

async fn mode(c: &mut sqlx::AnyConnection) -> String {
    sqlx::query_scalar::<_, String>("SHOW plan_cache_mode").fetch_one(c).await.unwrap()
}

both_backends! {
    async fn postgresql_reuses_generic_plans_except_where_a_read_asks_for_its_own(t) {
        // Connections plan each statement once (generic plans); the Activity Report's page
        // reads in a transaction planned for its values, and that setting ends with it.
        if t.db().backend() == app::data::Backend::Postgres {
            let mut c = t.pool().acquire().await.unwrap();
            assert_eq!(mode(&mut c).await, "force_generic_plan");
            drop(c);
            let mut tx = app::data::begin_custom_planned(t.pool()).await.unwrap();
            assert_eq!(mode(&mut tx).await, "force_custom_plan");
            tx.commit().await.unwrap();
            let pool = t.pool();
            for _ in 0..3 {
                let mut c = pool.acquire().await.unwrap();
                assert_eq!(mode(&mut c).await, "force_generic_plan", "back to generic plans after the read");
            }
        } else {
            // SQLite: a plain read transaction.
            let mut tx = app::data::begin_custom_planned(t.pool()).await.unwrap();
            let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&mut *tx).await.unwrap();
            assert_eq!(one, 1);
            tx.commit().await.unwrap();
        }
    }
}

both_backends! {
    async fn the_background_checkpointer_copies_the_log_back_so_commits_need_not(t) {
        // SQLite: commits leave their pages in the write-ahead log (a commit checkpoints by
        // itself only past a large safety net), and `jobs::checkpoints` copies them back
        // into the database file, which then grows by the pages the commits added.
        // PostgreSQL has no such log to keep: the checkpointer returns at once.
        let org = t.org("Acme").await;
        if t.db().backend() != app::data::Backend::Sqlite {
            assert_eq!(t.db().checkpoint().await.unwrap(), None);
            let ended = tokio::time::timeout(std::time::Duration::from_secs(5), app::jobs::checkpoints(t.state.clone(), std::time::Duration::from_millis(10))).await;
            assert!(ended.is_ok(), "the checkpointer returns at once on PostgreSQL");
            return;
        }
        let threshold: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(t.pool()).await.unwrap();
        assert_eq!(threshold, app::data::SQLITE_AUTOCHECKPOINT_PAGES);
        let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'").fetch_one(t.pool()).await.unwrap();
        let size = || std::fs::metadata(&file).unwrap().len();
        let (log, copied) = t.db().checkpoint().await.unwrap().expect("SQLite");
        assert_eq!(log, copied, "a checkpoint with no reader in the way copies the whole log");
        let before = size();
        for i in 0..150 {
            t.guest(&org, &format!("wal{i}@x.test"), org.child, None).await;
        }
        // 150 commits, none of which copied its pages into the file.
        assert_eq!(size(), before, "the commits left their pages in the log");
        let task = tokio::spawn(app::jobs::checkpoints(t.state.clone(), std::time::Duration::from_millis(10)));
        let mut waited = 0;
        while size() == before && waited < 5000 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            waited += 20;
        }
        task.abort();
        assert!(size() > before, "the checkpointer copied the new pages into the file: {before} → {}", size());
    }
}

both_backends! {
    async fn an_incorporated_member_keeps_no_guest_sort_keys(t) {
        // The department and project sort keys order the Guests list only; the
        // incorporation clears them with the sponsor department and project (migration 0020:
        // the trigger that re-reads them runs for guests only).
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let g = t.guest(&org, "sorted@x.test", org.child, None).await;
        let keys = |id: i64| {
            let pool = t.pool().clone();
            async move {
                sqlx::query_as::<_, (String, String, String)>("SELECT kind, sort_department, sort_project FROM people WHERE id = $1")
                    .bind(id).fetch_one(&pool).await.unwrap()
            }
        };
        let (kind, dept, project) = keys(g.0).await;
        assert_eq!(kind, "guest");
        assert!(!dept.is_empty() && !project.is_empty(), "a guest has both keys: {dept:?} {project:?}");
        assert_eq!(app::service::guests::incorporate(&t.state, &admin, &[g.0]).await, Ok(1));
        assert_eq!(keys(g.0).await, ("member".to_string(), String::new(), String::new()));
    }
}
