//! Salon behind Debian's Caddy with the shipped `deploy/caddy/Caddyfile` (its site address and
//! upstreams put on test ports, a throwaway certificate in place of the one Caddy would fetch),
//! in front of two instances on one PostgreSQL database: the same journey as behind nginx
//! (`proxy.rs`): over https a leader answers and two talk in the room over wss, and sign-ins are
//! limited by the address Caddy saw.

use crate::common;
use crate::proxy::{
    certificates, leaders_talk_over_wss, limits_count_by_the_address_the_proxy_saw,
    running_salon_through, two_instances,
};

use std::path::Path;
use std::process::Command;

use common::browser;
use common::*;

/// Caddy with the shipped site on `https`, in front of `upstreams`. Global options keep it to
/// itself: no admin endpoint, no redirect listener on port 80, its storage in `dir`.
fn caddy(dir: &Path, https: u16, cert: &str, key: &str, upstreams: &[u16]) -> std::process::Child {
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/deploy/caddy/Caddyfile"
    ))
    .unwrap();
    let to: Vec<String> = upstreams.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    assert!(
        shipped.contains("salon.example.org {")
            && shipped.contains("reverse_proxy 127.0.0.1:3000 {")
    );
    let site = shipped
        .replace(
            "salon.example.org {",
            &format!("https://127.0.0.1:{https} {{\n\ttls {cert} {key}"),
        )
        .replace(
            "reverse_proxy 127.0.0.1:3000 {",
            &format!("reverse_proxy {} {{", to.join(" ")),
        );
    let config = format!(
        "{{\n\tadmin off\n\tauto_https disable_redirects\n\thttp_port {}\n\tstorage file_system {}\n}}\n\n{site}",
        free_port(),
        dir.join("caddy-data").display()
    );
    let file = dir.join("Caddyfile");
    std::fs::write(&file, config).unwrap();
    Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(&file)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("caddy.log")).unwrap())
        .spawn()
        .expect("caddy starts")
}

/// Two instances need PostgreSQL: this runs on it alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn salon_works_behind_caddy_over_https_and_wss_with_two_instances() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(dir.path());
    let https = free_port();
    let public = format!("https://127.0.0.1:{https}");
    let mail_dir = db.dir.path().join("mail");
    std::fs::create_dir_all(&mail_dir).unwrap();
    let smtp = SmtpSink::start(&mail_dir).await;
    let (first, second, ports) = two_instances(&db, &public, &smtp, &[]).await;
    let mut proxy = caddy(dir.path(), https, &cert, &key, &ports);

    let salon = running_salon_through(&public, &ca, &db, &mail_dir, "Salon bag Caddy").await;
    leaders_talk_over_wss(&public, &mail_dir, salon, "behind-caddy").await;
    limits_count_by_the_address_the_proxy_saw(&public, &ca).await;

    let _ = proxy.kill();
    let _ = proxy.wait();
    first.stop().await;
    second.stop().await;
    smtp.stop().await;
}
