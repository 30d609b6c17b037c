//! What the bench binaries share: an interleaved A/B timer and a loopback HTTP server that answers every
//! request with the same bytes.

#![allow(dead_code)]

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Median time per iteration of each side, and the median of the per-round ratios: each round times `a` then `b`
/// back to back, so a slow spell of the machine hits both sides of one ratio alike.
pub struct Comparison {
    pub a: Duration,
    pub b: Duration,
    pub ratio: f64,
}

/// Runs `a` and `b` `iterations` times per round, alternating, for `rounds` rounds after one warm-up round.
pub fn compare<A, B, RA, RB>(rounds: usize, iterations: u32, mut a: A, mut b: B) -> Comparison
where
    A: FnMut() -> RA,
    B: FnMut() -> RB,
{
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..iterations {
            f();
        }
        start.elapsed() / iterations
    };
    let mut timed = Vec::new();
    for round in 0..=rounds {
        let x = time(&mut || {
            black_box(a());
        });
        let y = time(&mut || {
            black_box(b());
        });
        if round > 0 {
            timed.push((x, y));
        }
    }
    Comparison::of_rounds(timed)
}

impl Comparison {
    /// From each round's `(a, b)` times: the median of each side and the median of the per-round ratios `a / b`.
    pub fn of_rounds(rounds: Vec<(Duration, Duration)>) -> Comparison {
        let mut ratios: Vec<f64> = rounds
            .iter()
            .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        let (a, b) = rounds.into_iter().unzip();
        Comparison {
            a: median(a),
            b: median(b),
            ratio: ratios[ratios.len() / 2],
        }
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub fn report(what: &str, a_name: &str, b_name: &str, c: &Comparison, target: Option<f64>) {
    let verdict = match target {
        Some(t) if c.ratio <= t => format!("target ≤ {t}: met"),
        Some(t) => format!("target ≤ {t}: NOT met"),
        None => String::new(),
    };
    println!(
        "{what}: {a_name} {:.1} µs, {b_name} {:.1} µs, ratio {:.2} {verdict}",
        c.a.as_secs_f64() * 1e6,
        c.b.as_secs_f64() * 1e6,
        c.ratio
    );
}

/// Bytes of request bodies the server has read, and requests answered.
#[derive(Default)]
pub struct ServerStats {
    pub body_bytes: AtomicU64,
    pub requests: AtomicU64,
    pub connections: AtomicU64,
}

/// An HTTP/1.1 keep-alive server on loopback that reads each request (head and `Content-Length` body, into a
/// fixed buffer) and answers `status` with `body`. Returns its base URL.
pub async fn serve(status: &str, body: &'static str) -> (String, Arc<ServerStats>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let answer: Arc<[u8]> = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .into();
    let stats = Arc::new(ServerStats::default());
    let seen = stats.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            seen.connections.fetch_add(1, Ordering::Relaxed);
            let (answer, stats) = (answer.clone(), seen.clone());
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                let mut filled = 0;
                loop {
                    // Head: read until the blank line.
                    let head_end = loop {
                        if let Some(end) =
                            buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                        {
                            break end + 4;
                        }
                        if filled == buffer.len() {
                            return;
                        }
                        match stream.read(&mut buffer[filled..]).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => filled += n,
                        }
                    };
                    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    // Body: count it and throw it away.
                    let mut remaining = length;
                    let in_buffer = (filled - head_end).min(remaining);
                    remaining -= in_buffer;
                    let leftover = filled - head_end - in_buffer;
                    buffer.copy_within(head_end + in_buffer..filled, 0);
                    filled = leftover;
                    while remaining > 0 {
                        let want = remaining.min(buffer.len());
                        match stream.read(&mut buffer[..want]).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => remaining -= n,
                        }
                    }
                    stats.body_bytes.fetch_add(length as u64, Ordering::Relaxed);
                    stats.requests.fetch_add(1, Ordering::Relaxed);
                    if stream.write_all(&answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, stats)
}

/// A memory figure of this process from `/proc/self/status`, in bytes: `VmRSS` (resident now) or `VmHWM`
/// (the peak so far).
pub fn memory(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// A Batch client sending to `url` with default settings.
#[cfg(feature = "batch")]
pub fn batch_client(url: String) -> marketing_apis::batch::Client {
    marketing_apis::batch::Client::with_config(
        marketing_apis::batch::Credentials {
            project_key: "project".into(),
            rest_key: marketing_apis::Secret::new("key"),
        },
        marketing_apis::ClientConfig {
            endpoint: Some(url),
            ..marketing_apis::ClientConfig::default()
        },
    )
    .expect("client")
}

/// The answer of Batch's `audiences/update`.
pub const ACCEPTED: &str = r#"{"indexing_token":"a0082dc6860938a26280bd3ba927303b"}"#;
