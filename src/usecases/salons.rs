//! Salons as organisers change them: create, edit (a larger capacity gives waiting people their
//! seats at once, with a mail), publish and cancel (as `domain::salon::Status::transition`
//! allows), duplicate.

use super::Failure;
use super::rsvp::queue_promoted;
use crate::app::App;
use crate::domain::salon::{self, FieldError, SalonInput, Status, TransitionError, ValidSalon};
use crate::error::AppError;
use crate::ids::{PersonId, SalonId};
use crate::store::{rsvps, salons, series};

/// A form's input refused, field by field (`salon.error.<code>`).
pub type FieldErrors = Vec<FieldError>;

/// The input checked against the rules and against the database (the series must exist).
async fn checked(
    app: &App,
    input: &SalonInput,
    seated: i64,
) -> Result<Result<ValidSalon, FieldErrors>, Failure> {
    let mut errors = match salon::validate(input, seated) {
        Ok(valid) => match valid.series_id {
            Some(id) if series::get(&app.db, id).await?.is_none() => Vec::new(),
            _ => return Ok(Ok(valid)),
        },
        Err(errors) => errors,
    };
    if let Ok(id) = input.series_id.trim().parse()
        && series::get(&app.db, id).await?.is_none()
    {
        errors.push(FieldError {
            field: "series_id",
            code: "series_unknown",
            line: None,
        });
    }
    Ok(Err(errors))
}

/// A new draft salon by `organiser`.
pub async fn create(
    app: &App,
    organiser: PersonId,
    input: &SalonInput,
) -> Result<Result<SalonId, FieldErrors>, Failure> {
    let valid = match checked(app, input, 0).await? {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(create_valid(app, organiser, &valid).await?))
}

async fn create_valid(
    app: &App,
    organiser: PersonId,
    valid: &ValidSalon,
) -> Result<SalonId, Failure> {
    let mut tx = app.db.begin().await?;
    let id = salons::create(&mut tx, valid, Some(organiser)).await?;
    tx.commit().await?;
    app.generations.salon_changed();
    Ok(id)
}

/// Several drafts at once (an `.ics` import): all of them or, on any failure, none.
pub async fn create_all(
    app: &App,
    organiser: PersonId,
    valid: &[ValidSalon],
) -> Result<Vec<SalonId>, Failure> {
    let mut tx = app.db.begin().await?;
    let mut ids = Vec::with_capacity(valid.len());
    for v in valid {
        ids.push(salons::create(&mut tx, v, Some(organiser)).await?);
    }
    tx.commit().await?;
    app.generations.salon_changed();
    Ok(ids)
}

/// Save an edit; None when there is no such salon.
pub async fn update(
    app: &App,
    id: SalonId,
    input: &SalonInput,
) -> Result<Option<Result<(), FieldErrors>>, Failure> {
    let mut tx = app.db.begin().await?;
    let Some(current) = salons::lock(&mut tx, id).await? else {
        return Ok(None);
    };
    let seated = rsvps::counts(&mut tx, id).await?.seated;
    let valid = match checked(app, input, seated).await? {
        Ok(v) => v,
        Err(e) => return Ok(Some(Err(e))),
    };
    salons::update(&mut tx, &current, &valid).await?;
    // A larger capacity gives seats to the waitlist at once.
    let Some(updated) = salons::lock(&mut tx, id).await? else {
        return Ok(None);
    };
    let promoted = rsvps::promote(&mut tx, &updated).await?;
    queue_promoted(&mut tx, &app.config, &updated, &promoted).await?;
    tx.commit().await?;
    app.generations.salon_changed();
    if !promoted.is_empty() {
        app.mail_wake.notify_one();
    }
    Ok(Some(Ok(())))
}

#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("no such salon")]
    NoSuchSalon,
    #[error("not allowed: {}", .0.code())]
    NotAllowed(TransitionError),
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl From<sqlx::Error> for StatusError {
    fn from(e: sqlx::Error) -> Self {
        StatusError::Failure(e.into())
    }
}

impl From<StatusError> for AppError {
    fn from(e: StatusError) -> Self {
        match e {
            StatusError::NoSuchSalon => AppError::NotFound,
            StatusError::NotAllowed(TransitionError::CannotRepublish) => {
                AppError::BadRequest("salon.error.cannot_republish")
            }
            StatusError::Failure(f) => f.into(),
        }
    }
}

/// Publish or cancel.
pub async fn set_status(app: &App, id: SalonId, status: Status) -> Result<(), StatusError> {
    let mut tx = app.db.begin().await?;
    let current = salons::lock(&mut tx, id)
        .await?
        .ok_or(StatusError::NoSuchSalon)?;
    salons::set_status(&mut tx, &current, status)
        .await?
        .map_err(StatusError::NotAllowed)?;
    tx.commit().await?;
    app.generations.salon_changed();
    Ok(())
}

/// A copy as a new draft (same agenda, place and settings; no answers), titled `title`.
pub async fn duplicate(
    app: &App,
    organiser: PersonId,
    mut input: SalonInput,
    title: String,
) -> Result<SalonId, Failure> {
    input.title = title.chars().take(salon::TITLE_MAX).collect();
    // A past deadline would make the copy invalid; the organiser sets a new one.
    input.rsvp_deadline.clear();
    let valid = salon::validate(&input, 0)
        .map_err(|e| Failure::Invariant(format!("a copy of a valid salon is invalid: {e:?}")))?;
    create_valid(app, organiser, &valid).await
}
