//! The gateway URL: `{base}/socket.io/?jwt=undefined&EIO=3&transport=websocket&guildedClientId=…`
//! plus `&teamId=…` for a team socket.
//!
//! Rule: values are percent-encoded by `Url`, so ids from the network cannot change the query.

use reqwest::Url;

use crate::protocol::TeamId;

/// Why a gateway URL could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayUrlError {
    #[error("bad gateway URL `{0}`: {1}")]
    Parse(String, String),
    #[error("the gateway URL `{0}` must start with ws:// or wss://")]
    Scheme(String),
}

/// The URL of one socket: the main one (`team_id: None`) or a team's.
pub fn socket_url(
    base: &str,
    client_id: &str,
    team_id: Option<&TeamId>,
) -> Result<Url, GatewayUrlError> {
    let mut url =
        Url::parse(base).map_err(|e| GatewayUrlError::Parse(base.to_owned(), e.to_string()))?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(GatewayUrlError::Scheme(base.to_owned()));
    }
    // `wss://api.guilded.gg` and `wss://api.guilded.gg/` both end in `/socket.io/`.
    let path = format!("{}/socket.io/", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("jwt", "undefined")
            .append_pair("EIO", "3")
            .append_pair("transport", "websocket")
            .append_pair("guildedClientId", client_id);
        if let Some(team) = team_id {
            query.append_pair("teamId", team.as_str());
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_socket_url_matches_the_documented_form() {
        let url = socket_url("wss://api.guilded.gg", "0123abcd", None).unwrap();
        assert_eq!(
            url.as_str(),
            "wss://api.guilded.gg/socket.io/?jwt=undefined&EIO=3&transport=websocket&guildedClientId=0123abcd"
        );
    }

    #[test]
    fn team_socket_adds_team_id_and_keeps_a_base_path() {
        let url = socket_url("ws://127.0.0.1:9000/gw/", "mid", Some(&"4R5q39VR".into())).unwrap();
        assert_eq!(
            url.as_str(),
            "ws://127.0.0.1:9000/gw/socket.io/?jwt=undefined&EIO=3&transport=websocket&guildedClientId=mid&teamId=4R5q39VR"
        );
    }

    #[test]
    fn hostile_ids_stay_inside_their_parameter() {
        let url = socket_url("ws://h", "a&teamId=x", Some(&"b#c".into())).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs.len(), 5);
        assert_eq!(pairs[3], ("guildedClientId".into(), "a&teamId=x".into()));
        assert_eq!(pairs[4], ("teamId".into(), "b#c".into()));
    }

    #[test]
    fn http_urls_and_garbage_are_refused() {
        assert!(matches!(
            socket_url("https://api.guilded.gg", "x", None),
            Err(GatewayUrlError::Scheme(_))
        ));
        assert!(matches!(
            socket_url("not a url", "x", None),
            Err(GatewayUrlError::Parse(..))
        ));
    }
}
