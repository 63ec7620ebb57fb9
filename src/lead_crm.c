/*
 * src/lead_crm.c - module magic and initialization of every lead_crm module.
 */
#include "postgres.h"

#include "fmgr.h"

#include "lead_crm.h"

#if PG_VERSION_NUM >= 180000
PG_MODULE_MAGIC_EXT(.name = "lead_crm", .version = "0.2.0");
#else
PG_MODULE_MAGIC;
#endif

void		_PG_init(void);

void
_PG_init(void)
{
	lc_tenant_init();
	lc_history_init();
}
