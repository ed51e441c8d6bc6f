//! Invitations per second, from the organiser's "send" to accepted by an SMTP server.
//!
//! `cargo bench --bench invitations [-- 1000 10000]`: for each count, a fresh SQLite database
//! (or `BENCH_DATABASE_URL`) with one organisation of N members and a published salon; Salon
//! runs in-process with mail going to a minimal, fast SMTP sink (in this process, on
//! loopback: it only counts messages, so Salon is what is measured); the organiser posts the
//! invite form for the whole organisation; the clock stops when the sink has accepted N
//! messages. Prints the time to queue (the POST) and the end-to-end rate.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use salon::config::{Config, Settings};
use salon::domain::salon::{SalonInput, Status, validate};
use salon::domain::{Email, Role};
use salon::store::organisations::{self, NewOrganisation};
use salon::store::{login_tokens, people, salons};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let counts = if counts.is_empty() {
        vec![1_000, 10_000]
    } else {
        counts
    };
    println!(
        "machine: {} cores; sink: in-process minimal SMTP on loopback",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    for n in counts {
        run(n).await?;
    }
    Ok(())
}

/// A minimal SMTP server: accepts everything, counts messages.
async fn sink(listener: tokio::net::TcpListener, accepted: Arc<AtomicU64>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            return;
        };
        let accepted = accepted.clone();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read);
            let _ = write.write_all(b"220 sink ESMTP\r\n").await;
            let mut line = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let cmd = line.get(..4).unwrap_or("").to_ascii_uppercase();
                let reply: &[u8] = match cmd.as_str() {
                    "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                    "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                    "DATA" => {
                        let _ = write.write_all(b"354 go on\r\n").await;
                        loop {
                            line.clear();
                            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                        }
                        accepted.fetch_add(1, Ordering::Relaxed);
                        b"250 accepted\r\n"
                    }
                    "QUIT" => {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    }
                    _ => b"250 OK\r\n",
                };
                if write.write_all(reply).await.is_err() {
                    return;
                }
            }
        });
    }
}

async fn run(n: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let accepted = Arc::new(AtomicU64::new(0));
    let smtp = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let smtp_port = smtp.local_addr()?.port();
    tokio::spawn(sink(smtp, accepted.clone()));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let settings = Settings {
        database_url: std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}/bench.db", dir.path().display())),
        addr: addr.to_string(),
        base_url: Some(format!("http://{addr}")),
        smtp_url: Some(format!("smtp://127.0.0.1:{smtp_port}")),
        mail_from: "Salon <salon@salon.example>".into(),
        outbox_poll_ms: "50".into(),
        ..Settings::default()
    };
    let config = Config::from_settings(&settings)?;
    let app = salon::build(config).await?;
    let db = app.db.clone();

    // Set-up (not timed): the organiser, an organisation of N people, a published salon.
    salon::demo::load_directory(&db).await?;
    let mut tx = db.begin().await?;
    let org_id = organisations::upsert(
        &mut tx,
        &NewOrganisation {
            short_name: "BENCH",
            name: "Benchmark",
            country: "DK",
            is_member: true,
        },
    )
    .await?;
    for i in 0..n {
        let email =
            Email::parse(&format!("leder{i}@bench.example")).map_err(|e| anyhow::anyhow!("{e}"))?;
        let locale = if i % 2 == 0 {
            salon::i18n::Locale::Da
        } else {
            salon::i18n::Locale::En
        };
        people::create(
            &mut tx,
            &people::NewPerson {
                email: &email,
                name: &format!("Leder {i}"),
                title: None,
                role: Role::Member,
                locale,
                organisation_id: Some(org_id),
            },
        )
        .await?;
    }
    let input = SalonInput {
        title: "Benchmark-salon: digitalt indhold".into(),
        description: "Invitationer pr. sekund.".into(),
        starts_at: "2027-03-10T09:00".into(),
        ends_at: "2027-03-10T12:30".into(),
        time_zone: "Europe/Copenhagen".into(),
        mode: "online".into(),
        meeting_url: "https://meet.example.org/bench".into(),
        registration: "invitation".into(),
        agenda: "9.00 Velkomst\n9.15 Oplæg\n10.00 Samtale".into(),
        ..Default::default()
    };
    let valid = validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let salon_id = salons::create(&mut tx, &valid, None).await?;
    if let Some(s) = salons::lock(&mut tx, salon_id).await? {
        salons::set_status(&mut tx, &s, Status::Published)
            .await?
            .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
    }
    let organiser = people::by_email(
        &db,
        &Email::parse(salon::demo::ORGANISER_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?,
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("organiser"))?;
    let secret = login_tokens::create(&mut tx, organiser.id, None).await?;
    tx.commit().await?;

    let shutdown = CancellationToken::new();
    let server = tokio::spawn(salon::run(app.clone(), listener, shutdown.clone()));
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("")
        .to_string();
    client
        .post(format!("{base}/login/{secret}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await?;

    let started = Instant::now();
    let r = client
        .post(format!("{base}/salons/{salon_id}/invite"))
        .form(&[("organisation", "BENCH"), ("csrf", csrf.as_str())])
        .send()
        .await?;
    let queued = started.elapsed();
    anyhow::ensure!(r.status() == 303, "invite answered {}", r.status());
    let deadline = Instant::now() + Duration::from_secs(600);
    while accepted.load(Ordering::Relaxed) < n as u64 {
        anyhow::ensure!(
            Instant::now() < deadline,
            "only {} of {n} accepted",
            accepted.load(Ordering::Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let total = started.elapsed();
    println!(
        "{n:>6} invitations: queued (POST) in {:>6.2} s; all accepted by SMTP after {:>6.2} s = {:>6.0} invitations/s end to end ({:.0}/s sending after queueing)",
        queued.as_secs_f64(),
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64(),
        n as f64 / (total - queued).as_secs_f64().max(1e-9),
    );
    shutdown.cancel();
    let _ = server.await;
    Ok(())
}
