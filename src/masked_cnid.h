/*
 * masked_cnid.h — masked resident identity numbers (masked_cnid.c), the part
 * that name screening (names.c) uses to weigh a number against a mask.
 */
#ifndef INTEGRITY_CNID_MASK_H
#define INTEGRITY_CNID_MASK_H

#include "postgres.h"

/* A masked_cnid value: the 18 canonical positions, '0'-'9', 'X' or '*'. */
#define CNID_MASK_LEN 18
typedef struct CnidMask
{
	char		c[CNID_MASK_LEN];
} CnidMask;

/*
 * What a full number has in common with a mask, position group by position
 * group.  For each group: how many of its positions the mask shows, and
 * whether the number agrees with all of them.
 */
typedef struct CnidMaskAgreement
{
	bool		matches;		/* the number agrees with every visible position */
	int			region_visible; /* of positions 1-6 */
	bool		region_agrees;
	int			date_visible;	/* of positions 7-14 */
	bool		date_agrees;
	int			seq_visible;	/* of positions 15-17 */
	bool		seq_agrees;
	bool		sex_visible;	/* position 17 (odd: man, even: woman) */
	bool		sex_agrees;
	bool		check_visible;	/* position 18 */
	bool		check_agrees;
} CnidMaskAgreement;

/* Compare a stored cnid body with a mask. */
extern void masked_cnid_agreement(int64 body, const CnidMask *mask, CnidMaskAgreement *out);

#endif							/* INTEGRITY_CNID_MASK_H */
