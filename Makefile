# A short index of the commands this project uses. CI runs .ci/run, which runs the same checks.
.PHONY: help test race lint verify bench docs docker-build docker-build-refseller contract

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'

test: ## go test ./... (the README's test command)
	go test ./...

race: ## the tests under the race detector, as CI runs them
	go test -race -count=1 ./...

lint: ## gofmt check and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	go vet ./...

verify: ## the conformance suite against the bundled reference seller
	go run ./cmd/koomock verify

bench: ## the benchmarks recorded in docs/benchmarks.md (koomocktc's need Docker)
	go test -run XXX -bench . ./protocol ./runner ./mock ./mock/license ./koomocktc

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
IMAGE ?= koomock:latest
REFSELLER_IMAGE ?= koomock-refseller:latest

docker-build: ## build the image koomock:latest (IMAGE=...) with no registry: compiled here, FROM scratch
	rm -rf bin/image && mkdir -p bin/image/data bin/image/tmp
	CGO_ENABLED=0 GOOS=linux go build -trimpath -tags nodeploy -ldflags "-s -w -X main.version=$(VERSION)" -o bin/image/koomock ./cmd/koomock
	docker build -f Dockerfile.prebuilt -t $(IMAGE) bin/image

docker-build-refseller: ## build the reference seller image koomock-refseller:latest the same way
	rm -rf bin/refseller && mkdir -p bin/refseller
	CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w" -o bin/refseller/refseller ./examples/seller/cmd/refseller
	docker build -f examples/seller/cmd/refseller/Dockerfile -t $(REFSELLER_IMAGE) bin/refseller

contract: ## the container tests: the suite through koomock in a container (needs Docker)
	TESTCONTAINERS_RYUK_DISABLED=true go test -count=1 -v ./koomocktc

docs: ## regenerate docs/steps.md from the step library (a test fails when it drifts)
	go run ./cmd/koomock steps --markdown > docs/steps.md
