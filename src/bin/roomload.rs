//! Load generator for live rooms (not a test): starts `salon serve` as a child process on a
//! fresh database, opens N websocket clients into one room, lets M of them send at a total rate,
//! and prints deliveries per second, send-to-receive latency (p50/p99/max), connections held,
//! and the server's CPU and memory.
//!
//! `cargo run --release --bin roomload -- --clients 1000 --senders 10 --rate 100 --seconds 20`
//! (`--database-url postgres://...` for PostgreSQL; the database must be empty).
//!
//! `--ballots` instead opens a priority round (five options, 5 points, at most 3 on one) and
//! has every client cast one ballot over its socket, spread evenly over `--seconds`; it prints
//! the ballot round trip (sent to `ballot_accepted`) and checks the stored totals against what
//! was sent. `--live` makes the round's results live (result frames to everyone while voting).
//!
//! `--stances` instead puts a proposal to the salon and has every client take a stance by the
//! plain form's POST, spread over `--seconds` (see `roomload/stances.rs`).

#[path = "roomload/stances.rs"]
mod stances;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use salon::config::{Config, Settings};
use salon::domain::rsvp::Response;
use salon::domain::salon::{SalonInput, Status, validate};
use salon::domain::{Email, Role};
use salon::store::rsvps::{self, Rules};
use salon::store::{people, salons, sessions};
use tokio_tungstenite::tungstenite::Message as Ws;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

#[derive(Parser)]
#[command(name = "roomload", about = "Load generator for Salon's live rooms")]
struct Args {
    #[arg(long, default_value = "1000")]
    clients: usize,
    #[arg(long, default_value = "10")]
    senders: usize,
    /// Messages per second, all senders together.
    #[arg(long, default_value = "100")]
    rate: f64,
    #[arg(long, default_value = "20")]
    seconds: u64,
    /// Default: a SQLite file in a temporary directory.
    #[arg(long)]
    database_url: Option<String>,
    /// Cast one ballot per client in a priority round instead of sending messages.
    #[arg(long)]
    ballots: bool,
    /// With --ballots: results are live (every client gets the totals while voting).
    #[arg(long)]
    live: bool,
    /// Take one stance per client on a proposal put to the salon instead of sending messages.
    #[arg(long)]
    stances: bool,
    /// Run the server on these CPUs only (`taskset -c`), e.g. `0` while the generator itself
    /// runs under `taskset -c 1`, so the two do not compete for the same core.
    #[arg(long)]
    server_cpus: Option<String>,
}

fn micros_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

/// (utime + stime in clock ticks, resident set in KiB) of a process.
fn proc_usage(pid: u32) -> (u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = fields
        .get(11)
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        + fields
            .get(12)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (ticks, rss)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile_dir()?;
    let database_url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{dir}/roomload.db"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");

    // Set-up through the library: people, a salon running now, answers, sessions.
    let settings = Settings {
        database_url: database_url.clone(),
        addr: format!("127.0.0.1:{port}"),
        ..Settings::default()
    };
    let config = Config::from_settings(&settings)?;
    let db = salon::open_database(&config).await?;
    salon::demo::load_directory(&db).await?;
    let tz = chrono_tz::Europe::Copenhagen;
    let start = (chrono::Utc::now() - chrono::Duration::minutes(5)).with_timezone(&tz);
    let input = SalonInput {
        title: "Belastningstest".into(),
        starts_at: start.format("%Y-%m-%dT%H:%M").to_string(),
        ends_at: (start + chrono::Duration::hours(3))
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        time_zone: tz.name().into(),
        mode: "online".into(),
        meeting_url: "https://meet.example.org/load".into(),
        registration: "open".into(),
        ..Default::default()
    };
    let series = if args.stances {
        Some(salon::store::series::create(&db, "Belastningsrække", "").await?)
    } else {
        None
    };
    let input = SalonInput {
        series_id: series.map(|s| s.to_string()).unwrap_or_default(),
        ..input
    };
    let valid = validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut tx = db.begin().await?;
    let salon_id = salons::create(&mut tx, &valid, None).await?;
    if let Some(s) = salons::lock(&mut tx, salon_id).await? {
        salons::set_status(&mut tx, &s, Status::Published)
            .await?
            .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
    }
    let mut cookies = Vec::with_capacity(args.clients);
    let mut first_person = None;
    for i in 0..args.clients {
        let email =
            Email::parse(&format!("load{i}@load.example")).map_err(|e| anyhow::anyhow!("{e}"))?;
        let id = people::create(
            &mut tx,
            &people::NewPerson {
                email: &email,
                name: &format!("Deltager {i}"),
                title: None,
                role: Role::Member,
                locale: salon::i18n::Locale::Da,
                organisation_id: None,
            },
        )
        .await?;
        first_person.get_or_insert(id);
        rsvps::record(&mut tx, salon_id, id, Response::Yes, false, Rules::OnBehalf)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        cookies.push(format!(
            "salon_session={}",
            sessions::create(&mut tx, id, Default::default()).await?
        ));
    }
    tx.commit().await?;
    let round = if args.ballots {
        Some(open_round(&db, salon_id, args.live).await?)
    } else {
        None
    };
    let proposal = match (series, first_person) {
        (Some(series_id), Some(by)) => {
            let text = salon::domain::proposal::ProposalText {
                title: "Vi indkøber e-bøger i fællesskab".into(),
                background: String::new(),
                closes_at: chrono::Utc::now() + chrono::Duration::hours(1),
            };
            let new = salon::store::proposals::NewProposal {
                series_id,
                salon_id: Some(salon_id),
                text: &text,
                hide_results: false,
                by,
            };
            Some(salon::store::proposals::create(&db, &new).await?)
        }
        _ => None,
    };
    // The key the server signs CSRF tokens with (the clients sign their own, as forms carry).
    let csrf_key = salon::store::settings::get_or_init(&db, "csrf_key", || {
        salon::domain::token::generate().secret
    })
    .await?;
    db.close().await;

    // The server, as its own process, so its CPU and memory can be read.
    let exe = std::env::current_exe()?.with_file_name("salon");
    let mut command = match &args.server_cpus {
        Some(cpus) => {
            let mut c = tokio::process::Command::new("taskset");
            c.args(["-c", cpus]).arg(&exe);
            c
        }
        None => tokio::process::Command::new(&exe),
    };
    let mut server = command
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &database_url)
        .env("SALON_OUTBOX_DIR", format!("{dir}/outbox"))
        .env("SALON_ROOM_RATE", "1000")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .stdout(std::process::Stdio::null())
        .spawn()?;
    let pid = server.id().unwrap_or(0);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, rss_idle) = proc_usage(pid);

    // Connect everyone (a few hundred handshakes at a time).
    let url = format!(
        "{}/salons/{salon_id}/room/ws?after=0",
        base.replace("http://", "ws://")
    );
    let connected = Arc::new(AtomicU64::new(0));
    let deliveries = Arc::new(AtomicU64::new(0));
    let measuring = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let connect_started = Instant::now();
    let mut sockets = Vec::with_capacity(args.clients);
    for chunk in cookies.chunks(250) {
        let batch = futures_util::future::join_all(chunk.iter().map(|cookie| {
            let url = url.clone();
            let base = base.clone();
            let cookie = cookie.clone();
            async move {
                let mut request = url.into_client_request().ok()?;
                request.headers_mut().insert("cookie", cookie.parse().ok()?);
                request.headers_mut().insert("origin", base.parse().ok()?);
                // tungstenite zero-fills its read buffer before each read: its 128 KiB default
                // would make the generator measure memset rather than the server.
                let config = WebSocketConfig::default()
                    .read_buffer_size(16 * 1024)
                    .write_buffer_size(4 * 1024);
                tokio_tungstenite::connect_async_with_config(request, Some(config), true)
                    .await
                    .ok()
                    .map(|(s, _)| s)
            }
        }))
        .await;
        sockets.extend(batch.into_iter().flatten());
    }
    let held = sockets.len();
    connected.store(held as u64, Ordering::Relaxed);
    println!(
        "connected {held} of {} clients in {:.1} s",
        args.clients,
        connect_started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await; // let presence settle
    let (cpu_before, rss_connected) = proc_usage(pid);
    let (own_before, _) = proc_usage(std::process::id());
    if let Some(proposal) = proposal {
        let started = Instant::now();
        let report = stances::run(sockets, port, proposal, &cookies, &csrf_key, args.seconds).await;
        let wall = started.elapsed().as_secs_f64();
        let (cpu_after, _) = proc_usage(pid);
        let (own_after, _) = proc_usage(std::process::id());
        let _ = server.start_kill();
        let _ = server.wait().await;
        let db = salon::open_database(&config).await?;
        let mut stored = [0i64; 4];
        for s in salon::store::proposals::stances(&db, proposal).await? {
            let i = salon::domain::proposal::Choice::ALL
                .iter()
                .position(|c| *c == s.choice())
                .unwrap_or(0);
            stored[i] += 1;
        }
        println!(
            "stances: {} stored by POST (303) of {held}, {} failed, over {} s; tally stored {stored:?} expected {:?}: {}",
            report.stored_by_post,
            report.failed,
            args.seconds,
            report.expected,
            if stored == report.expected {
                "exact"
            } else {
                "WRONG"
            }
        );
        println!(
            "POST latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; proposal frames received {} ({:.1} per socket); sockets whose last frame has the exact tally: {} of {held}",
            report.latency.value_at_quantile(0.5) as f64 / 1000.0,
            report.latency.value_at_quantile(0.99) as f64 / 1000.0,
            report.latency.max() as f64 / 1000.0,
            report.frames,
            report.frames as f64 / held.max(1) as f64,
            report.sockets_exact
        );
        println!(
            "server CPU {:.0} % of one core over {wall:.1} s; load generator CPU {:.0} % of one core",
            (cpu_after - cpu_before) as f64 / 100.0 / wall * 100.0,
            (own_after - own_before) as f64 / 100.0 / wall * 100.0
        );
        return Ok(());
    }
    if let Some((round, options)) = round {
        let started = Instant::now();
        let report = cast_ballots(sockets, round, &options, args.seconds).await;
        let wall = started.elapsed().as_secs_f64();
        let (cpu_after, _) = proc_usage(pid);
        let (own_after, own_rss) = proc_usage(std::process::id());
        let _ = server.start_kill();
        let _ = server.wait().await;
        let db = salon::open_database(&config).await?;
        let stored = salon::store::rounds::options(&db, round).await?;
        let voters = salon::store::rounds::voters(&db, round).await?;
        let correct = stored
            .iter()
            .zip(&report.expected)
            .all(|(o, e)| o.points == *e)
            && voters == report.accepted as i64;
        println!(
            "ballots: {} accepted of {held} sent over {} s ({} refused, {} unanswered); stored voters {voters}; totals stored {:?} expected {:?}: {}",
            report.accepted,
            args.seconds,
            report.refused,
            report.unanswered,
            stored.iter().map(|o| o.points).collect::<Vec<_>>(),
            report.expected,
            if correct { "correct" } else { "WRONG" }
        );
        println!(
            "ballot round trip (sent to ballot_accepted): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; result frames received: {}",
            report.latency.value_at_quantile(0.5) as f64 / 1000.0,
            report.latency.value_at_quantile(0.99) as f64 / 1000.0,
            report.latency.max() as f64 / 1000.0,
            report.results_frames
        );
        println!(
            "server CPU {:.0} % of one core over {wall:.1} s; load generator CPU {:.0} % of one core, memory {} MiB",
            (cpu_after - cpu_before) as f64 / 100.0 / wall * 100.0,
            (own_after - own_before) as f64 / 100.0 / wall * 100.0,
            own_rss / 1024
        );
        return Ok(());
    }

    // Receivers record latency; the first `senders` clients also send.
    let mut receivers = Vec::new();
    let mut writers = Vec::new();
    for (i, socket) in sockets.into_iter().enumerate() {
        let (write, mut read) = socket.split();
        if i < args.senders {
            writers.push(write);
        } else {
            drop(write);
        }
        let deliveries = deliveries.clone();
        let measuring = measuring.clone();
        receivers.push(tokio::spawn(async move {
            let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)
                .unwrap_or_else(|_| Histogram::new(3).unwrap_or_else(|_| unreachable!()));
            while let Some(Ok(frame)) = read.next().await {
                if let Ws::Text(text) = frame
                    && let Some(pos) = text.find("\"body\":\"t=")
                {
                    let rest = &text[pos + 10..];
                    let sent: u64 = rest
                        .split(|c: char| !c.is_ascii_digit())
                        .next()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    if measuring.load(Ordering::Relaxed) && sent > 0 {
                        let _ = h.record(micros_now().saturating_sub(sent).max(1));
                        deliveries.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            h
        }));
    }
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let per_sender = args.rate / args.senders.max(1) as f64;
    let mut sender_tasks = Vec::new();
    let senders = writers.len().max(1);
    for (n, mut write) in writers.into_iter().enumerate() {
        let seconds = args.seconds;
        sender_tasks.push(tokio::spawn(async move {
            // Senders take turns (sender n starts n/rate seconds in), so the room gets an even
            // stream of messages rather than a burst from every sender at the same instant.
            let period = Duration::from_secs_f64(1.0 / per_sender.max(0.001));
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period.mul_f64(n as f64 / senders as f64), period);
            let end = Instant::now() + Duration::from_secs(seconds);
            let mut i = 0u64;
            while Instant::now() < end {
                tick.tick().await;
                let frame = serde_json::json!({"type": "send", "body": format!("t={}", micros_now()), "client_id": format!("s{n}-{i}")});
                if write.send(Ws::Text(frame.to_string().into())).await.is_err() {
                    break;
                }
                i += 1;
            }
            (i, write)
        }));
    }
    let mut sent = 0;
    let mut keep = Vec::new();
    for t in sender_tasks {
        let (n, w) = t.await?;
        sent += n;
        keep.push(w);
    }
    tokio::time::sleep(Duration::from_secs(2)).await; // let the last messages arrive
    measuring.store(false, Ordering::Relaxed);
    let wall = started.elapsed().as_secs_f64();
    let (cpu_after, rss_end) = proc_usage(pid);
    let (own_after, own_rss) = proc_usage(std::process::id());
    let ticks_per_second = 100.0;
    let server_cpu = (cpu_after - cpu_before) as f64 / ticks_per_second / wall * 100.0;
    let own_cpu = (own_after - own_before) as f64 / ticks_per_second / wall * 100.0;
    let _ = server.start_kill();
    let _ = server.wait().await;
    drop(keep);
    let mut all = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    for r in receivers {
        if let Ok(h) = r.await {
            all.add(h)?;
        }
    }
    let expected = sent * (held.saturating_sub(args.senders)) as u64;
    let got = deliveries.load(Ordering::Relaxed);
    println!(
        "messages sent: {sent} ({:.0}/s over {} s); deliveries: {got} of {expected} expected ({:.0}/s over the {wall:.1} s until the last arrived)",
        sent as f64 / args.seconds as f64,
        args.seconds,
        got as f64 / wall
    );
    println!(
        "send-to-receive latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.value_at_quantile(0.5) as f64 / 1000.0,
        all.value_at_quantile(0.99) as f64 / 1000.0,
        all.max() as f64 / 1000.0
    );
    println!(
        "connections held: {held}; server CPU {server_cpu:.0} % of one core; server memory {} MiB idle, {} MiB with clients ({:.1} KiB per connection), {} MiB at the end",
        rss_idle / 1024,
        rss_connected / 1024,
        (rss_connected.saturating_sub(rss_idle)) as f64 / held.max(1) as f64,
        rss_end / 1024
    );
    println!(
        "load generator (this process): CPU {own_cpu:.0} % of one core, memory {} MiB",
        own_rss / 1024
    );
    Ok(())
}

/// A priority round on the salon, opened: its id and option ids.
async fn open_round(
    db: &salon::store::Db,
    salon_id: salon::ids::SalonId,
    live: bool,
) -> anyhow::Result<(salon::ids::RoundId, Vec<salon::ids::OptionId>)> {
    use salon::domain::round::{RoundPlan, State};
    let plan = RoundPlan {
        question: "Hvad prioriterer vi i den fælles investering?".into(),
        options: [
            "Fælles e-bøger",
            "Kompetencer",
            "Data",
            "Formidling",
            "Infrastruktur",
        ]
        .map(String::from)
        .to_vec(),
        points_per_person: 5,
        max_per_option: 3,
        live_results: live,
    };
    let round = salon::store::rounds::create(db, salon_id, &plan).await?;
    salon::store::rounds::advance(db, round, State::Draft, State::Open).await?;
    let options = salon::store::rounds::options(db, round)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    Ok((round, options))
}

struct BallotReport {
    accepted: u64,
    refused: u64,
    unanswered: u64,
    results_frames: u64,
    /// Points per option that the accepted ballots add up to.
    expected: Vec<i64>,
    latency: Histogram<u64>,
}

/// Every client casts one ballot (3 points on one option, 2 on another, by its number), at
/// evenly spread moments over `seconds`, and waits for its `ballot_accepted`.
async fn cast_ballots(
    sockets: Vec<Socket>,
    round: salon::ids::RoundId,
    options: &[salon::ids::OptionId],
    seconds: u64,
) -> BallotReport {
    let n = sockets.len().max(1);
    let start = tokio::time::Instant::now() + Duration::from_millis(200);
    let tasks: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(i, mut socket)| {
            // Uneven totals on purpose (the last option gets most), so a ballot counted twice or
            // dropped shows; b is never a.
            let k = options.len();
            let (a, b) = (options[i % k], if i % k == k - 1 { options[0] } else { options[k - 1] });
            let at = start + Duration::from_secs(seconds).mul_f64(i as f64 / n as f64);
            tokio::spawn(async move {
                tokio::time::sleep_until(at).await;
                let frame = serde_json::json!({"type": "ballot", "round": round, "points": {a.to_string(): 3, b.to_string(): 2}});
                let sent = Instant::now();
                if socket.send(Ws::Text(frame.to_string().into())).await.is_err() {
                    return (None, 0, (a, b));
                }
                let mut results = 0;
                let answer = tokio::time::timeout(Duration::from_secs(30), async {
                    while let Some(Ok(frame)) = socket.next().await {
                        if let Ws::Text(text) = frame {
                            if text.contains("\"type\":\"round_results\"") {
                                results += 1;
                            } else if text.contains("\"type\":\"ballot_accepted\"") {
                                return Some((true, sent.elapsed()));
                            } else if text.contains("\"type\":\"error\"") {
                                return Some((false, sent.elapsed()));
                            }
                        }
                    }
                    None
                })
                .await
                .ok()
                .flatten();
                // Keep counting result frames until everyone has voted.
                let _ = tokio::time::timeout_at(start + Duration::from_secs(seconds + 2), async {
                    while let Some(Ok(frame)) = socket.next().await {
                        if let Ws::Text(text) = frame
                            && text.contains("\"type\":\"round_results\"")
                        {
                            results += 1;
                        }
                    }
                })
                .await;
                (answer, results, (a, b))
            })
        })
        .collect();
    let mut report = BallotReport {
        accepted: 0,
        refused: 0,
        unanswered: 0,
        results_frames: 0,
        expected: vec![0; options.len()],
        latency: Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)
            .unwrap_or_else(|_| Histogram::new(3).unwrap_or_else(|_| unreachable!())),
    };
    for t in tasks {
        let Ok((answer, results, (a, b))) = t.await else {
            continue;
        };
        report.results_frames += results;
        match answer {
            Some((true, took)) => {
                report.accepted += 1;
                let _ = report.latency.record(took.as_micros().max(1) as u64);
                for (option, points) in [(a, 3), (b, 2)] {
                    if let Some(k) = options.iter().position(|o| *o == option) {
                        report.expected[k] += points;
                    }
                }
            }
            Some((false, _)) => report.refused += 1,
            None => report.unanswered += 1,
        }
    }
    report
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn tempfile_dir() -> anyhow::Result<String> {
    let dir = std::env::temp_dir().join(format!("salon-roomload-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir.display().to_string())
}
