"""Read the words of a Pagefind word chunk without decoding its page lists.

A chunk (`index/*.pf_index`, once decompressed and past its signature) is the CBOR of
`[[[word, pages, variants], ...]]`, where each page is `[page, locations, meta locations]` and the
locations are integers. The page lists are nearly all of a chunk's bytes (millions of integers in a
large library), and the build needs only each word and whether it has pages: decoding the whole
chunk into Python objects was most of the time spent reading a bundle. So the chunk is walked word
by word here, and a word's page list is stepped over by one regular expression of CBOR's integer
and array heads, which `re` runs in C without making an object.

The walk accepts only the shape this version of Pagefind writes (definite lengths, no variants) and
checks that every byte belongs to it, up to the chunk's end; anything else (a word with variants, a
cut or unknown chunk) gives None, and the caller decodes the chunk whole, as before, which either
reads it or says why it cannot. The item counts of the page lists are not compared with their
contents: gzip's checksum has already shown that the bytes are the ones Pagefind wrote.
"""

from __future__ import annotations

import re

_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....|[\x1b\x3b]........)"
_UINT = rb"(?:[\x00-\x17]|\x18.|\x19..|\x1a....|\x1b........)"
_ARRAY = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a....|\x9b........)"
_PAGE = rb"\x83" + _UINT + _ARRAY + _INT + rb"*+" + _ARRAY + _INT + rb"*+"
_PAGES_AND_NO_VARIANTS = re.compile(_ARRAY + rb"(" + _PAGE + rb")?(?:" + _PAGE + rb")*+\x80", re.DOTALL)
_ARRAY_MAJOR, _TEXT_MAJOR = 4, 3


def chunk_words(plain: bytes, at: int) -> list[tuple[str, bool]] | None:
    """Each word of the chunk whose CBOR starts at `at` of `plain`, in order, with whether it has
    pages; None when the chunk is not in the shape described above."""
    try:
        if plain[at] != 0x81:
            return None
        count, at = _head(plain, at + 1, _ARRAY_MAJOR)
        words = []
        for _ in range(count):
            if plain[at] != 0x83:
                return None
            length, at = _head(plain, at + 1, _TEXT_MAJOR)
            rest = _PAGES_AND_NO_VARIANTS.match(plain, at + length)
            if rest is None:
                return None
            words.append((plain[at:at + length].decode("utf-8"), rest[1] is not None))
            at = rest.end()
    except (IndexError, ValueError):  # cut short, or a word that is not UTF-8
        return None
    return words if at == len(plain) else None


def _head(data: bytes, at: int, major: int) -> tuple[int, int]:
    """The argument of the CBOR head of type `major` at `at`, and where its content starts."""
    initial = data[at]
    low = initial & 0x1F
    if initial >> 5 != major or low > 27:
        raise ValueError("not a definite-length head of that type")
    if low < 24:
        return low, at + 1
    size = 1 << (low - 24)
    if at + 1 + size > len(data):
        raise IndexError("cut short")
    return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size
