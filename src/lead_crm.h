/*
 * src/lead_crm.h - declarations shared by the PostgreSQL glue of lead_crm.
 */
#ifndef LEAD_CRM_H
#define LEAD_CRM_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "fmgr.h"
#include "utils/jsonb.h"

/* a text argument as (pointer, length) without detoasting copies (fuzzystrmatch) */
#define LC_ARG_TEXT(n, ptr, len) \
	do { \
		text	   *t_ = PG_GETARG_TEXT_PP(n); \
		(ptr) = VARDATA_ANY(t_); \
		(len) = VARSIZE_ANY_EXHDR(t_); \
	} while (0)

/* tenant.c: settings, tenancy, restore detection */
extern void lc_tenant_init(void);
extern int32 lc_tenant_setting(void);
extern const char *lc_actor(void);
extern const char *lc_reason(void);
extern bool lc_auto_assign(void);
extern bool lc_allow_duplicate(void);
extern bool lc_restoring(void);
extern bool lc_override_guards(void);

/*
 * config.c: per-backend cache of a tenant's configuration, dropped whenever a
 * configuration table changes (they carry the config_changed() trigger).
 * Modules with caches of their own compare lc_config_generation() instead.
 */
typedef struct LcField
{
	char	   *field;			/* lead column */
	char	   *label;			/* in the tenant's language */
	bool		required;
} LcField;

typedef enum LcCustomType
{
	LC_CUSTOM_TEXT,
	LC_CUSTOM_INTEGER,
	LC_CUSTOM_NUMBER,
	LC_CUSTOM_BOOLEAN,
	LC_CUSTOM_DATE,
	LC_CUSTOM_CHOICE,
	LC_CUSTOM_MULTICHOICE,
	LC_CUSTOM_EMAIL,
	LC_CUSTOM_URL
} LcCustomType;

typedef struct LcCustomField
{
	char	   *name;
	char	   *label;
	LcCustomType type;
	bool		required;
	int			nallowed;
	char	  **allowed;
} LcCustomField;

typedef struct LcCatalogItem
{
	char	   *catalog;		/* source, medium, industry, tag, ..., campaign */
	char	   *code;
	char	   *label;			/* in the tenant's language */
	char	   *code_fold;
	char	   *label_vi_fold;
	char	   *label_en_fold;
} LcCatalogItem;

typedef struct LcTenantConfig
{
	int32		tenant_id;
	bool		english;		/* labels in English rather than Vietnamese */
	bool		strict_catalogues;
	int			nfields;
	LcField    *fields;
	int			ncustom;
	LcCustomField *custom;
	int			ncatalog;
	LcCatalogItem *catalog;
} LcTenantConfig;

extern uint64 lc_config_generation(void);
extern void lc_ensure_tenant(int32 tenant_id);
extern const LcTenantConfig *lc_tenant_config(int32 tenant_id);
extern const char *lc_field_label(const LcTenantConfig *cfg, const char *field);

/* text.c: ERROR unless the database is UTF-8, which the Vietnamese core reads */
extern void lc_check_utf8_database(void);

/* security.c: the tenant a role may use, and what it may see in it */
extern int32 lc_current_tenant(void);
/* security.c */
extern bool lc_role_may_configure(void);
extern void lc_create_tenant(int32 tenant_id, const char *name, const char *language,
							 bool explicit_call);

/* history.c */
extern void lc_history_init(void);
extern bool lc_lead_tracked_change(TupleDesc desc, HeapTuple oldtup, HeapTuple newtup);

/* custom_field.c */
extern void lc_validate_custom(const LcTenantConfig *cfg, Jsonb *custom, int64 lead_id);
extern bool lc_custom_value_missing(Jsonb *custom, const char *name);

/* lead.c */
extern bool lc_value_missing(Datum value, bool isnull, Oid type);

#endif							/* LEAD_CRM_H */
