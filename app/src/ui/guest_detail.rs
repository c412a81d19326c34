use super::confirm::{date, datetime, time_left, ConfirmDialog};
use crate::api::guests::{get_guest, DeleteGuests, IncorporateGuests, RenameGuest};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Incorporate,
    Delete,
}

/// A guest's page: every field, edit names and avatar, Incorporate and Delete.
#[component]
pub fn GuestDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let rename = ServerAction::<RenameGuest>::new();
    let incorporate = ServerAction::<IncorporateGuests>::new();
    let delete = ServerAction::<DeleteGuests>::new();
    let confirm = RwSignal::new(None::<Pending>);
    let refresh = RwSignal::new(0u32);
    let guest = Resource::new(move || (id(), rename.version().get(), refresh.get()), |(id, _, _)| get_guest(id));
    let navigate = use_navigate();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        for (v, done) in [(incorporate.value().get(), "incorporated"), (delete.value().get(), "deleted")] {
            match v {
                Some(Ok(_)) => {
                    confirm.set(None);
                    navigate(&format!("/guests?done={done}"), Default::default());
                }
                Some(Err(e)) => {
                    confirm.set(None);
                    error.set(Some(e.to_string()));
                }
                None => {}
            }
        }
    });
    let busy = Signal::derive(move || incorporate.pending().get() || delete.pending().get());
    view! {
        <p><a href="/guests">"← Guests list"</a></p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match guest.await {
                    Ok(d) => {
                        let g = d.guest.clone();
                        let gid = g.id;
                        let name = g.full_name();
                        let avatar_src = d.avatar.clone().map(|v| format!("/avatars/{gid}?v={v}"));
                        view! {
                            <div class="guest-head">
                                {match avatar_src {
                                    Some(src) => view! { <img class="avatar" src=src alt=format!("Avatar of {name}")/> }.into_any(),
                                    None => view! { <span class="avatar placeholder" aria-hidden="true">{g.first_name.chars().next().unwrap_or('?').to_string()}</span> }.into_any(),
                                }}
                                <h1>{name.clone()} " " <span class="badge guest">"Guest"</span></h1>
                            </div>
                            <dl class="fields">
                                <dt>"First Name"</dt><dd>{g.first_name.clone()}</dd>
                                <dt>"Last Name"</dt><dd>{g.last_name.clone()}</dd>
                                <dt>"Email"</dt><dd>{g.email.clone()}</dd>
                                <dt>"User ID"</dt><dd>{g.user_id.clone()}</dd>
                                <dt>"Mobile number"</dt><dd>{g.mobile.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Invited By"</dt><dd>{g.invited_by.clone()}</dd>
                                <dt>"Invitation Date"</dt><dd>{date(g.invited_at)}</dd>
                                <dt>"Group / Department"</dt><dd>{g.department.clone()}</dd>
                                <dt>"Project"</dt><dd>{g.project.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Permission"</dt><dd>{g.permission.map(|p| p.label()).unwrap_or("—")}</dd>
                                <dt>"Time left"</dt><dd data-testid="time-left">{
                                    let now = crate::ui::use_now(d.now);
                                    let expires = g.expires_at;
                                    move || time_left(now(), expires)
                                }</dd>
                                <dt>"Leaves on"</dt><dd>{g.expires_at.map(|e| datetime(e)).unwrap_or_else(|| "Without expiration".into())}</dd>
                                <dt>"Last sign-in"</dt><dd>{d.last_sign_in.label()}</dd>
                                <dt>"Next reminder"</dt><dd>{g.next_reminder_at.map(|e| datetime(e)).unwrap_or_else(|| "None".into())}</dd>
                            </dl>

                            <section class="panel">
                                <h2>"Edit name"</h2>
                                <ActionForm action=rename>
                                    <input type="hidden" name="id" value=gid.to_string()/>
                                    <label for="first-name">"First name"</label>
                                    <input id="first-name" name="first_name" type="text" value=g.first_name.clone() maxlength="100" required/>
                                    <label for="last-name">"Last name"</label>
                                    <input id="last-name" name="last_name" type="text" value=g.last_name.clone() maxlength="100" required/>
                                    {move || match rename.value().get() {
                                        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()),
                                        Some(Ok(())) => Some(view! { <p class="notice" role="status">"Saved."</p> }.into_any()),
                                        None => None,
                                    }}
                                    <button type="submit" class="primary">"Save"</button>
                                </ActionForm>
                            </section>

                            <section class="panel">
                                <h2>"Avatar"</h2>
                                <form method="post" action=format!("/guests/{gid}/avatar") enctype="multipart/form-data">
                                    <label for="avatar-file">"Avatar image (PNG, JPEG or WebP, up to 512 KB)"</label>
                                    <input id="avatar-file" name="avatar" type="file" accept="image/png,image/jpeg,image/webp" required/>
                                    {move || query.read().get("avatar_error").map(|m| view! { <p class="error" role="alert">{m}</p> })}
                                    <button type="submit">"Upload avatar"</button>
                                </form>
                            </section>

                            <GuestExpiry gid current=g.expires_at.and(g.expiry_period) server_now=d.now on_change=move |_| refresh.update(|n| *n += 1)/>
                            <GuestProject gid has_project=g.project.is_some() on_change=move |_| refresh.update(|n| *n += 1)/>

                            <section class="panel actions">
                                <h2>"Membership"</h2>
                                {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                                <button on:click=move |_| confirm.set(Some(Pending::Incorporate))>"Incorporate"</button>
                                <button class="danger" on:click=move |_| confirm.set(Some(Pending::Delete))>"Delete"</button>
                            </section>
                            {move || confirm.get().map(|what| {
                                let (title, message) = match what {
                                    Pending::Incorporate => ("Incorporate guest".to_string(), "Incorporate this guest into the organization? They become a user with access to all features.".to_string()),
                                    Pending::Delete => ("Delete guest".to_string(), "Delete this guest from the organization? They can no longer sign in.".to_string()),
                                };
                                let into = RwSignal::new(String::new());
                                view! {
                                    <ConfirmDialog title message busy
                                        on_yes=move |_| match what {
                                            Pending::Incorporate => { incorporate.dispatch(IncorporateGuests { ids: vec![gid], department: into.get_untracked().parse().ok() }); }
                                            Pending::Delete => { delete.dispatch(DeleteGuests { ids: vec![gid] }); }
                                        }
                                        on_no=move |_| confirm.set(None)
                                    >
                                        {(what == Pending::Incorporate).then(|| view! { <crate::ui::groups::DepartmentChoice selected=into/> })}
                                    </ConfirmDialog>
                                }
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Remove from workspace" for a guest in a project; "Add to project" for one without.
#[component]
fn GuestProject(gid: i64, has_project: bool, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    use crate::api::projects::{AddToProject, RemoveFromProject};
    use crate::domain::Permission;
    let remove = ServerAction::<RemoveFromProject>::new();
    let add = ServerAction::<AddToProject>::new();
    let choices = Resource::new(|| (), |_| crate::api::invitations::invite_options());
    let project = RwSignal::new(None::<i64>);
    let permission = RwSignal::new(Permission::Edit);
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Ok(()))) || matches!(add.value().get(), Some(Ok(()))) {
            on_change.run(());
        }
    });
    let error = move || [remove.value().get(), add.value().get()].into_iter().flatten().find_map(|r| r.err()).map(|e| e.to_string());
    view! {
        <section class="panel">
            <h2>"Project"</h2>
            {move || error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {if has_project {
                view! { <button on:click=move |_| { remove.dispatch(RemoveFromProject { guest: gid }); }>"Remove from workspace"</button> }.into_any()
            } else {
                view! {
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            let list = choices.await.map(|o| o.projects).unwrap_or_default();
                            if project.get_untracked().is_none() {
                                project.set(list.first().map(|p| p.id));
                            }
                            view! {
                                <form class="inline-form" on:submit=move |ev| {
                                    ev.prevent_default();
                                    if let Some(p) = project.get() {
                                        add.dispatch(AddToProject { guest: gid, project: p, permission: permission.get() });
                                    }
                                }>
                                    <label for="add-project">"Project"</label>
                                    <select id="add-project" on:change=move |ev| project.set(event_target_value(&ev).parse().ok())>
                                        {list.into_iter().map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
                                    </select>
                                    <label for="add-permission">"Permission"</label>
                                    <select id="add-permission" on:change=move |ev| permission.set(if event_target_value(&ev) == "read_only" { Permission::ReadOnly } else { Permission::Edit })>
                                        <option value="edit">"Edit"</option>
                                        <option value="read_only">"Read-only"</option>
                                    </select>
                                    <button type="submit">"Add to project"</button>
                                </form>
                            }
                        })}
                    </Suspense>
                }.into_any()
            }}
        </section>
    }
}

/// The "Expiration" select, showing the period last set: a new period counts from now;
/// the preview says the date.
#[component]
fn GuestExpiry(gid: i64, current: Option<crate::domain::expiry::ExpiryPeriod>, server_now: i64, #[prop(into)] on_change: Callback<()>) -> impl IntoView {
    use crate::api::guests::SetGuestExpiry;
    use crate::domain::expiry::ExpiryPeriod;
    let set = ServerAction::<SetGuestExpiry>::new();
    let period = RwSignal::new(current.unwrap_or(ExpiryPeriod::Never));
    Effect::new(move |_| {
        if matches!(set.value().get(), Some(Ok(_))) {
            on_change.run(());
        }
    });
    // The shared clock: the server's time until hydration, so both render the same text.
    let now = crate::ui::use_now(server_now);
    let preview = move || match chrono::DateTime::from_timestamp_millis(now()).and_then(|t| period.get().expires_at(t)) {
        Some(t) => format!("The guest will leave on {}.", datetime(t.timestamp_millis())),
        None => "The guest will stay without expiration.".to_string(),
    };
    view! {
        <section class="panel">
            <h2>"Expiration"</h2>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                set.dispatch(SetGuestExpiry { ids: vec![gid], period: period.get() });
            }>
                <label for="guest-expiry">"Expiration"</label>
                <select id="guest-expiry" on:change=move |ev| period.set(ExpiryPeriod::from_key(&event_target_value(&ev)).unwrap_or(ExpiryPeriod::Never))>
                    {ExpiryPeriod::ALL.into_iter().map(|p| view! { <option value=p.key() selected=Some(p) == current>{p.label()}</option> }).collect_view()}
                </select>
                <button type="submit" disabled=move || set.pending().get()>"Set expiration"</button>
            </form>
            <p class="muted">{preview}</p>
            {move || match set.value().get() {
                Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
                _ => None,
            }}
        </section>
    }
}
