/*
 * src/lead_crm.h - declarations shared by the PostgreSQL glue of lead_crm.
 */
#ifndef LEAD_CRM_H
#define LEAD_CRM_H

#include "postgres.h"

#include "fmgr.h"

/* a text argument as (pointer, length) without detoasting copies (fuzzystrmatch) */
#define LC_ARG_TEXT(n, ptr, len) \
	do { \
		text	   *t_ = PG_GETARG_TEXT_PP(n); \
		(ptr) = VARDATA_ANY(t_); \
		(len) = VARSIZE_ANY_EXHDR(t_); \
	} while (0)

#endif							/* LEAD_CRM_H */
