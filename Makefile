# hoist: build, test, benchmark and demo.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X hoist/cli.Version=$(VERSION)
BIN     := bin/hoist
FUZZTIME ?= 60s

.PHONY: all build test fmt-check vet unit race bench demo fuzz clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/hoist

# make test: gofmt check, go vet, every test, then the concurrency tests
# under the race detector.
test: fmt-check vet unit race

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 ./...

race:
	$(GO) test -race -count=1 -run 'Concurrent' ./schema/ ./compiler/deploy/
	$(GO) test -race -count=1 -run 'Concurrently' ./compiler/stack/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# make demo: the main job on the embedded example.
demo: build
	./$(BIN) lint stdlib/examples/overcloud

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime $(FUZZTIME) ./compiler/pyyaml
	$(GO) test -run '^$$' -fuzz FuzzValidate -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./schema
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/yaql
	$(GO) test -run '^$$' -fuzz '^FuzzEval$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/yaql
	$(GO) test -run '^$$' -fuzz '^FuzzEvalTemplate$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/stack
	$(GO) test -run '^$$' -fuzz '^FuzzEnvironment$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./compiler/stack

clean:
	rm -rf bin
