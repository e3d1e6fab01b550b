#!/usr/bin/python3
"""Independent reference for libcsat's aggregation metrics (stdlib only).

Reads DIR/answers.tsv (written by agg_gen) and recomputes, for each test
configuration, every metric of every group from the raw answers with exact
integer / Fraction arithmetic and Python's own calendar (datetime, proleptic
Gregorian, ISO weeks by date.isocalendar), then compares with the library's
DIR/metrics_<c>.tsv: counts exactly, doubles to 1e-9 relative, and the group
order (sorted by key bytes, channel, period start).

Usage: agg_reference.py DIR
"""
import datetime
import math
import sys
from fractions import Fraction

Z = 1.959963984540054
NORM = 2520
EPOCH = datetime.datetime(1970, 1, 1)

# The configurations of tests/agg_kit.h (kit_config): dims bit set, period, offset.
AGENT, QUEUE, DEPT, CHANNEL, SURVEY, QUESTION, LANG, ATTR = (1 << i for i in range(8))
ALL = 0xFF
CONFIGS = [
    (AGENT | QUESTION, "week", -300),
    (DEPT | CHANNEL, "month", 330),
    (ALL, "quarter", 60),
    (0, "day", 0),
    (QUEUE | LANG | SURVEY, "none", 0),
]
CES = {"ces", "q3", "q5", "q10", "nps"}  # kit_setup's and agg_gen's extra_ces
CSI = {"q5": 3, "q10": 2, "q3": 1}


def score_sets(lo, hi):
    """Default positive / negative sets (csat.h, "Scales")."""
    points = hi - lo + 1
    if points <= 3:
        return {hi}, {lo}
    if hi == 10 and lo in (0, 1):
        return {9, 10}, set(range(lo, 7))
    return {hi - 1, hi}, {lo, lo + 1}


def ces_agree(lo, hi):
    """Default CES agree set: the points strictly above the scale's midpoint."""
    mid = Fraction(lo + hi, 2)
    return {v for v in range(lo, hi + 1) if v > mid}


def period_start(kind, t_ms, offset_min):
    """(start as local ms since the epoch, label) via datetime."""
    if kind == "none":
        return 0, ""
    local = EPOCH + datetime.timedelta(milliseconds=t_ms + offset_min * 60000)
    if kind == "hour":
        s = local.replace(minute=0, second=0, microsecond=0)
        label = s.strftime("%Y-%m-%dT%H")
    elif kind == "day":
        s = local.replace(hour=0, minute=0, second=0, microsecond=0)
        label = s.strftime("%Y-%m-%d")
    elif kind == "week":
        d = local.date() - datetime.timedelta(days=local.weekday())
        s = datetime.datetime(d.year, d.month, d.day)
        iso = d.isocalendar()
        label = "%04d-W%02d" % (iso[0], iso[1])
    elif kind == "month":
        s = datetime.datetime(local.year, local.month, 1)
        label = s.strftime("%Y-%m")
    elif kind == "quarter":
        q = (local.month - 1) // 3
        s = datetime.datetime(local.year, 3 * q + 1, 1)
        label = "%04d-Q%d" % (local.year, q + 1)
    else:
        s = datetime.datetime(local.year, 1, 1)
        label = "%04d" % local.year
    delta = s - EPOCH
    ms = (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    return ms, label


class Group:
    def __init__(self):
        self.scores = []          # (question, lo, hi, score)
        self.outcomes = [0] * 10
        self.answered = self.flagged = self.esc_offered = self.escalated = 0
        self.wait = []            # ms
        self.talk = []
        self.comments = self.comments_neg = self.comments_pos = 0

    def merge(self, other):
        self.scores += other.scores
        self.outcomes = [a + b for a, b in zip(self.outcomes, other.outcomes)]
        for f in ("answered", "flagged", "esc_offered", "escalated", "comments",
                  "comments_neg", "comments_pos"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.wait += other.wait
        self.talk += other.talk


def wilson(k, n):
    if n == 0:
        return 0.0, 1.0
    p = k / n
    z2 = Z * Z
    den = 1 + z2 / n
    center = (p + z2 / (2 * n)) / den
    half = Z / den * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    lo = 0.0 if k == 0 else max(0.0, center - half)
    hi = 1.0 if k == n else min(1.0, center + half)
    return lo, hi


def nps_interval(prom, det, n):
    """NPS with the adjusted-Wald interval of Rocks (2016): pseudo-counts of
    3/4 promoter and 3/4 detractor (and 3/2 passive) on top of the sample;
    the Wald interval of the trinomial is then taken at the adjusted shares
    (exactly in Fractions up to the square root)."""
    if n == 0:
        return 0.0, -100.0, 100.0
    quarter = Fraction(3, 4)
    counts = [prom + quarter, det + quarter, (n - prom - det) + 2 * quarter]
    total = sum(counts)
    pp, pd = counts[0] / total, counts[1] / total
    # variance of one answer scored +1 / 0 / -1: E[X^2] - E[X]^2
    var = pp + pd - (pp - pd) ** 2
    centre = 100 * (pp - pd)
    half = 100 * Z * math.sqrt(var / total)
    nps = float(Fraction(100 * (prom - det), n))
    return nps, max(-100.0, float(centre) - half), min(100.0, float(centre) + half)


def median_seconds(ms_list):
    secs = sorted((ms + 500) // 1000 for ms in ms_list)
    n = len(secs)
    if n == 0:
        return 0.0
    return (secs[(n + 1) // 2 - 1] + secs[n // 2]) / 2


def ratio(a, b):
    return float(Fraction(a, b)) if b else 0.0


def metrics(g):
    """The fields of agg_gen's write_metrics, in order, as (kind, value)."""
    out = []
    I = lambda v: out.append(("i", v))
    D = lambda v: out.append(("d", v))
    n = len(g.scores)
    s = sum(x[3] for x in g.scores)
    sq = sum(x[3] * x[3] for x in g.scores)
    norm = sum((x[3] - x[1]) * NORM // (x[2] - x[1]) for x in g.scores)
    pos = sum(1 for x in g.scores if x[3] in score_sets(x[1], x[2])[0])
    neg = sum(1 for x in g.scores if x[3] in score_sets(x[1], x[2])[1])
    I(n)
    D(ratio(s, n))
    D(math.sqrt(Fraction(n * sq - s * s, n * (n - 1))) if n > 1 else 0.0)
    D(float(Fraction(norm * 100, n * NORM)) if n else 0.0)
    for v in range(11):
        I(sum(1 for x in g.scores if x[3] == v))
    I(pos)
    D(ratio(pos, n))
    for v in wilson(pos, n):
        D(v)
    I(neg)
    D(ratio(neg, n))
    for v in wilson(neg, n):
        D(v)
    nps = [x for x in g.scores if x[1] == 0 and x[2] == 10]
    prom = sum(1 for x in nps if x[3] in score_sets(0, 10)[0])
    det = sum(1 for x in nps if x[3] in score_sets(0, 10)[1])
    I(len(nps))
    I(prom)
    I(det)
    for v in nps_interval(prom, det, len(nps)):
        D(v)
    ces = [x for x in g.scores if x[0] in CES]
    agree = sum(1 for x in ces if x[3] in ces_agree(x[1], x[2]))
    I(len(ces))
    D(ratio(sum(x[3] for x in ces), len(ces)))
    I(agree)
    D(ratio(agree, len(ces)))
    for v in wilson(agree, len(ces)):
        D(v)
    csi_n, num, wsum = 0, Fraction(0), 0
    for q, w in CSI.items():
        xs = [x for x in g.scores if x[0] == q]
        if not xs:
            continue
        csi_n += len(xs)
        wsum += w
        num += w * Fraction(sum((x[3] - x[1]) * NORM // (x[2] - x[1]) for x in xs) * 100,
                            len(xs) * NORM)
    I(csi_n)
    D(float(num / wsum) if wsum else 0.0)
    contacts = sum(g.outcomes)
    offered = contacts - g.outcomes[9]
    I(contacts)
    I(offered)
    I(g.answered)
    I(g.outcomes[1])
    I(g.outcomes[2])
    I(g.outcomes[7])
    for o in range(1, 10):
        I(g.outcomes[o])
    D(ratio(g.answered, offered))
    for v in wilson(g.answered, offered):
        D(v)
    I(g.flagged)
    I(g.esc_offered)
    I(g.escalated)
    for d in (g.wait, g.talk):
        I(len(d))
        D(float(Fraction(sum(d), len(d) * 1000)) if d else 0.0)
        D(median_seconds(d))
    I(g.comments)
    I(g.comments_neg)
    I(g.comments_pos)
    return out


def key_sort(k):
    # strings bytewise (UTF-8), the channel numerically, then the period start
    return tuple(x.encode() if isinstance(x, str) else x for x in k)


def run(dirname, rows, which):
    dims, kind, offset = CONFIGS[which]
    groups = {}
    for r in rows:
        (t, agent, queue, dept, channel, survey, question, lang, attr, lo, hi, score,
         outcome, flagged, esc, wait, talk, has_comment) = r
        if score < 0 and not has_comment and outcome == 0:
            continue
        start, label = period_start(kind, t, offset)
        vals = [agent, queue, dept, channel, survey, question, lang, attr]
        key = tuple((v if dims & (1 << i) else (0 if i == 3 else ""))
                    for i, v in enumerate(vals)) + (start,)
        g = groups.get(key)
        if g is None:
            g = groups[key] = Group()
            g.label = label
        if score >= 0:
            g.scores.append((question, lo, hi, score))
        pol = 0
        if score >= 0:
            p, n = score_sets(lo, hi)
            pol = -1 if score in n else (1 if score in p else 0)
        if outcome:
            g.outcomes[outcome] += 1
            if (score >= 0 or has_comment) and outcome != 9:
                g.answered += 1
            g.flagged += 1 if flagged else 0
            g.esc_offered += 1 if esc >= 1 else 0
            g.escalated += 1 if esc >= 2 else 0
            if wait >= 0:
                g.wait.append(wait)
            if talk >= 0:
                g.talk.append(talk)
        if has_comment:
            g.comments += 1
            g.comments_neg += 1 if pol < 0 else 0
            g.comments_pos += 1 if pol > 0 else 0
    order = sorted(groups, key=key_sort)
    total = Group()
    for k in order:
        total.merge(groups[k])

    with open("%s/metrics_%d.tsv" % (dirname, which), encoding="utf-8") as f:
        lines = [l.rstrip("\n").split("\t") for l in f]
    errors, maxdev, compared = [], 0.0, 0
    if len(lines) != len(order) + 1:
        errors.append("config %d: %d groups from the library, %d expected"
                      % (which, len(lines) - 1, len(order)))
        return errors, maxdev, compared
    for idx, line in enumerate(lines):
        if idx < len(order):
            k = order[idx]
            g = groups[k]
            want_key = [k[0], k[1], k[2], str(k[3]), k[4], k[5], k[6], k[7], g.label, str(k[8])]
            if line[:10] != want_key:
                errors.append("config %d group %d: key %r, expected %r"
                              % (which, idx, line[:10], want_key))
                continue
        else:
            g = total
        exp = metrics(g)
        got = line[10:]
        if len(got) != len(exp):
            errors.append("config %d group %d: %d fields, expected %d"
                          % (which, idx, len(got), len(exp)))
            continue
        for fi, ((t, want), have) in enumerate(zip(exp, got)):
            compared += 1
            if t == "i":
                if int(have) != want:
                    errors.append("config %d group %d field %d: %s, expected %d"
                                  % (which, idx, fi, have, want))
            else:
                h = float(have)
                dev = abs(h - want) / max(abs(want), 1e-300) if want != 0 else abs(h)
                if abs(h - want) > 1e-12:
                    maxdev = max(maxdev, dev)
                if abs(h - want) > 1e-9 * max(abs(want), abs(h)) and abs(h - want) > 1e-12:
                    errors.append("config %d group %d field %d: %r, expected %r"
                                  % (which, idx, fi, h, want))
    return errors, maxdev, compared


def main():
    dirname = sys.argv[1]
    rows = []
    with open(dirname + "/answers.tsv", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            rows.append((int(p[0]), p[1], p[2], p[3], int(p[4]), p[5], p[6], p[7], p[8],
                         int(p[9]), int(p[10]), int(p[11]), int(p[12]), int(p[13]),
                         int(p[14]), int(p[15]), int(p[16]), int(p[17])))
    scales = sorted({(r[9], r[10]) for r in rows})
    all_errors = []
    for which in range(len(CONFIGS)):
        errors, maxdev, compared = run(dirname, rows, which)
        ngroups = sum(1 for _ in open("%s/metrics_%d.tsv" % (dirname, which))) - 1
        print("configuration %d: %d answers, %d groups, %d figures compared, "
              "max relative deviation %.3g, %d mismatches"
              % (which, len(rows), ngroups, compared, maxdev, len(errors)))
        all_errors += errors
    print("scales:", ", ".join("%d..%d" % s for s in scales))
    for e in all_errors[:30]:
        print("MISMATCH", e)
    if len(rows) < 100000:
        print("FAIL: fewer than 100000 answers")
        return 1
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main())
