//! Materials, on both databases: organisers upload files and add links to a salon; whoever may
//! see the salon sees them (the salon page, the materials page, the API) and downloads a file
//! as what it really is; members, visitors and other salons' paths change nothing; a file over
//! the limit, of a forbidden kind or with a lying name is refused with a clear message and
//! nothing stored; a file uploaded on one instance is served by another; the room's panel
//! shows them and gets a new one live; the summary mail links them; the data export lists
//! what a person added.

use crate::common;

use common::room::{LARS, ORGANISER, connect, running_salon};
use common::*;

const PPTX: &[u8] = include_bytes!("../fixtures/materials/slides.pptx");
const ZIP: &[u8] = include_bytes!("../fixtures/materials/archive.zip");
const PDF: &[u8] = include_bytes!("../../src/demo/files/forberedelse.pdf");
const PPTX_TYPE: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

impl Client {
    /// Upload a material as the form does (the CSRF token in the query string).
    async fn upload(
        &self,
        salon: i64,
        name: &str,
        bytes: Vec<u8>,
        title: &str,
        phase: &str,
    ) -> reqwest::Response {
        let token = self.csrf().await;
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new()
            .text("file-title", title.to_string())
            .text("file-phase", phase.to_string())
            .part("file", part);
        self.http
            .post(self.url(&format!("/salons/{salon}/materials/file?csrf={token}")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// What the slides are, as lists say it: "PPTX, N kB".
fn pptx_detail() -> String {
    format!("PPTX, {} kB", PPTX.len().div_ceil(1024))
}

async fn stored(db: &TestDb) -> (i64, i64) {
    (
        db.count("select count(*) from material").await,
        db.count("select count(*) from material_file").await,
    )
}

async fn organisers_add_files_and_links_that_everyone_who_sees_the_salon_gets(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[("title", "Salonen om indhold")], true).await;
    let before = stored(&db).await;

    let r = org
        .upload(
            salon,
            "Salon 3 – dias.pptx",
            PPTX.to_vec(),
            "Dagens dias",
            "after",
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/salons/{salon}/materials?done=added")
    );
    let r = org
        .post_form(
            &format!("/salons/{salon}/materials/link"),
            &[
                ("url", "https://bibliotek.example.org/rapport"),
                ("title", ""),
                ("phase", "before"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(stored(&db).await, (before.0 + 2, before.1 + 1));

    // A visitor sees both, the pre-read first, on the salon page and the materials page.
    let visitor = app.client();
    for path in [
        format!("/salons/{salon}"),
        format!("/salons/{salon}/materials"),
    ] {
        let (status, page) = visitor.get_text(&path).await;
        assert_eq!(status, 200);
        let text = main_text(&page);
        let link = text.find("https://bibliotek.example.org/rapport").unwrap();
        let slides = text
            .find(&format!("Dagens dias ({})", pptx_detail()))
            .unwrap();
        assert!(link < slides, "pre-reads first: {text}");
        assert!(text.contains("Læs før salonen") && text.contains("Fra salonen"));
    }
    let json: serde_json::Value = visitor
        .get(&format!("/api/v1/salons/{salon}/materials"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json[0]["kind"], "link", "{json}");
    assert_eq!(json[1]["title"], "Dagens dias");
    assert_eq!(json[1]["content_type"], PPTX_TYPE);
    assert_eq!(json[1]["size"], PPTX.len());
    let href = json[1]["href"].as_str().unwrap().to_string();
    assert!(
        href.starts_with(&app.base),
        "absolute for API clients: {href}"
    );

    // The file comes back as it went in: a download of its real type, never sniffed.
    let r = visitor.http.get(&href).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], PPTX_TYPE);
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"Salon 3 _ dias.pptx\"; filename*=UTF-8''Salon%203%20%E2%80%93%20dias.pptx"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), PPTX);

    // A member may look but not add or remove; a visitor is sent to sign in; nothing changes.
    let lars = app.signed_in(LARS).await;
    let r = lars
        .upload(salon, "x.pdf", PDF.to_vec(), "Mit eget", "before")
        .await;
    assert_eq!(r.status(), 403);
    let id = json[1]["id"].as_i64().unwrap();
    let r = lars
        .post_form(&format!("/salons/{salon}/materials/{id}/remove"), &[])
        .await;
    assert_eq!(r.status(), 403);
    let r = visitor
        .upload(salon, "x.pdf", PDF.to_vec(), "", "before")
        .await;
    assert!([303, 403].contains(&r.status().as_u16()), "{}", r.status());
    assert_eq!(stored(&db).await, (before.0 + 2, before.1 + 1));
    let (_, page) = lars.get_text(&format!("/salons/{salon}/materials")).await;
    assert!(
        !page.contains("type=\"file\""),
        "no upload form for members"
    );

    // Another salon's path does not reach this salon's file; a draft's files stay hidden.
    let other = new_salon(&org, &[("title", "En anden salon")], true).await;
    let draft = new_salon(&org, &[("title", "Kladde")], false).await;
    assert_eq!(
        visitor
            .get(&format!("/salons/{other}/materials/{id}/file"))
            .await
            .status(),
        404
    );
    let r = org
        .upload(draft, "plan.pdf", PDF.to_vec(), "Plan", "before")
        .await;
    assert_eq!(r.status(), 303);
    let draft_file: serde_json::Value = org
        .get(&format!("/api/v1/salons/{draft}/materials"))
        .await
        .json()
        .await
        .unwrap();
    let draft_href = draft_file[0]["href"].as_str().unwrap();
    assert_eq!(org.http.get(draft_href).send().await.unwrap().status(), 200);
    assert_eq!(
        visitor.http.get(draft_href).send().await.unwrap().status(),
        404
    );
    assert_eq!(
        visitor
            .get(&format!("/salons/{draft}/materials"))
            .await
            .status(),
        404
    );

    // Removing takes the file with it, and both steps are on the audit trail.
    let r = org
        .post_form(&format!("/salons/{salon}/materials/{id}/remove"), &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(visitor.http.get(&href).send().await.unwrap().status(), 404);
    assert_eq!(
        db.count(&format!(
            "select count(*) from material_file f join material m on m.id = f.material_id where m.salon_id = {salon}"
        ))
        .await,
        0,
        "the bytes are gone"
    );
    assert_eq!(
        db.count(&format!(
            "select count(*) from audit_event where kind in ('material_added', 'material_removed') and salon_id = {salon}"
        ))
        .await,
        3
    );
}

async fn refused_uploads_say_why_in_the_readers_language_and_store_nothing(db: TestDb) {
    let mut settings = db.settings();
    settings.upload_max_mb = "1".into();
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[], true).await;
    let before = stored(&db).await;

    // Just over 1 MB: a real PDF head with padding after it.
    let mut big = PDF.to_vec();
    big.resize(1024 * 1024 + 1, b' ');
    let cases: [(&str, Vec<u8>, u16, &str); 5] = [
        (
            "stor.pdf",
            big,
            413,
            "Filen er større end 1 MB. Intet er gemt.",
        ),
        (
            "arkiv.zip",
            ZIP.to_vec(),
            422,
            "Den slags fil kan ikke uploades.",
        ),
        (
            "program.pdf.exe",
            b"MZ\x90\0\x03\0\0\0\x04\0".to_vec(),
            422,
            "Den slags fil kan ikke uploades.",
        ),
        (
            "dias.pdf",
            PPTX.to_vec(),
            422,
            "Filens navn passer ikke til dens indhold",
        ),
        ("tom.pdf", Vec::new(), 422, "Vælg en fil."),
    ];
    for (name, bytes, status, message) in cases {
        let r = org.upload(salon, name, bytes, "Titel", "before").await;
        assert_eq!(r.status(), status, "{name}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{name}: {}", main_text(&page));
        assert!(
            page.contains("aria-invalid=\"true\""),
            "the field is marked"
        );
    }
    // A title with a control character, and an unknown phase.
    let r = org
        .upload(salon, "ok.pdf", PDF.to_vec(), "a\u{7}b", "before")
        .await;
    assert_eq!(r.status(), 422);
    let r = org
        .upload(salon, "ok.pdf", PDF.to_vec(), "ok", "sometime")
        .await;
    assert_eq!(r.status(), 422);
    // A link that is not a web address.
    let r = org
        .post_form(
            &format!("/salons/{salon}/materials/link"),
            &[
                ("url", "javascript:alert(1)"),
                ("title", "x"),
                ("phase", "before"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("https://"));
    assert_eq!(stored(&db).await, before, "nothing stored");

    // In English for a reader who chose English.
    org.post_form("/lang", &[("lang", "en")]).await;
    let r = org
        .upload(salon, "arkiv.zip", ZIP.to_vec(), "", "before")
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("That kind of file cannot be uploaded.")
    );
    assert_eq!(stored(&db).await, before);
}

async fn a_file_uploaded_on_one_instance_is_served_by_another(db: TestDb) {
    let first = TestApp::spawn(&db).await;
    first.load_demo().await;
    let second = TestApp::spawn(&db).await;
    let org = first.signed_in(ORGANISER).await;
    let salon = new_salon(&org, &[], true).await;
    let r = org
        .upload(salon, "forberedelse.pdf", PDF.to_vec(), "", "before")
        .await;
    assert_eq!(r.status(), 303);
    let json: serde_json::Value = second
        .client()
        .get(&format!("/api/v1/salons/{salon}/materials"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        json[0]["title"], "forberedelse.pdf",
        "the name is the title"
    );
    let id = json[0]["id"].as_i64().unwrap();
    let r = second
        .client()
        .get(&format!("/salons/{salon}/materials/{id}/file"))
        .await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
}

async fn the_room_shows_materials_and_a_new_one_arrives_live(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let org = app.signed_in(ORGANISER).await;
    org.upload(
        salon,
        "forberedelse.pdf",
        PDF.to_vec(),
        "Forberedelse",
        "before",
    )
    .await;
    let lars = app.signed_in(LARS).await;
    let (_, page) = lars.get_text(&format!("/salons/{salon}/room")).await;
    let panel = page
        .split("id=\"room-materials\"")
        .nth(1)
        .expect("the panel");
    assert!(panel.contains("Forberedelse</a> <span class=\"muted\">(PDF, 2 kB)</span>"));

    let mut socket = connect(&app, salon, Some(LARS), None, None).await.unwrap();
    common::room::next_of(&mut socket, "hello").await;
    org.upload(salon, "dias.pptx", PPTX.to_vec(), "Dagens dias", "after")
        .await;
    let frame = common::room::next_of(&mut socket, "materials").await;
    let list = frame["materials"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{frame}");
    assert_eq!(list[1]["title"], "Dagens dias");
    assert_eq!(list[1]["detail"], pptx_detail());
    assert_eq!(
        list[1]["href"],
        format!("/salons/{salon}/materials/{}/file", list[1]["id"])
    );
}

async fn the_summary_links_the_materials_and_the_export_lists_them(db: TestDb) {
    let (app, sink) = TestApp::spawn_with_smtp(&db).await;
    app.load_demo().await;
    let org = app.signed_in(ORGANISER).await;
    let (starts, ends) = from_now(-180);
    let ended = new_salon(&org, &[("starts_at", &starts), ("ends_at", &ends)], true).await;
    app.answer_for(
        ended,
        app.person_id(LARS).await,
        salon::domain::rsvp::Response::Yes,
    )
    .await;
    org.upload(ended, "dias.pptx", PPTX.to_vec(), "Dagens dias", "after")
        .await;
    let r = org
        .post_form(&format!("/salons/{ended}/summary"), &[("intro", "")])
        .await;
    assert_eq!(r.status(), 303);
    let mail = wait_for_mails_to(&sink.dir, LARS, 1).await.pop().unwrap();
    let id = db
        .count(&format!("select id from material where salon_id = {ended}"))
        .await;
    let url = format!("{}/salons/{ended}/materials/{id}/file", app.base);
    assert!(
        mail.text().contains(&format!("- Dagens dias: {url}")),
        "{}",
        mail.text()
    );
    assert!(
        mail.html()
            .contains(&format!("<a href=\"{url}\">Dagens dias</a>"))
    );

    let export: serde_json::Value = org.get("/me/export.json").await.json().await.unwrap();
    let mine = export["materials"].as_array().unwrap();
    assert!(
        mine.iter()
            .any(|m| m["title"] == "Dagens dias" && m["file_name"] == "dias.pptx"),
        "{mine:?}"
    );
}

both_backends!(
    organisers_add_files_and_links_that_everyone_who_sees_the_salon_gets,
    refused_uploads_say_why_in_the_readers_language_and_store_nothing,
    a_file_uploaded_on_one_instance_is_served_by_another,
    the_room_shows_materials_and_a_new_one_arrives_live,
    the_summary_links_the_materials_and_the_export_lists_them
);
