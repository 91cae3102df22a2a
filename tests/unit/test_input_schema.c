/* Unit tests for src/scan/input_schema: argparse inference on Python text (names, aliases,
 * keywords, what is skipped, hostile input and caps) and the skill-level choice between a
 * declared schema file (resolved safely, capped, parsed strictly), inference and the default. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/base/buf.h"
#include "../../src/base/json.h"
#include "../../src/base/macros.h"
#include "../../src/scan/input_schema.h"

static int bput(struct buf *b, const char *s) {
        return buf_append(b, s, strlen(s));
}

static json_t *infer(const char *src) {
        return input_schema_from_python(src, strlen(src));
}

/* The inferred schema, which must exist and be an argparse one. */
static json_t *infer_ok(const char *src) {
        json_t *s = infer(src);
        cr_assert_not_null(s, "no schema for:\n%s", src);
        cr_assert_str_eq(json_string_value(json_object_get(s, "x-skilllite-source")), "argparse");
        cr_assert_str_eq(json_string_value(json_object_get(s, "type")), "object");
        cr_assert(json_is_true(json_object_get(s, "additionalProperties")));
        cr_assert(json_is_object(json_object_get(s, "properties")));
        return s;
}

static json_t *prop(const json_t *schema, const char *name) {
        return json_object_get(json_object_get(schema, "properties"), name);
}

static size_t n_props(const json_t *schema) {
        return json_object_size(json_object_get(schema, "properties"));
}

/* Compare a property with the JSON text want (exactly, key order aside). */
static void expect_prop(const json_t *schema, const char *name, const char *want) {
        json_t *got = prop(schema, name);
        json_error_t e;
        json_t *w = json_loads(want, 0, &e);
        cr_assert_not_null(w, "bad expectation %s: %s", want, e.text);
        char *g = got ? json_dumps(got, JSON_SORT_KEYS) : strdup("(missing)");
        cr_expect(json_equal(got, w), "property %s: got %s, want %s", name, g, want);
        free(g);
        json_decref(w);
}

/* The required list, joined with blanks. */
static void expect_required(const json_t *schema, const char *want) {
        json_t *req = json_object_get(schema, "required");
        char got[1024] = "";
        size_t len = 0;
        for (size_t i = 0; i < json_array_size(req); i++)
                len += (size_t) snprintf(got + len, sizeof(got) - len, "%s%s", i ? " " : "",
                                         json_string_value(json_array_get(req, i)));
        cr_expect_str_eq(got, want);
        if (!*want)
                cr_expect_null(req, "an empty required list is left out");
}

/* ---- finding the parser ---------------------------------------------------------------------- */

Test(input_schema_argparse, no_parser_is_null) {
        cr_expect_null(infer(""));
        cr_expect_null(infer("import sys, json\nprint(json.dumps(json.load(sys.stdin)))\n"));
        /* add_argument on something that is not a parser */
        cr_expect_null(infer("import argparse\nthing.add_argument('--x')\n"));
        /* words in strings and comments are not code */
        cr_expect_null(infer("s = 'p = argparse.ArgumentParser()'\n# p = argparse.ArgumentParser()\n"));
        /* a subclass mentions the class without calling it */
        cr_expect_null(infer("import argparse\nclass P(argparse.ArgumentParser):\n    pass\n"));
        /* ArgumentParser not imported from argparse */
        cr_expect_null(infer("from mylib import ArgumentParser\np = ArgumentParser()\np.add_argument('--x')\n"));
}

Test(input_schema_argparse, parser_without_arguments) {
        json_t *s = infer_ok("import argparse\nparser = argparse.ArgumentParser(description='Does things.')\n"
                             "args = parser.parse_args()\n");
        cr_expect_eq(n_props(s), 0);
        cr_expect_str_eq(json_string_value(json_object_get(s, "description")), "Does things.");
        expect_required(s, "");
        json_decref(s);
}

Test(input_schema_argparse, basic_options_and_help) {
        json_t *s = infer_ok("#!/usr/bin/env python3\n"
                             "import argparse\n"
                             "def main():\n"
                             "    parser = argparse.ArgumentParser(prog='x', description=\"Count words.\")\n"
                             "    parser.add_argument('--text', help='the text to count')\n"
                             "    parser.add_argument(\"--max-words\", type=int, default=10, help=\"cap\")\n"
                             "    parser.add_argument('--ratio', type=float, default=0.5)\n"
                             "    parser.add_argument('--label', type=str)\n"
                             "    args = parser.parse_args()\n");
        cr_expect_str_eq(json_string_value(json_object_get(s, "description")), "Count words.");
        cr_expect_eq(n_props(s), 4);
        expect_prop(s, "text", "{\"type\":\"string\",\"description\":\"the text to count\"}");
        expect_prop(s, "max_words", "{\"type\":\"integer\",\"default\":10,\"description\":\"cap\"}");
        expect_prop(s, "ratio", "{\"type\":\"number\",\"default\":0.5}");
        expect_prop(s, "label", "{\"type\":\"string\"}");
        expect_required(s, "");
        /* properties keep the order of the add_argument calls */
        const char *first = NULL;
        void *it = json_object_iter(json_object_get(s, "properties"));
        first = json_object_iter_key(it);
        cr_expect_str_eq(first, "text");
        json_decref(s);
}

Test(input_schema_argparse, short_and_long_names_give_argparse_dest) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('-n', '--num-items', type=int)\n"
                             "p.add_argument('-f')\n"
                             "p.add_argument('-x', '-y')\n"
                             "p.add_argument('--a-b-c', '-q')\n"
                             "p.add_argument('---triple')\n");
        cr_expect_eq(n_props(s), 5);
        expect_prop(s, "num_items", "{\"type\":\"integer\"}");
        expect_prop(s, "f", "{\"type\":\"string\"}");
        expect_prop(s, "x", "{\"type\":\"string\"}");
        expect_prop(s, "a_b_c", "{\"type\":\"string\"}");
        expect_prop(s, "triple", "{\"type\":\"string\"}");
        json_decref(s);
}

Test(input_schema_argparse, positional_arguments_are_required) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('input_file', help='what to read')\n"
                             "p.add_argument('count', type=int)\n"
                             "p.add_argument('maybe', nargs='?', default='x')\n"
                             "p.add_argument('rest', nargs='*')\n"
                             "p.add_argument('some', nargs='+')\n"
                             "p.add_argument('with-dash')\n");
        expect_prop(s, "input_file", "{\"type\":\"string\",\"description\":\"what to read\"}");
        expect_prop(s, "count", "{\"type\":\"integer\"}");
        expect_prop(s, "maybe", "{\"type\":\"string\",\"default\":\"x\"}");
        expect_prop(s, "rest", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
        expect_prop(s, "some", "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1}");
        /* argparse keeps a positional's name as its dest, dashes and all */
        expect_prop(s, "with-dash", "{\"type\":\"string\"}");
        expect_required(s, "input_file count some with-dash");
        json_decref(s);
}

Test(input_schema_argparse, required_options) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('--must', required=True)\n"
                             "p.add_argument('--may', required=False)\n"
                             "p.add_argument('--computed', required=os.environ.get('X') == '1')\n");
        expect_required(s, "must");
        cr_expect_eq(n_props(s), 3);
        json_decref(s);
}

Test(input_schema_argparse, store_true_and_false_are_booleans) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('-v', '--verbose', action='store_true', help='talk')\n"
                             "p.add_argument('--no-color', action=\"store_false\", dest='color')\n"
                             "p.add_argument('--quiet', action='store_true', default=True)\n"
                             "p.add_argument('--level', action='count', default=0)\n"
                             "p.add_argument('--flag', action='store_true', nargs='*')\n");
        expect_prop(s, "verbose", "{\"type\":\"boolean\",\"default\":false,\"description\":\"talk\"}");
        expect_prop(s, "color", "{\"type\":\"boolean\",\"default\":true}");
        expect_prop(s, "quiet", "{\"type\":\"boolean\",\"default\":true}");
        expect_prop(s, "level", "{\"type\":\"integer\",\"default\":0}");
        expect_prop(s, "flag", "{\"type\":\"boolean\",\"default\":false}");
        cr_expect_null(prop(s, "no_color"), "dest= names the property");
        json_decref(s);
}

Test(input_schema_argparse, nargs_and_append_give_arrays) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('--files', nargs='*')\n"
                             "p.add_argument('--nums', nargs='+', type=int)\n"
                             "p.add_argument('--pair', nargs=2, type=float)\n"
                             "p.add_argument('--one', nargs=1)\n"
                             "p.add_argument('--opt', nargs='?')\n"
                             "p.add_argument('--tag', action='append')\n"
                             "p.add_argument('--ext', action='extend', nargs='+', type=int)\n"
                             "p.add_argument('--rem', nargs=argparse.REMAINDER)\n"
                             "p.add_argument('--zero', nargs=0)\n");
        expect_prop(s, "files", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
        expect_prop(s, "nums", "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":1}");
        expect_prop(s, "pair", "{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"minItems\":2,\"maxItems\":2}");
        expect_prop(s, "one", "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":1,\"maxItems\":1}");
        expect_prop(s, "opt", "{\"type\":\"string\"}");
        expect_prop(s, "tag", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
        expect_prop(s, "ext", "{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":1}");
        expect_prop(s, "rem", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
        expect_prop(s, "zero", "{\"type\":\"string\"}");
        json_decref(s);
}

Test(input_schema_argparse, choices_become_enum) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('--mode', choices=['fast', 'slow'], default='fast')\n"
                             "p.add_argument('--level', type=int, choices=(1, 2, 3))\n"
                             "p.add_argument('--n', choices=[1, 2])\n"
                             "p.add_argument('--mixed', choices=['a', 1])\n"
                             "p.add_argument('--set', choices={'x'})\n"
                             "p.add_argument('--trailing', choices=['a', 'b',])\n"
                             "p.add_argument('--many', nargs='+', choices=['r', 'g', 'b'])\n"
                             "p.add_argument('--empty', choices=[])\n"
                             "p.add_argument('--nested', choices=[['a'], 'b'])\n"
                             "p.add_argument('--ranged', type=int, choices=range(1, 5))\n");
        expect_prop(s, "mode", "{\"type\":\"string\",\"enum\":[\"fast\",\"slow\"],\"default\":\"fast\"}");
        expect_prop(s, "level", "{\"type\":\"integer\",\"enum\":[1,2,3]}");
        expect_prop(s, "n", "{\"type\":\"integer\",\"enum\":[1,2]}");
        expect_prop(s, "mixed", "{\"enum\":[\"a\",1]}");
        expect_prop(s, "set", "{\"type\":\"string\",\"enum\":[\"x\"]}");
        expect_prop(s, "trailing", "{\"type\":\"string\",\"enum\":[\"a\",\"b\"]}");
        expect_prop(s, "many", "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"r\",\"g\",\"b\"]},"
                               "\"minItems\":1}");
        expect_prop(s, "empty", "{\"type\":\"string\"}");
        expect_prop(s, "nested", "{\"type\":\"string\"}");
        expect_prop(s, "ranged", "{\"type\":\"integer\"}");
        json_decref(s);
}

Test(input_schema_argparse, default_literals) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('--neg', type=int, default=-5)\n"
                             "p.add_argument('--hex', type=int, default=0x1F)\n"
                             "p.add_argument('--big', type=int, default=1_000_000)\n"
                             "p.add_argument('--oct', type=int, default=0o17)\n"
                             "p.add_argument('--bin', type=int, default=0b101)\n"
                             "p.add_argument('--exp', type=float, default=-1.5e3)\n"
                             "p.add_argument('--intf', type=float, default=2)\n"
                             "p.add_argument('--none', default=None)\n"
                             "p.add_argument('--mismatch', type=int, default='5')\n"
                             "p.add_argument('--huge', type=int, default=99999999999999999999999)\n"
                             "p.add_argument('--cplx', default=1j)\n"
                             "p.add_argument('--paren', default=('a' 'b'))\n"
                             "p.add_argument('--list', nargs='*', default=['a', 'b'])\n"
                             "p.add_argument('--listbad', nargs='*', default='a')\n");
        expect_prop(s, "neg", "{\"type\":\"integer\",\"default\":-5}");
        expect_prop(s, "hex", "{\"type\":\"integer\",\"default\":31}");
        expect_prop(s, "big", "{\"type\":\"integer\",\"default\":1000000}");
        expect_prop(s, "oct", "{\"type\":\"integer\",\"default\":15}");
        expect_prop(s, "bin", "{\"type\":\"integer\",\"default\":5}");
        expect_prop(s, "exp", "{\"type\":\"number\",\"default\":-1500.0}");
        expect_prop(s, "intf", "{\"type\":\"number\",\"default\":2}");
        expect_prop(s, "none", "{\"type\":\"string\"}");
        expect_prop(s, "mismatch", "{\"type\":\"integer\"}");
        expect_prop(s, "huge", "{\"type\":\"integer\"}");
        expect_prop(s, "cplx", "{\"type\":\"string\"}");
        expect_prop(s, "paren", "{\"type\":\"string\",\"default\":\"ab\"}");
        expect_prop(s, "list", "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[\"a\",\"b\"]}");
        expect_prop(s, "listbad", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
        json_decref(s);
}

Test(input_schema_argparse, dest_overrides_the_name) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('-o', '--output-file', dest='out', required=True)\n"
                             "p.add_argument('--x', dest='keep-dash')\n"
                             "p.add_argument('--y', dest=NAME)\n"
                             "p.add_argument('--z', dest='')\n"
                             "p.add_argument('pos', dest='ignored')\n");
        expect_prop(s, "out", "{\"type\":\"string\"}");
        cr_expect_null(prop(s, "output_file"));
        expect_prop(s, "keep-dash", "{\"type\":\"string\"}");
        expect_prop(s, "y", "{\"type\":\"string\"}");
        expect_prop(s, "z", "{\"type\":\"string\"}");
        expect_prop(s, "pos", "{\"type\":\"string\"}");
        cr_expect_null(prop(s, "ignored"));
        expect_required(s, "out pos");
        json_decref(s);
}

Test(input_schema_argparse, module_and_class_aliases) {
        static const char *const srcs[] = {
                "import argparse as ap\nparser = ap.ArgumentParser()\nparser.add_argument('--x', type=int)\n",
                "import os, argparse as a2, sys\np = a2.ArgumentParser()\np.add_argument('--x', type=int)\n",
                "from argparse import ArgumentParser\np = ArgumentParser()\np.add_argument('--x', type=int)\n",
                "from argparse import ArgumentParser as AP, Namespace\np = AP()\np.add_argument('--x', type=int)\n",
                "from argparse import (\n    Namespace,\n    ArgumentParser as AP,\n)\np = AP()\np.add_argument('--x', type=int)\n",
                "from argparse import *\np = ArgumentParser()\np.add_argument('--x', type=int)\n",
                "try: import argparse as q\nexcept ImportError: pass\np = q.ArgumentParser()\np.add_argument('--x', type=int)\n",
                /* a module used without an import line we saw is still argparse */
                "p = argparse.ArgumentParser()\np.add_argument('--x', type=int)\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(srcs); i++) {
                json_t *s = infer(srcs[i]);
                cr_assert_not_null(s, "no schema for:\n%s", srcs[i]);
                cr_expect_eq(n_props(s), 1, "case %zu", i);
                expect_prop(s, "x", "{\"type\":\"integer\"}");
                json_decref(s);
        }
        /* the alias is the only name: the original class name is not imported */
        cr_expect_null(infer("from argparse import ArgumentParser as AP\np = ArgumentParser()\n"));
        cr_expect_null(infer("import argparse as ap\np = other.ArgumentParser()\n"));
}

Test(input_schema_argparse, groups_and_dotted_parsers) {
        json_t *s = infer_ok("import argparse\n"
                             "class Tool:\n"
                             "    def __init__(self):\n"
                             "        self.parser = argparse.ArgumentParser()\n"
                             "        self.parser.add_argument('--a')\n"
                             "        g = self.parser.add_argument_group('io')\n"
                             "        g.add_argument('--b')\n"
                             "        m = self.parser.add_mutually_exclusive_group(required=True)\n"
                             "        m.add_argument('--c', action='store_true')\n"
                             "        other.parser.add_argument('--not-ours')\n"
                             "        make().parser.add_argument('--nor-this')\n");
        cr_expect_eq(n_props(s), 3);
        expect_prop(s, "a", "{\"type\":\"string\"}");
        expect_prop(s, "b", "{\"type\":\"string\"}");
        expect_prop(s, "c", "{\"type\":\"boolean\",\"default\":false}");
        json_decref(s);
}

Test(input_schema_argparse, annotated_and_conditional_assignments) {
        json_t *s = infer_ok("import argparse\n"
                             "parser: argparse.ArgumentParser = argparse.ArgumentParser()\n"
                             "parser.add_argument('--a')\n"
                             "if True: q = argparse.ArgumentParser()\n"
                             "q.add_argument('--b')\n"
                             "True.add_argument('--not-a-parser')\n"
                             "g: object = parser.add_argument_group()\n"
                             "g.add_argument('--c')\n");
        cr_expect_eq(n_props(s), 3);
        cr_expect_not_null(prop(s, "a"));
        cr_expect_not_null(prop(s, "b"));
        cr_expect_not_null(prop(s, "c"));
        json_decref(s);
}

Test(input_schema_argparse, subparsers_are_not_merged) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\np.add_argument('--top')\n"
                             "sub = p.add_subparsers(dest='cmd')\nrun = sub.add_parser('run')\n"
                             "run.add_argument('--inner')\n");
        cr_expect_eq(n_props(s), 1);
        cr_expect_not_null(prop(s, "top"));
        json_decref(s);
}

Test(input_schema_argparse, non_literal_keywords_are_skipped) {
        json_t *s = infer_ok("import argparse, os\nCHOICES = ['a']\np = argparse.ArgumentParser(description=__doc__)\n"
                             "p.add_argument('--a', type=pathlib.Path, default=os.getcwd(), help=f'cwd {x}')\n"
                             "p.add_argument('--b', choices=CHOICES, help='b' + SUFFIX)\n"
                             "p.add_argument('--c', action=MyAction, nargs=N, default=[x, 1])\n"
                             "p.add_argument('--d', type=lambda v: int(v, 0), help=b'bytes')\n"
                             "p.add_argument('--e', help=argparse.SUPPRESS, **extra)\n");
        cr_expect_null(json_object_get(s, "description"));
        cr_expect_eq(n_props(s), 5);
        expect_prop(s, "a", "{\"type\":\"string\"}");
        expect_prop(s, "b", "{\"type\":\"string\"}");
        expect_prop(s, "c", "{\"type\":\"string\"}");
        expect_prop(s, "d", "{\"type\":\"string\"}");
        expect_prop(s, "e", "{\"type\":\"string\"}");
        json_decref(s);
}

Test(input_schema_argparse, computed_names_skip_the_call) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\nNAME = '--x'\n"
                             "p.add_argument(NAME, type=int)\n"
                             "p.add_argument(*names)\n"
                             "p.add_argument(f'--{n}')\n"
                             "p.add_argument('--ok', NAME)\n"
                             "p.add_argument('')\n"
                             "p.add_argument('-')\n"
                             "p.add_argument('pos', '--opt')\n"
                             "p.add_argument('--opt', 'pos')\n"
                             "p.add_argument(dest='only_dest')\n"
                             "p.add_argument('--good')\n");
        cr_expect_eq(n_props(s), 1);
        cr_expect_not_null(prop(s, "good"));
        json_decref(s);
}

Test(input_schema_argparse, help_and_version_actions_are_not_input) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser(add_help=False)\n"
                             "p.add_argument('-h', '--help', action='help')\n"
                             "p.add_argument('--version', action='version', version='1.0')\n"
                             "p.add_argument('--real')\n");
        cr_expect_eq(n_props(s), 1);
        cr_expect_not_null(prop(s, "real"));
        json_decref(s);
}

Test(input_schema_argparse, boolean_optional_action_and_append_const) {
        json_t *s = infer_ok("import argparse\nfrom argparse import BooleanOptionalAction as BOA\n"
                             "p = argparse.ArgumentParser()\n"
                             "p.add_argument('--color', action=argparse.BooleanOptionalAction)\n"
                             "p.add_argument('--cache', action=BOA, default=True)\n"
                             "p.add_argument('--add', action='append_const', const=1)\n"
                             "p.add_argument('--typ', type=bool)\n");
        expect_prop(s, "color", "{\"type\":\"boolean\"}");
        expect_prop(s, "cache", "{\"type\":\"boolean\",\"default\":true}");
        expect_prop(s, "add", "{\"type\":\"array\",\"items\":{}}");
        expect_prop(s, "typ", "{\"type\":\"boolean\"}");
        json_decref(s);
}

Test(input_schema_argparse, duplicate_dest_first_wins) {
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\n"
                             "p.add_argument('--mode', type=int)\n"
                             "p.add_argument('--mode', type=float)\n"
                             "p.add_argument('--fast', dest='mode', action='store_const', const=1)\n");
        cr_expect_eq(n_props(s), 1);
        expect_prop(s, "mode", "{\"type\":\"integer\"}");
        json_decref(s);
}

Test(input_schema_argparse, layout_comments_continuations_line_endings) {
        json_t *s = infer_ok("import argparse\r\np = argparse.ArgumentParser(\r\n"
                             "    description=('Two '  # a comment inside\r\n"
                             "                 'lines'))\r\n"
                             "p.add_argument(  # why\r\n"
                             "    '--x',\r\n"
                             "    # type=float would be wrong\r\n"
                             "    type=int,\r\n"
                             ")\r\n"
                             "p \\\n  .add_argument('--y', help='''tri\nple''')\r"
                             "p.add_argument('--z', help=r'raw\\n'); p.add_argument('--w', help='esc\\u00e9')\n");
        cr_expect_str_eq(json_string_value(json_object_get(s, "description")), "Two lines");
        expect_prop(s, "x", "{\"type\":\"integer\"}");
        expect_prop(s, "y", "{\"type\":\"string\",\"description\":\"tri\\nple\"}");
        expect_prop(s, "z", "{\"type\":\"string\",\"description\":\"raw\\\\n\"}");
        expect_prop(s, "w", "{\"type\":\"string\",\"description\":\"esc\\u00e9\"}");
        json_decref(s);
}

/* ---- hostile input --------------------------------------------------------------------------- */

Test(input_schema_argparse, long_strings_are_truncated_at_a_character) {
        _cleanup_buf_ struct buf b = BUF_INIT(8u << 20);
        cr_assert_eq(bput(&b, "import argparse\np = argparse.ArgumentParser(description='"), 0);
        cr_assert_eq(bput(&b, "a"), 0);
        for (int i = 0; i < 200000; i++) /* "é" is 2 bytes: 1 + 2k puts a cut inside one */
                cr_assert_eq(bput(&b, "\xc3\xa9"), 0);
        cr_assert_eq(bput(&b, "')\np.add_argument('--x', help='"), 0);
        for (int i = 0; i < 300000; i++)
                cr_assert_eq(bput(&b, "xyz"), 0);
        cr_assert_eq(bput(&b, "' 'more')\n"), 0);
        json_t *s = input_schema_from_python(b.data, b.len);
        cr_assert_not_null(s);
        const char *d = json_string_value(json_object_get(s, "description"));
        cr_assert_not_null(d);
        cr_expect_eq(strlen(d), INPUT_SCHEMA_STRING_MAX - 1, "cut before the half character: %zu", strlen(d));
        const char *h = json_string_value(json_object_get(prop(s, "x"), "description"));
        cr_assert_not_null(h);
        cr_expect_eq(strlen(h), INPUT_SCHEMA_STRING_MAX);
        json_decref(s);
}

Test(input_schema_argparse, unterminated_strings_and_calls) {
        /* an unterminated string is not a literal; the parser's earlier arguments stay */
        json_t *s = infer_ok("import argparse\np = argparse.ArgumentParser()\np.add_argument('--a')\n"
                             "p.add_argument('--b', help='no end\np.add_argument('--c')\n");
        cr_expect_not_null(prop(s, "a"));
        cr_expect_null(prop(s, "b"), "the name list is cut short by the broken string");
        json_decref(s);
        s = infer_ok("import argparse\np = argparse.ArgumentParser()\np.add_argument('--a')\n"
                     "p.add_argument('--b', type=int\n");
        cr_expect_eq(n_props(s), 1, "an unclosed call adds nothing");
        json_decref(s);
        s = infer_ok("import argparse\np = argparse.ArgumentParser(description='''never closed\n");
        cr_expect_eq(n_props(s), 0);
        json_decref(s);
        s = infer_ok("import argparse\np = argparse.ArgumentParser(");
        cr_expect_eq(n_props(s), 0);
        json_decref(s);
}

Test(input_schema_argparse, deep_nesting) {
        /* deeper than the lexer's limit: no tokens, no inference, no crash */
        _cleanup_buf_ struct buf b = BUF_INIT(1u << 20);
        cr_assert_eq(bput(&b, "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', default="), 0);
        for (int i = 0; i < 5000; i++)
                cr_assert_eq(bput(&b, "("), 0);
        cr_expect_null(input_schema_from_python(b.data, b.len));
        /* within the limit: the nested default is not a literal, the argument stays */
        b.len = 0;
        cr_assert_eq(bput(&b, "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', default="), 0);
        for (int i = 0; i < 200; i++)
                cr_assert_eq(bput(&b, "["), 0);
        for (int i = 0; i < 200; i++)
                cr_assert_eq(bput(&b, "]"), 0);
        cr_assert_eq(bput(&b, ", help=((((((((((('deep'))))))))))))\n"), 0);
        json_t *s = input_schema_from_python(b.data, b.len);
        cr_assert_not_null(s);
        expect_prop(s, "x", "{\"type\":\"string\"}");
        json_decref(s);
        /* a redundant paren or two is still a string */
        s = infer_ok("import argparse\np = argparse.ArgumentParser()\np.add_argument(('--y'), help=(('h')))\n");
        expect_prop(s, "y", "{\"type\":\"string\",\"description\":\"h\"}");
        json_decref(s);
}

Test(input_schema_argparse, thousand_arguments_are_capped) {
        _cleanup_buf_ struct buf b = BUF_INIT(1u << 20);
        cr_assert_eq(bput(&b, "import argparse\np = argparse.ArgumentParser()\n"), 0);
        for (int i = 0; i < 1000; i++) {
                char line[64];
                snprintf(line, sizeof(line), "p.add_argument('--opt-%d', type=int)\n", i);
                cr_assert_eq(bput(&b, line), 0);
        }
        json_t *s = input_schema_from_python(b.data, b.len);
        cr_assert_not_null(s);
        cr_expect_eq(n_props(s), INPUT_SCHEMA_PROPERTIES_MAX);
        cr_expect_not_null(prop(s, "opt_0"));
        cr_expect_not_null(prop(s, "opt_255"));
        cr_expect_null(prop(s, "opt_256"));
        json_decref(s);
}

Test(input_schema_argparse, choices_list_cap) {
        _cleanup_buf_ struct buf b = BUF_INIT(1u << 20);
        cr_assert_eq(bput(&b, "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', choices=["), 0);
        for (int i = 0; i <= INPUT_SCHEMA_LIST_MAX; i++)
                cr_assert_eq(bput(&b, "1, "), 0);
        cr_assert_eq(bput(&b, "], type=int)\np.add_argument('--y', choices=["), 0);
        for (int i = 0; i < INPUT_SCHEMA_LIST_MAX; i++)
                cr_assert_eq(bput(&b, "2, "), 0);
        cr_assert_eq(bput(&b, "], type=int)\n"), 0);
        json_t *s = input_schema_from_python(b.data, b.len);
        cr_assert_not_null(s);
        expect_prop(s, "x", "{\"type\":\"integer\"}");
        cr_expect_eq(json_array_size(json_object_get(prop(s, "y"), "enum")), INPUT_SCHEMA_LIST_MAX);
        json_decref(s);
}

Test(input_schema_argparse, odd_bytes_in_names_and_text) {
        static const char src[] = "import argparse\np = argparse.ArgumentParser()\n"
                                  "p.add_argument('--bad\\xff')\n"          /* str escape: U+00FF */
                                  "p.add_argument('--nul\\x00x')\n"         /* a NUL in the name */
                                  "p.add_argument('--ok', help='\\xff and \\x00')\n"
                                  "p.add_argument('--caf\xc3\xa9')\n"       /* UTF-8 in the source */
                                  "p.add_argument('--raw\xff')\n";          /* a raw bad byte */
        json_t *s = input_schema_from_python(src, sizeof(src) - 1);
        cr_assert_not_null(s);
        cr_expect_eq(n_props(s), 3);
        cr_expect_not_null(prop(s, "bad\xc3\xbf"));
        cr_expect_not_null(prop(s, "ok"));
        cr_expect_not_null(prop(s, "caf\xc3\xa9"));
        json_t *h = json_object_get(prop(s, "ok"), "description");
        cr_assert(json_is_string(h));
        cr_expect_eq(json_string_length(h), strlen("\xc3\xbf and ") + 1, "\\xff is U+00FF, \\x00 kept");
        /* the whole schema serialises */
        char *text = json_dumps(s, 0);
        cr_expect_not_null(text);
        free(text);
        json_decref(s);
}

Test(input_schema_argparse, garbage_does_not_crash) {
        static const char *const srcs[] = {
                "p = argparse.ArgumentParser(\np.add_argument(",
                "= = = argparse.ArgumentParser()",
                ".add_argument('--x')",
                "p.add_argument",
                "import\nfrom\nfrom argparse\nfrom argparse import\nimport argparse as\n",
                "p=argparse.ArgumentParser();p.add_argument('--x',type=int,,choices=[1,,2])",
                "p=argparse.ArgumentParser()\np.add_argument('--x', default=-)\n",
                "p=argparse.ArgumentParser()\np.add_argument('--x', default=0x, nargs=-1)\n",
                "p=argparse.ArgumentParser()\np.add_argument('--x', default=1e999)\n",
                "p=argparse.ArgumentParser()\np.add_argument('--x'))))]]]}}}\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(srcs); i++) {
                json_t *s = infer(srcs[i]);
                if (s)
                        cr_expect_str_eq(json_string_value(json_object_get(s, "x-skilllite-source")), "argparse");
                json_decref(s);
        }
        json_t *s = infer("p=argparse.ArgumentParser()\np.add_argument('--x', default=1e999, nargs=-1)\n");
        expect_prop(s, "x", "{\"type\":\"string\"}");
        json_decref(s);
        json_t *none = NULL;
        cr_expect_eq(input_schema_python(NULL, 0, &none), 0);
        cr_expect_null(none);
}

/* ---- the skill level ------------------------------------------------------------------------- */

static char *tmp;
static int tmp_fd = -1;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) flag, (void) ftw;
        return remove(path);
}

static void setup(void) {
        char t[] = "/tmp/skilllite-schema-XXXXXX";
        cr_assert_not_null(mkdtemp(t));
        tmp = strdup(t);
        char skill[4096];
        snprintf(skill, sizeof(skill), "%s/skill", tmp);
        cr_assert_eq(mkdir(skill, 0755), 0);
        tmp_fd = open(skill, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cr_assert_geq(tmp_fd, 0);
}

static void teardown(void) {
        close(tmp_fd);
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmp);
}

/* Write rel below the skill directory (parents created). */
static void put(const char *rel, const char *content) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/skill/%s", tmp, rel);
        for (char *p = path + strlen(tmp) + 7; (p = strchr(p, '/')); p++) {
                *p = '\0';
                cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
                *p = '/';
        }
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f, "create %s", path);
        fputs(content, f);
        fclose(f);
}

/* A skill as skill_load would leave it (only the fields this module reads). */
struct test_skill {
        struct skill s;
        struct skill_script scripts[2];
        char dir[4096];
};

static void make_skill(struct test_skill *t, enum skill_kind kind, const char *entry, const char *declared) {
        memset(t, 0, sizeof(*t));
        snprintf(t->dir, sizeof(t->dir), "%s/skill", tmp);
        t->s.dir = t->dir;
        t->s.kind = kind;
        t->s.entry_point = (char *) entry;
        t->s.metadata = declared ? json_pack("{s:s}", INPUT_SCHEMA_METADATA_KEY, declared) : json_object();
        cr_assert_not_null(t->s.metadata);
        if (kind == SKILL_KIND_MULTI_SCRIPT) {
                t->scripts[0] = (struct skill_script) { "scripts/a.py", SKILL_LANG_PYTHON };
                t->scripts[1] = (struct skill_script) { "scripts/b.js", SKILL_LANG_NODE };
                t->s.scripts = t->scripts;
                t->s.n_scripts = 2;
        }
}

static const char *source_of(const json_t *schema) {
        return json_string_value(json_object_get(schema, "x-skilllite-source"));
}

static const char ARGPARSE_PY[] = "import argparse\np = argparse.ArgumentParser()\np.add_argument('--n', type=int)\n";

Test(input_schema_skill, standard_python_entry_is_inferred, .init = setup, .fini = teardown) {
        put("scripts/main.py", ARGPARSE_PY);
        struct test_skill t;
        make_skill(&t, SKILL_KIND_STANDARD, "scripts/main.py", NULL);
        json_t *schema = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0, "%s", err.msg);
        cr_expect_str_eq(source_of(schema), "argparse");
        expect_prop(schema, "n", "{\"type\":\"integer\"}");
        json_decref(schema);
        /* with dirfd -1 the directory is opened from s->dir */
        cr_assert_eq(skill_input_schema(&t.s, -1, &schema, &err), 0, "%s", err.msg);
        cr_expect_str_eq(source_of(schema), "argparse");
        json_decref(schema);
        json_decref(t.s.metadata);
}

Test(input_schema_skill, default_when_nothing_to_infer, .init = setup, .fini = teardown) {
        put("scripts/main.py", "import sys, json\nprint(json.dumps(json.load(sys.stdin)))\n");
        put("scripts/main.js", "const argparse = 1; p = argparse.ArgumentParser(); p.add_argument('--x')\n");
        struct error err = ERROR_INIT;
        json_t *schema = NULL;
        struct test_skill t;
        make_skill(&t, SKILL_KIND_STANDARD, "scripts/main.py", NULL);
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        json_t *want = input_schema_default();
        cr_expect(json_equal(schema, want));
        cr_expect_str_eq(source_of(schema), "default");
        cr_expect(json_is_true(json_object_get(schema, "additionalProperties")));
        json_decref(schema);
        json_decref(t.s.metadata);
        /* only Python is inferred */
        make_skill(&t, SKILL_KIND_STANDARD, "scripts/main.js", NULL);
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        cr_expect(json_equal(schema, want));
        json_decref(schema);
        json_decref(t.s.metadata);
        /* a prompt-only skill, and an entry that vanished */
        make_skill(&t, SKILL_KIND_PROMPT_ONLY, NULL, NULL);
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        cr_expect(json_equal(schema, want));
        json_decref(schema);
        json_decref(t.s.metadata);
        make_skill(&t, SKILL_KIND_STANDARD, "scripts/gone.py", NULL);
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        cr_expect(json_equal(schema, want));
        json_decref(schema);
        json_decref(t.s.metadata);
        json_decref(want);
}

Test(input_schema_skill, oversized_script_gets_the_default, .init = setup, .fini = teardown) {
        _cleanup_buf_ struct buf b = BUF_INIT(INPUT_SCHEMA_SCRIPT_MAX + 1024);
        cr_assert_eq(bput(&b, ARGPARSE_PY), 0);
        while (b.len <= INPUT_SCHEMA_SCRIPT_MAX)
                cr_assert_eq(bput(&b, "# padding padding padding padding padding padding\n"), 0);
        put("scripts/main.py", b.data);
        struct test_skill t;
        make_skill(&t, SKILL_KIND_STANDARD, "scripts/main.py", NULL);
        json_t *schema = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "default");
        json_decref(schema);
        json_decref(t.s.metadata);
}

Test(input_schema_skill, declared_schema_is_used_as_is, .init = setup, .fini = teardown) {
        put("scripts/main.py", ARGPARSE_PY);
        put("schema/input.json", "{\"type\": \"object\", \"properties\": {\"q\": {\"type\": \"string\"}},"
                                 " \"required\": [\"q\"], \"additionalProperties\": false,"
                                 " \"x-skilllite-source\": \"forged\"}");
        struct test_skill t;
        make_skill(&t, SKILL_KIND_STANDARD, "scripts/main.py", "schema/input.json");
        json_t *schema = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0, "%s", err.msg);
        cr_expect_str_eq(source_of(schema), "declared");
        expect_prop(schema, "q", "{\"type\":\"string\"}");
        cr_expect(json_is_false(json_object_get(schema, "additionalProperties")));
        cr_expect_null(prop(schema, "n"), "declared wins over inference");
        json_decref(schema);
        json_decref(t.s.metadata);
        /* a symlink that stays inside the skill is fine */
        char link[4096];
        snprintf(link, sizeof(link), "%s/skill/input-link.json", tmp);
        cr_assert_eq(symlink("schema/input.json", link), 0);
        make_skill(&t, SKILL_KIND_PROMPT_ONLY, NULL, "input-link.json");
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0, "%s", err.msg);
        cr_expect_str_eq(source_of(schema), "declared");
        json_decref(schema);
        json_decref(t.s.metadata);
}

Test(input_schema_skill, declared_schema_problems, .init = setup, .fini = teardown) {
        char outside[4096], link[4096];
        snprintf(outside, sizeof(outside), "%s/outside.json", tmp);
        FILE *f = fopen(outside, "w");
        cr_assert_not_null(f);
        fputs("{\"type\":\"object\"}", f);
        fclose(f);
        snprintf(link, sizeof(link), "%s/skill/escape.json", tmp);
        cr_assert_eq(symlink("../outside.json", link), 0);
        snprintf(link, sizeof(link), "%s/skill/abs.json", tmp);
        cr_assert_eq(symlink(outside, link), 0);
        put("array.json", "[]");
        put("string-type.json", "{\"type\": \"string\"}");
        put("no-type.json", "{\"properties\": {}}");
        put("bad.json", "{\"type\": \"object\",}");
        put("dup.json", "{\"type\": \"object\", \"type\": \"object\"}");
        put("dir/keep", "");
        _cleanup_buf_ struct buf b = BUF_INIT(INPUT_SCHEMA_FILE_MAX + 1024);
        cr_assert_eq(bput(&b, "{\"type\": \"object\", \"description\": \""), 0);
        while (b.len <= INPUT_SCHEMA_FILE_MAX)
                cr_assert_eq(bput(&b, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), 0);
        cr_assert_eq(bput(&b, "\"}"), 0);
        put("big.json", b.data);

        static const struct {
                const char *path, *words;
        } cases[] = {
                { "../outside.json", "relative path inside" },
                { "/etc/passwd", "relative path inside" },
                { "", "relative path inside" },
                { "escape.json", "outside the skill" },
                { "abs.json", "outside the skill" },
                { "missing.json", "does not exist" },
                { "dir", "not a regular file" },
                { "array.json", "JSON object" },
                { "string-type.json", "object schema" },
                { "no-type.json", "object schema" },
                { "bad.json", "invalid JSON" },
                { "dup.json", "invalid JSON" },
                { "big.json", "larger than 256 KiB" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct test_skill t;
                make_skill(&t, SKILL_KIND_PROMPT_ONLY, NULL, cases[i].path);
                json_t *schema = NULL;
                struct error err = ERROR_INIT;
                cr_expect_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), -EINVAL, "%s", cases[i].path);
                cr_expect_null(schema, "%s: *ret untouched", cases[i].path);
                cr_expect(strstr(err.msg, cases[i].words) != NULL, "%s: '%s' lacks '%s'", cases[i].path, err.msg,
                          cases[i].words);
                cr_expect(strstr(err.msg, INPUT_SCHEMA_METADATA_KEY) != NULL, "%s: names the key", cases[i].path);
                json_decref(t.s.metadata);
        }
}

Test(input_schema_skill, multi_script_tools, .init = setup, .fini = teardown) {
        put("scripts/a.py", ARGPARSE_PY);
        put("scripts/b.js", "console.log('{}')\n");
        put("scripts/c", "#!/usr/bin/env python3\nimport argparse\np = argparse.ArgumentParser()\n"
                         "p.add_argument('target')\n");
        struct test_skill t;
        make_skill(&t, SKILL_KIND_MULTI_SCRIPT, NULL, NULL);
        json_t *schema = NULL;
        struct error err = ERROR_INIT;
        /* the skill as a whole has no single input */
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "default");
        json_decref(schema);
        cr_assert_eq(skill_script_input_schema(&t.s, tmp_fd, "scripts/a.py", &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "argparse");
        expect_prop(schema, "n", "{\"type\":\"integer\"}");
        json_decref(schema);
        cr_assert_eq(skill_script_input_schema(&t.s, tmp_fd, "scripts/b.js", &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "default");
        json_decref(schema);
        /* not in the list: the language comes from the shebang */
        cr_assert_eq(skill_script_input_schema(&t.s, -1, "scripts/c", &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "argparse");
        expect_required(schema, "target");
        json_decref(schema);
        cr_expect_eq(skill_script_input_schema(&t.s, tmp_fd, "../x.py", &schema, &err), -EINVAL);
        cr_expect_eq(skill_script_input_schema(&t.s, tmp_fd, "/etc/passwd", &schema, &err), -EINVAL);
        json_decref(t.s.metadata);
        /* a declared schema covers every tool of the skill */
        put("in.json", "{\"type\":\"object\"}");
        make_skill(&t, SKILL_KIND_MULTI_SCRIPT, NULL, "in.json");
        cr_assert_eq(skill_script_input_schema(&t.s, tmp_fd, "scripts/a.py", &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "declared");
        json_decref(schema);
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "declared");
        json_decref(schema);
        json_decref(t.s.metadata);
}

Test(input_schema_skill, bash_tool_takes_a_command, .init = setup, .fini = teardown) {
        struct test_skill t;
        make_skill(&t, SKILL_KIND_BASH_TOOL, NULL, NULL);
        json_t *schema = NULL;
        struct error err = ERROR_INIT;
        cr_assert_eq(skill_input_schema(&t.s, tmp_fd, &schema, &err), 0);
        cr_expect_str_eq(source_of(schema), "bash-tool");
        cr_expect_str_eq(json_string_value(json_object_get(prop(schema, "command"), "type")), "string");
        expect_required(schema, "command");
        cr_expect(json_is_false(json_object_get(schema, "additionalProperties")));
        json_decref(schema);
        json_decref(t.s.metadata);
}

Test(input_schema_skill, missing_directory, .init = setup, .fini = teardown) {
        struct test_skill t;
        make_skill(&t, SKILL_KIND_STANDARD, "scripts/main.py", NULL);
        snprintf(t.dir, sizeof(t.dir), "%s/no-such-dir", tmp);
        json_t *schema = NULL;
        struct error err = ERROR_INIT;
        cr_expect_eq(skill_input_schema(&t.s, -1, &schema, &err), -ENOENT);
        cr_expect_null(schema);
        cr_expect(strstr(err.msg, "no-such-dir") != NULL, "%s", err.msg);
        json_decref(t.s.metadata);
}

/* Bytes that are not UTF-8 become U+FFFD (3 bytes each) in the schema: the cap on a string
 * holds after that, cut at a character boundary (the fuzz target found a help text of 1,024
 * such bytes turning into 3,072). */
Test(input_schema_argparse, strings_stay_capped_after_invalid_bytes_are_replaced) {
        static char src[4096];
        int n = snprintf(src, sizeof(src), "import argparse\np = argparse.ArgumentParser(description='");
        memset(src + n, 0xff, 1500);
        n += 1500;
        snprintf(src + n, sizeof(src) - (size_t) n, "')\np.add_argument('--x', help='%s')\n", "ok");
        json_t *s = infer_ok(src);
        const json_t *d = json_object_get(s, "description");
        cr_assert(json_is_string(d));
        cr_expect_leq(json_string_length(d), INPUT_SCHEMA_STRING_MAX);
        cr_expect_eq(json_string_length(d) % 3, 0, "whole U+FFFD characters only");
        cr_expect_eq(memcmp(json_string_value(d), "\xEF\xBF\xBD", 3), 0);
        json_decref(s);
}
