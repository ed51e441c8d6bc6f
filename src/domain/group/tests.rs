use super::*;

#[test]
fn the_coordinator_must_be_a_member() {
    let (a, b) = (PersonId(1), PersonId(2));
    assert!(validate("Fælles e-bøger", "", &[a], Some(a)).is_ok());
    let e = validate("Fælles e-bøger", "", &[a], Some(b)).unwrap_err();
    assert_eq!(e, vec![err("coordinator", "not_member")]);
    assert!(validate("Ingen tovholder endnu", "", &[], None).is_ok());
}

#[test]
fn names_refuse_control_characters_and_emptiness() {
    let e = validate("  ", "x\u{0}", &[], None).unwrap_err();
    assert_eq!(e, vec![err("name", "empty"), err("mandate", "control")]);
    assert!(validate("a\nb", "", &[], None).is_err());
}

#[test]
fn a_deliverable_needs_a_real_date_and_an_http_link() {
    let d = deliverable("Udkast", "2027-02-01", "in_progress", "", "").unwrap();
    assert_eq!(d.state, State::InProgress);
    let e = deliverable("Udkast", "2027-02-30", "done", "javascript:alert(1)", "").unwrap_err();
    assert_eq!(
        e,
        vec![
            err("due_on", "date"),
            err("state", "state"),
            err("link", "link")
        ]
    );
    assert!(deliverable("Udkast", "99999-01-01", "delivered", "", "").is_err());
}

#[test]
fn an_update_needs_a_status_and_words() {
    assert_eq!(
        update("at_risk", " Mangler data ").unwrap(),
        (Status::AtRisk, "Mangler data".to_string())
    );
    assert_eq!(
        update("fine", "").unwrap_err(),
        vec![err("status", "status"), err("body", "empty")]
    );
}
