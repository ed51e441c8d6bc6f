//! The crate's shape, checked on every run: the folders of `src/` import each other without a
//! circle (so each can be read, and changed, from the ones below it up), the live rooms hold no
//! HTTP types (their doors are in `web/`), `mail/` reads and writes mail without driving the use
//! cases, and no source file outside `src/bin` grows past 400 lines. It reads the source as
//! text: `crate::NAME` paths outside comments are the imports between top-level modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file under `src/` but the binaries, as (path relative to `src/`, code without
/// comments).
fn code() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).unwrap();
            let code: Vec<&str> = text
                .lines()
                .map(|l| match l.find("//") {
                    Some(i) if !l[..i].contains('"') => &l[..i],
                    _ => l,
                })
                .collect();
            (rel, code.join("\n"))
        })
        .filter(|(rel, _)| !rel.starts_with("bin/") && rel != "main.rs" && rel != "lib.rs")
        .collect()
}

/// The top-level module a file belongs to (`rooms/hub.rs` -> `rooms`, `app.rs` -> `app`).
fn top(rel: &str) -> String {
    rel.split('/')
        .next()
        .unwrap()
        .trim_end_matches(".rs")
        .to_string()
}

/// The top-level modules a file's code names through `crate::`.
fn named(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if rest.starts_with('{') {
            // `use crate::{a::x, b}`: every first segment in the braces.
            let end = rest.find('}').unwrap_or(rest.len());
            for part in rest[1..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn no_folder_imports_one_that_imports_it_back() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, code) in code() {
        let from = top(&rel);
        for to in named(&code) {
            if to != from {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    // A circle exists when a module reaches itself.
    let mut circles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&String> = graph[start].iter().collect();
        while let Some(m) = todo.pop() {
            if m == start {
                circles.push(start.clone());
                break;
            }
            if seen.insert(m.clone()) {
                todo.extend(graph.get(m).into_iter().flatten());
            }
        }
    }
    assert!(
        circles.is_empty(),
        "these modules import themselves through others: {circles:?}\n{graph:#?}"
    );
}

#[test]
fn the_rooms_hold_no_http_types_and_mail_drives_no_use_case() {
    for (rel, code) in code() {
        if rel.starts_with("rooms/") {
            for http in ["axum::", "hyper::", "http::", "AppError"] {
                assert!(
                    !code.contains(http),
                    "{rel} names {http}: doors belong in web/"
                );
            }
        }
        if rel.starts_with("mail/") {
            for above in ["crate::usecases", "crate::app"] {
                assert!(
                    !code.contains(above),
                    "{rel} names {above}: mail/ only reads and writes mail"
                );
            }
        }
    }
}

#[test]
fn no_source_file_is_longer_than_400_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter(|p| !p.starts_with(src.join("bin")))
        .filter_map(|p| {
            let lines = std::fs::read_to_string(p).unwrap().lines().count();
            (lines > 400).then(|| format!("{} ({lines})", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files: {long:?}");
}
