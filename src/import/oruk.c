/* The oruk reader (import_int.h): not written yet. */
#include "import/import_int.h"

int kith_import_oruk(importer *im, const char *path)
{
	return kith_import_fail(im, KITH_EINVALID, 0, 0, "importing %s is not written yet", path);
}
