# sunostudio: `make run` starts the studio, `make test` runs every check CI runs.
GO        ?= go
BIN       ?= sunostudio
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X sunostudio/internal/buildinfo.Version=$(VERSION)
FUZZTIME  ?= 1m
BENCHTIME ?= 1s

# Audio output (oto) is cgo and needs the ALSA headers on Linux: Debian/Ubuntu package
# libasound2-dev plus pkg-config. `make deps` installs them (as root or with sudo) or says how.
APT_PKGS  := libasound2-dev pkg-config

.PHONY: all build run test vet race bench fuzz soak deps clean

all: build

deps:
	@if [ "$$(uname -s)" = "Linux" ] && command -v dpkg >/dev/null 2>&1; then \
	  missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	    elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; \
	    else echo "install:$$missing  (sudo apt-get install$$missing)"; exit 1; fi; \
	  fi; \
	fi
	$(GO) mod download

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

# ARGS passes arguments: make run ARGS="generate --description 'sea' --wait"
run: build
	./$(BIN) $(ARGS)

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

race:
	$(GO) test -race -count=1 ./...

test: deps vet race

bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -count 5 ./... | tee bench.txt

# The SIGKILL crash test at 200 trials (CI runs 50): reports lost tasks and half-written files.
SOAK_TRIALS ?= 200
soak:
	SUNOSTUDIO_CRASH_TRIALS=$(SOAK_TRIALS) $(GO) test -count=1 -run '^TestCrashRecovery$$' -v -timeout 60m . | tee soak.txt

# Every fuzz target runs for FUZZTIME (go test allows one -fuzz target per run).
fuzz:
	@set -e; for t in $$(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' . | sed 's/func //' | sort -u); do \
	  pkg=$$(grep -rlE "^func $$t\(" --include='*_test.go' . | head -1 | xargs dirname); \
	  echo "== $$t in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -timeout 0 $$pkg; \
	done

clean:
	rm -f $(BIN) bench.txt
