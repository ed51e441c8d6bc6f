//! Signing in by emailed link, sessions, roles and CSRF, through HTTP, on both databases.
//! The sign-in mail goes through a real SMTP server process.

use crate::common;

use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const ADMIN: &str = salon::demo::ADMIN_EMAIL;
const MEMBER: &str = "lars.brandt@kb.example";

/// An app with the demo people and mail going to a real SMTP server.
async fn app_with_smtp(db: &TestDb) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start(&db.dir.path().join("smtp")).await;
    let mut settings = db.settings();
    settings.smtp_url = Some(sink.url());
    let app = TestApp::spawn_with(settings).await;
    app.load_demo().await;
    (app, sink)
}

async fn organiser_signs_in_with_the_emailed_link(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    let c = app.client();
    let r = c
        .post_form("/login", &[("email", "  Sekretariat@Salon.example ")])
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(
        main_text(&page).contains("er et link til at logge ind på vej"),
        "{page}"
    );

    let mail = wait_for_mails_to(&sink.dir, ORGANISER, 1)
        .await
        .pop()
        .unwrap();
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Dit link til at logge ind i Salon")
    );
    let link = sign_in_link(&mail);
    assert!(link.starts_with(&format!("{}/login/", app.base)), "{link}");
    let path = link.strip_prefix(&app.base).unwrap();

    // Opening the link shows who is signing in and a button; it does not sign in.
    let (status, confirm) = c.get_text(path).await;
    assert_eq!(status, 200);
    assert!(main_text(&confirm).contains("Mette Sekretariat"));
    let (_, front) = c.get_text("/").await;
    assert!(
        !front.contains("Logget ind som"),
        "GET alone must not sign in"
    );

    let r = c.post_form(path, &[]).await;
    assert_eq!(r.status(), 303);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("salon_session="));
    let cookie = cookie.expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http base URL: no Secure flag"
    );

    let (_, front) = c.get_text("/").await;
    assert!(front.contains("Logget ind som") && front.contains("Mette Sekretariat"));
    let (status, _) = c.get_text("/admin/outbox").await;
    assert_eq!(status, 200, "an organiser sees the outbox");

    // Signing out ends the session on the server too.
    let r = c.post_form("/logout", &[]).await;
    assert_eq!(r.status(), 303);
    let (status, _) = c.get_text("/admin/outbox").await;
    assert_eq!(status, 303, "signed out: sent to the sign-in page");
    assert_eq!(db.count("select count(*) from session").await, 0);
    app.stop().await;
    sink.stop().await;
}

async fn the_link_works_once(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    let c = app.client();
    c.sign_in(ORGANISER, &sink.dir).await;
    let mail = mails_to(&sink.dir, ORGANISER).pop().unwrap();
    let path = sign_in_link(&mail)
        .strip_prefix(&app.base)
        .unwrap()
        .to_string();

    let other = app.client();
    let (status, page) = other.get_text(&path).await;
    assert_eq!(status, 410);
    assert!(main_text(&page).contains("allerede brugt"), "{page}");
    let r = other.post_form(&path, &[]).await;
    assert_eq!(r.status(), 410);
    assert!(
        r.headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().contains("salon_session"))
    );
    app.stop().await;
    sink.stop().await;
}

async fn the_link_expires_after_fifteen_minutes(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    let c = app.client();
    c.post_form("/login", &[("email", ORGANISER)]).await;
    let mail = wait_for_mails_to(&sink.dir, ORGANISER, 1)
        .await
        .pop()
        .unwrap();
    let path = sign_in_link(&mail)
        .strip_prefix(&app.base)
        .unwrap()
        .to_string();
    let minutes = db.count("select count(*) from login_token").await;
    assert_eq!(minutes, 1);

    // Sixteen minutes pass.
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let sql = if db.postgres {
        format!("update login_token set expires_at = '{past}'::timestamptz")
    } else {
        format!("update login_token set expires_at = '{past}'")
    };
    db.execute(&sql).await;
    let (status, _) = c.get_text(&path).await;
    assert_eq!(status, 410);
    let r = c.post_form(&path, &[]).await;
    assert_eq!(r.status(), 410);
    let (_, front) = c.get_text("/").await;
    assert!(!front.contains("Logget ind som"));
    app.stop().await;
    sink.stop().await;
}

async fn opening_the_link_many_times_never_signs_in(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    let c = app.client();
    c.post_form("/login", &[("email", ORGANISER)]).await;
    let mail = wait_for_mails_to(&sink.dir, ORGANISER, 1)
        .await
        .pop()
        .unwrap();
    let path = sign_in_link(&mail)
        .strip_prefix(&app.base)
        .unwrap()
        .to_string();
    // A mail scanner follows the link several times.
    let scanner = app.client();
    for _ in 0..3 {
        let (status, _) = scanner.get_text(&path).await;
        assert_eq!(status, 200);
    }
    assert_eq!(db.count("select count(*) from session").await, 0);
    // The person can still use it.
    let r = c.post_form(&path, &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(db.count("select count(*) from session").await, 1);
    app.stop().await;
    sink.stop().await;
}

async fn unknown_address_gets_the_same_answer_and_no_mail(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    let c = app.client();
    let known = c.post_form("/login", &[("email", ORGANISER)]).await;
    let known_status = known.status();
    let known_text = main_text(&known.text().await.unwrap()).replace(ORGANISER, "X");
    let unknown = c
        .post_form("/login", &[("email", "nobody@nowhere.example")])
        .await;
    assert_eq!(unknown.status(), known_status);
    let unknown_text =
        main_text(&unknown.text().await.unwrap()).replace("nobody@nowhere.example", "X");
    assert_eq!(unknown_text, known_text);
    wait_for_mails_to(&sink.dir, ORGANISER, 1).await;
    assert_eq!(
        db.count("select count(*) from outbox").await,
        1,
        "only the known address gets mail"
    );
    assert!(mails_to(&sink.dir, "nobody@nowhere.example").is_empty());
    app.stop().await;
    sink.stop().await;
}

async fn a_mistyped_address_is_explained_in_the_users_language(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let c = app.client();
    let r = c.post_form("/login", &[("email", "lars.brandt@kb")]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Skriv en gyldig e-mailadresse"), "{page}");
    assert_eq!(
        input_value(&page, "email").as_deref(),
        Some("lars.brandt@kb"),
        "what was typed is kept"
    );
    assert!(page.contains("aria-invalid=\"true\""));

    let en = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let page = en
        .get(format!("{}/login", app.base))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = input_value(&page, "csrf").unwrap();
    let r = en
        .post(format!("{}/login", app.base))
        .header("accept-language", "en-GB,en;q=0.9")
        .form(&[("email", ""), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Enter your email address.")
    );
    assert_eq!(db.count("select count(*) from outbox").await, 0);
    app.stop().await;
}

async fn forms_without_a_valid_csrf_token_are_refused(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    app.load_demo().await;
    let c = app.client();
    let token = c.csrf().await;
    // No token at all.
    let r = c
        .http
        .post(c.url("/login"))
        .form(&[("email", ORGANISER)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Formularen er udløbet"));
    // A token for another browser's cookie.
    let other = app.client();
    let other_token = other.csrf().await;
    assert_ne!(other_token, token);
    let r = c
        .http
        .post(c.url("/login"))
        .form(&[("email", ORGANISER), ("csrf", &other_token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A cross-site post, even with a valid token.
    let r = c
        .http
        .post(c.url("/login"))
        .header("origin", "https://evil.example")
        .form(&[("email", ORGANISER), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A forged post from another site has no cookie at all.
    let forger = reqwest::Client::new();
    let r = forger
        .post(c.url("/login"))
        .form(&[("email", ORGANISER), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        db.count("select count(*) from outbox").await,
        0,
        "nothing was changed"
    );
    // An oversized form is refused before it is read: the server answers from the headers,
    // so this client sends only the headers (a real client racing to send the body may see
    // the connection close before it reads the answer).
    let first = reqwest::Client::new()
        .get(c.url("/login"))
        .send()
        .await
        .unwrap();
    let cookie = first.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut raw = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 102400\r\n\r\n",
        app.base.trim_start_matches("http://")
    );
    tokio::io::AsyncWriteExt::write_all(&mut raw, head.as_bytes())
        .await
        .unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::io::AsyncReadExt::read(&mut raw, &mut answer)
        .await
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]).to_string();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // The same origin with the right token passes.
    let r = c
        .http
        .post(c.url("/login"))
        .header("origin", app.base.as_str())
        .form(&[("email", ORGANISER), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    app.stop().await;
}

async fn pages_carry_the_security_headers(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    for path in ["/", "/login", "/nope", "/healthz"] {
        let r = app.client().get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
    }
    let (status, page) = app.client().get_text("/nope").await;
    assert_eq!(status, 404);
    assert!(
        main_text(&page).contains("Siden findes ikke"),
        "a friendly page in Danish: {page}"
    );
    app.stop().await;
}

async fn roles_guard_the_organiser_and_admin_pages(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    // A visitor is sent to sign in, and comes back afterwards.
    let visitor = app.client();
    let r = visitor.get("/admin/outbox").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login?next=%2Fadmin%2Foutbox");

    let member = app.client();
    member.sign_in(MEMBER, &sink.dir).await;
    let (status, page) = member.get_text("/admin/outbox").await;
    assert_eq!(status, 403);
    assert!(main_text(&page).contains("Du har ikke adgang"));
    assert_eq!(member.get("/admin/people").await.status(), 403);
    let r = member
        .post_form(
            "/admin/people",
            &[
                ("email", "new@kb.example"),
                ("name", "New"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        db.count("select count(*) from person where email = 'new@kb.example'")
            .await,
        0
    );

    let organiser = app.client();
    organiser.sign_in(ORGANISER, &sink.dir).await;
    assert_eq!(organiser.get("/admin/outbox").await.status(), 200);
    assert_eq!(organiser.get("/admin/people").await.status(), 403);

    let admin = app.client();
    admin.sign_in(ADMIN, &sink.dir).await;
    assert_eq!(admin.get("/admin/people").await.status(), 200);
    let r = admin
        .post_form(
            "/admin/people",
            &[
                ("email", "New@KB.example"),
                ("name", "Ny Leder"),
                ("role", "member"),
                ("organisation", "KB"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        db.count("select count(*) from person where email = 'new@kb.example'")
            .await,
        1
    );
    // The same address again is a form error, not a 500.
    let r = admin
        .post_form(
            "/admin/people",
            &[
                ("email", "new@kb.example"),
                ("name", "Igen"),
                ("role", "member"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("findes allerede en person")
    );
    let r = admin
        .post_form(
            "/admin/people",
            &[("email", "x@kb.example"), ("name", " "), ("role", "king")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Skriv et navn.") && page.contains("Vælg en af rollerne"));
    app.stop().await;
    sink.stop().await;
}

async fn language_follows_the_switch_and_the_sign_in_mail_follows_the_person(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    let c = app.client();
    let (_, page) = c.get_text("/").await;
    assert!(page.contains("<html lang=\"da\""));
    let r = c
        .post_form("/lang", &[("lang", "en"), ("next", "/login")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/login");
    let (_, page) = c.get_text("/").await;
    assert!(page.contains("<html lang=\"en\"") && page.contains("Upcoming salons"));
    // An unknown language is a clear error, not a crash.
    let r = c.post_form("/lang", &[("lang", "xx")]).await;
    assert_eq!(r.status(), 400);
    // The next= of the switch cannot send people to another site.
    let r = c
        .post_form("/lang", &[("lang", "da"), ("next", "//evil.example/")])
        .await;
    assert_eq!(r.headers()["location"], "/");

    // Aino's stored language is Finnish: her sign-in mail is in Finnish, whatever the page's.
    let aino = "aino.virtanen@kirjastot.example";
    c.post_form("/login", &[("email", aino)]).await;
    let mail = wait_for_mails_to(&sink.dir, aino, 1).await.pop().unwrap();
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Kirjautumislinkkisi Saloniin")
    );
    assert!(mail.text().starts_with("Hyvä Aino Virtanen"));
    app.stop().await;
    sink.stop().await;
}

async fn sign_in_requests_are_rate_limited(db: TestDb) {
    let (app, sink) = app_with_smtp(&db).await;
    let c = app.client();
    for _ in 0..5 {
        let r = c.post_form("/login", &[("email", MEMBER)]).await;
        assert_eq!(r.status(), 200, "the answer never changes");
    }
    wait_for_mails_to(&sink.dir, MEMBER, 3).await;
    assert_eq!(
        db.count("select count(*) from outbox").await,
        3,
        "three links per address, then a pause"
    );
    // Per client: a burst of 10 requests, then 429.
    let mut statuses = Vec::new();
    for i in 0..8 {
        let r = c
            .post_form("/login", &[("email", &format!("someone{i}@kb.example"))])
            .await;
        statuses.push(r.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    app.stop().await;
    sink.stop().await;
}

both_backends!(
    organiser_signs_in_with_the_emailed_link,
    the_link_works_once,
    the_link_expires_after_fifteen_minutes,
    opening_the_link_many_times_never_signs_in,
    unknown_address_gets_the_same_answer_and_no_mail,
    a_mistyped_address_is_explained_in_the_users_language,
    forms_without_a_valid_csrf_token_are_refused,
    pages_carry_the_security_headers,
    roles_guard_the_organiser_and_admin_pages,
    language_follows_the_switch_and_the_sign_in_mail_follows_the_person,
    sign_in_requests_are_rate_limited,
);
