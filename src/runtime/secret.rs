//! Credentials that never print.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use super::error::BuildError;

/// A credential value. `Debug` and `Display` print `<redacted>`; only the transport reads the value. Shared, so
/// every request a client prepares carries its credentials without copying them.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// Reads a secret from the environment variable `name`.
    pub fn from_env(name: &str) -> Result<Self, BuildError> {
        env_var(name).map(Secret::new)
    }

    /// Whether `other` is this very value, shared rather than equal.
    pub(crate) fn same(&self, other: &Secret) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The value itself, for the transport. Never log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(Arc::from(value))
    }
}

/// Text from a server is searched only for secrets at least this long: shorter ones would match ordinary words
/// and numbers, and no platform's credential is this short. Nor is a shorter part of one at the end of a text.
pub(crate) const ECHO_MIN_CHARS: usize = 8;

/// `text` with each of `secrets` of at least `shortest` characters replaced by `<redacted>`, in every form a
/// body can carry it: as it stands, and as XML and JSON escape it, and where the text ends partway into one (an
/// excerpt cut short). All places are found in the original text first, so one replacement is never searched
/// again. Borrowed when none occurs.
pub(crate) fn redact<'t, 's>(
    text: &'t str,
    secrets: impl IntoIterator<Item = &'s Secret>,
    shortest: usize,
) -> Cow<'t, str> {
    let mut spans = Vec::new();
    for secret in secrets.into_iter().map(Secret::expose) {
        if secret.is_empty() || secret.chars().count() < shortest {
            continue;
        }
        let xml = quick_xml::escape::escape(secret);
        let json = serde_json::to_string(secret).expect("a string always serializes");
        for form in [secret, &xml, &json[1..json.len() - 1]] {
            spans.extend(
                text.match_indices(form)
                    .map(|(at, _)| (at, at + form.len())),
            );
            let cut_short = form
                .char_indices()
                .skip(ECHO_MIN_CHARS)
                .map(|(end, _)| &form[..end])
                .filter(|prefix| prefix.as_bytes().last() == text.as_bytes().last())
                .filter(|prefix| text.ends_with(prefix))
                .last();
            spans.extend(cut_short.map(|prefix| (text.len() - prefix.len(), text.len())));
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    spans.sort_unstable();
    let (mut out, mut done) = (String::with_capacity(text.len()), 0);
    for (start, end) in spans {
        if start >= done {
            out.push_str(&text[done..start]);
            out.push_str("<redacted>");
        }
        done = done.max(end);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Reads a required, non-empty environment variable.
pub fn env_var(name: &str) -> Result<String, BuildError> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err(BuildError::MissingCredential(name.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{ECHO_MIN_CHARS, Secret, redact};

    #[test]
    fn a_secret_prints_as_redacted_however_it_is_formatted() {
        let secret = Secret::new("tok-123");
        for printed in [
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
            secret.to_string(),
        ] {
            assert_eq!(printed, "<redacted>");
        }
        assert_eq!(secret.expose(), "tok-123", "the transport still reads it");
    }

    #[test]
    fn a_secret_is_redacted_in_each_form_a_body_carries_it() {
        let secret = Secret::new(r#"tok&en"<\9"#);
        for carried in [
            r#"tok&en"<\9"#,             // as it stands
            r#"tok&amp;en&quot;&lt;\9"#, // in XML text or an attribute
            r#"tok&en\"<\\9"#,           // in a JSON string
        ] {
            let text = format!("before {carried} after");
            assert_eq!(
                redact(&text, [&secret], ECHO_MIN_CHARS),
                "before <redacted> after",
                "{carried}"
            );
        }
        assert!(matches!(
            redact("nothing here", [&secret], ECHO_MIN_CHARS),
            Cow::Borrowed("nothing here")
        ));
        // Places that overlap make one redaction; a short value is not looked for.
        let (left, right) = (Secret::new("abcdefgh"), Secret::new("efghijkl"));
        assert_eq!(
            redact("xabcdefghijklx", [&left, &right], ECHO_MIN_CHARS),
            "x<redacted>x"
        );
        assert!(matches!(
            redact(
                "a short value is left alone",
                [&Secret::new("a"), &Secret::new("")],
                ECHO_MIN_CHARS
            ),
            Cow::Borrowed(_)
        ));
        // A text that ends partway into a secret, as an excerpt cut at its length limit can, loses that part;
        // fewer than 8 characters of it are left alone.
        assert_eq!(
            redact("the body starts tok&en\"<", [&secret], ECHO_MIN_CHARS),
            "the body starts <redacted>"
        );
        assert!(matches!(
            redact("the body starts tok&en\"", [&secret], ECHO_MIN_CHARS),
            Cow::Borrowed(_)
        ));
        // A replacement is not searched again, whatever the secrets.
        let inside = Secret::new("redacted");
        assert_eq!(
            redact(r#"tok&en"<\9 redacted"#, [&secret, &inside], ECHO_MIN_CHARS),
            "<redacted> <redacted>"
        );
    }
}
