//! Mail through SMTP (a minimal SMTP server in the test) and project administration
//! (create, rename, archive), on both backends.


use app::model::invitations::InviteInput;
use app::service::invitations as inv;
use app::service::projects as projects;
use app::domain::expiry::ExpiryPeriod;
use app::domain::{Permission, PersonKind};
use app::error::AppError;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts SMTP sessions on a local port and keeps each message's DATA.
async fn fake_smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let store = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(d) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            d.push_str(&line);
                            d.push('\n');
                        }
                        continue;
                    }
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250 fake\r\n"
                    } else if cmd.starts_with("DATA") {
                        data = Some(String::new());
                        b"354 go on\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    if w.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, got)
}

both_backends! {
    async fn with_smtp_configured_invitations_go_out_and_are_marked_sent(t) {
        let (port, got) = fake_smtp().await;
        let mailer = app::mail::Mailer::from_settings(Some(&format!("smtp://127.0.0.1:{port}")), "Lobby <lobby@localhost>").unwrap();
        assert!(mailer.uses_smtp());
        let state = t.state.clone().with_mailer(mailer);
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let input = InviteInput { emails: "out@x.test".into(), role: PersonKind::Guest, project: Some(org.project.0), permission: Permission::Edit, department: None, expiry: ExpiryPeriod::Never };
        inv::send(&state, &admin, input).await.unwrap();
        let mails = got.lock().unwrap().clone();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].contains("out@x.test"));
        assert!(mails[0].contains("/invite/"));
        assert!(mails[0].contains("text/html") && mails[0].contains("text/plain"));
        let outbox = inv::outbox(&state, &admin, None).await.unwrap().items;
        assert_eq!(outbox.len(), 1);
        assert!(outbox[0].sent);
        // The mail carried the link; the outbox copy holds none that works.
        assert!(outbox[0].text.contains("/invite/sent-by-email"), "{}", outbox[0].text);
        assert_eq!(app::domain::links::redact_invitation_links(&outbox[0].text), outbox[0].text);
        let html: String = sqlx::query_scalar("SELECT body_html FROM outbox").fetch_one(t.pool()).await.unwrap();
        assert!(html.contains("/invite/sent-by-email") && app::domain::links::redact_invitation_links(&html) == html);
    }
}

both_backends! {
    async fn without_smtp_mail_waits_in_the_outbox_for_company_admins_only(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let input = InviteInput { emails: "wait@x.test".into(), role: PersonKind::Guest, project: Some(org.project.0), permission: Permission::Edit, department: None, expiry: ExpiryPeriod::Never };
        inv::send(&t.state, &admin, input).await.unwrap();
        let outbox = inv::outbox(&t.state, &admin, None).await.unwrap().items;
        assert_eq!((outbox.len(), outbox[0].sent), (1, false));
        assert!(outbox[0].text.contains("http://127.0.0.1:3000/invite/"));
        assert_eq!(inv::outbox(&t.state, &dana, None).await.unwrap_err(), AppError::Forbidden);
        // Another organization's outbox is its own.
        let bolt = t.org("Bolt").await;
        assert!(inv::outbox(&t.state, &t.viewer(bolt.admin).await, None).await.unwrap().items.is_empty());
    }
}

both_backends! {
    async fn admins_create_rename_and_archive_projects(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let user = t.viewer(t.member(&org, "u@acme.test", org.root, false).await).await;
        let id = projects::create(&t.state, &dana, "Zephyr", "Wind tunnel").await.unwrap();
        assert_eq!(projects::create(&t.state, &user, "Nope", "").await.unwrap_err(), AppError::Forbidden);
        assert!(matches!(projects::create(&t.state, &admin, "   ", "").await, Err(AppError::Invalid(_))));
        assert!(matches!(projects::create(&t.state, &admin, &"x".repeat(121), "").await, Err(AppError::Invalid(_))));
        projects::update(&t.state, &admin, id, "Zephyr II", "Wind tunnel", false).await.unwrap();
        assert_eq!(projects::page(&t.state, &admin, id).await.unwrap().project.name, "Zephyr II");
        projects::update(&t.state, &admin, id, "Zephyr II", "Wind tunnel", true).await.unwrap();
        assert!(projects::page(&t.state, &admin, id).await.unwrap().project.archived);
        // Archived: no new tasks, not offered for invitations.
        assert!(matches!(projects::add_task(&t.state, &admin, id, "More").await, Err(AppError::Invalid(_))));
        assert!(inv::options(&t.state, &admin).await.unwrap().projects.iter().all(|p| p.id != id));
        assert_eq!(projects::update(&t.state, &user, id, "X", "", false).await.unwrap_err(), AppError::Forbidden);
        let bolt = t.org("Bolt").await;
        let bolt_admin = t.viewer(bolt.admin).await;
        assert!(matches!(projects::update(&t.state, &bolt_admin, id, "Stolen", "", false).await, Err(AppError::NotFound(_))));
        assert!(matches!(projects::page(&t.state, &bolt_admin, id).await, Err(AppError::NotFound(_))));
        // A user outside the project does not find it.
        assert!(matches!(projects::page(&t.state, &user, id).await, Err(AppError::NotFound(_))));
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action.key() == "project_changed").count(), 2);
        assert_eq!(log.iter().filter(|e| e.action.key() == "project_created").count(), 1);
    }
}

both_backends! {
    async fn with_smtp_configured_expiry_reminders_go_out_too(t) {
        let (port, got) = fake_smtp().await;
        let mailer = app::mail::Mailer::from_settings(Some(&format!("smtp://127.0.0.1:{port}")), "Lobby <lobby@localhost>").unwrap();
        let state = t.state.clone().with_mailer(mailer);
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let g = t.guest(&org, "soon@x.test", org.root, None).await;
        app::service::guests::set_expiry(&state, &admin, &[g.0], ExpiryPeriod::OneMonth).await.unwrap();
        t.clock.advance(chrono::Duration::days(25));
        assert_eq!(app::jobs::remind_once(&state).await.unwrap(), 1);
        let mails = got.lock().unwrap().clone();
        // The inviter (here the Company Admin) and the guest's notice.
        assert_eq!(mails.len(), 2);
        assert!(mails.iter().any(|m| m.contains(&org.admin_email) && m.contains("/reminder/extend")));
        assert!(mails.iter().any(|m| m.contains("soon@x.test") && !m.contains("/reminder/")));
        assert!(inv::outbox(&state, &admin, None).await.unwrap().items.iter().all(|m| m.sent));
    }
}

both_backends! {
    async fn the_outbox_pages_newest_first_by_keyset_both_ways(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        for i in 0..130 {
            let subject = format!("mail {i}");
            app::data::invitations::queue_mail(
                &mut tx,
                app::data::invitations::NewMail { org: org.id, to: "x@y.test", subject: &subject, text: "t", html: "h", now: t.now_ms() + i, attachment: None },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let first = inv::outbox(&t.state, &admin, None).await.unwrap();
        assert_eq!((first.items.len(), first.next.is_some(), first.prev.is_some()), (100, true, false));
        assert_eq!(first.items[0].subject, "mail 129");
        let second = inv::outbox(&t.state, &admin, first.next.as_deref()).await.unwrap();
        assert_eq!((second.items.len(), second.next.is_some()), (30, false));
        assert_eq!(second.items[0].subject, "mail 29");
        assert_eq!(second.items.last().unwrap().subject, "mail 0");
        let back = inv::outbox(&t.state, &admin, second.prev.as_deref()).await.unwrap();
        assert_eq!(back.items[0].subject, "mail 129");
        assert_eq!(back.items.len(), 100);
        let long = "a".repeat(2000);
        for bad in ["b.", "a.t6.1", long.as_str()] {
            assert!(matches!(inv::outbox(&t.state, &admin, Some(bad)).await, Err(AppError::Invalid(_))), "{bad}");
        }
    }
}
