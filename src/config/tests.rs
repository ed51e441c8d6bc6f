use super::*;

fn with(f: impl FnOnce(&mut Settings)) -> Result<Config, ConfigError> {
    let mut s = Settings::default();
    f(&mut s);
    Config::from_settings(&s)
}

#[test]
fn defaults_are_valid() {
    let c = with(|_| {}).map_err(|e| e.to_string());
    let c = c
        .as_ref()
        .map(|c| (c.base_url.as_str().to_string(), c.database.clone()));
    assert_eq!(
        c,
        Ok((
            "http://127.0.0.1:3000/".to_string(),
            DatabaseUrl::Sqlite("sqlite://salon.db".into())
        ))
    );
}

#[test]
fn each_bad_setting_is_named() {
    type Change = Box<dyn FnOnce(&mut Settings)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|s| s.addr = "nope".into()), "SALON_ADDR"),
        (
            Box::new(|s| s.database_url = "mysql://x".into()),
            "DATABASE_URL",
        ),
        (
            Box::new(|s| s.base_url = Some("ftp://x".into())),
            "SALON_BASE_URL",
        ),
        (
            Box::new(|s| s.mail_from = "not a mailbox".into()),
            "SALON_MAIL_FROM",
        ),
        (
            Box::new(|s| s.smtp_url = Some("http://x".into())),
            "SALON_SMTP_URL",
        ),
        (
            Box::new(|s| s.outbox_poll_ms = "soon".into()),
            "SALON_OUTBOX_POLL_MS",
        ),
        (
            Box::new(|s| s.trust_proxy = "maybe".into()),
            "SALON_TRUST_PROXY",
        ),
    ];
    for (change, setting) in cases {
        let err = with(change)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with(setting), "{err}");
        assert!(!err.contains('\n'));
    }
}
