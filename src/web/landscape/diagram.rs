//! An item's dependencies as a small drawing: what it depends on to the left, the item in the
//! middle, what depends on it to the right, an arrow from each that depends to what it
//! depends on. Drawn on the server as SVG; the lists below it say the same in words (the
//! drawing is their picture, named as such for screen readers).

use maud::{Markup, html};
use rust_i18n::t;

use crate::store::landscape::Linked;

const BOX_W: f64 = 190.0;
const BOX_H: f64 = 34.0;
const ROW: f64 = 46.0;
const GAP: f64 = 60.0;
/// Names longer than this are cut with an ellipsis in the drawing (the lists have them whole).
const NAME_MAX: usize = 21;

fn short(name: &str, abbreviation: &str) -> String {
    let text = if abbreviation.is_empty() {
        name
    } else {
        abbreviation
    };
    if text.chars().count() > NAME_MAX {
        let cut: String = text.chars().take(NAME_MAX - 1).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

/// The top of row `i` of `n` rows in a drawing `rows` high, centred.
fn top(i: usize, n: usize, rows: usize) -> f64 {
    let offset = (rows - n) as f64 * ROW / 2.0;
    8.0 + offset + i as f64 * ROW
}

fn node(x: f64, y: f64, label: &str, class: &str) -> Markup {
    html! {
        g class=(class) {
            rect x=(x) y=(y) width=(BOX_W) height=(BOX_H) rx="4" {}
            text x=(x + BOX_W / 2.0) y=(y + BOX_H / 2.0 + 5.0) text-anchor="middle" { (label) }
        }
    }
}

pub fn diagram(
    (name, abbreviation): (&str, &str),
    depends_on: &[Linked],
    dependents: &[Linked],
    l: &str,
) -> Markup {
    if depends_on.is_empty() && dependents.is_empty() {
        return html! {};
    }
    let rows = depends_on.len().max(dependents.len()).max(1);
    let height = rows as f64 * ROW + 16.0;
    let width = 3.0 * BOX_W + 2.0 * GAP;
    let (left, middle, right) = (0.0, BOX_W + GAP, 2.0 * (BOX_W + GAP));
    let centre = top(0, 1, rows);
    let summary = t!("landscape.diagram_desc", locale = l, name = name);
    html! {
        figure class="dependencies" {
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}")) role="img" aria-labelledby="deps-svg-title" {
                title id="deps-svg-title" { (summary) }
                defs {
                    marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse" {
                        path d="M 0 0 L 10 5 L 0 10 z" {}
                    }
                }
                @for (i, _) in depends_on.iter().enumerate() {
                    @let y = top(i, depends_on.len(), rows) + BOX_H / 2.0;
                    line x1=(middle) y1=(centre + BOX_H / 2.0) x2=(left + BOX_W) y2=(y) marker-end="url(#arrow)" {}
                }
                @for (i, _) in dependents.iter().enumerate() {
                    @let y = top(i, dependents.len(), rows) + BOX_H / 2.0;
                    line x1=(right) y1=(y) x2=(middle + BOX_W) y2=(centre + BOX_H / 2.0) marker-end="url(#arrow)" {}
                }
                @for (i, (_, n, a)) in depends_on.iter().enumerate() { (node(left, top(i, depends_on.len(), rows), &short(n, a), "other")) }
                (node(middle, centre, &short(name, abbreviation), "this"))
                @for (i, (_, n, a)) in dependents.iter().enumerate() { (node(right, top(i, dependents.len(), rows), &short(n, a), "other")) }
            }
            figcaption { (t!("landscape.diagram_caption", locale = l)) }
        }
    }
}
