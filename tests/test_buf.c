/*
 * kith_buf: formatting without printf agrees with printf, and the size cap
 * holds on every way of appending.
 */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "kith/common.h"

static void test_put_fixed_agrees_with_printf(void **state)
{
	static const double values[] = {0,         1,          -1,         54.3262, -2.74397,    51.5643,   -0.076804,
					0.0000004, -0.0000004, 123456.789, 0.5,     -179.999999, 89.9999996};
	kith_buf got = KITH_BUF_INIT;
	char want[64];
	size_t i;
	int decimals;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		for (decimals = 0; decimals <= 6; decimals++) {
			kith_buf_clear(&got);
			assert_int_equal(kith_buf_put_fixed(&got, values[i], decimals), 0);
			snprintf(want, sizeof(want), "%.*f", decimals, values[i]);
			if (want[0] == '-' && strspn(want + 1, "0.") == strlen(want + 1))
				memmove(want, want + 1, strlen(want)); /* no sign on a zero */
			assert_string_equal(got.ptr, want);
		}
	}
	kith_buf_release(&got);
}

static void test_put_int(void **state)
{
	kith_buf b = KITH_BUF_INIT;

	(void)state;
	kith_buf_put_int(&b, 0);
	kith_buf_putc(&b, ' ');
	kith_buf_put_int(&b, -42);
	kith_buf_putc(&b, ' ');
	kith_buf_put_int(&b, 9223372036854775807LL);
	kith_buf_putc(&b, ' ');
	kith_buf_put_int(&b, -9223372036854775807LL - 1);
	assert_string_equal(b.ptr, "0 -42 9223372036854775807 -9223372036854775808");
	kith_buf_release(&b);
}

static void test_printf_grows_and_respects_the_limit(void **state)
{
	kith_buf b;
	int i;

	(void)state;
	kith_buf_init(&b, 100);
	for (i = 0; i < 9; i++)
		assert_int_equal(kith_buf_printf(&b, "%s%d", "ten chars", i), 0); /* 90 bytes, through growth */
	assert_int_equal(b.size, 90);
	assert_int_equal(strlen(b.ptr), 90);
	assert_int_equal(kith_buf_printf(&b, "%s", "eleven char"), KITH_ETOOLARGE);
	assert_int_equal(b.size, 90); /* unchanged, still a string */
	assert_int_equal(strlen(b.ptr), 90);
	kith_buf_clear(&b);
	assert_int_equal(kith_buf_printf(&b, "%s", "ten chars!"), 0);
	assert_int_equal(b.size, 10);
	kith_buf_release(&b);
}

/* After one failed append every later one fails the same way, so a long text is checked once. */
static void test_the_first_error_is_remembered_until_cleared(void **state)
{
	kith_buf b;

	(void)state;
	kith_buf_init(&b, 8);
	assert_int_equal(kith_buf_error(&b), 0);
	assert_int_equal(kith_buf_puts(&b, "abcdef"), 0);
	assert_int_equal(kith_buf_puts(&b, "ghi"), KITH_ETOOLARGE);
	assert_int_equal(kith_buf_error(&b), KITH_ETOOLARGE);
	/* each way of appending now refuses, even what would fit */
	assert_int_equal(kith_buf_putc(&b, 'x'), KITH_ETOOLARGE);
	assert_int_equal(kith_buf_put(&b, "", 0), KITH_ETOOLARGE);
	assert_int_equal(kith_buf_printf(&b, "%d", 1), KITH_ETOOLARGE);
	assert_int_equal(kith_buf_put_int(&b, 7), KITH_ETOOLARGE);
	assert_int_equal(kith_buf_put_fixed(&b, 1.5, 1), KITH_ETOOLARGE);
	assert_string_equal(b.ptr, "abcdef");
	assert_int_equal(kith_buf_error(&b), KITH_ETOOLARGE);
	kith_buf_clear(&b);
	assert_int_equal(kith_buf_error(&b), 0);
	assert_int_equal(kith_buf_puts(&b, "fresh"), 0);
	assert_string_equal(b.ptr, "fresh");
	kith_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_fixed_agrees_with_printf),
		cmocka_unit_test(test_put_int),
		cmocka_unit_test(test_printf_grows_and_respects_the_limit),
		cmocka_unit_test(test_the_first_error_is_remembered_until_cleared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
