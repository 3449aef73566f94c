# Reliability and security checks. Included from GNUmakefile
# (`include scripts/reliability.mk`). `make test` runs the tests with the race
# detector and then `make vuln` (tools/tools.mk), the vulnerability scan.

RELIABILITY_TEST_FLAGS ?= -count=1 -timeout 30m
# testacc-load appends its figures here, one JSON line per load test.
LOAD_REPORT ?= bin/load-report.jsonl
# testacc-trace keeps the TRACE logs of every acceptance test here.
TRACE_DIR ?= bin/trace-logs
FUZZTIME ?= 30s

.PHONY: testacc-load testacc-trace fuzz-emulator reliability

testacc-load: ## Load test: 20 contacts x 2 pending changes, applied and destroyed under throttling, 5xx, latency and lost answers
	@mkdir -p "$(dir $(LOAD_REPORT))" && rm -f "$(LOAD_REPORT)"
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TERRAFORM)" ALICLOUDRD_ACC_MODE=live ALICLOUDRD_LOAD_REPORT="$(CURDIR)/$(LOAD_REPORT)" \
		go test $(RELIABILITY_TEST_FLAGS) -v -run '^TestAccReliability_load' ./internal/provider
	@echo "==> load figures: $(LOAD_REPORT)"

testacc-trace: ## Every acceptance test with TF_LOG=TRACE; fails if a log line or output holds a secret
	@rm -rf "$(TRACE_DIR)"
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$(TERRAFORM)" ALICLOUDRD_ACC_MODE=replay \
		ALICLOUDRD_TRACE_RUN='^TestAcc' ALICLOUDRD_TRACE_DIR="$(CURDIR)/$(TRACE_DIR)" \
		go test $(RELIABILITY_TEST_FLAGS) -v -run '^TestSecurity_traceLogsHoldNoSecrets$$' ./internal/provider

fuzz-emulator: ## Fuzz the emulator's request parsing and signature checks, FUZZTIME each
	go test -run '^$$' -fuzz '^FuzzParseRequest$$' -fuzztime $(FUZZTIME) ./internal/emulator
	go test -run '^$$' -fuzz '^FuzzStringToSign$$' -fuzztime $(FUZZTIME) ./internal/emulator
	go test -run '^$$' -fuzz '^FuzzSignedRequestTamper$$' -fuzztime $(FUZZTIME) ./internal/emulator

reliability: test testacc-load testacc-trace fuzz-emulator ## make test (race detector, vulnerability scan) and all of the above
