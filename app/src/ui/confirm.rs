use leptos::html;
use leptos::prelude::*;

/// A Yes/No confirmation, modal, with "No" focused first and Escape meaning No.
#[component]
pub fn ConfirmDialog(
    title: String,
    message: String,
    #[prop(into)] on_yes: Callback<()>,
    #[prop(into)] on_no: Callback<()>,
    #[prop(into)] busy: Signal<bool>,
    /// More to choose before answering (e.g. Incorporate's department).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let no_ref = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = no_ref.get() {
            let _ = b.focus();
        }
    });
    view! {
        <div class="backdrop">
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="confirm-title"
                aria-describedby="confirm-message"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        on_no.run(());
                    }
                }
            >
                <h2 id="confirm-title">{title}</h2>
                <p id="confirm-message">{message}</p>
                {children.map(|c| c())}
                <div class="dialog-buttons">
                    <button class="primary" disabled=move || busy.get() on:click=move |_| on_yes.run(())>"Yes"</button>
                    <button node_ref=no_ref disabled=move || busy.get() on:click=move |_| on_no.run(())>"No"</button>
                </div>
            </div>
        </div>
    }
}

/// "2024-03-11" from unix ms, in UTC, the same on server and browser.
pub fn date(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// "2024-03-11 14:05 UTC" from unix ms.
pub fn datetime(ms: i64) -> String {
    crate::domain::expiry::format_utc(ms)
}

/// "6 days 3 h" from an expiry and a clock, or "Without expiration".
pub fn time_left(now: i64, expires: Option<i64>) -> String {
    match expires {
        Some(e) => crate::domain::expiry::time_left_ms(now, e),
        None => "Without expiration".to_string(),
    }
}
