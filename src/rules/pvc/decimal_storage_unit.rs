//! CC213 decimal-storage-unit: A storage size in decimal units (G, M, T) rather than binary ones (Gi, Mi, Ti).

use super::Written;
use crate::model::quantity::Quantity;
use crate::rule::{Ctx, Object};
use crate::source::Value;

crate::declare_rule! {
    /// ## What it does
    /// Points out storage sizes written with a decimal suffix (`k`, `M`, `G`, `T`, `P`, `E`: powers of ten) and says what they amount to in binary units. The claim templates of generic ephemeral volumes (`volumes[].ephemeral.volumeClaimTemplate.spec`) are checked too, in the pod template of every workload kind.
    ///
    /// ## Why is this bad?
    /// It is valid, but `10G` is 10×10^9 bytes, about 9.31Gi, while disks, filesystems and most provisioners count in powers of two. Authors who write `G` usually mean `Gi`, and the difference (7% at G, 10% at T) shows up as volumes smaller than planned or sizes rounded by the provisioner.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     storage: 10G   # 10Gi is 10×2^30 bytes
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the decimal size may be deliberate (some storage is sold in GB).
    pub CC213 {
        name: "decimal-storage-unit",
        severity: Hint,
        fix: None,
        summary: "A storage size in decimal units (G, M, T) rather than binary ones (Gi, Mi, Ti)",
    }
}

/// CC213: `G`, `M`, `T`, … (powers of ten) for storage.
pub(super) fn check_decimal_unit(
    ctx: &mut Ctx,
    obj: &Object,
    w: &Written,
    q: &Quantity,
    ptr: &dyn Fn() -> String,
) {
    if !matches!(w.node.value, Value::Str(_)) {
        return;
    }
    let t = w.text.trim();
    let Some(last) = t.chars().last() else { return };
    let binary = match last {
        'k' => "Ki",
        'M' => "Mi",
        'G' => "Gi",
        'T' => "Ti",
        'P' => "Pi",
        'E' => "Ei",
        _ => return,
    };
    let Some(number) = t.get(..t.len() - last.len_utf8()) else {
        return;
    };
    if number.is_empty()
        || !number
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.')
    {
        return;
    }
    let approx = q.value().map(|bytes| {
        let exp = match binary {
            "Ki" => 10,
            "Mi" => 20,
            "Gi" => 30,
            "Ti" => 40,
            "Pi" => 50,
            _ => 60,
        };
        format!(" (about {}{binary})", hundredths(bytes, exp))
    });
    let message = format!(
        "`{t}` is a decimal size, in powers of ten{}; storage is usually sized in binary units: if you meant {number} × 2^{} bytes, write `{number}{binary}`",
        approx.unwrap_or_default(),
        match binary {
            "Ki" => 10,
            "Mi" => 20,
            "Gi" => 30,
            "Ti" => 40,
            "Pi" => 50,
            _ => 60,
        }
    );
    ctx.report(obj, &CC213, &ptr(), message, None);
}

/// `bytes / 2^exp` to two decimals (ties to even), trailing zeros dropped, in exact integer
/// arithmetic (smaller in the browser module than fixed-precision float formatting).
fn hundredths(bytes: i128, exp: u32) -> String {
    let m = bytes.unsigned_abs();
    let mask = (1u128 << exp) - 1;
    let scaled = (m & mask) * 100;
    let (mut whole, mut frac) = (m >> exp, scaled >> exp);
    let rem = scaled & mask;
    let half = 1u128 << (exp - 1);
    if rem > half || (rem == half && frac % 2 == 1) {
        frac += 1;
        if frac == 100 {
            (whole, frac) = (whole + 1, 0);
        }
    }
    let sign = if bytes < 0 { "-" } else { "" };
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::hundredths;

    /// The integer rounding agrees with `{:.2}` of the float quotient (ties to
    /// even) wherever the float is exact.
    #[test]
    fn hundredths_match_float_formatting() {
        let mut values: Vec<i128> = (-3000..3000).collect();
        values.extend((0..2000).map(|i| i * 1_000_003 + 7));
        values.extend([5_000_000_000, 1_000_000_000_000, 1 << 52, -(1 << 40) - 5]);
        for exp in [10u32, 20, 30, 40, 50, 60] {
            for &b in &values {
                let v = b as f64 / 2f64.powi(exp as i32);
                let f = format!("{v:.2}");
                let f = f.trim_end_matches('0').trim_end_matches('.');
                assert_eq!(hundredths(b, exp), f, "{b} / 2^{exp}");
            }
        }
    }
}
