//! A salon as typed into the form, checked field by field: every error is collected, so the
//! form shows all of them at once, in the person's language (`salon.error.<code>`).

use chrono_tz::Tz;

use super::*;

/// The salon form's code for a refused piece of text.
pub(super) fn text_code(e: TextError, empty: &'static str, too_long: &'static str) -> &'static str {
    match e {
        TextError::Empty => empty,
        TextError::TooLong => too_long,
        TextError::Control => "text_control",
    }
}

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 20_000;

/// Check everything at once, so the form shows every problem in one round.
/// `seated_yes` is the number of people holding a seat now (capacity may not drop below it).
pub fn validate(input: &SalonInput, seated_yes: i64) -> Result<ValidSalon, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = text::line(&input.title, TITLE_MAX, true).unwrap_or_else(|e| {
        errors.push(err(
            "title",
            text_code(e, "title_required", "title_too_long"),
        ));
        String::new()
    });
    let description = text::multiline(&input.description, TEXT_MAX, false).unwrap_or_else(|e| {
        errors.push(err(
            "description",
            text_code(e, "text_too_long", "text_too_long"),
        ));
        String::new()
    });
    let series_id = match input.series_id.trim() {
        "" => None,
        s => s
            .parse::<SeriesId>()
            .map_err(|_| errors.push(err("series_id", "series_unknown")))
            .ok(),
    };
    let (time_zone, times) = times(input, &mut errors);
    let place = place(input, &mut errors);
    let capacity = capacity(&input.capacity, seated_yes, &mut errors);
    let registration = Registration::parse(input.registration.trim());
    if registration.is_none() {
        errors.push(err("registration", "registration_unknown"));
    }
    let agenda = parse_agenda(&input.agenda).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        Vec::new()
    });
    match (errors.is_empty(), times, place, registration) {
        (
            true,
            Some((starts_at, ends_at, rsvp_deadline)),
            Some((mode, address, meeting_url)),
            Some(registration),
        ) => Ok(ValidSalon {
            title,
            description,
            series_id,
            starts_at,
            ends_at,
            time_zone,
            mode,
            address,
            meeting_url,
            capacity,
            rsvp_deadline,
            registration,
            agenda,
        }),
        _ => Err(errors),
    }
}

/// Start, end and the reply-by date, in UTC.
type Times = (DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>);

/// The zone, and start, end and reply-by in UTC (None while any is wrong).
fn times(input: &SalonInput, errors: &mut Vec<FieldError>) -> (Tz, Option<Times>) {
    let time_zone = parse_time_zone(input.time_zone.trim()).unwrap_or_else(|| {
        errors.push(err("time_zone", "time_zone_unknown"));
        chrono_tz::Europe::Copenhagen
    });
    let mut local = |field: &'static str, raw: &str, required: bool| -> Option<DateTime<Utc>> {
        let raw = raw.trim();
        if raw.is_empty() {
            if required {
                errors.push(err(field, "time_required"));
            }
            return None;
        }
        local_to_utc(raw, time_zone)
            .map_err(|code| errors.push(err(field, code)))
            .ok()
    };
    let starts_at = local("starts_at", &input.starts_at, true);
    let ends_at = local("ends_at", &input.ends_at, true);
    let deadline_given = !input.rsvp_deadline.trim().is_empty();
    let rsvp_deadline = local("rsvp_deadline", &input.rsvp_deadline, false);
    if let (Some(s), Some(e)) = (starts_at, ends_at)
        && e <= s
    {
        errors.push(err("ends_at", "end_before_start"));
    }
    // Answers may be taken until the salon ends (people joining a running online salon).
    if let (Some(e), Some(d)) = (ends_at, rsvp_deadline)
        && d > e
    {
        errors.push(err("rsvp_deadline", "deadline_after_end"));
    }
    let all = match (starts_at, ends_at) {
        (Some(s), Some(e)) if !deadline_given || rsvp_deadline.is_some() => {
            Some((s, e, rsvp_deadline))
        }
        _ => None,
    };
    (time_zone, all)
}

/// In person, online or both, with the address and link the mode needs (and only those).
fn place(
    input: &SalonInput,
    errors: &mut Vec<FieldError>,
) -> Option<(Mode, Option<String>, Option<String>)> {
    let mode = Mode::parse(input.mode.trim());
    if mode.is_none() {
        errors.push(err("mode", "mode_unknown"));
    }
    let address = text::line(&input.address, 500, false).unwrap_or_else(|e| {
        errors.push(err(
            "address",
            text_code(e, "address_required", "text_too_long"),
        ));
        String::new()
    });
    let address = Some(address).filter(|a| !a.is_empty());
    let meeting_url = Some(input.meeting_url.trim().to_string()).filter(|u| !u.is_empty());
    if let Some(mode) = mode {
        if mode.has_place() && address.is_none() {
            errors.push(err("address", "address_required"));
        }
        if mode.has_link() && meeting_url.is_none() {
            errors.push(err("meeting_url", "meeting_url_required"));
        }
    }
    if let Some(url) = &meeting_url {
        let ok = url::Url::parse(url).is_ok_and(|u| {
            (u.scheme() == "https" || u.scheme() == "http") && u.host_str().is_some()
        });
        if !ok {
            errors.push(err("meeting_url", "meeting_url_invalid"));
        }
    }
    // Keep only what the mode uses: an online salon has no address.
    mode.map(|m| {
        (
            m,
            address.filter(|_| m.has_place()),
            meeting_url.filter(|_| m.has_link()),
        )
    })
}

/// Seats: empty for no limit, else 1 to 100,000 and not below the seats already taken.
fn capacity(raw: &str, seated_yes: i64, errors: &mut Vec<FieldError>) -> Option<i64> {
    match raw.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => {
                if n < seated_yes {
                    errors.push(err("capacity", "capacity_below_yes"));
                }
                Some(n)
            }
            _ => {
                errors.push(err("capacity", "capacity_invalid"));
                None
            }
        },
    }
}
