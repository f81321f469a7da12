//! A container's probes (CC112).

use super::Scope;
use crate::source::Node;

pub(super) const PROBE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];

pub(super) const PROBE_COUNTS: &[&str] = &[
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

/// Probes: exactly one handler, no negative counts, `successThreshold` 1 for liveness and
/// startup probes.
pub(super) fn check_probes(s: &mut Scope, c: &Node, ptr: &str, who: &str) {
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(p) = c.get(probe).filter(|p| p.as_map().is_some()) else {
            continue;
        };
        let pptr = format!("{ptr}/{probe}");
        let handlers: Vec<&str> = PROBE_HANDLERS
            .iter()
            .copied()
            .filter(|h| p.get(h).is_some_and(|n| !n.is_null()))
            .collect();
        match handlers.as_slice() {
            [] => s.report(
                &pptr,
                format!("the {probe} of {who} has no handler: give it one of `exec`, `httpGet`, `tcpSocket` or `grpc`"),
                None,
            ),
            [_] => {}
            [first, second, ..] => s.report(
                &format!("{pptr}/{second}"),
                format!("the {probe} of {who} has more than one handler (`{first}` and `{second}`); keep one"),
                None,
            ),
        }
        for field in PROBE_COUNTS {
            if let Some(v) = p.get(field).and_then(Node::as_i64).filter(|v| *v < 0) {
                s.report(
                    &format!("{pptr}/{field}"),
                    format!(
                        "`{field}: {v}` of the {probe} of {who} is negative; it must be 0 or more"
                    ),
                    None,
                );
            }
        }
        if probe != "readinessProbe" {
            if let Some(v) = p
                .get("successThreshold")
                .and_then(Node::as_i64)
                .filter(|v| *v > 1)
            {
                s.report(
                    &format!("{pptr}/successThreshold"),
                    format!("`successThreshold: {v}` of the {probe} of {who} must be 1 (only readiness probes may ask for several successes)"),
                    None,
                );
            }
        }
    }
}
