/*
 * Words in kith's own texts (see words.h).
 */
#include "text/words.h"

#include <stdio.h>
#include <string.h>

const char *kith_word_next(const char **list, size_t *len)
{
	const char *p = *list, *word;

	if (!p)
		return NULL;
	while (*p == ' ')
		p++;
	if (!*p) {
		*list = p;
		return NULL;
	}
	word = p;
	p += strcspn(p, " ");
	*len = (size_t)(p - word);
	*list = p;
	return word;
}

int kith_word_in(const char *list, const char *word, size_t len)
{
	const char *w;
	size_t n;

	while ((w = kith_word_next(&list, &n)) != NULL)
		if (n == len && memcmp(w, word, len) == 0)
			return 1;
	return 0;
}

void kith_tag_words(char *out, size_t size, const char *tag)
{
	size_t i;

	for (i = 0; tag[i] && i + 1 < size; i++)
		out[i] = tag[i] == '-' ? ' ' : tag[i];
	if (size)
		out[i] = '\0';
}

static const char *const stopwords[] = {
	"the",  "and",   "for",    "with",  "was",   "were", "has",   "had",    "have",  "her",   "his",   "him",
	"she",  "they",  "them",   "their", "but",   "not",  "all",   "any",    "can",   "did",   "does",  "from",
	"got",  "into",  "just",   "like",  "likes", "love", "loves", "loved",  "more",  "most",  "much",  "now",
	"our",  "out",   "own",    "since", "some",  "that", "then",  "there",  "this",  "too",   "used",  "very",
	"what", "when",  "who",    "will",  "would", "you",  "your",  "been",   "being", "back",  "day",   "days",
	"get",  "gets",  "going",  "good",  "bit",   "lot",  "lots",  "really", "still", "about", "after", "before",
	"also", "could", "once",   "only",  "over",  "week", "weeks", "year",   "years", "every", "each",  "things",
	"want", "wants", "wanted", "would", "make",  "made", "ago",   "till",   "until", "one",   "two",
};

static int is_stopword(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(stopwords) / sizeof(stopwords[0]); i++)
		if (strcmp(stopwords[i], w) == 0)
			return 1;
	return 0;
}

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c & 0x80);
}

/*
 * The words are never handed to FTS5 as query syntax: the matcher scores
 * them itself, so quotes and operators in a person's text mean nothing.
 */
void kith_search_words(char *out, size_t size, const char *text, const char *extra)
{
	const char *sources[2] = {text, extra};
	size_t used = 0, s;

	out[0] = '\0';
	for (s = 0; s < 2; s++) {
		const char *p = sources[s];
		while (p && *p) {
			char word[48];
			size_t n = 0;
			while (*p && !is_letter(*p))
				p++;
			while (*p && is_letter(*p)) {
				if (n + 1 < sizeof(word))
					word[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
				p++;
			}
			word[n] = '\0';
			if (n < 3 || is_stopword(word) || used + n + 8 >= size)
				continue;
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? " " : "", word);
		}
	}
}
