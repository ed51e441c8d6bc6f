//! The field's landscape: services, systems, data and agreements, each owned by an
//! organisation, used by some, costing something, governed by someone, depending on other items,
//! and (agreements and services) running between dates with a renegotiation in between. Here
//! the rules for what an item may hold; the roadmap's time axis is in `roadmap`.

use chrono::NaiveDate;

pub use super::proposal::FieldError;
use super::text;

pub mod roadmap;

pub const NAME_MAX: usize = 120;
pub const ABBREVIATION_MAX: usize = 20;
pub const DESCRIPTION_MAX: usize = 3000;
pub const NOTE_MAX: usize = 1000;
pub const SUPPLIER_MAX: usize = 200;
/// A yearly amount above this is a typing mistake (a trillion in any of the currencies).
pub const AMOUNT_MAX: i64 = 1_000_000_000_000;
pub const CURRENCIES: [&str; 5] = ["DKK", "NOK", "SEK", "EUR", "ISK"];
pub const COUNTRIES: [&str; 5] = ["DK", "NO", "SE", "FI", "IS"];

/// What kind of actor an organisation is (`organisation.kind.<code>`).
pub const ORGANISATION_KINDS: [&str; 8] = [
    "national_library",
    "association",
    "consortium",
    "municipal_it",
    "library",
    "public_body",
    "company",
    "other",
];
pub const WEBSITE_MAX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Service,
    System,
    Data,
    Agreement,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Service, Kind::System, Kind::Data, Kind::Agreement];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::System => "system",
            Kind::Data => "data",
            Kind::Agreement => "agreement",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// An item as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct ItemInput<'a> {
    pub name: &'a str,
    pub abbreviation: &'a str,
    pub kind: &'a str,
    pub description: &'a str,
    pub countries: &'a [String],
    pub economy: &'a str,
    pub amount: &'a str,
    pub currency: &'a str,
    pub governance: &'a str,
    pub supplier: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub renegotiate_on: &'a str,
}

/// An item's own fields, checked (who owns, uses and depends are ids the caller checks).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemText {
    pub name: String,
    pub abbreviation: String,
    pub kind: &'static str,
    pub description: String,
    pub countries: Vec<String>,
    pub economy: String,
    pub amount: Option<i64>,
    pub currency: String,
    pub governance: String,
    pub supplier: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub renegotiate_on: Option<NaiveDate>,
}

fn err(field: &'static str, code: &'static str) -> FieldError {
    FieldError { field, code }
}

/// A date as `<input type="date">` sends it (YYYY-MM-DD), or none when blank.
fn date(raw: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if (1900..=2200).contains(&chrono::Datelike::year(&d)) => Some(d),
        _ => {
            errors.push(err(field, "date"));
            None
        }
    }
}

/// An amount as typed: digits, with spaces, dots or apostrophes between thousands ("1.250.000").
fn amount(raw: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let digits: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '\'' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() {
        return None;
    }
    match digits.parse::<i64>() {
        Ok(n) if digits.chars().all(|c| c.is_ascii_digit()) && n <= AMOUNT_MAX => Some(n),
        _ => {
            errors.push(err("amount", "amount"));
            None
        }
    }
}

/// Check an item: a name, a kind, texts within their lengths and free of control characters,
/// known countries and currency (a currency when an amount is given), dates that exist, an end
/// not before the start and a renegotiation between them.
pub fn validate(f: &ItemInput<'_>) -> Result<ItemText, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut line = |raw: &str, max: usize, required: bool, field: &'static str| {
        text::line(raw, max, required).unwrap_or_else(|e| {
            errors.push(err(field, e.code()));
            String::new()
        })
    };
    let name = line(f.name, NAME_MAX, true, "name");
    let supplier = line(f.supplier, SUPPLIER_MAX, false, "supplier");
    let abbreviation = line(f.abbreviation, ABBREVIATION_MAX, false, "abbreviation");
    if abbreviation.contains(char::is_whitespace) {
        errors.push(err("abbreviation", "abbreviation"));
    }
    let mut multi = |raw: &str, max: usize, field: &'static str| {
        text::multiline(raw, max, false).unwrap_or_else(|e| {
            errors.push(err(field, e.code()));
            String::new()
        })
    };
    let description = multi(f.description, DESCRIPTION_MAX, "description");
    let economy = multi(f.economy, NOTE_MAX, "economy");
    let governance = multi(f.governance, NOTE_MAX, "governance");
    let kind = match Kind::parse(f.kind) {
        Some(k) => k.as_str(),
        None => {
            errors.push(err("kind", "kind"));
            ""
        }
    };
    let mut countries = Vec::new();
    for c in f.countries {
        let c = c.trim().to_ascii_uppercase();
        match COUNTRIES.iter().find(|x| **x == c) {
            Some(c) if !countries.iter().any(|x| x == c) => countries.push(c.to_string()),
            Some(_) => {}
            None => errors.push(err("countries", "country")),
        }
    }
    let amount = amount(f.amount, &mut errors);
    let currency = f.currency.trim().to_ascii_uppercase();
    let currency = match (amount, currency.as_str()) {
        (_, "") if amount.is_some() => {
            errors.push(err("currency", "currency_needed"));
            String::new()
        }
        (_, "") => String::new(),
        (_, c) if CURRENCIES.contains(&c) => c.to_string(),
        _ => {
            errors.push(err("currency", "currency"));
            String::new()
        }
    };
    let starts_on = date(f.starts_on, "starts_on", &mut errors);
    let ends_on = date(f.ends_on, "ends_on", &mut errors);
    let renegotiate_on = date(f.renegotiate_on, "renegotiate_on", &mut errors);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push(err("ends_on", "end_before_start"));
    }
    if let Some(r) = renegotiate_on {
        if starts_on.is_some_and(|s| r < s) {
            errors.push(err("renegotiate_on", "renegotiate_before_start"));
        } else if ends_on.is_some_and(|e| r > e) {
            errors.push(err("renegotiate_on", "renegotiate_after_end"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ItemText {
        name,
        abbreviation,
        kind,
        description,
        countries,
        economy,
        amount,
        currency,
        governance,
        supplier,
        starts_on,
        ends_on,
        renegotiate_on,
    })
}

/// An organisation's profile as typed.
pub struct ProfileInput<'a> {
    pub kind: &'a str,
    pub mandate: &'a str,
    pub influence: &'a str,
    pub website: &'a str,
}

/// An organisation's profile, checked: (kind, mandate, influence, website).
pub fn validate_profile(
    f: &ProfileInput<'_>,
) -> Result<(String, String, String, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = f.kind.trim();
    if !kind.is_empty() && !ORGANISATION_KINDS.contains(&kind) {
        errors.push(err("kind", "org_kind"));
    }
    let mut multi = |raw: &str, field: &'static str| {
        text::multiline(raw, DESCRIPTION_MAX, false).unwrap_or_else(|e| {
            errors.push(err(field, e.code()));
            String::new()
        })
    };
    let mandate = multi(f.mandate, "mandate");
    let influence = multi(f.influence, "influence");
    let website = match text::line(f.website, WEBSITE_MAX, false) {
        Ok(w) if w.is_empty() || w.starts_with("https://") || w.starts_with("http://") => w,
        _ => {
            errors.push(err("website", "website"));
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((kind.to_string(), mandate, influence, website))
}

/// The fields that differ between two saved versions, by their form names (a revision lists
/// them; the page translates them).
pub fn changed_fields(before: &ItemText, after: &ItemText) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |same: bool, field: &'static str| {
        if !same {
            out.push(field);
        }
    };
    check(before.name == after.name, "name");
    check(before.abbreviation == after.abbreviation, "abbreviation");
    check(before.kind == after.kind, "kind");
    check(before.description == after.description, "description");
    check(before.countries == after.countries, "countries");
    check(before.economy == after.economy, "economy");
    check(
        before.amount == after.amount && before.currency == after.currency,
        "amount",
    );
    check(before.governance == after.governance, "governance");
    check(before.supplier == after.supplier, "supplier");
    check(before.starts_on == after.starts_on, "starts_on");
    check(before.ends_on == after.ends_on, "ends_on");
    check(
        before.renegotiate_on == after.renegotiate_on,
        "renegotiate_on",
    );
    out
}

#[cfg(test)]
mod tests;
