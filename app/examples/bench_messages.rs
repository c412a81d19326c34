//! Benchmark of a conversation at 1,000,000 messages, on SQLite and on PostgreSQL: its
//! first page (which also marks it read), an older page, a poll with nothing new, the
//! conversations list with unread counts, and posting a message — each beside the bare
//! SQL of the same rows or writes.
//!
//! cargo run --release -p app --features ssr --example bench_messages -- [sqlite|postgres] [MESSAGES]
//!
//! Not part of the test suite (the machines are shared and noisy): the numbers go to
//! BENCHMARKS.md with the ratio to the baseline of the same run.

use app::service::messages as msg;
use app::web::state::AppState;
use bench_common::time;
use std::time::Instant;

#[path = "bench_common/mod.rs"]
mod bench_common;

#[tokio::main]
async fn main() -> bench_common::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let count: i64 = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(1_000_000);
    let db = bench_common::fresh(backend, "lobby_bench_messages").await?;
    let state = AppState::system(db);
    let (_, _, org) = app::setup::generate_people(&state, 10, 10).await?;
    let pool = state.db.pool().clone();
    let (member_id, guest_id) = (bench_common::first_person(&pool, org, "member", "").await, bench_common::first_person(&pool, org, "guest", "").await);
    let (member, guest) = (bench_common::viewer(&state, member_id).await, bench_common::viewer(&state, guest_id).await);
    // A guest and a member (the policy's longer path), with `count` messages between them.
    let conv = msg::open_direct(&state, &guest, member.id.0).await?;
    let t = Instant::now();
    let base = state.now_ms() - count * 1_000;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO messages (conversation_id, author_id, sent_at, body)
         SELECT $2, CASE WHEN i % 2 = 0 THEN $3 ELSE $4 END, $5 + i * 1000, 'Message number ' || i FROM n",
    )
    .bind(count)
    .bind(conv)
    .bind(member_id)
    .bind(guest_id)
    .bind(base)
    .execute(&pool)
    .await?;
    println!("backend {backend}: {count} messages loaded in {:.1}s", t.elapsed().as_secs_f64());
    if backend == "postgres" {
        sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
    } else {
        sqlx::query("ANALYZE").execute(&pool).await?;
    }

    let bare_page = || {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "SELECT m.id, m.author_id, p.first_name, p.last_name, m.sent_at, m.body FROM messages m JOIN people p ON p.id = m.author_id
                 WHERE m.conversation_id = $1 ORDER BY m.sent_at DESC, m.id DESC LIMIT 51",
            )
            .bind(conv)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let mut rows: Vec<(String, (f64, f64), (f64, f64))> = Vec::new();
    let page_base = time(bare_page).await;
    let first = time(|| async { msg::view(&state, &guest, conv, None).await.unwrap() }).await;
    rows.push(("load_conversation first page (guest; marks it read)".into(), first, page_base));
    let older_cursor = msg::view(&state, &guest, conv, None).await?.messages.next.expect("older messages");
    let older = time(|| async { msg::view(&state, &guest, conv, Some(&older_cursor)).await.unwrap() }).await;
    rows.push(("load_conversation older page".into(), older, page_base));
    let newer_cursor = msg::view(&state, &guest, conv, None).await?.newer.expect("a newest message");
    let poll_base = time(|| {
        let pool = pool.clone();
        async move {
            sqlx::query("SELECT m.id FROM messages m WHERE m.conversation_id = $1 AND (m.sent_at, m.id) > ($2, $3) ORDER BY m.sent_at, m.id LIMIT 51")
                .bind(conv)
                .bind(i64::MAX - 1)
                .bind(0i64)
                .fetch_all(&pool)
                .await
                .unwrap()
        }
    })
    .await;
    let poll = time(|| async { msg::newer(&state, &member, conv, Some(&newer_cursor)).await.unwrap() }).await;
    rows.push(("newer_messages, nothing new (poll)".into(), poll, poll_base));
    let list_base = time(|| {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "SELECT c.id, c.last_activity_at FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
                 WHERE cm.person_id = $1 ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 31",
            )
            .bind(member_id)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    })
    .await;
    // The member has read nothing: the unread count stops at its cap.
    let list = time(|| async { msg::list(&state, &member, None).await.unwrap() }).await;
    rows.push(("load_conversations (member, 100+ unread)".into(), list, list_base));
    // Read to the end: the count finds nothing after the marker at once.
    msg::view(&state, &member, conv, None).await?;
    let read = time(|| async { msg::list(&state, &member, None).await.unwrap() }).await;
    rows.push(("load_conversations (member, all read)".into(), read, list_base));

    let send_base = time(|| {
        let state = state.clone();
        async move {
            let mut tx = state.db.begin_write().await.unwrap();
            let now = state.now_ms();
            app::data::messages::post(&mut tx, app::domain::ConversationId(conv), member.id, now, "bare post", None).await.unwrap();
            tx.commit().await.unwrap();
        }
    })
    .await;
    let send = time(|| async { msg::send(&state, &member, conv, "A message of a few words").await.unwrap() }).await;
    rows.push(("send_message (member to guest; policy, post, read marker)".into(), send, send_base));

    println!("| operation ({backend}, {count} messages in the conversation) | median ms | p99 ms | baseline median ms | × baseline (median) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (label, (m, p), (bm, _)) in &rows {
        println!("| {label} | {m:.2} | {p:.2} | {bm:.2} | {:.1} |", m / bm);
    }
    Ok(())
}
