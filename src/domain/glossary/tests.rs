use super::*;

fn glossary() -> Arc<Glossary> {
    Arc::new(Glossary::new(
        [
            ("KB", "Det Kgl. Bibliotek"),
            ("DDF", "Det Digitale Folkebibliotek"),
            ("FI-PL", "Suomen yleisten kirjastojen konsortio"),
            ("FI", "Finland"),
            ("KB", "a second KB, left out"),
        ]
        .map(|(t, e)| Term {
            term: t.into(),
            expansion: e.into(),
        }),
    ))
}

fn marked(pieces: &[Piece<'_>]) -> Vec<String> {
    pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Abbr(s, t) => Some(format!("{s}={}", t.expansion)),
            Piece::Text(_) => None,
        })
        .collect()
}

fn whole(pieces: &[Piece<'_>]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Abbr(s, _) | Piece::Text(s) => *s,
        })
        .collect()
}

#[test]
fn the_first_occurrence_per_page_of_a_whole_word_is_marked() {
    let m = Marker::new(glossary());
    let text = "KB og DDF mødes i KBH; KB betaler, kb ikke. (DDF)";
    let pieces = m.mark(text);
    assert_eq!(whole(&pieces), text, "nothing lost or added");
    assert_eq!(
        marked(&pieces),
        ["KB=Det Kgl. Bibliotek", "DDF=Det Digitale Folkebibliotek"]
    );
    // The same page, another text: already marked, so not again.
    assert!(marked(&m.mark("Spørg KB eller DDF.")).is_empty());
    // Inside a word, or in another case: never.
    let fresh = Marker::new(glossary());
    assert!(marked(&fresh.mark("KBH, kb, XKB, KB2, DDFs")).is_empty());
}

#[test]
fn the_longest_term_wins_and_punctuation_ends_a_word() {
    let m = Marker::new(glossary());
    let pieces = m.mark("Konsortiet FI-PL i FI.");
    assert_eq!(
        marked(&pieces),
        ["FI-PL=Suomen yleisten kirjastojen konsortio", "FI=Finland"]
    );
    assert!(marked(&Marker::new(Arc::new(Glossary::default())).mark("KB")).is_empty());
}

#[test]
fn entries_are_checked() {
    let ok = validate(&EntryInput {
        term: " DDF ",
        expansion: "Det Digitale Folkebibliotek",
        explanation: "",
    })
    .unwrap();
    assert_eq!(ok.0, "DDF");
    let e = validate(&EntryInput {
        term: "D DF",
        expansion: "",
        explanation: "a\u{0}b",
    })
    .unwrap_err();
    let codes: Vec<&str> = e.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["term", "empty", "control"]);
}
