use proptest::prelude::*;
use serde_json::value::RawValue;

use super::*;

/// The skipper's answer for a whole text: the value's span, if the text is one valid value.
fn skim(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    let end = skip_value(b, start, &mut Ignore)?;
    (skip_ws(b, end) == b.len()).then_some((start, end))
}

/// serde_json's answer for the same text.
fn serde(text: &str) -> Option<(usize, usize)> {
    let raw: &RawValue = serde_json::from_str(text).ok()?;
    let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
    Some((start, start + raw.get().len()))
}

fn agree(text: &str) {
    assert_eq!(skim(text), serde(text), "on {text:?}");
}

#[test]
fn agrees_with_serde_json_on_edge_cases() {
    for text in [
        "0",
        "-0",
        "01",
        "-",
        "1.",
        "1.5",
        "1e",
        "1e+",
        "1e+5",
        "1E-0",
        "-1.5e3",
        ".5",
        "+1",
        "00",
        "1.5.5",
        "true",
        "tru",
        "truex",
        "false",
        "null",
        "nul",
        "\"\"",
        "\"a",
        "\"\\\"",
        "\"\\u00e9\"",
        "\"\\u00g9\"",
        "\"\\u00\"",
        "\"\\x\"",
        "\"\\/\"",
        "\"\u{1}\"",
        "\"\t\"",
        "\"é ✓\"",
        "[]",
        "[ ]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1,2]",
        "{}",
        "{ }",
        "{\"a\":1}",
        "{\"a\" : 1 , \"b\":[true,{}]}",
        "{\"a\":1,}",
        "{,}",
        "{1:2}",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1 \"b\":2}",
        "[}",
        "{]",
        "[[[]]]",
        "[[[]]",
        " \n\t\r[ 1 ]\r\n",
        "[1]x",
        "",
        "   ",
        "{\"a\":[1,{\"b\":\"\\n\"}],\"c\":null}",
        "[\"a\",\"b\"]",
        "[-]",
        "[1e5,-0.0]",
        "[truefalse]",
        "[true,false,null]",
    ] {
        agree(text);
    }
}

#[test]
fn nesting_of_any_depth_costs_no_stack() {
    for depth in [1, 63, 64, 65, 128, 129, 200, 10_000] {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        agree(&arrays);
        let objects = format!("{}1{}", "{\"k\":".repeat(depth), "}".repeat(depth));
        agree(&objects);
        let mixed: String = (0..depth)
            .map(|d| if d % 3 == 0 { "{\"k\":" } else { "[" })
            .collect::<String>()
            + "0"
            + &(0..depth)
                .rev()
                .map(|d| if d % 3 == 0 { "}" } else { "]" })
                .collect::<String>();
        agree(&mixed);
        // One closer short, and one of the wrong kind.
        agree(&format!("{}{}", "[".repeat(depth), "]".repeat(depth - 1)));
        agree(&format!("{}}}{}", "[".repeat(depth), "]".repeat(depth - 1)));
    }
}

#[test]
fn reports_every_string_value_with_its_escapes() {
    struct Seen(Vec<(String, bool)>);
    impl Tokens for Seen {
        fn string(&mut self, raw: &[u8], unicode_escape: bool) {
            self.0
                .push((String::from_utf8_lossy(raw).into_owned(), unicode_escape));
        }
    }
    let mut seen = Seen(Vec::new());
    let text = r#"{"type":"mention","data":{"id":"\u0041b","n":"a\"b"}}"#;
    // Keys are not reported, escaped or not.
    let text = text.replace(r#""n":"#, r#""\u006e":"#);
    assert_eq!(skip_value(text.as_bytes(), 0, &mut seen), Some(text.len()));
    let want = [("mention", false), ("\\u0041b", true), ("a\\\"b", false)];
    let want: Vec<(String, bool)> = want.iter().map(|(s, u)| ((*s).to_owned(), *u)).collect();
    assert_eq!(seen.0, want);
}

/// Any JSON value, as serde_json writes it (compact or pretty).
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,12}".prop_map(serde_json::Value::from),
        "[\u{0}-\u{1f}\"\\\\/a-z]{0,6}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z\"\\\\]{0,4}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn agrees_on_valid_json(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        prop_assert!(skim(&text).is_some(), "rejected valid {text:?}");
        agree(&text);
    }

    #[test]
    fn agrees_on_damaged_json(
        value in json_value(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"{}[],:\"\\ 0-1.eE+tfnu\x01\x7fa".to_vec()),
        how in 0..3u8,
    ) {
        let mut bytes = serde_json::to_string(&value).unwrap().into_bytes();
        let i = at.index(bytes.len() + 1);
        match how {
            0 => bytes.insert(i, byte),
            1 if i < bytes.len() => { bytes.remove(i); }
            _ => bytes.truncate(i),
        }
        if let Ok(text) = String::from_utf8(bytes) {
            agree(&text);
        }
    }

    #[test]
    fn agrees_on_json_like_noise(text in "[\\[\\]{}\":, 0-9eE.+\\-tfnrulasx\\\\\u{1}]{0,40}") {
        agree(&text);
    }
}
