//! The demo's time poll: finding a date for the series' next salon after the three planned
//! ones. Five leaders in three countries were asked, three have answered; the times are in
//! Copenhagen's zone, weekdays five to eight weeks ahead at 10:00. Loaded once: a series with a time
//! poll is left as it is.

use chrono::{Datelike, Duration, TimeZone, Utc};

use crate::domain::Email;
use crate::domain::time::now;
use crate::domain::time_poll::{Answer, TimePollText};
use crate::ids::SeriesId;
use crate::store::{Db, people, time_polls};

const ASKED: &[&str] = &[
    "lars.brandt@kb.example",
    "birgitte.noergaard@cb.example",
    "jens.riis@kombit.example",
    "ingrid.solberg@bibliotek24.example",
    "aino.virtanen@kirjastot.example",
];

/// The three who answered, for each of the three times.
const ANSWERS: &[(&str, [Answer; 3])] = &[
    (
        "lars.brandt@kb.example",
        [Answer::Yes, Answer::Yes, Answer::No],
    ),
    (
        "ingrid.solberg@bibliotek24.example",
        [Answer::Maybe, Answer::Yes, Answer::Yes],
    ),
    (
        "aino.virtanen@kirjastot.example",
        [Answer::No, Answer::Yes, Answer::Maybe],
    ),
];

pub async fn load(db: &Db, series_id: SeriesId) -> anyhow::Result<()> {
    if !time_polls::of_series(db, series_id).await?.is_empty() {
        return Ok(());
    }
    let organiser = Email::parse(super::ORGANISER_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(by) = people::by_email(db, &organiser).await?.map(|p| p.id) else {
        return Ok(());
    };
    let tz = chrono_tz::Europe::Copenhagen;
    // A Tuesday five weeks or so ahead, the Wednesday a week later, the Thursday after that.
    let mut first = (now() + Duration::days(35)).with_timezone(&tz).date_naive();
    while first.weekday() != chrono::Weekday::Tue {
        first += Duration::days(1);
    }
    let slots = [0, 8, 16]
        .into_iter()
        .filter_map(|days| {
            let d = first + Duration::days(days);
            tz.with_ymd_and_hms(d.year(), d.month(), d.day(), 10, 0, 0)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
        })
        .collect();
    let text = TimePollText {
        title: "Salon 4: fælles indkøb af digitalt indhold".into(),
        description: "Vi finder en dato til den fjerde salon, hvor vi følger op på beslutningen om fælles indkøb.".into(),
        time_zone: tz,
        minutes: 180,
        slots,
    };
    let mut tx = db.begin().await?;
    let poll = time_polls::create(&mut tx, series_id, &text, by).await?;
    let slots = time_polls::slots(&mut tx, poll).await?;
    for email in ASKED {
        let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(p) = people::by_email(&mut tx, &email).await? {
            time_polls::invite(&mut tx, poll, p.id).await?;
            if let Some((_, answers)) = ANSWERS.iter().find(|(e, _)| *e == email.as_str()) {
                let given: Vec<_> = slots
                    .iter()
                    .map(|s| s.id)
                    .zip(answers.iter().copied())
                    .collect();
                time_polls::set_answers(&mut tx, poll, p.id, &given).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
