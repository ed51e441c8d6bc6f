//! Calendar feeds: all published salons, one salon, a series, and a person's own (the salons
//! they said yes or maybe to). PUBLISH, no ATTENDEE lines, ETag / If-None-Match (DTSTAMP is
//! the salon's last change, so an unchanged feed is byte-identical), REFRESH-INTERVAL.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::app::SharedApp;
use crate::calendar::event::{self, CalendarHeader, Event, Method};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::store::salons::{self, Salon};
use crate::store::{feed_tokens, rsvps, series};
use crate::web::extract::parse_id;

/// `/salons/{id}.ics`: a public calendar file, so a draft is not found, whoever asks.
pub async fn one_salon(
    State(app): State<SharedApp>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let salon = salons::get(&app.db, parse_id(&id)?)
        .await?
        .filter(|s| s.status().visible_to(None) && !s.standing)
        .ok_or(AppError::NotFound)?;
    respond(
        &app,
        &headers,
        &salon.title.clone(),
        vec![(salon, None)],
        false,
    )
    .await
}

/// `/series/{id}.ics`.
pub async fn one_series(
    State(app): State<SharedApp>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let app = &app;
    let headers = &headers;
    let s = series::get(&app.db, parse_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = salons::for_feed(&app.db, Some(s.id))
        .await?
        .into_iter()
        .map(|salon| (salon, None))
        .collect();
    respond(app, headers, &s.title, list, false).await
}

pub async fn all(State(app): State<SharedApp>, headers: HeaderMap) -> AppResult<Response> {
    let list = salons::for_feed(&app.db, None)
        .await?
        .into_iter()
        .map(|salon| (salon, None))
        .collect();
    respond(&app, &headers, "Salon", list, false).await
}

pub async fn personal(
    State(app): State<SharedApp>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let token = token.as_str();
    let person_id = feed_tokens::person(&app.db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut list = Vec::new();
    for (salon_id, response) in rsvps::attending(&app.db, person_id).await? {
        if let Some(salon) = salons::get(&app.db, salon_id).await? {
            // A "maybe" shows as tentative; the feed carries no ATTENDEE lines.
            let status = (response == "maybe").then_some("TENTATIVE");
            list.push((salon, status));
        }
    }
    // The person's own feed carries the video links of the salons they will be in.
    respond(&app, &headers, "Salon", list, true).await
}

async fn respond(
    app: &SharedApp,
    headers: &HeaderMap,
    name: &str,
    salons_: Vec<(Salon, Option<&'static str>)>,
    personal: bool,
) -> AppResult<Response> {
    let host = app
        .config
        .base_url
        .host_str()
        .unwrap_or("salon")
        .to_string();
    let organiser_name = app
        .config
        .mail
        .from
        .name
        .clone()
        .unwrap_or_else(|| "Salon".to_string());
    let organiser_email = app.config.mail.from.email.to_string();
    let mut agendas = Vec::with_capacity(salons_.len());
    for (s, _) in &salons_ {
        agendas.push(salons::agenda(&app.db, s.id).await?);
    }
    let events: Vec<Event<'_>> = salons_
        .iter()
        .zip(agendas.iter())
        .map(|((s, status), agenda)| Event {
            salon: s,
            agenda,
            url: app.config.url(&format!("/salons/{}", s.id)),
            uid: event::uid(s.id, &host),
            organiser_name: &organiser_name,
            organiser_email: &organiser_email,
            attendee: None,
            dtstamp: s.updated_at,
            status_override: *status,
            meeting_url: if personal { event::meeting_of(s) } else { None },
            locale: Locale::Da.code(),
        })
        .collect();
    let body = event::calendar(
        &CalendarHeader {
            method: Some(Method::Publish),
            feed_name: Some(name),
        },
        &events,
    );
    let etag = format!(
        "\"{}\"",
        hex::encode(&Sha256::digest(body.as_bytes())[..16])
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag_value = HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.into()))?;
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::ETAG, etag_value),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=300"),
            ),
        ],
        body,
    )
        .into_response())
}
