//! A salon's materials (`/salons/{id}/materials`): links and uploaded files, "read before" or
//! "from the salon", seen by whoever may see the salon; organisers and the salon's note-takers
//! add and remove them. A file is served from the database as a download (`attachment`, its
//! checked type, `nosniff` from `security`), so every instance serves the same files.
//!
//! The upload (multipart, its CSRF token in the query string like the .ics import) is routed
//! outside the 30-second request timeout, since 20 MB on a slow line takes longer: it keeps
//! its own limit, counted as the file streams in (`SALON_UPLOAD_MAX_MB`).

mod view;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rust_i18n::t;
use serde::Deserialize;

pub(in crate::web) use view::{panel, salon_section};

use super::auth::SignedIn;
use super::context::Ctx;
use super::extract::{Form, SalonPath, parse_id};
use super::form::Errors;
use crate::app::SharedApp;
use crate::domain::material::{self, Phase, Refused};
use crate::error::{AppError, AppResult};
use crate::ids::MaterialId;
use crate::rooms::notices::MaterialJson;
use crate::store::materials::{self, What};
use crate::store::salons::Salon;
use crate::usecases::materials as usecase;

/// The forms as typed, shown again with their errors.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkForm {
    title: String,
    url: String,
    phase: String,
}

#[derive(Default)]
pub struct FileForm {
    title: String,
    phase: String,
}

/// What the page shows besides the list.
#[derive(Default)]
pub(super) struct Forms {
    link: LinkForm,
    link_errors: Errors,
    file: FileForm,
    file_errors: Errors,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Flash {
    done: Option<String>,
}

/// Organisers and the salon's note-takers add and remove materials; in a working group's own
/// room, its members too (the group's drafts and notes between salons).
async fn may_edit(app: &SharedApp, ctx: &Ctx, salon: &Salon) -> AppResult<bool> {
    if let (true, Some(g), Some(u)) = (salon.standing, salon.group_id, &ctx.user)
        && crate::store::groups::is_member(&app.db, g, u.id).await?
    {
        return Ok(true);
    }
    super::outcomes::may_record(app, ctx, salon).await
}

async fn render(app: &SharedApp, ctx: &Ctx, salon: &Salon, forms: Forms) -> AppResult<Response> {
    let list = materials::of_salon(&app.db, salon.id).await?;
    let editor = may_edit(app, ctx, salon).await?;
    let invalid = !forms.link_errors.is_empty() || !forms.file_errors.is_empty();
    let page = view::page(
        ctx,
        salon,
        &list,
        editor.then_some(&forms),
        app.config.upload_max_bytes,
    );
    Ok(if invalid {
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    } else {
        page.into_response()
    })
}

/// `GET /salons/{id}/materials`.
pub async fn show(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SalonPath(salon): SalonPath,
    Query(flash): Query<Flash>,
) -> AppResult<Response> {
    let notice = flash
        .done
        .as_deref()
        .filter(|d| matches!(*d, "added" | "removed"))
        .map(|d| t!(format!("material.notice.{d}"), locale = ctx.lang()).to_string());
    render(
        &app,
        &ctx,
        &salon,
        Forms {
            notice,
            ..Forms::default()
        },
    )
    .await
}

/// The refusal as the form's error; the upload form's fields are `file-title` and `file-phase`
/// (two forms on one page, each id once).
fn errors_of(refused: Refused, l: &str, limit: usize, upload: bool) -> Errors {
    let mut e = Errors::default();
    let field = match (upload, refused.field()) {
        (true, "title") => "file-title",
        (true, "phase") => "file-phase",
        (_, f) => f,
    };
    let message = match refused {
        Refused::TooLarge => t!(
            "material.error.too_large",
            locale = l,
            mb = limit / (1024 * 1024)
        )
        .to_string(),
        r => t!(format!("material.error.{}", r.code()), locale = l).to_string(),
    };
    e.add(field, message);
    e
}

fn done(salon: &Salon, what: &str) -> Response {
    Redirect::to(&format!("/salons/{}/materials?done={what}", salon.id)).into_response()
}

/// `POST /salons/{id}/materials/link`.
pub async fn add_link(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Form(f): Form<LinkForm>,
) -> AppResult<Response> {
    if !may_edit(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let checked = (|| {
        let url = material::link(&f.url)?;
        let title = material::title(&f.title, &url)?;
        let phase = Phase::parse(&f.phase).ok_or(Refused::Phase)?;
        Ok::<_, Refused>((url, title, phase))
    })();
    match checked {
        Ok((url, title, phase)) => {
            usecase::add(&app, salon.id, &title, phase, &What::Link(&url), &me).await?;
            Ok(done(&salon, "added"))
        }
        Err(r) => {
            let link_errors = errors_of(r, ctx.lang(), app.config.upload_max_bytes, false);
            render(
                &app,
                &ctx,
                &salon,
                Forms {
                    link: f,
                    link_errors,
                    ..Forms::default()
                },
            )
            .await
        }
    }
}

/// What the upload form sent: its fields and the file, read up to the limit.
struct Upload {
    form: FileForm,
    name: String,
    bytes: Vec<u8>,
    /// The file was larger than the limit (what came beyond it was read and dropped).
    too_large: bool,
}

/// Read the upload form. The file is read chunk by chunk and kept only up to `limit` bytes;
/// the rest is read and dropped (up to four times the limit), so the browser, which sends
/// the whole body before it reads an answer, gets the page that says the file is too large.
async fn read_upload(multipart: &mut Multipart, limit: usize) -> AppResult<Upload> {
    let bad = |_| AppError::BadRequest("error.bad_form");
    let mut up = Upload {
        form: FileForm::default(),
        name: String::new(),
        bytes: Vec::new(),
        too_large: false,
    };
    let mut read = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                up.name = field.file_name().unwrap_or_default().to_string();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    read = read.saturating_add(chunk.len());
                    if read > limit.saturating_mul(4) {
                        return Err(AppError::TooLarge);
                    }
                    if read > limit {
                        up.too_large = true;
                        up.bytes = Vec::new();
                    } else {
                        up.bytes.extend_from_slice(&chunk);
                    }
                }
            }
            Some(name @ ("file-title" | "file-phase")) => {
                let title = name == "file-title";
                let value = field.text().await.map_err(bad)?;
                read = read.saturating_add(value.len());
                if title {
                    up.form.title = value
                } else {
                    up.form.phase = value
                }
            }
            _ => {}
        }
    }
    Ok(up)
}

/// `POST /salons/{id}/materials/file?csrf=...` (multipart: title, phase, file).
pub async fn upload(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    mut multipart: Multipart,
) -> AppResult<Response> {
    if !may_edit(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    let limit = app.config.upload_max_bytes;
    let up = read_upload(&mut multipart, limit).await?;
    let checked = (|| {
        if up.too_large {
            return Err(Refused::TooLarge);
        }
        let file = material::check_file(&up.name, &up.bytes, limit)?;
        let title = material::title(&up.form.title, &file.file_name)?;
        let phase = Phase::parse(&up.form.phase).ok_or(Refused::Phase)?;
        Ok((file, title, phase))
    })();
    match checked {
        Ok((file, title, phase)) => {
            let what = What::File {
                name: &file.file_name,
                content_type: file.content_type,
                bytes: &up.bytes,
            };
            usecase::add(&app, salon.id, &title, phase, &what, &me).await?;
            Ok(done(&salon, "added"))
        }
        Err(r) => {
            let file_errors = errors_of(r, ctx.lang(), limit, true);
            let status = if r == Refused::TooLarge {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = render(
                &app,
                &ctx,
                &salon,
                Forms {
                    file: up.form,
                    file_errors,
                    ..Forms::default()
                },
            )
            .await?;
            Ok((status, page).into_response())
        }
    }
}

fn material_id(raw: &str) -> AppResult<MaterialId> {
    parse_id(raw)
}

/// `POST /salons/{id}/materials/{mid}/remove`.
pub async fn remove(
    State(app): State<SharedApp>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    SalonPath(salon): SalonPath,
    Path((_, mid)): Path<(String, String)>,
) -> AppResult<Response> {
    if !may_edit(&app, &ctx, &salon).await? {
        return Err(AppError::Forbidden);
    }
    if !usecase::remove(&app, salon.id, material_id(&mid)?, &me).await? {
        return Err(AppError::NotFound);
    }
    Ok(done(&salon, "removed"))
}

/// `GET /salons/{id}/materials/{mid}/file`: the file as a download.
pub async fn file(
    State(app): State<SharedApp>,
    SalonPath(salon): SalonPath,
    Path((_, mid)): Path<(String, String)>,
) -> AppResult<Response> {
    let f = materials::file(&app.db, salon.id, material_id(&mid)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type),
            (
                header::CONTENT_DISPOSITION,
                material::disposition(&f.file_name),
            ),
            (header::CACHE_CONTROL, "private, no-cache".to_string()),
            // A file opened in place anyway runs nothing and reaches nothing.
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        f.content,
    )
        .into_response())
}

/// `GET /api/v1/salons/{id}/materials`.
pub async fn api(
    State(app): State<SharedApp>,
    SalonPath(salon): SalonPath,
) -> AppResult<axum::Json<Vec<MaterialJson>>> {
    Ok(axum::Json(
        MaterialJson::of_salon(&app.db, salon.id, Some(&app.config)).await?,
    ))
}
