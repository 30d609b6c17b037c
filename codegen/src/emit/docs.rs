//! Schema prose → doc attributes that render as `///` lines and never become failing doctests.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc lines (`///`) for an item.
pub fn outer(text: &str) -> TokenStream {
    let lines = lines(text);
    quote! { #( #[doc = #lines] )* }
}

fn lines(text: &str) -> Vec<String> {
    let cleaned = text
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("<br>", "\n");
    let mut out = Vec::new();
    let mut in_code = false;
    for line in cleaned.trim().lines() {
        let line = line.trim_end();
        let line = if line.trim_start().starts_with("```") {
            // Upstream code blocks are examples in other languages: fence them as text.
            in_code = !in_code;
            if in_code {
                "```text".to_string()
            } else {
                "```".to_string()
            }
        } else if in_code {
            line.to_string()
        } else {
            escape_brackets(line.trim_start())
        };
        if line.is_empty() && out.last().is_none_or(String::is_empty) {
            continue;
        }
        out.push(if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        });
    }
    if in_code {
        out.push(" ```".into());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
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
    use super::escape_brackets;

    #[test]
    fn prose_is_escaped_and_code_spans_are_not() {
        assert_eq!(
            escape_brackets("ids[0] <key> [docs](https://x) `Bearer <key>` `a[0]`"),
            "ids\\[0\\] &lt;key&gt; [docs](https://x) `Bearer <key>` `a[0]`"
        );
    }
}
