//! HTTP: the router, the page context and CSRF middleware, extractors, and one module per area
//! (handlers with their maud views).

pub mod admin;
pub mod api;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod board;
pub mod checkin;
pub mod context;
pub mod cookies;
pub mod csrf;
pub mod extract;
pub mod feeds;
pub mod form;
pub mod health;
pub mod home;
pub mod import;
pub mod inbound;
pub mod invite;
pub mod lang;
pub mod login;
pub mod markdown;
pub mod me;
pub mod metrics;
pub mod my_data;
pub mod organise;
pub mod outcomes;
pub mod pager;
pub mod participants;
pub mod participation;
pub mod polls;
pub mod proposals;
pub mod room;
pub mod rounds;
pub mod router;
pub mod rsvp;
pub mod rsvp_link;
pub mod salon_page;
pub mod security;
pub mod statements;
pub mod summary;
pub mod themes;
pub mod transcript;
pub mod views;

pub use router::router;
