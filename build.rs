//! Rebuild when a translation file changes: rust-i18n reads `locales/` at compile time, and
//! a proc macro cannot tell cargo which files it read.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
