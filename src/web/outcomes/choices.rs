//! The choices the outcome forms offer: what a decision can settle, and who can own an action.

use rust_i18n::t;

use crate::app::SharedApp;
use crate::error::AppResult;
use crate::store::people;
use crate::store::salons::Salon;

/// What a decision can settle, as select options: the series' themes and the salon's closed
/// rounds, each after a "none".
pub(super) async fn link_options(
    app: &SharedApp,
    salon: &Salon,
    l: &str,
) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let none = (String::new(), t!("outcome.none", locale = l).to_string());
    let mut theme_options = vec![none.clone()];
    if let Some(series) = salon.series_id {
        theme_options.extend(
            crate::store::themes::of_series(&app.db, series, None, crate::store::Window::ALL)
                .await?
                .into_iter()
                .map(|t| (t.id.to_string(), t.title)),
        );
    }
    let mut round_options = vec![none];
    round_options.extend(
        crate::store::rounds::of_salon(&app.db, salon.id)
            .await?
            .into_iter()
            .filter(|r| r.state() == crate::domain::round::State::Closed)
            .map(|r| (r.id.to_string(), r.question)),
    );
    Ok((theme_options, round_options))
}

/// The salon's participants (yes and maybe) first, then every other member: the owners the
/// action form offers, by address (what the form sends), named with their organisation.
pub(super) async fn owner_options(
    app: &SharedApp,
    salon: &Salon,
    l: &str,
) -> AppResult<Vec<(String, String)>> {
    let named = |name: &str, org: Option<&str>| match org {
        Some(o) => format!("{name} ({o})"),
        None => name.to_string(),
    };
    let mut options = vec![(
        String::new(),
        t!("outcome.no_owner", locale = l).to_string(),
    )];
    let mut seen = std::collections::HashSet::new();
    for p in crate::store::rsvps::participants(&app.db, salon.id).await? {
        if p.standing().is_registered() && seen.insert(p.person_id) {
            options.push((
                p.email.clone(),
                named(&p.name, p.organisation_short.as_deref()),
            ));
        }
    }
    for p in people::list(&app.db).await? {
        if seen.insert(p.id) {
            options.push((p.email.clone(), named(&p.name, p.organisation.as_deref())));
        }
    }
    Ok(options)
}
