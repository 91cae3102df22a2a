eval "$(echo ZWNobyBoaQ== | base64 -d)"
x=`echo \`id\` a`
