//! Load-test helpers (not tests): seeding data for the benchmarks in BENCHMARKS.md.
//!
//! `bench seed-front-page --salons 200` fills the database named by DATABASE_URL with a series
//! of published salons in the coming months, as the front-page benchmark
//! (`scripts/bench-front-page`) needs.

use std::process::ExitCode;

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
    /// Post N messages into one room, one after another, through the store (what every room
    /// message costs before it is broadcast); prints the latency percentiles.
    RoomPost {
        #[arg(long, default_value = "2000")]
        messages: usize,
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
            let series_id = series::create(&mut tx, "Benchmark-række", "Saloner til belastningstest.").await?;
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
                    salons::set_status(&mut tx, &current, Status::Published).await?.map_err(|e| anyhow::anyhow!("{}", e.code()))?;
                }
            }
            tx.commit().await?;
            println!("seeded {n} published salons");
        }
        Command::RoomPost { messages } => {
            salon::demo::load_directory(&db).await?;
            let author = salon::store::people::by_email(&db, &salon::domain::Email::parse("lars.brandt@kb.example").map_err(|e| anyhow::anyhow!("{e}"))?).await?.ok_or_else(|| anyhow::anyhow!("demo person missing"))?.id;
            let mut tx = db.begin().await?;
            let input = SalonInput {
                title: "Rumtest".into(),
                starts_at: to_local_input(&Utc::now(), chrono_tz::Europe::Copenhagen),
                ends_at: to_local_input(&(Utc::now() + Duration::hours(2)), chrono_tz::Europe::Copenhagen),
                time_zone: "Europe/Copenhagen".into(),
                mode: "online".into(),
                meeting_url: "https://meet.example.org/bench".into(),
                registration: "open".into(),
                ..Default::default()
            };
            let valid = validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let salon_id = salons::create(&mut tx, &valid, None).await?;
            tx.commit().await?;
            let room = rooms::of_salon(&db, salon_id).await?.into_iter().next().ok_or_else(|| anyhow::anyhow!("no main room"))?;
            let mut h = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 10_000_000, 3)?;
            let started = std::time::Instant::now();
            for i in 0..messages {
                let t = std::time::Instant::now();
                rooms::post(&db, room.id, author, &format!("b-{i}"), "Et indlæg i debatten", false).await?;
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
