/*
 * targets.c — libFuzzer harnesses over the input/output functions of the
 * extension's types, linked with the extension's own C files and the stub layer
 * pg_stubs.c.  Compiled once per target:
 *
 *   -DFUZZ_TYPE=<cnid|uscc|masked_cnid|iscore|assessment|portrait>
 *   -DFUZZ_BINARY=0   the input is text for <type>_in (NUL-free, valid UTF-8,
 *                     as the server guarantees; other inputs are skipped)
 *   -DFUZZ_BINARY=1   the input is the payload for <type>_recv (a StringInfo
 *                     with the trailing NUL the server provides)
 *
 * Invariants (a violation aborts, so libFuzzer keeps the input):
 *   1. never crashes: no signal, no AddressSanitizer or UBSan report;
 *   2. a rejected input is a proper error: an ereport with one of the
 *      SQLSTATEs of bad data (text 22P02/22003/22023/22007/22008/54000,
 *      binary 22P03/22003/22023/22007/22008/54000 and 22021 for a bad
 *      encoding; a short value is 22P03, never the protocol's 08P01) — never an elog "can't happen" (XX000) or a corrupt value
 *      (XX001), and binary input never says "invalid text representation";
 *   3. accepted => its output re-parses without error to the same value
 *      (same bytes) and the same text;
 *   4. binary and text agree: send(value) is accepted by recv and gives the
 *      same value, whose output is the same text;
 *   5. binary input is canonical: send(recv(b)) equals the bytes recv read;
 *   6. for portrait, whose README says input accepts exactly the canonical
 *      form: accepted text equals its output.
 */
#include "postgres.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/elog.h"

#include "iscore.h"
#include "assessment.h"
#include "masked_cnid.h"
#include "fuzz.h"

#undef fprintf
#undef vfprintf

extern Datum cnid_in(PG_FUNCTION_ARGS);
extern Datum cnid_out(PG_FUNCTION_ARGS);
extern Datum cnid_recv(PG_FUNCTION_ARGS);
extern Datum cnid_send(PG_FUNCTION_ARGS);
extern Datum uscc_in(PG_FUNCTION_ARGS);
extern Datum uscc_out(PG_FUNCTION_ARGS);
extern Datum uscc_recv(PG_FUNCTION_ARGS);
extern Datum uscc_send(PG_FUNCTION_ARGS);
extern Datum masked_cnid_in(PG_FUNCTION_ARGS);
extern Datum masked_cnid_out(PG_FUNCTION_ARGS);
extern Datum masked_cnid_recv(PG_FUNCTION_ARGS);
extern Datum masked_cnid_send(PG_FUNCTION_ARGS);
extern Datum iscore_in(PG_FUNCTION_ARGS);
extern Datum iscore_out(PG_FUNCTION_ARGS);
extern Datum iscore_recv(PG_FUNCTION_ARGS);
extern Datum iscore_send(PG_FUNCTION_ARGS);
extern Datum assessment_in(PG_FUNCTION_ARGS);
extern Datum assessment_out(PG_FUNCTION_ARGS);
extern Datum assessment_recv(PG_FUNCTION_ARGS);
extern Datum assessment_send(PG_FUNCTION_ARGS);
extern Datum portrait_in(PG_FUNCTION_ARGS);
extern Datum portrait_out(PG_FUNCTION_ARGS);
extern Datum portrait_recv(PG_FUNCTION_ARGS);
extern Datum portrait_send(PG_FUNCTION_ARGS);

typedef struct TypeIO
{
	const char *name;
	PGFunction	in,
				out,
				recv,
				send;
	int			cmp_len;		/* bytes compared; 0: by value; -1: varlena */
	bool		canonical_in;	/* text input accepts only the canonical form */
} TypeIO;

#define IO(t, len, canon) {#t, t##_in, t##_out, t##_recv, t##_send, len, canon}

static const TypeIO types[] = {
	/* cnid and uscc accept white space, x and the 15-digit form */
	IO(cnid, 0, false),
	IO(uscc, 10, false),
	/* masked_cnid: white space and x accepted, the 18 characters stored */
	IO(masked_cnid, CNID_MASK_LEN, false),
	/* iscore: white space, one decimal, trailing zero decimals */
	IO(iscore, sizeof(IScore), false),
	/* the fields; the struct's tail padding is not part of the value */
	IO(assessment, offsetof(Assessment, version) + sizeof(int32), false),
	/* README: "Input accepts exactly this form" */
	IO(portrait, -1, true),
};

#define STR_(x) #x
#define STR(x) STR_(x)

static const TypeIO *T;

void
fuzz_fail(const char *fmt,...)
{
	va_list		args;

	fprintf(stderr, "\n==FUZZ INVARIANT== %s: ", T ? T->name : "?");
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n");
	abort();
}

static sigjmp_buf jb;

/* call f(arg) with ERROR caught; false if it raised */
static bool
try_call(PGFunction f, Datum arg, Datum *result)
{
	volatile bool ok = false;

	PG_exception_stack = &jb;
	if (sigsetjmp(jb, 0) == 0)
	{
		*result = fuzz_call(f, 1, arg, 0);
		ok = true;
	}
	PG_exception_stack = NULL;
	return ok;
}

/* call f(arg); it must not raise */
static Datum
must_call(PGFunction f, Datum arg, const char *what)
{
	Datum		r = 0;

	if (!try_call(f, arg, &r))
		fuzz_fail("%s raised %s: %s (%s) [%s:%d]", what,
				  unpack_sql_state(fuzz_error.sqlerrcode), fuzz_error.message,
				  fuzz_error.detail, fuzz_error.filename, fuzz_error.lineno);
	return r;
}

static void
check_rejection(bool binary)
{
	int			c = fuzz_error.sqlerrcode;
	bool		ok;

	ok = c == ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE ||
		c == ERRCODE_INVALID_PARAMETER_VALUE ||
		c == ERRCODE_INVALID_DATETIME_FORMAT ||
		c == ERRCODE_DATETIME_VALUE_OUT_OF_RANGE ||
		c == ERRCODE_PROGRAM_LIMIT_EXCEEDED ||
		c == ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
	if (binary)
		ok = ok || c == ERRCODE_INVALID_BINARY_REPRESENTATION;
	else
		ok = ok || c == ERRCODE_INVALID_TEXT_REPRESENTATION;
	if (!ok)
		fuzz_fail("%s input rejected with SQLSTATE %s: %s (%s) [%s:%d]",
				  binary ? "binary" : "text", unpack_sql_state(c),
				  fuzz_error.message, fuzz_error.detail,
				  fuzz_error.filename, fuzz_error.lineno);
}

static bool
same_value(Datum a, Datum b)
{
	if (T->cmp_len == 0)
		return a == b;
	if (T->cmp_len > 0)
		return memcmp(DatumGetPointer(a), DatumGetPointer(b), T->cmp_len) == 0;
	return VARSIZE(DatumGetPointer(a)) == VARSIZE(DatumGetPointer(b)) &&
		memcmp(DatumGetPointer(a), DatumGetPointer(b), VARSIZE(DatumGetPointer(a))) == 0;
}

/* a bytea's payload as a recv buffer: exact allocation plus trailing NUL */
static StringInfo
recv_buffer(const char *data, int len)
{
	StringInfo	buf = palloc(sizeof(StringInfoData));

	buf->data = palloc(len + 1);
	memcpy(buf->data, data, len);
	buf->data[len] = '\0';
	buf->len = len;
	buf->maxlen = len + 1;
	buf->cursor = 0;
	return buf;
}

/* invariants 3-4 for an accepted value v */
static void
check_value(Datum v, const char *origin)
{
	char	   *text1,
			   *text2,
			   *text3;
	Datum		v2,
				v3;
	bytea	   *b;
	StringInfo	buf;

	text1 = DatumGetCString(must_call(T->out, v, "output"));
	if (!fuzz_valid_utf8(text1, strlen(text1)))
		fuzz_fail("output of a value from %s is not valid UTF-8", origin);
	v2 = must_call(T->in, CStringGetDatum(text1), "input of the output");
	if (!same_value(v, v2))
		fuzz_fail("value from %s: \"%s\" re-parses to a different value", origin, text1);
	text2 = DatumGetCString(must_call(T->out, v2, "output of the re-parsed value"));
	if (strcmp(text1, text2) != 0)
		fuzz_fail("value from %s: \"%s\" re-parses to \"%s\"", origin, text1, text2);

	b = DatumGetByteaPP(must_call(T->send, v, "send"));
	buf = recv_buffer(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	v3 = must_call(T->recv, PointerGetDatum(buf), "recv of send");
	if (buf->cursor != buf->len)
		fuzz_fail("value from %s: recv left %d of the %d bytes of send", origin,
				  buf->len - buf->cursor, buf->len);
	if (!same_value(v, v3))
		fuzz_fail("value from %s: \"%s\" differs after send/recv", origin, text1);
	text3 = DatumGetCString(must_call(T->out, v3, "output after send/recv"));
	if (strcmp(text1, text3) != 0)
		fuzz_fail("value from %s: \"%s\" is \"%s\" after send/recv", origin, text1, text3);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Datum		v;
	int			rc = 0;

	if (T == NULL)
	{
		for (int i = 0; i < lengthof(types); i++)
			if (strcmp(types[i].name, STR(FUZZ_TYPE)) == 0)
				T = &types[i];
		if (T == NULL)
			fuzz_fail("unknown type " STR(FUZZ_TYPE));
	}
	if (size > 1 << 16)
		return -1;

#if FUZZ_BINARY
	{
		StringInfo	buf = recv_buffer((const char *) data, (int) size);

		if (!try_call(T->recv, PointerGetDatum(buf), &v))
			check_rejection(true);
		else
		{
			int			used = buf->cursor;
			bytea	   *b;

			check_value(v, "recv");
			/* invariant 5: the binary form is canonical */
			b = DatumGetByteaPP(must_call(T->send, v, "send"));
			if (VARSIZE_ANY_EXHDR(b) != used ||
				memcmp(VARDATA_ANY(b), data, used) != 0)
				fuzz_fail("recv accepted %d bytes that send writes differently (%d bytes)",
						  used, (int) VARSIZE_ANY_EXHDR(b));
		}
	}
#else
	{
		size_t		len = strnlen((const char *) data, size);
		char	   *str;

		if (len != size || !fuzz_valid_utf8((const char *) data, (int) len))
			rc = -1;			/* the server never passes such text */
		else
		{
			str = palloc(len + 1);
			memcpy(str, data, len);
			str[len] = '\0';
			if (!try_call(T->in, CStringGetDatum(str), &v))
				check_rejection(false);
			else
			{
				check_value(v, "text input");
				if (T->canonical_in)
				{
					char	   *out = DatumGetCString(must_call(T->out, v, "output"));

					if (strcmp(out, str) != 0)
						fuzz_fail("non-canonical text accepted: \"%s\" (canonical \"%s\")",
								  str, out);
				}
			}
		}
	}
#endif
	fuzz_reset_memory();
	return rc;
}
