"""Where a quotation opens and closes, in books that quote with single marks and write their
apostrophes with the same mark that closes a quote."""

from hypothesis import given
from hypothesis import strategies as st

from audiobook.agents.quotes import PAIRED, QuoteStyle, detect_style, find_quotes

SINGLE = QuoteStyle("single")
WORDS = st.text(alphabet="abc ,.?!", max_size=20)


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text, SINGLE)]


def test_an_apostrophe_after_a_letter_does_not_close_the_quote():
    assert quoted("‘I ha’ coom to ask yo, sir, how I am to be ridded o’ this woman.’") == [
        "I ha’ coom to ask yo, sir, how I am to be ridded o’ this woman."
    ]
    assert quoted("‘You have one of those strollers’ children in the school.’ said he.") == [
        "You have one of those strollers’ children in the school."
    ]
    assert quoted("‘For goodness’ sake, girl,’ said Mrs. Gradgrind, ‘be quiet.’") == [
        "For goodness’ sake, girl,",
        "be quiet.",
    ]


def test_a_quote_may_close_after_a_letter_when_nothing_else_closes_it():
    assert quoted("‘Yes’ said he, ‘and no.’") == ["Yes", "and no."]
    assert quoted("They shouted ‘Off with his head’") == ["Off with his head"]


def test_an_apostrophe_set_the_wrong_way_round_opens_nothing():
    assert quoted("‘They all can,’ said the Duchess; ‘and most of ‘em do.’") == [
        "They all can,",
        "and most of ‘em do.",
    ]


def test_plain_text_books_quote_with_straight_single_marks():
    paragraphs = [
        "'I can't help it,' said Alice, 'I'm growing.'",
        "'You've no right to grow here,' said the Dormouse. 'Don't talk o' that.'",
        "The boys' hats were off. 'Goin' home, are ye?' said he.",
    ]
    assert detect_style(paragraphs) == SINGLE
    assert [quoted(p) for p in paragraphs] == [
        ["I can't help it,", "I'm growing."],
        ["You've no right to grow here,", "Don't talk o' that."],
        ["Goin' home, are ye?"],
    ]


def test_apostrophes_do_not_make_a_double_quote_book_single():
    paragraphs = ["\"I ain't goin' nowhere,\" said Berry. \"'Tain't right, 'em folks.\""] * 5
    assert detect_style(paragraphs) == QuoteStyle("double")


def test_guillemets_and_german_marks_are_quotes_of_their_own():
    books = {
        "guillemets": ["« Bonjour, Jean », dit Pierre.", "Il demanda : « Où vas-tu ? »"],
        "reversed-guillemets": ["»Guten Tag, Hans«, sagte Peter.", "»Wohin?« fragte er."],
        "low": ["„Guten Tag, Hans“, sagte Peter.", "„Nach ‚Hause‘.“ Er ging."],
    }
    found = {}
    for style, paragraphs in books.items():
        assert detect_style(paragraphs * 3) == QuoteStyle(style)
        found[style] = [
            [p[q.start : q.end].strip() for q in find_quotes(p, QuoteStyle(style))]
            for p in paragraphs
        ]
    assert found == {
        "guillemets": [["Bonjour, Jean"], ["Où vas-tu ?"]],
        "reversed-guillemets": [["Guten Tag, Hans"], ["Wohin?"]],
        "low": [["Guten Tag, Hans"], ["Nach ‚Hause‘."]],
    }


def test_a_quote_in_guillemets_may_run_on_into_the_next_paragraph():
    paragraphs = ["« Je ne sais pas. Il faut voir.", "» Peut-être demain. »", "« Oui », dit-il."]
    assert detect_style(paragraphs * 2) == QuoteStyle("guillemets")
    quotes = [find_quotes(p, QuoteStyle("guillemets")) for p in paragraphs]
    assert [
        [(p[q.start : q.end].strip(), q.open_at_end) for q in qs]
        for p, qs in zip(paragraphs, quotes, strict=True)
    ] == [
        [("Je ne sais pas. Il faut voir.", True)],
        [("Peut-être demain.", False)],
        [("Oui", False)],
    ]


def test_the_words_that_say_who_speaks_are_no_part_of_a_quote_in_guillemets():
    text = "« Je ne sais pas, dit-il, il faut voir. » Il partit."
    assert [text[q.start : q.end].strip() for q in find_quotes(text, QuoteStyle("guillemets"))] == [
        "Je ne sais pas,",
        "il faut voir.",
    ]


@given(
    st.sampled_from(sorted(PAIRED)),
    st.lists(st.tuples(WORDS, WORDS), min_size=1, max_size=5),
)
def test_paired_marks_give_back_every_quote_between_them(style, pieces):
    opening, closing = PAIRED[style][0][0], PAIRED[style][1][0]
    text = " ".join(f"{narration} {opening}{speech}{closing}" for narration, speech in pieces)
    found = [text[q.start : q.end] for q in find_quotes(text, QuoteStyle(style))]
    assert found == [speech for _, speech in pieces if speech.strip()]


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
# Words as dialect and possessives write them: "wi’", "goin’", "boys’".
CLIPPED = WORD.map(lambda w: w + "’")


@given(
    st.lists(st.one_of(WORD, CLIPPED), min_size=1, max_size=12),
    st.sampled_from([",", ".", "!", "?"]),
    st.sampled_from(["said Tom.", "Tom said, ‘and so it is.’", ""]),
)
def test_speech_ending_in_punctuation_is_found_whole_whatever_its_apostrophes(words, stop, after):
    speech = " ".join(words) + stop
    assert quoted(f"‘{speech}’ {after}")[0] == speech


@given(st.text(alphabet=st.sampled_from(list("ab .,\n'\"-—(")), max_size=200))
def test_the_benchmark_retypesets_marks_one_for_one(text):
    """benchmarks/quote_marks.py rewrites PDNC's marks in place, so the annotated spans hold."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from quote_marks import STYLES, retypeset

    for marks in filter(None, STYLES.values()):
        out = retypeset(text, *marks)
        assert len(out) == len(text)
        assert all(b in "".join(marks) for a, b in zip(text, out, strict=True) if a in "'\"")
        assert all(a == b for a, b in zip(text, out, strict=True) if a not in "'\"")
