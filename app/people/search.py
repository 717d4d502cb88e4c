"""Finding people by name in the database's own text index, among only those a user may see.

Candidates come from the index — pg_trgm's word similarity on PostgreSQL, an FTS5 trigram table
on SQLite (migration 0009) — or from the sound of each word (metaphone, so "Carrie" finds
"Kerry" and a changed first letter is no obstacle); the access filter is inside that query, so a
common name never crowds out the user's own people. One ranking in Python orders them on both.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy.orm import Session, aliased

from app.people.models import FamilyMember, Person, Relationship
from app.people.names import fold, likeness, sound
from app.people.service import network_of as network_ids

Scored = list[tuple[Person, float]]
# How many candidates the index hands to the ranking, and how alike a name must be to be shown.
CANDIDATES = 200
ALIKE = 0.7
# PostgreSQL: how many words in people's names like each word typed are looked for.
ALIKE_WORDS = 12
# A user who may see up to this many children is searched among their ids (read first), not
# through a query over every case: a worker's or a team's view, whatever the council's size.
# Not more: each id is a parameter of several queries, and at 2,000 children that path took
# 365 ms on PostgreSQL where the index path took 24 ms (bench/search_scale.py, 2026-12-07).
NARROW = 200
# Whom a search may show: ids in hand (a narrow view), or a filter over Person (a wide one).
Among = Select[Any] | Sequence[int] | ColumnElement[bool]
FTS_TABLE = table("people_names", column("rowid"), column("rank"))
# A person's household and the other members of it: made once, since SQLAlchemy adapts an alias's
# columns when first used (a few milliseconds a search if made afresh each time).
MINE, THEIRS = aliased(FamilyMember), aliased(FamilyMember)


def scored_among(*, session: Session, person_ids: list[int], among: Among) -> Scored:
    query = select(Person).where(Person.id.in_(person_ids), _within(among))
    return [(person, 1.0) for person in session.scalars(query)]


def by_nhs_number(*, session: Session, number: str, among: Among) -> Scored:
    """The person with this NHS number (compact), if they are among `among`: an exact match."""
    query = select(Person).where(Person.nhs_number == number, Person.id.in_(among))
    return [(person, 1.0) for person in session.scalars(query.order_by(Person.id))]


def born_on(*, session: Session, day: date, among: Among, limit: int) -> Scored:
    query = select(Person).where(Person.date_of_birth == day, _within(among)).limit(limit)
    return [(person, 1.0) for person in session.scalars(query.order_by(Person.id))]


def by_name(*, session: Session, text: str, among: Among, limit: int) -> Scored:
    """People among `among` whose name is like `text` (misspellings allowed), best first.

    A narrow view (a worker's, a team's: the ids are in hand) is ranked whole, person by person,
    whatever the council's size; a wide one (an auditor's: a query) asks the text index first.
    """
    words = fold(text).split()
    if not words:
        return []
    if not isinstance(among, Select | ColumnElement):
        names = _names(session, select(Person.id, Person.search_name).where(Person.id.in_(among)))
    elif session.get_bind().dialect.name == "postgresql":
        names = _trigram_candidates(session, words, among)
    else:
        names = _fts_candidates(session, words, among)
    scored = [(pid, likeness(words, name), name) for pid, name in names.items()]
    best = sorted((s for s in scored if s[1] >= ALIKE), key=lambda s: (-s[1], s[2], s[0]))[:limit]
    found = {
        p.id: p for p in session.scalars(select(Person).where(Person.id.in_([s[0] for s in best])))
    }
    return [(found[pid], score) for pid, score, _ in best]


def _trigram_candidates(session: Session, words: list[str], among: Among) -> dict[int, str]:
    """Candidates among people the user may see (id → folded name): those with a word like each
    word typed, then (to fill up) like any, then those whose every word sounds like one typed
    (migration 0025).

    Each query is cut at CANDIDATES in SQL, and the access filter is asked of each person the
    word indexes hand over, so a wide view never lists everyone it may see first.
    """
    visible = _within(among)
    alike = [_alike_words(session, word) for word in words]
    found: dict[int, str] = {}
    for joined in (" & ", " | "):
        groups = [f"({' | '.join(group)})" for group in alike if group]
        if groups and len(found) < CANDIDATES:
            query = func.to_tsquery(literal_column("'simple'"), joined.join(groups))
            named = select(Person.id, Person.search_name).where(
                _as_words(Person.search_name).op("@@")(query), visible
            )
            found.update(_names(session, named.limit(CANDIDATES - len(found))))
    heard = " ".join(sound(w) for w in words if sound(w))
    if heard:  # "KR" and "WLX" both: Carrie Walsh for Kerry Walsh
        every = func.plainto_tsquery(literal_column("'simple'"), heard)
        sounding = select(Person.id, Person.search_name).where(
            _as_words(Person.name_sounds).op("@@")(every), visible
        )
        found.update(_names(session, sounding.limit(CANDIDATES)))
    return found


def _names(session: Session, query: Select[int, str]) -> dict[int, str]:
    """Person id → folded name, in the query's order: the candidates with what ranks them, read
    in the query that finds them rather than asked for again by a list of ids."""
    return {pid: name for pid, name in session.execute(query)}


def _as_words(column: Any) -> Any:
    return func.to_tsvector(literal_column("'simple'"), column)


def _alike_words(session: Session, word: str) -> list[str]:
    """Words in anyone's name like this one (trigram similarity), nearest first: a small table
    ("smith", "smyth", "smithe"…), kept by a trigger on people."""
    query = text(
        "SELECT word FROM name_words WHERE word % :word "
        "ORDER BY similarity(word, :word) DESC, word LIMIT :most"
    )
    return list(session.scalars(query, {"word": word, "most": ALIKE_WORDS}))


def _within(among: Among) -> ColumnElement[bool]:
    return among if isinstance(among, ColumnElement) else Person.id.in_(among)


def _fts_candidates(session: Session, words: list[str], among: Among) -> dict[int, str]:
    grams = sorted({w[i : i + 3] for w in words for i in range(len(w) - 2)})
    terms = [f'search_name : "{gram}"' for gram in grams]
    terms += [f'name_sounds : " {sound(w)} "' for w in words if sound(w)]
    match = literal_column("people_names").op("MATCH")(" OR ".join(terms))
    # Joined on "rowid + 0", not "rowid": a bare rowid is handed to FTS5, which then tries each
    # visible person against the MATCH one by one (26 s at 20,000 people, not 4 ms).
    query = (
        select(FTS_TABLE.c.rowid, Person.search_name)
        .join(Person, Person.id == FTS_TABLE.c.rowid + 0)
        .where(match, _within(among))
        .order_by(FTS_TABLE.c.rank)
        .limit(CANDIDATES)
    )
    return _names(session, query)


def named(query: Select[*tuple[Any, ...]], person_id: Any) -> Select[Any]:
    """`query` with the full name (`full_name`) of the person whose id `person_id` holds."""
    return query.join(Person, Person.id == person_id).add_columns(Person.full_name)


def visible_among(*, session: Session, children: Select[Any]) -> tuple[Among, Among]:
    """The children a user may see and the people in their networks: as lists of ids when the
    view is narrow, as queries (left to the database) when it is wide."""
    # Whether there is a child beyond NARROW, asked without fetching the first NARROW of them.
    if session.scalar(children.offset(NARROW).limit(1)) is not None:
        return children, in_network_of(children)
    ids = list(session.scalars(children))
    return ids, sorted(network_ids(session=session, person_ids=ids))


def in_network_of(children: Select[Any]) -> ColumnElement[bool]:
    """Whether a person is one of `children` or in their network (a household, a relationship),
    asked of each person on its own, each an index lookup, not by listing every visible child's
    network first, which grows with the council.

    Each EXISTS has an OFFSET 0 so PostgreSQL keeps it correlated: without it the planner turns
    it into a hashed set of every visible child's network (66 ms at 10,000 children), built in
    full before the nearest names are walked.
    """
    mine, theirs = MINE, THEIRS

    def one_of(who: Any) -> ColumnElement[bool]:
        return _one_of(who, children)

    housed = (
        select(mine.id)
        .join(theirs, theirs.family_id == mine.family_id)
        .where(mine.person_id == Person.id, one_of(theirs.person_id))
    )
    related = select(Relationship.id).where(
        Relationship.person_id == Person.id, one_of(Relationship.other_person_id)
    )
    relating = select(Relationship.id).where(
        Relationship.other_person_id == Person.id, one_of(Relationship.person_id)
    )
    return or_(
        one_of(Person.id),
        exists(housed.offset(0)),
        exists(related.offset(0)),
        exists(relating.offset(0)),
    )


def linked_among(*, session: Session, person_ids: list[int], others: Among) -> dict[int, set[int]]:
    """For each person, those of `others` in their network (a household or a relationship)."""
    mine, theirs = MINE, THEIRS
    housed = (
        select(mine.person_id, theirs.person_id)
        .join(theirs, mine.family_id == theirs.family_id)
        .where(mine.person_id.in_(person_ids), _one_of(theirs.person_id, others))
    )
    linked = select(Relationship.person_id, Relationship.other_person_id).where(
        Relationship.person_id.in_(person_ids), _one_of(Relationship.other_person_id, others)
    )
    linking = select(Relationship.other_person_id, Relationship.person_id).where(
        Relationship.other_person_id.in_(person_ids), _one_of(Relationship.person_id, others)
    )
    found: dict[int, set[int]] = defaultdict(set)
    for who, other in session.execute(union(housed, linked, linking)):
        if who != other:
            found[who].add(other)
    return found


def _one_of(who: Any, among: Among) -> ColumnElement[bool]:
    """`who` is among these ids, or (a wide view) one of the children a query selects, asked row
    by row: OFFSET 0 keeps PostgreSQL from hashing every visible child first (see above)."""
    if isinstance(among, Select):
        return exists(among.where(among.selected_columns[0] == who).offset(0))
    return among if isinstance(among, ColumnElement) else who.in_(among)
