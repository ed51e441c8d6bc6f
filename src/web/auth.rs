//! Extractors that enforce who may use a route. A handler that takes `Organiser` cannot run for
//! a member: the role check is in the signature, not in the body.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use super::context::Ctx;
use super::views::login_href;
use crate::domain::Role;
use crate::error::AppError;
use crate::store::people::Person;

async fn require<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    role: Role,
) -> Result<Arc<Person>, Response> {
    let ctx = Ctx::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    match ctx.user {
        None => Err(Redirect::to(&login_href(&ctx.path)).into_response()),
        Some(user) if user.role().at_least(role) => Ok(user),
        Some(_) => Err(AppError::Forbidden.into_response()),
    }
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        pub struct $name(pub Arc<Person>);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = Response;
            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
                require(parts, state, $role).await.map($name)
            }
        }
    };
}

role_extractor!(
    /// Any signed-in person; visitors are sent to the sign-in page and brought back.
    SignedIn, Role::Member
);
role_extractor!(
    /// Organisers and admins; members get 403.
    Organiser, Role::Organiser
);
role_extractor!(
    /// Admins only.
    Admin, Role::Admin
);
