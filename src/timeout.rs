//! Timeout values as Kafka clients read them.
//!
//! librdkafka parses integer properties with `strtol(value, &end, 0)` and ignores trailing
//! garbage (KAFKA-FACTS §2.3): `"06000"` is octal 3072, `"6s"` is 6, `"0x1770"` is 6000. Other
//! clients reject such values outright. Only a plain decimal integer means the same thing to
//! every client, so that is the only form the relation rules trust.

/// Largest value accepted as a plain millisecond count (`u32`).
pub const MAX_PLAIN_MS: u64 = u32::MAX as u64;

/// A timeout value's text, judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeoutValue {
    /// A plain decimal integer of milliseconds that fits in a `u32`.
    Plain(u64),
    /// Anything else, with why and what librdkafka would make of it.
    Malformed(Malformed),
}

/// Why a value is not a plain decimal integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub reason: MalformedReason,
    /// What librdkafka's `strtol(value, &end, 0)` returns for the text (saturated to `i64`).
    pub librdkafka_reads: i64,
    /// The plain value the author most likely meant, where that is unambiguous.
    pub intended: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedReason {
    Empty,
    Whitespace,
    Sign,
    HexPrefix,
    LeadingZero,
    Underscore,
    Unit,
    TooLarge,
    NotANumber,
}

impl MalformedReason {
    /// Why the value is not plain, as a clause: "a leading zero makes it octal".
    pub fn describe(self) -> &'static str {
        match self {
            MalformedReason::Empty => "the value is empty",
            MalformedReason::Whitespace => "the number has spaces around it",
            MalformedReason::Sign => "the number has a sign",
            MalformedReason::HexPrefix => "the number is hexadecimal",
            MalformedReason::LeadingZero => "a leading zero makes it octal",
            MalformedReason::Underscore => "`_` is not a digit separator and ends the number",
            MalformedReason::Unit => "the unit is ignored and the number taken as milliseconds",
            MalformedReason::TooLarge => "it does not fit in 32 bits",
            MalformedReason::NotANumber => "it is not a number",
        }
    }
}

impl TimeoutValue {
    pub fn parse(text: &str) -> TimeoutValue {
        if let Some(plain) = parse_plain(text) {
            return TimeoutValue::Plain(plain);
        }
        TimeoutValue::Malformed(Malformed {
            reason: classify(text),
            librdkafka_reads: strtol_base0(text),
            intended: intended(text),
        })
    }

    pub fn plain(&self) -> Option<u64> {
        match self {
            TimeoutValue::Plain(v) => Some(*v),
            TimeoutValue::Malformed(_) => None,
        }
    }
}

/// `0` or `[1-9][0-9]*` within `u32`.
fn parse_plain(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return None;
    }
    text.parse::<u64>().ok().filter(|v| *v <= MAX_PLAIN_MS)
}

fn classify(text: &str) -> MalformedReason {
    let trimmed = text.trim();
    if text.is_empty() {
        return MalformedReason::Empty;
    }
    if trimmed.len() != text.len() {
        return MalformedReason::Whitespace;
    }
    let unsigned = trimmed.trim_start_matches(['+', '-']);
    if unsigned.len() != trimmed.len() {
        return MalformedReason::Sign;
    }
    let lower = unsigned.to_ascii_lowercase();
    if lower.starts_with("0x") {
        return MalformedReason::HexPrefix;
    }
    let digits_end = unsigned
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(unsigned.len());
    if digits_end == 0 {
        return MalformedReason::NotANumber;
    }
    let rest = &unsigned[digits_end..];
    if rest.starts_with('_')
        && rest
            .trim_start_matches(['_', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
            .is_empty()
    {
        return MalformedReason::Underscore;
    }
    if !rest.is_empty() {
        return if unit_factor(rest).is_some() {
            MalformedReason::Unit
        } else {
            MalformedReason::NotANumber
        };
    }
    if unsigned.len() > 1 && unsigned.starts_with('0') {
        return MalformedReason::LeadingZero;
    }
    MalformedReason::TooLarge
}

/// Milliseconds per unit for the suffixes people write.
fn unit_factor(suffix: &str) -> Option<u64> {
    match suffix.trim().to_ascii_lowercase().as_str() {
        "ms" => Some(1),
        "s" | "sec" | "secs" | "second" | "seconds" => Some(1000),
        "m" | "min" | "mins" | "minute" | "minutes" => Some(60_000),
        _ => None,
    }
}

/// The plain value an author most likely meant, or `None` when that is a guess.
fn intended(text: &str) -> Option<u64> {
    let t = text.trim().trim_start_matches('+');
    if t.is_empty() || t.starts_with('-') {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16)
            .ok()
            .filter(|v| *v <= MAX_PLAIN_MS);
    }
    let digits_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '_'))
        .unwrap_or(t.len());
    let digits: String = t[..digits_end]
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return None;
    }
    let factor = if digits_end == t.len() {
        1
    } else {
        unit_factor(&t[digits_end..])?
    };
    digits
        .parse::<u64>()
        .ok()?
        .checked_mul(factor)
        .filter(|v| *v <= MAX_PLAIN_MS)
}

/// C's `strtol(text, &end, 0)` on the C locale, saturating like glibc.
pub fn strtol_base0(text: &str) -> i64 {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let negative = match bytes.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut radix = 10;
    if bytes.get(i) == Some(&b'0') {
        let hex = matches!(bytes.get(i + 1), Some(b'x' | b'X'))
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if hex {
            radix = 16;
            i += 2;
        } else {
            radix = 8;
        }
    }
    let mut value: i64 = 0;
    let mut overflow = false;
    while let Some(digit) = bytes.get(i).and_then(|b| char::from(*b).to_digit(radix)) {
        if let Some(v) = value
            .checked_mul(i64::from(radix))
            .and_then(|v| v.checked_add(i64::from(digit)))
        {
            value = v;
        } else {
            overflow = true;
        }
        i += 1;
    }
    match (overflow, negative) {
        (true, true) => i64::MIN,
        (true, false) => i64::MAX,
        (false, true) => -value,
        (false, false) => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed(text: &str) -> Malformed {
        match TimeoutValue::parse(text) {
            TimeoutValue::Malformed(m) => m,
            TimeoutValue::Plain(v) => panic!("{text:?} parsed as plain {v}"),
        }
    }

    #[test]
    fn plain_values() {
        for (text, v) in [("0", 0), ("6000", 6000), ("4294967295", 4_294_967_295)] {
            assert_eq!(TimeoutValue::parse(text), TimeoutValue::Plain(v));
        }
    }

    #[test]
    fn librdkafka_readings_from_the_facts_page() {
        assert_eq!(strtol_base0("06000"), 3072);
        assert_eq!(strtol_base0("6s"), 6);
        assert_eq!(strtol_base0("6_000"), 6);
        assert_eq!(strtol_base0("0x1770"), 6000);
        assert_eq!(strtol_base0("6000ms"), 6000);
        assert_eq!(strtol_base0(""), 0);
        assert_eq!(strtol_base0(" 6000"), 6000);
        assert_eq!(strtol_base0("08000"), 0);
        assert_eq!(strtol_base0("-1"), -1);
        assert_eq!(strtol_base0("0x"), 0);
        assert_eq!(strtol_base0("99999999999999999999"), i64::MAX);
    }

    #[test]
    fn reasons_and_intended_values() {
        let cases = [
            ("06000", MalformedReason::LeadingZero, Some(6000)),
            ("6s", MalformedReason::Unit, Some(6000)),
            ("6000ms", MalformedReason::Unit, Some(6000)),
            ("6_000", MalformedReason::Underscore, Some(6000)),
            ("0x1770", MalformedReason::HexPrefix, Some(6000)),
            (" 6000", MalformedReason::Whitespace, Some(6000)),
            ("+6000", MalformedReason::Sign, Some(6000)),
            ("-1", MalformedReason::Sign, None),
            ("", MalformedReason::Empty, None),
            ("six", MalformedReason::NotANumber, None),
            ("6 seconds", MalformedReason::Unit, Some(6000)),
            ("6 parsecs", MalformedReason::NotANumber, None),
            ("4294967296", MalformedReason::TooLarge, None),
        ];
        for (text, reason, intended) in cases {
            let m = malformed(text);
            assert_eq!((m.reason, m.intended), (reason, intended), "{text:?}");
        }
    }
}
