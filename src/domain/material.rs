//! A salon's materials: links and uploaded files (slides, pre-reads, documents), each marked
//! "read before" or "from the salon". What a file is comes from its first bytes (the `infer`
//! crate), never from the browser's content type: only the kinds of file a meeting hands round
//! are taken, and the name's extension must agree with the content, so a file is served as
//! what it really is and saved under a name that opens it with the right program.

use super::text;

pub const TITLE_MAX: usize = 200;
pub const URL_MAX: usize = 2000;
pub const FILE_NAME_MAX: usize = 150;

/// When a material is meant to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// A pre-read.
    Before,
    /// Shown or made at the salon (slides, the photo of the whiteboard).
    After,
}

impl Phase {
    pub const ALL: [Phase; 2] = [Phase::Before, Phase::After];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Before => "before",
            Phase::After => "after",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Why a material was refused; `code()` is translated as `material.error.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Title,
    Phase,
    Url,
    NoFile,
    /// Over the configured limit (the handler says how large the limit is).
    TooLarge,
    /// Not one of the kinds in [`ALLOWED`].
    Forbidden,
    /// The name's extension says one kind, the content another.
    Mismatch,
    FileName,
}

impl Refused {
    pub fn code(self) -> &'static str {
        match self {
            Refused::Title => "title",
            Refused::Phase => "phase",
            Refused::Url => "url",
            Refused::NoFile => "no_file",
            Refused::TooLarge => "too_large",
            Refused::Forbidden => "forbidden",
            Refused::Mismatch => "mismatch",
            Refused::FileName => "file_name",
        }
    }

    /// The form field the refusal belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Refused::Title => "title",
            Refused::Phase => "phase",
            Refused::Url => "url",
            _ => "file",
        }
    }
}

/// A kind of file Salon takes: its content type and the extensions a name may have.
pub struct Allowed {
    pub content_type: &'static str,
    pub extensions: &'static [&'static str],
}

/// What may be uploaded: PDF, Office and OpenDocument documents, slides and spreadsheets (old
/// and new formats), and pictures. Plain text is told by its extension and being UTF-8.
pub const ALLOWED: &[Allowed] = &[
    allowed("application/pdf", &["pdf"]),
    allowed(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        &["pptx"],
    ),
    allowed(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &["docx"],
    ),
    allowed(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &["xlsx"],
    ),
    allowed("application/vnd.oasis.opendocument.presentation", &["odp"]),
    allowed("application/vnd.oasis.opendocument.text", &["odt"]),
    allowed("application/vnd.oasis.opendocument.spreadsheet", &["ods"]),
    allowed("application/vnd.ms-powerpoint", &["ppt"]),
    allowed("application/msword", &["doc"]),
    allowed("application/vnd.ms-excel", &["xls"]),
    allowed("image/png", &["png"]),
    allowed("image/jpeg", &["jpg", "jpeg"]),
    allowed("text/plain; charset=utf-8", &["txt", "md"]),
    allowed("text/csv; charset=utf-8", &["csv"]),
];

const fn allowed(content_type: &'static str, extensions: &'static [&'static str]) -> Allowed {
    Allowed {
        content_type,
        extensions,
    }
}

/// The extensions the upload form's `accept` lists.
pub fn accept() -> String {
    ALLOWED
        .iter()
        .flat_map(|a| a.extensions.iter())
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// An uploaded file, checked: its clean name and the content type it is served with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Check an uploaded file: `name` as the browser sent it, `bytes` the content, `limit` the
/// largest size in bytes.
pub fn check_file(name: &str, bytes: &[u8], limit: usize) -> Result<CheckedFile, Refused> {
    if bytes.is_empty() {
        return Err(Refused::NoFile);
    }
    if bytes.len() > limit {
        return Err(Refused::TooLarge);
    }
    let file_name = clean_file_name(name)?;
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    let by_name = ALLOWED
        .iter()
        .find(|a| a.extensions.contains(&extension.as_str()));
    // The matchers read offsets out of the file itself; a crafted file must not take the
    // request down with it, should one of them ever index past the end.
    let detected =
        std::panic::catch_unwind(|| infer::get(bytes)).map_err(|_| Refused::Forbidden)?;
    let by_content = match detected {
        Some(kind) => ALLOWED
            .iter()
            .find(|a| a.content_type == kind.mime_type())
            .ok_or(Refused::Forbidden)?,
        // No signature: text, if the name says so and it is UTF-8 without NULs.
        None => match by_name {
            Some(a)
                if a.content_type.starts_with("text/")
                    && std::str::from_utf8(bytes).is_ok_and(|s| !s.contains('\0')) =>
            {
                a
            }
            _ => return Err(Refused::Forbidden),
        },
    };
    match by_name {
        Some(a) if a.content_type == by_content.content_type => Ok(CheckedFile {
            file_name,
            content_type: by_content.content_type,
        }),
        Some(_) => Err(Refused::Mismatch),
        None => Err(Refused::Forbidden),
    }
}

/// The name as uploaded, without any folder a browser put before it, checked like a title.
fn clean_file_name(name: &str) -> Result<String, Refused> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean = text::line(base, FILE_NAME_MAX, true).map_err(|_| Refused::FileName)?;
    if clean.starts_with('.') || !clean.contains('.') {
        return Err(Refused::FileName);
    }
    Ok(clean)
}

/// A title (one line); an empty one takes the file's name or the link.
pub fn title(raw: &str, fallback: &str) -> Result<String, Refused> {
    let t = text::line(raw, TITLE_MAX, false).map_err(|_| Refused::Title)?;
    if !t.is_empty() {
        return Ok(t);
    }
    let f: String = fallback.chars().take(TITLE_MAX).collect();
    text::line(&f, TITLE_MAX, true).map_err(|_| Refused::Title)
}

/// A link: http or https, with a host, at most [`URL_MAX`] characters.
pub fn link(raw: &str) -> Result<String, Refused> {
    let s = text::line(raw, URL_MAX, true).map_err(|_| Refused::Url)?;
    match url::Url::parse(&s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        _ => Err(Refused::Url),
    }
}

/// What RFC 8187 lets through unencoded (`attr-char`): letters, digits and `!#$&+-.^_`|~`.
const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The `Content-Disposition` of a file served for download: `attachment`, the name in ASCII
/// for old clients (other characters become `_`) and in full as RFC 8187 UTF-8.
pub fn disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(file_name, ATTR_CHAR);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests;
