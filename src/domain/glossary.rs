//! The key to the codes: known abbreviations and where in a text they stand.
//!
//! A page marks the first occurrence of each known abbreviation in the user text it shows
//! (WCAG 3.1.4): a [`Marker`] is made per page and remembers what it has marked. A term is found
//! only as a whole word, matched with its case ("KB" in "KBH" or in "kb" is not it), and only
//! in the text given to it: the pages give it plain text (never a link's text, a heading or an
//! attribute), so a mark never lands inside a link, code or a title.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub use super::proposal::FieldError;
use super::text;

pub const TERM_MAX: usize = 20;
pub const EXPANSION_MAX: usize = 200;
pub const EXPLANATION_MAX: usize = 600;

/// A known abbreviation: how it is written, what it stands for (in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub expansion: String,
}

/// The known abbreviations in one language, found by their first character.
#[derive(Debug, Default)]
pub struct Glossary {
    by_first: HashMap<char, Vec<Term>>,
}

impl Glossary {
    /// From (term, expansion) pairs; a later pair with the same term is left out (so the
    /// glossary's own entries, given first, win over organisations' short names).
    pub fn new(terms: impl IntoIterator<Item = Term>) -> Glossary {
        let mut by_first: HashMap<char, Vec<Term>> = HashMap::new();
        let mut seen = HashSet::new();
        for t in terms {
            let Some(first) = t.term.chars().next() else {
                continue;
            };
            if t.term.chars().any(char::is_whitespace) || !seen.insert(t.term.clone()) {
                continue;
            }
            by_first.entry(first).or_default().push(t);
        }
        // The longest first, so "FI-PL" is found before a shorter "FI".
        for list in by_first.values_mut() {
            list.sort_by_key(|t| std::cmp::Reverse(t.term.len()));
        }
        Glossary { by_first }
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// Every known term (for room.js, which marks live messages by the same rule).
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.by_first.values().flatten()
    }

    /// The known terms in `text` as whole words: (byte offset, term), in order.
    pub fn find<'a>(&'a self, text: &str) -> Vec<(usize, &'a Term)> {
        let mut out = Vec::new();
        if self.by_first.is_empty() {
            return out;
        }
        let mut prev: Option<char> = None;
        let mut skip_to = 0;
        for (i, c) in text.char_indices() {
            let at_start = i >= skip_to && !prev.is_some_and(char::is_alphanumeric);
            prev = Some(c);
            if !at_start {
                continue;
            }
            let Some(candidates) = self.by_first.get(&c) else {
                continue;
            };
            let rest = &text[i..];
            if let Some(t) = candidates.iter().find(|t| {
                rest.starts_with(t.term.as_str())
                    && !rest[t.term.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
            }) {
                out.push((i, t));
                skip_to = i + t.term.len();
            }
        }
        out
    }
}

/// A piece of marked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// The first occurrence on the page of a known term.
    Abbr(&'a str, Term),
}

/// Marks the first occurrence per page of each known term.
pub struct Marker {
    glossary: Arc<Glossary>,
    marked: RefCell<HashSet<String>>,
}

impl Marker {
    pub fn new(glossary: Arc<Glossary>) -> Marker {
        Marker {
            glossary,
            marked: RefCell::new(HashSet::new()),
        }
    }

    /// `text` in pieces, each term not yet marked on this page marked.
    pub fn mark<'a>(&self, text: &'a str) -> Vec<Piece<'a>> {
        let mut pieces = Vec::new();
        let mut at = 0;
        let mut marked = self.marked.borrow_mut();
        for (i, t) in self.glossary.find(text) {
            if !marked.insert(t.term.clone()) {
                continue;
            }
            if i > at {
                pieces.push(Piece::Text(&text[at..i]));
            }
            let end = i + t.term.len();
            pieces.push(Piece::Abbr(&text[i..end], t.clone()));
            at = end;
        }
        if at < text.len() || pieces.is_empty() {
            pieces.push(Piece::Text(&text[at..]));
        }
        pieces
    }
}

/// An entry as the form sends it.
pub struct EntryInput<'a> {
    pub term: &'a str,
    pub expansion: &'a str,
    pub explanation: &'a str,
}

/// An entry, checked: a term of one word (letters, digits, "-", "." and "/"), an expansion
/// and an optional explanation.
pub fn validate(f: &EntryInput<'_>) -> Result<(String, String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let term = text::line(f.term, TERM_MAX, true).unwrap_or_else(|e| {
        errors.push(FieldError {
            field: "term",
            code: e.code(),
        });
        String::new()
    });
    if !term.is_empty()
        && (!term.chars().next().is_some_and(char::is_alphanumeric)
            || !term
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '/')))
    {
        errors.push(FieldError {
            field: "term",
            code: "term",
        });
    }
    let expansion = text::line(f.expansion, EXPANSION_MAX, true).unwrap_or_else(|e| {
        errors.push(FieldError {
            field: "expansion",
            code: e.code(),
        });
        String::new()
    });
    let explanation = text::multiline(f.explanation, EXPLANATION_MAX, false).unwrap_or_else(|e| {
        errors.push(FieldError {
            field: "explanation",
            code: e.code(),
        });
        String::new()
    });
    if errors.is_empty() {
        Ok((term, expansion, explanation))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
