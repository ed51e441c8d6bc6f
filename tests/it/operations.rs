//! What an operator runs besides `serve`, as the binary, on both databases: `salon check`
//! against a good setup and against each kind of broken one (every failure named, exit codes),
//! and `salon backup` / `salon restore` while fifty clients answer and post.

use crate::common;

use std::process::Output;

use common::inbound::{imap_port, imap_url};
use common::room::{JENS, LARS};
use common::*;

fn salon(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Output {
    salon_command(db, args, env)
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The report's line for one check.
fn line<'a>(report: &'a str, what: &str) -> &'a str {
    report
        .lines()
        .find(|l| {
            l.get(5..)
                .is_some_and(|rest| rest.starts_with(&format!("{what}:")))
        })
        .unwrap_or_else(|| panic!("a line for {what} in:\n{report}"))
}

async fn salon_check_passes_a_good_setup_and_names_each_failure(db: TestDb) {
    let sink = SmtpSink::start(&db.dir.path().join("smtp")).await;
    let port = imap_port().unwrap();
    let smtp = sink.url();
    let imap = imap_url(port, "salon-check");
    let secret = "s".repeat(40);
    let good: Vec<(&str, &str)> = vec![
        ("SALON_SMTP_URL", &smtp),
        (
            "SALON_MAIL_FROM",
            "Den Digitale Alliance <salon@alliance.example>",
        ),
        ("SALON_BASE_URL", "https://salon.alliance.example"),
        ("SALON_TRUST_PROXY", "127.0.0.1"),
        ("SALON_INBOUND_SECRET", &secret),
        ("SALON_IMAP_URL", &imap),
    ];
    // A database not made yet (SQLite) or empty (PostgreSQL): serve would make it.
    let o = salon(&db, &["check"], &good);
    let report = out(&o);
    assert_eq!(o.status.code(), Some(0), "{report}");
    assert!(line(&report, "database").starts_with("ok "), "{report}");
    assert_eq!(salon(&db, &["migrate"], &[]).status.code(), Some(0));

    let o = salon(&db, &["check"], &good);
    let report = out(&o);
    assert_eq!(o.status.code(), Some(0), "{report}");
    let database = line(&report, "database");
    assert!(
        database.starts_with("ok ")
            && database.contains("up to date")
            && database.contains(&format!("{:04}", crate::upgrade::current_level())),
        "{database}"
    );
    assert!(
        line(&report, "mail").starts_with("ok   mail: SMTP"),
        "{report}"
    );
    assert!(
        line(&report, "reply mailbox").contains("signed in"),
        "{report}"
    );
    assert!(
        line(&report, "public address").contains("https"),
        "{report}"
    );
    assert!(line(&report, "proxy").contains("127.0.0.1/32"), "{report}");
    assert!(
        line(&report, "inbound").contains("40 characters"),
        "{report}"
    );
    assert!(
        !report.contains("FAIL") && !report.contains("warn"),
        "{report}"
    );

    // Each failure on its own line, named; exit 1.
    let mut broken = good.clone();
    let closed = format!("smtp://127.0.0.1:{}", free_port());
    broken[0] = ("SALON_SMTP_URL", &closed);
    let wrong_login = imap.replace(":secret@", ":wrong@");
    broken[5] = ("SALON_IMAP_URL", &wrong_login);
    let o = salon(&db, &["check"], &broken);
    let report = out(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(line(&report, "mail").starts_with("FAIL"), "{report}");
    assert!(
        line(&report, "reply mailbox").starts_with("FAIL"),
        "{report}"
    );
    assert!(line(&report, "database").starts_with("ok "), "{report}");
    assert!(report.contains("2 check(s) failed"), "{report}");
    // A setting that cannot be read: exit 2, the setting named.
    let mut unreadable = good.clone();
    unreadable[3] = ("SALON_TRUST_PROXY", "the proxy");
    let o = salon(&db, &["check"], &unreadable);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        out(&o).starts_with("FAIL settings: SALON_TRUST_PROXY"),
        "{}",
        out(&o)
    );
    // Plain http on a public name and the defaults are warnings, not failures.
    let o = salon(
        &db,
        &["check"],
        &[("SALON_BASE_URL", "http://salon.alliance.example")],
    );
    let report = out(&o);
    assert_eq!(o.status.code(), Some(0), "{report}");
    assert!(
        line(&report, "public address").starts_with("warn"),
        "{report}"
    );
    assert!(line(&report, "sender").starts_with("warn"), "{report}");

    // A migration pending (an upgrade not started yet): a warning naming it.
    // (As a migration recorded but not done: the row stays, to be put right below.)
    let last = "(select max(version) from _sqlx_migrations)";
    db.execute(&format!(
        "update _sqlx_migrations set success = false where version = {last}"
    ))
    .await;
    let report = out(&salon(&db, &["check"], &good));
    let database = line(&report, "database");
    assert!(
        database.starts_with("warn")
            && database.contains(&format!(
                "1 pending ({})",
                crate::upgrade::latest_migration()
            )),
        "{database}"
    );
    // Migrated by a newer Salon: a failure that says what to do.
    db.execute(&format!(
        "update _sqlx_migrations set success = true where version = {last}"
    ))
    .await;
    db.execute(
        "insert into _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         select 99990101000000, 'from the future', installed_on, success, checksum, execution_time
         from _sqlx_migrations where version = (select max(version) from _sqlx_migrations)",
    )
    .await;
    let o = salon(&db, &["check"], &good);
    let report = out(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(
        line(&report, "database").contains("newer Salon"),
        "{report}"
    );
    // A database that cannot be reached.
    let unreachable = if db.postgres {
        format!("postgres://salon@127.0.0.1:{}/salon", free_port())
    } else {
        "sqlite:///nonexistent-folder/salon.db".to_string()
    };
    let mut gone = good.clone();
    gone.push(("DATABASE_URL", &unreachable));
    let o = salon(&db, &["check"], &gone);
    let report = out(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(line(&report, "database").starts_with("FAIL"), "{report}");
    sink.stop().await;
}

/// Signed in with `salon admin login-link` (fifty sign-ins by mail from one address would
/// meet the sign-in rate limit, rightly).
async fn signed_in_by_link(db: &TestDb, server: &ServeProcess, email: &str) -> Client {
    let o = salon(db, &["admin", "login-link", "--email", email], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let link = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let path = &link[link.find("/login/").expect("a sign-in link")..];
    let c = Client::new(&server.base);
    assert_eq!(
        c.post_form(path, &[]).await.status(),
        303,
        "{email} signs in"
    );
    c
}

async fn salon_backup_copies_a_running_database_consistently_and_restore_puts_it_back(db: TestDb) {
    if db.postgres {
        // PostgreSQL's own tools do it: the command says which, and writes nothing.
        let to = db.dir.path().join("pg.backup");
        let o = salon(&db, &["backup", "--to", to.to_str().unwrap()], &[]);
        assert_eq!(o.status.code(), Some(1));
        assert!(out(&o).contains("pg_dump"), "{}", out(&o));
        assert!(!to.exists());
        return;
    }
    let server = ServeProcess::start(&db, &["--demo"], &[]).await;
    let org = Client::new(&server.base);
    org.sign_in(salon::demo::ORGANISER_EMAIL, &db.outbox_dir())
        .await;
    let (starts, ends) = from_now(-10);
    let salon_id = new_salon(
        &org,
        &[
            ("title", "Salon under backup"),
            ("starts_at", &starts),
            ("ends_at", &ends),
        ],
        true,
    )
    .await;
    // Fifty clients: leaders who answer and post in the room, again and again.
    let mut people = Vec::new();
    for i in 0..50 {
        let email = format!("leader{i}@backup.example");
        let o = salon(
            &db,
            &[
                "admin",
                "add",
                "--email",
                &email,
                "--name",
                &format!("Leder {i}"),
            ],
            &[],
        );
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        people.push(email);
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for (i, email) in people.iter().enumerate() {
        let c = signed_in_by_link(&db, &server, email).await;
        let stop = stop.clone();
        clients.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let answer = ["yes", "maybe", "yes"][n % 3];
                c.post_form(&format!("/salons/{salon_id}/rsvp"), &[("response", answer)])
                    .await;
                c.post_form(
                    &format!("/salons/{salon_id}/room/messages"),
                    &[
                        ("body", &format!("Indlæg {n} fra leder {i}")),
                        ("client_id", &format!("backup-{i}-{n}")),
                    ],
                )
                .await;
                n += 1;
            }
            n
        }));
    }
    // Let them write for a while; what is committed before the backup begins must be in it.
    eventually("the clients have written", || async {
        db.count("select count(*) from message").await >= 100
    })
    .await;
    let committed_messages = db.count("select count(*) from message").await;
    let committed_answers = db.count("select count(*) from rsvp").await;
    let copy = db.dir.path().join("backup.db");
    let o = salon(&db, &["backup", "--to", copy.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("integrity check ok"), "{}", out(&o));
    // Writing went on meanwhile.
    eventually("more was written after the backup", || async {
        db.count("select count(*) from message").await > committed_messages + 50
    })
    .await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut posts = 0;
    for c in clients {
        posts += c.await.unwrap();
    }
    assert!(posts > 100, "{posts} rounds of answers and posts");

    // The copy: intact, and it holds everything committed before the backup began.
    let backup = TestDb {
        url: format!("sqlite://{}", copy.display()),
        postgres: false,
        dir: tempfile::tempdir().unwrap(),
    };
    assert_eq!(
        backup.text("pragma integrity_check").await,
        "ok",
        "the copy is intact"
    );
    let in_copy = backup.count("select count(*) from message").await;
    assert!(
        in_copy >= committed_messages,
        "{in_copy} messages in the copy, {committed_messages} committed before it began"
    );
    assert!(backup.count("select count(*) from rsvp").await >= committed_answers);
    assert!(
        in_copy < db.count("select count(*) from message").await,
        "the copy is the database as it was, not as it is"
    );

    // Restore: refused while Salon runs; refused over newer data without --force.
    let o = salon(
        &db,
        &["restore", "--from", copy.to_str().unwrap()],
        &[("SALON_ADDR", &server.addr())],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("stop Salon first"), "{}", out(&o));
    server.stop().await;
    let o = salon(&db, &["restore", "--from", copy.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("--force"), "{}", out(&o));
    let o = salon(
        &db,
        &["restore", "--from", copy.to_str().unwrap(), "--force"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("before-restore-"),
        "the replaced database is kept"
    );
    assert_eq!(db.count("select count(*) from message").await, in_copy);

    // Served again from the restored database: the same salon, the same room.
    let server = ServeProcess::start(&db, &[], &[]).await;
    let lars = Client::new(&server.base);
    lars.sign_in(LARS, &db.outbox_dir()).await;
    let (status, page) = lars.get_text(&format!("/salons/{salon_id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Salon under backup"));
    let leader = signed_in_by_link(&db, &server, &people[0]).await;
    let (status, room) = leader.get_text(&format!("/salons/{salon_id}/room")).await;
    assert_eq!(status, 200, "{}", main_text(&room));
    assert!(room.contains("fra leder "), "the room's messages are back");
    let _ = JENS;
    server.stop().await;
}

both_backends!(
    salon_check_passes_a_good_setup_and_names_each_failure,
    salon_backup_copies_a_running_database_consistently_and_restore_puts_it_back,
);
