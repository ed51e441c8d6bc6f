//! Time polls (`/series/{id}/timepolls`, `/timepolls/{id}`): organisers offer times for a salon
//! and ask people; the asked answer yes, if need be or no per time, signed in or from their
//! personal link (`/timepolls/link/{token}`, no sign-in: GET shows, only POST records); the
//! grid shows who can when, by organisation; an organiser picks a time, which becomes a draft
//! salon of the series (`usecases::time_polls`). Every time is shown in the reader's own zone.

mod link;
mod view;

pub use link::{link_answer, link_page};

use std::collections::{BTreeSet, HashMap};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use rust_i18n::t;
use serde::Deserialize;

use super::auth::{Organiser, SignedIn};
use super::context::Ctx;
use super::extract::parse_id;
use super::form::Errors;
use super::salon_page::is_organiser;
use crate::app::SharedApp;
use crate::domain::time::now;
use crate::domain::time_poll::{self, Answer};
use crate::error::{AppError, AppResult};
use crate::ids::{PersonId, SeriesId, TimePollId, TimeSlotId};
use crate::store::people::Person;
use crate::store::series::{self, Series};
use crate::store::time_polls::{self, TimePoll};
use crate::usecases::invitations::Invitees;
use crate::usecases::time_polls::{self as usecase, Refused};

/// The create form as typed (the people and organisations ticked, read by hand: repeated
/// fields).
#[derive(Default)]
pub struct CreateForm {
    title: String,
    description: String,
    time_zone: String,
    minutes: String,
    slots: String,
    people: BTreeSet<PersonId>,
    organisations: BTreeSet<String>,
    pasted: String,
}

impl CreateForm {
    fn parse(body: &[u8]) -> CreateForm {
        let mut f = CreateForm::default();
        for (k, v) in url::form_urlencoded::parse(body) {
            match k.as_ref() {
                "title" => f.title = v.into_owned(),
                "description" => f.description = v.into_owned(),
                "time_zone" => f.time_zone = v.into_owned(),
                "minutes" => f.minutes = v.into_owned(),
                "slots" => f.slots = v.into_owned(),
                "pasted" => f.pasted = v.into_owned(),
                "organisation" => {
                    f.organisations.insert(v.into_owned());
                }
                "person" => {
                    if let Ok(id) = v.parse() {
                        f.people.insert(id);
                    }
                }
                _ => {}
            }
        }
        f
    }
}

async fn the_series(app: &SharedApp, id: &str) -> AppResult<Series> {
    series::get(&app.db, parse_id::<SeriesId>(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /series/{id}/timepolls`: the series' polls (organisers: all, with the form; others:
/// those they are asked in).
pub async fn list(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let s = the_series(&app, &id).await?;
    render_list(
        &app,
        &ctx,
        &me,
        &s,
        &CreateForm::default(),
        &Errors::default(),
    )
    .await
}

async fn render_list(
    app: &SharedApp,
    ctx: &Ctx,
    me: &Person,
    s: &Series,
    f: &CreateForm,
    errors: &Errors,
) -> AppResult<Markup> {
    let organiser = is_organiser(ctx);
    let mut polls = Vec::new();
    for p in time_polls::of_series(&app.db, s.id).await? {
        if organiser || time_polls::is_invited(&app.db, p.id, me.id).await? {
            polls.push(p);
        }
    }
    let choices = if organiser {
        Some((
            crate::store::people::list(&app.db).await?,
            crate::store::organisations::all(&app.db).await?,
        ))
    } else {
        None
    };
    Ok(view::list(ctx, s, &polls, choices.as_ref(), f, errors))
}

/// `POST /series/{id}/timepolls` (organisers).
pub async fn create(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let l = ctx.lang();
    let s = the_series(&app, &id).await?;
    let f = CreateForm::parse(&body);
    let (pasted, unreadable) = super::invite::parse_pasted(&f.pasted);
    let checked = time_poll::validate(
        &f.title,
        &f.description,
        &f.time_zone,
        &f.minutes,
        &f.slots,
        now(),
    );
    let mut errors = match &checked {
        Ok(_) => Errors::default(),
        Err(refused) => {
            Errors::translated("timepoll", refused.iter().map(|e| (e.field, e.code)), l)
        }
    };
    if !unreadable.is_empty() {
        errors.add(
            "pasted",
            t!(
                "timepoll.error.pasted",
                locale = l,
                lines = unreadable.join(", ")
            )
            .to_string(),
        );
    }
    if f.people.is_empty() && f.organisations.is_empty() && pasted.is_empty() {
        errors.add(
            "people",
            t!("timepoll.error.nobody", locale = l).to_string(),
        );
    }
    let text = match checked {
        Ok(text) if errors.is_empty() => text,
        _ => {
            let page = render_list(&app, &ctx, &me, &s, &f, &errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let who = Invitees {
        people: f.people.clone(),
        organisations: f.organisations.clone(),
        pasted,
        new_people_locale: ctx.locale,
        note: None,
    };
    let (poll, _) = usecase::create(&app, s.id, &text, &who, &me).await?;
    Ok(Redirect::to(&format!("/timepolls/{poll}?done=created")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Flash {
    done: Option<String>,
}

fn notice(flash: &Flash, l: &str) -> Option<String> {
    flash
        .done
        .as_deref()
        .filter(|d| matches!(*d, "created" | "answered"))
        .map(|d| t!(format!("timepoll.notice.{d}"), locale = l).to_string())
}

/// Everything the poll's page shows.
pub(super) struct PollData {
    pub poll: TimePoll,
    pub slots: Vec<time_polls::Slot>,
    pub invitees: Vec<time_polls::Invitee>,
    pub answers: HashMap<(PersonId, TimeSlotId), Answer>,
}

async fn load(app: &SharedApp, poll: TimePoll) -> AppResult<PollData> {
    let answers = time_polls::answers(&app.db, poll.id)
        .await?
        .into_iter()
        .filter_map(|(p, s, a)| Answer::parse(&a).map(|a| ((p, s), a)))
        .collect();
    Ok(PollData {
        slots: time_polls::slots(&app.db, poll.id).await?,
        invitees: time_polls::invitees(&app.db, poll.id).await?,
        answers,
        poll,
    })
}

/// The poll, for an organiser or someone asked in it.
async fn poll_for(app: &SharedApp, ctx: &Ctx, me: &Person, id: &str) -> AppResult<TimePoll> {
    let poll = time_polls::get(&app.db, parse_id::<TimePollId>(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    if is_organiser(ctx) || time_polls::is_invited(&app.db, poll.id, me.id).await? {
        Ok(poll)
    } else {
        Err(AppError::NotFound)
    }
}

/// How the page shows itself to a signed-in reader: in their zone, answering by the route.
fn viewer_for(ctx: &Ctx, me: &Person, poll: &TimePoll) -> view::Viewer {
    view::Viewer {
        person: Some(me.id),
        zone: me.time_zone().unwrap_or(poll.tz()),
        answer_action: format!("/timepolls/{}/answer", poll.id),
        organiser: is_organiser(ctx),
    }
}

fn status_of(r: Refused) -> StatusCode {
    match r {
        Refused::Decided => StatusCode::CONFLICT,
        Refused::NoSuchTime => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `GET /timepolls/{id}`.
pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> AppResult<Markup> {
    let poll = poll_for(&app, &ctx, &me, &id).await?;
    let d = load(&app, poll).await?;
    let viewer = viewer_for(&ctx, &me, &d.poll);
    Ok(view::poll(
        &ctx,
        &d,
        &viewer,
        notice(&flash, ctx.lang()),
        None,
    ))
}

/// The answers as posted: `slot-{id}` = yes | maybe | no.
fn posted_answers(body: &[u8]) -> Option<Vec<(TimeSlotId, Answer)>> {
    let mut out = Vec::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        if let Some(slot) = k.strip_prefix("slot-") {
            out.push((slot.parse().ok()?, Answer::parse(&v)?));
        }
    }
    Some(out)
}

fn refusal(r: Refused, l: &str) -> String {
    let key = match r {
        Refused::Decided => "timepoll.error.decided",
        Refused::NoSuchTime => "timepoll.error.no_such_time",
    };
    t!(key, locale = l).to_string()
}

/// Record answers and go back to `back`, or show the page with why not.
async fn record(
    app: &SharedApp,
    ctx: &Ctx,
    d: PollData,
    viewer: &view::Viewer,
    person: PersonId,
    body: &[u8],
    back: String,
) -> AppResult<Response> {
    let l = ctx.lang();
    let result = match posted_answers(body) {
        Some(a) => usecase::answer(app, d.poll.id, person, &a).await?,
        None => Err(Refused::NoSuchTime),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(r) => {
            let page = view::poll(ctx, &d, viewer, None, Some(refusal(r, l)));
            Ok((status_of(r), page).into_response())
        }
    }
}

/// `POST /timepolls/{id}/answer` (signed in, asked in the poll).
pub async fn answer(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let poll = poll_for(&app, &ctx, &me, &id).await?;
    if !time_polls::is_invited(&app.db, poll.id, me.id).await? {
        return Err(AppError::Forbidden);
    }
    let d = load(&app, poll).await?;
    let viewer = viewer_for(&ctx, &me, &d.poll);
    let back = format!("/timepolls/{}?done=answered", d.poll.id);
    record(&app, &ctx, d, &viewer, me.id, &body, back).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChooseForm {
    slot: String,
}

/// `POST /timepolls/{id}/choose` (organisers): the time becomes a draft salon.
pub async fn choose(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(me): Organiser,
    Path(id): Path<String>,
    super::extract::Form(f): super::extract::Form<ChooseForm>,
) -> AppResult<Response> {
    let poll = poll_for(&app, &ctx, &me, &id).await?;
    let slot: TimeSlotId = f.slot.parse().unwrap_or(TimeSlotId(0));
    match usecase::choose(&app, poll.id, slot, &me).await? {
        Ok(salon) => Ok(Redirect::to(&format!("/salons/{salon}?done=saved")).into_response()),
        Err(r) => {
            let d = load(&app, poll).await?;
            let viewer = viewer_for(&ctx, &me, &d.poll);
            let page = view::poll(&ctx, &d, &viewer, None, Some(refusal(r, ctx.lang())));
            Ok((status_of(r), page).into_response())
        }
    }
}
