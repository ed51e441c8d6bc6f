//! What a room socket's frames do: each counts against the person's rate limit, is checked
//! against the rights as they are now, and calls the room's use cases. The connection itself
//! (history, catch-up, live frames) is `rooms::connection`'s.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::app::SharedApp;
use crate::domain::time::now;
use crate::ids::{MessageId, RoundId};
use crate::rooms::access::{self, Access, Denied};
use crate::rooms::connection::{Client, Reply};
use crate::rooms::notices;
use crate::rooms::protocol::{self, ClientFrame, Person};
use crate::rooms::slots::Slot;
use crate::store::rooms::Room;
use crate::usecases::room::{self as actions, Rejected};
use crate::usecases::rounds::{self, Cast};

/// An idle socket's rights are checked again after this long (every action checks at once).
const RECHECK_IDLE: Duration = Duration::from_secs(60);

/// One socket's person, room and rights, answering its frames.
pub struct SocketClient {
    pub app: SharedApp,
    pub room: Room,
    pub access: Access,
    pub me: Person,
    /// The session cookie this socket was opened with: signing out ends the socket's rights too.
    pub session: String,
    /// The person's language, for error frames.
    pub locale: &'static str,
    /// When the rights were last read from the database.
    pub checked_at: Instant,
    /// This connection's place among the person's connections.
    pub _slot: Slot,
}

impl Client for SocketClient {
    /// The reply to one client frame (errors, and a ballot's receipt).
    async fn handle(&mut self, text: &str, delivered: MessageId) -> Reply {
        let read_at = Instant::now();
        // Every frame counts, understood or not, before any database work.
        if !self.within_limit() {
            return self.rejected(Rejected::RateLimited);
        }
        let frame: ClientFrame = match serde_json::from_str(text) {
            Ok(f) => f,
            Err(_) => return Reply::frame(self.error_frame("bad_frame")),
        };
        if let Err(denied) = self.recheck().await {
            return Reply {
                frames: vec![self.error_frame(denied.code())],
                close: Some(denied),
            };
        }
        let app = &self.app;
        let result = match frame {
            ClientFrame::Send {
                body,
                client_id,
                question,
            } => {
                let posted = actions::post(
                    app,
                    &self.room,
                    self.access,
                    self.me.id,
                    &client_id,
                    &body,
                    question,
                )
                .await;
                match posted {
                    // A resend of a message this socket has been sent already (room.js sends
                    // what was not confirmed again on reconnect, before the catch-up has
                    // arrived): nothing more to send; a copy would reach the client twice.
                    Ok(Ok(m)) if m.id <= delivered => return Reply::default(),
                    Ok(Ok(_)) => {
                        // Read, checked, stored and published: the server's part before the
                        // room's writer (salon_room_fanout_duration_seconds) takes over.
                        metrics::histogram!("salon_room_post_duration_seconds")
                            .record(read_at.elapsed().as_secs_f64());
                        Ok(None)
                    }
                    Ok(Err(r)) => Ok(Some(r)),
                    Err(e) => Err(e),
                }
            }
            ClientFrame::Vote { id } => actions::vote(app, &self.room, self.access, self.me.id, id)
                .await
                .map(|o| o.err()),
            ClientFrame::Hide { id } => {
                let by = crate::store::audit::Named {
                    id: self.me.id,
                    name: &self.me.name,
                };
                actions::hide(app, &self.room, self.access, by, id)
                    .await
                    .map(|o| o.err())
            }
            ClientFrame::Answer { id } => actions::mark_answered(app, &self.room, self.access, id)
                .await
                .map(|o| o.err()),
            ClientFrame::Ballot { round, points } => {
                return Box::pin(self.ballot(round, points)).await;
            }
        };
        match result {
            Ok(None) => Reply::default(),
            Ok(Some(r)) => self.rejected(r),
            Err(e) => {
                tracing::warn!(error = %e, room = %self.room.id, "room action failed");
                Reply::frame(self.error_frame("internal"))
            }
        }
    }

    fn within_limit(&self) -> bool {
        actions::within_limit(&self.app, self.me.id)
    }

    async fn recheck_idle(&mut self) -> Result<(), Denied> {
        if self.checked_at.elapsed() < RECHECK_IDLE {
            return Ok(());
        }
        self.recheck().await
    }

    fn error_frame(&self, code: &str) -> Utf8Bytes {
        let message = rust_i18n::t!(format!("room.error.{code}"), locale = self.locale);
        protocol::error(code, &message).into()
    }
}

impl SocketClient {
    /// Read the rights again; `Err` when they are gone (the socket is then closed).
    async fn recheck(&mut self) -> Result<(), Denied> {
        match access::recheck(&self.app.db, &self.session, self.me.id, &self.room, now()).await {
            Ok(Ok(access)) => {
                self.access = access;
                self.checked_at = Instant::now();
                Ok(())
            }
            Ok(Err(denied)) => Err(denied),
            Err(e) => {
                // The database is unreachable: the action that follows fails on it too; keep
                // the socket (staying exposes nothing new) and check again next time.
                tracing::warn!(error = %e, "room rights check failed");
                Ok(())
            }
        }
    }

    /// A ballot in one of the salon's priority rounds: the stored ballot back to the voter, or
    /// why it was refused (nothing stored).
    async fn ballot(&self, round: RoundId, points: HashMap<String, serde_json::Value>) -> Reply {
        let given: Vec<(String, String)> = points
            .into_iter()
            .map(|(option, n)| {
                let n = match n {
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::String(s) => s,
                    _ => "-".to_string(), // not a number: refused as such
                };
                (option, n)
            })
            .collect();
        let cast = rounds::cast(&self.app, self.room.salon_id, round, self.me.id, &given).await;
        let frame = match cast {
            Ok(Cast::Accepted(stored)) => notices::ballot_accepted(round, &stored),
            Ok(Cast::Refused(code)) => {
                let message = rust_i18n::t!(format!("round.error.{code}"), locale = self.locale);
                protocol::round_error(round, code, &message)
            }
            Err(e) => {
                tracing::warn!(error = %e, room = %self.room.id, "ballot failed");
                return Reply::frame(self.error_frame("internal"));
            }
        };
        Reply::frame(frame.into())
    }

    fn rejected(&self, r: Rejected) -> Reply {
        Reply::frame(self.error_frame(r.code()))
    }
}
