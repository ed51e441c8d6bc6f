//! The group form (new and edit): name, mandate, members, coordinator, and the themes,
//! landscape items and organisations it covers. Read from the body by hand (they are repeated
//! checkboxes) and checked against what it may name: existing people, the series' themes, the
//! landscape's items, the organisations; the coordinator among the members (`domain::group`).

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::group::{self, GroupText};
use crate::ids::{ItemId, OrganisationId, PersonId, ThemeId};
use crate::store::groups::Group;
use crate::store::landscape::Linked;
use crate::store::people::PersonListed;
use crate::web::context::Ctx;
use crate::web::form::{self, Errors, Kind as Field};
use crate::web::views::{csrf_field, page as layout};

#[derive(Debug, Clone, Default)]
pub struct GroupForm {
    pub name: String,
    pub mandate: String,
    pub coordinator: String,
    pub members: Vec<String>,
    pub themes: Vec<String>,
    pub items: Vec<String>,
    pub organisations: Vec<String>,
    /// The decision it carries out (a new group only).
    pub decision: String,
}

/// What the form may name.
pub struct Choices {
    pub people: Vec<PersonListed>,
    pub themes: Vec<(ThemeId, String)>,
    pub items: Vec<Linked>,
    pub orgs: Vec<crate::store::organisations::Organisation>,
}

/// The form, checked: the group's words and the ids it names.
pub struct Checked {
    pub text: GroupText,
    pub coordinator: Option<PersonId>,
    pub members: Vec<PersonId>,
    pub themes: Vec<ThemeId>,
    pub items: Vec<ItemId>,
    pub organisations: Vec<OrganisationId>,
}

/// Ids typed in the form, each among `known`; `Err(field)` for the first that is not.
fn among<T: std::str::FromStr + PartialEq + Ord + Copy>(
    raw: &[String],
    known: impl Fn(T) -> bool,
    field: &'static str,
) -> Result<Vec<T>, &'static str> {
    let mut out = Vec::new();
    for r in raw {
        let id = r.trim().parse::<T>().map_err(|_| field)?;
        if !known(id) {
            return Err(field);
        }
        out.push(id);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

impl Checked {
    /// The group as the use case saves it.
    pub fn change(&self) -> crate::usecases::groups::Change<'_> {
        crate::usecases::groups::Change {
            text: &self.text,
            coordinator: self.coordinator,
            members: &self.members,
            themes: &self.themes,
            items: &self.items,
            organisations: &self.organisations,
        }
    }
}

impl GroupForm {
    pub fn parse(body: &[u8]) -> GroupForm {
        let mut f = GroupForm::default();
        for (k, v) in url::form_urlencoded::parse(body) {
            let v = v.into_owned();
            match &*k {
                "name" => f.name = v,
                "mandate" => f.mandate = v,
                "coordinator" => f.coordinator = v,
                "members" => f.members.push(v),
                "themes" => f.themes.push(v),
                "items" => f.items.push(v),
                "organisations" => f.organisations.push(v),
                "decision" => f.decision = v,
                _ => {}
            }
        }
        f
    }

    pub fn of(
        g: &Group,
        members: &[PersonId],
        themes: &[(ThemeId, String)],
        items: &[Linked],
        orgs: &[crate::store::landscape::Org],
    ) -> GroupForm {
        GroupForm {
            name: g.name.clone(),
            mandate: g.mandate.clone(),
            coordinator: g.coordinator_id.map(|c| c.to_string()).unwrap_or_default(),
            members: members.iter().map(|m| m.to_string()).collect(),
            themes: themes.iter().map(|t| t.0.to_string()).collect(),
            items: items.iter().map(|i| i.0.to_string()).collect(),
            organisations: orgs.iter().map(|o| o.0.to_string()).collect(),
            decision: String::new(),
        }
    }

    /// Check the form against the choices; `Err` with the errors to show, translated.
    pub fn check(&self, c: &Choices, l: &str) -> Result<Checked, Errors> {
        let mut refused: Vec<(&'static str, &'static str)> = Vec::new();
        let people = among(
            &self.members,
            |id| c.people.iter().any(|p| p.id == id),
            "members",
        );
        let themes = among(
            &self.themes,
            |id| c.themes.iter().any(|t| t.0 == id),
            "themes",
        );
        let items = among(&self.items, |id| c.items.iter().any(|i| i.0 == id), "items");
        let orgs = among(
            &self.organisations,
            |id| c.orgs.iter().any(|o| o.id == id),
            "organisations",
        );
        for r in [
            people.as_ref().err(),
            themes.as_ref().err(),
            items.as_ref().err(),
            orgs.as_ref().err(),
        ]
        .into_iter()
        .flatten()
        {
            refused.push((r, "unknown"));
        }
        let (members, themes, items, organisations) = (
            people.unwrap_or_default(),
            themes.unwrap_or_default(),
            items.unwrap_or_default(),
            orgs.unwrap_or_default(),
        );
        let coordinator = match self.coordinator.trim() {
            "" => None,
            raw => match raw.parse::<PersonId>() {
                Ok(id) if c.people.iter().any(|p| p.id == id) => Some(id),
                _ => {
                    refused.push(("coordinator", "unknown"));
                    None
                }
            },
        };
        match group::validate(&self.name, &self.mandate, &members, coordinator) {
            Ok(text) if refused.is_empty() => Ok(Checked {
                text,
                coordinator,
                members,
                themes,
                items,
                organisations,
            }),
            Ok(_) => Err(Errors::translated("group", refused, l)),
            Err(e) => {
                refused.extend(e.iter().map(|e| (e.field, e.code)));
                Err(Errors::translated("group", refused, l))
            }
        }
    }
}

pub fn page(
    ctx: &Ctx,
    series: (crate::ids::SeriesId, &str),
    group: Option<&Group>,
    f: &GroupForm,
    c: &Choices,
    errors: &Errors,
) -> Markup {
    let l = ctx.lang();
    let label = |k: &str| t!(format!("group.field.{k}"), locale = l).to_string();
    let title = match group {
        Some(g) => t!("group.edit_title", locale = l, name = g.name).to_string(),
        None => t!("group.new_title", locale = l).to_string(),
    };
    let action = match group {
        Some(g) => format!("/groups/{}/edit", g.id),
        None => format!("/series/{}/groups", series.0),
    };
    let person = |p: &PersonListed| match &p.organisation {
        Some(o) => format!("{} ({o})", p.name),
        None => p.name.clone(),
    };
    let people: Vec<(String, String)> = c
        .people
        .iter()
        .map(|p| (p.id.to_string(), person(p)))
        .collect();
    let mut coordinators = vec![(
        String::new(),
        t!("group.no_coordinator", locale = l).to_string(),
    )];
    coordinators.extend(people.iter().cloned());
    let themes: Vec<(String, String)> = c
        .themes
        .iter()
        .map(|t| (t.0.to_string(), t.1.clone()))
        .collect();
    let items: Vec<(String, String)> = c
        .items
        .iter()
        .map(|(id, name, abbr)| {
            let shown = if abbr.is_empty() {
                name.clone()
            } else {
                format!("{name} ({abbr})")
            };
            (id.to_string(), shown)
        })
        .collect();
    let orgs: Vec<(String, String)> = c
        .orgs
        .iter()
        .map(|o| (o.id.to_string(), format!("{} ({})", o.name, o.short_name)))
        .collect();
    layout(
        ctx,
        &title,
        html! {
            p class="kicker" { a href=(format!("/series/{}/groups", series.0)) { (t!("group.list_title", locale = l, series = series.1)) } }
            h1 { (title) }
            (form::summary(errors, l))
            form method="post" action=(action) class="stacked" novalidate {
                (csrf_field(ctx))
                @if group.is_none() && !f.decision.is_empty() { input type="hidden" name="decision" value=(f.decision); }
                (form::field("name", &label("name"), None, Field::Text, &f.name, errors, true))
                (form::field("mandate", &label("mandate"), Some(&t!("group.hint.mandate", locale = l)), Field::TextArea(4), &f.mandate, errors, false))
                (form::boxes("members", &label("members"), &people, &f.members, errors))
                (form::field("coordinator", &label("coordinator"), Some(&t!("group.hint.coordinator", locale = l)), Field::Select(&coordinators), &f.coordinator, errors, false))
                @if !themes.is_empty() { (form::boxes("themes", &label("themes"), &themes, &f.themes, errors)) }
                @if !items.is_empty() { (form::boxes("items", &label("items"), &items, &f.items, errors)) }
                @if !orgs.is_empty() { (form::boxes("organisations", &label("organisations"), &orgs, &f.organisations, errors)) }
                div { button type="submit" { (t!("group.save", locale = l)) } }
            }
        },
    )
}
