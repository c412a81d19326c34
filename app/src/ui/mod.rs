//! The console's pages and components.

mod confirm;
mod contacts;
mod conversations;
mod dashboard;
mod guest_detail;
pub(crate) mod groups;
mod guests;
mod invitations;
mod invite;
mod inventory;
mod layout;
mod placeholder;
mod projects;
mod reminder;
mod report;
mod settings;
mod tokens;
mod sign_in;
mod users;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::web::http::set_page_csp();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Tests wait for this mark: a click before hydration would land on inert HTML.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title text="Lobby"/>
        <Router>
            <Routes fallback=|| view! { <main class="page"><h1>"Page not found"</h1><p><a href="/">"Back to Lobby"</a></p></main> }>
                <Route path=path!("/login") view=sign_in::SignInPage/>
                <Route path=path!("/invite/:token") view=invitations::AcceptPage/>
                <ParentRoute path=path!("") view=layout::Layout>
                    <Route path=path!("") view=dashboard::DashboardPage/>
                    <Route path=path!("users") view=users::UsersPage/>
                    <Route path=path!("projects") view=projects::ProjectsPage/>
                    <Route path=path!("projects/:id") view=projects::ProjectPage/>
                    <Route path=path!("my-project") view=projects::ProjectsPage/>
                    <Route path=path!("invitations") view=invitations::InvitationsPage/>
                    <Route path=path!("outbox") view=invitations::OutboxPage/>
                    <Route path=path!("guests") view=guests::GuestsPage/>
                    <Route path=path!("guests/inventory") view=inventory::InventoryPage/>
                    <Route path=path!("guests/:id") view=guest_detail::GuestDetailPage/>
                    <Route path=path!("guests/:id/reminder/:choice") view=reminder::ReminderChoicePage/>
                    <Route path=path!("groups") view=groups::GroupsPage/>
                    <Route path=path!("contacts") view=contacts::ContactsPage/>
                    <Route path=path!("conversations") view=conversations::ConversationsPage/>
                    <Route path=path!("conversations/:id") view=conversations::ConversationPage/>
                    <Route path=path!("settings") view=settings::SettingsPage/>
                    <Route path=path!("settings/tokens") view=tokens::TokensPage/>
                    <Route path=path!("activity") view=report::ReportPage/>
                    <Route path=path!("profile") view=|| view! { <placeholder::Placeholder title="My profile" what="Editing your own profile"/> }/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The page's one clock for live countdowns: `None` until hydration (so the browser's
/// first render equals the server's), then the browser's time, updated every second.
#[derive(Clone, Copy)]
pub struct Ticker(pub RwSignal<Option<i64>>);

/// Starts the shared 1 Hz ticker; called once by the signed-in layout.
pub fn provide_ticker() {
    let now = RwSignal::new(None::<i64>);
    provide_context(Ticker(now));
    Effect::new(move |_| {
        now.set(Some(chrono::Utc::now().timestamp_millis()));
        if let Ok(handle) = set_interval_with_handle(
            move || now.set(Some(chrono::Utc::now().timestamp_millis())),
            std::time::Duration::from_secs(1),
        ) {
            // Signing out leaves the layout: stop ticking a signal that is gone.
            on_cleanup(move || handle.clear());
        }
    });
}

/// The current time for countdowns: the server's `server_now` until the browser ticks.
pub fn use_now(server_now: i64) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let ticker = use_context::<Ticker>().map(|t| t.0);
    move || ticker.and_then(|t| t.get()).unwrap_or(server_now)
}

/// Shows a server function's error as an alert.
#[component]
pub fn ErrorNote(message: String) -> impl IntoView {
    view! { <p class="error" role="alert">{message}</p> }
}

/// "Previous" and "Next" of a keyset-paged list: each sets `cursor` to its page's cursor
/// and is disabled when there is no such page.
#[component]
pub fn Pager(label: &'static str, prev: Option<String>, next: Option<String>, cursor: RwSignal<Option<String>>) -> impl IntoView {
    let (has_prev, has_next) = (prev.is_some(), next.is_some());
    view! {
        <nav class="pager" aria-label=label>
            <button disabled=!has_prev on:click=move |_| cursor.set(prev.clone())>"Previous"</button>
            <button disabled=!has_next on:click=move |_| cursor.set(next.clone())>"Next"</button>
        </nav>
    }
}
