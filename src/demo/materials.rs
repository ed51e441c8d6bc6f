//! The demo's materials on the salon running now: a pre-read as a small PDF (the questions of
//! the day) and a link to the report the salon talks about. Added once: a second load finds
//! them by title.

use crate::domain::Email;
use crate::domain::material::Phase;
use crate::ids::SalonId;
use crate::store::materials::{self, What};
use crate::store::{Db, people};

/// The PDF (one A4 page, made for the demo).
const PRE_READ: &[u8] = include_bytes!("files/forberedelse.pdf");

pub async fn load(db: &Db, running: SalonId) -> anyhow::Result<()> {
    let organiser = Email::parse(super::ORGANISER_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(by) = people::by_email(db, &organiser).await? else {
        return Ok(());
    };
    let have = materials::of_salon(db, running).await?;
    let items = [
        (
            "Forberedelse: dagens tre spørgsmål",
            What::File {
                name: "forberedelse.pdf",
                content_type: "application/pdf",
                bytes: PRE_READ,
            },
        ),
        (
            "Rapport: Folkebibliotekernes digitale tilbud",
            What::Link("https://bibliotek.example.org/rapporter/digitale-tilbud"),
        ),
    ];
    let mut tx = db.begin().await?;
    for (title, what) in &items {
        if !have.iter().any(|m| m.title == *title) {
            materials::add(&mut tx, running, title, Phase::Before, what, by.id).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
