//! What a theme, a decision or an action concerns in the field's map (`/concerns/{kind}/{id}`:
//! organisers, and for a salon's decisions and actions its note-takers, tick the landscape's
//! items and the organisations), shown as one line beside it; and the other way round, on an
//! item's and an organisation's page: what the series have said, decided and set out to do
//! about it (signed-in readers, as the board).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;

use super::context::Ctx;
use super::form::{self, Errors};
use super::salon_page::is_organiser;
use super::views::{csrf_field, page};
use crate::app::SharedApp;
use crate::error::{AppError, AppResult};
use crate::ids::{ItemId, OrganisationId};
use crate::store::concerns::{self as store, Concern, Kind, Said, Subject};
use crate::store::{Drafts, landscape, organisations, outcomes, themes};

/// The subject named in the path: what it says (to show on the form), where to return, and
/// whether the signed-in person may change what it concerns.
struct Found {
    subject: Subject,
    text: String,
    back: String,
}

async fn found(app: &SharedApp, ctx: &Ctx, kind: &str, id: &str) -> AppResult<Found> {
    let kind = Kind::parse(kind).ok_or(AppError::NotFound)?;
    let id: i64 = super::extract::parse_id(id)?;
    let user = ctx.user.as_ref().ok_or(AppError::Forbidden)?;
    let organiser = is_organiser(ctx);
    let (subject, text, back, salon) = match kind {
        Kind::Theme => {
            let th = themes::get(&app.db, crate::ids::ThemeId(id))
                .await?
                .ok_or(AppError::NotFound)?;
            (
                Subject::Theme(th.id),
                th.title,
                format!("/themes/{}", th.id),
                None,
            )
        }
        Kind::Decision => {
            let d = outcomes::decision(&app.db, crate::ids::DecisionId(id))
                .await?
                .ok_or(AppError::NotFound)?;
            let back = format!("/salons/{}/outcomes#decision-{}", d.salon_id, d.id);
            (Subject::Decision(d.id), d.body, back, Some(d.salon_id))
        }
        Kind::Action => {
            let a = outcomes::action(&app.db, crate::ids::ActionId(id))
                .await?
                .ok_or(AppError::NotFound)?;
            let back = format!("/salons/{}/outcomes#action-{}", a.salon_id, a.id);
            (Subject::Action(a.id), a.what, back, Some(a.salon_id))
        }
    };
    let may = organiser
        || match salon {
            Some(s) => outcomes::is_note_taker(&app.db, s, user.id).await?,
            None => false,
        };
    if !may {
        return Err(AppError::Forbidden);
    }
    Ok(Found {
        subject,
        text,
        back,
    })
}

/// The choices: every item and every organisation, as (value, label).
async fn choices(app: &SharedApp) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let items = landscape::list(&app.db, &landscape::Filter::default())
        .await?
        .into_iter()
        .map(|i| {
            (
                i.id.to_string(),
                super::landscape::display_name(&i.name, &i.abbreviation),
            )
        })
        .collect();
    let orgs = organisations::all(&app.db)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), format!("{} ({})", o.name, o.short_name)))
        .collect();
    Ok((items, orgs))
}

fn form_page(
    ctx: &Ctx,
    f: &Found,
    items: (&[(String, String)], &[String]),
    orgs: (&[(String, String)], &[String]),
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    let title = t!("concern.title", locale = l).to_string();
    let kind = f.subject.kind().as_str();
    let id = match f.subject {
        Subject::Theme(i) => i.0,
        Subject::Decision(i) => i.0,
        Subject::Action(i) => i.0,
    };
    page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(f.back) { (t!("concern.back", locale = l)) } }
            h1 { (title) }
            blockquote { p { (f.text) } }
            (form::summary(errors, l))
            form method="post" action=(format!("/concerns/{kind}/{id}")) class="stacked" {
                (csrf_field(ctx))
                (form::boxes("items", &t!("concern.items", locale = l), items.0, items.1, errors))
                (form::boxes("organisations", &t!("concern.organisations", locale = l), orgs.0, orgs.1, errors))
                div { button type="submit" { (t!("concern.save", locale = l)) } }
            }
        },
    )
}

pub async fn edit_form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
) -> AppResult<Markup> {
    let f = found(&app, &ctx, &kind, &id).await?;
    let now = store::of(&app.db, f.subject).await?;
    let ticked_items: Vec<String> = now
        .iter()
        .filter_map(|c| c.item_id)
        .map(|i| i.to_string())
        .collect();
    let ticked_orgs: Vec<String> = now
        .iter()
        .filter_map(|c| c.organisation_id)
        .map(|o| o.to_string())
        .collect();
    let (items, orgs) = choices(&app).await?;
    Ok(form_page(
        &ctx,
        &f,
        (&items, &ticked_items),
        (&orgs, &ticked_orgs),
        &Errors::default(),
    ))
}

pub async fn save(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path((kind, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let f = found(&app, &ctx, &kind, &id).await?;
    let (items, orgs) = choices(&app).await?;
    let (mut ticked_items, mut ticked_orgs) = (Vec::new(), Vec::new());
    for (k, v) in url::form_urlencoded::parse(&body) {
        match &*k {
            "items" => ticked_items.push(v.into_owned()),
            "organisations" => ticked_orgs.push(v.into_owned()),
            _ => {}
        }
    }
    let known = |v: &String, among: &[(String, String)]| among.iter().any(|(x, _)| x == v);
    let mut errors = Errors::default();
    if !ticked_items.iter().all(|v| known(v, &items)) {
        errors.add(
            "items",
            t!("concern.unknown", locale = ctx.lang()).to_string(),
        );
    }
    if !ticked_orgs.iter().all(|v| known(v, &orgs)) {
        errors.add(
            "organisations",
            t!("concern.unknown", locale = ctx.lang()).to_string(),
        );
    }
    if !errors.is_empty() {
        let page = form_page(
            &ctx,
            &f,
            (&items, &ticked_items),
            (&orgs, &ticked_orgs),
            &errors,
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let mut item_ids: Vec<ItemId> = ticked_items.iter().filter_map(|v| v.parse().ok()).collect();
    let mut org_ids: Vec<OrganisationId> =
        ticked_orgs.iter().filter_map(|v| v.parse().ok()).collect();
    item_ids.sort();
    item_ids.dedup();
    org_ids.sort();
    org_ids.dedup();
    crate::usecases::concerns::set(&app, f.subject, &item_ids, &org_ids).await?;
    Ok(Redirect::to(&f.back).into_response())
}

/// What one subject concerns, as one line with links (and the way to change it, for `edit`).
pub fn line(ctx: &Ctx, kind: Kind, id: i64, all: &[Concern], edit: bool) -> Markup {
    let l = ctx.lang();
    let mine: Vec<&Concern> = all.iter().filter(|c| c.subject_id == id).collect();
    html! {
        @if !mine.is_empty() || edit {
            span class="concerns" {
                (t!("concern.line", locale = l)) " "
                @if mine.is_empty() { span class="muted" { (t!("concern.nothing", locale = l)) } }
                @for (i, c) in mine.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href=(c.href()) { (c.label()) }
                }
                @if edit { " " a class="no-print" href=(format!("/concerns/{}/{id}", kind.as_str())) { (t!("concern.edit", locale = l)) } }
            }
        }
    }
}

/// "What the series have said and decided about this" on an item's or an organisation's page.
pub async fn said_section(
    app: &SharedApp,
    ctx: &Ctx,
    target: store::Target,
    groups: &[crate::store::groups::Group],
) -> AppResult<Markup> {
    if ctx.user.is_none() {
        return Ok(html! {});
    }
    let l = ctx.lang();
    let said: Said =
        store::said_about(&app.db, target, Drafts::for_organiser(is_organiser(ctx))).await?;
    Ok(html! {
        section aria-labelledby="said" {
            h2 id="said" { (t!("concern.said_title", locale = l)) }
            @if said.is_empty() && groups.is_empty() { p class="muted" { (t!("concern.said_nothing", locale = l)) } }
            @if !said.themes.is_empty() {
                h3 { (t!("theme.title", locale = l)) }
                ul { @for th in &said.themes { li { a href=(format!("/themes/{}", th.id)) { (th.title) } " – " (th.series_title) } } }
            }
            @if !said.decisions.is_empty() {
                h3 { (t!("outcome.decisions", locale = l)) }
                ul { @for d in &said.decisions { li { (d.body) " – " a href=(format!("/salons/{}/outcomes#decision-{}", d.salon_id, d.id)) { (d.salon_title) } ", " (crate::i18n::timefmt::day(d.starts_at.date_naive(), l)) } } }
            }
            @if !said.actions.is_empty() {
                h3 { (t!("outcome.actions", locale = l)) }
                ul { @for a in &said.actions { li {
                    span class="badge" { (t!(format!("outcome.status.{}", a.status), locale = l)) } " "
                    a href=(format!("/salons/{}/outcomes#action-{}", a.salon_id, a.id)) { (a.what) }
                    @if let Some(d) = a.due { " – " (t!("outcome.due", locale = l, date = crate::i18n::timefmt::day(d, l))) }
                } } }
            }
            @if !groups.is_empty() {
                h3 { (t!("group.board_title", locale = l)) }
                ul { @for g in groups { li { a href=(format!("/groups/{}", g.id)) { (g.name) } " " (super::groups::status_badge(g.status.as_deref(), l)) } } }
            }
        }
    })
}

/// The board's landscape section: the items the series' themes, decisions, actions and groups
/// name, how often, and when each is next renegotiated or ends.
pub fn board_section(named: &[store::Named], l: &str) -> Markup {
    html! {
        section aria-labelledby="board-landscape" {
            h2 id="board-landscape" { (t!("concern.board_title", locale = l)) }
            @if named.is_empty() { p class="muted" { (t!("concern.board_empty", locale = l)) } }
            @else {
                table class="results" {
                    caption class="visually-hidden" { (t!("concern.board_title", locale = l)) }
                    thead { tr {
                        th scope="col" { (t!("concern.item", locale = l)) }
                        th scope="col" { (t!("theme.title", locale = l)) }
                        th scope="col" { (t!("outcome.decisions", locale = l)) }
                        th scope="col" { (t!("outcome.actions", locale = l)) }
                        th scope="col" { (t!("group.board_title", locale = l)) }
                        th scope="col" { (t!("concern.next_date", locale = l)) }
                    } }
                    tbody { @for n in named { tr {
                        th scope="row" { a href=(format!("/landscape/{}", n.id)) { (super::landscape::display_name(&n.name, &n.abbreviation)) } }
                        td { (n.themes) } td { (n.decisions) } td { (n.actions) } td { (n.working_groups) }
                        td { (next_date(n, l)) }
                    } } }
                }
            }
        }
    }
}

/// "renegotiated 01.03.2028" or "ends 31.12.2028", whichever comes first; or a dash.
fn next_date(n: &store::Named, l: &str) -> String {
    match (n.renegotiate_on, n.ends_on) {
        (Some(r), e) if e.is_none_or(|e| r <= e) => t!(
            "concern.renegotiated",
            locale = l,
            date = crate::i18n::timefmt::day(r, l)
        )
        .to_string(),
        (_, Some(e)) => t!(
            "concern.ends",
            locale = l,
            date = crate::i18n::timefmt::day(e, l)
        )
        .to_string(),
        _ => "–".to_string(),
    }
}

/// The landscape in the board's Markdown.
pub fn board_markdown(md: &mut String, named: &[store::Named], l: &str) {
    use std::fmt::Write as _;
    let _ = write!(md, "\n## {}\n\n", t!("concern.board_title", locale = l));
    for n in named {
        let counts = [
            crate::i18n::plural("concern.count.themes", n.themes, l),
            crate::i18n::plural("concern.count.decisions", n.decisions, l),
            crate::i18n::plural("concern.count.actions", n.actions, l),
            crate::i18n::plural("concern.count.groups", n.working_groups, l),
        ];
        let name = super::landscape::display_name(&n.name, &n.abbreviation);
        let _ = writeln!(
            md,
            "- {}: {}; {}",
            super::markdown::inline(&name),
            counts.join(", "),
            next_date(n, l)
        );
    }
}
