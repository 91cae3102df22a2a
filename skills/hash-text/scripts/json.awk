# json.awk - the JSON side of the hash-text skill, in POSIX awk working on bytes (run with
# LC_ALL=C). JSON strings are never built up in memory: they are streamed out in runs, so a
# 1 MiB text costs one pass. Nesting is tracked on an explicit stack, not by recursion.
#
#   mode=describe  stdin is the request. Prints one line:
#                    OK <text-type> <operation-type> <operation-or->   (types: string, other, missing)
#                    E <message>                                       (not JSON / not an object)
#   mode=extract   stdin is a request that describe accepted; prints the raw UTF-8 bytes of the
#                  top-level string field named by field=...
#   mode=escape    stdin is arbitrary bytes followed by one sentinel byte "x"; prints them as a
#                  JSON string literal, or exits 1 when they are not valid UTF-8.
#   mode=count     stdin is arbitrary bytes followed by one sentinel byte "x"; prints
#                  "<bytes> <characters> <lines> <words>" (characters: UTF-8 lead bytes).
#   mode=base64    stdin is base64 text; prints it without whitespace, or exits 1 when it is not
#                  canonical padded base64.

BEGIN {
	for (i = 1; i < 256; i++)
		ORD[sprintf("%c", i)] = i
	UNESCAPE["\""] = "\""
	UNESCAPE["\\"] = "\\"
	UNESCAPE["/"] = "/"
	UNESCAPE["b"] = sprintf("%c", 8)
	UNESCAPE["f"] = sprintf("%c", 12)
	UNESCAPE["n"] = "\n"
	UNESCAPE["r"] = "\r"
	UNESCAPE["t"] = "\t"
	# A run of characters that JSON strings carry as is: printable ASCII except '"' and
	# backslash, and well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
	# Matching whole runs with one regex is far faster than stepping through bytes in awk
	# (plain ASCII is skipped with a simpler regex first, which is faster still).
	PLAIN = "^([]-~ !#-[]|[\302-\337][\200-\277]|\340[\240-\277][\200-\277]|" \
	        "[\341-\354\356\357][\200-\277][\200-\277]|\355[\200-\237][\200-\277]|" \
	        "\360[\220-\277][\200-\277][\200-\277]|[\361-\363][\200-\277][\200-\277][\200-\277]|" \
	        "\364[\200-\217][\200-\277][\200-\277])+"
	MAXDEPTH = 512
	MAXNUM = 400
	if (mode == "describe" || mode == "extract")
		RS = "\001" # never in valid JSON: the whole request is one record
	else if (mode == "escape")
		printf "\""
	else if (mode != "base64" && mode != "count") {
		print "json.awk: unknown mode" > "/dev/stderr"
		die(2)
	}
}

# awk runs END even after exit; END checks DIED first.
function die(code) {
	DIED = code
	exit code
}

# ---- request parsing (describe, extract) ------------------------------------------------------

# Messages are plain ASCII without quotes or backslashes: main.sh embeds them in JSON as is.
function fail(msg) {
	if (ERR == "")
		ERR = "input is not JSON: " msg " at byte " P
	return 0
}

function refuse(msg) {
	if (ERR == "")
		ERR = msg
	return 0
}

function skip_ws(   c) {
	while (P <= N) {
		c = substr(S, P, 1)
		if (c != " " && c != "\n" && c != "\r" && c != "\t")
			return
		P++
	}
}

function hex4(p,   k, d, v) {
	v = 0
	for (k = 0; k < 4; k++) {
		d = index("0123456789abcdef", tolower(substr(S, p + k, 1)))
		if (d == 0) return -1
		v = v * 16 + d - 1
	}
	return v
}

# how: 0 check only, 1 print the bytes, 2 keep the first 64 bytes in STR (STRLONG when longer).
function emit(how, bytes) {
	if (how == 1)
		printf "%s", bytes
	else if (how == 2) {
		if (length(STR) + length(bytes) <= 64) STR = STR bytes
		else STRLONG = 1
	}
}

function emit_codepoint(how, cp) {
	if (cp < 128)
		emit(how, sprintf("%c", cp))
	else if (cp < 2048)
		emit(how, sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64))
	else if (cp < 65536)
		emit(how, sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64))
	else
		emit(how, sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64,
		                  128 + int(cp / 64) % 64, 128 + cp % 64))
}

# At the opening quote: scan (and emit) one string; returns 1, or 0 after fail().
function scan_string(how,    c, o, e, cp, lo, start) {
	STR = ""
	STRLONG = 0
	P++
	start = P
	while (P <= N) {
		# Skip to the next byte that is not plain ASCII, a window at a time.
		if (!match(substr(S, P, 256), /["\\]|[^ -~]/)) {
			P += 256
			continue
		}
		P += RSTART - 1
		c = substr(S, P, 1)
		o = ORD[c]
		if (o >= 128) {
			if (!match(substr(S, P, 256), PLAIN)) return fail("invalid UTF-8")
			P += RLENGTH
			continue
		}
		if (c == "\"" || c == "\\") {
			if (P > start) emit(how, substr(S, start, P - start))
			if (c == "\"") {
				P++
				return 1
			}
			e = substr(S, P + 1, 1)
			if (e == "u") {
				cp = hex4(P + 2)
				if (cp < 0) return fail("invalid unicode escape")
				P += 6
				if (cp >= 55296 && cp <= 56319) { # a high surrogate needs a low one next
					lo = substr(S, P, 2) == "\\u" ? hex4(P + 2) : -1
					if (lo < 56320 || lo > 57343)
						return fail("unpaired UTF-16 surrogate in a unicode escape")
					cp = 65536 + (cp - 55296) * 1024 + (lo - 56320)
					P += 6
				} else if (cp >= 56320 && cp <= 57343)
					return fail("unpaired UTF-16 surrogate in a unicode escape")
				emit_codepoint(how, cp)
			} else {
				if (e == "" || !(e in UNESCAPE)) return fail("invalid escape in a string")
				emit(how, UNESCAPE[e])
				P += 2
			}
			start = P
		} else if (o < 32) {
			return fail("control character in a string")
		} else
			P++ # DEL, the one printable-range byte PLAIN leaves out
	}
	return fail("unterminated string")
}

# A member name, then ':'. At depth 1 it becomes KEY, the name the next value belongs to.
function member_name() {
	skip_ws()
	if (substr(S, P, 1) != "\"") return fail("expected a property name in double quotes")
	if (!scan_string(2)) return 0
	if (D == 1) {
		KEY = STRLONG ? "" : STR
		if ((KEY == "operation" || KEY == "text") && SEEN[KEY]++)
			return refuse("duplicate key " KEY " in the request")
	}
	skip_ws()
	if (substr(S, P, 1) != ":") return fail("expected ':' after a property name")
	P++
	return 1
}

function parse(    c, closer, how) {
	D = 0
	for (;;) {
		skip_ws()
		if (P > N) return fail("unexpected end of input")
		c = substr(S, P, 1)
		if (D == 0 && c != "{")
			return index("[\"-0123456789", c) || substr(S, P, 4) == "true" ||
			       substr(S, P, 5) == "false" || substr(S, P, 4) == "null" \
			       ? refuse("input must be a JSON object") : fail("unexpected character")
		if (D == 1 && (KEY == "operation" || KEY == "text"))
			TYPE[KEY] = c == "\"" ? "string" : "other"
		if (c == "{" || c == "[") {
			if (D >= MAXDEPTH) return fail("nested deeper than " MAXDEPTH " levels")
			ST[++D] = c
			P++
			skip_ws()
			closer = c == "{" ? "}" : "]"
			if (substr(S, P, 1) == closer) {
				D--
				P++
			} else if (c == "{") {
				if (!member_name()) return 0
				continue
			} else
				continue
		} else if (c == "\"") {
			how = 0
			if (D == 1 && mode == "extract" && KEY == field) how = 1
			else if (D == 1 && KEY == "operation") how = 2
			if (!scan_string(how)) return 0
			if (how == 2) OPERATION = STRLONG ? "" : STR
		} else if (match(substr(S, P, MAXNUM), /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
			if (RLENGTH >= MAXNUM) return fail("number too long")
			P += RLENGTH
		} else if (substr(S, P, 4) == "true" || substr(S, P, 4) == "null") {
			P += 4
		} else if (substr(S, P, 5) == "false") {
			P += 5
		} else
			return fail("unexpected character")

		# After a value: closer containers until a ',' asks for another value.
		for (;;) {
			skip_ws()
			if (D == 0) {
				if (P <= N) return fail("unexpected text after the JSON value")
				return 1
			}
			closer = ST[D] == "{" ? "}" : "]"
			if (P > N) return fail("unexpected end of input, expected ',' or '" closer "'")
			c = substr(S, P, 1)
			if (c == closer) {
				D--
				P++
				continue
			}
			if (c != ",") return fail("expected ',' or '" closer "'")
			P++
			if (closer == "}" && !member_name()) return 0
			break
		}
	}
}

# ---- escape: bytes -> JSON string literal ------------------------------------------------------

function escape_record(s,    n, p, start, c, o) {
	n = length(s)
	start = 1
	for (p = 1; p <= n;) {
		if (!match(substr(s, p, 256), /["\\]|[^ -~]/)) {
			p += 256
			continue
		}
		p += RSTART - 1
		c = substr(s, p, 1)
		o = ORD[c]
		if (o >= 128) {
			if (!match(substr(s, p, 256), PLAIN)) die(1)
			p += RLENGTH
			continue
		}
		if (o == 127) {
			p++
			continue
		}
		if (p > start) printf "%s", substr(s, start, p - start)
		if (c == "\"") printf "\\\""
		else if (c == "\\") printf "\\\\"
		else if (c == "\n") printf "\\n"
		else if (c == "\t") printf "\\t"
		else if (c == "\r") printf "\\r"
		else if (o == 8) printf "\\b"
		else if (o == 12) printf "\\f"
		else printf "\\u%04x", o
		p++
		start = p
	}
	if (n >= start) printf "%s", substr(s, start)
}

# ---- count: bytes, characters, words ----------------------------------------------------------

function count_text(s,    words) {
	BYTES += length(s)
	WORDS += split(s, words) # runs of bytes other than space, tab and newline
	CHARS += length(s) - gsub(/[\200-\277]/, "", s) # continuation bytes start no character
}

# ---- base64: whitespace dropped, alphabet and padding checked ----------------------------------

function base64_record(s) {
	gsub(/[ \t\r]/, "", s)
	if (s == "") return
	if (PADDED) die(1) # nothing may follow the padding
	if (s ~ /=/) {
		if (s !~ /^[A-Za-z0-9+\/]*==?$/) die(1)
		PADDED = 1
	} else if (s !~ /^[A-Za-z0-9+\/]+$/)
		die(1)
	B64LEN += length(s)
	printf "%s", s
}

# ---- main ---------------------------------------------------------------------------------------

mode == "describe" || mode == "extract" {
	if (NR == 1) S = $0
	else MORE = 1 # a \001 byte: a raw control character, never valid JSON
	next
}
mode == "escape" {
	if (NR > 1) {
		escape_record(PREV)
		printf "\\n"
	}
	PREV = $0
	next
}
mode == "base64" {
	base64_record($0)
}
mode == "count" {
	if (NR > 1) # the previous record ended with a newline
		count_text(PREV "\n")
	PREV = $0
}

END {
	if (DIED)
		exit DIED
	if (mode == "escape") {
		if (substr(PREV, length(PREV), 1) != "x") # the caller forgot the sentinel
			exit 2
		escape_record(substr(PREV, 1, length(PREV) - 1))
		printf "\""
		exit 0
	}
	if (mode == "count") {
		if (substr(PREV, length(PREV), 1) != "x") # the caller forgot the sentinel
			exit 2
		count_text(substr(PREV, 1, length(PREV) - 1))
		print BYTES, CHARS, NR - 1, WORDS
		exit 0
	}
	if (mode == "base64")
		exit B64LEN % 4 != 0
	N = length(S)
	P = 1
	if (NR == 0 || N == 0)
		ERR = "input is not JSON: it is empty"
	else if (MORE) {
		P = N + 1
		fail("control character U+0001")
	} else
		parse()
	if (mode == "extract")
		exit ERR != "" ? 3 : 0
	if (ERR != "") {
		print "E " ERR
		exit 0
	}
	op = TYPE["operation"] == "" ? "missing" : TYPE["operation"]
	print "OK", (TYPE["text"] == "" ? "missing" : TYPE["text"]), op,
	      (OPERATION ~ /^[a-z0-9_]+$/ ? OPERATION : "-")
}
