//! Priority rounds through the pages, on both databases: ballots are validated (too many
//! points, the per-option maximum, an unknown option, a closed round, someone not admitted:
//! each refused with a clear message and nothing stored), results are hidden until closing
//! unless live, frozen after closing, and a hundred people casting and changing their ballots
//! at once give exact totals.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};
use common::*;
use salon::domain::rsvp::Response::Yes;

/// A published salon with Lars and Jens registered, and a draft round on it with three options.
async fn salon_with_round(app: &TestApp, live: bool) -> (Client, i64, String, Vec<i64>) {
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[], true).await;
    for email in [LARS, JENS] {
        app.answer_for(salon, app.person_id(email).await, Yes).await;
    }
    let mut fields = vec![
        (
            "question",
            "Hvad skal vi prioritere i den fælles investering?",
        ),
        ("options", "Fælles e-bøger\nKompetencer\nData om brugerne"),
        ("points_per_person", "5"),
        ("max_per_option", "3"),
    ];
    if live {
        fields.push(("live_results", "on"));
    }
    let r = org
        .post_form(&format!("/salons/{salon}/rounds"), &fields)
        .await;
    assert_eq!(r.status(), 303);
    let path = location(&r);
    let db = &app.app.db;
    let round = salon::store::rounds::of_salon(db, salon::ids::SalonId(salon))
        .await
        .unwrap()[0]
        .id;
    let options = salon::store::rounds::options(db, round)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id.0)
        .collect();
    (org, salon, path, options)
}

fn ballot(options: &[i64], points: &[&str]) -> Vec<(String, String)> {
    options
        .iter()
        .zip(points)
        .map(|(o, p)| (format!("option-{o}"), p.to_string()))
        .collect()
}

async fn cast(c: &Client, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_form(&format!("{path}/ballot"), &f).await
}

async fn ballots_are_checked_and_results_come_at_closing(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let (org, _salon, path, options) = salon_with_round(&app, false).await;
    let lars = app.signed_in(LARS).await;
    assert_eq!(
        lars.get(&path).await.status(),
        404,
        "a prepared round is the organisers' until it opens"
    );
    // A plan with mistakes is explained.
    let r = org
        .post_form(
            path.rsplit_once('/').unwrap().0,
            &[("question", ""), ("options", "Kun én")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        org.post_form(&format!("{path}/open"), &[]).await.status(),
        303
    );

    for (points, message) in [
        (["3", "3", "0"], "flere point, end du har"),
        (["4", "0", "0"], "flere point end tilladt"),
        (["-1", "0", "0"], "hele tal"),
    ] {
        let r = cast(&lars, &path, &ballot(&options, &points)).await;
        assert_eq!(r.status(), 422, "{points:?}");
        assert!(r.text().await.unwrap().contains(message), "{points:?}");
    }
    let r = cast(
        &lars,
        &path,
        &[("option-999999".to_string(), "1".to_string())],
    )
    .await;
    assert_eq!(r.status(), 422);
    // The same option twice (a hand-made form) is refused, not a database error.
    let twice = format!("option-{}", options[0]);
    let r = cast(
        &lars,
        &path,
        &[(twice.clone(), "1".to_string()), (twice, "1".to_string())],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("to gange"));
    assert_eq!(
        db.count("select count(*) from ballot_point").await,
        0,
        "nothing stored"
    );
    let sofie = app.signed_in(SOFIE).await;
    assert_eq!(
        cast(&sofie, &path, &ballot(&options, &["1", "0", "0"]))
            .await
            .status(),
        403,
        "not registered"
    );
    assert_eq!(
        cast(&app.client(), &path, &ballot(&options, &["1", "0", "0"]))
            .await
            .status(),
        303,
        "a visitor is sent to sign in"
    );
    assert_eq!(db.count("select count(*) from ballot_point").await, 0);

    assert_eq!(
        cast(&lars, &path, &ballot(&options, &["3", "2", ""]))
            .await
            .status(),
        303
    );
    let jens = app.signed_in(JENS).await;
    assert_eq!(
        cast(&jens, &path, &ballot(&options, &["1", "1", "3"]))
            .await
            .status(),
        303
    );
    // Hidden until closing.
    let (_, page) = lars.get_text(&path).await;
    assert!(page.contains("Resultatet vises, når runden lukkes. 2 har stemt"));
    let rounds: serde_json::Value = lars
        .get(&format!("/api/v1/salons/{_salon}/rounds"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        rounds[0]["options"][0].get("points").is_none() && rounds[0].get("voters").is_none(),
        "hidden in the API too: {rounds}"
    );
    assert!(!page.contains("<table class=\"results\""));

    assert_eq!(
        org.post_form(&format!("{path}/close"), &[]).await.status(),
        303
    );
    let (_, page) = lars.get_text(&path).await;
    let table = main_text(&page);
    assert!(
        table.contains("Fælles e-bøger 4")
            && table.contains("Kompetencer 3")
            && table.contains("Data om brugerne 3"),
        "{table}"
    );
    assert!(page.contains("<svg") && page.contains("2 har stemt"));
    // Organisers download the figures; the JSON shows them now too.
    let csv = org.get_text(&format!("{path}/results.csv")).await.1;
    assert!(csv.contains("\"Fælles e-bøger\",4"), "{csv}");
    let rounds: serde_json::Value = lars
        .get(&format!("/api/v1/salons/{_salon}/rounds"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rounds[0]["state"], "closed");
    assert_eq!(rounds[0]["voters"], 2);
    assert_eq!(rounds[0]["options"][0]["points"], 4);
    assert_eq!(
        lars.get(&format!("{path}/results.csv")).await.status(),
        403,
        "organisers only"
    );
    // Frozen: a ballot after closing changes nothing.
    let r = cast(&jens, &path, &ballot(&options, &["0", "0", "0"])).await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        db.count("select cast(coalesce(sum(points), 0) as bigint) from ballot_point")
            .await,
        10
    );
    app.stop().await;
}

async fn live_results_show_while_open(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let (org, _salon, path, options) = salon_with_round(&app, true).await;
    org.post_form(&format!("{path}/open"), &[]).await;
    let lars = app.signed_in(LARS).await;
    cast(&lars, &path, &ballot(&options, &["0", "2", "3"])).await;
    let (_, page) = lars.get_text(&path).await;
    assert!(
        main_text(&page).contains("Data om brugerne 3"),
        "live results"
    );
    app.stop().await;
}

async fn a_hundred_people_casting_and_changing_at_once_give_exact_totals(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let (org, salon, path, options) = salon_with_round(&app, false).await;
    org.post_form(&format!("{path}/open"), &[]).await;
    let mut clients = Vec::new();
    for i in 0..100 {
        let email = format!("leder{i}@bibliotek.example");
        let id = app
            .add_person(&email, &format!("Leder {i}"), salon::domain::Role::Member)
            .await;
        app.answer_for(salon, id, Yes).await;
        clients.push(app.signed_in(&email).await);
    }
    let mut tasks = Vec::new();
    for c in clients {
        let (path, options) = (path.clone(), options.clone());
        tasks.push(tokio::spawn(async move {
            assert_eq!(
                cast(&c, &path, &ballot(&options, &["3", "2", "0"]))
                    .await
                    .status(),
                303
            );
            // ... and changes their mind.
            assert_eq!(
                cast(&c, &path, &ballot(&options, &["0", "3", "2"]))
                    .await
                    .status(),
                303
            );
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for (option, expected) in options.iter().zip([0, 300, 200]) {
        let total = db.count(&format!("select cast(coalesce(sum(points), 0) as bigint) from ballot_point where option_id = {option}")).await;
        assert_eq!(total, expected);
    }
    assert_eq!(
        db.count("select count(distinct person_id) from ballot_point")
            .await,
        100
    );
    app.stop().await;
}

both_backends!(
    ballots_are_checked_and_results_come_at_closing,
    live_results_show_while_open,
    a_hundred_people_casting_and_changing_at_once_give_exact_totals,
);
