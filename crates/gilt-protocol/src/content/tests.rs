//! Document parsing against every content fixture (exact plain text), encoding, the
//! markdown dialect, and properties: round trip and no panics on any input.
use crate::test_support::fixture;

use serde_json::json;

use super::*;

fn text(t: &str) -> Inline {
    Inline::Text {
        text: t.into(),
        marks: Marks::NONE,
    }
}

fn marked(t: &str, marks: Marks) -> Inline {
    Inline::Text {
        text: t.into(),
        marks,
    }
}

fn doc(name: &str) -> RichText {
    parse_document(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn field_doc(name: &str, pointer: &str) -> RichText {
    let v: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
    parse_document_value(v.pointer(pointer).unwrap()).unwrap()
}

#[test]
fn every_content_fixture_renders_to_its_plain_text() {
    let cases: [(RichText, &str); 13] = [
        (doc("gjs-content-plain-markdown.json"), "TESTING MESSAGE"),
        (doc("gjs-content-embed.json"), "TESTING MESSAGE"),
        (
            doc("gjs-content-text-plus-embed.json"),
            "TESTING MESSAGE 2\nTESTING MESSAGE 3",
        ),
        (
            doc("gjs-content-user-mention.json"),
            "@nico testing testing!",
        ),
        (
            doc("gjs-content-channel-mention.json"),
            "#testing testing testing!",
        ),
        (
            doc("gjs-content-role-mention.json"),
            "@Captain testing testing 3!",
        ),
        (
            doc("gjs-content-multi-paragraph.json"),
            "MULTILINE\nSTRING\nTEST",
        ),
        (
            field_doc("docs-message.json", "/content"),
            "cool message with an :tada: emoji, some bold formatting, maybe even a :thinkingwithblobs: custom emoji?",
        ),
        (
            field_doc("docs-send-message-request.json", "/content"),
            "cool message with an :tada: emoji, some bold formatting, maybe even a :thinkingwithblobs: custom emoji?",
        ),
        (
            field_doc("docs-user-status.json", "/content"),
            "g.gg/guilded-api:blobcouple:g.gg/blob-emoji :blobpats:",
        ),
        (
            field_doc("docs-dm-channel.json", "/lastMessage/content"),
            "hey docs! :tada: ",
        ),
        (
            doc("synthesized/content-formatting.json"),
            "plain bold italic code see this link\nfn main() {\n}\n> quoted line\n[image] https://s3-us-west-2.amazonaws.com/www.guilded.gg/ContentMedia/0123456789abcdef0123456789abcdef-Full.webp",
        ),
        (
            field_doc("synthesized/chat-message-created.json", "/message/content"),
            "hello from the emulator",
        ),
    ];
    for (i, (rt, expected)) in cases.iter().enumerate() {
        assert_eq!(rt.plain_text(), *expected, "case {i}: {rt:?}");
    }
}

#[test]
fn fixture_structures() {
    assert_eq!(
        doc("gjs-content-user-mention.json").blocks,
        [Block::Paragraph(vec![
            Inline::Mention {
                kind: MentionKind::Person,
                id: "user-id".into(),
                label: "@nico".into()
            },
            text(" testing testing!"),
        ])]
    );
    assert_eq!(
        doc("gjs-content-role-mention.json").blocks[0],
        Block::Paragraph(vec![
            Inline::Mention {
                kind: MentionKind::Role,
                id: "10000000".into(),
                label: "@Captain".into()
            },
            text(" testing testing 3!"),
        ])
    );
    assert_eq!(
        doc("gjs-content-channel-mention.json").blocks[0],
        Block::Paragraph(vec![
            Inline::Channel {
                id: "channel-id".into(),
                label: "#testing".into()
            },
            text(" testing testing!"),
        ])
    );
    // The empty webhookMessage block is dropped; markdown-plain-text becomes a paragraph.
    assert_eq!(
        doc("gjs-content-plain-markdown.json").blocks,
        [Block::Paragraph(vec![text("TESTING MESSAGE")])]
    );
    assert_eq!(
        doc("gjs-content-embed.json").blocks,
        [Block::Embeds(vec![Embed {
            title: Some("TESTING MESSAGE".into()),
            ..Embed::default()
        }])]
    );
    let msg = field_doc("docs-message.json", "/content");
    let Block::Paragraph(inlines) = &msg.blocks[0] else {
        panic!()
    };
    assert_eq!(
        inlines[1],
        Inline::Emoji {
            id: 90_001_815,
            label: ":tada:".into()
        }
    );
    assert_eq!(inlines[3], marked("bold formatting", Marks::ITALIC));
    let f = doc("synthesized/content-formatting.json");
    assert_eq!(
        f.blocks,
        [
            Block::Paragraph(vec![
                text("plain "),
                marked("bold", Marks::BOLD),
                text(" "),
                marked("italic", Marks::ITALIC),
                text(" "),
                marked("code", Marks::CODE),
                text(" see "),
                Inline::Link {
                    href: "https://www.guilded.gg".into(),
                    label: "this link".into()
                },
            ]),
            Block::Code {
                language: Some("rust".into()),
                lines: vec!["fn main() {".into(), "}".into()]
            },
            Block::Quote(vec![vec![text("quoted line")]]),
            Block::Media {
                kind: MediaKind::Image,
                url: "https://s3-us-west-2.amazonaws.com/www.guilded.gg/ContentMedia/0123456789abcdef0123456789abcdef-Full.webp".into()
            },
        ]
    );
}

#[test]
fn every_block_kind_parses() {
    let d = json!({"object":"value","document":{"nodes":[
        {"type":"heading-large","nodes":[{"leaves":[{"text":"Big"}]}]},
        {"type":"heading-small","nodes":[{"leaves":[{"text":"Small"}]}]},
        {"type":"unordered-list","nodes":[
            {"type":"list-item","nodes":[{"leaves":[{"text":"one"}]}]},
            {"type":"list-item","nodes":[{"type":"paragraph","nodes":[{"leaves":[{"text":"two"}]}]}]}]},
        {"type":"ordered-list","nodes":[{"type":"list-item","nodes":[{"leaves":[{"text":"first"}]}]}]},
        {"type":"divider","nodes":[]},
        {"type":"video","data":{"src":"https://v/x.mp4"}},
        {"type":"code-container","data":{"language":"unformatted"},"nodes":[
            {"type":"code-line","nodes":[{"leaves":[{"text":"a\nb"}]}]}]},
        {"type":"systemMessage","nodes":[{"leaves":[{"text":"joined"}]}]},
        {"type":"replying-to-user-header","data":{"createdBy":"x"},"nodes":[]},
        {"type":"webhookMessage","data":{"embeds":[{"title":"T","description":"D","author":{"name":"A"},
            "footer":{"text":"F"},"fields":[{"name":"k","value":"v","inline":true}],"color":255,
            "image":{"url":"https://i"},"thumbnail":{"url":"https://t"},"url":"https://u"},{}]}},
        {"type":"paragraph","nodes":[
            {"object":"inline","type":"mention","data":{"mention":{"type":"everyone","id":"everyone"}},"nodes":[{"leaves":[{"text":"@everyone"}]}]},
            {"object":"text","leaves":[{"text":" x ","marks":[{"type":"spoiler"},{"type":"inline-code"},{"type":"underline"},{"type":"strikethrough"}]}]},
            {"object":"inline","type":"mention","data":{"mention":{"type":"here"}},"nodes":[]},
            {"object":"inline","type":"link","data":{"href":"https://x"},"nodes":[]},
            {"object":"inline","type":"unknown-inline","nodes":[{"leaves":[{"text":"kept"}]}]}]}
    ]}});
    let rt = parse_document_value(&d).unwrap();
    assert_eq!(
        rt.plain_text(),
        "Big\nSmall\n- one\n- two\n1. first\n---\n[video] https://v/x.mp4\na\nb\njoined\n\
         A\nT\nD\nk: v\nF\n@everyone x @herehttps://xkept"
    );
    assert_eq!(
        rt.blocks[6],
        Block::Code {
            language: None,
            lines: vec!["a".into(), "b".into()]
        }
    );
    assert_eq!(
        rt.blocks[8],
        Block::Unknown {
            kind: "replying-to-user-header".into(),
            text: String::new()
        }
    );
    let Block::Embeds(embeds) = &rt.blocks[9] else {
        panic!()
    };
    assert_eq!(embeds.len(), 1, "the empty embed is dropped");
    assert_eq!(embeds[0].color, Some(255));
    assert_eq!(embeds[0].thumbnail.as_deref(), Some("https://t"));
    assert!(embeds[0].fields[0].inline);
    let Block::Paragraph(p) = &rt.blocks[10] else {
        panic!()
    };
    assert_eq!(
        p[1],
        marked(
            " x ",
            Marks::SPOILER
                .with(Marks::CODE)
                .with(Marks::UNDERLINE)
                .with(Marks::STRIKETHROUGH)
        )
    );
    assert_eq!(
        p[2],
        Inline::Mention {
            kind: MentionKind::Here,
            id: "here".into(),
            label: "@here".into()
        }
    );
}

#[test]
fn tolerant_of_odd_shapes() {
    // Keys in any order, `object` missing, wrong types skipped, stray text at top level.
    let odd = r#"{"document":{"nodes":[
        {"nodes":[{"leaves":"nope"},{"marks":5,"leaves":[{"marks":[{"data":{},"type":"bold","object":"mark"}],"text":"b"},7,"s"]}],"data":[],"type":"paragraph"},
        {"leaves":[{"text":"stray"}]},
        {"type":"mention","data":{"mention":"x"},"nodes":[{"leaves":[{"text":"@who"}]}]},
        {"type":"image","data":{}},
        {"type":7,"nodes":{}},
        "junk", 3, null
    ]},"object":"value"}"#;
    let rt = parse_document(odd).unwrap();
    assert_eq!(
        rt.blocks,
        [
            Block::Paragraph(vec![marked("b", Marks::BOLD), text("s")]),
            // Stray text and an inline-typed node without usable data join one paragraph;
            // the image without `src` and the nodes of no known shape vanish.
            Block::Paragraph(vec![text("stray@who")]),
        ]
    );
    // A bare document is accepted.
    assert_eq!(
        parse_document(r#"{"object":"document","nodes":[{"type":"paragraph","nodes":[{"text":"slate 0.47 text"}]}]}"#)
            .unwrap()
            .plain_text(),
        "slate 0.47 text"
    );
    assert_eq!(
        parse_document(r#"{"object":"value","document":{}}"#).unwrap(),
        RichText::default()
    );
}

#[test]
fn errors_are_clear() {
    assert!(matches!(
        parse_document("not json"),
        Err(ContentError::Json(_))
    ));
    assert!(matches!(
        parse_document("{} trailing"),
        Err(ContentError::Json(_))
    ));
    assert!(matches!(parse_document("[1]"), Err(ContentError::Shape(_))));
    assert!(matches!(parse_document("{}"), Err(ContentError::Shape(_))));
    assert!(matches!(
        parse_document("\"x\""),
        Err(ContentError::Shape(_))
    ));
    // Absurd nesting is rejected with an error, and serde_json's own limit holds too.
    let mut deep = String::from(r#"{"document":{"nodes":["#);
    for _ in 0..60 {
        deep.push_str(r#"{"type":"paragraph","nodes":["#);
    }
    deep.push_str(&"]}".repeat(60));
    deep.push_str("]}}");
    assert_eq!(
        parse_document(&deep),
        Err(ContentError::TooDeep {
            max: wire::MAX_DEPTH
        })
    );
    let very_deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_document(&very_deep).is_err());
    let deep_value: serde_json::Value = serde_json::from_str(&deep).unwrap();
    assert!(matches!(
        parse_document_value(&deep_value),
        Err(ContentError::TooDeep { .. })
    ));
    // Inside a message, the same document degrades instead of failing the message.
    let msg: crate::models::Message =
        serde_json::from_str(&format!(r#"{{"id":"m","content":{deep}}}"#)).unwrap();
    assert_eq!(msg.id, "m");
}

#[test]
fn to_document_writes_what_the_official_client_writes() {
    // Re-encoding the GJS samples gives them back exactly (modulo key order).
    for name in [
        "gjs-content-user-mention.json",
        "gjs-content-multi-paragraph.json",
        "gjs-content-channel-mention.json",
    ] {
        let original: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
        let mut ours = to_document(&doc(name));
        let mut theirs = original.clone();
        strip_mention_extras(&mut ours);
        strip_mention_extras(&mut theirs);
        assert_eq!(ours, theirs, "{name}");
    }
    let formatting: serde_json::Value =
        serde_json::from_str(&fixture("synthesized/content-formatting.json")).unwrap();
    assert_eq!(
        to_document(&doc("synthesized/content-formatting.json")),
        formatting
    );
    let rt = from_markdown("a\nb", &|_| None::<ResolvedMention>);
    assert_eq!(
        to_document(&rt),
        serde_json::from_str::<serde_json::Value>(
            r#"{"object":"value","document":{"object":"document","data":{},"nodes":[
            {"object":"block","type":"paragraph","data":{},"nodes":[{"object":"text","leaves":[{"object":"leaf","text":"a","marks":[]}]}]},
            {"object":"block","type":"paragraph","data":{},"nodes":[{"object":"text","leaves":[{"object":"leaf","text":"b","marks":[]}]}]}]}}"#
        )
        .unwrap()
    );
}

/// The GJS mention data carries display extras (avatar, color, nickname) that gilt does not
/// keep; compare only what is modelled.
fn strip_mention_extras(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for k in ["avatar", "color", "nickname"] {
                m.remove(k);
            }
            if m.get("type").and_then(|t| t.as_str()) == Some("person") {
                m.remove("matcher");
            }
            m.values_mut().for_each(strip_mention_extras);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_mention_extras),
        _ => {}
    }
}

fn resolver(name: &str) -> Option<ResolvedMention> {
    match name {
        "nico" => Some(ResolvedMention::new(
            MentionKind::Person,
            "user-id",
            "@nico",
        )),
        "GAPI Testing Account" => Some(ResolvedMention::new(
            MentionKind::Person,
            "2d2Wg8Pm",
            "@GAPI Testing Account",
        )),
        "Captain" => Some(ResolvedMention::new(
            MentionKind::Role,
            "10000000",
            "@Captain",
        )),
        _ => None,
    }
}

fn md(input: &str) -> Vec<Block> {
    from_markdown(input, &resolver).blocks
}

#[test]
fn markdown_inline_marks() {
    assert_eq!(
        md("**bold** *it* _it2_ ~~s~~ ||sp|| `co*de` __u__"),
        [Block::Paragraph(vec![
            marked("bold", Marks::BOLD),
            text(" "),
            marked("it", Marks::ITALIC),
            text(" "),
            marked("it2", Marks::ITALIC),
            text(" "),
            marked("s", Marks::STRIKETHROUGH),
            text(" "),
            marked("sp", Marks::SPOILER),
            text(" "),
            marked("co*de", Marks::CODE),
            text(" "),
            marked("u", Marks::UNDERLINE),
        ])]
    );
    assert_eq!(
        md("**bold *both***"),
        [Block::Paragraph(vec![
            marked("bold ", Marks::BOLD),
            marked("both", Marks::BOLD.with(Marks::ITALIC)),
        ])]
    );
    assert_eq!(
        md("*a **b** c*"),
        [Block::Paragraph(vec![
            marked("a ", Marks::ITALIC),
            marked("b", Marks::ITALIC.with(Marks::BOLD)),
            marked(" c", Marks::ITALIC),
        ])]
    );
    // Not emphasis: snake_case, lone stars, spaces inside, escapes, unclosed code.
    for literal in [
        "snake_case_name",
        "2 * 3 * 4",
        "** not bold **",
        "\\*not italic\\*",
        "`unclosed",
        ":tada: stays",
        "a ~ b",
    ] {
        let expected = literal.replace('\\', "");
        assert_eq!(
            md(literal),
            [Block::Paragraph(vec![text(&expected)])],
            "{literal}"
        );
    }
}

#[test]
fn markdown_links_and_mentions() {
    assert_eq!(
        md("see https://example.com/a_b_c, and **https://x.io**"),
        [Block::Paragraph(vec![
            text("see "),
            Inline::Link {
                href: "https://example.com/a_b_c".into(),
                label: "https://example.com/a_b_c".into()
            },
            text(", and "),
            Inline::Link {
                href: "https://x.io".into(),
                label: "https://x.io".into()
            },
        ])]
    );
    assert_eq!(
        md("`https://not.a.link` ftp://nope"),
        [Block::Paragraph(vec![
            marked("https://not.a.link", Marks::CODE),
            text(" ftp://nope"),
        ])]
    );
    assert_eq!(
        md("hi @nico, @GAPI Testing Account and @Captain! @nobody me@nico @everyone"),
        [Block::Paragraph(vec![
            text("hi "),
            Inline::Mention {
                kind: MentionKind::Person,
                id: "user-id".into(),
                label: "@nico".into()
            },
            text(", "),
            Inline::Mention {
                kind: MentionKind::Person,
                id: "2d2Wg8Pm".into(),
                label: "@GAPI Testing Account".into()
            },
            text(" and "),
            Inline::Mention {
                kind: MentionKind::Role,
                id: "10000000".into(),
                label: "@Captain".into()
            },
            text("! @nobody me@nico "),
            Inline::Mention {
                kind: MentionKind::Everyone,
                id: "everyone".into(),
                label: "@everyone".into()
            },
        ])]
    );
}

#[test]
fn markdown_blocks() {
    let input = "# Title\n## Sub\n> q1\n>q2\n- a\n* b\n1. one\n2) two\n---\n```rust\nfn x() {}\n\n```\n```\nplain\n```\n\nlast";
    assert_eq!(
        md(input),
        [
            Block::Heading {
                large: true,
                inlines: vec![text("Title")]
            },
            Block::Heading {
                large: false,
                inlines: vec![text("Sub")]
            },
            Block::Quote(vec![vec![text("q1")], vec![text("q2")]]),
            Block::List {
                ordered: false,
                items: vec![vec![text("a")], vec![text("b")]]
            },
            Block::List {
                ordered: true,
                items: vec![vec![text("one")], vec![text("two")]]
            },
            Block::Divider,
            Block::Code {
                language: Some("rust".into()),
                lines: vec!["fn x() {}".into(), String::new()]
            },
            Block::Code {
                language: None,
                lines: vec!["plain".into()]
            },
            Block::Paragraph(vec![]),
            Block::Paragraph(vec![text("last")]),
        ]
    );
    // An unclosed fence runs to the end; CRLF is accepted; empty input is no blocks.
    assert_eq!(
        md("```py\r\nx = 1"),
        [Block::Code {
            language: Some("py".into()),
            lines: vec!["x = 1".into()]
        }]
    );
    assert!(md("").is_empty());
    assert_eq!(md("#nospace"), [Block::Paragraph(vec![text("#nospace")])]);
}

#[test]
fn markdown_plain_text_blocks_use_the_markdown_parser() {
    let d = json!({"object":"value","document":{"object":"document","data":{},"nodes":[
        {"object":"block","type":"markdown-plain-text","data":{},"nodes":[
            {"object":"text","leaves":[{"object":"leaf","text":"**hi** @nico\n> q\n```js\nx\n```","marks":[]}]}]}]}});
    assert_eq!(
        parse_document_value(&d).unwrap().blocks,
        [
            Block::Paragraph(vec![marked("hi", Marks::BOLD), text(" @nico")]),
            Block::Quote(vec![vec![text("q")]]),
            Block::Code {
                language: Some("js".into()),
                lines: vec!["x".into()]
            },
        ]
    );
}

#[test]
fn serde_impls_round_trip_through_messages() {
    let rt = from_markdown("**a** @nico https://x.io\n> q", &resolver);
    let v = serde_json::to_value(&rt).unwrap();
    assert_eq!(v["object"], "value");
    let back: RichText = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(back, rt);
    let back: RichText = serde_json::from_str(&v.to_string()).unwrap();
    assert_eq!(back, rt);
    let null: RichText = serde_json::from_str("null").unwrap();
    assert!(null.is_empty());
}

#[test]
fn hostile_documents_are_bounded() {
    // Nodes nested 100,000 deep: read to the depth cap, the rest skipped, no stack overflow.
    let mut deep = String::from(r#"{"document":{"nodes":["#);
    deep.push_str(&r#"{"type":"paragraph","nodes":["#.repeat(100_000));
    deep.push_str(&"]}".repeat(100_000));
    deep.push_str("]}}");
    assert!(parse_document(&deep).is_err());
    // 20,000 marked leaves in one text node: one paragraph, runs of equal marks merged.
    let leaves: Vec<serde_json::Value> = (0..20_000)
        .map(|i| {
            let marks = if i % 2 == 0 {
                json!([{"type": "bold"}])
            } else {
                json!([])
            };
            json!({"object": "leaf", "text": "ab ", "marks": marks})
        })
        .collect();
    let doc = json!({"object": "value", "document": {"object": "document", "nodes": [
        {"object": "block", "type": "paragraph", "nodes": [{"object": "text", "leaves": leaves}]}
    ]}});
    let rt = parse_document(&doc.to_string()).unwrap();
    let [Block::Paragraph(inlines)] = rt.blocks.as_slice() else {
        panic!("{rt:?}")
    };
    assert_eq!(inlines.len(), 20_000);
}

#[test]
fn markdown_blocks_of_one_message_share_one_budget() {
    let block = |text: &str| {
        json!({"object": "block", "type": "markdown-plain-text",
               "nodes": [{"object": "text", "leaves": [{"text": text}]}]})
    };
    let doc = |blocks: Vec<serde_json::Value>| {
        json!({"object": "value", "document": {"object": "document", "nodes": blocks}}).to_string()
    };
    let second = format!("{}**b**", "a".repeat(7_000));
    // Alone, the second block's bold is markdown.
    let alone = parse_document(&doc(vec![block(&second)])).unwrap();
    assert!(
        alone
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Paragraph(i) if i.len() == 2))
    );
    // After a 10,000-byte block, it is past the message's 16 KiB of markdown: plain text.
    let both = parse_document(&doc(vec![block(&"a".repeat(10_000)), block(&second)])).unwrap();
    assert_eq!(
        both.blocks.last(),
        Some(&Block::Paragraph(vec![text(&second)]))
    );
}

/// A message body kept as its JSON text: read only when looked at, and then exactly what
/// the eager reader gives.
#[test]
fn content_is_read_when_looked_at_and_reads_as_the_eager_reader() {
    let document = json!({"object":"value","document":{"object":"document","nodes":[
        {"object":"block","type":"paragraph","nodes":[{"object":"text","leaves":[
            {"object":"leaf","text":"hello ","marks":[]},
            {"object":"leaf","text":"world","marks":[{"object":"mark","type":"bold"}]}
        ]}]}
    ]}})
    .to_string();
    let content: Content = serde_json::from_str(&document).unwrap();
    assert!(content.is_unread());
    assert!(!content.may_mention("u1"), "no mention in the text");
    assert!(content.is_unread(), "deciding that did not read it");
    let eager: RichText = serde_json::from_str(&document).unwrap();
    assert_eq!(content.rich(), &eager);
    assert_eq!(content.plain_text(), "hello world");
    assert!(!content.is_unread());
    // Equal to the same text however it was made; a clone keeps the text.
    assert_eq!(content, Content::from(eager.clone()));
    assert_eq!(content.clone().into_rich(), eager);
    let unread: Content = serde_json::from_str(&document).unwrap();
    assert_eq!(unread.clone(), content);
    // Odd bodies read as the eager reader reads them: `null` and a non-document are empty.
    for odd in ["null", "42", r#"{"object":"value"}"#, "[1,2]"] {
        let content: Content = serde_json::from_str(odd).unwrap();
        let eager: RichText = serde_json::from_str(odd).unwrap();
        assert_eq!(content.rich(), &eager, "{odd}");
    }
    // Through a `serde_json::Value` too.
    let value: serde_json::Value = serde_json::from_str(&document).unwrap();
    let content: Content = serde_json::from_value(value).unwrap();
    assert_eq!(content.plain_text(), "hello world");
    // Malformed JSON still fails the read.
    assert!(serde_json::from_str::<Content>(r#"{"object":"#).is_err());
}

#[test]
fn content_may_mention_only_rules_out_what_cannot_be_a_mention() {
    let paragraph = |node: serde_json::Value| {
        json!({"object":"value","document":{"object":"document","nodes":[
            {"object":"block","type":"paragraph","nodes":[node]}
        ]}})
        .to_string()
    };
    let mention_of = |kind: &str, id: &str| {
        paragraph(json!(
            {"object":"inline","type":"mention","data":{"mention":{"type":kind,"id":id,"name":"ann"}},
             "nodes":[{"object":"text","leaves":[{"object":"leaf","text":"@ann"}]}]}
        ))
    };
    let read = |json: &str| serde_json::from_str::<Content>(json).unwrap();
    // Someone else mentioned: ruled out without reading; the user, everyone, here: not.
    let other = read(&mention_of("person", "u2"));
    assert!(!other.may_mention("u1"));
    assert!(other.is_unread());
    assert!(read(&mention_of("person", "u1")).may_mention("u1"));
    assert!(read(&mention_of("everyone", "everyone")).may_mention("u1"));
    assert!(read(&mention_of("here", "here")).may_mention("u1"));
    // `mention` spelled with an escape is still the word to the reader: not ruled out.
    let escaped = mention_of("person", "u1").replace("\"mention\"", "\"\\u006dention\"");
    assert!(!escaped.contains("\"mention\""));
    let content = read(&escaped);
    assert!(content.may_mention("u1"));
    assert!(
        matches!(&content.blocks[0], Block::Paragraph(inlines)
            if matches!(&inlines[0], Inline::Mention { kind: MentionKind::Person, id, .. } if id == "u1")),
        "{content:?}"
    );
    // Markdown text makes `@everyone` a mention with no mention node in the JSON.
    let markdown = json!({"object":"value","document":{"object":"document","nodes":[
        {"object":"block","type":"markdown-plain-text","nodes":[
            {"object":"text","leaves":[{"object":"leaf","text":"@everyone look"}]}
        ]}
    ]}})
    .to_string();
    let content = read(&markdown);
    assert!(content.may_mention("u1"));
    assert!(
        matches!(&content.blocks[0], Block::Paragraph(inlines)
            if matches!(&inlines[0], Inline::Mention { kind: MentionKind::Everyone, .. })),
        "{content:?}"
    );
    // Text built here (not JSON), or already read, is never ruled out.
    assert!(Content::from(RichText::default()).may_mention("u1"));
    assert!(other.plain_text().contains("@ann"));
    assert!(other.may_mention("u1"), "once read, the tree decides");
}
