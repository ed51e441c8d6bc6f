//! The demo's working groups, born of the decisions recorded in the salon running now: one on
//! track, with a deliverable due before the next salon and a meeting of its own next week
//! (its members have said yes); one at risk. Both cover the shared library system, so each
//! shows the other under "see also". And what the first theme, the decisions and the purchase
//! action concern in the field's map. Loaded once: a series with groups is left as it is.

use chrono::Duration;

use super::series_work::person;
use super::{DemoSalon, load_salon};
use crate::domain::group::{self, Status};
use crate::domain::rsvp::Response;
use crate::ids::{ItemId, OrganisationId, SeriesId, ThemeId};
use crate::store::concerns::{self, Subject};
use crate::store::{Db, Drafts, group_work, groups, landscape, outcomes, themes};

/// (name, mandate, the decision it starts with, coordinator, members, theme prefix, items,
/// deliverables (title, days from today, state, link), update (status, text))
type DemoGroup = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, i64, &'static str, &'static str)],
    (Status, &'static str),
);

const GROUPS: &[DemoGroup] = &[
    (
        "Fælles e-bogsaftale",
        "Forbered den fælles forhandling af e-bøger og lydbøger fra 2028: et udkast til kravspecifikation, et økonomisk overslag og en tidsplan for udbuddet.",
        "Vi forhandler e-bøger",
        "jens.riis@kombit.example",
        &[
            "jens.riis@kombit.example",
            "lars.brandt@kb.example",
            "sofie.aa@ddf.example",
            "aino.virtanen@kirjastot.example",
        ],
        "Fælles digitalt indhold",
        &[
            "E-bogsaftalen",
            "Lydbogsaftalen",
            "Det Fælles Bibliotekssystem",
        ],
        &[
            (
                "Udkast til fælles kravspecifikation",
                10,
                "in_progress",
                "https://docs.salon.example/e-bog/kravspec",
            ),
            ("Økonomisk overslag", 18, "not_started", ""),
            ("Tidsplan for udbuddet", 50, "not_started", ""),
        ],
        (
            Status::OnTrack,
            "Kravspecifikationen er halvt skrevet, og vi har licenstal fra Danmark, Norge og Finland. FBS-integrationen er med fra start.",
        ),
    ),
    (
        "Fælles investeringsplan",
        "Saml et overblik over de nuværende digitale investeringer og beskriv, hvordan alliancen kan prioritere dem sammen.",
        "Den fælles investeringsplan",
        "ingrid.solberg@bibliotek24.example",
        &[
            "ingrid.solberg@bibliotek24.example",
            "birgitte.noergaard@cb.example",
            "lars.brandt@kb.example",
        ],
        "En fælles investeringsplan",
        &["Det Fælles Bibliotekssystem", "BibStat"],
        &[
            (
                "Overblik over nuværende investeringer",
                5,
                "in_progress",
                "",
            ),
            ("Projekt- og procesbeskrivelse", 30, "not_started", ""),
        ],
        (
            Status::AtRisk,
            "Vi mangler tal fra to kommuner, så overblikket kan glide en uge. Vi tager det op i gruppens rum.",
        ),
    ),
];

/// The first group's meeting: an hour online next week.
const MEETING: DemoSalon = DemoSalon {
    title: "Arbejdsgruppemøde: fælles e-bogsaftale",
    days_ahead: Some(7),
    local_start: (14, 0),
    hours: 1,
    mode: "online",
    address: "",
    meeting_url: "https://meet.salon.example/e-bog",
    capacity: "",
    registration: "invitation",
    description: "Arbejdsgruppen gennemgår udkastet til kravspecifikationen.",
    agenda: "Udkastet til kravspecifikation\nØkonomisk overslag: hvem skaffer tallene?\nNæste skridt",
    answers: &[
        ("jens.riis@kombit.example", Response::Yes, false),
        ("lars.brandt@kb.example", Response::Yes, false),
        ("sofie.aa@ddf.example", Response::Yes, false),
        ("aino.virtanen@kirjastot.example", Response::Maybe, false),
    ],
};

pub async fn load(db: &Db, series: SeriesId) -> anyhow::Result<()> {
    if !groups::of_series(db, series).await?.is_empty() {
        return Ok(());
    }
    let Some(organiser) = person(db, super::ORGANISER_EMAIL).await? else {
        return Ok(());
    };
    let decisions = outcomes::decisions_of_series(db, series, Drafts::Included).await?;
    let all_themes = themes::of_series(db, series, None, crate::store::Window::ALL).await?;
    let items = landscape::list(db, &landscape::Filter::default()).await?;
    let all_orgs = crate::store::organisations::all(db).await?;
    let today = crate::domain::time::now().date_naive();
    for (i, g) in GROUPS.iter().enumerate() {
        let (name, mandate, decision, coordinator, members, theme, item_names, work, update) = g;
        let mut people_ids = Vec::new();
        for m in *members {
            people_ids.extend(person(db, m).await?);
        }
        let coordinator = person(db, coordinator).await?;
        let theme_ids: Vec<ThemeId> = all_themes
            .iter()
            .filter(|t| t.title.starts_with(theme))
            .map(|t| t.id)
            .collect();
        let item_ids: Vec<ItemId> = items
            .iter()
            .filter(|it| item_names.contains(&it.name.as_str()))
            .map(|it| it.id)
            .collect();
        let text = group::validate(name, mandate, &people_ids, coordinator)
            .map_err(|e| anyhow::anyhow!("demo group {name}: {e:?}"))?;
        let decision = decisions
            .iter()
            .find(|d| d.body.starts_with(decision))
            .map(|d| d.id);
        let mut tx = db.begin().await?;
        let id = groups::create(&mut tx, series, &text, coordinator, decision, organiser).await?;
        // The first group's work concerns DDF (the agreements' owner), the second KOMBIT's.
        let org_ids: Vec<OrganisationId> = all_orgs
            .iter()
            .filter(|o| o.short_name == if i == 0 { "DDF" } else { "KOMBIT" })
            .map(|o| o.id)
            .collect();
        let links = groups::Links {
            members: &people_ids,
            themes: &theme_ids,
            items: &item_ids,
            organisations: &org_ids,
        };
        groups::set_links(&mut tx, id, &links).await?;
        groups::create_standing(&mut tx, series, id, name, organiser).await?;
        for (title, days, state, link) in *work {
            let due = (today + Duration::days(*days)).to_string();
            let d = group::deliverable(title, &due, state, link, "")
                .map_err(|e| anyhow::anyhow!("demo deliverable {title}: {e:?}"))?;
            group_work::add_deliverable(&mut tx, id, &d).await?;
        }
        if let Some(author) = coordinator {
            group_work::add_update(&mut tx, id, author, update.0, update.1).await?;
        }
        tx.commit().await?;
        if i == 0 {
            let meeting = load_salon(db, &MEETING, series, Some(organiser)).await?;
            groups::set_group(db, meeting, Some(id)).await?;
        }
    }
    concerns(db, series, &decisions, &all_themes, &items).await
}

/// What the demo's first theme, its decisions and the purchase action concern in the map.
async fn concerns(
    db: &Db,
    series: SeriesId,
    decisions: &[outcomes::Decision],
    all_themes: &[themes::Theme],
    items: &[landscape::Item],
) -> anyhow::Result<()> {
    let item = |name: &str| items.iter().find(|i| i.name == name).map(|i| i.id);
    let orgs = crate::store::organisations::all(db).await?;
    let org = |short: &str| orgs.iter().find(|o| o.short_name == short).map(|o| o.id);
    let agreements: Vec<ItemId> = ["E-bogsaftalen", "Lydbogsaftalen"]
        .into_iter()
        .filter_map(item)
        .collect();
    let actions = outcomes::actions_of_series(db, series, Drafts::Included).await?;
    let mut subjects = Vec::new();
    if let Some(t) = all_themes
        .iter()
        .find(|t| t.title.starts_with("Fælles digitalt"))
    {
        subjects.push((Subject::Theme(t.id), agreements.clone(), org("DDF")));
    }
    for d in decisions {
        let named = if d.body.starts_with("Vi forhandler") {
            agreements.clone()
        } else {
            item("Det Fælles Bibliotekssystem").into_iter().collect()
        };
        subjects.push((Subject::Decision(d.id), named, None));
    }
    if let Some(a) = actions
        .iter()
        .find(|a| a.what.starts_with("Udkast til fælles"))
    {
        subjects.push((Subject::Action(a.id), agreements.clone(), org("KOMBIT")));
    }
    let mut tx = db.begin().await?;
    for (subject, named, org) in subjects {
        let orgs: Vec<_> = org.into_iter().collect();
        concerns::set(&mut tx, subject, &named, &orgs).await?;
    }
    tx.commit().await?;
    Ok(())
}
