//! The HTTP server: each accepted connection is served by hyper's HTTP/1.1 connection with the
//! axum router as its service, with upgrades (the rooms' websockets), the peer address as
//! `ConnectInfo` (rate limits), and a graceful end: on shutdown no new connection is accepted,
//! each open one finishes its request in flight, and the server returns when all are closed.
//!
//! Why not `axum::serve`: it serves through hyper-util's auto (HTTP/1 or HTTP/2) connection,
//! which wraps the socket in a private type, and an upgraded connection then cannot be turned
//! back into the `TcpStream` that the room writer (`rooms::writer`) writes to without a task
//! wake-up per connection. Salon runs behind a reverse proxy or directly for browsers, both
//! HTTP/1.1 (browsers speak HTTP/2 only over TLS).

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

/// How long a client may take to send a request's headers (the first request, and each next
/// one on a kept-alive connection), so a client that sends a few bytes and goes quiet does not
/// hold a connection (and its memory) for ever. hyper's default, which it applies only with a
/// timer (axum::serve before us set none).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serve `router` on `listener` until `shutdown` is cancelled, then wait for open connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    serve_with(listener, router, shutdown, HEADER_READ_TIMEOUT).await
}

/// [`serve`] with another header timeout (the tests' short one).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
    header_read_timeout: Duration,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let connections = TaskTracker::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: the listener itself is fine; wait a
                    // moment rather than spin (as axum::serve and hyper's examples do).
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = shutdown.cancelled() => break,
        };
        // Room frames are small and must not wait for the peer's ACK of the previous one (as
        // Socket.IO's `ws` does too). Nagle's coalescing would halve the kernel's work per
        // delivery at 100 messages a second per socket, but a frame could then wait for a
        // delayed ACK (40 ms on Linux, 200 ms on Windows): see BENCHMARKS.md, issue 15.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move {
                Ok::<_, Infallible>(
                    router
                        .oneshot(request)
                        .await
                        .unwrap_or_else(|never| match never {}),
                )
            }
        });
        let connection = http
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                _ = shutdown.cancelled() => {
                    // Finish the request in flight (if any), then close.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = ended {
                // A client that went away mid-request: nothing to do about it.
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    connections.close();
    connections.wait().await;
    Ok(())
}

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM). The handlers are in place
/// when this returns, not when the future is first polled: systemd may send SIGTERM the moment
/// it hears READY=1, and a signal that came before the handler would kill the process outright.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    /// A client that sends part of a request and goes quiet is let go after the header timeout
    /// (before: held for as long as the client liked); a whole request is still answered.
    #[tokio::test]
    async fn a_client_that_stops_mid_headers_is_disconnected() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let shutdown = CancellationToken::new();
        let server = tokio::spawn(serve_with(
            listener,
            router,
            shutdown.clone(),
            Duration::from_millis(300),
        ));

        let mut whole = TcpStream::connect(addr).await.unwrap();
        whole
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        whole.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let mut rest = Vec::new();
        // The server closes the connection (with a 408 or nothing); never an answer to the request.
        let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "the connection was still open after 10 s");
        assert!(started.elapsed() >= Duration::from_millis(250));
        assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));

        shutdown.cancel();
        server.await.unwrap().unwrap();
    }
}
