"""The search-quality query set: what readers type, and the records that answer it.

Written from the real content (`content/`) and the valid fixture (`tests/fixtures/valid/`),
searched among the fictional records of `search_library`. Each query names the records any of
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


@dataclass(frozen=True)
class Query:
    text: str
    category: str
    expected: tuple[str, ...]
    needs_aliases: bool = False


def _q(category: str, text: str, *expected: str, needs_aliases: bool = False) -> Query:
    return Query(text, category, expected, needs_aliases)


QUERIES = (
    # author surnames and names
    _q("surname", "Mukoro", NHS),
    _q("surname", "Felix Mukoro", NHS),
    _q("surname", "Dr Felix Mukoro literature review", NHS),
    _q("surname", "mukoro co-production", NHS),
    _q("surname", "Alex Example", PEER),
    _q("surname", "Sam Sample", PEER),
    _q("surname", "Jo Example", YOUTH),
    # organisations and acronyms
    _q("organisation", "NHS England", NHS),
    _q("organisation", "Social Care Institute for Excellence", SCIE),
    _q("organisation", "SCIE", SCIE),
    _q("organisation", "Co-Production Collective", VALUE),
    _q("organisation", "University College London", VALUE),
    _q("organisation", "UCL", VALUE),
    _q("organisation", "UCL co-production research", VALUE),
    _q("organisation", "Sample Borough Council", BUDGET, YOUTH),
    _q("organisation", "Example Trust", PEER, YOUTH),
    _q("organisation", "Knowledge and Evaluation for Improvement", NHS),
    _q("organisation", "KEI", NHS),
    _q("organisation", "Improvement Directorate", NHS),
    _q("organisation", "EBCD", NHS),
    _q("organisation", "SCIE guide 51", SCIE),
    _q("organisation", "NHSE", NHS, needs_aliases=True),
    _q("organisation", "NHSE co-production review", NHS, needs_aliases=True),
    # spelling and hyphen variants
    _q("spelling", "coproduction in social care", SCIE),
    _q("spelling", "co production social care", SCIE),
    _q("spelling", "co\u2013production value", VALUE),
    _q("spelling", "Coproduction Collective", VALUE),
    _q("spelling", "how organizations put co-production into practice", SCIE),
    _q("spelling", "organizational requirements", NHS),
    _q("spelling", "recognizing that everyone has assets", SCIE),
    _q("spelling", "prioritize patient experience", NHS),
    _q("spelling", "experience based codesign", NHS),
    _q("spelling", "co-designed improvement", NHS),
    # word forms
    _q("word form", "empowered", VALUE),
    _q("word form", "empowering people", VALUE),
    _q("word form", "reciprocal", SCIE),
    _q("word form", "evaluating peer support", PEER),
    _q("word form", "interviewing young people", YOUTH),
    _q("word form", "duplication of services", BUDGET),
    _q("word form", "budgets", BUDGET),
    _q("word form", "confidence", PEER),
    _q("word form", "chair meetings", YOUTH),
    _q("word form", "listening to young people", YOUTH),
    # questions
    _q("question", "what is co-production in social care", SCIE),
    _q("question", "what value does co-production bring", VALUE),
    _q("question", "which principles are critical for co-production", SCIE),
    _q("question", "what are the four principles of co-production", SCIE),
    _q("question", "does co-production improve clinical outcomes", NHS),
    _q("question", "how is patient experience used to improve services", NHS),
    _q("question", "does co-production reduce costs", SCIE, BUDGET),
    _q("question", "how can a council plan a care budget with residents", BUDGET),
    _q("question", "what do young people gain from a service design panel", YOUTH),
    _q("question", "do members of a peer support network feel less alone", PEER),
    _q("question", "is there evidence on the costs of co-production", SCIE),
    # topics only in a record's body or findings
    _q("body", "touchpoints", NHS),
    _q("body", "Always Events", NHS),
    _q("body", "lived and learnt experience", NHS),
    _q("body", "573 responses online survey", VALUE),
    _q("body", "rapid critical review of academic studies", VALUE),
    _q("body", "human inclusive transparent challenging", VALUE),
    _q("body", "commissioners boards funders", VALUE),
    _q("body", "jigsaw", SCIE),
    _q("body", "culture structure practice review", SCIE),
    _q("body", "economics", SCIE),
    _q("body", "twelve panel members", YOUTH),
    _q("body", "new friendships", PEER),
    _q("body", "lower running costs", BUDGET),
    # typing slips
    _q("typo", "Mukoru", NHS),
    _q("typo", "reciprocty", SCIE),
    _q("typo", "touchponts", NHS),
    _q("typo", "inconclusve evidence", SCIE),
    _q("typo", "excellance", SCIE),
    _q("typo", "colective value", VALUE),
    _q("typo", "interveiws with young people", YOUTH),
    _q("typo", "duplicatd services", BUDGET),
    _q("typo", "frienships", PEER),
    _q("typo", "jigsow", SCIE),
    # methods
    _q("method", "literature review", "methods=literature-review"),
    _q("method", "survey", "methods=survey"),
    _q("method", "practice guide", SCIE),
    _q("method", "pilot projects", "methods=pilot-projects"),
    _q("method", "interviews", YOUTH),
    _q("method", "case studies and stories", "methods=case-studies"),
    # title fragments
    _q("title", "value of co-production", VALUE),
    _q("title", "co-production in social care", SCIE),
    _q("title", "improve the quality of services", NHS),
    _q("title", "people's experience of care", NHS),
    _q("title", "shared budget", BUDGET),
    _q("title", "youth panel", YOUTH),
    _q("title", "peer support network", PEER),
    _q("title", "research project", VALUE),
    # words in no record
    _q("absent", "asthma"),
    _q("absent", "tobacco"),
    _q("absent", "dementia"),
    _q("absent", "homelessness"),
    _q("absent", "blockchain"),
    _q("absent", "Okonkwo"),
    _q("absent", "diabetes prevention"),
    _q("absent", "asthma inhalers"),
)
