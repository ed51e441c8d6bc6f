//! A salon's materials: links and uploaded files. A file's bytes live in `material_file`, read
//! only when the file itself is asked for, so a list never carries them.

use chrono::{DateTime, Utc};

use super::{Conn, execute, rows, values};
use crate::domain::material::Phase;
use crate::domain::time::now;
use crate::ids::{MaterialId, PersonId, SalonId};

/// A material as lists show it (never the file's bytes).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Material {
    pub id: MaterialId,
    pub salon_id: SalonId,
    pub title: String,
    pub phase: String,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub added_by: Option<PersonId>,
    pub added_at: DateTime<Utc>,
}

impl Material {
    pub fn phase(&self) -> Phase {
        Phase::parse(&self.phase).unwrap_or(Phase::Before)
    }

    /// Where the material is: the link, or the file's address on this site.
    pub fn href(&self) -> String {
        match &self.url {
            Some(u) => u.clone(),
            None => format!("/salons/{}/materials/{}/file", self.salon_id, self.id),
        }
    }
}

const MATERIAL: &str = "select id, salon_id, title, phase, url, file_name, content_type, size, added_by, added_at from material";

/// What is added: a link, or a file with its bytes.
pub enum What<'a> {
    Link(&'a str),
    File {
        name: &'a str,
        content_type: &'a str,
        bytes: &'a [u8],
    },
}

/// Add a material to a salon, inside the caller's transaction (a file is two rows).
pub async fn add(
    tx: &mut super::Tx,
    salon: SalonId,
    title: &str,
    phase: Phase,
    what: &What<'_>,
    by: PersonId,
) -> Result<MaterialId, sqlx::Error> {
    let (url, name, content_type, size) = match what {
        What::Link(url) => (Some(*url), None, None, None),
        What::File {
            name,
            content_type,
            bytes,
        } => (
            None,
            Some(*name),
            Some(*content_type),
            Some(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        ),
    };
    let id: MaterialId = values!(
        &mut *tx,
        fetch_one,
        "insert into material (salon_id, title, phase, url, file_name, content_type, size, added_by, added_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        salon,
        title,
        phase.as_str(),
        url,
        name,
        content_type,
        size,
        by,
        now()
    )?;
    if let What::File { bytes, .. } = what {
        execute!(
            &mut *tx,
            "insert into material_file (material_id, content) values ($1, $2)",
            id,
            *bytes
        )?;
    }
    Ok(id)
}

/// A salon's materials: the pre-reads first, then what came of the salon, each in the order
/// they were added.
pub async fn of_salon(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<Material>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{MATERIAL} where salon_id = $1 order by case phase when 'before' then 0 else 1 end, id"
        )),
        salon
    )
}

/// One material of a salon (the salon in the same query: a material id alone finds nothing).
pub async fn get(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: MaterialId,
) -> Result<Option<Material>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{MATERIAL} where salon_id = $1 and id = $2")),
        salon,
        id
    )
}

/// An uploaded file of a salon: its name, type and bytes.
#[derive(Debug, sqlx::FromRow)]
pub struct File {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn file(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: MaterialId,
) -> Result<Option<File>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        "select m.file_name, m.content_type, f.content from material m
         join material_file f on f.material_id = m.id
         where m.salon_id = $1 and m.id = $2",
        salon,
        id
    )
}

/// Remove a material of a salon (its file goes with it); false when there was none.
pub async fn remove(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: MaterialId,
) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "delete from material where salon_id = $1 and id = $2",
        salon,
        id
    )?;
    Ok(n == 1)
}
