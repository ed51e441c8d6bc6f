//! Load-test helpers (not tests): seeding data for the benchmarks in BENCHMARKS.md.
//!
//! `bench seed-front-page --salons 200` fills the database named by DATABASE_URL with a series
//! of published salons in the coming months, as the front-page benchmark
//! (`scripts/bench-front-page`) needs. `bench seed-board` fills a series with strategy work
//! (themes with support, closed priority rounds with ballots, decisions, actions) for the board
//! benchmark (`scripts/bench-board`) and prints the series id and a member's session cookie.

use std::process::ExitCode;

#[path = "bench/landscape.rs"]
mod landscape;
#[path = "bench/search.rs"]
mod search;

use chrono::{Duration, Utc};
use clap::{Parser, Subcommand};
use salon::config::{Config, Settings};
use salon::domain::salon::{SalonInput, Status, validate};
use salon::domain::time::to_local_input;
use salon::store::{rooms, salons, series};

#[derive(Parser)]
#[command(name = "bench", about = "Seed data for Salon's benchmarks")]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create N published upcoming salons (with agendas) in one series.
    SeedFrontPage {
        #[arg(long, default_value = "200")]
        salons: usize,
    },
    /// A series with N themes (with support), R closed rounds (ballots from the demo people) and
    /// A actions; prints `series=ID cookie=salon_session=...` for a signed-in member.
    SeedBoard {
        #[arg(long, default_value = "200")]
        themes: usize,
        #[arg(long, default_value = "20")]
        rounds: usize,
        #[arg(long, default_value = "300")]
        actions: usize,
    },
    /// A published salon with N invited people, and in DIR one calendar reply per person (an
    /// Outlook-style ACCEPTED to their own reply address), for `scripts/bench-inbound`.
    SeedReplies {
        #[arg(long, default_value = "1000")]
        replies: usize,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Take in every .eml in DIR through the ingest path, in this process, one after another;
    /// prints the rate and the latency percentiles.
    IngestDir {
        #[arg(long)]
        dir: std::path::PathBuf,
    },
    /// Post N messages into one room, one after another, through the store (what every room
    /// message costs before it is broadcast); prints the latency percentiles.
    RoomPost {
        #[arg(long, default_value = "2000")]
        messages: usize,
    },
    /// A salon whose room holds N messages, and M themes and decisions, in the five languages,
    /// for the search benchmark (`scripts/bench-search`); prints `salon=ID cookie=...` for a
    /// person registered for it.
    SeedSearch {
        #[arg(long, default_value = "100000")]
        messages: usize,
        #[arg(long, default_value = "5000")]
        items: usize,
    },
    /// N landscape items (the first D agreements with dates), G glossary entries and a salon
    /// whose texts name known abbreviations (`scripts/bench-landscape`); prints `salon=ID`.
    SeedLandscape {
        #[arg(long, default_value = "500")]
        items: usize,
        #[arg(long, default_value = "200")]
        dated: usize,
        #[arg(long, default_value = "50")]
        glossary: usize,
        /// Organisations named by their short names (so, with no glossary entries, no known
        /// abbreviation).
        #[arg(long)]
        no_organisations: bool,
    },
    /// A session for a person (by address), as a signed-in browser has; prints
    /// `cookie=salon_session=...` and the demo's running salon (`running=ID`), for the page
    /// benchmarks (`scripts/bench-pages`).
    Session {
        #[arg(long)]
        email: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_settings(&cli.settings) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bench: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e:#}");
            ExitCode::from(1)
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    let db = salon::open_database(&config).await?;
    match command {
        Command::SeedFrontPage { salons: n } => {
            salon::demo::load_directory(&db).await?;
            let mut tx = db.begin().await?;
            let series_id =
                series::create(&mut tx, "Benchmark-række", "Saloner til belastningstest.").await?;
            let tz = chrono_tz::Europe::Copenhagen;
            for i in 0..n {
                let starts = Utc::now() + Duration::hours(24 + 6 * i as i64);
                let input = SalonInput {
                    title: format!("Salon nr. {i}: hvordan når vi borgerne digitalt?"),
                    description: "En digital halvdagssalon.".into(),
                    series_id: series_id.to_string(),
                    starts_at: to_local_input(&starts, tz),
                    ends_at: to_local_input(&(starts + Duration::hours(3)), tz),
                    time_zone: tz.name().into(),
                    mode: "online".into(),
                    meeting_url: "https://meet.example.org/bench".into(),
                    registration: "open".into(),
                    agenda: "9.00 Velkomst\n9.15 Oplæg\n10.00 Samtale".into(),
                    ..Default::default()
                };
                let valid = validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let id = salons::create(&mut tx, &valid, None).await?;
                if let Some(current) = salons::lock(&mut tx, id).await? {
                    salons::set_status(&mut tx, &current, Status::Published)
                        .await?
                        .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
                }
            }
            tx.commit().await?;
            println!("seeded {n} published salons");
        }
        Command::SeedBoard {
            themes,
            rounds,
            actions,
        } => seed_board(&db, themes, rounds, actions).await?,
        Command::SeedLandscape {
            items,
            dated,
            glossary,
            no_organisations,
        } => landscape::seed(&db, items, dated, glossary, !no_organisations).await?,
        Command::SeedReplies { replies, out } => seed_replies(&db, &config, replies, &out).await?,
        Command::IngestDir { dir } => {
            db.close().await;
            let app = salon::build(config.clone()).await?;
            let mut files: Vec<_> = std::fs::read_dir(&dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect();
            files.sort();
            let mut h = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
            let mut applied = 0;
            let started = std::time::Instant::now();
            for f in &files {
                let raw = std::fs::read(f)?;
                let t = std::time::Instant::now();
                if let salon::usecases::inbound::Handled::Applied(_) =
                    salon::usecases::inbound::ingest(
                        &app,
                        &raw,
                        salon::usecases::inbound::Source::Http,
                    )
                    .await?
                {
                    applied += 1;
                }
                h.record(t.elapsed().as_micros().max(1) as u64)?;
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{} messages ({applied} applied) in {secs:.2} s: {:.0}/s; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                files.len(),
                files.len() as f64 / secs,
                h.value_at_quantile(0.5) as f64 / 1000.0,
                h.value_at_quantile(0.99) as f64 / 1000.0,
                h.max() as f64 / 1000.0
            );
        }
        Command::Session { email } => {
            let email = salon::domain::Email::parse(&email).map_err(|e| anyhow::anyhow!("{e}"))?;
            let person = salon::store::people::by_email(&db, &email)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no such person"))?;
            let cookie = salon::store::sessions::create(&db, person.id, Default::default()).await?;
            // The demo's salon under way now (its title is the demo's own).
            let running = salons::upcoming(&db, 500)
                .await?
                .into_iter()
                .find(|s| s.starts_at <= Utc::now() && Utc::now() < s.ends_at)
                .map(|s| s.id.to_string())
                .unwrap_or_default();
            println!("running={running} cookie=salon_session={cookie}");
        }
        Command::SeedSearch { messages, items } => search::seed(&db, messages, items).await?,
        Command::RoomPost { messages } => {
            salon::demo::load_directory(&db).await?;
            let author = salon::store::people::by_email(
                &db,
                &salon::domain::Email::parse("lars.brandt@kb.example")
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo person missing"))?
            .id;
            let mut tx = db.begin().await?;
            let input = online_salon("Rumtest".into(), Utc::now(), 2);
            let valid = validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let salon_id = salons::create(&mut tx, &valid, None).await?;
            tx.commit().await?;
            let room = rooms::of_salon_creating_main(&db, salon_id)
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| anyhow::anyhow!("no main room"))?;
            let mut h = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 10_000_000, 3)?;
            let started = std::time::Instant::now();
            for i in 0..messages {
                let t = std::time::Instant::now();
                rooms::post(
                    &db,
                    room.id,
                    author,
                    &format!("b-{i}"),
                    "Et indlæg i debatten",
                    false,
                )
                .await?;
                h.record(t.elapsed().as_micros().max(1) as u64)?;
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{messages} posts in {secs:.2} s ({:.0}/s): p50 {} µs, p99 {} µs, max {} µs",
                messages as f64 / secs,
                h.value_at_quantile(0.5),
                h.value_at_quantile(0.99),
                h.max()
            );
        }
    }
    Ok(())
}

/// The strategy board's benchmark data: one series, a salon per round (each closed round has
/// five options and a ballot from every demo person), themes supported by up to eight people,
/// one decision per round, and actions spread over the demo people and organisations.
async fn seed_board(
    db: &salon::store::Db,
    n_themes: usize,
    n_rounds: usize,
    n_actions: usize,
) -> anyhow::Result<()> {
    use salon::domain::round::{RoundPlan, State};
    use salon::domain::theme::ThemeText;
    use salon::ids::OptionId;
    use salon::store::{outcomes, people, rounds, sessions, themes};
    salon::demo::load_directory(db).await?;
    let mut everyone = Vec::new();
    for p in people::list(db).await? {
        everyone.extend(people::by_id(db, p.id).await?);
    }
    let member = everyone
        .first()
        .ok_or_else(|| anyhow::anyhow!("no people"))?
        .id;
    let mut tx = db.begin().await?;
    let series_id = series::create(
        &mut tx,
        "Strategitavle-test",
        "Belastningstest af strategitavlen.",
    )
    .await?;
    let mut salon_ids = Vec::new();
    for i in 0..n_rounds.max(1) {
        let starts = Utc::now() - Duration::days(7 * (n_rounds as i64 - i as i64));
        let input = SalonInput {
            series_id: series_id.to_string(),
            ..online_salon(format!("Salon {i} om fælles prioriteter"), starts, 3)
        };
        let valid = validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        salon_ids.push(salons::create(&mut tx, &valid, None).await?);
    }
    for i in 0..n_themes {
        let text = ThemeText {
            title: format!("Tema {i}: fælles digitale tilbud til borgerne"),
            why: "Fordi vi deler budgettet og borgerne.".into(),
        };
        let id = themes::create(
            &mut tx,
            &themes::NewTheme {
                series_id,
                text: &text,
                organisation_id: None,
                proposed_by: member,
            },
        )
        .await?;
        for p in everyone.iter().take(i % 9) {
            themes::support(&mut tx, id, p.id).await?;
        }
    }
    for i in 0..n_actions {
        let owner = &everyone[i % everyone.len()];
        let new = outcomes::NewAction {
            salon: salon_ids[i % salon_ids.len()],
            what: &format!("Opgave {i}: udkast til fælles aftale"),
            owner: Some(owner.id),
            organisation: owner.organisation_id,
            due: Some(Utc::now().date_naive() + Duration::days(i as i64 % 60)),
            by: member,
            decision: None,
            theme: None,
        };
        outcomes::add_action(&mut tx, &new).await?;
    }
    tx.commit().await?;
    for (i, salon) in salon_ids.iter().enumerate().take(n_rounds) {
        let plan = RoundPlan {
            question: format!("Runde {i}: hvad prioriterer vi?"),
            options: (0..5).map(|o| format!("Mulighed {o}")).collect(),
            points_per_person: 5,
            max_per_option: 3,
            live_results: false,
        };
        let round = rounds::create(db, *salon, &plan).await?;
        rounds::advance(db, round, State::Draft, State::Open).await?;
        let options: Vec<OptionId> = rounds::options(db, round)
            .await?
            .iter()
            .map(|o| o.id)
            .collect();
        for (n, p) in everyone.iter().enumerate() {
            let ballot = [(options[n % 5], 3), (options[(n + 1) % 5], 2)];
            rounds::cast(db, round, p.id, &ballot).await?;
        }
        rounds::advance(db, round, State::Open, State::Closed).await?;
        let new = outcomes::NewDecision {
            salon: *salon,
            body: &format!("Beslutning {i}: vi går videre med mulighed {}", i % 5),
            theme: None,
            round: Some(round),
            message: None,
            by: member,
        };
        outcomes::decide(db, &new).await?;
    }
    let cookie = sessions::create(db, member, Default::default()).await?;
    println!("series={series_id} cookie=salon_session={cookie}");
    Ok(())
}

/// N people invited to a published salon (rows as an invitation makes them, reply addresses
/// registered), and one ACCEPTED reply per person written to `out` as Outlook would send it.
async fn seed_replies(
    db: &salon::store::Db,
    config: &Config,
    n: usize,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    use salon::domain::{Email, Role};
    use salon::store::{people, reply_addresses, rsvps};
    std::fs::create_dir_all(out)?;
    let key = salon::store::settings::get_or_init(db, "csrf_key", || {
        salon::domain::token::generate().secret
    })
    .await?;
    let starts = Utc::now() + Duration::days(30);
    let input = SalonInput {
        registration: "invitation".into(),
        ..online_salon("Svar fra kalenderen".into(), starts, 3)
    };
    let valid = validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut tx = db.begin().await?;
    let salon_id = salons::create(&mut tx, &valid, None).await?;
    if let Some(s) = salons::lock(&mut tx, salon_id).await? {
        salons::set_status(&mut tx, &s, Status::Published)
            .await?
            .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
    }
    let salon = salons::lock(&mut tx, salon_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the salon vanished"))?;
    let host = config.base_url.host_str().unwrap_or("salon").to_string();
    let uid = salon::calendar::event::uid(salon_id, &host);
    let from = config.mail.from.email.to_string();
    for i in 0..n {
        let address = format!("svar{i}@replies.example");
        let email = Email::parse(&address).map_err(|e| anyhow::anyhow!("{e}"))?;
        let person = people::create(
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
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        rsvps::invite(&mut tx, salon_id, person).await?;
        let token = salon::mail::reply_address::token(key.as_bytes(), salon_id, person);
        reply_addresses::register(&mut tx, &token, salon_id, person).await?;
        let to = salon::mail::reply_address::address(&from, &token);
        let ics = format!(
            "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
             ATTENDEE;PARTSTAT=ACCEPTED;CN=Deltager {i}:mailto:{address}\r\nUID:{uid}\r\nSEQUENCE:{}\r\n\
             DTSTAMP:20261130T090000Z\r\nSUMMARY:Accepteret\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            salon.revision
        );
        let eml = format!(
            "From: Deltager {i} <{address}>\r\nTo: Salon <{to}>\r\nSubject: Accepted: Svar fra kalenderen\r\nMessage-ID: <reply-{i}@replies.example>\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nJa tak.\r\n\
             --b\r\nContent-Type: text/calendar; charset=utf-8; method=REPLY\r\n\r\n{ics}--b--\r\n"
        );
        std::fs::write(out.join(format!("{i:05}.eml")), eml)?;
    }
    tx.commit().await?;
    println!("salon={salon_id} replies={n}");
    Ok(())
}

/// An online salon in Copenhagen time starting at `starts`, `hours` long, open for registration.
pub(crate) fn online_salon(title: String, starts: chrono::DateTime<Utc>, hours: i64) -> SalonInput {
    let tz = chrono_tz::Europe::Copenhagen;
    SalonInput {
        title,
        starts_at: to_local_input(&starts, tz),
        ends_at: to_local_input(&(starts + Duration::hours(hours)), tz),
        time_zone: tz.name().into(),
        mode: "online".into(),
        meeting_url: "https://meet.example.org/bench".into(),
        registration: "open".into(),
        ..Default::default()
    }
}
