//! Languages. The texts live in `locales/app.yml` (every key with all its languages side by
//! side, so a missing translation is visible in review) and are compiled in by `rust-i18n`;
//! use `t!("key", locale = ctx.locale.code())`. Danish is the default; English is complete.
//! Norwegian (bokmål) and Swedish are accepted as preferences and fall back to English until
//! their translations land. `timefmt` writes dates and times as each language does; pages and
//! mails share it, so it lives here, below both.

pub mod timefmt;

/// A language the interface can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    Da,
    En,
    Nb,
    Sv,
}

impl Locale {
    /// The languages offered in the language switch (those with complete translations).
    pub const OFFERED: [Locale; 2] = [Locale::Da, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Da => "da",
            Locale::En => "en",
            Locale::Nb => "nb",
            Locale::Sv => "sv",
        }
    }

    /// The language's own name for itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Da => "Dansk",
            Locale::En => "English",
            Locale::Nb => "Norsk (bokmål)",
            Locale::Sv => "Svenska",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "da" => Some(Locale::Da),
            "en" => Some(Locale::En),
            "nb" | "no" | "nn" => Some(Locale::Nb),
            "sv" => Some(Locale::Sv),
            _ => None,
        }
    }

    /// Pick the best offered language from an `Accept-Language` header (RFC 9110 q-values).
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, part) in accept_language.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            let Some(locale) = Locale::from_code(tag) else { continue };
            if !Locale::OFFERED.contains(&locale) {
                continue;
            }
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
        assert_eq!(Locale::negotiate("en-GB,en;q=0.9,da;q=0.8"), Some(Locale::En));
        assert_eq!(Locale::negotiate("fr, da;q=0.5, en;q=0.4"), Some(Locale::Da));
        assert_eq!(Locale::negotiate("en;q=0, da"), Some(Locale::Da));
        assert_eq!(Locale::negotiate("de-DE"), None);
        assert_eq!(Locale::negotiate(""), None);
    }

    #[test]
    fn every_offered_language_has_every_key() {
        let text = include_str!("../../locales/app.yml");
        let doc: std::collections::BTreeMap<String, serde_yaml::Value> =
            serde_yaml::from_str(text).unwrap_or_default();
        assert!(doc.len() > 20, "locales/app.yml did not parse");
        for (key, value) in doc.iter().filter(|(k, _)| !k.starts_with('_')) {
            for locale in Locale::OFFERED {
                let has = value.get(locale.code()).and_then(|v| v.as_str()).is_some_and(|s| !s.trim().is_empty());
                assert!(has, "key {key} has no {} text", locale.code());
            }
        }
    }
}
