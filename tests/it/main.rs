//! Salon's integration tests, in one test binary (each binary links the whole crate: one
//! links once). Each module is one area of the product, tested through its public surface
//! (HTTP, websocket, CLI, the mail that arrives) on both databases; `common` is the harness.
//! `scripts/test NAME` runs the tests whose path contains NAME (e.g. `scripts/test rooms::`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

mod attendance;
mod audit;
mod browser;
mod browser_checkin;
mod browser_groups;
mod browser_inbound;
mod browser_landscape;
mod browser_latecomer;
mod browser_live;
mod browser_materials;
mod browser_privacy;
mod browser_proposals;
mod browser_search;
mod browser_strategy;
mod browser_time_polls;
mod calendar;
mod cli;
mod concerns;
mod deploy;
mod exports;
mod faults;
mod glossary;
mod groups;
mod imap;
mod inbound;
mod landscape;
mod languages;
mod layers;
mod materials;
mod operations;
mod outbox;
mod outcomes;
mod outside_input;
mod polls;
mod privacy;
mod proposals;
mod proposals_room;
mod proxy;
mod proxy_caddy;
mod retention;
mod room_rights;
mod room_stall;
mod room_strategy;
mod rooms;
mod rounds;
mod salons;
mod search;
mod security;
mod signin;
mod themes;
mod time_polls;
mod upgrade;
