cmd = f"{os.popen('id').read()!r:>{width}.{prec}} {{lit}}"
n = f"{f"{x}"}" + rf"\d{y}\{z}" + F'''
{a +
  b # c
}'''
