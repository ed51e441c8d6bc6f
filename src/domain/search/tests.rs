use super::*;

#[test]
fn words_bring_their_stems_in_every_language() {
    let q = parse("  Bibliotekerne, licenser! ").unwrap();
    assert_eq!(q.words.len(), 2);
    assert_eq!(q.words[0].word, "bibliotekerne");
    assert!(
        q.words[0].stems.contains(&"bibliotek".to_string()),
        "{:?}",
        q.words[0].stems
    );
    assert!(
        q.words[1].stems.contains(&"licens".to_string()),
        "{:?}",
        q.words[1].stems
    );
    // Finnish: "kirjastojen" (the libraries') stems to "kirjasto".
    let fi = parse("kirjastojen").unwrap();
    assert!(
        fi.words[0].stems.contains(&"kirjasto".to_string()),
        "{:?}",
        fi.words[0].stems
    );
}

#[test]
fn nothing_in_a_query_is_syntax() {
    let q = parse("\"a\" OR b* NEAR(c) -d ^e").unwrap();
    let m = q.fts5(false, &HashMap::new());
    assert!(m.contains("(\"or\"") || m.contains("\"or\""), "{m}");
    assert!(!m.contains("NEAR("), "{m}");
    assert_eq!(m.matches('"').count() % 2, 0, "{m}");
    assert_eq!(parse(" -*()\" "), Err(Refused::NoWords));
    assert_eq!(parse(&"a".repeat(QUERY_MAX + 1)), Err(Refused::TooLong));
    assert_eq!(
        parse("a b c d e f g h i j k").unwrap().words.len(),
        WORDS_MAX
    );
}

#[test]
fn stems_become_the_index_terms_they_begin_or_stay_prefixes() {
    let q = parse("Malmö biblioteket").unwrap();
    assert_eq!(fold("Malmö"), "malmo");
    assert_eq!(fold("Brønden"), "brønden", "ø is a letter of its own");
    let prefixes = q.prefixes();
    assert!(prefixes.contains(&"malmo".to_string()), "{prefixes:?}");
    let mut found = HashMap::new();
    found.insert(
        "bibliotek".to_string(),
        vec!["biblioteket".to_string(), "bibliotekerne".to_string()],
    );
    // Too many terms: the stem stays a prefix.
    found.insert(
        "malmo".to_string(),
        (0..=TERMS_MAX).map(|i| format!("malmo{i}")).collect(),
    );
    let m = q.fts5(true, &found);
    assert!(
        m.contains("\"biblioteket\" OR \"bibliotekerne\""),
        "the terms found: {m}"
    );
    assert!(!m.contains("\"bibliotek\"*"), "{m}");
    assert!(m.contains("\"malmö\"*"), "too many terms: a prefix: {m}");
    assert!(m.starts_with("kind : message AND"), "{m}");
}

#[test]
fn snippets_mark_inflected_forms_and_cut_at_words() {
    let q = parse("beslutning").unwrap();
    let text = format!(
        "{} Vi traf beslutningen om fælles licenser i går. {}",
        "Indledning ".repeat(30),
        "Efterskrift ".repeat(30)
    );
    let s = snippet(&q, &text, 80);
    let marked: Vec<&str> = s
        .iter()
        .filter(|(_, m)| *m)
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(marked, ["beslutningen"]);
    let shown: String = s.iter().map(|(t, _)| t.as_str()).collect();
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    assert!(shown.chars().count() <= 84, "{shown}");
    // A short text is shown whole.
    let whole = snippet(&q, "Beslutning: ja.", 80);
    assert_eq!(
        whole,
        [
            ("Beslutning".to_string(), true),
            (": ja.".to_string(), false)
        ]
    );
}
