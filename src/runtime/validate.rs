//! Limits the platforms document, checked before anything is sent. Generated code calls these with the
//! limits from the schema; nothing here knows a platform.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex};

use super::decimal::Decimal;
use super::wire_enum::{Flags, WireEnum};

/// Where in a request a value sits: `ids[3].attributes`.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    parent: Option<&'a At<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    /// The request itself.
    pub const ROOT: At<'static> = At {
        parent: None,
        segment: Segment::Root,
    };

    /// Property `name` of the value here.
    pub fn field(&'a self, name: &'a str) -> At<'a> {
        At {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    /// Item `i` of the list here.
    pub fn index(&'a self, i: usize) -> At<'a> {
        At {
            parent: Some(self),
            segment: Segment::Index(i),
        }
    }

    /// The value here breaks a limit, as `message` says.
    pub fn invalid(&self, message: impl Into<String>) -> Invalid {
        Invalid {
            at: self.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.segment {
            Segment::Root => Ok(()),
            Segment::Field(name)
                if self
                    .parent
                    .is_some_and(|p| !matches!(p.segment, Segment::Root)) =>
            {
                write!(f, ".{name}")
            }
            Segment::Field(name) => f.write_str(name),
            Segment::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// A value that breaks a documented limit: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{at}`: {message}")]
pub struct Invalid {
    /// The value's path in the request, as in `audiences[2].name`.
    pub at: String,
    /// The limit and what broke it.
    pub message: String,
}

/// The documented limits of one value (item counts are checked apart, by [`check_items`]); generated code
/// fills the ones the schema states.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    pub max_length: Option<u64>,
    pub pattern: Option<&'static str>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub max_properties: Option<u64>,
}

/// Values whose size, length or range a limit can constrain.
pub trait Measured {
    fn check(&self, at: &At<'_>, limits: &Limits) -> Result<(), Invalid>;
}

pub fn check_limits<T: Measured + ?Sized>(
    value: &T,
    at: &At<'_>,
    limits: &Limits,
) -> Result<(), Invalid> {
    value.check(at, limits)
}

impl<T: Measured> Measured for Option<T> {
    fn check(&self, at: &At<'_>, limits: &Limits) -> Result<(), Invalid> {
        match self {
            Some(v) => v.check(at, limits),
            None => Ok(()),
        }
    }
}

impl Measured for str {
    fn check(&self, at: &At<'_>, limits: &Limits) -> Result<(), Invalid> {
        let length = self.chars().count() as u64;
        if let Some(max) = limits.max_length
            && length > max
        {
            return Err(at.invalid(format!("at most {max} characters, found {length}")));
        }
        if let Some(pattern) = limits.pattern
            && !matches_pattern(pattern, self)
        {
            return Err(at.invalid(format!("must match `{pattern}`, found {self:?}")));
        }
        Ok(())
    }
}

impl Measured for String {
    fn check(&self, at: &At<'_>, limits: &Limits) -> Result<(), Invalid> {
        self.as_str().check(at, limits)
    }
}

macro_rules! measured_integer {
    ($($t:ty),*) => {$(
        impl Measured for $t {
            fn check(&self, at: &At<'_>, limits: &Limits) -> Result<(), Invalid> {
                let value = i64::from(*self);
                match (limits.minimum, limits.maximum) {
                    (Some(lo), _) if value < lo => Err(at.invalid(range_message(limits, value))),
                    (_, Some(hi)) if value > hi => Err(at.invalid(range_message(limits, value))),
                    _ => Ok(()),
                }
            }
        }
    )*};
}
measured_integer!(i32, i64);

fn range_message(limits: &Limits, value: i64) -> String {
    match (limits.minimum, limits.maximum) {
        (Some(lo), Some(hi)) => format!("must be from {lo} to {hi}, found {value}"),
        (Some(lo), None) => format!("must be at least {lo}, found {value}"),
        (None, Some(hi)) => format!("must be at most {hi}, found {value}"),
        (None, None) => String::new(),
    }
}

/// Limits other than item counts apply to each item of a list.
impl<T: Measured> Measured for Vec<T> {
    fn check(&self, at: &At<'_>, limits: &Limits) -> Result<(), Invalid> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, item)| item.check(&at.index(i), limits))
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

pub fn check_items<T: Counted + ?Sized>(
    value: &T,
    at: &At<'_>,
    max: Option<u64>,
    min: Option<u64>,
) -> Result<(), Invalid> {
    let Some(count) = value.count() else {
        return Ok(());
    };
    let count = count as u64;
    if let Some(max) = max
        && count > max
    {
        return Err(at.invalid(format!("at most {max} items, found {count}")));
    }
    if let Some(min) = min
        && count < min
    {
        return Err(at.invalid(format!("at least {min} items, found {count}")));
    }
    Ok(())
}

impl Measured for serde_json::Map<String, serde_json::Value> {
    fn check(&self, at: &At<'_>, limits: &Limits) -> Result<(), Invalid> {
        if let Some(max) = limits.max_properties
            && self.len() as u64 > max
        {
            return Err(at.invalid(format!("at most {max} entries, found {}", self.len())));
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

/// A value whose nested parts are checked against their own limits.
pub trait Validate {
    fn validate(&self, at: &At<'_>) -> Result<(), Invalid>;
}

macro_rules! always_valid {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate(&self, _at: &At<'_>) -> Result<(), Invalid> {
                Ok(())
            }
        }
    )*};
}
always_valid!(String, bool, i32, i64, f64, Decimal, serde_json::Value, serde_json::Map<String, serde_json::Value>);

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &At<'_>) -> Result<(), Invalid> {
        match self {
            Some(v) => v.validate(at),
            None => Ok(()),
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &At<'_>) -> Result<(), Invalid> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, v)| v.validate(&at.index(i)))
    }
}

impl<T: WireEnum> Validate for Flags<T> {
    fn validate(&self, at: &At<'_>) -> Result<(), Invalid> {
        self.0.iter().try_for_each(|v| validate_enum(v, at))
    }
}

/// A request may only name values the schema lists. A listed variant is one by construction; only `Unknown`
/// needs its text looked up, as it may hold a listed value.
pub fn validate_enum<T: WireEnum>(value: &T, at: &At<'_>) -> Result<(), Invalid> {
    match value.unknown() {
        Some(wire) if !T::VALUES.contains(&wire) => Err(at.invalid(format!(
            "unknown value {wire:?}; expected one of {:?}",
            T::VALUES
        ))),
        _ => Ok(()),
    }
}

/// A request may only name derived types the schema describes.
pub fn unknown_tag(at: &At<'_>, discriminator: &str, found: &str, known: &[&str]) -> Invalid {
    at.field(discriminator)
        .invalid(format!("unknown type {found:?}; expected one of {known:?}"))
}

/// `field` may only be present when `other` equals `expected` (Batch: attributes only with `add`).
pub fn only_when(
    present: bool,
    at: &At<'_>,
    other: &str,
    actual: &str,
    expected: &str,
) -> Result<(), Invalid> {
    if present && actual != expected {
        Err(at.invalid(format!(
            "only allowed when `{other}` is {expected:?}, found {actual:?}"
        )))
    } else {
        Ok(())
    }
}
