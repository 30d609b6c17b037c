//! Where a problem's place stands in its file. A loader locates what fails to parse; the checks that run after
//! it see parsed values, which keep no position, and report a TOML key path or a JSON pointer. This looks that
//! place up in the file, so a maintainer gets a line to open it at.

use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::{display, schema_files};
use crate::diag::Diagnostic;

/// Adds the line and column of its place to each problem that names a key path or pointer without one. Each
/// file with such problems is read, and a TOML file parsed, once.
pub fn add_positions(schema_dir: &Path, problems: &mut [Diagnostic]) {
    for path in schema_files(schema_dir) {
        let file = display(&path);
        let mut unplaced = problems
            .iter_mut()
            .filter(|p| p.file == file && !p.place.contains("line "))
            .peekable();
        if unplaced.peek().is_none() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let toml = file.ends_with(".toml").then(|| toml_locator(&text));
        for problem in unplaced {
            let at = match &toml {
                Some(locate) => locate(&problem.place),
                None => json_position(&text, &problem.place),
            };
            if let Some(at) = at {
                problem.place = format!("{} ({at})", problem.place);
            }
        }
    }
}

/// `text` parsed once, and the lookup of a key path `place` in it (`types.Audience.fields[2]`, maybe followed by
/// a note in parentheses): the line and column of the deepest key of it that the document has. A problem found
/// after parsing is about a value whose position the deserialized types do not keep; this points it at a line
/// all the same. `None` when the text does not parse or holds not even the path's first key.
fn toml_locator(text: &str) -> impl Fn(&str) -> Option<String> + '_ {
    let root = DeTable::parse(text).ok();
    move |place| toml_position(text, root.as_ref()?, place)
}

fn toml_position(text: &str, root: &Spanned<DeTable<'_>>, place: &str) -> Option<String> {
    enum Step<'a> {
        Key(&'a str),
        /// `None`: not a number, which no array has.
        Index(Option<usize>),
    }
    let path = place.split(' ').next().unwrap_or_default();
    // Each segment is a key, then the `[n]` indexes into the array it holds, if any.
    let steps = path.split('.').flat_map(|segment| {
        let mut parts = segment.split('[');
        let key = parts.next().map(Step::Key);
        let indexes = parts.map(|i| Step::Index(i.strip_suffix(']').and_then(|i| i.parse().ok())));
        key.into_iter().chain(indexes)
    });
    let (mut table, mut items, mut found): (_, Option<&DeArray>, _) =
        (Some(root.get_ref()), None, None);
    for step in steps {
        let value = match step {
            Step::Key(key) => table.and_then(|t| t.get(key)),
            Step::Index(index) => items.zip(index).and_then(|(a, i)| a.get(i)),
        };
        let Some(value) = value else { break };
        found = Some(value.span());
        (table, items) = match value.get_ref() {
            DeValue::Table(t) => (Some(t), None),
            DeValue::Array(a) => (None, Some(a)),
            _ => (None, None),
        };
    }
    found.map(|span| super::toml_format::line_of(text, Some(span)))
}

/// Where the member or item at the JSON pointer `place` (`#/paths/~1things/post`) is in `text`, or, when the
/// document lacks part of the pointer, where the deepest value it has ends. serde_json keeps no positions in what it
/// reads, but its errors carry one: [`Walk`] reads the document down the pointer and fails where it stops.
fn json_position(text: &str, place: &str) -> Option<String> {
    let path: Vec<String> = place
        .strip_prefix('#')?
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut reader = serde_json::Deserializer::from_str(text);
    let stopped = (Walk { path: &path }).deserialize(&mut reader).err()?;
    Some(format!(
        "line {}, column {}",
        stopped.line(),
        stopped.column()
    ))
}

/// Reads one JSON value, descending into the member or item the path names first, and fails where the path ends
/// or the document runs out of it; serde_json gives the error the position it has read to. A scalar always
/// fails, as the visitor's defaults refuse every scalar.
struct Walk<'a> {
    path: &'a [String],
}

fn stop<E: de::Error>() -> E {
    E::custom("the pointer ends here")
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, reader: D) -> Result<(), D::Error> {
        reader.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((key, rest)) = self.path.split_first() else {
            return Err(stop());
        };
        while let Some(name) = map.next_key::<String>()? {
            // A member is placed at its name, on the line a reader looks for.
            if name == *key && rest.is_empty() {
                return Err(stop());
            }
            if name == *key {
                return map.next_value_seed(Walk { path: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Err(stop())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let Some((index, rest)) = self.path.split_first() else {
            return Err(stop());
        };
        for _ in 0..index.parse::<usize>().map_err(|_| stop())? {
            if items.next_element::<IgnoredAny>()?.is_none() {
                return Err(stop());
            }
        }
        items.next_element_seed(Walk { path: rest })?;
        Err(stop())
    }
}

#[cfg(test)]
mod tests {
    use super::{json_position, toml_locator};

    #[test]
    fn a_key_path_is_found_as_deep_as_the_document_goes() {
        let text = "[service]\ntitle = \"T\"\n\n[types.Req]\nfields = [\n  { name = \"a\" },\n  { name = \"b\", type = \"Nope\" },\n]\n";
        let locate = toml_locator(text);
        for (place, at) in [
            ("service.title", Some("line 2, column 9")),
            ("types.Req.fields[1]", Some("line 7, column 3")),
            ("types.Req.fields[1].type", Some("line 7, column 24")),
            ("types.Req.fields[1] (a note)", Some("line 7, column 3")),
            // What the document lacks is placed at the deepest key it has: a table at its header.
            ("types.Req.extends", Some("line 4, column 1")),
            ("types.Req.fields[9]", Some("line 5, column 10")),
            ("types.Req.fields[x]", Some("line 5, column 10")),
            ("folder", None),
        ] {
            assert_eq!(locate(place).as_deref(), at, "{place}");
        }
        assert_eq!(toml_locator("[unclosed")("service"), None);
    }

    #[test]
    fn a_json_pointer_is_found_as_deep_as_the_document_goes() {
        let text = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a~b/c\": {\n      \"post\": { \"tags\": [\"x\", {\"y\": 1}] }\n    }\n  },\n  \"servers\": []\n}\n";
        for (place, line) in [
            ("#/openapi", Some(2)),
            ("#/paths/~1a~0b~1c/post", Some(5)),
            ("#/paths/~1a~0b~1c/post/tags/1/y", Some(5)),
            // What the document lacks is placed where the deepest value it has ends.
            ("#/paths/~1a~0b~1c/put", Some(6)),
            ("#/servers/0", Some(8)),
            ("#/paths/~1a~0b~1c/post/tags/x", Some(5)),
            ("#/paths/~1a~0b~1c", Some(4)),
            // The whole document: where its first member is.
            ("#", Some(2)),
            ("paths", None),
        ] {
            let found = json_position(text, place);
            let found_line = found.as_deref().map(|at| {
                at.strip_prefix("line ")
                    .and_then(|rest| rest.split(',').next())
                    .and_then(|n| n.parse::<usize>().ok())
                    .expect("`line N, column M`")
            });
            assert_eq!(found_line, line, "{place}: {found:?}");
        }
        // A document that breaks off is placed where it does.
        assert_eq!(
            json_position("{\"open", "#/openapi").as_deref(),
            Some("line 1, column 6")
        );
    }
}
