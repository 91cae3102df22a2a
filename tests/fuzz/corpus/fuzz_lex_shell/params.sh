echo ${x:-${y:-"}"}} ${z#'*'} ${a:-$(id)} $"locale $x"
