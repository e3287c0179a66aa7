/*
 * module.h — what every concept shares about the server it runs in: the
 * server encoding of the extension's Chinese names, and the length check of
 * the binary receive functions (module.c).
 */
#ifndef INTEGRITY_MODULE_H
#define INTEGRITY_MODULE_H

#include "postgres.h"

/*
 * A name written in UTF-8 in the C source, in the server encoding: the
 * literal itself in a UTF8 (or SQL_ASCII) database, converted once per
 * backend in an EUC_CN database, NULL in any other encoding (which cannot
 * hold the name; CREATE EXTENSION refuses such databases).  *len receives
 * the length in bytes.  The result lives as long as the backend.
 */
extern const char *integrity_server_name(const char *utf8, int *len);

/* true when a text of len bytes at s is that name */
extern bool integrity_name_eq(const char *s, int len, const char *utf8);

/*
 * Before a receive function reads nbytes more of its value: raises 22P03
 * (invalid_binary_representation) "invalid binary <typname>: value too
 * short" when fewer remain.  PostgreSQL's pq_getmsg* functions would raise
 * 08P01, a protocol error, which is wrong for a malformed value (and for a
 * function like portrait_from_bytea, which is no protocol message at all).
 */
struct StringInfoData;
extern void integrity_recv_need(struct StringInfoData *buf, int nbytes, const char *typname);

#endif
