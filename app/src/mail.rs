//! Mail: every message Lobby sends is first written to the `outbox` table inside the
//! change's transaction (so it exists exactly when the change does). After commit,
//! [`Mailer::deliver`] sends it through SMTP when SMTP is configured (lettre) and marks it
//! sent; without SMTP it stays in the outbox, which a Company Admin reads in the console.

use crate::data::invitations::{self as db, NewMail};
use crate::data::{DbResult, WriteTx};
use crate::domain::{MailId, OrgId};
use crate::clock::Clock;
use crate::data::Db;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Mailer {
    /// No mail server: messages wait in the console's outbox.
    Outbox,
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Outbox => f.write_str("Mailer::Outbox"),
            Mailer::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
        }
    }
}

impl Mailer {
    /// From `LOBBY_SMTP_URL` (e.g. `smtps://user:pass@mail.example.com` or
    /// `smtp://localhost:25`) and `LOBBY_MAIL_FROM`; the outbox when the URL is unset.
    pub fn from_settings(smtp_url: Option<&str>, from: &str) -> Result<Mailer, String> {
        let Some(url) = smtp_url.filter(|u| !u.trim().is_empty()) else { return Ok(Mailer::Outbox) };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("LOBBY_SMTP_URL is not a valid SMTP URL: {e}"))?
            .build();
        let from: Mailbox = from.parse().map_err(|e| format!("LOBBY_MAIL_FROM “{from}” is not a valid address: {e}"))?;
        Ok(Mailer::Smtp { transport, from })
    }

    pub fn uses_smtp(&self) -> bool {
        matches!(self, Mailer::Smtp { .. })
    }

    /// Sends queued messages after their transaction committed. A failure is logged and
    /// the message stays unsent in the outbox: the change itself stands.
    pub async fn deliver(&self, database: &Db, clock: &dyn Clock, ids: &[MailId]) {
        let Mailer::Smtp { transport, from } = self else { return };
        for &id in ids {
            let row = match db::mail_by_id(database.pool(), id).await {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(e) => {
                    tracing::error!(error = %e, id = id.0, "reading a queued mail");
                    continue;
                }
            };
            let attachment = match &row.attachment_name {
                None => None,
                Some(_) => match db::mail_attachment(database.pool(), row.org_id, id).await {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::error!(error = %e, id = id.0, "reading a queued mail's attachment");
                        continue;
                    }
                },
            };
            let result = async {
                let to: Mailbox = row.to_email.parse().map_err(|e| format!("{e}"))?;
                let body = MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(row.body_text.clone()))
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(row.body_html.clone()));
                let body = match attachment {
                    None => body,
                    Some((name, bytes)) => {
                        let kind = ContentType::parse(attachment_type(&name)).map_err(|e| format!("{e}"))?;
                        MultiPart::mixed().multipart(body).singlepart(Attachment::new(name).body(bytes, kind))
                    }
                };
                let msg = Message::builder().from(from.clone()).to(to).subject(row.subject.clone()).multipart(body).map_err(|e| format!("{e}"))?;
                transport.send(msg).await.map_err(|e| format!("{e}"))?;
                Ok::<(), String>(())
            }
            .await;
            match result {
                Ok(()) => {
                    let text = crate::domain::links::redact_invitation_links(&row.body_text);
                    let html = crate::domain::links::redact_invitation_links(&row.body_html);
                    if let Err(e) = db::mark_sent(database.pool(), id, clock.now_ms(), &text, &html).await {
                        tracing::error!(error = %e, id = id.0, "marking a mail sent");
                    }
                }
                Err(e) => tracing::error!(error = %e, id = id.0, to = %row.to_email, "sending mail through SMTP"),
            }
        }
    }
}

/// A message to queue: subject, plain text and HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub async fn queue(tx: &mut WriteTx, org: OrgId, to: &str, letter: &Letter, now: i64) -> DbResult<MailId> {
    queue_with(tx, org, to, letter, None, now).await
}

/// The media type of a mail's attachment by its name: Lobby attaches CSV files only.
pub fn attachment_type(name: &str) -> &'static str {
    if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "application/octet-stream"
    }
}

/// [`queue`], with a file attached (its name and bytes).
pub async fn queue_with(tx: &mut WriteTx, org: OrgId, to: &str, letter: &Letter, attachment: Option<(&str, &[u8])>, now: i64) -> DbResult<MailId> {
    db::queue_mail(tx, NewMail { org, to, subject: &letter.subject, text: &letter.text, html: &letter.html, now, attachment }).await
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The invitation email.
pub fn invitation_letter(org: &str, inviter: &str, what: &str, link: &str, valid_days: i64) -> Letter {
    let subject = format!("{inviter} invited you to {org} on Lobby");
    let text = format!(
        "Hello,\n\n{inviter} invited you to join {org} on Lobby {what}.\n\nAccept the invitation and choose your password here:\n{link}\n\nThe link works once, for {valid_days} days.\n"
    );
    let html = format!(
        "<p>Hello,</p><p>{} invited you to join <strong>{}</strong> on Lobby {}.</p><p><a href=\"{}\">Accept the invitation</a></p><p>The link works once, for {valid_days} days.</p>",
        escape(inviter),
        escape(org),
        escape(what),
        escape(link)
    );
    Letter { subject, text, html }
}

/// A reminder before a guest's expiry, to their inviter and the Company Admins: the
/// guest, the date and the time left (`lead`), and one link per choice (`choices`:
/// label, explanation, URL).
pub fn reminder_letter(org: &str, guest: &str, guest_email: &str, leaves_on: &str, lead: &str, choices: &[(&str, &str, String)]) -> Letter {
    let subject = format!("Reminder: guest {guest} leaves {org} on {leaves_on}");
    let mut text = format!(
        "Hello,\n\n{guest} ({guest_email}), a guest of {org} on Lobby, leaves on {leaves_on}, in {lead}.\n\n"
    );
    let mut html = format!(
        "<p>Hello,</p><p><strong>{}</strong> ({}), a guest of {} on Lobby, leaves on <strong>{}</strong>, in {}.</p><ul>",
        escape(guest),
        escape(guest_email),
        escape(org),
        escape(leaves_on),
        escape(lead)
    );
    for (label, why, url) in choices {
        text.push_str(&format!("{label} ({why}):\n{url}\n\n"));
        html.push_str(&format!("<li><a href=\"{}\">{}</a> ({})</li>", escape(url), escape(label), escape(why)));
    }
    text.push_str("Each link opens a page in Lobby where you confirm; nothing changes until you do.\n");
    html.push_str("</ul><p>Each link opens a page in Lobby where you confirm; nothing changes until you do.</p>");
    Letter { subject, text, html }
}

/// The guest's own notice that their access ends soon.
pub fn guest_notice_letter(org: &str, first_name: &str, leaves_on: &str, lead: &str, inviter: Option<&str>) -> Letter {
    let subject = format!("Your guest access to {org} ends on {leaves_on}");
    let ask = inviter.unwrap_or("the person who invited you");
    let text = format!(
        "Hello {first_name},\n\nyour guest access to {org} on Lobby ends on {leaves_on}, in {lead}. If you need it longer, ask {ask}.\n"
    );
    let html = format!(
        "<p>Hello {},</p><p>your guest access to <strong>{}</strong> on Lobby ends on <strong>{}</strong>, in {}. If you need it longer, ask {}.</p>",
        escape(first_name),
        escape(org),
        escape(leaves_on),
        escape(lead),
        escape(ask)
    );
    Letter { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_letters_name_the_guest_and_date_and_carry_every_link() {
        let choices = [
            ("Extend", "1 month again from now", "http://x/guests/7/reminder/extend".to_string()),
            ("Let expire", "no further reminders", "http://x/guests/7/reminder/let-expire".to_string()),
        ];
        let l = reminder_letter("Acme", "Ann <Lee>", "ann@x.test", "2020-12-25 09:00 UTC", "7 days", &choices);
        assert_eq!(l.subject, "Reminder: guest Ann <Lee> leaves Acme on 2020-12-25 09:00 UTC");
        assert!(l.text.contains("leaves on 2020-12-25 09:00 UTC, in 7 days"));
        assert!(l.text.contains("Extend (1 month again from now):\nhttp://x/guests/7/reminder/extend"));
        assert!(l.html.contains("href=\"http://x/guests/7/reminder/let-expire\""));
        assert!(l.html.contains("Ann &lt;Lee&gt;"));
        let n = guest_notice_letter("Acme", "Ann", "2020-12-25 09:00 UTC", "1 day", None);
        assert!(n.text.contains("ends on 2020-12-25 09:00 UTC, in 1 day"));
        assert!(n.text.contains("ask the person who invited you"));
        assert!(!n.text.contains("/reminder/"));
    }

    #[test]
    fn invitation_letters_carry_the_link_and_escape_html() {
        let l = invitation_letter("A<b>", "Uma \"U\"", "as a guest", "http://x/invite/abc?x=1&y=2", 7);
        assert!(l.text.contains("http://x/invite/abc?x=1&y=2"));
        assert!(l.html.contains("href=\"http://x/invite/abc?x=1&amp;y=2\""));
        assert!(l.html.contains("A&lt;b&gt;"));
        assert!(!l.html.contains("<b>"));
        assert_eq!(l.subject, "Uma \"U\" invited you to A<b> on Lobby");
    }

    #[test]
    fn no_smtp_url_means_the_outbox() {
        assert!(!Mailer::from_settings(None, "lobby@localhost").unwrap().uses_smtp());
        assert!(!Mailer::from_settings(Some(" "), "lobby@localhost").unwrap().uses_smtp());
        assert!(Mailer::from_settings(Some("not a url"), "lobby@localhost").is_err());
    }
}

/// The monthly Activity Report to a Company Admin: each section's counts per action,
/// the chart's numbers per day, and either the CSV attached (`attached`: its name) or,
/// when it was too large, the link to the report.
pub fn report_letter(
    org: &str,
    month: &str,
    counts: &[(crate::domain::report::Section, Vec<(crate::domain::activity::Action, i64)>)],
    chart: Option<&crate::domain::report::Chart>,
    link: &str,
    attached: Option<&str>,
) -> Letter {
    use crate::domain::report::CHART_SERIES;
    let subject = format!("Activity Report of {org}: {month}");
    let mut text = format!("Hello,\n\nThe Activity Report of {org} on Lobby for {month} (UTC).\n");
    let mut html = format!("<p>Hello,</p><p>The Activity Report of <strong>{}</strong> on Lobby for {} (UTC).</p>", escape(org), escape(month));
    for (section, rows) in counts {
        text.push_str(&format!("\n{}\n", section.title()));
        html.push_str(&format!("<h2>{}</h2>", escape(section.title())));
        if rows.is_empty() {
            text.push_str("  Nothing this month.\n");
            html.push_str("<p>Nothing this month.</p>");
            continue;
        }
        html.push_str("<table><thead><tr><th>Action</th><th>Entries</th></tr></thead><tbody>");
        for (action, n) in rows {
            text.push_str(&format!("  {}: {n}\n", action.label()));
            html.push_str(&format!("<tr><td>{}</td><td>{n}</td></tr>", escape(action.label())));
        }
        html.push_str("</tbody></table>");
    }
    if let Some(chart) = chart {
        text.push_str(&format!("\nPer day ({})\n", CHART_SERIES.join(", ")));
        html.push_str(&format!("<h2>Per day</h2><table><thead><tr><th>Day</th>{}</tr></thead><tbody>", CHART_SERIES.iter().map(|s| format!("<th>{s}</th>")).collect::<String>()));
        for (day, n) in chart.days.iter().enumerate().filter(|(_, n)| n.iter().any(|c| *c > 0)) {
            let cells: Vec<String> = n.iter().map(|c| c.to_string()).collect();
            text.push_str(&format!("  {:>2}: {}\n", day + 1, cells.join(", ")));
            html.push_str(&format!("<tr><td>{}</td>{}</tr>", day + 1, cells.iter().map(|c| format!("<td>{c}</td>")).collect::<String>()));
        }
        html.push_str("</tbody></table>");
        let t = chart.totals();
        text.push_str(&format!("  Month: {}\n", t.map(|c| c.to_string()).join(", ")));
    }
    match attached {
        Some(name) => {
            text.push_str(&format!("\nEvery entry is in the attached {name}. The report in Lobby:\n{link}\n"));
            html.push_str(&format!("<p>Every entry is in the attached {}. <a href=\"{}\">Open the report in Lobby</a></p>", escape(name), escape(link)));
        }
        None => {
            text.push_str(&format!("\nThe entries are too many to attach; download the CSV from the report in Lobby:\n{link}\n"));
            html.push_str(&format!("<p>The entries are too many to attach; <a href=\"{}\">download the CSV from the report in Lobby</a>.</p>", escape(link)));
        }
    }
    Letter { subject, text, html }
}

/// The owner's notice that an API token expires soon.
pub fn token_expiry_letter(org: &str, token: &str, expires_on: &str, settings_link: &str) -> Letter {
    let subject = format!("Your Lobby API token \"{token}\" expires on {expires_on}");
    let text = format!(
        "Hello,\n\nYour API token \"{token}\" of {org} on Lobby expires on {expires_on}. Whatever uses it will stop then.\n\nMake a new token in Settings → API tokens and replace it:\n{settings_link}\n"
    );
    let html = format!(
        "<p>Hello,</p><p>Your API token <strong>{}</strong> of {} on Lobby expires on <strong>{}</strong>. Whatever uses it will stop then.</p><p><a href=\"{}\">Make a new token in Settings → API tokens</a> and replace it.</p>",
        escape(token),
        escape(org),
        escape(expires_on),
        escape(settings_link)
    );
    Letter { subject, text, html }
}
