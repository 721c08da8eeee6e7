# gsim - Monte Carlo simulation of security-guarantee credibility.
# 'make demo' builds and runs the default scenario; 'make test' runs every
# test; 'make bench' measures speed. Missing Debian packages are installed
# by scripts/deps.sh (as root) or it prints the command to run.

CC       ?= cc
PKGS     := gsl libconfig jansson libmicrohttpd
CFLAGS   ?= -O3 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-format-truncation -ffp-contract=off -fno-trapping-math -fopenmp
CPPFLAGS += -Isim -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
override LDFLAGS += -fopenmp

B        := build
BIN      := bin/sim

# 'make MPI=1' builds bin/sim-mpi with OpenMPI (mpicc) in build-mpi/; the
# default build needs no MPI.
ifeq ($(MPI),1)
CC       := mpicc
override CPPFLAGS += -DSIM_MPI
B        := build-mpi
BIN      := bin/sim-mpi
endif
# The layers, lowest first: sim/core, models, sim/engine, sim/io and
# sim/study, sim/cli. Everything but main.c goes into one static library
# that bin/sim, the tests and the fuzzing target link.
SRCS     := $(wildcard sim/*/*.c) $(wildcard models/*.c) $(wildcard models/*/*.c)
PLOTS    := $(wildcard plots/*.gp)
OBJS     := $(SRCS:%.c=$(B)/%.o) $(B)/default_cfg.o $(B)/plots_gp.o $(B)/serve_page.o \
            $(B)/buildinfo.o
LIBOBJS  := $(filter-out $(B)/sim/cli/main.o,$(OBJS))
LIB      := $(B)/libgsim.a
TESTS    := $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/test_*.c))
TESTUTIL := $(B)/tests/testutil.o
OUT      ?= out

.PHONY: all deps demo test check bench history fuzz fuzz-deps sanitize valgrind binaries clean
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

# The commit built from, for the provenance of every data file; the file
# is rewritten only when the commit changes.
$(B)/buildinfo.c: FORCE
	@mkdir -p $(B)
	@c=$$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown); \
	 printf '/* generated */\nconst char gsim_commit[] = "%s";\n' "$$c" > $@.new; \
	 cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@

# The page of 'sim serve' too.
$(B)/serve_page.c: web/index.html scripts/embed.sh
	@mkdir -p $(B)
	@sh scripts/embed.sh serve_pages web/index.html > $@

# The gnuplot scripts too, so that 'sim plot' works from any directory.
$(B)/plots_gp.c: $(PLOTS) scripts/embed.sh
	@mkdir -p $(B)
	@sh scripts/embed.sh plot_scripts $(PLOTS) > $@

$(LIB): $(LIBOBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(B)/sim/cli/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The fuzzing target is part of the replay test.
$(B)/tests/test_fuzz_replay: $(B)/tests/fuzz_one.o
$(B)/tests/fuzz_one.o: tests/fuzz/one.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/tests/%: tests/%.c $(TESTUTIL) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP $(filter %.c %.o,$^) $(filter %.a,$^) $(LDFLAGS) $(LDLIBS) -lcmocka -o $@

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
# address,undefined finds more; undefined alone runs about 7 times faster.
FUZZ_SAN ?= address,undefined
fuzz-deps:
	@sh scripts/deps.sh fuzz

# The library again, built by clang with the fuzzer's instrumentation.
FUZZ_B := build-fuzz
$(FUZZ_B)/fuzz_config: tests/fuzz/one.c tests/fuzz/fuzz_config.c FORCE
	@$(MAKE) --no-print-directory B=$(FUZZ_B) CC=clang \
		CFLAGS="-g -O2 -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -fno-sanitize-recover=all" \
		$(FUZZ_B)/libgsim.a
	clang -g -O2 -std=c11 -D_GNU_SOURCE -fopenmp -fsanitize=fuzzer,$(FUZZ_SAN) \
		-fno-sanitize-recover=all $(CPPFLAGS) tests/fuzz/one.c tests/fuzz/fuzz_config.c \
		$(FUZZ_B)/libgsim.a $(LDLIBS) -o $@

fuzz: fuzz-deps $(FUZZ_B)/fuzz_config
	@mkdir -p $(B)/fuzz-corpus tests/fuzz/crashes
	@cp configs/*.cfg configs/history/*.cfg $(B)/fuzz-corpus/ 2>/dev/null; \
	 for f in tests/bad/*.cfg; do [ -f "$$f" ] && cp "$$f" $(B)/fuzz-corpus/; done; true
	ASAN_OPTIONS=quarantine_size_mb=8:malloc_context_size=4 \
	LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
	$(FUZZ_B)/fuzz_config -max_total_time=$(FUZZ_SECONDS) -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) \
		-close_fd_mask=2 -rss_limit_mb=2048 -timeout=10 -entropic=0 -max_len=4096 \
		-dict=tests/fuzz/config.dict \
		-artifact_prefix=tests/fuzz/crashes/ $(B)/fuzz-corpus

# The whole test suite on a build with AddressSanitizer and UBSan (in
# build-san/; UB is fatal), and sim under valgrind's memcheck.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=tests/sanitize.supp \
	UBSAN_OPTIONS=print_stacktrace=1 GSIM_SIM=build-san/bin/sim

sanitize: deps
	@$(MAKE) --no-print-directory B=build-san BIN=build-san/bin/sim \
		CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" binaries
	$(SAN_ENV) sh scripts/run-tests.sh $(patsubst $(B)/%,build-san/%,$(TESTS))

binaries: $(BIN) $(TESTS)

VALGRIND := valgrind --error-exitcode=9 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --suppressions=tests/valgrind.supp -q

valgrind: deps
	@$(MAKE) --no-print-directory $(BIN)
	@rm -rf $(B)/vg
	$(VALGRIND) ./$(BIN) run -n 2000 -j 2 -q -o $(B)/vg/run > /dev/null
	$(VALGRIND) ./$(BIN) sweep -n 500 -j 2 -q -o $(B)/vg/sweep \
		--vary 'guarantors.[0].guarantee.strength=0:1:3' --vary target.troop_cap=600000,800000
	$(VALGRIND) ./$(BIN) check tests/bad/syntax_error.cfg 2> /dev/null; test $$? -eq 2
	@echo "valgrind: no errors, no leaks"

# The historical back-test (predicted p_deterred and survival scores against
# what happened) and the calibration of the crisis mapping on the case base.
history: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) backtest -o $(OUT)/history
	./$(BIN) calibrate --fit crisis_rate,war_cost,crisis_decay --bootstrap 200 -o $(OUT)/history/crisis
	./$(BIN) calibrate --model commitment --fit max_hazard,war_cost -o $(OUT)/history/commitment
	./$(BIN) plot $(OUT)/history
	./$(BIN) plot $(OUT)/history/crisis
	./$(BIN) plot $(OUT)/history/commitment
	@grep -v '^#' configs/calibration/crisis.cfg > $(OUT)/history/shipped.cfg; \
	if grep -v '^#' $(OUT)/history/crisis/calibration.cfg | cmp -s - $(OUT)/history/shipped.cfg; then \
		echo "history: configs/calibration/crisis.cfg is the calibration just made"; \
	else \
		echo "history: the calibration differs from configs/calibration/crisis.cfg; to ship it:"; \
		echo "  cp $(OUT)/history/crisis/calibration.cfg configs/calibration/crisis.cfg"; \
		echo "  and copy its settings into the challenger group of configs/default.cfg"; \
	fi

bench: deps
	@$(MAKE) --no-print-directory $(BIN)
	sh scripts/bench.sh

# 'make install PREFIX=/usr/local DESTDIR=' installs the program as gsim
# with its data (configs/, plots/) in PREFIX/share/gsim, where it finds
# them from its own location (sim/core/datadir.c), man pages (made by
# scripts/mkman.sh from each command's --help and man/*.txt), bash
# completion and the documents; 'make uninstall' with the same PREFIX and
# DESTDIR removes exactly those files, and the directories of gsim's own
# left empty. 'make man' writes the man pages into $(B)/man/.
PREFIX     ?= /usr/local
I_BIN      := $(PREFIX)/bin
I_DATA     := $(PREFIX)/share/gsim
I_MAN      := $(PREFIX)/share/man/man1
I_DOC      := $(PREFIX)/share/doc/gsim
I_COMP     := $(PREFIX)/share/bash-completion/completions
MAN_B      := $(B)/man
DATA_FILES := $(filter-out %~,$(wildcard configs/*.* configs/*/*.* plots/*.*))
DOC_FILES  := README.md $(filter-out %~,$(wildcard docs/*.* docs/*/*.*))
I_DIRS     := $(addprefix $(DESTDIR)$(I_DATA)/,$(patsubst %/,%,$(sort $(dir $(DATA_FILES))))) \
	$(addprefix $(DESTDIR)$(I_DOC)/,$(filter-out .,$(patsubst %/,%,$(sort $(dir $(DOC_FILES))))))
# The recipes quote every path, so none may hold a space, a quote or a
# backslash.
i_bad = $(if $(filter-out 1,$(words x$($(1))x)),$(1) holds a space; )$(if \
	$(findstring ",$($(1)))$(findstring ',$($(1)))$(findstring \,$($(1))),$(1) holds a quote or a backslash; )
ifneq ($(filter install uninstall man,$(MAKECMDGOALS)),)
I_ERR := $(call i_bad,PREFIX)$(call i_bad,DESTDIR)$(if $(filter /%,$(PREFIX)),,PREFIX is not an absolute path; )
ifneq ($(strip $(I_ERR)),)
$(error make $(filter install uninstall man,$(MAKECMDGOALS)): $(I_ERR)PREFIX must be an \
	absolute path, and neither PREFIX nor DESTDIR may hold spaces, quotes or backslashes)
endif
endif
.PHONY: install uninstall man

man: $(BIN)
	@sh scripts/mkman.sh "$(BIN)" "$(MAN_B)" "$(PREFIX)"

install: $(BIN) man
	install -d -m 755 "$(DESTDIR)$(I_BIN)" "$(DESTDIR)$(I_MAN)" "$(DESTDIR)$(I_COMP)" \
		$(foreach d,$(I_DIRS),"$(d)")
	install -m 755 "$(BIN)" "$(DESTDIR)$(I_BIN)/gsim"
	install -m 644 completion/gsim.bash "$(DESTDIR)$(I_COMP)/gsim"
	install -m 644 "$(MAN_B)"/*.1 "$(DESTDIR)$(I_MAN)"
	@set -e; for f in $(DATA_FILES); do install -m 644 "$$f" "$(DESTDIR)$(I_DATA)/$$f"; done
	@set -e; for f in $(DOC_FILES); do install -m 644 "$$f" "$(DESTDIR)$(I_DOC)/$$f"; done
	@echo "installed gsim into $(DESTDIR)$(PREFIX): bin/gsim, share/gsim, share/man/man1," \
		"share/doc/gsim, share/bash-completion/completions/gsim"

uninstall:
	rm -f "$(DESTDIR)$(I_BIN)/gsim" "$(DESTDIR)$(I_COMP)/gsim" "$(DESTDIR)$(I_MAN)/gsim.1" \
		"$(DESTDIR)$(I_MAN)"/gsim-*.1
	@for f in $(DATA_FILES); do rm -f "$(DESTDIR)$(I_DATA)/$$f"; done
	@for f in $(DOC_FILES); do rm -f "$(DESTDIR)$(I_DOC)/$$f"; done
	@for d in $(foreach d,$(I_DIRS) $(DESTDIR)$(I_DATA) $(DESTDIR)$(I_DOC),"$(d)"); do \
		echo "$$d"; done | LC_ALL=C sort -r | while read -r d; do \
		[ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || echo "uninstall: kept $$d: not empty" >&2; \
	done

FORCE:

clean:
	rm -rf build build-san build-mpi build-fuzz bin

-include $(OBJS:.o=.d) $(TESTUTIL:.o=.d) $(TESTS:=.d) $(B)/tests/fuzz_one.d
