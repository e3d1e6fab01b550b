/*
 * libcsat - post-contact customer-satisfaction surveys as an embeddable library.
 *
 * SPDX-License-Identifier: MIT
 *
 * Contents
 *   1. Version
 *   2. Errors
 *   3. Limits
 *   4. Constants by name (for bindings)
 *   5. Memory
 *   6. Surveys
 *     6.1 Building a survey
 *     6.2 Survey JSON
 *     6.3 Reading and freeing a survey
 *   7. Sessions
 *     7.1 Contacts, channels and outcomes
 *     7.2 The host vtable
 *     7.3 Creating a session
 *     7.4 Driving a voice session
 *     7.5 Pending work
 *     7.6 A session's state and result
 *     7.7 Save and restore
 *     7.8 Reading a customer's message
 *     7.9 Driving a text session
 *   8. Results
 *     8.1 Reading a result
 *     8.2 Result records as JSON Lines and CSV
 *   9. Aggregation
 *     9.1 How the aggregator counts
 *     9.2 Dimensions, periods and limits
 *     9.3 Creating an aggregator
 *     9.4 Scales, CES, CSI and categories
 *     9.5 Ingesting results and answers
 *     9.6 Ingesting records
 *     9.7 Slots and scores
 *     9.8 Groups and keys
 *     9.9 Metrics
 *     9.10 Comparisons and alerts
 *     9.11 Ranking
 *     9.12 Comment terms
 *     9.13 Merge, save and restore
 *     9.14 Reports
 *
 * This header says what a caller needs to call each function correctly.
 * include/README.md in the libcsat sources ("Hosting libcsat") is for
 * binding and host authors: lifetimes, threads and re-entry, the
 * aggregator's read protocol, custom allocators, and how the library is
 * fast.
 *
 * Overview
 * --------
 * libcsat is a pure state machine. It never performs I/O, never reads a clock,
 * never touches errno, locale, environment, files, sockets or threads, and holds
 * no global state. The host application:
 *   - defines a survey (csat_survey) through the builder API or from JSON;
 *   - creates one csat_session per contact and feeds it events (start, DTMF
 *     digits, no-input timeouts, hang-up, ...), each stamped with the host's
 *     current time in milliseconds since the Unix epoch;
 *   - receives the library's requests (play a prompt, collect digits, transfer,
 *     store the result, create a task) through the callbacks of a csat_host
 *     vtable.
 *
 * ABI rules (see README): every struct the host fills starts with
 * `size_t struct_size` and only ever grows at its end; the library reads only
 * the members the host's struct_size covers. Structs the library hands to the
 * host also start with struct_size (set by the library to the size it filled);
 * a host built against an older header reads only the members it knows.
 * struct_size is never compared with the library's own sizeof: a struct as
 * large as its 0.1.0 version is always accepted (some calls accept less, as
 * documented), members past the host's struct_size are treated as absent
 * (their defaults), and a larger struct_size (a host built against a newer
 * header) is accepted too: the library reads and writes only the members it
 * knows. A struct the caller sizes for output (csat_reply, csat_answer,
 * csat_agg_key, csat_metrics, csat_category_counts, csat_comparison, and the
 * csat_alert, csat_rank and csat_term arrays strided by out[0].struct_size)
 * is filled up to the smaller of the two sizes, never past the caller's, and
 * its struct_size is set to that size (csat_error keeps the caller's).
 * Constants are append-only. New behaviour arrives as new functions.
 *
 * Errors: functions return CSAT_OK (0) or a negative CSAT_ERR_* code;
 * csat_strerror() gives static text for a code; objects keep a more detailed
 * message of their last error (csat_session_errmsg). Parsers report details
 * (line, column, byte offset) through a caller-owned csat_error.
 *
 * Threads: a csat_survey is immutable once built and may be shared by any
 * number of sessions on any number of threads. A csat_session must be used by
 * one thread at a time. Callbacks must not call back into the session that
 * invoked them (they may use other sessions): a call that would change it
 * returns CSAT_ERR_STATE with a message naming the call and the callback, and
 * changes nothing; csat_session_save returns CSAT_ERR_STATE without a message.
 * The accessors (pending, outcome, ended, result, errmsg) may be read. Never
 * free a session from inside its own callback.
 *
 * Strings: all strings are UTF-8. Strings passed in are copied; the library
 * never keeps a host pointer past the call that received it. Strings passed to
 * callbacks are valid only for the duration of the callback.
 */
#ifndef CSAT_H
#define CSAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(CSAT_SHARED)
#  ifdef CSAT_BUILDING
#    define CSAT_EXTERN __declspec(dllexport)
#  else
#    define CSAT_EXTERN __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define CSAT_EXTERN __attribute__((visibility("default")))
#else
#  define CSAT_EXTERN
#endif

/* ======================================================================== */
/* 1. Version                                                               */
/* ======================================================================== */

/** The version of this header (csat_version_num gives the library's). */
#define CSAT_VERSION_MAJOR 0
#define CSAT_VERSION_MINOR 1
#define CSAT_VERSION_PATCH 0
/** 0xMMmmpp: compare with `>=` to test for a feature's presence at compile time. */
#define CSAT_VERSION_NUM \
  ((CSAT_VERSION_MAJOR << 16) | (CSAT_VERSION_MINOR << 8) | CSAT_VERSION_PATCH)
#define CSAT_VERSION_STRING "0.1.0"

/** The version string of the library linked at run time, e.g. "0.1.0". Static storage. */
CSAT_EXTERN const char *csat_version(void);
/** The CSAT_VERSION_NUM of the library linked at run time. */
CSAT_EXTERN uint32_t csat_version_num(void);

/* ======================================================================== */
/* 2. Errors                                                                */
/* ======================================================================== */

/** Error codes (append-only: a value never changes meaning). */

#define CSAT_OK 0
/** An argument is NULL where it may not be, out of range, or malformed. */
#define CSAT_ERR_INVALID_ARG (-1)
/** The allocator returned NULL. The object is unchanged unless documented. */
#define CSAT_ERR_NOMEM (-2)
/** A caller-owned output buffer is too small; the needed size is reported. */
#define CSAT_ERR_BUFFER_TOO_SMALL (-3)
/** JSON text is not well-formed (syntax, encoding). csat_error has the position. */
#define CSAT_ERR_PARSE (-4)
/** A survey definition is well-formed but not valid (csat_error says why). */
#define CSAT_ERR_INVALID_SURVEY (-5)
/** An input exceeds a documented limit (size, depth, count, length). */
#define CSAT_ERR_LIMIT (-6)
/** The call is not legal in the object's current state (e.g. start twice). */
#define CSAT_ERR_STATE (-7)
/** A saved session blob is truncated, corrupt or inconsistent. */
#define CSAT_ERR_BLOB (-8)
/** A saved session blob has a format version this library cannot read. */
#define CSAT_ERR_BLOB_VERSION (-9)
/** A saved session blob belongs to another survey (id, version or content). */
#define CSAT_ERR_MISMATCH (-10)
/**
 * A host callback reported failure. The event that triggered it WAS applied;
 * the work the callback was to take (a result to store, a task to create) is
 * kept pending in the session: see csat_session_pending / csat_session_flush.
 */
#define CSAT_ERR_CALLBACK (-11)
/** A lookup found nothing (unknown question id, index out of range). */
#define CSAT_ERR_NOT_FOUND (-12)
/** A string is not valid UTF-8. */
#define CSAT_ERR_UTF8 (-13)
/** The host vtable lacks a callback the survey needs (e.g. play). */
#define CSAT_ERR_UNSUPPORTED (-14)

/** Static, never-NULL English text for an error code (unknown codes included). */
CSAT_EXTERN const char *csat_strerror(int code);

/**
 * Details of a failed parse or validation, filled by the library when the
 * caller passes a non-NULL pointer. The caller sets struct_size to
 * sizeof(csat_error) before the call.
 */
typedef struct csat_error {
  size_t struct_size;
  int code;          /**< the CSAT_ERR_* returned */
  int32_t line;      /**< 1-based line of the problem, 0 if not applicable */
  int32_t column;    /**< 1-based column in bytes, 0 if not applicable */
  size_t offset;     /**< byte offset from the start of the input */
  char message[256]; /**< NUL-terminated English description */
} csat_error;

/* ======================================================================== */
/* 3. Limits                                                                */
/* ======================================================================== */

/*
 * Every input from outside is bounded: exceeding a limit is CSAT_ERR_LIMIT
 * (sizes and counts) or CSAT_ERR_INVALID_ARG (ranges), never a crash. Bytes
 * are UTF-8 bytes; characters are code points, and text cut to a limit is
 * never split inside a character. Each limit is published once, here or
 * beside the functions it bounds (CSAT_JSON_MAX_INPUT, CSAT_JSON_MAX_DEPTH,
 * CSAT_BLOB_MAX, CSAT_TEXT_MAX, CSAT_AGG_MAX_*, CSAT_AGG_RECORD_MAX_ANSWERS);
 * README's Limits table lists them (a test keeps it equal to these values).
 */
/**
 * Survey and question ids, survey names, language tags; the contact's ids,
 * department, language and address; a task's target and rule name; the
 * aggregator's question ids, time zone and category names.
 */
#define CSAT_MAX_ID_BYTES 128
#define CSAT_MAX_PROMPT_BYTES 4096 /**< the text of a prompt */
#define CSAT_MAX_AUDIO_BYTES 1024  /**< an audio reference; a voice comment's recording reference */
#define CSAT_MAX_TEMPLATE_BYTES 8192 /**< a task's name and description templates, its category */
#define CSAT_MAX_QUESTIONS 64        /**< questions in a survey */
#define CSAT_MAX_LANGUAGES 32        /**< distinct prompt languages in a survey */
#define CSAT_MAX_SCORE 10            /**< rating scales lie inside 0..CSAT_MAX_SCORE */
#define CSAT_MAX_ATTRS 32            /**< custom attributes of a contact */
#define CSAT_MAX_ATTR_KEY_BYTES 128  /**< also the aggregator's attribute_key */
#define CSAT_MAX_ATTR_VALUE_BYTES 1024
#define CSAT_MAX_DIGITS 32 /**< DTMF digits per csat_session_input */
/** A text comment kept with an answer; a longer one is cut (csat_session_text). */
#define CSAT_MAX_COMMENT_CHARS 4096
/** A task's fields as the host receives them (cut when longer). */
#define CSAT_MAX_TASK_NAME_CHARS 512
#define CSAT_MAX_TASK_DESCRIPTION_CHARS 4096
#define CSAT_MAX_TASK_CATEGORY_CHARS 200
#define CSAT_MAX_TASK_REFERENCES 25
#define CSAT_MAX_TASK_REFERENCE_CHARS 4096 /**< the value of one reference */
/** The survey window of text channels (csat_survey_builder_set_text), ms. */
#define CSAT_MIN_TEXT_WINDOW_MS ((int64_t)60000)
#define CSAT_MAX_TEXT_WINDOW_MS ((int64_t)30 * 24 * 3600 * 1000)

/* ======================================================================== */
/* 4. Constants by name (for bindings)                                      */
/* ======================================================================== */

/*
 * The integer constants of this header by name and value, so a binding
 * builds its constants when it loads instead of copying them by hand (the
 * same table, generated from this header, is bindings/constants.tsv for
 * code generators: name, family, value). Each constant has a family, the
 * prefix its group shares: CSAT_ERR_ (error codes, CSAT_OK included: the
 * one member whose name lacks its family's prefix), CSAT_MODE_, CSAT_Q_,
 * CSAT_EXHAUSTED_, CSAT_PROMPT_, CSAT_CHANNEL_, CSAT_OUTCOME_,
 * CSAT_PENDING_, CSAT_REPLY_, CSAT_REASON_, CSAT_ANSWER_, CSAT_ESCALATION_,
 * CSAT_DIM_, CSAT_PERIOD_, CSAT_RANK_, CSAT_TERMS_, CSAT_REPORT_. A value
 * names one member of its family (the bit-set families CSAT_PENDING_,
 * CSAT_DIM_ and CSAT_REPORT_ list single bits, and CSAT_DIM_ALL). Limits
 * and bounds (the limits of "Limits" and beside their functions,
 * CSAT_PROMPT_KIND_MAX, CSAT_OUTCOME_MAX, CSAT_AGG_COUNT_MAX,
 * CSAT_AGG_BLOB_VERSION) have the family "": they are listed, but are no
 * family's members. Not listed: the CSAT_VERSION_* macros (csat_version_num
 * gives the library's), CSAT_AGG_ALL ((size_t)-1, i.e. SIZE_MAX) and
 * CSAT_EXTERN. Like the constants, the table is append-only: a later
 * version adds rows and families, never changes one. Names and families are
 * static strings. These functions allocate nothing and may be called from
 * any thread.
 */
/**
 * Name of the member of `family` (e.g. "CSAT_OUTCOME_") with this value (e.g.
 * "CSAT_OUTCOME_COMPLETED"), or NULL when family is NULL, "" or unknown or
 * no member has the value.
 */
CSAT_EXTERN const char *csat_constant_name(const char *family, int64_t value);
/**
 * Value of the constant `name` (e.g. "CSAT_ERR_NOMEM", exact spelling) into
 * *value (may be NULL to test for presence). OK, NOT_FOUND, INVALID_ARG
 * (name NULL).
 */
CSAT_EXTERN int csat_constant_value(const char *name, int64_t *value);
/**
 * Row `index` of the table (0, 1, ... in header order; an index is not stable
 * across versions, a name is): its name, family ("" for limits and bounds)
 * and value. Any out pointer may be NULL. OK, or NOT_FOUND past the last row.
 */
CSAT_EXTERN int csat_constant_at(size_t index, const char **name, const char **family,
                                 int64_t *value);

/* ======================================================================== */
/* 5. Memory                                                                */
/* ======================================================================== */

/**
 * A per-object allocator. Passing NULL wherever a csat_allocator is taken means
 * the C library's malloc/realloc/free. The struct is copied: it need not outlive
 * the call. Every object frees its memory through the allocator it was made
 * with. The functions may be called from any thread that uses the object.
 */
typedef struct csat_allocator {
  size_t struct_size; /**< sizeof(csat_allocator) */
  void *(*malloc)(size_t size, void *user);
  void *(*realloc)(void *ptr, size_t size, void *user);
  void (*free)(void *ptr, void *user);
  void *user;
} csat_allocator;

/* ======================================================================== */
/* 6. Surveys                                                               */
/* ======================================================================== */

/* ---- 6.1 Building a survey --------------------------------------------- */

/** An immutable survey definition, and the builder that makes one. */
typedef struct csat_survey csat_survey;
typedef struct csat_survey_builder csat_survey_builder;

/** Survey modes. */
#define CSAT_MODE_ON_DEMAND 1 /**< every contact is surveyed */
#define CSAT_MODE_OPT_IN 2    /**< only contacts who accepted an offer earlier in the call */

/** Question kinds. */
#define CSAT_Q_RATING 1        /**< integer score on [min, max] inside 0..10 */
#define CSAT_Q_YES_NO 2        /**< yes = score 1, no = score 0; DTMF 1 = yes, 2 = no */
#define CSAT_Q_VOICE_COMMENT 3 /**< recorded voice comment (voice channel only) */
#define CSAT_Q_TEXT_COMMENT 4  /**< free-text comment (SMS / chat only) */

/** What happens when a question's attempts run out. */
#define CSAT_EXHAUSTED_SKIP 1 /**< leave the question unanswered, go on */
#define CSAT_EXHAUSTED_END 2  /**< end the survey (outcome attempts exhausted) */

/**
 * Prompt kinds. Survey-level prompts are set with question = -1; the prompts
 * marked (q) may also be set per question, overriding the survey-level one for
 * that question.
 */
#define CSAT_PROMPT_INTRO 1            /**< before the first question */
#define CSAT_PROMPT_OUTRO 2            /**< after the last question (voice) */
#define CSAT_PROMPT_QUESTION 3         /**< (q) the question itself; per question only */
#define CSAT_PROMPT_INVALID_INPUT 4    /**< (q) input outside the scale */
#define CSAT_PROMPT_NO_INPUT 5         /**< (q) nothing entered before the timeout */
#define CSAT_PROMPT_MAX_ATTEMPTS 6     /**< (q) attempts ran out */
#define CSAT_PROMPT_THANKS 7           /**< after the last answer (text channels) */
#define CSAT_PROMPT_ALREADY_ANSWERED 8 /**< the contact was surveyed before */
#define CSAT_PROMPT_OPT_IN_OFFER 9     /**< "press 1 to take a survey after the call, 2 not to" */
#define CSAT_PROMPT_ESCALATION 10      /**< apology + "1 for a supervisor, 2 for a callback" */
#define CSAT_PROMPT_INVITATION 11      /**< first message of a text survey */
#define CSAT_PROMPT_OPT_OUT 12         /**< confirmation of an opt-out (text) */
#define CSAT_PROMPT_EXPIRED 13         /**< reply after the survey window (text) */
#define CSAT_PROMPT_KIND_MAX 13        /**< highest kind this header knows */

/**
 * Start a survey definition. `id` (1..128 bytes, printable ASCII without
 * spaces) and `version` (>= 1) identify it in results. Defaults: mode on
 * demand, default language "en", first-digit timeout 5000 ms, inter-digit
 * timeout 3000 ms, terminator '#', 3 repeats of a question allowed through
 * '*', escalation disabled (bound 3 when enabled), tasks enabled with default
 * templates. Errors: INVALID_ARG, NOMEM.
 */
CSAT_EXTERN int csat_survey_builder_new(csat_survey_builder **out, const char *id, int32_t version,
                                        const csat_allocator *alloc);
/** Free a builder that was not finished (NULL is ignored). */
CSAT_EXTERN void csat_survey_builder_free(csat_survey_builder *b);

/**
 * Builder setters. Each copies its strings, returns CSAT_OK or INVALID_ARG,
 * LIMIT, UTF8, NOMEM, and leaves the builder unchanged on error; the detailed
 * message is in csat_survey_builder_errmsg(). Limits: names, ids and language
 * tags <= 128 bytes; prompt texts <= 4096 bytes; audio references <= 1024
 * bytes; templates <= 8192 bytes; at most 64 questions and 32 languages
 * (the CSAT_MAX_* of "Limits").
 */
CSAT_EXTERN int csat_survey_builder_set_name(csat_survey_builder *b, const char *name);
/** Language tag such as "en", "pl", "ko", "ru", "uz-Latn". */
CSAT_EXTERN int csat_survey_builder_set_default_language(csat_survey_builder *b, const char *lang);
/**
 * CSAT_MODE_ON_DEMAND or CSAT_MODE_OPT_IN. An opt-in survey needs a
 * survey-level CSAT_PROMPT_OPT_IN_OFFER in its default language (finish and
 * the readers refuse it otherwise, naming the prompt).
 */
CSAT_EXTERN int csat_survey_builder_set_mode(csat_survey_builder *b, int32_t mode);
/**
 * Set a prompt for `lang` (NULL = the default language). `question` is -1 for
 * a survey-level prompt or a question index for a per-question one. Either
 * text or audio may be NULL, not both. Setting it again replaces it.
 */
CSAT_EXTERN int csat_survey_builder_set_prompt(csat_survey_builder *b, int32_t kind,
                                               int32_t question, const char *lang, const char *text,
                                               const char *audio);
/**
 * Append a question. `id` is unique in the survey (1..128 bytes, printable
 * ASCII without spaces). For CSAT_Q_RATING, 0 <= min < max <= 10; other kinds
 * ignore min and max. New questions take 3 attempts, CSAT_EXHAUSTED_SKIP, no
 * flag and no condition. Stores the new index in *index_out if non-NULL.
 */
CSAT_EXTERN int csat_survey_builder_add_question(csat_survey_builder *b, const char *id,
                                                 int32_t kind, int32_t min, int32_t max,
                                                 int32_t *index_out);
/**
 * Flag for review: when `enabled` is non-zero, a score <= threshold flags the
 * result (threshold must lie in [min, max] of the question). Disabled flags
 * keep their threshold but never fire.
 */
CSAT_EXTERN int csat_survey_builder_set_flag(csat_survey_builder *b, int32_t question,
                                             int32_t enabled, int32_t threshold);
/** Attempts allowed (1..9) and CSAT_EXHAUSTED_SKIP or CSAT_EXHAUSTED_END. */
CSAT_EXTERN int csat_survey_builder_set_attempts(csat_survey_builder *b, int32_t question,
                                                 int32_t max_attempts, int32_t on_exhausted);
/**
 * Follow-up on a low score: ask `question` only when the earlier question
 * `parent` was answered with a score <= at_most. `parent` must come before.
 */
CSAT_EXTERN int csat_survey_builder_set_condition(csat_survey_builder *b, int32_t question,
                                                  int32_t parent, int32_t at_most);
/**
 * Escalation: when enabled and any rating score is < below, after the last
 * question the caller hears CSAT_PROMPT_ESCALATION and may press 1 for a
 * transfer to `transfer_target` (NULL: no transfer offered) or 2 for a
 * callback (when `callback` is non-zero). Enabled escalation needs a
 * survey-level CSAT_PROMPT_ESCALATION in the default language (finish and
 * the readers refuse it otherwise, naming the prompt).
 */
CSAT_EXTERN int csat_survey_builder_set_escalation(csat_survey_builder *b, int32_t enabled,
                                                   int32_t below, const char *transfer_target,
                                                   int32_t callback);
/**
 * Task created for a flagged result. Any string may be NULL to keep the
 * default. Templates may contain [ContactId] [AgentId] [QueueId] [RuleName]
 * [SurveyId] [SurveyName] [Question] [Score] [Comment]. `target` is the flow or
 * queue id the task is routed to. `enabled` = 0 turns task creation off.
 * The default description leaves out " ([SurveyName])" when the survey has
 * no name and its closing "Comment: [Comment]" when the result has no
 * comment; a template set here is expanded exactly as written. The task's
 * references (one per flagged question, then "survey") read "3 of 1..5" or
 * "yes"/"no" in the survey's default language when the library knows it
 * (en, pl, ru, uk, de, fr, es, ko; English otherwise).
 */
CSAT_EXTERN int csat_survey_builder_set_task(csat_survey_builder *b, int32_t enabled,
                                             const char *name_template,
                                             const char *description_template, const char *category,
                                             const char *target, const char *rule_name);
/**
 * Voice comment questions: longest recording (1000..600000 ms, default 60000)
 * and the silence that ends it (500..60000 ms, default 3000).
 */
CSAT_EXTERN int csat_survey_builder_set_recording(csat_survey_builder *b, int32_t question,
                                                  int32_t max_duration_ms,
                                                  int32_t silence_timeout_ms);
/**
 * DTMF collection: timeouts in ms (100..600000) and the terminator
 * ('#', '*' is reserved for repeat, or 0 for none); max_repeats (0..9) bounds
 * how often '*' replays a question before it counts as an invalid attempt.
 */
CSAT_EXTERN int csat_survey_builder_set_input(csat_survey_builder *b,
                                              int32_t first_digit_timeout_ms,
                                              int32_t inter_digit_timeout_ms, int32_t terminator,
                                              int32_t max_repeats);
/**
 * Text channels (SMS, chat): the survey window (60000 ms .. 30 days, default
 * 24 h) after which a reply gets the EXPIRED prompt and the session ends with
 * outcome expired; and whether one message may answer several questions in a
 * row ("5 4 5"), default off.
 */
CSAT_EXTERN int csat_survey_builder_set_text(csat_survey_builder *b, int64_t window_ms,
                                             int32_t multiple_answers);
/**
 * Validate and build. On success *out owns a new immutable survey and the
 * builder is freed; on failure the builder is untouched (still owned by the
 * caller) and `err` (may be NULL) says what is wrong. A valid survey has at
 * least one question, a CSAT_PROMPT_QUESTION for every question in the default
 * language, and consistent conditions and thresholds.
 */
CSAT_EXTERN int csat_survey_builder_finish(csat_survey_builder *b, csat_survey **out,
                                           csat_error *err);
/** Message of the builder's last error ("" if none). Valid until the next call. */
CSAT_EXTERN const char *csat_survey_builder_errmsg(const csat_survey_builder *b);

/* ---- 6.2 Survey JSON --------------------------------------------------- */

/*
 * Survey JSON format (what csat_survey_to_json writes; members may come in
 * any order, unknown members are refused; optional members take the builder's
 * defaults):
 *
 * {
 *   "id": "post-call", "version": 1,            required
 *   "name": "Post-call CSAT",
 *   "default_language": "en",
 *   "mode": "on_demand" | "opt_in",
 *   "input": {"first_digit_timeout_ms": 5000, "inter_digit_timeout_ms": 3000,
 *             "terminator": "#" | "", "max_repeats": 3},
 *   "text": {"window_ms": 86400000, "multiple_answers": false},
 *   "prompts": {"<kind>": {"<lang>": {"text": "...", "audio": "..."}}},
 *   "questions": [                               required, 1..64
 *     {"id": "q1", "type": "rating" | "yes_no" | "voice_comment" | "text_comment",
 *      "min": 1, "max": 5,                       rating only
 *      "prompts": {"question": {"en": {"text": "..."}}, "invalid_input": ...},
 *      "flag": {"enabled": true, "threshold": 3},
 *      "attempts": {"max": 3, "on_exhausted": "skip" | "end"},
 *      "ask_if": {"question": "<earlier id>", "at_most": 2},
 *      "recording": {"max_duration_ms": 60000, "silence_timeout_ms": 3000}}
 *   ],
 *   "escalation": {"enabled": true, "below": 3, "transfer_target": "sup" | null,
 *                  "callback": true},
 *   "task": {"enabled": true, "name": "...", "description": "...",
 *            "category": "...", "target": "...", "rule_name": "..."}
 * }
 *
 * <kind> is one of intro, outro, question, invalid_input, no_input,
 * max_attempts, thanks, already_answered, opt_in_offer, escalation,
 * invitation, opt_out, expired (question-level: question, invalid_input,
 * no_input, max_attempts). A language's value may also be a plain string,
 * meaning {"text": string}. Integers are plain JSON integers (no fraction or
 * exponent) within the ranges of the builder.
 */
/**
 * Limits of the JSON reader: input <= 1 MiB, nesting depth <= 32, strings as
 * for the builder. Input must be UTF-8 (a BOM is refused), RFC 8259 JSON,
 * unknown members are errors (so typos are caught). Errors: PARSE, LIMIT,
 * UTF8 (with line:column in err), INVALID_SURVEY, NOMEM.
 */
#define CSAT_JSON_MAX_INPUT (1024u * 1024u)
#define CSAT_JSON_MAX_DEPTH 32
CSAT_EXTERN int csat_survey_from_json(csat_survey **out, const char *json, size_t len,
                                      const csat_allocator *alloc, csat_error *err);
/**
 * Import the item format of "Contact Surveys for Amazon Connect": an object
 * with surveyId (or id), surveyName, min, max, introPrompt, outroPrompt,
 * question_1..question_N and flag_question_1..N (a threshold; absent or
 * negative = no flag). Questions are ordered by their number, not their name.
 * The threshold keeps the solution's meaning unchanged: its processReviewFlags
 * function flags a score <= flag_question_N, as csat_survey_builder_set_flag
 * does, so flag_question_N = 3 flags 3 and below. (The solution's console
 * says "lower than" the threshold; its code, and its worked example where
 * the caller answers 3, "lower than or equal to" the threshold, say "at or
 * below".) A threshold outside min..max is refused.
 */
CSAT_EXTERN int csat_survey_from_amazon_json(csat_survey **out, const char *json, size_t len,
                                             const csat_allocator *alloc, csat_error *err);
/**
 * Write the survey as canonical JSON (reading it back gives an equal survey).
 * Writes at most `cap` bytes including a terminating NUL; *needed (if non-NULL)
 * receives the full length excluding the NUL. Returns BUFFER_TOO_SMALL when
 * cap <= length; call with buf = NULL, cap = 0 to size the buffer.
 */
CSAT_EXTERN int csat_survey_to_json(const csat_survey *s, char *buf, size_t cap, size_t *needed);
/* ---- 6.3 Reading and freeing a survey ---------------------------------- */

/** Free a survey (NULL is ignored). Every session using it must be freed first. */
CSAT_EXTERN void csat_survey_free(csat_survey *s);

/** Read access to a survey. Strings live as long as the survey. */
CSAT_EXTERN const char *csat_survey_id(const csat_survey *s);
CSAT_EXTERN int32_t csat_survey_version(const csat_survey *s);
CSAT_EXTERN const char *csat_survey_name(const csat_survey *s);
CSAT_EXTERN int32_t csat_survey_question_count(const csat_survey *s);
/** Question id at index, or NULL when out of range. */
CSAT_EXTERN const char *csat_survey_question_id(const csat_survey *s, int32_t index);
/** Index of the question with that id, or CSAT_ERR_NOT_FOUND. */
CSAT_EXTERN int32_t csat_survey_question_index(const csat_survey *s, const char *id);

/* ======================================================================== */
/* 7. Sessions                                                              */
/* ======================================================================== */

/* ---- 7.1 Contacts, channels and outcomes ------------------------------- */

/** One survey of one contact (opaque), and its result record. */
typedef struct csat_session csat_session;
typedef struct csat_result csat_result;

/** Channels (csat_contact.channel). */
#define CSAT_CHANNEL_VOICE 1
#define CSAT_CHANNEL_SMS 2
#define CSAT_CHANNEL_CHAT 3

/** Outcomes: a closed set. 0 means the session has not ended. */
#define CSAT_OUTCOME_NONE 0
#define CSAT_OUTCOME_COMPLETED 1          /**< every question asked was answered */
#define CSAT_OUTCOME_PARTIAL 2            /**< some answers, not all */
#define CSAT_OUTCOME_ABANDONED 3          /**< hung up before any answer */
#define CSAT_OUTCOME_DECLINED 4           /**< opt-in refused or never offered */
#define CSAT_OUTCOME_TIMED_OUT 5          /**< no answer at all, the caller stayed silent */
#define CSAT_OUTCOME_ATTEMPTS_EXHAUSTED 6 /**< ended because attempts ran out */
#define CSAT_OUTCOME_OPTED_OUT 7          /**< the customer opted out (text) */
#define CSAT_OUTCOME_EXPIRED 8            /**< reply after the survey window (text) */
#define CSAT_OUTCOME_ALREADY_ANSWERED 9   /**< contact surveyed before: not run again */
#define CSAT_OUTCOME_MAX 9

/** Static name of an outcome ("completed", "partial", ...), "none" for 0, "unknown" otherwise. */
CSAT_EXTERN const char *csat_outcome_name(int32_t outcome);

/** A custom contact attribute (key/value pair). Fixed layout forever. */
typedef struct csat_attr {
  const char *key;
  const char *value;
} csat_attr;

/**
 * The contact a session surveys, filled by the host. Strings may be NULL
 * (stored as empty). Limits: ids, department, language, address <= 128 bytes;
 * at most 32 attributes, keys <= 128 bytes, values <= 1024 bytes.
 */
typedef struct csat_contact {
  size_t struct_size;     /**< sizeof(csat_contact) */
  const char *contact_id; /**< required, non-empty */
  const char *agent_id;
  const char *queue_id;
  const char *department;
  int32_t channel;              /**< CSAT_CHANNEL_* */
  const char *language;         /**< NULL or "" = the survey's default language */
  const char *customer_address; /**< phone number or chat handle */
  int64_t started_ms;           /**< contact start, ms since the epoch (0 = unknown) */
  int64_t ended_ms;             /**< contact end */
  int64_t wait_ms;              /**< time in queue */
  int64_t talk_ms;              /**< talk duration */
  const csat_attr *attrs;       /**< custom attributes, inherited by tasks */
  size_t attr_count;
} csat_contact;

/* ---- 7.2 The host vtable ----------------------------------------------- */

/** A prompt the host must play (voice) or send (text). */
typedef struct csat_prompt {
  size_t struct_size;   /**< set by the library */
  int32_t kind;         /**< CSAT_PROMPT_* */
  int32_t question;     /**< question index, -1 for survey-level prompts */
  const char *language; /**< the language the prompt was found in */
  const char *text;     /**< text for TTS/SMS/chat, or NULL */
  const char *audio;    /**< audio reference (sound file), or NULL */
} csat_prompt;

/** How to collect DTMF after the prompts just played. */
typedef struct csat_collect {
  size_t struct_size; /**< set by the library */
  int32_t question;   /**< question index; -1 for a menu (opt-in, escalation) */
  int32_t min_digits;
  int32_t max_digits;
  int32_t terminator; /**< '#' or 0 */
  int32_t first_digit_timeout_ms;
  int32_t inter_digit_timeout_ms;
} csat_collect;

/** Record a voice comment for a CSAT_Q_VOICE_COMMENT question. */
typedef struct csat_record {
  size_t struct_size; /**< set by the library */
  int32_t question;
  int32_t max_duration_ms;
  int32_t silence_timeout_ms;
} csat_record;

/** A task for a supervisor, created at most once per contact. */
typedef struct csat_task {
  size_t struct_size;              /**< set by the library */
  const char *name;                /**< <= 512 characters */
  const char *description;         /**< <= 4096 characters */
  const char *category;            /**< <= 200 characters */
  const char *target;              /**< routing target: flow or queue id ("" if none) */
  const char *previous_contact_id; /**< the surveyed contact */
  const char *idempotency_key;     /**< the same for every retry of this task */
  const csat_attr *references;     /**< <= 25 named references, values <= 4096 characters */
  size_t reference_count;
  const csat_attr *attributes; /**< the contact's custom attributes */
  size_t attribute_count;
} csat_task;

/**
 * The host vtable. Callbacks return 0 on success and a negative value on
 * failure. A NULL callback means "not supported": play and collect are
 * required for voice sessions; the others are optional. Callbacks must not
 * call into the session that invoked them. The struct is copied at session
 * creation.
 */
typedef struct csat_host {
  size_t struct_size; /**< sizeof(csat_host) */
  void *user;         /**< passed to every callback */
  /** Play a prompt (voice) or send it as a message (text). */
  int (*play)(void *user, const csat_prompt *prompt);
  /** After the prompts just played, collect DTMF per spec; answer with csat_session_input or csat_session_no_input. */
  int (*collect)(void *user, const csat_collect *spec);
  /** Record a voice comment; answer with csat_session_recorded or csat_session_no_input. */
  int (*record)(void *user, const csat_record *spec);
  /** Transfer the caller to target (escalation). */
  int (*transfer)(void *user, const char *target);
  /** Schedule a callback to the customer at address (escalation). */
  int (*schedule_callback)(void *user, const char *customer_address, const char *contact_id);
  /** Store the result record. Failure keeps it pending in the session. */
  int (*store)(void *user, const csat_result *result);
  /** Create a task. Failure keeps it pending; retries carry the same idempotency key. */
  int (*create_task)(void *user, const csat_task *task);
  /**
   * Was this contact surveyed with this survey before? Return 1 yes, 0 no,
   * negative on failure (start then fails with CSAT_ERR_CALLBACK and may be
   * retried). NULL: never.
   */
  int (*already_surveyed)(void *user, const char *survey_id, const char *contact_id);
  /** The session ended with this outcome (called once, after the result was offered to store). */
  int (*ended)(void *user, int32_t outcome);
  /**
   * Text channels: the customer opted out (STOP, ...). The host should
   * suppress further surveys to this address. Called once per session (and
   * again by csat_session_flush while it fails: CSAT_PENDING_OPT_OUT).
   */
  int (*opted_out)(void *user, const char *customer_address, const char *contact_id);
} csat_host;

/* ---- 7.3 Creating a session -------------------------------------------- */

/**
 * Create a session for one contact. The survey must outlive the session. The
 * contact's strings and the host struct are copied. Errors: INVALID_ARG,
 * LIMIT, UTF8, UNSUPPORTED (voice channel without play/collect, text channel
 * without play), NOMEM.
 */
CSAT_EXTERN int csat_session_new(csat_session **out, const csat_survey *survey,
                                 const csat_contact *contact, const csat_host *host,
                                 const csat_allocator *alloc);
/** Free a session (NULL is ignored). A pending result is lost with it: flush first. */
CSAT_EXTERN void csat_session_free(csat_session *s);

/* ---- 7.4 Driving a voice session --------------------------------------- */

/*
 * How a voice session behaves (the contract the golden transcripts test)
 * ----------------------------------------------------------------------
 * Prompts are looked up for the contact's language, then its primary subtag
 * ("pl" for "pl-PL"), then the survey's default language (and its primary
 * subtag); the language matters most: within one language a question's own
 * prompt of a kind wins over the survey-level one, but a survey-level prompt
 * in the caller's language wins over a question's prompt in another. A prompt
 * that exists in no language is silently not played (QUESTION always exists).
 *
 * Before start (state "new"):
 *  - csat_session_offer (opt-in mode only, else STATE): plays OPT_IN_OFFER and
 *    collects one digit (question -1). "1" accepts, "2" refuses; anything else
 *    plays INVALID_INPUT then OPT_IN_OFFER again, and no input plays NO_INPUT
 *    then OPT_IN_OFFER again, 3 attempts in all, after which the offer counts
 *    as refused. The session then waits for start.
 *  - csat_session_opt_in (opt-in mode only, else STATE) records an answer the
 *    host obtained itself.
 *  - hang-up: outcome declined in opt-in mode without an accepted offer,
 *    abandoned otherwise. No prompt is played.
 *
 * csat_session_start:
 *  1. already_surveyed (if provided): failure -> CALLBACK, nothing changed, may
 *     be retried; 1 -> ALREADY_ANSWERED is played (if defined) and the session
 *     ends with outcome already_answered. Such a result is NOT stored (the
 *     contact has one already) and creates no task.
 *  2. opt-in mode without an accepted offer -> outcome declined (stored), no
 *     prompt.
 *  3. Otherwise INTRO is played and the first question asked.
 *
 * Asking question i: a question whose condition (parent score <= at_most)
 * does not hold is skipped with status CONDITION (a parent without a score
 * fails the condition); a text comment on voice (or a voice comment on a text
 * channel) is skipped with status NOT_APPLICABLE. Rating and yes/no questions
 * play QUESTION then collect: min 1 digit, max 2 digits when the scale reaches
 * 10 else 1, the survey's terminator and timeouts. Voice comments play
 * QUESTION then ask the host to record.
 *
 * csat_session_input while a question waits (digits [0-9*#], at most 32):
 *  - empty, or only the terminator: same as csat_session_no_input;
 *  - a leading '*': the question is replayed (QUESTION + collect) without
 *    using an attempt, at most max_repeats times per question; after that '*'
 *    is an invalid attempt;
 *  - one trailing terminator is dropped; the rest must be 1 or 2 decimal
 *    digits without a leading zero, inside [min, max] (yes/no: "1" = yes =
 *    score 1, "2" = no = score 0). A valid answer is stored with the time, its
 *    flag is computed (flag enabled and score <= threshold), and the next
 *    question is asked;
 *  - anything else uses an attempt: while attempts remain, INVALID_INPUT is
 *    played, then QUESTION again and collect.
 * csat_session_no_input while a question waits: uses an attempt; while
 * attempts remain NO_INPUT, QUESTION and collect are played.
 * When the attempts run out: MAX_ATTEMPTS is played, the status becomes
 * INVALID or NO_INPUT (after the last failure's kind), and with
 * CSAT_EXHAUSTED_END the survey ends with outcome attempts_exhausted;
 * with CSAT_EXHAUSTED_SKIP the next question is asked.
 * A voice comment: csat_session_recorded stores the reference as the comment
 * (status ANSWERED, score -1); no input skips it (status NO_INPUT) without a
 * re-prompt. The raw input of every attempt is kept (the last one).
 *
 * After the last question:
 *  - escalation (if enabled and any answered rating score < below): plays
 *    ESCALATION, collects one digit (question -1): "1" transfers (only if a
 *    transfer target is set), "2" schedules a callback (only if allowed);
 *    other input plays INVALID_INPUT then ESCALATION again, no input NO_INPUT
 *    then ESCALATION again, 3 attempts in all, then the offer lapses
 *    (escalation "offered").
 *  - OUTRO is played, except before a transfer; then, in this order:
 *    transfer or schedule_callback if chosen; store the result; create the
 *    task if the result is flagged and tasks are enabled; the ended callback.
 *  - outcome: completed when every question asked was answered (also when no
 *    question applied); partial when at least one was; with no answer at all,
 *    attempts_exhausted if any question ran out of attempts on invalid input,
 *    timed_out otherwise (the caller stayed silent).
 *
 * csat_session_hangup (any state but ended; STATE after the end): no prompt
 * is played; the question being asked keeps status NOT_ASKED (its attempts
 * and raw input kept); outcome partial with at least one answer, abandoned
 * without (during the escalation offer: as computed after the last
 * question). Then store, task, ended.
 *
 * csat_session_repeat replays the current prompt and collect/record request
 * (question, offer or escalation menu) without using an attempt or a repeat.
 *
 * Further details hosts can rely on:
 *  - A question set to CSAT_EXHAUSTED_END that runs out of attempts plays
 *    MAX_ATTEMPTS and ends the survey at once: no escalation offer, no OUTRO.
 *  - In the offer and escalation menus '*' is invalid input (not a repeat),
 *    and a choice (accept, refuse, transfer, callback) plays nothing itself.
 *  - csat_session_start while the offer waits for its digit is STATE: feed the
 *    digit (or no input) first.
 *  - A failing callback never stops the sequence: the remaining requests of
 *    the event are still made (after a failed store the task is still
 *    attempted and ended is still called), and the event returns CALLBACK.
 *    A failing ended callback leaves nothing pending.
 *  - An answer's raw input is the last input given to that question exactly
 *    as the host passed it (terminator included).
 *  - Without a record callback, voice comments are NOT_APPLICABLE; without
 *    transfer (or schedule_callback) that escalation option is not offered,
 *    and with neither option the escalation offer is not made.
 *
 * Results are offered to store exactly once successfully; a task is created
 * at most once per session and carries an idempotency key derived from the
 * survey id and the contact id, so a host that retries after a crash does not
 * duplicate it. csat_session_restore never calls a callback.
 */

/*
 * Events (voice and text). Each returns CSAT_OK, or:
 *   STATE        the event is not expected now (nothing changed);
 *   INVALID_ARG  bad arguments (nothing changed);
 *   CALLBACK     the event was applied but a host callback failed: a failing
 *                play/collect leaves the session waiting as if it had been
 *                played (the host may replay with csat_session_repeat); a
 *                failing store/create_task keeps that work pending;
 *   NOMEM        the event was applied, but building a task failed; the task
 *                stays pending (csat_session_flush retries).
 * Times are the host's clock in ms since the epoch and should not go back.
 */

/**
 * Opt-in mode, during the call: play CSAT_PROMPT_OPT_IN_OFFER and collect one
 * digit (1 = accept, 2 = refuse), answered with csat_session_input.
 */
CSAT_EXTERN int csat_session_offer(csat_session *s, int64_t now_ms);
/** Opt-in mode: record the customer's answer to an offer the host made itself. */
CSAT_EXTERN int csat_session_opt_in(csat_session *s, int32_t accepted, int64_t now_ms);
/**
 * Start the survey (after the agent disconnects). Checks already_surveyed,
 * then the opt-in in opt-in mode, plays the intro and the first question.
 */
CSAT_EXTERN int csat_session_start(csat_session *s, int64_t now_ms);
/**
 * Digits the host collected: [0-9*#]{0,32}. A leading '*' repeats the
 * question (bounded by max_repeats); a trailing terminator is ignored; an
 * empty string is no input. Anything else outside the expected answers
 * (out of scale, extra digits) is an invalid attempt.
 */
CSAT_EXTERN int csat_session_input(csat_session *s, const char *digits, size_t len, int64_t now_ms);
/** Nothing was entered (or recorded) before the timeout. */
CSAT_EXTERN int csat_session_no_input(csat_session *s, int64_t now_ms);
/** The recording for a voice-comment question is done; ref (<= 1024 bytes) names it. */
CSAT_EXTERN int csat_session_recorded(csat_session *s, const char *ref, size_t len, int64_t now_ms);
/** Replay the current prompt (the host lost it); does not count an attempt. */
CSAT_EXTERN int csat_session_repeat(csat_session *s, int64_t now_ms);
/**
 * The customer hung up. Ends the session: every answer given so far is kept;
 * the outcome is partial with at least one answer, abandoned without.
 */
CSAT_EXTERN int csat_session_hangup(csat_session *s, int64_t now_ms);

/* ---- 7.5 Pending work -------------------------------------------------- */

/** Pending work bits of csat_session_pending. */
#define CSAT_PENDING_STORE 1u   /**< the result has not been stored yet */
#define CSAT_PENDING_TASK 2u    /**< a task has not been created yet */
#define CSAT_PENDING_OPT_OUT 4u /**< the opted_out callback has not succeeded yet (text) */

/** Bit set of work the host has not yet accepted (0 when nothing is pending). */
CSAT_EXTERN uint32_t csat_session_pending(const csat_session *s);
/**
 * Retry pending work (opt-out, store, then task). Returns OK when nothing remains
 * pending, CALLBACK or NOMEM otherwise. Idempotent.
 */
CSAT_EXTERN int csat_session_flush(csat_session *s, int64_t now_ms);

/* ---- 7.6 A session's state and result ---------------------------------- */

/** CSAT_OUTCOME_* (0 while the session runs). */
CSAT_EXTERN int32_t csat_session_outcome(const csat_session *s);
/** Non-zero once the session has ended. */
CSAT_EXTERN int32_t csat_session_ended(const csat_session *s);
/** The session's result record (valid while the session lives; its figures grow as answers arrive). */
CSAT_EXTERN const csat_result *csat_session_result(const csat_session *s);
/** Message of the session's last error ("" if none). */
CSAT_EXTERN const char *csat_session_errmsg(const csat_session *s);

/* ---- 7.7 Save and restore ---------------------------------------------- */

/**
 * Save the session to a compact, versioned, checksummed, endian-independent
 * blob. Same buffer convention as csat_survey_to_json but without a NUL:
 * *needed receives the blob size. Legal in every state, including after the
 * end (pending work is saved too), but not from inside one of the session's
 * callbacks (CSAT_ERR_STATE: the event is half applied).
 */
CSAT_EXTERN int csat_session_save(const csat_session *s, void *buf, size_t cap, size_t *needed);
/**
 * Restore a saved session for the same survey (id, version and content must
 * match: MISMATCH otherwise). The restored session behaves exactly as the
 * saved one would have. Never crashes on hostile input: BLOB, BLOB_VERSION,
 * LIMIT, UTF8, NOMEM, INVALID_ARG. `err` may be NULL.
 */
#define CSAT_BLOB_MAX (256u * 1024u)
CSAT_EXTERN int csat_session_restore(csat_session **out, const csat_survey *survey,
                                     const void *blob, size_t len, const csat_host *host,
                                     const csat_allocator *alloc, csat_error *err);

/* ---- 7.8 Reading a customer's message ---------------------------------- */

/** What a customer's message means. */
#define CSAT_REPLY_SCORE 1   /**< a score on the question's scale */
#define CSAT_REPLY_YES 2     /**< yes (yes/no questions) */
#define CSAT_REPLY_NO 3      /**< no (yes/no questions) */
#define CSAT_REPLY_OPT_OUT 4 /**< STOP, UNSUBSCRIBE, СТОП, ... as the whole message */
#define CSAT_REPLY_HELP 5    /**< HELP, ПОМОЩЬ, ... as the whole message */
#define CSAT_REPLY_EMPTY 6   /**< nothing but white space or punctuation */
#define CSAT_REPLY_UNKNOWN 7 /**< not understood: see the reason */
#define CSAT_REPLY_COMMENT 8 /**< free text, for a text-comment question */

/** Why a reply was not understood (CSAT_REPLY_UNKNOWN). */
#define CSAT_REASON_NONE 0
#define CSAT_REASON_NO_NUMBER 1       /**< words without a number */
#define CSAT_REASON_OUT_OF_RANGE 2    /**< a number outside the scale ("0" or "45" on 1..5) */
#define CSAT_REASON_AMBIGUOUS 3       /**< "4 or 5", "4-5", "4.5" */
#define CSAT_REASON_SEVERAL_NUMBERS 4 /**< more than one number where one is expected */
#define CSAT_REASON_NEGATIVE 5        /**< "-3" */
#define CSAT_REASON_INVALID_UTF8 6    /**< the bytes are not UTF-8 */

/** The reading of one message. The caller sets struct_size. */
typedef struct csat_reply {
  size_t struct_size;   /**< sizeof(csat_reply), set by the caller */
  int32_t kind;         /**< CSAT_REPLY_* */
  int32_t score;        /**< SCORE: the score; YES: 1; NO: 0; otherwise -1 */
  int32_t reason;       /**< CSAT_REASON_* (UNKNOWN only) */
  size_t answer_offset; /**< where the answer stands in the input (bytes) */
  size_t answer_length;
  size_t comment_offset; /**< the comment after the answer, trimmed (bytes) */
  size_t comment_length; /**< 0 when there is no comment */
} csat_reply;

/**
 * Understand one customer message (UTF-8 bytes, any length; never reads past
 * len; linear time; no allocation) as an answer to a question of `kind`
 * (CSAT_Q_RATING with its scale [min, max], CSAT_Q_YES_NO, CSAT_Q_TEXT_COMMENT).
 * Returns CSAT_OK with the reading in *out (a message not understood is a
 * reading too: kind UNKNOWN with a reason), or INVALID_ARG for bad arguments.
 * It never guesses: ambiguous input is UNKNOWN.
 *
 * What it reads: digits in any Unicode decimal script (ASCII, fullwidth,
 * Arabic-Indic, ...), number words and school grades in English, Russian,
 * Polish, Korean (native and Sino-Korean) and Uzbek (Latin and Cyrillic),
 * case-insensitively; keycap emoji and repeated stars; "4/5", "4 из 5",
 * "4 out of 5", "4 of 5", "4 z 5"; a score followed by a comment in any
 * punctuation style ("4. Оператор был вежлив...", "5!!! thanks", "3 - slow").
 * The rules that keep it from guessing:
 *  - the score leads the message (after opening punctuation or a lead-in
 *    such as "I give" or "оценка"); a comment may come first only when the
 *    message holds exactly one number, in digits or emoji, at its end
 *    ("great service 5"); number words inside a sentence are never taken
 *    ("I waited one hour" is NO_NUMBER);
 *  - AMBIGUOUS: "4 or 5", "4-5", "4.5", "80%", a score on another scale
 *    ("4/10" on 1..5), digits followed by a time or count ("2 hours");
 *  - OUT_OF_RANGE: "0" or "45" on 1..5; NEGATIVE: "-3"; SEVERAL_NUMBERS:
 *    "5 4" where one answer is expected;
 *  - yes/no questions take words and 👍/👎 only: a bare digit is AMBIGUOUS
 *    (DTMF's 1/2 convention does not carry over to text); "y"/"n" count
 *    only alone; "no problem" is AMBIGUOUS;
 *  - opt-out and help words count only as the whole message (trailing
 *    punctuation allowed): "don't stop calling me" is not an opt-out, and
 *    "5 STOP" is AMBIGUOUS, neither a score nor an opt-out.
 */
CSAT_EXTERN int csat_reply_parse(const char *text, size_t len, int32_t kind, int32_t min,
                                 int32_t max, csat_reply *out);

/* ---- 7.9 Driving a text session ---------------------------------------- */

/*
 * How a text session behaves (SMS and chat; the contract the sms_* and
 * chat_* golden transcripts test)
 * -----------------------------------------------------------------------
 * A text session is the same state machine fed with customer messages
 * (csat_session_text) instead of digits. Every prompt is sent as a message
 * through the play callback, which text sessions require (csat_session_new
 * and csat_session_restore: UNSUPPORTED without it); collect, record,
 * transfer and schedule_callback are never called. Prompts are looked up as
 * for voice; a prompt found without text is not sent. Text channels send
 * only INVITATION, QUESTION, INVALID_INPUT, MAX_ATTEMPTS, THANKS, OPT_OUT,
 * EXPIRED and ALREADY_ANSWERED, never INTRO, OUTRO, NO_INPUT, OPT_IN_OFFER or
 * ESCALATION: escalation is a voice feature and is never offered on text.
 * Voice comment questions are NOT_APPLICABLE; follow-up conditions and the
 * outcome after the last question are as for voice.
 *
 * Asking a question sends one message: for the first question a text
 * session asks (the first that is not a voice comment), the survey's
 * INVITATION when it has one (thanks + request + instruction, survey-level,
 * prompt question -1), otherwise, and for every later question, its QUESTION.
 *
 * csat_session_start: as for voice (already_surveyed, then the opt-in), but a
 * contact surveyed before ends with outcome already_answered WITHOUT a
 * message (an unsolicited text would be spam), and no INTRO is sent: the
 * first question is asked at once. The survey window ("text"."window_ms",
 * default 24 h) starts at this start time.
 *
 * csat_session_text(msg): the message must be valid UTF-8 without NUL bytes,
 * at most CSAT_TEXT_MAX bytes (else UTF8, INVALID_ARG, LIMIT: nothing
 * changes); STATE before start; UNSUPPORTED on voice. It is read with
 * csat_reply_parse against the current question, and then, in this order:
 *  1. Opt-out (CSAT_REPLY_OPT_OUT: the whole message is STOP, СТОП, ...), in
 *     any state but "new", honoured once per session: OPT_OUT is sent, then
 *     the opted_out callback is called (a failure keeps it pending:
 *     CSAT_PENDING_OPT_OUT, retried by csat_session_flush before the store).
 *     A running survey then ends with outcome opted_out: the answers given
 *     are kept, the question being asked stays NOT_ASKED (its attempts kept),
 *     and the message is stored nowhere (no answer, comment or raw input);
 *     store, task and ended follow as usual. After the end, the outcome and
 *     the result do not change. A second opt-out gets nothing.
 *  2. After the end, any other message changes nothing; the first one gets
 *     one notice, later ones nothing: EXPIRED after outcome expired;
 *     ALREADY_ANSWERED after completed, partial, timed_out,
 *     attempts_exhausted and already_answered; nothing after opted_out,
 *     declined and abandoned, and nothing to a customer who opted out after
 *     the end (rule 1). So an autoresponder gets at most one reply.
 *  3. A message after the window (now > start + window_ms): EXPIRED is sent
 *     and the survey ends with outcome expired (answers kept, the question
 *     being asked stays NOT_ASKED, the message is not stored); this is the
 *     one notice of rule 2.
 *  4. Otherwise the message answers the current question. On a rating or
 *     yes/no question its raw input becomes the message's first 32 bytes,
 *     cut back to a whole UTF-8 character (for every message that reaches
 *     the question: answers, HELP, not understood).
 *     - HELP: the question's message (INVITATION or QUESTION) is sent again
 *       without using an attempt, at most max_repeats ("input") times per
 *       question; after that HELP counts as not understood (rating, yes/no)
 *       or as the comment (text comment question).
 *     - Rating and yes/no questions: a SCORE in the scale, YES (score 1) or
 *       NO (score 0) is the answer, stored with the time and its flag (as
 *       for voice); the comment after it, if any, is kept with the answer
 *       (trimmed, truncated to 4096 characters without splitting one). Then
 *       the next question is asked, or after the last THANKS is sent and the
 *       survey ends (outcome as for voice). Anything else (not understood,
 *       EMPTY) uses an attempt: while attempts remain INVALID_INPUT is sent
 *       alone, not followed by the question (if the survey has no
 *       INVALID_INPUT, the question's message is sent again instead). When
 *       the attempts run out MAX_ATTEMPTS is sent and the status becomes
 *       INVALID; with CSAT_EXHAUSTED_END the survey ends at once (outcome
 *       attempts_exhausted, no THANKS), with CSAT_EXHAUSTED_SKIP the next
 *       question is asked (or THANKS and the end).
 *     - Text comment questions: the message is the comment (trimmed,
 *       truncated as above; status ANSWERED, score -1, raw input ""); an
 *       EMPTY message skips the question (status NO_INPUT, one attempt).
 *       Then the next question, or THANKS and the end.
 *  5. Several answers in one message, when the survey allows them
 *     ("text"."multiple_answers"): "5 4 5" or "5, 4, 5 - slow" answers the
 *     current question and the ones asked after it, in order, each
 *     follow-up condition being decided by the answers before it (those of
 *     the same message included); only the last answer may carry a comment,
 *     and a text comment question takes the rest of the message. An answer
 *     that is not understood ends the sequence: the answers before it are
 *     kept and that question uses an attempt as in rule 4. More answers than
 *     questions left, or answers that cannot be aligned with the questions:
 *     the message is not understood (an attempt on the current question).
 *     Then only the next question still open is asked. Without the setting,
 *     a message with several numbers is not understood.
 * NOMEM from csat_session_text means the comment could not be copied:
 * nothing changed and the message may be fed again.
 *
 * csat_session_expire (UNSUPPORTED on voice): the host's timer says the
 * window has passed. A running survey ends with outcome expired, nothing is
 * sent, answers are kept; STATE before start and after the end. The library
 * does not compare now_ms with the window: the host's timer decides.
 * csat_session_repeat sends the current question's message again (no
 * attempt, no repeat used). csat_session_hangup ends a text survey as for
 * voice (the host gives up on the conversation, e.g. the chat was closed):
 * partial or abandoned, nothing sent. csat_session_offer, csat_session_input,
 * csat_session_no_input and csat_session_recorded are UNSUPPORTED on text.
 * A saved text session restores between any two messages and behaves
 * exactly as if it had not been saved (the opt-out and notice "once" rules
 * included).
 */

/** Longest message csat_session_text accepts (bytes); longer ones are LIMIT. */
#define CSAT_TEXT_MAX (64u * 1024u)
/**
 * A customer's message on a text channel (SMS, chat). See "How a text session
 * behaves". Errors as for the voice events; UNSUPPORTED on the voice channel.
 */
CSAT_EXTERN int csat_session_text(csat_session *s, const char *text, size_t len, int64_t now_ms);
/**
 * Text channels: the host's timer says the survey window has passed with no
 * further reply. Ends a running session with outcome expired (answers kept);
 * STATE after the end.
 */
CSAT_EXTERN int csat_session_expire(csat_session *s, int64_t now_ms);

/* ======================================================================== */
/* 8. Results                                                               */
/* ======================================================================== */

/* ---- 8.1 Reading a result ---------------------------------------------- */

/** Answer status. */
#define CSAT_ANSWER_NOT_ASKED 0      /**< not reached (hang-up, ended early) */
#define CSAT_ANSWER_ANSWERED 1       /**< score (or comment) given */
#define CSAT_ANSWER_NO_INPUT 2       /**< skipped after no input */
#define CSAT_ANSWER_INVALID 3        /**< skipped after invalid attempts */
#define CSAT_ANSWER_CONDITION 4      /**< not asked: its follow-up condition was not met */
#define CSAT_ANSWER_NOT_APPLICABLE 5 /**< kind not possible on this channel */

/** Escalation result. */
#define CSAT_ESCALATION_NONE 0     /**< not triggered */
#define CSAT_ESCALATION_OFFERED 1  /**< offered, not taken */
#define CSAT_ESCALATION_TRANSFER 2 /**< transferred to a supervisor */
#define CSAT_ESCALATION_CALLBACK 3 /**< callback scheduled */

/** One answer, read with csat_result_answer. The caller sets struct_size. */
typedef struct csat_answer {
  size_t struct_size; /**< sizeof(csat_answer), set by the caller */
  const char *question_id;
  int32_t kind;        /**< CSAT_Q_* */
  int32_t status;      /**< CSAT_ANSWER_* */
  int32_t score;       /**< valid when status is ANSWERED and kind is rating/yes-no; -1 otherwise */
  int32_t attempts;    /**< attempts used (invalid + no-input + the answer) */
  int32_t flagged;     /**< non-zero when this answer flags the result */
  const char *raw;     /**< last raw input ("" if none) */
  const char *comment; /**< comment text or recording reference ("" if none) */
  int64_t answered_ms; /**< when answered, 0 if not */
} csat_answer;

/**
 * What a result holds. Strings live as long as the result (while its
 * session lives, for csat_session_result).
 */
CSAT_EXTERN int32_t csat_result_outcome(const csat_result *r);
CSAT_EXTERN const char *csat_result_survey_id(const csat_result *r);
CSAT_EXTERN int32_t csat_result_survey_version(const csat_result *r);
/** The contact the result belongs to, as given to csat_session_new (struct_size set to the library's). Strings live as long as the result. */
CSAT_EXTERN const csat_contact *csat_result_contact(const csat_result *r);
CSAT_EXTERN int32_t csat_result_answer_count(const csat_result *r);
/** Fill *out for answer `index` (question order). INVALID_ARG, NOT_FOUND. */
CSAT_EXTERN int csat_result_answer(const csat_result *r, int32_t index, csat_answer *out);
/** Non-zero when at least one answer flags the result. */
CSAT_EXTERN int32_t csat_result_flagged(const csat_result *r);
/** CSAT_ESCALATION_*. */
CSAT_EXTERN int32_t csat_result_escalation(const csat_result *r);
/** Survey start and end times (ms; 0 if not reached). */
CSAT_EXTERN int64_t csat_result_started_ms(const csat_result *r);
CSAT_EXTERN int64_t csat_result_ended_ms(const csat_result *r);
/**
 * The language the survey ran in: the contact's, else the survey's default
 * language ("" when neither is set; NULL for a NULL result). Lives as long
 * as the result.
 */
CSAT_EXTERN const char *csat_result_language(const csat_result *r);
/**
 * The scale of answer `index`'s question (question order) into *min, *max:
 * a rating's [min, max], 0..1 for yes/no, 0..0 for comment questions (they
 * carry no score). INVALID_ARG (NULL), NOT_FOUND (index out of range).
 */
CSAT_EXTERN int csat_result_answer_scale(const csat_result *r, int32_t index, int32_t *min,
                                         int32_t *max);

/* ---- 8.2 Result records as JSON Lines and CSV -------------------------- */

/**
 * One JSON object on one line, terminated by "\n" (JSON Lines). Buffer
 * convention as csat_survey_to_json (NUL-terminated, *needed excludes it).
 */
CSAT_EXTERN int csat_result_to_jsonl(const csat_result *r, char *buf, size_t cap, size_t *needed);
/**
 * CSV (RFC 4180, CRLF line ends). The header row is: contact_id, survey_id,
 * survey_version, agent_id, queue_id, department, channel, language, outcome,
 * started, ended, flagged, escalation, then per question in question order
 * `<id>` (score) and `<id>_comment`. Cells starting with = + - @ (or tab/CR)
 * are prefixed with a single quote against formula injection.
 */
CSAT_EXTERN int csat_survey_csv_header(const csat_survey *s, char *buf, size_t cap, size_t *needed);
CSAT_EXTERN int csat_result_to_csv(const csat_result *r, char *buf, size_t cap, size_t *needed);

/* ======================================================================== */
/* 9. Aggregation                                                           */
/* ======================================================================== */

/* ---- 9.1 How the aggregator counts ------------------------------------- */

/*
 * An aggregator (csat_agg) turns result records, or answers the host brings
 * from its own storage, into metrics per group. A group is a combination of
 * the chosen dimensions (agent, queue, ...) and a period (day, ISO week, ...).
 *
 * Model. Every answer lands in one group and, inside it, in a "slot": the
 * (question, scale) pair. A slot holds the exact histogram of its scores, so
 * every score figure (count, mean, sd, CSAT, NPS, CES, CSI, distribution) is
 * derived exactly from integer counts at read time. A contact counts once in
 * every group it touches (a result touches the group of each of its
 * questions; without CSAT_DIM_QUESTION that is one group): offered,
 * answered, outcome counts, flags, escalations, wait time and talk duration.
 * Durations are kept as their exact sum in ms (for the mean) and as an exact
 * histogram at 1-second resolution (ms rounded half up to whole seconds:
 * 1499 ms -> 1 s, 1500 ms -> 2 s) for the median, which is therefore the
 * median of whole seconds; every part of the state is an integer, so merging
 * is exact.
 *
 * Scales. A score lies on its question's scale [min, max], 0 <= min < max
 * <= 10. Which scores count as positive (CSAT) and negative is set per scale
 * (csat_agg_set_scale); the defaults are:
 *   2 points (0..1, yes/no)    positive {max}          negative {min}
 *   3 points (e.g. 1..3)       positive {max}          negative {min}
 *   4..9 points (1..5, 1..7)   positive top 2 box      negative bottom 2 box
 *   10 points (1..10)          positive 9-10           negative 1-6
 *   11 points (0..10, NPS)     positive 9-10 promoters negative 0-6 detractors
 * NPS is computed over the answers on a 0..10 scale (promoters = its positive
 * set, detractors = its negative set). CES is computed over the questions
 * named by csat_agg_set_ces_question (mean, and share agreeing: by default
 * the points above the scale's midpoint, 5-7 on 1..7, 4-5 on 1..5, 3 on
 * 1..3). CSI is the weighted mean, over the questions given a weight
 * (csat_agg_set_csi_weight), of each question's mean score mapped to 0..100
 * of its scale; questions without answers in a
 * group drop out of that group's weights. Yes/no questions enter as scale
 * 0..1; comment questions carry no score. Mixing scales in one group is
 * allowed (mean and sd are then of raw scores; mean_pct stays comparable):
 * group by question for per-question means.
 *
 * Statistics: every share comes with its Wilson 95% interval, NPS with the
 * adjusted-Wald 95% interval of Rocks (2016: 3/4 of an answer added to the
 * promoters and to the detractors, 3 to n; centred on the adjusted NPS, so
 * one promoter alone gives -48.5..98.5 and 27 of 27 give 76.6..100); every
 * figure with its n. Doubles are not rounded by the library
 * (reports round half away from zero); a figure whose n is 0 is reported as 0
 * and its interval spans the whole range ([0, 1], NPS [-100, 100]).
 *
 * Arrays of library-filled structs (csat_alert, csat_rank, csat_term): the
 * caller sets struct_size of the first element to sizeof the struct it was
 * built with; that is the array's stride, and the library fills each element
 * up to it (and sets each element's struct_size). With cap 0, out may be NULL.
 *
 * Periods are computed in local time: UTC ms + a fixed offset, or the host's
 * local_time callback (the library never reads time-zone files). Weeks are ISO
 * 8601 (Monday first; week 1 holds the year's first Thursday); quarters start
 * in January, April, July, October. The calendar is proleptic Gregorian;
 * times must lie in years 1..9999.
 *
 * Order. Groups are ordered by key: agent, queue, department, channel,
 * survey, question, language, attribute (strings bytewise, channel
 * numerically), then period start. A dimension that is not grouped is "" (0
 * for the channel). The periods of one key ("a series") are consecutive.
 * Group indexes are positions in that order: csat_agg_group_count
 * establishes it; any ingest or merge that may add a group invalidates it
 * (the accessors then return CSAT_ERR_STATE until csat_agg_group_count is
 * called again). The totals (CSAT_AGG_ALL) need no order:
 * csat_agg_metrics, csat_agg_outcome_count, csat_agg_category,
 * csat_agg_compare and csat_agg_top_terms give them at any time.
 *
 * Merge and state. csat_agg_merge is associative and commutative, with the
 * empty aggregator as identity, and merge(agg(A), agg(B)) equals agg(A u B)
 * exactly. csat_agg_save writes a canonical, versioned, little-endian,
 * checksummed blob: the same multiset of answers gives byte-identical state
 * however it was split, merged or seeded. Merging aggregators, or restoring a
 * blob, of another configuration is refused with CSAT_ERR_MISMATCH.
 *
 * Errors: ingest and merge either apply fully or not at all (NOMEM leaves the
 * aggregator as it was).
 *
 * Threads. The calls on an aggregator are readers or writers. Readers take
 * a const csat_agg * and write nothing in it (no cache, sort order or memo,
 * not even an error message: their code is their only report):
 * csat_agg_save, csat_agg_metrics, csat_agg_outcome_count,
 * csat_agg_category, csat_agg_compare, csat_agg_alerts, csat_agg_rank,
 * csat_agg_top_terms, csat_agg_group_key, csat_agg_group_find,
 * csat_agg_series, csat_agg_category_count, csat_agg_category_name,
 * csat_agg_errmsg, and csat_agg_merge for its src. Any number of readers may
 * run concurrently on one aggregator (e.g. from threads of a binding that
 * released its interpreter lock) while no writer runs on it. Readers that
 * need working memory (save, rank, alerts, top terms, the metrics of
 * CSAT_AGG_ALL) allocate it per call, so they may call the aggregator's
 * allocator concurrently: a host allocator must then be thread-safe. Every
 * other call is a writer and runs alone: csat_agg_free, the setters, the
 * ingest calls, csat_agg_merge and csat_agg_merge_blob for dst,
 * csat_agg_group_count (it establishes the order the readers use) and the
 * reports (they establish it too, and record their errors).
 *
 * Stack: csat_agg_add_answers and csat_agg_add_records keep their work on
 * the caller's stack (include/README.md says how much).
 *
 * Counts are 64-bit; a group's counts (answers, contacts, comments) may not
 * exceed CSAT_AGG_COUNT_MAX, nor its wait or talk sum 2^64 ms. Ingest and
 * merge refuse with LIMIT (nothing applied) before passing either; restore
 * refuses a blob past them (BLOB), so every state save writes restores.
 * Ingest checks per call against the worst case of the whole call (each row
 * adding its maximum of answers to one group), so near the limit a call may
 * be refused that would have fit.
 */

/* ---- 9.2 Dimensions, periods and limits -------------------------------- */

/** An aggregator (opaque). */
typedef struct csat_agg csat_agg;

/** Dimensions (bit set of csat_agg_config.dimensions). */
#define CSAT_DIM_AGENT 0x01u
#define CSAT_DIM_QUEUE 0x02u
#define CSAT_DIM_DEPARTMENT 0x04u
#define CSAT_DIM_CHANNEL 0x08u
#define CSAT_DIM_SURVEY 0x10u
#define CSAT_DIM_QUESTION 0x20u
#define CSAT_DIM_LANGUAGE 0x40u
#define CSAT_DIM_ATTRIBUTE 0x80u /**< the custom attribute named attribute_key */
#define CSAT_DIM_ALL 0xffu

/** Periods (csat_agg_config.period). */
#define CSAT_PERIOD_NONE 0
#define CSAT_PERIOD_HOUR 1
#define CSAT_PERIOD_DAY 2
#define CSAT_PERIOD_WEEK 3 /**< ISO 8601 week, Monday 00:00 local */
#define CSAT_PERIOD_MONTH 4
#define CSAT_PERIOD_QUARTER 5
#define CSAT_PERIOD_YEAR 6

/** Largest count of one group (2^48, about 2.8e14 answers or contacts). */
#define CSAT_AGG_COUNT_MAX ((int64_t)1 << 48)
/** Blob format version written by csat_agg_save. */
#define CSAT_AGG_BLOB_VERSION 1
/**
 * Limits: dimension values <= 1024 bytes, comments <= 16 KiB, 64 CES and
 * 64 CSI questions, 64 categories of <= 64 patterns of <= 8 words, wait and
 * talk times <= 30 days; a term (csat_term) is a word of <= 64 bytes.
 */
#define CSAT_AGG_MAX_VALUE 1024
#define CSAT_AGG_MAX_COMMENT (16u * 1024u)
#define CSAT_AGG_MAX_QUESTIONS 64
#define CSAT_AGG_MAX_CATEGORIES 64
#define CSAT_AGG_MAX_PATTERNS 64
#define CSAT_AGG_MAX_PATTERN_WORDS 8
#define CSAT_AGG_MAX_DURATION_MS ((int64_t)30 * 24 * 3600 * 1000)
#define CSAT_AGG_MAX_TERM_BYTES 64
/** A group index meaning "every group together" (metrics, top terms). */
#define CSAT_AGG_ALL ((size_t)-1)

/* ---- 9.3 Creating an aggregator ---------------------------------------- */

/**
 * Aggregator configuration, filled by the host (copied by csat_agg_new).
 * A zeroed struct with struct_size set means: no dimension (one group), no
 * period, UTC, seed 0, no comment term analysis.
 */
typedef struct csat_agg_config {
  size_t struct_size;  /**< sizeof(csat_agg_config) */
  uint32_t dimensions; /**< CSAT_DIM_* bit set */
  int32_t period;      /**< CSAT_PERIOD_* */
  /** The contact attribute grouped by with CSAT_DIM_ATTRIBUTE (1..128 bytes). */
  const char *attribute_key;
  /**
   * Fixed offset of local time from UTC in minutes (-1439..1439), used when
   * local_time is NULL.
   */
  int32_t utc_offset_min;
  /**
   * Optional: map a UTC time (ms since the epoch) to local wall-clock time
   * expressed the same way (e.g. UTC+2 adds 7200000). Must be a pure function
   * of its argument. Not saved in blobs: give it again to csat_agg_restore.
   */
  int64_t (*local_time)(void *user, int64_t utc_ms);
  void *local_time_user;
  /**
   * With local_time: a name for its zone ("Europe/Warsaw", <= 128 bytes),
   * saved and compared by merge so aggregators of different zones are not
   * merged. NULL = "". Ignored without local_time.
   */
  const char *time_zone;
  /**
   * Key of the group hash (keyed: crafted keys cannot make it quadratic).
   * Pick it at random per process; it changes no result and is not saved.
   */
  uint32_t hash_seed[4];
  /** Non-zero: keep per-group term counts of comments (csat_agg_top_terms). */
  int32_t terms;
} csat_agg_config;

/**
 * Create an aggregator. `cfg` is copied (NULL: the zeroed defaults). Errors:
 * INVALID_ARG (struct_size too small, unknown dimension bit or period, offset
 * out of range, CSAT_DIM_ATTRIBUTE without attribute_key), LIMIT, UTF8, NOMEM.
 */
CSAT_EXTERN int csat_agg_new(csat_agg **out, const csat_agg_config *cfg,
                             const csat_allocator *alloc);
/** Free an aggregator (NULL is ignored). */
CSAT_EXTERN void csat_agg_free(csat_agg *a);
/** Message of the aggregator's last error ("" if none). */
CSAT_EXTERN const char *csat_agg_errmsg(const csat_agg *a);

/* ---- 9.4 Scales, CES, CSI and categories ------------------------------- */

/*
 * Configuration setters: legal only while the aggregator is empty (before
 * the first ingest or merge; STATE afterwards). They are part of the
 * configuration that merge and restore compare. Errors: INVALID_ARG, LIMIT,
 * UTF8, STATE, NOMEM (the aggregator is unchanged on error).
 */
/**
 * Positive and negative score sets of the scale [min, max] (bit v = score v;
 * bits outside the scale are refused; the two sets must be disjoint).
 */
CSAT_EXTERN int csat_agg_set_scale(csat_agg *a, int32_t min, int32_t max, uint32_t positive_mask,
                                   uint32_t negative_mask);
/**
 * Count the question `question_id` as a CES question; agree_mask is its
 * "agree" set (0: the points above the midpoint of the answer's scale,
 * score > (min + max) / 2: 5-7 on 1..7, 4-5 on 1..5).
 */
CSAT_EXTERN int csat_agg_set_ces_question(csat_agg *a, const char *question_id,
                                          uint32_t agree_mask);
/** CSI weight of a question (1..1000; 0 removes it from the index). */
CSAT_EXTERN int csat_agg_set_csi_weight(csat_agg *a, const char *question_id, int32_t weight);
/**
 * Add a keyword category: a name (1..128 bytes) and 1..64 patterns, each a
 * phrase of 1..8 words whose last may end in '*' ("fraud*", "мошенн*",
 * "long wait"). Matching is by words after case folding; a comment counts at
 * most once per category. *index (may be NULL) receives the category's index.
 */
CSAT_EXTERN int csat_agg_add_category(csat_agg *a, const char *name, const char *const *patterns,
                                      size_t count, int32_t *index);
/** Number of categories, and the name of one (NULL when out of range). */
CSAT_EXTERN int32_t csat_agg_category_count(const csat_agg *a);
CSAT_EXTERN const char *csat_agg_category_name(const csat_agg *a, int32_t index);

/* ---- 9.5 Ingesting results and answers --------------------------------- */

/**
 * Ingest one ended session's result record: every rating and yes/no answer
 * with a score, every text comment (a comment without its own score takes the
 * polarity of the result's last earlier score), and the contact's figures
 * (outcome, flags, escalation, wait, talk). Its time is the survey's start
 * (csat_result_started_ms), else the contact's end, else its start. Errors:
 * INVALID_ARG (NULL, no usable time with a period), STATE (the session has
 * not ended), LIMIT, NOMEM (nothing applied).
 */
CSAT_EXTERN int csat_agg_add_result(csat_agg *a, const csat_result *r);

/**
 * One answer from the host's own data, filled by the host. Strings may be
 * NULL (= ""); only the dimensions the aggregator groups by are read.
 */
typedef struct csat_agg_answer {
  size_t struct_size; /**< sizeof(csat_agg_answer) */
  int64_t time_ms;    /**< UTC ms since the epoch (ignored without a period) */
  const char *agent_id;
  const char *queue_id;
  const char *department;
  int32_t channel; /**< CSAT_CHANNEL_* (or any value >= 0) */
  const char *survey_id;
  const char *question_id;
  const char *language;
  const char *attribute; /**< value of the grouped custom attribute */
  int32_t scale_min;     /**< the question's scale, 0 <= min < max <= 10 */
  int32_t scale_max;     /**<  (ignored when score is -1) */
  int32_t score;         /**< min..max, or -1 for no score */
  const char *comment;   /**< NUL-terminated UTF-8 text, NULL or "" for none */
  /**
   * The contact's figures: CSAT_OUTCOME_* of the contact, or 0 when this
   * row only adds an answer (its contact is counted on another row of the
   * same group). With an outcome, the row counts one contact: offered
   * (unless already_answered), answered (when the row has a score or a
   * comment, and never with outcome already_answered), the outcome,
   * flagged, escalation, wait and talk.
   */
  int32_t outcome;
  int32_t flagged;    /**< non-zero: the contact was flagged for review */
  int32_t escalation; /**< CSAT_ESCALATION_* */
  int64_t wait_ms;    /**< time in queue, -1 (any negative) unknown; <= 30 days */
  int64_t talk_ms;    /**< talk duration, -1 (any negative) unknown; <= 30 days */
} csat_agg_answer;

/**
 * Ingest one answer (a row with no score, no comment and no outcome counts
 * nothing and creates no group). Errors: INVALID_ARG, LIMIT, UTF8, NOMEM
 * (nothing applied). The aggregator keeps caches of the keys and values it
 * met (include/README.md); they never change a figure.
 */
CSAT_EXTERN int csat_agg_add_answer(csat_agg *a, const csat_agg_answer *ans);

/**
 * Ingest n answers at once: the same as csat_agg_add_answer on each row in
 * order, and faster. The rows, the strings they point to and the answers
 * of the local-time callback must not change during the call (a string met
 * again at the same address is read once).
 * `rows` is an array whose elements are rows[0].struct_size bytes apart (so
 * a caller compiled against an older, smaller csat_agg_answer steps
 * correctly); every row must carry that same struct_size. On an error the
 * rows before the failing one stay counted, that row and the rest are not,
 * *done (may be NULL) receives the number counted, and csat_agg_errmsg
 * begins with "row N: ". Errors: those of csat_agg_add_answer.
 */
CSAT_EXTERN int csat_agg_add_answers(csat_agg *a, const csat_agg_answer *rows, size_t n,
                                     size_t *done);

/* ---- 9.6 Ingesting records --------------------------------------------- */

/**
 * One answer of a record (csat_agg_record.answers), filled by the host.
 */
typedef struct csat_agg_record_answer {
  size_t struct_size;      /**< sizeof(csat_agg_record_answer) */
  const char *question_id; /**< NULL = "" */
  int32_t scale_min;       /**< the question's scale, 0 <= min < max <= 10 */
  int32_t scale_max;       /**<  (ignored when score is -1) */
  int32_t score;           /**< min..max, or -1 for no score */
  const char *comment;     /**< NUL-terminated UTF-8 text, NULL or "" for none */
} csat_agg_record_answer;

/** Most answers in one csat_agg_record. */
#define CSAT_AGG_RECORD_MAX_ANSWERS 64

/**
 * A result record from the host's own data: one contact, its key and
 * figures given once, and its answers. Members shared with csat_agg_answer
 * mean the same; strings may be NULL (= ""), and only the dimensions the
 * aggregator groups by are read. A record counts as csat_agg_add_result
 * counts a session's result: every scored answer in its question's slot,
 * every comment (one without its own score takes the polarity of the
 * record's last earlier score), and, with an outcome, the contact once:
 * offered (unless already_answered), answered when any answer has a score
 * or a comment (never with outcome already_answered), the outcome, flagged,
 * escalation, wait and talk. Grouped by question, the contact counts once in
 * the group of each question its answers name (answered there when one of
 * them has a score or a comment), with no answer in the group of question
 * "". Every answer of a record that
 * counts something is read (an invalid question_id refuses the record even
 * on an answer with no score and no comment, which its rows would not read).
 */
typedef struct csat_agg_record {
  size_t struct_size; /**< sizeof(csat_agg_record) */
  int64_t time_ms;    /**< UTC ms since the epoch (ignored without a period) */
  const char *agent_id;
  const char *queue_id;
  const char *department;
  int32_t channel; /**< CSAT_CHANNEL_* (or any value >= 0) */
  const char *survey_id;
  const char *language;
  const char *attribute; /**< value of the grouped custom attribute */
  int32_t outcome;       /**< CSAT_OUTCOME_*, or 0: answers only, no contact */
  int32_t flagged;       /**< non-zero: the contact was flagged for review */
  int32_t escalation;    /**< CSAT_ESCALATION_* */
  int64_t wait_ms;       /**< time in queue, -1 (any negative) unknown; <= 30 days */
  int64_t talk_ms;       /**< talk duration, -1 (any negative) unknown; <= 30 days */
  /**
   * answer_count answers, answers[0].struct_size bytes apart (every one
   * must carry that struct_size); NULL when answer_count is 0.
   */
  const csat_agg_record_answer *answers;
  size_t answer_count; /**< 0..CSAT_AGG_RECORD_MAX_ANSWERS */
} csat_agg_record;

/**
 * Ingest n records, in order, each all or nothing: the way for hosts whose
 * data comes a contact at a time (its key strings are read once, not once
 * per answer). `recs` is an array whose elements are recs[0].struct_size bytes apart
 * (every record must carry that struct_size). The records and the strings
 * they point to must not change during the call. A record with no outcome,
 * no score and no comment counts nothing and creates no group. On an error
 * the records before the failing one stay counted, that record and the rest
 * are not, *done (may be NULL) receives the number counted, and
 * csat_agg_errmsg begins with "record N: ". Errors: INVALID_ARG, LIMIT
 * (more than CSAT_AGG_RECORD_MAX_ANSWERS answers, a string, a comment or a
 * duration too long), UTF8, NOMEM.
 */
CSAT_EXTERN int csat_agg_add_records(csat_agg *a, const csat_agg_record *recs, size_t n,
                                     size_t *done);

/* ---- 9.7 Slots and scores ---------------------------------------------- */

/**
 * For hosts that count scores in bulk: resolve the slot of answers sharing the dimensions, period
 * (from time_ms), question and scale of `key` (its score, comment and contact
 * members are ignored), creating the group and slot if needed. Slot ids stay
 * valid for the aggregator's life (merges keep them). Errors as for
 * csat_agg_add_answer.
 */
CSAT_EXTERN int csat_agg_resolve(csat_agg *a, const csat_agg_answer *key, uint32_t *slot);
/**
 * Add n scores: scores[i] to slot slots[i]. Only the score histogram is
 * touched (no contact figures). INVALID_ARG when a slot is unknown or a score
 * lies outside its slot's scale: then nothing is applied.
 */
CSAT_EXTERN int csat_agg_add_scores(csat_agg *a, const uint32_t *slots, const uint8_t *scores,
                                    size_t n);

/* ---- 9.8 Groups and keys ----------------------------------------------- */

/** Establish the group order (see "Order") and return the number of groups. */
CSAT_EXTERN size_t csat_agg_group_count(csat_agg *a);

/** A group's key, filled by the library; the caller sets struct_size. */
typedef struct csat_agg_key {
  size_t struct_size;   /**< sizeof(csat_agg_key), set by the caller */
  const char *agent_id; /**< "" when not grouped; valid while the aggregator lives */
  const char *queue_id;
  const char *department;
  int32_t channel; /**< 0 when not grouped */
  const char *survey_id;
  const char *question_id;
  const char *language;
  const char *attribute;
  int32_t period; /**< the aggregator's CSAT_PERIOD_* */
  /**
   * Start of the period in local time, as ms since 1970-01-01T00:00 local
   * (0 with CSAT_PERIOD_NONE).
   */
  int64_t period_start;
  /**
   * "2024-03-05T14" (hour), "2024-03-05", "2024-W09", "2024-03", "2024-Q1",
   * "2024", or "" with CSAT_PERIOD_NONE.
   */
  char period_label[24];
} csat_agg_key;

/** Fill *out with group g's key. INVALID_ARG, NOT_FOUND (g out of range), STATE. */
CSAT_EXTERN int csat_agg_group_key(const csat_agg *a, size_t g, csat_agg_key *out);
/**
 * Find the group whose key equals `key` (dimensions not grouped are ignored;
 * period_start must be a period start as reported, ignored without a period).
 * NOT_FOUND when absent; STATE.
 */
CSAT_EXTERN int csat_agg_group_find(const csat_agg *a, const csat_agg_key *key, size_t *g);
/**
 * The series of group g: the consecutive groups with g's key in every
 * period, oldest first. STATE, NOT_FOUND.
 */
CSAT_EXTERN int csat_agg_series(const csat_agg *a, size_t g, size_t *first, size_t *count);

/* ---- 9.9 Metrics ------------------------------------------------------- */

/** Metrics of one group; the caller sets struct_size. Every figure has its n. */
typedef struct csat_metrics {
  size_t struct_size; /**< sizeof(csat_metrics), set by the caller */
  /* scores */
  int64_t count;            /**< answers with a score */
  double mean;              /**< mean raw score */
  double sd;                /**< sample standard deviation (n - 1); 0 when count < 2 */
  double mean_pct;          /**< mean of scores mapped to 0..100 of their scale */
  int64_t distribution[11]; /**< answers per score value 0..10 */
  int64_t positive;         /**< answers in their scale's positive set */
  double csat;              /**< positive / count */
  double csat_lo, csat_hi;  /**< Wilson 95% */
  int64_t negative;         /**< answers in their scale's negative set */
  double negative_share;
  double negative_lo, negative_hi;
  int64_t nps_count; /**< answers on a 0..10 scale */
  int64_t promoters;
  int64_t detractors;
  double nps;            /**< -100..100 */
  double nps_lo, nps_hi; /**< 95% */
  int64_t ces_count;     /**< answers to CES questions */
  double ces_mean;
  int64_t ces_agree;
  double ces_agree_share;
  double ces_agree_lo, ces_agree_hi;
  int64_t csi_count; /**< answers to CSI questions */
  double csi;        /**< 0..100 */
  /* contacts */
  int64_t contacts; /**< every contact counted, already_answered included */
  int64_t offered;  /**< contacts but already_answered */
  /**
   * Contacts with at least one answer in the group, already_answered ones
   * excepted even when their row carries a score (the score still counts in
   * the score figures): they were not offered, and response_rate =
   * answered / offered must stay a share of the offered.
   */
  int64_t answered;
  int64_t completed;
  int64_t partial;
  int64_t opted_out;
  /**
   * Contacts per outcome CSAT_OUTCOME_COMPLETED .. CSAT_OUTCOME_ALREADY_ANSWERED
   * (1..9; index 0 unused). Fixed at these nine forever: an outcome added
   * later (the outcomes are append-only: CSAT_OUTCOME_MAX grows) is counted
   * in contacts and offered but never appears here; read the count of any
   * outcome with csat_agg_outcome_count.
   */
  int64_t outcomes[10];
  double response_rate; /**< answered / offered */
  double response_lo, response_hi;
  int64_t flagged;
  int64_t escalation_offered; /**< escalation offered (taken or not) */
  int64_t escalated;          /**< transfer or callback */
  int64_t wait_count;         /**< contacts with a known wait time */
  double wait_mean_s;         /**< seconds, from the exact ms sum */
  double wait_median_s;       /**< seconds, median of whole seconds */
  int64_t talk_count;
  double talk_mean_s;
  double talk_median_s;
  /* comments */
  int64_t comments;          /**< comments counted */
  int64_t comments_negative; /**< with a negative score */
  int64_t comments_positive; /**< with a positive score */
} csat_metrics;

/**
 * Metrics of group g, or of every group together (CSAT_AGG_ALL).
 * INVALID_ARG, NOT_FOUND, STATE, NOMEM.
 */
CSAT_EXTERN int csat_agg_metrics(const csat_agg *a, size_t g, csat_metrics *out);

/**
 * Contacts with outcome `outcome` (a CSAT_OUTCOME_* value, 1..CSAT_OUTCOME_MAX
 * of this library) in group g, or in every group together (CSAT_AGG_ALL),
 * into *count: the way to read outcomes that csat_metrics.outcomes does not
 * hold. INVALID_ARG (NULL), STATE, NOT_FOUND (g out of range, or an outcome
 * this library does not know: 0, negative, above CSAT_OUTCOME_MAX).
 */
CSAT_EXTERN int csat_agg_outcome_count(const csat_agg *a, size_t g, int32_t outcome,
                                       int64_t *count);

/** Comments of a group matching one category; the caller sets struct_size. */
typedef struct csat_category_counts {
  size_t struct_size; /**< sizeof(csat_category_counts), set by the caller */
  const char *name;
  int64_t comments; /**< comments matching the category */
  int64_t negative; /**< of which with a negative score */
  int64_t positive; /**< of which with a positive score */
} csat_category_counts;

/** Category `category` in group g (or CSAT_AGG_ALL). INVALID_ARG, NOT_FOUND, STATE. */
CSAT_EXTERN int csat_agg_category(const csat_agg *a, size_t g, int32_t category,
                                  csat_category_counts *out);

/* ---- 9.10 Comparisons and alerts --------------------------------------- */

/**
 * Group A against group B (e.g. two periods of one series); the caller sets
 * struct_size. The differences are those of the doubles and may lie a few
 * ulps from an exact tie; the reports print them exactly from the counts,
 * rounded half away from zero.
 */
typedef struct csat_comparison {
  size_t struct_size; /**< sizeof(csat_comparison), set by the caller */
  int64_t count_a, count_b;
  double csat_a, csat_b; /**< CSAT shares */
  double csat_diff;      /**< b - a */
  double csat_z, csat_p; /**< two-proportion z test (pooled); z > 0 when b is higher */
  double negative_a, negative_b, negative_diff, negative_z, negative_p;
  int64_t nps_count_a, nps_count_b;
  double nps_a, nps_b, nps_diff, nps_z, nps_p; /**< NPS z test */
  double mean_a, mean_b, mean_diff;
} csat_comparison;

/** Compare groups a_g (before) and b_g (after). INVALID_ARG, NOT_FOUND, STATE. */
CSAT_EXTERN int csat_agg_compare(const csat_agg *a, size_t a_g, size_t b_g, csat_comparison *out);

/** Alert parameters (NULL: defaults); the caller sets struct_size. */
typedef struct csat_alert_params {
  size_t struct_size; /**< sizeof(csat_alert_params) */
  size_t baseline;    /**< periods forming the centre line: the first `baseline`; 0 = all */
  double sigma;       /**< p-chart limit width (default 3; <= 0 means default) */
  double lambda;      /**< EWMA weight (default 0.2; outside (0, 1] means default) */
  double ewma_l;      /**< EWMA limit width (default 3; <= 0 means default) */
} csat_alert_params;

/** One period of a series under control-chart watch on the negative share. */
typedef struct csat_alert {
  size_t struct_size; /**< stride set by the caller in out[0]; set by the library */
  size_t group;       /**< the period's group */
  int64_t count;      /**< answers with a score */
  int64_t negative;
  double share;       /**< negative / count */
  double center;      /**< centre line (pooled share of the baseline) */
  double lcl, ucl;    /**< p-chart limits for this period's n */
  int32_t p_alarm;    /**< 1: share above UCL, -1: below LCL, 0: in control */
  int32_t ewma_alarm; /**< 1: EWMA above its upper limit, -1 below the lower, 0 */
  double ewma, ewma_ucl;
} csat_alert;

/**
 * Control charts over the series of group g: one csat_alert per period into
 * out[0..cap); *count receives the series length. BUFFER_TOO_SMALL when cap
 * is smaller (nothing written), INVALID_ARG, NOT_FOUND, STATE.
 */
CSAT_EXTERN int csat_agg_alerts(const csat_agg *a, size_t g, const csat_alert_params *params,
                                csat_alert *out, size_t cap, size_t *count);

/* ---- 9.11 Ranking ------------------------------------------------------ */

/** What csat_agg_rank ranks. */
#define CSAT_RANK_MEAN 1     /**< mean raw score, higher is better */
#define CSAT_RANK_CSAT 2     /**< CSAT share, higher is better */
#define CSAT_RANK_NEGATIVE 3 /**< negative share, lower is better */

/** Ranking parameters; the caller sets struct_size. */
typedef struct csat_rank_params {
  size_t struct_size; /**< sizeof(csat_rank_params) */
  int32_t metric;     /**< CSAT_RANK_* */
  int32_t by_period;  /**< non-zero: rank separately within each period */
  int64_t min_count;  /**< fewer answers: not ranked (small_sample = 1); default 0 */
} csat_rank_params;

/** One ranked group, filled by the library. */
typedef struct csat_rank {
  size_t struct_size; /**< stride set by the caller in out[0]; set by the library */
  size_t group;
  int64_t count;        /**< answers with a score */
  double value;         /**< the group's own figure */
  double shrunk;        /**< empirical-Bayes estimate (shrunk toward the pool mean) */
  double prior;         /**< the pool mean it was shrunk toward */
  int32_t rank;         /**< 1 = best in its pool; 0 when not ranked */
  int32_t small_sample; /**< 1 when count < min_count (never with min_count 0) */
  /**
   * 1 when the pool's between-group variance is estimated as zero (or
   * cannot be estimated: one answer per group), so every group of the pool
   * is shrunk to its mean and the ranks come from the tie-breaks alone.
   * A member past the first version of csat_rank: filled when out[0]'s
   * struct_size covers it (a host built with an older header gets the rest).
   */
  int32_t total_shrinkage;
} csat_rank;

/**
 * Rank every group (within each period when by_period) by its empirical-Bayes
 * shrunk figure, so a group with two answers is neither top nor bottom. A
 * group without a scored answer is never ranked (rank 0); it is a small
 * sample only when min_count >= 1. Output order: by pool (period), ranked
 * groups by rank, then the unranked groups by shrunk figure. Equal shrunk
 * figures (all of a pool's when total_shrinkage) break by the group's own
 * figure, then by count: more answers first above the pool mean (better
 * than it, for CSAT_RANK_NEGATIVE), fewer first below it; then group order.
 * *count receives the number of groups;
 * BUFFER_TOO_SMALL when cap is smaller. INVALID_ARG, STATE, NOMEM.
 */
CSAT_EXTERN int csat_agg_rank(const csat_agg *a, const csat_rank_params *params, csat_rank *out,
                              size_t cap, size_t *count);

/* ---- 9.12 Comment terms ------------------------------------------------ */

/** Sides of csat_agg_top_terms. */
#define CSAT_TERMS_NEGATIVE 1 /**< terms marking negative answers (complaints) */
#define CSAT_TERMS_POSITIVE 2 /**< terms marking positive answers (praise) */

/** A term that marks one side, filled by the library. */
typedef struct csat_term {
  size_t struct_size;     /**< stride set by the caller in out[0]; set by the library */
  char term[68];          /**< folded word, NUL-terminated UTF-8 (<= 64 bytes) */
  int64_t count_negative; /**< in comments with a negative score */
  int64_t count_positive; /**< in comments with a positive score */
  double log_odds;        /**< negative vs positive log-odds ratio (informative Dirichlet prior) */
  double z;               /**< its z-score; > 0 marks negative */
} csat_term;

/**
 * "Fightin' Words": the terms that most mark negative (or positive) comments
 * of group g (or CSAT_AGG_ALL) against the other side, with the whole
 * aggregator's comments as the informative prior; best first, at most cap,
 * only terms seen at least `min_count` times (>= 1). *count receives the
 * number written. Needs config.terms (else UNSUPPORTED). INVALID_ARG,
 * NOT_FOUND, STATE, NOMEM.
 */
CSAT_EXTERN int csat_agg_top_terms(const csat_agg *a, size_t g, int32_t side, int64_t min_count,
                                   csat_term *out, size_t cap, size_t *count);

/* ---- 9.13 Merge, save and restore -------------------------------------- */

/**
 * Merge src into dst (src unchanged). MISMATCH (another configuration; the
 * message says which part), LIMIT (a count would exceed CSAT_AGG_COUNT_MAX),
 * NOMEM; dst is unchanged on error.
 */
CSAT_EXTERN int csat_agg_merge(csat_agg *dst, const csat_agg *src);
/** Merge a saved blob into dst, as csat_agg_restore + csat_agg_merge. `err` may be NULL. */
CSAT_EXTERN int csat_agg_merge_blob(csat_agg *dst, const void *blob, size_t len, csat_error *err);
/**
 * Save the state (configuration included, hash seed and local_time callback
 * excluded) as a canonical blob. Buffer convention as csat_session_save:
 * *needed receives the size. A reader (see "Threads"): it sorts in
 * temporary memory of its own. NOMEM (that memory), BUFFER_TOO_SMALL.
 */
CSAT_EXTERN int csat_agg_save(const csat_agg *a, void *buf, size_t cap, size_t *needed);
/**
 * Restore a saved aggregator. The configuration comes from the blob; of
 * `cfg` (may be NULL) only hash_seed, local_time and local_time_user are used
 * (a blob saved with a local_time callback ingests new answers only when
 * cfg gives one again: UNSUPPORTED otherwise; a blob saved with a fixed
 * offset refuses a callback: MISMATCH). Never
 * crashes on hostile input: BLOB (truncated, corrupt, inconsistent, counts
 * out of range), BLOB_VERSION, LIMIT, NOMEM, INVALID_ARG.
 */
CSAT_EXTERN int csat_agg_restore(csat_agg **out, const void *blob, size_t len,
                                 const csat_agg_config *cfg, const csat_allocator *alloc,
                                 csat_error *err);

/* ---- 9.14 Reports ------------------------------------------------------ */

/*
 * A report is one row (CSV) or object (JSON) per group, in the group order
 * (see "Order"; the report establishes it as csat_agg_group_count does, and
 * records its errors for csat_agg_errmsg: a writer, see "Threads").
 *
 * Fields, in this order (CSV header names; JSON nests at each '_' shown as
 * '.' here, e.g. {"csat":{"pct":..}}):
 *   the grouped dimensions: agent, queue, department, channel ("voice",
 *     "sms", "chat" or the number), survey, question, language, attribute
 *     (the value of the attribute named in JSON's "attribute_key");
 *   with a period: period (the label: 2026-11-22T14, 2026-11-22, 2026-W47,
 *     2026-11, 2026-Q4, 2026) and period_start (2026-11-16, or
 *     2026-11-22T14:00 for hours; local time);
 *   n, mean, sd, mean_pct (0..100 of the scale); csat.pct .lo .hi;
 *   negative.pct .lo .hi (Wilson 95%, percent); nps.n .value .lo .hi;
 *   ces.n .mean .agree_pct; csi.n .value; contacts.n .offered .answered
 *   .completed .partial .opted_out .response_pct .response_lo .response_hi
 *   .flagged .escalation_offered .escalated; wait.n .mean_s .median_s;
 *   talk.n .mean_s .median_s; comments.n .negative .positive; d0..d10 (JSON:
 *   "distribution":[11 counts]);
 *   CSAT_REPORT_COMPARE: compare.previous (the period before in the group's
 *     series, i.e. the previous period that has data) .csat_diff_pts
 *     .csat_p .negative_diff_pts .negative_p .nps_diff .nps_p .mean_diff
 *     (this period minus the previous; p: two-sided test);
 *   CSAT_REPORT_ALERTS: alert.center_pct .lcl_pct .ucl_pct .p_chart
 *     ("high", "low", "ok") .ewma_pct .ewma_ucl_pct .ewma (control charts of
 *     the negative share over the group's series, see csat_agg_alerts);
 *   CSAT_REPORT_CATEGORIES: categories.<name>.n .negative .positive per
 *     keyword category.
 * Rounding is half away from zero to fixed decimals: mean, sd, ces.mean and
 * mean_diff 2; p-values 4; everything else 1 (percentages, NPS, CSI,
 * seconds). Mean, shares and NPS are rounded exactly from their counts.
 * Numbers use '.' and no exponent whatever the locale. A figure without data
 * (its n is 0; sd with n < 2; no previous period) is an empty CSV cell and
 * JSON null. CSV follows RFC 4180 with CRLF line ends and a header row; a
 * text cell starting with = + - @ TAB or CR gets a leading single quote
 * (formula-injection guard; numbers are never altered). JSON is one object
 * {"report":"csat_agg","version":1,"dimensions":[...],"period":"week",
 * "utc_offset_min":0 (or "time_zone":name),"groups":[...]} with one group
 * per line, ending in "\n". CSAT_REPORT_TOTAL adds the figures of all groups
 * together: a last CSV row with "*" in every key cell, JSON member "total".
 */
#define CSAT_REPORT_TOTAL 0x01u      /**< add a total over every group */
#define CSAT_REPORT_COMPARE 0x02u    /**< compare each period with the previous one */
#define CSAT_REPORT_ALERTS 0x04u     /**< control-chart alerts on the negative share */
#define CSAT_REPORT_CATEGORIES 0x08u /**< comment counts per keyword category */
#define CSAT_REPORT_NO_HEADER 0x10u  /**< CSV without its header row */

/** Report options (NULL: none of the flags); the caller sets struct_size. */
typedef struct csat_report_options {
  size_t struct_size;              /**< sizeof(csat_report_options) */
  uint32_t flags;                  /**< CSAT_REPORT_* */
  const csat_alert_params *alerts; /**< for CSAT_REPORT_ALERTS (NULL: defaults) */
} csat_report_options;

/**
 * Write the report into buf. Buffer convention as csat_survey_to_json
 * (NUL-terminated; *needed receives the length without the NUL; call with
 * buf = NULL, cap = 0 to size it; BUFFER_TOO_SMALL when cap <= length).
 * Errors: INVALID_ARG (NULL aggregator, unknown flag), NOMEM, LIMIT.
 */
CSAT_EXTERN int csat_agg_report_csv(csat_agg *a, const csat_report_options *opt, char *buf,
                                    size_t cap, size_t *needed);
CSAT_EXTERN int csat_agg_report_json(csat_agg *a, const csat_report_options *opt, char *buf,
                                     size_t cap, size_t *needed);
/**
 * Stream the same bytes (without a NUL) through `write`, in pieces of at
 * most 4096 bytes, for reports too big for one buffer. `write` returns 0 to
 * go on; non-zero stops the report and the call returns CSAT_ERR_CALLBACK.
 * It must not call into the aggregator. Errors as above; after an error
 * (CALLBACK included) the bytes already written are a partial report that
 * the host discards.
 */
CSAT_EXTERN int csat_agg_report_csv_write(csat_agg *a, const csat_report_options *opt,
                                          int (*write)(void *user, const char *data, size_t len),
                                          void *user);
CSAT_EXTERN int csat_agg_report_json_write(csat_agg *a, const csat_report_options *opt,
                                           int (*write)(void *user, const char *data, size_t len),
                                           void *user);

#ifdef __cplusplus
}
#endif

#endif /* CSAT_H */
