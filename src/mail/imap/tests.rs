use super::*;

#[test]
fn the_password_is_not_in_the_debug_output() {
    let c = ImapConfig::parse(
        "imaps://u:hunter2-secret@mail.example/INBOX",
        None,
        Duration::from_secs(30),
    )
    .unwrap();
    assert!(!format!("{c:?}").contains("hunter2"));
}

#[test]
fn urls_say_how_to_connect_and_refuse_clear_text_passwords_over_the_network() {
    let c = ImapConfig::parse(
        "imaps://salon%40alliance.example:p%40ss@mail.example/Svar",
        None,
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(
        (
            c.host.as_str(),
            c.port,
            c.tls,
            c.user.as_str(),
            c.password.as_str(),
            c.mailbox.as_str()
        ),
        (
            "mail.example",
            993,
            Tls::Implicit,
            "salon@alliance.example",
            "p@ss",
            "Svar"
        )
    );
    let c = ImapConfig::parse(
        "imap://u:p@mail.example?tls=starttls",
        None,
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(
        (c.port, c.tls, c.mailbox.as_str()),
        (143, Tls::StartTls, "INBOX")
    );
    assert!(
        ImapConfig::parse(
            "imap://u:p@mail.example/INBOX?tls=none",
            None,
            Duration::from_secs(30)
        )
        .is_err()
    );
    assert!(
        ImapConfig::parse(
            "imap://u:p@127.0.0.1:1143/INBOX?tls=none",
            None,
            Duration::from_secs(30)
        )
        .is_ok()
    );
    assert!(
        ImapConfig::parse("imaps://u@mail.example", None, Duration::from_secs(30)).is_err(),
        "no password"
    );
    assert!(
        ImapConfig::parse(
            "imaps://u@mail.example",
            Some("print-token".into()),
            Duration::from_secs(30)
        )
        .is_ok()
    );
    assert!(ImapConfig::parse("pop3://u:p@mail.example", None, Duration::from_secs(30)).is_err());
}
