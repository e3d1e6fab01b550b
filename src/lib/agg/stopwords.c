/*
 * The small stop-word lists of the comment tokeniser (terms.h): English,
 * Russian, Polish, Uzbek (Latin and Cyrillic), Korean particles and
 * connectives, Greek. Words are in folded form (as csat__terms_tokenize emits
 * them) and sorted by bytes, which the lookup relies on and test_terms
 * checks. Negations (not, no, не, нет, nie, emas, 안, 못) are deliberately
 * absent: they carry the complaint signal.
 * SPDX-License-Identifier: MIT
 */
#include "terms.h"

#include <string.h>

static const char *const stopwords[] = {
    "a",       "about",      "above",  "aby",      "after",      "again",   "albo",    "ale",
    "all",     "also",       "am",     "ammo",     "an",         "and",     "any",     "are",
    "as",      "at",         "bardzo", "be",       "because",    "been",    "before",  "being",
    "below",   "between",    "bilan",  "biz",      "bo",         "both",    "bu",      "but",
    "by",      "byli",       "być",    "był",      "była",       "było",    "can",     "co",
    "could",   "czy",        "deb",    "did",      "dla",        "do",      "does",    "doing",
    "down",    "during",     "each",   "edi",      "endi",       "esa",     "few",     "for",
    "from",    "further",    "gdy",    "gdzie",    "had",        "ham",     "hamda",   "has",
    "have",    "having",     "he",     "her",      "here",       "hers",    "herself", "him",
    "himself", "his",        "how",    "i",        "i'd",        "i'll",    "i'm",     "i've",
    "ich",     "if",         "in",     "into",     "is",         "it",      "it's",    "its",
    "itself",  "ja",         "jak",    "jako",     "je",         "jego",    "jej",     "jest",
    "jestem",  "juda",       "just",   "już",      "kabi",       "lekin",   "lub",     "me",
    "men",     "mening",     "mi",     "mnie",     "moja",       "moje",    "more",    "most",
    "my",      "myself",     "mój",    "na",       "nad",        "nam",     "nas",     "o",
    "od",      "of",         "off",    "on",       "ona",        "once",    "one",     "oni",
    "only",    "ono",        "or",     "oraz",     "other",      "our",     "ours",    "ourselves",
    "out",     "over",       "own",    "po",       "pod",        "przez",   "przy",    "same",
    "sen",     "she",        "should", "shu",      "siz",        "sizning", "się",     "so",
    "some",    "such",       "są",     "ta",       "tak",        "także",   "te",      "tego",
    "tej",     "ten",        "than",   "that",     "that's",     "the",     "their",   "theirs",
    "them",    "themselves", "then",   "there",    "these",      "they",    "this",    "those",
    "through", "to",         "too",    "tu",       "tylko",      "tym",     "u",       "uchun",
    "ular",    "under",      "until",  "up",       "va",         "very",    "w",       "was",
    "we",      "were",       "what",   "when",     "where",      "which",   "while",   "who",
    "whom",    "why",        "will",   "with",     "would",      "wy",      "ya'ni",   "yoki",
    "you",     "your",       "yours",  "yourself", "yourselves", "z",       "za",      "ze",
    "że",      "żeby",       "ένα",    "ήταν",     "αλλά",       "από",     "για",     "είναι",
    "η",       "θα",         "και",    "με",       "μια",        "να",      "ο",       "οι",
    "που",     "σε",         "στη",    "στην",     "στο",        "στον",    "τα",      "την",
    "της",     "το",         "τον",    "του",      "των",        "ως",      "а",       "аммо",
    "без",     "биз",        "билан",  "бу",       "бы",         "был",     "была",    "были",
    "было",    "быть",       "в",      "ва",       "вам",        "вас",     "ваш",     "ваша",
    "весь",    "во",         "вот",    "все",      "всех",       "всё",     "вы",      "где",
    "да",      "деб",        "для",    "до",       "его",        "ее",      "ей",      "ему",
    "если",    "есть",       "еще",    "ещё",      "её",         "же",      "жуда",    "за",
    "здесь",   "и",          "из",     "или",      "им",         "их",      "к",       "каби",
    "как",     "ко",         "когда",  "кто",      "лекин",      "ли",      "либо",    "мен",
    "меня",    "мне",        "мной",   "мое",      "мои",        "мой",     "моя",     "моё",
    "мы",      "на",         "над",    "нам",      "нас",        "наш",     "но",      "ну",
    "о",       "об",         "он",     "она",      "они",        "оно",     "от",      "очень",
    "по",      "под",        "при",    "про",      "с",          "сен",     "сиз",     "со",
    "так",     "также",      "там",    "те",       "тем",        "то",      "того",    "тоже",
    "той",     "только",     "том",    "ту",       "тут",        "у",       "уже",     "улар",
    "учун",    "чем",        "что",    "чтобы",    "шу",         "эди",     "энди",    "эса",
    "эта",     "эти",        "это",    "этот",     "я",          "ёки",     "ҳам",     "ҳамда",
    "가",      "과",         "그냥",   "그래서",   "그런데",     "그리고",  "까지",    "나는",
    "내가",    "너무",       "는",     "더",       "도",         "등",      "또",      "로",
    "를",      "만",         "및",     "부터",     "에",         "에게",    "에서",    "와",
    "우리",    "으로",       "은",     "을",       "의",         "이",      "저",      "저는",
    "정말",    "제",         "제가",   "좀",       "진짜",       "하지만",  "한테"};

#define NSTOP (sizeof stopwords / sizeof stopwords[0])

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl) {
  size_t m = al < bl ? al : bl;
  int c = memcmp(a, b, m);
  if (c != 0)
    return c;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

int csat__terms_is_stopword(const char *tok, size_t len) {
  size_t lo = 0, hi = NSTOP;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *w = stopwords[mid];
    int c = cmp_bytes(tok, len, w, strlen(w));
    if (c == 0)
      return 1;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return 0;
}

size_t csat__terms_stopword_count(void) { return NSTOP; }

const char *csat__terms_stopword_at(size_t i) { return i < NSTOP ? stopwords[i] : NULL; }
