# integrity — PGXS build.
#
# The extension script is assembled from one SQL fragment per concept,
# src/<concept>.sql, in the order of CONCEPTS (later concepts use earlier
# ones), next to the C file of the same name.  src/catalog.sql comes last:
# the comments of 1.0's objects and the move of internal helpers into the
# schema integrity_internal (a rule over the whole catalogue).
#
# Released versions are frozen: upgrade/integrity--1.0.sql and
# upgrade/integrity--1.1.sql are the scripts 1.0 and 1.1 shipped with and are
# never edited.  Every change to the extension's SQL objects since 1.1 is
# written twice: in src/<concept>.sql (a fresh install of the current
# version) and in the update script upgrade/integrity--1.1--1.2.sql.
# test/upgrade.sh proves that every road (1.0 -> 1.2, 1.1 -> 1.2) reaches the
# catalogue of a fresh install.

EXTENSION  = integrity
EXTVERSION = 1.2
MODULE_big = integrity

CONCEPTS  = iscore scheme redline assessment index cnid uscc masked_cnid normalize blacklist listed portrait screening names catalog
SQL_PARTS = $(wildcard $(foreach c,$(CONCEPTS),src/$(c).sql))
OBJS      = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
# name screening (src/names.c) uses ICU's normaliser and transforms
PG_CPPFLAGS += $(shell pkg-config --cflags icu-uc icu-i18n)
SHLIB_LINK  += $(shell pkg-config --libs icu-uc icu-i18n)

DATA       = upgrade/$(EXTENSION)--1.0.sql upgrade/$(EXTENSION)--1.0.control \
             upgrade/$(EXTENSION)--1.0--1.1.sql \
             upgrade/$(EXTENSION)--1.1.sql upgrade/$(EXTENSION)--1.1.control \
             upgrade/$(EXTENSION)--1.1--1.2.sql
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
EXTRA_CLEAN = $(DATA_built)

REGRESS      := $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=$(EXTENSION)
ISOLATION      := $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --load-extension=$(EXTENSION)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) Makefile
	cat $(SQL_PARTS) > $@


# The three commands of the README.  Each sets up what is missing (Debian
# packages, build, install, a throwaway cluster) by itself.
.PHONY: test demo bench fuzz sanitize
test:
	@bash tools/test.sh
demo:
	@bash demo/report.sh
bench:
	@bash bench/run.sh

# Reliability runs, not part of `make test`: libFuzzer over the parsers and
# binary decoders (FUZZ_SECONDS per target, optionally FUZZ_TARGETS and
# FUZZ_RUNS), and the whole suite against an AddressSanitizer/UBSan build of
# PostgreSQL (built once into /var/cache/integrity-sanitize).
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_RUNS="$(FUZZ_RUNS)" bash tools/fuzz.sh $(FUZZ_SECONDS)
sanitize:
	@bash tools/sanitize.sh
