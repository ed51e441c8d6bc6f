//! Test harness: each test gets a fresh database (a SQLite file in a temp dir, or a new
//! database in the throwaway PostgreSQL cluster that scripts/test starts), the whole app on
//! port 0, a real SMTP server process where mail matters, and an HTTP client with a cookie jar.
//!
//! `both_backends!(name)` turns `async fn name(db: TestDb)` into two tests, `name::sqlite` and
//! `name::postgres`. Without `SALON_TEST_PG_URL` the PostgreSQL half fails (it never passes
//! without having run); `scripts/test sqlite` runs only the SQLite halves.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod browser;
mod db;
pub use db::TestDb;
pub mod inbound;
mod processes;
pub mod room;
mod salons;
#[allow(unused_imports)]
pub use salons::{from_now, new_salon, salon_form};

#[allow(unused_imports)] // as with dead_code: each test binary uses a different part
pub use processes::{ServeProcess, SmtpSink, free_port, salon_command};

use std::path::{Path, PathBuf};
use std::time::Duration;

use salon::app::SharedApp;
use salon::config::{Config, Settings};
use tokio_util::sync::CancellationToken;

pub const DEADLINE: Duration = Duration::from_secs(30);

#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::TestDb::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::common::TestDb::postgres().await {
                    super::$name(db).await
                }
            }
        }
    )* };
}

/// The whole app, serving on a port of its own.
pub struct TestApp {
    pub base: String,
    pub app: SharedApp,
    shutdown: CancellationToken,
    handle: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl TestApp {
    pub async fn spawn(db: &TestDb) -> TestApp {
        Self::spawn_with(db.settings()).await
    }

    pub async fn spawn_with(mut settings: Settings) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        settings.addr = addr.to_string();
        // A test may give a public URL of its own (https, to see what changes behind TLS).
        settings
            .base_url
            .get_or_insert_with(|| format!("http://{addr}"));
        let config = Config::from_settings(&settings).unwrap();
        let app = salon::build(config).await.unwrap();
        let shutdown = CancellationToken::new();
        let handle = tokio::spawn(salon::run(app.clone(), listener, shutdown.clone()));
        TestApp {
            base: format!("http://{addr}"),
            app,
            shutdown,
            handle,
        }
    }

    /// Stop like SIGTERM would, and wait until everything has stopped.
    pub async fn stop(self) {
        self.shutdown.cancel();
        self.handle.await.unwrap().unwrap();
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Wait for the retention job's first run, which starts with the app (the next is an hour
    /// later), so a test's own data is not purged under it at an unknown moment.
    pub async fn retention_ran(&self) {
        let c = self.client();
        eventually("the first retention run", || async {
            c.get_text("/metrics")
                .await
                .1
                .contains("salon_retention_deleted_total")
        })
        .await;
    }

    pub async fn load_demo(&self) {
        salon::demo::load_directory(&self.app.db).await.unwrap();
    }
}

/// A browser-like HTTP client: cookie jar, no automatic redirects (tests look at them).
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    csrf: std::sync::Mutex<Option<String>>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Client {
            base: base.to_string(),
            http,
            csrf: std::sync::Mutex::new(None),
        }
    }

    /// A client of an https address whose certificate a throwaway CA (`ca_pem`) signed, its
    /// connections made from `local` (another loopback address: another client, to a proxy).
    pub fn with_tls(base: &str, ca_pem: &[u8], local: std::net::IpAddr) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .add_root_certificate(reqwest::Certificate::from_pem(ca_pem).unwrap())
            .local_address(local)
            .build()
            .unwrap();
        Client {
            base: base.to_string(),
            http,
            csrf: std::sync::Mutex::new(None),
        }
    }

    /// A client that already holds a session cookie (the same session a websocket test
    /// client was given), so it can sign that session out through HTTP.
    pub fn with_session(base: &str, session: &str) -> Client {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let url = reqwest::Url::parse(base).unwrap();
        jar.add_cookie_str(&format!("salon_session={session}; Path=/"), &url);
        let http = reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Client {
            base: base.to_string(),
            http,
            csrf: std::sync::Mutex::new(None),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// The CSRF token of this client's cookie, read from a page's form as a browser would.
    pub async fn csrf(&self) -> String {
        if let Some(t) = self.csrf.lock().unwrap().clone() {
            return t;
        }
        let (_, body) = self.get_text("/login").await;
        let token = input_value(&body, "csrf").expect("a csrf field on the page");
        *self.csrf.lock().unwrap() = Some(token.clone());
        token
    }

    /// POST a form with this client's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.http
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Sign in as `email` the way a person does: ask for a link, read the mail, open the link,
    /// press the button. `mailbox` is where the mail lands (outbox dir or SMTP sink dir).
    pub async fn sign_in(&self, email: &str, mailbox: &Path) -> reqwest::Response {
        let before = mails_to(mailbox, email).len();
        let r = self.post_form("/login", &[("email", email)]).await;
        assert_eq!(r.status(), 200);
        let link = new_sign_in_link(mailbox, email, before).await;
        let path = link
            .strip_prefix(&self.base)
            .expect("the link points at this app")
            .to_string();
        let (status, page) = self.get_text(&path).await;
        assert_eq!(status, 200, "{page}");
        let r = self.post_form(&path, &[]).await;
        assert_eq!(r.status(), 303, "signing in redirects");
        r
    }
}

/// The `value` of the first `<input name=NAME>` in an HTML page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("input[name=\"{name}\"]")).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

/// The text of the `<main>` element, whitespace folded.
pub fn main_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("main").unwrap();
    let text: String = doc
        .select(&sel)
        .flat_map(|e| e.text())
        .collect::<Vec<_>>()
        .join(" ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A mail as it arrived: raw bytes and parsed.
pub struct Mail {
    pub raw: Vec<u8>,
    pub path: PathBuf,
}

impl Mail {
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(&self.raw).unwrap()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }

    /// The text/plain part, decoded.
    pub fn text(&self) -> String {
        fn find(p: &mailparse::ParsedMail<'_>) -> Option<String> {
            if p.ctype.mimetype == "text/plain" {
                return p.get_body().ok();
            }
            p.subparts.iter().find_map(find)
        }
        find(&self.parsed()).unwrap_or_default()
    }

    /// The text/html part.
    pub fn html(&self) -> String {
        fn find(p: &mailparse::ParsedMail<'_>) -> Option<String> {
            if p.ctype.mimetype == "text/html" {
                return p.get_body().ok();
            }
            p.subparts.iter().find_map(find)
        }
        find(&self.parsed()).unwrap_or_default()
    }
}

/// All mails in `dir` addressed to `email` (by the To header), oldest first.
pub fn mails_to(dir: &Path, email: &str) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| Mail {
            raw: std::fs::read(&path).unwrap(),
            path,
        })
        .filter(|m| {
            m.header("To")
                .is_some_and(|to| to.to_lowercase().contains(&email.to_lowercase()))
        })
        .collect()
}

pub fn all_mails(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .count()
        })
        .unwrap_or(0)
}

pub async fn wait_for_mails_to(dir: &Path, email: &str, n: usize) -> Vec<Mail> {
    let started = tokio::time::Instant::now();
    loop {
        let mails = mails_to(dir, email);
        if mails.len() >= n {
            return mails;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "expected {n} mail(s) to {email} in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Wait until `check` holds (state that changes in the background, e.g. the outbox).
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = tokio::time::Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < DEADLINE,
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many rounds the background loop `task` has run (`salon_background_rounds_total`).
pub async fn rounds_of(client: &Client, task: &str) -> u64 {
    let metrics = client.get_text("/metrics").await.1;
    let prefix = format!("salon_background_rounds_total{{task=\"{task}\"}} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .map_or(0, |n| n.trim().parse::<f64>().unwrap_or(0.0) as u64)
}

/// Wait until the background loop `task` has run `more` rounds from now: whatever it would
/// have done by then, it has done (a test asserts absence only after such an event).
pub async fn rounds_pass(client: &Client, task: &str, more: u64) {
    let start = rounds_of(client, task).await;
    eventually(&format!("{more} more {task} rounds"), || async {
        rounds_of(client, task).await >= start + more
    })
    .await;
}

/// Ask for a sign-in link for `email` and wait for it in `mailbox`: a mail queued after
/// everything before it, so once it is there, any earlier mail to that address would be too.
pub async fn mail_marker(client: &Client, mailbox: &Path, email: &str) {
    let before = mails_to(mailbox, email).len();
    assert_eq!(
        client
            .post_form("/login", &[("email", email)])
            .await
            .status(),
        200
    );
    wait_for_mails_to(mailbox, email, before + 1).await;
}

/// The sign-in link in the first sign-in mail to `email` after the first `before` mails (other
/// mail may arrive meanwhile: a confirmation of an answer given just before, say).
pub async fn new_sign_in_link(mailbox: &Path, email: &str, before: usize) -> String {
    wait_for_mails_to(mailbox, email, before + 1).await;
    for _ in 0..600 {
        let mails = mails_to(mailbox, email);
        if let Some(m) = mails
            .iter()
            .skip(before)
            .find(|m| m.text().contains("/login/"))
        {
            return sign_in_link(m);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no sign-in mail to {email}");
}

/// The sign-in URL in a sign-in mail.
pub fn sign_in_link(mail: &Mail) -> String {
    let text = mail.text();
    let start = text.find("http").expect("a link in the mail");
    text[start..].split_whitespace().next().unwrap().to_string()
}

impl TestApp {
    /// A client signed in as `email` (who must exist), by a one-time link as `salon admin
    /// login-link` makes, used through HTTP like any link. For tests that are not about mail.
    pub async fn signed_in(&self, email: &str) -> Client {
        let db = &self.app.db;
        let person =
            salon::store::people::by_email(db, &salon::domain::Email::parse(email).unwrap())
                .await
                .unwrap()
                .expect("person exists");
        let mut tx = db.begin().await.unwrap();
        let secret = salon::store::login_tokens::create(&mut tx, person.id, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let c = self.client();
        let r = c.post_form(&format!("/login/{secret}"), &[]).await;
        assert_eq!(r.status(), 303, "sign-in by link");
        c
    }

    /// Create a person directly (test set-up), returning the id.
    pub async fn add_person(
        &self,
        email: &str,
        name: &str,
        role: salon::domain::Role,
    ) -> salon::ids::PersonId {
        let mut tx = self.app.db.begin().await.unwrap();
        let id = salon::store::people::create(
            &mut tx,
            &salon::store::people::NewPerson {
                email: &salon::domain::Email::parse(email).unwrap(),
                name,
                title: None,
                role,
                locale: salon::i18n::Locale::Da,
                organisation_id: None,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    }
}

/// The path a 303 points to.
pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

impl TestApp {
    /// A session cookie value for `email` (test set-up for websocket clients).
    pub async fn session_for(&self, email: &str) -> String {
        let db = &self.app.db;
        let person =
            salon::store::people::by_email(db, &salon::domain::Email::parse(email).unwrap())
                .await
                .unwrap()
                .expect("person exists");
        let mut tx = db.begin().await.unwrap();
        let secret = salon::store::sessions::create(
            &mut tx,
            person.id,
            self.app.config.privacy.retention.sessions(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        secret
    }
}
