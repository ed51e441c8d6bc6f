//! A salon's summary as mail: a text part that reads well as plain text (headings underlined,
//! lists with dashes, results as aligned lines) and an HTML part with real headings, lists and a
//! results table per round. [`html`] is also what the organiser's preview and the salon page
//! show, so what is previewed is what is sent.

use maud::{Markup, html};
use rust_i18n::t;

use super::compose::{Addressed, ComposeError, Composed, html_frame, two_part};
use crate::config::Config;
use crate::domain::summary::Summary;

/// The summary's body as HTML (inside the mail's frame, the preview or the salon page).
pub fn html(s: &Summary, l: &str) -> Markup {
    html! {
        p { (s.lead) }
        @for para in s.intro.split("\n\n").filter(|p| !p.trim().is_empty()) {
            p class="summary-intro" { @for (i, line) in para.lines().enumerate() { @if i > 0 { br; } (line) } }
        }
        @if !s.themes.is_empty() {
            h2 { (t!("summary.themes", locale = l)) }
            ul { @for (title, conclusion) in &s.themes { li { strong { (title) } @if !conclusion.is_empty() { ": " (conclusion) } } } }
        }
        @for r in &s.rounds {
            h2 { (t!("summary.round", locale = l, question = r.question)) }
            table style="border-collapse: collapse;" {
                caption style="text-align: left;" { (crate::i18n::plural("round.voters", r.voters, l)) }
                thead { tr {
                    th scope="col" style="text-align: left; padding: 0.25em 1em 0.25em 0;" { (t!("round.option", locale = l)) }
                    th scope="col" style="text-align: right; padding: 0.25em 0;" { (t!("round.points", locale = l)) }
                } }
                tbody {
                    @for (label, points) in &r.options {
                        tr {
                            th scope="row" style="text-align: left; font-weight: normal; padding: 0.25em 1em 0.25em 0;" { (label) }
                            td style="text-align: right; padding: 0.25em 0;" { (points) }
                        }
                    }
                }
            }
            @for (labels, points) in &r.ties {
                p { (tie_line(labels, *points, l)) }
            }
        }
        @if !s.decisions.is_empty() {
            h2 { (t!("outcome.decisions", locale = l)) }
            ul { @for d in &s.decisions { li { @for (i, line) in d.lines().enumerate() { @if i > 0 { br; } (line) } } } }
        }
        @if !s.actions.is_empty() {
            h2 { (t!("outcome.actions", locale = l)) }
            ul { @for (what, who, due) in &s.actions { li { (what) (action_detail(who, due.as_deref(), l)) } } }
        }
        @if !s.materials.is_empty() {
            h2 { (t!("summary.materials", locale = l)) }
            ul { @for (title, url) in &s.materials { li { a href=(url) { (title) } } } }
        }
        p { (t!("summary.transcript_lead", locale = l)) " " a href=(s.transcript) { (s.transcript) } }
    }
}

fn tie_line(labels: &[String], points: i64, l: &str) -> String {
    t!(
        "summary.tie",
        locale = l,
        options = crate::i18n::timefmt::list(labels, l),
        points = crate::i18n::plural("salon.points", points, l)
    )
    .to_string()
}

fn action_detail(who: &str, due: Option<&str>, l: &str) -> String {
    let mut parts = Vec::new();
    if !who.is_empty() {
        parts.push(who.to_string());
    }
    if let Some(d) = due {
        parts.push(t!("outcome.due", locale = l, date = d).to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// The summary as plain text.
pub fn text(s: &Summary, l: &str) -> String {
    let mut out = format!("{}\n\n", s.lead);
    if !s.intro.is_empty() {
        out.push_str(&s.intro);
        out.push_str("\n\n");
    }
    let heading = |out: &mut String, title: &str| {
        out.push_str(title);
        out.push('\n');
        out.push_str(&"=".repeat(title.chars().count()));
        out.push('\n');
    };
    if !s.themes.is_empty() {
        heading(&mut out, &t!("summary.themes", locale = l));
        for (title, conclusion) in &s.themes {
            out.push_str(&format!("- {title}"));
            if !conclusion.is_empty() {
                out.push_str(&format!(": {conclusion}"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    for r in &s.rounds {
        heading(
            &mut out,
            &t!("summary.round", locale = l, question = r.question),
        );
        let width = r
            .options
            .iter()
            .map(|(o, _)| o.chars().count())
            .max()
            .unwrap_or(0);
        for (label, points) in &r.options {
            let pad = width.saturating_sub(label.chars().count());
            out.push_str(&format!("  {label}{}  {points:>5}\n", " ".repeat(pad)));
        }
        out.push_str(&format!(
            "  ({})\n",
            crate::i18n::plural("round.voters", r.voters, l)
        ));
        for (labels, points) in &r.ties {
            out.push_str(&tie_line(labels, *points, l));
            out.push('\n');
        }
        out.push('\n');
    }
    if !s.decisions.is_empty() {
        heading(&mut out, &t!("outcome.decisions", locale = l));
        for d in &s.decisions {
            out.push_str(&format!("- {}\n", d.replace('\n', "\n  ")));
        }
        out.push('\n');
    }
    if !s.actions.is_empty() {
        heading(&mut out, &t!("outcome.actions", locale = l));
        for (what, who, due) in &s.actions {
            out.push_str(&format!(
                "- {what}{}\n",
                action_detail(who, due.as_deref(), l)
            ));
        }
        out.push('\n');
    }
    if !s.materials.is_empty() {
        heading(&mut out, &t!("summary.materials", locale = l));
        for (title, url) in &s.materials {
            out.push_str(&format!("- {title}: {url}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "{} {}\n",
        t!("summary.transcript_lead", locale = l),
        s.transcript
    ));
    out
}

/// The summary mail to one person, in their language.
pub fn summary(
    config: &Config,
    person: &crate::store::people::Person,
    salon: &crate::store::salons::Salon,
    s: &Summary,
) -> Result<Composed, ComposeError> {
    let locale = person.locale();
    let l = locale.code();
    let subject = t!("mail.summary.subject", locale = l, title = salon.title).to_string();
    let greeting = t!("mail.greeting", locale = l, name = person.name).to_string();
    let url = config.url(&format!("/salons/{}", salon.id));
    let see = t!("mail.open_salon", locale = l).to_string();
    let text_part = format!(
        "{greeting}\n\n{}\n{see}: {url}\n\n-- \n{}\n",
        text(s, l),
        t!("mail.footer", locale = l)
    );
    let html_part = html_frame(
        locale,
        &subject,
        html! {
            p { (greeting) }
            (html(s, l))
            p { a href=(url) style="font-weight: bold;" { (see) } }
        },
    );
    two_part(
        config,
        Addressed {
            kind: "summary",
            name: &person.name,
            email: &person.email,
            subject,
        },
        text_part,
        html_part,
    )
}
