//! A calendar's reply from a known reply address: whether it is acted on, and acting on it.

use super::*;

/// Why a reply from a known reply address is not acted on, if it is not: it is about another
/// event or from another attendee, the salon is cancelled, or it is older than (or the same
/// as) the reply last applied.
pub(super) fn reason_to_ignore(
    app: &App,
    reply: &Reply,
    salon: &salons::Salon,
    person: &people::Person,
    address: &reply_addresses::ReplyAddress,
    stamp: DateTime<Utc>,
) -> Option<&'static str> {
    let host = app.config.base_url.host_str().unwrap_or("salon");
    if !reply
        .uid
        .eq_ignore_ascii_case(&crate::calendar::event::uid(salon.id, host))
    {
        return Some("other_event");
    }
    let email = person.email.to_ascii_lowercase();
    if reply.attendee != email && reply.delegated_from.as_deref() != Some(email.as_str()) {
        return Some("attendee_mismatch");
    }
    if salon.status() == Status::Cancelled {
        return Some("salon_cancelled");
    }
    if let Some(last) = address.last_dtstamp
        && (stamp < last
            || (stamp == last && address.last_partstat.as_deref() == Some(reply.partstat.as_str())))
    {
        return Some(if stamp == last {
            "duplicate"
        } else {
            "older_reply"
        });
    }
    None
}
/// Apply a calendar's answer (accepted, tentative, declined) through the same rules as the
/// web, and tell the person and the organisers what they need to know.
pub(super) async fn apply_answer(
    tx: &mut Tx,
    app: &App,
    reply: &Reply,
    salon: &salons::Salon,
    person: &people::Person,
    stamp: DateTime<Utc>,
) -> Result<Handled, Failure> {
    let response = match reply.partstat.as_str() {
        "ACCEPTED" => Response::Yes,
        "TENTATIVE" => Response::Maybe,
        "DECLINED" => Response::No,
        _ => {
            return Ok(Handled::Ignored("no_answer"));
        }
    };
    let old_time = reply.sequence < salon.revision;
    let result = rsvp::answer_in(
        tx,
        &app.config,
        salon.id,
        person.id,
        response,
        false,
        Rules::Enforce,
    )
    .await;
    let standing = match result {
        Ok(done) => done.standing,
        Err(AnswerError::Refused(refusal)) => {
            tell_person(tx, app, person, salon, Told::Refused(refusal)).await?;
            return Ok(Handled::Ignored(match refusal {
                NotAccepted::DeadlinePassed => "deadline_passed",
                NotAccepted::NotOpen => "not_open",
                NotAccepted::NotInvited => "not_invited",
            }));
        }
        Err(AnswerError::NoSuchSalon) => {
            return Ok(Handled::Ignored("unknown_token"));
        }
        Err(AnswerError::Failure(f)) => return Err(f),
    };
    reply_addresses::applied(&mut *tx, salon.id, person.id, stamp, &reply.partstat).await?;
    if let Standing::Waitlisted(place) = standing {
        tell_person(tx, app, person, salon, Told::Waitlisted(place)).await?;
    }
    if !reply.comment.is_empty() {
        notify_organiser(tx, app, salon, &person.name, &reply.comment).await?;
    }
    let mut detail = format!(
        "{} ({})",
        response.as_str(),
        reply.partstat.to_ascii_lowercase()
    );
    if old_time {
        // The reply answered the time before the latest change: applied, and the organisers see it.
        detail = format!("note:old_time {detail}");
    }
    Ok(Handled::Applied(detail))
}
