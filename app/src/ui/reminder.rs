//! The page a reminder mail's link opens: it says what Extend, Let expire or Incorporate
//! would do to the guest and asks Yes or No. Opening it changes nothing.

use super::confirm::{datetime, time_left};
use crate::api::reminders::{preview_reminder_choice, ConfirmReminderChoice, ReminderPreview};
use crate::domain::expiry::ReminderChoice;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReminderChoicePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let choice = move || params.read().get("choice").and_then(|s| ReminderChoice::from_slug(&s));
    let preview = Resource::new(move || (id(), choice()), |(id, choice)| async move {
        match choice {
            Some(c) => preview_reminder_choice(id, c).await,
            None => Err(crate::error::AppError::NotFound("This link is not one Lobby sends.".into())),
        }
    });
    let confirm = ServerAction::<ConfirmReminderChoice>::new();
    let declined = RwSignal::new(false);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(p) => view! { <Choice p confirm declined/> }.into_any(),
                    Err(e) => view! {
                        <h1>"Expiry reminder"</h1>
                        <crate::ui::ErrorNote message=e.to_string()/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Choice(p: ReminderPreview, confirm: ServerAction<ConfirmReminderChoice>, declined: RwSignal<bool>) -> impl IntoView {
    let name = p.guest_name.clone();
    let current = p.expires_at.map(datetime).unwrap_or_else(|| "Without expiration".into());
    let (title, question) = match p.choice {
        ReminderChoice::Extend => (
            format!("Extend {name}'s access"),
            format!(
                "Give {name} {} again, from now? They would leave on {} instead of {current}.",
                p.period.map(|x| x.label()).unwrap_or_default(),
                p.new_expires_at.map(datetime).unwrap_or_default()
            ),
        ),
        ReminderChoice::LetExpire => (
            format!("Let {name}'s access expire"),
            format!("Keep {current} as {name}'s last day and send no further reminders about them?"),
        ),
        ReminderChoice::Incorporate => (
            format!("Incorporate {name}"),
            format!("Incorporate {name} into the organization? They become a user with access to all features, and their expiry is cleared."),
        ),
    };
    let now = crate::ui::use_now(p.now);
    let expires = p.expires_at;
    let (gid, choice) = (p.guest_id, p.choice);
    let back = if p.may_open_details { format!("/guests/{gid}") } else { "/".to_string() };
    let back2 = back.clone();
    view! {
        <h1>{title}</h1>
        <dl class="fields">
            <dt>"Guest"</dt><dd>{name.clone()}</dd>
            <dt>"Leaves on"</dt><dd>{current.clone()}</dd>
            <dt>"Time left"</dt><dd data-testid="time-left">{move || time_left(now(), expires)}</dd>
        </dl>
        {move || match (confirm.value().get(), declined.get()) {
            (Some(Ok(done)), _) => view! {
                <p class="notice" role="status">{done}</p>
                <p><a href=back.clone()>"Continue"</a></p>
            }.into_any(),
            (_, true) => view! {
                <p class="notice" role="status">"Nothing was changed."</p>
                <p><a href=back2.clone()>"Continue"</a></p>
            }.into_any(),
            (result, false) => view! {
                <section class="panel" role="group" aria-labelledby="reminder-question">
                    <p id="reminder-question">{question.clone()}</p>
                    {result.and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
                    <div class="dialog-buttons">
                        <button class="primary" disabled=move || confirm.pending().get()
                            on:click=move |_| { confirm.dispatch(ConfirmReminderChoice { id: gid, choice }); }>"Yes"</button>
                        <button disabled=move || confirm.pending().get() on:click=move |_| declined.set(true)>"No"</button>
                    </div>
                </section>
            }.into_any(),
        }}
    }
}
