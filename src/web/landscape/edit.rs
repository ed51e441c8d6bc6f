//! The item form (new and edit): the fields as typed, read from the body by hand because the
//! users, dependencies and stewards are repeated fields (checkboxes); checked against what it
//! may name (existing organisations, other items, the owner's people).

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::landscape::{COUNTRIES, CURRENCIES, ItemInput, Kind};
use crate::ids::{ItemId, OrganisationId, PersonId};
use crate::store::landscape::{Item, Linked, Org};
use crate::store::organisations::Organisation;
use crate::web::context::Ctx;
use crate::web::form::{self, Errors, Kind as Field};
use crate::web::views::{csrf_field, page as layout};

#[derive(Debug, Clone, Default)]
pub struct ItemForm {
    name: String,
    abbreviation: String,
    kind: String,
    owner: String,
    description: String,
    countries: Vec<String>,
    users: Vec<String>,
    economy: String,
    amount: String,
    currency: String,
    governance: String,
    supplier: String,
    starts_on: String,
    ends_on: String,
    renegotiate_on: String,
    depends_on: Vec<String>,
    stewards: Vec<String>,
}

/// What the form may name.
pub struct Choices {
    pub orgs: Vec<Organisation>,
    /// The other items: (id, name, abbreviation).
    pub items: Vec<Linked>,
    /// The owner's people: possible stewards.
    pub people: Vec<(PersonId, String)>,
}

/// The ids the form named, each found among the choices.
pub struct Named {
    pub owner: Option<OrganisationId>,
    pub users: Vec<OrganisationId>,
    pub depends_on: Vec<ItemId>,
    pub stewards: Vec<PersonId>,
}

impl ItemForm {
    pub fn parse(body: &[u8]) -> ItemForm {
        let mut f = ItemForm::default();
        for (k, v) in url::form_urlencoded::parse(body) {
            let v = v.into_owned();
            match &*k {
                "name" => f.name = v,
                "abbreviation" => f.abbreviation = v,
                "kind" => f.kind = v,
                "owner" => f.owner = v,
                "description" => f.description = v,
                "countries" => f.countries.push(v),
                "users" => f.users.push(v),
                "economy" => f.economy = v,
                "amount" => f.amount = v,
                "currency" => f.currency = v,
                "governance" => f.governance = v,
                "supplier" => f.supplier = v,
                "starts_on" => f.starts_on = v,
                "ends_on" => f.ends_on = v,
                "renegotiate_on" => f.renegotiate_on = v,
                "depends_on" => f.depends_on.push(v),
                "stewards" => f.stewards.push(v),
                _ => {}
            }
        }
        f
    }

    /// The form filled in from the item as saved.
    pub fn of(
        item: &Item,
        users: &[Org],
        deps: &[Linked],
        stewards: &[(PersonId, String)],
    ) -> Self {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ItemForm {
            name: item.name.clone(),
            abbreviation: item.abbreviation.clone(),
            kind: item.kind.clone(),
            owner: item.owner_short.clone().unwrap_or_default(),
            description: item.description.clone(),
            countries: item.countries().into_iter().map(String::from).collect(),
            users: users.iter().map(|o| o.1.clone()).collect(),
            economy: item.economy.clone(),
            amount: item.amount.map(|a| a.to_string()).unwrap_or_default(),
            currency: item.currency.clone(),
            governance: item.governance.clone(),
            supplier: item.supplier.clone(),
            starts_on: date(item.starts_on),
            ends_on: date(item.ends_on),
            renegotiate_on: date(item.renegotiate_on),
            depends_on: deps.iter().map(|d| d.0.to_string()).collect(),
            stewards: stewards.iter().map(|s| s.0.to_string()).collect(),
        }
    }

    pub fn input(&self) -> ItemInput<'_> {
        ItemInput {
            name: &self.name,
            abbreviation: &self.abbreviation,
            kind: &self.kind,
            description: &self.description,
            countries: &self.countries,
            economy: &self.economy,
            amount: &self.amount,
            currency: &self.currency,
            governance: &self.governance,
            supplier: &self.supplier,
            starts_on: &self.starts_on,
            ends_on: &self.ends_on,
            renegotiate_on: &self.renegotiate_on,
        }
    }

    /// The owner as sent, if it is an organisation.
    pub fn owner_among(&self, orgs: &[Organisation]) -> Option<OrganisationId> {
        orgs.iter()
            .find(|o| o.short_name == self.owner)
            .map(|o| o.id)
    }

    /// The ids named, or the first field naming something that is not among the choices.
    pub fn named(&self, c: &Choices) -> Result<Named, &'static str> {
        let owner = match self.owner.trim() {
            "" => None,
            _ => Some(self.owner_among(&c.orgs).ok_or("owner")?),
        };
        let mut users = Vec::new();
        for u in &self.users {
            users.push(
                c.orgs
                    .iter()
                    .find(|o| o.short_name == *u)
                    .ok_or("users")?
                    .id,
            );
        }
        let mut depends_on = Vec::new();
        for d in &self.depends_on {
            let id = d.trim().parse::<ItemId>().map_err(|_| "depends_on")?;
            c.items.iter().find(|i| i.0 == id).ok_or("depends_on")?;
            depends_on.push(id);
        }
        // Only people of the owner: when an organiser moves the item to another owner, the
        // earlier owner's stewards ticked on the form are let go.
        let mut stewards: Vec<PersonId> = self
            .stewards
            .iter()
            .filter_map(|s| s.trim().parse::<PersonId>().ok())
            .filter(|id| c.people.iter().any(|p| p.0 == *id))
            .collect();
        // A repeated box (a crafted form) names one row once.
        users.sort();
        users.dedup();
        depends_on.sort();
        depends_on.dedup();
        stewards.sort();
        stewards.dedup();
        Ok(Named {
            owner,
            users,
            depends_on,
            stewards,
        })
    }
}

pub fn page(
    ctx: &Ctx,
    item: Option<&Item>,
    f: &ItemForm,
    c: &Choices,
    errors: &Errors,
    organiser: bool,
) -> Markup {
    let l = ctx.lang();
    let label = |k: &str| t!(format!("landscape.field.{k}"), locale = l).to_string();
    let title = match item {
        Some(i) => t!("landscape.edit_title", locale = l, name = i.name).to_string(),
        None => t!("landscape.new_title", locale = l).to_string(),
    };
    let action = match item {
        Some(i) => format!("/landscape/{}/edit", i.id),
        None => "/landscape".to_string(),
    };
    let kinds: Vec<(String, String)> = Kind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                t!(format!("landscape.kind.{}", k.as_str()), locale = l).to_string(),
            )
        })
        .collect();
    let mut owners = vec![(
        String::new(),
        t!("landscape.no_owner", locale = l).to_string(),
    )];
    owners.extend(c.orgs.iter().map(|o| {
        (
            o.short_name.clone(),
            format!("{} ({})", o.name, o.short_name),
        )
    }));
    let mut currencies = vec![(String::new(), "–".to_string())];
    currencies.extend(CURRENCIES.iter().map(|c| (c.to_string(), c.to_string())));
    let countries: Vec<(String, String)> = COUNTRIES
        .iter()
        .map(|c| {
            (
                c.to_string(),
                t!(format!("country.{c}"), locale = l).to_string(),
            )
        })
        .collect();
    let orgs: Vec<(String, String)> = c
        .orgs
        .iter()
        .map(|o| {
            (
                o.short_name.clone(),
                format!("{} ({})", o.name, o.short_name),
            )
        })
        .collect();
    let items: Vec<(String, String)> = c
        .items
        .iter()
        .map(|(id, name, abbr)| {
            (
                id.to_string(),
                if abbr.is_empty() {
                    name.clone()
                } else {
                    format!("{name} ({abbr})")
                },
            )
        })
        .collect();
    let people: Vec<(String, String)> = c
        .people
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    layout(
        ctx,
        &title,
        html! {
            p class="kicker" { a href="/landscape" { (t!("landscape.title", locale = l)) } }
            h1 { (title) }
            @if !organiser { p class="hint" { (t!("landscape.steward_note", locale = l)) } }
            (form::summary(errors, l))
            form method="post" action=(action) class="stacked" novalidate {
                (csrf_field(ctx))
                (form::field("name", &label("name"), None, Field::Text, &f.name, errors, true))
                (form::field("abbreviation", &label("abbreviation"), Some(&t!("landscape.hint.abbreviation", locale = l)), Field::Text, &f.abbreviation, errors, false))
                (form::field("kind", &label("kind"), None, Field::Select(&kinds), &f.kind, errors, true))
                @if organiser {
                    (form::field("owner", &label("owner"), None, Field::Select(&owners), &f.owner, errors, false))
                }
                (form::field("description", &label("description"), None, Field::TextArea(4), &f.description, errors, false))
                (form::boxes("countries", &label("countries"), &countries, &f.countries, errors))
                (form::boxes("users", &label("users"), &orgs, &f.users, errors))
                (form::field("economy", &label("economy"), Some(&t!("landscape.hint.economy", locale = l)), Field::TextArea(2), &f.economy, errors, false))
                (form::field("amount", &label("amount"), Some(&t!("landscape.hint.amount", locale = l)), Field::Text, &f.amount, errors, false))
                (form::field("currency", &label("currency"), None, Field::Select(&currencies), &f.currency, errors, false))
                (form::field("governance", &label("governance"), Some(&t!("landscape.hint.governance", locale = l)), Field::TextArea(2), &f.governance, errors, false))
                (form::field("supplier", &label("supplier"), None, Field::Text, &f.supplier, errors, false))
                (form::field("starts_on", &label("starts_on"), None, Field::Date, &f.starts_on, errors, false))
                (form::field("ends_on", &label("ends_on"), None, Field::Date, &f.ends_on, errors, false))
                (form::field("renegotiate_on", &label("renegotiate_on"), Some(&t!("landscape.hint.renegotiate_on", locale = l)), Field::Date, &f.renegotiate_on, errors, false))
                @if !items.is_empty() { (form::boxes("depends_on", &label("depends_on"), &items, &f.depends_on, errors)) }
                @if organiser && item.is_some() {
                    @if people.is_empty() { p class="muted" { (t!("landscape.no_stewards_possible", locale = l)) } }
                    @else { (form::boxes("stewards", &label("stewards"), &people, &f.stewards, errors)) }
                }
                div { button type="submit" { (t!("landscape.save", locale = l)) } }
            }
        },
    )
}
