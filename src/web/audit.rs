//! The audit trail for admins (`/admin/audit`): filter by person and by kind, download as CSV.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{Markup, html};
use rust_i18n::t;
use serde::Deserialize;

use super::auth::Admin;
use super::context::Ctx;
use super::participants::{csv_download, push_row};
use super::views::{local_time, page};
use crate::app::SharedApp;
use crate::domain::audit::Kind;
use crate::error::AppResult;
use crate::ids::PersonId;
use crate::store::audit::{self, Filter, Listed};
use crate::store::people;

/// The most rows a page shows (the CSV has them all, within retention).
const PAGE_ROWS: i64 = 500;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FilterQuery {
    person: String,
    kind: String,
}

impl FilterQuery {
    /// Unknown values filter nothing (a stale bookmark still shows the trail).
    fn filter(&self) -> Filter {
        Filter {
            person: self.person.trim().parse::<i64>().ok().map(PersonId),
            kind: Kind::from_code(self.kind.trim()),
        }
    }

    fn query_string(&self) -> String {
        let f = self.filter();
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if let Some(p) = f.person {
            q.append_pair("person", &p.to_string());
        }
        if let Some(k) = f.kind {
            q.append_pair("kind", k.code());
        }
        q.finish()
    }
}

/// A person named in a row: their name as recorded, or "deleted person (#id)".
fn who(l: &str, id: Option<PersonId>, name: &str) -> String {
    match (id, name.is_empty()) {
        (_, false) => name.to_string(),
        (Some(id), true) => t!("audit.deleted_person", locale = l, id = id).to_string(),
        (None, true) => "–".to_string(),
    }
}

/// The stored detail in words where it is a code (an answer, roles, who deleted).
fn detail_text(l: &str, kind: &str, detail: &str) -> String {
    match Kind::from_code(kind) {
        Some(Kind::AnswerSet) => {
            t!(format!("rsvp.standing_short.{detail}"), locale = l).to_string()
        }
        Some(Kind::RoleChanged) => detail
            .split(" -> ")
            .map(|r| t!(format!("role.{r}"), locale = l).to_string())
            .collect::<Vec<_>>()
            .join(" → "),
        Some(Kind::PersonAdded) => t!(format!("role.{detail}"), locale = l).to_string(),
        Some(Kind::AccountDeleted) => t!(format!("audit.detail.{detail}"), locale = l).to_string(),
        _ => detail.to_string(),
    }
}

fn kind_name(l: &str, code: &str) -> String {
    t!(format!("audit.kind.{code}"), locale = l).to_string()
}

pub async fn page_for_admins(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _a: Admin,
    Query(q): Query<FilterQuery>,
) -> AppResult<Markup> {
    let l = ctx.lang();
    let filter = q.filter();
    let rows = audit::list(&app.db, filter, PAGE_ROWS).await?;
    let everyone = people::list(&app.db).await?;
    let qs = q.query_string();
    let csv_href = if qs.is_empty() {
        "/admin/audit.csv".to_string()
    } else {
        format!("/admin/audit.csv?{qs}")
    };
    let days = app.config.privacy.retention.audit.num_days();
    Ok(page(
        &ctx,
        &t!("audit.title", locale = l),
        html! {
            h1 { (t!("audit.title", locale = l)) }
            p class="lead" { (t!("audit.lead", locale = l, days = days)) }
            form method="get" action="/admin/audit" class="filters" {
                div {
                    label for="person" { (t!("audit.person", locale = l)) }
                    select id="person" name="person" {
                        option value="" { (t!("audit.all", locale = l)) }
                        @for p in &everyone {
                            option value=(p.id) selected[filter.person == Some(p.id)] { (p.name) }
                        }
                    }
                }
                div {
                    label for="kind" { (t!("audit.kind_label", locale = l)) }
                    select id="kind" name="kind" {
                        option value="" { (t!("audit.all", locale = l)) }
                        @for k in Kind::ALL {
                            option value=(k.code()) selected[filter.kind == Some(k)] { (kind_name(l, k.code())) }
                        }
                    }
                }
                div { button type="submit" class="secondary" { (t!("audit.show", locale = l)) } }
            }
            p { a href=(csv_href) download { (t!("audit.csv", locale = l)) } }
            @if rows.is_empty() {
                p { (t!("audit.none", locale = l)) }
            } @else {
                div class="table-wrap" {
                    table {
                        caption { (t!("audit.caption", locale = l)) }
                        thead { tr {
                            th scope="col" { (t!("audit.at", locale = l)) }
                            th scope="col" { (t!("audit.actor", locale = l)) }
                            th scope="col" { (t!("audit.kind_label", locale = l)) }
                            th scope="col" { (t!("audit.subject", locale = l)) }
                            th scope="col" { (t!("audit.salon", locale = l)) }
                            th scope="col" { (t!("audit.detail", locale = l)) }
                        } }
                        tbody {
                            @for r in &rows {
                                tr data-kind=(r.kind) {
                                    td { (local_time(&ctx, &r.at)) }
                                    td { (who(l, r.actor_id, &r.actor_name)) }
                                    td { (kind_name(l, &r.kind)) }
                                    td { (who(l, r.subject_person_id, &r.subject_name)) }
                                    td { @if let Some(s) = r.salon_id { a href=(format!("/salons/{s}")) { "#" (s) } } }
                                    td { (detail_text(l, &r.kind, &r.detail)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub async fn csv(
    State(app): State<SharedApp>,
    ctx: Ctx,
    _a: Admin,
    Query(q): Query<FilterQuery>,
) -> AppResult<Response> {
    let l = ctx.lang();
    let rows: Vec<Listed> = audit::list(&app.db, q.filter(), i64::MAX).await?;
    let mut out = String::from("\u{feff}");
    let head = [
        "audit.at",
        "audit.actor",
        "audit.kind_label",
        "audit.subject",
        "audit.salon",
        "audit.detail",
    ]
    .map(|k| t!(k, locale = l).to_string());
    push_row(&mut out, &head);
    for r in &rows {
        push_row(
            &mut out,
            &[
                r.at.to_rfc3339(),
                who(l, r.actor_id, &r.actor_name),
                kind_name(l, &r.kind),
                who(l, r.subject_person_id, &r.subject_name),
                r.salon_id.map(|s| s.to_string()).unwrap_or_default(),
                detail_text(l, &r.kind, &r.detail),
            ],
        );
    }
    Ok(csv_download("salon-audit.csv", out))
}
