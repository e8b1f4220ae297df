/*
 * Languages as directories name them ("Polish", "Haitian Creole", "pl"),
 * made the ISO 639-1 codes kith's feeds hold: one table for every format.
 */
#include "import/import_int.h"

#include <string.h>
#include <strings.h>

static const struct {
	const char *name, *code;
} language_names[] = {
	{"albanian", "sq"},   {"amharic", "am"},    {"arabic", "ar"},          {"bangla", "bn"},
	{"bengali", "bn"},    {"bosnian", "bs"},    {"bulgarian", "bg"},       {"burmese", "my"},
	{"cantonese", "zh"},  {"catalan", "ca"},    {"chinese", "zh"},         {"creole", "ht"},
	{"croatian", "hr"},   {"czech", "cs"},      {"danish", "da"},          {"dutch", "nl"},
	{"english", "en"},    {"estonian", "et"},   {"farsi", "fa"},           {"finnish", "fi"},
	{"french", "fr"},     {"gaelic", "gd"},     {"german", "de"},          {"greek", "el"},
	{"gujarati", "gu"},   {"haitian", "ht"},    {"haitian creole", "ht"},  {"hausa", "ha"},
	{"hebrew", "he"},     {"hindi", "hi"},      {"hungarian", "hu"},       {"igbo", "ig"},
	{"indonesian", "id"}, {"irish", "ga"},      {"italian", "it"},         {"japanese", "ja"},
	{"khmer", "km"},      {"korean", "ko"},     {"kurdish", "ku"},         {"lao", "lo"},
	{"latvian", "lv"},    {"lithuanian", "lt"}, {"malay", "ms"},           {"malayalam", "ml"},
	{"mandarin", "zh"},   {"nepali", "ne"},     {"norwegian", "no"},       {"pashto", "ps"},
	{"persian", "fa"},    {"polish", "pl"},     {"portuguese", "pt"},      {"punjabi", "pa"},
	{"romanian", "ro"},   {"russian", "ru"},    {"scottish gaelic", "gd"}, {"serbian", "sr"},
	{"sinhala", "si"},    {"slovak", "sk"},     {"somali", "so"},          {"spanish", "es"},
	{"swahili", "sw"},    {"swedish", "sv"},    {"tagalog", "tl"},         {"tamil", "ta"},
	{"telugu", "te"},     {"thai", "th"},       {"tigrinya", "ti"},        {"turkish", "tr"},
	{"ukrainian", "uk"},  {"urdu", "ur"},       {"vietnamese", "vi"},      {"welsh", "cy"},
	{"yiddish", "yi"},    {"yoruba", "yo"},
};

const char *kith_import_language(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(language_names) / sizeof(language_names[0]); i++)
		if ((strlen(language_names[i].name) == len && strncasecmp(word, language_names[i].name, len) == 0) ||
		    (len == 2 && strncasecmp(word, language_names[i].code, 2) == 0))
			return language_names[i].code;
	return NULL;
}
