//! Kubernetes resource quantities (`resource.Quantity`), parsed and printed the
//! way the API server does it.
//!
//! The behaviour follows `k8s.io/apimachinery/pkg/api/resource` (`ParseQuantity`,
//! `Quantity.String`, `CanonicalizeBytes`, `UnmarshalJSON`), including its quirks,
//! because the linter has to predict what the API server accepts and stores:
//!
//! * Parsing is a hand-written scanner equivalent to the regular expression
//!   `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`, followed by a suffix lookup.
//!   Oddities such as `Gi` (no digits, parses as zero), `1.Gi`, `.5Gi`, `-` (zero)
//!   are accepted exactly when upstream accepts them.
//! * Values are exact. Non-zero values that need more than nanosecond precision
//!   (scale -9) are rounded up (away from zero) to the next nano unit, e.g.
//!   `0.1n` becomes `1n`. Note: rounding is to *nano*, not milli: `0.0001` is
//!   stored as `100u`.
//! * Values that go through upstream's arbitrary-precision path are capped at
//!   `2^63-1` (so `99999999999999999999` is stored as `9223372036854775807`),
//!   while values that fit upstream's int64 fast path are not (so `1000000E`,
//!   `1e100` keep their full value).
//! * When the submitted text is already in a "canonical enough" form upstream
//!   remembers it and the API server stores it verbatim: `+2Gi` stays `+2Gi`,
//!   `1.Gi` stays `1.Gi`, `1e9` stays `1e9`. [`Quantity::canonical`] reproduces
//!   this; [`Quantity::canonicalize`] always computes the canonical form.
//! * The canonical form drops the suffix when no suffix exists for the exponent:
//!   `1000000E` (10^24) is stored as `1`. This upstream bug is reproduced on
//!   purpose (it is what the conformance data shows).
//!
//! Internally a quantity is `mantissa * 10^exponent` with an `i128` mantissa and an
//! `i32` exponent. Every value upstream can produce fits: the int64 fast path
//! yields `|mantissa| < 2^63`, the arbitrary-precision path yields at most
//! `(2^63-1) * 10^9` at scale -9. Arbitrarily long digit strings are handled with
//! a digit vector and never overflow; nothing in this module panics on input.

use crate::source::float;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// How a quantity is written (`resource.Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Binary suffixes: `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`.
    BinarySI,
    /// Decimal suffixes: `n`, `u`, `m`, (none), `k`, `M`, `G`, `T`, `P`, `E`.
    DecimalSI,
    /// Decimal exponent: `1e3`, `12E6`, `5e-3`.
    DecimalExponent,
}

/// Why a quantity could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityError {
    /// The text is empty (or only whitespace).
    Empty,
    /// The text is not a quantity; the message says what is wrong.
    Syntax(String),
}

/// Upstream `ErrFormatWrong`.
pub const API_FORMAT_MESSAGE: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// Upstream `ErrSuffix`.
pub const API_SUFFIX_MESSAGE: &str = "unable to parse quantity's suffix";
/// Upstream `ErrNumeric`.
pub const API_NUMERIC_MESSAGE: &str = "unable to parse numeric part of quantity";

// Messages of `Syntax` start with one of these so `api_message` can classify them.
const SUFFIX_MSG_PREFIX: &str = "unknown unit suffix";
const NUMERIC_MSG_PREFIX: &str = "no digits";

const VALID_SUFFIXES: &str =
    "Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E, or an exponent such as e3";

impl QuantityError {
    /// The error text the API server itself gives for this input (the part after
    /// `... cannot be handled as a ...: `).
    pub fn api_message(&self) -> &'static str {
        match self {
            QuantityError::Empty => API_FORMAT_MESSAGE,
            QuantityError::Syntax(m) if m.starts_with(SUFFIX_MSG_PREFIX) => API_SUFFIX_MESSAGE,
            QuantityError::Syntax(m) if m.starts_with(NUMERIC_MSG_PREFIX) => API_NUMERIC_MESSAGE,
            QuantityError::Syntax(_) => API_FORMAT_MESSAGE,
        }
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::Empty => f.write_str("quantity is empty"),
            QuantityError::Syntax(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for QuantityError {}

/// An exact Kubernetes quantity.
///
/// Equality and ordering ([`PartialEq`], [`Ord`]) compare values only (like
/// upstream `Quantity.Cmp`/`Equal`): `1Gi == 1073741824`.
#[derive(Debug, Clone)]
pub struct Quantity {
    /// value = mantissa * 10^exponent
    mantissa: i128,
    exponent: i32,
    /// The submitted text, when upstream would keep it as the string form.
    cached: Option<String>,
    /// How the quantity is printed. Changing it does not change a remembered
    /// submitted text (see [`Quantity::canonical`]); use
    /// [`Quantity::canonicalize`] after changing it.
    pub format: Format,
}

/// Largest magnitude upstream's arbitrary-precision path keeps (`maxAllowed`).
const MAX_ALLOWED: i128 = i64::MAX as i128;
/// `MAX_ALLOWED` at nano scale.
const MAX_ALLOWED_NANOS: i128 = MAX_ALLOWED * 1_000_000_000;
const NANO: i32 = -9;
const MAX_INT64_FACTORS: i64 = 18;

/// The pieces `parseQuantityString` extracts.
struct Parts<'a> {
    positive: bool,
    /// Whether upstream's `value` text (the numeric part) holds a digit.
    has_digits: bool,
    /// Integer digits without leading zeros, `"0"` when there are none.
    num: &'a str,
    /// Fraction digits (may be empty).
    denom: &'a str,
    suffix: &'a str,
}

fn is_suffix_char(c: u8) -> bool {
    matches!(
        c,
        b'e' | b'E' | b'i' | b'n' | b'u' | b'm' | b'k' | b'K' | b'M' | b'G' | b'T' | b'P'
    )
}

fn format_error(s: &str, pos: usize) -> QuantityError {
    let c = s.get(pos..).and_then(|r| r.chars().next());
    let msg = match c {
        Some(c) if c.is_whitespace() => format!(
            "contains whitespace at byte {pos}; write the number and the unit together, e.g. 10Gi"
        ),
        Some(c) => format!(
            "unexpected character {c:?} at byte {pos}; a quantity is a number followed by an optional unit ({VALID_SUFFIXES})"
        ),
        None => "malformed quantity".to_string(),
    };
    QuantityError::Syntax(msg)
}

/// `parseQuantityString`: split into sign, integer digits, fraction digits and suffix.
fn split_quantity(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0usize;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    // Leading zeros. If nothing else follows, the value is zero.
    let mut stripped_zero = false;
    loop {
        match b.get(pos) {
            None => {
                return Ok(Parts {
                    positive,
                    has_digits: true,
                    num: "0",
                    denom: "",
                    suffix: "",
                })
            }
            Some(b'0') => {
                pos += 1;
                stripped_zero = true;
            }
            Some(_) => break,
        }
    }
    let num_start = pos;
    while b.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    let num_raw = s.get(num_start..pos).unwrap_or("");
    if pos >= end {
        return Ok(Parts {
            positive,
            has_digits: true,
            num: if num_raw.is_empty() { "0" } else { num_raw },
            denom: "",
            suffix: "",
        });
    }
    let num = if num_raw.is_empty() { "0" } else { num_raw };
    let mut denom = "";
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let denom_start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        denom = s.get(denom_start..pos).unwrap_or("");
    }
    let has_digits = stripped_zero || !num_raw.is_empty() || !denom.is_empty();
    let suffix_start = pos;
    while b.get(pos).copied().is_some_and(is_suffix_char) {
        pos += 1;
    }
    if pos < end && matches!(b.get(pos), Some(b'-') | Some(b'+')) {
        pos += 1;
    }
    while b.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    if pos < end {
        return Err(format_error(s, pos));
    }
    Ok(Parts {
        positive,
        has_digits,
        num,
        denom,
        suffix: s.get(suffix_start..).unwrap_or(""),
    })
}

/// `strconv.ParseInt(s, 10, 64)`.
fn go_parse_int10(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    // Accumulate negatively so that i64::MIN is representable.
    let mut acc: i64 = 0;
    for c in digits.bytes() {
        if !c.is_ascii_digit() {
            return None;
        }
        acc = acc.checked_mul(10)?.checked_sub(i64::from(c - b'0'))?;
    }
    if neg {
        Some(acc)
    } else {
        acc.checked_neg()
    }
}

/// `suffixHandler.interpret`: (base, exponent, format).
fn interpret_suffix(suffix: &str) -> Option<(u32, i32, Format)> {
    let r = match suffix {
        "" => (10, 0, Format::DecimalSI),
        "n" => (10, -9, Format::DecimalSI),
        "u" => (10, -6, Format::DecimalSI),
        "m" => (10, -3, Format::DecimalSI),
        "k" => (10, 3, Format::DecimalSI),
        "M" => (10, 6, Format::DecimalSI),
        "G" => (10, 9, Format::DecimalSI),
        "T" => (10, 12, Format::DecimalSI),
        "P" => (10, 15, Format::DecimalSI),
        "E" => (10, 18, Format::DecimalSI),
        "Ki" => (2, 10, Format::BinarySI),
        "Mi" => (2, 20, Format::BinarySI),
        "Gi" => (2, 30, Format::BinarySI),
        "Ti" => (2, 40, Format::BinarySI),
        "Pi" => (2, 50, Format::BinarySI),
        "Ei" => (2, 60, Format::BinarySI),
        _ => {
            let rest = suffix
                .strip_prefix('e')
                .or_else(|| suffix.strip_prefix('E'))?;
            if rest.is_empty() {
                return None;
            }
            let parsed = go_parse_int10(rest)?;
            // Upstream converts with int32(parsed): a truncating conversion.
            (10, parsed as i32, Format::DecimalExponent)
        }
    };
    Some(r)
}

/// Multiplies a big-endian decimal digit vector by 2^k in place.
fn mul_pow2(digits: &mut Vec<u8>, mut k: u32) {
    while k > 0 {
        let step = k.min(16);
        let factor: u32 = 1u32 << step;
        let mut carry: u32 = 0;
        for d in digits.iter_mut().rev() {
            let v = u32::from(*d) * factor + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        let mut head = Vec::new();
        while carry > 0 {
            head.push((carry % 10) as u8);
            carry /= 10;
        }
        if !head.is_empty() {
            head.reverse();
            head.extend_from_slice(digits);
            *digits = head;
        }
        k -= step;
    }
}

fn pow10_i128(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// ceil(D * 10^t) for a digit vector D without leading zeros (D > 0), or None
/// when the result exceeds `MAX_ALLOWED_NANOS`.
fn ceil_scaled(digits: &[u8], t: i64) -> Option<i128> {
    let len = digits.len() as i64;
    let (int_part, frac_nonzero, shift) = if t >= 0 {
        if len.saturating_add(t) > 40 {
            return None;
        }
        (digits, false, t as u32)
    } else {
        let j = t.unsigned_abs();
        if j >= len as u64 {
            (&digits[..0], true, 0)
        } else {
            let cut = (len as u64 - j) as usize;
            let (a, b) = digits.split_at(cut);
            (a, b.iter().any(|&d| d != 0), 0)
        }
    };
    if int_part.len() > 40 {
        return None;
    }
    let mut acc: i128 = 0;
    for &d in int_part {
        acc = acc.checked_mul(10)?.checked_add(i128::from(d))?;
    }
    acc = acc.checked_mul(pow10_i128(shift)?)?;
    if frac_nonzero {
        acc = acc.checked_add(1)?;
    }
    if acc > MAX_ALLOWED_NANOS {
        None
    } else {
        Some(acc)
    }
}

/// Removes factors of `base` from `v` (upstream `removeInt64Factors`).
fn remove_factors(v: i128, base: i128) -> (i128, i32) {
    let neg = v < 0;
    let mut r = v.unsigned_abs();
    let b = base.unsigned_abs();
    let mut times = 0i32;
    while b > 1 && r >= b && r % b == 0 {
        r /= b;
        times += 1;
    }
    let r = i128::try_from(r).unwrap_or(i128::MAX);
    (if neg { -r } else { r }, times)
}

fn decimal_suffix(exp: i32) -> Option<&'static str> {
    Some(match exp {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => return None,
    })
}

fn binary_suffix(exp: i32) -> Option<&'static str> {
    Some(match exp {
        0 => "",
        10 => "Ki",
        20 => "Mi",
        30 => "Gi",
        40 => "Ti",
        50 => "Pi",
        60 => "Ei",
        _ => return None,
    })
}

/// Decimal digits of a non-zero magnitude with trailing zeros moved to the exponent.
fn normalized(m: u128, e: i32) -> (u128, i64) {
    let mut m = m;
    let mut e = i64::from(e);
    while m >= 10 && m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    (m, e)
}

fn digit_count(mut m: u128) -> i64 {
    let mut n = 1;
    while m >= 10 {
        m /= 10;
        n += 1;
    }
    n
}

fn cmp_magnitude(a: u128, ea: i32, b: u128, eb: i32) -> Ordering {
    match (a == 0, b == 0) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    let (a, ea) = normalized(a, ea);
    let (b, eb) = normalized(b, eb);
    let (oa, ob) = (digit_count(a) + ea, digit_count(b) + eb);
    if oa != ob {
        return oa.cmp(&ob);
    }
    // Same order of magnitude: the leading digits line up, so compare the digit
    // strings padded with zeros on the right.
    let (sa, sb) = (a.to_string(), b.to_string());
    let n = sa.len().max(sb.len());
    let pa = sa.bytes().chain(std::iter::repeat(b'0')).take(n);
    let pb = sb.bytes().chain(std::iter::repeat(b'0')).take(n);
    pa.cmp(pb)
}

impl Quantity {
    /// Parses a quantity as the API server does for a JSON/YAML string value
    /// (`Quantity.UnmarshalJSON`): surrounding whitespace is trimmed, then
    /// [`Quantity::parse_exact`] applies.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse_exact(s.trim())
    }

    /// `resource.ParseQuantity` without trimming (so `" 1Gi"` is an error here).
    pub fn parse_exact(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::Empty);
        }
        if s == "0" {
            return Ok(Quantity {
                mantissa: 0,
                exponent: 0,
                cached: Some(s.to_string()),
                format: Format::DecimalSI,
            });
        }
        let parts = split_quantity(s)?;
        let (base, exponent, format) = interpret_suffix(parts.suffix).ok_or_else(|| {
            let shown: String = parts.suffix.chars().take(24).collect();
            QuantityError::Syntax(format!(
                "{SUFFIX_MSG_PREFIX} {shown:?}; use one of {VALID_SUFFIXES}"
            ))
        })?;
        let num_len = parts.num.len() as i64;
        let denom_len = parts.denom.len() as i64;

        // Upstream's int64 fast path.
        let mut precision: i64 = -1;
        let mut scale: i32 = 0;
        let mut multiplier: i64 = 1;
        match format {
            Format::DecimalExponent | Format::DecimalSI => {
                scale = exponent;
                precision = MAX_INT64_FACTORS - (num_len + denom_len);
            }
            Format::BinarySI => {
                if exponent >= 0 && denom_len == 0 {
                    if let Some(m) = 1i64.checked_shl(exponent.unsigned_abs()) {
                        multiplier = m;
                        // int32(float32(exponent)*3/10) is exact for multiples of 10.
                        precision = 15 - num_len - i64::from(exponent) * 3 / 10 - 1;
                    }
                }
            }
        }
        if precision >= 0 {
            // denom_len <= 18 here; upstream subtracts in int32 (wrapping).
            let scale = scale.wrapping_sub(denom_len as i32);
            if scale >= NANO {
                let mut shifted = String::with_capacity(parts.num.len() + parts.denom.len());
                shifted.push_str(parts.num);
                shifted.push_str(parts.denom);
                let value = go_parse_int10(&shifted).ok_or_else(|| {
                    QuantityError::Syntax(format!("{NUMERIC_MSG_PREFIX} usable in {shifted:?}"))
                })?;
                if let Some(result) = value.checked_mul(multiplier) {
                    let result = if parts.positive { result } else { -result };
                    let keep_text = match format {
                        Format::BinarySI => exponent % 10 == 0 && (value & 0x07) != 0,
                        _ => {
                            scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
                        }
                    };
                    return Ok(Quantity {
                        mantissa: i128::from(result),
                        exponent: scale,
                        cached: keep_text.then(|| s.to_string()),
                        format,
                    });
                }
            }
        }

        // Upstream's arbitrary-precision path.
        if !parts.has_digits {
            return Err(QuantityError::Syntax(format!(
                "{NUMERIC_MSG_PREFIX} before the unit {:?}; write e.g. 1{}",
                parts.suffix, parts.suffix
            )));
        }
        let mut digits: Vec<u8> = parts
            .num
            .bytes()
            .chain(parts.denom.bytes())
            .skip_while(|&c| c == b'0')
            .map(|c| c - b'0')
            .collect();
        let mut format = format;
        if digits.is_empty() {
            return Ok(Quantity {
                mantissa: 0,
                exponent: 0,
                cached: None,
                format,
            });
        }
        let dec_exp: i64 = if base == 10 {
            i64::from(exponent)
        } else {
            mul_pow2(&mut digits, exponent.unsigned_abs());
            0
        };
        // value = D * 10^(dec_exp - denom_len); nanos = D * 10^(dec_exp - denom_len + 9)
        let t = dec_exp - denom_len + 9;
        let (magnitude, exp) = match ceil_scaled(&digits, t) {
            Some(n) => (n, NANO),
            None => (MAX_ALLOWED, 0),
        };
        if format == Format::BinarySI && exp == NANO && magnitude < 1_000_000_000 {
            format = Format::DecimalSI;
        }
        Ok(Quantity {
            mantissa: if parts.positive {
                magnitude
            } else {
                -magnitude
            },
            exponent: exp,
            cached: None,
            format,
        })
    }

    /// The zero quantity (what a JSON `null` decodes to).
    pub fn zero() -> Quantity {
        Quantity {
            mantissa: 0,
            exponent: 0,
            cached: None,
            format: Format::DecimalSI,
        }
    }

    /// The text the API server stores for this quantity (`Quantity.String()`):
    /// the submitted text when upstream keeps it (e.g. `+2Gi`, `1.Gi`, `1e9`),
    /// otherwise [`Quantity::canonicalize`].
    pub fn canonical(&self) -> String {
        match &self.cached {
            Some(s) => s.clone(),
            None => self.canonicalize(),
        }
    }

    /// Whether [`Quantity::canonical`] returns the submitted text unchanged.
    pub fn keeps_submitted_text(&self) -> bool {
        self.cached.is_some()
    }

    /// The canonical form (`CanonicalizeBytes`), ignoring any remembered text:
    /// `1.Gi` gives `1Gi`, `+2Gi` gives `2Gi`.
    pub fn canonicalize(&self) -> String {
        if self.mantissa == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        let mut integer = None;
        if format == Format::BinarySI {
            let small = cmp_magnitude(self.mantissa.unsigned_abs(), self.exponent, 1024, 0)
                == Ordering::Less;
            if small {
                format = Format::DecimalSI;
            } else {
                match self.exact_integer() {
                    Some(n) => integer = Some(n),
                    // Fractional (shown as DecimalSI upstream), or an integer beyond
                    // i128, which upstream can only reach if the format was changed
                    // by hand; shown as DecimalSI here.
                    None => format = Format::DecimalSI,
                }
            }
        }
        if let (Format::BinarySI, Some(n)) = (format, integer) {
            let (amount, times) = remove_factors(n, 1024);
            let suffix = binary_suffix(times.saturating_mul(10)).unwrap_or("");
            return format!("{amount}{suffix}");
        }
        let (amount, exp) = canonical_decimal(self.mantissa, self.exponent);
        match format {
            Format::DecimalExponent => {
                if exp == 0 {
                    amount.to_string()
                } else {
                    format!("{amount}e{exp}")
                }
            }
            // Upstream silently drops the suffix when none exists (e.g. 10^24 -> "1").
            _ => format!("{amount}{}", decimal_suffix(exp).unwrap_or("")),
        }
    }

    /// The value as an integer when it is one and fits in an i128.
    fn exact_integer(&self) -> Option<i128> {
        if self.exponent >= 0 {
            self.mantissa
                .checked_mul(pow10_i128(self.exponent.unsigned_abs())?)
        } else {
            let p = pow10_i128(self.exponent.unsigned_abs())?;
            if self.mantissa % p == 0 {
                Some(self.mantissa / p)
            } else {
                None
            }
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i8 {
        match self.mantissa.cmp(&0) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }
    }

    /// Exact comparison of the values (formats and texts are ignored).
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let (sa, sb) = (self.sign(), other.sign());
        if sa != sb {
            return sa.cmp(&sb);
        }
        let mag = cmp_magnitude(
            self.mantissa.unsigned_abs(),
            self.exponent,
            other.mantissa.unsigned_abs(),
            other.exponent,
        );
        if sa < 0 {
            mag.reverse()
        } else {
            mag
        }
    }

    /// The exact value as `(mantissa, exponent)`: value = mantissa * 10^exponent.
    pub fn to_decimal_parts(&self) -> (i128, i32) {
        (self.mantissa, self.exponent)
    }

    /// The value rounded up (away from zero) to an integer, like upstream
    /// `Quantity.Value()`; `None` if it does not fit in an i128.
    pub fn value(&self) -> Option<i128> {
        self.scaled_ceil(0)
    }

    /// The value in thousandths rounded up (away from zero), like upstream
    /// `MilliValue()`; `None` if it does not fit in an i128.
    pub fn milli_value(&self) -> Option<i128> {
        self.scaled_ceil(3)
    }

    fn scaled_ceil(&self, extra: i32) -> Option<i128> {
        let e = i64::from(self.exponent) + i64::from(extra);
        if self.mantissa == 0 {
            return Some(0);
        }
        if e >= 0 {
            self.mantissa
                .checked_mul(pow10_i128(u32::try_from(e).ok()?)?)
        } else {
            let mag = self.mantissa.unsigned_abs();
            let q = match u32::try_from(-e).ok().and_then(|n| 10u128.checked_pow(n)) {
                Some(p) => {
                    let q = mag / p;
                    if mag % p != 0 {
                        q + 1
                    } else {
                        q
                    }
                }
                None => 1,
            };
            let q = i128::try_from(q).ok()?;
            Some(if self.mantissa < 0 { -q } else { q })
        }
    }

    /// The exact value in plain decimal notation, e.g. `1610612736`, `0.5`, `-0.001`.
    pub fn to_decimal_string(&self) -> String {
        if self.mantissa == 0 {
            return "0".to_string();
        }
        let (m, e) = normalized(self.mantissa.unsigned_abs(), self.exponent);
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = m.to_string();
        if e >= 0 {
            // Exponents upstream can produce are bounded by i32; this may be long
            // for absurd inputs like 1e2000000000, so keep exponent form there.
            if e > 4096 {
                return format!("{sign}{digits}e{e}");
            }
            let zeros = "0".repeat(usize::try_from(e).unwrap_or(0));
            format!("{sign}{digits}{zeros}")
        } else {
            let frac = usize::try_from(-e).unwrap_or(0);
            if frac > 4096 {
                return format!("{sign}{digits}e{e}");
            }
            if digits.len() > frac {
                let (a, b) = digits.split_at(digits.len() - frac);
                format!("{sign}{a}.{b}")
            } else {
                format!("{sign}0.{}{digits}", "0".repeat(frac - digits.len()))
            }
        }
    }
}

/// `AsCanonicalBytes`: remove factors of ten, then make the exponent a multiple
/// of three. Exponent arithmetic wraps like upstream's int32.
fn canonical_decimal(mantissa: i128, exponent: i32) -> (i128, i32) {
    let (mut amount, times) = remove_factors(mantissa, 10);
    let mut exp = exponent.wrapping_add(times);
    let mut guard = 0;
    while exp.wrapping_rem(3) != 0 && guard < 4 {
        match amount.checked_mul(10) {
            Some(v) => amount = v,
            None => break,
        }
        exp = exp.wrapping_sub(1);
        guard += 1;
    }
    (amount, exp)
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_value(other)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// `strconv.ParseInt(s, 0, 64)` falling back to `ParseUint(s, 0, 64)`, which is
/// how go-yaml (used by kubectl and the API server) resolves integers.
fn go_parse_int_base0(s: &str) -> Option<i128> {
    let (neg, signed, body) = match s.as_bytes().first() {
        Some(b'-') => (true, true, s.get(1..)?),
        Some(b'+') => (false, true, s.get(1..)?),
        _ => (false, false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..)?)
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() {
        return None;
    }
    let mut acc: u128 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        acc = acc
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        if acc > u128::from(u64::MAX) {
            return None;
        }
    }
    let v = i128::try_from(acc).ok()?;
    // ParseInt takes a sign and the int64 range; ParseUint takes unsigned text up
    // to the uint64 range.
    let limit: i128 = if neg {
        1i128 << 63
    } else if signed {
        i128::from(i64::MAX)
    } else {
        i128::from(u64::MAX)
    };
    (v <= limit).then_some(if neg { -v } else { v })
}

/// go-yaml's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_float_like(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-') | Some(b'+')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-') | Some(b'+')) {
            i += 1;
        }
        let exp_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// How Go's `encoding/json` prints a float64.
fn go_json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = float::lower_exp(f);
        match s.split_once('e') {
            Some((m, e)) if e.starts_with('-') => format!("{m}e{e}"),
            Some((m, e)) => format!("{m}e+{e:0>2}"),
            None => s,
        }
    } else {
        float::display(f)
    }
}

/// Parse a quantity that arrived as a JSON/YAML number (e.g. `storage: 1073741824`
/// or `1.5`). kubectl turns the manifest into JSON through go-yaml and Go's JSON
/// encoder before the API server parses the quantity, so the number goes through
/// int64/uint64/float64 first: `1.50` becomes `1.5` (stored `1500m`), `1e3`
/// becomes `1000` (stored `1k`), `1e21` becomes `1e+21`, and YAML 1.1 integer
/// forms (`0x10`, `010` octal, `1_000`) are converted. Integers beyond uint64
/// are floats. A number too large for a float64 stays text (go-yaml then treats
/// it as a string).
pub fn parse_number_text(s: &str) -> Result<Quantity, QuantityError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(QuantityError::Empty);
    }
    let plain: String = t.chars().filter(|&c| c != '_').collect();
    if let Some(i) = go_parse_int_base0(&plain) {
        return Quantity::parse_exact(&i.to_string());
    }
    if yaml_float_like(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            if f.is_finite() {
                return Quantity::parse_exact(&go_json_float(f));
            }
            return Quantity::parse_exact(t);
        }
    }
    Err(QuantityError::Syntax(format!(
        "{:?} is not a number",
        t.chars().take(40).collect::<String>()
    )))
}

/// A unit after normalising a mistyped one.
#[derive(Clone, Copy)]
enum Unit {
    Plain,
    Decimal(&'static str, i32),
    Binary(&'static str, u32),
}

fn normalize_unit(unit: &str) -> Option<Unit> {
    let exact = match unit {
        "" => Some(Unit::Plain),
        "n" => Some(Unit::Decimal("n", -9)),
        "u" => Some(Unit::Decimal("u", -6)),
        "m" => Some(Unit::Decimal("m", -3)),
        "k" => Some(Unit::Decimal("k", 3)),
        "M" => Some(Unit::Decimal("M", 6)),
        "G" => Some(Unit::Decimal("G", 9)),
        "T" => Some(Unit::Decimal("T", 12)),
        "P" => Some(Unit::Decimal("P", 15)),
        "E" => Some(Unit::Decimal("E", 18)),
        "Ki" => Some(Unit::Binary("Ki", 10)),
        "Mi" => Some(Unit::Binary("Mi", 20)),
        "Gi" => Some(Unit::Binary("Gi", 30)),
        "Ti" => Some(Unit::Binary("Ti", 40)),
        "Pi" => Some(Unit::Binary("Pi", 50)),
        "Ei" => Some(Unit::Binary("Ei", 60)),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    let lower = unit.to_ascii_lowercase();
    let (core, had_b) = match lower
        .strip_suffix("bytes")
        .or_else(|| lower.strip_suffix("byte"))
        .or_else(|| lower.strip_suffix('b'))
    {
        Some(c) => (c, true),
        None => (lower.as_str(), false),
    };
    Some(match (core, had_b) {
        ("", true) => Unit::Plain,
        ("k", _) => Unit::Decimal("k", 3),
        // Without a "b", a lone "m"/"M" is valid as written and never gets here.
        ("m", true) => Unit::Decimal("M", 6),
        ("g", _) => Unit::Decimal("G", 9),
        ("t", _) => Unit::Decimal("T", 12),
        ("p", _) => Unit::Decimal("P", 15),
        // A lone "e" is an incomplete exponent, not clearly exa.
        ("e", true) => Unit::Decimal("E", 18),
        ("ki", _) => Unit::Binary("Ki", 10),
        ("mi", _) => Unit::Binary("Mi", 20),
        ("gi", _) => Unit::Binary("Gi", 30),
        ("ti", _) => Unit::Binary("Ti", 40),
        ("pi", _) => Unit::Binary("Pi", 50),
        ("ei", _) => Unit::Binary("Ei", 60),
        _ => return None,
    })
}

/// Exact `sign number e exp * 10^dec * 2^bin` as a quantity of `format`, when it
/// is representable without rounding.
fn exact_quantity(
    negative: bool,
    number: &str,
    exp: &str,
    dec: i32,
    bin: u32,
    format: Format,
) -> Option<Quantity> {
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let mut mantissa: i128 = 0;
    for c in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(c.checked_sub(b'0')?))?;
    }
    let e = go_parse_int10(exp)?;
    if !(-100..=100).contains(&e) {
        return None;
    }
    let mut exponent = e - frac.len() as i64 + i64::from(dec);
    mantissa = mantissa.checked_mul(1i128.checked_shl(bin)?)?;
    if mantissa == 0 {
        exponent = 0;
    }
    while mantissa != 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        exponent += 1;
    }
    if exponent < i64::from(NANO) {
        return None;
    }
    Some(Quantity {
        mantissa: if negative { -mantissa } else { mantissa },
        exponent: i32::try_from(exponent).ok()?,
        cached: None,
        format,
    })
}

/// A suggestion for common mistakes, used by the linter's fix: `1GB` -> `1G`,
/// `1gi` -> `1Gi`, `10 Gi` -> `10Gi`, `1KB`/`1kb` -> `1k`, `1mi` -> `1Mi`,
/// `1GiB` -> `1Gi`, `100B` -> `100`, `5e-1Gi` -> `512Mi`, `1e3Mi` -> `1000Mi`.
/// Returns `None` when the text already parses or no confident fix exists. A
/// suggestion always parses (with [`Quantity::parse`]).
pub fn suggest_fix(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || Quantity::parse(t).is_ok() {
        return None;
    }
    let b = t.as_bytes();
    let mut i = 0usize;
    let negative = b.first() == Some(&b'-');
    let sign = match b.first() {
        Some(b'+') => "+",
        Some(b'-') => "-",
        _ => "",
    };
    i += sign.len();
    let number_start = i;
    while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'.') {
        i += 1;
    }
    let number = t.get(number_start..i)?;
    if !number.bytes().any(|c| c.is_ascii_digit()) || number.matches('.').count() > 1 {
        return None;
    }
    let mut exp: Option<&str> = None;
    if matches!(b.get(i), Some(b'e') | Some(b'E')) {
        let mut k = i + 1;
        if matches!(b.get(k), Some(b'+') | Some(b'-')) {
            k += 1;
        }
        let digits_start = k;
        while b.get(k).is_some_and(u8::is_ascii_digit) {
            k += 1;
        }
        if k > digits_start {
            exp = Some(t.get(i + 1..k)?);
            i = k;
        }
    }
    let unit = t.get(i..)?.trim_start();
    if unit.chars().any(char::is_whitespace) {
        return None;
    }
    let unit = normalize_unit(unit)?;
    let candidate = match (exp, unit) {
        (None, Unit::Plain) => format!("{sign}{number}"),
        (None, Unit::Decimal(u, _)) | (None, Unit::Binary(u, _)) => {
            format!("{sign}{number}{u}")
        }
        (Some(e), Unit::Plain) => format!("{sign}{number}e{e}"),
        (Some(e), Unit::Decimal(_, d)) => {
            let q = exact_quantity(negative, number, e, d, 0, Format::DecimalSI)?;
            let c = q.canonicalize();
            let back = Quantity::parse(&c).ok()?;
            if back.cmp_value(&q) != Ordering::Equal {
                return None;
            }
            c
        }
        (Some(e), Unit::Binary(_, p)) => {
            let q = exact_quantity(negative, number, e, 0, p, Format::BinarySI)?;
            let c = q.canonicalize();
            let back = Quantity::parse(&c).ok()?;
            if back.cmp_value(&q) != Ordering::Equal {
                return None;
            }
            c
        }
    };
    Quantity::parse(&candidate).ok().map(|_| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(s: &str) -> Quantity {
        match Quantity::parse(s) {
            Ok(q) => q,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    fn canon(s: &str) -> String {
        q(s).canonical()
    }

    /// (submitted text, text the API server stored), from the conformance data
    /// (`cases.jsonl` / `defaulted.jsonl`, ids pvc-storage-0NN and sts-storage-0NN).
    const STORED: &[(&str, &str)] = &[
        (" 1Gi", "1Gi"),
        ("1.5Gi", "1536Mi"),
        ("1e9", "1e9"),
        ("500M", "500M"),
        ("1024Mi", "1Gi"),
        ("2Gi", "2Gi"),
        ("1000000E", "1"),
        ("+2Gi", "+2Gi"),
        ("0.5Gi", "512Mi"),
        ("1Ti", "1Ti"),
        ("1.5", "1500m"),
        ("3Gi", "3Gi"),
        ("0", "0"),
        ("-1Gi", "-1Gi"),
        ("Gi", "0"),
        ("-0.5Gi", "-512Mi"),
        ("1e3", "1e3"),
        ("1k", "1k"),
        ("3.5Ti", "3584Gi"),
        ("10G", "10G"),
        ("2048Ki", "2Mi"),
        ("1E", "1E"),
        (".5Gi", "512Mi"),
        ("1.Gi", "1.Gi"),
        ("1Gi", "1Gi"),
        ("512Mi", "512Mi"),
        ("1", "1"),
        ("2", "2"),
    ];

    /// Unquoted YAML numbers from the conformance data.
    const STORED_NUMBERS: &[(&str, &str)] = &[("1073741824", "1073741824")];

    #[test]
    fn conformance_stored_forms() {
        for (input, stored) in STORED {
            assert_eq!(&canon(input), stored, "input {input:?}");
        }
        for (input, stored) in STORED_NUMBERS {
            let got = parse_number_text(input).map(|q| q.canonical());
            assert_eq!(got.as_deref(), Ok(*stored), "number {input:?}");
        }
        // `storage: null` is stored as "0".
        assert_eq!(Quantity::zero().canonical(), "0");
    }

    #[test]
    fn conformance_rejected() {
        let format = [
            "1GB", "1gi", "10 Gi", "1 Gi", "1e3Mi", "1.0.0", "5e-1Gi", "1Pb", "abc", "1.5.5",
        ];
        for s in format {
            let e = Quantity::parse(s).err();
            assert!(e.is_some(), "{s:?} must be rejected");
            assert_eq!(
                e.map(|e| e.api_message()),
                Some(API_FORMAT_MESSAGE),
                "{s:?}"
            );
        }
        let e = Quantity::parse("1Gi5").err();
        assert_eq!(e.map(|e| e.api_message()), Some(API_SUFFIX_MESSAGE));
        assert_eq!(Quantity::parse(""), Err(QuantityError::Empty));
        assert_eq!(Quantity::parse("   "), Err(QuantityError::Empty));
        assert!(Quantity::parse_exact(" 1Gi").is_err());
    }

    #[test]
    fn more_canonical_forms() {
        let cases = [
            ("1000M", "1G"),
            ("12e6", "12e6"),
            ("1000e3", "1e6"),
            ("1e1", "10"),
            ("1.0e3", "1e3"),
            ("0.5", "500m"),
            ("1073741824", "1073741824"),
            ("0.0001", "100u"),
            ("1n", "1n"),
            ("0.1n", "1n"),
            ("1.5n", "2n"),
            ("-1.5n", "-2n"),
            ("1e-12", "1e-9"),
            ("1.5Ki", "1536"),
            ("0.5Ki", "512"),
            ("0.1Ki", "102400m"),
            ("100m", "100m"),
            ("1.500", "1.500"),
            ("1.50", "1500m"),
            ("01", "01"),
            ("1.234k", "1.234k"),
            ("8Gi", "8Gi"),
            ("1024Gi", "1Ti"),
            ("1Pi", "1Pi"),
            ("1Ei", "1Ei"),
            ("1024Ei", "9223372036854775807"),
            ("99999999999999999999", "9223372036854775807"),
            ("-99999999999999999999", "-9223372036854775807"),
            ("1e100", "10e99"),
            ("1e21", "1e21"),
            ("-", "0"),
            ("+", "0"),
            (".", "0"),
            ("000", "0"),
            ("-0.0Gi", "0"),
            ("Ti", "0"),
            ("1E3", "1E3"),
            ("1e+3", "1e+3"),
            ("1e-3", "1e-3"),
            ("0.001Ki", "1024m"),
        ];
        for (input, want) in cases {
            assert_eq!(canon(input), want, "input {input:?}");
        }
        assert_eq!(q("+2Gi").canonicalize(), "2Gi");
        assert_eq!(q("1.Gi").canonicalize(), "1Gi");
        assert!(q("1.Gi").keeps_submitted_text());
        assert!(!q("1024Mi").keeps_submitted_text());
    }

    #[test]
    fn numeric_errors() {
        for s in ["Pi", "Ei", "-Pi", ".Ei"] {
            let e = Quantity::parse(s).err();
            assert_eq!(
                e.map(|e| e.api_message()),
                Some(API_NUMERIC_MESSAGE),
                "{s:?}"
            );
        }
        for s in ["1e", "1e+", "1kM", "1ee3", "1e99999999999999999999"] {
            let e = Quantity::parse(s).err();
            assert_eq!(
                e.map(|e| e.api_message()),
                Some(API_SUFFIX_MESSAGE),
                "{s:?}"
            );
        }
    }

    #[test]
    fn values_and_signs() {
        assert!(q("Gi").is_zero());
        assert_eq!(q("-1Gi").sign(), -1);
        assert_eq!(q("0").sign(), 0);
        assert_eq!(q("1m").sign(), 1);
        assert_eq!(q("1Gi").value(), Some(1 << 30));
        assert_eq!(q("1.5").value(), Some(2));
        assert_eq!(q("-1.5").value(), Some(-2));
        assert_eq!(q("1.5").milli_value(), Some(1500));
        assert_eq!(q("1000000E").value(), Some(10i128.pow(24)));
        assert_eq!(q("1Gi").cmp_value(&q("1073741824")), Ordering::Equal);
        assert_eq!(q("1Gi").cmp_value(&q("1G")), Ordering::Greater);
        assert_eq!(q("-1Gi").cmp_value(&q("-1G")), Ordering::Less);
        assert_eq!(q("1e100").cmp_value(&q("1000000E")), Ordering::Greater);
        assert_eq!(q("1n").cmp_value(&q("0")), Ordering::Greater);
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("1.5Gi").to_decimal_string(), "1610612736");
        assert_eq!(q("-0.001").to_decimal_string(), "-0.001");
        assert_eq!(q("1.5n").to_decimal_string(), "0.000000002");
        assert_eq!(q("2").to_string(), "2");
        assert_eq!(
            "1Gi".parse::<Quantity>().map(|q| q.canonical()),
            Ok("1Gi".into())
        );
    }

    #[test]
    fn number_text() {
        let cases = [
            ("1073741824", "1073741824"),
            ("1.5", "1500m"),
            ("1.50", "1500m"),
            ("1e3", "1k"),
            ("1.0", "1"),
            ("-0.0", "0"),
            ("1e21", "1e+21"),
            ("1e-7", "100e-9"),
            ("0x10", "16"),
            ("010", "8"),
            ("1_000", "1k"),
            ("+5", "5"),
            ("18446744073709551615", "9223372036854775807"),
            ("1E400", "10e399"),
        ];
        for (input, want) in cases {
            let got = parse_number_text(input).map(|q| q.canonical());
            assert_eq!(got.as_deref(), Ok(want), "number {input:?}");
        }
        assert!(parse_number_text("1Gi").is_err());
        assert_eq!(parse_number_text(""), Err(QuantityError::Empty));
        assert_eq!(go_json_float(1.5e-7), "1.5e-7");
        assert_eq!(go_json_float(1.5e-10), "1.5e-10");
        assert_eq!(go_json_float(2e22), "2e+22");
        assert_eq!(go_json_float(1e20), "100000000000000000000");
    }

    #[test]
    fn suggestions() {
        let cases = [
            ("1GB", Some("1G")),
            ("1gi", Some("1Gi")),
            ("10 Gi", Some("10Gi")),
            ("1 Gi", Some("1Gi")),
            ("1Gb", Some("1G")),
            ("1KB", Some("1k")),
            ("1kb", Some("1k")),
            ("1K", Some("1k")),
            ("1mi", Some("1Mi")),
            ("1MI", Some("1Mi")),
            ("1TB", Some("1T")),
            ("1GiB", Some("1Gi")),
            ("1.5 GiB", Some("1.5Gi")),
            ("100B", Some("100")),
            ("5e-1Gi", Some("512Mi")),
            ("1e3Mi", Some("1000Mi")),
            ("1e3k", Some("1M")),
            ("1Pb", Some("1P")),
            ("-2 Gi", Some("-2Gi")),
            ("1Gi", None),
            ("1.0.0", None),
            ("abc", None),
            ("1Gi5", None),
            ("1,5Gi", None),
            ("1 0Gi", None),
            ("", None),
            ("1e", None),
            ("1e-20Gi", None),
        ];
        for (input, want) in cases {
            assert_eq!(suggest_fix(input).as_deref(), want, "input {input:?}");
        }
    }

    #[test]
    fn huge_inputs_do_not_panic() {
        let long = "9".repeat(10_000);
        assert_eq!(canon(&long), "9223372036854775807");
        assert_eq!(canon(&format!("{long}Ki")), "9223372036854775807");
        let tiny = format!("0.{}1", "0".repeat(10_000));
        assert_eq!(canon(&tiny), "1n");
        assert_eq!(canon(&format!("0.{}1Ki", "0".repeat(10_000))), "1n");
        let frac = format!("1.{}", "5".repeat(10_000));
        assert_eq!(canon(&frac), "1555555556n");
        assert!(Quantity::parse(&format!("1e{long}")).is_err());
        assert_eq!(canon("1e2147483647"), "10e2147483646");
        let _ = Quantity::parse("10e2147483647").map(|q| q.canonical());
        let _ = Quantity::parse("1.5e-2147483648").map(|q| q.canonical());
        let _ = Quantity::parse("1e-2147483648").map(|q| q.canonical());
        assert_eq!(
            canon("1.1234567890123456789e2000000000"),
            "9223372036854775807"
        );
    }

    fn suffix_strategy() -> impl Strategy<Value = (String, u32, i32)> {
        // (suffix, binary exponent, decimal exponent)
        prop_oneof![
            Just(("".to_string(), 0, 0)),
            Just(("n".to_string(), 0, -9)),
            Just(("u".to_string(), 0, -6)),
            Just(("m".to_string(), 0, -3)),
            Just(("k".to_string(), 0, 3)),
            Just(("M".to_string(), 0, 6)),
            Just(("G".to_string(), 0, 9)),
            Just(("T".to_string(), 0, 12)),
            Just(("P".to_string(), 0, 15)),
            Just(("E".to_string(), 0, 18)),
            Just(("Ki".to_string(), 10, 0)),
            Just(("Mi".to_string(), 20, 0)),
            Just(("Gi".to_string(), 30, 0)),
            Just(("Ti".to_string(), 40, 0)),
            Just(("Pi".to_string(), 50, 0)),
            Just(("Ei".to_string(), 60, 0)),
            (-9i32..=15).prop_map(|e| (format!("e{e}"), 0, e)),
        ]
    }

    fn quantity_text() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just(""), Just("+"), Just("-")],
            0u64..2_000_000,
            proptest::option::of(0u32..1000),
            suffix_strategy(),
        )
            .prop_map(|(sign, int, frac, (suffix, _, _))| match frac {
                Some(f) => format!("{sign}{int}.{f:03}{suffix}"),
                None => format!("{sign}{int}{suffix}"),
            })
    }

    proptest! {
        #[test]
        fn canonical_round_trips(text in quantity_text()) {
            let q = Quantity::parse(&text);
            prop_assert!(q.is_ok(), "{} should parse", text);
            let q = q.unwrap_or_else(|_| Quantity::zero());
            // Upstream drops the suffix beyond E (10^18); stay below that.
            prop_assume!(q.cmp_value(&Quantity::parse("1E").unwrap_or_else(|_| Quantity::zero())) == Ordering::Less
                && q.cmp_value(&Quantity::parse("-1E").unwrap_or_else(|_| Quantity::zero())) == Ordering::Greater);
            for c in [q.canonical(), q.canonicalize()] {
                let back = Quantity::parse(&c);
                prop_assert!(back.is_ok(), "{} -> {} must parse", text, c);
                let back = back.unwrap_or_else(|_| Quantity::zero());
                prop_assert_eq!(back.cmp_value(&q), Ordering::Equal, "{} -> {}", text, c);
                prop_assert_eq!(back.canonical(), c.clone(), "canonical of {} not idempotent", text);
                prop_assert_eq!(back.canonicalize(), q.canonicalize());
            }
        }

        #[test]
        fn comparison_matches_integers(
            a in -1_000_000i64..1_000_000,
            b in -1_000_000i64..1_000_000,
            sa in suffix_strategy(),
            sb in suffix_strategy(),
        ) {
            // exact value * 10^9 as i128 (all exponents here are >= -9)
            let exact = |v: i64, bin: u32, dec: i32| -> i128 {
                i128::from(v) * (1i128 << bin) * 10i128.pow((dec + 9).unsigned_abs())
            };
            let qa = Quantity::parse(&format!("{a}{}", sa.0));
            let qb = Quantity::parse(&format!("{b}{}", sb.0));
            prop_assert!(qa.is_ok() && qb.is_ok());
            let (qa, qb) = (qa.unwrap_or_else(|_| Quantity::zero()), qb.unwrap_or_else(|_| Quantity::zero()));
            // Upstream caps values of its arbitrary-precision path at 2^63-1.
            prop_assume!(exact(a, sa.1, sa.2).abs() <= MAX_ALLOWED_NANOS);
            prop_assume!(exact(b, sb.1, sb.2).abs() <= MAX_ALLOWED_NANOS);
            let want = exact(a, sa.1, sa.2).cmp(&exact(b, sb.1, sb.2));
            prop_assert_eq!(qa.cmp_value(&qb), want);
            prop_assert_eq!(qa.sign(), exact(a, sa.1, sa.2).signum() as i8);
        }

        #[test]
        fn parse_never_panics(s in ".{0,64}") {
            if let Ok(q) = Quantity::parse(&s) {
                let _ = q.canonical();
                let _ = q.to_decimal_string();
                let _ = q.value();
            }
            let _ = parse_number_text(&s);
            if let Some(fix) = suggest_fix(&s) {
                prop_assert!(Quantity::parse(&fix).is_ok(), "{:?} -> {:?}", s, fix);
            }
        }

        #[test]
        fn quantity_like_never_panics(
            s in "[+-]?[0-9.]{0,30}[eEinumkKMGTP]{0,3}[+-]?[0-9]{0,25}",
        ) {
            if let Ok(q) = Quantity::parse(&s) {
                let c = q.canonical();
                prop_assert!(!c.is_empty());
                let _ = q.milli_value();
            }
            if let Some(fix) = suggest_fix(&s) {
                prop_assert!(Quantity::parse(&fix).is_ok(), "{:?} -> {:?}", s, fix);
            }
        }

        #[test]
        fn long_digit_strings(n in 1usize..12_000, d in 0u8..10, suffix in "(|Ki|Gi|Ei|E|n|e5|e-5)") {
            let s = format!("{}{}", char::from(b'0' + d), "7".repeat(n)) + &suffix;
            let q = Quantity::parse(&s);
            prop_assert!(q.is_ok());
        }

        #[test]
        fn suggestions_parse(
            num in "[0-9]{1,4}(\\.[0-9]{1,3})?",
            space in "( |)",
            unit in "(k|K|m|M|g|G|t|T|p|P|e|E)(i|I|)(b|B|)",
        ) {
            let s = format!("{num}{space}{unit}");
            if let Some(fix) = suggest_fix(&s) {
                prop_assert!(Quantity::parse(&fix).is_ok(), "{:?} -> {:?}", s, fix);
            }
        }
    }
}
