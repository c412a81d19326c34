//! Settings → API tokens: a Company Admin makes tokens and sees and revokes all of the
//! organization's; a Department Admin those they own, limited to their departments. A
//! new token's secret is shown once, with a copy button.

use super::confirm::{date, datetime, ConfirmDialog};
use crate::api::tokens::{api_tokens, CreateApiToken, NewTokenInput, RevokeApiToken, TokenInfo};
use crate::domain::api_token::{Scope, MAX_DAYS};
use leptos::prelude::*;

const DEFAULT_DAYS: i64 = 90;

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let data = Resource::new(move || (create.version().get(), revoke.version().get()), |_| api_tokens());
    let asking = RwSignal::new(None::<(i64, String)>);
    // The form's fields live here, outside the list that reloads after each answer, so
    // a refused attempt keeps what was typed.
    let form = TokenForm { name: RwSignal::new(String::new()), days: RwSignal::new(DEFAULT_DAYS.to_string()), chosen: RwSignal::new(Vec::new()) };
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            form.name.set(String::new());
            form.chosen.set(Vec::new());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            asking.set(None);
        }
    });
    view! {
        <div class="page-head">
            <h1>"API tokens"</h1>
            <a href="/settings">"Settings"</a>
        </div>
        <p class="muted">
            "A token lets a script or another system use Lobby's JSON API (" <a href="/api/docs">"reference"</a>
            ") as its owner: never more than the owner may do at that moment, and only what its scopes allow."
        </p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(v) => {
                        let now = v.now;
                        let empty = v.tokens.is_empty();
                        view! {
                            <NewTokenForm grantable=v.grantable create=create form=form/>
                            <section aria-labelledby="tokens-heading">
                                <h2 id="tokens-heading">"Tokens"</h2>
                                {move || revoke.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
                                {empty.then(|| view! { <p class="muted">"No tokens yet."</p> })}
                                <ul class="token-list">
                                    {v.tokens.into_iter().map(|t| view! { <TokenCard token=t now=now asking=asking/> }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || asking.get().map(|(id, name)| view! {
            <ConfirmDialog
                title="Revoke token".to_string()
                message=format!("Revoke the token “{name}”? Whatever uses it stops working at once.")
                busy=revoke.pending()
                on_yes=move |_| { revoke.dispatch(RevokeApiToken { id }); }
                on_no=move |_| asking.set(None)
            />
        })}
    }
}

/// What the new-token form holds.
#[derive(Clone, Copy)]
struct TokenForm {
    name: RwSignal<String>,
    days: RwSignal<String>,
    chosen: RwSignal<Vec<Scope>>,
}

/// The form for a new token, and the new token's secret once made.
#[component]
fn NewTokenForm(grantable: Vec<Scope>, create: ServerAction<CreateApiToken>, form: TokenForm) -> impl IntoView {
    let TokenForm { name, days, chosen } = form;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scopes = Scope::ALL.into_iter().filter(|s| chosen.with(|c| c.contains(s))).collect();
        // Not a number is sent as 0, which the server refuses with its message.
        let days = days.get().trim().parse().unwrap_or(0);
        create.dispatch(CreateApiToken { input: NewTokenInput { name: name.get(), scopes, days } });
    };
    view! {
        <section class="panel">
            <h2>"New token"</h2>
            <form on:submit=submit>
                <label for="token-name">"Name"</label>
                <input id="token-name" type="text" maxlength="80" required placeholder="HR offboarding"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <fieldset>
                    <legend>"Scopes"</legend>
                    {grantable.into_iter().map(|s| view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&s))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { c.retain(|x| *x != s); if on { c.push(s); } });
                                }/>
                            {s.label()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <label for="token-days">"Expires in (days)"</label>
                <input id="token-days" type="number" min="1" max=MAX_DAYS.to_string() required
                    prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                {move || create.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Create token"</button>
            </form>
            {move || create.value().get().and_then(|r| r.ok()).map(|made| view! { <NewSecret name=made.token.name secret=made.secret/> })}
        </section>
    }
}

/// A just-made token's secret: shown this once, with a button that copies it.
#[component]
fn NewSecret(name: String, secret: String) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let input = NodeRef::<leptos::html::Input>::new();
    let text = secret.clone();
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            let ok = copy_to_clipboard(&text).await;
            if !ok {
                // Without a clipboard (an insecure page, a refusal) the text is selected to copy by hand.
                if let Some(i) = input.get_untracked() {
                    i.select();
                }
            }
            copied.set(Some(ok));
        });
    };
    view! {
        <div class="notice new-token" role="status">
            <p><strong>{format!("Token “{name}” created.")}</strong>" Copy it now: it is shown only once and Lobby keeps no copy."</p>
            <input node_ref=input type="text" readonly aria-label="New token" class="secret" prop:value=secret
                on:focus=move |ev| { let _ = event_target::<web_sys::HtmlInputElement>(&ev).select(); }/>
            <button type="button" on:click=copy>"Copy token"</button>
            {move || copied.get().map(|ok| if ok {
                view! { <span class="muted">" Copied."</span> }.into_any()
            } else {
                view! { <span class="error">" Could not copy: the token is selected, copy it with Ctrl+C."</span> }.into_any()
            })}
        </div>
    }
}

/// Writes `text` to the clipboard; false where the browser has no clipboard or refuses.
async fn copy_to_clipboard(text: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(window) = web_sys::window() else { return false };
        let navigator = window.navigator();
        let has = js_sys::Reflect::get(&navigator, &"clipboard".into()).map(|c| !c.is_undefined() && !c.is_null()).unwrap_or(false);
        if !has {
            return false;
        }
        let promise = navigator.clipboard().write_text(text);
        wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        false
    }
}

#[component]
fn TokenCard(token: TokenInfo, now: i64, asking: RwSignal<Option<(i64, String)>>) -> impl IntoView {
    let state = token.state_label(now);
    let active = state == "Active";
    let scopes = token.scopes.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ");
    let last_used = match (token.last_used_at, token.last_used_from.clone()) {
        (Some(at), Some(from)) => format!("{} from {from}", datetime(at)),
        (Some(at), None) => datetime(at),
        _ => "Never".to_string(),
    };
    let (id, name) = (token.id, token.name.clone());
    let ended = token.revoked_at.map(|r| format!("Revoked {}", date(Some(r))));
    view! {
        <li class="card token">
            <div class="card-head">
                <h3>{token.name.clone()}</h3>
                <span class=format!("badge {}", state.to_lowercase())>{state}</span>
            </div>
            <dl class="facts">
                <dt>"Token"</dt><dd><code>{format!("{}…", token.hint)}</code></dd>
                <dt>"Owner"</dt><dd>{format!("{} ({})", token.owner, token.owner_email)}</dd>
                <dt>"Scopes"</dt><dd>{scopes}</dd>
                <dt>"Created"</dt><dd>{date(Some(token.created_at))}</dd>
                <dt>"Expires"</dt><dd>{datetime(token.expires_at)}</dd>
                <dt>"Last used"</dt><dd>{last_used}</dd>
                {ended.map(|e| view! { <dt>"Ended"</dt><dd>{e}</dd> })}
            </dl>
            {active.then(|| view! {
                <button class="danger" aria-label=format!("Revoke token {}", token.name)
                    on:click=move |_| asking.set(Some((id, name.clone())))>"Revoke"</button>
            })}
        </li>
    }
}
