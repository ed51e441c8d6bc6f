//! A salon's summary as plain values: what the mail's text and HTML parts, the organiser's
//! preview and the salon page all show (`usecases::summary` gathers it, `mail::summary` writes
//! it), and the rule that says which options share a place.

/// One closed priority round in the summary: every option with its points, most first.
pub struct RoundResult {
    pub question: String,
    pub options: Vec<(String, i64)>,
    pub voters: i64,
    /// Options that share a place among the first three (each group: labels, their points),
    /// said in words so a tie is never cut off silently.
    pub ties: Vec<(Vec<String>, i64)>,
}

/// A salon's summary, in one language: what the mail's text and HTML parts, the preview and
/// the salon page all show.
pub struct Summary {
    pub lead: String,
    /// The organiser's own introduction (may be empty).
    pub intro: String,
    /// Themes discussed: title, conclusion (may be empty).
    pub themes: Vec<(String, String)>,
    pub rounds: Vec<RoundResult>,
    pub decisions: Vec<String>,
    /// Actions: what, who, due (as the reader's language writes a date).
    pub actions: Vec<(String, String, Option<String>)>,
    /// The salon's materials as links: title, absolute URL.
    pub materials: Vec<(String, String)>,
    pub transcript: String,
}

/// Groups of options tied on points among the first three places (options sorted, most first).
pub fn ties(options: &[(String, i64)]) -> Vec<(Vec<String>, i64)> {
    let third = options.get(2).or(options.last()).map(|o| o.1);
    let mut groups: Vec<(Vec<String>, i64)> = Vec::new();
    for (label, points) in options {
        if third.is_some_and(|t| *points < t) {
            break;
        }
        match groups.last_mut() {
            Some((labels, p)) if p == points => labels.push(label.clone()),
            _ => groups.push((vec![label.clone()], *points)),
        }
    }
    groups.retain(|(labels, _)| labels.len() > 1);
    groups
}

#[cfg(test)]
mod tests {
    use super::ties;

    fn o(list: &[(&str, i64)]) -> Vec<(String, i64)> {
        list.iter().map(|(l, p)| (l.to_string(), *p)).collect()
    }

    #[test]
    fn ties_in_the_first_three_places_are_named() {
        assert!(ties(&o(&[("A", 9), ("B", 5), ("C", 3), ("D", 1)])).is_empty());
        assert_eq!(
            ties(&o(&[("A", 9), ("B", 5), ("C", 5), ("D", 5), ("E", 1)])),
            vec![(vec!["B".to_string(), "C".to_string(), "D".to_string()], 5)]
        );
        assert_eq!(
            ties(&o(&[("A", 4), ("B", 4), ("C", 2)])),
            vec![(vec!["A".to_string(), "B".to_string()], 4)]
        );
        // A tie below the third place is not a tie for a place shown.
        assert!(ties(&o(&[("A", 9), ("B", 8), ("C", 7), ("D", 1), ("E", 1)])).is_empty());
        assert!(ties(&[]).is_empty());
    }
}
