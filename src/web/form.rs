//! Form helpers: a labelled field with its hint and error tied to it for screen readers, and an
//! error summary at the top that links to each field.

use maud::{Markup, html};
use rust_i18n::t;

use super::views::described_by;

/// Errors by field id, in the order they were found.
#[derive(Default, Debug)]
pub struct Errors(pub Vec<(&'static str, String)>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
    /// Refused fields as (field, code), each translated as `<area>.error.<code>`.
    pub fn translated(
        area: &str,
        refused: impl IntoIterator<Item = (&'static str, &'static str)>,
        l: &str,
    ) -> Errors {
        let mut out = Errors::default();
        for (field, code) in refused {
            out.add(
                field,
                t!(format!("{area}.error.{code}"), locale = l).to_string(),
            );
        }
        out
    }

    pub fn add(&mut self, field: &'static str, message: String) {
        // One message per field keeps the form readable; the first is the most basic.
        if self.get(field).is_none() {
            self.0.push((field, message));
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

pub fn summary(errors: &Errors, l: &str) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" id="errors" {
                h2 { (t!("form.errors_title", locale = l)) }
                ul { @for (field, message) in &errors.0 { li { a href=(format!("#{field}")) { (message) } } } }
            }
        }
    }
}

pub enum Kind<'a> {
    Text,
    Email,
    Url,
    Number,
    DateTime,
    /// A calendar date (`YYYY-MM-DD` on the wire; the browser shows it the reader's way).
    Date,
    TextArea(u32),
    Select(&'a [(String, String)]),
}

/// One labelled field. `hint` is shown under the label.
pub fn field(
    id: &'static str,
    label: &str,
    hint: Option<&str>,
    kind: Kind<'_>,
    value: &str,
    errors: &Errors,
    required: bool,
) -> Markup {
    let error = errors.get(id);
    let describedby = described_by(id, hint.is_some(), error.is_some());
    let invalid = error.map(|_| "true");
    html! {
        div class="field" {
            label for=(id) { (label) }
            @if let Some(h) = hint { p class="hint" id=(format!("{id}-hint")) { (h) } }
            @match kind {
                Kind::TextArea(rows) => {
                    textarea id=(id) name=(id) rows=(rows) aria-invalid=[invalid] aria-describedby=[describedby.clone()] required[required] { (value) }
                }
                Kind::Select(options) => {
                    select id=(id) name=(id) aria-invalid=[invalid] aria-describedby=[describedby.clone()] required[required] {
                        @for (v, text) in options {
                            option value=(v) selected[v == value] { (text) }
                        }
                    }
                }
                _ => {
                    @let t = match kind { Kind::Email => "email", Kind::Url => "url", Kind::Number => "number", Kind::DateTime => "datetime-local", Kind::Date => "date", _ => "text" };
                    input type=(t) id=(id) name=(id) value=(value) aria-invalid=[invalid] aria-describedby=[describedby.clone()] required[required];
                }
            }
            @if let Some(e) = error { p class="field-error" id=(format!("{id}-error")) { (e) } }
        }
    }
}

/// A group of checkboxes named `name`, one per (value, label), those in `checked` ticked.
pub fn boxes(
    name: &'static str,
    legend: &str,
    options: &[(String, String)],
    checked: &[String],
    errors: &Errors,
) -> Markup {
    let error = errors.get(name);
    html! {
        fieldset id=(name) class="boxes" aria-describedby=[error.map(|_| format!("{name}-error"))] {
            legend { (legend) }
            @for (v, label) in options {
                @let id = format!("{name}-{v}");
                div class="choice" {
                    input type="checkbox" name=(name) id=(id) value=(v) checked[checked.contains(v)];
                    label for=(id) { (label) }
                }
            }
            @if let Some(e) = error { p class="field-error" id=(format!("{name}-error")) { (e) } }
        }
    }
}
