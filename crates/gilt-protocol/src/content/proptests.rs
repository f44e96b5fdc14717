//! Properties of documents and markdown: `parse(to_document(rt)) == rt` for generated
//! (normalised) rich text, and no panics on any input.

use proptest::prelude::*;

use super::*;

fn resolver(name: &str) -> Option<ResolvedMention> {
    (name == "nico").then(|| ResolvedMention::new(MentionKind::Person, "user-id", "@nico"))
}

fn push_norm(out: &mut Vec<Inline>, inline: Inline) {
    match inline {
        Inline::Text { text, marks } => build::push_text(out, text, marks),
        other => out.push(other),
    }
}

fn nonempty() -> impl Strategy<Value = String> {
    "\\PC{1,12}"
}

fn inline_strategy() -> impl Strategy<Value = Inline> {
    prop_oneof![
        4 => ("\\PC{0,12}", 0u8..64).prop_map(|(text, m)| Inline::Text { text, marks: Marks(m) }),
        1 => (nonempty(), "[A-Za-z0-9]{1,8}").prop_map(|(label, id)| Inline::Mention {
            kind: MentionKind::Person, id, label }),
        1 => (nonempty(), 1i64..i64::MAX).prop_map(|(label, id)| Inline::Mention {
            kind: MentionKind::Role, id: id.to_string(), label }),
        1 => prop_oneof![Just(MentionKind::Everyone), Just(MentionKind::Here)].prop_map(|kind| {
            let word = if kind == MentionKind::Everyone { "everyone" } else { "here" };
            Inline::Mention { kind, id: word.into(), label: format!("@{word}") }
        }),
        1 => (nonempty(), "[a-f0-9-]{1,36}").prop_map(|(label, id)| Inline::Channel { id: id.into(), label }),
        1 => (nonempty(), any::<i64>()).prop_map(|(label, id)| Inline::Emoji { id, label }),
        1 => (nonempty(), "https://[a-z.]{1,12}/\\PC{0,8}").prop_map(|(label, href)| Inline::Link { href, label }),
    ]
}

fn inlines_strategy() -> impl Strategy<Value = Vec<Inline>> {
    prop::collection::vec(inline_strategy(), 0..6).prop_map(|raw| {
        let mut out = Vec::new();
        for i in raw {
            push_norm(&mut out, i);
        }
        out
    })
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(nonempty())
}

fn embed_strategy() -> impl Strategy<Value = Embed> {
    (
        (
            opt_text(),
            opt_text(),
            opt_text(),
            prop::option::of(any::<u32>()),
        ),
        (opt_text(), opt_text(), opt_text(), opt_text()),
        prop::collection::vec(("\\PC{0,6}", "\\PC{0,6}", any::<bool>()), 0..3),
    )
        .prop_map(
            |((title, description, url, color), (author, footer, image, thumbnail), fields)| {
                Embed {
                    title,
                    description,
                    url,
                    color,
                    author,
                    footer,
                    fields: fields
                        .into_iter()
                        .map(|(name, value, inline)| EmbedField {
                            name,
                            value,
                            inline,
                        })
                        .collect(),
                    image,
                    thumbnail,
                }
            },
        )
        .prop_filter("empty embeds are dropped", |e| *e != Embed::default())
}

fn block_strategy() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => inlines_strategy().prop_map(Block::Paragraph),
        1 => (any::<bool>(), inlines_strategy()).prop_map(|(large, inlines)| Block::Heading { large, inlines }),
        1 => prop::collection::vec(inlines_strategy(), 0..3).prop_map(Block::Quote),
        1 => (
            prop::option::of("[a-z+#]{1,8}".prop_filter("not the 'none' word", |l| l != "unformatted")),
            prop::collection::vec("[^\n]{0,16}", 0..4),
        )
            .prop_map(|(language, lines)| Block::Code { language, lines }),
        1 => (any::<bool>(), prop::collection::vec(inlines_strategy(), 0..3))
            .prop_map(|(ordered, items)| Block::List { ordered, items }),
        1 => Just(Block::Divider),
        1 => (any::<bool>(), nonempty()).prop_map(|(img, url)| Block::Media {
            kind: if img { MediaKind::Image } else { MediaKind::Video },
            url,
        }),
        1 => prop::collection::vec(embed_strategy(), 1..3).prop_map(Block::Embeds),
        1 => (
            prop_oneof![Just("systemMessage"), Just("form"), Just("content-embed"), Just("image-caption-line")],
            "\\PC{0,12}",
        )
            .prop_map(|(kind, text)| Block::Unknown { kind: kind.into(), text }),
    ]
}

pub(crate) fn rich_text_strategy() -> impl Strategy<Value = RichText> {
    prop::collection::vec(block_strategy(), 0..6).prop_map(|blocks| RichText { blocks })
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        prop_oneof![
            Just("object"),
            Just("value"),
            Just("document"),
            Just("block"),
            Just("inline"),
            Just("text"),
            Just("leaf"),
            Just("paragraph"),
            Just("mention"),
            Just("link"),
            Just("code-container"),
            Just("webhookMessage"),
            Just("bold"),
            Just("x")
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("object"),
                    Just("type"),
                    Just("data"),
                    Just("nodes"),
                    Just("leaves"),
                    Just("text"),
                    Just("marks"),
                    Just("document"),
                    Just("mention"),
                    Just("href"),
                    Just("embeds"),
                    Just("src"),
                    Just("reaction"),
                    Just("id")
                ]
                .prop_map(String::from),
                inner,
                0..5
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn document_round_trip(rt in rich_text_strategy()) {
        let value = to_document(&rt);
        prop_assert_eq!(&parse_document_value(&value).unwrap(), &rt);
        prop_assert_eq!(&parse_document(&value.to_string()).unwrap(), &rt);
    }

    #[test]
    fn parse_never_panics_on_any_string(s in "\\PC*") {
        let _ = parse_document(&s);
        let rt = from_markdown(&s, &resolver);
        let _ = rt.plain_text();
    }

    #[test]
    fn parse_never_panics_on_json_like_text(s in "[\\[\\]{}\":,a-z0-9 \\\\]{0,80}") {
        let _ = parse_document(&s);
    }

    #[test]
    fn parse_never_panics_on_any_json_value(v in json_value()) {
        if let Ok(rt) = parse_document_value(&v) {
            let _ = rt.plain_text();
            let _ = to_document(&rt);
        }
    }

    #[test]
    fn markdown_never_panics_on_delimiter_soup(s in "[*_~|`\\\\@ a-z:/.h\n>#-]{0,60}") {
        let rt = from_markdown(&s, &resolver);
        // Whatever it parses to survives a document round trip unchanged.
        prop_assert_eq!(parse_document_value(&to_document(&rt)).unwrap(), rt);
    }
}
