"""What the listener hears: a table of normalisation cases (English and French) and properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.text.normalize import normalize, roman_to_int

EN = [
    # cardinals, decimals, grouping
    ("He had 3 apples.", "He had three apples."),
    ("There were 42 of them.", "There were forty-two of them."),
    ("It cost 1,000,000 pounds of effort.", "It cost one million pounds of effort."),
    (
        "A crowd of 12,345 people.",
        "A crowd of twelve thousand, three hundred and forty-five people.",
    ),
    ("Pi is 3.14 or so.", "Pi is three point one four or so."),
    ("Add 0.5 litres.", "Add zero point five litres."),
    ("Page 7 of 250", "Page seven of two hundred and fifty"),
    ("The 100 metres", "The one hundred metres"),
    ("Count to 10.", "Count to ten."),
    ("Only 0 left.", "Only zero left."),
    # years and decades
    ("It was 1865.", "It was eighteen sixty-five."),
    ("In 1066 the Normans came.", "In ten sixty-six the Normans came."),
    ("By 1900 it was over.", "By nineteen hundred it was over."),
    ("Since 2005 nothing.", "Since two thousand and five nothing."),
    ("Back in 2020, we stayed in.", "Back in twenty twenty, we stayed in."),
    ("From 1914–1918 war raged.", "From nineteen fourteen to nineteen eighteen war raged."),
    ("The 1990s were loud.", "The nineteen nineties were loud."),
    ("In the 1800s, travel was slow.", "In the eighteen hundreds, travel was slow."),
    ("The 80s again.", "The eighties again."),
    # ordinals
    ("The 1st day.", "The first day."),
    ("My 2nd try.", "My second try."),
    ("The 3rd man.", "The third man."),
    ("Her 21st birthday.", "Her twenty-first birthday."),
    ("The 100th visitor.", "The one hundredth visitor."),
    ("On 4th July.", "On fourth July."),
    # currency
    ("It cost $5.", "It cost five dollars."),
    ("Just $1.", "Just one dollar."),
    ("It cost $12.50 today.", "It cost twelve dollars and fifty cents today."),
    ("A fee of £3.", "A fee of three pounds."),
    ("Only £1.01 left.", "Only one pound and one penny left."),
    ("Pay €20 now.", "Pay twenty euros now."),
    ("A budget of $2.5 million.", "A budget of two point five million dollars."),
    ("It was $1,200.", "It was one thousand, two hundred dollars."),
    ("Worth ¥500.", "Worth five hundred yen."),
    # percentages
    ("About 45% agreed.", "About forty-five percent agreed."),
    ("Up 3.5% this year.", "Up three point five percent this year."),
    ("Fully 100 % sure.", "Fully one hundred percent sure."),
    # times
    ("Meet at 3:30 pm.", "Meet at three thirty p m."),
    ("Meet at 3:30 p.m. sharp.", "Meet at three thirty p m sharp."),
    ("At 10:05 am the bell rang.", "At ten oh five a m the bell rang."),
    ("By 7:00 all was quiet.", "By seven o'clock all was quiet."),
    ("The train left at 18:45.", "The train left at eighteen forty-five."),
    # roman numerals
    ("CHAPTER XII. The Trial", "CHAPTER twelve. The Trial"),
    ("Chapter IV", "Chapter four"),
    ("Book II, Part III", "Book two, Part three"),
    ("Henry VIII had six wives.", "Henry the Eighth had six wives."),
    ("Louis XIV built Versailles.", "Louis the Fourteenth built Versailles."),
    ("Charles I of England", "Charles the First of England"),
    ("Queen Elizabeth II spoke.", "Queen Elizabeth the Second spoke."),
    ("Pope Pius IX wrote.", "Pope Pius the Ninth wrote."),
    ("World War II ended.", "World War two ended."),
    ("Apollo XIII returned.", "Apollo thirteen returned."),
    ("John I think so.", "John I think so."),
    ("I went home. I slept.", "I went home. I slept."),
    ("XII. The last one", "twelve. The last one"),
    ("Malcolm X spoke.", "Malcolm X spoke."),
    # abbreviations and titles
    ("Mr. Darcy bowed.", "Mister Darcy bowed."),
    ("Mrs. Bennet sighed.", "Missus Bennet sighed."),
    ("Ms. Jones left.", "Miz Jones left."),
    ("Dr. Watson smiled.", "Doctor Watson smiled."),
    ("St. Paul's Cathedral", "Saint Paul's Cathedral"),
    ("He lived on Baker St. in London.", "He lived on Baker Street in London."),
    ("Prof. Moriarty", "Professor Moriarty"),
    ("Capt. Hook", "Captain Hook"),
    ("Col. Brandon", "Colonel Brandon"),
    ("Gen. Tilney", "General Tilney"),
    ("Rev. Collins", "Reverend Collins"),
    ("Martin Luther King Jr. spoke.", "Martin Luther King Junior spoke."),
    ("Fruit, e.g. apples.", "Fruit, for example apples."),
    ("The rest, i.e. the others.", "The rest, that is the others."),
    ("Pens, paper, etc. were sold.", "Pens, paper, et cetera were sold."),
    ("Cats vs. dogs", "Cats versus dogs"),
    ("See No. 5 on the list.", "See number five on the list."),
    ("Mt. Everest", "Mount Everest"),
    ("approx. ten", "approximately ten"),
    ("See p. 12.", "See page twelve."),
    # symbols
    ("Salt & pepper", "Salt and pepper"),
    ("Room #4", "Room number four"),
    ("It was 30°C outside.", "It was thirty degrees Celsius outside."),
    ("2 + 2 = 4", "two plus two equals four"),
    ("Ages 5-7 welcome.", "Ages five to seven welcome."),
    # URLs and e-mail
    (
        "Visit https://www.example.com/books today.",
        "Visit www dot example dot com slash books today.",
    ),
    ("Write to jane.doe@example.org please.", "Write to jane dot doe at example dot org please."),
    ("See www.gutenberg.org.", "See www dot gutenberg dot org."),
    # quotes, dashes, ellipses
    ("“Hello,” she said.", '"Hello," she said.'),
    ("‘Quite so,’ he said.", "'Quite so,' he said."),
    ("It’s mine.", "It's mine."),
    ("Wait—what?", "Wait, what?"),
    ("“Well—” she began.", '"Well," she began.'),
    ("And then… nothing.", "And then... nothing."),
    ("He paused — then went on.", "He paused, then went on."),
    ("A\u00a0non-breaking space", "A non-breaking space"),
    ("Odd  spacing   here", "Odd spacing here"),
    # plain text passes unchanged
    ("Alice was beginning to get very tired.", "Alice was beginning to get very tired."),
    ("Down the Rabbit-Hole", "Down the Rabbit-Hole"),
    ("221B Baker Street", "two hundred and twenty-one B Baker Street"),
]

FR = [
    ("Il avait 3 pommes.", "Il avait trois pommes."),
    ("Il y avait 42 chats.", "Il y avait quarante-deux chats."),
    ("Un total de 1 000 000 de personnes.", "Un total de un million de personnes."),
    ("Il mesure 3,5 mètres.", "Il mesure trois virgule cinq mètres."),
    ("En 1865, tout change.", "En mille huit cent soixante-cinq, tout change."),
    ("Le 1er mars.", "Le premier mars."),
    ("La 1re fois.", "La première fois."),
    ("Le 2e jour.", "Le deuxième jour."),
    ("Le 21e siècle.", "Le vingt et unième siècle."),
    ("Au XIXe siècle.", "Au dix-neuvième siècle."),
    ("Le XVe arrondissement", "Le quinzième arrondissement"),
    ("Louis XIV régnait.", "Louis quatorze régnait."),
    ("François Ier arriva.", "François premier arriva."),
    ("Henri IV fut roi.", "Henri quatre fut roi."),
    ("Chapitre IV", "Chapitre quatre"),
    ("Cela coûte 12 €.", "Cela coûte douze euros."),
    ("Cela coûte 12,50 €.", "Cela coûte douze euros cinquante centimes."),
    ("Un seul 1 €.", "Un seul un euro."),
    ("Environ 45 % des gens.", "Environ quarante-cinq pour cent des gens."),
    ("Rendez-vous à 14h30.", "Rendez-vous à quatorze heures trente."),
    ("À 8h précises.", "À huit heures précises."),
    ("M. Dupont arriva.", "Monsieur Dupont arriva."),
    ("Mme Lapin sortit.", "Madame Lapin sortit."),
    ("Mlle Flopsaut resta.", "Mademoiselle Flopsaut resta."),
    ("Dr Martin est là.", "Docteur Martin est là."),
    ("St Pierre", "Saint Pierre"),
    ("Des fruits, p. ex. des pommes.", "Des fruits, par exemple des pommes."),
    ("Du pain, du vin, etc.", "Du pain, du vin, et cetera"),
    ("Le n° 5 gagne.", "Le numéro cinq gagne."),
    ("Pierre & Jeannot", "Pierre et Jeannot"),
    ("« Bonjour », dit-il.", '" Bonjour ", dit-il.'),
    ("— Où vas-tu ? demanda-t-elle.", ", Où vas-tu ? demanda-t-elle."),
    ("Écrivez à jean@exemple.fr.", "Écrivez à jean arobase exemple point fr."),
    ("Les pages 5-7.", "Les pages cinq à sept."),
    ("Il était une fois quatre petits lapins.", "Il était une fois quatre petits lapins."),
]


@pytest.mark.parametrize(("text", "spoken"), EN)
def test_english(text, spoken):
    assert normalize(text, "en") == spoken


@pytest.mark.parametrize(("text", "spoken"), FR)
def test_french(text, spoken):
    assert normalize(text, "fr") == spoken


def test_the_table_is_large_enough():
    assert len(EN) + len(FR) >= 100


def test_other_languages_pass_through_with_only_neutral_cleanup():
    assert normalize("Er kam 1865 um 3:30 Uhr.", "de") == "Er kam 1865 um 3:30 Uhr."
    assert normalize("“Ja—nein”", "de-DE") == '"Ja, nein"'


def test_language_tags_are_understood():
    assert normalize("3", "en_US") == "three" and normalize("3", "fr-CA") == "trois"
    assert normalize("3", None) == "three"


def test_roman_numerals():
    assert [roman_to_int(r) for r in ("I", "IV", "IX", "XIV", "XL", "MCMXC")] == [
        1, 4, 9, 14, 40, 1990,
    ]  # fmt: skip


@given(st.text(), st.sampled_from(["en", "fr", "de", None]))
@settings(max_examples=400)
def test_never_crashes(text, lang):
    assert isinstance(normalize(text, lang), str)


@given(st.text())
@settings(max_examples=300)
def test_english_output_has_no_digits_left(text):
    assert not re.search(r"[0-9]", normalize(text, "en"))


WORDS = st.lists(st.from_regex(r"[a-z]{1,12}", fullmatch=True), min_size=1, max_size=30)


@given(WORDS)
def test_plain_words_pass_through_unchanged_and_in_order(words):
    text = " ".join(words)
    assert normalize(text, "en") == text and normalize(text, "fr") == text
