//! Bulk generation of guests and members for benchmarks (`lobby generate-guests`): multi-row
//! inserts in large transactions, the same SQL text on both backends. It fills the
//! `search_words` rows search reads, not the informational `search_text` column.

use super::orgs;
use super::{DbResult, Db};
use crate::domain::{search, user_id_label, DeptId, OrgId, PersonId};

const FIRST: [&str; 12] = ["Guest", "Ana", "Björn", "Chloé", "Dmitri", "Emeka", "Fatima", "Gita", "Hiro", "Inès", "Jonas", "Kaito"];
const LAST: [&str; 12] = ["Smith", "García", "Müller", "Rossi", "Dubois", "Nguyen", "Silva", "Okafor", "Tanaka", "Larsen", "Haddad", "Costa"];
const CHUNK: usize = 400;

/// Adds `count` guests to `org`, sponsored round-robin by `sponsors`, invited by
/// `inviter`, with varied invitation dates and expiries. Returns how many were added.
pub async fn guests(db: &Db, org: OrgId, inviter: PersonId, sponsors: &[DeptId], count: usize, now: i64) -> DbResult<usize> {
    people(db, org, Some(inviter), sponsors, count, now).await
}

/// Adds `count` members to `org`, in `departments` round-robin (for the directory's
/// benchmarks). Returns how many were added.
pub async fn members(db: &Db, org: OrgId, departments: &[DeptId], count: usize, now: i64) -> DbResult<usize> {
    people(db, org, None, departments, count, now).await
}

/// Guests (with an inviter; `depts` sponsor them) or members (without; `depts` hold them).
async fn people(db: &Db, org: OrgId, inviter: Option<PersonId>, depts: &[DeptId], count: usize, now: i64) -> DbResult<usize> {
    let mut tx = db.begin_org_write(org).await?;
    let guests_dept = orgs::guests_department(tx.conn(), org).await?;
    let is_guest = inviter.is_some();
    let start: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_id = $1")
        .bind(org.0)
        .fetch_one(tx.conn())
        .await?;
    let mut done = 0usize;
    while done < count {
        let n = CHUNK.min(count - done);
        let mut sql = String::from(
            "INSERT INTO people (org_id, email, first_name, last_name, kind, department_id, state, created_at,
                                 invited_by, invited_at, sponsor_department_id, permission, expires_at) VALUES ",
        );
        let mut rows = Vec::with_capacity(n);
        for k in 0..n {
            let i = start as usize + done + k;
            let b = k * 10;
            if k > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "($1, ${}, ${}, ${}, ${}, ${}, 'active', ${}, $2, ${}, ${}, ${}, ${})",
                b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12
            ));
            let (tag, kind) = if is_guest { ("Guest", "guest") } else { ("Member", "member") };
            let first = if i % 3 == 0 { tag.to_string() } else { FIRST[i % FIRST.len()].to_string() };
            let last = if i % 3 == 0 { i.to_string() } else { LAST[(i / FIRST.len()) % LAST.len()].to_string() };
            let invited = now - ((i as i64 * 7_919) % (365 * 86_400)) * 1000;
            let expires = match i % 4 {
                0 => None,
                1 => Some(now + ((i as i64 % 30) + 1) * 86_400_000),
                2 => Some(now + ((i as i64 % 23) + 1) * 3_600_000),
                _ => Some(now + 180 * 86_400_000),
            };
            let dept = depts[i % depts.len()].0;
            rows.push(if is_guest {
                (format!("guest{i}@bench{}.test", i % 97), first, last, kind, guests_dept.0, invited, Some(invited), Some(dept), Some(if i % 2 == 0 { "edit" } else { "read_only" }), expires)
            } else {
                (format!("member{i}@bench.test"), first, last, kind, dept, invited, None, None, None, None)
            });
        }
        sql.push_str(" RETURNING id, first_name, last_name, email");
        let mut q = sqlx::query_as::<_, (i64, String, String, String)>(&sql).bind(org.0).bind(inviter.map(|p| p.0));
        for (email, first, last, kind, dept, created, invited, sponsor, perm, expires) in &rows {
            q = q
                .bind(email.clone())
                .bind(first.clone())
                .bind(last.clone())
                .bind(*kind)
                .bind(*dept)
                .bind(*created)
                .bind(*invited)
                .bind(*sponsor)
                .bind(*perm)
                .bind(*expires);
        }
        let inserted = q.fetch_all(tx.conn()).await?;
        let mut words: Vec<(String, i64)> = Vec::new();
        for (id, first, last, email) in &inserted {
            for w in search::person_words(first, last, email, &user_id_label(None, *id)) {
                words.push((w, *id));
            }
        }
        for chunk in words.chunks(CHUNK) {
            let mut sql = String::from("INSERT INTO search_words (org_id, word, person_id) VALUES ");
            for k in 0..chunk.len() {
                if k > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("($1, ${}, ${})", 2 * k + 2, 2 * k + 3));
            }
            let mut q = sqlx::query(&sql).bind(org.0);
            for (w, id) in chunk {
                q = q.bind(w.clone()).bind(*id);
            }
            q.execute(tx.conn()).await?;
        }
        done += n;
    }
    tx.commit().await?;
    Ok(done)
}
