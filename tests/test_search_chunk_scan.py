"""A word chunk's words are read by stepping over its page lists, and agree with a full decode."""

from __future__ import annotations

import gzip
import random
from typing import Any

import cbor2
import pytest

from coprod_site.search.canonical import SIGNATURE
from coprod_site.search.chunk_scan import chunk_words
from coprod_site.search.verify import _chunk

_NUMBERS = (0, 1, 23, 24, 255, 256, 65_535, 65_536, 2**32 - 1, 2**32, 2**40)


def _random_entries(rng: random.Random, count: int) -> list[list[Any]]:
    """`count` words as Pagefind writes them, with integers of every CBOR width, positive and
    negative, page lists of every array head width, and words long and short, some not ASCII."""
    entries = []
    for number in range(count):
        stem = rng.choice(["a", "zoë", "évaluation", "x" * 30, "y" * 300, "中文"])
        pages = [[rng.choice(_NUMBERS),
                  [rng.choice(_NUMBERS) * rng.choice((1, -1)) for _ in range(rng.randrange(30))],
                  [rng.choice(_NUMBERS) for _ in range(rng.randrange(3))]]
                 for _ in range(rng.choice((0, 1, 2, 24, 300)))]
        entries.append([f"{stem}{number:05d}", pages, []])
    return entries


def _plain(entries: list[list[Any]]) -> bytes:
    return SIGNATURE + cbor2.dumps([entries])


@pytest.mark.parametrize("seed", range(5))
def test_the_words_read_by_stepping_are_those_of_a_full_decode(seed: int) -> None:
    entries = _random_entries(random.Random(seed), 40)
    found = chunk_words(_plain(entries), len(SIGNATURE))
    assert found == [(word, bool(pages)) for word, pages, _ in entries]


def test_a_chunk_of_another_shape_is_left_to_the_full_decode() -> None:
    entries: list[list[Any]] = [["yard", [[1, [-121, 3], []]], []],
                                ["zoe", [], [["zoë", [[2, [-121, 32], []]]]]]]
    assert chunk_words(_plain(entries), len(SIGNATURE)) is None, "a word with variants"
    plain = _plain(_random_entries(random.Random(7), 5))
    assert chunk_words(plain[:-1], len(SIGNATURE)) is None, "cut short"
    assert chunk_words(plain + b"\x00", len(SIGNATURE)) is None, "a byte after the end"
    assert chunk_words(SIGNATURE + b"\x81\x9f\xff", len(SIGNATURE)) is None, "an indefinite-length array"
    assert chunk_words(SIGNATURE + b"\x81\x81\x83\x62\xff\xfe\x80\x80", len(SIGNATURE)) is None, "not UTF-8"
    text_location = SIGNATURE + b"\x81\x81\x83\x62ab\x81\x83\x01\x81\x61\x80\x80"
    assert chunk_words(text_location, len(SIGNATURE)) is None, "a page location that is not an integer"


def test_a_chunk_reads_the_same_by_either_route() -> None:
    """The words Pagefind gave pages and those added with none, whether the chunk is stepped
    through or (holding a word with variants) decoded whole."""
    own = [["able", [[3, [-121, 7], [4]]], []], ["abbey", [[0, [2**20], []]], []]]
    shared = [["abc", [], []], ["abd", [], []]]
    stepped = _chunk("en_0123456", gzip.compress(_plain(own + shared), mtime=0))
    assert (stepped.own, stepped.added) == (("able", "abbey"), ("abc", "abd"))
    variant = [["abbot", [], [["abbôt", [[1, [5], []]]]]]]
    decoded = _chunk("en_0123456", gzip.compress(_plain(own + variant + shared), mtime=0))
    assert (decoded.own, decoded.added) == (("able", "abbey", "abbot"), ("abc", "abd"))
    assert stepped.start == decoded.start
