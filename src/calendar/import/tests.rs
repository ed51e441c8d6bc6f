use super::*;

const CPH: Tz = chrono_tz::Europe::Copenhagen;

fn ics(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n")
}

#[test]
fn reads_utc_zoned_floating_and_all_day_events() {
    let text = ics(concat!(
        "BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Kickoff\\, dag 1\r\nDTSTART:20270310T080000Z\r\nDTEND:20270310T150000Z\r\nLOCATION:KB\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:2\r\nSUMMARY:Oslo\r\nDTSTART;TZID=Europe/Oslo:20270701T100000\r\nDURATION:PT3H\r\n",
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:ignored\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:3\r\nSUMMARY:Floating\r\nDTSTART:20270110T100000\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\r\nUID:4\r\nSUMMARY:Heldag\r\nDTSTART;VALUE=DATE:20270115\r\nDTEND;VALUE=DATE:20270116\r\nEND:VEVENT\r\n",
    ));
    let events = parse(text.as_bytes(), CPH).map_err(|e| format!("{e:?}"));
    let events = events.as_deref().unwrap_or_default();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0].title, "Kickoff, dag 1");
    assert_eq!(events[0].location.as_deref(), Some("KB"));
    assert_eq!(
        events[1].starts_at.to_rfc3339(),
        "2027-07-01T08:00:00+00:00"
    );
    assert_eq!(events[1].ends_at.to_rfc3339(), "2027-07-01T11:00:00+00:00");
    assert_eq!(
        events[1].description, "",
        "the alarm's description is not the event's"
    );
    assert_eq!(
        events[2].starts_at.to_rfc3339(),
        "2027-01-10T09:00:00+00:00"
    );
    assert_eq!(
        events[3].starts_at.to_rfc3339(),
        "2027-01-15T08:00:00+00:00"
    );
    assert_eq!(events[3].ends_at.to_rfc3339(), "2027-01-15T16:00:00+00:00");
}

#[test]
fn broken_files_name_the_line_and_the_reason() {
    let err = |text: &str| parse(text.as_bytes(), CPH).err().map(|e| (e.line, e.code));
    assert_eq!(err("hello"), Some((1, "not_calendar")));
    assert_eq!(err(""), Some((1, "empty")));
    assert_eq!(
        err(&ics("BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n")),
        Some((4, "missing_dtstart"))
    );
    assert_eq!(
        err(&ics(
            "BEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:2027-03-10\r\nEND:VEVENT\r\n"
        )),
        Some((6, "bad_time"))
    );
    assert_eq!(
        err(&ics(
            "BEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART;TZID=Mars/Base:20270310T100000\r\nEND:VEVENT\r\n"
        )),
        Some((6, "unknown_tzid"))
    );
    assert_eq!(
        err(&ics("BEGIN:VEVENT\r\nSUMMARY x\r\nEND:VEVENT\r\n")),
        Some((5, "bad_line"))
    );
    assert_eq!(
        err("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:20270310T100000Z\r\n"),
        Some((2, "unclosed"))
    );
    assert_eq!(
        err(&ics(
            "BEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:20270310T100000Z\r\nEND:VTODO\r\n"
        )),
        Some((7, "mismatched_end"))
    );
    assert_eq!(err(&ics("")), Some((1, "no_events")));
    assert_eq!(
        err(&ics(
            "BEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:20270310T100000Z\r\nDTEND:20270310T090000Z\r\nEND:VEVENT\r\n"
        )),
        Some((6, "end_before_start"))
    );
    let mut bytes = ics("BEGIN:VEVENT\r\nSUMMARY:x\r\n").into_bytes();
    bytes.extend_from_slice(b"DESCRIPTION:\xff\xfe\r\n");
    assert_eq!(
        parse(&bytes, CPH).err().map(|e| (e.line, e.code)),
        Some((7, "not_utf8"))
    );
}

#[test]
fn durations() {
    assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
    assert_eq!(parse_duration("P1D"), Some(Duration::days(1)));
    assert_eq!(parse_duration("P1W"), Some(Duration::weeks(1)));
    assert_eq!(parse_duration("1H"), None);
    assert_eq!(parse_duration("PT"), None);
}

#[test]
fn absurd_durations_are_refused_not_overflowed() {
    for d in [
        "P9999999999999W",
        "P99999999D",
        "PT99999999999999999999H",
        "P1W1W1W1W1W",
        "P32D",
        "P5W",
        "PT-1H",
        "P1H",
    ] {
        assert_eq!(parse_duration(d), None, "{d}");
    }
    let file = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:X\r\nDTSTART:20270310T090000Z\r\nDURATION:P9999999999999W\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let e = parse(file.as_bytes(), chrono_tz::Europe::Copenhagen)
        .err()
        .map(|e| (e.line, e.code));
    assert_eq!(e, Some((5, "bad_duration")));
    let file = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:X\r\nDTSTART:99991231T230000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(
        parse(file.as_bytes(), chrono_tz::Europe::Copenhagen)
            .err()
            .map(|e| (e.line, e.code)),
        Some((4, "bad_time"))
    );
}
