//! The demo's map of the field, as the alliance's announcement describes it: the ten
//! organisations with their mandates and how to influence them, and the shared services,
//! systems, data and agreements with owners, users, plausible costs, dependencies and
//! agreement dates spread over the coming three years (so the roadmap has something to show).
//! Loaded once: a second load finds the items there and changes nothing.

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::Email;
use crate::domain::landscape::{ItemInput, validate};
use crate::ids::{ItemId, OrganisationId};
use crate::store::landscape::{self as store, Saved};
use crate::store::organisations::{self, Profile};
use crate::store::{Db, people};

/// (short name, kind, mandate, how to influence)
const PROFILES: &[(&str, &str, &str, &str)] = &[
    (
        "KB",
        "national_library",
        "Danmarks nationalbibliotek: bevarer og formidler den danske kulturarv og driver nationale infrastrukturer for bibliotekerne.",
        "Gennem Kulturministeriets resultatkontrakt og KB's brugerråd; fælles projekter aftales i alliancen.",
    ),
    (
        "BCF",
        "association",
        "Bibliotekschefforeningen samler lederne af landets folkebiblioteker og taler deres sag over for stat, KL og leverandører.",
        "Medlemmerne vælger bestyrelsen på generalforsamlingen; udvalg arbejder med digitale tilbud.",
    ),
    (
        "CB",
        "library",
        "Centralbibliotekerne løfter de regionale opgaver: udlån mellem biblioteker, kompetenceudvikling og fælles indkøb.",
        "Gennem centralbibliotekernes samarbejde og den årlige aftale med Slots- og Kulturstyrelsen.",
    ),
    (
        "DDF",
        "consortium",
        "Det Digitale Folkebibliotek samler folkebibliotekernes digitale tilbud og forhandler de fælles licenser.",
        "Bestyrelsen udpeges af KL og BCF; kommunerne betaler efter indbyggertal og kan melde ønsker ind årligt.",
    ),
    (
        "KOMBIT",
        "municipal_it",
        "KOMBIT er kommunernes it-fællesskab: udbyder og styrer fælles systemer, herunder Det Fælles Bibliotekssystem.",
        "Styregrupper med kommunale repræsentanter; KL's bestyrelse ejer KOMBIT.",
    ),
    (
        "DBC",
        "company",
        "DBC Digital leverer den nationale bibliografi og datavelsen Brønden med alle folkebibliotekers poster.",
        "Ejet af KL; ændringer aftales gennem DDF og KOMBIT's kontrakter.",
    ),
    (
        "BDI",
        "association",
        "Bibliotekernes Data og IT samler bibliotekernes it-folk om drift, data og sikkerhed.",
        "Åbne netværksmøder; arbejdsgrupper er åbne for alle biblioteker.",
    ),
    (
        "FBS",
        "public_body",
        "Det Fælles Bibliotekssystem er kommunernes fælles system til udlån, materialer og lånere.",
        "Gennem KOMBIT's styregruppe for FBS og brugergruppen.",
    ),
    (
        "B24",
        "consortium",
        "Bibliotek24 er de norske folkebibliotekers konsortium for fælles digitale tjenester og avtaler.",
        "Medlemsmøtet vedtar budsjett og prioriteringer; fagrådet forbereder saker.",
    ),
    (
        "FI-PL",
        "consortium",
        "Suomen yleisten kirjastojen konsortio hoitaa 280 jäsenkunnan yhteishankinnat.",
        "Jäsenkunnat päättävät vuosikokouksessa; ohjausryhmä valmistelee hankinnat.",
    ),
];

/// An item: (name, abbreviation, kind, owner, users, countries, description, economy, amount,
/// currency, governance, supplier, start/renegotiation/end in months from today).
struct DemoItem {
    name: &'static str,
    abbreviation: &'static str,
    kind: &'static str,
    owner: &'static str,
    users: &'static [&'static str],
    countries: &'static [&'static str],
    description: &'static str,
    economy: &'static str,
    amount: &'static str,
    currency: &'static str,
    governance: &'static str,
    supplier: &'static str,
    /// Months from today: (start, renegotiation, end); i32::MIN for none.
    months: (i32, i32, i32),
    depends_on: &'static [&'static str],
    /// A steward of the owning organisation (by mail address).
    steward: Option<&'static str>,
}

const NONE: i32 = i32::MIN;

const ITEMS: &[DemoItem] = &[
    DemoItem {
        name: "Den Nationale Bibliografi",
        abbreviation: "DNB",
        kind: "data",
        owner: "DBC",
        users: &["KB", "DDF", "FBS"],
        countries: &["DK"],
        description: "Alle danske udgivelser beskrevet ét sted; grundlaget for bibliotekernes katalog.",
        economy: "Finansieret over finansloven.",
        amount: "",
        currency: "",
        governance: "Slots- og Kulturstyrelsen fastlægger kravene.",
        supplier: "DBC Digital",
        months: (NONE, NONE, NONE),
        depends_on: &[],
        steward: None,
    },
    DemoItem {
        name: "Brønden",
        abbreviation: "",
        kind: "data",
        owner: "DBC",
        users: &["DDF", "FBS", "CB"],
        countries: &["DK"],
        description: "Datavelsen med den nationale bibliografi og alle folkebibliotekers poster og beholdninger.",
        economy: "Betales af kommunerne via KOMBIT-kontrakten.",
        amount: "9.800.000",
        currency: "DKK",
        governance: "KOMBIT og DBC aftaler ændringer i kontraktens styregruppe.",
        supplier: "DBC Digital",
        months: (-30, 14, 26),
        depends_on: &["Den Nationale Bibliografi"],
        steward: None,
    },
    DemoItem {
        name: "Det Fælles Bibliotekssystem",
        abbreviation: "FBS",
        kind: "system",
        owner: "KOMBIT",
        users: &["CB", "DDF"],
        countries: &["DK"],
        description: "Kommunernes fælles system til udlån, materialer, lånere og fjernlån.",
        economy: "Kommunerne betaler efter indbyggertal.",
        amount: "42.000.000",
        currency: "DKK",
        governance: "KOMBIT's styregruppe for FBS med kommunale repræsentanter.",
        supplier: "Systematic",
        months: (-60, 9, 21),
        depends_on: &["Brønden"],
        steward: Some("jens.riis@kombit.example"),
    },
    DemoItem {
        name: "E-bogsaftalen",
        abbreviation: "",
        kind: "agreement",
        owner: "DDF",
        users: &["CB", "KB"],
        countries: &["DK"],
        description: "Licens til udlån af e-bøger fra danske forlag gennem eReolen.",
        economy: "Pris pr. udlån; kommunerne betaler efter forbrug.",
        amount: "31.500.000",
        currency: "DKK",
        governance: "DDF forhandler; bestyrelsen godkender.",
        supplier: "Publizon",
        months: (-18, 6, 18),
        depends_on: &["Det Fælles Bibliotekssystem"],
        steward: Some("sofie.aa@ddf.example"),
    },
    DemoItem {
        name: "Lydbogsaftalen",
        abbreviation: "",
        kind: "agreement",
        owner: "DDF",
        users: &["CB"],
        countries: &["DK"],
        description: "Licens til streaming af lydbøger i eReolen.",
        economy: "Fast årlig pris pr. indbygger.",
        amount: "18.200.000",
        currency: "DKK",
        governance: "DDF forhandler; bestyrelsen godkender.",
        supplier: "Publizon",
        months: (-12, 22, 30),
        depends_on: &["Det Fælles Bibliotekssystem"],
        steward: Some("sofie.aa@ddf.example"),
    },
    DemoItem {
        name: "ConsortiaManager",
        abbreviation: "",
        kind: "system",
        owner: "B24",
        users: &[],
        countries: &["NO"],
        description: "Bibliotek24s system til fælles indkøb og fordeling af licenser mellem kommunerne.",
        economy: "Medlemskontingent.",
        amount: "2.400.000",
        currency: "NOK",
        governance: "Medlemsmøtet i Bibliotek24.",
        supplier: "Bibliotek24",
        months: (-24, 10, 34),
        depends_on: &[],
        steward: Some("ingrid.solberg@bibliotek24.example"),
    },
    DemoItem {
        name: "BibStat",
        abbreviation: "",
        kind: "service",
        owner: "B24",
        users: &[],
        countries: &["NO"],
        description: "Fælles bibliotekstatistik for de norske folkebiblioteker.",
        economy: "Dækket af kontingentet.",
        amount: "",
        currency: "",
        governance: "Fagrådet i Bibliotek24.",
        supplier: "",
        months: (NONE, NONE, NONE),
        depends_on: &["ConsortiaManager"],
        steward: None,
    },
    DemoItem {
        name: "Yhteishankinta: e-kirjat",
        abbreviation: "",
        kind: "agreement",
        owner: "FI-PL",
        users: &[],
        countries: &["FI"],
        description: "Konsortiets fælles indkøb af e-bøger for 280 medlemskommuner.",
        economy: "Kommunerne betaler efter befolkningstal.",
        amount: "3.100.000",
        currency: "EUR",
        governance: "Ohjausryhmä valmistelee, vuosikokous päättää.",
        supplier: "Ellibs",
        months: (-6, 20, 32),
        depends_on: &[],
        steward: None,
    },
];

fn month(today: NaiveDate, n: i32) -> Option<NaiveDate> {
    if n == NONE {
        return None;
    }
    let first = today.with_day(1)?;
    if n >= 0 {
        first.checked_add_months(Months::new(n as u32))
    } else {
        first.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}

pub async fn load(db: &Db) -> anyhow::Result<()> {
    if !store::list(db, &store::Filter::default()).await?.is_empty() {
        return Ok(());
    }
    let organiser = people::by_email(
        db,
        &Email::parse(super::ORGANISER_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?,
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("the demo's organiser is missing"))?;
    let orgs = organisations::all(db).await?;
    let org = |short: &str| -> Option<OrganisationId> {
        orgs.iter().find(|o| o.short_name == short).map(|o| o.id)
    };
    for (short, kind, mandate, influence) in PROFILES {
        if let Some(id) = org(short) {
            let profile = Profile {
                kind,
                mandate,
                influence,
                website: "",
            };
            organisations::set_profile(db, id, &profile).await?;
        }
    }
    let today = crate::domain::time::now().date_naive();
    let mut ids: Vec<(&str, ItemId)> = Vec::new();
    let mut tx = db.begin().await?;
    for d in ITEMS {
        let countries: Vec<String> = d.countries.iter().map(|c| c.to_string()).collect();
        let date = |n| month(today, n).map(|d| d.to_string()).unwrap_or_default();
        let (starts, renegotiate, ends) = (date(d.months.0), date(d.months.1), date(d.months.2));
        let text = validate(&ItemInput {
            name: d.name,
            abbreviation: d.abbreviation,
            kind: d.kind,
            description: d.description,
            countries: &countries,
            economy: d.economy,
            amount: d.amount,
            currency: d.currency,
            governance: d.governance,
            supplier: d.supplier,
            starts_on: &starts,
            ends_on: &ends,
            renegotiate_on: &renegotiate,
        })
        .map_err(|e| anyhow::anyhow!("demo item {} is invalid: {e:?}", d.name))?;
        let owner = org(d.owner);
        let id = store::create(&mut tx, &Saved { text: &text, owner }).await?;
        let users: Vec<OrganisationId> = d.users.iter().filter_map(|u| org(u)).collect();
        store::set_users(&mut tx, id, &users).await?;
        let deps: Vec<ItemId> = d
            .depends_on
            .iter()
            .filter_map(|n| ids.iter().find(|(x, _)| x == n).map(|(_, id)| *id))
            .collect();
        store::set_depends_on(&mut tx, id, &deps).await?;
        if let Some(email) = d.steward {
            let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
            if let Some(p) = people::by_email(&mut tx, &email).await? {
                store::set_stewards(&mut tx, id, &[p.id]).await?;
            }
        }
        store::add_revision(&mut tx, id, organiser.id, &["created"], "{}").await?;
        ids.push((d.name, id));
    }
    tx.commit().await?;
    Ok(())
}

/// The key to the announcement's abbreviations: (term, Danish, explanation, then the wording in
/// nb, sv, fi, en). The organisations' own short names are known without an entry.
const GLOSSARY: &[(&str, &str, &str, [&str; 4])] = &[
    (
        "KL",
        "Kommunernes Landsforening",
        "De danske kommuners interesse- og arbejdsgiverorganisation.",
        [
            "Kommunenes landsforening (Danmark)",
            "Danska kommunförbundet",
            "Tanskan kuntaliitto",
            "Local Government Denmark",
        ],
    ),
    (
        "FB",
        "Folkebibliotekerne",
        "De kommunale folkebiblioteker tilsammen.",
        [
            "Folkebibliotekene",
            "Folkbiblioteken",
            "Yleiset kirjastot",
            "The public libraries",
        ],
    ),
    (
        "DDF",
        "Det Digitale Folkebibliotek",
        "Folkebibliotekernes fælles digitale tilbud og licenser.",
        [
            "Det digitale folkebiblioteket (Danmark)",
            "Det digitala folkbiblioteket (Danmark)",
            "Tanskan digitaalinen yleinen kirjasto",
            "The Digital Public Library (Denmark)",
        ],
    ),
    (
        "FBS",
        "Det Fælles Bibliotekssystem",
        "Kommunernes fælles biblioteksystem, udbudt af KOMBIT.",
        [
            "Det felles biblioteksystemet (Danmark)",
            "Det gemensamma bibliotekssystemet (Danmark)",
            "Tanskan yhteinen kirjastojärjestelmä",
            "The Shared Library System (Denmark)",
        ],
    ),
];

pub async fn load_glossary(db: &Db) -> anyhow::Result<()> {
    if !crate::store::glossary::all(db, "da").await?.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (term, da, explanation, others) in GLOSSARY {
        let id = crate::store::glossary::add(&mut tx, term, da, explanation).await?;
        let list: Vec<(&str, String, String)> = ["nb", "sv", "fi", "en"]
            .into_iter()
            .zip(others.iter())
            .map(|(l, e)| (l, e.to_string(), String::new()))
            .collect();
        crate::store::glossary::set_translations(&mut tx, id, &list).await?;
    }
    tx.commit().await?;
    Ok(())
}
