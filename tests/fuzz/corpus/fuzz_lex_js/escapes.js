"\x65\x76\x61\x6c" "\u{65}val" '\u0065\uD83D\uDE00\101\0\
line' "\q\x4\u12"