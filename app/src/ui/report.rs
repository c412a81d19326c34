//! The Activity Report (F-REPORT): a month's Guest activity (with its chart) and Other
//! activity, filtered, a page at a time, with "Download CSV" of the same entries. The
//! month and filters live in the address (`/activity?month=2026-11&action=…`), so the
//! monthly mail can link to a month and a filtered report can be shared.

use crate::api::report::*;
use crate::domain::report::{Chart, CHART_SERIES};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `month=…&action=…` of the non-empty values, for the page's and the CSV's address.
fn query_string(values: &[(&str, String)]) -> String {
    values.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            ReportQuery {
                month: get("month"),
                filters: crate::domain::report::ReportFilters { action: get("action"), actor: get("actor"), guest: get("guest"), text: get("text") },
                guest_cursor: None,
                other_cursor: None,
            }
        })
    });
    let guest_cursor = RwSignal::new(None::<String>);
    let other_cursor = RwSignal::new(None::<String>);
    // Another month or other filters start again at each section's newest entries.
    Effect::new(move |_| {
        asked.track();
        if guest_cursor.with_untracked(Option::is_some) {
            guest_cursor.set(None);
        }
        if other_cursor.with_untracked(Option::is_some) {
            other_cursor.set(None);
        }
    });
    let data = Resource::new(
        move || (asked.get(), guest_cursor.get(), other_cursor.get()),
        |(q, g, o)| load_report(ReportQuery { guest_cursor: g, other_cursor: o, ..q }),
    );
    view! {
        <div class="page-head">
            <h1>"Activity Report"</h1>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(r) if !r.enabled => view! {
                        <p class="notice" role="status">
                            "The Activity Report is off for this organization. It appears while Receive Activity Report is on. "
                            {if r.may_change_settings {
                                view! { <a href="/settings">"Turn it on in Settings"</a> }.into_any()
                            } else {
                                view! { "A Company Admin can turn it on in Settings." }.into_any()
                            }}
                        </p>
                    }.into_any(),
                    Ok(r) => view! { <Report r asked guest_cursor other_cursor/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(r: ReportView, asked: Memo<ReportQuery>, guest_cursor: RwSignal<Option<String>>, other_cursor: RwSignal<Option<String>>) -> impl IntoView {
    let f = asked.get_untracked().filters;
    let values = vec![
        ("month", r.month.clone()),
        ("action", f.action.clone()),
        ("actor", f.actor.clone()),
        ("guest", f.guest.clone()),
        ("text", f.text.clone()),
    ];
    let csv_href = format!("/activity.csv?{}", query_string(&values));
    let has_guest = r.guest.is_some();
    let filtered = [&f.action, &f.actor, &f.guest, &f.text].iter().any(|v| !v.is_empty());
    let navigate = use_navigate();
    // The Month select shows its month at once, keeping the filters.
    let on_month = {
        let values = values.clone();
        move |ev: leptos::ev::Event| {
            let mut v = values.clone();
            v[0].1 = event_target_value(&ev);
            navigate(&format!("/activity?{}", query_string(&v)), Default::default());
        }
    };
    let guest_actions: Vec<ActionChoice> = r.actions.iter().filter(|a| a.section == "Guest activity").cloned().collect();
    let other_actions: Vec<ActionChoice> = r.actions.iter().filter(|a| a.section != "Guest activity").cloned().collect();
    let option = |a: ActionChoice, chosen: &str| {
        let selected = a.key == chosen;
        view! { <option value=a.key selected=selected>{a.label}</option> }
    };
    view! {
        <form class="report-filters" method="get" action="/activity" aria-label="Report filters">
            <div class="field">
                <label for="report-month">"Month"</label>
                <select id="report-month" name="month" on:change=on_month>
                    {r.months.iter().map(|m| {
                        let selected = m.key == r.month;
                        view! { <option value=m.key.clone() selected=selected>{m.label.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="report-action">"Action"</label>
                <select id="report-action" name="action">
                    <option value="" selected=f.action.is_empty()>"All actions"</option>
                    {(!guest_actions.is_empty()).then(|| view! {
                        <optgroup label="Guest activity">{guest_actions.into_iter().map(|a| option(a, &f.action)).collect_view()}</optgroup>
                    })}
                    <optgroup label="Other activity">{other_actions.into_iter().map(|a| option(a, &f.action)).collect_view()}</optgroup>
                </select>
            </div>
            <div class="field">
                <label for="report-actor">"Person who acted"</label>
                <input id="report-actor" name="actor" type="search" value=f.actor.clone() maxlength="100" placeholder="Name, email, mobile or Lobby"/>
            </div>
            {has_guest.then(|| view! {
                <div class="field">
                    <label for="report-guest">"Guest"</label>
                    <input id="report-guest" name="guest" type="search" value=f.guest.clone() maxlength="100" placeholder="Name or email"/>
                </div>
            })}
            <div class="field">
                <label for="report-text">"Text"</label>
                <input id="report-text" name="text" type="search" value=f.text.clone() maxlength="100"/>
            </div>
            <div class="field buttons">
                <button type="submit" class="primary">"Apply filters"</button>
                {filtered.then(|| view! { <a class="button" href=format!("/activity?month={}", r.month)>"Clear filters"</a> })}
            </div>
        </form>
        <p class="toolbar">
            <span class="muted">{format!("{} · times in UTC", r.month_label)}</span>
            <a class="button" href=csv_href download="">"Download CSV"</a>
        </p>
        {r.guest.map(|page| view! {
            <section class="report-section" aria-labelledby="guest-activity">
                <h2 id="guest-activity">"Guest activity"</h2>
                {r.chart.map(|c| view! { <ChartView chart=c/> })}
                <Entries page=page.clone() guest=true/>
                <crate::ui::Pager label="Guest activity pages" prev=page.prev next=page.next cursor=guest_cursor/>
            </section>
        })}
        {r.other.map(|page| view! {
            <section class="report-section" aria-labelledby="other-activity">
                <h2 id="other-activity">"Other activity"</h2>
                <Entries page=page.clone() guest=false/>
                <crate::ui::Pager label="Other activity pages" prev=page.prev next=page.next cursor=other_cursor/>
            </section>
        })}
    }
}

/// A section's table: Date, Administrator/Authorized User, Action for guests; Time, By,
/// Change for the rest. Each action names what it was about.
#[component]
fn Entries(page: crate::domain::paging::Page<ReportEntry>, guest: bool) -> impl IntoView {
    if page.items.is_empty() {
        return view! { <p class="muted">"No entries this month."</p> }.into_any();
    }
    let heads = if guest { ["Date", "Administrator/Authorized User", "Action"] } else { ["Time", "By", "Change"] };
    view! {
        <div class="table-wrap">
            <table class="report">
                <thead><tr>{heads.map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {page.items.into_iter().map(|e| {
                        let about = (!e.about.is_empty()).then(|| view! { ": " <span class="about">{e.about.clone()}</span> });
                        let note = e.note.clone().map(|n| view! { " " <span class="muted">{format!("({n})")}</span> });
                        view! {
                            <tr>
                                <td class="when"><time datetime=e.date.replace(' ', "T") + "Z">{e.date.clone()}</time></td>
                                <td data-label=if guest { "Administrator/Authorized User" } else { "By" }>{e.by.clone()}</td>
                                <td class="wide"><span class="action">{e.action.clone()}</span>{about}{note}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The chart's box (SVG user units): wide enough for 31 days, low enough for a phone.
const CHART_W: f64 = 310.0;
const CHART_H: f64 = 110.0;
/// Room under the bars for the day numbers.
const AXIS_H: f64 = 14.0;

/// Invitations, incorporations, deletions and automatic removals per day, stacked, as
/// server-rendered SVG; its numbers in words and as a table for anyone who cannot see it.
#[component]
fn ChartView(chart: Chart) -> impl IntoView {
    let days = chart.days.len().max(1);
    let slot = CHART_W / days as f64;
    let bar = (slot * 0.7).max(1.0);
    let peak = chart.peak();
    let summary = chart.summary();
    let bars = chart.bars(CHART_H).into_iter().map(|(day, series, y, h)| {
        let x = day as f64 * slot + (slot - bar) / 2.0;
        view! { <rect class=format!("s{series}") x=format!("{x:.2}") y=format!("{y:.2}") width=format!("{bar:.2}") height=format!("{h:.2}")/> }
    }).collect_view();
    let ticks = [1usize, 8, 15, 22, 29].into_iter().filter(|d| *d <= days).map(|d| {
        let x = (d - 1) as f64 * slot + slot / 2.0;
        view! { <text x=format!("{x:.2}") y=format!("{:.2}", CHART_H + AXIS_H - 3.0) text-anchor="middle">{d.to_string()}</text> }
    }).collect_view();
    let totals = chart.totals();
    let rows: Vec<(usize, [i64; 4])> = chart.days.iter().copied().enumerate().filter(|(_, n)| n.iter().any(|c| *c > 0)).collect();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {CHART_W} {}", CHART_H + AXIS_H) role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">
                <title id="chart-title">"Guest activity per day"</title>
                <desc id="chart-desc">{summary.clone()}</desc>
                <line class="axis" x1="0" y1=format!("{CHART_H}") x2=format!("{CHART_W}") y2=format!("{CHART_H}")/>
                <text class="peak" x="2" y="9">{format!("{peak} a day")}</text>
                {bars}
                {ticks}
            </svg>
            <figcaption>
                <ul class="legend" aria-label="Chart legend">
                    {CHART_SERIES.iter().enumerate().map(|(i, s)| view! {
                        <li><span class=format!("swatch s{i}") aria-hidden="true"></span>{format!("{s}: {}", totals[i])}</li>
                    }).collect_view()}
                </ul>
                <details>
                    <summary>"The chart's numbers per day"</summary>
                    {if rows.is_empty() {
                        view! { <p class="muted">"No invitations, incorporations, deletions or automatic removals this month."</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-wrap">
                                <table class="chart-numbers plain">
                                    <thead><tr><th scope="col">"Day"</th>{CHART_SERIES.map(|s| view! { <th scope="col">{s}</th> }).collect_view()}</tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|(d, n)| view! {
                                            <tr><th scope="row">{(d + 1).to_string()}</th>{n.map(|c| view! { <td>{c.to_string()}</td> }).collect_view()}</tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }}
                </details>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_only_what_is_set_and_escape_it() {
        let q = query_string(&[("month", "2026-11".into()), ("action", String::new()), ("actor", "Ada & Bob=1".into())]);
        assert_eq!(q, "month=2026-11&actor=Ada%20%26%20Bob%3D1");
    }
}
