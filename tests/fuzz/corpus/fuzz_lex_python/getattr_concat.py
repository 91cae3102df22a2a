getattr(os, "sys"+"tem")("id")
__import__("o" "s")
