//! The Markdown exports (the room transcript, the strategy board) carry user text as text:
//! Markdown and HTML typed into a message come out escaped, so whatever renders the file shows
//! what was written, not a link, an image or a script.

use crate::common;

use common::room::{LARS, ORGANISER, running_salon};
use common::*;

async fn markdown_in_a_message_stays_text_in_the_transcript(db: TestDb) {
    let (app, salon) = running_salon(&db, "256").await;
    let lars = app.signed_in(LARS).await;
    let (_, page) = lars.get_text(&format!("/salons/{salon}/room")).await;
    let client_id = input_value(&page, "client_id").unwrap();
    let body = "- **Se** ![x](https://evil.example/p.png) <img src=x onerror=alert(1)>\n# slut";
    let r = lars
        .post_form(
            &format!("/salons/{salon}/room/messages"),
            &[("body", body), ("client_id", &client_id)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let org = app.signed_in(ORGANISER).await;
    let (status, md) = org
        .get_text(&format!("/salons/{salon}/room/transcript.md"))
        .await;
    assert_eq!(status, 200);
    assert!(
        md.contains(
            r"\- \*\*Se\*\* !\[x\](https://evil.example/p.png) \<img src=x onerror=alert(1)\> \# slut"
        ),
        "{md}"
    );
    // Every < in the file is escaped: no raw HTML.
    assert!(
        md.match_indices('<').all(|(i, _)| md[..i].ends_with('\\')),
        "{md}"
    );
    app.stop().await;
}

both_backends!(markdown_in_a_message_stays_text_in_the_transcript);
