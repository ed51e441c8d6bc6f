//! The roadmap (`/landscape/roadmap`): agreements and services on a time axis, each a bar from
//! its start to its end with a diamond at its renegotiation, drawn on the server as SVG. Readable
//! without colour (a known span is a solid bar, an unknown or clipped end is an open outline;
//! the renegotiation is a shape, and the legend says so), and with its table alternative under
//! it holding every date; printable; and as CSV (`/landscape/roadmap.csv`, and the whole
//! register as `/landscape.csv`).

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use rust_i18n::t;

use super::view::display_name;
use crate::app::SharedApp;
use crate::domain::landscape::roadmap::{Dates, layout};
use crate::error::AppResult;
use crate::i18n::timefmt::day;
use crate::store::landscape::{self as store, Filter, Item};
use crate::web::context::Ctx;
use crate::web::participants::{csv_download, push_row};
use crate::web::views::page;

/// The drawing's size in its own units (it scales to the page's width).
const WIDTH: f64 = 960.0;
const LABELS: f64 = 300.0;
const ROW: f64 = 30.0;
const TOP: f64 = 34.0;

pub async fn roadmap(State(app): State<SharedApp>, ctx: Ctx) -> AppResult<Markup> {
    let l = ctx.lang();
    let drawn = super::cached(&app, (l, "roadmap".into()), || async {
        let items = store::dated(&app.db).await?;
        Ok(drawing(l, &items).into_string())
    })
    .await?;
    Ok(page(
        &ctx,
        &t!("landscape.roadmap_title", locale = l),
        html! {
            p class="kicker" { a href="/landscape" { (t!("landscape.title", locale = l)) } }
            h1 { (t!("landscape.roadmap_title", locale = l)) }
            p { (t!("landscape.roadmap_intro", locale = l)) }
            p { a href="/landscape/roadmap.csv" download { (t!("landscape.roadmap_csv", locale = l)) } " · " a href="#roadmap-table" { (t!("landscape.roadmap_table_link", locale = l)) } }
            (maud::PreEscaped(drawn.as_str()))
        },
    ))
}

/// The drawing and its table (or a line saying there is nothing to draw): the same for every
/// reader in a language, so it is kept in the landscape cache.
fn drawing(l: &str, items: &[Item]) -> Markup {
    let today = crate::domain::time::now().date_naive();
    let dates: Vec<Dates> = items
        .iter()
        .map(|i| Dates {
            starts_on: i.starts_on,
            ends_on: i.ends_on,
            renegotiate_on: i.renegotiate_on,
        })
        .collect();
    let axis = layout(&dates, today);
    let span = WIDTH - LABELS - 10.0;
    let x = |f: f64| LABELS + f * span;
    let height = TOP + ROW * items.len() as f64 + 10.0;
    let years: Vec<i32> = (axis.first_year..axis.end_year).collect();
    let year_width = span / years.len().max(1) as f64;
    let name_of = |i: &Item| display_name(&i.name, &i.abbreviation);
    html! {
            @if items.is_empty() { p { (t!("landscape.roadmap_empty", locale = l)) } }
            @else {
                figure class="roadmap" {
                    // On a phone the drawing keeps a readable size and scrolls in its own
                    // frame (focusable, so a keyboard can scroll it); the page does not.
                    div class="chart" tabindex="0" role="region" aria-label=(t!("landscape.roadmap_title", locale = l)) {
                    svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {height}")) role="img" aria-labelledby="roadmap-svg-title roadmap-svg-desc" {
                        title id="roadmap-svg-title" { (t!("landscape.roadmap_title", locale = l)) }
                        desc id="roadmap-svg-desc" { (crate::i18n::plural("landscape.roadmap_desc", items.len() as i64, l)) }
                        @for (n, y) in years.iter().enumerate() {
                            @let left = LABELS + n as f64 * year_width;
                            line class="year" x1=(left) x2=(left) y1="20" y2=(height - 6.0) {}
                            text class="year" x=(left + year_width / 2.0) y="16" text-anchor="middle" { (y) }
                        }
                        @if let Some(t) = axis.today {
                            line class="today" x1=(x(t)) x2=(x(t)) y1="20" y2=(height - 6.0) {}
                        }
                        @for (n, (i, r)) in items.iter().zip(&axis.rows).enumerate() {
                            @let y = TOP + n as f64 * ROW;
                            g class=(format!("row {}", i.kind)) {
                                text class="label" x=(LABELS - 8.0) y=(y + 15.0) text-anchor="end" { (truncate(&name_of(i), 38)) }
                                rect class=(if r.open_start || r.open_end { "bar open" } else { "bar" }) x=(x(r.from)) y=(y + 4.0) width=((x(r.to) - x(r.from)).max(2.0)) height="16" {}
                                @if let Some(re) = r.renegotiate {
                                    @let cx = x(re);
                                    polygon class="renegotiate" points=(format!("{},{} {},{} {},{} {},{}", cx, y + 2.0, cx + 8.0, y + 12.0, cx, y + 22.0, cx - 8.0, y + 12.0)) {}
                                }
                            }
                        }
                    }
                    }
                    figcaption {
                        span class="legend-bar" aria-hidden="true" {} " " (t!("landscape.legend_span", locale = l)) " · "
                        span class="legend-open" aria-hidden="true" {} " " (t!("landscape.legend_open", locale = l)) " · "
                        span class="legend-renegotiate" aria-hidden="true" { "◆" } " " (t!("landscape.legend_renegotiate", locale = l)) " · "
                        span class="legend-today" aria-hidden="true" {} " " (t!("landscape.legend_today", locale = l))
                    }
                }
                div class="table-wrap" {
                    table id="roadmap-table" class="roadmap-table" {
                        caption { (t!("landscape.roadmap_table", locale = l)) }
                        thead { tr {
                            th scope="col" { (t!("landscape.field.name", locale = l)) }
                            th scope="col" { (t!("landscape.field.owner", locale = l)) }
                            th scope="col" { (t!("landscape.field.starts_on", locale = l)) }
                            th scope="col" { (t!("landscape.field.renegotiate_on", locale = l)) }
                            th scope="col" { (t!("landscape.field.ends_on", locale = l)) }
                        } }
                        tbody {
                            @for i in items {
                                tr data-item=(i.id) {
                                    th scope="row" { a href=(format!("/landscape/{}", i.id)) { (name_of(i)) } }
                                    td { (i.owner_short.as_deref().unwrap_or("")) }
                                    td { @if let Some(d) = i.starts_on { (day(d, l)) } }
                                    td { @if let Some(d) = i.renegotiate_on { (day(d, l)) } }
                                    td { @if let Some(d) = i.ends_on { (day(d, l)) } }
                                }
                            }
                        }
                    }
                }
            }
    }
}

/// A label that fits its column in the drawing (the table has it whole).
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub async fn roadmap_csv(State(app): State<SharedApp>) -> AppResult<Response> {
    let mut out = String::from("\u{feff}");
    push_row(
        &mut out,
        &[
            "id",
            "name",
            "abbreviation",
            "kind",
            "owner",
            "supplier",
            "starts_on",
            "renegotiate_on",
            "ends_on",
        ]
        .map(String::from),
    );
    for i in store::dated(&app.db).await? {
        push_row(
            &mut out,
            &[
                i.id.to_string(),
                i.name.clone(),
                i.abbreviation.clone(),
                i.kind.clone(),
                i.owner_short.clone().unwrap_or_default(),
                i.supplier.clone(),
                date(i.starts_on),
                date(i.renegotiate_on),
                date(i.ends_on),
            ],
        );
    }
    Ok(csv_download("roadmap.csv", out))
}

/// The whole register as CSV (`/landscape.csv`).
pub async fn csv(State(app): State<SharedApp>) -> AppResult<Response> {
    let mut out = String::from("\u{feff}");
    push_row(
        &mut out,
        &[
            "id",
            "name",
            "abbreviation",
            "kind",
            "owner",
            "countries",
            "used_by",
            "economy",
            "amount",
            "currency",
            "governance",
            "supplier",
            "starts_on",
            "renegotiate_on",
            "ends_on",
            "depends_on",
        ]
        .map(String::from),
    );
    let users = store::all_users(&app.db).await?;
    let deps = store::all_dependencies(&app.db).await?;
    for i in store::list(&app.db, &Filter::default()).await? {
        push_row(
            &mut out,
            &[
                i.id.to_string(),
                i.name.clone(),
                i.abbreviation.clone(),
                i.kind.clone(),
                i.owner_short.clone().unwrap_or_default(),
                i.countries().join(" "),
                users
                    .iter()
                    .filter(|u| u.0 == i.id)
                    .map(|u| u.1.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
                i.economy.clone(),
                i.amount.map(|a| a.to_string()).unwrap_or_default(),
                i.currency.clone(),
                i.governance.clone(),
                i.supplier.clone(),
                date(i.starts_on),
                date(i.renegotiate_on),
                date(i.ends_on),
                deps.iter()
                    .filter(|d| d.0 == i.id)
                    .map(|d| d.2.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ],
        );
    }
    Ok(csv_download("landscape.csv", out))
}
