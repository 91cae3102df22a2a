x = /ab+c/gi.test(s); a / b / c; return /x/
if (x) /re/.test(y); f(a)/2; /[/]/.exec(z); x = {} / 2
function f() {}
/re/g; x = function () {} / 2; a.return / 3; i++ / 2
