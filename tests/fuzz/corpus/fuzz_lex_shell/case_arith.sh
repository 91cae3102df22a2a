x=$(case $y in a) echo 1;; (b) echo 2;; esac)
echo $(( (1+2) << 3 )) $((a) | sh)
((i++)); [[ $a =~ ^(b|c)$ ]]
