//! Languages. Danish and English live side by side in `locales/app.yml` (the source every
//! translation starts from); every other language is one file of its own, `locales/<code>.yml`
//! (Norwegian bokmål, Swedish, Finnish), each with every key of app.yml. All are compiled in by
//! `rust-i18n`; use `t!("key", locale = ctx.locale.code())`. A language's own name, its date
//! pattern, day and month names and clock format are keys too (`language.name`, `time.*`), so
//! adding a language is its file and its code in [`Locale::OFFERED`] (README says how); the
//! tests below fail until every key is there with the placeholders of the Danish text.
//! `timefmt` writes dates and times as each language does; pages and mails share it, so it
//! lives here, below both.

pub mod timefmt;

/// A text with a number in it, in the form the number asks for: `KEY.one` for exactly one,
/// `KEY.other` for every other number (the rule of all five languages for whole numbers; a
/// language with more forms would add its own here). The texts take the number as `%{n}`.
pub fn plural(key: &str, n: impl Into<i128>, l: &str) -> String {
    let n: i128 = n.into();
    let form = if n == 1 { "one" } else { "other" };
    rust_i18n::t!(format!("{key}.{form}"), locale = l, n = n).to_string()
}

/// A whole number with its thousands grouped as the language does: "12.500.000" (da),
/// "12 500 000" (nb, sv, fi; a no-break space), "12,500,000" (en).
pub fn whole_number(n: i64, l: &str) -> String {
    let sep = match l {
        "da" => ".",
        "en" => ",",
        _ => "\u{a0}",
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Both forms of a plural text with `{n}` for the number, for room.js (`data-label-*-one` and
/// `-other`), which picks the same way [`plural`] does.
pub fn plural_forms(key: &str, l: &str) -> (String, String) {
    (
        rust_i18n::t!(format!("{key}.one"), locale = l, n = "{n}").to_string(),
        rust_i18n::t!(format!("{key}.other"), locale = l, n = "{n}").to_string(),
    )
}

/// A language the interface can be shown in: its BCP 47 code, one of [`Locale::OFFERED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Locale(&'static str);

impl Default for Locale {
    fn default() -> Self {
        Locale::Da
    }
}

#[allow(non_upper_case_globals)] // read like the enum variants they replace: Locale::Da
impl Locale {
    pub const Da: Locale = Locale("da");
    pub const Nb: Locale = Locale("nb");
    pub const Sv: Locale = Locale("sv");
    pub const Fi: Locale = Locale("fi");
    pub const En: Locale = Locale("en");

    /// Every interface language, in the order the language switch shows them.
    pub const OFFERED: [Locale; 5] = [Locale::Da, Locale::Nb, Locale::Sv, Locale::Fi, Locale::En];

    pub fn code(self) -> &'static str {
        self.0
    }

    /// The language's own name for itself (Dansk, Norsk, Svenska, Suomi, English).
    pub fn native_name(self) -> String {
        rust_i18n::t!("language.name", locale = self.0).to_string()
    }

    /// The language for a tag such as `nb-NO`, `sv-FI` or `fi`: the primary subtag decides;
    /// Norwegian without a written standard (`no`) and nynorsk (`nn`) get bokmål.
    pub fn from_code(code: &str) -> Option<Locale> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let primary = match primary.as_str() {
            "no" | "nn" => "nb",
            other => other,
        };
        Locale::OFFERED.into_iter().find(|l| l.0 == primary)
    }

    /// Pick the best offered language from an `Accept-Language` header (RFC 9110 q-values).
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, part) in accept_language.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.trim().parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            let Some(locale) = Locale::from_code(tag) else {
                continue;
            };
            // Higher q wins; on a tie the earlier entry wins.
            let better = match best {
                None => true,
                Some((bq, bi, _)) => q > bq || (q == bq && index < bi),
            };
            if better {
                best = Some((q, index, locale));
            }
        }
        best.map(|(_, _, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(
            Locale::negotiate("en-GB,en;q=0.9,da;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::negotiate("fr, da;q=0.5, en;q=0.4"),
            Some(Locale::Da)
        );
        assert_eq!(Locale::negotiate("en;q=0, da"), Some(Locale::Da));
        assert_eq!(Locale::negotiate("de-DE"), None);
        assert_eq!(
            Locale::negotiate("nb-NO,nb;q=0.9,en;q=0.5"),
            Some(Locale::Nb)
        );
        assert_eq!(Locale::negotiate("nn"), Some(Locale::Nb));
        assert_eq!(Locale::negotiate("no"), Some(Locale::Nb));
        assert_eq!(Locale::negotiate("sv-FI"), Some(Locale::Sv));
        assert_eq!(Locale::negotiate("fi-FI,fi;q=0.9"), Some(Locale::Fi));
        assert_eq!(Locale::negotiate(""), None);
    }

    /// Every key of app.yml, with its text per language: app.yml's Danish and English, and
    /// each other language's own file.
    fn all_texts() -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>
    {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        let app: std::collections::BTreeMap<String, serde_yaml::Value> =
            serde_yaml::from_str(&read("app.yml")).unwrap_or_default();
        assert!(app.len() > 20, "locales/app.yml did not parse");
        let mut texts = std::collections::BTreeMap::new();
        for (key, value) in app.iter().filter(|(k, _)| !k.starts_with('_')) {
            let mut by: std::collections::BTreeMap<String, String> =
                std::collections::BTreeMap::new();
            for code in ["da", "en"] {
                if let Some(t) = value.get(code).and_then(|v| v.as_str()) {
                    by.insert(code.into(), t.into());
                }
            }
            texts.insert(key.clone(), by);
        }
        for locale in Locale::OFFERED
            .into_iter()
            .filter(|l| !["da", "en"].contains(&l.code()))
        {
            let own: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&read(&format!("{}.yml", locale.code())))
                    .unwrap_or_else(|e| panic!("locales/{}.yml: {e}", locale.code()));
            for (key, text) in own {
                assert!(
                    texts.contains_key(&key),
                    "locales/{}.yml has {key}, which app.yml does not",
                    locale.code()
                );
                texts
                    .entry(key)
                    .or_default()
                    .insert(locale.code().into(), text);
            }
        }
        texts
    }

    /// The `%{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<String> {
        let mut found: Vec<String> = text
            .split("%{")
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        found.sort();
        found.dedup();
        found
    }

    #[test]
    fn every_offered_language_has_every_key_with_its_placeholders() {
        for (key, by) in all_texts() {
            let source = by
                .get("da")
                .unwrap_or_else(|| panic!("key {key} has no Danish text"));
            for locale in Locale::OFFERED {
                let text = by.get(locale.code()).filter(|t| !t.trim().is_empty());
                let text =
                    text.unwrap_or_else(|| panic!("key {key} has no {} text", locale.code()));
                assert_eq!(
                    placeholders(text),
                    placeholders(source),
                    "key {key} in {} drops or adds a placeholder",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn every_language_names_itself() {
        let names: Vec<String> = Locale::OFFERED
            .into_iter()
            .map(Locale::native_name)
            .collect();
        assert_eq!(names, ["Dansk", "Norsk", "Svenska", "Suomi", "English"]);
    }
}
