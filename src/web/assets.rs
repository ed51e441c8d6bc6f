//! Static assets, compiled into the binary so `salon` runs from any directory. URLs carry a
//! content hash, so browsers may cache them for a year and still see every change.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/style.css"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../static/icon.svg"),
    },
    Asset {
        name: "room.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/room.js"),
    },
];

fn versioned(name: &str) -> String {
    let bytes = ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.bytes)
        .unwrap_or_default();
    let hash = hex::encode(&Sha256::digest(bytes)[..6]);
    format!("/static/{name}?v={hash}")
}

pub static STYLE_URL: LazyLock<String> = LazyLock::new(|| versioned("style.css"));
pub static ICON_URL: LazyLock<String> = LazyLock::new(|| versioned("icon.svg"));
pub static ROOM_JS_URL: LazyLock<String> = LazyLock::new(|| versioned("room.js"));

pub async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            asset.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
