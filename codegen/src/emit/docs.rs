//! Schema prose → doc attributes that render as `///` lines and never become failing doctests.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc lines (`///`) for an item.
pub fn outer(text: &str) -> TokenStream {
    let lines = lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// How many characters of prose a doc line holds, past its `/// `: with an item's indentation, lines stay
/// within about a hundred columns, as the crate's own code does.
const WIDTH: usize = 96;

/// Doc lines for text the generator composes itself: already markdown, intra-doc links included, so it is
/// wrapped as schema prose is but not escaped.
pub fn written(text: &str) -> TokenStream {
    let lines = text
        .lines()
        .flat_map(|line| wrap(line.trim(), WIDTH))
        .map(|line| doc_line(&line));
    quote! { #( #[doc = #lines] )* }
}

/// A doc attribute's text for a line: `///` and the line with a space between, or `///` alone for a blank one.
fn doc_line(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

fn lines(text: &str) -> Vec<String> {
    lines_within(text, WIDTH)
}

fn lines_within(text: &str, width: usize) -> Vec<String> {
    let cleaned = text
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("<br>", "\n");
    let mut out = Vec::new();
    let mut in_code = false;
    for line in cleaned.trim().lines() {
        let line = line.trim_end();
        let pieces = if line.trim_start().starts_with("```") {
            // Upstream code blocks are examples in other languages: fence them as text.
            in_code = !in_code;
            vec![if in_code { "```text" } else { "```" }.to_string()]
        } else if in_code {
            vec![line.to_string()]
        } else {
            wrap(&escape_brackets(line.trim_start()), width)
        };
        for piece in pieces {
            if piece.is_empty() && out.last().is_none_or(String::is_empty) {
                continue;
            }
            out.push(doc_line(&piece));
        }
    }
    if in_code {
        out.push(" ```".into());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// A line of prose broken at spaces into lines of at most `width` characters where its words allow, as
/// rustfmt's `wrap_comments` would: markdown joins the lines of a paragraph again. Table rows and headings are
/// left whole. A word that would open a block at the start of a line (a list item, a heading, a quote, a
/// fence, an underline) stays on the line before, a list item's further lines are indented under its text, and
/// a code span is not broken.
fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width || line.starts_with('|') || line.starts_with('#') {
        return vec![line.to_string()];
    }
    let hang = " ".repeat(list_marker(line).map_or(0, str::len));
    let mut out = Vec::new();
    let mut current = String::new();
    let mut current_width = 0;
    // Inside a code span (an odd number of backticks so far) a space is part of the code.
    let mut in_code = false;
    for (n, word) in line.split(' ').enumerate() {
        let word_width = word.chars().count();
        if n > 0 {
            if current_width + 1 + word_width > width
                && current_width > hang.len()
                && !in_code
                && !word.is_empty()
                && !opens_block(word)
            {
                out.push(std::mem::replace(&mut current, hang.clone()));
                current_width = hang.len();
            } else {
                current.push(' ');
                current_width += 1;
            }
        }
        current.push_str(word);
        current_width += word_width;
        in_code ^= word.bytes().filter(|&b| b == b'`').count() % 2 == 1;
    }
    out.push(current);
    out
}

/// The marker and its space, when `line` is a list item: `- `, `* `, `+ `, `1. ` or `1) `.
fn list_marker(line: &str) -> Option<&str> {
    let (marker, _) = line.split_once(' ')?;
    opens_block(marker).then_some(&line[..marker.len() + 1])
}

/// Whether `word`, first on a line, would start a markdown block rather than go on with a paragraph.
fn opens_block(word: &str) -> bool {
    let numbered = word
        .strip_suffix(['.', ')'])
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let rule = !word.is_empty() && word.bytes().all(|b| matches!(b, b'-' | b'=' | b'_' | b'*'));
    numbered
        || rule
        || matches!(word, "+")
        || word.starts_with(['#', '>', '|'])
        || word.starts_with("```")
        || word.starts_with("~~~")
}

/// `[x]` in prose would become an intra-doc link that rustdoc warns about; `<T>` would be read as HTML. Inside
/// a code span both are shown as written, escapes included, so there they are left alone.
fn escape_brackets(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut in_code = false;
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            _ if in_code => out.push(c),
            '[' => {
                // Keep markdown links `[text](url)`, escape the rest.
                let rest: String = chars.clone().collect();
                if rest
                    .find(']')
                    .is_some_and(|i| rest[i + 1..].starts_with('('))
                {
                    out.push('[');
                } else {
                    out.push_str("\\[");
                }
            }
            ']' => {
                if chars.peek() == Some(&'(') {
                    out.push(']')
                } else {
                    out.push_str("\\]")
                }
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ir::Kind;

    #[test]
    fn prose_is_escaped_and_code_spans_are_not() {
        assert_eq!(
            escape_brackets("ids[0] <key> [docs](https://x) `Bearer <key>` `a[0]`"),
            "ids\\[0\\] &lt;key&gt; [docs](https://x) `Bearer <key>` `a[0]`"
        );
    }

    #[test]
    fn an_upstream_code_block_is_fenced_as_text_and_left_as_it_is() {
        assert_eq!(
            lines_within("Send:\n```json\n{\"ids\": [1, 2]}\n```\nThen <wait>.", 8),
            [
                " Send:",
                " ```text",
                " {\"ids\": [1, 2]}",
                " ```",
                " Then",
                " &lt;wait&gt;."
            ]
        );
        // One left open is closed.
        assert_eq!(
            lines_within("```\na [b]", 80),
            [" ```text", " a [b]", " ```"]
        );
    }

    #[test]
    fn long_prose_is_wrapped_at_spaces() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("short", 9), ["short"]);
        // A word longer than the width has a line of its own rather than being cut.
        assert_eq!(
            wrap("see https://example.com/a/long/path now", 12),
            ["see", "https://example.com/a/long/path", "now"]
        );
    }

    #[test]
    fn a_list_item_goes_on_under_its_text() {
        assert_eq!(wrap("- one two three", 9), ["- one two", "  three"]);
        assert_eq!(
            wrap("12. one two three", 9),
            ["12. one", "    two", "    three"]
        );
    }

    #[test]
    fn no_line_starts_what_would_open_a_block() {
        assert_eq!(wrap("aaaa bbbb - cccc", 9), ["aaaa bbbb -", "cccc"]);
        assert_eq!(wrap("aaaa bbbb 2. cccc", 9), ["aaaa bbbb 2.", "cccc"]);
        assert_eq!(wrap("aaaa bbbb ### cc", 9), ["aaaa bbbb ###", "cc"]);
        assert_eq!(wrap("aaaa bbbb --- cc", 9), ["aaaa bbbb ---", "cc"]);
        assert_eq!(wrap("aaaa bbbb ~~~ cc", 9), ["aaaa bbbb ~~~", "cc"]);
        // A fence's backticks also open a code span, which is not broken.
        assert_eq!(wrap("aaaa bbbb ``` cc", 9), ["aaaa bbbb ``` cc"]);
    }

    #[test]
    fn a_code_span_is_not_broken() {
        assert_eq!(
            wrap("aaaa bbbb `c d e f` gg", 10),
            ["aaaa bbbb", "`c d e f`", "gg"]
        );
        // A span that starts on a line ends on it, however long that makes the line.
        assert_eq!(wrap("aaaa `b c d` eeee", 8), ["aaaa `b c d`", "eeee"]);
    }

    #[test]
    fn tables_and_headings_are_left_whole() {
        let row = "| a long cell | another long cell |";
        assert_eq!(wrap(row, 9), [row]);
        assert_eq!(wrap("## A long heading", 9), ["## A long heading"]);
    }

    /// What a doc comment shows, blank runs made one space: markdown renders a line break inside a paragraph
    /// as one.
    fn rendered(lines: &[String]) -> String {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
        html.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Every doc text of the project's schemas renders the same wrapped as on one line a paragraph.
    #[test]
    fn wrapping_changes_no_rendered_doc() {
        let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let api = crate::load(&schemas).expect("the project's schemas load");
        let mut texts: Vec<&str> = Vec::new();
        for service in &api.services {
            texts.push(&service.docs);
            texts.extend(service.credentials.iter().map(|c| c.docs.as_str()));
            let servers =
                std::iter::once(&service.servers.production).chain(&service.servers.sandbox);
            texts.extend(servers.flat_map(|s| &s.variables).map(|v| v.docs.as_str()));
            for op in &service.operations {
                texts.push(&op.docs);
                let params = op.rest.iter().flat_map(|r| &r.path_params);
                texts.extend(params.map(|p| p.docs.as_str()));
            }
            for def in service.types.values() {
                texts.push(&def.docs);
                match &def.kind {
                    Kind::Struct(s) => texts.extend(s.fields.iter().map(|f| f.docs.as_str())),
                    Kind::Enum(e) => texts.extend(e.values.iter().map(|v| v.docs.as_str())),
                    Kind::Union(_) | Kind::List(_) => {}
                }
            }
        }
        let wrapped = texts
            .iter()
            .filter(|t| lines(t) != lines_within(t, usize::MAX))
            .count();
        assert!(
            wrapped > 10,
            "only {wrapped} doc texts are long enough to wrap"
        );
        // A longer line is one word, one that holds a code span, or one that is never wrapped (a table row, a
        // heading, code).
        let fits = |line: &String, whole: &[String]| {
            line.chars().count() <= WIDTH + 1
                || !line.trim().contains(' ')
                || line.contains('`')
                || whole.contains(line)
        };
        for text in texts {
            let (wrapped, whole) = (lines(text), lines_within(text, usize::MAX));
            assert!(wrapped.iter().all(|l| fits(l, &whole)), "{wrapped:#?}");
            assert_eq!(rendered(&wrapped), rendered(&whole), "{text}");
        }
    }
}
