//! Participation in a series (`/series/{id}/attendance`, signed in): how many of each
//! organisation's people were at each of the series' salons, as a table, and the totals as a
//! small bar chart drawn on the server (the table is its text alternative; the bars carry no
//! meaning by colour). Counts only, never names.

use axum::extract::{Path, State};
use maud::{Markup, html};
use rust_i18n::t;

use super::auth::SignedIn;
use super::context::Ctx;
use super::extract::parse_id;
use super::views::page;
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::SeriesId;
use crate::store::{attendance, salons, series};

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(_me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let s = series::get(&app.db, parse_id::<SeriesId>(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = salons::in_series(&app.db, s.id, false).await?;
    let rows = attendance::of_series(&app.db, s.id).await?;
    // One line per organisation (people of none last), one column per salon.
    let mut orgs: Vec<Option<String>> = Vec::new();
    for r in &rows {
        if !orgs.contains(&r.organisation) {
            orgs.push(r.organisation.clone());
        }
    }
    orgs.sort_by(|a, b| (a.is_none(), a).cmp(&(b.is_none(), b)));
    let count = |org: &Option<String>, salon| {
        rows.iter()
            .find(|r| r.organisation == *org && r.salon_id == salon)
            .map_or(0, |r| r.present)
    };
    let totals: Vec<(String, i64)> = orgs
        .iter()
        .map(|o| {
            (
                o.clone()
                    .unwrap_or_else(|| t!("proposal.no_organisation", locale = l).to_string()),
                list.iter().map(|x| count(o, x.id)).sum(),
            )
        })
        .collect();
    let top = totals.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let bar_h = 24;
    let label_w = 180;
    let chart_w = 560;
    Ok(page(
        &ctx,
        &t!("participation.title", locale = l, series = s.title),
        html! {
            p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } }
            h1 { (t!("participation.heading", locale = l)) }
            @if rows.is_empty() {
                p { (t!("participation.empty", locale = l)) }
            } @else {
                figure class="participation-chart" {
                    svg role="img" aria-labelledby="chart-caption" width=(chart_w) height=(bar_h * totals.len() as i64 + 8) viewBox=(format!("0 0 {chart_w} {}", bar_h * totals.len() as i64 + 8)) {
                        @for (i, (name, n)) in totals.iter().enumerate() {
                            @let y = i as i64 * bar_h + 4;
                            @let w = (chart_w - label_w - 40) * *n / top;
                            text x="0" y=(y + 16) font-size="14" { (name) }
                            rect x=(label_w) y=(y + 2) width=(w.max(1)) height=(bar_h - 6) fill="#2b5d6e" {}
                            text x=(label_w + w + 6) y=(y + 16) font-size="14" { (n) }
                        }
                    }
                    figcaption id="chart-caption" { (t!("participation.chart", locale = l)) }
                }
                div class="table-wrap" {
                    table {
                        caption { (t!("participation.caption", locale = l)) }
                        thead { tr {
                            th scope="col" { (t!("proposal.organisation", locale = l)) }
                            @for x in &list { th scope="col" { a href=(format!("/salons/{}", x.id)) { (x.title) } } }
                            th scope="col" { (t!("proposal.in_all", locale = l)) }
                        } }
                        tbody {
                            @for (o, (name, total)) in orgs.iter().zip(&totals) {
                                tr {
                                    th scope="row" { (name) }
                                    @for x in &list { td { (count(o, x.id)) } }
                                    td data-total=(total) { (total) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
