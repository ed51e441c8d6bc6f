//! Upgrades, on both databases: a database made by Salon at each earlier schema level
//! (`tests/fixtures/upgrade/`, made by `scripts/make-upgrade-fixtures` from git: that version's
//! demo, a sign-in link, and a row in every table the demo left empty) is migrated by the
//! current binary and keeps every row it had; then every page kind answers for an organiser,
//! a member's session still signs her in, her feed and answer links from mail already sent
//! still work, and each room's messages are in its transcript.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;

/// The secrets behind the session, feed link and answer link that
/// `scripts/fill-upgrade-fixture` adds at every level (only their hashes are stored).
const SESSION_SECRET: &str = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
const FEED_SECRET: &str = "fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe";
const RSVP_SECRET: &str = "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5";

/// The latest migration as `salon check` names it: "0018 proposals".
pub fn latest_migration() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".sql")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    let last = names.pop().unwrap();
    let (level, name) = last.split_once('_').unwrap();
    format!("{level} {}", name.replace('_', " "))
}

/// The current schema level: the number of migrations.
pub fn current_level() -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".sql"))
        })
        .count()
}

/// The fixtures of one backend, oldest first: (schema level, file).
fn fixtures(postgres: bool) -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade");
    let suffix = if postgres { ".pg.sql" } else { ".sqlite" };
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let level = name
                .strip_prefix("level-")?
                .strip_suffix(suffix)?
                .to_string();
            Some((level, p))
        })
        .collect();
    found.sort();
    found
}

/// Every table and its row count.
async fn tables(db: &TestDb) -> Vec<(String, i64)> {
    let list = if db.postgres {
        "select string_agg(table_name, ',' order by table_name) from information_schema.tables where table_schema = 'public'"
    } else {
        // Not the search index's own tables (FTS5's shadow tables, the vocabulary): they are
        // an index of search_item, which is counted, and a rebuild packs them into fewer rows.
        "select group_concat(name, ',') from (select name from sqlite_master where type = 'table'
             and name not like 'sqlite_%' and name not like 'search_fts%' and name <> 'search_vocab'
             order by name)"
    };
    let names: String = if db.postgres {
        let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        sqlx::query_scalar(list).fetch_one(&mut c).await.unwrap()
    } else {
        let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        sqlx::query_scalar(list).fetch_one(&mut c).await.unwrap()
    };
    let mut counted = Vec::new();
    for name in names.split(',').filter(|n| !n.is_empty()) {
        let n = db.count(&format!("select count(*) from {name}")).await;
        counted.push((name.to_string(), n));
    }
    counted
}

fn salon_cli(db: &TestDb, args: &[&str]) -> std::process::Output {
    salon_command(db, args, &[])
}

/// Signed in with `salon admin login-link`, as an operator would hand out a first link.
async fn signed_in(db: &TestDb, server: &ServeProcess, email: &str) -> Client {
    let link = salon_cli(db, &["admin", "login-link", "--email", email]);
    let link = String::from_utf8_lossy(&link.stdout).trim().to_string();
    let c = Client::new(&server.base);
    let path = &link[link.find("/login/").expect("a sign-in link")..];
    assert_eq!(
        c.post_form(path, &[]).await.status(),
        303,
        "{email} signs in"
    );
    c
}

async fn every_earlier_schema_level_is_migrated_keeping_its_rows_sessions_and_links(db: TestDb) {
    let kept = fixtures(db.postgres);
    // One fixture for every earlier level: a new migration asks for the level before it.
    let levels: Vec<&str> = kept.iter().map(|(l, _)| l.as_str()).collect();
    let wanted: Vec<String> = (1..current_level()).map(|l| format!("{l:04}")).collect();
    assert_eq!(
        levels, wanted,
        "a fixture for every earlier schema level (scripts/make-upgrade-fixtures)"
    );
    for (level, file) in kept {
        // A database of its own for each level.
        let old = if db.postgres {
            let old = TestDb::postgres().await.unwrap();
            let loaded = Command::new("psql")
                .args(["--quiet", "--set", "ON_ERROR_STOP=1", "--file"])
                .arg(&file)
                .arg(&old.url)
                .output()
                .unwrap();
            assert!(
                loaded.status.success(),
                "level {level}: {}",
                String::from_utf8_lossy(&loaded.stderr)
            );
            old
        } else {
            let old = TestDb::sqlite().await;
            std::fs::copy(&file, old.dir.path().join("salon.db")).unwrap();
            old
        };
        let before = tables(&old).await;
        let empty: Vec<&str> = before
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(t, _)| t.as_str())
            .collect();
        assert!(
            empty.is_empty(),
            "level {level}: every table has rows, empty: {empty:?}"
        );
        let has = |table: &str| before.iter().any(|(t, _)| t == table);
        // Each room's first shown message, to find in its transcript after the upgrade.
        let mut spoken = Vec::new();
        if has("message") {
            let rooms = old.count("select count(*) from room").await;
            for nth in 0..rooms {
                let row = format!(
                    "select r.salon_id || '|' || m.body from message m join room r on r.id = m.room_id
                     where m.hidden = {no} and m.room_id = (select id from room order by id limit 1 offset {nth})
                     order by m.id limit 1",
                    no = if old.postgres { "false" } else { "0" }
                );
                if old.count(&format!("select count(*) from ({row}) x")).await == 1 {
                    let found = old.text(&row).await;
                    let (salon, body) = found.split_once('|').unwrap();
                    spoken.push((salon.to_string(), body.to_string()));
                }
            }
            assert!(!spoken.is_empty(), "level {level}: a room has messages");
        }
        let member = old
            .text("select name from person where role = 'member' order by id limit 1")
            .await;

        let migrated = salon_cli(&old, &["migrate"]);
        assert!(
            migrated.status.success(),
            "level {level} migrates: {}",
            String::from_utf8_lossy(&migrated.stderr)
        );
        // No row lost: every table the old Salon had holds at least what it held.
        let after = tables(&old).await;
        for (table, n) in &before {
            let now = after
                .iter()
                .find(|(t, _)| t == table)
                .map(|(_, n)| *n)
                .unwrap_or(-1);
            assert!(now >= *n, "level {level}: {table} had {n} rows, has {now}");
        }
        let check = salon_cli(&old, &["check"]);
        let report = String::from_utf8_lossy(&check.stdout).to_string();
        assert!(
            report.contains("up to date"),
            "level {level}: salon check after the upgrade:\n{report}"
        );

        // Every page kind, for an organiser (and the admin's pages for the admin).
        let server = ServeProcess::start(&old, &[], &[]).await;
        let org = signed_in(&old, &server, ORGANISER).await;
        let admin = signed_in(&old, &server, salon::demo::ADMIN_EMAIL).await;
        for page in ["/admin/people", "/admin/outbox", "/admin/audit"] {
            let (status, body) = admin.get_text(page).await;
            assert_eq!(status, 200, "level {level}: {page}: {}", main_text(&body));
        }
        // Signed-in people stay signed in.
        let her = Client::with_session(&server.base, SESSION_SECRET);
        let (status, body) = her.get_text("/me").await;
        assert_eq!(
            status,
            200,
            "level {level}: her session: {}",
            main_text(&body)
        );
        assert!(
            body.contains(&member),
            "level {level}: /me is {member}'s: {}",
            main_text(&body)
        );
        // The links in mail already sent keep working.
        if has("feed_token") {
            let (status, feed) = Client::new(&server.base)
                .get_text(&format!("/feeds/{FEED_SECRET}.ics"))
                .await;
            assert_eq!(status, 200, "level {level}: her feed link");
            assert!(feed.starts_with("BEGIN:VCALENDAR"), "level {level}: {feed}");
        }
        if has("rsvp_token") {
            let (status, body) = Client::new(&server.base)
                .get_text(&format!("/rsvp/{RSVP_SECRET}"))
                .await;
            assert_eq!(
                status,
                200,
                "level {level}: her answer link: {}",
                main_text(&body)
            );
        }

        if has("salon") {
            let salons = old.count("select count(*) from salon").await;
            assert!(salons > 0, "level {level}: the demo's salons");
            let first = old.count("select min(id) from salon").await;
            let mut pages = vec![
                "/".to_string(),
                "/past".into(),
                "/calendar.ics".into(),
                "/api/v1/salons".into(),
                "/me".into(),
                "/organise".into(),
                format!("/salons/{first}.ics"),
            ];
            if has("series") && old.count("select count(*) from series").await > 0 {
                let series = old.count("select min(id) from series").await;
                for page in ["", "/themes", "/board"] {
                    pages.push(format!("/series/{series}{page}"));
                }
            }
            for id in first..first + salons {
                for page in ["", "/participants", "/outcomes", "/room", "/invite"] {
                    pages.push(format!("/salons/{id}{page}"));
                }
            }
            for page in &pages {
                let (status, body) = org.get_text(page).await;
                // A draft's room is not open: 404 is its answer (not a 500).
                let fine = status == 200 || (page.ends_with("/room") && status == 404);
                assert!(
                    fine,
                    "level {level}: {page} answered {status}: {}",
                    main_text(&body)
                );
            }
        }
        // What was said in the rooms is still there.
        for (salon, body) in &spoken {
            let (status, transcript) = org
                .get_text(&format!("/salons/{salon}/room/transcript.md"))
                .await;
            assert_eq!(status, 200, "level {level}: salon {salon}'s transcript");
            assert!(
                transcript.contains(body.as_str()),
                "level {level}: {body:?} in salon {salon}'s transcript:\n{transcript}"
            );
        }
        server.stop().await;
    }
}

both_backends!(every_earlier_schema_level_is_migrated_keeping_its_rows_sessions_and_links);
