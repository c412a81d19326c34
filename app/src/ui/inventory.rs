//! The guest inventory (F-INVENTORY, `/guests/inventory`): every guest and pending
//! invitation in scope with sponsor, inviter, project, dates, last sign-in and a live
//! countdown; filters and order in the address (so the dashboard links to a filtered
//! inventory and a filtered one can be shared), "Download CSV" of the same rows, and
//! from each row the actions the admin has elsewhere, with the same confirmations.

use super::confirm::{date, datetime, time_left, ConfirmDialog};
use crate::api::guests::{DeleteGuests, IncorporateGuests, SetGuestExpiry};
use crate::api::invitations::{ResendInvitation, RevokeInvitation};
use crate::api::inventory::*;
use crate::domain::expiry::ExpiryPeriod;
use crate::domain::inventory::{EntryState, InventoryFilters, InventorySort};
use crate::domain::links::encode_component;
use crate::domain::LastSignIn;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `a=1&b=2` of the non-empty values.
fn query_string(values: &[(&str, String)]) -> String {
    values.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode_component(v))).collect::<Vec<_>>().join("&")
}

/// The address's parameters of a query (without its cursor).
fn params(q: &InventoryQuery) -> Vec<(&'static str, String)> {
    let f = &q.filters;
    vec![
        ("state", f.state.clone()),
        ("never", f.never.clone()),
        ("idle", f.idle.clone()),
        ("expiring", f.expiring.clone()),
        ("pending_older", f.pending_older.clone()),
        ("lapsing", f.lapsing.clone()),
        ("department", f.department.clone()),
        ("inviter", f.inviter.clone()),
        ("sort", q.sort.clone()),
        ("dir", q.dir.clone()),
    ]
}

/// The page shown: its cursor and number, and the query they belong to.
#[derive(Clone, Default)]
struct At {
    under: Option<InventoryQuery>,
    cursor: Option<String>,
    n: i64,
}

/// A row action waiting for its confirmation.
#[derive(Clone, PartialEq)]
enum Ask {
    Incorporate(i64, String),
    Delete(i64, String),
    Expiry(i64, String, Option<i64>),
}

#[component]
pub fn InventoryPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            InventoryQuery {
                sort: get("sort"),
                dir: get("dir"),
                filters: InventoryFilters {
                    state: get("state"),
                    never: get("never"),
                    idle: get("idle"),
                    expiring: get("expiring"),
                    pending_older: get("pending_older"),
                    lapsing: get("lapsing"),
                    department: get("department"),
                    inviter: get("inviter"),
                },
                cursor: None,
            }
        })
    });
    // Where the shown page starts, for the query it was reached under: under any other
    // query (a filter or order changed) the list starts at page 1 in the same fetch.
    let at = RwSignal::new(At::default());
    let place = Memo::new(move |_| {
        let q = asked.get();
        at.with(|a| if a.under.as_ref() == Some(&q) { (a.cursor.clone(), a.n) } else { (None, 1) })
    });
    let incorporate = ServerAction::<IncorporateGuests>::new();
    let delete = ServerAction::<DeleteGuests>::new();
    let set_expiry = ServerAction::<SetGuestExpiry>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let data = Resource::new(
        move || {
            let versions = [incorporate.version().get(), delete.version().get(), set_expiry.version().get(), resend.version().get(), revoke.version().get()];
            (asked.get(), place.get().0, versions)
        },
        |(q, c, _)| load_inventory(InventoryQuery { cursor: c, ..q }),
    );
    let ask = RwSignal::new(None::<Ask>);
    let notice = RwSignal::new(None::<String>);
    // Each action's own result, once, when it arrives (never another action's old one).
    for (action, done) in [(incorporate.value(), "incorporated"), (delete.value(), "deleted"), (set_expiry.value(), "given a new expiration")] {
        Effect::new(move |_| match action.get() {
            Some(Ok(n)) => {
                ask.set(None);
                notice.set(Some(format!("{n} {} {done}.", if n == 1 { "guest" } else { "guests" })));
            }
            Some(Err(e)) => {
                ask.set(None);
                notice.set(Some(e.to_string()));
            }
            None => {}
        });
    }
    for (action, done) in [(resend.value(), "Invitation sent again."), (revoke.value(), "Invitation revoked.")] {
        Effect::new(move |_| match action.get() {
            Some(Ok(())) => notice.set(Some(done.to_string())),
            Some(Err(e)) => notice.set(Some(e.to_string())),
            None => {}
        });
    }
    let busy = Signal::derive(move || incorporate.pending().get() || delete.pending().get() || set_expiry.pending().get());
    view! {
        <div class="page-head">
            <h1>"Guest inventory"</h1>
            <a href="/guests">"Guests list"</a>
        </div>
        // Drawn again when the address changes (a sort link keeps the filters, and the
        // filters form keeps the order).
        {move || view! { <Filters q=asked.get()/> }}
        {move || {
            let q = asked.get();
            let href = format!("/guests/inventory.csv?{}", query_string(&params(&q)));
            view! {
                <p class="toolbar">
                    <span class="muted">"Guests and pending invitations · times in UTC"</span>
                    <a class="button" href=href download="">"Download CSV"</a>
                </p>
            }
        }}
        {move || notice.get().map(|m| view! { <p class="notice" role="alert">{m}</p> })}
        {move || ask.get().map(|a| view! { <Confirm a ask busy incorporate delete set_expiry/> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(p) => view! { <Table p asked at place ask resend revoke/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The filters form: a GET of this page, keeping the order.
#[component]
fn Filters(q: InventoryQuery) -> impl IntoView {
    let f = q.filters.clone();
    let departments = Resource::new(|| (), |_| crate::api::structure::load_structure());
    let inviters = Resource::new(|| (), |_| inventory_inviters());
    let filtered = f != InventoryFilters::default();
    let (dept, inviter) = (f.department.clone(), f.inviter.clone());
    view! {
        <form class="report-filters inventory-filters" method="get" action="/guests/inventory" aria-label="Inventory filters">
            <input type="hidden" name="sort" value=q.sort.clone()/>
            <input type="hidden" name="dir" value=q.dir.clone()/>
            <div class="field">
                <label for="inv-state">"State"</label>
                <select id="inv-state" name="state">
                    <option value="" selected=f.state.is_empty()>"All states"</option>
                    {EntryState::ALL.into_iter().map(|s| view! { <option value=s.key() selected=f.state == s.key()>{s.filter_label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field check">
                <input id="inv-never" name="never" type="checkbox" value="1" checked=f.never == "1"/>
                <label for="inv-never">"Never signed in"</label>
            </div>
            <div class="field">
                <label for="inv-idle">"Not signed in for"</label>
                <span class="with-unit">
                    <input id="inv-idle" name="idle" type="number" min="0" max="3650" inputmode="numeric" value=f.idle.clone()/>
                    <span class="muted">"days"</span>
                </span>
            </div>
            <div class="field">
                <label for="inv-expiring">"Expiring within"</label>
                <span class="with-unit">
                    <input id="inv-expiring" name="expiring" type="number" min="0" max="3650" inputmode="numeric" value=f.expiring.clone()/>
                    <span class="muted">"days"</span>
                </span>
            </div>
            <div class="field">
                <label for="inv-pending">"Pending invitations older than"</label>
                <span class="with-unit">
                    <input id="inv-pending" name="pending_older" type="number" min="0" max="3650" inputmode="numeric" value=f.pending_older.clone()/>
                    <span class="muted">"days"</span>
                </span>
            </div>
            <div class="field check">
                <input id="inv-lapsing" name="lapsing" type="checkbox" value="1" checked=f.lapsing == "1"/>
                <label for="inv-lapsing">"Lapsing within 48 hours"</label>
            </div>
            <div class="field">
                <label for="inv-department">"Sponsor department"</label>
                <select id="inv-department" name="department">
                    <option value="" selected=dept.is_empty()>"All departments"</option>
                    <Suspense fallback=|| ()>
                        {move || {
                            let dept = dept.clone();
                            Suspend::new(async move {
                                departments.await.map(|s| s.departments).unwrap_or_default().into_iter().map(|d| {
                                    let label = format!("{}{}", "\u{a0}\u{a0}".repeat(d.depth as usize), d.name);
                                    let id = d.id.to_string();
                                    let selected = id == dept;
                                    view! { <option value=id selected=selected>{label}</option> }
                                }).collect_view()
                            })
                        }}
                    </Suspense>
                </select>
            </div>
            <div class="field">
                <label for="inv-inviter">"Inviter"</label>
                <select id="inv-inviter" name="inviter">
                    <option value="" selected=inviter.is_empty()>"Anyone"</option>
                    <Suspense fallback=|| ()>
                        {move || {
                            let inviter = inviter.clone();
                            Suspend::new(async move {
                                inviters.await.unwrap_or_default().into_iter().map(|i| {
                                    let id = i.id.to_string();
                                    let selected = id == inviter;
                                    view! { <option value=id selected=selected>{i.name}</option> }
                                }).collect_view()
                            })
                        }}
                    </Suspense>
                </select>
            </div>
            <div class="field buttons">
                <button type="submit" class="primary">"Apply filters"</button>
                {filtered.then(|| {
                    let keep = query_string(&[("sort", q.sort.clone()), ("dir", q.dir.clone())]);
                    let href = if keep.is_empty() { "/guests/inventory".to_string() } else { format!("/guests/inventory?{keep}") };
                    view! { <a class="button" href=href>"Clear filters"</a> }
                })}
            </div>
        </form>
    }
}

#[component]
fn Table(
    p: InventoryPage,
    asked: Memo<InventoryQuery>,
    at: RwSignal<At>,
    place: Memo<(Option<String>, i64)>,
    ask: RwSignal<Option<Ask>>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
) -> impl IntoView {
    let q = asked.get_untracked();
    let (sort, dir) = order(&q);
    let header = move |col: Option<InventorySort>, label: &'static str| match col {
        None => view! { <th scope="col">{label}</th> }.into_any(),
        Some(col) => {
            let on = col == sort;
            let aria = if !on { "none" } else if dir == "asc" { "ascending" } else { "descending" };
            let next_dir = if on { if dir == "asc" { "desc" } else { "asc" } } else if col.first_dir() == crate::domain::guests::SortDir::Asc { "asc" } else { "desc" };
            let mut v = params(&q);
            for (k, value) in v.iter_mut() {
                match *k {
                    "sort" => *value = col.key().to_string(),
                    "dir" => *value = next_dir.to_string(),
                    _ => {}
                }
            }
            let href = format!("/guests/inventory?{}", query_string(&v));
            let arrow = match aria { "ascending" => " ▲", "descending" => " ▼", _ => "" };
            view! { <th scope="col" aria-sort=aria><a class="sort" href=href>{label}<span class="arrow" aria-hidden="true">{arrow}</span></a></th> }.into_any()
        }
    };
    let (n, next, prev, now) = (place.with_untracked(|c| c.1), p.page.next.clone(), p.page.prev.clone(), p.now);
    let go = move |cursor: Option<String>, n: i64| at.set(At { under: Some(asked.get_untracked()), cursor, n });
    if p.page.items.is_empty() {
        return view! {
            <p class="muted">{if n == 1 { "No guests or pending invitations match." } else { "No more rows here." }}</p>
            {(n > 1).then(|| view! { <button class="link" on:click=move |_| at.set(At::default())>"Back to the first page"</button> })}
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="inventory">
                <thead><tr>
                    {header(Some(InventorySort::Name), "Name")}
                    {header(None, "Email")}
                    {header(Some(InventorySort::State), "State")}
                    {header(None, "Sponsor department")}
                    {header(None, "Inviter")}
                    {header(None, "Project")}
                    {header(Some(InventorySort::Invited), "Invited")}
                    {header(None, "Accepted")}
                    {header(Some(InventorySort::LastSignIn), "Last sign-in")}
                    {header(Some(InventorySort::Expiry), "Expiry")}
                    {header(None, "Time left")}
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {p.page.items.into_iter().map(|i| view! { <Row i now ask resend revoke/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Inventory pages">
            <button disabled=prev.is_none() on:click=move |_| go(prev.clone(), (n - 1).max(1))>"Previous"</button>
            <span>{format!("Page {n}")}</span>
            <button disabled=next.is_none() on:click=move |_| go(next.clone(), n + 1)>"Next"</button>
        </nav>
    }
    .into_any()
}

/// The order shown: the query's, or the server's default (invited, newest first).
fn order(q: &InventoryQuery) -> (InventorySort, &'static str) {
    let sort = InventorySort::from_key(&q.sort).unwrap_or(InventorySort::Invited);
    let dir = match q.dir.as_str() {
        "asc" => "asc",
        "desc" => "desc",
        _ if sort.first_dir() == crate::domain::guests::SortDir::Asc => "asc",
        _ => "desc",
    };
    (sort, dir)
}

#[component]
fn Row(i: InventoryItem, now: i64, ask: RwSignal<Option<Ask>>, resend: ServerAction<ResendInvitation>, revoke: ServerAction<RevokeInvitation>) -> impl IntoView {
    let name = i.display_name().to_string();
    let state = i.state;
    let project = match (&i.project, i.permission) {
        (Some(p), Some(perm)) => format!("{p} ({})", perm.label()),
        (Some(p), None) => p.clone(),
        _ => "—".into(),
    };
    let last = match i.last_sign_in {
        Some(LastSignIn::At(t)) => datetime(t),
        Some(other) => other.label(),
        None => "Never signed in".into(),
    };
    let expiry = match (i.expires_at, i.expiry_period, i.guest_id) {
        (Some(t), _, _) => datetime(t),
        (None, Some(p), None) if p != ExpiryPeriod::Never => format!("{} after acceptance", p.label()),
        _ => "Without expiration".into(),
    };
    let expires = i.expires_at;
    let time = move || match (state, i.guest_id) {
        (EntryState::Removed, _) => "Removed".to_string(),
        (_, None) => i.lapses_at.map(|t| format!("Invitation lapses {}", datetime(t))).unwrap_or_default(),
        _ => {
            let now = crate::ui::use_now(now);
            time_left(now(), expires)
        }
    };
    let name_cell = match i.guest_id {
        Some(id) if state != EntryState::Removed => view! { <a href=format!("/guests/{id}")>{name.clone()}</a> }.into_any(),
        _ => view! { <span>{name.clone()}</span> }.into_any(),
    };
    let actions = match (i.guest_id, i.invitation_id) {
        (Some(id), _) if state != EntryState::Removed => {
            let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
            view! {
                <button aria-label=format!("Change expiration of {n1}") on:click=move |_| ask.set(Some(Ask::Expiry(id, n1.clone(), expires)))>"Expiration"</button>
                <button aria-label=format!("Incorporate {n2}") on:click=move |_| ask.set(Some(Ask::Incorporate(id, n2.clone())))>"Incorporate"</button>
                <button class="danger" aria-label=format!("Delete {n3}") on:click=move |_| ask.set(Some(Ask::Delete(id, n3.clone())))>"Delete"</button>
            }
            .into_any()
        }
        (_, Some(id)) => {
            let email = i.email.clone();
            view! {
                <button aria-label=format!("Resend to {email}") on:click=move |_| { resend.dispatch(ResendInvitation { id }); }>"Resend"</button>
                <button class="danger" aria-label=format!("Revoke invitation of {}", i.email) on:click=move |_| { revoke.dispatch(RevokeInvitation { id }); }>"Revoke"</button>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <tr class=format!("state-{}", state.key())>
            <td class="lead">{name_cell}</td>
            <td class="email" data-label="Email">{i.email.clone()}</td>
            <td data-label="State"><span class=format!("badge {}", state.key())>{state.label()}</span></td>
            <td data-label="Sponsor department">{i.department.clone()}</td>
            <td data-label="Inviter">{i.inviter.clone()}</td>
            <td data-label="Project">{project}</td>
            <td class="date" data-label="Invited">{date(i.invited_at)}</td>
            <td class="date" data-label="Accepted">{i.accepted_at.map(|t| date(Some(t))).unwrap_or_else(|| "—".into())}</td>
            <td class="date" data-label="Last sign-in">{last}</td>
            <td class="date" data-label="Expiry">{expiry}</td>
            <td class="time-left" data-label="Time left">{time}</td>
            <td class="row-actions">{actions}</td>
        </tr>
    }
}

/// The confirmation of a row's action: the Guests list's, for one guest.
#[component]
fn Confirm(
    a: Ask,
    ask: RwSignal<Option<Ask>>,
    busy: Signal<bool>,
    incorporate: ServerAction<IncorporateGuests>,
    delete: ServerAction<DeleteGuests>,
    set_expiry: ServerAction<SetGuestExpiry>,
) -> impl IntoView {
    match a {
        Ask::Incorporate(id, name) => {
            let into = RwSignal::new(String::new());
            view! {
                <ConfirmDialog
                    title="Incorporate guests".to_string()
                    message=format!("Incorporate {name} into the organization? They become users with access to all features, and leave the Guests list.")
                    busy
                    on_yes=move |_| { incorporate.dispatch(IncorporateGuests { ids: vec![id], department: into.get_untracked().parse().ok() }); }
                    on_no=move |_| ask.set(None)
                >
                    <crate::ui::groups::DepartmentChoice selected=into/>
                </ConfirmDialog>
            }
            .into_any()
        }
        Ask::Delete(id, name) => view! {
            <ConfirmDialog
                title="Delete guests".to_string()
                message=format!("Delete {name} from the organization? They can no longer sign in.")
                busy
                on_yes=move |_| { delete.dispatch(DeleteGuests { ids: vec![id] }); }
                on_no=move |_| ask.set(None)
            />
        }
        .into_any(),
        Ask::Expiry(id, name, current) => {
            let period = RwSignal::new(ExpiryPeriod::OneMonth);
            let when = move || {
                period.get().expires_at(chrono::Utc::now()).map(|t| datetime(t.timestamp_millis())).unwrap_or_else(|| "Without expiration".into())
            };
            view! {
                <ConfirmDialog
                    title="Change expiration".to_string()
                    message=format!("Give {name} a new expiration, counted from now? Now: {}.", current.map(datetime).unwrap_or_else(|| "Without expiration".into()))
                    busy
                    on_yes=move |_| { set_expiry.dispatch(SetGuestExpiry { ids: vec![id], period: period.get_untracked() }); }
                    on_no=move |_| ask.set(None)
                >
                    <label for="row-expiry">"New expiration"</label>
                    <select id="row-expiry" on:change=move |ev| period.set(ExpiryPeriod::from_key(&event_target_value(&ev)).unwrap_or(ExpiryPeriod::Never))>
                        {ExpiryPeriod::ALL.into_iter().map(|p| view! { <option value=p.key() selected=move || period.get() == p>{p.label()}</option> }).collect_view()}
                    </select>
                    <p class="muted">"New date: " {when}</p>
                </ConfirmDialog>
            }
            .into_any()
        }
    }
}
