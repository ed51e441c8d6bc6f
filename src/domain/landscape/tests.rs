use super::*;

fn input<'a>(countries: &'a [String]) -> ItemInput<'a> {
    ItemInput {
        name: "E-bogsaftalen",
        abbreviation: "EBA",
        kind: "agreement",
        description: "Fælles aftale om e-bøger.",
        countries,
        economy: "Betales af kommunerne efter indbyggertal.",
        amount: "12.500.000",
        currency: "dkk",
        governance: "DDF's styregruppe.",
        supplier: "Pubhub",
        starts_on: "2024-01-01",
        ends_on: "2027-12-31",
        renegotiate_on: "2027-06-30",
    }
}

#[test]
fn a_whole_item_is_taken_with_its_amount_and_dates() {
    let countries = vec!["dk".to_string(), "DK".to_string(), "NO".to_string()];
    let t = validate(&input(&countries)).unwrap();
    assert_eq!(t.amount, Some(12_500_000));
    assert_eq!(t.currency, "DKK");
    assert_eq!(t.countries, ["DK", "NO"]);
    assert_eq!(t.kind, "agreement");
    assert_eq!(
        t.renegotiate_on.map(|d| d.to_string()).as_deref(),
        Some("2027-06-30")
    );
}

#[test]
fn dates_out_of_order_are_refused_by_field() {
    let countries = vec![];
    let mut f = input(&countries);
    f.ends_on = "2023-12-31";
    let e = validate(&f).unwrap_err();
    assert!(e.contains(&FieldError {
        field: "ends_on",
        code: "end_before_start"
    }));
    let mut f = input(&countries);
    f.renegotiate_on = "2028-01-01";
    assert_eq!(
        validate(&f).unwrap_err(),
        [FieldError {
            field: "renegotiate_on",
            code: "renegotiate_after_end"
        }]
    );
    let mut f = input(&countries);
    f.starts_on = "2024-02-30";
    assert_eq!(validate(&f).unwrap_err()[0].code, "date");
}

#[test]
fn bad_text_amounts_and_codes_are_refused() {
    let countries = vec!["XX".to_string()];
    let mut f = input(&countries);
    f.name = "E-bog\u{202E}saftalen";
    f.amount = "12,5 mio";
    f.kind = "gadget";
    let codes: Vec<&str> = validate(&f).unwrap_err().iter().map(|e| e.code).collect();
    assert_eq!(codes, ["control", "kind", "country", "amount"]);
    let none = vec![];
    let mut f = input(&none);
    f.currency = "";
    assert_eq!(validate(&f).unwrap_err()[0].code, "currency_needed");
    f.amount = "99999999999999999999";
    assert_eq!(validate(&f).unwrap_err()[0].code, "amount");
}

#[test]
fn changed_fields_name_what_differs() {
    let none = vec![];
    let a = validate(&input(&none)).unwrap();
    let mut f = input(&none);
    f.ends_on = "2028-12-31";
    f.description = "Ny tekst";
    let b = validate(&f).unwrap();
    assert_eq!(changed_fields(&a, &b), ["description", "ends_on"]);
    assert!(changed_fields(&a, &a).is_empty());
}
