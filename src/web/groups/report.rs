//! The working groups reporting back: "From the working groups" on the series' salons to come
//! (each group's latest update and the deliverables due since the salon before), and the
//! groups on the strategy board and in its Markdown.

use std::fmt::Write as _;

use maud::{Markup, html};
use rust_i18n::t;

use super::view::{state_label, status_badge};
use crate::domain::group::State;
use crate::i18n::timefmt::day;
use crate::store::group_work::{Deliverable, Report};
use crate::store::groups::Group;
use crate::web::context::Ctx;
use crate::web::markdown;
use crate::web::views::local_time;

/// "From the working groups" on a salon's page (signed-in readers: members' words).
pub fn salon_section(ctx: &Ctx, reports: &[Report]) -> Markup {
    let l = ctx.lang();
    html! {
        @if ctx.user.is_some() && !reports.is_empty() {
            section aria-labelledby="from-groups" class="panel" {
                h2 id="from-groups" { (t!("group.from_groups", locale = l)) }
                @for r in reports {
                    h3 { a href=(format!("/groups/{}", r.group.id)) { (r.group.name) } " " (status_badge(r.latest.as_ref().map(|u| u.status.as_str()), l)) }
                    @match &r.latest {
                        Some(u) => {
                            blockquote {
                                @for para in u.body.split("\n\n") { p { (para) } }
                                p class="muted" { (u.author.as_deref().map(String::from).unwrap_or_else(|| t!("people.former", locale = l).to_string())) ", " (local_time(ctx, &u.created_at)) }
                            }
                        }
                        None => { p class="muted" { (t!("group.no_updates", locale = l)) } }
                    }
                    @if !r.due.is_empty() {
                        p { (t!("group.due_before", locale = l)) }
                        ul { @for d in &r.due { li { (d.title) " – " (day(d.due_on, l)) " – " (state_label(d.state(), l)) } } }
                    }
                }
            }
        }
    }
}

/// The board's section: every group with how it stands and what it delivers next.
pub fn board_section(
    series: crate::ids::SeriesId,
    groups: &[Group],
    due: &[Deliverable],
    l: &str,
) -> Markup {
    html! {
        section aria-labelledby="board-groups" {
            h2 id="board-groups" { (t!("group.board_title", locale = l)) }
            @if groups.is_empty() { p class="muted" { (t!("group.empty", locale = l)) } }
            ul {
                @for g in groups {
                    @let next = due.iter().find(|d| d.group_id == g.id && d.state() != State::Delivered);
                    li {
                        a href=(format!("/groups/{}", g.id)) { (g.name) } " " (status_badge(g.status.as_deref(), l))
                        @if let Some(c) = &g.coordinator { " – " (t!("group.field.coordinator", locale = l)) ": " (c) }
                        @if let Some(d) = next { " – " (t!("group.next_deliverable", locale = l)) ": " (d.title) ", " (day(d.due_on, l)) }
                    }
                }
            }
            p class="no-print" { a href=(format!("/series/{series}/groups")) { (t!("group.all_link", locale = l)) } }
        }
    }
}

/// The groups in the board's Markdown: each with its status, coordinator and deliverables.
pub fn board_markdown(md: &mut String, groups: &[Group], due: &[Deliverable], l: &str) {
    let _ = write!(md, "\n## {}\n\n", t!("group.board_title", locale = l));
    for g in groups {
        let status = match g.status.as_deref() {
            Some(s) => t!(format!("group.status.{s}"), locale = l).to_string(),
            None => t!("group.status.none", locale = l).to_string(),
        };
        let coordinator = g
            .coordinator
            .as_deref()
            .map(|c| {
                format!(
                    "; {}: {}",
                    t!("group.field.coordinator", locale = l),
                    markdown::inline(c)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "- {} ({status}{coordinator})",
            markdown::inline(&g.name)
        );
        for d in due.iter().filter(|d| d.group_id == g.id) {
            let done = if d.state() == State::Delivered {
                "x"
            } else {
                " "
            };
            let _ = writeln!(
                md,
                "  - [{done}] {} ({})",
                markdown::inline(&d.title),
                d.due_on
            );
        }
    }
}
