use crate::api::people::list_users;
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    let include_guests = RwSignal::new(false);
    // The page's cursor (none: the first page) and its number, for "Page 2 of 3".
    let page = RwSignal::new((None::<String>, 1i64));
    let data = Resource::new(move || (include_guests.get(), page.get().0), |(g, c)| list_users(g, c));
    view! {
        <div class="page-head">
            <h1>"Users"</h1>
            <super::invite::InviteButton label="Invite new members"/>
        </div>
        <div class="toolbar">
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || include_guests.get()
                    on:change=move |ev| {
                        include_guests.set(event_target_checked(&ev));
                        page.set((None, 1));
                    }
                />
                "Include guests"
            </label>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => {
                        let pages = ((p.total + p.page_size - 1) / p.page_size).max(1);
                        let current = page.get_untracked().1.min(pages);
                        let (prev, next) = (p.page.prev.clone(), p.page.next.clone());
                        view! {
                            <p class="muted" role="status">{format!("{} people", p.total)}</p>
                            <div class="table-wrap">
                                <table class="people">
                                    <thead>
                                        <tr>
                                            <th scope="col">"First Name"</th>
                                            <th scope="col">"Last Name"</th>
                                            <th scope="col">"Email"</th>
                                            <th scope="col">"User ID"</th>
                                            <th scope="col">"Department"</th>
                                            <th scope="col">"Role"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {p.page.items.into_iter().map(|r| view! {
                                            <tr class:guest-row=r.is_guest>
                                                <td data-label="First Name">{r.first_name}</td>
                                                <td data-label="Last Name">
                                                    {r.last_name}
                                                    {r.is_guest.then(|| view! { " " <span class="badge guest">"Guest"</span> })}
                                                </td>
                                                <td data-label="Email">{r.email}</td>
                                                <td data-label="User ID">{r.user_id}</td>
                                                <td data-label="Department">{r.department}</td>
                                                <td data-label="Role">{r.role}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <nav class="pager" aria-label="Pages">
                                <button disabled=prev.is_none() on:click=move |_| page.set((prev.clone(), (current - 1).max(1)))>"Previous"</button>
                                <span>{format!("Page {current} of {pages}")}</span>
                                <button disabled=next.is_none() on:click=move |_| page.set((next.clone(), (current + 1).min(pages)))>"Next"</button>
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
    }
}
