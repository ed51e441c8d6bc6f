//! A salon's materials as JSON: the live `materials` frame in the salon's rooms (the whole
//! list, so a client replaces what it shows) and `GET /api/v1/salons/{id}/materials`. `detail`
//! says what a material is in words no language has to translate ("PDF, 2 MB", the link's
//! host), so the panel the server renders and the one room.js rebuilds read the same.

use serde::Serialize;

use crate::config::Config;
use crate::ids::{MaterialId, SalonId};
use crate::store::Db;
use crate::store::materials::{self, Material};

#[derive(Debug, Serialize)]
pub struct MaterialJson {
    pub id: MaterialId,
    pub salon: SalonId,
    pub title: String,
    /// `before` (read before the salon) or `after` (from the salon).
    pub phase: String,
    /// `link` or `file`.
    pub kind: &'static str,
    /// Where it is on this site (a file) or the link itself.
    pub href: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub detail: String,
    pub added_at: String,
}

impl MaterialJson {
    pub fn of(m: &Material) -> MaterialJson {
        MaterialJson {
            id: m.id,
            salon: m.salon_id,
            title: m.title.clone(),
            phase: m.phase.clone(),
            kind: if m.url.is_some() { "link" } else { "file" },
            href: m.href(),
            file_name: m.file_name.clone(),
            content_type: m.content_type.clone(),
            size: m.size,
            detail: detail(m),
            added_at: m.added_at.to_rfc3339(),
        }
    }

    /// The salon's list, with `href` made absolute for clients off the site (the API).
    pub async fn of_salon(
        db: &Db,
        salon: SalonId,
        absolute: Option<&Config>,
    ) -> Result<Vec<MaterialJson>, sqlx::Error> {
        Ok(materials::of_salon(db, salon)
            .await?
            .iter()
            .map(|m| {
                let mut j = MaterialJson::of(m);
                if let (Some(config), None) = (absolute, &m.url) {
                    j.href = config.url(&j.href);
                }
                j
            })
            .collect())
    }
}

/// "PDF, 2 MB" for a file (its extension, its size in whole kB or MB), the host for a link.
pub fn detail(m: &Material) -> String {
    if let Some(url) = &m.url {
        return url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
    }
    let kind = m
        .file_name
        .as_deref()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_uppercase())
        .unwrap_or_default();
    format!("{kind}, {}", size(m.size.unwrap_or(0)))
}

/// A size in whole kB (rounded up, at least 1) below a megabyte, else in whole MB; counted in
/// 1024s, as the upload limit and the file managers people check a size in are.
pub fn size(bytes: i64) -> String {
    const KB: i64 = 1024;
    if bytes < KB * KB {
        format!("{} kB", ((bytes + KB - 1) / KB).max(1))
    } else {
        format!("{} MB", (bytes + KB * KB / 2) / (KB * KB))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_the_same_in_every_language() {
        assert_eq!(super::size(1), "1 kB");
        assert_eq!(super::size(1140), "2 kB");
        assert_eq!(super::size(1_048_575), "1024 kB");
        assert_eq!(super::size(1_048_576), "1 MB");
        assert_eq!(super::size(20 * 1024 * 1024), "20 MB");
    }
}
