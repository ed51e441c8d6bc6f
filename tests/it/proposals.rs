//! Proposals with consent through the pages and the API, on both databases: who may propose
//! (organisers; members once the series allows it), a stance once per person and changeable
//! until closing, a block without a reason refused, the tally by choice and by organisation,
//! results hidden until closing when so chosen, no stance after the closing time, and the
//! organiser's outcome recorded once as a decision of a salon of the series.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};
use common::*;

/// A series made by the organiser, with one published salon in it: (series, salon).
async fn series_with_salon(org: &Client, members_propose: bool) -> (i64, i64) {
    let mut fields = vec![("title", "Samtalesaloner 2027"), ("description", "")];
    if members_propose {
        fields.push(("members_propose", "on"));
    }
    let r = org.post_form("/series/new", &fields).await;
    assert_eq!(r.status(), 303);
    let series: i64 = location(&r).trim_start_matches("/series/").parse().unwrap();
    let salon = new_salon(org, &[("series_id", &series.to_string())], true).await;
    (series, salon)
}

/// A closing time `hours` from now, as typed in Copenhagen (the organiser's zone).
fn closes_in(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours))
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Put a proposal as `who`; its id.
async fn propose(who: &Client, series: i64, extra: &[(&str, &str)]) -> i64 {
    let closes = closes_in(48);
    let mut fields = vec![
        ("title", "Vi indkøber e-bøger i fællesskab fra 2028"),
        ("background", "Hver kommune forhandler i dag alene."),
        ("closes_at", closes.as_str()),
    ];
    fields.extend_from_slice(extra);
    let r = who
        .post_form(&format!("/series/{series}/proposals"), &fields)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    location(&r)
        .trim_start_matches("/proposals/")
        .parse()
        .unwrap()
}

async fn take(who: &Client, proposal: i64, choice: &str, reason: &str) -> reqwest::Response {
    who.post_form(
        &format!("/proposals/{proposal}/stance"),
        &[("choice", choice), ("reason", reason)],
    )
    .await
}

async fn stance_of(db: &TestDb, proposal: i64, email: &str) -> Option<String> {
    let n = db
        .count(&format!(
            "select count(*) from stance s join person p on p.id = s.person_id
             where s.proposal_id = {proposal} and p.email = '{email}'"
        ))
        .await;
    if n == 0 {
        return None;
    }
    Some(
        db.text(&format!(
            "select s.choice || ':' || s.reason from stance s join person p on p.id = s.person_id
             where s.proposal_id = {proposal} and p.email = '{email}'"
        ))
        .await,
    )
}

/// The "in all" row of the tally on the proposal's page: choice -> count.
fn totals(page: &str) -> Vec<(String, i64)> {
    let row = &page[page.find("data-tally=\"all\"").expect("a tally")..];
    let row = &row[..row.find("</tr>").unwrap()];
    row.split("data-choice=\"")
        .skip(1)
        .map(|cell| {
            let (choice, rest) = cell.split_once('"').unwrap();
            let n = rest[1..rest.find('<').unwrap()].trim().parse().unwrap();
            (choice.to_string(), n)
        })
        .collect()
}

async fn a_stance_is_once_per_person_changeable_until_closing_and_a_block_needs_its_reason(
    db: TestDb,
) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (series, salon) = series_with_salon(&org, false).await;
    let lars = app.signed_in(LARS).await;
    let jens = app.signed_in(JENS).await;
    let sofie = app.signed_in(SOFIE).await;

    // Members may not propose in this series; visitors are sent to sign in.
    let closes = closes_in(48);
    let r = lars
        .post_form(
            &format!("/series/{series}/proposals"),
            &[("title", "Mit forslag"), ("closes_at", &closes)],
        )
        .await;
    assert_eq!(r.status(), 403);
    let (_, page) = lars.get_text(&format!("/series/{series}/proposals")).await;
    assert!(
        page.contains("stiller arrangørerne forslag"),
        "{}",
        main_text(&page)
    );
    let r = app
        .client()
        .get(&format!("/series/{series}/proposals"))
        .await;
    assert_eq!(r.status(), 303, "visitors sign in first");
    // Mistakes are explained and store nothing.
    let r = org
        .post_form(
            &format!("/series/{series}/proposals"),
            &[("title", ""), ("closes_at", "2020-01-01T10:00")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Skriv forslaget"), "{}", main_text(&body));
    assert!(
        body.contains("skal ligge ude i fremtiden"),
        "{}",
        main_text(&body)
    );
    let r = org
        .post_form(
            &format!("/series/{series}/proposals"),
            &[
                ("title", "Et forslag"),
                ("closes_at", &closes),
                ("salon", "999999"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422, "a salon outside the series");
    assert_eq!(db.count("select count(*) from proposal").await, 0);

    let p = propose(&org, series, &[("salon", &salon.to_string())]).await;

    // One stance per person, changed in place.
    assert_eq!(take(&lars, p, "agree", "").await.status(), 303);
    assert_eq!(
        take(&lars, p, "disagree", "Vi har lige forhandlet selv.")
            .await
            .status(),
        303
    );
    assert_eq!(
        stance_of(&db, p, LARS).await.as_deref(),
        Some("disagree:Vi har lige forhandlet selv.")
    );
    // A block without a reason is refused, with the reason asked for, and stores nothing.
    let r = take(&jens, p, "block", "  ").await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("En blokering skal begrundes")
    );
    assert_eq!(stance_of(&db, p, JENS).await, None);
    let r = take(&jens, p, "veto", "").await;
    assert_eq!(r.status(), 422, "an unknown choice");
    assert_eq!(stance_of(&db, p, JENS).await, None);
    assert_eq!(
        take(&jens, p, "block", "Det binder KOMBIT's aftaler i fem år.")
            .await
            .status(),
        303
    );
    assert_eq!(take(&sofie, p, "agree", "").await.status(), 303);
    assert_eq!(
        db.count(&format!(
            "select count(*) from stance where proposal_id = {p}"
        ))
        .await,
        3
    );

    // Everyone sees the tally, by organisation, with the reasons.
    let (status, page) = sofie.get_text(&format!("/proposals/{p}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        totals(&page),
        [
            ("agree".to_string(), 1),
            ("abstain".into(), 0),
            ("disagree".into(), 1),
            ("block".into(), 1)
        ]
    );
    assert!(
        page.contains("Det binder KOMBIT&#39;s aftaler i fem år.")
            || page.contains("Det binder KOMBIT's aftaler i fem år.")
    );
    assert!(page.contains("KOMBIT"), "the blocker's organisation");
    // Her own stance is chosen in the form when she comes back.
    assert!(
        page.contains("id=\"choice-agree\" value=\"agree\" checked"),
        "{}",
        main_text(&page)
    );
    // The API has the same figures.
    let json: serde_json::Value = sofie
        .get(&format!("/api/v1/series/{series}/proposals"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json[0]["tally"]["block"], 1, "{json}");
    assert_eq!(json[0]["stances"], 3);
    assert_eq!(json[0]["state"], "open");

    // Only an organiser closes, with an outcome, into a salon of the series.
    let r = lars
        .post_form(
            &format!("/proposals/{p}/close"),
            &[("outcome", "Vedtaget"), ("salon", &salon.to_string())],
        )
        .await;
    assert_eq!(r.status(), 403, "members do not close");
    let r = org
        .post_form(
            &format!("/proposals/{p}/close"),
            &[("outcome", ""), ("salon", &salon.to_string())],
        )
        .await;
    assert_eq!(r.status(), 422, "an outcome is needed");
    assert_eq!(db.count("select count(*) from decision").await, 0);
    let outcome = "Forslaget er ikke vedtaget: KOMBIT's aftaler afklares først.";
    let r = org
        .post_form(
            &format!("/proposals/{p}/close"),
            &[("outcome", outcome), ("salon", &salon.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(
        db.count(&format!(
            "select count(*) from decision d join proposal p on p.decision_id = d.id
             where p.id = {p} and d.salon_id = {salon}"
        ))
        .await,
        1,
        "the outcome is a decision of the salon"
    );
    let (_, outcomes) = lars.get_text(&format!("/salons/{salon}/outcomes")).await;
    assert!(
        outcomes.contains("Forslaget er ikke vedtaget"),
        "{}",
        main_text(&outcomes)
    );
    // Closed: no more stances, and it closes once.
    let r = take(&lars, p, "agree", "").await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("Forslaget er lukket"));
    assert_eq!(
        stance_of(&db, p, LARS).await.as_deref(),
        Some("disagree:Vi har lige forhandlet selv.")
    );
    let r = org
        .post_form(
            &format!("/proposals/{p}/close"),
            &[("outcome", "Igen"), ("salon", &salon.to_string())],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(db.count("select count(*) from decision").await, 1);
    let (_, page) = lars.get_text(&format!("/proposals/{p}")).await;
    assert!(
        page.contains("Afgjort") && page.contains("Se beslutningen"),
        "{}",
        main_text(&page)
    );
}

async fn hidden_results_show_only_how_many_until_the_proposal_closes_and_time_closes_it(
    db: TestDb,
) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (series, salon) = series_with_salon(&org, true).await;
    let lars = app.signed_in(LARS).await;
    let jens = app.signed_in(JENS).await;

    // Members may propose here.
    let p = propose(&lars, series, &[("hide_results", "on")]).await;
    assert_eq!(
        take(&lars, p, "agree", "En hemmelig grund").await.status(),
        303
    );
    let (_, page) = jens.get_text(&format!("/proposals/{p}")).await;
    assert!(
        page.contains("1 har taget stilling"),
        "{}",
        main_text(&page)
    );
    assert!(page.contains("Resultatet vises, når forslaget lukker."));
    assert!(
        !page.contains("En hemmelig grund"),
        "no reasons while hidden"
    );
    assert!(!page.contains("data-tally"), "no tally while hidden");
    let json: serde_json::Value = jens
        .get(&format!("/api/v1/series/{series}/proposals"))
        .await
        .json()
        .await
        .unwrap();
    assert!(json[0]["tally"].is_null(), "{json}");
    assert_eq!(json[0]["stances"], 1);

    // The closing time passes (moved back here): no more stances; the results show; the
    // organiser still writes the outcome.
    db.execute(&format!(
        "update proposal set closes_at = {} where id = {p}",
        if db.postgres {
            "now() - interval '1 minute'"
        } else {
            "'2020-01-01T00:00:00+00:00'"
        }
    ))
    .await;
    let r = take(&jens, p, "block", "For sent").await;
    assert_eq!(r.status(), 409);
    assert_eq!(stance_of(&db, p, JENS).await, None);
    let (_, page) = jens.get_text(&format!("/proposals/{p}")).await;
    assert!(page.contains("Venter på udfald"), "{}", main_text(&page));
    assert!(
        page.contains("En hemmelig grund"),
        "results shown once closed"
    );
    assert!(
        !page.contains("id=\"stance\""),
        "no stance form once closed"
    );
    let r = org
        .post_form(
            &format!("/proposals/{p}/close"),
            &[("outcome", "Vedtaget."), ("salon", &salon.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303);
    let json: serde_json::Value = jens
        .get(&format!("/api/v1/series/{series}/proposals"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json[0]["state"], "closed");
    assert_eq!(json[0]["outcome"], "Vedtaget.");
    assert_eq!(json[0]["tally"]["agree"], 1);
}

both_backends!(
    a_stance_is_once_per_person_changeable_until_closing_and_a_block_needs_its_reason,
    hidden_results_show_only_how_many_until_the_proposal_closes_and_time_closes_it
);
