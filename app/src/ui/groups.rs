//! Groups and Departments (F-GUESTDEPT), for admins: the department tree ("New
//! department", rename, move, delete), each department's details (parent, Department
//! Admins, members with "Move to department"), and groups ("New group", "Add members",
//! rename, delete). Guests are never listed or offered here; the server refuses them.

use super::confirm::ConfirmDialog;
use crate::api::structure::*;
use crate::error::AppError;
use crate::model::directory::Contact;
use crate::model::structure::{DeptNode, GroupNode, MemberEntry};
use leptos::prelude::*;
use std::future::Future;

/// What every panel of the page shares: the outcome of the last change, whether one is
/// running, and a version that reloads the lists after each success.
#[derive(Clone, Copy)]
struct Ctx {
    outcome: RwSignal<Option<Result<String, String>>>,
    busy: RwSignal<bool>,
    version: RwSignal<u32>,
    /// The department and the group opened: kept while the lists reload after a change.
    open_dept: RwSignal<Option<i64>>,
    open_group: RwSignal<Option<i64>>,
}

impl Ctx {
    /// Runs one change; on success says `done` and reloads, else shows the refusal.
    fn run<T: 'static>(self, done: impl Fn(&T) -> String + 'static, change: impl Future<Output = Result<T, AppError>> + 'static) {
        self.busy.set(true);
        self.outcome.set(None);
        leptos::task::spawn_local(async move {
            let r = change.await;
            self.busy.set(false);
            match r {
                Ok(v) => {
                    self.outcome.set(Some(Ok(done(&v))));
                    self.version.update(|n| *n += 1);
                }
                Err(e) => self.outcome.set(Some(Err(e.to_string()))),
            }
        });
    }
}

fn members_label(n: i64) -> String {
    format!("{n} member{}", if n == 1 { "" } else { "s" })
}

fn opt_id(value: &str) -> Option<i64> {
    value.parse::<i64>().ok()
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let ctx = Ctx {
        outcome: RwSignal::new(None),
        busy: RwSignal::new(false),
        version: RwSignal::new(0),
        open_dept: RwSignal::new(None),
        open_group: RwSignal::new(None),
    };
    provide_context(ctx);
    let data = Resource::new(move || ctx.version.get(), |_| load_structure());
    view! {
        <div class="page-head">
            <h1>"Groups and Departments"</h1>
        </div>
        {move || ctx.outcome.get().map(|o| match o {
            Ok(m) => view! { <p class="notice" role="status">{m}</p> }.into_any(),
            Err(m) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                    Ok(p) => view! {
                        <div class="directory">
                            <section class="panel" aria-labelledby="departments-heading">
                                <h2 id="departments-heading">"Departments"</h2>
                                <NewDepartment tree=p.departments.clone() top=p.company_admin/>
                                <Tree nodes=p.departments.clone() company_admin=p.company_admin/>
                            </section>
                            <section class="panel" aria-labelledby="groups-heading">
                                <h2 id="groups-heading">"Groups"</h2>
                                {p.company_admin.then(|| view! { <NewGroup/> })}
                                <Groups list=p.groups.clone() company_admin=p.company_admin tree=p.departments.clone()/>
                            </section>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Options of a department select, indented by depth.
fn dept_options(tree: &[DeptNode]) -> impl IntoView {
    tree.iter()
        .map(|d| {
            let label = format!("{}{}", "\u{a0}\u{a0}".repeat(d.depth as usize), d.name);
            view! { <option value=d.id.to_string()>{label}</option> }
        })
        .collect_view()
}

#[component]
fn NewDepartment(tree: Vec<DeptNode>, top: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(if top { String::new() } else { tree.first().map(|d| d.id.to_string()).unwrap_or_default() });
    view! {
        <details class="subpanel">
            <summary>"New department"</summary>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let (n, p) = (name.get_untracked(), opt_id(&parent.get_untracked()));
                ctx.run(|_| "Department created.".to_string(), async move { create_department(n, p).await });
            }>
                <label for="new-department-name">"Department name"</label>
                <input id="new-department-name" type="text" maxlength="120" required
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="new-department-parent">"Parent department"</label>
                <select id="new-department-parent" prop:value=move || parent.get() on:change=move |ev| parent.set(event_target_value(&ev))>
                    {top.then(|| view! { <option value="">"None (top level)"</option> })}
                    {dept_options(&tree)}
                </select>
                <button type="submit" class="primary" disabled=move || ctx.busy.get()>"Create department"</button>
            </form>
        </details>
    }
}

#[component]
fn Tree(nodes: Vec<DeptNode>, company_admin: bool) -> impl IntoView {
    if nodes.is_empty() {
        return view! { <p class="muted">"No departments yet."</p> }.into_any();
    }
    let open = expect_context::<Ctx>().open_dept;
    let all = StoredValue::new(nodes.clone());
    view! {
        <ul class="tree">
            {nodes.into_iter().map(|d| {
                let id = d.id;
                let label = format!("{} ({})", d.name, members_label(d.members));
                let node = d.clone();
                view! {
                    <li class="tree-item" style=format!("margin-left: {}rem", d.depth.min(8) as f32)>
                        <button type="button" class="link" aria-expanded=move || (open.get() == Some(id)).to_string()
                            on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>{label}</button>
                        {move || (open.get() == Some(id)).then(|| view! {
                            <DepartmentPanel node=node.clone() tree=all.get_value() company_admin/>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// One department opened: details, its changes, its admins and its members.
#[component]
fn DepartmentPanel(node: DeptNode, tree: Vec<DeptNode>, company_admin: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = node.id;
    let cursor = RwSignal::new(None::<String>);
    let data = Resource::new(move || (ctx.version.get(), cursor.get()), move |(_, c)| load_department(id, c));
    let rename = RwSignal::new(node.name.clone());
    // Where it may go: anywhere in the admin's tree outside its own subtree (the server
    // checks again).
    let below = subtree(&tree, id);
    let targets: Vec<DeptNode> = tree.iter().filter(|d| !below.contains(&d.id)).cloned().collect();
    let new_parent = RwSignal::new(node.parent.map(|p| p.to_string()).unwrap_or_default());
    let confirm = RwSignal::new(false);
    let name = node.name.clone();
    let tree = StoredValue::new(tree);
    view! {
        <div class="subpanel" role="region" aria-label=format!("Department {}", node.name)>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                        Ok(d) => view! {
                            <dl class="facts">
                                <dt>"Parent"</dt><dd>{d.parent.clone().unwrap_or_else(|| "None (top level)".into())}</dd>
                                <dt>"Members"</dt><dd>{d.member_count}</dd>
                            </dl>
                            <h3>"Department Admins"</h3>
                            {if d.admins.is_empty() {
                                view! { <p class="muted">"No Department Admin."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="contacts">
                                        {d.admins.into_iter().map(|a| {
                                            let person = a.id;
                                            let who = a.name.clone();
                                            view! {
                                                <li>
                                                    <span class="name">{a.name.clone()}</span> " " <span class="muted">{a.email.clone()}</span>
                                                    {company_admin.then(|| view! {
                                                        " " <button type="button" disabled=move || ctx.busy.get()
                                                            aria-label=format!("Remove {who} as Department Admin")
                                                            on:click=move |_| ctx.run(|_| "Department Admin removed.".to_string(), async move { remove_department_admin(id, person).await })>"Remove"</button>
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {company_admin.then(|| view! {
                                <Picker label="Assign Department Admin" input_id=format!("assign-admin-{id}") action="Assign"
                                    on_pick=Callback::new(move |c: Contact| ctx.run(|_| "Department Admin assigned.".to_string(), async move { assign_department_admin(id, c.id).await }))/>
                            })}
                            <h3>{format!("Members ({})", d.member_count)}</h3>
                            <MemberList entries=d.members.items.clone() mover=Some(tree.get_value()) group=None/>
                            <crate::ui::Pager label="Member pages" prev=d.members.prev.clone() next=d.members.next.clone() cursor/>
                        }.into_any(),
                    }
                })}
            </Transition>
            {node.may_edit.then(|| view! {
                <h3>"Change this department"</h3>
                <form class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let n = rename.get_untracked();
                    ctx.run(|_| "Department renamed.".to_string(), async move { rename_department(id, n).await });
                }>
                    <label for=format!("rename-department-{id}")>"New name"</label>
                    <input id=format!("rename-department-{id}") type="text" maxlength="120" required
                        prop:value=move || rename.get() on:input=move |ev| rename.set(event_target_value(&ev))/>
                    <button type="submit" disabled=move || ctx.busy.get()>"Rename"</button>
                </form>
                <form class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let p = opt_id(&new_parent.get_untracked());
                    ctx.run(|_| "Department moved.".to_string(), async move { move_department(id, p).await });
                }>
                    <label for=format!("move-department-{id}")>"New parent"</label>
                    <select id=format!("move-department-{id}") prop:value=move || new_parent.get() on:change=move |ev| new_parent.set(event_target_value(&ev))>
                        {company_admin.then(|| view! { <option value="">"None (top level)"</option> })}
                        {dept_options(&targets)}
                    </select>
                    <button type="submit" disabled=move || ctx.busy.get()>"Move department"</button>
                </form>
                <button type="button" class="danger" disabled=move || ctx.busy.get() on:click=move |_| confirm.set(true)>"Delete department"</button>
            })}
            <Show when=move || confirm.get()>
                <ConfirmDialog
                    title="Delete department".to_string()
                    message=format!("Delete the department “{name}”? Only an empty department can be deleted.")
                    busy=ctx.busy
                    on_yes=move |_| { confirm.set(false); ctx.run(|_| "Department deleted.".to_string(), async move { delete_department(id).await }); }
                    on_no=move |_| confirm.set(false)
                />
            </Show>
        </div>
    }
}

/// `id` and every department below it, from the admin's tree (parents before children).
fn subtree(tree: &[DeptNode], id: i64) -> std::collections::BTreeSet<i64> {
    let mut out = std::collections::BTreeSet::from([id]);
    for d in tree {
        if d.parent.is_some_and(|p| out.contains(&p)) {
            out.insert(d.id);
        }
    }
    out
}

/// Members of a department (with "Move to department") or of a group (with "Remove").
#[component]
fn MemberList(entries: Vec<MemberEntry>, mover: Option<Vec<DeptNode>>, group: Option<i64>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">"Nobody to show."</p> }.into_any();
    }
    let ctx = expect_context::<Ctx>();
    let tree = StoredValue::new(mover.unwrap_or_default());
    let moving = RwSignal::new(None::<i64>);
    view! {
        <ul class="contacts">
            {entries.into_iter().map(|m| {
                let person = m.contact.id;
                let who = m.contact.name.clone();
                let target = RwSignal::new(String::new());
                let can_move = m.may_change && group.is_none() && !tree.with_value(|t| t.is_empty());
                view! {
                    <li>
                        <span class="name">{m.contact.name.clone()}</span> " " <span class="muted">{m.contact.department.clone()}</span>
                        {can_move.then(|| {
                            view! {
                                " " <button type="button" aria-expanded=move || (moving.get() == Some(person)).to_string()
                                    on:click=move |_| moving.update(|o| *o = if *o == Some(person) { None } else { Some(person) })>"Move to department"</button>
                            }
                        })}
                        {move || (moving.get() == Some(person)).then(|| view! {
                            <form class="inline-form" on:submit=move |ev| {
                                ev.prevent_default();
                                if let Some(d) = opt_id(&target.get_untracked()) {
                                    ctx.run(|_| "Moved to the department.".to_string(), async move { move_to_department(person, d).await });
                                }
                            }>
                                <label for=format!("move-person-{person}")>"Department"</label>
                                <select id=format!("move-person-{person}") required on:change=move |ev| target.set(event_target_value(&ev))>
                                    <option value="">"Choose…"</option>
                                    {tree.with_value(|t| dept_options(t))}
                                </select>
                                <button type="submit" disabled=move || ctx.busy.get()>"Move"</button>
                            </form>
                        })}
                        {group.filter(|_| m.may_change).map(|g| view! {
                            " " <button type="button" disabled=move || ctx.busy.get() aria-label=format!("Remove {who} from the group")
                                on:click=move |_| ctx.run(|_| "Removed from the group.".to_string(), async move { remove_group_member(g, person).await })>"Remove"</button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A search for members of the admin's reach (never a guest): each result has a button
/// that hands the person to `on_pick`.
#[component]
fn Picker(label: &'static str, input_id: String, action: &'static str, on_pick: Callback<Contact>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<Contact>, String>>);
    // Asked in the browser only (the panel opens on a click), newest answer wins.
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let q = text.get();
        let n = asked.get_value() + 1;
        asked.set_value(n);
        if q.trim().chars().count() < 2 {
            found.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let r = member_candidates(q).await.map_err(|e| e.to_string());
            if asked.try_get_value() == Some(n) {
                found.set(Some(r));
            }
        });
    });
    let list_label = format!("People found for {}", label.to_lowercase());
    view! {
        <div class="picker-box">
            <label for=input_id.clone()>{label}</label>
            <input id=input_id type="search" autocomplete="off" placeholder="A member's name or email, 2 characters or more"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
            {move || found.get().map(|r| match r {
                Err(e) => view! { <crate::ui::ErrorNote message=e/> }.into_any(),
                Ok(people) if people.is_empty() => view! { <p class="muted">"No member matches."</p> }.into_any(),
                Ok(people) => view! {
                    <ul class="picker" aria-label=list_label.clone()>
                        {people.into_iter().map(|c| {
                            let name = c.name.clone();
                            let dept = c.department.clone();
                            view! {
                                <li>
                                    <button type="button" class="link" aria-label=format!("{action} {name}") on:click=move |_| {
                                        on_pick.run(c.clone());
                                        text.set(String::new());
                                    }>{format!("{action} {name}")}</button>
                                    " " <span class="muted">{dept}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </div>
    }
}

#[component]
fn NewGroup() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = RwSignal::new(String::new());
    view! {
        <details class="subpanel">
            <summary>"New group"</summary>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let n = name.get_untracked();
                ctx.run(|_| "Group created.".to_string(), async move { create_group(n).await });
            }>
                <label for="new-group-name">"Group name"</label>
                <input id="new-group-name" type="text" maxlength="120" required
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="primary" disabled=move || ctx.busy.get()>"Create group"</button>
            </form>
        </details>
    }
}

#[component]
fn Groups(list: Vec<GroupNode>, company_admin: bool, tree: Vec<DeptNode>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No groups."</p> }.into_any();
    }
    let open = expect_context::<Ctx>().open_group;
    // A Department Admin adds only members of their departments.
    let may_add = company_admin || !tree.is_empty();
    view! {
        <ul class="tree">
            {list.into_iter().map(|g| {
                let id = g.id;
                let label = format!("{} ({})", g.name, members_label(g.members));
                let node = g.clone();
                view! {
                    <li class="tree-item">
                        <button type="button" class="link" aria-expanded=move || (open.get() == Some(id)).to_string()
                            on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>{label}</button>
                        {move || (open.get() == Some(id)).then(|| view! { <GroupPanel node=node.clone() company_admin may_add/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn GroupPanel(node: GroupNode, company_admin: bool, may_add: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = node.id;
    let cursor = RwSignal::new(None::<String>);
    let data = Resource::new(move || (ctx.version.get(), cursor.get()), move |(_, c)| load_group(id, c));
    let chosen = RwSignal::new(Vec::<Contact>::new());
    let rename = RwSignal::new(node.name.clone());
    let confirm = RwSignal::new(false);
    let name = node.name.clone();
    view! {
        <div class="subpanel" role="region" aria-label=format!("Group {}", node.name)>
            {node.is_all.then(|| view! { <p class="muted">"All holds every member of the organization automatically (never a guest) and cannot be edited."</p> })}
            {(!node.is_all && may_add).then(|| view! {
                <Picker label="Find members" input_id=format!("find-members-{id}") action="Choose"
                    on_pick=Callback::new(move |c: Contact| chosen.update(|v| if !v.iter().any(|x| x.id == c.id) { v.push(c) }))/>
                {move || (!chosen.with(Vec::is_empty)).then(|| view! {
                    <ul class="chips" aria-label="Chosen members">
                        {chosen.get().into_iter().map(|c| {
                            let cid = c.id;
                            view! { <li>{c.name.clone()} " " <button type="button" class="link" aria-label=format!("Unchoose {}", c.name)
                                on:click=move |_| chosen.update(|v| v.retain(|x| x.id != cid))>"×"</button></li> }
                        }).collect_view()}
                    </ul>
                })}
                <button type="button" class="primary" disabled=move || ctx.busy.get() || chosen.with(Vec::is_empty) on:click=move |_| {
                    let ids: Vec<i64> = chosen.get_untracked().iter().map(|c| c.id).collect();
                    ctx.run(|n: &usize| format!("{n} {} added to the group.", if *n == 1 { "person" } else { "people" }), async move { add_group_members(id, ids).await });
                }>"Add members"</button>
            })}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <crate::ui::ErrorNote message=e.to_string()/> }.into_any(),
                        Ok(g) => view! {
                            <h3>{format!("Members ({})", g.member_count)}</h3>
                            <MemberList entries=g.members.items.clone() mover=None group=Some(id)/>
                            <crate::ui::Pager label="Member pages" prev=g.members.prev.clone() next=g.members.next.clone() cursor/>
                        }.into_any(),
                    }
                })}
            </Transition>
            {(company_admin && !node.is_all).then(|| view! {
                <h3>"Change this group"</h3>
                <form class="inline-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let n = rename.get_untracked();
                    ctx.run(|_| "Group renamed.".to_string(), async move { rename_group(id, n).await });
                }>
                    <label for=format!("rename-group-{id}")>"New name"</label>
                    <input id=format!("rename-group-{id}") type="text" maxlength="120" required
                        prop:value=move || rename.get() on:input=move |ev| rename.set(event_target_value(&ev))/>
                    <button type="submit" disabled=move || ctx.busy.get()>"Rename"</button>
                </form>
                <button type="button" class="danger" disabled=move || ctx.busy.get() on:click=move |_| confirm.set(true)>"Delete group"</button>
            })}
            <Show when=move || confirm.get()>
                <ConfirmDialog
                    title="Delete group".to_string()
                    message=format!("Delete the group “{name}”? Its members stay in the organization.")
                    busy=ctx.busy
                    on_yes=move |_| { confirm.set(false); ctx.run(|_| "Group deleted.".to_string(), async move { delete_group(id).await }); }
                    on_no=move |_| confirm.set(false)
                />
            </Show>
        </div>
    }
}

/// Incorporate's "Department": where the guests go as members — their sponsor
/// department unless the admin picks another of their departments. Loaded when the
/// dialog opens (in the browser).
#[component]
pub(crate) fn DepartmentChoice(selected: RwSignal<String>) -> impl IntoView {
    let tree = RwSignal::new(Vec::<DeptNode>::new());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(p) = load_structure().await {
                tree.set(p.departments);
            }
        });
    });
    view! {
        <label for="incorporate-department">"Department"</label>
        <select id="incorporate-department" prop:value=move || selected.get() on:change=move |ev| selected.set(event_target_value(&ev))>
            <option value="">"Their sponsor department"</option>
            {move || tree.with(|t| dept_options(t))}
        </select>
    }
}
