//! The processes tests start beside the app: a real SMTP server (scripts/smtp_sink.py, aiosmtpd)
//! and `salon serve` itself.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use super::{DEADLINE, TestDb};

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real SMTP server process (scripts/smtp_sink.py, aiosmtpd) writing what it receives to a dir.
pub struct SmtpSink {
    pub port: u16,
    pub dir: PathBuf,
    child: tokio::process::Child,
}

impl SmtpSink {
    /// On a free port. A port found free can be taken by another test before the sink binds it,
    /// so a sink that cannot start is tried again on another port.
    pub async fn start(dir: &Path) -> SmtpSink {
        for _ in 0..4 {
            if let Some(sink) = Self::try_start_on(free_port(), dir).await {
                return sink;
            }
        }
        Self::start_on(free_port(), dir).await
    }

    /// On this port (a test that restarts the server on the same port).
    pub async fn start_on(port: u16, dir: &Path) -> SmtpSink {
        match Self::try_start_on(port, dir).await {
            Some(sink) => sink,
            None => panic!(
                "the SMTP sink did not start on port {port}; it needs Python's aiosmtpd: pip install aiosmtpd (scripts/test installs it)"
            ),
        }
    }

    async fn try_start_on(port: u16, dir: &Path) -> Option<SmtpSink> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/smtp_sink.py");
        let mut child = tokio::process::Command::new(
            std::env::var("SALON_TEST_PYTHON").unwrap_or_else(|_| "python3".into()),
        )
        .arg(&script)
        .arg("--port")
        .arg(port.to_string())
        .arg("--dir")
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("python3 to start scripts/smtp_sink.py");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(DEADLINE, lines.next_line()).await;
        match ready {
            Ok(Ok(Some(line))) if line.starts_with("ready") => Some(SmtpSink {
                port,
                dir: dir.to_path_buf(),
                child,
            }),
            other => {
                eprintln!("the SMTP sink did not start on port {port} ({other:?})");
                None
            }
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// `salon serve` as its own process on a test database (the binary a user runs), on a port of
/// its own; `extra_env` adds settings (e.g. `SALON_SMTP_URL`).
pub struct ServeProcess {
    pub base: String,
    /// Where its log (stderr) goes.
    pub log: PathBuf,
    port: u16,
    dir: std::ffi::OsString,
    args: Vec<String>,
    env: Vec<(String, String)>,
    child: tokio::process::Child,
}

impl ServeProcess {
    pub async fn start(db: &TestDb, args: &[&str], extra_env: &[(&str, &str)]) -> ServeProcess {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut all_args: Vec<String> = ["serve", "--addr", &format!("127.0.0.1:{port}")]
            .map(String::from)
            .to_vec();
        // A public address of its own (behind a proxy) comes as SALON_BASE_URL.
        if !extra_env.iter().any(|(k, _)| *k == "SALON_BASE_URL") {
            all_args.extend(["--base-url".to_string(), base.clone()]);
        }
        all_args.extend(args.iter().map(|a| a.to_string()));
        let mut env: Vec<(String, String)> = vec![
            ("DATABASE_URL".into(), db.url.clone()),
            (
                "SALON_OUTBOX_DIR".into(),
                db.outbox_dir().display().to_string(),
            ),
            ("SALON_OUTBOX_POLL_MS".into(), "50".into()),
            ("RUST_LOG".into(), "warn".into()),
        ];
        env.extend(
            extra_env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let dir = db.dir.path().as_os_str().to_owned();
        let log = db.dir.path().join(format!("serve-{port}.log"));
        let child = Self::spawn(&dir, &log, &all_args, &env).await;
        ServeProcess {
            base,
            log,
            port,
            dir,
            args: all_args,
            env,
            child,
        }
    }

    async fn spawn(
        dir: &std::ffi::OsStr,
        log: &Path,
        args: &[String],
        env: &[(String, String)],
    ) -> tokio::process::Child {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_salon"));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        command
            .args(args)
            .envs(env.iter().cloned())
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true);
        let mut child = command.spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        loop {
            match tokio::time::timeout(DEADLINE, lines.next_line()).await {
                Ok(Ok(Some(line))) if line.starts_with("Salon is running at ") => break,
                Ok(Ok(Some(_))) => continue,
                other => panic!("salon serve did not start: {other:?}"),
            }
        }
        child
    }

    /// Kill the process outright (every connection drops, as in a crash) and start it again on
    /// the same port and database.
    pub async fn crash_and_restart(&mut self) {
        let _ = self.child.kill().await;
        let started = tokio::time::Instant::now();
        // The port is free again once the old listener is gone.
        while std::net::TcpListener::bind(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < DEADLINE,
                "port {} still taken",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.child = Self::spawn(&self.dir, &self.log, &self.args, &self.env).await;
    }

    /// The address it listens on (`SALON_ADDR`).
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }

    /// What the process has logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stop it as a service manager does (SIGTERM) and wait for it to exit.
    pub async fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().expect("running");
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        tokio::time::timeout(DEADLINE, self.child.wait())
            .await
            .expect("salon serve stopped after SIGTERM")
            .unwrap()
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// The `salon` binary run once as a person runs it, on a test database: its settings from the
/// environment (everything else cleared), in the database's folder.
pub fn salon_command(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_salon"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("SALON_OUTBOX_DIR", db.outbox_dir())
        .env("RUST_LOG", "warn")
        .current_dir(db.dir.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}
