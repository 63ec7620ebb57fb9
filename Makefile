# lead_crm - PGXS build. `make demo` and `make test` are the two entry points
# (README.md); the rest is the usual PGXS install plus C unit tests and fuzzing.

EXTENSION  = lead_crm
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = lead_crm
CORE_SRCS  = $(sort $(wildcard src/core/*.c))
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)) $(CORE_SRCS))

# One concatenation of sql/NN_*.sql is the install script (pgvector's DATA_built).
# Every statement of the parts can run twice, so the upgrade from the previous
# release is the same parts between a version-specific prologue and epilogue
# (sql/upgrade/). Released scripts are committed and never edited.
PREV_VERSION = 0.1.0
SQL_PARTS  = $(sort $(wildcard sql/[0-9][0-9]_*.sql))
UPGRADE    = sql/$(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql $(UPGRADE)
DATA       = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

# Inputs in test/sql, expected outputs in ./expected (pg_regress looks in the
# output directory first). Vietnamese tests need UTF8 and no locale surprises.
REGRESS      = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test --encoding=UTF8 --no-locale \
               --load-extension=pg_trgm --load-extension=$(EXTENSION)

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS   = $(if $(WERROR),-Werror)
EXTRA_CLEAN = .build results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies (no --enable-depend): rebuild on any header change.
$(OBJS): $(wildcard src/*.h src/core/*.h src/core/generated/*.h)

sql/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control
	cat $(SQL_PARTS) > $@

$(UPGRADE): sql/upgrade/$(PREV_VERSION)--$(EXTVERSION).pre.sql $(SQL_PARTS) sql/upgrade/$(PREV_VERSION)--$(EXTVERSION).post.sql
	cat $^ > $@

# ---- C core without a server: unit tests and fuzzing (clang, ASan + UBSan) ----
SAN_CC     ?= clang
SAN_FLAGS   = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all -Wall -Wextra -Werror -std=c11 -Isrc
CORE_HDRS   = $(wildcard src/core/*.h src/core/generated/*.h)
UNIT_BINS   = $(patsubst test/unit/%.c,.build/unit/%,$(sort $(wildcard test/unit/test_*.c)))
FUZZ_BINS   = $(patsubst test/fuzz/%.c,.build/fuzz/%,$(sort $(wildcard test/fuzz/fuzz_*.c)))
FUZZ_SECONDS ?= 5

.build/unit/%: test/unit/%.c test/unit/unit.h $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_FLAGS) -o $@ $< $(CORE_SRCS) -lm

.build/fuzz/%: test/fuzz/%.c $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_FLAGS) -fsanitize=fuzzer -o $@ $< $(CORE_SRCS) -lm

.PHONY: unit fuzz fuzz-run test demo
unit: $(UNIT_BINS)
fuzz: $(FUZZ_BINS)

# Short fuzz run of every harness, seeded from test/fuzz/corpus/<name>.
fuzz-run: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p .build/corpus/$$n; \
		seeds=; [ -d test/fuzz/corpus/$$n ] && seeds=test/fuzz/corpus/$$n; \
		echo "fuzzing $$n for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -rss_limit_mb=2048 \
			-print_final_stats=0 .build/corpus/$$n $$seeds 2>.build/$$n.log \
			|| { tail -50 .build/$$n.log; exit 1; }; \
	done

test:
	tools/run-tests.sh

demo:
	tools/demo.sh
