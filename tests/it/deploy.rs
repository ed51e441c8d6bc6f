//! Installing Salon as an IT department would, with the real tools: the Debian package built,
//! installed with dpkg, run as its own user with its settings file, upgraded, removed and
//! purged; the systemd unit verified; the nginx and Caddy configurations read by nginx and
//! Caddy; the Prometheus rules checked and unit-tested by promtool.
//!
//! The package test installs into this machine (it needs root): `scripts/test` runs it where
//! it is root, and under CI=true not being able to is a failure, not a skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{DEADLINE, free_port};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e} (scripts/test installs it)"))
}

fn ok(o: &Output, what: &str) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{what} failed:\n{text}");
    text
}

/// Whether this machine lets the package be installed (root); under CI it must.
fn may_install() -> bool {
    // The effective user, as `id -u` prints it.
    let root = run("id", &["-u"]).stdout == b"0\n";
    if !root && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("the package test installs with dpkg and needs root, which CI has");
    }
    root
}

#[test]
fn prometheus_rules_pass_promtool_and_fire_on_what_they_are_about() {
    let dir = Path::new(ROOT).join("deploy/prometheus");
    let checked = ok(
        &run(
            "promtool",
            &[
                "check",
                "rules",
                dir.join("salon-rules.yml").to_str().unwrap(),
            ],
        ),
        "promtool check rules",
    );
    assert!(checked.contains("SUCCESS: 7 rules found"), "{checked}");
    let tested = ok(
        &run(
            "promtool",
            &[
                "test",
                "rules",
                dir.join("salon-rules.test.yml").to_str().unwrap(),
            ],
        ),
        "promtool test rules",
    );
    assert!(tested.contains("SUCCESS"), "{tested}");
}

#[test]
fn the_caddy_and_nginx_configurations_are_valid() {
    let caddy = ok(
        &run(
            "caddy",
            &[
                "adapt",
                "--config",
                &format!("{ROOT}/deploy/caddy/Caddyfile"),
                "--adapter",
                "caddyfile",
            ],
        ),
        "caddy adapt",
    );
    // The proxy's own view of the client replaces whatever the client sent.
    assert!(caddy.contains("X-Forwarded-For"), "{caddy}");
    assert!(caddy.contains("/healthz"), "{caddy}");

    // nginx reads the shipped file as its site, with a throwaway certificate in place of the
    // real one's paths.
    let dir = tempfile::tempdir().unwrap();
    let (_, cert, key) = crate::proxy::certificates(dir.path());
    let site = std::fs::read_to_string(format!("{ROOT}/deploy/nginx/salon.conf"))
        .unwrap()
        .replace("/etc/ssl/salon/fullchain.pem", &cert)
        .replace("/etc/ssl/salon/privkey.pem", &key);
    let conf = nginx_conf(dir.path(), &site);
    let tested = ok(
        &run("nginx", &["-t", "-c", conf.to_str().unwrap()]),
        "nginx -t",
    );
    assert!(tested.contains("test is successful"), "{tested}");
}

/// A whole nginx.conf of its own around `site` (the shipped server blocks), everything under
/// `dir`, no root needed, no daemon.
pub fn nginx_conf(dir: &Path, site: &str) -> PathBuf {
    let d = dir.display();
    let conf = dir.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n\
             access_log {d}/access.log;\nclient_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n{site}\n}}\n"
        ),
    )
    .unwrap();
    conf
}

/// The settings file as systemd's EnvironmentFile reads it: KEY=VALUE lines, comments skipped.
fn env_file(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn installed() -> bool {
    run("dpkg-query", &["-W", "-f=${Status}", "salon"]).stdout == b"install ok installed"
}

#[test]
fn the_debian_package_installs_runs_as_its_user_upgrades_removes_and_purges() {
    if !may_install() {
        return;
    }
    // A package left by an earlier run goes first.
    let _ = run("dpkg", &["--purge", "salon"]);
    let out = tempfile::tempdir().unwrap();
    let package = run(
        &format!("{ROOT}/scripts/package-deb"),
        &[
            "--binary",
            env!("CARGO_BIN_EXE_salon"),
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    ok(&package, "scripts/package-deb");
    // The script prints the package's path alone on stdout.
    let deb = String::from_utf8_lossy(&package.stdout).trim().to_string();
    assert!(deb.ends_with(".deb"), "{deb}");
    ok(&run("dpkg", &["-i", &deb]), "dpkg -i");
    assert!(installed());

    // Its own user, its settings readable by that user only, a secret made at installation.
    let user = ok(&run("getent", &["passwd", "salon"]), "getent passwd salon");
    assert!(user.contains("/var/lib/salon"), "{user}");
    let env_path = Path::new("/etc/salon/salon.env");
    let stat = ok(
        &run(
            "stat",
            &["-c", "%a %U:%G", "/etc/salon/salon.env", "/var/lib/salon"],
        ),
        "stat",
    );
    assert_eq!(stat, "640 root:salon\n750 salon:salon\n");
    let settings = env_file(env_path);
    let secret = settings
        .iter()
        .find(|(k, _)| k == "SALON_INBOUND_SECRET")
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(
        secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()),
        "the inbound secret was generated: {secret:?}"
    );
    // The unit is one systemd accepts, for the installed binary.
    ok(
        &run(
            "systemd-analyze",
            &["verify", "/lib/systemd/system/salon.service"],
        ),
        "systemd-analyze verify",
    );

    // Run as the service runs: the salon user, the settings file, the state directory.
    let port = free_port();
    let mut serve = Command::new("runuser");
    serve
        .args(["-u", "salon", "--", "/usr/bin/salon", "serve"])
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .current_dir("/var/lib/salon");
    for (k, v) in &settings {
        serve.env(k, v);
    }
    serve.env("SALON_ADDR", format!("127.0.0.1:{port}"));
    let log = out.path().join("serve.log");
    let mut child = serve
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let health = loop {
        if let Ok(body) = http_get(port, "/healthz") {
            break body;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "the installed Salon answers: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(health.ends_with("ok"), "{health}");
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();
    let owner = ok(
        &run("stat", &["-c", "%U", "/var/lib/salon/salon.db"]),
        "stat salon.db",
    );
    assert_eq!(
        owner, "salon\n",
        "the database belongs to the service's user"
    );

    // An upgrade keeps the operator's settings and the data.
    let mut edited = std::fs::read_to_string(env_path).unwrap();
    edited.push_str("# changed by the operator\n");
    std::fs::write(env_path, &edited).unwrap();
    ok(&run("dpkg", &["-i", &deb]), "dpkg -i (upgrade)");
    let after = std::fs::read_to_string(env_path).unwrap();
    assert!(after.contains("# changed by the operator"), "{after}");
    assert!(after.contains(&secret), "the secret is kept");
    assert!(Path::new("/var/lib/salon/salon.db").exists());

    // Removing keeps settings and data; purging removes them.
    ok(&run("dpkg", &["-r", "salon"]), "dpkg -r");
    assert!(!Path::new("/usr/bin/salon").exists());
    assert!(
        Path::new("/var/lib/salon/salon.db").exists(),
        "data kept on remove"
    );
    assert!(env_path.exists(), "settings kept on remove");
    ok(&run("dpkg", &["-P", "salon"]), "dpkg -P");
    assert!(!Path::new("/var/lib/salon").exists(), "data gone on purge");
    assert!(!Path::new("/etc/salon").exists(), "settings gone on purge");
    assert!(!installed());
}

/// A plain HTTP/1.0 GET on loopback; the body.
fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")?;
    let mut text = String::new();
    s.read_to_string(&mut text)?;
    Ok(text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default())
}

/// `Type=notify`: under systemd, `serve` says READY=1 once it listens and has migrated, and
/// STOPPING=1 when a stop begins. systemd's socket is stood in for by one of the test's own.
#[tokio::test]
async fn serve_tells_systemd_when_it_is_ready_and_when_it_stops() {
    use std::os::unix::net::UnixDatagram;
    let db = crate::common::TestDb::sqlite().await;
    let path = db.dir.path().join("notify.sock");
    let systemd = UnixDatagram::bind(&path).unwrap();
    systemd.set_read_timeout(Some(DEADLINE)).unwrap();
    let server =
        crate::common::ServeProcess::start(&db, &[], &[("NOTIFY_SOCKET", path.to_str().unwrap())])
            .await;
    let mut buf = [0u8; 512];
    let n = systemd.recv(&mut buf).expect("a notification");
    let ready = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(ready.contains("READY=1"), "{ready}");
    let status = server.terminate().await;
    assert!(status.success(), "a graceful stop: {status}");
    let n = systemd.recv(&mut buf).expect("a second notification");
    let stopping = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(stopping.contains("STOPPING=1"), "{stopping}");
}
