use leptos::prelude::*;

/// A page whose feature is not built yet, saying so plainly.
#[component]
pub fn Placeholder(title: &'static str, what: &'static str) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        <p class="notice" role="status">{what} " is not built yet in this version of Lobby."</p>
    }
}
