#!/usr/bin/env python3
"""Generate src/lib/reply/reply_words.c: the word table of the reply reader (src/lib/reply/reply.c).

The lists below are the source of truth; edit them and run
    python3 src/lib/reply/reply_words.py > src/lib/reply/reply_words.c
Words are normalised as reply.c normalises input: lower case, Russian ё as е,
every apostrophe variant (' ` ʻ ʼ ‘ ’) as ASCII ', phrases with one space.
The table is sorted by (byte length, bytes) so the reader can binary-search
one length bucket; tests/test_reply.c checks the order.
"""
import sys

# flag names as in src/lib/reply/reply.h
NUM, NUMDEN, KODET, WHOLE, YES, NO, HEDGE, OF, UNIT, THANKS, LEADIN, OPTOUT, HELP, REVOF, RANGE, PHRASE, MEASURE = (
    "NUM NUMDEN KODET WHOLE YES NO HEDGE OF UNIT THANKS LEADIN OPTOUT HELP REVOF RANGE PHRASE MEASURE".split())

NUMBERS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    # Russian cardinals and school grades (nominative and accusative)
    "ноль": 0, "нуль": 0, "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3,
    "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10,
    "единица": 1, "единицу": 1, "единичка": 1, "двойка": 2, "двойку": 2,
    "тройка": 3, "тройку": 3, "четверка": 4, "четверку": 4, "четверочка": 4,
    "пятерка": 5, "пятерку": 5, "пятерочка": 5, "пятерочку": 5,
    "десятка": 10, "десятку": 10,
    # Polish cardinals and grades (with and without diacritics where unambiguous)
    "zero": 0, "jeden": 1, "jedna": 1, "jedno": 1, "dwa": 2, "dwie": 2, "trzy": 3,
    "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7, "osiem": 8, "dziewięć": 9,
    "dziesięć": 10,
    "jedynka": 1, "jedynkę": 1, "jedynke": 1, "dwójka": 2, "dwójkę": 2,
    "dwojka": 2, "dwojke": 2, "trójka": 3, "trójkę": 3, "trojka": 3, "trojke": 3,
    "czwórka": 4, "czwórkę": 4, "czworka": 4, "czworke": 4, "piątka": 5,
    "piątkę": 5, "piatka": 5, "piatke": 5, "szóstka": 6, "szóstkę": 6,
    "szostka": 6, "szostke": 6, "dziesiątka": 10, "dziesiątkę": 10,
    # Korean native numerals
    "하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6, "일곱": 7,
    "여덟": 8, "아홉": 9, "열": 10,
    # Uzbek, Latin (with and without the o' apostrophe) and Cyrillic
    "nol": 0, "bir": 1, "ikki": 2, "uch": 3, "to'rt": 4, "tort": 4, "besh": 5,
    "olti": 6, "yetti": 7, "sakkiz": 8, "to'qqiz": 9, "toqqiz": 9, "o'n": 10,
    "нол": 0, "бир": 1, "икки": 2, "уч": 3, "тўрт": 4, "беш": 5, "олти": 6,
    "етти": 7, "саккиз": 8, "тўққиз": 9, "ўн": 10,
}
# Only as the denominator of "4 из пяти", "4 z pięciu".
DENOMINATORS = {
    "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8,
    "девяти": 9, "десяти": 10,
    "trzech": 3, "czterech": 4, "pięciu": 5, "pieciu": 5, "sześciu": 6,
    "siedmiu": 7, "ośmiu": 8, "dziewięciu": 9, "dziesięciu": 10, "dziesieciu": 10,
}
# Korean determiner forms: a number only before a counter (한 개, 네 점).
KO_DETERMINERS = {"한": 1, "두": 2, "세": 3, "네": 4}
# Sino-Korean numerals are common syllables (이 "this", 일 "work", 오 "oh"):
# a number only when they are the whole message.
KO_SINO = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6,
           "칠": 7, "팔": 8, "구": 9, "십": 10}
# "5 dan 4" (Uzbek: 4 of 5), "5점 만점에 4점", "5점 중 4점": the maximum comes first.
REVOF_WORDS = ["dan", "дан", "만점에", "만점", "중"]
REVOF_NUMBERS = {"beshdan": 5, "o'ndan": 10, "ondan": 10, "бешдан": 5, "ўндан": 10,
                 "uchdan": 3, "учдан": 3}

YES_WORDS = ["yes", "y", "yeah", "yep", "yup", "yea", "sure",
             "да", "ага", "конечно",
             "tak",
             "네", "예", "응", "넵", "넹",
             "ha", "xa", "albatta", "ҳа", "ха", "албатта"]
NO_WORDS = ["no", "n", "nope", "nah",
            "нет", "неа",
            "nie",
            "아니요", "아니오", "아니", "아뇨", "아니에요",
            "yo'q", "yoq", "йўқ", "йук", "йўк", "йоқ"]
# A number after one of these makes the reply ambiguous ("4 or 5", "4 и 5").
HEDGE_WORDS = ["or", "and", "maybe", "perhaps", "either", "nor",
               "или", "либо", "и", "а", "может", "возможно", "точнее", "вернее",
               "lub", "albo", "czy", "i", "oraz", "może", "albo",
               "yoki", "va", "balki", "ёки", "ва", "балки",
               "아니면", "또는", "혹은", "그리고", "아마"]
RANGE_WORDS = ["to", "до", "do", "gacha", "гача"]
OF_WORDS = ["of", "out", "из", "na", "z", "ze"]
UNIT_WORDS = ["star", "stars", "point", "points", "pts", "pt",
              "звезда", "звезды", "звезд", "звездочка", "звездочки", "звездочек",
              "балл", "балла", "баллов", "бал", "ка", "ку",
              "pkt", "punkt", "punkty", "punktów", "punktow",
              "gwiazdka", "gwiazdki", "gwiazdek",
              "yulduz", "yulduzcha", "ball", "baho", "юлдуз", "баҳо",
              "점", "개"]
# Digits followed by one of these count something else ("2 hours on hold",
# "3 раза звонил", "5분"): not a score, AMBIGUOUS.
MEASURE_WORDS = ["second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins",
                 "hour", "hours", "hr", "hrs", "h", "day", "days", "week", "weeks", "month",
                 "months", "year", "years", "time", "times", "call", "calls",
                 "секунд", "секунды", "минута", "минуты", "минут", "минуту", "мин", "час",
                 "часа", "часов", "день", "дня", "дней", "неделю", "недели", "недель",
                 "месяц", "месяца", "месяцев", "раз", "раза", "звонка", "звонков",
                 "sekund", "minuta", "minuty", "minut", "godzina", "godziny", "godzin",
                 "godz", "dzień", "dni", "tydzień", "tygodnie", "tygodni", "miesiąc",
                 "miesiące", "razy",
                 "초", "분", "시간", "일", "주", "달", "번", "개월",
                 "soniya", "daqiqa", "soat", "kun", "hafta", "oy", "marta",
                 "сония", "дақиқа", "соат", "кун", "ҳафта", "ой", "марта"]
THANKS_WORDS = ["thanks", "thank", "thx", "ty",
                "спасибо", "спс", "благодарю",
                "dzięki", "dziękuję", "dzieki", "dziekuje",
                "감사합니다", "고맙습니다", "감사해요",
                "rahmat", "раҳмат", "рахмат"]
# Words before a score that say nothing else ("моя оценка 5", "별 다섯 개").
LEADIN_WORDS = ["rating", "score", "my", "is", "i", "give", "i'd", "id", "i'll", "rate",
                "would", "say", "it", "a", "an", "you",
                "оценка", "оценку", "моя", "ставлю", "поставлю", "поставил", "поставила",
                "оцениваю", "ставим", "даю", "я", "бы", "на",
                "ocena", "moja", "daję", "daje", "oceniam", "stawiam", "ja", "dałbym",
                "dałabym",
                "baho", "bahom", "mening", "men", "beraman", "qo'yaman",
                "баҳо", "баҳом", "менинг", "мен", "бераман", "қўяман",
                "점수", "평점", "별점", "별", "점수는", "제", "저는"]
OPTOUT_PHRASES = ["stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit",
                  "optout", "opt out", "revoke", "unsub",
                  "стоп", "отписаться", "отписка", "отписать", "отпишите",
                  "отпишите меня", "хватит", "отмена",
                  "wypisz", "wypisz mnie", "rezygnuję", "rezygnuje", "rezygnacja", "koniec",
                  "중지", "수신거부", "수신 거부", "그만", "거부",
                  "to'xtat", "toxtat", "to'xtating", "to'xtatish", "bekor qilish",
                  "obunadan chiqish",
                  "тўхтат", "тўхтатинг", "тўхтатиш", "бекор қилиш", "обунадан чиқиш"]
HELP_PHRASES = ["help", "info", "помощь", "справка", "pomoc", "도움말", "도움",
                "yordam", "ёрдам"]

APOS = "'`\u02bb\u02bc\u2018\u2019"


def norm(w):
    w = w.lower().replace("ё", "е")
    for a in APOS:
        w = w.replace(a, "'")
    return w


def main():
    table = {}

    def add(word, flag, num=None):
        w = norm(word)
        f, n = table.get(w, (set(), None))
        if num is not None:
            if n is not None and n != num:
                sys.exit("conflicting numbers for %r" % word)
            n = num
        f.add(flag)
        table[w] = (f, n)

    for w, v in NUMBERS.items():
        add(w, NUM, v)
    for w, v in DENOMINATORS.items():
        add(w, NUMDEN, v)
    for w, v in KO_DETERMINERS.items():
        add(w, KODET, v)
    for w, v in KO_SINO.items():
        add(w, WHOLE, v)
    for w in REVOF_WORDS:
        add(w, REVOF)
    for w, v in REVOF_NUMBERS.items():
        add(w, REVOF, v)
    for flag, words in ((YES, YES_WORDS), (NO, NO_WORDS), (HEDGE, HEDGE_WORDS),
                        (RANGE, RANGE_WORDS), (OF, OF_WORDS), (UNIT, UNIT_WORDS),
                        (THANKS, THANKS_WORDS), (LEADIN, LEADIN_WORDS),
                        (OPTOUT, OPTOUT_PHRASES), (HELP, HELP_PHRASES),
                        (MEASURE, MEASURE_WORDS)):
        for w in words:
            add(w, flag)
    # the first word of an opt-out or help phrase: the reader tries the whole
    # message as a phrase only when it starts with one of these
    for w in OPTOUT_PHRASES + HELP_PHRASES:
        if " " in w:
            add(w.split(" ")[0], PHRASE)

    rows = []
    for w, (flags, num) in table.items():
        b = w.encode("utf-8")
        if len(b) > 64:
            sys.exit("word too long: %r" % w)
        rows.append((len(b), b, w, flags, num or 0))
    rows.sort(key=lambda r: (r[0], r[1]))
    maxlen = rows[-1][0]

    out = sys.stdout
    out.write("/* Generated by src/lib/reply/reply_words.py: do not edit by hand.\n"
              " * The words the reply reader knows (src/lib/reply/reply.c), normalised: lower case,\n"
              " * \u0451 as \u0435, apostrophes as ', sorted by (length, bytes).\n"
              " * SPDX-License-Identifier: MIT */\n")
    # Laid out as generated: the formatter leaves the table alone.
    out.write("/* clang-format off */\n")
    out.write('#include "reply.h"\n\n#include <string.h>\n\n')
    out.write("const csat__word csat__reply_words[] = {\n")
    for ln, b, w, flags, num in rows:
        # a hex escape swallows following hex digits: split the literal there
        parts, cur, prev_hex = [], "", False
        for c in b:
            if 0x20 <= c < 0x7f and c not in (0x22, 0x5c, 0x3f):
                ch = chr(c)
                if prev_hex and ch in "0123456789abcdefABCDEF":
                    parts.append(cur)
                    cur = ""
                cur += ch
                prev_hex = False
            else:
                cur += "\\x%02x" % c
                prev_hex = True
        parts.append(cur)
        lit = '" "'.join(parts)
        fl = " | ".join("CSAT__W_" + f for f in sorted(flags))
        out.write('  {"%s", %d, %d, %s}, /* %s */\n' % (lit, ln, num, fl, w))
    out.write("};\n")
    out.write("const size_t csat__reply_words_count = sizeof csat__reply_words / sizeof csat__reply_words[0];\n\n")

    # open addressing on FNV-1a (32 bit) of the normalised bytes, linear probing
    size = 1
    while size < 2 * len(rows):
        size *= 2
    slots = [0] * size
    for i, row in enumerate(rows):
        h = fnv(row[1]) & (size - 1)
        while slots[h]:
            h = (h + 1) & (size - 1)
        slots[h] = i + 1
    out.write("#define SLOTS %d\n" % size)
    out.write("/* FNV-1a hash & (SLOTS - 1) -> index + 1 (0: empty), linear probing. */\n")
    out.write("static const uint16_t slots[SLOTS] = {\n")
    for k in range(0, size, 16):
        out.write("  " + ", ".join(str(v) for v in slots[k:k + 16]) + ",\n")
    out.write("};\n\n")
    out.write(
        "uint32_t csat__reply_word_hash(const char *w, size_t len) {\n"
        "  uint32_t h = CSAT__WORD_HASH_INIT;\n"
        "  size_t i;\n"
        "  for (i = 0; i < len; i++)\n"
        "    h = CSAT__WORD_HASH_STEP(h, (unsigned char)w[i]);\n"
        "  return h;\n"
        "}\n\n"
        "uint32_t csat__reply_word_lookup_h(const char *w, size_t len, uint32_t hash, int32_t *num) {\n"
        "  uint32_t h = hash & (SLOTS - 1);\n"
        "  for (;;) {\n"
        "    unsigned i = slots[h];\n"
        "    const csat__word *e;\n"
        "    if (i == 0)\n"
        "      return 0;\n"
        "    e = &csat__reply_words[i - 1];\n"
        "    if (e->len == len && memcmp(e->w, w, len) == 0) {\n"
        "      *num = e->num;\n"
        "      return e->flags;\n"
        "    }\n"
        "    h = (h + 1) & (SLOTS - 1);\n"
        "  }\n"
        "}\n\n"
        "uint32_t csat__reply_word_lookup(const char *w, size_t len, int32_t *num) {\n"
        "  return csat__reply_word_lookup_h(w, len, csat__reply_word_hash(w, len), num);\n"
        "}\n")


def fnv(b):
    h = 0x811C9DC5
    for c in b:
        h = ((h ^ c) * 0x01000193) & 0xFFFFFFFF
    return h


if __name__ == "__main__":
    main()
