//! The field's landscape and its organisations through the pages and the API, on both
//! databases: every save keeps a revision with its author and the fields it changed; a steward
//! of the owning organisation edits the item and nobody else does (organisers excepted), and a
//! refused edit stores nothing; dates out of order are refused with the reason in the form's
//! language and store nothing; the roadmap, its CSV and the JSON carry the dates; an
//! organisation's page shows names to signed-in members only.

use crate::common;

use common::room::{LARS, ORGANISER, SOFIE};
use common::*;
use serde_json::Value;

/// An agreement owned by DDF, used by KB and KOMBIT.
fn agreement<'a>(name: &'a str, ends: &'a str, renegotiate: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("abbreviation", "EBA"),
        ("kind", "agreement"),
        ("owner", "DDF"),
        ("description", "Fælles aftale om e-bøger og lydbøger."),
        ("countries", "DK"),
        ("users", "KB"),
        ("users", "KOMBIT"),
        ("economy", "Betales af kommunerne efter indbyggertal."),
        ("amount", "12.500.000"),
        ("currency", "DKK"),
        ("governance", "DDF's bestyrelse."),
        ("supplier", "Pubhub"),
        ("starts_on", "2024-01-01"),
        ("ends_on", ends),
        ("renegotiate_on", renegotiate),
    ]
}

async fn revisions(db: &TestDb, item: i64) -> i64 {
    db.count(&format!(
        "select count(*) from landscape_revision where item_id = {item}"
    ))
    .await
}

async fn stewards_edit_their_items_and_every_save_keeps_a_revision(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let sofie = app.signed_in(SOFIE).await;
    let lars = app.signed_in(LARS).await;

    // A member may not add to the landscape.
    let r = lars
        .post_form(
            "/landscape",
            &agreement("E-bogsaftalen", "2027-12-31", "2027-06-30"),
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(db.count("select count(*) from landscape_item").await, 0);

    // The organiser adds it: one revision, "created", by the organiser.
    let r = org
        .post_form(
            "/landscape",
            &agreement("E-bogsaftalen", "2027-12-31", "2027-06-30"),
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let item: i64 = location(&r)
        .trim_start_matches("/landscape/")
        .parse()
        .unwrap();
    assert_eq!(revisions(&db, item).await, 1);
    let (status, page) = sofie.get_text(&format!("/landscape/{item}")).await;
    assert_eq!(status, 200);
    let text = main_text(&page);
    assert!(text.contains("E-bogsaftalen (EBA)"), "{text}");
    assert!(text.contains("12.500.000 DKK om året"), "{text}");
    assert!(text.contains("Mette Sekretariat: oprettet"), "{text}");
    assert!(
        !page.contains(&format!("/landscape/{item}/edit")),
        "Sofie is no steward yet"
    );

    // Sofie (DDF) is not a steward yet: her edit is refused and nothing changes.
    let mut edited = agreement("E-bogsaftalen", "2028-12-31", "2027-06-30");
    let r = sofie
        .post_form(&format!("/landscape/{item}/edit"), &edited)
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(revisions(&db, item).await, 1);

    // The organiser names her a steward (she is of the owning organisation).
    let sofie_id = app.person_id(SOFIE).await.to_string();
    let lars_id = app.person_id(LARS).await.to_string();
    let mut with_stewards = agreement("E-bogsaftalen", "2027-12-31", "2027-06-30");
    with_stewards.push(("stewards", &sofie_id));
    // Lars is not of DDF: ticking him (a crafted form) does not make him one.
    with_stewards.push(("stewards", &lars_id));
    let r = org
        .post_form(&format!("/landscape/{item}/edit"), &with_stewards)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(
        db.count(&format!(
            "select count(*) from landscape_steward where item_id = {item}"
        ))
        .await,
        1,
        "Sofie alone"
    );
    assert_eq!(revisions(&db, item).await, 2);

    // Now Sofie moves the end a year on: a revision by her naming the field. Her form has
    // no owner (a steward cannot move the item), and the owner stays DDF.
    edited.retain(|(k, _)| *k != "owner");
    let r = sofie
        .post_form(&format!("/landscape/{item}/edit"), &edited)
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(revisions(&db, item).await, 3);
    let (_, page) = sofie.get_text(&format!("/landscape/{item}")).await;
    let text = main_text(&page);
    assert!(text.contains("Sofie Aagaard: slut"), "{text}");
    assert!(
        text.contains("Det Digitale Folkebibliotek (DDF)"),
        "owner kept: {text}"
    );
    assert_eq!(
        db.text(&format!(
            "select cast(ends_on as text) from landscape_item where id = {item}"
        ))
        .await,
        "2028-12-31"
    );
    // Saving it unchanged keeps no revision.
    let r = sofie
        .post_form(&format!("/landscape/{item}/edit"), &edited)
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(revisions(&db, item).await, 3);

    // Lars (KB) is nobody's steward: refused, nothing stored.
    let r = lars
        .post_form(
            &format!("/landscape/{item}/edit"),
            &agreement("Overtaget", "2029-12-31", ""),
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(revisions(&db, item).await, 3);
    assert_eq!(
        db.text(&format!(
            "select name from landscape_item where id = {item}"
        ))
        .await,
        "E-bogsaftalen"
    );

    // Sofie's data export has her change and her stewardship; once her account is deleted the
    // item keeps the change with no author.
    let export: Value = sofie.get("/me/export.json").await.json().await.unwrap();
    assert_eq!(
        export["landscape_revisions"][0]["fields"], "ends_on",
        "{export}"
    );
    assert_eq!(export["landscape_stewardships"][0]["name"], "E-bogsaftalen");
    let r = sofie.post_form("/me/delete", &[("confirm", "yes")]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        db.count(&format!(
            "select count(*) from person where id = {sofie_id}"
        ))
        .await,
        0,
        "Sofie's account is gone"
    );
    assert_eq!(revisions(&db, item).await, 3);
    let (_, page) = lars.get_text(&format!("/landscape/{item}")).await;
    assert!(
        main_text(&page).contains("en slettet bruger: slut"),
        "{}",
        main_text(&page)
    );

    // The audit trail has the addition and the changes.
    assert_eq!(
        db.count("select count(*) from audit_event where kind like 'landscape_item_%'")
            .await,
        3
    );
}

async fn dates_out_of_order_are_refused_with_the_reason_and_store_nothing(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let r = org
        .post_form("/landscape", &agreement("Lydbogsaftalen", "2023-12-31", ""))
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Slutdatoen ligger før startdatoen."),
        "{}",
        main_text(&page)
    );
    let r = org
        .post_form(
            "/landscape",
            &agreement("Lydbogsaftalen", "2027-12-31", "2028-03-01"),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Genforhandlingen ligger efter slutdatoen.")
    );
    // A date that does not exist, and an organisation that does not.
    let mut bad = agreement("Lydbogsaftalen", "2027-02-30", "");
    bad.push(("users", "NOPE"));
    let r = org.post_form("/landscape", &bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Skriv en dato, der findes"),
        "{}",
        main_text(&page)
    );
    assert_eq!(db.count("select count(*) from landscape_item").await, 0);
    assert_eq!(db.count("select count(*) from landscape_revision").await, 0);

    // In English for a reader who chose English.
    let r = org.post_form("/lang", &[("lang", "en")]).await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let r = org
        .post_form("/landscape", &agreement("Lydbogsaftalen", "2023-12-31", ""))
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("The end date is before the start date.")
    );
}

async fn the_roadmap_csv_and_json_carry_the_dates(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    for (name, ends, renegotiate) in [
        ("E-bogsaftalen", "2027-12-31", "2027-06-30"),
        ("Avisaftalen", "2028-06-30", ""),
    ] {
        let r = org
            .post_form("/landscape", &agreement(name, ends, renegotiate))
            .await;
        assert_eq!(r.status(), 303);
    }
    // A system without dates is on the list but not the roadmap.
    let r = org
        .post_form(
            "/landscape",
            &[("name", "Brønden"), ("kind", "data"), ("owner", "DBC")],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());

    let visitor = app.client();
    let (status, page) = visitor.get_text("/landscape/roadmap").await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg") && page.contains("role=\"img\""));
    assert_eq!(page.matches("class=\"renegotiate\"").count(), 1);
    let table = page
        .split("id=\"roadmap-table\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        table.contains("E-bogsaftalen (EBA)") && table.contains("30.06.2027"),
        "{table}"
    );
    assert!(!table.contains("Brønden"));
    let csv = visitor
        .get("/landscape/roadmap.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("\"E-bogsaftalen\",\"EBA\",\"agreement\",\"DDF\",\"Pubhub\",\"2024-01-01\",\"2027-06-30\",\"2027-12-31\""), "{csv}");
    // The list filters by kind and owner.
    let (_, page) = visitor.get_text("/landscape?kind=data").await;
    assert!(page.contains("Brønden") && !page.contains("Avisaftalen"));
    let (_, page) = visitor.get_text("/landscape?owner=DBC").await;
    assert!(page.contains("Brønden") && !page.contains("E-bogsaftalen"));

    let json: Vec<Value> = visitor.get("/api/v1/landscape").await.json().await.unwrap();
    let e = json.iter().find(|i| i["name"] == "E-bogsaftalen").unwrap();
    assert_eq!(e["renegotiate_on"], "2027-06-30");
    assert_eq!(e["amount"], 12_500_000);
    assert_eq!(e["used_by"], serde_json::json!(["KB", "KOMBIT"]));
    let orgs: Vec<Value> = visitor
        .get("/api/v1/organisations")
        .await
        .json()
        .await
        .unwrap();
    let ddf = orgs.iter().find(|o| o["short_name"] == "DDF").unwrap();
    assert_eq!(ddf["owns"].as_array().unwrap().len(), 2);
}

async fn an_organisations_page_shows_names_to_members_only(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let lars = app.signed_in(LARS).await;
    // The organiser writes DDF's mandate; a member may not.
    let profile = [
        ("kind", "consortium"),
        ("mandate", "Folkebibliotekernes fælles digitale tilbud."),
        ("influence", "Gennem bestyrelsen, der vælges af KL og BCF."),
        ("website", "https://ddf.example"),
    ];
    assert_eq!(
        lars.post_form("/organisations/DDF/edit", &profile)
            .await
            .status(),
        403
    );
    let r = org.post_form("/organisations/DDF/edit", &profile).await;
    assert_eq!(r.status(), 303);
    let r = org
        .post_form(
            "/organisations/DDF/edit",
            &[("kind", "gadget"), ("website", "javascript:alert(1)")],
        )
        .await;
    assert_eq!(r.status(), 422);

    let (status, page) = app.client().get_text("/organisations/DDF").await;
    assert_eq!(status, 200);
    let text = main_text(&page);
    assert!(
        text.contains("Folkebibliotekernes fælles digitale tilbud."),
        "{text}"
    );
    assert!(text.contains("Konsortium"), "{text}");
    assert!(
        !text.contains("Sofie Aagaard"),
        "no names for visitors: {text}"
    );
    let (_, page) = lars.get_text("/organisations/DDF").await;
    assert!(main_text(&page).contains("Sofie Aagaard"));
    let (_, page) = app.client().get_text("/organisations").await;
    let text = main_text(&page);
    assert!(text.contains("Danmark") && text.contains("Norge"), "{text}");
    assert_eq!(app.client().get("/organisations/NOPE").await.status(), 404);
}

both_backends!(stewards_edit_their_items_and_every_save_keeps_a_revision);
both_backends!(dates_out_of_order_are_refused_with_the_reason_and_store_nothing);
both_backends!(the_roadmap_csv_and_json_carry_the_dates);
both_backends!(an_organisations_page_shows_names_to_members_only);

/// An item's dependencies are listed both ways and drawn: what it depends on to the left, the
/// item, what depends on it to the right; an item with neither has no drawing.
async fn an_items_dependencies_are_listed_and_drawn(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let mut ids = Vec::new();
    for (name, abbr, on) in [
        ("Den Nationale Bibliografi", "DNB", None),
        ("Det Fælles Bibliotekssystem", "FBS", Some(0)),
        ("E-bogsaftalen", "", Some(1)),
    ] {
        let mut form = vec![("name", name), ("abbreviation", abbr), ("kind", "service")];
        let dep: String = on
            .map(|i: usize| ids[i])
            .map(|id: i64| id.to_string())
            .unwrap_or_default();
        if on.is_some() {
            form.push(("depends_on", &dep));
        }
        let r = org.post_form("/landscape", &form).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        ids.push(
            location(&r)
                .trim_start_matches("/landscape/")
                .parse::<i64>()
                .unwrap(),
        );
    }
    let (_, page) = app
        .client()
        .get_text(&format!("/landscape/{}", ids[1]))
        .await;
    let svg = page
        .split("<figure class=\"dependencies\">")
        .nth(1)
        .expect("a drawing");
    let svg = svg.split("</figure>").next().unwrap();
    assert!(svg.contains("role=\"img\""), "{svg}");
    assert!(
        svg.contains("Tegning: hvad Det Fælles Bibliotekssystem afhænger af"),
        "{svg}"
    );
    let boxes: Vec<&str> = svg
        .split("text-anchor=\"middle\">")
        .skip(1)
        .map(|t| t.split('<').next().unwrap())
        .collect();
    assert_eq!(
        boxes,
        ["DNB", "FBS", "E-bogsaftalen"],
        "left, middle, right"
    );
    assert_eq!(svg.matches("<line").count(), 2, "one arrow each");
    let text = main_text(&page);
    assert!(text.contains("Den Nationale Bibliografi (DNB)") && text.contains("E-bogsaftalen"));
    // No drawing for an item with no dependencies either way.
    let r = org
        .post_form("/landscape", &[("name", "BibStat"), ("kind", "data")])
        .await;
    let (_, page) = app.client().get_text(&location(&r)).await;
    assert!(!page.contains("class=\"dependencies\""));
    app.stop().await;
}

both_backends!(an_items_dependencies_are_listed_and_drawn);
