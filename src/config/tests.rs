use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/tmp/gilt.toml"))
}

#[test]
fn only_loopback_may_go_unencrypted() {
    for ok in [
        "https://www.guilded.gg/api",
        "wss://api.guilded.gg",
        "http://127.0.0.1:8080/api",
        "ws://127.3.4.5:1",
        "http://localhost/api",
        "ws://LOCALHOST:9",
        "ws://[::1]:9000",
    ] {
        assert_eq!(check_encrypted(ok), Ok(()), "{ok}");
    }
    for bad in [
        "http://www.guilded.gg/api",
        "ws://api.guilded.gg",
        "ws://10.0.0.7:9000",
        "http://[2001:db8::1]/api",
        "ws://localhost.evil.example",
        "http://0.0.0.0:8080/api",
    ] {
        let error = check_encrypted(bad).unwrap_err();
        assert!(
            error.contains("not encrypted") && error.contains("--insecure"),
            "{bad}: {error}"
        );
    }
}

#[test]
fn example_file_equals_defaults() {
    let text = include_str!("../../config.example.toml");
    assert_eq!(parse(text).unwrap(), Config::default());
}

#[test]
fn example_file_documents_every_key() {
    let text = include_str!("../../config.example.toml");
    for key in TOP_LEVEL_KEYS
        .iter()
        .filter(|k| !["keys", "theme"].contains(*k))
    {
        assert!(find_key_line(text, None, key).is_some(), "{key} missing");
    }
    assert!(text.contains("[keys]") && text.contains("[theme]"));
    for command in crate::keymap::default_bindings().keys() {
        assert!(
            find_key_line(text, Some("keys"), command).is_some(),
            "keys.{command} missing"
        );
    }
}

#[test]
fn top_level_keys_match_the_struct() {
    let value = toml::Value::try_from(Config::default()).unwrap();
    let mut fields: Vec<&str> = value
        .as_table()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut listed = TOP_LEVEL_KEYS.to_vec();
    fields.sort_unstable();
    listed.sort_unstable();
    assert_eq!(fields, listed);
}

#[test]
fn empty_file_is_all_defaults() {
    assert_eq!(parse("").unwrap(), Config::default());
}

#[test]
fn unknown_key_names_line_key_and_closest_name() {
    let err = parse("send_typing = true\napi_ulr = \"http://x\"\n").unwrap_err();
    assert_eq!(err.line, Some(2));
    assert_eq!(err.key.as_deref(), Some("api_ulr"));
    assert_eq!(err.suggestion.as_deref(), Some("api_url"));
    let shown = err.to_string();
    assert!(
        shown.starts_with("/tmp/gilt.toml:2: key `api_ulr`"),
        "{shown}"
    );
    assert!(shown.contains("did you mean `api_url`"), "{shown}");
}

#[test]
fn wrong_type_names_line_and_key() {
    let err = parse("# comment\n\nhistory_limit = \"lots\"\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(err.key.as_deref(), Some("history_limit"));
    assert!(
        err.message.contains("integer") || err.message.contains("usize"),
        "{}",
        err.message
    );
}

#[test]
fn bad_toml_syntax_names_the_line() {
    let err = parse("email = \"a@b\"\nclock = \n").unwrap_err();
    assert_eq!(err.line, Some(2));
}

#[test]
fn invalid_values_name_their_key_and_line() {
    let err = parse("\nlog_level = \"loud\"\n").unwrap_err();
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("log_level")));
    let err = parse("api_url = \"ftp://x\"\n").unwrap_err();
    assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("api_url")));
    let err = parse("gateway_url = \"https://x\"\n").unwrap_err();
    assert_eq!(err.key.as_deref(), Some("gateway_url"));
    let err = parse("clock = \"25h\"\n").unwrap_err();
    assert_eq!(err.key.as_deref(), Some("clock"));
    assert_eq!(err.line, Some(1));
    assert_eq!(err.message, "`25h` is not \"24h\" or \"12h\"");
    assert_eq!(parse("clock = \"12h\"\n").unwrap().clock, Clock::H12);
    let err = parse("store = false\nstore_limit = 10\n").unwrap_err();
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(2), Some("store_limit"))
    );
    let err = parse("store_max_mb = 0\n").unwrap_err();
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(1), Some("store_max_mb"))
    );
    assert!(!parse("store = false\n").unwrap().store);
    let err = parse("\nnotify = \"popup\"\n").unwrap_err();
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("notify")));
    assert!(err.message.contains("auto, osc, bell"), "{}", err.message);
    assert_eq!(
        parse("notify = \"none\"\n").unwrap().notify,
        NotifyMode::None
    );
    let err = parse("mouse = true\nimages = \"sixel\"\n").unwrap_err();
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("images")));
    assert!(
        err.message.contains("\"auto\" or \"off\""),
        "{}",
        err.message
    );
    assert_eq!(
        parse("images = \"off\"\n").unwrap().images,
        crate::config::ImagesMode::Off
    );
    assert_eq!(
        parse("image_protocol = \"sixel\"\n")
            .unwrap()
            .image_protocol,
        crate::config::ImageProtocol::Sixel
    );
    let err = parse("image_protocol = \"png\"\n").unwrap_err();
    assert_eq!(err.key.as_deref(), Some("image_protocol"));
    assert!(
        err.message.contains("kitty, sixel, iterm2"),
        "{}",
        err.message
    );
}

#[test]
fn a_bad_theme_names_file_line_and_element() {
    let err = parse("clock = \"12h\"\n[theme]\nbase = \"light\"\nlnk = \"red\"\n").unwrap_err();
    assert_eq!((err.line, err.key.as_deref()), (Some(4), Some("theme.lnk")));
    assert_eq!(err.suggestion.as_deref(), Some("link"));
    let err = parse("[theme]\nlink = \"blurple\"\n").unwrap_err();
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(2), Some("theme.link"))
    );
    assert!(err.message.contains("not a colour"), "{}", err.message);
    let err = parse("[theme]\nbase = \"neon\"\n").unwrap_err();
    assert!(err.message.contains("dark, light, mono"), "{}", err.message);
    assert_eq!(
        parse("[theme]\nbase = \"mono\"\n").unwrap().theme["base"],
        "mono"
    );
}

#[test]
fn keys_patch_the_defaults() {
    let (name, _) = crate::keymap::default_bindings()
        .into_iter()
        .next()
        .unwrap();
    let config = parse(&format!("[keys]\n{name} = \"<F12>\"\n")).unwrap();
    assert_eq!(config.keys[&name], "<F12>");
    assert_eq!(config.keys.len(), crate::keymap::default_bindings().len());
}

#[test]
fn unknown_command_in_keys_is_named_with_a_suggestion() {
    let err = parse("clock = \"12h\"\n[keys]\nquitt = \"<C-q>\"\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(err.key.as_deref(), Some("keys.quitt"));
    assert_eq!(err.suggestion.as_deref(), Some("quit"));
}

#[test]
fn bad_chord_in_keys_names_file_line_and_key() {
    let err = parse("clock = \"12h\"\n[keys]\nhelp = \"<F2>\"\nquit = \"<C-Foo>\"\n").unwrap_err();
    assert_eq!(err.line, Some(4));
    assert_eq!(err.key.as_deref(), Some("keys.quit"));
    let shown = err.to_string();
    assert!(
        shown.starts_with("/tmp/gilt.toml:4: key `keys.quit`: bad key chord"),
        "{shown}"
    );
    assert!(shown.contains("Foo"), "{shown}");
}

#[test]
fn a_rebinding_that_clashes_is_a_config_error_on_its_line() {
    // Against a default binding: the user's line is at fault.
    let err = parse("[keys]\nhelp = \"<F2>\"\nreply = \"<C-k>\"\n").unwrap_err();
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(3), Some("keys.reply"))
    );
    assert!(err.message.contains("`switcher`"), "{}", err.message);
    assert!(err.message.contains("in the timeline"), "{}", err.message);
    // Both written by the user: the later line.
    let err = parse("[keys]\nswitcher = \"<C-g>\"\ndelete_to_end = \"<C-g>\"\n").unwrap_err();
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(3), Some("keys.delete_to_end"))
    );
    assert!(err.message.contains("in the composer"), "{}", err.message);
}

#[test]
fn a_plain_character_where_text_is_typed_is_a_config_error() {
    let err = parse("[keys]\nsend = \"<Enter> ;\"\n").unwrap_err();
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("keys.send")));
    assert!(err.message.contains("typed as text"), "{}", err.message);
}

#[test]
fn the_keymap_is_built_while_parsing() {
    let config = parse("[keys]\nswitcher = \"<C-p>\"\n").unwrap();
    let ctrl_p = crate::app::key::Key::parse("<C-p>").unwrap();
    assert_eq!(
        config.keymap.lookup(ctrl_p, crate::app::Scope::Global),
        Some(crate::app::Command::Switcher)
    );
    assert_eq!(parse("").unwrap().keymap, Keymap::default());
}

#[test]
fn missing_explicit_file_is_an_error_but_default_location_is_not() {
    let missing = Path::new("/nonexistent/gilt/config.toml");
    assert_eq!(Config::load(missing, false).unwrap(), Config::default());
    let err = Config::load(missing, true).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/gilt/config.toml"));
}

#[test]
fn closest_ignores_far_names() {
    assert_eq!(closest("zzzzzzzzzz", TOP_LEVEL_KEYS), None);
    assert_eq!(closest("emial", TOP_LEVEL_KEYS), Some("email"));
}
