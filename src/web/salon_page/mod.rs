//! The salon page (agenda, time, place, who organises, the viewer's answer) and series pages:
//! the handlers load what a page shows (`SalonData`) and `view` renders it.

mod view;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::context::Ctx;
use super::extract::{SalonPath, parse_id};
use super::form::Errors;
use super::home::salon_list;
use super::views::page;
use crate::app::SharedApp;
use crate::domain::Role;
use crate::domain::salon::Registration;
use crate::error::{AppError, AppResult};
use crate::store::organisations::{self, Organisation};
use crate::store::page_data::{LastTime, SalonShared};
use crate::store::people;
use crate::store::rsvps::{self, Rsvp};
use crate::store::salons::{self, Salon};
use crate::store::series;

pub use view::standing_code;

pub fn is_organiser(ctx: &Ctx) -> bool {
    ctx.user
        .as_ref()
        .is_some_and(|u| u.role().at_least(Role::Organiser))
}

#[derive(Deserialize, Default)]
pub struct Flash {
    done: Option<String>,
}

/// `/salons/{id}`.
pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SalonPath(salon): SalonPath,
    Query(flash): Query<Flash>,
) -> AppResult<Response> {
    // A working group's standing room has no salon page of its own: the group's page is it.
    if let (true, Some(g)) = (salon.standing, salon.group_id) {
        return Ok(axum::response::Redirect::to(&format!("/groups/{g}")).into_response());
    }
    let notice = flash.done.as_deref().and_then(|d| match d {
        "answered" | "registered" | "confirm_sent" | "published" | "cancelled" | "saved"
        | "notified" => Some(t!(format!("salon.notice.{d}"), locale = ctx.lang()).to_string()),
        _ => None,
    });
    Ok(render(
        &app,
        &ctx,
        &salon,
        Panel {
            notice,
            ..Panel::default()
        },
    )
    .await?
    .into_response())
}

/// What the answer panel shows besides the salon: a notice after an action, an error, and the
/// registration form as typed.
#[derive(Default)]
pub struct Panel {
    pub notice: Option<String>,
    pub error: Option<String>,
    pub registration: RegistrationForm,
    pub registration_errors: Errors,
}

impl Panel {
    /// The panel with an error in place of the answer buttons.
    pub fn failed(error: String) -> Panel {
        Panel {
            error: Some(error),
            ..Panel::default()
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub title: String,
}

/// Everything the salon page shows, read before rendering: the viewer's own part, and the part
/// every viewer sees alike (kept between page loads; `Deref` reaches its fields).
pub struct SalonData {
    pub salon: Salon,
    /// The viewer's own answer.
    pub mine: Option<Rsvp>,
    /// For the registration form (visitors, open salons).
    pub organisations: Vec<Organisation>,
    pub shared: std::sync::Arc<SalonShared>,
    /// The known abbreviations in the reader's language, marked once in the page's texts.
    pub glossary: std::sync::Arc<crate::domain::glossary::Glossary>,
}

impl std::ops::Deref for SalonData {
    type Target = SalonShared;
    fn deref(&self) -> &SalonShared {
        &self.shared
    }
}

/// The previous salon of the series, if it left open actions or closed rounds.
async fn last_time(app: &SharedApp, salon: &Salon) -> AppResult<Option<LastTime>> {
    let Some(series_id) = salon.series_id else {
        return Ok(None);
    };
    let Some(previous) = salons::previous_in_series(&app.db, series_id, salon.starts_at).await?
    else {
        return Ok(None);
    };
    let open_actions: Vec<_> = crate::store::outcomes::actions_of_salon(&app.db, previous.id)
        .await?
        .into_iter()
        .filter(|a| a.status() == crate::domain::outcome::Status::Open)
        .collect();
    let mut rounds = Vec::new();
    for r in crate::store::rounds::of_salon(&app.db, previous.id).await? {
        if r.state() == crate::domain::round::State::Closed {
            let mut options = crate::store::rounds::options(&app.db, r.id).await?;
            options.sort_by_key(|o| std::cmp::Reverse(o.points));
            options.truncate(3);
            rounds.push((r, options));
        }
    }
    Ok(
        (!open_actions.is_empty() || !rounds.is_empty()).then_some(LastTime {
            salon: previous,
            open_actions,
            rounds,
        }),
    )
}

/// The working groups' reports, for a salon of a series that has not ended yet: what they say
/// and what fell due since the salon before.
async fn from_groups(
    app: &SharedApp,
    salon: &Salon,
) -> AppResult<Vec<crate::store::group_work::Report>> {
    let Some(series_id) = salon.series_id.filter(|_| !salon.standing) else {
        return Ok(Vec::new());
    };
    if salon.ends_at <= crate::domain::time::now() {
        return Ok(Vec::new());
    }
    let since = salons::previous_in_series(&app.db, series_id, salon.starts_at)
        .await?
        .map(|p| p.starts_at.date_naive());
    let until = salon.starts_at.date_naive();
    Ok(crate::store::group_work::reports(&app.db, series_id, since, until).await?)
}

async fn load(app: &SharedApp, ctx: &Ctx, salon: &Salon) -> AppResult<SalonData> {
    let db = &app.db;
    let mine = match &ctx.user {
        Some(u) => rsvps::of(db, salon.id, u.id).await?,
        None => None,
    };
    let organisations = if ctx.user.is_none() && salon.registration() == Registration::Open {
        organisations::all(db).await?
    } else {
        Vec::new()
    };
    // Answers, salon and strategy changes on this instance move the generation; other
    // instances' show within the ten-second bucket.
    let generation = (
        app.generations
            .salons()
            .wrapping_add(app.generations.strategy()),
        crate::domain::time::now().timestamp() / 10,
    );
    let shared = app
        .salon_cache
        .get_or_render(&(salon.id, ctx.lang()), generation, || {
            load_shared(app, ctx.lang(), salon)
        })
        .await?;
    Ok(SalonData {
        salon: salon.clone(),
        mine,
        organisations,
        shared,
        glossary: crate::web::glossary::glossary(app, ctx.lang()).await?,
    })
}

/// What every viewer of the salon's page sees alike, in language `l`.
async fn load_shared(app: &SharedApp, l: &str, salon: &Salon) -> AppResult<SalonShared> {
    let db = &app.db;
    let series = match salon.series_id {
        Some(sid) => series::get(db, sid).await?,
        None => None,
    };
    let organiser = match salon.organiser_id {
        Some(pid) => people::by_id(db, pid).await?,
        None => None,
    };
    Ok(SalonShared {
        agenda: salons::agenda(db, salon.id).await?,
        counts: rsvps::counts(db, salon.id).await?,
        series,
        organiser,
        shown: rsvps::shown(db, salon.id).await?,
        themes: crate::store::themes::of_salon(db, salon.id).await?,
        last_time: last_time(app, salon).await?,
        materials: crate::store::materials::of_salon(db, salon.id).await?,
        from_groups: from_groups(app, salon).await?,
        summary: match crate::store::summaries::summary_sent_at(db, salon.id).await? {
            Some(_) => {
                let intro = crate::store::summaries::summary_intro(db, salon.id).await?;
                Some(crate::usecases::summary::build(app, salon, l, &intro).await?)
            }
            None => None,
        },
    })
}

/// The salon page with `panel` (used again by the answer and registration handlers to show
/// an error in place).
pub async fn render(app: &SharedApp, ctx: &Ctx, salon: &Salon, panel: Panel) -> AppResult<Markup> {
    let data = load(app, ctx, salon).await?;
    Ok(view::salon(app, ctx, &data, &panel))
}

pub async fn show_series(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let s = series::get(&app.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = salons::in_series(&app.db, s.id, is_organiser(&ctx)).await?;
    Ok(page(
        &ctx,
        &s.title,
        html! {
            p class="kicker" { (t!("series.kicker", locale = l)) }
            h1 { (s.title) }
            @if !s.description.is_empty() { @for para in s.description.split("\n\n") { p { (para) } } }
            @if list.is_empty() { p { (t!("series.empty", locale = l)) } } @else { (salon_list(&ctx, &list)) }
            p { a href=(format!("/series/{}/themes", s.id)) { (t!("theme.series_link", locale = l)) } }
            @if ctx.user.is_some() {
                p { a href=(format!("/series/{}/proposals", s.id)) { (t!("proposal.series_link", locale = l)) } }
                p { a href=(format!("/series/{}/polls", s.id)) { (t!("poll.series_link", locale = l)) } }
                p { a href=(format!("/series/{}/timepolls", s.id)) { (t!("timepoll.series_link", locale = l)) } }
                p { a href=(format!("/series/{}/attendance", s.id)) { (t!("participation.link", locale = l)) } }
                p { a href=(format!("/series/{}/groups", s.id)) { (t!("group.series_link", locale = l)) } }
            }
            p { a href=(format!("/series/{}/board", s.id)) { (t!("board.link", locale = l)) } }
            p { a href=(format!("/series/{}.ics", s.id)) { (t!("calendar.series_feed", locale = l)) } }
            @if is_organiser(&ctx) { p { a class="button" href=(format!("/series/{}/edit", s.id)) { (t!("organise.edit_series", locale = l)) } } }
        },
    )
    .into_response())
}
