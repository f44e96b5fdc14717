//! The names of Guilded gateway events: every event of the community's gateway event list
//! (see docs/PROTOCOL.md), with the real wire spellings (`CHANNEL_SEEN`, `teamRolesUpdated`,
//! …) mapped to the same kind as the prettified names.
//!
//! Rule: lookups never allocate and never panic; pure data.

/// Declares [`EventKind`] with its prettified name and, where known, the spelling Guilded
/// really sends (see docs/PROTOCOL.md).
macro_rules! event_kinds {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal $(, wire $wire:literal)? ;)*) => {
        /// A gateway event name. [`EventKind::name`] is the prettified name of the event
        /// list; [`EventKind::wire_name`] is the spelling the real service used.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventKind {
            $( $(#[$doc])* $variant, )*
        }

        impl EventKind {
            /// Every known kind, in the order of the event list.
            pub const ALL: &'static [EventKind] = &[ $( EventKind::$variant, )* ];

            /// The prettified name (`ChannelSeen`).
            pub const fn name(self) -> &'static str {
                match self { $( EventKind::$variant => $name, )* }
            }

            /// The name as Guilded sends it (`CHANNEL_SEEN`); the prettified name where no
            /// other spelling is known.
            pub const fn wire_name(self) -> &'static str {
                match self { $( EventKind::$variant => event_kinds!(@wire $name $(, $wire)?), )* }
            }

            fn from_exact(name: &str) -> Option<EventKind> {
                match name {
                    $( $name => Some(EventKind::$variant), )*
                    $( $( $wire => Some(EventKind::$variant), )? )*
                    _ => None,
                }
            }
        }
    };
    (@wire $name:literal) => { $name };
    (@wire $name:literal, $wire:literal) => { $wire };
}

event_kinds! {
    /// Defines the heartbeat.
    Hello = "Hello";
    /// New dm channel created.
    DmChatChannelCreated = "DMChatChannelCreated";
    /// Undocumented.
    ChatChannelBroadcastCall = "ChatChannelBroadcastCall";
    /// Undocumented.
    ChatChannelBroadcastCallResponse = "ChatChannelBroadcastCallResponse";
    /// Team channel was updated.
    ChatChannelUpdated = "ChatChannelUpdated";
    /// User began typing in a channel.
    ChatChannelTyping = "ChatChannelTyping";
    /// Team channel was hidden.
    ChatChannelHidden = "ChatChannelHidden";
    /// Undocumented.
    ChatChannelNicknameChanged = "ChatChannelNicknameChanged";
    /// Message was sent.
    ChatMessageCreated = "ChatMessageCreated";
    /// Message was edited.
    ChatMessageUpdated = "ChatMessageUpdated";
    /// Message was deleted.
    ChatMessageDeleted = "ChatMessageDeleted";
    /// Multiple messages were deleted at once.
    ChatMessagesDeleted = "ChatMessagesDeleted";
    /// User reacted to a message.
    ChatMessageReactionAdded = "ChatMessageReactionAdded";
    /// User removed a reaction to a message.
    ChatMessageReactionDeleted = "ChatMessageReactionDeleted";
    /// Message was pinned.
    ChatPinnedMessageCreated = "ChatPinnedMessageCreated";
    /// Message was unpinned.
    ChatPinnedMessageDeleted = "ChatPinnedMessageDeleted";
    /// Thread was created.
    TemporalChannelCreated = "TemporalChannelCreated";
    /// User was added to a thread.
    TemporalChannelUsersAdded = "TemporalChannelUsersAdded";
    /// Client reconnected to a team websocket.
    TeamSocketReconnected = "TeamSocketReconnected";
    /// Role was created/removed/edited in a team.
    TeamRolesUpdated = "TeamRolesUpdated", wire "teamRolesUpdated";
    /// Undocumented.
    TeamXpAdded = "TeamXpAdded";
    /// Undocumented.
    TeamXpSet = "TeamXpSet";
    /// Undocumented.
    TeamReactionsUpdated = "TeamReactionsUpdated";
    /// Undocumented.
    TeamContentReactionsAdded = "TeamContentReactionsAdded", wire "teamContentReactionsAdded";
    /// Undocumented.
    TeamContentReactionsRemoved = "TeamContentReactionsRemoved";
    /// Undocumented.
    TeamContentDeleted = "TeamContentDeleted";
    /// Undocumented.
    TeamMessagesDeleted = "TeamMessagesDeleted";
    /// Undocumented.
    TeamThreadCreated = "TeamThreadCreated";
    /// Undocumented.
    TeamThreadReplyCreated = "TeamThreadReplyCreated";
    /// Undocumented.
    TeamEventModified = "TeamEventModified";
    /// Undocumented.
    TeamEventCreated = "TeamEventCreated";
    /// Undocumented.
    TeamEventRemoved = "TeamEventRemoved";
    /// Member joined a team.
    TeamMemberJoined = "TeamMemberJoined";
    /// User removed from a team.
    TeamMemberRemoved = "TeamMemberRemoved";
    /// User were pruned from a team.
    TeamMembersRemoved = "TeamMembersRemoved";
    /// Member was muted or unmuted.
    TeamMutedMembersUpdated = "TeamMutedMembersUpdated";
    /// Member was deafened or undeafened.
    TeamDeafenedMembersUpdated = "TeamDeafenedMembersUpdated";
    /// Member's nickname was set or reset.
    TeamMemberAliasUpdated = "TeamMemberAliasUpdated";
    /// Probably something about guilded gold.
    TeamSubscriptionInfoUpdated = "TeamSubscriptionInfoUpdated";
    /// Member started or stopped video streaming.
    TeamStreamInfoUpdated = "TeamStreamInfoUpdated";
    /// Undocumented.
    TeamContentOperationsApplied = "TeamContentOperationsApplied";
    /// Undocumented.
    TeamContentReplaced = "TeamContentReplaced";
    /// Undocumented.
    TeamContentReplyAdded = "TeamContentReplyAdded";
    /// Undocumented.
    TeamContentReplyRemoved = "TeamContentReplyRemoved";
    /// Undocumented.
    TeamAvailabilitiesUpdated = "TeamAvailabilitiesUpdated";
    /// Undocumented.
    TeamChannelAvailabilitiesUpdated = "TeamChannelAvailabilitiesUpdated";
    /// Undocumented.
    TeamChannelAvailabilitiesRemoved = "TeamChannelAvailabilitiesRemoved";
    /// Member was updated.
    TeamMemberUpdated = "TeamMemberUpdated";
    /// Social media info for a team was updated.
    TeamMemberSocialLinkUpdated = "TeamMemberSocialLinkUpdated";
    /// Game was added to a team.
    TeamGameAdded = "TeamGameAdded";
    /// User applied to join a team.
    TeamApplicationCreated = "TeamApplicationCreated";
    /// User's application was deleted (or denied?).
    TeamApplicationRemoved = "TeamApplicationRemoved";
    /// User's application was updated.
    TeamApplicationUpdated = "TeamApplicationUpdated";
    /// Team was updated.
    TeamUpdated = "TeamUpdated";
    /// New team channel was created.
    TeamChannelCreated = "TeamChannelCreated";
    /// Team channel was updated.
    TeamChannelUpdated = "TeamChannelUpdated";
    /// Team channel permissions (or position?) was updated.
    TeamChannelPrioritiesUpdated = "TeamChannelPrioritiesUpdated";
    /// Category permissions (or position?) was updated.
    TeamChannelCategoryPrioritiesUpdated = "TeamChannelCategoryPrioritiesUpdated";
    /// Team channel was deleted.
    TeamChannelDeleted = "TeamChannelDeleted";
    /// Multiple team channels were deleted.
    TeamChannelsDeleted = "TeamChannelsDeleted";
    /// Category was created.
    TeamChannelCategoryCreated = "TeamChannelCategoryCreated";
    /// Category was updated.
    TeamChannelCategoryUpdated = "TeamChannelCategoryUpdated";
    /// Category was deleted.
    TeamChannelCategoryDeleted = "TeamChannelCategoryDeleted";
    /// Multiple categories were deleted.
    TeamChannelCategoriesDeleted = "TeamChannelCategoriesDeleted";
    /// Category position was changed.
    TeamChannelCategoryGroupMoved = "TeamChannelCategoryGroupMoved";
    /// Webhook was added to a team.
    TeamWebhookCreated = "TeamWebhookCreated";
    /// Webhook was updated.
    TeamWebhookUpdated = "TeamWebhookUpdated";
    /// Flow-bot was added to a team.
    TeamBotCreated = "TeamBotCreated";
    /// Flow-bot's info was updated.
    TeamBotUpdated = "TeamBotUpdated";
    /// Flow-bot's flow was updated.
    TeamBotFlowUpdated = "TeamBotFlowUpdated";
    /// Undocumented.
    TeamGroupPrioritiesUpdated = "TeamGroupPrioritiesUpdated";
    /// Group was deleted.
    TeamGroupDeleted = "TeamGroupDeleted";
    /// Group was archived.
    TeamGroupArchived = "TeamGroupArchived";
    /// Group was restored.
    TeamGroupRestored = "TeamGroupRestored";
    /// User followed a group.
    TeamGroupFollowed = "TeamGroupFollowed";
    /// Undocumented.
    TeamStripeAccountOnboarded = "TeamStripeAccountOnboarded";
    /// Undocumented.
    TeamServerSubscriptionPlanCreated = "TeamServerSubscriptionPlanCreated";
    /// Undocumented.
    TeamServerSubscriptionPlanUpdated = "TeamServerSubscriptionPlanUpdated";
    /// Undocumented.
    TeamServerSubscriptionPlanDeleted = "TeamServerSubscriptionPlanDeleted";
    /// Undocumented.
    TeamServerSubscriptionUpdated = "TeamServerSubscriptionUpdated";
    /// Undocumented.
    UserSocketConnected = "UserSocketConnected", wire "USER_SOCKET_CONNECTED";
    /// Undocumented.
    UserSocketConnectError = "UserSocketConnectError";
    /// Undocumented.
    UserSocketReconnected = "UserSocketReconnected";
    /// Undocumented.
    UserSocketReconnecting = "UserSocketReconnecting", wire "USER_SOCKET_RECONNECTING";
    /// Undocumented.
    UserAliasUpdated = "UserAliasUpdated";
    /// Undocumented.
    TeamMemberStreamUpdated = "TeamMemberStreamUpdated";
    /// Undocumented.
    UserPresenceManuallySet = "UserPresenceManuallySet", wire "USER_PRESENCE_MANUALLY_SET";
    /// Undocumented.
    UserPresenceReceived = "UserPresenceReceived";
    /// Undocumented.
    UserPinged = "UserPinged";
    /// Undocumented.
    UserUpdated = "UserUpdated", wire "USER_UPDATED";
    /// Undocumented.
    UserTeamsUpdated = "UserTeamsUpdated", wire "USER_TEAMS_UPDATED";
    /// Undocumented.
    UserSocialLinkUpdated = "UserSocialLinkUpdated";
    /// Undocumented.
    UserTeamSectionUnreadCountIncremented = "UserTeamSectionUnreadCountIncremented";
    /// Undocumented.
    UserScannedMobileDownloadQr = "UserScannedMobileDownloadQr", wire "USER_SCANNED_MOBILE_DOWNLOAD_QR";
    /// Undocumented.
    UserStreamsVisibilityUpdated = "UserStreamsVisibilityUpdated";
    /// Undocumented.
    TeamChannelContentCreated = "TeamChannelContentCreated", wire "TEAM_CHANNEL_CONTENT_CREATED";
    /// Undocumented.
    TeamChannelContentCreatedSilent = "TeamChannelContentCreatedSilent";
    /// Undocumented.
    TeamChannelContentReplyCreated = "TeamChannelContentReplyCreated";
    /// Undocumented.
    TeamChannelContentReplyUpdated = "TeamChannelContentReplyUpdated";
    /// Undocumented.
    TeamChannelContentReplyDeleted = "TeamChannelContentReplyDeleted";
    /// Undocumented.
    TeamChannelContentUpdated = "TeamChannelContentUpdated";
    /// Undocumented.
    TeamChannelContentDeleted = "TeamChannelContentDeleted";
    /// Undocumented.
    TeamChannelArchived = "TeamChannelArchived", wire "TEAM_CHANNEL_ARCHIVED";
    /// Undocumented.
    TeamChannelRestored = "TeamChannelRestored";
    /// Undocumented.
    TeamChannelVoiceParticipantAdded = "TeamChannelVoiceParticipantAdded";
    /// Undocumented.
    TeamChannelVoiceParticipantRemoved = "TeamChannelVoiceParticipantRemoved";
    /// Undocumented.
    TeamChannelVoiceUserClientConnected = "TeamChannelVoiceUserClientConnected";
    /// Undocumented.
    TeamChannelStreamUserClientConnected = "TeamChannelStreamUserClientConnected";
    /// Undocumented.
    TeamChannelStreamAdded = "TeamChannelStreamAdded";
    /// Undocumented.
    TeamChannelStreamRemoved = "TeamChannelStreamRemoved";
    /// Undocumented.
    TeamChannelStreamActive = "TeamChannelStreamActive";
    /// Undocumented.
    TeamChannelStreamEnded = "TeamChannelStreamEnded";
    /// Undocumented.
    TeamChannelVoiceUserMoved = "TeamChannelVoiceUserMoved";
    /// Client marked channel as read.
    ChannelSeen = "ChannelSeen", wire "CHANNEL_SEEN";
    /// Probably like `ChannelSeen` (undocumented).
    ChannelContentSeen = "ChannelContentSeen";
    /// Undocumented.
    ChannelBadged = "ChannelBadged";
    /// Undocumented.
    ChannelUnbadged = "ChannelUnbadged";
    /// Undocumented.
    TeamGroupCreated = "TeamGroupCreated";
    /// Undocumented.
    TeamGroupUpdated = "TeamGroupUpdated";
    /// Undocumented.
    TeamGroupDeletedForUser = "TeamGroupDeletedForUser";
    /// Undocumented.
    TeamUserGroupPrioritiesUpdated = "TeamUserGroupPrioritiesUpdated";
    /// Undocumented.
    TeamGroupMarkedAsRead = "TeamGroupMarkedAsRead";
    /// Undocumented.
    MediaUploadProgress = "MediaUploadProgress";
    /// Undocumented.
    VoiceChannelRegionPingReport = "VoiceChannelRegionPingReport";
}

impl EventKind {
    /// The kind of a wire name, whatever its spelling: exact names first, then the same
    /// letters ignoring case and underscores (`USER_TEAMS_UPDATED`, `teamRolesUpdated`), plus
    /// known misspellings (`TEAEM_SOCKET_RECONNECTED`). Unknown names are None.
    pub fn from_wire(name: &str) -> Option<EventKind> {
        if let Some(kind) = EventKind::from_exact(name) {
            return Some(kind);
        }
        if name == "TEAEM_SOCKET_RECONNECTED" {
            return Some(EventKind::TeamSocketReconnected);
        }
        EventKind::ALL
            .iter()
            .copied()
            .find(|kind| same_letters(name, kind.name()))
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `wire` spells `canonical` ignoring ASCII case and underscores.
fn same_letters(wire: &str, canonical: &str) -> bool {
    let mut letters = wire.bytes().filter(|&b| b != b'_');
    let mut canon = canonical.bytes();
    loop {
        match (letters.next(), canon.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(&b) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        assert_eq!(EventKind::ALL.len(), 124);
        for &kind in EventKind::ALL {
            assert_eq!(EventKind::from_wire(kind.name()), Some(kind), "{kind}");
            assert_eq!(EventKind::from_wire(kind.wire_name()), Some(kind), "{kind}");
        }
    }

    #[test]
    fn real_wire_spellings_map_to_the_prettified_kind() {
        for (wire, kind) in [
            ("CHANNEL_SEEN", EventKind::ChannelSeen),
            ("teamRolesUpdated", EventKind::TeamRolesUpdated),
            ("USER_TEAMS_UPDATED", EventKind::UserTeamsUpdated),
            (
                "TEAM_CHANNEL_CONTENT_CREATED",
                EventKind::TeamChannelContentCreated,
            ),
            ("USER_UPDATED", EventKind::UserUpdated),
            (
                "USER_PRESENCE_MANUALLY_SET",
                EventKind::UserPresenceManuallySet,
            ),
            ("TEAM_CHANNEL_ARCHIVED", EventKind::TeamChannelArchived),
            (
                "teamContentReactionsAdded",
                EventKind::TeamContentReactionsAdded,
            ),
            ("TEAEM_SOCKET_RECONNECTED", EventKind::TeamSocketReconnected),
            ("DMChatChannelCreated", EventKind::DmChatChannelCreated),
            (
                "TEAM_MEMBER_ALIAS_UPDATED",
                EventKind::TeamMemberAliasUpdated,
            ),
        ] {
            assert_eq!(EventKind::from_wire(wire), Some(kind), "{wire}");
        }
        assert_eq!(EventKind::ChannelSeen.wire_name(), "CHANNEL_SEEN");
        assert_eq!(
            EventKind::ChatMessageCreated.wire_name(),
            "ChatMessageCreated"
        );
    }

    #[test]
    fn unknown_and_near_miss_names_are_none() {
        for name in [
            "",
            "_",
            "ChatMessageCreate",
            "ChatMessageCreatedX",
            "logout",
            "Chat Message Created",
            "ÇhatMessageCreated",
        ] {
            assert_eq!(EventKind::from_wire(name), None, "{name:?}");
        }
    }
}
