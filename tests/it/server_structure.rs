//! The built-in server's moderation and structure events, as a raw client sees them: the
//! payload shapes of docs/PROTOCOL.md, on the right sockets, and the REST lists agreeing.

use serde_json::json;

use crate::support::raw_client::{Api, Gw, start};

#[tokio::test]
async fn bulk_deletes_and_purges_have_their_documented_shapes() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let welcome = w.channel("welcome").unwrap().clone();
    let crew = welcome.team_id.clone().unwrap();
    let mut main = Gw::connect(&server, &api, None).await;
    let mut team = Gw::connect(&server, &api, Some(&crew)).await;
    let ada = w.user_id("ada").unwrap().to_owned();
    let one = server.post_as(&ada, &welcome.id, "one", false).unwrap();
    let two = server.post_as(&ada, &welcome.id, "two", false).unwrap();

    let deleted = server
        .delete_messages(&welcome.id, &[one.clone(), "no-such".into()])
        .unwrap();
    assert_eq!(deleted, std::slice::from_ref(&one));
    let ev = main.event("ChatMessagesDeleted").await;
    assert_eq!(
        ev,
        json!({"type": "ChatMessagesDeleted", "channelId": welcome.id, "teamId": crew, "messageIds": [one]})
    );

    // ada also wrote in the demo world's history: all of it goes.
    assert!(server.purge_member_messages(&crew, &ada).unwrap() > 1);
    let ev = team.event("TeamMessagesDeleted").await;
    assert_eq!(
        ev,
        json!({"type": "TeamMessagesDeleted", "teamId": crew, "userId": ada})
    );
    let page = api
        .get(&format!("/channels/{}/messages?limit=100", welcome.id))
        .await;
    let messages = page.body["messages"].as_array().unwrap();
    assert!(!messages.is_empty());
    assert!(
        messages
            .iter()
            .all(|m| m["createdBy"] != ada.as_str() && m["id"] != two.as_str()),
        "purged from the history too"
    );
}

#[tokio::test]
async fn structure_events_have_their_documented_shapes_and_the_lists_agree() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let crew = w.team("Gilt Crew").unwrap().id.clone();
    let random = w.channel("random").unwrap().id.clone();
    let mut team = Gw::connect(&server, &api, Some(&crew)).await;
    let listed = |body: &serde_json::Value| -> Vec<String> {
        body["channels"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_owned))
            .collect()
    };

    server.set_archived(&random, true).unwrap();
    let ev = team.event("TeamChannelArchived").await;
    assert_eq!(
        ev,
        json!({"type": "TeamChannelArchived", "teamId": crew, "channelId": random})
    );
    let channels = api.get(&format!("/teams/{crew}/channels")).await;
    assert!(!listed(&channels.body).contains(&random));
    server.set_archived(&random, false).unwrap();
    let ev = team.event("TeamChannelRestored").await;
    assert_eq!(ev["channelId"], random.as_str());
    let channels = api.get(&format!("/teams/{crew}/channels")).await;
    assert!(listed(&channels.body).contains(&random));

    let id = server.upsert_category(&crew, None, "Games", 7).unwrap();
    let ev = team.event("TeamChannelCategoryCreated").await;
    assert_eq!(ev["teamId"], crew.as_str());
    assert_eq!(ev["category"]["id"], id);
    assert_eq!(ev["category"]["name"], "Games");
    server.upsert_category(&crew, Some(id), "Play", 7).unwrap();
    let ev = team.event("TeamChannelCategoryUpdated").await;
    assert_eq!(ev["category"]["name"], "Play");
    server.delete_category(&crew, id).unwrap();
    let ev = team.event("TeamChannelCategoryDeleted").await;
    assert_eq!(
        ev,
        json!({"type": "TeamChannelCategoryDeleted", "teamId": crew, "categoryId": id})
    );

    server.rename_team(&crew, "Renamed").unwrap();
    let ev = team.event("TeamUpdated").await;
    assert_eq!(
        ev,
        json!({"type": "TeamUpdated", "teamId": crew, "team": {"id": crew, "name": "Renamed"}})
    );

    server
        .delete_channels(&crew, std::slice::from_ref(&random))
        .unwrap();
    let ev = team.event("TeamChannelsDeleted").await;
    assert_eq!(
        ev,
        json!({"type": "TeamChannelsDeleted", "teamId": crew, "channelIds": [random]})
    );
    let channels = api.get(&format!("/teams/{crew}/channels")).await;
    assert!(!listed(&channels.body).contains(&random));
}

#[tokio::test]
async fn threads_start_from_a_message_and_are_listed_apart() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let welcome = w.channel("welcome").unwrap().clone();
    let crew = welcome.team_id.clone().unwrap();
    let mut team = Gw::connect(&server, &api, Some(&crew)).await;
    let from = api.say(&welcome.id, "thread me").await;

    let resp = api
        .post(
            &format!("/channels/{}/threads", welcome.id),
            json!({"name": "side", "contentType": "chat", "threadMessageId": from}),
        )
        .await;
    assert!(resp.status.is_success(), "{:?}", resp.body);
    let thread = &resp.body["thread"];
    assert_eq!(thread["parentChannelId"], welcome.id.as_str());
    assert_eq!(thread["threadMessageId"], from.as_str());
    let ev = team.event("TemporalChannelCreated").await;
    assert_eq!(ev["teamId"], crew.as_str());
    assert_eq!(ev["channel"]["id"], thread["id"]);
    assert_eq!(ev["silenceNotification"], false);

    let lists = api.get(&format!("/teams/{crew}/channels")).await;
    let ids = |key: &str| -> Vec<String> {
        lists.body[key]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["id"].as_str().map(str::to_owned))
            .collect()
    };
    let thread_id = thread["id"].as_str().unwrap().to_owned();
    assert_eq!(ids("temporalChannels"), std::slice::from_ref(&thread_id));
    assert!(!ids("channels").contains(&thread_id));
    // One thread per message; no nameless threads; none in a thread.
    for body in [
        json!({"name": "again", "threadMessageId": from}),
        json!({"name": "  "}),
    ] {
        let resp = api
            .post(&format!("/channels/{}/threads", welcome.id), body)
            .await;
        assert_eq!(resp.status.as_u16(), 400, "{:?}", resp.body);
    }
    let resp = api
        .post(
            &format!("/channels/{thread_id}/threads"),
            json!({"name": "nested"}),
        )
        .await;
    assert_eq!(resp.status.as_u16(), 400);
    // Messages go to the thread like to any channel.
    api.say(&thread_id, "in the thread").await;
}

#[tokio::test]
async fn opening_a_dm_creates_it_once_and_tells_both_people() {
    let server = start().await;
    let w = server.world();
    let api = Api::logged_in(&server).await;
    let me = w.demo_user_id.clone();
    // Someone the demo user has no DM with.
    let with_dm: Vec<String> = w.dms.iter().flat_map(|d| d.user_ids.clone()).collect();
    let (other, _) = w
        .users
        .iter()
        .find(|(id, _)| *id != me && !with_dm.contains(id))
        .cloned()
        .unwrap();
    let mut main = Gw::connect(&server, &api, None).await;
    let resp = api
        .post(
            &format!("/users/{me}/channels"),
            json!({"users": [{"id": other}]}),
        )
        .await;
    assert!(resp.status.is_success(), "{:?}", resp.body);
    let channel = resp.body["channel"].clone();
    let ev = main.event("DMChatChannelCreated").await;
    assert_eq!(ev["channel"]["id"], channel["id"]);
    assert_eq!(ev["channelId"], channel["id"]);
    // Asking again finds the same DM, and announces nothing new.
    let again = api
        .post(
            &format!("/users/{me}/channels"),
            json!({"users": [{"id": other}]}),
        )
        .await;
    assert_eq!(again.body["channel"]["id"], channel["id"]);
    let listed = api.get(&format!("/users/{me}/channels")).await;
    let count = listed.body["channels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == channel["id"])
        .count();
    assert_eq!(count, 1);
    for body in [
        json!({"users": [{"id": "nobody00"}]}),
        json!({"users": []}),
        json!({"users": [{"id": me}]}),
    ] {
        let resp = api
            .post(&format!("/users/{me}/channels"), body.clone())
            .await;
        assert!(resp.status.is_client_error(), "{body}: {:?}", resp.status);
    }
}
