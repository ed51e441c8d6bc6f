//! The key to the codes (`/glossary`): the field's abbreviations and terms with their
//! expansion and a line of explanation, in the reader's language where it has its own wording,
//! and the organisations' own short names. Organisers keep it. Pages mark the first occurrence
//! of a known abbreviation in the user text they show with `<abbr title>` and a link to its
//! entry here ([`marked`]); the known terms per language are cached (`App::glossary_cache`)
//! until the glossary or the ten-second bucket moves.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use rust_i18n::t;

use super::auth::Organiser;
use super::context::Ctx;
use super::form::Errors;
use crate::app::SharedApp;
use crate::domain::glossary::{EntryInput, Glossary, Marker, Piece, Term, validate};
use crate::error::{AppError, AppResult};
use crate::store::glossary as store;
use crate::store::organisations;
use view::{edit_page, list};

mod view;

/// Where a term's entry is on the glossary page.
/// The known terms as JSON for room.js (`data-glossary`): term, expansion and the anchor of
/// its entry, longest first, so a live message is marked as [`marked`] marks a stored one.
pub fn terms_json(g: &Glossary) -> String {
    let mut terms: Vec<_> = g.terms().collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.term.len()));
    let list: Vec<serde_json::Value> = terms
        .iter()
        .map(|t| serde_json::json!({ "term": t.term, "expansion": t.expansion, "anchor": anchor(&t.term) }))
        .collect();
    serde_json::Value::Array(list).to_string()
}

pub fn anchor(term: &str) -> String {
    let id: String = term
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    format!("g-{id}")
}

/// The known terms in the reader's language: the glossary's entries, then the organisations'
/// short names (an entry with the same term wins).
pub async fn glossary(app: &SharedApp, l: &'static str) -> AppResult<Arc<Glossary>> {
    let generation = (
        app.generations.glossary(),
        crate::domain::time::now().timestamp() / 10,
    );
    app.glossary_cache
        .get_or_render(&l, generation, || async {
            let entries = store::all(&app.db, l).await?;
            let orgs = organisations::all(&app.db).await?;
            let terms = entries
                .into_iter()
                .map(|e| Term {
                    term: e.term,
                    expansion: e.expansion,
                })
                // An organisation whose name is its short name has nothing to expand.
                .chain(
                    orgs.into_iter()
                        .filter(|o| o.name != o.short_name)
                        .map(|o| Term {
                            term: o.short_name,
                            expansion: o.name,
                        }),
                );
            Ok::<_, AppError>(Glossary::new(terms))
        })
        .await
}

/// A marker for one page in the reader's language.
pub async fn marker(app: &SharedApp, ctx: &Ctx) -> AppResult<Marker> {
    Ok(Marker::new(glossary(app, ctx.lang()).await?))
}

/// User text with the page's first occurrence of each known abbreviation marked: an `<abbr>`
/// with its expansion as the title, in a link to its entry. Plain text only: never give it a
/// link's text or a heading.
pub fn marked(m: &Marker, text: &str) -> Markup {
    html! {
        @for p in m.mark(text) {
            @match p {
                Piece::Text(s) => { (s) }
                Piece::Abbr(s, t) => { a class="abbr" href=(format!("/glossary#{}", anchor(&t.term))) { abbr title=(t.expansion) { (s) } } }
            }
        }
    }
}

pub async fn show(State(app): State<SharedApp>, ctx: Ctx) -> AppResult<Markup> {
    let entries = store::all(&app.db, ctx.lang()).await?;
    let orgs = organisations::all(&app.db).await?;
    Ok(list(
        &ctx,
        &entries,
        &orgs,
        &EntryForm::default(),
        &Errors::default(),
    ))
}

/// The form: the Danish wording and, optionally, each other language's.
#[derive(Default, Clone)]
pub struct EntryForm {
    term: String,
    expansion: String,
    explanation: String,
    /// (locale, expansion, explanation) for nb, sv, fi, en.
    others: Vec<(&'static str, String, String)>,
}

pub(super) const OTHERS: [&str; 4] = ["nb", "sv", "fi", "en"];

impl EntryForm {
    fn parse(body: &[u8]) -> EntryForm {
        let mut f = EntryForm {
            others: OTHERS
                .iter()
                .map(|l| (*l, String::new(), String::new()))
                .collect(),
            ..EntryForm::default()
        };
        for (k, v) in url::form_urlencoded::parse(body) {
            let v = v.into_owned();
            match &*k {
                "term" => f.term = v,
                "expansion" => f.expansion = v,
                "explanation" => f.explanation = v,
                other => {
                    for (l, e, x) in &mut f.others {
                        if other == format!("expansion_{l}") {
                            *e = v.clone();
                        } else if other == format!("explanation_{l}") {
                            *x = v.clone();
                        }
                    }
                }
            }
        }
        f
    }

    pub(super) fn other(&self, l: &str) -> (&str, &str) {
        self.others
            .iter()
            .find(|o| o.0 == l)
            .map(|o| (o.1.as_str(), o.2.as_str()))
            .unwrap_or(("", ""))
    }
}

/// The form checked: (term, expansion, explanation, other languages' wording).
#[allow(clippy::type_complexity)]
fn checked(
    f: &EntryForm,
    l: &str,
) -> Result<(String, String, String, Vec<(&'static str, String, String)>), Errors> {
    let mut errors = Errors::default();
    let main = validate(&EntryInput {
        term: &f.term,
        expansion: &f.expansion,
        explanation: &f.explanation,
    });
    let mut others = Vec::new();
    for (locale, e, x) in &f.others {
        if e.trim().is_empty() && x.trim().is_empty() {
            continue;
        }
        // Checked as the Danish wording is (the term is the entry's own).
        match validate(&EntryInput {
            term: &f.term,
            expansion: e,
            explanation: x,
        }) {
            Ok((_, e, x)) => others.push((*locale, e, x)),
            Err(list) => {
                for err in list.iter().filter(|e| e.field != "term") {
                    let field = other_field(err.field == "expansion", locale);
                    errors.add(
                        field,
                        t!(format!("glossary.error.{}", err.code), locale = l).to_string(),
                    );
                }
            }
        }
    }
    match main {
        Ok((term, expansion, explanation)) if errors.is_empty() => {
            Ok((term, expansion, explanation, others))
        }
        Ok(_) => Err(errors),
        Err(list) => {
            let mut all = Errors::translated("glossary", list.iter().map(|e| (e.field, e.code)), l);
            all.0.extend(errors.0);
            Err(all)
        }
    }
}

/// The id of another language's field (an error links to it).
fn other_field(expansion: bool, locale: &str) -> &'static str {
    match (expansion, locale) {
        (true, "nb") => "expansion_nb",
        (true, "sv") => "expansion_sv",
        (true, "fi") => "expansion_fi",
        (true, _) => "expansion_en",
        (false, "nb") => "explanation_nb",
        (false, "sv") => "explanation_sv",
        (false, "fi") => "explanation_fi",
        (false, _) => "explanation_en",
    }
}

fn taken(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// The glossary page again with the refused form.
async fn refused(app: &SharedApp, ctx: &Ctx, f: &EntryForm, errors: Errors) -> AppResult<Response> {
    let entries = store::all(&app.db, ctx.lang()).await?;
    let orgs = organisations::all(&app.db).await?;
    let body = list(ctx, &entries, &orgs, f, &errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

pub async fn add(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(_me): Organiser,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let f = EntryForm::parse(&body);
    let (term, expansion, explanation, others) = match checked(&f, ctx.lang()) {
        Ok(ok) => ok,
        Err(errors) => return refused(&app, &ctx, &f, errors).await,
    };
    let mut tx = app.db.begin().await?;
    let id = match store::add(&mut tx, &term, &expansion, &explanation).await {
        Ok(id) => id,
        Err(e) if taken(&e) => {
            let errors = Errors::translated("glossary", [("term", "taken")], ctx.lang());
            return refused(&app, &ctx, &f, errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    store::set_translations(&mut tx, id, &others).await?;
    tx.commit().await?;
    app.generations.glossary_changed();
    Ok(Redirect::to(&format!("/glossary#{}", anchor(&term))).into_response())
}

pub async fn edit_form(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(_me): Organiser,
    Path(id): Path<String>,
) -> AppResult<Markup> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let e = store::get(&app.db, id).await?.ok_or(AppError::NotFound)?;
    let tr = store::translations(&app.db, id).await?;
    let f = EntryForm {
        term: e.term.clone(),
        expansion: e.expansion.clone(),
        explanation: e.explanation.clone(),
        others: OTHERS
            .iter()
            .map(|l| {
                let found = tr.iter().find(|t| t.0 == *l);
                (
                    *l,
                    found.map(|t| t.1.clone()).unwrap_or_default(),
                    found.map(|t| t.2.clone()).unwrap_or_default(),
                )
            })
            .collect(),
    };
    Ok(edit_page(&ctx, &e, &f, &Errors::default()))
}

pub async fn update(
    State(app): State<SharedApp>,
    ctx: Ctx,
    Organiser(_me): Organiser,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let e = store::get(&app.db, id).await?.ok_or(AppError::NotFound)?;
    let f = EntryForm::parse(&body);
    let (term, expansion, explanation, others) = match checked(&f, ctx.lang()) {
        Ok(ok) => ok,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&ctx, &e, &f, &errors),
            )
                .into_response());
        }
    };
    let mut tx = app.db.begin().await?;
    match store::update(&mut tx, id, &term, &expansion, &explanation).await {
        Ok(_) => {}
        Err(err) if taken(&err) => {
            let errors = Errors::translated("glossary", [("term", "taken")], ctx.lang());
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&ctx, &e, &f, &errors),
            )
                .into_response());
        }
        Err(err) => return Err(err.into()),
    }
    store::set_translations(&mut tx, id, &others).await?;
    tx.commit().await?;
    app.generations.glossary_changed();
    Ok(Redirect::to(&format!("/glossary#{}", anchor(&term))).into_response())
}

pub async fn remove(
    State(app): State<SharedApp>,
    Organiser(_me): Organiser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if !store::remove(&app.db, id).await? {
        return Err(AppError::NotFound);
    }
    app.generations.glossary_changed();
    Ok(Redirect::to("/glossary").into_response())
}
