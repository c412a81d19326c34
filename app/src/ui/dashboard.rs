use crate::api::people::dashboard_counts;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
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
