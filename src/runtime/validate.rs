//! Limits the platforms document, checked before anything is sent. Generated code calls these with the
//! limits from the schema; nothing here knows a platform.
//!
//! A check that passes builds nothing: an error learns where it sits on its way out, each enclosing property
//! and list item adding its step to the path, so the usual case pays for no path at all.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex};

use super::wire_enum::{Flags, WireEnum};

/// A value that breaks a documented limit: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The value's path in the request, as in `audiences[2].name`.
    pub at: String,
    /// The limit and what broke it.
    pub message: String,
}

impl Invalid {
    /// `message` about the value at `at`, a path as in the field [`Invalid::at`].
    pub(crate) fn new(at: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            at: at.into(),
            message: message.into(),
        }
    }

    /// `message` about the value at `at`, formatted only now: the checks inline their passing path, and the
    /// compiler keeps a failure's arguments out of it when their formatting is out of line.
    #[cold]
    #[inline(never)]
    fn formatted(at: &str, message: fmt::Arguments<'_>) -> Box<Self> {
        Box::new(Invalid::new(at, message.to_string()))
    }

    /// `message` about the value being checked, whose path its holders add.
    #[cold]
    #[inline(never)]
    fn here(message: fmt::Arguments<'_>) -> Box<Self> {
        Invalid::formatted("", message)
    }

    /// The same error seen from the value that holds it as property `name`.
    #[cold]
    #[inline(never)]
    pub(crate) fn in_field(self: Box<Self>, name: &str) -> Box<Self> {
        self.under(name.to_string())
    }

    /// The same error seen from the list that holds it as item `index`.
    #[cold]
    #[inline(never)]
    pub(crate) fn in_item(self: Box<Self>, index: usize) -> Box<Self> {
        self.under(format!("[{index}]"))
    }

    fn under(mut self: Box<Self>, mut step: String) -> Box<Self> {
        if !self.at.is_empty() && !self.at.starts_with('[') {
            step.push('.');
        }
        step.push_str(&self.at);
        self.at = step;
        self
    }
}

/// `` `ids[3].id`: message ``, or the message alone for the request as a whole.
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "`{}`: {}", self.at, self.message)
        }
    }
}

impl std::error::Error for Invalid {}

/// What a check gives: nothing when the value keeps its limits. A failure is boxed so that a passing check
/// returns in a register rather than through memory, as it does once per value of every request.
pub type Checked = Result<(), Box<Invalid>>;

/// The documented limits of one value (item counts are checked apart, by [`check_items`]); generated code
/// fills the ones the schema states.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_length: Option<u64>,
    pub pattern: Option<&'static str>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub max_properties: Option<u64>,
}

impl Limits {
    /// No limit at all; generated code names the limits a value has and takes the rest from here.
    pub const NONE: Limits = Limits {
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        max_properties: None,
    };
}

/// Values whose size, length or range a limit can constrain.
pub trait Measured {
    fn check(&self, limits: &Limits) -> Checked;
}

/// Property `name` against its limits.
#[inline]
pub fn check_limits<T: Measured + ?Sized>(value: &T, name: &str, limits: &Limits) -> Checked {
    value.check(limits).map_err(|e| e.in_field(name))
}

impl<T: Measured> Measured for Option<T> {
    #[inline]
    fn check(&self, limits: &Limits) -> Checked {
        match self {
            Some(v) => v.check(limits),
            None => Ok(()),
        }
    }
}

impl Measured for str {
    fn check(&self, limits: &Limits) -> Checked {
        let length = self.chars().count() as u64;
        if let Some(max) = limits.max_length
            && length > max
        {
            return Err(Invalid::here(format_args!(
                "at most {max} characters, found {length}"
            )));
        }
        if let Some(pattern) = limits.pattern
            && !matches_pattern(pattern, self)
        {
            return Err(Invalid::here(format_args!(
                "must match `{pattern}`, found {self:?}"
            )));
        }
        Ok(())
    }
}

impl Measured for String {
    fn check(&self, limits: &Limits) -> Checked {
        self.as_str().check(limits)
    }
}

macro_rules! measured_integer {
    ($($t:ty),*) => {$(
        impl Measured for $t {
            fn check(&self, limits: &Limits) -> Checked {
                let value = i64::from(*self);
                match (limits.minimum, limits.maximum) {
                    (Some(lo), _) if value < lo => Err(out_of_range(limits, value)),
                    (_, Some(hi)) if value > hi => Err(out_of_range(limits, value)),
                    _ => Ok(()),
                }
            }
        }
    )*};
}
measured_integer!(i32, i64);

#[cold]
#[inline(never)]
fn out_of_range(limits: &Limits, value: i64) -> Box<Invalid> {
    let message = match (limits.minimum, limits.maximum) {
        (Some(lo), Some(hi)) => format!("must be from {lo} to {hi}, found {value}"),
        (Some(lo), None) => format!("must be at least {lo}, found {value}"),
        (None, Some(hi)) => format!("must be at most {hi}, found {value}"),
        (None, None) => String::new(),
    };
    Box::new(Invalid::new("", message))
}

/// Limits other than item counts apply to each item of a list.
impl<T: Measured> Measured for Vec<T> {
    fn check(&self, limits: &Limits) -> Checked {
        for (i, item) in self.iter().enumerate() {
            item.check(limits).map_err(|e| e.in_item(i))?;
        }
        Ok(())
    }
}

/// Lists, whatever their items, for `max_items` and `min_items`.
pub trait Counted {
    fn count(&self) -> Option<usize>;
}

impl<T> Counted for Vec<T> {
    fn count(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Counted> Counted for Option<T> {
    fn count(&self) -> Option<usize> {
        self.as_ref().and_then(Counted::count)
    }
}

/// The number of items in list property `name`.
#[inline]
pub fn check_items<T: Counted + ?Sized>(
    value: &T,
    name: &str,
    max: Option<u64>,
    min: Option<u64>,
) -> Checked {
    let Some(count) = value.count() else {
        return Ok(());
    };
    let count = count as u64;
    if let Some(max) = max
        && count > max
    {
        return Err(Invalid::formatted(
            name,
            format_args!("at most {max} {}, found {count}", items(max)),
        ));
    }
    if let Some(min) = min
        && count < min
    {
        return Err(Invalid::formatted(
            name,
            format_args!("at least {min} {}, found {count}", items(min)),
        ));
    }
    Ok(())
}

/// "item" or "items", after a count of them.
fn items(count: u64) -> &'static str {
    if count == 1 { "item" } else { "items" }
}

impl Measured for serde_json::Map<String, serde_json::Value> {
    fn check(&self, limits: &Limits) -> Checked {
        if let Some(max) = limits.max_properties
            && self.len() as u64 > max
        {
            return Err(Invalid::here(format_args!(
                "at most {max} entries, found {}",
                self.len()
            )));
        }
        Ok(())
    }
}

/// Each schema pattern, compiled once; `None` for one the regex engine cannot read.
type Compiled = HashMap<&'static str, Option<Arc<regex_lite::Regex>>>;

fn matches_pattern(pattern: &'static str, text: &str) -> bool {
    // The lock covers only the lookup, so concurrent calls never wait on a match.
    static CACHE: LazyLock<Mutex<Compiled>> = LazyLock::new(Default::default);
    let regex = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(pattern)
        .or_insert_with(|| regex_lite::Regex::new(pattern).ok().map(Arc::new))
        .clone();
    // A pattern the regex engine cannot read constrains nothing rather than refusing every value.
    regex.is_none_or(|r| r.is_match(text))
}

/// A value whose nested parts are checked against their own limits. Only types that have something to check
/// implement it: the generator leaves out the call for a value that cannot break a limit.
pub trait Validate {
    fn validate(&self) -> Checked;
}

/// Checks property `name`'s value.
#[inline]
pub fn validate_field<T: Validate + ?Sized>(value: &T, name: &str) -> Checked {
    value.validate().map_err(|e| e.in_field(name))
}

impl<T: Validate> Validate for Option<T> {
    #[inline]
    fn validate(&self) -> Checked {
        match self {
            Some(v) => v.validate(),
            None => Ok(()),
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self) -> Checked {
        for (i, item) in self.iter().enumerate() {
            item.validate().map_err(|e| e.in_item(i))?;
        }
        Ok(())
    }
}

impl<T: WireEnum> Validate for Flags<T> {
    fn validate(&self) -> Checked {
        self.0.iter().try_for_each(validate_enum)
    }
}

/// A request may only name values the schema lists. A listed variant is one by construction; only `Unknown`
/// needs its text looked up, as it may hold a listed value.
#[inline]
pub fn validate_enum<T: WireEnum>(value: &T) -> Checked {
    match value.unknown() {
        Some(wire) => unlisted::<T>(wire),
        None => Ok(()),
    }
}

#[cold]
fn unlisted<T: WireEnum>(wire: &str) -> Checked {
    if T::VALUES.contains(&wire) {
        return Ok(());
    }
    Err(Invalid::here(format_args!(
        "unknown value {wire:?}; expected one of {:?}",
        T::VALUES
    )))
}

/// A request may only name derived types the schema describes.
#[cold]
pub fn unknown_tag(discriminator: &str, found: &str, known: &[&str]) -> Box<Invalid> {
    Invalid::formatted(
        discriminator,
        format_args!("unknown type {found:?}; expected one of {known:?}"),
    )
}

/// Property `name` may only be present when property `other` equals `expected` (Batch: attributes only with
/// `add`).
#[inline]
pub fn only_when(present: bool, name: &str, other: &str, actual: &str, expected: &str) -> Checked {
    if present && actual != expected {
        return Err(Invalid::formatted(
            name,
            format_args!("only allowed when `{other}` is {expected:?}, found {actual:?}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_built_from_the_inside_out() {
        let leaf = Invalid::here(format_args!("bad"));
        assert_eq!(leaf.clone().in_field("id").at, "id");
        assert_eq!(leaf.clone().in_item(3).in_field("ids").at, "ids[3]");
        let nested = leaf
            .in_field("name")
            .in_item(0)
            .in_item(2)
            .in_field("rules");
        assert_eq!(nested.at, "rules[2][0].name");
        assert_eq!(nested.to_string(), "`rules[2][0].name`: bad");
        // A limit of the request as a whole names no place.
        assert_eq!(Invalid::new("", "too many").to_string(), "too many");
    }
}
