//! The audit trail, on both databases: every kind of organiser and admin action on people's
//! data or on the record leaves a row naming who, what and on whom; admins read it at
//! `/admin/audit`, filter it by person and by kind and download it as CSV; members and
//! organisers cannot read it.

use crate::common;

use common::room::{JENS, LARS, ORGANISER, SOFIE};
use common::*;
use salon::domain::audit::Kind;
use salon::domain::rsvp::Response::Yes;

const ADMIN: &str = salon::demo::ADMIN_EMAIL;

async fn every_action_on_peoples_data_is_on_the_trail(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let admin = app.signed_in(ADMIN).await;
    let org = app.signed_in(ORGANISER).await;
    let (lars_id, jens_id, sofie_id) = (
        app.person_id(LARS).await,
        app.person_id(JENS).await,
        app.person_id(SOFIE).await,
    );

    // Admin: add a person, change a role (a bad role is refused and recorded nowhere).
    let r = admin
        .post_form(
            "/admin/people",
            &[
                ("name", "Nina Ny"),
                ("email", "nina.ny@bib.example"),
                ("role", "member"),
                ("organisation", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        admin
            .post_form(
                &format!("/admin/people/{jens_id}/role"),
                &[("role", "emperor")]
            )
            .await
            .status(),
        400
    );
    assert_eq!(
        org.post_form(
            &format!("/admin/people/{jens_id}/role"),
            &[("role", "admin")]
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        admin
            .post_form(
                &format!("/admin/people/{jens_id}/role"),
                &[("role", "organiser")]
            )
            .await
            .status(),
        303
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from person where id = {jens_id} and role = 'organiser'"
        ))
        .await,
        1
    );

    // Organiser: invite, record an answer for someone, revoke links, export participants.
    let salon = new_salon(
        &org,
        &[("title", "Revideret salon"), ("registration", "invitation")],
        true,
    )
    .await;
    assert_eq!(
        org.post_form(
            &format!("/salons/{salon}/invite"),
            &[("person", &lars_id.to_string())]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        org.post_form(
            &format!("/salons/{salon}/participants/{lars_id}/answer"),
            &[("response", "nope")]
        )
        .await
        .status(),
        400
    );
    assert_eq!(
        org.post_form(
            &format!("/salons/{salon}/participants/{lars_id}/answer"),
            &[("response", "maybe")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(db.count(&format!("select count(*) from rsvp where salon_id = {salon} and person_id = {lars_id} and response = 'maybe'")).await, 1);
    assert_eq!(
        org.post_form(
            &format!("/salons/{salon}/participants/{lars_id}/revoke-links"),
            &[]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        org.get(&format!("/salons/{salon}/participants.csv"))
            .await
            .status(),
        200
    );

    // In a room: hide a message, mute a person, download the transcript.
    let (starts, ends) = from_now(-10);
    let running = new_salon(
        &org,
        &[
            ("title", "Rum i gang"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    app.answer_for(running, sofie_id, Yes).await;
    let sofie = app.signed_in(SOFIE).await;
    assert_eq!(
        sofie
            .post_form(
                &format!("/salons/{running}/room/messages"),
                &[("body", "Noget der skal skjules"), ("client_id", "s-1")]
            )
            .await
            .status(),
        303
    );
    let mid = db
        .count("select id from message where client_id = 's-1'")
        .await;
    assert_eq!(
        org.post_form(&format!("/salons/{running}/room/messages/{mid}/hide"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        org.post_form(&format!("/salons/{running}/room/mute/{sofie_id}"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(
        org.get(&format!("/salons/{running}/room/transcript.md"))
            .await
            .status(),
        200
    );

    // Themes: reword, move on, schedule into a salon, merge a duplicate.
    let r = org
        .post_form(
            "/series/new",
            &[("title", "Revideret række"), ("description", "")],
        )
        .await;
    let series = location(&r).trim_start_matches("/series/").to_string();
    let in_series = new_salon(
        &org,
        &[("title", "Salon i rækken"), ("series_id", &series)],
        true,
    )
    .await;
    let mut themes = Vec::new();
    for title in ["Fælles licenser", "Licenser i fællesskab"] {
        let r = org
            .post_form(
                &format!("/series/{series}/themes"),
                &[("title", title), ("why", "")],
            )
            .await;
        themes.push(location(&r).trim_start_matches("/themes/").to_string());
    }
    let (a, b) = (&themes[0], &themes[1]);
    assert_eq!(
        org.post_form(
            &format!("/themes/{a}/reword"),
            &[("reword-title", "Fælles licensaftaler"), ("reword-why", "")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        org.post_form(
            &format!("/themes/{a}/schedule"),
            &[("salon", &in_series.to_string())]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        org.post_form(
            &format!("/themes/{a}/state"),
            &[("state", "discussed"), ("conclusion", "")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        org.post_form(&format!("/themes/{b}/merge"), &[("into", a)])
            .await
            .status(),
        303
    );
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'theme_scheduled' and actor_id = {} and salon_id = {in_series}", app.person_id(ORGANISER).await)).await, 1);
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'themes_merged' and detail = 'theme {b} into {a}'")).await, 1);

    // The record corrected after the salon: a decision reworded and withdrawn, an action
    // changed and withdrawn.
    let outcomes = format!("/salons/{in_series}/outcomes");
    org.post_form(
        &format!("{outcomes}/decisions"),
        &[("body", "Vi deler data.")],
    )
    .await;
    let decision = db.count("select max(id) from decision").await;
    org.post_form(&format!("{outcomes}/actions"), &[("what", "Kortlæg data")])
        .await;
    let action = db.count("select max(id) from action").await;
    for (path, fields) in [
        (
            format!("{outcomes}/decisions/{decision}/reword"),
            vec![("body", "Vi deler data fra 2028.")],
        ),
        (format!("{outcomes}/decisions/{decision}/withdraw"), vec![]),
        (
            format!("{outcomes}/actions/{action}/change"),
            vec![("what", "Kortlæg alle data")],
        ),
        (format!("{outcomes}/actions/{action}/withdraw"), vec![]),
    ] {
        assert_eq!(org.post_form(&path, &fields).await.status(), 303, "{path}");
    }
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'decision_reworded' and detail = 'decision {decision}: Vi deler data.'")).await, 1);

    // A salon's materials: a link added and removed.
    org.post_form(
        &format!("/salons/{in_series}/materials/link"),
        &[
            ("url", "https://example.org/rapport"),
            ("title", "Rapporten"),
            ("phase", "before"),
        ],
    )
    .await;
    let material = db.count("select max(id) from material").await;
    org.post_form(
        &format!("/salons/{in_series}/materials/{material}/remove"),
        &[],
    )
    .await;
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind in ('material_added', 'material_removed') and actor_id = {} and salon_id = {in_series} and detail = 'Rapporten'", app.person_id(ORGANISER).await)).await, 2);

    // The landscape: an item added and changed, an organisation's profile changed.
    let item = [("name", "Brønden"), ("kind", "data"), ("owner", "DBC")];
    assert_eq!(org.post_form("/landscape", &item).await.status(), 303);
    let item_id = db.count("select max(id) from landscape_item").await;
    let changed = [
        ("name", "Brønden"),
        ("kind", "data"),
        ("description", "Datavelsen."),
    ];
    assert_eq!(
        org.post_form(&format!("/landscape/{item_id}/edit"), &changed)
            .await
            .status(),
        303
    );
    assert_eq!(
        org.post_form("/organisations/DBC/edit", &[("kind", "company")])
            .await
            .status(),
        303
    );
    assert_eq!(db.count("select count(*) from audit_event where kind = 'organisation_changed' and detail = 'DBC'").await, 1);

    // A working group set up, changed, and a salon of the series made its meeting.
    let lars_member = lars_id.to_string();
    let group = [
        ("name", "Arbejdsgruppen"),
        ("members", lars_member.as_str()),
    ];
    let r = org
        .post_form(&format!("/series/{series}/groups"), &group)
        .await;
    assert_eq!(r.status(), 303);
    let g = location(&r);
    let renamed = [
        ("name", "Arbejdsgruppen om data"),
        ("members", lars_member.as_str()),
    ];
    assert_eq!(
        org.post_form(&format!("{g}/edit"), &renamed).await.status(),
        303
    );
    let meeting = [("salon", in_series.to_string())];
    let meeting: Vec<(&str, &str)> = meeting.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        org.post_form(&format!("{g}/meetings"), &meeting)
            .await
            .status(),
        303
    );
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'group_meeting_set' and salon_id = {in_series} and detail = 'Arbejdsgruppen om data'")).await, 1);

    // A person's data: exported by themselves, deleted by an admin.
    assert_eq!(sofie.get("/me/export.json").await.status(), 200);
    assert_eq!(
        admin
            .post_form(
                &format!("/admin/people/{sofie_id}/delete"),
                &[("confirm", "yes")]
            )
            .await
            .status(),
        303
    );

    for kind in Kind::ALL {
        let n = db
            .count(&format!(
                "select count(*) from audit_event where kind = '{}'",
                kind.code()
            ))
            .await;
        assert!(n >= 1, "no audit row for {}", kind.code());
    }
    // Who did what on whom, as the rows say it.
    let admin_id = app.person_id(ADMIN).await;
    let org_id = app.person_id(ORGANISER).await;
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'role_changed' and actor_id = {admin_id} and subject_person_id = {jens_id} and detail = 'member -> organiser'")).await, 1);
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'answer_set' and actor_id = {org_id} and subject_person_id = {lars_id} and salon_id = {salon} and detail = 'maybe'")).await, 1);
    assert_eq!(db.count(&format!("select count(*) from audit_event where kind = 'invitations_sent' and subject_person_id = {lars_id}")).await, 1);
    assert_eq!(
        db.count("select count(*) from audit_event where detail like '%@%'")
            .await,
        0,
        "no addresses on the trail"
    );

    // Admins read it; the filters work; the CSV has the same rows.
    let (status, page) = admin.get_text("/admin/audit").await;
    assert_eq!(status, 200);
    for name in [
        "Rolle ændret",
        "Deltagerliste hentet",
        "Invitation sendt",
        "Svar registreret på andres vegne",
        "Svarlinks tilbagekaldt",
        "Besked skjult",
        "Deltager gjort tavs",
        "Referat hentet",
        "Persondata hentet",
        "Konto slettet",
        "Person oprettet",
        "Tema omformuleret",
        "Temaets status ændret",
        "Tema sat på en salon",
        "Temaer lagt sammen",
    ] {
        assert!(page.contains(name), "{name} on /admin/audit");
    }
    assert!(
        page.contains(&format!("slettet person (#{sofie_id})")),
        "a deleted person is named by id only"
    );
    let (_, filtered) = admin.get_text("/admin/audit?kind=role_changed").await;
    assert_eq!(filtered.matches("data-kind=\"role_changed\"").count(), 1);
    assert_eq!(filtered.matches("data-kind=").count(), 1);
    let (_, by_person) = admin
        .get_text(&format!("/admin/audit?person={lars_id}"))
        .await;
    assert!(
        by_person.contains("data-kind=\"answer_set\"")
            && !by_person.contains("data-kind=\"role_changed\"")
    );
    let r = admin
        .get(&format!("/admin/audit.csv?person={lars_id}"))
        .await;
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    assert!(
        csv.contains("Svar registreret på andres vegne")
            && csv.contains("Lars Brandt")
            && csv.contains("Måske")
            && !csv.contains("Rolle ændret"),
        "{csv}"
    );
    // Nobody else reads it.
    for who in [&org, &app.signed_in(LARS).await] {
        assert_eq!(who.get("/admin/audit").await.status(), 403);
        assert_eq!(who.get("/admin/audit.csv").await.status(), 403);
    }
    assert_eq!(
        app.client().get("/admin/audit").await.status(),
        303,
        "visitors are sent to sign in"
    );
    app.stop().await;
}

both_backends!(every_action_on_peoples_data_is_on_the_trail);
