use super::confirm::{date, time_left, ConfirmDialog};
use crate::api::guests::{list_guests, search_guests, DeleteGuests, GuestItem, IncorporateGuests, SetGuestExpiry};
use crate::domain::expiry::ExpiryPeriod;
use crate::domain::guests::{GuestSort, SortDir};
use crate::domain::search::MIN_QUERY_CHARS;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::HashSet;
use std::time::Duration;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Incorporate,
    Delete,
}

/// The Guests list: counter, search, sortable table, selection, Incorporate and Delete.
#[component]
pub fn GuestsPage() -> impl IntoView {
    // Where the shown page starts (a cursor; none is the first page) and its number.
    let page = RwSignal::new((None::<String>, 1i64));
    let sort = RwSignal::new((GuestSort::InvitationDate, SortDir::Desc));
    let selected = RwSignal::new(HashSet::<i64>::new());
    let confirm = RwSignal::new(None::<Pending>);
    let notice = RwSignal::new(None::<String>);
    let incorporate = ServerAction::<IncorporateGuests>::new();
    let delete = ServerAction::<DeleteGuests>::new();
    let set_expiry = ServerAction::<SetGuestExpiry>::new();
    let new_period = RwSignal::new(ExpiryPeriod::OneMonth);
    let preview = RwSignal::new(false);

    let list = Resource::new(
        move || (page.get(), sort.get(), incorporate.version().get(), delete.version().get(), set_expiry.version().get()),
        |((cursor, _), (s, d), ..)| list_guests(cursor, s, d),
    );

    // After an action: close the dialog, say what happened, drop the selection.
    Effect::new(move |_| {
        for (action, done) in [(incorporate.value().get(), "incorporated"), (delete.value().get(), "deleted"), (set_expiry.value().get(), "given a new expiration")] {
            match action {
                Some(Ok(n)) => {
                    confirm.set(None);
                    preview.set(false);
                    selected.set(HashSet::new());
                    notice.set(Some(format!("{n} {} {done}.", if n == 1 { "guest" } else { "guests" })));
                }
                Some(Err(e)) => {
                    confirm.set(None);
                    preview.set(false);
                    notice.set(Some(e.to_string()));
                }
                None => {}
            }
        }
    });
    let busy = Signal::derive(move || incorporate.pending().get() || delete.pending().get() || set_expiry.pending().get());
    let count = move || selected.with(|s| s.len());
    let ids = move || selected.with(|s| s.iter().copied().collect::<Vec<_>>());

    let set_sort = move |col: GuestSort| {
        sort.update(|(s, d)| {
            if *s == col {
                *d = d.flip();
            } else {
                *s = col;
                *d = SortDir::Asc;
            }
        });
        page.set((None, 1));
        selected.set(HashSet::new());
    };

    view! {
        <div class="page-head">
            <h1>"Guests list"</h1>
            <p class="counter">
                "Guests created "
                <strong data-testid="guests-created">
                    <Transition fallback=|| "…">{move || list.get().and_then(|r| r.ok()).map(|p| p.total)}</Transition>
                </strong>
            </p>
        </div>
        <div class="toolbar">
            <super::invite::InviteButton label="Invite new members"/>
            <a href="/invitations">"Invitations"</a>
            <a href="/guests/inventory">"Guest inventory"</a>
        </div>
        <GuestSearch/>
        // The bulk actions: a toolbar that appears while guests are selected, saying how many.
        <Show when=move || { count() > 0 }>
            <div class="bulk-bar" role="toolbar" aria-label="Bulk actions">
                <span class="count" role="status">{move || format!("{} selected", count())}</span>
                <button on:click=move |_| { notice.set(None); confirm.set(Some(Pending::Incorporate)) }>"Incorporate"</button>
                <button class="danger" on:click=move |_| { notice.set(None); confirm.set(Some(Pending::Delete)) }>"Delete"</button>
                <span class="expiry">
                    <label for="bulk-expiry">"New expiration"</label>
                    <select id="bulk-expiry" on:change=move |ev| new_period.set(ExpiryPeriod::from_key(&event_target_value(&ev)).unwrap_or(ExpiryPeriod::Never))>
                        {ExpiryPeriod::ALL.into_iter().map(|p| view! { <option value=p.key() selected=move || new_period.get() == p>{p.label()}</option> }).collect_view()}
                    </select>
                    <button on:click=move |_| { notice.set(None); preview.set(true) }>"Change expiration"</button>
                </span>
                <button class="link" on:click=move |_| selected.set(HashSet::new())>"Clear selection"</button>
            </div>
        </Show>
        {move || notice.get().map(|m| view! { <p class="notice" role="alert">{m}</p> })}
        {move || preview.get().then(|| {
            let period = new_period.get();
            let rows: Vec<GuestItem> = list.get().and_then(|r| r.ok()).map(|p| p.page.items).unwrap_or_default()
                .into_iter().filter(|g| selected.with(|s| s.contains(&g.id))).collect();
            let when = period.expires_at(chrono::Utc::now()).map(|t| super::confirm::datetime(t.timestamp_millis())).unwrap_or_else(|| "Without expiration".into());
            view! {
                <div class="backdrop">
                    <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="expiry-title"
                        on:keydown=move |ev| if ev.key() == "Escape" { preview.set(false) }>
                        <h2 id="expiry-title">"Change expiration"</h2>
                        <p>{format!("Set “{}” from now for these guests?", period.label())}</p>
                        <div class="table-wrap">
                            <table class="preview">
                                <thead><tr><th scope="col">"Guest"</th><th scope="col">"Now"</th><th scope="col">"New date"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|g| view! {
                                        <tr><td class="lead">{g.full_name()}</td><td data-label="Now">{g.expires_at.map(super::confirm::datetime).unwrap_or_else(|| "Without expiration".into())}</td><td data-label="New date">{when.clone()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="dialog-buttons">
                            <button class="primary" disabled=move || busy.get() on:click=move |_| { set_expiry.dispatch(SetGuestExpiry { ids: ids(), period }); }>"Yes"</button>
                            <button disabled=move || busy.get() on:click=move |_| preview.set(false)>"No"</button>
                        </div>
                    </div>
                </div>
            }
        })}
        {move || confirm.get().map(|what| {
            let n = count();
            let who = if n == 1 { "this guest".to_string() } else { format!("these {n} guests") };
            let (title, message) = match what {
                Pending::Incorporate => (
                    "Incorporate guests".to_string(),
                    format!("Incorporate {who} into the organization? They become users with access to all features, and leave the Guests list."),
                ),
                Pending::Delete => (
                    "Delete guests".to_string(),
                    format!("Delete {who} from the organization? They can no longer sign in."),
                ),
            };
            let into = RwSignal::new(String::new());
            view! {
                <ConfirmDialog
                    title
                    message
                    busy
                    on_yes=move |_| match what {
                        Pending::Incorporate => { incorporate.dispatch(IncorporateGuests { ids: ids(), department: into.get_untracked().parse().ok() }); }
                        Pending::Delete => { delete.dispatch(DeleteGuests { ids: ids() }); }
                    }
                    on_no=move |_| confirm.set(None)
                >
                    {(what == Pending::Incorporate).then(|| view! { <crate::ui::groups::DepartmentChoice selected=into/> })}
                </ConfirmDialog>
            }
        })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(p) => view! { <GuestTable p sort set_sort selected page/> }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GuestTable(
    p: crate::api::guests::GuestPage,
    sort: RwSignal<(GuestSort, SortDir)>,
    set_sort: impl Fn(GuestSort) + Copy + Send + Sync + 'static,
    selected: RwSignal<HashSet<i64>>,
    page: RwSignal<(Option<String>, i64)>,
) -> impl IntoView {
                        let pages = ((p.total + p.page_size - 1) / p.page_size).max(1);
                        let current = page.with_untracked(|(_, n)| *n).min(pages);
                        let now = p.now;
                        let (next, prev) = (p.page.next.clone(), p.page.prev.clone());
                        let page_ids: Vec<i64> = p.page.items.iter().map(|r| r.id).collect();
                        let page_ids_empty = page_ids.is_empty();
                        let all_ids = page_ids.clone();
                        let all_checked = move || !all_ids.is_empty() && selected.with(|s| all_ids.iter().all(|id| s.contains(id)));
                        let header = move |col: GuestSort| {
                            let aria = move || {
                                let (s, d) = sort.get();
                                if s != col { "none" } else if d == SortDir::Asc { "ascending" } else { "descending" }
                            };
                            view! {
                                <th scope="col" aria-sort=aria>
                                    <button class="sort" on:click=move |_| set_sort(col)>
                                        {col.label()}
                                        <span class="arrow" aria-hidden="true">{move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
                                    </button>
                                </th>
                            }
                        };
                        view! {
                            <div class="table-wrap">
                                <table class="guests">
                                    <thead>
                                        <tr>
                                            <th scope="col" class="select">
                                                <input
                                                    type="checkbox"
                                                    aria-label="Select all"
                                                    prop:checked=all_checked
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        selected.update(|s| for id in &page_ids { if on { s.insert(*id); } else { s.remove(id); } });
                                                    }
                                                />
                                            </th>
                                            {GuestSort::ALL.into_iter().map(header).collect_view()}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {p.page.items.into_iter().map(|g| view! { <GuestRow g now selected/> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {(p.total == 0).then(|| view! { <p class="muted">"No guests yet."</p> })}
                            {(p.total > 0 && page_ids_empty).then(|| view! {
                                <p class="muted">"No more guests here. "
                                    <button class="link" on:click=move |_| page.set((None, 1))>"Back to the first page"</button>
                                </p>
                            })}
                            <nav class="pager" aria-label="Pages">
                                <button disabled=prev.is_none() on:click=move |_| {
                                    selected.set(HashSet::new());
                                    page.set((prev.clone(), (current - 1).max(1)));
                                }>"Previous"</button>
                                <span>{format!("Page {current} of {pages}")}</span>
                                <button disabled=next.is_none() on:click=move |_| {
                                    selected.set(HashSet::new());
                                    page.set((next.clone(), (current + 1).min(pages)));
                                }>"Next"</button>
                            </nav>
                        }
}

#[component]
fn GuestRow(g: GuestItem, now: i64, selected: RwSignal<HashSet<i64>>) -> impl IntoView {
    let id = g.id;
    let name = g.full_name();
    let href = format!("/guests/{id}");
    view! {
        <tr>
            <td class="select">
                <input
                    type="checkbox"
                    aria-label=format!("Select {name}")
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    }
                />
            </td>
            <td class="lead"><a href=href.clone()>{g.first_name.clone()}</a></td>
            <td class="lead"><a href=href>{g.last_name.clone()}</a></td>
            <td class="user-id" data-label="User ID">{g.user_id.clone()}</td>
            <td data-label="Invited by">{g.invited_by.clone()}</td>
            <td class="date" data-label="Invitation date">{date(g.invited_at)}</td>
            <td data-label="Department">{g.department.clone()}</td>
            <td data-label="Project">{g.project.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label="Permission">{g.permission.map(|p| p.label()).unwrap_or("—")}</td>
            <td class="time-left" data-label="Time left">{
                let now = crate::ui::use_now(now);
                let expires = g.expires_at;
                move || time_left(now(), expires)
            }</td>
        </tr>
    }
}

/// "Search for guests": from two characters, as you type (debounced), the first ten
/// matches in a list below the box; picking one opens the guest.
#[component]
fn GuestSearch() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let generation = StoredValue::new(0u64);
    let active = RwSignal::new(None::<usize>);
    let results = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().chars().count() < MIN_QUERY_CHARS {
                Ok(Vec::new())
            } else {
                search_guests(q).await
            }
        },
    );
    let navigate = use_navigate();
    let open = {
        let navigate = navigate.clone();
        move |id: i64| navigate(&format!("/guests/{id}"), Default::default())
    };
    let hits = move || results.get().and_then(|r| r.ok()).unwrap_or_default();
    let show = move || typed.with(|t| t.trim().chars().count() >= MIN_QUERY_CHARS) && query.with(|q| q == &typed.get());
    let open_kb = open.clone();
    view! {
        <div class="search">
            <input
                type="search"
                aria-label="Search for guests"
                placeholder="Search for guests"
                role="combobox"
                aria-controls="guest-search-results"
                aria-expanded=move || (show() && !hits().is_empty()).to_string()
                aria-activedescendant=move || active.get().map(|i| format!("guest-hit-{i}"))
                autocomplete="off"
                prop:value=move || typed.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    typed.set(v.clone());
                    active.set(None);
                    generation.update_value(|g| *g += 1);
                    let mine = generation.get_value();
                    set_timeout(
                        move || {
                            if generation.get_value() == mine {
                                query.set(v);
                            }
                        },
                        Duration::from_millis(250),
                    );
                }
                on:keydown=move |ev| {
                    let n = hits().len();
                    match ev.key().as_str() {
                        "ArrowDown" if n > 0 => { ev.prevent_default(); active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n))); }
                        "ArrowUp" if n > 0 => { ev.prevent_default(); active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n))); }
                        "Enter" => if let Some(i) = active.get() { if let Some(h) = hits().get(i) { open_kb(h.id); } },
                        "Escape" => { typed.set(String::new()); query.set(String::new()); }
                        _ => {}
                    }
                }
            />
            <Show when=move || show() && !hits().is_empty()>
                <ul id="guest-search-results" class="search-results" role="listbox" aria-label="Guests found">
                    {
                        let open = open.clone();
                        move || hits().into_iter().enumerate().map(|(i, h)| {
                            let open = open.clone();
                            view! {
                                <li
                                    id=format!("guest-hit-{i}")
                                    role="option"
                                    aria-selected=move || (active.get() == Some(i)).to_string()
                                    on:click=move |_| open(h.id)
                                >
                                    <span class="hit-name">{h.full_name()}</span>
                                    " " <span class="badge guest">"Guest"</span>
                                    <span class="hit-meta">{format!("{} · {}", h.email, h.user_id)}</span>
                                </li>
                            }
                        }).collect_view()
                    }
                </ul>
            </Show>
            <Show when=move || show() && results.get().is_some_and(|r| r.map(|v| v.is_empty()).unwrap_or(false))>
                <p class="muted search-empty" role="status">"No guest matches."</p>
            </Show>
        </div>
    }
}
