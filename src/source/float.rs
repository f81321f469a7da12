//! A float64 as text, the way Rust's `{}` and `{:e}` write it, without core's float
//! formatting (its Grisu and Dragon code is ≈ 17 KB of the browser module): zmij, which
//! serde_json already links, finds the shortest digits that read back as the same number,
//! and these functions lay them out.

/// The sign, the significant digits (no leading or trailing zeros; empty for zero) and the
/// power of ten of the last digit: the value is `DIGITS × 10^exp`.
fn decompose(f: f64) -> (bool, String, i32) {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(f);
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, mut exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let mut digits = String::with_capacity(mantissa.len());
    for (i, part) in mantissa.split('.').enumerate() {
        if i > 0 {
            exp -= part.len() as i32;
        }
        digits.push_str(part);
    }
    let kept = digits.trim_end_matches('0').len();
    exp += (digits.len() - kept) as i32;
    digits.truncate(kept);
    let digits = digits.trim_start_matches('0').to_string();
    (negative, digits, exp)
}

fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f < 0.0 { "-inf" } else { "inf" }.into())
    } else {
        None
    }
}

/// `format!("{f}")`: the shortest digits, written out in full (no exponent).
pub fn display(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (negative, digits, exp) = decompose(f);
    let mut out = String::from(if negative { "-" } else { "" });
    if digits.is_empty() {
        out.push('0');
    } else if exp >= 0 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', exp as usize));
    } else {
        // digits before the decimal point
        let point = digits.len() as i32 + exp;
        if point > 0 {
            let (whole, fraction) = digits.split_at(point as usize);
            out.push_str(whole);
            out.push('.');
            out.push_str(fraction);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-point) as usize));
            out.push_str(&digits);
        }
    }
    out
}

/// `format!("{f:e}")`: the shortest digits as `d.dddeN` (`1e0`, `1.5e-7`, `1e21`).
pub fn lower_exp(f: f64) -> String {
    if let Some(s) = special(f) {
        return s;
    }
    let (negative, digits, exp) = decompose(f);
    let sign = if negative { "-" } else { "" };
    let Some((first, rest)) = digits.split_at_checked(1) else {
        return format!("{sign}0e0");
    };
    let power = exp + rest.len() as i32;
    if rest.is_empty() {
        format!("{sign}{first}e{power}")
    } else {
        format!("{sign}{first}.{rest}e{power}")
    }
}

#[cfg(test)]
mod tests {
    use super::{display, lower_exp};

    /// Same text as core's, or — when the number lies exactly between two shortest
    /// candidates — the one whose last digit is even (as Go's strconv rounds; core rounds
    /// up): same length, reads back as the same number. Returns whether it was a tie.
    fn check(f: f64) -> bool {
        let mut tie = false;
        for (ours, core) in [
            (display(f), format!("{f}")),
            (lower_exp(f), format!("{f:e}")),
        ] {
            if ours != core {
                assert_eq!(ours.len(), core.len(), "{ours} vs {core}");
                assert_eq!(ours.parse::<f64>().ok(), Some(f), "{ours} vs {core}");
                let differ = ours.bytes().zip(core.bytes()).position(|(a, b)| a != b);
                let digit = differ.and_then(|i| ours.as_bytes().get(i)).copied();
                assert!(
                    digit.is_some_and(|d| (d - b'0') % 2 == 0),
                    "{ours} vs {core}"
                );
                tie = true;
            }
        }
        tie
    }

    #[test]
    fn agrees_with_core_formatting() {
        for f in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            1e21,
            1e-7,
            1.5e-7,
            123456.789,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            9007199254740993.0,
            1e15,
            1e16,
            1e17,
            0.000001,
            1e-5,
        ] {
            check(f);
        }
        // every order of magnitude, and random bit patterns (a fixed xorshift sequence)
        for e in -330..=310 {
            check(format!("1e{e}").parse().unwrap_or(0.0));
            check(format!("4.35e{e}").parse().unwrap_or(0.0));
        }
        let (mut x, mut ties) = (0x9e37_79b9_7f4a_7c15u64, 0);
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ties += usize::from(check(f64::from_bits(x)));
            ties += usize::from(check((x >> 11) as f64 / 1000.0));
        }
        assert!(ties < 200, "{ties} ties in 200,000");
    }
}
