use crate::api::people::dashboard_counts;
use leptos::prelude::*;

/// `/`: the admins' dashboard; for users and guests, their home — their project(s) and
/// their contacts — never a page that says they are not allowed.
#[component]
pub fn DashboardPage() -> impl IntoView {
    match use_context::<crate::domain::Viewer>() {
        Some(v) if !v.is_admin() => view! { <Home viewer=v/> }.into_any(),
        _ => view! { <AdminDashboard/> }.into_any(),
    }
}

#[component]
fn Home(viewer: crate::domain::Viewer) -> impl IntoView {
    let projects = Resource::new(|| (), |_| crate::api::projects::my_projects());
    let is_guest = viewer.kind == crate::domain::PersonKind::Guest;
    view! {
        <h1>{format!("Welcome, {}", viewer.first_name)}</h1>
        <section class="panel" aria-labelledby="home-projects">
            <h2 id="home-projects">{if is_guest { "Your project" } else { "Your projects" }}</h2>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match projects.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"You are not in any project yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="contacts">
                                {list.into_iter().map(|p| view! { <li><a href=format!("/projects/{}", p.id)>{p.name}</a></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="panel" aria-labelledby="home-contacts">
            <h2 id="home-contacts">"Contacts"</h2>
            <p>"The people of your organization you may reach, and what you may use with each."</p>
            <a href="/contacts">"Open your contacts"</a>
        </section>
    }
}

#[component]
fn AdminDashboard() -> impl IntoView {
    let counts = Resource::new(|| (), |_| dashboard_counts());
    view! {
        <h1>"Dashboard"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(c) => view! {
                        <section class="cards" aria-label="Counts">
                            <a class="card" href="/users" aria-label=format!("Users: {}", c.users)>
                                <span class="card-label">"Users"</span>
                                <span class="card-value" data-testid="users-count">{c.users}</span>
                            </a>
                            <a class="card" href="/guests" aria-label=format!("Guests: {}", c.guests)>
                                <span class="card-label">"Guests"</span>
                                <span class="card-value" data-testid="guests-count">{c.guests}</span>
                            </a>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
