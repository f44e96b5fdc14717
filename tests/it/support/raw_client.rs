//! The built-in server driven by hand, to test the server itself: a tiny REST client with
//! explicit cookies and a raw Engine.IO v3 WebSocket client on tokio-tungstenite, both on
//! loopback.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use gilt::server::{self, ServerConfig, ServerHandle};
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// Generous upper bound for anything that should happen "now" on loopback.
pub const WAIT: Duration = Duration::from_secs(5);

pub async fn start() -> ServerHandle {
    server::start(ServerConfig::test()).await.unwrap()
}

pub async fn start_with(f: impl FnOnce(&mut ServerConfig)) -> ServerHandle {
    let mut config = ServerConfig::test();
    f(&mut config);
    server::start(config).await.unwrap()
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// Asserts the `{code, message}` error shape and returns the code.
    pub fn error_code(&self) -> String {
        let obj = self
            .body
            .as_object()
            .unwrap_or_else(|| panic!("error body is not an object: {}", self.body));
        assert_eq!(
            obj.len(),
            2,
            "error body has exactly code and message: {}",
            self.body
        );
        assert!(obj["message"].as_str().is_some_and(|m| !m.is_empty()));
        obj["code"].as_str().unwrap().to_owned()
    }
}

/// A REST client that keeps the session cookie the way a browser would.
pub struct Api {
    pub base: String,
    http: reqwest::Client,
    pub session: Option<String>,
    pub client_id: Option<String>,
    pub user_id: Option<String>,
}

impl Api {
    pub fn new(server: &ServerHandle) -> Self {
        Self {
            base: server.api_url(),
            http: reqwest::Client::new(),
            session: None,
            client_id: None,
            user_id: None,
        }
    }

    /// Log in as the demo user.
    pub async fn logged_in(server: &ServerHandle) -> Self {
        Self::logged_in_as(server, "demo").await
    }

    /// Log in as a member by user name.
    pub async fn logged_in_as(server: &ServerHandle, name: &str) -> Self {
        let mut api = Self::new(server);
        let (email, password) = if name == "demo" {
            server.credentials()
        } else {
            server.credentials_of(name).unwrap()
        };
        let r = api.login(&email, &password).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        api
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Resp {
        let r = self
            .send(
                Method::POST,
                "/login",
                Some(json!({"email": email, "password": password})),
            )
            .await;
        if r.status == StatusCode::OK {
            let cookies: Vec<&str> = r
                .headers
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect();
            let value = |c: &str| {
                c.split(';')
                    .next()
                    .unwrap()
                    .split_once('=')
                    .unwrap()
                    .1
                    .to_owned()
            };
            self.session = Some(value(cookies[0]));
            self.client_id = Some(value(cookies[1]));
            self.user_id = r.body["user"]["id"].as_str().map(str::to_owned);
        }
        r
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(s) = &self.session {
            req = req.header(
                "cookie",
                format!("hmac_signed_session={s}; authenticated=true"),
            );
        }
        if let Some(c) = &self.client_id {
            req = req.header("guilded-client-id", c);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, None).await
    }

    /// Send a one-paragraph message; returns its id.
    pub async fn say(&self, channel: &str, text: &str) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let r = self
            .post(
                &format!("/channels/{channel}/messages"),
                json!({"messageId": id, "content": doc(text)}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id
    }
}

/// A one-paragraph content document.
pub fn doc(text: &str) -> Value {
    json!({"object": "value", "document": {"object": "document", "data": {}, "nodes": [
        {"object": "block", "type": "paragraph", "data": {}, "nodes": [
            {"object": "text", "leaves": [{"object": "leaf", "text": text, "marks": []}]}]}]}})
}

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The gateway URL with the Guilded query for this session.
pub fn gateway_url(server: &ServerHandle, api: &Api, team: Option<&str>) -> String {
    let mut url = format!(
        "{}/socket.io/?jwt=undefined&EIO=3&transport=websocket&guildedClientId={}",
        server.gateway_url(),
        api.client_id.as_deref().unwrap()
    );
    if let Some(t) = team {
        url = format!("{url}&teamId={t}");
    }
    url
}

/// The upgrade request for [`gateway_url`], with the session cookie as a client sends it.
pub fn gateway_request(server: &ServerHandle, api: &Api, team: Option<&str>) -> Request {
    let mut request = gateway_url(server, api, team)
        .into_client_request()
        .unwrap();
    if let Some(session) = &api.session {
        request.headers_mut().insert(
            "cookie",
            format!("hmac_signed_session={session}").parse().unwrap(),
        );
    }
    request
}

/// A connected gateway socket that has read the hello and `40`.
pub struct Gw {
    pub ws: Socket,
    pub hello: Value,
}

impl Gw {
    pub async fn connect(server: &ServerHandle, api: &Api, team: Option<&str>) -> Gw {
        let (mut ws, _) = connect_async(gateway_request(server, api, team))
            .await
            .unwrap();
        let hello = next_text(&mut ws).await;
        assert!(hello.starts_with("0{"), "{hello}");
        let hello: Value = serde_json::from_str(&hello[1..]).unwrap();
        assert_eq!(next_text(&mut ws).await, "40");
        Gw { ws, hello }
    }

    pub async fn send(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    pub async fn next(&mut self) -> String {
        next_text(&mut self.ws).await
    }

    /// The next `42` event with this name (skipping others), as its payload.
    pub async fn event(&mut self, name: &str) -> Value {
        loop {
            let text = self.next().await;
            if let Some(ev) = parse_event(&text)
                && ev.0 == name
            {
                return ev.1;
            }
        }
    }

    /// Asserts that nothing is on its way to this socket, without a time window: a ping with a
    /// unique payload must be answered before any other frame. The server writes what it
    /// queued for a socket before it reads the socket's next frame, so anything sent to this
    /// socket before the call (a REST change, a relay confirmed on another socket) comes first.
    pub async fn assert_nothing_pending(&mut self) {
        let token = uuid::Uuid::new_v4().simple().to_string();
        self.send(&format!("2{token}")).await;
        let next = self.next().await;
        assert_eq!(next, format!("3{token}"), "a frame came before the pong");
    }

    /// Asserts no frame at all arrives for `d`: only for what a ping cannot check (a withheld
    /// pong); everywhere else use [`Gw::assert_nothing_pending`].
    pub async fn quiet_for(&mut self, d: Duration) {
        match tokio::time::timeout(d, self.ws.next()).await {
            Err(_) => {}
            Ok(other) => panic!("unexpected {other:?}"),
        }
    }
}

pub fn parse_event(text: &str) -> Option<(String, Value)> {
    let arr: Value = serde_json::from_str(text.strip_prefix("42")?).ok()?;
    Some((arr[0].as_str()?.to_owned(), arr[1].clone()))
}

pub async fn next_text(ws: &mut Socket) -> String {
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("timed out waiting for a frame");
        match msg {
            Some(Ok(Message::Text(t))) => return t.to_string(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// How a socket ended, read to the end.
#[derive(Debug, PartialEq)]
pub enum Ending {
    CloseFrame(u16, String),
    /// The TCP connection ended with no close frame.
    NoCloseFrame,
}

pub async fn read_until_end(ws: &mut Socket) -> Ending {
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("socket did not end");
        match msg {
            Some(Ok(Message::Close(Some(f)))) => {
                return Ending::CloseFrame(f.code.into(), f.reason.to_string());
            }
            Some(Ok(Message::Close(None))) => return Ending::CloseFrame(1005, String::new()),
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return Ending::NoCloseFrame,
        }
    }
}
