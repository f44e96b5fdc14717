//! Reading a history page from the local store for `Effect::LoadHistory`: the store answers
//! what it holds whole (inside one complete stretch, see `store::spans`); the rest is the
//! server's.

use jiff::Timestamp;

use crate::app::{ChannelId, Msg, StoredPage};
use crate::store::StoreHandle;

/// The store's page for a `LoadHistory` (`before`: older than that, else the newest), as the
/// message to fold; `None` when the store holds nothing it can vouch for.
pub(super) async fn stored_page(
    store: &StoreHandle,
    channel: &ChannelId,
    before: Option<Timestamp>,
    limit: u32,
) -> Option<Msg> {
    let want = usize::try_from(limit).unwrap_or(usize::MAX);
    let wanted = channel.clone();
    let answer = match before {
        None => {
            store
                .query(move |q| q.latest_page(&wanted, want).map(Some))
                .await
        }
        Some(before) => {
            store
                .query(move |q| q.page_before(&wanted, before, want))
                .await
        }
    };
    let page = match answer {
        Ok(Some(page)) => page,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!("store: reading {channel}: {e}");
            return None;
        }
    };
    // An empty newest page says nothing; an empty older one says the channel starts here.
    if page.messages.is_empty() && before.is_none() {
        return None;
    }
    Some(Msg::StoredHistory {
        channel: channel.clone(),
        messages: page.messages,
        has_past: page.more,
        page: before.map_or(StoredPage::Latest, StoredPage::Before),
    })
}
