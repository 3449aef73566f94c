#!/usr/bin/env bash
# make bench: measures API calls per operation, scale (1 to 500 contacts),
# start-up and the emulator's throughput, runs the Go microbenchmarks, prints
# the tables and writes them to BENCHMARKS.md with a description of the
# machine. Needs only Go; Terraform is found by scripts/find-terraform.sh.
#
# Environment: BENCH_SIZES ("1 20 100 500"), BENCH_SCALE_RUNS (3),
# BENCH_PARALLELISM (10), BENCH_VALIDATE_RUNS (5), BENCH_THROUGHPUT_CLIENTS
# ("1 16"), BENCH_THROUGHPUT_RUNS (3), BENCH_THROUGHPUT_DURATION (3s),
# BENCH_MICRO_COUNT (5), BENCH_MICRO_BENCHTIME (300ms), BENCH_FLOOR_PAIRS (15),
# BENCH_FLOOR_INITS (21), BENCH_STARTUP_BASELINE (a provider binary built from
# another commit, whose package initialisation is traced beside the floor's),
# BENCH_BUDGET (9m:
# repeated scale runs stop before make bench would exceed it), BENCH_SKIP (any of
# "ops scale startup floor throughput micro"), BENCH_KEEP=1 (keep the scratch
# directory with every log and state), BENCH_OUT (BENCHMARKS.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

BENCH_STARTED_AT="$(date +%s.%N)"
case "$BENCH_STARTED_AT" in *N) BENCH_STARTED_AT="$(date +%s)" ;; esac
export BENCH_STARTED_AT

TF="$(scripts/find-terraform.sh)"
mkdir -p bin
go build -o bin/alicloudrd-bench ./scripts/bench
exec bin/alicloudrd-bench -root "$root" -terraform "$TF" -out "${BENCH_OUT:-BENCHMARKS.md}" "$@"
