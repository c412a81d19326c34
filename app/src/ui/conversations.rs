//! Conversations (F-MESSAGES): the list with unread counts and New channel, and one
//! conversation — its messages (older ones on request, new ones within seconds by
//! polling), a send box and an attach control, or the reason the Guest Profile gives
//! instead of each.

use crate::api::directory::search_contacts;
use crate::api::messages::*;
use crate::domain::messages::{unread_label, ConversationKind, MAX_TEXT_CHARS};
use crate::domain::PersonKind;
use crate::ui::confirm::datetime;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// How often an open conversation asks for new messages.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(3);

fn kind_label(kind: ConversationKind) -> &'static str {
    match kind {
        ConversationKind::Direct => "Direct",
        ConversationKind::Department => "Department channel",
        ConversationKind::Channel => "Channel",
    }
}

#[component]
pub fn ConversationsPage() -> impl IntoView {
    let cursor = RwSignal::new(None::<String>);
    let list = Resource::new(move || cursor.get(), load_conversations);
    view! {
        <h1>"Conversations"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(l) => {
                        let empty = l.page.items.is_empty();
                        view! {
                            {match l.channel_creation {
                                Ok(()) => view! { <NewChannel/> }.into_any(),
                                Err(why) => view! { <p class="muted">"New channel: " {why}</p> }.into_any(),
                            }}
                            {empty.then(|| view! { <p class="muted">"No conversations yet. Open a contact card in Contacts and choose Message."</p> })}
                            <ul class="conversations" aria-label="Conversations">
                                {l.page.items.into_iter().map(|c| {
                                    let unread = (c.unread > 0).then(|| {
                                        let label = unread_label(c.unread);
                                        let aria = format!("{label} unread");
                                        view! { <span class="badge unread" aria-label=aria>{label}</span> }
                                    });
                                    view! {
                                        <li>
                                            <a href=format!("/conversations/{}", c.id)>{c.title.clone()}</a>
                                            " " <span class="muted">{kind_label(c.kind)} " · " {datetime(c.last_activity_at)}</span>
                                            " " {unread}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <crate::ui::Pager label="Conversation pages" prev=l.page.prev next=l.page.next cursor/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// People found by a directory search, to tick: the people the person may see, so a
/// guest is never offered another guest.
#[component]
fn PeoplePicker(chosen: RwSignal<Vec<(i64, String)>>, label: &'static str) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let found = Resource::new(move || query.get(), |q| async move { if q.trim().chars().count() < 2 { Ok(Vec::new()) } else { search_contacts(None, q).await } });
    let input_id = format!("picker-{}", label.to_lowercase().replace(' ', "-"));
    view! {
        <label for=input_id.clone()>{label}</label>
        <input id=input_id type="search" autocomplete="off" placeholder="Type two letters of a name" on:input=move |ev| query.set(event_target_value(&ev))/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match found.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(people) => view! {
                        <ul class="picker" aria-label="People found">
                            {people.into_iter().map(|p| {
                                let (id, name) = (p.id, p.name.clone());
                                let checked = move || chosen.read().iter().any(|(c, _)| *c == id);
                                let guest = (p.kind == PersonKind::Guest).then(|| view! { " " <span class="badge guest">"Guest"</span> });
                                view! {
                                    <li>
                                        <label>
                                            <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|c| {
                                                    c.retain(|(x, _)| *x != id);
                                                    if on { c.push((id, name.clone())); }
                                                });
                                            }/>
                                            {p.name.clone()}
                                        </label>
                                        {guest}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
        {move || {
            let c = chosen.get();
            (!c.is_empty()).then(|| view! { <p class="muted">"Chosen: " {c.into_iter().map(|(_, n)| n).collect::<Vec<_>>().join(", ")}</p> })
        }}
    }
}

#[component]
fn NewChannel() -> impl IntoView {
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<(i64, String)>::new());
    let create = Action::new(move |(n, people): &(String, Vec<i64>)| create_channel(n.clone(), people.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/conversations/{id}"), Default::default());
        }
    });
    view! {
        <p><button type="button" on:click=move |_| open.update(|o| *o = !*o)>"New channel"</button></p>
        <Show when=move || open.get()>
            <form class="panel" aria-label="New channel" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch((name.get_untracked(), chosen.get_untracked().into_iter().map(|(id, _)| id).collect()));
            }>
                <label for="channel-name">"Channel name"</label>
                <input id="channel-name" required maxlength="120" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <PeoplePicker chosen label="Add people"/>
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Create channel"</button>
                {move || match create.value().get() {
                    Some(Err(e)) => Some(view! { <crate::ui::ErrorNote message=e.to_string()/> }),
                    _ => None,
                }}
            </form>
        </Show>
    }
}

#[component]
pub fn ConversationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let reload = RwSignal::new(0u32);
    let data = Resource::new(move || (id(), reload.get()), |(id, _)| load_conversation(id, None));
    view! {
        <p><a href="/conversations">"← Conversations"</a></p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <h1>"Conversation"</h1> <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(v) => view! { <Conversation v reload/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Adds messages not shown yet, keeping the conversation's order (a poll may bring
/// someone else's message sent before the one just posted here).
fn append(list: RwSignal<Vec<Message>>, new: Vec<Message>) {
    list.update(|l| {
        for m in new {
            if !l.iter().any(|x| x.id == m.id) {
                l.push(m);
            }
        }
        l.sort_by_key(|m| (m.sent_at, m.id));
    });
}

#[component]
fn Conversation(v: ConversationView, reload: RwSignal<u32>) -> impl IntoView {
    let id = v.id;
    // Oldest first, as shown.
    let mut first: Vec<Message> = v.messages.items.clone();
    first.reverse();
    let messages = RwSignal::new(first);
    let older = RwSignal::new(v.messages.next.clone());
    let newer = RwSignal::new(v.newer.clone());
    let polling = RwSignal::new(false);
    let poll = move || {
        if polling.get_untracked() {
            return;
        }
        polling.set(true);
        leptos::task::spawn_local(async move {
            // The page may be left while a poll is under way: stop once its signals are gone.
            while let Some(cursor) = newer.try_get_untracked() {
                let Ok(n) = newer_messages(id, cursor).await else { break };
                if newer.try_set(n.newer).is_some() || messages.is_disposed() {
                    break;
                }
                append(messages, n.messages);
                if !n.more {
                    break;
                }
            }
            polling.try_set(false);
        });
    };
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(poll, POLL_EVERY) {
            on_cleanup(move || handle.clear());
        }
    });
    let load_older = Action::new(move |cursor: &String| load_conversation(id, Some(cursor.clone())));
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_older.value().get() {
            let mut items = page.messages.items;
            items.reverse();
            messages.update(|l| {
                items.retain(|m| !l.iter().any(|x| x.id == m.id));
                items.append(l);
                *l = std::mem::take(&mut items);
            });
            older.set(page.messages.next);
        }
    });
    let text = RwSignal::new(String::new());
    let has_file = RwSignal::new(false);
    let send = Action::new(move |t: &String| send_message(id, t.clone()));
    Effect::new(move |_| {
        if let Some(Ok(m)) = send.value().get() {
            text.set(String::new());
            append(messages, vec![m]);
        }
    });
    let query = use_query_map();
    // A refused upload comes back in the address; a message sent since makes it old news.
    let upload_error = move || query.read().get("error").filter(|_| !matches!(send.value().get(), Some(Ok(_))));
    let submitting = RwSignal::new(false);
    let participants = (v.kind != ConversationKind::Department && v.participants.len() > 2 || v.kind == ConversationKind::Channel).then(|| {
        let names: Vec<String> = v.participants.iter().map(|p| if p.kind == PersonKind::Guest { format!("{} (Guest)", p.name) } else { p.name.clone() }).collect();
        view! { <p class="muted">"People: " {names.join(", ")}</p> }
    });
    let (post, attach) = (v.post.clone(), v.attach.clone());
    let can_send = post.is_ok() || attach.is_ok();
    view! {
        <h1>{v.title.clone()}</h1>
        <p class="muted">{kind_label(v.kind)}</p>
        {participants}
        {v.may_add_people.then(|| view! { <AddPeople id reload/> })}
        {move || older.get().map(|c| view! {
            <p><button type="button" disabled=move || load_older.pending().get() on:click=move |_| { load_older.dispatch(c.clone()); }>"Older messages"</button></p>
        })}
        <ol class="messages" aria-label="Messages" aria-live="polite">
            <For each=move || messages.get() key=|m| m.id let:m>
                <li class:mine=m.mine>
                    <p class="meta"><strong>{m.author.clone()}</strong> " " <span class="muted">{datetime(m.sent_at)}</span></p>
                    {(!m.text.is_empty()).then(|| view! { <p class="text">{m.text.clone()}</p> })}
                    {m.file.clone().map(|f| view! {
                        <p class="file">
                            <a href=f.url.clone() download=f.name.clone() rel="external">{format!("Download {}", f.name)}</a>
                            " " <span class="muted">{format!("{} · {}", f.content_type, size_label(f.size))}</span>
                        </p>
                    })}
                </li>
            </For>
        </ol>
        {move || upload_error().map(|e| view! { <crate::ui::ErrorNote message=e/> })}
        {move || match send.value().get() {
            Some(Err(e)) => Some(view! { <crate::ui::ErrorNote message=e.to_string()/> }),
            _ => None,
        }}
        <form class="composer" method="post" enctype="multipart/form-data" action=format!("/conversations/{id}/files") aria-label="Send a message"
            on:submit=move |ev| {
                // A file goes with the form itself (multipart, to its own route); text alone
                // through the server function, without leaving the page.
                if !has_file.get_untracked() {
                    ev.prevent_default();
                    send.dispatch(text.get_untracked());
                } else if submitting.get_untracked() {
                    ev.prevent_default();
                } else {
                    submitting.set(true);
                }
            }>
            {match post.clone() {
                Ok(()) => view! {
                    <label for="message-text">"Message"</label>
                    <textarea id="message-text" name="text" rows="3" maxlength=MAX_TEXT_CHARS.to_string() prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                }.into_any(),
                Err(why) => view! { <p class="notice" role="status">"You cannot send messages here: " {why}</p> }.into_any(),
            }}
            {match attach.clone() {
                Ok(()) => view! {
                    <label for="message-file">"Attach file"</label>
                    <input id="message-file" type="file" name="file" on:change=move |ev| has_file.set(!event_target_value(&ev).is_empty())/>
                }.into_any(),
                Err(why) => view! { <p class="notice" role="status">"Files cannot be shared here: " {why}</p> }.into_any(),
            }}
            {can_send.then(|| view! { <button type="submit" class="primary" disabled=move || send.pending().get() || submitting.get()>"Send"</button> })}
        </form>
    }
}

fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[component]
fn AddPeople(id: i64, reload: RwSignal<u32>) -> impl IntoView {
    let open = RwSignal::new(false);
    let chosen = RwSignal::new(Vec::<(i64, String)>::new());
    let add = Action::new(move |people: &Vec<i64>| add_to_channel(id, people.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            chosen.set(Vec::new());
            open.set(false);
            reload.update(|r| *r += 1);
        }
    });
    view! {
        <p><button type="button" on:click=move |_| open.update(|o| *o = !*o)>"Add people"</button></p>
        <Show when=move || open.get()>
            <form class="panel" aria-label="Add people" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(chosen.get_untracked().into_iter().map(|(p, _)| p).collect());
            }>
                <PeoplePicker chosen label="Find people"/>
                <button type="submit" class="primary" disabled=move || add.pending().get()>"Add to channel"</button>
                {move || match add.value().get() {
                    Some(Err(e)) => Some(view! { <crate::ui::ErrorNote message=e.to_string()/> }),
                    _ => None,
                }}
            </form>
        </Show>
    }
}
