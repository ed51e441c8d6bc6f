//! `bench seed-landscape`: N landscape items (the first D of them agreements with dates, for
//! the roadmap), G glossary entries, and a published salon whose description and agenda name
//! known abbreviations many times (the page that marks them). With `--no-organisations` the
//! organisations are named by their short names (nothing to expand), so with no entries no term
//! is known and the same salon page is rendered without marking: the two are compared in
//! BENCHMARKS.md. Prints `salon=ID`.

use chrono::{Duration, Utc};
use salon::domain::landscape::{ItemInput, validate};
use salon::store::landscape::{self as store, Saved};
use salon::store::{Db, glossary, organisations, salons, series};

pub async fn seed(
    db: &Db,
    items: usize,
    dated: usize,
    entries: usize,
    with_organisations: bool,
) -> anyhow::Result<()> {
    if with_organisations {
        salon::demo::load_directory(db).await?;
    } else {
        // The same organisations (the registration form lists them) named by their short
        // names, which leaves nothing to expand.
        for (short, _, country) in salon::demo::ORGANISATIONS {
            organisations::upsert(
                db,
                &organisations::NewOrganisation {
                    short_name: short,
                    name: short,
                    country,
                    is_member: true,
                },
            )
            .await?;
        }
    }
    let orgs = organisations::all(db).await?;
    let today = Utc::now().date_naive();
    let mut tx = db.begin().await?;
    for i in 0..items {
        let date = |days: i64| (today + Duration::days(days)).to_string();
        let (kind, starts, renegotiate, ends) = if i < dated {
            let start = -(i as i64 % 700);
            (
                "agreement",
                date(start),
                date(start + 500 + (i as i64 % 300)),
                date(start + 900 + (i as i64 % 400)),
            )
        } else {
            ("service", String::new(), String::new(), String::new())
        };
        let name = format!("Tjeneste {i:04}");
        let countries = vec!["DK".to_string()];
        let text = validate(&ItemInput {
            name: &name,
            abbreviation: &format!("T{i}"),
            kind,
            description: "En fælles tjeneste for bibliotekerne, som DDF og KOMBIT aftaler med leverandøren.",
            countries: &countries,
            economy: "Betales af kommunerne.",
            amount: "1.250.000",
            currency: "DKK",
            governance: "Styregruppen.",
            supplier: "Leverandør A/S",
            starts_on: &starts,
            ends_on: &ends,
            renegotiate_on: &renegotiate,
        })
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let owner = orgs.get(i % orgs.len().max(1)).map(|o| o.id);
        store::create(&mut tx, &Saved { text: &text, owner }).await?;
    }
    for i in 0..entries {
        glossary::add(
            &mut tx,
            &format!("AB{i}"),
            &format!("Forkortelse nummer {i}"),
            "",
        )
        .await?;
    }
    if entries > 0 {
        glossary::add(&mut tx, "KL", "Kommunernes Landsforening", "").await?;
    }
    let series_id = series::create(&mut tx, "Bench-serien", "").await?;
    tx.commit().await?;
    // A description of about 1,500 characters naming KB, DDF, KL and KOMBIT again and again.
    let paragraph = "KB og DDF mødes med KL om de fælles licenser; KOMBIT fortæller om FBS og Brønden, og AB1 og AB2 følger op. ";
    let description = [paragraph; 14].join("\n\n");
    let starts = Utc::now() + Duration::days(10);
    let input = salon::domain::salon::SalonInput {
        title: "Bench-salonen".into(),
        description,
        series_id: series_id.to_string(),
        starts_at: salon::domain::time::to_local_input(&starts, chrono_tz::Europe::Copenhagen),
        ends_at: salon::domain::time::to_local_input(
            &(starts + Duration::hours(3)),
            chrono_tz::Europe::Copenhagen,
        ),
        time_zone: "Europe/Copenhagen".into(),
        mode: "online".into(),
        address: String::new(),
        meeting_url: "https://meet.example/bench".into(),
        capacity: String::new(),
        rsvp_deadline: String::new(),
        registration: "open".into(),
        agenda: "Velkomst | KL\nOplæg fra DDF\nKB om data\nKOMBIT om FBS\nSamtale".into(),
    };
    let valid = salon::domain::salon::validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut tx = db.begin().await?;
    let id = salons::create(&mut tx, &valid, None).await?;
    if let Some(current) = salons::lock(&mut tx, id).await? {
        salons::set_status(&mut tx, &current, salon::domain::salon::Status::Published)
            .await?
            .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
    }
    tx.commit().await?;
    println!("salon={id}");
    Ok(())
}
