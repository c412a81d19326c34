//! The invite dialog, used from the Users and Guests pages ("Invite new members") and
//! from a project ("Invite members" → "New by email", with the project preset). What it
//! offers comes from the server (`invite_options`); the server checks everything again.

use crate::api::invitations::{invite_options, InviteInput, SendInvitations};
use crate::domain::expiry::ExpiryPeriod;
use crate::domain::{Permission, PersonKind};
use leptos::prelude::*;

/// A button that opens the invite dialog, or the reason the person cannot invite.
#[component]
pub fn InviteButton(label: &'static str, #[prop(optional)] project: Option<i64>) -> impl IntoView {
    let open = RwSignal::new(false);
    // Asked for in the browser once the page has hydrated, with no resource: this button
    // sits inside pages that already wait in a <Suspense>/<Transition>, where a resource
    // of its own (with or without a Suspense around it) rendered differently on the
    // server than in the browser and broke hydration. The server renders nothing here.
    let opts = RwSignal::new(None::<Result<crate::api::invitations::InviteChoices, crate::error::AppError>>);
    // Guests never invite: no request, no button.
    let is_guest = use_context::<crate::domain::Viewer>().is_some_and(|v| v.kind == PersonKind::Guest);
    Effect::new(move |_| {
        if !is_guest {
            leptos::task::spawn_local(async move {
                opts.set(Some(invite_options().await));
            });
        }
    });
    view! {
        {move || opts.get().map(|r| match r {
            Ok(o) => match o.guest_refusal.clone().filter(|_| !o.may_invite_members) {
                Some(why) => view! { <p class="muted invite-refusal" role="note">{why}</p> }.into_any(),
                None => view! { <button class="primary" on:click=move |_| open.set(true)>{label}</button> }.into_any(),
            },
            Err(_) => ().into_any(),
        })}
        <Show when=move || open.get()>
            <InviteDialog project on_close=move |_| open.set(false) from_project=project.is_some()/>
        </Show>
    }
}

#[component]
fn InviteDialog(project: Option<i64>, #[prop(into)] on_close: Callback<()>, from_project: bool) -> impl IntoView {
    let opts = Resource::new(|| (), |_| invite_options());
    let by_email = RwSignal::new(!from_project);
    let emails = RwSignal::new(String::new());
    let role = RwSignal::new(PersonKind::Guest);
    let chosen_project = RwSignal::new(project);
    let permission = RwSignal::new(Permission::Edit);
    let read_only_projects = RwSignal::new(Vec::<i64>::new());
    // Nobody gives a guest more than they have in the project.
    let edit_allowed = move || chosen_project.get().is_none_or(|p| !read_only_projects.with(|r| r.contains(&p)));
    let department = RwSignal::new(None::<i64>);
    let expiry = RwSignal::new(ExpiryPeriod::Never);
    let send = ServerAction::<SendInvitations>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.dispatch(SendInvitations {
            input: InviteInput {
                emails: emails.get(),
                role: role.get(),
                project: chosen_project.get(),
                permission: if edit_allowed() { permission.get() } else { Permission::ReadOnly },
                department: department.get(),
                expiry: expiry.get(),
            },
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = send.value().get() {
            emails.set(String::new());
        }
    });
    view! {
        <div class="backdrop">
            <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="invite-title"
                on:keydown=move |ev| if ev.key() == "Escape" { on_close.run(()) }>
                <h2 id="invite-title">{if from_project { "Invite members" } else { "Invite new members" }}</h2>
                <Show when=move || !by_email.get()>
                    <div class="dialog-buttons start">
                        <button class="primary" on:click=move |_| by_email.set(true)>"New by email"</button>
                    </div>
                </Show>
                <Show when=move || by_email.get()>
                <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match opts.await {
                            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                            Ok(o) => {
                                let projects = o.projects.clone();
                                let departments = o.departments.clone();
                                let may_members = o.may_invite_members;
                                read_only_projects.set(o.read_only_projects.clone());
                                if chosen_project.get_untracked().is_none() {
                                    chosen_project.set(projects.first().map(|p| p.id));
                                }
                                let quota = format!("{} of {} guest places left.", o.quota_remaining, o.quota_limit);
                                view! {
                                    <form class="invite-form" on:submit=submit>
                                        <label for="invite-emails">"Email"</label>
                                        <textarea id="invite-emails" rows="2" required
                                            placeholder="name@example.com, other@example.com"
                                            prop:value=move || emails.get()
                                            on:input=move |ev| emails.set(event_target_value(&ev))></textarea>
                                        <label for="invite-role">"Role"</label>
                                        <select id="invite-role" on:change=move |ev| role.set(if event_target_value(&ev) == "member" { PersonKind::Member } else { PersonKind::Guest })>
                                            <option value="guest" selected=true>"Guest"</option>
                                            {may_members.then(|| view! { <option value="member">"Member"</option> })}
                                        </select>
                                        <Show when=move || !from_project>
                                            <label for="invite-project">"Project"</label>
                                            <select id="invite-project" on:change=move |ev| chosen_project.set(event_target_value(&ev).parse().ok())>
                                                {move || role.get().eq(&PersonKind::Member).then(|| view! { <option value="">"No project"</option> })}
                                                {projects.iter().map(|p| {
                                                    let id = p.id;
                                                    view! { <option value=id.to_string() selected=move || chosen_project.get() == Some(id)>{p.name.clone()}</option> }
                                                }).collect_view()}
                                            </select>
                                        </Show>
                                        <label for="invite-permission">"Permission"</label>
                                        <select id="invite-permission" on:change=move |ev| permission.set(if event_target_value(&ev) == "read_only" { Permission::ReadOnly } else { Permission::Edit })>
                                            <option value="edit" disabled=move || !edit_allowed() selected=move || edit_allowed() && permission.get() == Permission::Edit>"Edit"</option>
                                            <option value="read_only" selected=move || !edit_allowed() || permission.get() == Permission::ReadOnly>"Read-only"</option>
                                        </select>
                                        <Show when=move || !edit_allowed()>
                                            <p class="muted">"You have read-only access to this project, so you can invite guests with read-only access only."</p>
                                        </Show>
                                        {(!departments.is_empty()).then(|| view! {
                                            <label for="invite-department">"Department"</label>
                                            <select id="invite-department" on:change=move |ev| department.set(event_target_value(&ev).parse().ok())>
                                                <option value="">"Default (your department)"</option>
                                                {departments.iter().map(|d| view! { <option value=d.id.to_string()>{d.name.clone()}</option> }).collect_view()}
                                            </select>
                                        })}
                                        <Show when=move || role.get() == PersonKind::Guest>
                                            <label for="invite-expiry">"Expiration"</label>
                                            <select id="invite-expiry" on:change=move |ev| expiry.set(ExpiryPeriod::from_key(&event_target_value(&ev)).unwrap_or(ExpiryPeriod::Never))>
                                                {ExpiryPeriod::ALL.into_iter().map(|p| view! { <option value=p.key()>{p.label()}</option> }).collect_view()}
                                            </select>
                                            <p class="muted">{quota.clone()}</p>
                                        </Show>
                                        {move || match send.value().get() {
                                            Some(Ok(n)) => Some(view! { <p class="notice" role="status">{format!("{n} {} sent.", if n == 1 { "invitation" } else { "invitations" })}</p> }.into_any()),
                                            Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()),
                                            None => None,
                                        }}
                                        <div class="dialog-buttons">
                                            <button type="submit" class="primary" disabled=move || send.pending().get()>"Send invitations"</button>
                                            <button type="button" on:click=move |_| on_close.run(())>"Close"</button>
                                        </div>
                                    </form>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
                </Show>
            </div>
        </div>
    }
}
