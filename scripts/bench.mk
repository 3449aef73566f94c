# Benchmarks. Included from GNUmakefile (`include scripts/bench.mk`).

.PHONY: bench

bench: ## Measure API calls, scale, start-up and emulator throughput; print them and write BENCHMARKS.md
	scripts/bench.sh
