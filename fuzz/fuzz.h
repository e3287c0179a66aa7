/*
 * fuzz.h — shared declarations of the libFuzzer harnesses (targets.c) and
 * the backend stub layer (pg_stubs.c).
 */
#ifndef INTEGRITY_FUZZ_H
#define INTEGRITY_FUZZ_H

#include "postgres.h"
#include "fmgr.h"

/* the fixed "current date" of the harness (cnid's future-date rule) */
#define FUZZ_TODAY_Y 2026
#define FUZZ_TODAY_M 12
#define FUZZ_TODAY_D 1

typedef struct FuzzError
{
	int			elevel;
	int			sqlerrcode;
	const char *filename;
	int			lineno;
	const char *funcname;
	char		message[1024];
	char		detail[1024];
	char		hint[1024];
} FuzzError;

extern FuzzError fuzz_error;

extern void fuzz_reset_memory(void);
extern bool fuzz_valid_utf8(const char *s, int len);
extern Datum fuzz_call(PGFunction func, int nargs, Datum arg1, Datum arg2);
extern void fuzz_unstubbed(const char *name) pg_attribute_noreturn();
extern void fuzz_fail(const char *fmt,...) pg_attribute_printf(1, 2) pg_attribute_noreturn();

#endif
