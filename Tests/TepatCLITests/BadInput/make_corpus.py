#!/usr/bin/env python3
"""Writes the bad-input corpus from Data/demo: each file replaces one file of a
copy of the demo data (the folder name says which), or is a scenario. Run from
the repository root; the files are checked in, so this is only needed to change
them. Expected messages are in expected.tsv (written by hand, not by Tepat)."""
import os

root = os.path.dirname(os.path.abspath(__file__))
demo = os.path.join(root, "..", "..", "..", "Data", "demo")


def lines(name, n):
    with open(os.path.join(demo, name), "rb") as f:
        return f.read().split(b"\n")[:n]


def write(folder, name, data):
    os.makedirs(os.path.join(root, folder), exist_ok=True)
    with open(os.path.join(root, folder, name), "wb") as f:
        f.write(data)


hh = lines("households.csv", 4)  # header and three households of village 35.14.01.2001
header, rows = hh[0], hh[1:]
cols = header.split(b",")


def household_file(rows_, head=header):
    return head + b"\n" + b"\n".join(rows_) + b"\n"


def with_field(row, column, value):
    fields = row.split(b",")
    fields[cols.index(column)] = value
    return b",".join(fields)


H = "households.csv"
write(H, "empty.csv", b"")
write(H, "header-only.csv", header + b"\n")
write(H, "truncated-mid-row.csv", household_file(rows)[:-60])
write(H, "truncated-in-quote.csv", household_file(rows[:2]) + rows[2][:40] + b',"own')
write(H, "latin1-category.csv", household_file([rows[0], with_field(rows[1], b"head_sector", b"agricultur\xe9"), rows[2]]))
text = household_file(rows).decode()
write(H, "utf16le-bom.csv", b"\xff\xfe" + text.encode("utf-16-le"))
write(H, "utf16be-bom.csv", b"\xfe\xff" + text.encode("utf-16-be"))
write(H, "utf16le-no-bom.csv", text.encode("utf-16-le"))
write(H, "bom-in-middle.csv", household_file([rows[0], with_field(rows[1], b"house_tenure", b"\xef\xbb\xbfown"), rows[2]]))
write(H, "nul-in-field.csv", household_file([rows[0], with_field(rows[1], b"members", b"4\x00"), rows[2]]))
write(H, "nul-bytes-only.csv", b"\x00" * 64)
write(H, "quote-never-closed.csv", household_file([rows[0], with_field(rows[1], b"house_tenure", b'"own'), rows[2]]))
write(H, "quote-inside-field.csv", household_file([rows[0], with_field(rows[1], b"house_tenure", b'o"wn'), rows[2]]))
write(H, "decimal-comma.csv", household_file([rows[0], with_field(rows[1], b"floor_area_m2", b'"1.234,5"'), rows[2]]))
write(H, "number-1e309.csv", household_file([rows[0], with_field(rows[1], b"floor_area_m2", b"1e309"), rows[2]]))
write(H, "number-nan.csv", household_file([rows[0], with_field(rows[1], b"floor_area_m2", b"NaN"), rows[2]]))
write(H, "number-infinity.csv", household_file([rows[0], with_field(rows[1], b"floor_area_m2", b"-Infinity"), rows[2]]))
write(H, "number-hex.csv", household_file([rows[0], with_field(rows[1], b"floor_area_m2", b"0x1F"), rows[2]]))
write(H, "negative-members.csv", household_file([rows[0], with_field(rows[1], b"members", b"-3"), rows[2]]))
write(H, "negative-children.csv", household_file([rows[0], with_field(rows[1], b"children_0_6", b"-1"), rows[2]]))
write(H, "zero-members.csv", household_file([rows[0], with_field(rows[1], b"members", b"0"), rows[2]]))
write(H, "members-huge.csv", household_file([rows[0], with_field(rows[1], b"members", b"99999999999999999999"), rows[2]]))
write(H, "members-fraction.csv", household_file([rows[0], with_field(rows[1], b"members", b"2.5"), rows[2]]))
write(H, "members-words.csv", household_file([rows[0], with_field(rows[1], b"members", b"lima"), rows[2]]))
write(H, "members-empty.csv", household_file([rows[0], with_field(rows[1], b"members", b""), rows[2]]))
write(H, "children-exceed-members.csv", household_file([rows[0], with_field(with_field(rows[1], b"members", b"2"), b"children_7_18", b"3"), rows[2]]))
write(H, "age-250.csv", household_file([rows[0], with_field(rows[1], b"head_age", b"250"), rows[2]]))
write(H, "unknown-category.csv", household_file([rows[0], with_field(rows[1], b"floor_material", b"marble"), rows[2]]))
write(H, "flag-yes.csv", household_file([rows[0], with_field(rows[1], b"head_female", b"yes"), rows[2]]))
write(H, "duplicate-header.csv", household_file(rows, head=header.replace(b"head_age", b"members")))
write(H, "missing-column.csv", household_file([b",".join(r.split(b",")[:5] + r.split(b",")[6:]) for r in rows],
                                              head=b",".join(cols[:5] + cols[6:])))
write(H, "duplicate-id.csv", household_file([rows[0], rows[1], rows[1]]))
write(H, "wrong-region.csv", household_file([rows[0], with_field(rows[1], b"kode_desa", b"32.01.01.2001"), rows[2]]))
write(H, "village-code-malformed.csv", household_file([rows[0], with_field(rows[1], b"kode_desa", b"35.14.1.2001"), rows[2]]))
write(H, "ragged-short-row.csv", household_file([rows[0], b",".join(rows[1].split(b",")[:20]), rows[2]]))
write(H, "ragged-long-row.csv", household_file([rows[0], rows[1] + b",1,2,3", rows[2]]))
write(H, "nik-too-short.csv", household_file([rows[0], with_field(rows[1], b"head_nik", b"351401071092"), rows[2]]))
write(H, "nik-letters.csv", household_file([rows[0], with_field(rows[1], b"head_nik", b"35140107109200AB"), rows[2]]))
write(H, "binary-garbage.csv", bytes((i * 37 + 11) % 256 for i in range(2048)))
write(H, "blank-line-in-middle.csv", header + b"\n" + rows[0] + b"\n\n" + rows[1] + b"\n")

S = "survey.csv"
sv = lines("survey.csv", 400)
s_header, s_rows = sv[0], [r for r in sv[1:] if r]
s_cols = s_header.split(b",")
ci, wi = s_cols.index(b"consumption_pc"), s_cols.index(b"weight")


def survey_with(rows_):
    return s_header + b"\n" + b"\n".join(rows_) + b"\n"


def set_col(row, i, value):
    f = row.split(b",")
    f[i] = value
    return b",".join(f)


write(S, "zero-variance-consumption.csv", survey_with([set_col(r, ci, b"500000") for r in s_rows]))
write(S, "fewer-rows-than-terms.csv", survey_with(s_rows[:5]))
write(S, "header-only.csv", s_header + b"\n")
write(S, "negative-consumption.csv", survey_with([set_col(s_rows[0], ci, b"-5")] + s_rows[1:]))
write(S, "zero-weight.csv", survey_with([set_col(s_rows[0], wi, b"0")] + s_rows[1:]))

def first_row_with(name, column, value):
    """The whole demo file `name` with one field of its first data row changed."""
    rows_ = [r for r in lines(name, 10_000) if r]
    fields = rows_[1].split(b",")
    fields[column] = value
    return b"\n".join(rows_[:1] + [b",".join(fields)] + rows_[2:]) + b"\n"


V = "villages.csv"
vl = [r for r in lines(V, 10_000) if r]
write(V, "duplicate-village.csv", b"\n".join(vl + [vl[1]]) + b"\n")
write(V, "latitude-200.csv", first_row_with(V, 6, b"200.5"))
write(V, "unknown-idm-status.csv", first_row_with(V, 8, b"sangat_maju"))

F = "funders.csv"
write(F, "negative-budget.csv", first_row_with(F, 3, b"-1000000"))
write(F, "unknown-pillar.csv", first_row_with(F, 4, b"health|agama"))
write(F, "share-above-one.csv", first_row_with(F, 6, b"1.5"))
write(F, "bad-kecamatan.csv", first_row_with(F, 5, b"35.14.99"))

P = "programs.csv"
write(P, "zero-unit-cost.csv", first_row_with(P, 2, b"0"))
write(P, "unknown-deprivation.csv", first_row_with(P, 3, b"pendidikan"))

Y = "scenario"
write(Y, "alias-bomb.yaml", b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
    b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((98 + i,) * 2 + (97 + i,) * 10) for i in range(8))
    + b"seed: *i\n")
# The same bomb in a key's place (found by the fuzzer): the YAML library hashes keys whole.
write(Y, "alias-key-bomb.yaml", b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
    b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((98 + i,) * 2 + (97 + i,) * 10) for i in range(8))
    + b"seed: [*i: 1]\n")
write(Y, "unknown-key.yaml", b"scoring:\n  povrty_line: 550000\n")
write(Y, "wrong-type.yaml", b"scoring:\n  bootstrap: many\n")
write(Y, "nul-byte.yaml", b"seed: 1\x00\n")
write(Y, "latin1.yaml", b"# catatan: \xe9\nseed: 1\n")
write(Y, "broken-yaml.yaml", b"scoring:\n  poverty_line: [550000\n")
write(Y, "deep-nesting.yaml", b"seed: " + b"[" * 5000 + b"]" * 5000 + b"\n")
write(Y, "duplicate-key.yaml", b"seed: 1\nseed: 2\n")
write(Y, "negative-bootstrap.yaml", b"scoring:\n  bootstrap: -5\n")
write(Y, "top-level-list.yaml", b"- seed: 1\n")

# A survey in which every head works: that term is the intercept again (singular).
hw = s_cols.index(b"head_works")
write(S, "constant-indicator.csv", survey_with([set_col(r, hw, b"1") for r in s_rows]))
