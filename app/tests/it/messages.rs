//! Messages and channels (F-MESSAGES) on both backends: the Guest Profile's policy at
//! every door (message, file upload, file download, department channel, channel creation,
//! a second guest) with its settings and people's standings, attachments (type sniffed
//! from the bytes, size limit, participants only, headers), people who leave, and the
//! keyset pages and polling of a conversation.

use crate::common;

use app::data::orgs;
use app::domain::profile::Feature;
use app::domain::Viewer;
use app::error::AppError;
use app::service::messages::{self as msg, Upload};
use common::web;
use common::{Org, TestApp, PASSWORD};
use http::{header, Method, StatusCode};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

struct World {
    org: Org,
    admin: Viewer,
    /// Uma and Paul are members of Root; Dana manages Child.
    uma: Viewer,
    paul: Viewer,
    dana: Viewer,
    /// Guests sponsored by Child.
    grace: Viewer,
    gus: Viewer,
}

async fn world(t: &TestApp) -> World {
    let org = t.org("Acme").await;
    let uma = t.member(&org, "uma@acme.test", org.root, false).await;
    let paul = t.member(&org, "paul@acme.test", org.root, false).await;
    let dana = t.dept_admin(&org, "dana@acme.test", org.child).await;
    let grace = t.guest(&org, "grace@partner.test", org.child, None).await;
    let gus = t.guest(&org, "gus@partner.test", org.child, None).await;
    World {
        admin: t.viewer(org.admin).await,
        uma: t.viewer(uma).await,
        paul: t.viewer(paul).await,
        dana: t.viewer(dana).await,
        grace: t.viewer(grace).await,
        gus: t.viewer(gus).await,
        org,
    }
}

async fn set_feature(t: &TestApp, org: &Org, f: Feature, on: bool) {
    let mut tx = t.db().begin_org_write(org.id).await.unwrap();
    orgs::set_guest_feature(&mut tx, org.id, f, on).await.unwrap();
    tx.commit().await.unwrap();
}

fn is_refused(r: Result<impl std::fmt::Debug, AppError>, words: &str) {
    match r {
        Err(AppError::Refused(m)) => assert!(m.contains(words), "{m:?} should say {words:?}"),
        other => panic!("expected a refusal saying {words:?}, got {other:?}"),
    }
}

fn is_not_found(r: Result<impl std::fmt::Debug, AppError>) {
    assert!(matches!(r, Err(AppError::NotFound(_))), "expected not found, got {r:?}");
}

fn upload<'a>(name: &'a str, bytes: &'a [u8]) -> Upload<'a> {
    Upload { name, bytes, caption: "" }
}

fn rand_suffix() -> i64 {
    use std::sync::atomic::{AtomicI64, Ordering};
    static N: AtomicI64 = AtomicI64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

async fn count(t: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(t.pool()).await.unwrap()
}

both_backends! {
    async fn a_guest_and_a_member_message_while_messaging_is_active(t) {
        let w = world(&t).await;
        let s = &t.state;
        // A new organization lets guests message only.
        let c = msg::open_direct(s, &w.grace, w.uma.id.0).await.unwrap();
        assert_eq!(msg::open_direct(s, &w.uma, w.grace.id.0).await.unwrap(), c, "one conversation per pair, whoever starts it");
        let sent = msg::send(s, &w.grace, c, "Hello Uma\nsecond line").await.unwrap();
        assert!(sent.mine && !sent.author.is_empty());
        // Uma's list: one unread, then read once she opens it.
        let list = msg::list(s, &w.uma, None).await.unwrap();
        let entry = list.page.items.iter().find(|e| e.id == c).expect("in Uma's list");
        assert_eq!(entry.unread, 1);
        assert_eq!(entry.title, sent.author);
        let view = msg::view(s, &w.uma, c, None).await.unwrap();
        assert_eq!(view.messages.items[0].text, "Hello Uma\nsecond line");
        assert!(view.post.is_ok());
        assert!(view.attach.is_err(), "File sharing is off in a new organization");
        assert_eq!(msg::list(s, &w.uma, None).await.unwrap().page.items.iter().find(|e| e.id == c).unwrap().unread, 0);
        // Uma answers; Grace's poll brings it.
        t.clock.advance(chrono::Duration::seconds(1));
        msg::send(s, &w.uma, c, "Hi Grace").await.unwrap();
        let newer = msg::newer(s, &w.grace, c, Some(&view.newer.clone().unwrap())).await.unwrap();
        assert_eq!(newer.messages.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["Hi Grace"]);
        assert!(!newer.more);
        // Bad text changes nothing.
        let before = count(&t, "messages").await;
        for bad in ["", "   \n ", &"x".repeat(4_001)] {
            assert!(matches!(msg::send(s, &w.grace, c, bad).await, Err(AppError::Invalid(_))));
        }
        assert_eq!(count(&t, "messages").await, before);
        // Messaging turned off: neither side may post, both still read; the page says why.
        set_feature(&t, &w.org, Feature::Messaging, false).await;
        is_refused(msg::send(s, &w.grace, c, "still there?").await, "Messaging is not active for guests");
        is_refused(msg::send(s, &w.uma, c, "still there?").await, "Messaging is not active for guests");
        let view = msg::view(s, &w.grace, c, None).await.unwrap();
        assert_eq!(view.messages.items.len(), 2);
        assert!(view.post.unwrap_err().contains("Messaging is not active"));
        // …and no new conversation with a guest starts.
        is_refused(msg::open_direct(s, &w.paul, w.grace.id.0).await, "Messaging is not active");
        // Members still message each other.
        let m = msg::open_direct(s, &w.uma, w.paul.id.0).await.unwrap();
        msg::send(s, &w.uma, m, "members always may").await.unwrap();
        // Two guests never reach each other: the other is not even found.
        set_feature(&t, &w.org, Feature::Messaging, true).await;
        is_not_found(msg::open_direct(s, &w.grace, w.gus.id.0).await);
        // Someone outside the conversation finds nothing.
        is_not_found(msg::view(s, &w.paul, c, None).await);
        is_not_found(msg::send(s, &w.gus, c, "let me in").await);
        assert!(matches!(msg::open_direct(s, &w.uma, w.uma.id.0).await, Err(AppError::Invalid(_))));
    }
}

both_backends! {
    async fn files_are_sniffed_limited_and_for_participants_while_file_sharing_is_on(t) {
        let w = world(&t).await;
        let s = &t.state;
        let c = msg::open_direct(s, &w.grace, w.uma.id.0).await.unwrap();
        // Off in a new organization.
        is_refused(msg::send_file(s, &w.grace, c, upload("a.txt", b"hello")).await, "File sharing is not active");
        set_feature(&t, &w.org, Feature::FileSharing, true).await;
        // The bytes decide the type, never the name.
        let png = msg::send_file(s, &w.grace, c, upload("../holiday.txt", PNG)).await.unwrap();
        let f = png.file.clone().unwrap();
        assert_eq!((f.name.as_str(), f.content_type.as_str(), f.size), ("holiday.txt", "image/png", PNG.len() as i64));
        let text = msg::send_file(s, &w.grace, c, Upload { name: "photo.png", bytes: "plain words".as_bytes(), caption: "see this" }).await.unwrap();
        assert_eq!(text.file.as_ref().unwrap().content_type, "text/plain; charset=utf-8");
        assert_eq!(text.text, "see this");
        let bin = msg::send_file(s, &w.uma, c, upload("x.pdf", &[0u8, 159, 146, 150])).await.unwrap();
        assert_eq!(bin.file.unwrap().content_type, "application/octet-stream");
        // Empty and oversized files are refused and store nothing.
        let before = (count(&t, "messages").await, count(&t, "message_files").await);
        assert!(matches!(msg::send_file(s, &w.grace, c, upload("e.txt", b"")).await, Err(AppError::Invalid(_))));
        let big = vec![b'a'; app::domain::messages::MAX_FILE_BYTES + 1];
        assert_eq!(msg::send_file(s, &w.grace, c, upload("big.txt", &big)).await.unwrap_err(), AppError::TooLarge);
        assert_eq!((count(&t, "messages").await, count(&t, "message_files").await), before);
        // Participants only.
        let (name, ty, bytes) = msg::download(s, &w.uma, png.id).await.unwrap();
        assert_eq!((name.as_str(), ty.as_str(), bytes.as_slice()), ("holiday.txt", "image/png", PNG));
        for outsider in [&w.paul, &w.gus, &w.admin, &w.dana] {
            is_not_found(msg::download(s, outsider, png.id).await);
        }
        is_not_found(msg::download(s, &w.uma, 999_999).await);
        // File sharing off blocks the files already sent, for both sides.
        set_feature(&t, &w.org, Feature::FileSharing, false).await;
        is_refused(msg::download(s, &w.uma, png.id).await, "File sharing is not active");
        is_refused(msg::download(s, &w.grace, png.id).await, "File sharing is not active");
        let view = msg::view(s, &w.uma, c, None).await.unwrap();
        assert!(view.attach.unwrap_err().contains("File sharing is not active"));
        assert!(view.post.is_ok());
        // Between members, files always go.
        let m = msg::open_direct(s, &w.uma, w.paul.id.0).await.unwrap();
        let sent = msg::send_file(s, &w.uma, m, upload("plan.txt", b"plan")).await.unwrap();
        assert!(msg::download(s, &w.paul, sent.id).await.is_ok());
    }
}

both_backends! {
    async fn files_over_http_carry_download_headers_and_the_body_limit(t) {
        let w = world(&t).await;
        let s = &t.state;
        set_feature(&t, &w.org, Feature::FileSharing, true).await;
        let c = msg::open_direct(s, &w.grace, w.uma.id.0).await.unwrap();
        let app = web::app(&t).await;
        let grace = web::sign_in(&app, "grace@partner.test", PASSWORD).await;
        let uma = web::sign_in(&app, "uma@acme.test", PASSWORD).await;
        let multipart = |name: &str, bytes: &[u8]| {
            let b = "LobbyBoundary";
            let mut body = format!("--{b}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhere\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
            body.extend_from_slice(bytes);
            body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
            (format!("multipart/form-data; boundary={b}"), body)
        };
        let (ct, body) = multipart("page.html", b"<script>alert(1)</script>");
        let r = web::send(&app, Method::POST, &format!("/conversations/{c}/files"), Some(&ct), body, Some(&grace)).await;
        // The console's fetch asks for JSON: the message sent, its type from the bytes.
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(r.body.contains("\"content_type\":\"text/html\""), "{}", r.body);
        let id = msg::view(s, &w.uma, c, None).await.unwrap().messages.items[0].id;
        let got = web::get(&app, &format!("/files/{id}"), Some(&uma)).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.body, "<script>alert(1)</script>");
        assert_eq!(got.header(header::CONTENT_TYPE), Some("text/html"), "sniffed, not the declared image/png");
        // Downloaded, never rendered: attachment, nosniff, and a sandbox if opened anyway.
        assert_eq!(got.header(header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
        assert!(got.header(header::CONTENT_SECURITY_POLICY).unwrap().contains("sandbox"));
        assert!(got.header(header::CONTENT_DISPOSITION).unwrap().starts_with("attachment; filename=\"page.html\""));
        // Over 10 MiB: 413 before the service sees it; nothing stored.
        let before = count(&t, "message_files").await;
        let (ct, body) = multipart("big.bin", &vec![7u8; app::domain::messages::MAX_FILE_BYTES + 100 * 1024]);
        let r = web::send(&app, Method::POST, &format!("/conversations/{c}/files"), Some(&ct), body, Some(&grace)).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(count(&t, "message_files").await, before);
        // A refusal is the error as a server function gives it (a form without script is
        // sent back to the conversation with it: Playwright checks that).
        set_feature(&t, &w.org, Feature::FileSharing, false).await;
        let (ct, body) = multipart("a.txt", b"again");
        let r = web::send(&app, Method::POST, &format!("/conversations/{c}/files"), Some(&ct), body, Some(&grace)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("File sharing is not active"), "{}", r.body);
        assert_eq!(web::get(&app, &format!("/files/{id}"), Some(&uma)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(web::get(&app, &format!("/files/{id}"), None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(count(&t, "message_files").await, before);
    }
}

both_backends! {
    async fn department_channels_follow_the_department_and_never_admit_a_guest(t) {
        let w = world(&t).await;
        let s = &t.state;
        let root = app::data::messages::department_channel(t.pool(), w.org.root).await.unwrap().unwrap().0;
        let child = app::data::messages::department_channel(t.pool(), w.org.child).await.unwrap().unwrap().0;
        msg::send(s, &w.paul, root, "Root news").await.unwrap();
        let view = msg::view(s, &w.uma, root, None).await.unwrap();
        assert_eq!(view.title, "Root");
        assert_eq!(view.messages.items[0].text, "Root news");
        assert!(msg::list(s, &w.uma, None).await.unwrap().page.items.iter().any(|e| e.id == root));
        // Guests never see or reach one, even by its address; other departments neither.
        for r in [msg::view(s, &w.grace, root, None).await, msg::view(s, &w.grace, child, None).await, msg::view(s, &w.dana, root, None).await] {
            is_not_found(r);
        }
        is_not_found(msg::send(s, &w.grace, child, "hi").await);
        assert!(msg::list(s, &w.grace, None).await.unwrap().page.items.is_empty());
        // Moving Paul to Child moves his channel.
        app::service::structure::move_person(s, &w.admin, w.paul.id.0, w.org.child.0).await.unwrap();
        is_not_found(msg::view(s, &w.paul, root, None).await);
        assert!(msg::view(s, &w.paul, child, None).await.is_ok());
        // A new department has its channel at once.
        let lab = app::service::structure::create_department(s, &w.admin, "Lab", None).await.unwrap();
        assert!(app::data::messages::department_channel(t.pool(), app::domain::DeptId(lab)).await.unwrap().is_some());
    }
}

both_backends! {
    async fn channels_hold_chosen_people_and_never_two_guests(t) {
        let w = world(&t).await;
        let s = &t.state;
        // Guests create channels only while Channel creation is active.
        is_refused(msg::create_channel(s, &w.grace, "Partners", &[w.uma.id.0]).await, "Channel creation is not active");
        set_feature(&t, &w.org, Feature::ChannelCreation, true).await;
        let mine = msg::create_channel(s, &w.grace, "Partners", &[w.uma.id.0]).await.unwrap();
        // A guest cannot name another guest: not found to her.
        is_not_found(msg::add_to_channel(s, &w.grace, mine, &[w.gus.id.0]).await);
        // A member adding a second guest is refused, all or nothing.
        let launch = msg::create_channel(s, &w.uma, "Launch", &[w.paul.id.0, w.grace.id.0]).await.unwrap();
        let before = count(&t, "conversation_members").await;
        let r = msg::add_to_channel(s, &w.uma, launch, &[w.dana.id.0, w.gus.id.0]).await;
        assert!(matches!(r, Err(AppError::Conflict(ref m)) if m.contains("at most one guest")), "{r:?}");
        assert_eq!(count(&t, "conversation_members").await, before);
        let r = msg::create_channel(s, &w.uma, "Two guests", &[w.grace.id.0, w.gus.id.0]).await;
        assert!(matches!(r, Err(AppError::Conflict(_))), "{r:?}");
        msg::add_to_channel(s, &w.uma, launch, &[w.dana.id.0]).await.unwrap();
        let people = msg::view(s, &w.dana, launch, None).await.unwrap().participants;
        assert_eq!(people.iter().filter(|p| p.kind == app::domain::PersonKind::Guest).count(), 1);
        // With a guest inside, the Guest Profile governs everyone's posts.
        set_feature(&t, &w.org, Feature::Messaging, false).await;
        is_refused(msg::send(s, &w.paul, launch, "hello").await, "Messaging is not active");
        let members_only = msg::create_channel(s, &w.uma, "Team", &[w.paul.id.0]).await.unwrap();
        msg::send(s, &w.paul, members_only, "members only here").await.unwrap();
        // Bad input.
        assert!(matches!(msg::create_channel(s, &w.uma, "  ", &[]).await, Err(AppError::Invalid(_))));
        is_not_found(msg::create_channel(s, &w.uma, "Ghosts", &[424_242]).await);
        assert!(matches!(msg::add_to_channel(s, &w.uma, launch, &[]).await, Err(AppError::Invalid(_))));
        let direct = msg::open_direct(s, &w.uma, w.paul.id.0).await.unwrap();
        assert!(matches!(msg::add_to_channel(s, &w.uma, direct, &[w.dana.id.0]).await, Err(AppError::Invalid(_))));
        // A guest who left still counts: their name and words stay in the channel, so a
        // second guest would see them.
        app::service::guests::delete(s, &w.admin, &[w.grace.id.0]).await.unwrap();
        let r = msg::add_to_channel(s, &w.uma, launch, &[w.gus.id.0]).await;
        assert!(matches!(r, Err(AppError::Conflict(_))), "{r:?}");
    }
}

both_backends! {
    async fn two_people_opening_their_conversation_at_once_get_the_same_one(t) {
        let w = world(&t).await;
        let other = t.second_server().await;
        for _ in 0..5 {
            let m = t.member(&w.org, &format!("m{}@acme.test", t.now_ms() + rand_suffix()), w.org.root, false).await;
            let mv = t.viewer(m).await;
            let (a, b) = tokio::join!(msg::open_direct(&t.state, &w.uma, m.0), msg::open_direct(&other, &mv, w.uma.id.0));
            assert_eq!(a.unwrap(), b.unwrap());
        }
    }
}

both_backends! {
    async fn people_who_leave_stop_reading_and_their_words_stay(t) {
        let w = world(&t).await;
        let s = &t.state;
        set_feature(&t, &w.org, Feature::FileSharing, true).await;
        let c = msg::open_direct(s, &w.grace, w.uma.id.0).await.unwrap();
        let her_name = msg::send(s, &w.grace, c, "my last words").await.unwrap().author;
        let file = msg::send_file(s, &w.grace, c, upload("notes.txt", b"notes")).await.unwrap();
        let app = web::app(&t).await;
        let cookie = web::sign_in(&app, "grace@partner.test", PASSWORD).await;
        assert_eq!(web::get(&app, &format!("/files/{}", file.id), Some(&cookie)).await.status, StatusCode::OK);
        app::service::guests::delete(s, &w.admin, &[w.grace.id.0]).await.unwrap();
        // Her session and links die at once.
        assert_eq!(web::form(&app, "load_conversations", "", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(web::get(&app, &format!("/files/{}", file.id), Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
        // Even a stale viewer gets nothing through the service.
        assert!(msg::view(s, &w.grace, c, None).await.is_err());
        // Her words stay under her name; Uma reads them, may download, may not post.
        let view = msg::view(s, &w.uma, c, None).await.unwrap();
        assert!(view.messages.items.iter().any(|m| m.text == "my last words" && m.author == her_name));
        assert!(view.post.unwrap_err().contains("no longer in this organization"));
        assert!(msg::download(s, &w.uma, file.id).await.is_ok());
        is_refused(msg::send(s, &w.uma, c, "hello?").await, "no longer in this organization");
        // An incorporated guest keeps their conversations, now as a member.
        let g = msg::open_direct(s, &w.gus, w.paul.id.0).await.unwrap();
        msg::send(s, &w.gus, g, "before").await.unwrap();
        app::service::guests::incorporate(s, &w.admin, &[w.gus.id.0]).await.unwrap();
        let gus = t.viewer(w.gus.id).await;
        set_feature(&t, &w.org, Feature::Messaging, false).await;
        let view = msg::view(s, &gus, g, None).await.unwrap();
        assert_eq!(view.messages.items[0].text, "before");
        msg::send(s, &gus, g, "after, as a member").await.unwrap();
        // An expired guest (not swept yet) reads nothing either.
        let eve = t.guest(&w.org, "eve@partner.test", w.org.child, Some(t.now_ms() + 60_000)).await;
        let eve_v = t.viewer(eve).await;
        set_feature(&t, &w.org, Feature::Messaging, true).await;
        let e = msg::open_direct(s, &eve_v, w.paul.id.0).await.unwrap();
        t.clock.advance(chrono::Duration::minutes(2));
        is_refused(msg::view(s, &eve_v, e, None).await, "expired");
        is_refused(msg::send(s, &w.paul, e, "you there?").await, "expired");
    }
}

both_backends! {
    async fn conversations_page_by_time_and_polls_see_every_message_once(t) {
        let w = world(&t).await;
        let s = &t.state;
        let c = msg::open_direct(s, &w.uma, w.paul.id.0).await.unwrap();
        for i in 0..120 {
            msg::send(s, if i % 2 == 0 { &w.uma } else { &w.paul }, c, &format!("m{i}")).await.unwrap();
            if i % 7 == 0 {
                t.clock.advance(chrono::Duration::milliseconds(3));
            }
        }
        // Newest first, 50 a page, then older pages until the first message.
        let mut seen = Vec::new();
        let first = msg::view(s, &w.paul, c, None).await.unwrap();
        let newer = first.newer.clone().unwrap();
        let mut page = first.messages;
        loop {
            seen.extend(page.items.iter().map(|m| m.text.clone()));
            let Some(next) = page.next.clone() else { break };
            page = msg::view(s, &w.paul, c, Some(&next)).await.unwrap().messages;
        }
        let expected: Vec<String> = (0..120).rev().map(|i| format!("m{i}")).collect();
        assert_eq!(seen, expected);
        // A server whose clock is behind still posts after the last message.
        t.clock.advance(chrono::Duration::minutes(-10));
        for i in 0..60 {
            msg::send(s, &w.uma, c, &format!("n{i}")).await.unwrap();
        }
        let mut polled = Vec::new();
        let mut cursor = Some(newer);
        loop {
            let n = msg::newer(s, &w.paul, c, cursor.as_deref()).await.unwrap();
            polled.extend(n.messages.into_iter().map(|m| m.text));
            cursor = n.newer;
            if !n.more {
                break;
            }
        }
        assert_eq!(polled, (0..60).map(|i| format!("n{i}")).collect::<Vec<_>>());
        assert!(msg::newer(s, &w.paul, c, cursor.as_deref()).await.unwrap().messages.is_empty());
        // A cursor of the wrong kind or shape is a 400.
        for bad in ["a.i1.1", "nonsense", "b.tabc.1"] {
            assert!(matches!(msg::newer(s, &w.paul, c, Some(bad)).await, Err(AppError::Invalid(_))), "{bad}");
        }
        // Unread counts stop at the cap.
        let list = msg::list(s, &w.paul, None).await.unwrap();
        assert_eq!(list.page.items.iter().find(|e| e.id == c).unwrap().unread, 0);
        for i in 0..120 {
            msg::send(s, &w.uma, c, &format!("u{i}")).await.unwrap();
        }
        let list = msg::list(s, &w.paul, None).await.unwrap();
        assert_eq!(list.page.items[0].unread, app::domain::messages::UNREAD_CAP);
    }
}
