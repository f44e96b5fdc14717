//! Fuzz the REST models: arbitrary bytes, decoded as every DTO a REST answer (or an error
//! body, or a request the built-in server reads) is decoded into, must give a value or an
//! error, never a panic; and what decodes must encode again where the type is encodable.
#![no_main]

use gilt_protocol::models::{
    ApiErrorBody, Category, Channel, ChannelMessagesResponse, CustomReaction, DmChannel,
    DmChannelsResponse, DmUser, EditMessageRequest, LoginRequest, Me, MembersDetailRequest,
    MembersDetailResponse, Message, MessageResponse, OpenDmRequest, OpenDmResponse,
    PinsResponse, PresenceRequest, Reaction, Role, SeenRequest, SendMessageRequest,
    SendMessageResponse, Slowmode, Team, TeamChannelsResponse, TeamMember, TeamMembersResponse,
    TeamResponse, User, UserResponse, UserStatus,
};
use libfuzzer_sys::fuzz_target;

/// Decode `data` as `T`; on success, inspect it through `Debug` (every field is visited).
fn decode<T: serde::de::DeserializeOwned + std::fmt::Debug>(data: &[u8]) -> Option<T> {
    let value = serde_json::from_slice::<T>(data).ok()?;
    let _ = format!("{value:?}");
    Some(value)
}

/// Decode, then encode what decoded and decode that again: it must decode.
fn round_trip<T>(data: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    if let Some(value) = decode::<T>(data) {
        let json = serde_json::to_vec(&value).expect("a decoded model encodes");
        serde_json::from_slice::<T>(&json).expect("an encoded model decodes again");
    }
}

fuzz_target!(|data: &[u8]| {
    // Answers gilt reads.
    decode::<Me>(data);
    decode::<User>(data);
    decode::<UserStatus>(data);
    decode::<Team>(data);
    decode::<Role>(data);
    decode::<TeamMember>(data);
    decode::<Vec<TeamMember>>(data);
    decode::<CustomReaction>(data);
    decode::<Channel>(data);
    decode::<Category>(data);
    decode::<DmUser>(data);
    decode::<DmChannel>(data);
    decode::<Vec<DmChannel>>(data);
    decode::<Reaction>(data);
    if let Some(message) = decode::<Message>(data) {
        let _ = message.content.plain_text();
    }
    decode::<ApiErrorBody>(data);
    decode::<ChannelMessagesResponse>(data);
    decode::<PinsResponse>(data);
    decode::<TeamChannelsResponse>(data);
    decode::<TeamMembersResponse>(data);
    decode::<DmChannelsResponse>(data);
    decode::<OpenDmResponse>(data);
    decode::<TeamResponse>(data);
    decode::<UserResponse>(data);
    decode::<MessageResponse>(data);
    decode::<Slowmode>(data);
    decode::<SendMessageResponse>(data);
    decode::<MembersDetailResponse>(data);
    // Requests (the built-in server decodes them; gilt encodes them).
    round_trip::<LoginRequest>(data);
    round_trip::<SendMessageRequest>(data);
    round_trip::<EditMessageRequest>(data);
    round_trip::<SeenRequest>(data);
    round_trip::<PresenceRequest>(data);
    round_trip::<OpenDmRequest>(data);
    round_trip::<MembersDetailRequest>(data);
});
