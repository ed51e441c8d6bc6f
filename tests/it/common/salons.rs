//! Salons for tests, made the way an organiser makes them (the form over HTTP), and answers
//! recorded the way an organiser records them for someone.

use super::{Client, SmtpSink, TestApp, TestDb, location};

/// The fields of a valid online salon in March 2027, with `overrides` (new names are added).
pub fn salon_form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", "Fælles investering"),
        ("time_zone", "Europe/Copenhagen"),
        ("starts_at", "2027-03-10T09:00"),
        ("ends_at", "2027-03-10T12:30"),
        ("mode", "online"),
        ("meeting_url", "https://meet.example.org/salon"),
        ("registration", "open"),
    ];
    for (k, v) in overrides {
        match fields.iter_mut().find(|(fk, _)| fk == k) {
            Some(f) => f.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// A salon made through the organiser's form (and published when asked); its id.
pub async fn new_salon(organiser: &Client, overrides: &[(&str, &str)], publish: bool) -> i64 {
    let r = organiser
        .post_form("/salons/new", &salon_form(overrides))
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let id: i64 = location(&r)
        .trim_start_matches("/salons/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    if publish {
        assert_eq!(
            organiser
                .post_form(&format!("/salons/{id}/publish"), &[])
                .await
                .status(),
            303
        );
    }
    id
}

/// `starts_at`/`ends_at` form values for a salon starting `minutes` from now (negative: it
/// started that long ago) and lasting two hours, in Copenhagen time.
pub fn from_now(minutes: i64) -> (String, String) {
    let start = (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&chrono_tz::Europe::Copenhagen);
    (
        start.format("%Y-%m-%dT%H:%M").to_string(),
        (start + chrono::Duration::hours(2))
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
    )
}

impl TestApp {
    /// An app that sends mail to a real SMTP server process of its own (and the server).
    pub async fn spawn_with_smtp(db: &TestDb) -> (TestApp, SmtpSink) {
        let sink = SmtpSink::start(&db.dir.path().join("smtp")).await;
        let mut settings = db.settings();
        settings.smtp_url = Some(sink.url());
        (TestApp::spawn_with(settings).await, sink)
    }

    pub async fn person_id(&self, email: &str) -> salon::ids::PersonId {
        let email = salon::domain::Email::parse(email).unwrap();
        salon::store::people::by_email(&self.app.db, &email)
            .await
            .unwrap()
            .expect("person exists")
            .id
    }

    /// Record `person`'s answer as an organiser does for someone (also after the start).
    pub async fn answer_for(
        &self,
        salon_id: i64,
        person: salon::ids::PersonId,
        response: salon::domain::rsvp::Response,
    ) {
        let mut tx = self.app.db.begin().await.unwrap();
        salon::store::rsvps::record(
            &mut tx,
            salon::ids::SalonId(salon_id),
            person,
            response,
            false,
            salon::store::rsvps::Rules::OnBehalf,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

impl Client {
    /// Upload an `.ics` file to the organiser's import, as the form does.
    pub async fn upload_ics(&self, bytes: Vec<u8>) -> reqwest::Response {
        let token = self.csrf().await;
        let part = reqwest::multipart::Part::bytes(bytes).file_name("salons.ics");
        let form = reqwest::multipart::Form::new().part("file", part);
        self.http
            .post(self.url(&format!("/salons/import?csrf={token}")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}
