/*
 * module.c — the library's entry point: the module magic block and
 * _PG_init, which registers the settings of every concept that has any
 * (integrity.scheme, see scheme.c), the cache callbacks of listed()
 * (listed.c), the screening scan's setting and planner hook (listed_scan.c) and the reloptions of the blacklist index access method with its
 * cache invalidation hook (blacklist_utils.c), and then reserves the prefix
 * "integrity.", so that a misspelt setting (integrity.schemee) is refused
 * instead of silently kept as a placeholder.
 *
 * Retired settings: 1.0 had integrity.listed_build_threshold and
 * integrity.listed_max_memory (listed()'s in-memory index, gone since 1.1).
 * A 1.0 database may still carry them (ALTER DATABASE/ROLE ... SET,
 * postgresql.conf); once the prefix is reserved, an undefined name there
 * would print "invalid configuration parameter name" in every session.  They
 * are therefore defined as placeholders that accept any value and do
 * nothing, hidden from SHOW ALL, pg_settings and postgresql.conf.sample.
 *
 * Also what every concept shares about the server: the Chinese names the C
 * code compares with (indicator classes, assessors, ...) are UTF-8 in the
 * source and are compared in the server encoding (module.h).  The supported
 * server encodings are UTF8 and EUC_CN (GB2312, which holds every name the
 * extension uses); clients may use any client encoding PostgreSQL converts
 * to the server's (GB18030 and GBK convert to UTF8 only); the install script
 * refuses the others.
 *
 * And the length check every binary receive function makes before it reads
 * (integrity_recv_need): a short value is 22P03, not a protocol error.
 */
#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "module.h"
#include "scheme.h"

PG_MODULE_MAGIC;

void		_PG_init(void);
extern void listed_init(void);
extern void blacklist_init(void);
extern void listed_scan_init(void);

/* the retired settings' values: kept, never read */
static char *retired_listed_build_threshold = NULL;
static char *retired_listed_max_memory = NULL;

static void
define_retired_setting(const char *name, char **var)
{
	DefineCustomStringVariable(name,
							   "Retired in version 1.1: accepted for compatibility, has no effect.",
							   NULL,
							   var,
							   "",
							   PGC_USERSET,
							   GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE,
							   NULL, NULL, NULL);
}

void
_PG_init(void)
{
	scheme_init();
	listed_init();
	listed_scan_init();
	blacklist_init();
	define_retired_setting("integrity.listed_build_threshold", &retired_listed_build_threshold);
	define_retired_setting("integrity.listed_max_memory", &retired_listed_max_memory);
	MarkGUCPrefixReserved("integrity");
}

/* ---------------------------------------------------------------------
 * Names in the server encoding
 * --------------------------------------------------------------------- */

typedef struct ServerName
{
	const char *utf8;			/* the literal (identity of the entry) */
	const char *server;			/* NULL: not representable */
	int			len;
} ServerName;

#define MAX_SERVER_NAMES 32
static ServerName server_names[MAX_SERVER_NAMES];
static int	n_server_names = 0;

const char *
integrity_server_name(const char *utf8, int *len)
{
	int			enc = GetDatabaseEncoding();
	int			i;
	const char *server = NULL;

	if (enc == PG_UTF8 || enc == PG_SQL_ASCII)
	{
		*len = (int) strlen(utf8);
		return utf8;
	}
	for (i = 0; i < n_server_names; i++)
		if (server_names[i].utf8 == utf8)
		{
			*len = server_names[i].len;
			return server_names[i].server;
		}
	/*
	 * EUC_CN: convert once.  The names are GB2312 characters, so the
	 * conversion cannot fail (test/encodings.sh proves it for each name).
	 * Any other encoding: no text can be the name.
	 */
	if (enc == PG_EUC_CN)
	{
		char	   *conv = pg_any_to_server(utf8, (int) strlen(utf8), PG_UTF8);

		server = MemoryContextStrdup(TopMemoryContext, conv);
		if (conv != utf8)
			pfree(conv);
	}
	if (n_server_names >= MAX_SERVER_NAMES)
		elog(ERROR, "too many names for the server encoding");
	server_names[n_server_names].utf8 = utf8;
	server_names[n_server_names].server = server;
	server_names[n_server_names].len = server ? (int) strlen(server) : 0;
	*len = server_names[n_server_names].len;
	n_server_names++;
	return server;
}

bool
integrity_name_eq(const char *s, int len, const char *utf8)
{
	int			nlen;
	const char *name = integrity_server_name(utf8, &nlen);

	return name != NULL && len == nlen && memcmp(s, name, len) == 0;
}

/* ---------------------------------------------------------------------
 * Binary input
 * --------------------------------------------------------------------- */

void
integrity_recv_need(StringInfo buf, int nbytes, const char *typname)
{
	Assert(nbytes >= 0);
	if (buf->len - buf->cursor < nbytes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: value too short", typname),
				 errdetail_plural("The value has %d byte; its fields need at least %lld.",
								  "The value has %d bytes; its fields need at least %lld.",
								  buf->len, buf->len, (long long) buf->cursor + nbytes)));
}
