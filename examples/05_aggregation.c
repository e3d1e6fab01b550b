/*
 * 05_aggregation.c: from answers to figures a supervisor can trust.
 *
 * An aggregator groups answers (here by agent and by day) and gives every
 * figure with its n and, for shares, a 95% interval: "CSAT 100%" from two
 * answers is not "CSAT 92%" from fifty. It compares two periods with a
 * significance test, and ranks agents without putting a two-answer agent at
 * the top or the bottom. The answers come from the host's own storage (a
 * table of score counts here); csat_agg_add_result takes a session's result
 * directly (06_report.c).
 */
#include <csat.h>
#include <stdio.h>

/* How many answers scored 1, 2, 3, 4, 5: per agent and day. */
typedef struct day_scores {
  const char *agent;
  int day; /* 0: Monday 2026-01-05, 1: Tuesday */
  int counts[5];
} day_scores;

static const day_scores data[] = {
    {"agent-7", 0, {0, 1, 2, 8, 14}}, {"agent-7", 1, {0, 1, 3, 9, 15}},
    {"agent-8", 0, {1, 2, 4, 10, 9}}, {"agent-8", 1, {5, 5, 6, 7, 3}},
    {"agent-9", 0, {0, 0, 0, 1, 2}},  {"agent-9", 1, {0, 0, 0, 0, 2}},
};

static int fail(const csat_agg *a, const char *what) {
  fprintf(stderr, "%s: %s\n", what, csat_agg_errmsg(a));
  return 1;
}

int main(void) {
  const int64_t monday = 1767600000000; /* 2026-01-05 08:00 UTC */
  csat_agg_config cfg = {0};
  csat_agg *a;
  csat_rank_params rp = {0};
  csat_rank ranks[8];
  size_t d, g, n, first, count;
  int score, i;

  cfg.struct_size = sizeof cfg;
  cfg.dimensions = CSAT_DIM_AGENT;
  cfg.period = CSAT_PERIOD_DAY;
  cfg.utc_offset_min = 60; /* days begin at local midnight (UTC+1), not UTC's */
  if (csat_agg_new(&a, &cfg, NULL) != CSAT_OK)
    return 1;

  /* One row per answer; each row is also one surveyed contact (outcome). */
  for (d = 0; d < sizeof data / sizeof data[0]; d++) {
    for (score = 1; score <= 5; score++) {
      for (i = 0; i < data[d].counts[score - 1]; i++) {
        csat_agg_answer ans = {0};
        ans.struct_size = sizeof ans;
        ans.time_ms = monday + data[d].day * 86400000LL + i * 600000LL;
        ans.agent_id = data[d].agent;
        ans.question_id = "satisfied";
        ans.scale_min = 1;
        ans.scale_max = 5;
        ans.score = score;
        ans.outcome = CSAT_OUTCOME_COMPLETED;
        ans.wait_ms = ans.talk_ms = -1; /* unknown here */
        if (csat_agg_add_answer(a, &ans) != CSAT_OK)
          return fail(a, "add");
      }
    }
  }

  /* Groups come in key order (agent, then day), so an agent's days, its
   * "series", are neighbours. On 1..5, CSAT is the share of 4s and 5s. */
  n = csat_agg_group_count(a);
  printf("agent    day          n  mean  CSAT%%  (95%% interval)\n");
  for (g = 0; g < n; g++) {
    csat_agg_key k;
    csat_metrics m;
    k.struct_size = sizeof k;
    m.struct_size = sizeof m;
    if (csat_agg_group_key(a, g, &k) != CSAT_OK || csat_agg_metrics(a, g, &m) != CSAT_OK)
      return fail(a, "group");
    printf("%-8s %s %3lld  %.2f  %5.1f  (%.1f to %.1f)\n", k.agent_id, k.period_label,
           (long long)m.count, m.mean, 100 * m.csat, 100 * m.csat_lo, 100 * m.csat_hi);
  }

  /* Tuesday against Monday, per agent: is the change more than chance? */
  printf("\nTuesday against Monday\n");
  for (g = 0; g < n; g += count) {
    csat_agg_key k;
    csat_comparison c;
    k.struct_size = sizeof k;
    c.struct_size = sizeof c;
    if (csat_agg_series(a, g, &first, &count) != CSAT_OK || csat_agg_group_key(a, g, &k) != CSAT_OK)
      return fail(a, "series");
    if (count < 2)
      continue;
    if (csat_agg_compare(a, first, first + 1, &c) != CSAT_OK)
      return fail(a, "compare");
    printf("%-8s CSAT %5.1f%% -> %5.1f%% (%+.1f pts, p = %.4f)%s\n", k.agent_id, 100 * c.csat_a,
           100 * c.csat_b, 100 * c.csat_diff, c.csat_p,
           c.csat_p < 0.05 ? ": a real change" : ": could be chance");
  }

  /* Rank within each day on CSAT, shrunk toward the day's pool: fewer than
   * 10 answers is reported but not ranked. */
  rp.struct_size = sizeof rp;
  rp.metric = CSAT_RANK_CSAT;
  rp.by_period = 1;
  rp.min_count = 10;
  ranks[0].struct_size = sizeof ranks[0];
  if (csat_agg_rank(a, &rp, ranks, 8, &count) != CSAT_OK)
    return fail(a, "rank");
  printf("\nranking by day (CSAT, shrunk toward the day's mean)\n");
  for (i = 0; (size_t)i < count; i++) {
    csat_agg_key k;
    k.struct_size = sizeof k;
    if (csat_agg_group_key(a, ranks[i].group, &k) != CSAT_OK)
      return fail(a, "key");
    if (ranks[i].rank > 0)
      printf("%s  #%d %-8s CSAT %5.1f%%, shrunk %5.1f%%, n = %lld\n", k.period_label, ranks[i].rank,
             k.agent_id, 100 * ranks[i].value, 100 * ranks[i].shrunk, (long long)ranks[i].count);
    else
      printf("%s  -- %-8s CSAT %5.1f%%, n = %lld: too few answers to rank\n", k.period_label,
             k.agent_id, 100 * ranks[i].value, (long long)ranks[i].count);
  }
  csat_agg_free(a);
  return 0;
}
