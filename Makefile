# A short index of the commands this project uses. CI runs .ci/run, which runs the same checks.
.PHONY: help test race lint verify bench docs

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

test: ## go test ./... (the README's test command)
	go test ./...

race: ## the tests under the race detector, as CI runs them
	go test -race -count=1 ./...

lint: ## gofmt check and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	go vet ./...

verify: ## the conformance suite against the bundled reference seller
	go run ./cmd/koomock verify

bench: ## the benchmarks recorded in docs/benchmarks.md
	go test -run XXX -bench . ./protocol ./runner

docs: ## regenerate docs/steps.md from the step library (a test fails when it drifts)
	go run ./cmd/koomock steps --markdown > docs/steps.md
