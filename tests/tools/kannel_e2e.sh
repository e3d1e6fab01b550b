#!/bin/bash
# End to end through a real Kannel: bearerbox, smsbox and the fake SMSC
# (fakesmsc playing the customers' phones) on 127.0.0.1, with csat_sms run by
# smsbox's sms-service `exec` (src/tools/sms/README.md).
#
#   kannel_e2e.sh CSAT_SMS SURVEY.json KANNEL_CONF_IN
#
# Skips ("SKIPPED:") when Kannel is not installed, unless CSAT_REQUIRE_KANNEL=1
# (.ci/run), which makes that a failure. CSAT_KEEP_WORK=1 keeps the work dir.
# Every process it starts runs under `timeout` and is stopped by PID on exit;
# every wait is bounded.
set -u
export LC_ALL=C

CSAT_SMS=${1:?usage: kannel_e2e.sh CSAT_SMS SURVEY.json KANNEL_CONF_IN}
SURVEY=${2:?}
CONF_IN=${3:?}
BEARERBOX=${CSAT_BEARERBOX:-/usr/sbin/bearerbox}
SMSBOX=${CSAT_SMSBOX:-/usr/sbin/smsbox}
FAKESMSC=${CSAT_FAKESMSC:-/usr/lib/kannel/test/fakesmsc}
LIFETIME=100 # seconds any process of this test may live (ctest gives it 120)
SERVICE=1234 # our short number

# The texts of src/tools/sms/survey_ru.json, exactly.
INVITATION='Спасибо за ваш звонок. Оцените, пожалуйста, нашу работу по шкале от 1 до 5, где 1 - очень плохо, 5 - отлично. Можете также оставить комментарий. Ваш отзыв важен для нас!'
THANKS='Спасибо за вашу оценку! Мы ценим ваш отзыв и постараемся улучшить наше обслуживание.'
INVALID='Извините, не удалось распознать ваш ответ. Пожалуйста, оцените нашу работу по шкале от 1 до 5.'
OPT_OUT='Вы отписались от опросов. Мы больше не будем присылать вам такие сообщения.'
ALREADY='Вы уже оценили нашу работу. Спасибо!'
COMMENT='Оператор был вежлив, но долго пришлось ждать на линии.'

missing=
for p in "$BEARERBOX" "$SMSBOX" "$FAKESMSC"; do
  [ -x "$p" ] || missing="$missing $p"
done
for c in timeout iconv od mkfifo; do
  command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
  if [ "${CSAT_REQUIRE_KANNEL:-0}" = 1 ]; then
    echo "FAIL: CSAT_REQUIRE_KANNEL=1 but missing:$missing (apt-get install kannel kannel-extras)"
    exit 1
  fi
  echo "SKIPPED: Kannel is not installed (missing:$missing; apt-get install kannel kannel-extras)"
  exit 0
fi
for f in "$CSAT_SMS" "$SURVEY" "$CONF_IN"; do
  [ -e "$f" ] || { echo "FAIL: $f does not exist"; exit 1; }
done
# smsbox runs csat_sms from its own directory: absolute paths only.
abspath() { printf '%s/%s' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"; }
CSAT_SMS=$(abspath "$CSAT_SMS") SURVEY=$(abspath "$SURVEY") CONF_IN=$(abspath "$CONF_IN")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/csat-kannel.XXXXXX") || exit 1
PIDS=()
FAILED=0
START=$SECONDS

stop_all() {
  local pid i
  exec 4>&- 2>/dev/null
  # Newest first: the phone, smsbox, then bearerbox. `timeout` passes the
  # TERM on to the box it runs.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  PIDS=()
}

cleanup() {
  stop_all
  if [ "$FAILED" = 1 ] || [ -n "${CSAT_KEEP_WORK:-}" ]; then
    echo "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'FAILED=1; exit 1' INT TERM HUP

fail() {
  local f
  FAILED=1
  echo "FAIL: $*"
  for f in "$WORK"/*.log "$WORK"/*.out "$WORK"/store/*.jsonl "$WORK"/store/optouts.txt; do
    [ -f "$f" ] || continue
    echo "---- $f (last 15 lines)"
    tail -n 15 "$f" | cut -c1-300
  done
  exit 1
}

# A TCP connection to 127.0.0.1:port succeeds.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_get() { # port path: the answer on stdout
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "GET %s HTTP/1.0\r\n\r\n" "$1" >&3 && cat <&3' "$1" "$2" 2>/dev/null
}

# wait_until SECONDS WHAT COMMAND...: poll until COMMAND succeeds.
wait_until() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no $what after ${limit}s"
    sleep 0.1
  done
}

# ---- the customers' phone: fakesmsc's log, decoded ------------------------

url_to_hex() { # url-encoded bytes -> hex
  local s=$1 out= c h i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    if [ "$c" = % ]; then
      out+=${s:i+1:2}
      i=$((i + 2))
    elif [ "$c" = + ]; then
      out+=20
    else
      printf -v h '%02X' "'$c"
      out+=$h
    fi
  done
  printf '%s' "${out^^}"
}

hex_to_text() { # hex of UTF-16BE -> UTF-8, newlines shown as \n
  local t
  t=$(printf '%b' "$(printf '%s' "$1" | sed 's/../\\x&/g')" | iconv -f UTF-16BE -t UTF-8) ||
    t="?undecodable"
  printf '%s' "${t//$'\n'/\\n}"
}

# MSGS: every complete message the phones got, in order, as "<to> <text>".
# Concatenated parts (UDH 05 00 03 ref total seq) are joined; Kannel sends
# csat_sms's texts as UCS-2.
MSGS=()
refresh_messages() {
  local line body to udh data ref total seq key n hex
  declare -A parts=() have=()
  MSGS=()
  while IFS= read -r line; do
    [[ $line =~ Got\ message\ [0-9]+:\ \<(.+)\>$ ]] || continue
    body=${BASH_REMATCH[1]}
    if [[ $body =~ ^([^ ]+)\ ([^ ]+)\ udh\ ([^ ]+)\ data\ (.*)$ ]]; then
      to=${BASH_REMATCH[2]}
      data=${BASH_REMATCH[4]}
      udh=$(url_to_hex "${BASH_REMATCH[3]}")
      if [[ ! $udh =~ ^050003(..)(..)(..)$ ]]; then
        MSGS+=("$to ?udh $udh")
        continue
      fi
      ref=${BASH_REMATCH[1]}
      total=$((16#${BASH_REMATCH[2]}))
      seq=$((16#${BASH_REMATCH[3]}))
      key="$to/$ref"
      parts[$key/$seq]=$data
      have[$key]=$((${have[$key]:-0} + 1))
      if [ "${have[$key]}" -eq "$total" ]; then
        hex=
        for ((n = 1; n <= total; n++)); do
          hex+=$(url_to_hex "${parts[$key/$n]:-}")
          unset "parts[$key/$n]"
        done
        unset "have[$key]"
        MSGS+=("$to $(hex_to_text "$hex")")
      fi
    elif [[ $body =~ ^([^ ]+)\ ([^ ]+)\ ucs-2\ (.*)$ ]]; then
      MSGS+=("${BASH_REMATCH[2]} $(hex_to_text "$(url_to_hex "${BASH_REMATCH[3]}")")")
    elif [[ $body =~ ^([^ ]+)\ ([^ ]+)\ [a-z-]+\ (.*)$ ]]; then
      MSGS+=("${BASH_REMATCH[2]} ${BASH_REMATCH[3]}")
    else
      MSGS+=("? $body")
    fi
  done <"$WORK/phone.log"
}

have_messages() { # n: at least n complete messages arrived
  refresh_messages
  [ "${#MSGS[@]}" -ge "$1" ]
}

GOT=0 # messages checked so far
expect() { # to text [what]: the next message the phones get
  local want="$1 $2"
  wait_until 20 "message $((GOT + 1)) (${3:-$2})" have_messages $((GOT + 1))
  [ "${MSGS[GOT]}" = "$want" ] ||
    fail "message $((GOT + 1)): expected [$want], got [${MSGS[GOT]}]"
  echo "ok: $1 got: $2"
  GOT=$((GOT + 1))
}

# How many customer messages smsbox has passed to csat_sms and seen it finish
# (its access log has one line per finished exec).
served() { grep -c "SMS request sender:$1 " "$WORK/smsbox-access.log" 2>/dev/null; }
served_at_least() { [ "$(served "$1")" -ge "$2" ]; }

expect_nothing() { # number n: after its n-th message was served, nothing came
  wait_until 20 "end of csat_sms for $1's message $2" served_at_least "$1" "$2"
  sleep 1.5 # a reply would be through bearerbox and at the phone by now
  refresh_messages
  [ "${#MSGS[@]}" -eq "$GOT" ] || fail "unexpected message to the phones: [${MSGS[GOT]}]"
  echo "ok: $1 got nothing"
}

say() { # from text: a customer's message as plain text (UTF-8 passes through)
  printf '%s %s text %s\n' "$1" "$SERVICE" "$2" >&4
}

say_ucs2() { # from text: the same as a UCS-2 message, as a phone sends Cyrillic
  local hex
  hex=$(printf '%s' "$2" | iconv -f UTF-8 -t UTF-16BE | od -An -tx1 -v | tr -d ' \n' |
    sed 's/../%&/g')
  printf '%s %s ucs2 %s\n' "$1" "$SERVICE" "$hex" >&4
}

# ---- start Kannel -------------------------------------------------------------

mkdir -p "$WORK/store" || fail "cannot create $WORK/store"
PASSWORD=csat$$$RANDOM
started=0
for attempt in 0 1 2 3 4; do
  base=$((20000 + (($$ + attempt * 7919 + RANDOM) % 400) * 100))
  ADMIN=$base SMSBOX_PORT=$((base + 1)) SMSC=$((base + 2)) SENDSMS=$((base + 3))
  busy=0
  for p in $ADMIN $SMSBOX_PORT $SMSC $SENDSMS; do
    port_open "$p" && busy=1
  done
  [ "$busy" = 0 ] || continue
  sed -e "s|@ADMIN_PORT@|$ADMIN|g; s|@ADMIN_PASSWORD@|$PASSWORD|g" \
    -e "s|@SMSBOX_PORT@|$SMSBOX_PORT|g; s|@SMSC_PORT@|$SMSC|g; s|@SENDSMS_PORT@|$SENDSMS|g" \
    -e "s|@SENDSMS_USER@|csat|g; s|@SENDSMS_PASSWORD@|$PASSWORD|g" \
    -e "s|@CSAT_SMS@|$CSAT_SMS|g; s|@STORE@|$WORK/store|g; s|@SURVEY@|$SURVEY|g" \
    -e "s|@LOG_DIR@|$WORK|g" "$CONF_IN" >"$WORK/kannel.conf" || fail "cannot write the config"
  grep -v '^#' "$WORK/kannel.conf" | grep -q '@[A-Z_]*@' && fail "placeholders left in kannel.conf"
  timeout -k 3 "$LIFETIME" "$BEARERBOX" "$WORK/kannel.conf" >"$WORK/bearerbox.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    port_open "$ADMIN" && port_open "$SMSC" && break
    kill -0 "${PIDS[0]}" 2>/dev/null || break
    sleep 0.1
  done
  if port_open "$ADMIN" && port_open "$SMSC"; then
    started=1
    break
  fi
  echo "bearerbox did not come up on ports $base..$((base + 3)); trying others"
  stop_all
done
[ "$started" = 1 ] || fail "bearerbox did not start"
echo "ports: admin $ADMIN, smsbox $SMSBOX_PORT, smsc $SMSC, sendsms $SENDSMS"

timeout -k 3 "$LIFETIME" "$SMSBOX" "$WORK/kannel.conf" >"$WORK/smsbox.out" 2>&1 &
PIDS+=($!)
mkfifo "$WORK/phone.fifo" || fail "mkfifo"
exec 4<>"$WORK/phone.fifo"
# fakesmsc without messages reads them from stdin, one per line.
timeout -k 3 "$LIFETIME" "$FAKESMSC" -H 127.0.0.1 -r "$SMSC" <"$WORK/phone.fifo" \
  >"$WORK/phone.log" 2>&1 &
PIDS+=($!)

kannel_ready() {
  local s
  s=$(http_get "$ADMIN" "/status.txt?password=$PASSWORD")
  [[ $s == *"smsbox:"*"on-line"* && $s == *"FAKE:$SMSC (online"* ]] && port_open "$SENDSMS"
}
wait_until 20 "smsbox and fakesmsc connected to bearerbox" kannel_ready
echo "kannel up after $((SECONDS - START))s"

SENDSMS_URL="http://127.0.0.1:$SENDSMS/cgi-bin/sendsms?username=csat&password=$PASSWORD"
invite() { # number contact
  timeout 20 "$CSAT_SMS" invite --store "$WORK/store" --survey "$SURVEY" --to "$1" \
    --contact "$2" --agent A-7 --queue Q-support --sendsms "$SENDSMS_URL" --sender "$SERVICE"
}
result_line() { grep -F "\"customer_address\":\"$1\"" "$WORK/store/results.jsonl" 2>/dev/null; }

A=+4790000001 B=+4790000002 C=+4790000003 X=+4790000009

# ---- conversation 1: a score with a comment ---------------------------------
invite "$A" C-1 || fail "csat_sms invite $A exited $?"
expect "$A" "$INVITATION" invitation
say "$A" "4. $COMMENT"
expect "$A" "$THANKS" thanks
r=$(result_line "$A")
[[ $r == *'"outcome":"completed"'* && $r == *'"score":4,'* &&
  $r == *"\"comment\":\"$COMMENT\""* && $r == *'"contact_id":"C-1"'* ]] ||
  fail "result of $A: [$r]"
echo "ok: $A stored score 4 with its comment"
say "$A" "5"
expect "$A" "$ALREADY" "already answered"

# ---- conversation 2: an unreadable reply, then a score -----------------------
invite "$B" C-2 || fail "csat_sms invite $B exited $?"
expect "$B" "$INVITATION" invitation
say_ucs2 "$B" "отлично поработали"
expect "$B" "$INVALID" "invalid input"
say "$B" "5"
expect "$B" "$THANKS" thanks
r=$(result_line "$B")
[[ $r == *'"outcome":"completed"'* && $r == *'"score":5,'* && $r == *'"attempts":2,'* ]] ||
  fail "result of $B: [$r]"
echo "ok: $B stored score 5 after one unreadable reply"

# ---- conversation 3: STOP -------------------------------------------------
invite "$C" C-3 || fail "csat_sms invite $C exited $?"
expect "$C" "$INVITATION" invitation
say "$C" "STOP"
expect "$C" "$OPT_OUT" "opt-out confirmation"
grep -qx -- "$C" "$WORK/store/optouts.txt" 2>/dev/null || fail "$C is not in optouts.txt"
r=$(result_line "$C")
[[ $r == *'"outcome":"opted_out"'* && $r == *'"status":"not_asked"'* && $r != *STOP* ]] ||
  fail "result of $C: [$r]"
echo "ok: $C opted out, stored as opted_out without an answer"
say "$C" "5"
expect_nothing "$C" 2
invite "$C" C-33
rc=$?
[ "$rc" = 7 ] || fail "inviting the opted-out $C exited $rc, not 7"
echo "ok: no new invitation to $C"

# ---- a stranger, with shell syntax in the message ----------------------------
say "$X" "x'\$(touch $WORK/pwned)\"; touch $WORK/pwned2 \`touch $WORK/pwned3\` * ~ (5)"
expect_nothing "$X" 1
ls "$WORK"/pwned* >/dev/null 2>&1 && fail "a message ran a shell command"
echo "ok: $X (unknown) got nothing, and its message stayed text"

# ---- a failed send leaves no session behind -------------------------------
timeout 20 "$CSAT_SMS" invite --store "$WORK/store" --survey "$SURVEY" --to +4790000004 \
  --contact C-4 --sendsms "${SENDSMS_URL%password=*}password=wrong" --sender "$SERVICE" \
  2>"$WORK/invite-denied.out"
rc=$?
[ "$rc" = 8 ] || fail "an invitation with a wrong sendsms password exited $rc, not 8"
[ -e "$WORK/store/p4790000004.session" ] && fail "a session stayed after its invitation failed"
grep -q "403" "$WORK/invite-denied.out" || fail "no 403 reported: $(cat "$WORK/invite-denied.out")"
echo "ok: a refused invitation exits 8 and leaves no session"

# csat_sms's stderr lands in smsbox's: it must not have crashed there.
grep -E "Sanitizer|runtime error:|Segmentation|Aborted" "$WORK/smsbox.out" &&
  fail "csat_sms crashed under smsbox"

n=$(wc -l <"$WORK/store/results.jsonl")
[ "$n" -eq 3 ] || fail "results.jsonl has $n lines, not 3"
[ "$(wc -l <"$WORK/store/optouts.txt")" -eq 1 ] || fail "optouts.txt is not one line"
ls "$WORK"/store/*.corrupt-* >/dev/null 2>&1 && fail "a session was found corrupt"
ls "$WORK"/store/.*.tmp.* >/dev/null 2>&1 && fail "a temp file was left in the store"

echo "PASS: kannel end to end in $((SECONDS - START))s"
