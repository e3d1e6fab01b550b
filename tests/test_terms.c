/* Comment analysis (src/lib/agg/terms.c, src/lib/agg/stopwords.c): tokens in six languages,
 * case folding, stop words, the term table and its canonical serialised
 * form (including hostile input), Fightin' Words, keyword categories. */
#include "agg/terms.h"
#include "registry.h"
#include "fail_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static double dabs(double x) { return x < 0 ? -x : x; }

#define CHECK_NEAR(got, want, tol)                                                        \
  do {                                                                                    \
    double cn_g_ = (got), cn_w_ = (want);                                                 \
    check_count++;                                                                        \
    if (!(dabs(cn_g_ - cn_w_) <= (tol))) {                                                \
      check_failures++;                                                                   \
      fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.17g, expected %.17g\n", __FILE__, \
              __LINE__, #got, cn_g_, cn_w_);                                              \
    }                                                                                     \
  } while (0)

/* ---- the failing allocator, as the internal csat__alloc ------------------ */
static fail_alloc heap_state;
/* Counters reset; fail_at is the 1-based call that fails (0: never). */
static csat__alloc test_alloc(long fail_at) {
  csat_allocator host = fail_alloc_init(&heap_state, fail_at, 0);
  csat__alloc a;
  if (csat__alloc_init(&a, &host) != CSAT_OK)
    exit(2);
  return a;
}

/* ---- tokens ------------------------------------------------------------- */
typedef struct tok_list {
  char text[2048];
  size_t len;
  int n;
} tok_list;

static int collect(void *user, const char *tok, size_t len) {
  tok_list *l = user;
  if (l->len + len + 2 > sizeof l->text)
    return 1;
  if (l->n++)
    l->text[l->len++] = '|';
  memcpy(l->text + l->len, tok, len);
  l->len += len;
  l->text[l->len] = '\0';
  return 0;
}

static const char *toks(const char *s, unsigned flags) {
  static tok_list l;
  l.len = 0;
  l.n = 0;
  l.text[0] = '\0';
  csat__terms_tokenize(s, strlen(s), flags, collect, &l);
  return l.text;
}

TEST(tokenize) {
  CHECK_STR(toks("The operator was VERY polite, but I had to wait 20 minutes!!! "
                 "Don't call me again.",
                 0),
            "operator|polite|wait|minutes|don't|call");
  CHECK_STR(toks("4. Оператор был вежлив, но долго пришлось ждать на линии. ЁЛКИ!", 0),
            "оператор|вежлив|долго|пришлось|ждать|линии|ёлки");
  CHECK_STR(toks("Obsługa była BARDZO miła, ale czekałem ŻÓŁTO długo. ZAŻÓŁĆ GĘŚLĄ JAŹŃ", 0),
            "obsługa|miła|czekałem|żółto|długo|zażółć|gęślą|jaźń");
  CHECK_STR(toks("상담원이 너무 친절했어요. 대기시간이 길었어요! 사이 고객에게", 0),
            "상담원|친절했어요|대기시간|길었어요|사이|고객");
  /* Particles: batchim agreement, 으로/로, two-syllable stems only. */
  CHECK_STR(toks("서울로 회사로 집으로 기다림으로 학교를 선생님은 문제가 불만 같이 상담원도", 0),
            "서울|회사|집으로|기다림|학교|선생님|문제|불만|같이|상담원");
  CHECK_STR(toks("상담원이 고객에게", CSAT__TOK_NO_PARTICLE), "상담원이|고객에게");
  CHECK_STR(toks("이 가 을", 0), "");
  CHECK_STR(toks("ᄀᄁ ㄱㄴ", 0), "ᄀᄁ|ㄱㄴ"); /* jamo kept whole */
  CHECK_STR(toks("Operator juda xushmuomala edi, lekin o'n daqiqa kutdim. To'rt, toʻrt, to’rt! "
                 "Oʻzbekiston G‘ALABA",
                 0),
            "operator|xushmuomala|o'n|daqiqa|kutdim|to'rt|to'rt|to'rt|o'zbekiston|g'alaba");
  CHECK_STR(toks("Ўзбекистон ҚАНДАЙ ғалаба ҲАММА жуда ва", 0), "ўзбекистон|қандай|ғалаба|ҳамма");
  CHECK_STR(toks("Ο ΧΕΙΡΙΣΤΗΣ ήταν ευγενικός, αλλά περίμενα πολύ. Άψογη ΕΞΥΠΗΡΈΤΗΣΗ", 0),
            "χειριστης|ευγενικός|περίμενα|πολύ|άψογη|εξυπηρέτηση");
  CHECK_STR(toks("ΛΟΓΟΣ λόγος λογοσ σ Σ", 0), "λογος|λόγος|λογος|σ|σ");
  /* Apostrophes only between letters; numbers; symbols; emoji; marks. */
  CHECK_STR(toks("'quoted' rock'n'roll '' l'été 5'000 x' 'y", 0), "quoted|rock'n'roll|l'été|x|y");
  CHECK_STR(toks("123 4g 1,5 x2 ٣٤ ４５ 2024-01-02", 0), "4g|x2");
  CHECK_STR(toks("123 4g 1,5", CSAT__TOK_KEEP_NUMBERS), "123|4g|1|5");
  CHECK_STR(toks("good👍bad ★★★ a+b=c e-mail #tag @user", 0), "good|bad|b|c|e|mail|tag|user");
  CHECK_STR(toks("cafe\xcc\x81 \xcc\x81x", 0), "cafe\xcc\x81|x");
  CHECK_STR(toks("ĄĆĘŁŃÓŚŹŻ İstanbul ẞ Ÿ ÀÉÎÕÜ Ǎ Ə ＡＢＣ Ֆ Ǆ", 0),
            "ąćęłńóśźż|istanbul|ß|ÿ|àéîõü|ǎ|ə|ａｂｃ|ֆ|Ǆ");
  CHECK_STR(toks("ЀЉЊЋЌЍЎЏ ѢѤ Ӂ Ӏ ӐӒ ԀԂ", 0), "ѐљњћќѝўџ|ѣѥ|ӂ|ӏ|ӑӓ|ԁԃ");
  CHECK_STR(toks("the and i не нет not no nie emas 안 못", 0), "не|нет|not|no|nie|emas|안|못");
  CHECK_STR(toks("the and i", CSAT__TOK_KEEP_STOP), "the|and|i");
  /* Invalid UTF-8 separates; NULL and empty input give nothing. */
  CHECK_STR(toks("abc\xff\xfe"
                 "def\xc3",
                 0),
            "abc|def");
  CHECK_STR(toks("\xed\xa0\x80x\xc0\xaf", 0), "x");
  CHECK_INT(csat__terms_tokenize(NULL, 5, 0, collect, NULL), 0);
  CHECK_STR(toks("", 0), "");
  /* Tokens are cut at 64 bytes on a character boundary. */
  {
    char in[400], want[100];
    size_t i;
    memset(in, 'A', 70);
    in[70] = '\0';
    memset(want, 'a', 64);
    want[64] = '\0';
    CHECK_STR(toks(in, 0), want);
    for (i = 0; i < 40; i++)
      memcpy(in + 2 * i, "Ж", 2); /* 80 bytes -> 32 letters */
    strcpy(in + 80, " ok");
    for (i = 0; i < 32; i++)
      memcpy(want + 2 * i, "ж", 2);
    strcpy(want + 64, "|ok");
    CHECK_STR(toks(in, 0), want);
    for (i = 0; i < 30; i++)
      memcpy(in + 3 * i, "한", 3); /* 3-byte letters: 21 fit in 64 */
    in[90] = '\0';
    for (i = 0; i < 21; i++)
      memcpy(want + 3 * i, "한", 3);
    want[63] = '\0';
    CHECK_STR(toks(in, 0), want);
    for (i = 0; i < 63; i++)
      in[i] = 'b';
    strcpy(in + 63, "'cd");
    CHECK_STR(toks(in, 0), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  }
  /* The callback's nonzero value stops and is returned. */
  {
    tok_list l;
    memset(&l, 0, sizeof l);
    l.len = sizeof l.text; /* full: collect returns 1 */
    CHECK_INT(csat__terms_tokenize("one two", 7, 0, collect, &l), 1);
  }
}

TEST(stopwords) {
  size_t i, n = csat__terms_stopword_count();
  CHECK(n > 300);
  for (i = 0; i < n; i++) {
    const char *w = csat__terms_stopword_at(i);
    CHECK(csat__terms_is_stopword(w, strlen(w)));
    /* Sorted and in the tokeniser's folded form. */
    if (i > 0)
      CHECK(strcmp(csat__terms_stopword_at(i - 1), w) < 0);
    CHECK_STR(toks(w, CSAT__TOK_KEEP_STOP | CSAT__TOK_NO_PARTICLE), w);
  }
  CHECK(csat__terms_stopword_at(n) == NULL);
  CHECK(!csat__terms_is_stopword("not", 3));
  CHECK(!csat__terms_is_stopword("", 0));
  CHECK(csat__terms_is_stopword("ya'ni", 5));
}

/* ---- the term table ----------------------------------------------------- */
static const char *const words[] = {"wait",  "polite",    "оператор", "ждать", "상담원", "o'n",
                                    "żółto", "χειριστης", "a",        "ab",    "abc",    "b"};
#define NWORDS (sizeof words / sizeof words[0])

static size_t save(csat__terms *t, uint8_t *buf, size_t cap) {
  csat__out o;
  size_t needed = 0;
  csat__out_init(&o, (char *)buf, cap);
  CHECK_INT(csat__terms_save(t, &o), CSAT_OK);
  CHECK_INT(csat__out_finish_bin(&o, &needed), CSAT_OK);
  return needed;
}

TEST(table) {
  csat__alloc a = test_alloc(0);
  csat__terms t1, t2, t3, t4;
  uint8_t b1[4096], b2[4096], b3[4096];
  size_t n1, n2, n3, i, len, used;
  uint64_t count;
  const char *tok;
  csat__terms_init(&t1, &a, 1);
  csat__terms_init(&t2, &a, 0xDEADBEEF);
  /* Same multiset, different orders, seeds and batching. */
  for (i = 0; i < NWORDS; i++)
    CHECK_INT(csat__terms_add(&t1, words[i], strlen(words[i]), i + 1), CSAT_OK);
  for (i = NWORDS; i-- > 0;) {
    size_t k;
    for (k = 0; k <= i; k++)
      CHECK_INT(csat__terms_add(&t2, words[i], strlen(words[i]), 1), CSAT_OK);
  }
  CHECK_INT(csat__terms_size(&t1), NWORDS);
  CHECK_INT(csat__terms_total(&t1), NWORDS * (NWORDS + 1) / 2);
  CHECK_INT(csat__terms_get(&t2, "ждать", strlen("ждать")), 4);
  CHECK_INT(csat__terms_get(&t2, "nope", 4), 0);
  n1 = save(&t1, b1, sizeof b1);
  n2 = save(&t2, b2, sizeof b2);
  CHECK(n1 == n2 && memcmp(b1, b2, n1) == 0);
  /* Sorted iteration, bytewise. */
  CHECK_INT(csat__terms_sort(&t1), CSAT_OK);
  csat__terms_at(&t1, 0, &tok, &len, &count);
  CHECK(len == 1 && tok[0] == 'a' && count == 9);
  for (i = 1; i < NWORDS; i++) {
    const char *prev;
    size_t plen;
    csat__terms_at(&t1, i - 1, &prev, &plen, NULL);
    csat__terms_at(&t1, i, &tok, &len, NULL);
    CHECK(memcmp(prev, tok, plen < len ? plen : len) < 0 ||
          (memcmp(prev, tok, plen < len ? plen : len) == 0 && plen < len));
  }
  /* Merge of halves equals the whole; merge with an empty table is identity. */
  csat__terms_init(&t3, &a, 7);
  csat__terms_init(&t4, &a, 8);
  for (i = 0; i < NWORDS; i++)
    CHECK_INT(csat__terms_add(i % 2 ? &t3 : &t4, words[i], strlen(words[i]), i + 1), CSAT_OK);
  CHECK_INT(csat__terms_merge(&t3, &t4), CSAT_OK);
  n3 = save(&t3, b3, sizeof b3);
  CHECK(n3 == n1 && memcmp(b3, b1, n1) == 0);
  csat__terms_clear(&t4);
  CHECK_INT(csat__terms_merge(&t3, &t4), CSAT_OK);
  CHECK_INT(csat__terms_merge(&t4, &t3), CSAT_OK);
  n3 = save(&t4, b3, sizeof b3);
  CHECK(n3 == n1 && memcmp(b3, b1, n1) == 0);
  /* Load: round trip, self-delimiting inside a larger buffer. */
  csat__terms_free(&t3);
  csat__terms_init(&t3, &a, 99);
  b1[n1] = 0xAB;
  CHECK_INT(csat__terms_load(&t3, b1, n1 + 1, &used), CSAT_OK);
  CHECK_INT(used, n1);
  n3 = save(&t3, b3, sizeof b3);
  CHECK(n3 == n1 && memcmp(b3, b1, n1) == 0);
  CHECK_INT(csat__terms_load(&t3, b1, n1, &used), CSAT_ERR_INVALID_ARG); /* not empty */
  /* An empty table saves as one zero byte and loads back. */
  csat__terms_clear(&t3);
  CHECK_INT(save(&t3, b3, sizeof b3), 1);
  CHECK_INT(b3[0], 0);
  CHECK_INT(csat__terms_load(&t3, b3, 1, &used), CSAT_OK);
  CHECK_INT(csat__terms_size(&t3), 0);
  /* Invalid adds. */
  CHECK_INT(csat__terms_add(&t3, "", 0, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_add(&t3, "a\nb", 3, 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_add(&t3, "\xff", 1, 1), CSAT_ERR_INVALID_ARG);
  {
    char big[65];
    memset(big, 'x', 65);
    CHECK_INT(csat__terms_add(&t3, big, 65, 1), CSAT_ERR_INVALID_ARG);
    CHECK_INT(csat__terms_add(&t3, big, 64, 1), CSAT_OK);
  }
  CHECK_INT(csat__terms_add(&t3, "zero", 4, 0), CSAT_OK);
  CHECK_INT(csat__terms_get(&t3, "zero", 4), 0);
  /* Counts saturate. */
  CHECK_INT(csat__terms_add(&t3, "s", 1, UINT64_MAX - 1), CSAT_OK);
  CHECK_INT(csat__terms_add(&t3, "s", 1, 5), CSAT_OK);
  CHECK(csat__terms_get(&t3, "s", 1) == UINT64_MAX);
  /* Text: one count per occurrence. */
  csat__terms_clear(&t3);
  CHECK_INT(csat__terms_add_text(&t3, "Wait, WAIT and wait again!", 26, 0), CSAT_OK);
  CHECK_INT(csat__terms_get(&t3, "wait", 4), 3);
  CHECK_INT(csat__terms_size(&t3), 1);
  csat__terms_free(&t1);
  csat__terms_free(&t2);
  csat__terms_free(&t3);
  csat__terms_free(&t4);
  CHECK_INT(heap_state.live, 0);
}

/* Many terms: growth, and byte identity under random insertion orders. */
TEST(table_many) {
  csat__alloc a = test_alloc(0);
  csat__terms t1, t2;
  static uint8_t b1[200000], b2[200000];
  size_t n1, n2, i;
  uint64_t s = 12345;
  unsigned perm[3000];
  char w[16];
  csat__terms_init(&t1, &a, 3);
  csat__terms_init(&t2, &a, 4);
  for (i = 0; i < 3000; i++)
    perm[i] = (unsigned)i;
  for (i = 2999; i > 0; i--) { /* Fisher-Yates */
    unsigned tmp;
    size_t j;
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    j = (size_t)(s >> 33) % (i + 1);
    tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  for (i = 0; i < 3000; i++) {
    int n = snprintf(w, sizeof w, "w%u", (unsigned)i);
    CHECK_INT(csat__terms_add(&t1, w, (size_t)n, i % 7 + 1), CSAT_OK);
    n = snprintf(w, sizeof w, "w%u", perm[i]);
    CHECK_INT(csat__terms_add(&t2, w, (size_t)n, perm[i] % 7 + 1), CSAT_OK);
  }
  n1 = save(&t1, b1, sizeof b1);
  n2 = save(&t2, b2, sizeof b2);
  CHECK(n1 == n2 && memcmp(b1, b2, n1) == 0);
  CHECK_INT(csat__terms_size(&t2), 3000);
  csat__terms_free(&t1);
  csat__terms_free(&t2);
}

/* Hostile serialised input: never a crash; accepted input is canonical. */
TEST(load_hostile) {
  csat__alloc a = test_alloc(0);
  csat__terms t, u;
  uint8_t good[512], buf[512], out[1024];
  size_t n, i, used;
  int bit;
  csat__terms_init(&t, &a, 5);
  csat__terms_init(&u, &a, 6);
  for (i = 0; i < NWORDS; i++)
    csat__terms_add(&t, words[i], strlen(words[i]), (uint64_t)(i * 1000 + 1));
  n = save(&t, good, sizeof good);
  /* Every truncation fails. */
  for (i = 0; i < n; i++) {
    CHECK_INT(csat__terms_load(&u, good, i, &used), CSAT_ERR_BLOB);
    CHECK_INT(csat__terms_size(&u), 0);
  }
  CHECK_INT(csat__terms_load(&u, NULL, 0, &used), CSAT_ERR_BLOB);
  /* Every single bit flip: rejected, or a table that saves to those bytes. */
  for (i = 0; i < n; i++)
    for (bit = 0; bit < 8; bit++) {
      int rc;
      memcpy(buf, good, n);
      buf[i] ^= (uint8_t)(1u << bit);
      rc = csat__terms_load(&u, buf, n, &used);
      CHECK(rc == CSAT_OK || rc == CSAT_ERR_BLOB);
      if (rc == CSAT_OK) {
        size_t m = save(&u, out, sizeof out);
        CHECK(m == used && memcmp(out, buf, m) == 0);
      } else {
        CHECK_INT(csat__terms_size(&u), 0);
      }
      csat__terms_clear(&u);
    }
  /* Hand-made violations. */
  {
    static const struct {
      const char *bytes;
      size_t len;
      int rc;
    } cases[] = {
        {"\x01\x01"
         "a\x01",
         4, CSAT_OK},
        {"\x01\x00\x01", 3, CSAT_ERR_BLOB}, /* empty term */
        {"\x01\x41", 2, CSAT_ERR_BLOB},     /* 65 bytes */
        {"\x01\x01"
         "a\x00",
         4, CSAT_ERR_BLOB}, /* count 0 */
        {"\x01\x01"
         "a\x81\x00",
         5, CSAT_ERR_BLOB}, /* overlong varint */
        {"\x81\x00\x01"
         "a\x01",
         5, CSAT_ERR_BLOB},                     /* overlong size */
        {"\x01\x01\xff\x01", 4, CSAT_ERR_BLOB}, /* bad UTF-8 */
        {"\x01\x01\x0a\x01", 4, CSAT_ERR_BLOB}, /* control byte */
        {"\x02\x01"
         "b\x01\x01"
         "a\x01",
         8, CSAT_ERR_BLOB}, /* out of order */
        {"\x02\x01"
         "a\x01\x01"
         "a\x01",
         8, CSAT_ERR_BLOB}, /* duplicate */
        {"\x02\x01"
         "a\x01\x02"
         "ab\x01",
         8, CSAT_OK},
        {"\x05\x01"
         "a\x01",
         4, CSAT_ERR_BLOB},                                              /* missing terms */
        {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10, CSAT_ERR_BLOB}, /* huge size */
        {"\x01\x01"
         "a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
         13, CSAT_OK}, /* 2^64-1 */
        {"\x01\x01"
         "a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02",
         13, CSAT_ERR_BLOB}, /* 2^65 */
        {"\x01\x01"
         "a\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01",
         14, CSAT_ERR_BLOB},
        /* total overflow: 2^64-1 + 1 */
        {"\x02\x01"
         "a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x01"
         "b\x01",
         16, CSAT_ERR_BLOB},
    };
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      /* Padding after the case, so the size check alone cannot reject it. */
      int rc;
      memset(buf, 0, sizeof buf);
      memcpy(buf, cases[i].bytes, cases[i].len);
      rc = csat__terms_load(&u, buf, cases[i].len + 40, &used);
      if (rc != cases[i].rc)
        fprintf(stderr, "hostile case %u\n", (unsigned)i);
      CHECK_INT(rc, cases[i].rc);
      if (rc == CSAT_OK)
        CHECK_INT(used, cases[i].len);
      csat__terms_clear(&u);
    }
  }
  csat__terms_free(&t);
  csat__terms_free(&u);
}

/* Out of memory at every allocation: a clean error, no leak, and the next
 * attempt succeeds. */
TEST(oom) {
  long k;
  uint8_t blob[4096];
  size_t n, used;
  {
    csat__alloc a = test_alloc(0);
    csat__terms t;
    size_t i;
    csat__terms_init(&t, &a, 1);
    for (i = 0; i < NWORDS; i++)
      csat__terms_add(&t, words[i], strlen(words[i]), 3);
    n = save(&t, blob, sizeof blob);
    csat__terms_free(&t);
  }
  for (k = 1; k <= 200; k++) {
    csat__alloc a = test_alloc(k);
    csat__terms t, u;
    int rc, failed = 0;
    size_t i;
    csat__terms_init(&t, &a, 1);
    csat__terms_init(&u, &a, 2);
    for (i = 0; i < 40; i++) {
      char w[8];
      int m = snprintf(w, sizeof w, "t%u", (unsigned)i);
      uint64_t before = csat__terms_total(&t);
      rc = csat__terms_add(&t, w, (size_t)m, 1);
      CHECK(rc == CSAT_OK || rc == CSAT_ERR_NOMEM);
      if (rc != CSAT_OK) {
        CHECK(csat__terms_total(&t) == before); /* unchanged */
        failed = 1;
      }
    }
    rc = csat__terms_load(&u, blob, n, &used);
    CHECK(rc == CSAT_OK || rc == CSAT_ERR_NOMEM);
    if (rc != CSAT_OK) {
      CHECK_INT(csat__terms_size(&u), 0);
      failed = 1;
    }
    rc = csat__terms_merge(&t, &u);
    CHECK(rc == CSAT_OK || rc == CSAT_ERR_NOMEM);
    if (rc != CSAT_OK)
      failed = 1;
    {
      uint8_t tmp[4096];
      csat__out o;
      csat__out_init(&o, (char *)tmp, sizeof tmp);
      rc = csat__terms_save(&t, &o);
      CHECK(rc == CSAT_OK || rc == CSAT_ERR_NOMEM);
      if (rc != CSAT_OK)
        failed = 1;
    }
    csat__terms_free(&t);
    csat__terms_free(&u);
    CHECK_INT(heap_state.live, 0);
    if (!failed)
      break;
  }
  CHECK(k <= 200);
}

/* ---- Fightin' Words ----------------------------------------------------- */
typedef struct wc {
  const char *w;
  uint64_t c;
} wc;

static void fill(csat__terms *t, const wc *v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    csat__terms_add(t, v[i].w, strlen(v[i].w), v[i].c);
}

static int is_term(const csat__fw_term *t, const char *w) {
  return t->len == strlen(w) && memcmp(t->term, w, t->len) == 0;
}

TEST(fightin_words) {
  static const wc neg[] = {{"wait", 30}, {"long", 12}, {"rude", 8},  {"operator", 10},
                           {"call", 10}, {"time", 6},  {"polite", 1}};
  static const wc pos[] = {{"polite", 25}, {"helpful", 15}, {"operator", 12}, {"call", 10},
                           {"time", 5},    {"wait", 2},     {"quick", 8}};
  static const wc bg[] = {{"wait", 100}, {"polite", 100}, {"operator", 300}, {"call", 300},
                          {"time", 100}, {"long", 50},    {"helpful", 50}};
  csat__alloc a = test_alloc(0);
  csat__terms A, B, P;
  csat__fw_term ta[10], tb[10];
  size_t na, nb;
  csat__terms_init(&A, &a, 11);
  csat__terms_init(&B, &a, 12);
  csat__terms_init(&P, &a, 13);
  fill(&A, neg, 7);
  fill(&B, pos, 7);
  fill(&P, bg, 7);
  /* Default prior (A + B, a0 = 15.4); reference values computed in Python
   * from the formulas of terms.h. */
  CHECK_INT(csat__terms_fightin_words(&A, &B, NULL, 0, 1, ta, 10, &na, tb, 10, &nb), CSAT_OK);
  CHECK_INT(na, 4); /* wait long rude time: z > 0 */
  CHECK_INT(nb, 4); /* polite helpful quick operator; call has z = 0 */
  CHECK(is_term(&ta[0], "wait") && is_term(&ta[1], "long") && is_term(&ta[2], "rude") &&
        is_term(&ta[3], "time"));
  CHECK(is_term(&tb[0], "polite") && is_term(&tb[1], "helpful") && is_term(&tb[2], "quick") &&
        is_term(&tb[3], "operator"));
  CHECK_NEAR(ta[0].z, 4.752046532636748, 1e-12);
  CHECK_NEAR(ta[0].delta, 2.2411740393600352, 1e-12);
  CHECK_NEAR(ta[0].var, 0.22242817423540312, 1e-14);
  CHECK(ta[0].count_a == 30 && ta[0].count_b == 2);
  CHECK_NEAR(ta[1].z, 2.6628982612387415, 1e-12);
  CHECK_NEAR(ta[2].z, 2.1316946268256149, 1e-12);
  CHECK_NEAR(tb[0].z, -4.1971933386571063, 1e-12);
  CHECK_NEAR(tb[1].z, -3.0232527282879986, 1e-12);
  CHECK_NEAR(tb[3].z, -0.45356787818263139, 1e-12);
  /* A background prior scaled to a0 = 500; "rude" and "quick" are absent
   * from it (alpha 0.01). */
  CHECK_INT(csat__terms_fightin_words(&A, &B, &P, 500.0, 1, ta, 2, &na, tb, 2, &nb), CSAT_OK);
  CHECK_INT(na, 2);
  CHECK_INT(nb, 2);
  CHECK(is_term(&ta[0], "wait") && is_term(&ta[1], "long"));
  CHECK(is_term(&tb[0], "polite") && is_term(&tb[1], "helpful"));
  CHECK_NEAR(ta[0].z, 2.7260289587495374, 1e-12);
  CHECK_NEAR(ta[1].z, 1.5991801331452349, 1e-12);
  CHECK_NEAR(tb[1].z, -1.9515657066524477, 1e-12);
  /* min_count drops rare terms; capacity 0 is allowed. */
  CHECK_INT(csat__terms_fightin_words(&A, &B, NULL, 0, 20, ta, 10, &na, NULL, 0, &nb), CSAT_OK);
  CHECK_INT(na, 1);
  CHECK_INT(nb, 0);
  CHECK(is_term(&ta[0], "wait"));
  CHECK_INT(csat__terms_fightin_words(NULL, &B, NULL, 0, 1, ta, 10, &na, tb, 10, &nb),
            CSAT_ERR_INVALID_ARG);
  /* Empty tables: nothing listed. */
  {
    csat__terms E;
    csat__terms_init(&E, &a, 1);
    CHECK_INT(csat__terms_fightin_words(&E, &E, NULL, 0, 1, ta, 10, &na, tb, 10, &nb), CSAT_OK);
    CHECK(na == 0 && nb == 0);
    csat__terms_free(&E);
  }
  csat__terms_free(&A);
  csat__terms_free(&B);
  csat__terms_free(&P);

  /* From comments: the negative answers complain about waiting, the positive
   * ones praise politeness. Seeds differ; the output must not. */
  {
    static const char *const negc[] = {"I had to wait 40 minutes, terrible wait",
                                       "Long wait on the line, nobody answered",
                                       "Waited and waited. The wait was awful",
                                       "Too long a wait, operator was polite though",
                                       "wait wait wait",
                                       "Nobody called back, long wait again",
                                       "The wait time is a joke",
                                       "Оператор был вежлив, но долго пришлось ждать",
                                       "Had to wait, then got cut off"};
    static const char *const posc[] = {
        "Very polite and helpful operator",    "Polite, quick, solved my problem",
        "The agent was polite and friendly",   "Helpful and polite, thank you",
        "Quick answer, polite staff",          "polite polite polite",
        "Great service, very polite",          "Оператор был вежлив и быстро помог",
        "Friendly and helpful, no wait at all"};
    size_t i, k;
    char first_a[2][64], first_b[2][64];
    for (k = 0; k < 2; k++) {
      csat__terms_init(&A, &a, 100 + k);
      csat__terms_init(&B, &a, 200 + 7 * k);
      for (i = 0; i < 9; i++) {
        size_t j = k ? 8 - i : i;
        CHECK_INT(csat__terms_add_text(&A, negc[j], strlen(negc[j]), 0), CSAT_OK);
        CHECK_INT(csat__terms_add_text(&B, posc[j], strlen(posc[j]), 0), CSAT_OK);
      }
      CHECK_INT(csat__terms_fightin_words(&A, &B, NULL, 0, 2, ta, 5, &na, tb, 5, &nb), CSAT_OK);
      CHECK(na >= 1 && nb >= 1);
      CHECK(is_term(&ta[0], "wait"));
      CHECK(is_term(&tb[0], "polite"));
      CHECK(ta[0].z > 1.96 && tb[0].z < -1.96);
      memcpy(first_a[k], ta[na - 1].term, ta[na - 1].len);
      first_a[k][ta[na - 1].len] = '\0';
      memcpy(first_b[k], tb[nb - 1].term, tb[nb - 1].len);
      first_b[k][tb[nb - 1].len] = '\0';
      csat__terms_free(&A);
      csat__terms_free(&B);
    }
    CHECK_STR(first_a[0], first_a[1]);
    CHECK_STR(first_b[0], first_b[1]);
  }
}

/* ---- keyword categories ------------------------------------------------- */
static int match(const char *pattern, const char *text) {
  return csat__terms_category_match(pattern, strlen(pattern), text, strlen(text));
}

TEST(categories) {
  csat__pattern p[6];
  uint8_t hit[6];
  CHECK(match("fraud*", "This is FRAUDULENT, a scam"));
  CHECK(match("fraud*", "fraud"));
  CHECK(!match("fraud*", "antifraud team"));
  CHECK(match("мошенн*", "Это МОШЕННИЧЕСТВО!"));
  CHECK(match("мошенн*", "какие-то мошенники звонят"));
  CHECK(!match("мошенн*", "мошен"));
  CHECK(match("long wait", "A LONG, wait..."));
  CHECK(!match("long wait", "long long time to wait"));
  CHECK(match("не помог*", "Мне НЕ ПОМОГЛИ совсем"));
  CHECK(!match("не помог*", "помогли, не"));
  CHECK(match("Ждать", "долго ждать"));
  CHECK(!match("ждать", "ждали"));
  CHECK(match("상담원", "상담원이 불친절했어요"));
  CHECK(match("불친절*", "상담원이 불친절했어요"));
  CHECK(match("oʻzbek*", "O'ZBEKISTON"));
  CHECK(match("obsługa", "OBSŁUGA była zła"));
  CHECK(match("χειριστης", "Ο ΧΕΙΡΙΣΤΗΣ"));
  CHECK(match("the wait", "the wait")); /* stop words kept in phrases */
  CHECK(match("24 hours", "waited 24 hours"));
  /* Invalid patterns. */
  CHECK_INT(csat__terms_pattern_compile(&p[0], "*", 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "fr*ud", 5), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "fraud *", 7), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "a* b*", 5), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "", 0), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "!!!", 3), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "\xff", 1), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "a b c d e f g h i", 17), CSAT_ERR_INVALID_ARG);
  CHECK_INT(csat__terms_pattern_compile(&p[0], "a b c d e f g h*", 16), CSAT_OK);
  CHECK(!match("*", "anything"));
  /* Several patterns, one scan; each at most once. */
  CHECK_INT(csat__terms_pattern_compile(&p[0], "fraud*", 6), CSAT_OK);
  CHECK_INT(csat__terms_pattern_compile(&p[1], "long wait", 9), CSAT_OK);
  CHECK_INT(csat__terms_pattern_compile(&p[2], "мошенн*", strlen("мошенн*")), CSAT_OK);
  CHECK_INT(csat__terms_pattern_compile(&p[3], "polite  ", 8), CSAT_OK);
  CHECK_INT(csat__terms_pattern_compile(&p[4], "a b c d e f g h*", 16), CSAT_OK);
  CHECK_INT(csat__terms_pattern_compile(&p[5], "wait wait wait wait wait wait wait wait", 39),
            CSAT_OK);
  {
    const char *t = "fraud, fraud, FRAUDSTER! long wait long wait. a b c d e f g hh "
                    "wait wait wait wait wait wait wait wait wait";
    CHECK_INT(csat__terms_patterns_scan(p, 6, t, strlen(t), hit), 4);
    CHECK(hit[0] == 1 && hit[1] == 1 && hit[2] == 0 && hit[3] == 0 && hit[4] == 1 && hit[5] == 1);
    CHECK_INT(csat__terms_patterns_scan(p, 6, "", 0, hit), 0);
    CHECK_INT(csat__terms_patterns_scan(p, 0, t, strlen(t), hit), 0);
  }
}

static const test_case tests[] = {
    TEST_ENTRY(tokenize),      TEST_ENTRY(stopwords),    TEST_ENTRY(table),
    TEST_ENTRY(table_many),    TEST_ENTRY(load_hostile), TEST_ENTRY(oom),
    TEST_ENTRY(fightin_words), TEST_ENTRY(categories),
};

TEST_MAIN(tests)
