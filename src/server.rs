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
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

/// Serve `router` on `listener` until `shutdown` is cancelled, then wait for open connections.
pub async fn serve(listener: TcpListener, router: Router, shutdown: CancellationToken) -> std::io::Result<()> {
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
            async move { Ok::<_, Infallible>(router.oneshot(request).await.unwrap_or_else(|never| match never {})) }
        });
        let connection = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).with_upgrades();
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
