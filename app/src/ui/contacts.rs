//! Contacts (F-CONTACTS): the directory as the signed-in person may see it —
//! departments with their members, their groups (and All when shown), people — with a
//! contact card per person saying which features are available between them and why.
//! Admins use "View as" (F-VIEWAS) to see all of it exactly as someone in their scope.

use crate::api::directory::*;
use crate::domain::paging::Page;
use crate::domain::{PersonKind, Viewer};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let viewer = use_context::<Viewer>();
    let is_admin = viewer.as_ref().is_some_and(|v| v.is_admin());
    let query = use_query_map();
    let as_person = Memo::new(move |_| query.with(|q| q.get("as").and_then(|v| v.parse::<i64>().ok())));
    let cursor = RwSignal::new(None::<String>);
    let card = RwSignal::new(None::<i64>);
    // A new person to view as starts again at the first page, with no card open.
    Effect::new(move |_| {
        as_person.track();
        if cursor.with_untracked(Option::is_some) {
            cursor.set(None);
        }
        if card.with_untracked(Option::is_some) {
            card.set(None);
        }
    });
    let data = Resource::new(move || (as_person.get(), cursor.get()), |(who, c)| load_directory(who, c));
    view! {
        <div class="page-head">
            <h1>"Contacts"</h1>
        </div>
        {is_admin.then(|| view! { <ViewAs as_person/> })}
        <Search as_person card/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(d) => view! {
                        {d.viewed_as.clone().map(|v| view! {
                            <p class="notice view-as" role="status">
                                {format!("Viewing as {} ({}), read-only.", v.name, kind_label(v.kind))}
                                " "
                                <a href="/contacts">"Stop viewing as"</a>
                            </p>
                        })}
                        <div class="directory">
                            <section class="panel" aria-labelledby="people-heading">
                                <h2 id="people-heading">"People"</h2>
                                <PeopleList page=d.people.clone() card/>
                                <crate::ui::Pager label="People pages" prev=d.people.prev.clone() next=d.people.next.clone() cursor/>
                            </section>
                            <section class="panel" aria-labelledby="departments-heading">
                                <h2 id="departments-heading">"Departments"</h2>
                                <Departments list=d.departments.clone() as_person card/>
                            </section>
                            <section class="panel" aria-labelledby="groups-heading">
                                <h2 id="groups-heading">"Groups"</h2>
                                <Groups list=d.groups.clone() as_person card/>
                            </section>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
        <Card as_person card/>
    }
}

fn kind_label(kind: PersonKind) -> &'static str {
    match kind {
        PersonKind::Member => "member",
        PersonKind::Guest => "guest",
    }
}

/// A list of people, each opening their contact card.
#[component]
fn PeopleList(page: Page<Contact>, card: RwSignal<Option<i64>>) -> impl IntoView {
    if page.items.is_empty() {
        return view! { <p class="muted">"Nobody to show."</p> }.into_any();
    }
    view! {
        <ul class="contacts">
            {page.items.into_iter().map(|c| view! { <ContactLine c card/> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ContactLine(c: Contact, card: RwSignal<Option<i64>>) -> impl IntoView {
    let id = c.id;
    view! {
        <li>
            <button type="button" class="link contact" on:click=move |_| card.set(Some(id))>
                <span class="avatar placeholder small" aria-hidden="true">{c.name.chars().next().unwrap_or('?').to_string()}</span>
                <span class="name">{c.name.clone()}</span>
            </button>
            <span class="muted">{c.department.clone()}</span>
            {(c.kind == PersonKind::Guest).then(|| view! { " " <span class="badge guest">"Guest"</span> })}
        </li>
    }
}

/// Departments as a tree; each opens to its members (members only, a page at a time).
#[component]
fn Departments(list: Vec<DepartmentEntry>, as_person: Memo<Option<i64>>, card: RwSignal<Option<i64>>) -> impl IntoView {
    let open = RwSignal::new(None::<i64>);
    let rows = in_tree_order(&list);
    view! {
        <ul class="tree">
            {rows.into_iter().map(|(depth, d)| {
                let id = d.id;
                let label = format!("{} ({} member{})", d.name, d.members, if d.members == 1 { "" } else { "s" });
                view! {
                    <li style=format!("margin-left: {}rem", depth as f32 * 1.0)>
                        <button type="button" class="link" aria-expanded=move || (open.get() == Some(id)).to_string()
                            on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>{label}</button>
                        {move || (open.get() == Some(id)).then(|| view! { <Members as_person card source=Source::Department(id)/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Each department after its parent, with its depth.
fn in_tree_order(list: &[DepartmentEntry]) -> Vec<(usize, DepartmentEntry)> {
    fn walk(list: &[DepartmentEntry], parent: Option<i64>, depth: usize, out: &mut Vec<(usize, DepartmentEntry)>) {
        for d in list.iter().filter(|d| d.parent == parent) {
            out.push((depth, d.clone()));
            if depth < 32 {
                walk(list, Some(d.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(list.len());
    // Roots, and any department whose parent is not listed (the Guests department is
    // never listed, so nothing hangs from it).
    let known: std::collections::BTreeSet<i64> = list.iter().map(|d| d.id).collect();
    for d in list.iter().filter(|d| d.parent.is_none_or(|p| !known.contains(&p))) {
        out.push((0, d.clone()));
        walk(list, Some(d.id), 1, &mut out);
    }
    out
}

#[component]
fn Groups(list: Vec<GroupEntry>, as_person: Memo<Option<i64>>, card: RwSignal<Option<i64>>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No groups."</p> }.into_any();
    }
    let open = RwSignal::new(None::<i64>);
    view! {
        <ul class="tree">
            {list.into_iter().map(|g| {
                let id = g.id;
                let label = format!("{} ({} member{})", g.name, g.members, if g.members == 1 { "" } else { "s" });
                view! {
                    <li>
                        <button type="button" class="link" aria-expanded=move || (open.get() == Some(id)).to_string()
                            on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>{label}</button>
                        {move || (open.get() == Some(id)).then(|| view! { <Members as_person card source=Source::Group(id)/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Department(i64),
    Group(i64),
}

/// The members of a department or a group, a page at a time.
#[component]
fn Members(as_person: Memo<Option<i64>>, card: RwSignal<Option<i64>>, source: Source) -> impl IntoView {
    let cursor = RwSignal::new(None::<String>);
    let data = Resource::new(move || (as_person.get(), cursor.get()), move |(who, c)| async move {
        match source {
            Source::Department(id) => department_members(who, id, c).await,
            Source::Group(id) => group_members(who, id, c).await,
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(p) => {
                        let (prev, next) = (p.prev.clone(), p.next.clone());
                        let paged = prev.is_some() || next.is_some();
                        view! {
                            <PeopleList page=p card/>
                            {paged.then(|| view! {
                                <crate::ui::Pager label="Member pages" prev=prev.clone() next=next.clone() cursor/>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// "Search contacts": from two characters, people the person may see.
#[component]
fn Search(as_person: Memo<Option<i64>>, card: RwSignal<Option<i64>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let results = Resource::new(move || (as_person.get(), text.get()), |(who, q)| async move {
        if q.trim().chars().count() < 2 {
            Ok(Vec::new())
        } else {
            search_contacts(who, q).await
        }
    });
    view! {
        <div class="toolbar">
            <label for="contact-search">"Search contacts"</label>
            <input id="contact-search" type="search" autocomplete="off" placeholder="Name or email, 2 characters or more"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
        </div>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let typed = text.with_untracked(|t| t.trim().chars().count() >= 2);
                match results.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(found) if typed => view! {
                        <section class="panel" aria-label="Search results">
                            {if found.is_empty() {
                                view! { <p class="muted">"Nobody matches."</p> }.into_any()
                            } else {
                                view! { <PeopleList page=Page { items: found, next: None, prev: None } card/> }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Ok(_) => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// Admins: pick a person and see Contacts and their cards as that person would.
#[component]
fn ViewAs(as_person: Memo<Option<i64>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let navigate = use_navigate();
    let found = Resource::new(move || text.get(), |q| async move {
        if q.trim().chars().count() < 2 {
            Ok(Vec::new())
        } else {
            view_as_candidates(q).await
        }
    });
    view! {
        <div class="toolbar view-as-picker">
            <label for="view-as">"View as"</label>
            <input id="view-as" type="search" autocomplete="off" placeholder="A person in your scope"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            {move || as_person.get().is_some().then(|| view! { <a href="/contacts">"Stop viewing as"</a> })}
        </div>
        <Transition fallback=|| ()>
            {move || {
                let navigate = navigate.clone();
                Suspend::new(async move {
                    match found.await {
                        Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                        Ok(people) if !people.is_empty() => view! {
                            <ul class="picker" aria-label="People to view as">
                                {people.into_iter().map(|c| {
                                    let navigate = navigate.clone();
                                    let id = c.id;
                                    view! {
                                        <li><button type="button" class="link" on:click=move |_| {
                                            text.set(String::new());
                                            navigate(&format!("/contacts?as={id}"), Default::default());
                                        }>{format!("View as {}", c.name)}</button>
                                        " " <span class="muted">{c.department.clone()}</span></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Ok(_) => ().into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// The open contact card: name, department, avatar, and each feature available or not
/// between the person (or whoever is viewed as) and them, with the reason.
#[component]
fn Card(as_person: Memo<Option<i64>>, card: RwSignal<Option<i64>>) -> impl IntoView {
    let data = Resource::new(move || (as_person.get(), card.get()), |(who, id)| async move {
        match id {
            Some(id) => get_contact_card(who, id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(Some(c)) => {
                        let name = c.contact.name.clone();
                        view! {
                            <section class="panel card" role="region" aria-label=format!("Contact card of {name}")>
                                <div class="card-head">
                                    {match c.contact.avatar.clone() {
                                        Some(src) => view! { <img class="avatar" src=src alt=format!("Avatar of {name}")/> }.into_any(),
                                        None => view! { <span class="avatar placeholder" aria-hidden="true">{name.chars().next().unwrap_or('?').to_string()}</span> }.into_any(),
                                    }}
                                    <div>
                                        <h2>{name.clone()}</h2>
                                        <p class="muted">{c.contact.department.clone()}
                                            {(c.contact.kind == PersonKind::Guest).then(|| view! { " " <span class="badge guest">"Guest"</span> })}
                                        </p>
                                    </div>
                                    <button type="button" class="close" on:click=move |_| card.set(None)>"Close"</button>
                                </div>
                                {(as_person.get_untracked().is_none()
                                    && c.features.iter().any(|a| a.feature == crate::domain::profile::Feature::Messaging && a.available))
                                    .then(|| view! { <MessageButton with=c.contact.id/> })}
                                <ul class="features" aria-label="Features">
                                    {c.features.into_iter().map(|a| view! {
                                        <li class:available=a.available>
                                            <span class="feature">{a.feature.label()}</span>
                                            " "
                                            <strong>{if a.available { "available" } else { "not available" }}</strong>
                                            <span class="reason">{a.reason}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// "Message": opens (or starts) the conversation with this person. Shown only while the
/// policy lets the two message each other.
#[component]
fn MessageButton(with: i64) -> impl IntoView {
    let open = Action::new(move |_: &()| crate::api::messages::open_conversation(with));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = open.value().get() {
            navigate(&format!("/conversations/{id}"), Default::default());
        }
    });
    view! {
        <p class="card-actions">
            <button type="button" class="primary" disabled=move || open.pending().get() on:click=move |_| { open.dispatch(()); }>"Message"</button>
        </p>
        {move || match open.value().get() {
            Some(Err(e)) => Some(view! { <crate::ui::ErrorNote message=e.to_string()/> }),
            _ => None,
        }}
    }
}
