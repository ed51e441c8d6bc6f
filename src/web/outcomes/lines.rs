//! One action on one line, as the outcomes page, the board, the salon page and /me show it.

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::outcome::Status;
use crate::store::outcomes::Action;
use crate::web::context::Ctx;
use crate::web::views::csrf_field;

/// One action: what, who, by when, its state; `base` when the viewer may mark it done.
pub fn action_line(ctx: &Ctx, a: &Action, base: Option<&str>) -> Markup {
    let l = ctx.lang();
    let who = a.who();
    html! {
        span class=(if a.status() == Status::Done { "badge" } else { "badge badge-open" }) { (t!(format!("outcome.status.{}", a.status().as_str()), locale = l)) }
        " " (a.what)
        @if !who.is_empty() { " – " (who) }
        @if let Some(d) = a.due { " – " (t!("outcome.due", locale = l, date = crate::i18n::timefmt::day(d, l))) }
        @if let (Some(id), Some(d)) = (a.decision_id, &a.decision) {
            " – " a href=(format!("/salons/{}/outcomes#decision-{id}", a.salon_id)) { (t!("outcome.from_decision", locale = l, decision = d.chars().take(60).collect::<String>())) }
        }
        @if let (Some(id), Some(title)) = (a.theme_id, &a.theme) {
            " – " a href=(format!("/themes/{id}")) { (t!("outcome.for_theme", locale = l, theme = title)) }
        }
        @if let Some(base) = base {
            @let next = if a.status() == Status::Done { Status::Open } else { Status::Done };
            form method="post" action=(format!("{base}/actions/{}/{}", a.id, next.as_str())) class="inline" {
                (csrf_field(ctx)) " "
                button type="submit" class="link" { (t!(format!("outcome.mark.{}", next.as_str()), locale = l)) }
            }
        }
    }
}
