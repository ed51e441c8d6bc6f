//! A round's ballot form and its results, as the round page shows them.

use super::*;

/// The ballot: a fieldset with one number field per option (`option-{id}`).
pub(super) fn ballot_form(
    ctx: &Ctx,
    r: &Round,
    options: &[RoundOption],
    mine: &HashMap<OptionId, i64>,
    base: &str,
) -> Markup {
    let l = ctx.lang();
    html! {
        form method="post" action=(format!("{base}/ballot")) class="stacked ballot" {
            (csrf_field(ctx))
            fieldset {
                legend { (t!("round.ballot_legend", locale = l, points = r.points_per_person, max = r.max_per_option)) }
                @for o in options {
                    div class="field" {
                        label for=(format!("option-{}", o.id)) { (o.label) }
                        input type="number" id=(format!("option-{}", o.id)) name=(format!("option-{}", o.id)) min="0" max=(r.max_per_option)
                            value=(mine.get(&o.id).copied().unwrap_or(0));
                    }
                }
            }
            div { button type="submit" { (t!("round.cast", locale = l)) } }
        }
    }
}

/// A horizontal bar chart (SVG, drawn here) and the same figures as a table.
pub(super) fn results(l: &str, r: &Round, options: &[RoundOption], voters: i64) -> Markup {
    let top = options.iter().map(|o| o.points).max().unwrap_or(0).max(1);
    let (bar_left, bar_width, row) = (220.0_f64, 340.0_f64, 32);
    let height = row * options.len() as i64 + 10;
    html! {
        section aria-labelledby="results" {
            h2 id="results" { (t!("round.results", locale = l)) }
            p { (crate::i18n::plural("round.voters", voters, l)) }
            svg class="chart" role="img" aria-labelledby="chart-title" width="600" height=(height) viewBox=(format!("0 0 600 {height}")) xmlns="http://www.w3.org/2000/svg" {
                title id="chart-title" { (t!("round.chart_title", locale = l, question = r.question)) }
                @for (i, o) in options.iter().enumerate() {
                    @let y = i as i64 * row + 5;
                    @let w = bar_width * o.points as f64 / top as f64;
                    text x="0" y=(y + 20) font-size="14" { (o.label.chars().take(28).collect::<String>()) }
                    rect x=(bar_left) y=(y + 4) width=(format!("{w:.1}")) height="20" fill="#1d4e89" {}
                    text x=(format!("{:.1}", bar_left + w + 6.0)) y=(y + 20) font-size="14" { (o.points) }
                }
            }
            table class="results" {
                caption { (t!("round.table_caption", locale = l)) }
                thead { tr { th scope="col" { (t!("round.option", locale = l)) } th scope="col" { (t!("round.points", locale = l)) } } }
                tbody { @for o in options { tr { th scope="row" { (o.label) } td { (o.points) } } } }
            }
        }
    }
}
