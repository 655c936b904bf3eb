"""The search-quality query set: what readers type, and the records that answer it.

Written from the real content (`content/`), the valid fixture (`tests/fixtures/valid/`) and
the fictional records of `search_library` they are searched among, as readers type: phrases
of two to six words and plain questions more than single words, lower case, misspelt, in US
spellings and acronyms, and about topics no record covers. Every query written is kept, found
or not, by our page or by stock Pagefind. Each query names the records any of
which answers it, by id, or a term (`methods=survey`: every record carrying it); a query with
none is a word in no record, whose right answer is the no-results help. `needs_aliases` marks
the queries only a taxonomy term's aliases can answer (NHSE for NHS England).
"""

from __future__ import annotations

from dataclasses import dataclass

NHS = "nhs-england-co-production-literature-review"
SCIE = "scie-co-production-in-social-care"
VALUE = "value-of-co-production"
PEER = "peer-support-evaluation"
BUDGET = "shared-budget-pilot"
YOUTH = "youth-panel-interviews"
PLACES = ("northmere", "calder-vale", "easthope", "westmarsh")  # search_library.PLACES, as slugs
CARERS = tuple(f"breaks-for-unpaid-carers-{place}" for place in PLACES)
LONELINESS = tuple(f"day-services-for-older-people-{place}" for place in PLACES)
CRISIS = tuple(f"mental-health-crisis-care-{place}" for place in PLACES)


@dataclass(frozen=True)
class Query:
    text: str
    category: str
    expected: tuple[str, ...]
    needs_aliases: bool = False


def _q(category: str, text: str, *expected: str, needs_aliases: bool = False) -> Query:
    return Query(text, category, expected, needs_aliases)


QUERIES = (
    # author surnames, with the words readers add to them
    _q("surname", "mukoro", NHS),
    _q("surname", "felix mukoro literature review", NHS),
    _q("surname", "mukoro co-production quality", NHS),
    _q("surname", "report by dr mukoro", NHS),
    _q("surname", "alex example peer support", PEER),
    _q("surname", "sam sample survey", PEER),
    _q("surname", "jo example youth panel", YOUTH),
    _q("surname", "papers by mukoro on patient experience", NHS),
    # organisations, their acronyms, and what readers ask of them
    _q("organisation", "nhs england co-production", NHS),
    _q("organisation", "NHSE literature review", NHS, needs_aliases=True),
    _q("organisation", "nhse patient experience", NHS, needs_aliases=True),
    _q("organisation", "scie guide", SCIE),
    _q("organisation", "social care institute for excellence co-production", SCIE),
    _q("organisation", "SCIE guide 51", SCIE),
    _q("organisation", "ucl value of co-production", VALUE),
    _q("organisation", "co-production collective research", VALUE),
    _q("organisation", "university college london study", VALUE),
    _q("organisation", "sample borough council budget", BUDGET),
    _q("organisation", "example trust survey", PEER),
    _q("organisation", "KEI improvement directorate", NHS),
    _q("organisation", "EBCD always events", NHS),
    # spelling: US spellings, hyphen and space variants of co-production and co-design
    _q("spelling", "coproduction social care", SCIE),
    _q("spelling", "co production value research", VALUE),
    _q("spelling", "co\u2013produced guide", SCIE),
    _q("spelling", "experience based codesign", NHS),
    _q("spelling", "co design patient experience", NHS),
    _q("spelling", "organizations putting coproduction into practice", SCIE),
    _q("spelling", "organizational requirements quality improvement", NHS),
    _q("spelling", "prioritize patient experience", NHS),
    _q("spelling", "recognizing everyone has assets", SCIE),
    _q("spelling", "coproduced social care guide", SCIE),
    _q("spelling", "Co-Production Collective UCL", VALUE),
    # word forms other than the record's
    _q("word form", "empowered by co-production", VALUE),
    _q("word form", "empowering people", VALUE),
    _q("word form", "reciprocal relationships", "principles=reciprocity"),
    _q("word form", "evaluating a peer support network", PEER),
    _q("word form", "interviewed young people", YOUTH),
    _q("word form", "duplicating services", BUDGET),
    _q("word form", "budgeting with residents", BUDGET),
    _q("word form", "confident members", PEER),
    _q("word form", "chairing meetings", YOUTH),
    _q("word form", "listening to young people", YOUTH),
    _q("word form", "improving healthcare services", NHS),
    # questions, as commissioners and practitioners ask them
    _q("question", "what is co-production in social care", SCIE),
    _q("question", "does co-production save money", "benefits=efficiency"),
    _q("question", "how to involve unpaid carers", *CARERS),
    _q("question", "what value does co-production bring", VALUE),
    _q("question", "what are the principles of co-production", SCIE),
    _q("question", "does co-production improve clinical outcomes", NHS),
    _q("question", "how can patient experience improve services", NHS),
    _q("question", "is co-production cost effective", "benefits=efficiency"),
    _q("question", "how do councils plan budgets with residents", BUDGET),
    _q("question", "what do young people get out of a service design panel", YOUTH),
    _q("question", "do peer support networks reduce loneliness", PEER, *LONELINESS),
    _q("question", "why involve people with lived experience", NHS, *CRISIS),
    _q("question", "how do you measure the value of co-production", VALUE),
    _q("question", "what evidence is there on the costs of co-production", SCIE),
    _q("question", "can co-production tackle social injustice", VALUE),
    # topics only in a record's body or findings
    _q("body", "touchpoints", NHS),
    _q("body", "always events", NHS),
    _q("body", "lived and learnt experience", NHS),
    _q("body", "online survey 573 responses", VALUE),
    _q("body", "rapid critical review of academic studies", VALUE),
    _q("body", "human inclusive transparent challenging values", VALUE),
    _q("body", "making the case to commissioners and funders", VALUE),
    _q("body", "jigsaw model culture structure practice review", SCIE),
    _q("body", "instrumental and intrinsic benefits", SCIE),
    _q("body", "economics of co-production", SCIE),
    _q("body", "twelve panel members", YOUTH),
    _q("body", "new friendships", PEER),
    _q("body", "lower running costs", BUDGET),
    # typing slips
    _q("typo", "mukuro", NHS),
    _q("typo", "reciprocty", "principles=reciprocity"),
    _q("typo", "touchponts", NHS),
    _q("typo", "inconclusve evidence on costs", SCIE),
    _q("typo", "social care institue for excellence", SCIE),
    _q("typo", "co-producton collective", VALUE),
    _q("typo", "interveiws with young people", YOUTH),
    _q("typo", "duplicatd services", BUDGET),
    _q("typo", "peer suport network", PEER),
    _q("typo", "jigsow model", SCIE),
    _q("typo", "empowerement", "benefits=empowerment"),
    _q("typo", "literture review", "methods=literature-review"),
    _q("typo", "accessability", "principles=accessibility"),
    # methods
    _q("method", "literature review", "methods=literature-review"),
    _q("method", "surveys of members", "methods=survey"),
    _q("method", "practice guide", SCIE),
    _q("method", "pilot projects", "methods=pilot-projects"),
    _q("method", "interviews with young people", YOUTH),
    _q("method", "case studies", "methods=case-studies"),
    _q("method", "systematic review of co-production", "methods=literature-review"),
    _q("method", "evaluation of peer support", PEER),
    # title fragments
    _q("title", "value of co-production", VALUE),
    _q("title", "co-production in social care what it is", SCIE),
    _q("title", "improve the quality of services", NHS),
    _q("title", "people's experience of care", NHS),
    _q("title", "shared budget pilot", BUDGET),
    _q("title", "youth panel interviews", YOUTH),
    _q("title", "value of coproduction research project", VALUE),
    _q("title", "how to do co-production", SCIE),
    # words in no record: the right answer is the no-results help
    _q("absent", "asthma"),
    _q("absent", "tobacco cessation"),
    _q("absent", "dementia"),
    _q("absent", "homelessness"),
    _q("absent", "blockchain"),
    _q("absent", "okonkwo"),
    _q("absent", "diabetes prevention"),
    _q("absent", "asthma inhalers"),
    _q("absent", "autism support"),
    _q("absent", "dementia care homes"),
)
