//! Bulk deletes and team structure over the wire: the built-in server changes the world
//! (purges, bulk deletes, archives, categories, team names), the real gateway worker decodes
//! what it emits, and the reducer folds it; debounced refetches run against the server's REST
//! like the runtime runs them.

use std::time::Instant;

use gilt::api::{ApiClient, MessageQuery};
use gilt::app::{App, ChannelId, Effect, InitialData, Msg, Settings, TeamData, convert, update};
use gilt::gateway::{self, GatewayEvent, GatewayHandle, SocketKind};
use gilt::keymap::Keymap;
use gilt::protocol::TeamId;
use gilt::server::ServerHandle;
use tokio::sync::mpsc::Receiver;

use crate::support::net::{WAIT, gateway_config, login, server, wait_connected};

/// A client as the runtime wires one: the model, its gateway and REST for the effects.
struct Client {
    app: App,
    api: ApiClient,
    events: Receiver<GatewayEvent>,
    _gateway: GatewayHandle,
}

async fn team_data(api: &ApiClient, team: &gilt::protocol::models::Team) -> TeamData {
    let channels = api.team_channels(&team.id).await.unwrap();
    let members = api.team_members(&team.id).await.unwrap();
    convert::team_data(team, Some(&channels), &members)
}

impl Client {
    async fn start(server: &ServerHandle) -> Client {
        let (api, me) = login(server).await;
        let teams: Vec<TeamId> = me.teams.iter().map(|t| t.id.clone()).collect();
        let (gateway, mut events) =
            gateway::spawn(gateway_config(server, teams.clone()), api.clone()).unwrap();
        let mut sockets = vec![SocketKind::Main];
        sockets.extend(teams.into_iter().map(SocketKind::Team));
        wait_connected(&mut events, &sockets).await;
        let mut data = InitialData {
            me: convert::user(&me.user),
            ..InitialData::default()
        };
        let mut threads = Vec::new();
        for team in &me.teams {
            data.teams.push(team_data(&api, team).await);
            let channels = api.team_channels(&team.id).await.unwrap();
            threads.extend(convert::team_threads(&team.id, &channels));
        }
        let mut client = Client {
            app: App::new(Settings::default(), Keymap::default(), 1),
            api,
            events,
            _gateway: gateway,
        };
        client.send(Msg::Loaded(data)).await;
        for thread in threads {
            client.send(Msg::Chat(thread)).await;
        }
        client
    }

    /// Fold a message and run the effects these tests need (history pages, team refetches).
    async fn send(&mut self, msg: Msg) {
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in update(&mut self.app, msg, Instant::now()) {
                match effect {
                    Effect::LoadHistory { channel, .. } => {
                        let page = self
                            .api
                            .messages(&channel, &MessageQuery::default())
                            .await
                            .unwrap();
                        queue.push(Msg::History {
                            messages: page
                                .messages
                                .iter()
                                .map(|m| convert::message(m, &channel))
                                .collect(),
                            channel,
                            has_past: page.has_past_messages,
                            older: false,
                        });
                    }
                    Effect::RefreshTeam { team } => {
                        let team = self.api.team(&team).await.unwrap();
                        queue.push(Msg::TeamRefreshed(team_data(&self.api, &team).await));
                    }
                    _ => {}
                }
            }
        }
    }

    /// Fold gateway events (and ticks at the model's deadlines) until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let give_up = tokio::time::Instant::now() + WAIT;
        while !done(&self.app) {
            let wake = self
                .app
                .next_deadline()
                .map_or(give_up, |d| tokio::time::Instant::from_std(d).min(give_up));
            tokio::select! {
                event = self.events.recv() => match event {
                    Some(GatewayEvent::Event { event, .. }) => self.send(Msg::Gateway(event)).await,
                    Some(_) => {}
                    None => panic!("the gateway stopped while waiting for {what}"),
                },
                () = tokio::time::sleep_until(wake) => {
                    assert!(tokio::time::Instant::now() < give_up, "timed out waiting for {what}");
                    self.send(Msg::Tick).await;
                }
            }
        }
    }

    fn channel_names(&self, team: &str) -> Vec<String> {
        let team = self.app.teams.iter().find(|t| t.id == team).unwrap();
        team.channel_ids()
            .map(|id| self.app.channels[id].name.clone())
            .collect()
    }
}

#[tokio::test]
async fn bulk_deletes_and_purges_leave_the_open_timeline() {
    let server = server().await;
    let w = server.world();
    let mut client = Client::start(&server).await;
    // Start-up opened #welcome, the first text channel, and loaded its history.
    let general = w.channel("welcome").unwrap().clone();
    let open = ChannelId::from(general.id.as_str());
    assert_eq!(client.app.current, Some(open.clone()));
    let crew = general.team_id.clone().unwrap();
    let ada = w.user_id("ada").unwrap().to_owned();
    let bjorn = w.user_id("bjorn").unwrap().to_owned();
    let a1 = server.post_as(&ada, &general.id, "one", true).unwrap();
    let a2 = server.post_as(&ada, &general.id, "two", true).unwrap();
    let b1 = server.post_as(&bjorn, &general.id, "three", true).unwrap();
    client
        .until("the three posts", |app| {
            app.timelines
                .get(&open)
                .is_some_and(|tl| tl.get(&b1.as_str().into()).is_some())
        })
        .await;

    server
        .delete_messages(&general.id, &[a1.clone(), b1.clone()])
        .unwrap();
    client
        .until("the bulk delete", |app| {
            app.timelines[&open].get(&b1.as_str().into()).is_none()
        })
        .await;
    let tl = &client.app.timelines[&open];
    assert!(tl.get(&a1.as_str().into()).is_none());
    assert!(tl.get(&a2.as_str().into()).is_some());

    server.purge_member_messages(&crew, &ada).unwrap();
    client
        .until("ada's messages purged", |app| {
            app.timelines[&open]
                .iter()
                .all(|m| m.author_id != ada.as_str())
        })
        .await;
}

#[tokio::test]
async fn renamed_team_new_category_and_archived_channels_show_without_a_restart() {
    let server = server().await;
    let w = server.world();
    let mut client = Client::start(&server).await;
    let crew = w.team("Gilt Crew").unwrap().id.clone();
    let random = w.channel("random").unwrap().id.clone();

    server.rename_team(&crew, "Gilt Crew 2").unwrap();
    client
        .until("the team renamed", |app| {
            app.teams.iter().any(|t| t.name == "Gilt Crew 2")
        })
        .await;

    let games = server.upsert_category(&crew, None, "Games", 99).unwrap();
    client
        .until("the new category", |app| {
            app.teams
                .iter()
                .find(|t| t.id == crew.as_str())
                .is_some_and(|t| {
                    t.categories
                        .first()
                        .is_some_and(|c| c.id == games && c.name == "Games")
                })
        })
        .await;

    server.set_archived(&random, true).unwrap();
    client
        .until("#random archived", |app| {
            !app.channels.contains_key(random.as_str())
        })
        .await;
    assert!(!client.channel_names(&crew).contains(&"random".to_owned()));

    // A restore says only which channel: the team's list is refetched, and #random is back.
    server.set_archived(&random, false).unwrap();
    client
        .until("#random restored", |app| {
            app.channels.contains_key(random.as_str())
        })
        .await;
    assert!(client.channel_names(&crew).contains(&"random".to_owned()));
}

#[tokio::test]
async fn a_thread_started_over_rest_arrives_under_its_parent_and_survives_a_restart() {
    let server = server().await;
    let w = server.world();
    let mut client = Client::start(&server).await;
    let welcome = w.channel("welcome").unwrap().clone();
    let parent = ChannelId::from(welcome.id.as_str());
    let ada = w.user_id("ada").unwrap().to_owned();
    let from = server
        .post_as(&ada, &welcome.id, "let's talk", true)
        .unwrap();
    client
        .until("the post", |app| {
            app.timelines[&parent].get(&from.as_str().into()).is_some()
        })
        .await;

    // What the runtime does for `t`: the REST call, its answer folded like the event.
    let thread = client
        .api
        .create_thread(&parent, "talk", Some(&from.as_str().into()))
        .await
        .unwrap()
        .expect("the answer carries the thread");
    assert_eq!(thread.parent_channel_id, Some(parent.clone()));
    assert_eq!(thread.thread_message_id, Some(from.as_str().into()));
    let id = thread.id.clone();
    client
        .until("TemporalChannelCreated", |app| {
            app.threads.contains_key(&id)
        })
        .await;
    let entries = client.app.sidebar_entries();
    let row = |c: &ChannelId| {
        entries
            .iter()
            .position(|e| *e == gilt::app::SidebarEntry::Channel(c.clone()))
    };
    assert_eq!(row(&id), row(&parent).map(|r| r + 1));
    assert_eq!(
        client
            .app
            .thread_of_message(&from.as_str().into())
            .map(|c| c.name.as_str()),
        Some("talk")
    );

    // A second client starting now gets it from the team's `temporalChannels`.
    let fresh = Client::start(&server).await;
    assert_eq!(fresh.app.threads[&id].parent, parent);
    assert!(fresh.app.channels.contains_key(&id));
}

#[tokio::test]
async fn a_pin_round_trips_and_the_list_comes_from_the_server() {
    let server = server().await;
    let w = server.world();
    let mut client = Client::start(&server).await;
    let welcome = w.channel("welcome").unwrap().clone();
    let open = ChannelId::from(welcome.id.as_str());
    let ada = w.user_id("ada").unwrap().to_owned();
    let id = server.post_as(&ada, &welcome.id, "pin me", true).unwrap();
    let message = gilt::protocol::MessageId::from(id.as_str());
    client
        .until("the post", |app| {
            app.timelines[&open].get(&message).is_some()
        })
        .await;
    // What the runtime does for `p`.
    client.api.set_pin(&open, &message, true).await.unwrap();
    client
        .until("ChatPinnedMessageCreated", |app| {
            app.timelines[&open]
                .get(&message)
                .is_some_and(|m| m.is_pinned)
        })
        .await;
    let pins = client.api.pins(&open).await.unwrap();
    assert_eq!(pins.first().map(|m| m.id.clone()), Some(message.clone()));
    client.api.set_pin(&open, &message, false).await.unwrap();
    client
        .until("ChatPinnedMessageDeleted", |app| {
            app.timelines[&open]
                .get(&message)
                .is_some_and(|m| !m.is_pinned)
        })
        .await;
    let pins = client.api.pins(&open).await.unwrap();
    assert!(!pins.iter().any(|m| m.id == message));
}

#[tokio::test]
async fn a_new_dm_opened_over_rest_arrives_and_opens() {
    let server = server().await;
    let w = server.world();
    let mut client = Client::start(&server).await;
    let me = client.app.me.id.clone();
    let with_dm: Vec<String> = w.dms.iter().flat_map(|d| d.user_ids.clone()).collect();
    let (other, _) = w
        .users
        .iter()
        .find(|(id, _)| *id != me.as_str() && !with_dm.contains(id))
        .cloned()
        .unwrap();
    let other = gilt::protocol::UserId::from(other.as_str());
    let dm = client
        .api
        .open_dm(&me, &other)
        .await
        .unwrap()
        .expect("the answer carries the channel");
    let id = dm.id.clone();
    client
        .until("DMChatChannelCreated", |app| app.dms.contains(&id))
        .await;
    assert!(!client.app.channels[&id].name.is_empty());
    // The same DM again: nothing new.
    let again = client.api.open_dm(&me, &other).await.unwrap().unwrap();
    assert_eq!(again.id, id);
}
