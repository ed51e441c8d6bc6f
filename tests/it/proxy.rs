//! Salon behind Debian's nginx with the shipped configuration (`deploy/nginx/salon.conf`) and a
//! throwaway certificate, in front of two instances on one PostgreSQL database: over https two
//! leaders sign in, one answers, and they talk in the room over wss through nginx (each message
//! reaching the other live, whichever instance each socket landed on); the address Salon
//! rate-limits sign-ins by is the one nginx saw; and a request that forges `X-Forwarded-For`
//! straight to Salon is not believed.

use crate::common;

use std::net::IpAddr;
use std::path::Path;
use std::process::Command;

use common::browser::{self, Browser, Setup, bodies, sign_in};
use common::*;

const ORGANISER: &str = salon::demo::ORGANISER_EMAIL;
const LARS: &str = "lars.brandt@kb.example";
const JENS: &str = "jens.riis@kombit.example";

fn openssl(args: &[&str]) {
    let o = Command::new("openssl").args(args).output().unwrap();
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A throwaway CA and a certificate for 127.0.0.1 that it signed: (CA, certificate, key).
pub fn certificates(dir: &Path) -> (Vec<u8>, String, String) {
    let p = |name: &str| dir.join(name).display().to_string();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=Salon test CA",
        "-keyout",
        &p("ca.key"),
        "-out",
        &p("ca.pem"),
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        &p("key.pem"),
        "-out",
        &p("req.pem"),
    ]);
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        &p("req.pem"),
        "-CA",
        &p("ca.pem"),
        "-CAkey",
        &p("ca.key"),
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        &p("ext.cnf"),
        "-out",
        &p("cert.pem"),
    ]);
    (
        std::fs::read(dir.join("ca.pem")).unwrap(),
        p("cert.pem"),
        p("key.pem"),
    )
}

/// nginx with the shipped site, on ports of its own, in front of `upstreams`.
fn nginx(
    dir: &Path,
    http: u16,
    https: u16,
    cert: &str,
    key: &str,
    upstreams: &[u16],
) -> std::process::Child {
    let servers: String = upstreams
        .iter()
        .map(|p| format!("    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n"))
        .collect();
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/deploy/nginx/salon.conf"
    ))
    .unwrap();
    let mut site = String::new();
    for line in shipped.lines() {
        let t = line.trim();
        if t.starts_with("server 127.0.0.1:")
            || t.starts_with("# server 127.0.0.1:")
            || t.starts_with("listen [::]")
        {
            continue;
        }
        let line = match t {
            "listen 80;" => format!("    listen 127.0.0.1:{http};"),
            "listen 443 ssl http2;" => format!("    listen 127.0.0.1:{https} ssl http2;"),
            "upstream salon {" => format!("upstream salon {{\n{servers}"),
            _ => line
                .replace("/etc/ssl/salon/fullchain.pem", cert)
                .replace("/etc/ssl/salon/privkey.pem", key),
        };
        site.push_str(&line);
        site.push('\n');
    }
    let conf = crate::deploy::nginx_conf(dir, &site);
    Command::new("nginx")
        .args(["-c", conf.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("nginx starts")
}

/// Two instances on one PostgreSQL database behind a proxy at `public` (the first loads the
/// demo), trusting only the proxy on 127.0.0.1: the instances and their ports.
pub async fn two_instances(
    db: &TestDb,
    public: &str,
    smtp: &SmtpSink,
    more_env: &[(&str, &str)],
) -> (ServeProcess, ServeProcess, Vec<u16>) {
    let smtp_url = smtp.url();
    let mut env = vec![
        ("SALON_SMTP_URL", smtp_url.as_str()),
        ("SALON_BASE_URL", public),
        ("SALON_TRUST_PROXY", "127.0.0.1"),
    ];
    env.extend_from_slice(more_env);
    let first = ServeProcess::start(db, &["--demo"], &env).await;
    let second = ServeProcess::start(db, &[], &env).await;
    let ports = [&first, &second]
        .iter()
        .map(|s| s.addr().rsplit(':').next().unwrap().parse().unwrap())
        .collect();
    (first, second, ports)
}

/// Two instances need PostgreSQL: this runs on it alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn salon_works_behind_nginx_over_https_and_wss_with_two_instances() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates(dir.path());
    let (http, https) = (free_port(), free_port());
    let public = format!("https://127.0.0.1:{https}");
    let mail_dir = db.dir.path().join("mail");
    std::fs::create_dir_all(&mail_dir).unwrap();
    let smtp = SmtpSink::start(&mail_dir).await;
    // The request log, with each request's client address.
    let (first, second, ports) = two_instances(
        &db,
        &public,
        &smtp,
        &[("RUST_LOG", "warn,tower_http=info,salon::web=info")],
    )
    .await;
    let mut proxy = nginx(dir.path(), http, https, &cert, &key, &ports);

    let salon = running_salon_through(&public, &ca, &db, &mail_dir, "Salon bag nginx").await;
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("http://127.0.0.1:{http}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 301, "plain http is sent to https");
    leaders_talk_over_wss(&public, &mail_dir, salon, "behind-nginx").await;
    limits_count_by_the_address_the_proxy_saw(&public, &ca).await;
    // Straight to an instance, claiming to be 127.0.0.5: not believed, its own address counts.
    for port in &ports {
        let forger = reqwest::Client::builder()
            .local_address("127.0.0.7".parse::<IpAddr>().unwrap())
            .build()
            .unwrap();
        let page = forger
            .get(format!("http://127.0.0.1:{port}/login"))
            .send()
            .await
            .unwrap();
        let cookie = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("salon_csrf="))
            .map(|v| v.split(';').next().unwrap().to_string())
            .expect("a CSRF cookie");
        let token = input_value(&page.text().await.unwrap(), "csrf").unwrap();
        let r = forger
            .post(format!("http://127.0.0.1:{port}/login"))
            .header("cookie", cookie)
            .header("x-forwarded-for", "127.0.0.5")
            .form(&[("email", "nobody@example.org"), ("csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            200,
            "the forged header did not make it 127.0.0.5 (port {port})"
        );
    }

    // The request log names the same addresses: 127.0.0.5's refusals, and the forger by its
    // own address.
    let log = format!("{}{}", first.log_text(), second.log_text());
    assert!(
        !log.contains('\u{1b}'),
        "plain text for the journal, no colour codes"
    );
    let lines = |client: &str| -> Vec<String> {
        log.lines()
            .filter(|l| l.contains(&format!("client={client}}}")) && l.contains("route=\"/login\""))
            .map(str::to_string)
            .collect()
    };
    assert!(
        lines("127.0.0.5").iter().any(|l| l.contains("status=429")),
        "the limited client's refusals are logged by its address:\n{}",
        log.lines().rev().take(20).collect::<Vec<_>>().join("\n")
    );
    assert!(
        !lines("127.0.0.7").is_empty(),
        "the forger is logged as itself"
    );
    let _ = proxy.kill();
    let _ = proxy.wait();
    first.stop().await;
    second.stop().await;
    smtp.stop().await;
}

/// The organiser, through the proxy over https, makes a running salon and records Jens's yes;
/// Salon's own HSTS header comes through. The salon's id.
pub async fn running_salon_through(
    public: &str,
    ca: &[u8],
    db: &TestDb,
    mail_dir: &Path,
    title: &str,
) -> i64 {
    let org = Client::with_tls(public, ca, "127.0.0.1".parse().unwrap());
    let started = tokio::time::Instant::now();
    while org.http.get(org.url("/healthz")).send().await.is_err() {
        assert!(started.elapsed() < DEADLINE, "the proxy answers over https");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    org.sign_in(ORGANISER, mail_dir).await;
    let (starts, ends) = from_now(-10);
    let salon = new_salon(
        &org,
        &[("title", title), ("starts_at", &starts), ("ends_at", &ends)],
        true,
    )
    .await;
    let jens_id = db
        .count(&format!("select id from person where email = '{JENS}'"))
        .await;
    let r = org
        .post_form(
            &format!("/salons/{salon}/participants/{jens_id}/answer"),
            &[("response", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = org
        .http
        .get(org.url(&format!("/salons/{salon}")))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers().get("strict-transport-security").is_some(),
        "HSTS from Salon (https base URL)"
    );
    salon
}

/// Two leaders in Chromium over https: Lars answers on the salon page, both enter the room,
/// and each one's message reaches the other live over wss.
pub async fn leaders_talk_over_wss(public: &str, mail_dir: &Path, salon: i64, shots: &str) {
    let shots = browser::screenshot_dir(shots);
    let tls = Setup {
        any_certificate: true,
        ..Setup::default()
    };
    let lars = Browser::start("lars", public, &shots, tls).await;
    let jens = Browser::start("jens", public, &shots, tls).await;
    sign_in(&lars, LARS, mail_dir).await;
    sign_in(&jens, JENS, mail_dir).await;
    lars.goto(&format!("/salons/{salon}")).await;
    lars.click("#response-yes").await;
    lars.click("form[action$='/rsvp'] button[type=submit]")
        .await;
    lars.find("[data-standing='yes']").await;
    for b in [&lars, &jens] {
        b.goto(&format!("/salons/{salon}/room")).await;
        b.wait_until("the room is connected over wss", || async {
            b.find("#connection").await.text().await.unwrap_or_default() != ""
        })
        .await;
    }
    for (from, to, text) in [
        (&lars, &jens, "Hej fra Lars over wss"),
        (&jens, &lars, "Og hej fra Jens"),
    ] {
        from.fill("#body", text).await;
        from.click("#post button[type=submit]").await;
        to.wait_until("the message arrives live through the proxy", || async {
            bodies(to).await.iter().any(|b| b == text)
        })
        .await;
    }
    lars.screenshot("room-over-wss").await;

    for b in [lars, jens] {
        b.close().await;
    }
}

/// Sign-in requests are limited per client address: the one the proxy saw.
pub async fn limits_count_by_the_address_the_proxy_saw(public: &str, ca: &[u8]) {
    let limited: IpAddr = "127.0.0.5".parse().unwrap();
    let greedy = Client::with_tls(public, ca, limited);
    let mut refused = 0;
    for i in 0..40 {
        let r = greedy
            .post_form("/login", &[("email", &format!("nobody{i}@example.org"))])
            .await;
        if r.status() == 429 {
            refused += 1;
        }
    }
    assert!(refused > 0, "127.0.0.5 met the limit");
    let other = Client::with_tls(public, ca, "127.0.0.6".parse().unwrap());
    let r = other
        .post_form("/login", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(r.status(), 200, "another client, another allowance");
}
