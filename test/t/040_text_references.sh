#!/usr/bin/env bash
# test/t/text_references.sh - the Vietnamese text functions against outside references,
# over every word of the hunspell-vi word list (Debian hunspell-vi):
#   vn_fold       = ICU  ::NFD; ::[:Nonspacing Mark:] Remove; ::NFC; ::Lower;  with đ -> d,
#                   for the NFC, NFD, upper-case and upper-case NFD forms;
#   telex_to_vn / vni_to_vn decode the word typed by the rules of m17n's vi-telex.mim and
#                   vi-vni.mim (tools/vn_typing.py: tone after the vowels, tone at the end,
#                   and Unikey's uow), compared after vn_normalize; the words that do not
#                   come back are listed below with the reason, and the list must be exact;
#   vn_normalize  keeps every word (the list is in the modern tone style) and brings the old
#                   style (hòa), NFD and upper-case forms back to it.
. "$(dirname "$0")/tap.bash"
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dic=/usr/share/hunspell/vi_VN.dic
aff=/usr/share/hunspell/vi_VN.aff
db=lead_crm_text_references
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT

# Words the decoders give back as typed, by design (each reason in README "Vietnamese text"):
#   GIF       Telex ambiguity: G-I-F spells gì with the huyền key f (m17n needs GIFF)
#   HĐND palăng têt   not one Vietnamese syllable (abbreviation, two-syllable loan, level tone
#             on a stop final), so the typed word is kept
#   boóng choòng coóc goòng moóc soóc toòng   the plain oo needs the escape ooo, after which
#             m17n (and the decoder) take the tone key literally: not typeable in m17n Telex
expect_telex="GIF HĐND boóng choòng coóc goòng moóc palăng soóc toòng têt"
expect_vni="HĐND palăng têt"

qd() { q -d "$db" -c "$1"; }

[ -r "$dic" ] || { echo "1..0 # SKIP $dic missing (Debian package hunspell-vi)"; exit 0; }
command -v uconv >/dev/null || { echo "1..0 # SKIP uconv missing (Debian package icu-devtools)"; exit 0; }

# The .dic is in the encoding the .aff names (SET); the first line is the word count.
enc=$(sed -n 's/^SET[[:space:]]*//p' "$aff" | tr -d '\r' | head -1)
sed 1d "$dic" | iconv -f "${enc:-UTF-8}" -t UTF-8 | tr -d '\r' | sed 's,/.*,,' | grep -v '^$' >"$tmp/words"
icu() { uconv -f utf-8 -t utf-8 -x "$1" "$tmp/words"; }
icu '::NFD; ::[:Nonspacing Mark:] Remove; ::NFC; ::Lower;' | sed 's/đ/d/g' >"$tmp/fold"
icu '::NFD;' >"$tmp/nfd"
icu '::Upper;' >"$tmp/upper"
icu '::Upper; ::NFD;' >"$tmp/upper_nfd"
paste "$tmp/words" "$tmp/fold" "$tmp/nfd" "$tmp/upper" "$tmp/upper_nfd" >"$tmp/fold.tsv"
python3 "$top/tools/vn_typing.py" <"$tmp/words" >"$tmp/typed.tsv"
total=$(wc -l <"$tmp/words")

fresh_db $db
qd "CREATE TABLE f (word text, fold text, nfd text, upper text, upper_nfd text)"
qd "CREATE TABLE t (word text, telex_v text, telex_e text, vni_v text, vni_e text, telex_uow text, old text)"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c "\\copy f FROM '$tmp/fold.tsv'"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c "\\copy t FROM '$tmp/typed.tsv'"

echo "# $total words from $dic ($enc)"
for col in word nfd upper upper_nfd; do
	bad=$(qd "SELECT count(*) FROM f WHERE lead_crm.vn_fold($col) IS DISTINCT FROM fold")
	[ "$bad" = 0 ] || qd "SELECT $col || ' -> ' || lead_crm.vn_fold($col) || ', ICU ' || fold FROM f
		WHERE lead_crm.vn_fold($col) IS DISTINCT FROM fold LIMIT 10" | sed 's/^/#   /'
	is "$bad" 0 "vn_fold = ICU transliteration for all $total words ($col form)"
done

for spec in telex_to_vn:telex_v telex_to_vn:telex_e telex_to_vn:telex_uow vni_to_vn:vni_v vni_to_vn:vni_e; do
	fn=${spec%%:*}
	col=${spec#*:}
	expect=$expect_telex
	[ "$fn" = vni_to_vn ] && expect=$expect_vni
	got=$(qd "SELECT string_agg(word, ' ' ORDER BY word COLLATE \"C\") FROM t
		WHERE lead_crm.$fn($col) IS DISTINCT FROM lead_crm.vn_normalize(word)")
	want=$(printf '%s\n' $expect | LC_ALL=C sort | paste -sd' ')
	nbad=$(printf '%s\n' $got | grep -c . || true)
	echo "# $fn on $col: $((total - nbad))/$total decode back ($(awk -v a=$((total - nbad)) -v b="$total" 'BEGIN{printf "%.2f", 100*a/b}')%)"
	[ "$got" = "$want" ] || {
		echo "#   failing: $got"
		echo "#   expected: $want"
		qd "SELECT word || ': ' || $col || ' -> ' || lead_crm.$fn($col) FROM t
			WHERE lead_crm.$fn($col) IS DISTINCT FROM lead_crm.vn_normalize(word) LIMIT 20" | sed 's/^/#   /'
	}
	is "$got" "$want" "$fn decodes every m17n-typed word ($col) but the explained ones"
done

bad=$(qd "SELECT count(*) FROM t WHERE lead_crm.vn_normalize(word) <> word")
is "$bad" 0 "vn_normalize keeps all $total words (modern style)"
old=$(qd "SELECT count(*) FROM t WHERE old <> word")
bad=$(qd "SELECT count(*) FROM t WHERE lead_crm.vn_normalize(old) <> word")
[ "$bad" = 0 ] || qd "SELECT old || ' -> ' || lead_crm.vn_normalize(old) FROM t WHERE lead_crm.vn_normalize(old) <> word LIMIT 10" | sed 's/^/#   /'
ok $((bad != 0 || old < 50)) "vn_normalize brings the $old old-style forms (hòa) to the modern one (hoà)"
bad=$(qd "SELECT count(*) FROM t WHERE lead_crm.vn_normalize(normalize(old, NFD)) <> word
	OR lead_crm.vn_normalize(upper(old)) <> upper(word)")
is "$bad" 0 "vn_normalize of the NFD and upper-case old-style forms"
done_testing
