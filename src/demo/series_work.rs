//! The demo series' strategy work, so a newcomer sees the method at work: themes proposed with
//! support (one scheduled into each digital salon), a closed priority round with results in
//! the salon running now, and an open round there that nobody has voted in yet. Loaded once:
//! a series that has themes already is left as it is.

use crate::domain::Email;
use crate::domain::round::{RoundPlan, State};
use crate::domain::theme::ThemeText;
use crate::ids::{OptionId, PersonId, SalonId, SeriesId};
use crate::store::{Db, outcomes, people, rounds, salons, themes};

/// (title, why, proposer, supporters, index of the salon it is scheduled into)
type DemoTheme = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<usize>,
);

const THEMES: &[DemoTheme] = &[
    (
        "Fælles digitalt indhold: e-bøger, lydbøger og streaming",
        "Borgerne møder det samme tilbud, uanset kommune, og vi forhandler med leverandørerne som én.",
        "lars.brandt@kb.example",
        &[
            "birgitte.noergaard@cb.example",
            "jens.riis@kombit.example",
            "sofie.aa@ddf.example",
            "aino.virtanen@kirjastot.example",
        ],
        Some(1),
    ),
    (
        "En fælles investeringsplan for det digitale",
        "Hvem betaler for hvad, og i hvilken rækkefølge? Så vi ikke bygger det samme to gange.",
        "jens.riis@kombit.example",
        &[
            "lars.brandt@kb.example",
            "ingrid.solberg@bibliotek24.example",
        ],
        Some(2),
    ),
    (
        "Kompetencer: bibliotekarer som digitale vejledere",
        "Digitalt indhold uden vejledning når ikke dem, der har mest brug for det.",
        "sofie.aa@ddf.example",
        &["birgitte.noergaard@cb.example"],
        None,
    ),
    (
        "Data om brugerne på tværs af kommuner",
        "",
        "ingrid.solberg@bibliotek24.example",
        &[],
        None,
    ),
];

/// A demo person's id by address (the demo's groups use it too).
pub(super) async fn person(db: &Db, email: &str) -> anyhow::Result<Option<PersonId>> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(people::by_email(db, &email).await?.map(|p| p.id))
}

/// `salons` are the series' salons in the order of `SALONS`; `running` is the one running now.
pub async fn load(
    db: &Db,
    series_id: SeriesId,
    salons_in_order: &[SalonId],
    running: SalonId,
) -> anyhow::Result<()> {
    if !themes::of_series(db, series_id, None, crate::store::Window::first(1))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let mut theme_ids = Vec::new();
    for (title, why, proposer, supporters, salon) in THEMES {
        let Some(proposer) = person(db, proposer).await? else {
            continue;
        };
        let text = ThemeText {
            title: title.to_string(),
            why: why.to_string(),
        };
        let id = themes::create(
            db,
            &themes::NewTheme {
                series_id,
                text: &text,
                organisation_id: None,
                proposed_by: proposer,
            },
        )
        .await?;
        theme_ids.push((*title, id));
        themes::support(db, id, proposer).await?;
        for s in *supporters {
            if let Some(p) = person(db, s).await? {
                themes::support(db, id, p).await?;
            }
        }
        if let Some(salon) = salon.and_then(|i| salons_in_order.get(i)) {
            themes::schedule(db, id, *salon).await?;
            // A new theme is proposed: scheduling moves it on (the rule `usecases::themes` follows).
            themes::set_state(
                db,
                id,
                crate::domain::theme::State::Proposed.after_scheduling(),
                "",
            )
            .await?;
        }
    }
    load_rounds(db, running).await?;
    load_outcomes(db, running, &theme_ids).await
}

/// Two decisions and three actions (one done), recorded in the salon running now: the first
/// decision settles the first theme and the first action carries it out; the competence
/// action serves the competence theme.
async fn load_outcomes(
    db: &Db,
    running: SalonId,
    themes: &[(&str, crate::ids::ThemeId)],
) -> anyhow::Result<()> {
    let theme_of = |start: &str| {
        themes
            .iter()
            .find(|(title, _)| title.starts_with(start))
            .map(|(_, id)| *id)
    };
    let Some(organiser) = person(db, super::ORGANISER_EMAIL).await? else {
        return Ok(());
    };
    let mut decisions = Vec::new();
    for (body, theme) in [
        (
            "Vi forhandler e-bøger og lydbøger i fællesskab fra 2028.",
            theme_of("Fælles digitalt indhold"),
        ),
        (
            "Den fælles investeringsplan tages op på salonen om prioritering.",
            None,
        ),
    ] {
        let new = outcomes::NewDecision {
            salon: running,
            body,
            theme,
            round: None,
            message: None,
            by: organiser,
        };
        decisions.push(outcomes::decide(db, &new).await?);
    }
    let today = crate::domain::time::now().date_naive();
    let actions: [(&str, &str, i64, bool); 3] = [
        (
            "Udkast til fælles indkøbsaftale",
            "jens.riis@kombit.example",
            30,
            false,
        ),
        (
            "Kortlægning af nuværende licenser",
            "lars.brandt@kb.example",
            14,
            true,
        ),
        (
            "Oplæg om kompetencer til næste salon",
            "sofie.aa@ddf.example",
            21,
            false,
        ),
    ];
    for (what, owner, days, done) in actions {
        let Some(owner) = person(db, owner).await? else {
            continue;
        };
        let new = outcomes::NewAction {
            salon: running,
            what,
            owner: Some(owner),
            organisation: None,
            due: Some(today + chrono::Duration::days(days)),
            by: organiser,
            decision: decisions
                .first()
                .copied()
                .filter(|_| what.starts_with("Udkast")),
            theme: theme_of("Kompetencer").filter(|_| what.starts_with("Oplæg om kompetencer")),
        };
        let id = outcomes::add_action(db, &new).await?;
        if done {
            outcomes::set_status(db, running, id, crate::domain::outcome::Status::Done).await?;
        }
    }
    Ok(())
}

async fn load_rounds(db: &Db, running: SalonId) -> anyhow::Result<()> {
    let _ = salons::get(db, running)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the running demo salon is missing"))?;
    let first = RoundPlan {
        question: "Hvilket tema skal vi tage op først?".into(),
        options: THEMES.iter().take(3).map(|t| t.0.to_string()).collect(),
        points_per_person: 5,
        max_per_option: 3,
        live_results: false,
    };
    let closed = rounds::create(db, running, &first).await?;
    rounds::advance(db, closed, State::Draft, State::Open).await?;
    let options: Vec<OptionId> = rounds::options(db, closed)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    let ballots: [(&str, [i64; 3]); 4] = [
        ("lars.brandt@kb.example", [3, 2, 0]),
        ("jens.riis@kombit.example", [1, 3, 1]),
        ("sofie.aa@ddf.example", [2, 0, 3]),
        ("ingrid.solberg@bibliotek24.example", [3, 1, 1]),
    ];
    for (email, points) in ballots {
        if let Some(p) = person(db, email).await? {
            let given: Vec<(OptionId, i64)> = options
                .iter()
                .copied()
                .zip(points)
                .filter(|(_, n)| *n > 0)
                .collect();
            rounds::cast(db, closed, p, &given).await?;
        }
    }
    rounds::advance(db, closed, State::Open, State::Closed).await?;
    let second = RoundPlan {
        question: "Hvad skal vi prioritere i den fælles investering?".into(),
        options: vec![
            "Fælles indkøb af e-bøger".into(),
            "En fælles app".into(),
            "Uddannelse af personalet".into(),
            "Bedre data".into(),
        ],
        points_per_person: 5,
        max_per_option: 3,
        live_results: false,
    };
    let open = rounds::create(db, running, &second).await?;
    rounds::advance(db, open, State::Draft, State::Open).await?;
    Ok(())
}
