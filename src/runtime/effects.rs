//! Executing the reducer's effects: REST calls run as tasks that answer with a `Msg`; gateway
//! commands go to the `GatewayHandle`; terminal effects (bell, clipboard) are written directly.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiClient, ApiError, MessageQuery, NewMessage};
use crate::app::persist::Write;
use crate::app::{ApiFailure, ApiOp, ChannelId, Effect, FailureKind, Msg, StoredPage, convert};
use crate::gateway::GatewayHandle;
use crate::osc::Notifier;
use crate::store::StoreHandle;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use super::history::stored_page;
use super::{load, state_file};

/// Messages shown on each side of a search result opened from the store.
const AROUND: usize = 50;

/// What the loop needs to run effects. It never sees the model: every effect carries what
/// it needs.
pub struct Executor {
    pub api: ApiClient,
    pub gateway: GatewayHandle,
    /// Where answers of spawned calls go (back into the reducer).
    pub results_tx: UnboundedSender<Msg>,
    pub state_path: Option<PathBuf>,
    /// How notifications are written (from the config and the terminal; silent until set).
    pub notifier: Notifier,
    /// The local store, when there is one: `Persist` effects go there, and history is read
    /// from it before the server answers.
    pub store: Option<StoreHandle>,
    /// Sends whose answer has not come yet (quitting waits a little for them).
    sends: JoinSet<()>,
    /// Done when the latest send is answered: each send waits for the one before, so
    /// messages reach the server in the order they were written.
    last_send: Option<oneshot::Receiver<()>>,
    /// Unread counts from read markers run a few at a time (one request per channel).
    unread_counts: Arc<Semaphore>,
    /// Image previews: their own HTTP client, a few fetches at a time.
    image_client: Option<reqwest::Client>,
    image_fetches: Arc<Semaphore>,
    /// The terminal's image protocol and cell size, when previews are drawn with one.
    pub image_target: Option<super::images::Target>,
}

/// How many `afterDate` unread counts run at once.
const UNREAD_COUNTS_AT_ONCE: usize = 4;

/// Whether the loop should go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
    /// Hand the terminal to the external editor on this draft (the loop owns the terminal).
    Edit {
        channel: ChannelId,
        text: String,
    },
}

impl Executor {
    pub fn new(
        api: ApiClient,
        gateway: GatewayHandle,
        results_tx: UnboundedSender<Msg>,
        state_path: Option<PathBuf>,
        store: Option<StoreHandle>,
    ) -> Executor {
        Executor {
            api,
            gateway,
            results_tx,
            state_path,
            notifier: Notifier::SILENT,
            store,
            sends: JoinSet::new(),
            last_send: None,
            unread_counts: Arc::new(Semaphore::new(UNREAD_COUNTS_AT_ONCE)),
            image_client: None,
            image_fetches: Arc::new(Semaphore::new(super::images::AT_ONCE)),
            image_target: None,
        }
    }

    /// Where images may be fetched from without asking (and redirected to).
    pub fn set_image_hosts(&mut self, hosts: crate::app::images::ImageHosts) {
        self.image_client = super::images::client(hosts);
    }

    /// Quitting: give sends still on their way up to `wait` to be answered (what the server
    /// accepted is marked in the outbox; the rest stays there for the next start).
    pub async fn settle_sends(&mut self, wait: std::time::Duration) {
        let sends = &mut self.sends;
        let all = async { while sends.join_next().await.is_some() {} };
        if tokio::time::timeout(wait, all).await.is_err() {
            tracing::info!(
                "quitting with {} send(s) unanswered; they stay in the outbox",
                self.sends.len()
            );
        }
    }

    /// Run one effect.
    pub fn run(&mut self, effect: Effect) -> Flow {
        match effect {
            Effect::SendMessage {
                channel,
                message_id,
                content,
                replies_to,
            } => {
                let message = NewMessage {
                    message_id: message_id.clone(),
                    content,
                    replies_to_ids: replies_to,
                    is_silent: false,
                    is_private: false,
                };
                let store = self.store.clone();
                if let Some(store) = &store {
                    store.write(Write::OutboxAttempt(message_id.clone()));
                }
                let (api, tx) = (self.api.clone(), self.results_tx.clone());
                let (done, next) = oneshot::channel();
                let previous = self.last_send.replace(next);
                self.sends.spawn(async move {
                    if let Some(previous) = previous {
                        // Answered or dropped: either way it is our turn.
                        let _ = previous.await;
                    }
                    let msgs = match api.send_message(&channel, &message).await {
                        Ok(sent) => {
                            // Straight to the store too: if the loop has ended (quitting), the
                            // next start must not offer this message again.
                            if let Some(store) = &store {
                                store.write(Write::OutboxSent(message_id.clone()));
                            }
                            vec![Msg::SendConfirmed {
                                channel,
                                message_id,
                                created_at: Some(sent.created_at),
                            }]
                        }
                        Err(e) => failed(
                            ApiOp::Send {
                                channel,
                                message_id,
                            },
                            &e,
                        ),
                    };
                    for msg in msgs {
                        let _ = tx.send(msg);
                    }
                    let _ = done.send(());
                });
                // Finished sends are reaped here, so the set holds only those on their way.
                while self.sends.try_join_next().is_some() {}
            }
            Effect::EditMessage {
                channel,
                message_id,
                content,
            } => self.call(
                ApiOp::Edit {
                    channel: channel.clone(),
                    message_id: message_id.clone(),
                },
                async move |api: ApiClient| api.edit_message(&channel, &message_id, &content).await,
            ),
            Effect::DeleteMessage {
                channel,
                message_id,
            } => self.call(
                ApiOp::Delete {
                    channel: channel.clone(),
                    message_id: message_id.clone(),
                },
                async move |api: ApiClient| api.delete_message(&channel, &message_id).await,
            ),
            Effect::AddReaction {
                channel,
                message_id,
                emoji_id,
            } => self.call(
                ApiOp::AddReaction {
                    channel: channel.clone(),
                    message_id: message_id.clone(),
                },
                async move |api: ApiClient| api.add_reaction(&channel, &message_id, emoji_id).await,
            ),
            Effect::RemoveReaction {
                channel,
                message_id,
                emoji_id,
            } => self.call(
                ApiOp::RemoveReaction {
                    channel: channel.clone(),
                    message_id: message_id.clone(),
                },
                async move |api: ApiClient| {
                    api.remove_reaction(&channel, &message_id, emoji_id).await
                },
            ),
            Effect::MarkSeen { channel } => self.call(
                ApiOp::MarkSeen {
                    channel: channel.clone(),
                },
                async move |api: ApiClient| api.mark_seen(&channel).await,
            ),
            Effect::LoadHistory {
                channel,
                before,
                limit,
            } => {
                let store = self.store.clone();
                let tx = self.results_tx.clone();
                self.spawn(async move |api: ApiClient| {
                    if let Some(store) = store {
                        match stored_page(&store, &channel, before, limit).await {
                            // An older page the store holds whole: the server is not asked.
                            Some(msg @ Msg::StoredHistory { .. }) if before.is_some() => {
                                return vec![msg];
                            }
                            // The newest: the store's first (on screen at once, also
                            // offline), then the server's, merged by id.
                            Some(msg) => {
                                let _ = tx.send(msg);
                            }
                            None => {}
                        }
                    }
                    let query = MessageQuery {
                        limit: Some(limit),
                        before,
                        after: None,
                    };
                    match api.messages(&channel, &query).await {
                        Ok(page) => vec![Msg::History {
                            messages: page
                                .messages
                                .into_iter()
                                .map(|m| convert::message_owned(m, &channel))
                                .collect(),
                            channel,
                            has_past: page.has_past_messages,
                            older: before.is_some(),
                        }],
                        Err(e) => failed(ApiOp::History { channel }, &e),
                    }
                });
            }
            Effect::RefreshUnread { me, teams } => {
                self.spawn(async move |api: ApiClient| {
                    vec![load::unread_state(&api, &me, &teams).await]
                });
            }
            Effect::CountUnread { channel, after } => {
                let permits = Arc::clone(&self.unread_counts);
                self.spawn(async move |api: ApiClient| {
                    // Closed only if the executor is gone; then nothing is waiting for this.
                    let Ok(_permit) = permits.acquire().await else {
                        return Vec::new();
                    };
                    let query = MessageQuery {
                        limit: Some(100),
                        before: None,
                        after: Some(after),
                    };
                    match api.messages(&channel, &query).await {
                        Ok(page) => vec![Msg::UnreadSince {
                            messages: page
                                .messages
                                .into_iter()
                                .map(|m| convert::message_owned(m, &channel))
                                .collect(),
                            channel,
                        }],
                        // Only a guess from a marker: the badge stays as it was.
                        Err(e) => {
                            tracing::warn!("counting unread messages of {channel}: {e}");
                            Vec::new()
                        }
                    }
                });
            }
            Effect::LoadTeam { team } => {
                self.spawn(async move |api: ApiClient| load::joined_team(api, team).await);
            }
            Effect::CreateThread {
                channel,
                message,
                name,
            } => self.spawn(async move |api: ApiClient| {
                match api.create_thread(&channel, &name, Some(&message)).await {
                    // The gateway's `TemporalChannelCreated` brings it too; the answer is
                    // folded the same way (idempotent), so the thread opens without waiting.
                    Ok(thread) => thread
                        .and_then(|t| convert::thread(&t))
                        .map(|(channel, thread)| {
                            Msg::Chat(crate::app::ChatEvent::ThreadCreated { channel, thread })
                        })
                        .into_iter()
                        .collect(),
                    Err(e) => failed(ApiOp::CreateThread { channel }, &e),
                }
            }),
            Effect::SetPin {
                channel,
                message_id,
                pin,
            } => self.call(
                ApiOp::Pin {
                    channel: channel.clone(),
                    message_id: message_id.clone(),
                },
                async move |api: ApiClient| api.set_pin(&channel, &message_id, pin).await,
            ),
            Effect::OpenDm { me, user } => {
                self.spawn(
                    async move |api: ApiClient| match api.open_dm(&me, &user).await {
                        Ok(dm) => dm
                            .map(|dm| {
                                let (channel, users) = convert::dm_channel(&dm, &me);
                                Msg::Chat(crate::app::ChatEvent::DmCreated { channel, users })
                            })
                            .into_iter()
                            .collect(),
                        Err(e) => failed(ApiOp::OpenDm { user }, &e),
                    },
                );
            }
            Effect::LoadPins { channel } => {
                self.spawn(async move |api: ApiClient| match api.pins(&channel).await {
                    Ok(pins) => vec![Msg::Pins {
                        messages: pins.iter().map(|m| convert::message(m, &channel)).collect(),
                        channel,
                    }],
                    Err(e) => failed(ApiOp::Pins { channel }, &e),
                });
            }
            Effect::SetPresence { status, previous } => self.call(
                ApiOp::SetPresence { previous },
                async move |api: ApiClient| api.set_presence(status.code()).await,
            ),
            Effect::RefreshTeam { team } => {
                self.spawn(async move |api: ApiClient| load::refreshed_team(api, team).await);
            }
            Effect::OpenTeamSocket { team } => self.gateway.open_team(team),
            Effect::CloseTeamSocket { team } => self.gateway.close_team(team),
            Effect::SendTyping { channel } => self.gateway.typing(channel),
            Effect::TrackChannel { channel, newest } => {
                self.gateway.track_channel(channel, newest);
            }
            Effect::UntrackChannel { channel } => self.gateway.untrack_channel(channel),
            Effect::ReconnectNow => self.gateway.reconnect(),
            Effect::Copy(text) => {
                let clean = crate::sanitize::sanitize_multiline(&text).into_owned();
                let mut out = std::io::stdout();
                let _ = crossterm::execute!(
                    out,
                    crossterm::clipboard::CopyToClipboard::to_clipboard_from(clean)
                );
            }
            Effect::Notify(note) => {
                crate::tui::write_raw(&self.notifier.bytes(&note));
                if self.notifier.desktop {
                    crate::desktop::show(note);
                }
            }
            Effect::SetTitle(title) => crate::tui::set_title(&title),
            Effect::OpenUrl(url) => self.open_url(url),
            Effect::FetchImage(url) => super::images::spawn_fetch(
                self.image_client.clone(),
                self.image_fetches.clone(),
                url,
                self.image_target,
                self.results_tx.clone(),
            ),
            Effect::SaveState(state) => {
                state_file::keep(self.store.as_ref(), self.state_path.as_deref(), state);
            }
            Effect::Persist(write) => {
                if let Some(store) = &self.store {
                    store.write(write);
                }
            }
            Effect::Search { seq, query, limit } => {
                let tx = self.results_tx.clone();
                let Some(store) = self.store.clone() else {
                    let _ = tx.send(Msg::SearchResults {
                        seq,
                        result: Err("search needs the message store (store = true)".to_owned()),
                    });
                    return Flow::Continue;
                };
                tokio::spawn(async move {
                    let tz = jiff::tz::TimeZone::system();
                    let result = store
                        .query(move |q| q.search(&query, &tz, limit))
                        .await
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::SearchResults { seq, result });
                });
            }
            Effect::LoadAround {
                channel,
                message_id,
            } => {
                if let Some(store) = self.store.clone() {
                    let tx = self.results_tx.clone();
                    tokio::spawn(async move {
                        let id = message_id.clone();
                        let around = store.query(move |q| q.around(&id, AROUND)).await;
                        let (messages, has_past) = match around {
                            Ok(Some(around)) => (around.messages, around.has_past),
                            Ok(None) => (Vec::new(), true),
                            Err(e) => {
                                tracing::warn!("store: reading around a message: {e}");
                                (Vec::new(), true)
                            }
                        };
                        let _ = tx.send(Msg::StoredHistory {
                            channel,
                            messages,
                            has_past,
                            page: StoredPage::Around(message_id),
                        });
                    });
                }
            }
            Effect::Quit => return Flow::Quit,
            Effect::EditExternally { channel, text } => return Flow::Edit { channel, text },
        }
        Flow::Continue
    }

    /// Hand a web link to the system opener, detached from the terminal; a failure comes
    /// back as a notice.
    fn open_url(&self, url: String) {
        let tx = self.results_tx.clone();
        tokio::spawn(async move {
            let opener = opener();
            let status = tokio::process::Command::new(opener)
                .arg(&url)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .await;
            let failure = match status {
                Ok(s) if s.success() => return,
                Ok(s) => format!("{opener} could not open the link ({s})"),
                Err(e) => format!("cannot run {opener} to open the link: {e}"),
            };
            tracing::warn!("{failure}");
            let _ = tx.send(Msg::ActionFailed(failure));
        });
    }

    /// A call that answers nothing on success: only a failure comes back, as `op`.
    fn call<F, Fut>(&self, op: ApiOp, call: F)
    where
        F: FnOnce(ApiClient) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), ApiError>> + Send + 'static,
    {
        self.spawn(async move |api: ApiClient| match call(api).await {
            Ok(()) => Vec::new(),
            Err(e) => failed(op, &e),
        });
    }

    fn spawn<F, Fut>(&self, call: F)
    where
        F: FnOnce(ApiClient) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<Msg>> + Send + 'static,
    {
        let api = self.api.clone();
        let tx = self.results_tx.clone();
        tokio::spawn(async move {
            for msg in call(api).await {
                // The loop has ended when this fails; nothing left to tell.
                let _ = tx.send(msg);
            }
        });
    }
}

/// The system's "open this with the default application" command.
fn opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    }
}

/// A failed call, logged and told to the reducer.
fn failed(op: ApiOp, error: &ApiError) -> Vec<Msg> {
    tracing::warn!("{op:?}: {error}");
    vec![Msg::ApiFailed {
        op,
        failure: api_failure(error),
    }]
}

/// An API error in the client's terms (the reducer decides what each kind does).
pub(super) fn api_failure(error: &ApiError) -> ApiFailure {
    let kind = match error {
        e if e.is_unauthorized() => FailureKind::Unauthorized,
        ApiError::RateLimited => FailureKind::RateLimited,
        ApiError::Network(_) => FailureKind::Network,
        ApiError::Timeout => FailureKind::Timeout,
        ApiError::Status { status, .. } => match status {
            403 => FailureKind::Forbidden,
            404 => FailureKind::NotFound,
            429 => FailureKind::RateLimited,
            500..=599 => FailureKind::Server,
            _ => FailureKind::Other,
        },
        _ => FailureKind::Other,
    };
    ApiFailure {
        kind,
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(error: &ApiError) -> FailureKind {
        api_failure(error).kind
    }

    fn status(status: u16) -> ApiError {
        ApiError::Status {
            status,
            code: String::new(),
            message: format!("server answered {status}"),
        }
    }

    #[test]
    fn api_errors_become_failure_kinds_with_their_message() {
        assert_eq!(kind(&ApiError::Unauthorized), FailureKind::Unauthorized);
        assert_eq!(kind(&status(403)), FailureKind::Forbidden);
        assert_eq!(kind(&status(404)), FailureKind::NotFound);
        assert_eq!(kind(&ApiError::RateLimited), FailureKind::RateLimited);
        assert_eq!(kind(&status(429)), FailureKind::RateLimited);
        assert_eq!(kind(&status(502)), FailureKind::Server);
        assert_eq!(
            kind(&ApiError::Network("refused".into())),
            FailureKind::Network
        );
        assert_eq!(kind(&ApiError::Timeout), FailureKind::Timeout);
        assert_eq!(kind(&status(400)), FailureKind::Other);
        assert_eq!(kind(&ApiError::Decode("junk".into())), FailureKind::Other);
        // The words shown to the user are the error's own.
        let failure = api_failure(&ApiError::Timeout);
        assert_eq!(failure.message, ApiError::Timeout.to_string());
    }
}
