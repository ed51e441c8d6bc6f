//! The materials' markup: one list (pre-reads, then what came of the salon), used by the
//! materials page, the salon page and the room's panel, and the organisers' forms. room.js
//! rebuilds the panel's list from the `materials` frame with the same markup and the headings
//! in `data-label-*`.

use maud::{Markup, html};
use rust_i18n::t;

use super::Forms;
use crate::domain::material::{Phase, accept};
use crate::rooms::notices::MaterialJson;
use crate::store::materials::Material;
use crate::store::salons::Salon;
use crate::web::context::Ctx;
use crate::web::form::{self, Kind};
use crate::web::views::{csrf_field, described_by, page as frame};

fn heading(phase: Phase, l: &str) -> String {
    t!(format!("material.phase.{}", phase.as_str()), locale = l).to_string()
}

/// The list in two groups, each with a heading of `level` (h2 on a page, h3 in a section); with
/// `remove`, each item has the organisers' remove button.
fn groups(ctx: &Ctx, list: &[Material], level: u8, remove: bool) -> Markup {
    let l = ctx.lang();
    html! {
        @for phase in Phase::ALL {
            @let items: Vec<&Material> = list.iter().filter(|m| m.phase() == phase).collect();
            @if !items.is_empty() {
                @if level == 2 { h2 { (heading(phase, l)) } } @else { h3 { (heading(phase, l)) } }
                ul class="materials" data-phase=(phase.as_str()) {
                    @for m in items { (item(ctx, m, remove)) }
                }
            }
        }
    }
}

/// One material: its link and what it is ("PDF, 2 MB"; a link's host).
fn item(ctx: &Ctx, m: &Material, remove: bool) -> Markup {
    let j = MaterialJson::of(m);
    html! {
        li data-material=(m.id) {
            a href=(j.href) { (m.title) }
            " " span class="muted" { "(" (j.detail) ")" }
            @if remove {
                form method="post" action=(format!("/salons/{}/materials/{}/remove", m.salon_id, m.id)) class="inline" {
                    (csrf_field(ctx))
                    button type="submit" class="link" { (t!("material.remove", locale = ctx.lang(), title = m.title)) }
                }
            }
        }
    }
}

/// The salon page's section: the materials, and the way to the page where they are added.
pub fn salon_section(ctx: &Ctx, salon: &Salon, list: &[Material], organiser: bool) -> Markup {
    let l = ctx.lang();
    html! {
        @if !list.is_empty() || organiser {
            section aria-labelledby="materials-title" {
                h2 id="materials-title" { (t!("material.title", locale = l)) }
                (groups(ctx, list, 3, false))
                @if organiser {
                    p { a href=(format!("/salons/{}/materials", salon.id)) { (t!("material.manage", locale = l)) } }
                }
            }
        }
    }
}

/// The room's panel: hidden while there are none; room.js fills it from the frame.
pub fn panel(ctx: &Ctx, salon: &Salon, list: &[Material]) -> Markup {
    let l = ctx.lang();
    html! {
        section id="room-materials" aria-labelledby="room-materials-title" hidden[list.is_empty()]
            data-label-before=(heading(Phase::Before, l)) data-label-after=(heading(Phase::After, l)) {
            h2 id="room-materials-title" { (t!("material.title", locale = l)) }
            div id="room-materials-list" { (groups(ctx, list, 3, false)) }
            p { a href=(format!("/salons/{}/materials", salon.id)) { (t!("material.all", locale = l)) } }
        }
    }
}

fn phases(l: &str) -> Vec<(String, String)> {
    Phase::ALL
        .iter()
        .map(|p| (p.as_str().to_string(), heading(*p, l)))
        .collect()
}

/// `/salons/{id}/materials`: the list, and for organisers and note-takers the forms.
pub fn page(
    ctx: &Ctx,
    salon: &Salon,
    list: &[Material],
    forms: Option<&Forms>,
    limit: usize,
) -> Markup {
    let l = ctx.lang();
    let title = t!("material.page_title", locale = l, title = salon.title).to_string();
    frame(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/salons/{}", salon.id)) { (salon.title) } }
            h1 { (t!("material.title", locale = l)) }
            @if let Some(n) = forms.and_then(|f| f.notice.as_ref()) { p class="notice" role="status" { (n) } }
            @if list.is_empty() { p { (t!("material.empty", locale = l)) } }
            (groups(ctx, list, 2, forms.is_some()))
            @if let Some(f) = forms { (add_forms(ctx, salon, f, limit)) }
        },
    )
}

fn add_forms(ctx: &Ctx, salon: &Salon, f: &Forms, limit: usize) -> Markup {
    let l = ctx.lang();
    let phases = phases(l);
    let file_error = f.file_errors.get("file");
    let hint = t!("material.hint.file", locale = l, mb = limit / (1024 * 1024)).to_string();
    html! {
        section aria-labelledby="add-file" {
            h2 id="add-file" { (t!("material.add_file", locale = l)) }
            (form::summary(&f.file_errors, l))
            // Multipart bodies carry the CSRF token in the query string (see web::csrf).
            form method="post" action=(format!("/salons/{}/materials/file?csrf={}", salon.id, ctx.csrf)) enctype="multipart/form-data" class="stacked" {
                div class="field" {
                    label for="file" { (t!("material.field.file", locale = l)) }
                    p class="hint" id="file-hint" { (hint) }
                    input type="file" id="file" name="file" accept=(accept()) required
                        aria-invalid=[file_error.map(|_| "true")] aria-describedby=[described_by("file", true, file_error.is_some())];
                    @if let Some(e) = file_error { p class="field-error" id="file-error" { (e) } }
                }
                (form::field("file-title", &t!("material.field.title", locale = l), Some(&t!("material.hint.title", locale = l)), Kind::Text, &f.file.title, &f.file_errors, false))
                (form::field("file-phase", &t!("material.field.phase", locale = l), None, Kind::Select(&phases), &f.file.phase, &f.file_errors, true))
                div { button type="submit" { (t!("material.upload", locale = l)) } }
            }
        }
        section aria-labelledby="add-link" {
            h2 id="add-link" { (t!("material.add_link", locale = l)) }
            (form::summary(&f.link_errors, l))
            form method="post" action=(format!("/salons/{}/materials/link", salon.id)) class="stacked" {
                (csrf_field(ctx))
                (form::field("url", &t!("material.field.url", locale = l), None, Kind::Url, &f.link.url, &f.link_errors, true))
                (form::field("title", &t!("material.field.title", locale = l), Some(&t!("material.hint.title", locale = l)), Kind::Text, &f.link.title, &f.link_errors, false))
                (form::field("phase", &t!("material.field.phase", locale = l), None, Kind::Select(&phases), &f.link.phase, &f.link_errors, true))
                div { button type="submit" { (t!("material.add", locale = l)) } }
            }
        }
    }
}
