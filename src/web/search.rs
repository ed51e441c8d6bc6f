//! Search (`/search?q=&kind=&series=`): salons, agendas, themes and comments, decisions,
//! actions, proposals, materials' titles and room messages, best first, with the matching
//! words marked; filtered by kind and series. What the reader may not see never comes back
//! (`store::search`). A plain GET form: works without JavaScript, and a result is a link.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::context::Ctx;
use super::salon_page::is_organiser;
use super::views::{local_time, page};
use crate::app::SharedApp;
use crate::domain::search::{self, KINDS, Piece};
use crate::error::AppResult;
use crate::i18n::plural;
use crate::ids::SeriesId;
use crate::store::search::{Filter, Hit, Reader};

/// The most results shown.
pub const SHOWN: i64 = 50;
/// About how long a snippet is, in characters.
const SNIPPET: usize = 220;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    kind: String,
    series: String,
}

/// `GET /search`.
pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Query(sq): Query<SearchQuery>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let all_series = crate::store::series::all(&app.db).await?;
    let filter = Filter {
        kind: KINDS.iter().copied().find(|k| *k == sq.kind),
        series: sq
            .series
            .parse::<i64>()
            .ok()
            .map(SeriesId)
            .filter(|id| all_series.iter().any(|s| s.id == *id)),
    };
    if sq.q.trim().is_empty() {
        return Ok(render(&ctx, &sq, &all_series, None, None).into_response());
    }
    let query = match search::parse(&sq.q) {
        Ok(q) => q,
        Err(r) => {
            let message = t!(format!("search.error.{}", r.code()), locale = l).to_string();
            let page = render(&ctx, &sq, &all_series, None, Some(message));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let reader = Reader {
        person: ctx.user.as_ref().map(|u| u.id),
        organiser: is_organiser(&ctx),
    };
    let hits = crate::store::search::search(&app.db, &query, reader, &filter, SHOWN).await?;
    let results: Vec<(Hit, Vec<Piece>)> = hits
        .into_iter()
        .map(|h| {
            let text = if h.body.trim().is_empty() {
                h.title.clone()
            } else {
                h.body.clone()
            };
            let snippet = search::snippet(&query, &text, SNIPPET);
            (h, snippet)
        })
        .collect();
    Ok(render(&ctx, &sq, &all_series, Some(&results), None).into_response())
}

/// Where a hit is read in full.
fn href(h: &Hit) -> String {
    let salon = h.salon_id.unwrap_or(0);
    match h.kind.as_str() {
        "salon" => format!("/salons/{}", h.a),
        "agenda" => format!("/salons/{salon}"),
        "theme" => format!("/themes/{}", h.a),
        "comment" => format!("/themes/{}", h.b),
        "decision" | "action" => format!("/salons/{salon}/outcomes"),
        "proposal" => format!("/proposals/{}", h.a),
        "material" => format!("/salons/{salon}/materials"),
        "message" => format!("/salons/{salon}/room?room={}#m{}", h.a, h.b),
        _ => "/".into(),
    }
}

/// A hit's heading: its own title, or what it is and where.
fn heading(h: &Hit, l: &str) -> String {
    if !h.title.is_empty() {
        return h.title.clone();
    }
    let place = h
        .salon_title
        .clone()
        .or_else(|| h.series_title.clone())
        .unwrap_or_default();
    t!(format!("search.in.{}", h.kind), locale = l, place = place).to_string()
}

fn render(
    ctx: &Ctx,
    sq: &SearchQuery,
    all_series: &[crate::store::series::Series],
    results: Option<&[(Hit, Vec<Piece>)]>,
    error: Option<String>,
) -> Markup {
    let l = ctx.lang();
    let kind_label = |k: &str| t!(format!("search.kind.{k}"), locale = l).to_string();
    page(
        ctx,
        &t!("search.title", locale = l),
        html! {
            h1 { (t!("search.title", locale = l)) }
            form method="get" action="/search" role="search" class="stacked search-form" {
                div class="field" {
                    label for="q" { (t!("search.field.q", locale = l)) }
                    input type="search" id="q" name="q" value=(sq.q) maxlength=(search::QUERY_MAX)
                        aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=[error.as_ref().map(|_| "q-error")];
                    @if let Some(e) = &error { p class="field-error" id="q-error" { (e) } }
                }
                div class="field" {
                    label for="kind" { (t!("search.field.kind", locale = l)) }
                    select id="kind" name="kind" {
                        option value="" { (t!("search.kind.all", locale = l)) }
                        @for k in KINDS { option value=(k) selected[sq.kind == k] { (kind_label(k)) } }
                    }
                }
                div class="field" {
                    label for="series" { (t!("search.field.series", locale = l)) }
                    select id="series" name="series" {
                        option value="" { (t!("search.series.all", locale = l)) }
                        @for s in all_series { option value=(s.id) selected[sq.series == s.id.to_string()] { (s.title) } }
                    }
                }
                div { button type="submit" { (t!("search.submit", locale = l)) } }
            }
            @if let Some(results) = results {
                section aria-labelledby="results-title" {
                    h2 id="results-title" { (t!("search.results", locale = l)) }
                    p role="status" {
                        @if results.is_empty() { (t!("search.none", locale = l, q = sq.q.trim())) }
                        @else { (plural("search.found", results.len() as i64, l)) }
                        @if results.len() as i64 == SHOWN { " " (t!("search.best_shown", locale = l)) }
                    }
                    ol class="search-results" {
                        @for (h, snippet) in results {
                            li data-kind=(h.kind) {
                                span class="badge" { (kind_label(&h.kind)) }
                                " " a href=(href(h)) { (heading(h, l)) }
                                p class="snippet" { @for (text, marked) in snippet { @if *marked { mark { (text) } } @else { (text) } } }
                                p class="muted" {
                                    @if let Some(s) = h.salon_title.as_ref().or(h.series_title.as_ref()) { (s) " · " }
                                    (local_time(ctx, &h.at))
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
