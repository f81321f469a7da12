//! Per-request evaluation time of the policy on Kubewarden's host stack, warm (one instance,
//! many requests, as a policy-server worker serves them), and the module's size. A benchmark,
//! not a timed test: it asserts nothing about time.
//!   cargo test --release --test bench -- --ignored --nocapture

mod common;

use std::time::Instant;

use common::*;
use serde_json::{json, Value};

/// One StatefulSet of about `lines` lines (as the engine reads it: pretty-printed JSON), with
/// many containers, env vars and mounts, one claim template, and one broken mount.
fn big_statefulset(lines: usize) -> Value {
    let mut sts = json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "big", "namespace": "default", "labels": {"app": "big"}},
        "spec": {
            "serviceName": "big", "replicas": 3,
            "selector": {"matchLabels": {"app": "big"}},
            "template": {"metadata": {"labels": {"app": "big"}}, "spec": {"containers": []}},
            "volumeClaimTemplates": [{"metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": "10Gi"}}}}]
        }
    });
    let mut i = 0;
    while serde_json::to_string_pretty(&sts).map_or(0, |t| t.lines().count()) < lines {
        let env: Vec<Value> = (0..10)
            .map(|j| json!({"name": format!("VAR_{i}_{j}"), "value": format!("value-{j}")}))
            .collect();
        let mount = if i == 7 { "missing" } else { "data" };
        let c = json!({
            "name": format!("c{i}"), "image": format!("registry.example/app:{i}"),
            "ports": [{"containerPort": 8000 + i, "name": format!("p{i}")}],
            "env": env,
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                          "limits": {"memory": "256Mi"}},
            "volumeMounts": [{"name": mount, "mountPath": format!("/data/{i}")}]
        });
        if let Some(cs) = sts["spec"]["template"]["spec"]["containers"].as_array_mut() {
            cs.push(c);
        }
        i += 1;
    }
    sts
}

/// CPU time of this thread, in ms: the machine the benchmark runs on is shared, and
/// wall-clock time there measures the other processes as much as the policy.
fn thread_cpu_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}

fn percentiles(mut t: Vec<f64>) -> (f64, f64, f64) {
    t.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| t[((t.len() as f64 * q) as usize).min(t.len() - 1)];
    (at(0.5), at(0.99), at(1.0))
}

#[test]
#[ignore = "benchmark: cargo test --release --test bench -- --ignored --nocapture"]
fn evaluation_time_and_module_size() {
    let bytes = module_bytes();
    let gz = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(module_path())
        .output()
        .map(|o| o.stdout.len())
        .unwrap_or(0);
    println!(
        "module: {} bytes ({:.0} KiB), gzip -9 {} bytes ({:.0} KiB)",
        bytes.len(),
        bytes.len() as f64 / 1024.0,
        gz,
        gz as f64 / 1024.0
    );
    let t0 = Instant::now();
    let h = host();
    println!(
        "first instance (compile + instantiate): {:.0} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    let big = big_statefulset(2000);
    let big_lines = serde_json::to_string_pretty(&big).map_or(0, |t| t.lines().count());
    let seed = seed_sts();
    let mut scaled = seed.clone();
    scaled["spec"]["replicas"] = json!(0);
    let cases = [
        (
            "seed StatefulSet, validate",
            request(json!({}), "CREATE", seed.clone(), None),
        ),
        (
            "seed StatefulSet, mutate: safe",
            request(json!({"mutate": "safe"}), "CREATE", seed.clone(), None),
        ),
        (
            "seed StatefulSet, UPDATE (scale)",
            request(json!({}), "UPDATE", scaled, Some(seed)),
        ),
        (
            "2,000-line StatefulSet, validate",
            request(json!({}), "CREATE", big.clone(), None),
        ),
    ];
    println!(
        "{big_lines}-line object: {} bytes of request",
        cases[3].1.len()
    );
    for (name, payload) in &cases {
        let runs = if payload.len() > 10_000 { 500 } else { 2000 };
        for _ in 0..runs / 10 {
            validate(&h, payload);
        }
        let mut wall = Vec::with_capacity(runs);
        let mut cpu = Vec::with_capacity(runs);
        for _ in 0..runs {
            let (t, c) = (Instant::now(), thread_cpu_ms());
            let out = call(&h, "validate", payload).expect("answer");
            cpu.push(thread_cpu_ms() - c);
            wall.push(t.elapsed().as_secs_f64() * 1e3);
            assert!(!out.is_empty());
        }
        let (p50, p99, max) = percentiles(cpu);
        let (w50, w99, _) = percentiles(wall);
        println!(
            "{name}: CPU p50 {p50:.3} ms, p99 {p99:.3} ms, max {max:.3} ms; wall p50 {w50:.3} ms, p99 {w99:.3} ms ({runs} requests)"
        );
    }
}
