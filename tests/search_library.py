"""The library the search-quality test searches: the real content and the valid fixture's
records together, among fictional records on other topics.

Six records alone would make any search look good (every page is in the top five), so the
query set's targets sit among `DISTRACTORS` fictional records about other co-production work.
These share the library's common words (co-production, people, services, experience, equal
partners, efficiency...) as real records would, and none holds a word of the query set's
words-in-no-record category. Their organisations are fictional and added to the real
organisations taxonomy, as are the fixture's own terms the real taxonomies lack.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import FIXTURE_CONTENT, REAL_CONTENT

# (topic for the title, who took part, what they changed, a finding, a word of its own)
TOPICS = (
    ("housing repairs", "tenants", "how repair requests are reported and tracked",
     "Repairs were finished sooner once tenants helped set the order of work.", "plumbing"),
    ("mental health crisis care", "people with lived experience of crisis",
     "the crisis line's evening service",
     "Callers said staff understood them better after the shared training.", "helpline"),
    ("hospital discharge", "patients and their families", "the discharge checklist on two wards",
     "Fewer patients went home without the equipment they needed.", "wheelchair"),
    ("maternity services", "parents and midwives", "antenatal classes and the information leaflets",
     "Parents said the new classes answered the questions they really had.", "midwifery"),
    ("library services", "residents and library staff", "opening hours and the activities on offer",
     "More families used the libraries at weekends.", "bookshelves"),
    ("bus routes", "passengers and drivers", "the timetable of three rural routes",
     "Passengers said the new timetable fitted their working hours.", "timetable"),
    ("school meals", "pupils, parents and cooks", "the lunch menu of four primary schools",
     "More pupils ate a school lunch after the menu changed.", "canteen"),
    ("breaks for unpaid carers", "unpaid carers", "how short breaks are booked",
     "Carers said booking a break had become simpler.", "respite"),
    ("parks and green spaces", "local residents", "the planting and paths of a neighbourhood park",
     "Residents said they felt safer walking in the park.", "gardening"),
    ("day services for older people", "older people and day centre staff",
     "the weekly programme of activities",
     "Attendance rose and members reported less loneliness.", "lunchtime"),
    ("drug and alcohol recovery", "people in recovery", "the peer mentoring scheme",
     "Mentors and mentees both said the scheme helped them stay well.", "mentoring"),
    ("digital health records", "patients and clinicians", "the wording of the online patient record",
     "Patients said they could understand their records without help.", "website"),
)
PLACES = ("Northmere", "Calder Vale", "Easthope", "Westmarsh")
METHODS = ("survey", "case-studies", "pilot-projects", "literature-review")
PRINCIPLES = ("equality", "diversity", "accessibility", "reciprocity")
BENEFITS = ("improved-experience", "efficiency", "empowerment", "connection", "outcomes-that-matter",
            "community-wellbeing")
DISTRACTORS = len(TOPICS) * len(PLACES)

# Terms of the fixture records that the real taxonomies lack.
FIXTURE_TERMS = {
    "organisations": [
        {"id": "example-trust", "name": "Example Trust", "description": "A fictional charity used in tests."},
        {"id": "sample-council", "name": "Sample Borough Council",
         "description": "A fictional local authority used in tests."},
    ],
    "methods": [
        {"id": "interviews", "name": "Interviews", "description": "Conversations with people who took part."},
    ],
}


def _slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def _place_term(place: str) -> dict[str, str]:
    return {"id": f"{_slug(place)}-partnership", "name": f"{place} Health and Care Partnership",
            "description": f"A fictional partnership of services in {place}, used in tests."}


def _distractor(number: int, topic: tuple[str, str, str, str, str], place: str) -> str:
    subject, who, what, finding, own = topic
    front = {
        "title": f"Co-producing {subject} in {place}",
        "year": 2014 + number % 11,
        "url": f"https://example.org/{_slug(place)}/{number}",
        "summary": (f"{who.capitalize()} and staff in {place} redesigned {what} as equal partners. "
                    f"The project reports a better experience of services for the people involved."),
        "findings": [
            finding,
            "People who took part said working with staff as equals was new to them.",
            f"Staff said the {own} changes took longer to agree but lasted.",
        ],
        "organisations": [_place_term(place)["id"]],
        "methods": [METHODS[number % len(METHODS)]],
        "principles": [PRINCIPLES[number % len(PRINCIPLES)], "equality"] if number % 4 else ["equality"],
        "benefits": [BENEFITS[number % len(BENEFITS)], BENEFITS[(number + 2) % len(BENEFITS)]],
        "added": f"2026-0{1 + number % 9}-1{number % 10}",
    }
    body = (f"## What the project looked at\n\n{who.capitalize()} worked with staff in {place} to change "
            f"{what}. Meetings were held in the evening so more people could come, and everyone who "
            f"took part was paid for their time.\n\n## What it found\n\n- {finding}\n- The people involved "
            f"said they were listened to and that their experience was valued.\n- Running the service "
            f"cost about the same as before.\n\n## Why it matters for co-production\n\nThe project shows "
            f"co-production in {subject} working at a local level, with people and professionals "
            f"sharing decisions.\n")
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + body


def make_search_library(base: Path) -> Path:
    """Write the library into `base`/content and return that folder."""
    content = base / "content"
    shutil.copytree(REAL_CONTENT, content)
    for record in sorted((FIXTURE_CONTENT / "evidence").glob("*.md")):
        shutil.copyfile(record, content / "evidence" / record.name)
    terms = {key: list(value) for key, value in FIXTURE_TERMS.items()}
    terms["organisations"] += [_place_term(place) for place in PLACES]
    for taxonomy, added in terms.items():
        path = content / "taxonomies" / f"{taxonomy}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["terms"] += added
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    number = 0
    for topic in TOPICS:
        for place in PLACES:
            number += 1
            name = f"{_slug(topic[0])}-{_slug(place)}.md"
            (content / "evidence" / name).write_text(_distractor(number, topic, place), encoding="utf-8")
    return content
