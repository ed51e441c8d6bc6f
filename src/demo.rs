//! The demo alliance: its organisations, an admin, an organiser and some leaders. Idempotent:
//! everything is upserted by its natural key (short name, email), so loading twice duplicates
//! nothing. Later issues add the spring series, RSVPs and a live room here.

use crate::domain::{Email, Role};
use crate::i18n::Locale;
use crate::store::organisations::{self, NewOrganisation};
use crate::store::people::{self, NewPerson};
use crate::store::Db;

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
    DemoPerson { email: ADMIN_EMAIL, name: "Astrid Holm", title: "Systemadministrator", role: Role::Admin, locale: Locale::Da, org: "BCF" },
    DemoPerson { email: ORGANISER_EMAIL, name: "Mette Sekretariat", title: "Sekretariatsleder", role: Role::Organiser, locale: Locale::Da, org: "BCF" },
    DemoPerson { email: "lars.brandt@kb.example", name: "Lars Brandt", title: "Direktør", role: Role::Member, locale: Locale::Da, org: "KB" },
    DemoPerson { email: "birgitte.noergaard@cb.example", name: "Birgitte Nørgaard", title: "Centralbibliotekschef", role: Role::Member, locale: Locale::Da, org: "CB" },
    DemoPerson { email: "jens.riis@kombit.example", name: "Jens Riis", title: "Programchef", role: Role::Member, locale: Locale::Da, org: "KOMBIT" },
    DemoPerson { email: "sofie.aa@ddf.example", name: "Sofie Aagaard", title: "Leder", role: Role::Member, locale: Locale::Da, org: "DDF" },
    DemoPerson { email: "ingrid.solberg@bibliotek24.example", name: "Ingrid Solberg", title: "Daglig leder", role: Role::Member, locale: Locale::Nb, org: "B24" },
    DemoPerson { email: "aino.virtanen@kirjastot.example", name: "Aino Virtanen", title: "Consortium director", role: Role::Member, locale: Locale::En, org: "FI-PL" },
];

#[derive(Debug, Default)]
pub struct Loaded {
    pub organisations: usize,
    pub people: usize,
}

pub async fn load(db: &Db) -> anyhow::Result<Loaded> {
    let mut tx = db.begin().await?;
    let mut loaded = Loaded::default();
    for (short_name, name, country) in ORGANISATIONS {
        organisations::upsert(&mut tx, &NewOrganisation { short_name, name, country, is_member: true }).await?;
        loaded.organisations += 1;
    }
    tx.commit().await?;

    let mut tx = db.begin().await?;
    for p in PEOPLE {
        let email = Email::parse(p.email).map_err(|e| anyhow::anyhow!("demo address {}: {e}", p.email))?;
        let org = organisations::by_short_name(db, p.org).await?.map(|o| o.id);
        people::upsert(
            &mut tx,
            &NewPerson { email: &email, name: p.name, title: Some(p.title), role: p.role, locale: p.locale, organisation_id: org },
        )
        .await?;
        loaded.people += 1;
    }
    tx.commit().await?;
    Ok(loaded)
}
