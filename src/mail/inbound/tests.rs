use super::*;
use proptest::prelude::*;

const FIXTURES: [&[u8]; 9] = [
    include_bytes!("../../../tests/fixtures/inbound/outlook-desktop.eml"),
    include_bytes!("../../../tests/fixtures/inbound/outlook-web.eml"),
    include_bytes!("../../../tests/fixtures/inbound/gmail.eml"),
    include_bytes!("../../../tests/fixtures/inbound/apple.eml"),
    include_bytes!("../../../tests/fixtures/inbound/thunderbird.eml"),
    include_bytes!("../../../tests/fixtures/inbound/bounce-rfc3464.eml"),
    include_bytes!("../../../tests/fixtures/inbound/bounce-qmail.eml"),
    include_bytes!("../../../tests/fixtures/inbound/out-of-office.eml"),
    include_bytes!("../../../tests/fixtures/inbound/thunderbird.ics"),
];

#[test]
fn a_reply_names_its_attendee_answer_and_event() {
    let ics = "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:salon-4@x\r\nSEQUENCE:2\r\nDTSTAMP:20261130T090000Z\r\n\
               ATTENDEE;PARTSTAT=accepted;DELEGATED-FROM=\"mailto:B@X.org\":MAILTO:Lars@KB.example\r\nCOMMENT:Gerne\\, tak\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = reply(ics).unwrap();
    assert_eq!(
        (
            r.uid.as_str(),
            r.sequence,
            r.attendee.as_str(),
            r.partstat.as_str()
        ),
        ("salon-4@x", 2, "lars@kb.example", "ACCEPTED")
    );
    assert_eq!(r.delegated_from.as_deref(), Some("b@x.org"));
    assert_eq!(r.comment, "Gerne, tak");
    assert_eq!(
        reply(&ics.replace("METHOD:REPLY", "METHOD:REQUEST")),
        Err("not_a_reply")
    );
    let many = format!(
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n{}END:VCALENDAR\r\n",
        "BEGIN:VTODO\r\nEND:VTODO\r\n".repeat(60)
    );
    assert_eq!(reply(&many), Err("too_many_components"));
}

#[test]
fn sub_address_tokens_are_found_in_any_case_and_nothing_else_is() {
    let t = "abcdefghijklmnopqrstuvwxyz";
    assert_eq!(
        token_in(&format!("Salon+I-{}@Example.org", t.to_uppercase())).as_deref(),
        Some(t)
    );
    assert_eq!(token_in("salon@example.org"), None);
    assert_eq!(token_in("salon+i-short@example.org"), None);
    assert_eq!(
        token_in("salon+i-abcdefghijklmnopqrstuvwxy1@example.org"),
        None,
        "1 is not base32"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("SALON_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)))]

    /// Any bytes, and the fixtures with bytes changed, cut or inserted: an answer, no panic.
    #[test]
    fn reading_never_panics(which in 0usize..FIXTURES.len(), edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 0..40), noise in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut raw = FIXTURES[which].to_vec();
        for (at, byte, kind) in edits {
            if raw.is_empty() { break; }
            let i = at % raw.len();
            match kind {
                0 => raw[i] = byte,
                1 => raw.truncate(i),
                _ => raw.insert(i, byte),
            }
        }
        let _ = read(&raw);
        let _ = read(&noise);
        if let Ok(text) = std::str::from_utf8(&raw) {
            let _ = reply(text);
        }
    }
}
