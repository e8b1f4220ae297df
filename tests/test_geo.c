/*
 * Great-circle distances, outward codes and the postcode district table.
 */
#include "support.h"

#include <string.h>

#include "model/geo.h"
#include "kith/common.h"

static void test_distance(void **state)
{
	(void)state;
	/* London (Charing Cross) to Cambridge (market square) */
	assert_float_equal(kith_geo_distance_km(51.5074, -0.1278, 52.2053, 0.1218), 79.5, 0.5);
	assert_float_equal(kith_geo_distance_km(52.2053, 0.1218, 51.5074, -0.1278), 79.5, 0.5);
	assert_float_equal(kith_geo_distance_km(52.0826, 0.4390, 52.0826, 0.4390), 0.0, 1e-9);
	/* a venue and a home in Haverhill, under a kilometre apart */
	assert_float_equal(kith_geo_distance_km(52.0826, 0.4390, 52.0790, 0.4300), 0.73, 0.02);
	/* half the earth's circumference, and pole to pole */
	assert_float_equal(kith_geo_distance_km(0, 0, 0, 180), 20015.1, 1.0);
	assert_float_equal(kith_geo_distance_km(90, 0, -90, 0), 20015.1, 1.0);
	/* across the antimeridian is short, not the long way round */
	assert_float_equal(kith_geo_distance_km(0, 179.5, 0, -179.5), 111.2, 0.5);
}

static void assert_outward(const char *text, const char *expected)
{
	char out[8] = "unset";

	assert_int_equal(kith_geo_outward_code(out, sizeof(out), text), 0);
	assert_string_equal(out, expected);
}

static void assert_not_postcode(const char *text)
{
	char out[8];

	assert_int_equal(kith_geo_outward_code(out, sizeof(out), text), KITH_EINVALID);
}

static void test_outward_code(void **state)
{
	(void)state;
	assert_outward("cb9 8ar", "CB9");
	assert_outward("CB9 8AR", "CB9");
	assert_outward("CB98AR", "CB9");
	assert_outward(" CB9 ", "CB9");
	assert_outward("SW1A 1AA", "SW1A");
	assert_outward("sw1a1aa", "SW1A");
	assert_outward("W1", "W1");
	assert_outward("W1A 0AX", "W1A");
	assert_outward("M1 1AE", "M1");
	assert_outward("EC1A 1BB", "EC1A");
	assert_outward("DY14 8NT", "DY14");
	assert_outward("SY8", "SY8");

	assert_not_postcode("12345");
	assert_not_postcode("hello");
	assert_not_postcode("");
	assert_not_postcode("   ");
	assert_not_postcode("CB9-8AR");
	assert_not_postcode("ABC1 1AA");
	assert_not_postcode("1AB 1AA");
	assert_not_postcode("CB9 8AR 1");
	assert_not_postcode("xyz");
}

static void test_outward_code_small_buffer(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(kith_geo_outward_code(out, sizeof(out), "CB9 8AR"), 0);
	assert_string_equal(out, "CB9");
	/* "SW1A" and its NUL need five bytes */
	assert_int_equal(kith_geo_outward_code(out, sizeof(out), "SW1A 1AA"), KITH_EINVALID);
}

static void test_postcode_point(void **state)
{
	double lat = 0, lon = 0;

	(void)state;
	/* a postcode resolves to its district's centroid */
	assert_int_equal(kith_geo_postcode_point("SY8 1RZ", &lat, &lon), 0);
	assert_float_equal(lat, 52.3654, 0.001);
	assert_float_equal(lon, -2.6969, 0.001);
	assert_int_equal(kith_geo_postcode_point("sy8 2ju", &lat, &lon), 0);
	assert_float_equal(lat, 52.3654, 0.001);
	assert_int_equal(kith_geo_postcode_point("CB9 8AR", &lat, &lon), 0);
	assert_float_equal(kith_geo_distance_km(lat, lon, 52.0826, 0.4390), 0.0, 3.0);
	assert_int_equal(kith_geo_postcode_point("SW1A 1AA", &lat, &lon), 0);
	assert_float_equal(lat, 51.50, 0.05);
	assert_float_equal(lon, -0.13, 0.05);
	assert_int_equal(kith_geo_postcode_point("BT1 1AA", &lat, &lon), 0);
	assert_float_equal(lat, 54.60, 0.05);
}

static void test_postcode_point_failures(void **state)
{
	double lat = 1.5, lon = 2.5;

	(void)state;
	assert_int_equal(kith_geo_postcode_point("ZZ9 9ZZ", &lat, &lon), KITH_ENOTFOUND);
	assert_int_equal(kith_geo_postcode_point("QQ1", &lat, &lon), KITH_ENOTFOUND);
	assert_int_equal(kith_geo_postcode_point("12345", &lat, &lon), KITH_EINVALID);
	assert_int_equal(kith_geo_postcode_point("hello", &lat, &lon), KITH_EINVALID);
	assert_int_equal(kith_geo_postcode_point("", &lat, &lon), KITH_EINVALID);
	/* nothing is written on failure */
	assert_float_equal(lat, 1.5, 0);
	assert_float_equal(lon, 2.5, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_outward_code),
		cmocka_unit_test(test_outward_code_small_buffer),
		cmocka_unit_test(test_postcode_point),
		cmocka_unit_test(test_postcode_point_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
