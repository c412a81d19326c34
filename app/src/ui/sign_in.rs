use crate::api::auth::SignIn;
use leptos::prelude::*;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let query = leptos_router::hooks::use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = move || match action.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    view! {
        <main class="signin">
            <section class="signin-card">
                <h1>"Lobby"</h1>
                <p class="muted">"Sign in to manage your organization's guests."</p>
                <ActionForm action=action>
                    <input type="hidden" name="next" value=next/>
                    <label for="signin-email">"Email"</label>
                    <input id="signin-email" name="email" type="email" autocomplete="username" required/>
                    <label for="signin-password">"Password"</label>
                    <input id="signin-password" name="password" type="password" autocomplete="current-password" required/>
                    {move || error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Sign in"</button>
                </ActionForm>
            </section>
        </main>
    }
}
