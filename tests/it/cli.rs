//! The `salon` binary as a person runs it: bad settings, admin commands, the demo, serve.

use crate::common;

use std::process::{Command, Output, Stdio};

use common::*;
use tokio::io::{AsyncBufReadExt, BufReader};

fn salon(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Output {
    salon_command(db, args, env)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn a_bad_setting_is_one_line_naming_it_with_exit_code_2() {
    let cases = [
        ("SALON_ADDR", "localhost", "SALON_ADDR"),
        ("DATABASE_URL", "mysql://db/salon", "DATABASE_URL"),
        ("SALON_BASE_URL", "salon.example.org", "SALON_BASE_URL"),
        (
            "SALON_SMTP_URL",
            "http://mail.example.org",
            "SALON_SMTP_URL",
        ),
        ("SALON_MAIL_FROM", "not a mailbox", "SALON_MAIL_FROM"),
        ("SALON_OUTBOX_POLL_MS", "soon", "SALON_OUTBOX_POLL_MS"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (var, value, named) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_salon"))
            .arg("migrate")
            .env_clear()
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/x.db", dir.path().display()),
            )
            .env(var, value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}={value}");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(
            err.starts_with(&format!("salon: configuration error: {named}")),
            "{err}"
        );
        assert!(!err.contains("panicked") && !err.contains("backtrace"));
    }
}

async fn admin_add_and_login_link_give_a_working_sign_in(db: TestDb) {
    let out = salon(&db, &["migrate"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = salon(&db, &["demo"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = salon(
        &db,
        &[
            "admin",
            "add",
            "--email",
            "Ny.Leder@KB.example",
            "--name",
            "Ny Leder",
            "--role",
            "organiser",
            "--org",
            "KB",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("ny.leder@kb.example"));
    // Twice is a clear error, not a duplicate.
    let out = salon(
        &db,
        &[
            "admin",
            "add",
            "--email",
            "ny.leder@kb.example",
            "--name",
            "Igen",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"));
    // Bad arguments.
    let out = salon(
        &db,
        &["admin", "add", "--email", "nope", "--name", "X"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = salon(
        &db,
        &[
            "admin",
            "add",
            "--email",
            "a@kb.example",
            "--name",
            "X",
            "--role",
            "king",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--role"));
    let out = salon(
        &db,
        &[
            "admin",
            "add",
            "--email",
            "a@kb.example",
            "--name",
            "X\r\nBcc: evil@evil.example",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a line break in a name is refused"
    );
    assert!(stderr(&out).contains("--name"));
    let out = salon(
        &db,
        &[
            "admin",
            "add",
            "--email",
            "a@kb.example",
            "--name",
            "X",
            "--org",
            "NOPE",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = salon(
        &db,
        &["admin", "login-link", "--email", "unknown@kb.example"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));

    // The printed link signs in at the running app.
    let app = TestApp::spawn(&db).await;
    let out = salon(
        &db,
        &["admin", "login-link", "--email", "ny.leder@kb.example"],
        &[("SALON_BASE_URL", &app.base)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let link = stdout(&out).trim().to_string();
    let path = link
        .strip_prefix(&app.base)
        .expect("the link uses SALON_BASE_URL")
        .to_string();
    let c = app.client();
    let (status, page) = c.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ny Leder"));
    assert_eq!(c.post_form(&path, &[]).await.status(), 303);
    assert_eq!(
        c.get("/admin/outbox").await.status(),
        200,
        "signed in as an organiser"
    );
    assert_eq!(c.post_form(&path, &[]).await.status(), 410, "single use");
    app.stop().await;
}

async fn the_demo_loads_twice_without_duplicates(db: TestDb) {
    for _ in 0..2 {
        let out = salon(&db, &["demo"], &[]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let orgs = db.count("select count(*) from organisation").await;
    let people = db.count("select count(*) from person").await;
    assert_eq!(orgs as usize, salon::demo::ORGANISATIONS.len());
    assert_eq!(people as usize, salon::demo::PEOPLE.len());
    assert_eq!(
        db.count("select count(*) from organisation where short_name = 'B24' and country = 'NO'")
            .await,
        1
    );
    assert_eq!(db.count("select count(*) from series").await, 1);
    // The series' four salons and a working group's meeting; the two groups' own rooms.
    assert_eq!(
        db.count("select count(*) from salon where status = 'published' and not standing")
            .await,
        5
    );
    assert_eq!(
        db.count("select count(*) from salon where standing").await,
        2
    );
    assert_eq!(db.count("select count(*) from working_group").await, 2);
    let answers = db.count("select count(*) from rsvp").await;
    assert!(answers >= 10, "{answers}");
    let out = salon(&db, &["demo"], &[]);
    assert!(out.status.success());
    assert_eq!(
        db.count("select count(*) from rsvp").await,
        answers,
        "answers are not duplicated"
    );
    // The strategy work: themes with support (two scheduled), a closed round with results and
    // an open one nobody has voted in yet; loaded once.
    assert_eq!(db.count("select count(*) from theme").await, 4);
    assert_eq!(
        db.count("select count(*) from theme where state = 'scheduled'")
            .await,
        2
    );
    assert_eq!(
        db.count("select count(*) from round where state = 'closed'")
            .await,
        1
    );
    assert_eq!(
        db.count("select count(*) from round where state = 'open'")
            .await,
        1
    );
    assert_eq!(
        db.count("select count(distinct person_id) from ballot_point")
            .await,
        4
    );
    assert_eq!(db.count("select count(*) from decision").await, 2);
    assert_eq!(db.count("select count(*) from action").await, 3);
    assert_eq!(
        db.count("select count(*) from action where status = 'done'")
            .await,
        1
    );
    // One salon is running right now, so a newcomer can walk into a live room (besides the
    // working groups' own rooms, which are always open).
    let now = chrono::Utc::now();
    let running = if db.postgres {
        db.count(
            "select count(*) from salon where starts_at <= now() and ends_at > now() and not standing",
        )
        .await
    } else {
        let at = now.to_rfc3339();
        db.count(&format!(
            "select count(*) from salon where starts_at <= '{at}' and ends_at > '{at}' and not standing"
        ))
        .await
    };
    assert_eq!(running, 1);
}

/// The README's first command, as a newcomer runs it: `salon serve --demo` prints the URL;
/// the URL shows the Danish front page; signing in with the demo organiser works from the .eml
/// file in the outbox; SIGTERM stops it cleanly.
async fn serve_demo_prints_the_url_and_stops_on_sigterm(db: TestDb) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_salon"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", &db.url)
        .env("SALON_OUTBOX_DIR", db.outbox_dir())
        .env("RUST_LOG", "warn")
        .current_dir(db.dir.path())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut url = None;
    while let Ok(Ok(Some(line))) = tokio::time::timeout(DEADLINE, lines.next_line()).await {
        if let Some(u) = line.strip_prefix("Salon is running at ") {
            url = Some(u.trim().trim_end_matches('/').to_string());
            break;
        }
    }
    let url = url.expect("serve prints the URL to open");
    assert!(!url.ends_with(":0"), "the real port is printed: {url}");
    let c = Client::new(&url);
    let (status, page) = c.get_text("/").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<html lang=\"da\"") && page.contains("Samtalesaloner"),
        "{page}"
    );
    assert!(
        page.contains("Digitalt indhold og funktioner"),
        "the demo series' next salon is on the front page"
    );
    c.sign_in(salon::demo::ORGANISER_EMAIL, &db.outbox_dir())
        .await;
    assert_eq!(c.get("/admin/outbox").await.status(), 200);

    let pid = child.id().unwrap().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::time::timeout(DEADLINE, child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
}

both_backends!(
    admin_add_and_login_link_give_a_working_sign_in,
    the_demo_loads_twice_without_duplicates,
    serve_demo_prints_the_url_and_stops_on_sigterm,
);
