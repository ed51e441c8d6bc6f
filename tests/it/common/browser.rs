//! Real browsers for the end-to-end tests: Debian's headless Chromium, each driven through its
//! own chromedriver (WebDriver) with the `fantoccini` client, and the axe-core audit injected
//! into the page under test.
//!
//! Without chromium and chromedriver the browser tests fail (they never pass without having
//! run); `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use super::{DEADLINE, ServeProcess, SmtpSink, TestDb, free_port, mails_to, new_sign_in_link};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How a browser is set up: its language (Accept-Language) and whether JavaScript runs.
#[derive(Clone, Copy)]
pub struct Setup {
    pub lang: &'static str,
    pub javascript: bool,
    /// Accept the throwaway certificate of a test's TLS proxy.
    pub any_certificate: bool,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            lang: "da",
            javascript: true,
            any_certificate: false,
        }
    }
}

/// Whether the browser tests can run here; panics under CI=true when they cannot.
pub fn available() -> bool {
    let here =
        Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() && axe_path().exists();
    if !here {
        let what = format!(
            "the browser tests need {CHROMIUM}, {CHROMEDRIVER} (apt-get install chromium chromium-driver) and axe-core \
             ({}: npm ci --prefix tests/browser); scripts/test installs axe-core",
            axe_path().display()
        );
        // Failing, not passing quietly: a green run must mean the browsers ran.
        panic!("{what}");
    }
    here
}

/// axe-core's source as a script to inject, read from disk once per test binary.
fn axe_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        format!(
            "{}\nreturn true;",
            std::fs::read_to_string(axe_path()).unwrap()
        )
    })
}

fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js")
}

/// Where screenshots go: `target/browser/<test>/`.
pub fn screenshot_dir(test: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("browser").join(test);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One person's browser: a chromedriver process, its Chromium, and the WebDriver session.
pub struct Browser {
    pub client: Client,
    pub name: String,
    base: String,
    shots: PathBuf,
    driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start(name: &str, base: &str, shots: &Path, setup: Setup) -> Browser {
        let port = free_port();
        let driver = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut prefs = json!({ "intl.accept_languages": setup.lang });
        if !setup.javascript {
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        // As the machine's notes say: no sandbox as root, and no background networking (the
        // machine has no internet; Chromium would keep trying).
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", format!("--lang={}", setup.lang),
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": prefs,
        });
        if setup.any_certificate
            && let Some(args) = options["args"].as_array_mut()
        {
            args.push(json!("--ignore-certificate-errors"));
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let started = tokio::time::Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if started.elapsed() < DEADLINE => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("no WebDriver session for {name}: {e}"),
            }
        };
        Browser {
            client,
            name: name.into(),
            base: base.into(),
            shots: shots.into(),
            driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, path: &str) {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("{} opens {url}: {e}", self.name));
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        format!(
            "{}{}",
            url.path(),
            url.query().map(|q| format!("?{q}")).unwrap_or_default()
        )
    }

    /// Type into a field, as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("{} types into {css}: {e}", self.name));
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("{} clicks {css}: {e}", self.name));
    }

    /// Click what an XPath finds, again if the page changed under it (a live update can replace
    /// the element between finding and clicking it, or briefly cover it).
    pub async fn click_xpath(&self, xpath: &str) {
        let mut last = String::new();
        for _ in 0..50 {
            match self.client.find(Locator::XPath(xpath)).await {
                Ok(e) => match e.click().await {
                    Ok(()) => return,
                    Err(err) => last = err.to_string(),
                },
                Err(err) => last = err.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        self.screenshot("click-failed").await;
        panic!("{} clicks {xpath}: {last}", self.name)
    }

    /// Choose an option of a select by its value.
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{} selects {value} in {css}: {e}", self.name));
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(DEADLINE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => {
                self.screenshot("not-found").await;
                panic!(
                    "{} finds {css} on {}: {e}",
                    self.name,
                    self.path_or_blank().await
                )
            }
        }
    }

    async fn path_or_blank(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// The visible text of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for e in self.client.find_all(Locator::Css(css)).await.unwrap() {
            out.push(e.text().await.unwrap_or_default());
        }
        out
    }

    /// The main content's text; read again if the page was replaced while reading it (a form
    /// post that navigates leaves the old element stale).
    pub async fn main_text(&self) -> String {
        for _ in 0..50 {
            if let Ok(text) = self.find("main").await.text().await {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{}: the page's main content could not be read", self.name)
    }

    /// Wait until the page (re-read every 100 ms, without reloading) satisfies `check`.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = tokio::time::Instant::now();
        while !check().await {
            if started.elapsed() > DEADLINE {
                self.screenshot("timed-out").await;
                panic!(
                    "{}: timed out waiting for {what} on {}",
                    self.name,
                    self.path_or_blank().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How far the page scrolls sideways, in CSS pixels (0: it fits the window, WCAG 1.4.10).
    pub async fn sideways_scroll(&self) -> i64 {
        self.client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap()
            .as_i64()
            .unwrap_or(-1)
    }

    pub async fn screenshot(&self, what: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{}-{what}.png", self.name)), png).unwrap();
    }

    /// Run axe-core on the page and fail on any violation of the WCAG 2.0/2.1 A and AA rules,
    /// listing each with the elements it found.
    pub async fn audit(&self, page: &str) {
        self.client.execute(axe_script(), vec![]).await.unwrap();
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                    .then(r => done({ violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary) })), passes: r.passes.length }))
                    .catch(e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            result.get("error").is_none(),
            "axe-core failed on {page}: {result}"
        );
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        let lang: Value = self
            .client
            .execute("return document.documentElement.lang;", vec![])
            .await
            .unwrap();
        assert!(
            violations.is_empty(),
            "axe-core: {} accessibility violation(s) on {page} ({}, lang={lang}):\n{}",
            violations.len(),
            self.path_or_blank().await,
            serde_json::to_string_pretty(&violations).unwrap()
        );
        assert!(
            result["passes"].as_u64().unwrap_or(0) > 0,
            "axe-core ran its rules on {page}"
        );
    }

    /// Switch the page's language with the language buttons in the page header, by keyboard:
    /// the button gets the focus and Enter presses it (the form posts; no JavaScript needed).
    pub async fn switch_language(&self, lang: &str) {
        let selector = format!("form.lang-switch button[value='{lang}']");
        self.find(&selector).await;
        self.client
            .execute(
                "document.querySelector(arguments[0]).focus(); return true;",
                vec![selector.clone().into()],
            )
            .await
            .unwrap();
        let focused = self.client.active_element().await.unwrap();
        assert_eq!(
            focused.attr("value").await.unwrap().as_deref(),
            Some(lang),
            "the {lang} button has the focus"
        );
        focused.send_keys("\u{E007}").await.unwrap(); // Enter
        self.wait_until("the page in the new language", || async {
            let l: Value = self
                .client
                .execute("return document.documentElement.lang;", vec![])
                .await
                .unwrap();
            l == lang
        })
        .await;
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }
}

// Steps of a journey, shared by the browser tests.

pub fn backend(db: &TestDb) -> &'static str {
    if db.postgres { "postgres" } else { "sqlite" }
}

/// Sign in the way a person does: ask for a link, open the mail that arrives, press the button
/// on the page it opens.
pub async fn sign_in(b: &Browser, email: &str, mail_dir: &Path) {
    let before = mails_to(mail_dir, email).len();
    b.goto("/login").await;
    b.fill("#email", email).await;
    b.click("main form[action='/login'] button[type=submit]")
        .await;
    let link = new_sign_in_link(mail_dir, email, before).await;
    assert!(link.contains("/login/"), "a sign-in link: {link}");
    b.goto(&link).await;
    b.click("main form button[type=submit]").await;
    b.find("form[action='/logout']").await;
}

/// A link in the newest mail to `email` that contains `part`.
pub fn link_in_mail(mail_dir: &Path, email: &str, part: &str) -> String {
    let mails = mails_to(mail_dir, email);
    let text = mails.last().expect("a mail").text();
    text.split_whitespace()
        .find(|w| w.contains(part))
        .unwrap_or_else(|| panic!("a link with {part} in: {text}"))
        .to_string()
}

/// Fill a date-and-time field. Chromium's datetime-local control takes keystrokes in a
/// locale-dependent order, so the value is set as the form would hold it.
pub async fn set_datetime(b: &Browser, id: &str, value: &str) {
    b.find(&format!("#{id}")).await;
    let set = b
        .client
        .execute("const e = document.getElementById(arguments[0]); e.value = arguments[1]; return e.value;", vec![id.into(), value.into()])
        .await
        .unwrap();
    assert_eq!(set, value, "{id} holds the time");
}

/// Local "YYYY-MM-DDTHH:MM" in Copenhagen, `minutes` from now.
pub fn local_in(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Audit the page in every interface language: Danish first, then each other language by the
/// switch in the page header (by keyboard), and back to Danish.
pub async fn audit_in_every_language(b: &Browser, page: &str) {
    b.audit(&format!("{page} (da)")).await;
    for lang in ["nb", "sv", "fi", "en"] {
        b.switch_language(lang).await;
        b.audit(&format!("{page} ({lang})")).await;
    }
    b.switch_language("da").await;
}

/// The bodies of the messages shown in the room.
pub async fn bodies(b: &Browser) -> Vec<String> {
    b.texts("#messages li.message .body").await
}

/// A mark on the page's window: still there later means the page was not reloaded.
pub async fn mark_page(b: &Browser) {
    b.client
        .execute("window.salonTestMark = 'still here'; return true;", vec![])
        .await
        .unwrap();
}

pub async fn page_was_not_reloaded(b: &Browser) -> bool {
    b.client
        .execute("return window.salonTestMark === 'still here';", vec![])
        .await
        .unwrap()
        == serde_json::json!(true)
}

/// The id of the demo's salon running now ("Åben salon: ..."), from the public API.
pub async fn demo_running_salon(base: &str) -> i64 {
    let salons: Value = super::Client::new(base)
        .get("/api/v1/salons")
        .await
        .json()
        .await
        .unwrap();
    salons
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("Åben salon"))
        .expect("the demo's running salon")["id"]
        .as_i64()
        .unwrap()
}

/// The demo as its own `salon serve --demo` process, its mail going to a real SMTP server that
/// writes each message into `mail_dir`, and where the test's screenshots go.
pub struct DemoStage {
    pub mail_dir: PathBuf,
    pub smtp: SmtpSink,
    pub server: ServeProcess,
    pub shots: PathBuf,
}

/// Set the stage for a browser test; screenshots under `target/browser/<name>-<backend>/`.
pub async fn demo_stage(db: &TestDb, name: &str) -> DemoStage {
    let mail_dir = db.dir.path().join("mail");
    std::fs::create_dir_all(&mail_dir).unwrap();
    let smtp = SmtpSink::start(&mail_dir).await;
    let server = ServeProcess::start(db, &["--demo"], &[("SALON_SMTP_URL", &smtp.url())]).await;
    let shots = screenshot_dir(&format!("{name}-{}", backend(db)));
    DemoStage {
        mail_dir,
        smtp,
        server,
        shots,
    }
}
