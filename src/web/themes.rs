//! Themes of a series (`/series/{id}/themes`, `/themes/{id}`): anyone signed in proposes a
//! theme and supports others (once, and may withdraw) and comments; organisers reword, merge
//! duplicates, schedule a theme into salons of the series, and move it on to discussed and
//! concluded. Every page and form works without JavaScript.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::{Organiser, SignedIn};
use super::context::Ctx;
use super::extract::{Form, parse_id, within_limit};
use super::form::{self, Errors, Kind};
use super::pager::Pager;
use super::salon_page::is_organiser;
use super::views::{csrf_field, login_href, page};
use crate::app::SharedApp;
use crate::domain::theme::{self, State as ThemeState};
use crate::error::{AppError, AppResult};
use crate::ids::{SalonId, SeriesId, ThemeId};
use crate::store::concerns::{Kind as About, Subject};
use crate::store::series::{self, Series};
use crate::store::themes::{self, Theme};
use crate::store::{Window, salons};
use crate::usecases::themes as usecase;

#[derive(Deserialize, Default)]
pub struct StateFilter {
    state: Option<String>,
    page: Option<String>,
}

/// Themes on one page of a series' list.
pub const THEMES_PER_PAGE: i64 = 50;

/// Comments on one page of a theme.
pub const COMMENTS_PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProposeForm {
    title: String,
    why: String,
    on_behalf: Option<String>,
}

fn messages(errors: &[theme::FieldError], l: &str) -> Errors {
    Errors::translated("theme", errors.iter().map(|e| (e.field, e.code)), l)
}

async fn series_of(app: &SharedApp, raw: &str) -> AppResult<Series> {
    series::get(&app.db, parse_id::<SeriesId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn list(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<StateFilter>,
) -> AppResult<Markup> {
    let s = series_of(&app, &id).await?;
    let filter = q.state.as_deref().and_then(ThemeState::parse);
    render_list(
        &app,
        &ctx,
        &s,
        filter,
        q.page.as_deref(),
        &ProposeForm::default(),
        &Errors::default(),
    )
    .await
}

async fn render_list(
    app: &SharedApp,
    ctx: &Ctx,
    s: &Series,
    filter: Option<ThemeState>,
    page_asked: Option<&str>,
    f: &ProposeForm,
    errors: &Errors,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let pager = Pager::new(
        page_asked,
        THEMES_PER_PAGE,
        themes::count_of_series(&app.db, s.id, filter).await?,
    );
    let all = themes::of_series(&app.db, s.id, filter, pager.window()).await?;
    let page_href = |n: i64| match filter {
        Some(st) => format!("/series/{}/themes?state={}&page={n}", s.id, st.as_str()),
        None => format!("/series/{}/themes?page={n}", s.id),
    };
    let title = t!("theme.list_title", locale = l, series = s.title).to_string();
    Ok(page(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/series/{}", s.id)) { (s.title) } }
            h1 { (t!("theme.title", locale = l)) }
            nav aria-label=(t!("theme.filter", locale = l)) {
                ul class="actions" {
                    li { a href=(format!("/series/{}/themes", s.id)) aria-current=[filter.is_none().then_some("page")] { (t!("theme.filter_all", locale = l)) } }
                    @for st in ThemeState::ALL {
                        li { a href=(format!("/series/{}/themes?state={}", s.id, st.as_str())) aria-current=[(filter == Some(st)).then_some("page")] { (t!(format!("theme.state.{}", st.as_str()), locale = l)) } }
                    }
                }
            }
            @if all.is_empty() { p { (t!("theme.empty", locale = l)) } }
            ol class="themes" start=(pager.window().offset + 1) {
                @for th in &all { li { (theme_line(l, th)) } }
            }
            (pager.nav(l, page_href))
            (propose_form(ctx, s, f, errors))
        },
    ))
}

fn theme_line(l: &str, th: &Theme) -> Markup {
    html! {
        a href=(format!("/themes/{}", th.id)) { strong { (th.title) } }
        " · " span class="badge" { (t!(format!("theme.state.{}", th.state().as_str()), locale = l)) }
        " · " span class="support" data-support=(th.support) { (crate::i18n::plural("theme.supporters", th.support, l)) }
        @if let Some(o) = &th.organisation { span class="muted" { " · " (o) } }
    }
}

fn propose_form(ctx: &Ctx, s: &Series, f: &ProposeForm, errors: &Errors) -> Markup {
    let l = ctx.lang();
    html! {
        section aria-labelledby="propose" class="panel" {
            h2 id="propose" { (t!("theme.propose", locale = l)) }
            @match &ctx.user {
                None => { p { a href=(login_href(&ctx.path)) { (t!("theme.sign_in_to_propose", locale = l)) } } }
                Some(user) => {
                    (form::summary(errors, l))
                    form method="post" action=(format!("/series/{}/themes", s.id)) class="stacked" novalidate {
                        (csrf_field(ctx))
                        (form::field("title", &t!("theme.field.title", locale = l), None, Kind::Text, &f.title, errors, true))
                        (form::field("why", &t!("theme.field.why", locale = l), Some(&t!("theme.hint.why", locale = l)), Kind::TextArea(4), &f.why, errors, false))
                        @if user.organisation_id.is_some() {
                            div class="choice" {
                                input type="checkbox" id="on_behalf" name="on_behalf" value="on" checked[f.on_behalf.is_some()];
                                label for="on_behalf" { (t!("theme.on_behalf", locale = l)) }
                            }
                        }
                        div { button type="submit" { (t!("theme.submit", locale = l)) } }
                    }
                }
            }
        }
    }
}

pub async fn propose(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ProposeForm>,
) -> AppResult<Response> {
    let s = series_of(&app, &id).await?;
    match theme::validate(&f.title, &f.why) {
        Ok(text) => {
            within_limit(&app.limits.member_writings, me.id)?;
            let organisation_id = me.organisation_id.filter(|_| f.on_behalf.is_some());
            let theme = usecase::propose(&app, s.id, &text, organisation_id, me.id).await?;
            Ok(Redirect::to(&format!("/themes/{theme}")).into_response())
        }
        Err(errors) => {
            let body = render_list(
                &app,
                &ctx,
                &s,
                None,
                None,
                &f,
                &messages(&errors, ctx.lang()),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

async fn theme_of(app: &SharedApp, raw: &str) -> AppResult<Theme> {
    let th = themes::get(&app.db, parse_id::<ThemeId>(raw)?)
        .await?
        .ok_or(AppError::NotFound)?;
    // A merged duplicate lives on in the theme it went into.
    match th.merged_into {
        Some(_) => Err(AppError::NotFound),
        None => Ok(th),
    }
}

pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let raw = parse_id::<ThemeId>(&id)?;
    if let Some(th) = themes::get(&app.db, raw).await?
        && let Some(into) = th.merged_into
    {
        return Ok(Redirect::to(&format!("/themes/{into}")).into_response());
    }
    let th = theme_of(&app, &id).await?;
    Ok(render_theme(&app, &ctx, &th, None, q.page.as_deref())
        .await?
        .into_response())
}

async fn render_theme(
    app: &SharedApp,
    ctx: &Ctx,
    th: &Theme,
    error: Option<String>,
    page_asked: Option<&str>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let s = series::get(&app.db, th.series_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pager = Pager::new(
        page_asked,
        COMMENTS_PER_PAGE,
        themes::comment_count(&app.db, th.id).await?,
    );
    let comments = themes::comments(&app.db, th.id, pager.window()).await?;
    // The first known abbreviation in the why and the comments is marked.
    let marker = super::glossary::marker(app, ctx).await?;
    let mine = match &ctx.user {
        Some(u) => themes::supports(&app.db, th.id, u.id).await?,
        None => false,
    };
    let scheduled = themes::salons_of(
        &app.db,
        th.id,
        crate::store::Drafts::for_organiser(is_organiser(ctx)),
    )
    .await?;
    let mut in_salons = Vec::new();
    for sid in &scheduled {
        if let Some(salon) = salons::get(&app.db, *sid).await? {
            in_salons.push(salon);
        }
    }
    let led_to = outcomes_section(app, ctx, th).await?;
    let concerns = crate::store::concerns::of(&app.db, Subject::Theme(th.id)).await?;
    let tools = if is_organiser(ctx) {
        Some(organiser_tools(app, ctx, th, &s).await?)
    } else {
        None
    };
    Ok(page(
        ctx,
        &th.title,
        html! {
            p class="kicker" { a href=(format!("/series/{}/themes", s.id)) { (t!("theme.title", locale = l)) " – " (s.title) } }
            h1 { (th.title) }
            @if let Some(e) = &error { div class="error-summary" role="alert" { p { (e) } } }
            p {
                span class="badge" { (t!(format!("theme.state.{}", th.state().as_str()), locale = l)) }
                " · " span class="support" data-support=(th.support) { (crate::i18n::plural("theme.supporters", th.support, l)) }
                @if let Some(p) = &th.proposer { " · " (t!("theme.proposed_by", locale = l, name = p)) }
                @if let Some(o) = &th.organisation { " (" (o) ")" }
            }
            @if !th.why.is_empty() { @for para in th.why.split("\n\n") { p { (super::glossary::marked(&marker, para)) } } }
            p { (super::concerns::line(ctx, About::Theme, th.id.0, &concerns, is_organiser(ctx))) }
            @if !th.conclusion.is_empty() {
                section aria-labelledby="conclusion-title" { h2 id="conclusion-title" { (t!("theme.conclusion", locale = l)) } p { (th.conclusion) } }
            }
            @if !in_salons.is_empty() {
                p { (t!("theme.scheduled_in", locale = l)) " "
                    @for (i, salon) in in_salons.iter().enumerate() { @if i > 0 { ", " } a href=(format!("/salons/{}", salon.id)) { (salon.title) } } }
            }
            @if ctx.user.is_some() {
                form method="post" action=(format!("/themes/{}/{}", th.id, if mine { "withdraw" } else { "support" })) {
                    (csrf_field(ctx))
                    button type="submit" class=(if mine { "secondary" } else { "" }) { (t!(if mine { "theme.withdraw" } else { "theme.support" }, locale = l)) }
                }
            }
            (led_to)
            (comments_section(ctx, th, &comments, &pager, &marker))
            @if let Some(tools) = tools { (tools) }
        },
    ))
}

/// A theme's comments, a page at a time, and the form to add one.
fn comments_section(
    ctx: &Ctx,
    th: &Theme,
    comments: &[themes::Comment],
    pager: &Pager,
    marker: &crate::domain::glossary::Marker,
) -> Markup {
    let l = ctx.lang();
    html! {
    section aria-labelledby="comments" {
        h2 id="comments" { (t!("theme.comments", locale = l)) }
        @if comments.is_empty() { p class="muted" { (t!("theme.no_comments", locale = l)) } }
        ol class="comments" start=(pager.window().offset + 1) {
            @for c in comments { li { strong { (c.author.clone().unwrap_or_else(|| t!("people.former", locale = l).to_string())) } ": " (super::glossary::marked(marker, &c.body)) } }
        }
        (pager.nav(l, |n| format!("/themes/{}?page={n}#comments", th.id)))
        @if ctx.user.is_some() {
            form method="post" action=(format!("/themes/{}/comments", th.id)) class="stacked" {
                (csrf_field(ctx))
                div class="field" {
                    label for="body" { (t!("theme.your_comment", locale = l)) }
                    textarea id="body" name="body" rows="3" maxlength=(theme::COMMENT_MAX) required {}
                }
                div { button type="submit" { (t!("theme.comment_submit", locale = l)) } }
            }
        }
    }
    }
}

pub async fn support(
    State(app): State<SharedApp>,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let th = theme_of(&app, &id).await?;
    within_limit(&app.limits.member_clicks, me.id)?;
    usecase::set_support(&app, th.id, me.id, true).await?;
    Ok(Redirect::to(&format!("/themes/{}", th.id)).into_response())
}

pub async fn withdraw(
    State(app): State<SharedApp>,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let th = theme_of(&app, &id).await?;
    within_limit(&app.limits.member_clicks, me.id)?;
    usecase::set_support(&app, th.id, me.id, false).await?;
    Ok(Redirect::to(&format!("/themes/{}", th.id)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    body: String,
}

pub async fn comment(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let th = theme_of(&app, &id).await?;
    match theme::comment(&f.body) {
        Ok(body) => {
            within_limit(&app.limits.member_writings, me.id)?;
            usecase::comment(&app, th.id, me.id, &body).await?;
            Ok(Redirect::to(&format!("/themes/{}#comments", th.id)).into_response())
        }
        Err(e) => {
            let message = t!(format!("theme.error.{}", e.code), locale = ctx.lang()).to_string();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render_theme(&app, &ctx, &th, Some(message), None).await?,
            )
                .into_response())
        }
    }
}

mod organiser;
mod outcomes;
use organiser::organiser_tools;
pub use organiser::{merge, reword, schedule, set_state};
use outcomes::outcomes_section;
