use super::*;

fn input() -> SalonInput {
    SalonInput {
        title: "Digitalt indhold".into(),
        starts_at: "2027-03-10T09:00".into(),
        ends_at: "2027-03-10T12:30".into(),
        time_zone: "Europe/Copenhagen".into(),
        mode: "online".into(),
        meeting_url: "https://meet.example.org/salon".into(),
        registration: "invitation".into(),
        agenda: "9:00 Velkomst | kaffe\n09.15 Oplæg\nDiskussion".into(),
        ..Default::default()
    }
}

fn codes(r: Result<ValidSalon, Vec<FieldError>>) -> Vec<&'static str> {
    r.err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.code)
        .collect()
}

#[test]
fn a_good_salon_passes_and_is_stored_in_utc() {
    let v = validate(&input(), 0).map_err(|e| format!("{e:?}"));
    let v = v
        .as_ref()
        .map(|v| (v.starts_at.to_rfc3339(), v.agenda.len(), v.address.clone()));
    assert_eq!(v, Ok(("2027-03-10T08:00:00+00:00".to_string(), 3, None)));
}

#[test]
fn each_rule_has_its_error() {
    let mut i = input();
    i.ends_at = "2027-03-10T08:00".into();
    assert_eq!(codes(validate(&i, 0)), ["end_before_start"]);
    let mut i = input();
    i.rsvp_deadline = "2027-03-11T08:00".into();
    assert_eq!(codes(validate(&i, 0)), ["deadline_after_end"]);
    // While it runs is fine: latecomers may still answer.
    i.rsvp_deadline = "2027-03-10T11:00".into();
    assert_eq!(codes(validate(&i, 0)), Vec::<&str>::new());
    let mut i = input();
    i.capacity = "5".into();
    assert_eq!(codes(validate(&i, 6)), ["capacity_below_yes"]);
    i.capacity = "-1".into();
    assert_eq!(codes(validate(&i, 0)), ["capacity_invalid"]);
    let mut i = input();
    i.meeting_url = "javascript:alert(1)".into();
    assert_eq!(codes(validate(&i, 0)), ["meeting_url_invalid"]);
    let mut i = input();
    i.mode = "hybrid".into();
    assert_eq!(codes(validate(&i, 0)), ["address_required"]);
    let mut i = input();
    i.title = " ".into();
    i.starts_at = "tomorrow".into();
    assert_eq!(codes(validate(&i, 0)), ["title_required", "time_invalid"]);
    let mut i = input();
    i.agenda = "25:00 Too late".into();
    assert_eq!(codes(validate(&i, 0)), ["agenda_bad_time"]);
}

#[test]
fn a_time_that_does_not_exist_in_the_zone_is_refused() {
    // 2027-03-28 02:30 does not exist in Copenhagen (clocks jump from 02:00 to 03:00).
    let mut i = input();
    i.starts_at = "2027-03-28T02:30".into();
    i.ends_at = "2027-03-28T05:00".into();
    assert_eq!(codes(validate(&i, 0)), ["time_nonexistent"]);
}
