# gsim - Monte Carlo simulation of security-guarantee credibility.
# 'make demo' builds and runs the default scenario; 'make test' runs every
# test; 'make bench' measures speed. Missing Debian packages are installed
# by scripts/deps.sh (as root) or it prints the command to run.

CC       ?= cc
PKGS     := gsl libconfig jansson
CFLAGS   ?= -O3 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-format-truncation -ffp-contract=off -fno-trapping-math -fopenmp
CPPFLAGS += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
LDFLAGS  += -fopenmp

B        := build
BIN      := bin/sim
SRCS     := $(wildcard sim/*.c) $(wildcard models/*.c)
PLOTS    := $(wildcard plots/*.gp)
OBJS     := $(SRCS:%.c=$(B)/%.o) $(B)/default_cfg.o $(B)/plots_gp.o
LIBOBJS  := $(filter-out $(B)/sim/main.o,$(OBJS))
TESTS    := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
TESTUTIL := $(B)/tests/testutil.o
OUT      ?= out

.PHONY: all deps demo test check bench history fuzz sanitize valgrind clean
all: $(BIN)

deps:
	@sh scripts/deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The default scenario is compiled into the binary.
$(B)/default_cfg.c: configs/default.cfg
	@mkdir -p $(B)
	@{ echo '/* generated from configs/default.cfg */'; \
	   echo 'const char sim_default_cfg[] = {'; \
	   od -An -v -tx1 $< | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00 };'; } > $@

# The gnuplot scripts too, so that 'sim plot' works from any directory.
$(B)/plots_gp.c: $(PLOTS) scripts/embed.sh
	@mkdir -p $(B)
	@sh scripts/embed.sh plot_scripts $(PLOTS) > $@

$(BIN): $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(OBJS) $(LDLIBS) -o $@

$(B)/tests/%: tests/%.c $(TESTUTIL) $(LIBOBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP $< $(TESTUTIL) $(LIBOBJS) $(LDFLAGS) $(LDLIBS) -lcmocka -o $@

.SECONDARY: $(TESTUTIL)

# The main job: the default scenario, its data, charts and report.
demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) report -o $(OUT)/default
	./$(BIN) plot $(OUT)/default
	@echo "charts: $(OUT)/default/*.png and *.svg; report: $(OUT)/default/report.html"

test: deps
	@$(MAKE) --no-print-directory check

# Every tests/test_*.c is a cmocka program, run from the top directory.
check: $(BIN) $(TESTS)
	@sh scripts/run-tests.sh $(TESTS)

# Fuzzing config loading and checking with libFuzzer (clang), for
# FUZZ_SECONDS on FUZZ_JOBS processes, from a corpus seeded with every config
# and bad config of the repository. Crashes go to tests/fuzz/crashes/, which
# the test suite replays.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
FUZZ_SRCS := sim/cfg.c sim/dist.c sim/rng.c sim/scenario.c sim/usage.c \
	models/commitment.c models/registry.c tests/fuzz/one.c tests/fuzz/fuzz_config.c
$(B)/fuzz_config: $(FUZZ_SRCS) $(B)/default_cfg.c
	clang -g -O2 -std=c11 -D_GNU_SOURCE -Wno-unknown-pragmas \
		-fsanitize=fuzzer,address,undefined $(CPPFLAGS) $^ $(LDLIBS) -o $@

fuzz: $(B)/fuzz_config
	@mkdir -p $(B)/fuzz-corpus tests/fuzz/crashes
	@cp configs/*.cfg configs/history/*.cfg $(B)/fuzz-corpus/ 2>/dev/null; \
	 for f in tests/bad/*.cfg; do [ -f "$$f" ] && cp "$$f" $(B)/fuzz-corpus/; done; true
	LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
	$(B)/fuzz_config -max_total_time=$(FUZZ_SECONDS) -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-close_fd_mask=2 -rss_limit_mb=2048 -timeout=10 -dict=tests/fuzz/config.dict \
		-artifact_prefix=tests/fuzz/crashes/ $(B)/fuzz-corpus

# The historical back-test: predicted p_deterred against what happened.
history: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) backtest -o $(OUT)/history

bench: deps
	@$(MAKE) --no-print-directory $(BIN)
	sh scripts/bench.sh

clean:
	rm -rf $(B) bin

-include $(OBJS:.o=.d) $(TESTUTIL:.o=.d) $(TESTS:=.d)
