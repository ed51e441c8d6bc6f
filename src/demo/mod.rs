//! The demo alliance: its organisations, an admin, an organiser and some leaders, and the
//! spring series as in its announcement (a physical kickoff, held two weeks ago, then two
//! digital half-day salons in the coming weeks), plus a salon that is running right now, with
//! some answers, and the series' strategy work (`series_work`: themes, a closed and an open
//! priority round), a proposal and a poll (`proposals`), attendance (`attendance`: the
//! kickoff's door and the running salon's room), the running salon's materials and a time poll
//! for the next salon (`time_poll`); and the map of the field (`landscape`: the organisations'
//! mandates, the shared services and agreements with their dates).
//!
//! Idempotent: everything is upserted by its natural key (short name, email, series and salon
//! title), so loading twice duplicates nothing; a second load moves the demo salons' times
//! forward again so the "now" salon is always running.

mod attendance;
mod groups;
mod landscape;
mod materials;
mod proposals;
mod series_work;
mod time_poll;

use chrono::{Duration, Timelike, Utc};

use crate::domain::rsvp::Response;
use crate::domain::salon::{self, SalonInput};
use crate::domain::time::to_local_input;
use crate::domain::{Email, Role};
use crate::i18n::Locale;
use crate::ids::{PersonId, SalonId, SeriesId};
use crate::store::organisations::{self, NewOrganisation};
use crate::store::people::{self, NewPerson};
use crate::store::rsvps::{self, Rules};
use crate::store::{Db, salons, series};

/// (short name, name, country)
pub const ORGANISATIONS: &[(&str, &str, &str)] = &[
    ("KB", "Det Kgl. Bibliotek", "DK"),
    ("BCF", "Bibliotekschefforeningen", "DK"),
    ("CB", "Centralbibliotekerne", "DK"),
    ("DDF", "Det Digitale Folkebibliotek", "DK"),
    ("KOMBIT", "KOMBIT", "DK"),
    ("DBC", "DBC Digital", "DK"),
    ("BDI", "Bibliotekernes Data og IT", "DK"),
    ("FBS", "Det Fælles Bibliotekssystem", "DK"),
    ("B24", "Bibliotek24", "NO"),
    ("FI-PL", "Suomen yleisten kirjastojen konsortio", "FI"),
];

pub struct DemoPerson {
    pub email: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub role: Role,
    pub locale: Locale,
    pub org: &'static str,
}

pub const ADMIN_EMAIL: &str = "admin@salon.example";
pub const ORGANISER_EMAIL: &str = "sekretariat@salon.example";

pub const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        email: ADMIN_EMAIL,
        name: "Astrid Holm",
        title: "Systemadministrator",
        role: Role::Admin,
        locale: Locale::Da,
        org: "BCF",
    },
    DemoPerson {
        email: ORGANISER_EMAIL,
        name: "Mette Sekretariat",
        title: "Sekretariatsleder",
        role: Role::Organiser,
        locale: Locale::Da,
        org: "BCF",
    },
    DemoPerson {
        email: "lars.brandt@kb.example",
        name: "Lars Brandt",
        title: "Direktør",
        role: Role::Member,
        locale: Locale::Da,
        org: "KB",
    },
    DemoPerson {
        email: "birgitte.noergaard@cb.example",
        name: "Birgitte Nørgaard",
        title: "Centralbibliotekschef",
        role: Role::Member,
        locale: Locale::Da,
        org: "CB",
    },
    DemoPerson {
        email: "jens.riis@kombit.example",
        name: "Jens Riis",
        title: "Programchef",
        role: Role::Member,
        locale: Locale::Da,
        org: "KOMBIT",
    },
    DemoPerson {
        email: "sofie.aa@ddf.example",
        name: "Sofie Aagaard",
        title: "Leder",
        role: Role::Member,
        locale: Locale::Da,
        org: "DDF",
    },
    DemoPerson {
        email: "ingrid.solberg@bibliotek24.example",
        name: "Ingrid Solberg",
        title: "Daglig leder",
        role: Role::Member,
        locale: Locale::Nb,
        org: "B24",
    },
    DemoPerson {
        email: "aino.virtanen@kirjastot.example",
        name: "Aino Virtanen",
        title: "Konsortion johtaja",
        role: Role::Member,
        locale: Locale::Fi,
        org: "FI-PL",
    },
];

pub const SERIES_TITLE: &str = "Samtalesaloner: bibliotekernes digitale fremtid";

/// A demo salon: days from today, negative for the past (or None: running now), local start, hours, and the rest.
struct DemoSalon {
    title: &'static str,
    days_ahead: Option<i64>,
    local_start: (u32, u32),
    hours: i64,
    mode: &'static str,
    address: &'static str,
    meeting_url: &'static str,
    capacity: &'static str,
    registration: &'static str,
    description: &'static str,
    agenda: &'static str,
    /// (email, response, shown on the list)
    answers: &'static [(&'static str, Response, bool)],
}

const SALONS: &[DemoSalon] = &[
    DemoSalon {
        title: "Kickoff: bibliotekernes digitale fremtid",
        // Two weeks ago: the series began at the kickoff, as in the announcement.
        days_ahead: Some(-14),
        local_start: (9, 30),
        hours: 7,
        mode: "in_person",
        address: "Det Kgl. Bibliotek, Søren Kierkegaards Plads 1, 1221 København K",
        meeting_url: "",
        capacity: "40",
        registration: "invitation",
        description: "En hel dag, hvor alliancens ledere mødes fysisk og lægger rammen for forårets saloner.\n\nVi samler de strategiske spørgsmål, som de digitale saloner skal arbejde videre med.",
        agenda: "9.30 Ankomst og kaffe\n10.00 Velkomst | Bibliotekschefforeningen\n10.30 Hvor står vi? | oplæg fra Det Digitale Folkebibliotek\n12.00 Frokost\n13.00 Samtaler i grupper\n15.00 Fælles opsamling\n16.00 Tak for i dag",
        answers: &[
            ("lars.brandt@kb.example", Response::Yes, true),
            ("birgitte.noergaard@cb.example", Response::Yes, false),
            ("jens.riis@kombit.example", Response::Maybe, false),
            ("ingrid.solberg@bibliotek24.example", Response::Yes, true),
        ],
    },
    DemoSalon {
        title: "Digitalt indhold og funktioner: hvad tilbyder vi borgerne, og hvordan?",
        days_ahead: Some(21),
        local_start: (9, 0),
        hours: 3,
        mode: "online",
        address: "",
        meeting_url: "https://meet.salon.example/digitalt-indhold",
        capacity: "30",
        registration: "open",
        description: "Digital halvdagssalon om det digitale tilbud: hvilket indhold og hvilke funktioner skal borgerne møde, og hvordan leverer vi dem sammen?",
        agenda: "9.00 Velkomst og tjek-ind\n9.15 Oplæg: borgernes digitale bibliotek\n10.00 Samtale i breakout-rum\n11.15 Pause\n11.30 Prioriteringer på tværs\n12.30 Afrunding",
        answers: &[
            ("lars.brandt@kb.example", Response::Yes, true),
            ("sofie.aa@ddf.example", Response::Yes, true),
            ("aino.virtanen@kirjastot.example", Response::Maybe, false),
            ("jens.riis@kombit.example", Response::No, false),
        ],
    },
    DemoSalon {
        title: "Prioritering af vores fælles investering i det digitale",
        days_ahead: Some(35),
        local_start: (13, 0),
        hours: 3,
        mode: "online",
        address: "",
        meeting_url: "https://meet.salon.example/prioritering",
        capacity: "",
        registration: "open",
        description: "Digital halvdagssalon: hvordan prioriterer vi den fælles investering, så den gør størst forskel for borgerne?",
        agenda: "13.00 Velkomst\n13.15 Status på de fælles investeringer\n14.00 Prioriteringsøvelse\n15.30 Næste skridt\n16.00 Afslutning",
        answers: &[("birgitte.noergaard@cb.example", Response::Yes, true)],
    },
    DemoSalon {
        title: "Åben salon: erfaringer fra Bibliotek24 i Norge",
        days_ahead: None,
        local_start: (0, 0),
        hours: 2,
        mode: "online",
        address: "",
        meeting_url: "https://meet.salon.example/bibliotek24",
        capacity: "",
        registration: "open",
        description: "En salon, der er i gang lige nu: kig ind i rummet og tal med.",
        agenda: "Velkomst\nErfaringer fra Bibliotek24 | Ingrid Solberg\nSpørgsmål og samtale",
        answers: &[
            ("lars.brandt@kb.example", Response::Yes, true),
            ("ingrid.solberg@bibliotek24.example", Response::Yes, true),
            ("sofie.aa@ddf.example", Response::Yes, false),
            ("aino.virtanen@kirjastot.example", Response::Maybe, true),
        ],
    },
];

#[derive(Debug, Default)]
pub struct Loaded {
    pub organisations: usize,
    pub people: usize,
    pub salons: usize,
}

/// Everything: the directory and the spring series.
pub async fn load(db: &Db) -> anyhow::Result<Loaded> {
    let mut loaded = load_directory(db).await?;
    loaded.salons = load_series(db).await?;
    landscape::load(db).await?;
    landscape::load_glossary(db).await?;
    if let Some(s) = series::by_title(db, SERIES_TITLE).await? {
        groups::load(db, s.id).await?;
    }
    Ok(loaded)
}

/// The organisations and people only (the test suite builds its own salons on these).
pub async fn load_directory(db: &Db) -> anyhow::Result<Loaded> {
    let mut tx = db.begin().await?;
    let mut loaded = Loaded::default();
    for (short_name, name, country) in ORGANISATIONS {
        organisations::upsert(
            &mut tx,
            &NewOrganisation {
                short_name,
                name,
                country,
                is_member: true,
            },
        )
        .await?;
        loaded.organisations += 1;
    }
    tx.commit().await?;

    let mut tx = db.begin().await?;
    for p in PEOPLE {
        let email =
            Email::parse(p.email).map_err(|e| anyhow::anyhow!("demo address {}: {e}", p.email))?;
        let org = organisations::by_short_name(db, p.org).await?.map(|o| o.id);
        people::upsert(
            &mut tx,
            &NewPerson {
                email: &email,
                name: p.name,
                title: Some(p.title),
                role: p.role,
                locale: p.locale,
                organisation_id: org,
            },
        )
        .await?;
        loaded.people += 1;
    }
    tx.commit().await?;
    Ok(loaded)
}

/// The spring series and its salons, with some answers; returns the number of salons.
pub async fn load_series(db: &Db) -> anyhow::Result<usize> {
    let series_id = match series::by_title(db, SERIES_TITLE).await? {
        Some(s) => s.id,
        None => {
            let mut tx = db.begin().await?;
            let id = series::create(
                &mut tx,
                SERIES_TITLE,
                "Alliancens samtalerække for biblioteksledere: et fysisk kickoff og to digitale halvdagssaloner om de strategiske spørgsmål.",
            )
            .await?;
            tx.commit().await?;
            id
        }
    };
    let organiser = people::by_email(
        db,
        &Email::parse(ORGANISER_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?,
    )
    .await?;
    let mut ids = Vec::new();
    let mut running = None;
    for demo in SALONS {
        let id = load_salon(db, demo, series_id, organiser.as_ref().map(|o| o.id)).await?;
        if demo.days_ahead.is_none() {
            running = Some(id);
        }
        ids.push(id);
    }
    if let Some(running) = running {
        series_work::load(db, series_id, &ids, running).await?;
        proposals::load(db, series_id).await?;
        attendance::load(db, ids[0], running).await?;
        materials::load(db, running).await?;
        time_poll::load(db, series_id).await?;
    }
    Ok(SALONS.len())
}

async fn load_salon(
    db: &Db,
    demo: &DemoSalon,
    series_id: SeriesId,
    organiser_id: Option<PersonId>,
) -> anyhow::Result<SalonId> {
    let tz = chrono_tz::Europe::Copenhagen;
    let now = Utc::now()
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or_else(Utc::now);
    let starts = match demo.days_ahead {
        None => now - Duration::minutes(30),
        Some(days) => {
            let day = (now.with_timezone(&tz) + Duration::days(days)).date_naive();
            let local = day
                .and_hms_opt(demo.local_start.0, demo.local_start.1, 0)
                .unwrap_or_default();
            crate::domain::time::local_to_utc(&local.format("%Y-%m-%dT%H:%M").to_string(), tz)
                .unwrap_or(now + Duration::days(days))
        }
    };
    let ends = starts + Duration::hours(demo.hours);
    let input = SalonInput {
        title: demo.title.into(),
        description: demo.description.into(),
        series_id: series_id.to_string(),
        starts_at: to_local_input(&starts, tz),
        ends_at: to_local_input(&ends, tz),
        time_zone: tz.name().into(),
        mode: demo.mode.into(),
        address: demo.address.into(),
        meeting_url: demo.meeting_url.into(),
        capacity: demo.capacity.into(),
        rsvp_deadline: String::new(),
        registration: demo.registration.into(),
        agenda: demo.agenda.into(),
    };
    let valid = salon::validate(&input, 0)
        .map_err(|e| anyhow::anyhow!("demo salon {} is invalid: {e:?}", demo.title))?;
    let existing = salons::by_title_in_series(db, demo.title, series_id).await?;
    let mut tx = db.begin().await?;
    let id = match existing {
        Some(id) => {
            if let Some(current) = salons::lock(&mut tx, id).await? {
                salons::update(&mut tx, &current, &valid).await?;
            }
            id
        }
        None => salons::create(&mut tx, &valid, organiser_id).await?,
    };
    if let Some(current) = salons::lock(&mut tx, id).await? {
        salons::set_status(&mut tx, &current, crate::domain::salon::Status::Published)
            .await?
            .map_err(|e| anyhow::anyhow!("demo salon {}: {}", demo.title, e.code()))?;
    }
    for (email, response, shown) in demo.answers {
        let Ok(email) = Email::parse(email) else {
            continue;
        };
        let Some(person) = people::by_email(db, &email).await? else {
            continue;
        };
        rsvps::invite(&mut tx, id, person.id).await?;
        rsvps::record(&mut tx, id, person.id, *response, *shown, Rules::OnBehalf)
            .await
            .map_err(|e| anyhow::anyhow!("demo answer for {email}: {e:?}"))?;
    }
    tx.commit().await?;
    Ok(id)
}
