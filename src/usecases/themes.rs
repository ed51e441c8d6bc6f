//! Themes of a series: members propose, support and comment; organisers reword, move on,
//! schedule into a salon and merge duplicates. Each function is one transaction; an organiser's
//! act leaves a row on the audit trail (in the same transaction); the change is announced in
//! the series' rooms after the commit. Support comes in bursts (and could be clicked in a
//! loop), so its announcement is coalesced: at most one frame per theme per
//! `notices::COALESCE_EVERY`, carrying the state after every click made meanwhile.
//!
//! The callers check who may (a signed-in member, an organiser) and how often (the per-person
//! limits in `app::RateLimits`); what the text may hold is `domain::theme`'s.

use crate::app::SharedApp;
use crate::domain::audit::Kind;
use crate::domain::theme::{State, ThemeText};
use crate::ids::{CommentId, OrganisationId, PersonId, SalonId, SeriesId, ThemeId};
use crate::rooms::notices::About;
use crate::store::audit::{self, Event, Named};
use crate::store::themes::{self, NewTheme, Theme};
use crate::usecases::announce::{announce, announce_soon};

/// Propose a theme; the one who proposes it supports it.
pub async fn propose(
    app: &SharedApp,
    series: SeriesId,
    text: &ThemeText,
    organisation: Option<OrganisationId>,
    by: PersonId,
) -> Result<ThemeId, sqlx::Error> {
    let mut tx = app.db.begin().await?;
    let new = NewTheme {
        series_id: series,
        text,
        organisation_id: organisation,
        proposed_by: by,
    };
    let id = themes::create(&mut tx, &new).await?;
    themes::support(&mut tx, id, by).await?;
    tx.commit().await?;
    announce(app, About::Theme(id)).await;
    Ok(id)
}

/// Support a theme (once per person), or take one's support back; false when that changed
/// nothing (nothing is announced then).
pub async fn set_support(
    app: &SharedApp,
    theme: ThemeId,
    person: PersonId,
    supports: bool,
) -> Result<bool, sqlx::Error> {
    let changed = if supports {
        themes::support(&app.db, theme, person).await?
    } else {
        themes::withdraw(&app.db, theme, person).await?
    };
    if changed {
        announce_soon(app, About::Theme(theme));
    }
    Ok(changed)
}

/// A comment on a theme (its text already checked by `domain::theme::comment`).
pub async fn comment(
    app: &SharedApp,
    theme: ThemeId,
    author: PersonId,
    body: &str,
) -> Result<CommentId, sqlx::Error> {
    themes::comment(&app.db, theme, author, body).await
}

pub async fn reword(
    app: &SharedApp,
    theme: &Theme,
    text: &ThemeText,
    by: Named<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin().await?;
    themes::reword(&mut tx, theme.id, text).await?;
    let detail = format!("theme {}", theme.id);
    audit::record(
        &mut tx,
        &Event {
            actor: by,
            kind: Kind::ThemeReworded,
            subject: None,
            salon: None,
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    announce(app, About::Theme(theme.id)).await;
    Ok(())
}

/// Move a theme to `state` (a conclusion, checked by the caller, where one is needed).
pub async fn move_on(
    app: &SharedApp,
    theme: &Theme,
    state: State,
    conclusion: &str,
    by: Named<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin().await?;
    themes::set_state(&mut tx, theme.id, state, conclusion).await?;
    let detail = format!("theme {} {}", theme.id, state.as_str());
    audit::record(
        &mut tx,
        &Event {
            actor: by,
            kind: Kind::ThemeMovedOn,
            subject: None,
            salon: None,
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    announce(app, About::Theme(theme.id)).await;
    Ok(())
}

/// Schedule a theme into a salon of its series (the caller checks the salon is one); its state
/// moves on as `State::after_scheduling` says.
pub async fn schedule(
    app: &SharedApp,
    theme: &Theme,
    salon: SalonId,
    by: Named<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin().await?;
    themes::schedule(&mut tx, theme.id, salon).await?;
    // The state as it is now, inside the transaction (not as the page showed it).
    if let Some(now) = themes::get(&mut tx, theme.id).await? {
        let next = now.state().after_scheduling();
        if next != now.state() {
            themes::set_state(&mut tx, theme.id, next, &now.conclusion).await?;
        }
    }
    let detail = format!("theme {}", theme.id);
    audit::record(
        &mut tx,
        &Event {
            actor: by,
            kind: Kind::ThemeScheduled,
            subject: None,
            salon: Some(salon),
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    announce(app, About::Theme(theme.id)).await;
    Ok(())
}

/// Merge a duplicate into another theme of the same series (the caller checks both).
pub async fn merge(
    app: &SharedApp,
    from: &Theme,
    into: &Theme,
    by: Named<'_>,
) -> Result<(), sqlx::Error> {
    let mut tx = app.db.begin().await?;
    themes::merge(&mut tx, from.id, into.id).await?;
    let detail = format!("theme {} into {}", from.id, into.id);
    audit::record(
        &mut tx,
        &Event {
            actor: by,
            kind: Kind::ThemesMerged,
            subject: None,
            salon: None,
            detail: &detail,
        },
    )
    .await?;
    tx.commit().await?;
    // The duplicate leaves the lists (its frame says where it went); the other gains its support.
    announce(app, About::Theme(from.id)).await;
    announce(app, About::Theme(into.id)).await;
    Ok(())
}
