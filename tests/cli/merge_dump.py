#!/usr/bin/env python3
"""Prints a ringscope database in a form that does not depend on ids:
the merge test compares a merged database with one written by a single
run over the same captures.

Every table is printed sorted.  Capture ids become the capture's place in
id order; flow ids become (capture place, frame); other integer row ids,
and columns declaring REFERENCES to them, become the row's place in id
order.  Columns named in --ignore (TABLE.COLUMN) are left out: the
sensor name and command line differ between the runs by design."""
import sqlite3
import sys

STRIDE = 10000000000


def main():
    args = sys.argv[1:]
    ignore = set()
    while args and args[0] == "--ignore":
        ignore.add(args[1])
        args = args[2:]
    db = sqlite3.connect("file:%s?mode=ro" % args[0], uri=True)
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    capture_place = {cid: i + 1 for i, (cid,) in enumerate(
        db.execute("SELECT id FROM captures ORDER BY id"))}
    row_place = {}
    for t in tables:
        cols = db.execute("SELECT name, type, pk FROM pragma_table_info(?)",
                          (t,)).fetchall()
        if any(c[0] == "id" and c[2] == 1 and c[1].upper() == "INTEGER"
               for c in cols) and t not in ("captures", "flows"):
            row_place[t] = {rid: i + 1 for i, (rid,) in enumerate(
                db.execute('SELECT id FROM "%s" ORDER BY id' % t))}

    def flow(v):
        if v is None:
            return None
        return (capture_place.get(v // STRIDE, "?"), v % STRIDE)

    for t in tables:
        cols = [c[0] for c in db.execute(
            "SELECT name FROM pragma_table_info(?)", (t,))]
        refs = {r[3]: r[2] for r in db.execute(
            "SELECT * FROM pragma_foreign_key_list(?)", (t,))}
        keep = [c for c in cols if "%s.%s" % (t, c) not in ignore]
        rows = []
        for row in db.execute('SELECT %s FROM "%s"' % (
                ", ".join('"%s"' % c for c in keep), t)):
            out = []
            for c, v in zip(keep, row):
                target = refs.get(c)
                if (t == "captures" and c == "id") or c == "capture_id" \
                        or target == "captures":
                    out.append(("capture", capture_place.get(v, v)))
                elif (t == "flows" and c == "id") or c == "flow_id" \
                        or target == "flows":
                    out.append(("flow", flow(v)))
                elif c == "id" and t in row_place:
                    out.append(("row", row_place[t].get(v, v)))
                elif target in row_place:
                    out.append(("row", row_place[target].get(v, v)))
                else:
                    out.append(v)
            rows.append(repr(out))
        print("== %s (%d rows)" % (t, len(rows)))
        for r in sorted(rows):
            print(r)


if __name__ == "__main__":
    main()
