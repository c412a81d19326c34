//! Projects: the list (with "New project" for admins) and a project's page: members and
//! guests with their permission, the task list, "Invite members", and for admins
//! rename, archive and "Remove from workspace".

use super::confirm::time_left;
use super::invite::InviteButton;
use crate::api::projects::{my_projects, project_page, AddTask, CreateProject, RemoveFromProject, SetTaskDone, UpdateProject};
use crate::domain::{Permission, Viewer};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let create = ServerAction::<CreateProject>::new();
    let projects = Resource::new(move || create.version().get(), |_| my_projects());
    let viewer = use_context::<Viewer>();
    let is_admin = viewer.as_ref().is_some_and(|v| v.is_admin());
    let is_guest = viewer.as_ref().is_some_and(|v| v.kind == crate::domain::PersonKind::Guest);
    view! {
        <div class="page-head">
            <h1>{if is_guest { "My project" } else { "Projects" }}</h1>
            {(!is_guest).then(|| view! { <a href="/invitations">"Invitations"</a> })}
        </div>
        {is_admin.then(|| view! {
            <details class="panel">
                <summary>"New project"</summary>
                <ActionForm action=create>
                    <label for="project-name">"Project name"</label>
                    <input id="project-name" name="name" type="text" maxlength="120" required/>
                    <label for="project-description">"Description"</label>
                    <input id="project-description" name="description" type="text" maxlength="500"/>
                    {move || match create.value().get() {
                        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()),
                        Some(Ok(_)) => Some(view! { <p class="notice" role="status">"Project created."</p> }.into_any()),
                        None => None,
                    }}
                    <button type="submit" class="primary">"Create project"</button>
                </ActionForm>
            </details>
        })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match projects.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"You are not in any project yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="project-list">
                            {list.into_iter().map(|p| view! {
                                <li class="project">
                                    <h2><a href=format!("/projects/{}", p.id)>{p.name}</a>{p.archived.then(|| view! { " " <span class="badge">"Archived"</span> })}</h2>
                                    <p>{p.description}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let add = ServerAction::<AddTask>::new();
    let tick = ServerAction::<SetTaskDone>::new();
    let remove = ServerAction::<RemoveFromProject>::new();
    let update = ServerAction::<UpdateProject>::new();
    let set_expiry = ServerAction::<crate::api::guests::SetGuestExpiry>::new();
    let data = Resource::new(
        move || (id(), add.version().get(), tick.version().get(), remove.version().get(), update.version().get(), set_expiry.version().get()),
        |(id, ..)| project_page(id),
    );
    let error = move || {
        [tick.value().get(), remove.value().get(), set_expiry.value().get().map(|r| r.map(|_| ()))]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .map(|e| e.to_string())
    };
    view! {
        <p><a href="/projects">"← Projects"</a></p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(p) => {
                        let pid = p.project.id;
                        let edit = p.permission == Permission::Edit && !p.project.archived;
                        let now = p.now;
                        view! {
                            <div class="page-head">
                                <h1>{p.project.name.clone()}{p.project.archived.then(|| view! { " " <span class="badge">"Archived"</span> })}</h1>
                                <InviteButton label="Invite members" project=pid/>
                            </div>
                            <p>{p.project.description.clone()}</p>
                            <p class="muted">{format!("Your permission: {}", p.permission.label())}</p>
                            {move || error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                            {p.can_manage.then(|| {
                                let name = p.project.name.clone();
                                let desc = p.project.description.clone();
                                let archived = p.project.archived;
                                view! {
                                    <details class="panel">
                                        <summary>"Rename or archive"</summary>
                                        <ActionForm action=update>
                                            <input type="hidden" name="id" value=pid.to_string()/>
                                            <label for="rename-project">"Project name"</label>
                                            <input id="rename-project" name="name" type="text" value=name maxlength="120" required/>
                                            <label for="describe-project">"Description"</label>
                                            <input id="describe-project" name="description" type="text" value=desc maxlength="500"/>
                                            <input type="hidden" name="archived" value=if archived { "true" } else { "false" }/>
                                            {move || match update.value().get() {
                                                Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()),
                                                _ => None,
                                            }}
                                            <button type="submit" class="primary">"Save"</button>
                                        </ActionForm>
                                        <button on:click={
                                            let name = p.project.name.clone();
                                            let desc = p.project.description.clone();
                                            move |_| { update.dispatch(UpdateProject { id: pid, name: name.clone(), description: desc.clone(), archived: !archived }); }
                                        }>{if archived { "Restore project" } else { "Archive project" }}</button>
                                    </details>
                                }
                            })}
                            <h2>"Members"</h2>
                            <div class="table-wrap">
                                <table class="members">
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Permission"</th><th scope="col">"Time left"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                                    <tbody>
                                        {p.members.into_iter().map(|m| {
                                            let mid = m.id;
                                            let can_remove = p.can_manage && m.is_guest;
                                            view! {
                                                <tr>
                                                    <td class="lead">{m.name.clone()}{m.is_guest.then(|| view! { " " <span class="badge guest">"Guest"</span> })}</td>
                                                    <td class="email" data-label="Email">{m.email.clone()}</td>
                                                    <td data-label="Permission">{m.permission.label()}</td>
                                                    <td class="time-left" data-label="Time left">{
                                                        let live = crate::ui::use_now(now);
                                                        let (guest, expires) = (m.is_guest, m.expires_at);
                                                        move || if guest { time_left(live(), expires) } else { String::new() }
                                                    }</td>
                                                    <td class="row-actions">
                                                        {m.may_set_expiry.then(|| view! { <ExpirySetter guest=mid name=m.name.clone() action=set_expiry/> })}
                                                        {can_remove.then(|| view! {
                                                            <button aria-label=format!("Remove {} from workspace", m.name) on:click=move |_| { remove.dispatch(RemoveFromProject { guest: mid }); }>"Remove from workspace"</button>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <h2>"Tasks"</h2>
                            <ul class="tasks">
                                {p.tasks.into_iter().map(|t| {
                                    let tid = t.id;
                                    let done = t.done;
                                    view! {
                                        <li data-task-id=tid.to_string()>
                                            {if edit {
                                                view! {
                                                    <label class="check">
                                                        <input type="checkbox" prop:checked=done
                                                            on:change=move |ev| { tick.dispatch(SetTaskDone { project: pid, task: tid, done: event_target_checked(&ev) }); }/>
                                                        {t.title.clone()}
                                                    </label>
                                                }.into_any()
                                            } else {
                                                view! { <span class="task">{if done { "✓ " } else { "○ " }}{t.title.clone()}<span class="sr-only">{if done { " (done)" } else { " (open)" }}</span></span> }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {edit.then(|| view! {
                                <ActionForm action=add attr:class="inline-form">
                                    <input type="hidden" name="project" value=pid.to_string()/>
                                    <label for="new-task">"New task"</label>
                                    <input id="new-task" name="title" type="text" maxlength="120" required/>
                                    <button type="submit">"Add task"</button>
                                    {move || match add.value().get() {
                                        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
                                        _ => None,
                                    }}
                                </ActionForm>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A guest's Expiration, set from the project's member list: by admins and by the person
/// who invited the guest. The new period counts from now.
#[component]
pub(crate) fn ExpirySetter(guest: i64, name: String, action: ServerAction<crate::api::guests::SetGuestExpiry>) -> impl IntoView {
    use crate::domain::expiry::ExpiryPeriod;
    let period = RwSignal::new(ExpiryPeriod::OneWeek);
    view! {
        <form class="inline-form" on:submit=move |ev| {
            ev.prevent_default();
            action.dispatch(crate::api::guests::SetGuestExpiry { ids: vec![guest], period: period.get() });
        }>
            <select aria-label=format!("Expiration for {name}")
                on:change=move |ev| period.set(ExpiryPeriod::from_key(&event_target_value(&ev)).unwrap_or(ExpiryPeriod::OneWeek))>
                {ExpiryPeriod::ALL.into_iter().map(|p| view! { <option value=p.key() selected=p == ExpiryPeriod::OneWeek>{p.label()}</option> }).collect_view()}
            </select>
            <button type="submit" aria-label=format!("Set expiration for {name}") disabled=move || action.pending().get()>"Set expiration"</button>
        </form>
    }
}
