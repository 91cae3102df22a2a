"abc
`def${ghi
/* jkl