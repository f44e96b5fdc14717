//! Executing the reducer's effects: REST calls run as tasks that answer with a `Msg`; gateway
//! commands go to the `GatewayHandle`; terminal effects (bell, clipboard) are written directly.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiClient, ApiError, MessageQuery, NewMessage};
use crate::app::{App, Effect, Msg, convert};
use crate::gateway::GatewayHandle;

use super::{load, state_file};

/// What the loop needs to run effects.
pub struct Executor {
    pub api: ApiClient,
    pub gateway: GatewayHandle,
    /// Where answers of spawned calls go (back into the reducer).
    pub results_tx: UnboundedSender<Msg>,
    pub state_path: Option<PathBuf>,
    /// Channels the gateway backfills after a reconnect.
    tracked: HashSet<String>,
}

/// Whether the loop should go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

impl Executor {
    pub fn new(
        api: ApiClient,
        gateway: GatewayHandle,
        results_tx: UnboundedSender<Msg>,
        state_path: Option<PathBuf>,
    ) -> Executor {
        Executor {
            api,
            gateway,
            results_tx,
            state_path,
            tracked: HashSet::new(),
        }
    }

    /// Run one effect. `app` is read for context (newest message of a tracked channel).
    pub fn run(&mut self, effect: Effect, app: &App) -> Flow {
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
                self.spawn(async move |api: ApiClient| {
                    match api.send_message(&channel, &message).await {
                        Ok(sent) => vec![Msg::SendConfirmed {
                            channel,
                            message_id,
                            created_at: Some(sent.created_at),
                        }],
                        Err(e) => {
                            tracing::warn!("sending to {channel}: {e}");
                            let mut out = vec![Msg::SendFailed {
                                channel,
                                message_id,
                                error: e.to_string(),
                            }];
                            if e.is_unauthorized() {
                                out.push(Msg::Unauthorized);
                            }
                            out
                        }
                    }
                });
            }
            Effect::EditMessage {
                channel,
                message_id,
                content,
            } => self.spawn(async move |api: ApiClient| {
                failure(
                    "Editing the message",
                    api.edit_message(&channel, &message_id, &content).await,
                )
            }),
            Effect::DeleteMessage {
                channel,
                message_id,
            } => self.spawn(async move |api: ApiClient| {
                failure(
                    "Deleting the message",
                    api.delete_message(&channel, &message_id).await,
                )
            }),
            Effect::AddReaction {
                channel,
                message_id,
                emoji_id,
            } => self.spawn(async move |api: ApiClient| {
                failure(
                    "Adding the reaction",
                    api.add_reaction(&channel, &message_id, emoji_id).await,
                )
            }),
            Effect::RemoveReaction {
                channel,
                message_id,
                emoji_id,
            } => self.spawn(async move |api: ApiClient| {
                failure(
                    "Removing the reaction",
                    api.remove_reaction(&channel, &message_id, emoji_id).await,
                )
            }),
            Effect::MarkSeen { channel } => self.spawn(async move |api: ApiClient| {
                failure("Marking the channel read", api.mark_seen(&channel).await)
            }),
            Effect::LoadHistory {
                channel,
                before,
                limit,
            } => {
                let me = app.me.id.clone();
                self.spawn(async move |api: ApiClient| {
                    let query = MessageQuery {
                        limit: Some(limit),
                        before,
                        after: None,
                    };
                    match api.messages(&channel, &query).await {
                        Ok(page) => vec![Msg::History {
                            messages: page
                                .messages
                                .iter()
                                .map(|m| {
                                    let mut m = convert::message(m, &channel);
                                    convert::mark_mine(&mut m, &me);
                                    m
                                })
                                .collect(),
                            channel,
                            has_past: page.has_past_messages,
                            older: before.is_some(),
                        }],
                        Err(e) if e.is_unauthorized() => vec![
                            Msg::HistoryFailed {
                                channel,
                                error: e.to_string(),
                            },
                            Msg::Unauthorized,
                        ],
                        Err(e) => vec![Msg::HistoryFailed {
                            channel,
                            error: e.to_string(),
                        }],
                    }
                });
            }
            Effect::LoadTeam { team } => {
                let ids: Vec<String> = app
                    .teams
                    .iter()
                    .map(|t| t.id.clone())
                    .chain(std::iter::once(team.clone()))
                    .collect();
                self.gateway.set_teams(ids);
                self.spawn(async move |api: ApiClient| vec![load::joined_team(api, team).await]);
            }
            Effect::SendTyping { channel } => self.gateway.typing(channel),
            Effect::TrackChannels { channels } => {
                let wanted: HashSet<String> = channels.into_iter().collect();
                for gone in self.tracked.difference(&wanted) {
                    self.gateway.untrack_channel(gone.clone());
                }
                for new in wanted.difference(&self.tracked) {
                    let newest = app
                        .timelines
                        .get(new)
                        .and_then(crate::app::timeline::Timeline::newest_time);
                    self.gateway.track_channel(new.clone(), newest);
                }
                self.tracked = wanted;
            }
            Effect::Copy(text) => {
                let clean = crate::sanitize::sanitize_multiline(&text).into_owned();
                let mut out = std::io::stdout();
                let _ = crossterm::execute!(
                    out,
                    crossterm::clipboard::CopyToClipboard::to_clipboard_from(clean)
                );
            }
            Effect::Bell => {
                let mut out = std::io::stdout();
                let _ = out.write_all(b"\x07").and_then(|()| out.flush());
            }
            Effect::SaveState(state) => {
                if let Some(path) = &self.state_path
                    && let Err(e) = state_file::save(path, &state)
                {
                    tracing::warn!("cannot save {}: {e}", path.display());
                }
            }
            Effect::Quit => return Flow::Quit,
        }
        Flow::Continue
    }

    /// Tell the gateway the newest message of a tracked channel (after a history page).
    pub fn note_history(&self, channel: &str, app: &App) {
        if self.tracked.contains(channel) {
            let newest = app
                .timelines
                .get(channel)
                .and_then(crate::app::timeline::Timeline::newest_time);
            self.gateway.track_channel(channel.to_owned(), newest);
        }
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

/// The messages a failed call turns into (nothing on success).
fn failure(context: &str, result: Result<(), ApiError>) -> Vec<Msg> {
    if let Err(e) = &result {
        tracing::warn!("{context}: {e}");
    }
    match result {
        Ok(()) => Vec::new(),
        Err(e) if e.is_unauthorized() => vec![Msg::Unauthorized],
        Err(e) => vec![Msg::ApiError {
            context: context.to_owned(),
            error: e.to_string(),
        }],
    }
}
