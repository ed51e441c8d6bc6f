//! The room a page or form is about, entered: the door of every room page and plain form. Who
//! may enter is `rooms::access`'s rule; this turns its answer into HTTP.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::SharedApp;
use crate::error::AppError;
use crate::ids::RoomId;
use crate::rooms::access::{Access, Denied, enter};
use crate::store::people::Person;
use crate::store::rooms::Room;
use crate::store::salons::Salon;
use crate::web::context::Ctx;
use crate::web::views::login_href;

/// The room a page or form is about (`/salons/{id}/...?room=R`), entered: the salon, the room
/// and the caller's access, as `enter` decides. Refused: a visitor is sent to sign in and
/// brought back, someone not registered gets 403, a missing salon or a draft 404.
pub struct Entered {
    pub salon: Salon,
    pub room: Room,
    pub access: Access,
    /// The signed-in person (always there for a registered person or an organiser).
    pub user: Arc<Person>,
}

#[derive(serde::Deserialize, Default)]
struct RoomQuery {
    room: Option<RoomId>,
}

impl FromRequestParts<SharedApp> for Entered {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &SharedApp,
    ) -> Result<Self, Self::Rejection> {
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, app)
            .await
            .map_err(|_| AppError::NotFound.into_response())?;
        let Query(q) = Query::<RoomQuery>::from_request_parts(parts, app)
            .await
            .unwrap_or_default();
        // The page context has read the session (no second query).
        let user = parts.extensions.get::<Ctx>().and_then(|c| c.user.clone());
        let id = params.get("id").map(String::as_str).unwrap_or("");
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        match enter(
            &app.db,
            user.as_deref(),
            id,
            q.room,
            crate::domain::time::now(),
        )
        .await
        {
            Ok(Ok((salon, room, access))) => match user {
                Some(user) => Ok(Entered {
                    salon,
                    room,
                    access,
                    user,
                }),
                None => Err(Redirect::to(&login_href(here)).into_response()),
            },
            Ok(Err(Denied::NotSignedIn)) => Err(Redirect::to(&login_href(here)).into_response()),
            Ok(Err(Denied::NotRegistered)) => match (parts.extensions.get::<Ctx>(), &user) {
                (Some(ctx), Some(user)) => {
                    Err(super::refused::not_registered(app, ctx, id, user.id).await)
                }
                _ => Err(AppError::Forbidden.into_response()),
            },
            Ok(Err(Denied::NotFound)) => Err(AppError::NotFound.into_response()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

/// A message of the entered room that a plain form acts on
/// (`/salons/{id}/room/messages/{mid}/...`), once the person's rate limit allows one more
/// action (the websocket's frames count the same way).
pub struct OnMessage {
    pub entered: Entered,
    pub mid: crate::ids::MessageId,
}

impl FromRequestParts<SharedApp> for OnMessage {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &SharedApp,
    ) -> Result<Self, Self::Rejection> {
        let entered = Entered::from_request_parts(parts, app).await?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, app)
            .await
            .map_err(|_| AppError::NotFound.into_response())?;
        let mid =
            crate::web::extract::parse_id(params.get("mid").map(String::as_str).unwrap_or(""))
                .map_err(IntoResponse::into_response)?;
        if !crate::usecases::room::within_limit(app, entered.user.id) {
            return Err(AppError::TooManyRequests.into_response());
        }
        Ok(OnMessage { entered, mid })
    }
}
