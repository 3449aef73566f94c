# Reliability and security checks. Included from GNUmakefile
# (`include scripts/reliability.mk`). `make test` runs the tests with the race
# detector and then `make vuln` (tools/tools.mk), the vulnerability scan.

RELIABILITY_TEST_FLAGS ?= -count=1 -timeout 30m
# testacc-load appends its figures here, one JSON line per load test.
LOAD_REPORT ?= bin/load-report.jsonl
# testacc-trace keeps the TRACE logs of every acceptance test here.
TRACE_DIR ?= bin/trace-logs
FUZZTIME ?= 30s

# Histories (internal/histories): random sequences of configuration edits, acts
# outside Terraform and Terraform commands, applies killed part-way among them,
# against a live emulator, in both read modes at once. MODEL_HISTORIES histories
# of about MODEL_STEPS steps per read mode, first with the fixed MODEL_SEED, then
# with a random seed that it prints (MODEL_RANDOM_SEED to choose it). A failing
# history is shrunk and printed as a script, with the seed that repeats it.
MODEL_HISTORIES ?= 15
MODEL_STEPS ?= 15
MODEL_SEED ?= 20261202
MODEL_FLAGS = -count=1 -timeout 60m -v -run '^TestHistories$$' ./internal/histories \
	-rapid.checks=$(MODEL_HISTORIES) -rapid.steps=$(MODEL_STEPS) -rapid.nofailfile -rapid.shrinktime=3m

.PHONY: testacc-load testacc-trace testacc-model fuzz-emulator reliability

testacc-load: ## Load test: 20 contacts x 2 pending changes, applied and destroyed under throttling, 5xx, latency and lost answers
	@mkdir -p "$(dir $(LOAD_REPORT))" && rm -f "$(LOAD_REPORT)"
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TERRAFORM)" ALICLOUDRD_ACC_MODE=live ALICLOUDRD_LOAD_REPORT="$(CURDIR)/$(LOAD_REPORT)" \
		go test $(RELIABILITY_TEST_FLAGS) -v -run '^TestAccReliability_load' ./internal/provider
	@echo "==> load figures: $(LOAD_REPORT)"

testacc-model: ## Random histories of edits, outside acts, commands and killed applies, checked against invariants
	@echo "==> histories with the fixed seed $(MODEL_SEED)"
	ALICLOUDRD_HISTORIES=1 TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TERRAFORM)" go test $(MODEL_FLAGS) -rapid.seed=$(MODEL_SEED)
	@seed="$${MODEL_RANDOM_SEED:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"; \
	echo "==> histories with the random seed $$seed (make testacc-model MODEL_SEED=$$seed repeats them)"; \
	ALICLOUDRD_HISTORIES=1 TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TERRAFORM)" go test $(MODEL_FLAGS) -rapid.seed=$$seed

testacc-trace: ## Every acceptance test with TF_LOG=TRACE; fails if a log line or output holds a secret
	@rm -rf "$(TRACE_DIR)"
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TERRAFORM)" ALICLOUDRD_ACC_MODE=replay \
		ALICLOUDRD_TRACE_RUN='^TestAcc' ALICLOUDRD_TRACE_DIR="$(CURDIR)/$(TRACE_DIR)" \
		go test $(RELIABILITY_TEST_FLAGS) -v -run '^TestSecurity_traceLogsHoldNoSecrets$$' ./internal/provider

fuzz-emulator: ## Fuzz the emulator's request parsing and signature checks, FUZZTIME each
	go test -run '^$$' -fuzz '^FuzzParseRequest$$' -fuzztime $(FUZZTIME) ./internal/emulator
	go test -run '^$$' -fuzz '^FuzzStringToSign$$' -fuzztime $(FUZZTIME) ./internal/emulator
	go test -run '^$$' -fuzz '^FuzzSignedRequestTamper$$' -fuzztime $(FUZZTIME) ./internal/emulator

reliability: test testacc-load testacc-model testacc-trace fuzz-emulator ## make test (race detector, vulnerability scan) and all of the above
