//! `roomload --stances`: every client takes a stance on a proposal put to the salon, by the
//! plain form's HTTP POST (`/proposals/{id}/stance` with its session and CSRF cookie and the
//! signed token, as a browser sends it), at evenly spread moments over `--seconds`, while every
//! client's socket is in the salon's room receiving the `proposal` frames. It prints the POST's
//! latency, whether every stance was stored and the stored tally is the one sent, and whether
//! the last frame each socket got shows that same tally.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hdrhistogram::Histogram;
use salon::domain::proposal::Choice;
use salon::ids::ProposalId;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message as Ws;

use super::Socket;

/// Client i's stance: uneven on purpose (4 agree, 2 abstain, 3 disagree, 1 block in every ten),
/// so a stance lost or counted twice shows in the tally.
fn choice_of(i: usize) -> Choice {
    match i % 10 {
        0..=3 => Choice::Agree,
        4 | 5 => Choice::Abstain,
        6..=8 => Choice::Disagree,
        _ => Choice::Block,
    }
}

pub struct Report {
    pub stored_by_post: u64,
    pub failed: u64,
    pub expected: [i64; 4],
    pub latency: Histogram<u64>,
    /// Sockets whose last `proposal` frame had the expected tally.
    pub sockets_exact: usize,
    pub frames: u64,
}

/// One stance by raw HTTP/1.1 (the load generator has no HTTP client): the status code.
async fn post(port: u16, path: &str, cookie: &str, body: &str) -> std::io::Result<u16> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await?;
    let status = std::str::from_utf8(&head[9..12])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(status)
}

pub async fn run(
    sockets: Vec<Socket>,
    port: u16,
    proposal: ProposalId,
    cookies: &[String],
    csrf_key: &str,
    seconds: u64,
) -> Report {
    let n = sockets.len().max(1);
    let mut expected = [0i64; 4];
    for i in 0..sockets.len() {
        let c = choice_of(i);
        expected[Choice::ALL.iter().position(|x| *x == c).unwrap_or(0)] += 1;
    }
    let want: serde_json::Value = Choice::ALL
        .iter()
        .zip(expected)
        .map(|(c, n)| (c.as_str().to_string(), serde_json::Value::from(n)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    // Every socket keeps the tally of the last proposal frame it got, until it has the final
    // one (or nothing came for three seconds).
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|socket| {
            let want = want.clone();
            tokio::spawn(async move {
                let (_write, mut read) = socket.split();
                let mut last = serde_json::Value::Null;
                let mut frames = 0u64;
                while let Ok(Some(Ok(frame))) =
                    tokio::time::timeout(Duration::from_secs(3), read.next()).await
                {
                    if let Ws::Text(text) = frame
                        && text.contains("\"type\":\"proposal\"")
                        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
                    {
                        frames += 1;
                        last = v["proposal"]["tally"].clone();
                        if last == want {
                            break;
                        }
                    }
                }
                (last, frames)
            })
        })
        .collect();
    let start = tokio::time::Instant::now() + Duration::from_millis(200);
    let posts: Vec<_> = cookies
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, session)| {
            let at = start + Duration::from_secs(seconds).mul_f64(i as f64 / n as f64);
            // The cookie must look like one Salon hands out (64 hex characters).
            let csrf_cookie = format!("{i:064x}");
            let token = salon::web::csrf::token_for(csrf_key.as_bytes(), &csrf_cookie);
            let cookie = format!("{session}; salon_csrf={csrf_cookie}");
            let choice = choice_of(i);
            let reason = if choice == Choice::Block {
                "Det+binder+os+i+fem+%C3%A5r"
            } else {
                ""
            };
            let body = format!("csrf={token}&choice={}&reason={reason}", choice.as_str());
            let path = format!("/proposals/{proposal}/stance");
            tokio::spawn(async move {
                tokio::time::sleep_until(at).await;
                let sent = Instant::now();
                let status = post(port, &path, &cookie, &body).await.unwrap_or(0);
                (status, sent.elapsed())
            })
        })
        .collect();
    let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)
        .unwrap_or_else(|_| Histogram::new(3).unwrap_or_else(|_| unreachable!()));
    let (mut stored_by_post, mut failed) = (0, 0);
    for p in posts {
        match p.await {
            Ok((303, took)) => {
                stored_by_post += 1;
                let _ = latency.record(took.as_micros().max(1) as u64);
            }
            Ok((status, _)) => {
                if failed == 0 {
                    eprintln!("a stance was answered {status} (0: no answer)");
                }
                failed += 1;
            }
            Err(_) => failed += 1,
        }
    }
    let (mut sockets_exact, mut frames) = (0, 0);
    for r in readers {
        if let Ok((last, f)) = r.await {
            frames += f;
            if last == want {
                sockets_exact += 1;
            }
        }
    }
    Report {
        stored_by_post,
        failed,
        expected,
        latency,
        sockets_exact,
        frames,
    }
}
