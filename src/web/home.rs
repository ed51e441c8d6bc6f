//! The front page.

use axum::Router;
use axum::routing::get;
use maud::{Markup, html};
use rust_i18n::t;

use super::context::Ctx;
use super::views::page;
use crate::app::SharedApp;

pub fn router() -> Router<SharedApp> {
    Router::new().route("/", get(front_page))
}

async fn front_page(ctx: Ctx) -> Markup {
    let l = ctx.lang();
    page(
        &ctx,
        &t!("home.title", locale = l),
        html! {
            h1 { (t!("home.title", locale = l)) }
            p class="lead" { (t!("home.lead", locale = l)) }
            section aria-labelledby="upcoming" {
                h2 id="upcoming" { (t!("home.upcoming", locale = l)) }
                p { (t!("home.empty", locale = l)) }
            }
            section aria-labelledby="how" class="panel" {
                h2 id="how" { (t!("home.how_title", locale = l)) }
                ol {
                    li { (t!("home.how_1", locale = l)) }
                    li { (t!("home.how_2", locale = l)) }
                    li { (t!("home.how_3", locale = l)) }
                }
                @if ctx.user.is_none() {
                    p { a href="/login" { (t!("home.sign_in_cta", locale = l)) } }
                }
            }
        },
    )
}
