//! Pending invitations (Resend, Revoke), the outbox of mail, and the page an invitee
//! opens from their link to accept.

use super::confirm::date;
use crate::api::invitations::{invitation_info, list_invitations, outbox, AcceptInvitation, ResendInvitation, RevokeInvitation};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let at = query_cursor();
    let data = Resource::new(move || (at(), resend.version().get(), revoke.version().get()), |((cursor, _), ..)| list_invitations(cursor));
    view! {
        <div class="page-head">
            <h1>"Invitations"</h1>
            <super::invite::InviteButton label="Invite new members"/>
        </div>
        {move || [resend.value().get(), revoke.value().get()].into_iter().flatten().find_map(|r| r.err())
            .map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(p) if p.items.is_empty() && at().0.is_none() => view! { <p class="muted">"No invitations yet."</p> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="muted">"No more invitations here. " <a href="/invitations">"Back to the newest"</a></p> }.into_any(),
                    Ok(p) => {
                        let (n, next, prev, list) = (at().1, p.next, p.prev, p.items);
                        view! {
                        <div class="table-wrap">
                            <table class="invitations">
                                <thead><tr>
                                    <th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Invited By"</th>
                                    <th scope="col">"Date"</th><th scope="col">"Project"</th><th scope="col">"Permission"</th>
                                    <th scope="col">"State"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|i| {
                                        let id = i.id;
                                        let pending = i.state == crate::domain::invite::InvitationState::Pending;
                                        view! {
                                            <tr>
                                                <td class="lead email">{i.email.clone()}</td>
                                                <td data-label="Role">{if i.is_guest { view! { <span class="badge guest">"Guest"</span> }.into_any() } else { "Member".into_any() }}</td>
                                                <td data-label="Invited By">{i.inviter.clone()}</td>
                                                <td class="date" data-label="Date">{date(Some(i.created_at))}</td>
                                                <td data-label="Project">{i.project.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td data-label="Permission">{i.permission.map(|p| p.label()).unwrap_or("—")}</td>
                                                <td data-label="State">{i.state.label()}</td>
                                                <td class="row-actions">
                                                    {i.may_resend.then(|| view! { <button aria-label=format!("Resend to {}", i.email) on:click=move |_| { resend.dispatch(ResendInvitation { id }); }>"Resend"</button> })}
                                                    {pending.then(|| view! { <button class="danger" aria-label=format!("Revoke invitation of {}", i.email) on:click=move |_| { revoke.dispatch(RevokeInvitation { id }); }>"Revoke"</button> })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager path="/invitations" label="Invitation pages" newer="Newer invitations" older="Older invitations" page=n next prev/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The `?cursor=` of the current address (none: the first page) and the `?n=` page
/// number it shows (1 when absent): the number is only a label, the cursor says where.
fn query_cursor() -> impl Fn() -> (Option<String>, i64) + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || {
        let q = query.read();
        (q.get("cursor").filter(|c| !c.is_empty()), q.get("n").and_then(|n| n.parse::<i64>().ok()).filter(|n| *n >= 1).unwrap_or(1))
    }
}

/// Links to the newer and older pages of a newest-first list at `path`.
#[component]
fn Pager(
    path: &'static str,
    label: &'static str,
    newer: &'static str,
    older: &'static str,
    page: i64,
    next: Option<String>,
    prev: Option<String>,
) -> impl IntoView {
    let link = move |cursor: String, n: i64| format!("{path}?cursor={}&n={n}", crate::domain::links::encode_component(&cursor));
    view! {
        <nav class="pager" aria-label=label>
            {prev.map(|c| view! { <a href=link(c, (page - 1).max(1))>{newer}</a> })}
            <span>{format!("Page {page}")}</span>
            {next.map(|c| view! { <a href=link(c, page + 1)>{older}</a> })}
        </nav>
    }
}

/// Mail Lobby sent (or, with no SMTP server, keeps here). Links are clickable.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let at = query_cursor();
    let data = Resource::new(at, |(cursor, _)| outbox(cursor));
    view! {
        <h1>"Outbox"</h1>
        <p class="muted">"Mail Lobby sends. Without SMTP settings it is not delivered: open the links from here."</p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(p) if p.items.is_empty() && at().0.is_none() => view! { <p class="muted">"No mail yet."</p> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="muted">"No more mail here. " <a href="/outbox">"Back to the newest"</a></p> }.into_any(),
                    Ok(p) => {
                        let (n, next, prev) = (at().1, p.next.clone(), p.prev.clone());
                        view! {
                            <ul class="outbox">
                                {p.items.into_iter().map(|m| view! {
                                    <li class="mail" aria-label=format!("Mail to {}", m.to)>
                                        <p><strong>{m.subject.clone()}</strong></p>
                                        <p class="muted">{format!("To {} · {} · {}", m.to, date(Some(m.created_at)), if m.sent { "sent" } else { "not sent (no SMTP server)" })}</p>
                                        {m.attachment.clone().map(|name| view! {
                                            <p class="attachment">"Attached: " <a href=format!("/outbox/{}/attachment", m.id) download="">{name}</a></p>
                                        })}
                                        <div class="mail-body">
                                            {m.text.lines().map(|l| {
                                                let l = l.trim().to_string();
                                                if l.starts_with("http://") || l.starts_with("https://") {
                                                    view! { <p><a href=l.clone()>{l.clone()}</a></p> }.into_any()
                                                } else {
                                                    view! { <p>{l}</p> }.into_any()
                                                }
                                            }).collect_view()}
                                        </div>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <Pager path="/outbox" label="Outbox pages" newer="Newer mail" older="Older mail" page=n next prev/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The invitee's page: who invited them to what, and the form to accept.
#[component]
pub fn AcceptPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, invitation_info);
    let accept = ServerAction::<AcceptInvitation>::new();
    view! {
        <main class="signin">
            <section class="signin-card">
                <h1>"Lobby"</h1>
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match info.await {
                            Err(e) => view! {
                                <h2>"This invitation cannot be used"</h2>
                                <p class="error" role="alert">{e.to_string()}</p>
                                <p><a href="/login">"Sign in"</a></p>
                            }.into_any(),
                            Ok(i) => {
                                let what = match (&i.project, i.is_guest) {
                                    (Some(p), true) => format!("as a guest in the project “{}” ({})", p, i.permission.map(|p| p.label()).unwrap_or("")),
                                    (_, true) => "as a guest".to_string(),
                                    _ => "as a member".to_string(),
                                };
                                view! {
                                    <h2>{format!("Join {}", i.org_name)}</h2>
                                    <p>{format!("{} invited {} {}.", i.inviter, i.email, what)}</p>
                                    <ActionForm action=accept>
                                        <input type="hidden" name="token" value=token()/>
                                        <label for="accept-first">"First name"</label>
                                        <input id="accept-first" name="first_name" type="text" maxlength="100" required autocomplete="given-name"/>
                                        <label for="accept-last">"Last name"</label>
                                        <input id="accept-last" name="last_name" type="text" maxlength="100" required autocomplete="family-name"/>
                                        <label for="accept-password">"Password"</label>
                                        <input id="accept-password" name="password" type="password" minlength="10" required autocomplete="new-password"/>
                                        <label for="accept-mobile">"Mobile number (optional)"</label>
                                        <input id="accept-mobile" name="mobile" type="tel" autocomplete="tel"/>
                                        {move || match accept.value().get() {
                                            Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
                                            _ => None,
                                        }}
                                        <button type="submit" class="primary" disabled=move || accept.pending().get()>"Accept invitation"</button>
                                    </ActionForm>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </main>
    }
}
