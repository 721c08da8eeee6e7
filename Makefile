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

.PHONY: all deps demo test check bench history clean
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
