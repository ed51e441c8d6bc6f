//! The glossary's pages: the list with the organisers' form, and an entry's edit page.

use maud::{Markup, html};
use rust_i18n::t;

use super::{EntryForm, OTHERS, anchor};
use crate::i18n::Locale;
use crate::store::glossary::Entry;
use crate::store::organisations::Organisation;
use crate::web::context::Ctx;
use crate::web::form::{self, Errors, Kind as Field};
use crate::web::salon_page::is_organiser;
use crate::web::views::{csrf_field, page};

pub(super) fn list(
    ctx: &Ctx,
    entries: &[Entry],
    orgs: &[Organisation],
    f: &EntryForm,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    let terms: std::collections::HashSet<&str> = entries.iter().map(|e| e.term.as_str()).collect();
    page(
        ctx,
        &t!("glossary.title", locale = l),
        html! {
            h1 { (t!("glossary.title", locale = l)) }
            p { (t!("glossary.intro", locale = l)) }
            @if entries.is_empty() { p { (t!("glossary.empty", locale = l)) } }
            dl class="glossary" {
                @for e in entries {
                    dt id=(anchor(&e.term)) { strong { (e.term) } }
                    dd {
                        (e.expansion)
                        @if !e.explanation.is_empty() { br; span class="muted" { (e.explanation) } }
                        @if is_organiser(ctx) { " " a href=(format!("/glossary/{}/edit", e.id)) { (t!("glossary.edit", locale = l)) } }
                    }
                }
            }
            h2 { (t!("glossary.organisations", locale = l)) }
            dl class="glossary" {
                @for o in orgs.iter().filter(|o| !terms.contains(o.short_name.as_str())) {
                    dt id=(anchor(&o.short_name)) { strong { (o.short_name) } }
                    dd { a href=(format!("/organisations/{}", o.short_name)) { (o.name) } }
                }
            }
            @if is_organiser(ctx) { (entry_form(ctx, None, f, errors)) }
        },
    )
}

fn entry_form(ctx: &Ctx, id: Option<i64>, f: &EntryForm, errors: &Errors) -> Markup {
    let l = ctx.lang();
    let action = match id {
        Some(id) => format!("/glossary/{id}/edit"),
        None => "/glossary".to_string(),
    };
    html! {
        section aria-labelledby="entry-title" class="panel" {
            h2 id="entry-title" { (t!(if id.is_some() { "glossary.edit" } else { "glossary.add" }, locale = l)) }
            (form::summary(errors, l))
            form method="post" action=(action) class="stacked" novalidate {
                (csrf_field(ctx))
                (form::field("term", &t!("glossary.field.term", locale = l), Some(&t!("glossary.hint.term", locale = l)), Field::Text, &f.term, errors, true))
                (form::field("expansion", &t!("glossary.field.expansion", locale = l), None, Field::Text, &f.expansion, errors, true))
                (form::field("explanation", &t!("glossary.field.explanation", locale = l), None, Field::TextArea(2), &f.explanation, errors, false))
                details {
                    summary { (t!("glossary.other_languages", locale = l)) }
                    @for other in OTHERS {
                        @let (e, x) = f.other(other);
                        @let name = Locale::from_code(other).map(|x| x.native_name()).unwrap_or_default();
                        fieldset {
                            legend { (name) }
                            div class="field" {
                                label for=(format!("expansion_{other}")) { (t!("glossary.field.expansion", locale = l)) }
                                input type="text" id=(format!("expansion_{other}")) name=(format!("expansion_{other}")) value=(e) lang=(other);
                            }
                            div class="field" {
                                label for=(format!("explanation_{other}")) { (t!("glossary.field.explanation", locale = l)) }
                                textarea id=(format!("explanation_{other}")) name=(format!("explanation_{other}")) rows="2" lang=(other) { (x) }
                            }
                        }
                    }
                }
                div { button type="submit" { (t!("landscape.save", locale = l)) } }
            }
        }
    }
}

pub(super) fn edit_page(ctx: &Ctx, e: &Entry, f: &EntryForm, errors: &Errors) -> Markup {
    let l = ctx.lang();
    page(
        ctx,
        &e.term,
        html! {
            p class="kicker" { a href="/glossary" { (t!("glossary.title", locale = l)) } }
            h1 { (e.term) }
            (entry_form(ctx, Some(e.id), f, errors))
            form method="post" action=(format!("/glossary/{}/remove", e.id)) {
                (csrf_field(ctx))
                button type="submit" class="secondary" { (t!("glossary.remove", locale = l)) }
            }
        },
    )
}
