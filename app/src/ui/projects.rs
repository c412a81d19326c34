use crate::api::projects::my_projects;
use leptos::prelude::*;

/// The projects the viewer works in. Creating projects, tasks and inviting into a
/// project arrive with the invitations issue.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let projects = Resource::new(|| (), |_| my_projects());
    view! {
        <h1>"Projects"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match projects.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"You are not in any project yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="project-list">
                            {list.into_iter().map(|p| view! {
                                <li class="project">
                                    <h2>{p.name}</h2>
                                    <p>{p.description}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                        <p class="notice" role="status">"Project pages, tasks and inviting into a project are not built yet in this version of Lobby."</p>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
