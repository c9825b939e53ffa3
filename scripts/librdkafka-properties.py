#!/usr/bin/env python3
"""Turns librdkafka's property definitions into data/librdkafka-properties.tsv.

Usage: scripts/librdkafka-properties.py librdkafka/src/rdkafka_conf.c librdkafka/CONFIGURATION.md VERSION

Both files ship inside the `rdkafka-sys` crate; `cargo fetch` of a project that depends on
`rdkafka` puts them in the cargo registry. The property list is librdkafka's own table
(`rd_kafka_properties[]` in rdkafka_conf.c), hidden, deprecated and unsettable properties
included; CONFIGURATION.md, which librdkafka generates from the same table but without the
hidden ones, gives the type names and default texts of the public properties, and every
range it states is checked against the table's.

Columns: name, scope (`*` any client, `C` consumer, `P` producer), level (`global` or
`topic`), type, minimum, maximum (empty unless an integer with a range), default, flags
(comma-separated: `hidden`, `deprecated`, `experimental`; `refused` when `rd_kafka_conf_set`
refuses the name: invalid, internal and pointer properties), note (what librdkafka says:
the description of a deprecated property, the error text of a refused one).
"""
import re
import sys

C_TYPES = {
    "_RK_C_STR": "string",
    "_RK_C_KSTR": "string",
    "_RK_C_INT": "integer",
    "_RK_C_DBL": "float",
    "_RK_C_BOOL": "boolean",
    "_RK_C_S2I": "enum value",
    "_RK_C_S2F": "CSV flags",
    "_RK_C_PATLIST": "pattern list",
    "_RK_C_PTR": "pointer",
    "_RK_C_ALIAS": "alias",
    "_RK_C_INTERNAL": "internal",
    "_RK_C_INVALID": "invalid",
}

CONSTANTS = {
    "INT_MAX": 2147483647,
    "INT32_MAX": 2147483647,
    "INT_MIN": -2147483648,
    # rdkafka_conf.h
    "RD_KAFKA_COMPLEVEL_DEFAULT": -1,
    "RD_KAFKA_COMPLEVEL_MIN": -1,
    "RD_KAFKA_COMPLEVEL_MAX": 12,
}


def structural(text):
    """`(index, char)` of each character outside string literals and comments."""
    i, in_str = 0, False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 1
        elif text.startswith("//", i):
            i = text.index("\n", i)
        else:
            yield i, c
        i += 1


def entries(source):
    """The brace-delimited initializers of `rd_kafka_properties[]`."""
    start = source.index("{", source.index("rd_kafka_properties[] = {")) + 1
    body, depth, begin = source[start:], 0, 0
    for i, c in structural(body):
        if c == "{":
            depth += 1
            if depth == 1:
                begin = i
        elif c == "}":
            if depth == 0:
                return
            depth -= 1
            if depth == 0:
                yield body[begin : i + 1]


def top_level_fields(entry):
    """The comma-separated fields of one initializer (nested braces and strings kept)."""
    body, depth, begin, fields = entry[1:-1], 0, 0, []
    for i, c in structural(body):
        if c in "{(":
            depth += 1
        elif c in "})":
            depth -= 1
        elif c == "," and depth == 0:
            fields.append(body[begin:i].strip())
            begin = i + 1
    if body[begin:].strip():
        fields.append(body[begin:].strip())
    return fields


def c_string(field):
    """The text of adjacent C string literals."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', field)
    return "".join(parts).replace('\\"', '"').replace("\\n", " ")


def c_int(field):
    """The value of an integer expression of the table (`900 * 1000`, `INT_MAX`)."""
    expr = re.sub(r"/\*.*?\*/", "", field, flags=re.S)
    expr = re.sub(r"^\s*#.*$", "", expr, flags=re.M).strip()
    for name, value in CONSTANTS.items():
        expr = re.sub(rf"\b{name}\b", str(value), expr)
    if not re.fullmatch(r"(0x[0-9a-fA-F]+|[-0-9 *+/()])+", expr):
        return None
    # Digits, hex numbers and integer operators only, checked above.
    return int(eval(expr.replace("/", "//")))  # noqa: S307


def properties(source):
    for entry in entries(source):
        fields = top_level_fields(entry)
        if len(fields) < 3 or not fields[1].startswith('"'):
            continue
        flags = {f.strip() for f in fields[0].split("|")}
        name = c_string(fields[1])
        ctype = fields[2]
        positional = [f for f in fields[3:] if not f.startswith(".")]
        named = dict(
            (m.group(1), m.group(2).strip())
            for m in (re.match(r"\.(\w+)\s*=\s*(.*)", f, re.S) for f in fields[3:])
            if m
        )
        desc = c_string(positional[1]) if len(positional) > 1 else ""
        low = c_int(positional[2]) if len(positional) > 2 else None
        high = c_int(positional[3]) if len(positional) > 3 else None
        vdef = c_int(positional[4]) if len(positional) > 4 else None
        sdef = c_string(named["sdef"]) if "sdef" in named else None
        yield {
            "name": name,
            "level": "global" if "_RK_GLOBAL" in flags else "topic",
            # `_RK_CGRP`: a property of the consumer group.
            "scope": "C"
            if flags & {"_RK_CONSUMER", "_RK_CGRP"}
            else "P"
            if "_RK_PRODUCER" in flags
            else "*",
            "ctype": ctype,
            "hidden": "_RK_HIDDEN" in flags,
            "deprecated": "_RK_DEPRECATED" in flags,
            "experimental": "_RK_EXPERIMENTAL" in flags,
            "desc": desc,
            "range": (low, high) if ctype == "_RK_C_INT" else None,
            "default": sdef
            if sdef is not None
            else ""
            if vdef is None
            else ("true" if vdef else "false")
            if ctype == "_RK_C_BOOL"
            else str(vdef),
        }


def documented(text):
    """CONFIGURATION.md rows by (name, level): (scope, type, min, max, default)."""
    level, rows = None, {}
    for line in text.splitlines():
        if line.startswith("## Global configuration properties"):
            level = "global"
        elif line.startswith("## Topic configuration properties"):
            level = "topic"
        if level is None or "|" not in line or line.startswith(("Property", "---")):
            continue
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 6 or not re.fullmatch(r"[a-z0-9_.]+", cells[0]):
            continue
        name, scope, value_range, default, _importance, description = cells[:6]
        kind = re.search(r"\*Type: ([^*]+)\*", description)
        kind = kind.group(1).strip() if kind else ""
        low = high = ""
        m = re.fullmatch(r"(-?\d+) \.\. (-?\d+)", value_range)
        if m and kind == "integer":
            low, high = m.groups()
        rows[(name, level)] = (scope or "*", kind, low, high, default)
    return rows


def refusal(prop):
    """The error `rd_kafka_conf_set` returns for a property it never accepts, or None."""
    if prop["ctype"] == "_RK_C_INVALID":
        return prop["desc"]
    if prop["ctype"] == "_RK_C_INTERNAL":
        return f'Internal property "{prop["name"]}" not settable'
    if prop["ctype"] == "_RK_C_PTR" and not prop["hidden"]:
        return f'Property "{prop["name"]}" must be set through dedicated .._set_..() function'
    return None


def main():
    conf_c, configuration_md, version = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(conf_c, encoding="utf-8") as f:
        props = list(properties(f.read()))
    with open(configuration_md, encoding="utf-8") as f:
        docs = documented(f.read())
    problems = []
    print(f"# librdkafka {version} configuration properties, from rdkafka_conf.c (rd_kafka_properties[])")
    print("# and CONFIGURATION.md (type names and default texts of the public ones);")
    print("# generated by scripts/librdkafka-properties.py; do not edit by hand")
    print("# name\tscope\tlevel\ttype\tmin\tmax\tdefault\tflags\tnote")
    for prop in props:
        flags = [f for f in ("hidden", "deprecated", "experimental") if prop[f]]
        refused = refusal(prop)
        if refused:
            flags.append("refused")
        note = refused or (prop["desc"] if prop["deprecated"] else "")
        doc = docs.get((prop["name"], prop["level"]))
        if doc:
            scope, kind, low, high, default = doc
            if scope != prop["scope"]:
                problems.append(f"{prop['name']}: scope {scope} documented, {prop['scope']} defined")
            if low and prop["range"] and (str(prop["range"][0]), str(prop["range"][1])) != (low, high):
                problems.append(f"{prop['name']}: range {low}..{high} documented, {prop['range']} defined")
        else:
            scope = prop["scope"]
            kind = C_TYPES.get(prop["ctype"], prop["ctype"])
            low, high = (
                (str(prop["range"][0]), str(prop["range"][1]))
                if prop["range"] and None not in prop["range"]
                else ("", "")
            )
            default = prop["default"]
        row = (prop["name"], scope, prop["level"], kind, low, high, default, ",".join(flags), note)
        print("\t".join(cell.replace("\t", " ") for cell in row))
    defined = {(p["name"], p["level"]) for p in props}
    for key in docs:
        if key not in defined:
            problems.append(f"{key[0]} ({key[1]}) is documented but not defined")
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    main()
