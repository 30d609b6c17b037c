//! Blank lines between items. prettyplease writes no blank line anywhere, since tokens carry none, so a file of
//! thousands of lines would read as one block; a reviewer expects each item set apart, as rustfmt keeps them.

/// `text`, formatted by prettyplease, with a blank line before each item that follows another at the same
/// indentation, except between one-line items of a kind (`use` after `use`, `type` after `type`). Only blank
/// lines are added, so the tokens, and the code, are unchanged.
pub(crate) fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous = "";
    for line in text.split_inclusive('\n') {
        if separates(previous, line) {
            out.push('\n');
        }
        out.push_str(line);
        previous = line;
    }
    out
}

/// Adds `part`, spaced by `space_items` on its own, to `text`, with the blank line between the two that
/// spacing them as one would have put there: the parts of a file are spaced on their own threads.
pub(crate) fn join(text: &mut String, part: &str) {
    let first = part.split_inclusive('\n').next();
    let last = text.lines().next_back();
    if let (Some(last), Some(first)) = (last, first)
        && separates(last, first)
    {
        text.push('\n');
    }
    text.push_str(part);
}

/// Whether a blank line goes between `previous` and `line`. Most lines end with neither `}` nor `;`, so that
/// is asked first.
fn separates(previous: &str, line: &str) -> bool {
    let before = previous.trim_end_matches(['\n', ' ']);
    if !matches!(before.as_bytes().last(), Some(b'}' | b';')) {
        return false;
    }
    let (before, after) = (before.trim_start_matches(' '), line.trim_start_matches(' '));
    let same_level =
        previous.len() - previous.trim_start_matches(' ').len() == line.len() - after.len();
    let after = after.trim_end_matches(['\n', ' ']);
    same_level && opens_item(after) && ends_item(before, after)
}

/// Whether `line` ends an item: closing brackets alone that end a body or a statement (`}`, `};`, `];`, but
/// not the `)]` of an attribute laid out on several lines), or an item on one line (`fn f() {}`, `use a;`),
/// unless one like it follows.
fn ends_item(line: &str, next: &str) -> bool {
    let closers = line.strip_suffix(';').unwrap_or(line);
    let brackets = !closers.is_empty() && closers.bytes().all(|b| matches!(b, b'}' | b')' | b']'));
    if brackets && (line.ends_with('}') || line.ends_with(';')) {
        return true;
    }
    let one_line = opens_item(line) && !line.starts_with("///") && !line.starts_with("#[");
    one_line && (line.ends_with('}') || (line.ends_with(';') && kind(line) != kind(next)))
}

/// An item's keyword, past its visibility.
fn kind(line: &str) -> &str {
    let line = match line.strip_prefix("pub") {
        Some(rest) if rest.starts_with('(') => rest.split_once(") ").map_or(rest, |(_, item)| item),
        Some(rest) => rest.trim_start(),
        None => line,
    };
    line.split(' ').next().unwrap_or(line)
}

/// Whether a line, indentation trimmed, starts an item or the docs or attributes in front of one. In a function
/// body a line after `}` starts a statement or an expression, which none of these begins.
fn opens_item(line: &str) -> bool {
    const OPENERS: [&str; 16] = [
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "async fn ",
        "const ",
        "static ",
        "struct ",
        "enum ",
        "impl ",
        "impl<",
        "trait ",
        "type ",
        "mod ",
        "use ",
    ];
    OPENERS.iter().any(|opener| line.starts_with(opener))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected`, a line an entry with `""` for a blank line, against what `space_items` makes of it with
    /// the blank lines taken out.
    fn assert_spaced(expected: &[&str]) {
        let text =
            |lines: Vec<&str>| -> String { lines.iter().map(|l| format!("{l}\n")).collect() };
        let dense = text(expected.iter().copied().filter(|l| !l.is_empty()).collect());
        assert_eq!(space_items(&dense), text(expected.to_vec()));
    }

    #[test]
    fn items_are_set_apart_and_nothing_else_moves() {
        assert_spaced(&[
            "use a;",
            "use b;",
            "",
            "/// S.",
            "#[derive(Debug)]",
            "pub struct S {",
            "    /// F.",
            "    pub f: u8,",
            "    pub g: u8,",
            "}",
            "",
            "impl S {",
            "    fn one() {",
            "        if x {",
            "            y();",
            "        }",
            "        z();",
            "    }",
            "",
            "    fn two() {}",
            "",
            "    const C: u8 = 1;",
            "    const D: u8 = 2;",
            "}",
            "",
            "static T: S = S {",
            "    f: 1,",
            "};",
            "",
            "pub(crate) const A: &[u8] = &[",
            "    1,",
            "];",
            "",
            "type Z = u8;",
        ]);
    }

    #[test]
    fn attributes_on_several_lines_stay_with_their_item() {
        assert_spaced(&[
            "fn a() {}",
            "",
            "#[allow(",
            "    x,",
            ")]",
            "#[warn(y)]",
            "pub mod m {}",
        ]);
    }

    #[test]
    fn a_closing_brace_at_another_depth_adds_nothing() {
        assert_spaced(&[
            "impl S {",
            "    fn f() {",
            "        match x {",
            "            _ => {}",
            "        }",
            "    }",
            "}",
        ]);
    }

    /// Spaced in parts and joined, or spaced whole: the same text, wherever the parts are cut.
    #[test]
    fn parts_joined_are_spaced_as_the_whole() {
        let lines = [
            "use a;",
            "/// S.",
            "pub struct S {",
            "    f: u8,",
            "}",
            "impl S {",
            "    fn f() {}",
            "    fn g() {}",
            "}",
            "const C: u8 = 1;",
            "const D: u8 = 2;",
            "fn h() {}",
        ];
        let text = |lines: &[&str]| -> String { lines.iter().map(|l| format!("{l}\n")).collect() };
        let whole = space_items(&text(&lines));
        for cut in 0..=lines.len() {
            let mut joined = space_items(&text(&lines[..cut]));
            join(&mut joined, &space_items(&text(&lines[cut..])));
            assert_eq!(joined, whole, "cut before line {cut}");
        }
    }

    #[test]
    fn kinds_are_read_past_visibility() {
        assert_eq!(kind("pub(crate) static S: u8 = 1;"), "static");
        assert_eq!(kind("pub use a::b;"), "use");
        assert_eq!(kind("type T = u8;"), "type");
    }
}
