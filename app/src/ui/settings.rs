//! Settings → Users Authorization (Company Admins): the invitation feature, who may
//! invite guests, the guest quota per member, the Guest Profile, and which users are
//! authorized.

use crate::api::settings::{get_settings, SaveSettings, SetInviteAuthorization};
use crate::domain::invite::{InvitePolicy, OrgSettings};
use crate::domain::profile::Feature;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveSettings>::new();
    let authorize = ServerAction::<SetInviteAuthorization>::new();
    let data = Resource::new(move || (save.version().get(), authorize.version().get()), |_| get_settings());
    view! {
        <div class="page-head">
            <h1>"Settings"</h1>
            <span class="head-links"><a href="/settings/tokens">"API tokens"</a>" · "<a href="/outbox">"Outbox"</a></span>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(v) => {
                        let s = RwSignal::new(v.settings.clone());
                        let submit = move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            save.dispatch(SaveSettings { settings: s.get() });
                        };
                        let members = v.members.clone();
                        view! {
                            <section class="panel">
                                <h2>"Users Authorization"</h2>
                                <form on:submit=submit>
                                    <label class="check">
                                        <input type="checkbox" prop:checked=move || s.with(|s| s.invitations_enabled)
                                            on:change=move |ev| s.update(|s| s.invitations_enabled = event_target_checked(&ev))/>
                                        "Invitation of External Users"
                                    </label>
                                    <label for="invite-policy">"Who may invite guests besides admins"</label>
                                    <select id="invite-policy" on:change=move |ev| {
                                        let p = InvitePolicy::from_db(&event_target_value(&ev)).unwrap_or(InvitePolicy::Admins);
                                        s.update(|s| s.invite_policy = p);
                                    }>
                                        {InvitePolicy::ALL.into_iter().map(|p| view! {
                                            <option value=p.as_db() selected=move || s.with(|s| s.invite_policy == p)>{p.label()}</option>
                                        }).collect_view()}
                                    </select>
                                    <label for="guest-quota">"Guest quota per member"</label>
                                    <input id="guest-quota" type="number" min="0" max=OrgSettings::MAX_GUESTS_PER_MEMBER.to_string()
                                        prop:value=move || s.with(|s| s.guests_per_member.to_string())
                                        on:input=move |ev| s.update(|s| s.guests_per_member = event_target_value(&ev).trim().parse().unwrap_or(-1))/>
                                    <label class="check">
                                        <input type="checkbox" prop:checked=move || s.with(|s| s.display_all_group)
                                            on:change=move |ev| s.update(|s| s.display_all_group = event_target_checked(&ev))/>
                                        "Display the group All"
                                    </label>
                                    <label class="check">
                                        <input type="checkbox" prop:checked=move || s.with(|s| s.receive_activity_report)
                                            on:change=move |ev| s.update(|s| s.receive_activity_report = event_target_checked(&ev))/>
                                        "Receive Activity Report"
                                    </label>
                                    <fieldset class="guest-profile">
                                        <legend>"Guest Profile"</legend>
                                        <p class="muted">"Features guests may use. With a feature off, no member can use it with a guest. Guests never reach other guests."</p>
                                        {Feature::ALL.into_iter().map(|f| view! {
                                            <label class="check">
                                                <input type="checkbox" prop:checked=move || s.with(|s| s.guest_profile.allows(f))
                                                    on:change=move |ev| s.update(|s| s.guest_profile.set(f, event_target_checked(&ev)))/>
                                                {f.label()}
                                            </label>
                                        }).collect_view()}
                                    </fieldset>
                                    {move || match save.value().get() {
                                        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()),
                                        Some(Ok(())) => Some(view! { <p class="notice" role="status">"Settings saved."</p> }.into_any()),
                                        None => None,
                                    }}
                                    <button type="submit" class="primary" disabled=move || save.pending().get()>"Save settings"</button>
                                </form>
                            </section>
                            <section class="panel">
                                <h2>"Authorize users to invite guests"</h2>
                                <p class="muted">"Used when “Selected users” may invite. Company Admins and Department Admins may always invite."</p>
                                {move || match authorize.value().get() {
                                    Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
                                    _ => None,
                                }}
                                <ul class="picker">
                                    {members.into_iter().map(|m| {
                                        let id = m.id;
                                        view! {
                                            <li><label class="check">
                                                <input type="checkbox" prop:checked=m.authorized
                                                    aria-label=format!("Authorize {} to invite", m.name)
                                                    on:change=move |ev| { authorize.dispatch(SetInviteAuthorization { person: id, authorized: event_target_checked(&ev) }); }/>
                                                {format!("{} ({})", m.name, m.email)}
                                            </label></li>
                                        }
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
