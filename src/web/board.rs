//! The series' strategy board (`/series/{id}/board`, for signed-in members): where the
//! alliance stands. Themes by state and support, every closed priority round with its results,
//! the decisions, and the actions with owners and status, filtered by organisation ("who does
//! what"). Printable (the stylesheet's print rules fit A4) and as Markdown (`board.md`).

use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use maud::{Markup, PreEscaped, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::SignedIn;
use super::context::Ctx;
use super::extract::parse_id;
use super::markdown;
use super::views::page;
use crate::app::SharedApp;
use crate::domain::theme::State as ThemeState;
use crate::error::{AppError, AppResult};
use crate::ids::SeriesId;
use crate::store::outcomes::{self, Action, Decision};
use crate::store::rounds::{self, Round, RoundOption};
use crate::store::series::{self, Series};
use crate::store::themes::{self, Theme};
use crate::store::{Drafts, organisations};

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    org: Option<String>,
}

/// Everything the board shows.
struct Board {
    series: Series,
    /// The series' salons, to name each decision's salon and date.
    salons: Vec<crate::store::salons::Listed>,
    themes: Vec<Theme>,
    rounds: Vec<(Round, Vec<RoundOption>)>,
    decisions: Vec<Decision>,
    actions: Vec<Action>,
    groups: Vec<crate::store::groups::Group>,
    /// The groups' deliverables.
    deliverables: Vec<crate::store::group_work::Deliverable>,
    /// The landscape's items the series' work names.
    named: Vec<crate::store::concerns::Named>,
}

async fn load(
    app: &SharedApp,
    id: SeriesId,
    org: Option<&str>,
    drafts: Drafts,
) -> AppResult<Board> {
    let series = series::get(&app.db, id).await?.ok_or(AppError::NotFound)?;
    let salons =
        crate::store::salons::in_series(&app.db, series.id, drafts == Drafts::Included).await?;
    let mut rounds_with = Vec::new();
    for r in rounds::closed_of_series(&app.db, series.id, drafts).await? {
        let options = rounds::options(&app.db, r.id).await?;
        rounds_with.push((r, options));
    }
    let mut actions = outcomes::actions_of_series(&app.db, series.id, drafts).await?;
    if let Some(short) = org.filter(|s| !s.is_empty()) {
        let id = organisations::by_short_name(&app.db, short)
            .await?
            .map(|o| o.id);
        // An organisation's actions: given to it, or owned by one of its people.
        actions
            .retain(|a| id.is_some() && (a.organisation_id == id || a.owner_organisation_id == id));
    }
    Ok(Board {
        themes: themes::of_series(&app.db, series.id, None, crate::store::Window::ALL).await?,
        decisions: outcomes::decisions_of_series(&app.db, series.id, drafts).await?,
        rounds: rounds_with,
        actions,
        groups: crate::store::groups::of_series(&app.db, series.id).await?,
        named: crate::store::concerns::items_of_series(&app.db, series.id, drafts).await?,
        deliverables: crate::store::group_work::due_in_series(&app.db, series.id, None).await?,
        series,
        salons,
    })
}

/// The board, rendered once per series, language and organisation filter, and reused until
/// the strategy work changes (any instance's change announced to this one) or ten seconds pass
/// (the safety net for a missed announcement and for changes made outside the rooms' reach).
/// What is left per request is the page frame.
pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<BoardQuery>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let series_id: SeriesId = parse_id(&id)?;
    let org = q.org.unwrap_or_default();
    let generation = (
        app.generations.strategy(),
        crate::domain::time::now().timestamp() / 10,
    );
    // Organisers see what belongs to draft salons; everyone else a board without it.
    let drafts = Drafts::for_organiser(super::salon_page::is_organiser(&ctx));
    let key = (series_id, l, org.clone(), drafts);
    let rendered = app
        .board_cache
        .get_or_render(&key, generation, || async {
            let b = load(&app, series_id, Some(org.as_str()), drafts).await?;
            Ok::<_, AppError>((
                b.series.title.clone(),
                content(&app, &ctx, &b, &org).await?.into_string(),
            ))
        })
        .await?;
    let (series_title, content) = rendered.as_ref();
    let title = t!("board.title", locale = l, series = series_title).to_string();
    // Markup maud rendered (and escaped) above, kept as a string; no user text is unescaped.
    Ok(page(&ctx, &title, html! { h1 { (title) } (PreEscaped(content)) }).into_response())
}

/// The board below its heading.
async fn content(app: &SharedApp, ctx: &Ctx, b: &Board, org: &str) -> AppResult<Markup> {
    let l = ctx.lang();
    let orgs = organisations::all(&app.db).await?;
    let marker = super::glossary::marker(app, ctx).await?;
    Ok(html! {
        p class="no-print" { a href=(format!("/series/{}/board.md", b.series.id)) download { (t!("board.markdown", locale = l)) } }
        section aria-labelledby="board-themes" {
            h2 id="board-themes" { (t!("theme.title", locale = l)) }
            @for st in ThemeState::ALL {
                @let list: Vec<&Theme> = b.themes.iter().filter(|th| th.state() == st).collect();
                @if !list.is_empty() {
                    h3 { (t!(format!("theme.state.{}", st.as_str()), locale = l)) }
                    ul { @for th in list { li { a href=(format!("/themes/{}", th.id)) { (th.title) } " · " (crate::i18n::plural("theme.supporters", th.support, l)) @if !th.conclusion.is_empty() { " – " (th.conclusion) } } } }
                }
            }
        }
        section aria-labelledby="board-rounds" {
            h2 id="board-rounds" { (t!("round.title", locale = l)) }
            @if b.rounds.is_empty() { p class="muted" { (t!("round.empty", locale = l)) } }
            @for (r, options) in &b.rounds {
                table class="results" {
                    caption { (r.question) }
                    thead { tr { th scope="col" { (t!("round.option", locale = l)) } th scope="col" { (t!("round.points", locale = l)) } } }
                    tbody { @for o in options { tr { th scope="row" { (o.label) } td { (o.points) } } } }
                }
            }
        }
        section aria-labelledby="board-decisions" {
            h2 id="board-decisions" { (t!("outcome.decisions", locale = l)) }
            @if b.decisions.is_empty() { p class="muted" { (t!("outcome.no_decisions", locale = l)) } }
            ol {
                @for d in &b.decisions {
                    li {
                        (super::glossary::marked(&marker, &d.body))
                        @if let (Some(id), Some(title)) = (d.theme_id, &d.theme) { " – " a href=(format!("/themes/{id}")) { (title) } }
                        // Where and when it was decided.
                        @if let Some(s) = b.salons.iter().find(|s| s.id == d.salon_id) {
                            " – " a href=(format!("/salons/{}", s.id)) { (s.title) } ", "
                            (crate::i18n::timefmt::date(&s.starts_at.with_timezone(&s.tz()), l))
                        }
                        @if super::salon_page::is_organiser(ctx) {
                            " " a class="no-print" href=(format!("/series/{}/groups/new?decision={}", b.series.id, d.id)) { (t!("group.from_decision_link", locale = l)) }
                        }
                    }
                }
            }
        }
        section aria-labelledby="board-actions" {
            h2 id="board-actions" { (t!("outcome.actions", locale = l)) }
            form method="get" action=(format!("/series/{}/board", b.series.id)) class="no-print inline-form" {
                label for="org" { (t!("board.filter_org", locale = l)) } " "
                select id="org" name="org" {
                    option value="" { (t!("board.all_orgs", locale = l)) }
                    @for o in &orgs { option value=(o.short_name) selected[org == o.short_name] { (o.name) } }
                }
                " " button type="submit" class="secondary" { (t!("board.filter", locale = l)) }
            }
            @if b.actions.is_empty() { p class="muted" { (t!("outcome.no_actions", locale = l)) } }
            ul { @for a in &b.actions { li { (super::outcomes::action_line(ctx, a, None)) } } }
        }
        (super::groups::board_section(b.series.id, &b.groups, &b.deliverables, l))
        (super::concerns::board_section(&b.named, l))
    })
}

/// The board as Markdown, for minutes and mails.
pub async fn markdown(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _me: SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let raw = id.strip_suffix(".md").unwrap_or(&id);
    let b = load(
        &app,
        parse_id(raw)?,
        None,
        Drafts::for_organiser(super::salon_page::is_organiser(&ctx)),
    )
    .await?;
    let mut md = format!(
        "# {}\n\n## {}\n\n",
        t!(
            "board.title",
            locale = l,
            series = markdown::inline(&b.series.title)
        ),
        t!("theme.title", locale = l)
    );
    for th in &b.themes {
        let _ = writeln!(
            md,
            "- {} ({}, {})",
            markdown::inline(&th.title),
            t!(format!("theme.state.{}", th.state().as_str()), locale = l),
            crate::i18n::plural("theme.supporters", th.support, l)
        );
    }
    let _ = write!(md, "\n## {}\n\n", t!("round.title", locale = l));
    for (r, options) in &b.rounds {
        let _ = writeln!(md, "### {}\n", markdown::inline(&r.question));
        for o in options {
            let _ = writeln!(md, "- {}: {}", markdown::inline(&o.label), o.points);
        }
        md.push('\n');
    }
    let _ = write!(md, "## {}\n\n", t!("outcome.decisions", locale = l));
    for d in &b.decisions {
        let _ = writeln!(md, "- {}", markdown::inline(&d.body));
    }
    let _ = write!(md, "\n## {}\n\n", t!("outcome.actions", locale = l));
    for a in &b.actions {
        let who = [a.owner.clone(), a.organisation.clone()]
            .into_iter()
            .flatten()
            .map(|w| markdown::inline(&w))
            .collect::<Vec<_>>()
            .join(", ");
        let due = a.due.map(|d| format!(", {}", d)).unwrap_or_default();
        let _ = writeln!(
            md,
            "- [{}] {} ({who}{due})",
            if a.status() == crate::domain::outcome::Status::Done {
                "x"
            } else {
                " "
            },
            markdown::inline(&a.what)
        );
    }
    super::groups::board_markdown(&mut md, &b.groups, &b.deliverables, l);
    super::concerns::board_markdown(&mut md, &b.named, l);
    Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], md).into_response())
}
