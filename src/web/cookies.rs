//! The cookies we set, in one place, so their flags cannot drift apart.

use axum_extra::extract::cookie::{Cookie, SameSite};

pub const SESSION: &str = "salon_session";
pub const LANG: &str = "salon_lang";

fn base(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// The session cookie lives as long as the session can (`SALON_SESSION_DAYS`).
pub fn session(value: String, secure: bool, lifetime: chrono::Duration) -> Cookie<'static> {
    let mut c = base(SESSION, value, secure);
    c.set_max_age(time_duration(lifetime.num_seconds()));
    c
}

pub fn session_removal(secure: bool) -> Cookie<'static> {
    let mut c = base(SESSION, String::new(), secure);
    c.set_max_age(time_duration(0));
    c
}

pub fn csrf(value: String, secure: bool) -> Cookie<'static> {
    base(super::csrf::COOKIE, value, secure)
}

pub fn lang(code: &str, secure: bool) -> Cookie<'static> {
    let mut c = base(LANG, code.to_string(), secure);
    c.set_max_age(time_duration(365 * 24 * 3600));
    c
}

fn time_duration(seconds: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(seconds)
}
