//! Roles and scope of the console's server functions (inner functions, both backends).


use app::service::people as people_api;
use app::service::projects as projects_api;
use app::error::AppError;

both_backends! {
    async fn dashboard_counts_follow_the_viewers_scope(t) {
        let org = t.org("Acme").await;
        let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
        t.guest(&org, "g1@x.test", org.grandchild, None).await;
        t.guest(&org, "g2@x.test", org.other, None).await;
        t.guest(&org, "g3@x.test", org.root, None).await;
        let admin = app::service::dashboard::admin(&t.state, &t.viewer(org.admin).await).await.unwrap();
        assert_eq!((admin.users, admin.guests), (2, 3));
        let dept = app::service::dashboard::admin(&t.state, &t.viewer(dana).await).await.unwrap();
        assert_eq!((dept.users, dept.guests), (1, 1));
    }
}

both_backends! {
    async fn users_page_lists_members_and_marks_guests_when_asked(t) {
        let org = t.org("Acme").await;
        t.member(&org, "zed@acme.test", org.root, false).await;
        t.guest(&org, "gina@x.test", org.root, None).await;
        let admin = t.viewer(org.admin).await;
        let members = people_api::list_users(&t.state, &admin, false, None).await.unwrap();
        assert_eq!(members.total, 2);
        assert!(members.page.items.iter().all(|r| !r.is_guest));
        let all = people_api::list_users(&t.state, &admin, true, None).await.unwrap();
        assert_eq!(all.total, 3);
        let gina = all.page.items.iter().find(|r| r.email == "gina@x.test").unwrap();
        assert!(gina.is_guest);
        assert_eq!(gina.role, "Guest");
        assert_eq!(gina.department, "Root", "a guest shows their sponsor department");
        assert_eq!(gina.user_id, gina.id.to_string());
    }
}

both_backends! {
    async fn users_page_is_paginated_and_refuses_bad_pages(t) {
        let org = t.org("Acme").await;
        // Names that sort apart from their emails, some alike but for their case.
        for i in 0..55 {
            let m = t.member(&org, &format!("m{i:02}@acme.test"), org.root, false).await;
            let last = if i % 2 == 0 { format!("name{:02}", 54 - i) } else { format!("Name{:02}", 54 - i) };
            sqlx::query("UPDATE people SET last_name = $1 WHERE id = $2").bind(last).bind(m.0).execute(t.pool()).await.unwrap();
        }
        t.guest(&org, "gina@x.test", org.root, None).await;
        let admin = t.viewer(org.admin).await;
        let p1 = people_api::list_users(&t.state, &admin, false, None).await.unwrap();
        assert_eq!(p1.total, 56, "the members, not the guest");
        assert_eq!(p1.page.items.len(), 50);
        assert!(p1.page.prev.is_none());
        let p2 = people_api::list_users(&t.state, &admin, false, p1.page.next.as_deref()).await.unwrap();
        assert_eq!(p2.page.items.len(), 6);
        assert!(p2.page.next.is_none());
        let names: Vec<String> = p1.page.items.iter().chain(&p2.page.items).map(|r| format!("{} {}", r.last_name, r.first_name).to_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "by last name, then first name, whatever their case");
        assert!(p1.page.items.iter().all(|a| p2.page.items.iter().all(|b| a.id != b.id)));
        // Back from page 2 is page 1 again.
        let back = people_api::list_users(&t.state, &admin, false, p2.page.prev.as_deref()).await.unwrap();
        assert_eq!(back.page.items.iter().map(|r| r.id).collect::<Vec<_>>(), p1.page.items.iter().map(|r| r.id).collect::<Vec<_>>());
        assert!(back.page.prev.is_none());
        // With guests the count and the pages include Gina, even without a sponsor
        // department (the count keeps her under none).
        sqlx::query("UPDATE people SET sponsor_department_id = NULL WHERE email = 'gina@x.test'").execute(t.pool()).await.unwrap();
        let all = people_api::list_users(&t.state, &admin, true, None).await.unwrap();
        assert_eq!(all.total, 57);
        let all2 = people_api::list_users(&t.state, &admin, true, all.page.next.as_deref()).await.unwrap();
        assert!(all.page.items.iter().chain(&all2.page.items).any(|r| r.email == "gina@x.test"));
        for bad in ["garbage", "a.i5.3", "x.t41.3", &"a".repeat(2000)] {
            assert!(matches!(people_api::list_users(&t.state, &admin, false, Some(bad)).await, Err(AppError::Invalid(_))), "{bad}");
        }
    }
}

both_backends! {
    async fn users_and_guests_are_refused_the_admin_console(t) {
        let org = t.org("Acme").await;
        let user = t.member(&org, "u@acme.test", org.root, false).await;
        let guest = t.guest(&org, "g@x.test", org.root, None).await;
        for who in [user, guest] {
            let v = t.viewer(who).await;
            assert_eq!(app::service::dashboard::admin(&t.state, &v).await.unwrap_err(), AppError::Forbidden);
            assert_eq!(people_api::list_users(&t.state, &v, true, None).await.unwrap_err(), AppError::Forbidden);
        }
    }
}

both_backends! {
    async fn department_admin_lists_only_their_subtree(t) {
        let org = t.org("Acme").await;
        let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
        t.member(&org, "inside@acme.test", org.grandchild, false).await;
        t.member(&org, "outside@acme.test", org.other, false).await;
        t.guest(&org, "g-in@x.test", org.grandchild, None).await;
        t.guest(&org, "g-out@x.test", org.root, None).await;
        let page = people_api::list_users(&t.state, &t.viewer(dana).await, true, None).await.unwrap();
        let emails: Vec<_> = page.page.items.iter().map(|r| r.email.as_str()).collect();
        assert_eq!(page.total, 3, "{emails:?}");
        assert!(emails.contains(&"inside@acme.test") && emails.contains(&"g-in@x.test"));
        assert!(!emails.contains(&"outside@acme.test") && !emails.contains(&"g-out@x.test"));
    }
}

both_backends! {
    async fn a_guest_sees_only_their_one_project(t) {
        let org = t.org("Acme").await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::orgs::create_project(&mut tx, org.id, "Zeus", "", t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        let guest = t.guest(&org, "g@x.test", org.root, None).await;
        let mine = projects_api::my_projects(&t.state, &t.viewer(guest).await).await.unwrap();
        assert_eq!(mine.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["Apollo"]);
        let admin = projects_api::my_projects(&t.state, &t.viewer(org.admin).await).await.unwrap();
        assert_eq!(admin.len(), 2);
        let user = t.member(&org, "u@acme.test", org.root, false).await;
        assert!(projects_api::my_projects(&t.state, &t.viewer(user).await).await.unwrap().is_empty());
    }
}

both_backends! {
    async fn create_org_makes_a_company_admin_and_refuses_bad_input(t) {
        let (org, admin) = app::setup::create_org(&t.state, " Initech ", "Boss@Initech.test", "a long password").await.unwrap();
        let v = t.viewer(admin).await;
        assert_eq!(v.org_id, org);
        assert!(v.is_company_admin);
        assert_eq!(v.email, "boss@initech.test");
        assert!(matches!(app::setup::create_org(&t.state, "Initech", "x@y.test", "a long password").await, Err(AppError::Conflict(_))));
        assert!(matches!(app::setup::create_org(&t.state, "", "x@y.test", "a long password").await, Err(AppError::Invalid(_))));
        assert!(matches!(app::setup::create_org(&t.state, "Other", "not-an-email", "a long password").await, Err(AppError::Invalid(_))));
        assert!(matches!(app::setup::create_org(&t.state, "Other", "x@y.test", "short").await, Err(AppError::Invalid(_))));
        let log = app::data::activity::entries(t.pool(), org, 0).await.unwrap();
        assert!(log.iter().any(|e| e.action.key() == "organization_created"));
    }
}

both_backends! {
    async fn demo_data_loads_once_with_the_promised_shape(t) {
        let first = app::setup::demo_data(&t.state).await.unwrap();
        assert!(first.created);
        let again = app::setup::demo_data(&t.state).await.unwrap();
        assert!(!again.created, "loading twice changes nothing");
        let admin = app::auth::check_sign_in(&t.state, &app::auth::SignInAttempt {
            email: first.company_admin.clone(), password: first.password.into(), address: "t".into(),
        }).await.unwrap().viewer;
        let counts = app::service::dashboard::admin(&t.state, &admin).await.unwrap();
        assert_eq!((counts.users, counts.guests), (30, 40));
        let dana = app::auth::check_sign_in(&t.state, &app::auth::SignInAttempt {
            email: first.department_admin.clone(), password: first.password.into(), address: "t".into(),
        }).await.unwrap().viewer;
        let scoped = app::service::dashboard::admin(&t.state, &dana).await.unwrap();
        assert!(scoped.guests > 0 && scoped.guests < 40, "{scoped:?}");
        let projects = projects_api::my_projects(&t.state, &admin).await.unwrap();
        assert_eq!(projects.len(), 4);
        let depth: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM department_closure c JOIN departments d ON d.id = c.ancestor_id WHERE d.parent_id IS NULL AND c.ancestor_id <> c.descendant_id AND c.descendant_id IN (SELECT x.id FROM departments x JOIN departments y ON y.id = x.parent_id WHERE y.parent_id IS NOT NULL)")
            .fetch_one(t.pool()).await.unwrap();
        assert!(depth > 0, "a department three levels deep");
    }
}
