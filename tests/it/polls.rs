//! Polls through the pages and the API, on both databases: a ranked-choice poll counted by
//! Borda score on a worked example with a tie, a score poll, a single-choice poll refusing two
//! choices, an answer changed in place, hidden results, no answer after closing, and closing
//! with an outcome (a decision) or without one (none).

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};
use common::*;
use serde_json::Value;

async fn series_with_salon(org: &Client) -> (i64, i64) {
    let r = org
        .post_form("/series/new", &[("title", "Samtalesaloner 2027")])
        .await;
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let salon = new_salon(org, &[("series_id", &series.to_string())], true).await;
    (series, salon)
}

fn closes_in(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours))
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Put a poll; its id and its options' ids in their order.
async fn put(
    org: &Client,
    db: &TestDb,
    series: i64,
    kind: &str,
    extra: &[(&str, &str)],
) -> (i64, Vec<i64>) {
    let closes = closes_in(24);
    let mut fields = vec![
        ("question", "Hvad tager vi op først?"),
        ("kind", kind),
        ("options", "E-bøger\nKompetencer\nData\nFormidling"),
        ("closes_at", closes.as_str()),
    ];
    fields.extend_from_slice(extra);
    let r = org
        .post_form(&format!("/series/{series}/polls"), &fields)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let id: i64 = location(&r).trim_start_matches("/polls/").parse().unwrap();
    let first = db
        .count(&format!(
            "select min(id) from poll_option where poll_id = {id}"
        ))
        .await;
    (id, (first..first + 4).collect())
}

async fn answer(who: &Client, poll: i64, fields: &[(String, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    who.post_form(&format!("/polls/{poll}/answer"), &fields)
        .await
}

fn ranks(options: &[i64], ranked: &[(usize, &str)]) -> Vec<(String, String)> {
    ranked
        .iter()
        .map(|(i, v)| (format!("option-{}", options[*i]), v.to_string()))
        .collect()
}

async fn results(who: &Client, series: i64, poll: i64) -> Value {
    let all: Value = who
        .get(&format!("/api/v1/series/{series}/polls"))
        .await
        .json()
        .await
        .unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == poll)
        .cloned()
        .unwrap()
}

/// (option index, total, place) of the API's results.
fn table(p: &Value, options: &[i64]) -> Vec<(usize, i64, i64)> {
    p["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let i = options.iter().position(|o| r["option"] == *o).unwrap();
            (
                i,
                r["total"].as_i64().unwrap(),
                r["place"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn ranked_and_score_polls_are_counted_on_worked_examples(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (series, _) = series_with_salon(&org).await;
    let lars = app.signed_in(LARS).await;
    let jens = app.signed_in(JENS).await;
    let sofie = app.signed_in(SOFIE).await;

    // Ranked (4 options: 3 points for a first place, 2, 1, 0).
    let (poll, o) = put(&org, &db, series, "ranked", &[]).await;
    // Lars first ranks E-bøger first, then changes his answer: Kompetencer > E-bøger > Data.
    assert_eq!(
        answer(&lars, poll, &ranks(&o, &[(0, "1")])).await.status(),
        303
    );
    assert_eq!(
        answer(
            &lars,
            poll,
            &ranks(&o, &[(1, "1"), (0, "2"), (2, "3"), (3, "")])
        )
        .await
        .status(),
        303
    );
    // Jens: E-bøger > Kompetencer. Sofie: Data > Kompetencer > E-bøger > Formidling.
    assert_eq!(
        answer(&jens, poll, &ranks(&o, &[(0, "1"), (1, "2")]))
            .await
            .status(),
        303
    );
    assert_eq!(
        answer(
            &sofie,
            poll,
            &ranks(&o, &[(2, "1"), (1, "2"), (0, "3"), (3, "4")])
        )
        .await
        .status(),
        303
    );
    // Mistakes are refused, with the reason, and change nothing.
    let r = answer(&jens, poll, &ranks(&o, &[(0, "1"), (1, "1")])).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("To muligheder kan ikke have samme plads.")
    );
    let r = answer(&jens, poll, &ranks(&o, &[(0, "5")])).await;
    assert_eq!(r.status(), 422, "a place beyond the number of options");
    let r = answer(&jens, poll, &ranks(&o, &[(0, ""), (1, "")])).await;
    assert_eq!(r.status(), 422, "nothing ranked");
    // Kompetencer 3 + 2 + 2 = 7; E-bøger 2 + 3 + 1 = 6; Data 1 + 3 = 4; Formidling 0.
    let p = results(&lars, series, poll).await;
    assert_eq!(p["voters"], 3);
    assert_eq!(table(&p, &o), [(1, 7, 1), (0, 6, 2), (2, 4, 3), (3, 0, 4)]);
    let (_, page) = lars.get_text(&format!("/polls/{poll}")).await;
    assert!(page.contains("Borda-point"), "{}", main_text(&page));

    // Score 0-3, with a tie: E-bøger 3 + 1 = 4, Data 2 + 2 = 4 share first place.
    let (scored, s) = put(&org, &db, series, "score", &[("max_score", "3")]).await;
    let score = |pairs: &[(usize, &str)]| ranks(&s, pairs);
    assert_eq!(
        answer(&lars, scored, &score(&[(0, "3"), (2, "2"), (1, "0")]))
            .await
            .status(),
        303
    );
    assert_eq!(
        answer(&jens, scored, &score(&[(0, "1"), (2, "2"), (3, "1")]))
            .await
            .status(),
        303
    );
    let r = answer(&sofie, scored, &score(&[(0, "4")])).await;
    assert_eq!(r.status(), 422, "over the highest score");
    let p = results(&lars, series, scored).await;
    assert_eq!(table(&p, &s), [(0, 4, 1), (2, 4, 1), (3, 1, 3), (1, 0, 4)]);
}

async fn a_poll_closes_once_hides_its_results_when_asked_and_may_become_a_decision(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (series, salon) = series_with_salon(&org).await;
    let lars = app.signed_in(LARS).await;
    let jens = app.signed_in(JENS).await;

    // Members may not put polls here; mistakes in a poll are named and nothing is stored.
    let closes = closes_in(24);
    let r = lars
        .post_form(
            &format!("/series/{series}/polls"),
            &[
                ("question", "Q"),
                ("kind", "single"),
                ("options", "A\nB"),
                ("closes_at", &closes),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = org
        .post_form(
            &format!("/series/{series}/polls"),
            &[
                ("question", "Q"),
                ("kind", "single"),
                ("options", "Kun én"),
                ("closes_at", &closes),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Skriv 2 til 20 muligheder")
    );
    assert_eq!(db.count("select count(*) from poll").await, 0);

    // Single choice with hidden results.
    let (poll, o) = put(&org, &db, series, "single", &[("hide_results", "on")]).await;
    let one = |i: usize| vec![("option".to_string(), o[i].to_string())];
    let r = answer(
        &lars,
        poll,
        &[
            ("option-".to_string() + &o[0].to_string(), "1".into()),
            (format!("option-{}", o[1]), "1".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), 422, "two choices in a single-choice poll");
    assert!(r.text().await.unwrap().contains("Vælg kun én mulighed."));
    assert_eq!(answer(&lars, poll, &one(2)).await.status(), 303);
    assert_eq!(answer(&jens, poll, &one(2)).await.status(), 303);
    let p = results(&jens, series, poll).await;
    assert_eq!(p["voters"], 2);
    assert!(p["results"].is_null(), "hidden while open: {p}");
    let (_, page) = jens.get_text(&format!("/polls/{poll}")).await;
    assert!(
        page.contains("Resultatet vises, når forslaget lukker.") && !page.contains("data-total")
    );

    // Closed without an outcome: no decision; the results show; no more answers.
    let r = org
        .post_form(
            &format!("/polls/{poll}/close"),
            &[("outcome", ""), ("salon", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(db.count("select count(*) from decision").await, 0);
    let p = results(&jens, series, poll).await;
    assert_eq!(p["state"], "closed");
    assert_eq!(table(&p, &o)[0], (2, 2, 1));
    let r = answer(&jens, poll, &one(0)).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("Afstemningen er lukket"));
    let r = org
        .post_form(&format!("/polls/{poll}/close"), &[("outcome", "Igen")])
        .await;
    assert_eq!(r.status(), 409, "closed once");

    // Closed with an outcome: a decision of the salon chosen.
    let (multi, m) = put(&org, &db, series, "multiple", &[]).await;
    let both = vec![
        (format!("option-{}", m[0]), "1".to_string()),
        (format!("option-{}", m[3]), "1".to_string()),
    ];
    assert_eq!(answer(&lars, multi, &both).await.status(), 303);
    let r = org
        .post_form(
            &format!("/polls/{multi}/close"),
            &[("outcome", "Vi tager e-bøger op først."), ("salon", "")],
        )
        .await;
    assert_eq!(r.status(), 422, "an outcome needs its salon");
    let r = org
        .post_form(
            &format!("/polls/{multi}/close"),
            &[
                ("outcome", "Vi tager e-bøger op først."),
                ("salon", &salon.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count(&format!(
            "select count(*) from decision d join poll p on p.decision_id = d.id where p.id = {multi} and d.salon_id = {salon}"
        ))
        .await,
        1
    );
    let p = results(&lars, series, multi).await;
    assert_eq!(table(&p, &m)[..2], [(0, 1, 1), (3, 1, 1)]);
}

both_backends!(
    ranked_and_score_polls_are_counted_on_worked_examples,
    a_poll_closes_once_hides_its_results_when_asked_and_may_become_a_decision
);
