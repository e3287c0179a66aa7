/*
 * scheme_sql.c — libFuzzer harness over the text input of the `scheme`
 * domain.
 *
 * scheme has no C parser of its own: its input is the server's record_in
 * for the composite scheme_fields plus the domain's PL/pgSQL check
 * (src/scheme.sql).  So this target drives a live server through libpq
 * (connection from the PG* environment; tools/fuzz.sh starts a throwaway
 * cluster with the extension installed): far slower than the in-process
 * targets, but it checks the real thing.
 *
 * Invariants (a violation aborts, so libFuzzer keeps the input):
 *   1. the server never crashes (the connection stays up) and never
 *      answers with an internal error: a rejected text is a data error —
 *      SQLSTATE class 22 or 23514 (the domain's check);
 *   2. accepted => its output text is accepted again and prints the same;
 *   3. binary and text agree: the binary form (record_send) is accepted
 *      back as a binary parameter and prints the same text;
 *   4. an accepted scheme is usable: grade() and total() of a score under
 *      it are not NULL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

static PGconn *conn;

/* valid UTF-8 (the server's encoding), no NUL: what a client can send */
static int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		unsigned int c = s[i],
					cp,
					n,
					k;

		if (c < 0x80)
		{
			if (c == 0)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 2, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4, cp = c & 0x07;
		else
			return 0;
		if (i + n > len)
			return 0;
		for (k = 1; k < n; k++)
		{
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
			(cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n;
	}
	return 1;
}
static unsigned int scheme_oid;

static void
fail(const char *what, const char *input, PGresult *res)
{
	fprintf(stderr, "\n==FUZZ INVARIANT== scheme: %s: input \"%s\"%s%s%s%s\n",
			what, input,
			res ? " SQLSTATE " : "",
			res && PQresultErrorField(res, PG_DIAG_SQLSTATE) ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : "",
			res ? " " : "",
			res ? PQresultErrorMessage(res) : (conn ? PQerrorMessage(conn) : ""));
	abort();
}

static void
setup(void)
{
	PGresult   *res;

	conn = PQconnectdb("");
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "scheme_sql: cannot connect: %s", PQerrorMessage(conn));
		exit(2);
	}
	res = PQexec(conn, "SELECT 'scheme'::regtype::oid");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fprintf(stderr, "scheme_sql: no type scheme: %s", PQerrorMessage(conn));
		exit(2);
	}
	scheme_oid = (unsigned int) strtoul(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	res = PQprepare(conn, "in", "SELECT $1::text::scheme::text", 1, NULL);
	PQclear(res);
	res = PQprepare(conn, "bin", "SELECT $1::text::scheme", 1, NULL);
	PQclear(res);
	{
		unsigned int types[1] = {scheme_oid};

		res = PQprepare(conn, "recv", "SELECT $1::text", 1, types);
		PQclear(res);
	}
	res = PQprepare(conn, "use",
					"SELECT grade(0, $1::text::scheme) IS NOT NULL"
					" AND total('0+0'::iscore, $1::text::scheme) IS NOT NULL", 1, NULL);
	PQclear(res);
}

/* run a prepared statement on one text parameter */
static PGresult *
run_text(const char *stmt, const char *input, int result_format)
{
	const char *values[1] = {input};
	PGresult   *res = PQexecPrepared(conn, stmt, 1, values, NULL, NULL, result_format);

	if (PQstatus(conn) != CONNECTION_OK)
		fail("the server connection was lost (crash?)", input, NULL);
	return res;
}

static int
is_data_error(PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	return state != NULL &&
		((state[0] == '2' && state[1] == '2') || strcmp(state, "23514") == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *input,
			   *out1;
	PGresult   *res;

	if (conn == NULL)
		setup();
	if (size > 1024 || memchr(data, 0, size) != NULL)
		return -1;
	input = malloc(size + 1);
	memcpy(input, data, size);
	input[size] = '\0';
	if (!valid_utf8((const unsigned char *) input, size))
	{
		free(input);
		return -1;
	}

	res = run_text("in", input, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		if (!is_data_error(res))
			fail("rejected with an error that is not a data error", input, res);
		PQclear(res);
		free(input);
		return 0;
	}
	out1 = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);

	/* 2: the output re-parses to the same text */
	res = run_text("in", out1, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail("the output of an accepted value is rejected", out1, res);
	if (strcmp(PQgetvalue(res, 0, 0), out1) != 0)
		fail("the output re-parses to a different text", out1, res);
	PQclear(res);

	/* 3: binary round trip */
	res = run_text("bin", input, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail("binary output failed", input, res);
	{
		int			len = PQgetlength(res, 0, 0);
		char	   *bin = malloc(len ? len : 1);
		const char *values[1] = {bin};
		int			lengths[1] = {len};
		int			formats[1] = {1};
		PGresult   *r2;

		memcpy(bin, PQgetvalue(res, 0, 0), len);
		PQclear(res);
		r2 = PQexecPrepared(conn, "recv", 1, values, lengths, formats, 0);
		if (PQstatus(conn) != CONNECTION_OK)
			fail("the server connection was lost on binary input (crash?)", input, NULL);
		if (PQresultStatus(r2) != PGRES_TUPLES_OK)
			fail("the binary form of an accepted value is rejected", input, r2);
		if (strcmp(PQgetvalue(r2, 0, 0), out1) != 0)
			fail("binary round trip prints a different text", input, r2);
		PQclear(r2);
		free(bin);
	}

	/* 4: usable */
	res = run_text("use", input, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail("grade()/total() fail under an accepted scheme", input, res);
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		fail("grade() or total() is NULL under an accepted scheme", input, res);
	PQclear(res);

	free(out1);
	free(input);
	return 0;
}
