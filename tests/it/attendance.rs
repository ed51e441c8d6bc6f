//! Attendance, on both databases: entering the room while the salon runs marks a person
//! present once (a reconnect does not mark them twice; entering before the start does not
//! count); at the door an organiser checks people in by name and by the personal code from
//! their invitation mail (an unknown code changes nothing; a slip is undone); the participants
//! page, its CSV and the API show who attended and how.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, connect, next_of, running_salon};
use common::*;

/// How the person was marked present at the salon: no entry, or exactly one.
async fn attended(db: &TestDb, salon: i64, email: &str) -> Vec<String> {
    let rows = format!(
        "from attendance a join person p on p.id = a.person_id where a.salon_id = {salon} and p.email = '{email}'"
    );
    let n = db.count(&format!("select count(*) {rows}")).await;
    assert!(n <= 1, "at most one row per person and salon");
    if n == 0 {
        return Vec::new();
    }
    vec![db.text(&format!("select a.how {rows}")).await]
}

async fn presence_in_the_room_marks_attendance_once(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    // Lars enters, leaves, and enters again.
    for _ in 0..2 {
        let mut lars = connect(&app, salon, Some(LARS), None, None).await.unwrap();
        next_of(&mut lars, "hello").await;
    }
    assert_eq!(
        attended(&db, salon, LARS).await,
        ["room"],
        "once, in the room"
    );

    // A salon whose room is open but which has not begun: being there is not attendance yet.
    let (starts, ends) = from_now(10);
    let soon = new_salon(&org, &[("starts_at", &starts), ("ends_at", &ends)], true).await;
    app.answer_for(
        soon,
        app.person_id(JENS).await,
        salon::domain::rsvp::Response::Yes,
    )
    .await;
    let mut jens = connect(&app, soon, Some(JENS), None, None).await.unwrap();
    next_of(&mut jens, "hello").await;
    assert!(
        attended(&db, soon, JENS).await.is_empty(),
        "not before the start"
    );

    // The organiser's views say so.
    let (_, page) = org.get_text(&format!("/salons/{salon}/participants")).await;
    assert!(
        page.contains("data-attended=\"room\""),
        "{}",
        main_text(&page)
    );
    assert!(page.contains("Ja (i rummet)"));
    let csv = org
        .get(&format!("/salons/{salon}/participants.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.lines()
            .any(|l| l.contains("Lars Brandt") && l.contains("Ja (i rummet)")),
        "{csv}"
    );
    let json: serde_json::Value = org
        .get(&format!("/api/v1/salons/{salon}/attendance"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json[0]["name"], "Lars Brandt", "{json}");
    assert_eq!(json[0]["how"], "room");
    // Members may not read it.
    let lars = app.signed_in(LARS).await;
    assert_eq!(
        lars.get(&format!("/api/v1/salons/{salon}/attendance"))
            .await
            .status(),
        403
    );
}

async fn organisers_check_people_in_by_name_and_by_code(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(
        &org,
        &[
            ("title", "Kickoff i Vartov"),
            ("mode", "in_person"),
            ("address", "Vartov, Farvergade 27, København"),
            ("registration", "invitation"),
        ],
        true,
    )
    .await;
    for email in [LARS, JENS] {
        let id = app.person_id(email).await;
        let r = org
            .post_form(
                &format!("/salons/{salon}/invite"),
                &[("person", &id.to_string())],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    // Jens' code, from the invitation mail he got.
    let dir = db.outbox_dir();
    eventually("the invitations are written", || async {
        !mails_to(&dir, JENS).is_empty() && !mails_to(&dir, LARS).is_empty()
    })
    .await;
    let text = mails_to(&dir, JENS).last().unwrap().text();
    let code = text
        .lines()
        .find_map(|l| l.strip_prefix("Din personlige kode til indtjekning: "))
        .unwrap_or_else(|| panic!("a check-in code in: {text}"))
        .trim()
        .to_string();
    assert_eq!(code.len(), 6);

    let page = format!("/salons/{salon}/checkin");
    // Found by name and checked in with one tap.
    let (status, list) = org.get_text(&format!("{page}?q=lars")).await;
    assert_eq!(status, 200);
    assert!(
        list.contains("Tjek Lars Brandt ind") && !list.contains("Tjek Jens"),
        "{}",
        main_text(&list)
    );
    let lars_id = app.person_id(LARS).await;
    let r = org
        .post_form(&page, &[("person", &lars_id.to_string()), ("q", "lars")])
        .await;
    assert_eq!(r.status(), 303);
    let (_, after) = org.get_text(&location(&r)).await;
    assert!(
        after.contains("Lars Brandt er tjekket ind."),
        "{}",
        main_text(&after)
    );
    assert_eq!(attended(&db, salon, LARS).await, ["door"]);
    // A second tap changes nothing.
    let r = org
        .post_form(&page, &[("person", &lars_id.to_string())])
        .await;
    let (_, again) = org.get_text(&location(&r)).await;
    assert!(again.contains("var allerede tjekket ind"));
    assert_eq!(attended(&db, salon, LARS).await, ["door"]);

    // A wrong code changes nothing; Jens' own code, typed loosely, checks him in.
    let r = org
        .post_form(&format!("{page}/code"), &[("code", "ZZZZZZ")])
        .await;
    let (_, wrong) = org.get_text(&location(&r)).await;
    assert!(
        wrong.contains("Ingen deltager har den kode"),
        "{}",
        main_text(&wrong)
    );
    assert!(attended(&db, salon, JENS).await.is_empty());
    let loose = format!("{}-{}", code[..3].to_lowercase(), &code[3..]);
    let r = org
        .post_form(&format!("{page}/code"), &[("code", &loose)])
        .await;
    let (_, done) = org.get_text(&location(&r)).await;
    assert!(
        done.contains("Jens Riis er tjekket ind."),
        "{}",
        main_text(&done)
    );
    assert_eq!(attended(&db, salon, JENS).await, ["door"]);
    // Someone not invited is not checked in.
    let sofie = app.person_id(common::room::SOFIE).await;
    let r = org
        .post_form(&page, &[("person", &sofie.to_string())])
        .await;
    let (_, refused) = org.get_text(&location(&r)).await;
    assert!(refused.contains("ikke inviteret"));
    assert_eq!(db.count("select count(*) from attendance").await, 2);

    // A slip is undone.
    let r = org
        .post_form(&format!("{page}/{lars_id}/undo"), &[("q", "")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(attended(&db, salon, LARS).await.is_empty());
    // Members never get here.
    let lars = app.signed_in(LARS).await;
    assert_eq!(lars.get(&page).await.status(), 403);
    assert_eq!(
        lars.post_form(&format!("{page}/code"), &[("code", &code)])
            .await
            .status(),
        403
    );
}

async fn a_series_shows_participation_per_organisation(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let lars = app.signed_in(LARS).await;
    let (_, empty) = lars.get_text(&format!("/series/{series}/attendance")).await;
    assert!(empty.contains("Ingen deltagelse er registreret endnu."));
    let mut salons = Vec::new();
    for title in ["Første salon", "Anden salon"] {
        let id = new_salon(
            &org,
            &[("title", title), ("series_id", &series.to_string())],
            true,
        )
        .await;
        salons.push(id);
    }
    // Lars (KB) at both, Jens (KOMBIT) at the second.
    for (salon, email) in [(salons[0], LARS), (salons[1], LARS), (salons[1], JENS)] {
        let person = app.person_id(email).await;
        app.answer_for(salon, person, salon::domain::rsvp::Response::Yes)
            .await;
        let r = org
            .post_form(
                &format!("/salons/{salon}/checkin"),
                &[("person", &person.to_string())],
            )
            .await;
        assert_eq!(r.status(), 303);
    }
    let (status, page) = lars.get_text(&format!("/series/{series}/attendance")).await;
    assert_eq!(status, 200);
    let doc = scraper::Html::parse_document(&page);
    let rows: Vec<Vec<String>> = doc
        .select(&scraper::Selector::parse("table tbody tr").unwrap())
        .map(|tr| {
            tr.text()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec!["Det Kgl. Bibliotek", "1", "1", "2"],
            vec!["KOMBIT", "0", "1", "1"]
        ],
        "{}",
        main_text(&page)
    );
    assert!(page.contains("<svg role=\"img\""), "the chart");
    assert!(
        !main_text(&page).contains("Jens Riis"),
        "counts, never names"
    );
}

both_backends!(
    presence_in_the_room_marks_attendance_once,
    organisers_check_people_in_by_name_and_by_code,
    a_series_shows_participation_per_organisation
);
