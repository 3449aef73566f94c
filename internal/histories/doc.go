// Package histories holds the model-based tests of the provider: random
// histories of configuration edits, acts outside Terraform (verifications,
// cancellations, other requests, deletions, member bindings, faults) and
// Terraform commands, including applies killed part-way, each checked
// against invariants after every step. It drives the real Terraform CLI, a
// live emulator and the provider served in the test process together, so it
// is a package of tests only. `make testacc-model` runs it.
package histories
