# hoist: build, test, benchmark and demo.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# Rule pages link to the checkout's origin when it is a web repository.
ORIGIN  := $(shell git remote get-url origin 2>/dev/null | sed -E 's#^git@([^:]+):#https://\1/#; s#\.git$$##' | grep '^https://')
DOCS_URL ?= $(if $(ORIGIN),$(ORIGIN)/blob/main/docs/rules/)
LDFLAGS := -X hoist/cli.Version=$(VERSION)$(if $(DOCS_URL), -X hoist/lint.DocsBaseURL=$(DOCS_URL))
BIN     := bin/hoist
FUZZTIME ?= 60s

.PHONY: all build test fmt-check vet staticcheck tidy-check unit race bench demo fuzz plan-png clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/hoist

# make test: gofmt check, go vet, staticcheck (a tool of go.mod), every
# test, then the concurrency tests under the race detector. make
# tidy-check says whether go.mod and go.sum are tidy (it may need the
# module proxy).
test: fmt-check vet staticcheck unit race

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) tool staticcheck ./...

tidy-check:
	$(GO) mod tidy -diff

# cli's Ansible test runs ansible-playbook five times on three simulated
# nodes with real containers, and its podman test applies the queens
# controller: more than go test's default 10 minutes for the package on a
# loaded machine.
unit:
	$(GO) test -count=1 -timeout 45m ./...

race:
	$(GO) test -race -count=1 -run 'Concurrent' ./schema/ ./compiler/deploy/
	$(GO) test -race -count=1 -run 'Concurrently' ./compiler/stack/
	$(GO) test -race -count=1 -run 'Concurrent' ./compiler/jsonnet/ ./pyre/
	$(GO) test -race -count=1 -run 'Concurrent|BuildAndWrite|Deterministic' ./emit/
	$(GO) test -race -count=1 -run 'TreeMemo|CacheHits' ./lint/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# make demo: the main job on the embedded example. With no hoist.hcl here
# and no inputs, hoist build compiles hoist's example deployment and
# writes its artifact tree into ./out, then says what it built and where
# to look next.
demo: build
	@./$(BIN) build

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime $(FUZZTIME) ./pyyaml
	$(GO) test -run '^$$' -fuzz '^FuzzFastParse$$' -fuzztime $(FUZZTIME) ./pyyaml
	$(GO) test -run '^$$' -fuzz FuzzValidate -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./schema
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/yaql
	$(GO) test -run '^$$' -fuzz '^FuzzEval$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/yaql
	$(GO) test -run '^$$' -fuzz '^FuzzEvalTemplate$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/stack
	$(GO) test -run '^$$' -fuzz '^FuzzEnvironment$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/stack
	$(GO) test -run '^$$' -fuzz '^FuzzEmitRoleData$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./emit
	$(GO) test -run '^$$' -fuzz '^FuzzEvaluate$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/jsonnet
	$(GO) test -run '^$$' -fuzz '^FuzzCompileMatch$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./pyre
	$(GO) test -run '^$$' -fuzz '^FuzzDecodePack$$' -fuzztime $(FUZZTIME) ./lint

# make plan-png: the plan of the queens overcloud (3 controllers, 2
# computes) as hoist plan --format html renders it, photographed by
# headless Chromium (Debian's chromium) into docs/plan.png.
PLAN_THT ?= ../shared/corpus/tht-queens
CHROMIUM ?= chromium
plan-png: build
	./$(BIN) plan --templates $(PLAN_THT) -e $(PLAN_THT)/environments/docker.yaml \
		-e $(PLAN_THT)/environments/docker-ha.yaml --count Controller=3 --count Compute=2 \
		--allow-missing --role Controller --role Compute --format html > bin/plan.html
	rm -rf bin/chromium-profile
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir=$(CURDIR)/bin/chromium-profile --hide-scrollbars --window-size=1600,1500 \
		--screenshot=$(CURDIR)/docs/plan.png file://$(CURDIR)/bin/plan.html
	rm -rf bin/chromium-profile

clean:
	rm -rf bin
