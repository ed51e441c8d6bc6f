//! The landscape's list (filtered by kind, owner and country) and an item's page: what it is,
//! who owns and uses it, its economy and governance, its dates, what it depends on and what
//! depends on it, its stewards and its revisions.

use maud::{Markup, html};
use rust_i18n::t;

use crate::domain::landscape::{COUNTRIES, Kind};
use crate::i18n::timefmt::day;
use crate::i18n::whole_number;
use crate::store::landscape::{Filter, Item, Linked, Org, Revision};
use crate::store::organisations::Organisation;
use crate::web::context::Ctx;
use crate::web::salon_page::is_organiser;
use crate::web::views::{local_time, page};

fn kind_label(kind: &str, l: &str) -> String {
    t!(format!("landscape.kind.{kind}"), locale = l).to_string()
}

/// "Name (ABBR)", or the name alone.
pub fn display_name(name: &str, abbreviation: &str) -> String {
    if abbreviation.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({abbreviation})")
    }
}

fn amount(item: &Item, l: &str) -> Option<String> {
    item.amount
        .map(|a| format!("{} {}", whole_number(a, l), item.currency))
}

/// The list's page around its table (rendered by [`table`], kept in the landscape cache).
pub fn list(ctx: &Ctx, orgs: &[Organisation], f: &Filter, table: Markup) -> Markup {
    let l = ctx.lang();
    let owner_short = f
        .owner
        .and_then(|o| orgs.iter().find(|x| x.id == o))
        .map(|o| o.short_name.as_str())
        .unwrap_or("");
    page(
        ctx,
        &t!("landscape.title", locale = l),
        html! {
            h1 { (t!("landscape.title", locale = l)) }
            p { (t!("landscape.intro", locale = l)) }
            p {
                a href="/landscape/roadmap" { (t!("landscape.roadmap_link", locale = l)) }
                " · " a href="/organisations" { (t!("organisation.list_title", locale = l)) }
                " · " a href="/glossary" { (t!("glossary.link", locale = l)) }
                " · " a href="/landscape.csv" { (t!("landscape.csv", locale = l)) }
                @if is_organiser(ctx) { " · " a href="/landscape/new" { (t!("landscape.new_title", locale = l)) } }
            }
            form method="get" action="/landscape" class="filters" role="search" aria-label=(t!("landscape.filter", locale = l)) {
                div class="field field-inline" {
                    label for="f-kind" { (t!("landscape.field.kind", locale = l)) }
                    select id="f-kind" name="kind" {
                        option value="" { (t!("landscape.all", locale = l)) }
                        @for k in Kind::ALL { option value=(k.as_str()) selected[f.kind == Some(k.as_str())] { (kind_label(k.as_str(), l)) } }
                    }
                }
                div class="field field-inline" {
                    label for="f-owner" { (t!("landscape.field.owner", locale = l)) }
                    select id="f-owner" name="owner" {
                        option value="" { (t!("landscape.all", locale = l)) }
                        @for o in orgs { option value=(o.short_name) selected[o.short_name == owner_short] { (o.short_name) } }
                    }
                }
                div class="field field-inline" {
                    label for="f-country" { (t!("landscape.field.country", locale = l)) }
                    select id="f-country" name="country" {
                        option value="" { (t!("landscape.all", locale = l)) }
                        @for c in COUNTRIES { option value=(c) selected[f.country == Some(c)] { (t!(format!("country.{c}"), locale = l)) } }
                    }
                }
                div { button type="submit" { (t!("landscape.filter_submit", locale = l)) } }
            }
            (table)
        },
    )
}

/// How many items, and the table of them: the same for every reader in a language.
pub fn table(l: &str, items: &[Item]) -> Markup {
    html! {
            p role="status" { (crate::i18n::plural("landscape.count", items.len() as i64, l)) }
        div class="table-wrap" {
            table class="landscape" {
                caption class="visually-hidden" { (t!("landscape.title", locale = l)) }
                thead { tr {
                    th scope="col" { (t!("landscape.field.name", locale = l)) }
                    th scope="col" { (t!("landscape.field.kind", locale = l)) }
                    th scope="col" { (t!("landscape.field.owner", locale = l)) }
                    th scope="col" { (t!("landscape.field.countries", locale = l)) }
                    th scope="col" { (t!("landscape.field.ends_on", locale = l)) }
                } }
                tbody {
                    @for i in items {
                        tr data-item=(i.id) {
                            th scope="row" { a href=(format!("/landscape/{}", i.id)) { (display_name(&i.name, &i.abbreviation)) } }
                            td { (kind_label(&i.kind, l)) }
                            td { @if let Some(o) = &i.owner_short { a href=(format!("/organisations/{o}")) { (o) } } }
                            td { (i.countries().join(", ")) }
                            td { @if let Some(d) = i.ends_on { (day(d, l)) } }
                        }
                    }
                }
            }
        }
    }
}

/// What an item's page shows.
pub struct Page {
    pub item: Item,
    pub users: Vec<Org>,
    pub depends_on: Vec<Linked>,
    pub dependents: Vec<Linked>,
    pub stewards: Vec<(crate::ids::PersonId, String)>,
    pub revisions: Vec<Revision>,
    pub editable: bool,
    /// Marks the page's first occurrence of each known abbreviation in the item's texts.
    pub marker: crate::domain::glossary::Marker,
    /// What the series have said and decided about it (signed-in readers).
    pub said: Markup,
}

fn links(list: &[Linked], l: &str) -> Markup {
    html! {
        @if list.is_empty() { p class="muted" { (t!("landscape.none", locale = l)) } }
        @else {
            ul { @for (id, name, abbr) in list { li { a href=(format!("/landscape/{id}")) { (display_name(name, abbr)) } } } }
        }
    }
}

pub fn item(ctx: &Ctx, p: &Page) -> Markup {
    let l = ctx.lang();
    let i = &p.item;
    let field = |k: &str| t!(format!("landscape.field.{k}"), locale = l).to_string();
    let name = display_name(&i.name, &i.abbreviation);
    let marked = |text: &str| crate::web::glossary::marked(&p.marker, text);
    page(
        ctx,
        &name,
        html! {
            p class="kicker" { a href="/landscape" { (t!("landscape.title", locale = l)) } " – " (kind_label(&i.kind, l)) }
            h1 { (name) }
            @if p.editable { p { a href=(format!("/landscape/{}/edit", i.id)) { (t!("landscape.edit", locale = l)) } } }
            @for para in i.description.split("\n\n").filter(|x| !x.trim().is_empty()) { p { (marked(para)) } }
            dl class="facts" {
                dt { (field("owner")) }
                dd { @if let (Some(s), Some(n)) = (&i.owner_short, &i.owner_name) { a href=(format!("/organisations/{s}")) { (display_name(n, if n == s { "" } else { s })) } } @else { (t!("landscape.none", locale = l)) } }
                dt { (field("users")) }
                dd {
                    @if p.users.is_empty() { (t!("landscape.none", locale = l)) }
                    @for (n, (_, short, org)) in p.users.iter().enumerate() {
                        @if n > 0 { ", " }
                        a href=(format!("/organisations/{short}")) title=(org) { (short) }
                    }
                }
                dt { (field("countries")) }
                dd { @if i.countries().is_empty() { (t!("landscape.none", locale = l)) } @else { (i.countries().iter().map(|c| t!(format!("country.{c}"), locale = l).to_string()).collect::<Vec<_>>().join(", ")) } }
                @if !i.economy.is_empty() || i.amount.is_some() {
                    dt { (field("economy")) }
                    dd {
                        @if let Some(a) = amount(i, l) { strong data-amount=(i.amount.unwrap_or(0)) { (t!("landscape.per_year", locale = l, amount = a)) } @if !i.economy.is_empty() { br; } }
                        (marked(&i.economy))
                    }
                }
                @if !i.governance.is_empty() { dt { (field("governance")) } dd { (marked(&i.governance)) } }
                @if !i.supplier.is_empty() { dt { (field("supplier")) } dd { (i.supplier) } }
                @if let Some(d) = i.starts_on { dt { (field("starts_on")) } dd data-date=(d) { (day(d, l)) } }
                @if let Some(d) = i.ends_on { dt { (field("ends_on")) } dd data-date=(d) { (day(d, l)) } }
                @if let Some(d) = i.renegotiate_on { dt { (field("renegotiate_on")) } dd data-date=(d) { (day(d, l)) } }
                dt { (field("stewards")) }
                dd { @if p.stewards.is_empty() { (t!("landscape.none", locale = l)) } @else if ctx.user.is_some() { (p.stewards.iter().map(|s| s.1.clone()).collect::<Vec<_>>().join(", ")) } @else { (crate::i18n::plural("landscape.stewards_count", p.stewards.len() as i64, l)) } }
            }
            section aria-labelledby="deps-title" {
                h2 id="deps-title" { (t!("landscape.dependencies", locale = l)) }
                (super::diagram::diagram((&p.item.name, &p.item.abbreviation), &p.depends_on, &p.dependents, l))
                h3 { (t!("landscape.depends_on", locale = l)) }
                (links(&p.depends_on, l))
                h3 { (t!("landscape.dependents", locale = l)) }
                (links(&p.dependents, l))
            }
            (p.said)
            section aria-labelledby="history-title" {
                h2 id="history-title" { (t!("landscape.history", locale = l)) }
                ol class="revisions" reversed {
                    @for r in &p.revisions {
                        li {
                            (local_time(ctx, &r.at)) " – "
                            @match &r.name { Some(n) => { (n) }, None => { (t!("landscape.deleted_person", locale = l)) } }
                            ": "
                            (r.fields().iter().map(|f| t!(format!("landscape.changed.{f}"), locale = l).to_string()).collect::<Vec<_>>().join(", "))
                        }
                    }
                }
            }
        },
    )
}
