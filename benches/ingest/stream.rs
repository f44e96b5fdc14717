//! The stream server: a minimal Engine.IO v3 gateway on loopback that sends the hello and
//! `40`, answers every ping, and — on the main socket (no `teamId` in the query), once the
//! bench hands it a [`Job`] — writes `count` `ChatMessageCreated` frames as fast as the client
//! reads them (TCP backpressure, no queue that could drop a slow client).

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

/// The event the frames are made from (2,118 bytes: a rich document with marks, a mention,
/// an emoji, a link, a quote and a code block).
const TEMPLATE: &str = include_str!("../fixtures/chat-message-created-rich.txt");

/// One stream to send: where the messages are posted, by whom, how many.
#[derive(Debug, Clone)]
pub struct Job {
    pub team_id: String,
    pub channel_id: String,
    pub author_id: String,
    pub count: usize,
    /// Distinguishes the ids of one run's messages from another's.
    pub run: u32,
}

impl Job {
    /// The id of message `i` of this job.
    pub fn message_id(&self, i: usize) -> String {
        format!("{:08x}-0000-4000-8000-{i:012x}", self.run)
    }
}

/// Frames of one job, made on the fly from the template (each message distinct: its id,
/// its time a millisecond after the previous one, and a line of its own text).
pub struct Frames {
    parts: Vec<String>,
    base: jiff::Timestamp,
}

impl Frames {
    pub fn new(job: &Job) -> Frames {
        let template = TEMPLATE
            .trim_end()
            .replace("d2242862-401c-42f8-9ce2-0c75977475a6", &job.channel_id)
            .replace("4R5q39VR", &job.team_id)
            .replace(
                "\"createdBy\":\"EdVMVKR4\"",
                &format!("\"createdBy\":\"{}\"", job.author_id),
            )
            .replace("6a1f2d3c-4b5e-4f60-8a71-92b3c4d5e6f7", "\u{1}ID\u{1}")
            .replace("2021-10-15T23:58:44.537Z", "\u{1}AT\u{1}")
            .replacen(
                "{\"object\":\"leaf\",\"text\":\"\",\"marks\":[]}",
                "{\"object\":\"leaf\",\"text\":\"\u{1}TEXT\u{1}\",\"marks\":[]}",
                1,
            );
        Frames {
            parts: template.split('\u{1}').map(str::to_owned).collect(),
            base: jiff::Timestamp::now(),
        }
    }

    /// Frame `i` of `job`.
    pub fn frame(&self, job: &Job, i: usize) -> String {
        let at = (self.base + jiff::SignedDuration::from_millis(i as i64))
            .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string();
        let mut out = String::with_capacity(TEMPLATE.len() + 64);
        for part in &self.parts {
            match part.as_str() {
                "ID" => out.push_str(&job.message_id(i)),
                "AT" => out.push_str(&at),
                "TEXT" => {
                    use std::fmt::Write;
                    let _ = write!(out, "message {i} of the flood: ");
                }
                other => out.push_str(other),
            }
        }
        out
    }
}

/// Start the server on loopback; jobs sent on the returned channel go, in order, to the
/// next main sockets that connect. Returns the gateway URL (`ws://…`).
pub async fn start() -> (String, mpsc::Sender<Job>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (jobs_tx, jobs_rx) = mpsc::channel::<Job>(4);
    let jobs = Arc::new(Mutex::new(jobs_rx));
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            tokio::spawn(serve(tcp, Arc::clone(&jobs)));
        }
    });
    (format!("ws://{addr}"), jobs_tx)
}

// The handshake callback's error type is tungstenite's, however large.
#[allow(clippy::result_large_err)]
async fn serve(tcp: TcpStream, jobs: Arc<Mutex<mpsc::Receiver<Job>>>) {
    tcp.set_nodelay(true).ok();
    let mut query = String::new();
    let callback = |req: &Request, resp: Response| {
        req.uri().query().unwrap_or_default().clone_into(&mut query);
        Ok(resp)
    };
    let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, callback).await else {
        return;
    };
    let main_socket = !query.split('&').any(|kv| kv.starts_with("teamId="));
    let (mut sink, mut stream) = ws.split();
    // Pings are read on their own task and answered between frames.
    let (pings_tx, mut pings) = mpsc::unbounded_channel::<()>();
    tokio::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            if matches!(&msg, Message::Text(t) if t.as_str() == "2") && pings_tx.send(()).is_err() {
                break;
            }
        }
    });
    let hello =
        r#"0{"sid":"ingestbench000000000","upgrades":[],"pingInterval":25000,"pingTimeout":60000}"#;
    if sink.send(Message::text(hello)).await.is_err()
        || sink.send(Message::text("40")).await.is_err()
    {
        return;
    }
    if main_socket {
        let job = jobs.lock().await.recv().await;
        if let Some(job) = job {
            let frames = Frames::new(&job);
            for i in 0..job.count {
                while pings.try_recv().is_ok() {
                    if sink.feed(Message::text("3")).await.is_err() {
                        return;
                    }
                }
                if sink
                    .feed(Message::text(frames.frame(&job, i)))
                    .await
                    .is_err()
                {
                    return;
                }
                if i % 16 == 15 && sink.flush().await.is_err() {
                    return;
                }
            }
            if sink.flush().await.is_err() {
                return;
            }
        }
    }
    while pings.recv().await.is_some() {
        if sink.send(Message::text("3")).await.is_err() {
            return;
        }
    }
}
