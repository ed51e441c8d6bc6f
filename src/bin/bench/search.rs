//! `bench seed-search`: a series with one salon and its room holding N room messages, and M
//! themes and decisions, written in the five languages from a vocabulary whose words are
//! drawn unevenly (a few very common, most rare), as real talk is; then a session for a
//! person registered for the salon (who may read its room). Prints `salon=ID cookie=...`.
//! The messages go in through the store one by one, as the room stores them (the search
//! triggers fire for each).

use chrono::{Duration, Utc};
use rand::Rng;
use salon::domain::rsvp::Response;
use salon::store::{Db, rooms, rsvps, salons, series};

/// Words of the field in the five languages; earlier words are drawn more often.
const WORDS: &[&str] = &[
    "bibliotekerne",
    "digitale",
    "licenser",
    "borgerne",
    "fælles",
    "indkøb",
    "data",
    "kommunerne",
    "biblioteket",
    "tilbud",
    "aftale",
    "e-bøger",
    "lydbøger",
    "platform",
    "brugerne",
    "strategi",
    "økonomi",
    "styring",
    "samarbejde",
    "indhold",
    "formidling",
    "forhandling",
    "leverandør",
    "budget",
    "prioritering",
    "beslutning",
    "opgave",
    "tema",
    "salon",
    "arbejdsgruppe",
    "bibliotekene",
    "avtalene",
    "innkjøp",
    "kommunene",
    "lånere",
    "tjenester",
    "felles",
    "biblioteken",
    "avtalen",
    "kommunerna",
    "låntagare",
    "tjänster",
    "gemensam",
    "upphandling",
    "kirjastot",
    "kirjastojen",
    "sopimus",
    "hankinta",
    "kunnat",
    "palvelut",
    "yhteinen",
    "libraries",
    "licences",
    "negotiated",
    "shared",
    "procurement",
    "citizens",
    "services",
    "metadata",
    "brønden",
    "bibliografi",
    "katalog",
    "udlån",
    "statistik",
    "forbrug",
    "adgang",
    "login",
    "integration",
    "migrering",
    "system",
    "drift",
    "sikkerhed",
    "tilgængelighed",
    "rettigheder",
    "forlag",
    "pris",
    "model",
    "pilot",
    "evaluering",
    "rapport",
    "tidsplan",
    "konsortium",
    "national",
    "regional",
    "lokal",
    "erfaring",
    "anbefaling",
    "vision",
    "mål",
];

fn sentence(rng: &mut impl Rng, words: usize) -> String {
    (0..words)
        .map(|_| {
            // Squaring a uniform draw favours the start of the list (a Zipf-like spread).
            let x: f64 = rng.random::<f64>();
            WORDS[((x * x) * WORDS.len() as f64) as usize % WORDS.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn seed(db: &Db, messages: usize, items: usize) -> anyhow::Result<()> {
    salon::demo::load_directory(db).await?;
    let reader = salon::store::people::by_email(
        db,
        &salon::domain::Email::parse("lars.brandt@kb.example")
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("demo person missing"))?;
    let mut tx = db.begin().await?;
    let series_id = series::create(&mut tx, "Søgeserie", "Saloner til søgetest.").await?;
    let mut input = super::online_salon("Søgesalon".into(), Utc::now() - Duration::hours(1), 3);
    input.series_id = series_id.to_string();
    let valid = salon::domain::salon::validate(&input, 0).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let salon_id = salons::create(&mut tx, &valid, None).await?;
    if let Some(current) = salons::lock(&mut tx, salon_id).await? {
        salons::set_status(&mut tx, &current, salon::domain::salon::Status::Published)
            .await?
            .map_err(|e| anyhow::anyhow!("{}", e.code()))?;
    }
    rsvps::record(
        &mut tx,
        salon_id,
        reader.id,
        Response::Yes,
        false,
        rsvps::Rules::OnBehalf,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    tx.commit().await?;
    let room = rooms::of_salon_creating_main(db, salon_id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no main room"))?;
    let mut rng = rand::rng();
    let started = std::time::Instant::now();
    for i in 0..messages {
        let n = rng.random_range(6..24);
        let body = sentence(&mut rng, n);
        rooms::post(db, room.id, reader.id, &format!("s-{i}"), &body, false).await?;
    }
    for i in 0..items {
        let mut tx = db.begin().await?;
        let title = sentence(&mut rng, 4);
        let body = sentence(&mut rng, 20);
        if i % 2 == 0 {
            let text = salon::domain::theme::ThemeText { title, why: body };
            salon::store::themes::create(
                &mut tx,
                &salon::store::themes::NewTheme {
                    series_id,
                    text: &text,
                    organisation_id: None,
                    proposed_by: reader.id,
                },
            )
            .await?;
        } else {
            salon::store::outcomes::decide(
                &mut tx,
                &salon::store::outcomes::NewDecision {
                    salon: salon_id,
                    body: &body,
                    theme: None,
                    round: None,
                    message: None,
                    by: reader.id,
                },
            )
            .await?;
        }
        tx.commit().await?;
    }
    let cookie = salon::store::sessions::create(db, reader.id, Default::default()).await?;
    eprintln!(
        "seeded {messages} messages and {items} themes and decisions in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    println!("salon={salon_id} cookie=salon_session={cookie}");
    Ok(())
}
