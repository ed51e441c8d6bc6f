//! Faults, tested like features: the disk under the SQLite database fills up and is freed, and
//! PostgreSQL's backends are killed in the middle of transactions. Nothing committed is lost, a
//! refused write says so calmly, and Salon heals by itself once the fault is gone.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::room::{JENS, LARS, running_salon};
use common::*;

/// A tmpfs of its own, small enough to fill (mounting needs root: the suite runs as root on
/// CI; elsewhere the test fails rather than pass without having run).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mib: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
            .arg(dir.path())
            .status();
        match status {
            Ok(s) if s.success() => Some(SmallDisk { dir }),
            // Failing, not passing quietly: the test needs root (as on CI).
            other => {
                panic!("could not mount a small tmpfs ({other:?}): the disk-full test runs as root")
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn filler(&self) -> PathBuf {
        self.path().join("filler")
    }

    /// Write a file until the disk has no byte left.
    fn fill(&self) {
        let mut f = std::fs::File::create(self.filler()).unwrap();
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).is_ok() {}
        let mut byte = [0u8; 1];
        while f.write_all(&byte).is_ok() {
            byte[0] = 1;
        }
        let _ = f.sync_all();
    }

    fn free(&self) {
        std::fs::remove_file(self.filler()).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_calmly_and_salon_heals_when_space_returns() {
    let Some(disk) = SmallDisk::mount(12) else {
        return;
    };
    // The database on the small disk; mail (files) and everything else on the usual one.
    let db = TestDb {
        url: format!("sqlite://{}", disk.path().join("salon.db").display()),
        postgres: false,
        dir: tempfile::tempdir().unwrap(),
    };
    let (app, salon) = running_salon(&db, "256").await;
    let lars = app.signed_in(LARS).await;
    let room = format!("/salons/{salon}/room/messages");
    let long = "Et langt indlæg om fælles licenser. ".repeat(50);
    assert_eq!(
        lars.post_form(
            &room,
            &[("body", "Før disken blev fuld"), ("client_id", "before")]
        )
        .await
        .status(),
        303
    );

    disk.fill();
    // Writes go on until one needs space the disk no longer has: then a calm 503 that says
    // nothing was saved, never a 500.
    let mut refused = None;
    for i in 0..3000 {
        let r = lars
            .post_form(
                &room,
                &[("body", &long), ("client_id", &format!("full-{i}"))],
            )
            .await;
        let status = r.status().as_u16();
        assert!(
            status == 303 || status == 503,
            "post {i} while the disk is full answered {status}"
        );
        if status == 503 {
            eprintln!("the disk was full at post {i}");
            refused = Some(r.text().await.unwrap());
            break;
        }
    }
    let page = refused.expect("a write was refused once the disk was full");
    assert!(
        page.contains("intet blev gemt"),
        "the page says nothing was saved: {}",
        main_text(&page)
    );
    // Reading goes on: the salon, and the room with its form.
    assert_eq!(lars.get(&format!("/salons/{salon}")).await.status(), 200);
    let (status, room_page) = lars.get_text(&format!("/salons/{salon}/room")).await;
    assert_eq!(status, 200);
    assert!(
        input_value(&room_page, "client_id").is_some(),
        "the room page still has its form"
    );
    let stored_while_full = db.count("select count(*) from message").await;

    disk.free();
    // Healed without a restart: every write succeeds (no connection is left inside a
    // transaction it could not end), and mail is sent again.
    for i in 0..40 {
        let r = lars
            .post_form(
                &room,
                &[
                    ("body", "Efter oprydningen"),
                    ("client_id", &format!("after-{i}")),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "post {i} after the disk was freed");
    }
    assert_eq!(
        db.count("select count(*) from message").await,
        stored_while_full + 40,
        "each post stored once"
    );
    let jens = app.client();
    jens.sign_in(JENS, &db.outbox_dir()).await;
    assert_eq!(
        jens.get("/me").await.status(),
        200,
        "Jens signed in by the mailed link"
    );
    let metrics = app.client().get_text("/metrics").await.1;
    assert!(
        metrics.contains("salon_db_connections_discarded_total"),
        "a poisoned connection was closed and counted"
    );
    // The refused write is what the "database errors" alert counts.
    assert!(
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("salon_database_errors_total "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .is_some_and(|n| n >= 1.0),
        "database errors counted"
    );
    app.stop().await;
}

/// PostgreSQL's equivalent: backends terminated while the app writes (some of them inside a
/// transaction). Requests may fail while it happens; afterwards every one succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_database_connections_are_replaced_and_nothing_stays_broken() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (app, salon) = running_salon(&db, "256").await;
    let lars = std::sync::Arc::new(app.signed_in(LARS).await);
    let room = format!("/salons/{salon}/room/messages");
    let writer = {
        let (lars, room) = (lars.clone(), room.clone());
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..200 {
                let r = lars
                    .post_form(
                        &room,
                        &[
                            ("body", "Under nedbruddet"),
                            ("client_id", &format!("during-{i}")),
                        ],
                    )
                    .await;
                statuses.push((r.status().as_u16(), location(&r)));
            }
            statuses
        })
    };
    let mut killed = 0;
    for _ in 0..20 {
        killed += db
            .count("select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) t")
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let statuses = writer.await.unwrap();
    assert!(killed > 0, "backends were terminated");
    for (status, location) in &statuses {
        // Never "signed out" by the fault (the post lost on the way to the sign-in page), and
        // a refusal is a calm "try again", not an error.
        assert!(
            *status == 503 || (*status == 303 && location.contains("/room")),
            "{status} {location}"
        );
    }
    let ok_during = statuses.iter().filter(|(s, _)| *s == 303).count();
    eprintln!(
        "{killed} backends terminated; {ok_during} of {} posts went through meanwhile",
        statuses.len()
    );
    for i in 0..40 {
        let r = lars
            .post_form(
                &room,
                &[
                    ("body", "Efter nedbruddet"),
                    ("client_id", &format!("after-{i}")),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "post {i} after the backends were killed");
    }
    assert_eq!(
        db.count("select count(*) from message where client_id like 'after-%'")
            .await,
        40
    );
    // Every post that answered 303 was stored (one whose COMMIT was cut off may be stored too).
    assert!(
        db.count("select count(*) from message where client_id like 'during-%'")
            .await
            >= ok_during as i64
    );
    app.stop().await;
}

/// A salon running now with `n` more people who said yes (set up by an app that then stops),
/// and a session for each.
async fn salon_with_people(db: &TestDb, n: usize) -> (i64, Vec<String>) {
    let (setup, salon) = running_salon(db, "256").await;
    let mut sessions = Vec::new();
    for i in 0..n {
        let email = format!("deltager{i}@bibliotek.example");
        let id = setup
            .add_person(
                &email,
                &format!("Deltager {i}"),
                salon::domain::Role::Member,
            )
            .await;
        setup
            .answer_for(salon, id, salon::domain::rsvp::Response::Yes)
            .await;
        sessions.push(setup.session_for(&email).await);
    }
    setup.stop().await;
    (salon, sessions)
}

/// A graceful stop with people in a room: `salon serve` gets SIGTERM with 100 sockets open;
/// every socket is told the server is going away (close 1001) before the process exits, which
/// it does cleanly, with no error in its log (the database is closed only after the sockets).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_a_hundred_open_room_sockets_says_goodbye_to_each() {
    let db = TestDb::sqlite().await;
    let (salon, sessions) = salon_with_people(&db, 20).await;
    let serve = ServeProcess::start(
        &db,
        &[],
        &[("RUST_LOG", "info"), ("SALON_ROOM_RATE", "100000")],
    )
    .await;
    let mut sockets = Vec::new();
    for i in 0..100 {
        let mut s =
            common::room::connect_to(&serve.base, salon, Some(&sessions[i % 20]), None, None)
                .await
                .unwrap();
        common::room::next_of(&mut s, "hello").await;
        sockets.push(s);
    }
    let log = serve.log.clone();
    // A fifth of them keep posting while the stop comes: their posts are in the database's
    // hands when the signal arrives.
    let readers: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            use futures_util::{SinkExt, StreamExt};
            let (mut tx, mut rx) = s.split();
            if i % 5 == 0 {
                tokio::spawn(async move {
                    for n in 0.. {
                        let frame = serde_json::json!({"type": "send", "body": format!("sidste ord {n}"), "client_id": format!("c{i}-{n}")});
                        if tx.send(tokio_tungstenite::tungstenite::Message::Text(frame.to_string().into())).await.is_err() {
                            break;
                        }
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    }
                });
            }
            tokio::spawn(async move {
                loop {
                    match tokio::time::timeout(DEADLINE, rx.next()).await.expect("a close frame in time") {
                        Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                        Some(Ok(_)) => continue,
                        other => panic!("the socket ended without a close frame: {other:?}"),
                    }
                }
            })
        })
        .collect();
    // Posting is under way (messages stored) before the signal.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(db.count("select count(*) from message").await > 0);
    let status = serve.terminate().await;
    for reader in readers {
        assert_eq!(reader.await.unwrap(), Some(1001), "close 1001: going away");
    }
    assert!(status.success(), "exit {status:?}");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains("ERROR") && !text.contains("WARN"), "{text}");
}

/// The resident memory of a process (VmRSS), in bytes.
fn resident(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    kb * 1024
}

async fn live_rooms(base: &str) -> i64 {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with("salon_rooms_live "))
        .map_or(-1, |l| {
            l.rsplit(' ').next().unwrap().parse::<f64>().unwrap() as i64
        })
}

/// Rooms are let go when their last socket leaves: 2,000 rooms opened and closed (eight at a
/// time, someone posting in each) leave none in memory (`salon_rooms_live` back to 0), and
/// `salon serve`'s resident memory stays near where it was after 200 (within SQLite's caches).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rooms_opened_and_closed_are_let_go() {
    let db = TestDb::sqlite().await;
    let (setup, salon) = running_salon(&db, "256").await;
    let session = setup.session_for(LARS).await;
    let mut rooms = Vec::new();
    for n in 0..2000 {
        rooms.push(
            salon::store::rooms::create(
                &setup.app.db,
                salon::ids::SalonId(salon),
                &format!("Gruppe {n}"),
                n + 1,
            )
            .await
            .unwrap()
            .0,
        );
    }
    setup.stop().await;
    let serve = ServeProcess::start(&db, &[], &[("SALON_ROOM_RATE", "100000")]).await;
    let pid = serve.pid();
    let visit = |chunk: Vec<i64>| {
        let (base, session) = (serve.base.clone(), session.clone());
        async move {
            let tasks: Vec<_> = chunk
                .into_iter()
                .map(|room| {
                    let (base, session) = (base.clone(), session.clone());
                    tokio::spawn(async move {
                        // (A person has eight connections at most; one just closed may not
                        // have given its place back yet.)
                        let mut s = loop {
                            match common::room::connect_room(&base, salon, room, &session).await {
                                Ok(s) => break s,
                                Err(429) => {
                                    tokio::time::sleep(std::time::Duration::from_millis(20)).await
                                }
                                Err(other) => panic!("room {room}: {other}"),
                            }
                        };
                        common::room::next_of(&mut s, "hello").await;
                        common::room::send(&mut s, "hej", &format!("r{room}")).await;
                        common::room::next_of(&mut s, "message").await;
                        s.close(None).await.unwrap();
                    })
                })
                .collect();
            for t in tasks {
                t.await.unwrap();
            }
        }
    };
    for chunk in rooms[..200].chunks(8) {
        visit(chunk.to_vec()).await;
    }
    eventually("no room left in memory after the first 200", || async {
        live_rooms(&serve.base).await == 0
    })
    .await;
    let warm = resident(pid);
    for chunk in rooms[200..].chunks(8) {
        visit(chunk.to_vec()).await;
    }
    eventually("no room left in memory after 2,000", || async {
        live_rooms(&serve.base).await == 0
    })
    .await;
    let after = resident(pid);
    eprintln!(
        "resident memory: {} KiB after 200 rooms, {} KiB after 2,000",
        warm / 1024,
        after / 1024
    );
    // What does grow is mostly SQLite's page cache (up to 2 MB on each of 8 connections) as
    // 1,800 more rooms and messages are stored: 4-9 MB here from run to run. The bound leaves
    // room for that; rooms kept for ever with their writers and kept messages would pass it
    // with more rooms, and the gauge above is the exact check.
    assert!(
        after < warm + 32 * 1024 * 1024,
        "memory grew by {} KiB over 1,800 more rooms",
        (after.saturating_sub(warm)) / 1024
    );
    serve.stop().await;
}

/// One client of the reconnect load test: reads every message frame, reconnects with
/// `after=` its last id whenever the connection drops, and (a sender) posts its own messages,
/// sending again on each reconnect whatever it has not seen come back, as room.js does.
/// The first half of its messages go at once, the rest once `second_half` is set; `progress`
/// shows the last id it has. Returns the ids it received, in the order received.
struct Shared {
    done: std::sync::atomic::AtomicI64,
    second_half: std::sync::atomic::AtomicBool,
    progress: Vec<std::sync::atomic::AtomicI64>,
}

async fn reconnecting_client(
    base: String,
    salon: i64,
    session: String,
    to_send: usize,
    me: usize,
    shared: std::sync::Arc<Shared>,
) -> Vec<i64> {
    use futures_util::{SinkExt, StreamExt};
    use std::sync::atomic::Ordering::Relaxed;
    let mut received: Vec<i64> = Vec::new();
    let mut unconfirmed: Vec<String> = Vec::new();
    let mut next = 0;
    let started = std::time::Instant::now();
    'connection: loop {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "client {me} gave up"
        );
        let last = received.last().copied().unwrap_or(0);
        let mut s =
            match common::room::connect_to(&base, salon, Some(&session), Some(last), None).await {
                Ok(s) => s,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
        for client_id in &unconfirmed {
            let frame = serde_json::json!({"type": "send", "body": format!("fra {me}"), "client_id": client_id});
            if s.send(tokio_tungstenite::tungstenite::Message::Text(
                frame.to_string().into(),
            ))
            .await
            .is_err()
            {
                continue 'connection;
            }
        }
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(25));
        loop {
            let target = shared.done.load(Relaxed);
            if target > 0 && received.last().copied().unwrap_or(0) >= target {
                return received;
            }
            let may_send = if shared.second_half.load(Relaxed) {
                to_send
            } else {
                to_send / 2
            };
            tokio::select! {
                frame = s.next() => match frame {
                    Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text))) => {
                        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                        if v["type"] == "message" {
                            received.push(v["id"].as_i64().unwrap());
                            shared.progress[me].store(v["id"].as_i64().unwrap(), Relaxed);
                            let id = v["client_id"].as_str().unwrap_or("");
                            unconfirmed.retain(|c| c != id);
                        }
                    }
                    Some(Ok(_)) => {}
                    _ => continue 'connection,
                },
                _ = tick.tick(), if next < may_send => {
                    let client_id = format!("c{me}-{next}");
                    next += 1;
                    unconfirmed.push(client_id.clone());
                    let frame = serde_json::json!({"type": "send", "body": format!("fra {me}"), "client_id": client_id});
                    if s.send(tokio_tungstenite::tungstenite::Message::Text(frame.to_string().into())).await.is_err() {
                        continue 'connection;
                    }
                }
                _ = tokio::time::sleep(std::time::Duration::from_millis(100)) => {}
            }
        }
    }
}

/// 150 people in one room, 15 of them posting, when `salon serve` is killed (SIGKILL) and
/// started again, twice: once while they post (senders send again what they have not seen come
/// back), once when everyone has everything (each reconnects with `after=` the room's last id).
/// Every client reconnects by itself and ends with every stored message exactly once, in id
/// order, and every message a sender sent again with its client id is stored once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_and_fifty_clients_reconnect_after_a_crash_with_every_message_once() {
    const CLIENTS: usize = 150;
    const SENDERS: usize = 15;
    const EACH: usize = 40;
    let db = TestDb::sqlite().await;
    let (salon, sessions) = salon_with_people(&db, CLIENTS).await;
    let mut serve = ServeProcess::start(&db, &[], &[("SALON_ROOM_RATE", "100000")]).await;
    use std::sync::atomic::Ordering::Relaxed;
    let shared = std::sync::Arc::new(Shared {
        done: std::sync::atomic::AtomicI64::new(0),
        second_half: std::sync::atomic::AtomicBool::new(false),
        progress: (0..CLIENTS)
            .map(|_| std::sync::atomic::AtomicI64::new(0))
            .collect(),
    });
    let clients: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(me, session)| {
            tokio::spawn(reconnecting_client(
                serve.base.clone(),
                salon,
                session,
                if me < SENDERS { EACH } else { 0 },
                me,
                shared.clone(),
            ))
        })
        .collect();
    // Posting is under way (some messages stored) when the server is killed.
    eventually("posting under way", || async {
        db.count("select count(*) from message").await >= 100
    })
    .await;
    serve.crash_and_restart().await;
    // The first halves all stored, and everyone has everything: killed again.
    let half = (SENDERS * EACH / 2) as i64;
    eventually("the first halves stored", || async {
        db.count("select count(distinct client_id) from message")
            .await
            == half
    })
    .await;
    let everyone_has = |upto: i64| shared.progress.iter().all(|p| p.load(Relaxed) >= upto);
    eventually("everyone has the first halves", || async {
        everyone_has(db.count("select max(id) from message").await)
    })
    .await;
    serve.crash_and_restart().await;
    shared.second_half.store(true, Relaxed);
    // Every sender's every message stored (each once: checked below), then everyone reads to the end.
    eventually("every message stored", || async {
        db.count("select count(distinct client_id) from message")
            .await
            == (SENDERS * EACH) as i64
    })
    .await;
    let last = db.count("select max(id) from message").await;
    shared.done.store(last, Relaxed);
    let stored = db.count("select count(*) from message").await;
    assert_eq!(
        stored,
        (SENDERS * EACH) as i64,
        "every message a sender sent again is stored once"
    );
    assert_eq!(last, stored, "ids without gaps");
    for (me, client) in clients.into_iter().enumerate() {
        let received = client.await.unwrap();
        assert_eq!(
            received,
            (1..=last).collect::<Vec<i64>>(),
            "client {me}: every message once, in id order"
        );
    }
    serve.stop().await;
}
