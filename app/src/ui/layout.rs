use crate::api::auth::{current_user, SignOut};
use crate::domain::Viewer;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};

/// The signed-in frame: organization name, navigation by role, sign-out, and the page.
#[component]
pub fn Layout() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| current_user());
    let sign_out = ServerAction::<SignOut>::new();
    crate::ui::provide_ticker();
    // Signed out on a deep link (a reminder mail's, say): come back here after sign-in.
    let location = leptos_router::hooks::use_location();
    let login = move || {
        let path = location.pathname.get_untracked();
        let search = location.search.get_untracked();
        if path == "/" || path.is_empty() {
            "/login".to_string()
        } else {
            let here = if search.is_empty() { path } else { format!("{path}?{search}") };
            format!("/login?next={}", crate::domain::links::encode_component(&here))
        }
    };
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(v) => {
                        provide_context(v.clone());
                        view! { <Frame viewer=v sign_out/> }.into_any()
                    }
                    Err(AppError::Unauthenticated) => view! { <Redirect path=login()/> }.into_any(),
                    Err(e) => view! { <main class="page"><crate::ui::ErrorNote message=e.to_string()/></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(viewer: Viewer, sign_out: ServerAction<SignOut>) -> impl IntoView {
    let nav = viewer.navigation();
    let who = format!("{} · {}", viewer.full_name(), viewer.role().label());
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Lobby"</a>
            <span class="org">{viewer.org_name.clone()}</span>
            <span class="who">{who}</span>
            <ActionForm action=sign_out attr:class="signout">
                <button type="submit">"Sign out"</button>
            </ActionForm>
        </header>
        <nav class="sidenav" aria-label="Main">
            <ul>
                {nav
                    .into_iter()
                    .map(|item| view! { <li><A href=item.path() exact=true>{item.label()}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
        <main class="page">
            <Outlet/>
        </main>
    }
}
