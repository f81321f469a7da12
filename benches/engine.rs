//! Native speed of the engine: lint and fix of the seed example, and lint of a large
//! multi-document stream (every real manifest of tests/corpus, 2,000+ lines), all rules on;
//! one clean StatefulSet (benchmarks/inputs/statefulset-clean.yaml), alone and 100 times in
//! one stream. benchmarks/run.sh reads the medians into the figures table.

use std::hint::black_box;

use claimcheck::engine::{fix_text, lint, Options, SourceFile};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "support/corpus.rs"]
mod corpus;
use corpus::corpus_stream;

fn bench(c: &mut Criterion) {
    let seed = include_str!("../examples/seed.yaml").to_string();
    let options = Options::default();
    let mut g = c.benchmark_group("seed");
    g.throughput(Throughput::Bytes(seed.len() as u64));
    let files = [SourceFile {
        path: "seed.yaml".into(),
        text: seed.clone(),
    }];
    g.bench_function("lint", |b| {
        b.iter(|| black_box(lint(black_box(&files), &options)))
    });
    g.bench_function("fix", |b| {
        b.iter(|| black_box(fix_text("seed.yaml", black_box(&seed), &options)))
    });
    g.finish();

    // One clean StatefulSet (636 bytes), alone and as 100 copies in one stream (per object).
    let sts = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("benchmarks/inputs/statefulset-clean.yaml"),
    )
    .unwrap_or_default();
    let mut g = c.benchmark_group("statefulset");
    g.throughput(Throughput::Bytes(sts.len() as u64));
    let one = [SourceFile {
        path: "sts.yaml".into(),
        text: sts.clone(),
    }];
    g.bench_function("lint", |b| {
        b.iter(|| black_box(lint(black_box(&one), &options)))
    });
    let stream = [SourceFile {
        path: "stream.yaml".into(),
        text: vec![sts.as_str(); 100].join("---\n"),
    }];
    g.throughput(Throughput::Elements(100));
    g.bench_function("stream-100", |b| {
        b.iter(|| black_box(lint(black_box(&stream), &options)))
    });
    g.finish();

    let big = corpus_stream();
    let mut g = c.benchmark_group("corpus-stream");
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.sample_size(20);
    let files = [SourceFile {
        path: "corpus.yaml".into(),
        text: big,
    }];
    g.bench_function("lint", |b| {
        b.iter(|| black_box(lint(black_box(&files), &options)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
