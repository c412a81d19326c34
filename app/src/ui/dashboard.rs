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
        {(!is_guest).then(|| view! { <OwnGuestsPanel/> })}
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
                    Ok(c) => view! { <Figures c/> }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One number as a link to the list it counts (or, without `href`, a number no list
/// shows as such). Its accessible name is "Label: N"; the note describes it.
#[component]
fn Card(label: &'static str, value: String, #[prop(optional)] href: Option<String>, #[prop(optional)] note: Option<String>, #[prop(optional)] testid: &'static str, #[prop(optional)] alert: bool) -> impl IntoView {
    let aria = format!("{label}: {value}");
    let note = note.filter(|n| !n.is_empty());
    let note_id = note.as_ref().map(|_| format!("{testid}-note"));
    let body = view! {
        <span class="card-label">{label}</span>
        <span class="card-value" data-testid=testid>{value}</span>
        {note.map(|n| view! { <span class="card-note" id=format!("{testid}-note")>{n}</span> })}
    };
    let class = if alert { "card alert" } else { "card" };
    match href {
        Some(href) => view! { <a class=class href=href aria-label=aria aria-describedby=note_id>{body}</a> }.into_any(),
        None => view! { <div class=class role="group" aria-label=aria aria-describedby=note_id>{body}</div> }.into_any(),
    }
}

#[component]
fn Figures(c: crate::api::people::DashboardFigures) -> impl IntoView {
    let lapsing = (c.lapsing_soon > 0).then(|| format!("{} lapse within 48 hours", c.lapsing_soon));
    view! {
        <section class="panel" aria-labelledby="dash-now">
            <h2 id="dash-now">"Needs you now"</h2>
            <div class="cards">
                <Card label="Leaving within 7 days" value=c.leaving_soon.to_string() href="/guests/inventory?state=expiring&sort=expiry".to_string() testid="leaving-count" alert={c.leaving_soon > 0}/>
                <Card label="Pending invitations" value=c.pending.to_string() href="/guests/inventory?state=pending&sort=state".to_string() note=lapsing.unwrap_or_default() testid="pending-count"/>
                <Card label="Lapsing within 48 hours" value=c.lapsing_soon.to_string() href="/guests/inventory?lapsing=1&sort=state".to_string() testid="lapsing-count" alert={c.lapsing_soon > 0}/>
                <Card label="Never signed in" value=c.never_signed_in.to_string() href="/guests/inventory?never=1".to_string() note="Guests and pending invitations".into() testid="never-count"/>
            </div>
        </section>
        <section class="panel" aria-labelledby="dash-people">
            <h2 id="dash-people">"People"</h2>
            <div class="cards" aria-label="Counts">
                <Card label="Users" value=c.users.to_string() href="/users".to_string() testid="users-count"/>
                <Card label="Guests" value=c.guests.to_string() href="/guests".to_string() testid="guests-count"/>
                <Card label="Guest places used" value=format!("{} of {}", c.quota_used, c.quota_limit) note="Guests and pending invitations across the organization, of its quota".into() testid="quota-used"/>
            </div>
        </section>
        {c.sparkline.map(|s| view! { <Spark s/> })}
        {c.recent.map(|rows| view! {
            <section class="panel" aria-labelledby="dash-recent">
                <h2 id="dash-recent">"Recent activity"</h2>
                {if rows.is_empty() {
                    view! { <p class="muted">"Nothing yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="recent" aria-label="Recent activity">
                            {rows.into_iter().map(|e| {
                                let about = (!e.about.is_empty()).then(|| format!(": {}", e.about));
                                view! {
                                    <li>
                                        <time datetime=e.date.replace(' ', "T") + "Z">{e.date.clone()}</time>
                                        " " <span class="action">{e.action.clone()}</span>{about}
                                        <span class="muted">{format!(" · {}", e.by)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><a href="/activity">"Open the Activity Report"</a></p>
            </section>
        })}
    }
}

const SPARK_W: f64 = 290.0;
const SPARK_H: f64 = 40.0;

/// Invitations against removals over 30 days: two lines drawn on the server, the totals
/// in words beside them.
#[component]
fn Spark(s: crate::domain::dashboard::Sparkline) -> impl IntoView {
    let [inv, rem] = s.totals();
    view! {
        <section class="panel" aria-labelledby="dash-spark">
            <h2 id="dash-spark">"Last 30 days"</h2>
            <figure class="sparkline">
                <svg viewBox=format!("-2 -2 {} {}", SPARK_W + 4.0, SPARK_H + 4.0) role="img" aria-labelledby="spark-title spark-desc" preserveAspectRatio="none">
                    <title id="spark-title">"Invitations and removals per day"</title>
                    <desc id="spark-desc">{s.summary()}</desc>
                    <polyline class="s0" fill="none" points=s.points(0, SPARK_W, SPARK_H)/>
                    <polyline class="s2" fill="none" points=s.points(1, SPARK_W, SPARK_H)/>
                </svg>
                <figcaption>
                    <ul class="legend" aria-label="Sparkline legend">
                        <li><span class="swatch s0" aria-hidden="true"></span>{format!("Invitations: {inv}")}</li>
                        <li><span class="swatch s2" aria-hidden="true"></span>{format!("Removals: {rem}")}</li>
                    </ul>
                </figcaption>
            </figure>
        </section>
    }
}

/// A member's own guests, with the Expiration they may set, and their pending
/// invitations with Resend and Revoke; nothing for a member who has invited nobody.
#[component]
fn OwnGuestsPanel() -> impl IntoView {
    use crate::api::guests::SetGuestExpiry;
    use crate::api::invitations::{ResendInvitation, RevokeInvitation};
    let set_expiry = ServerAction::<SetGuestExpiry>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let data = Resource::new(move || (set_expiry.version().get(), revoke.version().get()), |_| crate::api::people::my_guests());
    view! {
        {move || [set_expiry.value().get().map(|r| r.map(|_| ())), resend.value().get(), revoke.value().get()].into_iter().flatten().find_map(|r| r.err())
            .map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) if o.guests.is_empty() && o.invitations.is_empty() => ().into_any(),
                    Ok(o) => {
                        let now = o.now;
                        view! {
                            <section class="panel" aria-labelledby="home-guests">
                                <h2 id="home-guests">"Your guests"</h2>
                                {(!o.guests.is_empty()).then(|| view! {
                                    <ul class="own-guests">
                                        {o.guests.into_iter().map(|g| {
                                            let now = crate::ui::use_now(now);
                                            let expires = g.expires_at;
                                            view! {
                                                <li>
                                                    <span class="name">{g.name.clone()}</span>
                                                    <span class="muted">{g.email.clone()}</span>
                                                    <span class="time-left">{move || super::confirm::time_left(now(), expires)}</span>
                                                    <super::projects::ExpirySetter guest=g.id name=g.name.clone() action=set_expiry/>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                })}
                                {(!o.invitations.is_empty()).then(|| view! {
                                    <h3>"Pending invitations"</h3>
                                    <ul class="own-guests">
                                        {o.invitations.into_iter().map(|i| {
                                            let id = i.id;
                                            view! {
                                                <li>
                                                    <span class="name">{i.email.clone()}</span>
                                                    <span class="muted">{format!("sent {}", super::confirm::date(Some(i.sent_at)))}</span>
                                                    <span class="row-actions">
                                                        <button aria-label=format!("Resend to {}", i.email) on:click=move |_| { resend.dispatch(ResendInvitation { id }); }>"Resend"</button>
                                                        <button class="danger" aria-label=format!("Revoke invitation of {}", i.email) on:click=move |_| { revoke.dispatch(RevokeInvitation { id }); }>"Revoke"</button>
                                                    </span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                })}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                }
            })}
        </Transition>
    }
}
