#!/bin/bash
# csat_sms without Kannel: the store, the decoding of what Kannel passes,
# corrupt and unknown sessions, opt-outs, the survey window, exit codes and
# concurrent replies (src/tools/sms/README.md).
#
#   sms_cli.sh CSAT_SMS SURVEY.json
set -u
export LC_ALL=C

SMS=${1:?usage: sms_cli.sh CSAT_SMS SURVEY.json}
SURVEY=${2:?}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/csat-sms-cli.XXXXXX") || exit 1
STORE=$WORK/store
FAILED=0
trap '[ "$FAILED" = 1 ] && echo "work dir kept: $WORK" || rm -rf "$WORK"' EXIT

INVITATION='Спасибо за ваш звонок. Оцените, пожалуйста, нашу работу по шкале от 1 до 5, где 1 - очень плохо, 5 - отлично. Можете также оставить комментарий. Ваш отзыв важен для нас!'
THANKS='Спасибо за вашу оценку! Мы ценим ваш отзыв и постараемся улучшить наше обслуживание.'
INVALID='Извините, не удалось распознать ваш ответ. Пожалуйста, оцените нашу работу по шкале от 1 до 5.'
OPT_OUT='Вы отписались от опросов. Мы больше не будем присылать вам такие сообщения.'
EXPIRED='Срок опроса истёк, но спасибо, что откликнулись!'
INVITATION_EN='Thank you for your call. Please rate our work from 1 to 5, where 1 is very poor and 5 is excellent. You may add a comment. Your feedback matters to us!'
THANKS_EN='Thank you for your rating! We value your feedback and will work to improve our service.'

fail() {
  FAILED=1
  echo "FAIL: $*"
  exit 1
}

# run EXPECTED_EXIT EXPECTED_STDOUT csat_sms-arguments...
run() {
  local want_rc=$1 want_out=$2 out rc
  shift 2
  out=$(timeout 20 "$SMS" "$@" 2>"$WORK/stderr")
  rc=$?
  [ "$rc" = "$want_rc" ] || fail "csat_sms $* exited $rc, not $want_rc: $(cat "$WORK/stderr")"
  [ "$out" = "$want_out" ] || fail "csat_sms $*: printed [$out], not [$want_out]"
}

invite() { # number contact [more options]: prints the invitation
  local n=$1 c=$2
  shift 2
  run 0 "$INVITATION" invite --store "$STORE" --survey "$SURVEY" --to "$n" --contact "$c" "$@"
}
reply() { # exit text-out from message [more options], message URL-encoded as from Kannel
  local rc=$1 out=$2 from=$3 msg=$4
  shift 4
  run "$rc" "$out" reply --store "$STORE" --survey "$SURVEY" --from "$from" --text "$msg" "$@"
}
result_of() { grep -F "\"customer_address\":\"$1\"" "$STORE/results.jsonl"; }
urlenc() { # UTF-8 -> %XX for every byte
  printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | sed 's/../%&/g'
}

# ---- usage -------------------------------------------------------------------
run 2 "" invite --store "$STORE" --survey "$SURVEY" --contact C-0
run 2 "" reply --store "$STORE" --survey "$SURVEY" --text 5
run 2 "" invite --store "$STORE" --survey "$SURVEY" --to "+47 abc" --contact C-0
run 2 "" frobnicate
run 2 "" reply --store "$STORE" --survey "$SURVEY" --from +4711 --bogus 1 5
run 6 "" invite --store "$STORE" --survey "$WORK/none.json" --to +4711 --contact C-0
# The shared option parser (src/tools/common/tool_opts.h): errors name the
# option, --help is an answer, not an error.
stderr_has() { grep -qF -- "$1" "$WORK/stderr" || fail "stderr lacks [$1]: $(cat "$WORK/stderr")"; }
run 2 "" reply --store "$STORE" --survey "$SURVEY" --from +4711 --plain=1 5
stderr_has "option --plain takes no value"
run 2 "" expire --store "$STORE" --survey "$SURVEY" --older-than 1e3
stderr_has "option --older-than needs a whole number"
run 2 "" invite --store "$STORE" --survey "$SURVEY" --contact
stderr_has "option --contact needs a value"
out=$(timeout 20 "$SMS" reply --help 2>&1) || fail "csat_sms reply --help exited $?"
[[ $out == usage:* ]] || fail "csat_sms reply --help printed [$out]"
echo "ok: usage errors"

# ---- a score and a comment, URL-encoded as Kannel's %p and %b pass them ----
invite "+47 900-00 001" C-1 --agent A-1
[ -f "$STORE/p4790000001.session" ] || fail "no session file for +4790000001"
reply 0 "$THANKS" %2B4790000001 "4.+$(urlenc 'Оператор был вежлив, но долго')+%2B+100%25"
r=$(result_of +4790000001)
[[ $r == *'"score":4,'* && $r == *'"comment":"Оператор был вежлив, но долго + 100%"'* &&
  $r == *'"agent_id":"A-1"'* && $r == *'"outcome":"completed"'* ]] || fail "result: [$r]"
echo "ok: URL-encoded score and comment stored"

# ---- the message as remaining arguments, plain ------------------------------
run 0 "$INVITATION_EN" invite --store "$STORE" --survey "$SURVEY" --to +4790000002 \
  --contact C-2 --lang en
run 0 "$THANKS_EN" reply --store "$STORE" --survey "$SURVEY" --from +4790000002 --plain \
  5 great service
r=$(result_of +4790000002)
[[ $r == *'"score":5,'* && $r == *'"comment":"great service"'* && $r == *'"language":"en"'* ]] ||
  fail "result: [$r]"
echo "ok: plain arguments, English"

# ---- UCS-2 as Kannel passes it without mo-recode (%c = 2) -------------------
invite +4790000003 C-3
ucs2=$(printf '%s' 'отлично поработали' | iconv -f UTF-8 -t UTF-16BE | od -An -tx1 -v |
  tr -d ' \n' | sed 's/../%&/g')
reply 0 "$INVALID" %2B4790000003 "$ucs2" --coding 2
ucs2=$(printf '%s' '５' | iconv -f UTF-8 -t UTF-16BE | od -An -tx1 -v | tr -d ' \n' |
  sed 's/../%&/g')
reply 0 "$THANKS" %2B4790000003 "$ucs2" --coding 2
[[ $(result_of +4790000003) == *'"score":5,'* ]] || fail "UCS-2 fullwidth 5 not stored"
echo "ok: UCS-2 messages"

# ---- bytes the library would refuse: invalid UTF-8 and NUL ------------------
invite +4790000004 C-4
reply 0 "$INVALID" %2B4790000004 "%FF%FE%00%C0%AF"
reply 0 "$THANKS" %2B4790000004 "%003"
echo "ok: invalid UTF-8 and NUL bytes are read as text, not refused"

# ---- unknown numbers and corrupt sessions ------------------------------------
reply 3 "" %2B4799999999 5
invite +4790000005 C-5
printf 'not a session' >"$STORE/p4790000005.session"
reply 4 "" +4790000005 5
ls "$STORE"/p4790000005.session.corrupt-* >/dev/null 2>&1 || fail "corrupt blob not set aside"
[ -e "$STORE/p4790000005.session" ] && fail "corrupt blob still in place"
reply 3 "" +4790000005 5
invite +4790000006 C-6
head -c 20 "$STORE/p4790000006.session" >"$WORK/half" && mv "$WORK/half" "$STORE/p4790000006.session"
reply 4 "" +4790000006 5
echo "ok: unknown numbers and corrupt blobs get nothing"

# ---- opt-out ------------------------------------------------------------------
invite +4790000007 C-7
reply 0 "$OPT_OUT" +4790000007 STOP
grep -qx -- +4790000007 "$STORE/optouts.txt" || fail "not in optouts.txt"
reply 0 "" +4790000007 5
reply 0 "" +4790000007 STOP
run 7 "" invite --store "$STORE" --survey "$SURVEY" --to +4790000007 --contact C-77
[ "$(grep -c . "$STORE/optouts.txt")" = 1 ] || fail "optouts.txt: $(cat "$STORE/optouts.txt")"
[[ $(result_of +4790000007) == *'"outcome":"opted_out"'* ]] || fail "opt-out result"
echo "ok: opt-out"

# ---- the survey window: a late reply, and the expire sweep -----------------
DAY=86400000
invite +4790000008 C-8 --now-ms 1000
reply 0 "$EXPIRED" +4790000008 5 --now-ms $((1000 + DAY + 1))
[[ $(result_of +4790000008) == *'"outcome":"expired"'* ]] || fail "late reply not expired"
invite +4790000009 C-9 --now-ms 1000
run 0 "" expire --store "$STORE" --survey "$SURVEY" --now-ms $((1000 + DAY - 1))
[ -z "$(result_of +4790000009)" ] || fail "expired inside the window"
run 0 "" expire --store "$STORE" --survey "$SURVEY" --now-ms $((1000 + DAY))
[[ $(result_of +4790000009) == *'"outcome":"expired"'* ]] || fail "sweep did not expire"
reply 0 "$EXPIRED" +4790000009 5 --now-ms $((2000 + DAY))
reply 0 "" +4790000009 5 --now-ms $((3000 + DAY))
echo "ok: survey window"

# ---- a new invitation ends the unfinished survey of the same number --------
invite +4790000010 C-10
invite +4790000010 C-11
[[ $(result_of +4790000010) == *'"contact_id":"C-10"'*'"outcome":"expired"'* ]] ||
  fail "the replaced survey was not stored as expired"
reply 0 "$THANKS" +4790000010 5
[[ $(result_of +4790000010 | tail -n 1) == *'"contact_id":"C-11"'*'"score":5,'* ]] ||
  fail "the new survey did not take the answer"
echo "ok: re-invitation"

# ---- sendsms unreachable: exit 8 and no session --------------------------
port=1
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
run 8 "" invite --store "$STORE" --survey "$SURVEY" --to +4790000011 --contact C-12 \
  --sendsms "http://127.0.0.1:$port/cgi-bin/sendsms?username=u&password=p" --sender 1234
[ -e "$STORE/p4790000011.session" ] && fail "session kept after a failed send"
run 2 "" invite --store "$STORE" --survey "$SURVEY" --to +4790000011 --contact C-12 \
  --sendsms "http://127.0.0.1:$port/x"
echo "ok: failed sends"

# ---- many customers at once ---------------------------------------------------
before=$(grep -c . "$STORE/results.jsonl")
for i in $(seq 20 39); do invite "+47900000$i" "C-$i" >/dev/null; done
pids=()
for i in $(seq 20 39); do
  timeout 30 "$SMS" reply --store "$STORE" --survey "$SURVEY" --from "+47900000$i" --plain \
    "$((i % 5 + 1)) ok" >"$WORK/par-$i.out" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent reply failed"; done
after=$(grep -c . "$STORE/results.jsonl")
[ $((after - before)) = 20 ] || fail "20 concurrent replies stored $((after - before)) results"
for i in $(seq 20 39); do
  [ "$(cat "$WORK/par-$i.out")" = "$THANKS" ] || fail "concurrent reply $i: $(cat "$WORK/par-$i.out")"
done
while IFS= read -r line; do
  [[ $line == '{"contact_id":'*'}' ]] || fail "torn line in results.jsonl: $line"
done <"$STORE/results.jsonl"
echo "ok: 20 concurrent replies"

ls -a "$STORE" | grep -q '\.tmp\.' && fail "temp files left: $(ls -a "$STORE")"
echo "PASS: csat_sms without Kannel"
