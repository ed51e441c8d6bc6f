//! What a theme led to: the decisions that settle it and the actions that work towards it
//! (named directly or through their decision), across the series' salons. Shown to signed-in
//! members only, as the board is: actions carry people's names.

use maud::{Markup, html};
use rust_i18n::t;

use crate::app::SharedApp;
use crate::error::AppResult;
use crate::store::outcomes;
use crate::store::themes::Theme;
use crate::web::context::Ctx;
use crate::web::salon_page::is_organiser;

pub async fn outcomes_section(app: &SharedApp, ctx: &Ctx, th: &Theme) -> AppResult<Markup> {
    if ctx.user.is_none() {
        return Ok(html! {});
    }
    let l = ctx.lang();
    let drafts = crate::store::Drafts::for_organiser(is_organiser(ctx));
    let (decisions, actions) = outcomes::of_theme(&app.db, th.id, drafts).await?;
    Ok(html! {
        section aria-labelledby="theme-outcomes" {
            h2 id="theme-outcomes" { (t!("theme.outcomes", locale = l)) }
            @if decisions.is_empty() && actions.is_empty() {
                p class="muted" { (t!("theme.no_outcomes", locale = l)) }
            }
            @if !decisions.is_empty() {
                h3 { (t!("outcome.decisions", locale = l)) }
                ul { @for d in &decisions {
                    li { (d.body) " – " a href=(format!("/salons/{}/outcomes#decision-{}", d.salon_id, d.id)) { (crate::web::views::local_time(ctx, &d.created_at)) } }
                } }
            }
            @if !actions.is_empty() {
                h3 { (t!("outcome.actions", locale = l)) }
                ul { @for a in &actions { li { (crate::web::outcomes::action_line(ctx, a, None)) } } }
            }
        }
    })
}
