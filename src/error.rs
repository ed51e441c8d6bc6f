//! One error type for handlers. `IntoResponse` only sets the status and attaches an
//! [`ErrorInfo`]; the page-context middleware (`web::context`) then renders it as a calm page in
//! the user's language (or as JSON under /api/), because only it knows the user and language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not signed in, where a redirect makes no sense (the JSON API).
    #[error("unauthorized")]
    Unauthorized,
    #[error("the form's security token is missing or wrong")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("too many requests")]
    TooManyRequests,
    #[error("request body too large")]
    TooLarge,
    #[error("gone: {0}")]
    Gone(&'static str),
    /// The database's disk is full: nothing was saved; reads go on, and writes work again as
    /// soon as there is space (no restart needed).
    #[error("the database's disk is full: {0:#}")]
    StorageFull(anyhow::Error),
    /// The database cannot be reached just now (stopped, restarting, a connection cut off):
    /// the request is answered "try again" rather than as an error in Salon.
    #[error("the database is unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        let db_errors = || {
            e.chain()
                .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
        };
        // What the "database errors" alert watches: a request that failed on the database.
        if db_errors().next().is_some() {
            metrics::counter!("salon_database_errors_total").increment(1);
        }
        if db_errors().any(crate::store::is_storage_full) {
            AppError::StorageFull(e)
        } else if db_errors().any(crate::store::is_unavailable) {
            AppError::Unavailable(e)
        } else {
            AppError::Internal(e)
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl From<crate::mail::compose::ComposeError> for AppError {
    fn from(e: crate::mail::compose::ComposeError) -> Self {
        AppError::Internal(e.into())
    }
}

/// What the error renderer needs: a stable machine code and the i18n key of the message.
#[derive(Debug, Clone, Copy)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message_key: &'static str,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::StorageFull(_) | AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn info(&self) -> ErrorInfo {
        let (code, message_key) = match self {
            AppError::NotFound => ("not_found", "error.not_found"),
            AppError::Forbidden => ("forbidden", "error.forbidden"),
            AppError::Unauthorized => ("unauthorized", "error.unauthorized"),
            AppError::Csrf => ("csrf", "error.csrf"),
            AppError::BadRequest(key) => ("bad_request", *key),
            AppError::TooManyRequests => ("too_many_requests", "error.too_many_requests"),
            AppError::TooLarge => ("too_large", "error.too_large"),
            AppError::Gone(key) => ("gone", *key),
            AppError::StorageFull(_) => ("storage_full", "error.storage_full"),
            AppError::Unavailable(_) => ("unavailable", "error.unavailable"),
            AppError::Internal(_) => ("internal", "error.internal"),
        };
        ErrorInfo { code, message_key }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            // `{:#}` keeps the whole cause chain in the log; the user sees a calm page.
            AppError::Internal(e) => tracing::error!(error = format!("{e:#}"), "internal error"),
            AppError::StorageFull(e) => tracing::error!(
                error = format!("{e:#}"),
                "the database's disk is full: a write was refused"
            ),
            AppError::Unavailable(e) => {
                tracing::warn!(error = format!("{e:#}"), "the database is unavailable")
            }
            _ => {}
        }
        let mut response = (self.status(), self.info().code).into_response();
        response.extensions_mut().insert(self.info());
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
