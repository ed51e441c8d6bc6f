//! Search: a query as typed, checked and turned into what each database matches on, and the
//! snippet shown with the matching words marked.
//!
//! PostgreSQL stems both the text and the query itself, in each of Salon's five languages
//! (migration 0023). SQLite's FTS5 keeps the words as written (migration 0024); each word of
//! the query brings its Snowball stems in the five languages (the `rust-stemmers` crate), and
//! FTS5 matches the index's terms that a stem begins: "bibliotekerne" finds "biblioteket" by
//! the stem "bibliotek". The same stems mark the words in the snippet.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// The longest query, in characters, and the most words taken from it.
pub const QUERY_MAX: usize = 200;
pub const WORDS_MAX: usize = 8;
/// A stem shorter than this is not used as a prefix (it would match half the language).
const PREFIX_MIN: usize = 3;
/// A stem that begins more terms of the index than this is matched as a prefix instead.
pub const TERMS_MAX: usize = 64;

/// A word as FTS5's `unicode61 remove_diacritics 2` keeps it: lower case, without the marks
/// that Unicode can take apart from their letter ("Malmö" -> "malmo"; "ø" and "æ" stay).
pub fn fold(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// What may be searched for; `kind` filters and labels results.
pub const KINDS: [&str; 9] = [
    "salon", "agenda", "theme", "comment", "decision", "action", "proposal", "material", "message",
];

/// A query, checked: its words (lower case) and each word's stems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub word: String,
    /// The word and its stems in the five languages, longest first, none beginning another
    /// (the shorter finds all the longer would).
    pub stems: Vec<String>,
}

/// Why a query was not run (`search.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    TooLong,
    NoWords,
}

impl Refused {
    pub fn code(self) -> &'static str {
        match self {
            Refused::TooLong => "too_long",
            Refused::NoWords => "no_words",
        }
    }
}

const LANGUAGES: [Algorithm; 5] = [
    Algorithm::Danish,
    Algorithm::Norwegian,
    Algorithm::Swedish,
    Algorithm::Finnish,
    Algorithm::English,
];

/// Check a query: words are runs of letters and digits (anything else separates them, so no
/// FTS5 or tsquery syntax can come through); at most [`WORDS_MAX`].
pub fn parse(raw: &str) -> Result<Query, Refused> {
    let text = raw.trim();
    if text.chars().count() > QUERY_MAX {
        return Err(Refused::TooLong);
    }
    let stemmers: Vec<Stemmer> = LANGUAGES.iter().map(|a| Stemmer::create(*a)).collect();
    let mut words: Vec<Word> = Vec::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = w.to_lowercase();
        if words.iter().any(|x| x.word == word) {
            continue;
        }
        let mut stems = vec![word.clone()];
        for s in &stemmers {
            let stem = s.stem(&word).to_string();
            if stem.chars().count() >= PREFIX_MIN && !stems.contains(&stem) {
                stems.push(stem);
            }
        }
        // A stem that another stem begins is found by that one already: each prefix costs
        // FTS5 a lookup and every ranked row a count, so only the shortest are kept.
        let all = stems.clone();
        stems.retain(|s| {
            !all.iter()
                .any(|t| t != s && t.chars().count() >= PREFIX_MIN && s.starts_with(t.as_str()))
        });
        stems.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        words.push(Word { word, stems });
        if words.len() == WORDS_MAX {
            break;
        }
    }
    if words.is_empty() {
        return Err(Refused::NoWords);
    }
    Ok(Query {
        text: text.to_string(),
        words,
    })
}

impl Query {
    /// The stems to look up among the FTS5 index's terms (folded as the index folds them):
    /// those long enough to be matched as prefixes.
    pub fn prefixes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.words.iter().flat_map(|w| &w.stems) {
            let folded = fold(s);
            if s.chars().count() >= PREFIX_MIN && !out.contains(&folded) {
                out.push(folded);
            }
        }
        out
    }

    /// The FTS5 MATCH expression: every word must match in a title or a text, each by any of
    /// its stems: as the terms of the index that the stem begins (`found`, from
    /// [`Query::prefixes`]; FTS5 reads a list of exact terms lazily, newest first, where a
    /// prefix query merges every matching term's whole list before the first row), or as a
    /// prefix where the lookup found none or too many, or itself, exactly, when it is too short
    /// to be a prefix. Each term is a quoted string, so nothing in it is syntax. `messages`:
    /// room messages only, or all but them.
    pub fn fts5(&self, messages: bool, found: &HashMap<String, Vec<String>>) -> String {
        let words = self.fts5_words(found);
        if messages {
            format!("kind : message AND {{title body}} : ({words})")
        } else {
            format!("{{title body}} : ({words}) NOT kind : message")
        }
    }

    fn fts5_words(&self, found: &HashMap<String, Vec<String>>) -> String {
        self.words
            .iter()
            .map(|w| {
                let alternatives: Vec<String> = w
                    .stems
                    .iter()
                    .map(|s| {
                        if s.chars().count() < PREFIX_MIN {
                            return format!("\"{s}\"");
                        }
                        match found.get(&fold(s)) {
                            Some(terms) if !terms.is_empty() && terms.len() <= TERMS_MAX => terms
                                .iter()
                                .map(|t| format!("\"{}\"", t.replace('"', "")))
                                .collect::<Vec<_>>()
                                .join(" OR "),
                            _ => format!("\"{s}\"*"),
                        }
                    })
                    .collect();
                format!("({})", alternatives.join(" OR "))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The words for PostgreSQL's `plainto_tsquery` in each language.
    pub fn plain(&self) -> String {
        self.words
            .iter()
            .map(|w| w.word.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether a word of a text matches the query (it starts with one of the stems).
    fn marks(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.words.iter().any(|w| {
            w.stems.iter().any(|s| {
                if s.chars().count() >= PREFIX_MIN {
                    lower.starts_with(s.as_str())
                } else {
                    lower == *s
                }
            })
        })
    }
}

/// A piece of a snippet: text, and whether it is a matching word.
pub type Piece = (String, bool);

/// The part of `text` around the first matching word, at most about `max` characters, cut at
/// word boundaries (with "…" where it was cut), split into pieces with the matching words marked.
pub fn snippet(q: &Query, text: &str, max: usize) -> Vec<Piece> {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = flat.chars().collect();
    // Word spans (start, end) in characters.
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, chars.len()));
    }
    let word = |(s, e): (usize, usize)| chars[s..e].iter().collect::<String>();
    let first = spans.iter().copied().find(|sp| q.marks(&word(*sp)));
    let (from, to) = if chars.len() <= max {
        (0, chars.len())
    } else {
        let centre = first.map(|(s, _)| s).unwrap_or(0);
        let from = centre.saturating_sub(max / 3);
        let from = spans
            .iter()
            .map(|(s, _)| *s)
            .rfind(|s| *s <= from)
            .unwrap_or(0);
        let to = (from + max).min(chars.len());
        let to = spans
            .iter()
            .map(|(_, e)| *e)
            .rfind(|e| *e <= to)
            .unwrap_or(to);
        (from, to.max(from))
    };
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |text: String, marked: bool| match pieces.last_mut() {
        Some((t, m)) if *m == marked && !marked => t.push_str(&text),
        _ => pieces.push((text, marked)),
    };
    if from > 0 {
        push("…".into(), false);
    }
    let mut at = from;
    for sp in spans
        .iter()
        .copied()
        .filter(|(s, e)| *s >= from && *e <= to)
    {
        if sp.0 > at {
            push(chars[at..sp.0].iter().collect(), false);
        }
        let w = word(sp);
        let marked = q.marks(&w);
        push(w, marked);
        at = sp.1;
    }
    if to > at {
        push(chars[at..to].iter().collect(), false);
    }
    if to < chars.len() {
        push("…".into(), false);
    }
    pieces
}

#[cfg(test)]
mod tests;
