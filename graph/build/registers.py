"""Resolve the MOE's registers against the curated tables: who runs each school, where it is.

The registers under ``data/registers/`` are the lists as the Ministry of Education published
them, never edited. Their strings (主管部门, 所在地, the province block, a school's name in the
2019 双高 list) are resolved here through the mapping tables ``register_sponsors.csv`` and
``register_places.csv`` and through the 学校标识码. Every string that resolves to nothing, and
every mapping row that no register row uses, is a problem at its file and line.

A 双高 unit is matched to a school by the name the 2019 list gives: the school's name in the
2025 list, or else its name in the 2017 list under the same 学校标识码 (the comparison of the
two lists), in which case the comparison row is part of the match's evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vetkg.build.schema import CATALOGUE_LEVELS, INSTITUTIONS, LUBAN_WORKSHOPS, MAJORS, TABLES, RowsAre

if TYPE_CHECKING:
    from vetkg.build.rows import Row, Tables

# The 办学层次 of the list, and the level of the education system each stands for.
LEVELS = {"专科": "higher-vocational-short-cycle", "本科": "general-bachelor"}
VOCATIONAL_BACHELOR_LEVEL = "higher-vocational-bachelor"
SHUANGGAO_PROGRAMME = "double-high-plan"
# The brand of the report that each Luban Workshop is part of.
LUBAN_BRAND = "luban-workshop"
# The document of the report that the catalogue of majors is, and the report's quote that
# describes its three levels.
CATALOGUE_DOCUMENT = "major-catalogue-2021"
CATALOGUE_EVIDENCE = "ev-catalogue-2021"
GROUP_SEPARATOR = "、"
# The level of the catalogue at which a 双高 major group's name is looked up: the plan is
# for higher vocational schools, which teach the majors of the 专科 table.
SHUANGGAO_LEVEL = "gaozhi_zhuanke"


@dataclass(frozen=True)
class UnitMatch:
    """How a 双高 unit was tied to a school: through which code, and which comparison row.

    ``unlisted`` says, for a unit tied to no school, what the lists say of its name.
    """

    code: str | None
    bridge: Row | None = None
    unlisted: str = ""


@dataclass(frozen=True)
class Workshop:
    """A Luban Workshop's row resolved: its host country, and its Chinese partners by name.

    ``partners`` are the 学校标识码 of the schools named exactly as a list or their ROR record
    names them; ``unlisted`` are the other names, kept as the page gives them.
    """

    country: str
    partners: tuple[str, ...]
    unlisted: tuple[str, ...]


@dataclass
class Catalogue:
    """The catalogue of majors resolved.

    The first row that names each category and class, by (column, code), and the codes that
    bear one name at each level.
    """

    first_rows: dict[tuple[str, str], Row] = field(default_factory=dict)
    # (column, name) -> {level: code}: a category or class and its namesakes at other levels.
    namesakes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    # The 专科 major of each name, for the 双高 major groups.
    majors_by_name: dict[str, Row] = field(default_factory=dict)

    def introduces(self, column: str, row: Row) -> bool:
        """Whether the row is the first to name its category or class."""
        return self.first_rows[(column, row.values[f"{column}_code"])] is row

    def counterparts(self, column: str, row: Row) -> list[str]:
        """The codes of the categories or classes at other levels with this row's name."""
        level, name = row.values["level"], row.values[f"{column}_zh"]
        return sorted(code for other, code in self.namesakes[(column, name)].items() if other != level)


@dataclass
class Registers:
    """What the registers say once their strings are resolved, by 学校标识码 and by row."""

    sponsors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    places: dict[tuple[str, str], str] = field(default_factory=dict)
    vocational_bachelor: dict[str, Row] = field(default_factory=dict)
    former_names: dict[str, Row] = field(default_factory=dict)
    units: dict[int, UnitMatch] = field(default_factory=dict)
    catalogue: Catalogue = field(default_factory=Catalogue)
    # The catalogue's major that each 双高 major group names, by (unit row number, group number).
    group_majors: dict[tuple[int, int], Row] = field(default_factory=dict)
    workshops: dict[int, Workshop] = field(default_factory=dict)
    # What the registers hold that the graph leaves out, and why: one line each.
    notes: list[str] = field(default_factory=list)


def _display(row: Row) -> str:
    return f"{TABLES[row.table].display}:{row.line}"


def place_keys(row: Row) -> list[tuple[str, tuple[str, str]]]:
    """(column, key in register_places.csv) of each place a register row names, widest first.

    The first place column is the province, keyed alone; a second is a city within it.
    """
    columns = TABLES[row.table].place_columns
    province = row.values[columns[0]] if columns else None
    return [(column, (province, row.values[column] if depth else "")) for depth, column in enumerate(columns)]


def _resolve_sponsors_and_places(registers: Registers, tables: Tables, problems: list[str]) -> None:
    """Every register's sponsor and place strings resolve, and every mapping row is used."""
    used_sponsors, used_places = set(), set()
    for name, rows in tables.rows.items():
        table = TABLES[name]
        if table.rows_are is not RowsAre.REGISTER:
            continue
        for row in rows:
            if table.sponsor_column:
                sponsor = row.values[table.sponsor_column]
                if sponsor not in registers.sponsors:
                    problems.append(f"{_display(row)}: {table.sponsor_column}: {sponsor!r} is not in "
                                    f"{TABLES['register_sponsors'].display}")
                used_sponsors.add(sponsor)
            for column, key in place_keys(row):
                if key not in registers.places:
                    problems.append(f"{_display(row)}: {column}: {'/'.join(filter(None, key))!r} is not in "
                                    f"{TABLES['register_places'].display}")
                used_places.add(key)
    for row in tables.rows.get("register_sponsors", []):
        if row.values["sponsor"] not in used_sponsors:
            problems.append(f"{_display(row)}: sponsor: no row of the register names "
                            f"{row.values['sponsor']!r}")
    for row in tables.rows.get("register_places", []):
        if (row.values["province"], row.values["city"] or "") not in used_places:
            problems.append(f"{_display(row)}: city: no row of the register names this place")


def resolve_registers(tables: Tables, problems: list[str]) -> Registers:
    """Resolve every register row, appending a line to ``problems`` for each that fails."""
    rows = tables.rows
    registers = Registers(
        sponsors={row.values["sponsor"]: row.values["bodies"] for row in rows.get("register_sponsors", [])
                  if row.values["bodies"]},
        places={(row.values["province"], row.values["city"] or ""): row.values["place"][0]
                for row in rows.get("register_places", []) if row.values["place"]},
    )
    _check_defined(tables, problems)
    _resolve_sponsors_and_places(registers, tables, problems)
    institutions = {row.values["moe_code"]: row for row in rows.get(INSTITUTIONS, [])}
    _resolve_vocational_bachelor(registers, rows.get("vocational_bachelor_register", []), institutions,
                                 problems)
    by_2017_name = _resolve_former_names(registers, rows.get("register_comparison", []), institutions,
                                         problems)
    # The 学校标识码 of each name in the 2025 list, by which the 2019 and the news lists name schools.
    codes_by_name = {row.values["name_zh"]: code for code, row in institutions.items()}
    _resolve_units(registers, rows.get("shuanggao_register", []), codes_by_name, by_2017_name)
    _resolve_catalogue(registers.catalogue, rows.get(MAJORS, []), problems)
    _resolve_workshops(registers, rows.get(LUBAN_WORKSHOPS, []), rows.get("places", []),
                       rows.get("links", []), institutions, codes_by_name, by_2017_name, problems)
    _resolve_group_majors(registers, rows.get("shuanggao_register", []))
    _check_mentions(registers, rows.get("institution_mentions", []), institutions, problems)
    return registers


def _check_defined(tables: Tables, problems: list[str]) -> None:
    """The sources of the registers, and the levels and programme they point to, exist."""
    needed = [(TABLES[name].source, "sources", f"{TABLES[name].display}:1")
              for name, rows in tables.rows.items() if TABLES[name].rows_are is RowsAre.REGISTER and rows]
    if tables.rows.get(INSTITUTIONS):
        needed += [(level, "levels", f"{TABLES[INSTITUTIONS].display}:1")
                   for level in (*LEVELS.values(), VOCATIONAL_BACHELOR_LEVEL)]
    if tables.rows.get("shuanggao_register"):
        needed.append((SHUANGGAO_PROGRAMME, "initiatives", f"{TABLES['shuanggao_register'].display}:1"))
    if tables.rows.get(LUBAN_WORKSHOPS):
        needed.append((LUBAN_BRAND, "initiatives", f"{TABLES[LUBAN_WORKSHOPS].display}:1"))
    if tables.rows.get(MAJORS):
        needed += [(level, "levels", f"{TABLES[MAJORS].display}:1") for level in CATALOGUE_LEVELS.values()]
        needed.append((CATALOGUE_DOCUMENT, "documents", f"{TABLES[MAJORS].display}:1"))
        needed.append((CATALOGUE_EVIDENCE, "evidence", f"{TABLES[MAJORS].display}:1"))
    for identifier, table, place in needed:
        if tables.id_table.get(identifier) != table:
            problems.append(f"{place}: file: its rows need {identifier!r} in data/{table}.csv")


def _resolve_vocational_bachelor(registers, rows, institutions, problems) -> None:
    for row in rows:
        code, name = row.values["moe_code"], row.values["name_zh"]
        listed = institutions.get(code)
        if listed is None or listed.values["level"] != "本科" or listed.values["name_zh"] != name:
            problems.append(f"{_display(row)}: moe_code: {code} is not the 本科 school {name} of the list")
        else:
            registers.vocational_bachelor[code] = row


def _resolve_former_names(registers, rows, institutions, problems) -> dict[str, Row]:
    """The 2017 name of each school that kept its code under a new name.

    Returns the rows of the comparison by 2017 name: of schools in both lists, and of those
    whose 2017 code the 2025 list no longer holds.
    """
    by_2017_name = {}
    for row in rows:
        code, name_2017, name_2025 = (row.values[key] for key in ("moe_code", "name_2017", "name_2025"))
        if row.values["status"] == "only_2017":
            by_2017_name[name_2017] = row
        if row.values["status"] != "both":
            continue
        listed = institutions.get(code)
        if listed is None or listed.values["name_zh"] != name_2025:
            problems.append(f"{_display(row)}: name_2025: {name_2025!r} is not the name of {code} in the "
                            "2025 list")
            continue
        by_2017_name[name_2017] = row
        if name_2017 != name_2025:
            registers.former_names[code] = row
    return by_2017_name


def _resolve_units(registers, rows, codes_by_name, by_2017_name) -> None:
    """Tie each 双高 unit to its school where a list gives the evidence; every unit is kept.

    A school that kept its 学校标识码 is the same institution under its 2025 name. A code of
    2017 that the 2025 list no longer holds ties the unit to nothing: no list names the school
    that took its place, and a likeness of names is no evidence.
    """
    for row in rows:
        name = row.values["name_zh"]
        bridge = by_2017_name.get(name)
        if name in codes_by_name:
            registers.units[row.number] = UnitMatch(codes_by_name[name])
        elif bridge is not None and bridge.values["status"] == "both":
            registers.units[row.number] = UnitMatch(bridge.values["moe_code"], bridge)
        else:
            code = bridge.values["moe_code"] if bridge is not None else None
            unlisted = (f"{name} ({code} in the 2017 list) is not in the 2025 list, and no list names "
                        "the school that took its place" if code else f"{name} is in neither list")
            registers.units[row.number] = UnitMatch(None, unlisted=unlisted)
            registers.notes.append(f"{_display(row)}: {unlisted}; the unit is kept without its school")


def _resolve_catalogue(catalogue: Catalogue, rows, problems) -> None:
    """Each category and class code has one name; each code begins with the code above it."""
    for row in rows:
        values = row.values
        for column, parent in (("category", None), ("class", "category"), ("major", "class")):
            code = TABLES[MAJORS].key_code(values[f"{column}_code"])
            if parent and not code.startswith(values[f"{parent}_code"]):
                problems.append(f"{_display(row)}: {column}_code: {code} does not begin with its "
                                f"{parent}_code {values[f'{parent}_code']}")
            if column == "major":
                continue
            first = catalogue.first_rows.setdefault((column, code), row)
            if first.values[f"{column}_zh"] != values[f"{column}_zh"]:
                problems.append(f"{_display(row)}: {column}_zh: {values[f'{column}_zh']!r} is not the name "
                                f"of {column} {code} at {_display(first)}")
            catalogue.namesakes.setdefault((column, values[f"{column}_zh"]), {})[values["level"]] = code
        if values["level"] == SHUANGGAO_LEVEL:
            catalogue.majors_by_name[values["major_zh"]] = row


def _resolve_group_majors(registers, rows) -> None:
    """A 双高 major group names a 专科 major of the 2021 catalogue exactly, or is listed as not."""
    majors = registers.catalogue.majors_by_name
    if not majors:
        return
    for row in rows:
        for number, name in enumerate(major_groups(row), start=1):
            if name in majors:
                registers.group_majors[(row.number, number)] = majors[name]
            else:
                registers.notes.append(f"{_display(row)}: major group {name!r} is no 专科 major of the 2021 "
                                       "catalogue by that name, and no crosswalk row ties it to one")


# Where a page names the Chinese partners of a workshop: several joined by 、, then, in
# brackets, what the page adds (an enterprise, "jointly").
PARTNER_SEPARATOR = "、"
PARTNER_REMARK = " ("


def _resolve_workshops(registers, rows, places, links, institutions, codes_by_name, by_2017_name,
                       problems) -> None:
    """Each workshop's country is a country of places.csv; its partners, schools of the lists.

    A partner is found by its name in the 2025 or the 2017 list, or by the English name of its
    accepted ROR record, which the English news pages use.
    """
    countries = {place.values["label_zh"]: place.key for place in places
                 if place.values["class"] == "Country"}
    by_name = dict(codes_by_name)
    by_name |= {name: row.values["moe_code"] for name, row in by_2017_name.items()
                if row.values["status"] == "both"}
    prefix = TABLES[INSTITUTIONS].id_prefix
    by_name |= {link.values["name"]: link.key.removeprefix(prefix) for link in links
                if link.values["target"] == "ror" and link.values["name"] and link.key.startswith(prefix)
                and link.key.removeprefix(prefix) in institutions}
    for row in rows:
        country = row.values["host_country_zh"]
        if country not in countries:
            problems.append(f"{_display(row)}: host_country_zh: {country!r} is no country of "
                            f"{TABLES['places'].display}")
            continue
        named = (row.values["chinese_partner"] or "").split(PARTNER_REMARK)[0]
        names = [name for name in named.split(PARTNER_SEPARATOR) if name]
        unlisted = tuple(name for name in names if name not in by_name)
        registers.workshops[row.number] = Workshop(countries[country], tuple(by_name[name] for name in names
                                                                            if name in by_name), unlisted)
        registers.notes += [f"{_display(row)}: Chinese partner {name!r} is the name of no school in the "
                            "lists or in its ROR record; it is kept as the page names it"
                            for name in unlisted]


def _check_mentions(registers, rows, institutions, problems) -> None:
    """A school the report names is named there as in the 2025 or the 2017 list."""
    for row in rows:
        if not row.values["institution"] or not row.values["name_zh"]:
            continue
        code = row.values["institution"][0].removeprefix(TABLES[INSTITUTIONS].id_prefix)
        names = {institutions[code].values["name_zh"]} if code in institutions else set()
        if code in registers.former_names:
            names.add(registers.former_names[code].values["name_2017"])
        if row.values["name_zh"] not in names:
            problems.append(f"{_display(row)}: name_zh: {row.values['name_zh']!r} is not a name of "
                            f"{row.values['institution'][0]} in the registers")


def institution_level(code: str, row: Row, registers: Registers) -> str:
    """The id of the education level at which the list says the school teaches."""
    return VOCATIONAL_BACHELOR_LEVEL if code in registers.vocational_bachelor else LEVELS[row.values["level"]]


def major_groups(row: Row) -> list[str]:
    """The major groups of a 双高 unit: one for a group unit, those it lists for a school."""
    return [name for name in (row.values["major_group_zh"] or "").split(GROUP_SEPARATOR) if name]
