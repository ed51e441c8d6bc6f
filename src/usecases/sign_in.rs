//! Signing in by an emailed link: the link is mailed (single use, 15 minutes, hashed at rest),
//! and used once by POST, which starts a new session (never the old id: session fixation).

use super::Failure;
use crate::app::App;
use crate::ids::PersonId;
use crate::store::people::Person;
use crate::store::{login_tokens, sessions};

/// Queue a sign-in link for `person`, leading to `next_path` (a checked local path) after.
pub async fn send_link(app: &App, person: &Person, next_path: Option<&str>) -> Result<(), Failure> {
    let mut tx = app.db.begin().await?;
    let secret = login_tokens::create(&mut tx, person.id, next_path).await?;
    let link = app.config.url(&format!("/login/{secret}"));
    let mail = crate::mail::compose::sign_in(
        &app.config,
        &person.name,
        &person.email,
        person.locale(),
        &link,
    )?;
    crate::mail::queue(&mut tx, &mail).await?;
    tx.commit().await?;
    app.mail_wake.notify_one();
    metrics::counter!("salon_sign_in_links_total").increment(1);
    Ok(())
}

/// A new session from a sign-in link.
pub struct SignedIn {
    pub person: PersonId,
    /// The session secret for the cookie.
    pub session: String,
    pub next_path: Option<String>,
}

/// Use the link once; None when it is unknown, used or expired. `old_session` (the browser's
/// session before, if any) ends.
pub async fn sign_in(
    app: &App,
    token: &str,
    old_session: Option<&str>,
) -> Result<Option<SignedIn>, Failure> {
    let mut tx = app.db.begin().await?;
    let Some(pending) = login_tokens::consume(&mut tx, token).await? else {
        return Ok(None);
    };
    if let Some(old) = old_session {
        sessions::delete(&mut tx, old).await?;
    }
    let session = sessions::create(
        &mut tx,
        pending.person_id,
        app.config.privacy.retention.sessions(),
    )
    .await?;
    tx.commit().await?;
    metrics::counter!("salon_sign_ins_total").increment(1);
    Ok(Some(SignedIn {
        person: pending.person_id,
        session,
        next_path: pending.next_path,
    }))
}
