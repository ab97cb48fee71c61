"""The curated tables themselves: form, keys, references and evidence."""

import csv
import hashlib
import re
from pathlib import Path

import pytest

from vetkg.build.quotes import evidence_texts, normalise, source_files
from vetkg.build.schema import TABLES, RowsAre
from vetkg.build.tables import load_tables
from vetkg.paths import DATA_DIR, SHARED_DIR

TABLE_NAMES = list(TABLES)
CURATED = [name for name in TABLE_NAMES if TABLES[name].rows_are is not RowsAre.REGISTER]
REGISTERS = [name for name in TABLE_NAMES if TABLES[name].rows_are is RowsAre.REGISTER]


def test_every_declared_table_has_a_file_and_every_file_is_declared():
    files = sorted(str(path.relative_to(DATA_DIR)) for path in DATA_DIR.rglob("*.csv"))
    assert files, "data/ has no tables"
    assert files == sorted(TABLES[name].path for name in TABLE_NAMES)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_header_matches_declared_columns(name):
    with open(DATA_DIR / TABLES[name].path, encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert header == [column.name for column in TABLES[name].columns]


def dictionary_rows() -> dict[str, str]:
    """The data dictionary of data/README.md: each file's columns cell, by the file's name."""
    rows = {}
    for line in (DATA_DIR / "README.md").read_text(encoding="utf-8").splitlines():
        found = re.fullmatch(r"\| `([\w/]+\.csv)` \| .*? \| (.*) \|", line)
        if found:
            rows[found.group(1)] = found.group(2)
    return rows


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_the_data_dictionary_lists_the_declared_columns_in_order_the_required_in_bold(name):
    table = TABLES[name]
    rows = dictionary_rows()
    assert len(rows) >= len(TABLES)
    cell = rows[Path(table.path).name]
    declared = {column.name for column in table.columns}
    places = []
    for column in table.columns:
        bold = re.search(rf"\*\*{column.name}\*\*", cell)
        plain = re.search(rf"(?<![\w*`]){column.name}(?![\w*`])", cell)
        assert bold or plain, f"data/README.md does not list {name}.{column.name}"
        assert bool(bold) == column.required, f"{name}.{column.name}: in bold if and only if required"
        places.append((bold or plain).start())
    assert places == sorted(places), f"data/README.md lists the columns of {name} in another order"
    # Bold words, and words in snake case outside code marks, are column names.
    named = {*re.findall(r"\*\*(\w+)\*\*", cell), *re.findall(r"(?<![\w`])[a-z]+(?:_[a-z0-9]+)+\b", cell)}
    assert named <= declared, f"data/README.md lists columns that {name} does not declare: {named - declared}"


@pytest.mark.parametrize("name", CURATED)
def test_file_form(name):
    raw = (DATA_DIR / f"{name}.csv").read_bytes()
    assert raw, f"{name}.csv is empty"
    assert not raw.startswith(b"\xef\xbb\xbf"), "byte-order mark"
    assert b"\r" not in raw, "CR line endings"
    assert raw.endswith(b"\n") and not raw.endswith(b"\n\n"), "one final newline"
    text = raw.decode("utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        assert line == line.strip(), f"line {number} has surrounding whitespace"


@pytest.mark.parametrize("name", CURATED)
def test_rows_are_in_stable_order(name):
    with open(DATA_DIR / f"{name}.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))[1:]
    assert rows, f"{name} has no rows"
    assert rows == sorted(rows), f"data/{name}.csv rows are not sorted"


def test_registers_were_collected():
    assert len(REGISTERS) == 6


@pytest.mark.parametrize("name", REGISTERS)
def test_register_is_the_shared_copy_unchanged(name):
    """A register is the published list as the shared folder holds it: the same bytes."""
    table = TABLES[name]
    sources = {row.key: row.values for row in load_tables().rows["sources"]}
    shared = SHARED_DIR / sources[table.source]["path"]
    if not shared.exists():
        pytest.skip(f"the shared registers are not at {shared.parent}; set VETKG_SHARED")
    ours = (DATA_DIR / table.path).read_bytes()
    assert ours, table.path
    assert Path(table.path).name == shared.name
    assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(shared.read_bytes()).hexdigest()


def test_tables_load_and_ids_are_unique():
    tables = load_tables()
    assert len(tables) > 0
    ids = [row.key for name, rows in tables.rows.items() if TABLES[name].key == "id" for row in rows]
    assert ids and len(ids) == len(set(ids))


def test_the_build_checks_quotes_and_labels_against_the_report_present(report_text):
    """load_tables refuses a quote or label that the report does not hold (tests/test_rows.py);
    here the report is present, so the real tables passed that check."""
    tables = load_tables()
    assert "report" in source_files(tables, SHARED_DIR) and len(tables) > 0


def entity_names(tables):
    """Every zh name of every entity by id, its other names too; a school of the register also by
    its 2017 name."""
    names = {row.key: {row.values["label_zh"], *(row.values.get("alt_labels_zh") or ())}
             for rows in tables.rows.values() for row in rows if "label_zh" in row.values}
    for row in tables.rows["institutions"]:
        names[row.key] = {row.values["name_zh"]}
    for code, row in tables.registers.former_names.items():
        names[f"moe-{code}"].add(row.values["name_2017"])
    return names


def without_title_marks(text):
    return normalise(text).replace("《", "").replace("》", "")


def comparable(label):
    """A label as it can be found in a quote: no whitespace, no book-title marks, and for a
    document no bracketed edition (职业教育专业目录(2021年) is found as 职业教育专业目录)."""
    return without_title_marks(label).split("(")[0]


MENTIONED = [(name, column) for name, table in TABLES.items() for column in table.columns
             if column.mentioned]


def test_some_relations_must_be_stated_in_their_quotes():
    assert MENTIONED


@pytest.mark.parametrize("table,column", MENTIONED,
                         ids=lambda value: value if isinstance(value, str) else value.name)
def test_stated_relations_name_their_targets_in_the_rows_quotes(table, column):
    """A task's themes, actors, learners and responsible bodies, and a body's role, are stated
    in the row's own quotes, so that nothing is drawn that the text does not say."""
    tables = load_tables()
    quotes = evidence_texts(tables)
    names = entity_names(tables)
    checked = 0
    for row in tables.rows[table]:
        text = without_title_marks("".join(quotes[e] for e in row.values["evidence"]))
        cell = row.values[column.name]
        if not cell:
            continue
        values = cell if column.many else (cell,)
        for stated in [names[value] if column.kind == "ref" else {value} for value in values]:
            checked += 1
            assert any(comparable(name) in text for name in stated), (
                f"data/{table}.csv:{row.line}: {column.name}: {stated} is not in the row's quotes")
    assert checked


CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_numbers(quote):
    """Counts written in Chinese numerals before a measure word (两次 → 2, 七届 → 7, 十项 → 10,
    每两年 → 2) and first places (第一, 首位 → 1)."""
    found = {"1"} if re.search(r"第一|首位", quote) else set()
    for word in re.findall(r"[一二两三四五六七八九十]+(?=[次家届个项批所万千部年])", quote):
        if "十" in word:
            tens, _, units = word.partition("十")
            value = CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(units, 0)
        elif len(word) == 1:
            value = CHINESE_DIGITS[word]
        else:
            continue
        found.add(str(value))
    return found


def test_chinese_numerals_are_read():
    assert chinese_numbers("召开两次职业教育工作会议，等十项措施，七届") == {"2", "10", "7"}
    assert chinese_numbers("荣登金牌榜第一") == chinese_numbers("位居团体总分首位") == {"1"}


def test_observation_values_occur_in_their_quotes():
    tables = load_tables()
    quotes = {row.key: row.values["quote"] for row in tables.rows["evidence"]}
    rows = tables.rows["observations"]
    assert rows
    for row in rows:
        numbers = set()
        for evidence in row.values["evidence"]:
            # The report sometimes typesets a space after a decimal point: 72. 17%.
            quote = re.sub(r"(?<=\d\.)\s+(?=\d)", "", quotes[evidence])
            numbers |= {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", quote)}
            numbers |= chinese_numbers(quote)
        value = format(row.values["value"], "f")
        # 近万人 and 近千所 ("nearly ten thousand", "nearly a thousand") are kept as 1 in units of
        # 万人 and 千所.
        nearly_one = value == "1" and any(
            re.search(r"近\s*[千万]", quotes[e]) for e in row.values["evidence"])
        assert value in numbers or nearly_one, f"data/observations.csv:{row.line}: {value} not in its quotes"


def test_every_register_is_declared_whole():
    """A register's declaration names its source, columns that exist, and a mapper of its rows."""
    from vetkg.build.register_triples import REGISTER_MAPPERS

    assert REGISTERS and set(REGISTER_MAPPERS) == set(REGISTERS)
    for name in REGISTERS:
        table = TABLES[name]
        declared = {column.name for column in table.columns}
        assert table.file.startswith("registers/") and table.source, name
        named = {table.key, *table.place_columns, table.sponsor_column, table.row_number} - {""}
        assert named <= declared, name
