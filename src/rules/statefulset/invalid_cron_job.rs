//! CC114 invalid-cron-job: A CronJob without a valid schedule or time zone, with an unsupported concurrencyPolicy, or whose jobTemplate sets a selector.

use crate::model::enums::{bad_enum, enum_report};
use crate::rule::{Ctx, Object};

crate::declare_rule! {
    /// ## What it does
    /// Checks a CronJob's own spec: `schedule` must be present and a standard cron expression (five fields: minute, hour, day of month, month, day of week; or a descriptor such as `@daily` or `@every 1h`), without `TZ`/`CRON_TZ` (the time zone goes in `timeZone`, which must be a zone name such as `Europe/Berlin`, not empty and not `Local`); `concurrencyPolicy` must be `Allow` (the default), `Forbid` or `Replace`; the `jobTemplate` must not set `selector` or `manualSelector: true` (the selector of each Job is generated).
    ///
    /// ## Why is this bad?
    /// The API server rejects the CronJob (`spec.schedule: Required value`, `Invalid value: … expected exactly 5 fields`, `spec.concurrencyPolicy: Unsupported value`, `spec.jobTemplate.spec.selector: Invalid value: … selector will be auto-generated`). Six-field schedules with seconds, copied from Quartz or Spring, are a common slip.
    ///
    /// ## Example
    /// ```yaml
    /// kind: CronJob
    /// spec:
    ///   schedule: "0 */5 * * * *"   # six fields
    ///   concurrencyPolicy: forbid
    /// ```
    ///
    /// ## Fix safety
    /// A `concurrencyPolicy` that differs from a valid one only in letter case is corrected (safe). A schedule needs a decision and gets no fix.
    pub CC114 {
        name: "invalid-cron-job",
        severity: Error,
        fix: Safe,
        summary: "A CronJob without a valid schedule or time zone, with an unsupported concurrencyPolicy, or whose jobTemplate sets a selector",
    }
}

const CONCURRENCY: &[&str] = &["Allow", "Forbid", "Replace"];
const REJECTS: &str = "The API server rejects the CronJob.";

pub(super) fn check_cron_job(ctx: &mut Ctx, obj: &Object) {
    let Some(spec) = obj.node.get("spec").filter(|s| s.as_map().is_some()) else {
        return;
    };
    match spec.get("schedule").filter(|n| !n.is_null()) {
        None => ctx.report(
            obj,
            &super::CC114,
            "/spec/schedule",
            format!("the CronJob has no `spec.schedule` (a cron expression such as `0 3 * * *`). {REJECTS}"),
            None,
        ),
        Some(n) => {
            if let Some(s) = n.as_str() {
                if let Some(why) = schedule_problem(s) {
                    ctx.report(
                        obj,
                        &super::CC114,
                        "/spec/schedule",
                        format!("`schedule` `{s}` is not a valid cron expression: {why}. {REJECTS}"),
                        None,
                    );
                }
            }
        }
    }
    if let Some(tz) = spec.get("timeZone").filter(|n| !n.is_null()) {
        if let Some(why) = tz.as_str().and_then(time_zone_problem) {
            ctx.report(
                obj,
                &super::CC114,
                "/spec/timeZone",
                format!("{why}. {REJECTS}"),
                None,
            );
        }
    }
    let cp = spec.get("concurrencyPolicy");
    if let (Some(node), Some(bad)) = (cp, bad_enum(cp, CONCURRENCY)) {
        let ptr = "/spec/concurrencyPolicy";
        let (message, fix_) = enum_report(
            &super::CC114,
            obj,
            node,
            ptr,
            "concurrencyPolicy",
            &bad,
            CONCURRENCY,
            REJECTS,
        );
        ctx.report(obj, &super::CC114, ptr, message, fix_);
    }
    let Some(job) = spec.path(&["jobTemplate", "spec"]) else {
        return;
    };
    if job.get("selector").is_some_and(|n| !n.is_null()) {
        ctx.report(
            obj,
            &super::CC114,
            "/spec/jobTemplate/spec/selector",
            format!("the CronJob's `jobTemplate` sets `selector`, but the selector of each Job it creates is generated (\"`selector` will be auto-generated\"): remove it. {REJECTS}"),
            None,
        );
    }
    if job
        .get("manualSelector")
        .is_some_and(|n| matches!(n.value, crate::source::Value::Bool(true)))
    {
        ctx.report(
            obj,
            &super::CC114,
            "/spec/jobTemplate/spec/manualSelector",
            format!("the CronJob's `jobTemplate` sets `manualSelector: true`, which a CronJob does not support (only unset or `false`). {REJECTS}"),
            None,
        );
    }
}

/// Why `timeZone` is refused by its syntax alone (`validateTimeZone`: each `/`-separated part
/// 1–14 of `A-Za-z0-9._+-`, not `.`/`..`, not starting with `-`; never `Local`). Whether the
/// zone exists in the API server's time zone database is not checked.
pub fn time_zone_problem(tz: &str) -> Option<String> {
    if tz.is_empty() {
        return Some(
            "`timeZone` is empty: leave it out, or name a zone such as `Europe/Berlin`".into(),
        );
    }
    let bad_part = tz.split('/').any(|part| {
        part.is_empty()
            || part.len() > 14
            || part == "."
            || part == ".."
            || part.starts_with('-')
            || !part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
    });
    if bad_part {
        return Some(format!(
            "`timeZone` `{tz}` is not a time zone name (\"unknown time zone\"; names look like `Europe/Berlin` or `Etc/UTC`)"
        ));
    }
    if tz.eq_ignore_ascii_case("Local") {
        return Some(
            "`timeZone: Local` is refused: name an explicit IANA time zone such as `Etc/UTC`"
                .into(),
        );
    }
    None
}

/// Why a schedule is not a standard cron expression (robfig/cron's `ParseStandard`, which the
/// API server uses), or `None` when it parses. Only clear-cut faults are reported.
pub fn schedule_problem(schedule: &str) -> Option<String> {
    let s = schedule.trim();
    if s.is_empty() {
        return Some("it is empty".into());
    }
    // ValidateCronJobSpec refuses any `TZ` in the schedule on create.
    if s.contains("TZ") {
        return Some(
            "a time zone prefix (`TZ=`/`CRON_TZ=`) is not allowed in `schedule`; set `spec.timeZone` instead".into(),
        );
    }
    if let Some(descriptor) = s.strip_prefix('@') {
        const DESCRIPTORS: &[&str] = &[
            "yearly", "annually", "monthly", "weekly", "daily", "midnight", "hourly",
        ];
        if DESCRIPTORS.contains(&descriptor) || descriptor.starts_with("every ") {
            return None;
        }
        return Some(format!("`@{descriptor}` is not a known descriptor (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`, `@every <duration>`)"));
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        let mut why = format!(
            "expected exactly 5 fields (minute, hour, day of month, month, day of week), found {}",
            fields.len()
        );
        if fields.len() == 6 {
            why.push_str(" (a leading seconds field, as in Quartz or Spring, is not supported)");
        }
        return Some(why);
    }
    const BOUNDS: [(&str, u32, u32, &[&str]); 5] = [
        ("minute", 0, 59, &[]),
        ("hour", 0, 23, &[]),
        ("day of month", 1, 31, &[]),
        (
            "month",
            1,
            12,
            &[
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ],
        ),
        (
            "day of week",
            0,
            6,
            &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
        ),
    ];
    for (field, (what, lo, hi, names)) in fields.iter().zip(BOUNDS) {
        for part in field.split(',') {
            let (range, step) = match part.split_once('/') {
                Some((r, st)) => (r, Some(st)),
                None => (part, None),
            };
            if let Some(st) = step {
                if st.parse::<u32>().map_or(true, |n| n == 0) {
                    return Some(format!(
                        "the {what} field `{field}` has an invalid step `/{st}`"
                    ));
                }
            }
            if range == "*" || range == "?" {
                continue;
            }
            let (a, b) = match range.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (range, None),
            };
            for v in std::iter::once(a).chain(b) {
                let value = match v.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => names
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(v))
                        .map(|i| i as u32 + lo),
                };
                match value {
                    None => {
                        return Some(format!(
                            "the {what} field `{field}` has `{v}`, which is not a number{}",
                            if names.is_empty() { "" } else { " or a name" }
                        ))
                    }
                    Some(n) if n < lo || n > hi => {
                        return Some(format!(
                            "the {what} field `{field}` has {n}, outside {lo}–{hi}"
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::schedule_problem;

    #[test]
    fn schedules() {
        for ok in [
            "0 3 * * *",
            "*/5 * * * *",
            "0 0 1 1 *",
            "15 2 * * MON-FRI",
            "0 9-17/2 * jan,jul sun",
            "@hourly",
            "@every 1h30m",
            " 0 3 * * * ",
            "0 0 ? * 1",
        ] {
            assert_eq!(schedule_problem(ok), None, "{ok}");
        }
        for tz in [
            "Europe/Berlin",
            "Etc/UTC",
            "UTC",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
        ] {
            assert_eq!(super::time_zone_problem(tz), None, "{tz}");
        }
        for tz in [
            "",
            "Local",
            "local",
            "Europe//Berlin",
            "/UTC",
            "Europe/Berlin Time",
            "-UTC",
            "America/Very_Long_City_Name",
        ] {
            assert!(super::time_zone_problem(tz).is_some(), "{tz}");
        }
        for bad in [
            "",
            "0 */5 * * * *",
            "* * * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "0 0 * 13 *",
            "0 0 * * 7",
            "@often",
            "TZ=UTC 0 3 * * *",
            "CRON_TZ=Europe/Berlin 0 3 * * *",
            "*/0 * * * *",
            "x * * * *",
        ] {
            assert!(schedule_problem(bad).is_some(), "{bad}");
        }
    }
}
