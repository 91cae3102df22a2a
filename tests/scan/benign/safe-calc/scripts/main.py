"""A small, safe expression evaluator.

We never call eval() or exec() here - the expression is parsed with ast.parse(mode="eval") and
walked by hand. ast.literal_eval() is used only to read the optional "variables" when they come
in as a Python-literal string.
"""
import ast
import json
import math
import operator
import sys

BINOPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
FUNCS = {
    "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan, "log": math.log,
    "log10": math.log10, "exp": math.exp, "abs": abs, "round": round, "min": min, "max": max,
    "floor": math.floor, "ceil": math.ceil,
}
CONSTS = {"pi": math.pi, "e": math.e, "tau": math.tau}
MAX_EXPONENT = 10000


class CalcError(Exception):
    pass


def _eval(node, names):
    if isinstance(node, ast.Expression):
        return _eval(node.body, names)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        raise CalcError(f"unknown name {node.id!r}")
    if isinstance(node, ast.BinOp) and type(node.op) in BINOPS:
        left, right = _eval(node.left, names), _eval(node.right, names)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise CalcError("exponent too large")
        return BINOPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        return UNARY[type(node.op)](_eval(node.operand, names))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCS \
            and not node.keywords:
        return FUNCS[node.func.id](*[_eval(a, names) for a in node.args])
    raise CalcError(f"not allowed: {type(node).__name__}")


def calculate(expression, variables):
    if isinstance(variables, str):  # e.g. "{'a': 3}" from a sloppy client
        variables = ast.literal_eval(variables)
    names = dict(CONSTS)
    for k, v in (variables or {}).items():
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise CalcError(f"variable {k} must be a number")
        names[k] = v
    tree = ast.parse(expression, mode="eval")
    result = _eval(tree, names)
    if isinstance(result, float) and (math.isinf(result) or abs(result) > 1e308):
        raise CalcError("result out of range")
    return result


if __name__ == "__main__":
    req = json.load(sys.stdin)
    try:
        out = {"result": calculate(str(req.get("expression", "")), req.get("variables"))}
    except (CalcError, SyntaxError, ValueError, ZeroDivisionError, TypeError, OverflowError) as e:
        out = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out))
