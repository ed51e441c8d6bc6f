//! The application's shared state: configuration, database, services' handles.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::sync::Notify;

use crate::config::Config;
use crate::store::Db;

pub struct App {
    pub config: Config,
    pub db: Db,
    /// Wakes the outbox worker when this instance queues mail.
    pub mail_wake: Arc<Notify>,
    /// Keys the HMAC of CSRF tokens; shared by all instances through the `setting` table.
    pub csrf_key: Vec<u8>,
    pub limits: RateLimits,
    pub metrics: PrometheusHandle,
    /// How far the data behind the cached pages has moved (see [`Generations`]).
    pub generations: Generations,
    /// The front page's rendered salon list; see `web::home`.
    pub front_page_cache: FragmentCache,
    /// Rendered strategy boards; see `web::board`.
    pub board_cache: RenderCache<
        (
            crate::ids::SeriesId,
            &'static str,
            String,
            crate::store::Drafts,
        ),
        (String, String),
    >,
    /// What every viewer of a room page sees alike; see `web::room::shared`.
    pub room_cache: RenderCache<(crate::ids::RoomId, bool), crate::store::page_data::RoomShared>,
    /// What every viewer of a salon page sees alike, per language; see `web::salon_page`.
    pub salon_cache:
        RenderCache<(crate::ids::SalonId, &'static str), crate::store::page_data::SalonShared>,
    /// The landscape's rendered list (per language and filter) and roadmap; see
    /// `web::landscape`.
    pub landscape_cache: RenderCache<(&'static str, String), String>,
    /// The known abbreviations per language; see `web::glossary`.
    pub glossary_cache: RenderCache<&'static str, crate::domain::glossary::Glossary>,
    /// Live rooms in this process.
    pub hub: Arc<crate::rooms::Hub>,
    /// Changes whose coalesced announcement in the rooms is due (live round totals, support).
    pub announcements_due: crate::rooms::notices::Due,
    /// Room connections per person (a cap against socket floods).
    pub room_slots: Arc<crate::rooms::slots::Slots>,
    /// Cancelled when the server stops: websocket connections close on it.
    pub shutdown: tokio_util::sync::CancellationToken,
    /// The websocket connections' tasks (they outlive the HTTP connection they were upgraded
    /// from): `run` waits for them to say goodbye before it closes the database.
    pub socket_tasks: tokio_util::task::TaskTracker,
}

/// Change counters that the page caches compare to know they are stale; each is moved by the
/// use cases after their change is committed (so no page is cached under a generation it does
/// not show).
#[derive(Default)]
pub struct Generations {
    /// Salons created, edited, published or cancelled in this process: the front page's list.
    /// Other instances' changes are seen when the cache's ten-second bucket runs out.
    pub salons: AtomicU64,
    /// Strategy changes seen by this process (its own and, with PostgreSQL, other instances',
    /// through `rooms::bridge`): the board is reused until it moves.
    pub strategy: Arc<AtomicU64>,
    /// Room changes seen by this process (messages, hides, votes, answers, mutes, rooms, the
    /// agenda, announcements; other instances' through `rooms::bridge`): the room pages'
    /// shared data is reused until it moves.
    pub rooms: Arc<AtomicU64>,
    /// Glossary entries added, changed or removed in this process (other instances' are seen
    /// when the ten-second bucket runs out).
    pub glossary: AtomicU64,
    /// Landscape items added or changed in this process (other instances' are seen when the
    /// ten-second bucket runs out).
    pub landscape: AtomicU64,
}

impl Generations {
    pub fn salons(&self) -> u64 {
        self.salons.load(Ordering::Relaxed)
    }

    pub fn strategy(&self) -> u64 {
        self.strategy.load(Ordering::Relaxed)
    }

    pub fn rooms(&self) -> u64 {
        self.rooms.load(Ordering::Relaxed)
    }

    /// Something in a room changed (after it was stored).
    pub fn room_changed(&self) {
        self.rooms.fetch_add(1, Ordering::Relaxed);
    }

    pub fn glossary(&self) -> u64 {
        self.glossary.load(Ordering::Relaxed)
    }

    pub fn landscape(&self) -> u64 {
        self.landscape.load(Ordering::Relaxed)
    }

    pub fn landscape_changed(&self) {
        self.landscape.fetch_add(1, Ordering::Relaxed);
    }

    pub fn glossary_changed(&self) {
        self.glossary.fetch_add(1, Ordering::Relaxed);
    }

    /// A salon changed (after its transaction committed).
    pub fn salon_changed(&self) {
        self.salons.fetch_add(1, Ordering::Relaxed);
    }
}

/// Key: (language, salon change counter, ten-second bucket).
pub type FragmentKey = (&'static str, u64, i64);

/// A tiny cache of rendered HTML fragments. The std `Mutex` is held only to clone an `Arc` in
/// or out, never across an `.await`.
#[derive(Default)]
pub struct FragmentCache {
    entries: std::sync::Mutex<Vec<(FragmentKey, Option<Arc<String>>)>>,
}

impl FragmentCache {
    /// `Some(fragment)` on a hit (the fragment itself may be None: "nothing to list").
    pub fn get(&self, key: &FragmentKey) -> Option<Option<Arc<String>>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: FragmentKey, value: Option<Arc<String>>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Keep only entries of the newest generation and bucket: one per language.
        entries.retain(|(k, _)| k.1 == key.1 && k.2 == key.2 && k.0 != key.0);
        entries.push((key, value));
    }
}

/// Rendered pages by key, each valid for one generation of the data it shows (a change
/// counter and a time bucket). Holds at most [`RenderCache::MAX`] entries: keys may come from
/// the query string, so the cache is emptied rather than grown past that. The std `Mutex` is
/// held only to clone an `Arc` in or out, never across an `.await`; the tokio one makes a miss
/// render once: when a generation ends under load, one request renders and the others wait
/// for it, instead of all of them rendering the same page at once.
/// An entry: the generation it was rendered in, and the rendering.
type Rendered<V> = ((u64, i64), Arc<V>);

pub struct RenderCache<K, V> {
    entries: std::sync::Mutex<std::collections::HashMap<K, Rendered<V>>>,
    filling: tokio::sync::Mutex<()>,
}

impl<K, V> Default for RenderCache<K, V> {
    fn default() -> Self {
        RenderCache {
            entries: std::sync::Mutex::new(std::collections::HashMap::new()),
            filling: tokio::sync::Mutex::new(()),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone, V> RenderCache<K, V> {
    pub const MAX: usize = 256;

    /// The entry for `key` in `generation`, rendered by `render` if there is none yet.
    pub async fn get_or_render<E, F: Future<Output = Result<V, E>>>(
        &self,
        key: &K,
        generation: (u64, i64),
        render: impl FnOnce() -> F,
    ) -> Result<Arc<V>, E> {
        if let Some(hit) = self.get(key, generation) {
            return Ok(hit);
        }
        let _turn = self.filling.lock().await;
        if let Some(hit) = self.get(key, generation) {
            return Ok(hit); // rendered while this request waited its turn
        }
        let fresh = Arc::new(render().await?);
        self.put(key.clone(), generation, fresh.clone());
        Ok(fresh)
    }

    /// The entry for `key` rendered in `generation`, if there is one.
    pub fn get(&self, key: &K, generation: (u64, i64)) -> Option<Arc<V>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, generation: (u64, i64), value: Arc<V>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::MAX {
            entries.clear();
        }
        entries.insert(key, (generation, value));
    }
}

/// In-memory rate limits (per instance; behind several instances each keeps its own count,
/// which multiplies the allowance by the number of instances and is accepted for sign-in).
pub struct RateLimits {
    /// Sign-in requests per email address: a burst of 3, then one per 5 minutes. Beyond it the
    /// answer stays the same but no mail is sent, so the limit reveals nothing about the address.
    pub sign_in_per_address: DefaultKeyedRateLimiter<String>,
    /// Sign-in requests per client address: a burst of 10, then one per 10 seconds.
    pub sign_in_per_client: DefaultKeyedRateLimiter<IpAddr>,
    /// Room messages per person (`SALON_ROOM_RATE` per second, bursts of four times that).
    pub room_messages: DefaultKeyedRateLimiter<crate::ids::PersonId>,
    /// Clicks a member can repeat on the pages (support and withdraw a theme, cast a ballot by
    /// form, vote a question up): a burst of 30, then one a second. Far above what a person
    /// clicks; a loop of them would otherwise fill every room of a series with frames.
    pub member_clicks: DefaultKeyedRateLimiter<crate::ids::PersonId>,
    /// Things a member writes that stay (a theme proposed, a comment): a burst of 10, then one
    /// every 20 seconds, so a script cannot bury a series' themes in text.
    pub member_writings: DefaultKeyedRateLimiter<crate::ids::PersonId>,
    /// Registrations for open salons per client network (an IPv6 client's /64, an IPv4
    /// address): a burst of 10, then one every 10 seconds.
    pub registrations_per_network: DefaultKeyedRateLimiter<IpAddr>,
    /// Mail to addresses nobody has confirmed yet (registration confirmations), over the whole
    /// installation: a burst of 50, then one every 10 seconds (360 an hour). Beyond it no such
    /// mail goes, so Salon cannot be made to send strangers' text to anyone at volume.
    pub unconfirmed_mail: DefaultDirectRateLimiter,
}

fn quota(period: Duration, burst: u32) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl RateLimits {
    pub fn new(room_rate_per_second: u32) -> Self {
        let per_message = Duration::from_secs(1) / room_rate_per_second.max(1);
        RateLimits {
            sign_in_per_address: RateLimiter::keyed(quota(Duration::from_secs(300), 3)),
            sign_in_per_client: RateLimiter::keyed(quota(Duration::from_secs(10), 10)),
            room_messages: RateLimiter::keyed(quota(
                per_message,
                room_rate_per_second.saturating_mul(4).max(1),
            )),
            member_clicks: RateLimiter::keyed(quota(Duration::from_secs(1), 30)),
            member_writings: RateLimiter::keyed(quota(Duration::from_secs(20), 10)),
            registrations_per_network: RateLimiter::keyed(quota(Duration::from_secs(10), 10)),
            unconfirmed_mail: RateLimiter::direct(quota(Duration::from_secs(10), 50)),
        }
    }

    /// Forget keys whose allowance is full again (called by housekeeping; bounds memory).
    pub fn shrink(&self) {
        self.sign_in_per_address.retain_recent();
        self.sign_in_per_client.retain_recent();
        self.room_messages.retain_recent();
        self.member_clicks.retain_recent();
        self.member_writings.retain_recent();
        self.registrations_per_network.retain_recent();
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::new(5)
    }
}

pub type SharedApp = Arc<App>;

/// The process-wide Prometheus recorder. `metrics` has one global recorder, so every `App` in a
/// process (several in tests) shares it.
pub fn metrics_handle() -> anyhow::Result<PrometheusHandle> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        // The rooms' latencies are milliseconds: finer buckets there (this matcher wins over
        // the suffix one below: prefixes are matched first).
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Prefix("salon_room_".into()),
            &[
                0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05,
                0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 10.0,
            ],
        )
        .context("metrics buckets")?
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Suffix("duration_seconds".into()),
            &[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
            ],
        )
        .context("metrics buckets")?
        .install_recorder()
        .or_else(|e| HANDLE.get().cloned().ok_or(e))
        .context("could not install the metrics recorder")?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}
