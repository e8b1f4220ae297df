/*
 * The AIRS XML reader's two halves: airs.c streams the file (an Agency's
 * own elements, then each of its Sites as a small tree), airs_map.c maps
 * one Site's services to groups.
 */
#ifndef KITH_IMPORT_AIRS_H
#define KITH_IMPORT_AIRS_H

#include <libxml/tree.h>

#include "feed/xml.h"
#include "import/import_int.h"

/* A ServiceGroup of an agency: the name of the services that name its Key. */
typedef struct airs_service_group {
	const char *key;
	const char *name;
} airs_service_group;

/* What one Agency says of itself, for each of its services. */
typedef struct airs_agency {
	kith_arena arena; /* owned: the strings below, reset for each agency */
	const char *key, *name, *description;
	const char *phone, *web, *email;
	const char *updated; /* YYYY-MM-DD, from its ResourceInfo */
	airs_service_group *groups;
	size_t group_count;
	int gone; /* Status inactive or defunct, or marked deleted */
} airs_agency;

/*
 * Emits a group for each SiteService of site (a Site or, with
 * is_location, the AgencyLocation: a tree, borrowed), or one for a Site
 * that has none.  x locates messages.  0, or KITH_ENOMEM.
 */
int airs_map_site(importer *im, kith_xml *x, const airs_agency *agency, const xmlNode *site, int is_location);

/* The trimmed text inside n, in a; NULL when empty (or on ENOMEM). */
const char *airs_text(kith_arena *a, const xmlNode *n);
/* The first element child of n named name (any namespace), or NULL. */
const xmlNode *airs_child(const xmlNode *n, const char *name);
/* The next element sibling after n named name, or NULL. */
const xmlNode *airs_next(const xmlNode *n, const char *name);
/* An attribute without namespace (borrowed), or NULL. */
const char *airs_attr(const xmlNode *n, const char *name);
/* 1 when n says it is no longer there: Status inactive or defunct, or delete true. */
int airs_gone(const xmlNode *n);
/* The first PhoneNumber, URL or Email Address under the n's children named name, in a; NULL when none. */
const char *airs_contact(kith_arena *a, const xmlNode *n, const char *name, const char *field);
/* The date n's ResourceInfo was last verified (else last acted on), as YYYY-MM-DD in im->arena, or NULL. */
const char *airs_updated(importer *im, const xmlNode *n);

#endif
