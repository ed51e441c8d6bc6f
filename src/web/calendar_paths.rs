//! Calendar files by their public names (see `rewrite`), for the router.

use axum::extract::Request;

/// The public names of calendar files, `/salons/{id}.ics`, `/series/{id}.ics` and
/// `/feeds/{token}.ics`: the router matches whole path segments only (matchit 0.8 has no
/// suffixes after a parameter), so such a name is rewritten to its route,
/// `/salons/{id}/calendar.ics` and so on, before routing. Every other path goes through as is.
const CALENDAR_FILES: [&str; 3] = ["/salons/", "/series/", "/feeds/"];

pub fn rewrite(mut req: Request) -> Request {
    let path = req.uri().path();
    let Some(name) = CALENDAR_FILES
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix).map(|rest| (prefix, rest)))
        .and_then(|(prefix, rest)| {
            let id = rest.strip_suffix(".ics")?;
            (!id.is_empty() && !id.contains('/')).then(|| format!("{prefix}{id}/calendar.ics"))
        })
    else {
        return req;
    };
    let rewritten = match req.uri().query() {
        Some(q) => format!("{name}?{q}"),
        None => name,
    };
    if let Ok(uri) = rewritten.parse() {
        *req.uri_mut() = uri;
    }
    req
}
