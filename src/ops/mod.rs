//! What an operator runs besides `serve`: `check` (is this configuration going to work?) and
//! `backup` / `restore` (a consistent copy of a running SQLite database, and putting it back).
//! The CLI (`main.rs`) prints what these return.

pub mod backup;
pub mod check;
