use chrono::TimeZone;

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap()
}

#[test]
fn times_are_read_in_the_polls_zone_across_a_dst_change() {
    // Denmark moves to summer time on 28 March 2027: 10:00 is 09:00Z before and 08:00Z after.
    let p = validate(
        "Salon 3",
        "",
        "Europe/Copenhagen",
        "180",
        "2027-03-29 10:00\n\n2027-03-26T10:00\n",
        now(),
    )
    .unwrap();
    assert_eq!(
        p.slots,
        [
            Utc.with_ymd_and_hms(2027, 3, 26, 9, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 3, 29, 8, 0, 0).unwrap()
        ],
        "earliest first"
    );
    assert_eq!(p.minutes, 180);
}

#[test]
fn bad_polls_are_refused_field_by_field() {
    let codes = |r: Result<TimePollText, Vec<FieldError>>| {
        r.unwrap_err().iter().map(|e| e.code).collect::<Vec<_>>()
    };
    let z = "Europe/Copenhagen";
    assert_eq!(
        codes(validate("", "", "Mars/Olympus", "10", "", now())),
        ["title", "time_zone", "minutes"]
    );
    let one = "2027-03-26 10:00";
    assert_eq!(
        codes(validate("t", "", z, "60", one, now())),
        ["slot_count"]
    );
    let past = "2027-02-26 10:00\n2027-03-26 10:00";
    assert_eq!(
        codes(validate("t", "", z, "60", past, now())),
        ["slot_past"]
    );
    let twice = "2027-03-26 10:00\n2027-03-26T10:00";
    assert_eq!(
        codes(validate("t", "", z, "60", twice, now())),
        ["slot_twice"]
    );
    // 02:30 on 28 March 2027 does not happen in Denmark.
    let gap = "2027-03-28 02:30\n2027-03-26 10:00";
    assert_eq!(
        codes(validate("t", "", z, "60", gap, now())),
        ["slot_nonexistent"]
    );
    let junk = "next tuesday\n2027-03-26 10:00";
    assert_eq!(
        codes(validate("t", "", z, "60", junk, now())),
        ["slot_invalid"]
    );
    let far = "2030-03-26 10:00\n2027-03-26 10:00";
    assert_eq!(codes(validate("t", "", z, "60", far, now())), ["slot_far"]);
    assert_eq!(
        codes(validate(
            "t\u{0}",
            "",
            z,
            "60",
            "2027-03-26 10:00\n2027-03-27 10:00",
            now()
        )),
        ["title"]
    );
}

#[test]
fn the_best_times_are_those_most_can_come_to_then_most_yes() {
    let c = |yes, maybe| SlotCount { yes, maybe };
    assert_eq!(best(&[c(1, 1), c(2, 0), c(2, 1), c(0, 3)]), [2]);
    assert_eq!(best(&[c(2, 1), c(2, 1), c(1, 2)]), [0, 1], "ties share");
    assert!(best(&[c(0, 0), c(0, 0)]).is_empty(), "nobody can come");
    assert!(best(&[]).is_empty());
}
