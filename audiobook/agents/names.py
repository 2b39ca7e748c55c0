"""Word lists and patterns for naming people in English (and some French) prose."""

from __future__ import annotations

import re

MALE_TITLES = {
    "mr", "sir", "lord", "king", "prince", "duke", "count", "baron", "father", "uncle",
    "brother", "monsieur", "m", "master", "captain", "colonel", "major", "general",
    "lieutenant", "sergeant", "inspector", "professor", "dr", "doctor", "reverend", "rev",
    "signor", "herr", "emperor", "earl", "marquis", "abbé", "père",
}  # fmt: skip
FEMALE_TITLES = {
    "mrs", "miss", "ms", "lady", "queen", "princess", "duchess", "countess", "baroness",
    "mother", "aunt", "sister", "madame", "mme", "mademoiselle", "mlle", "mistress", "dame",
    "madam", "signora", "frau", "empress", "marquise", "mère",
}  # fmt: skip
GENDER_NEUTRAL_TITLES = {"dr", "doctor", "professor", "captain", "inspector"}
TITLES = MALE_TITLES | FEMALE_TITLES
MALE_WORDS = {"he", "him", "his", "himself", "il", "lui"}
FEMALE_WORDS = {"she", "her", "hers", "herself", "elle"}

FRENCH_SPEECH_VERBS = (
    "dit|demanda|répondit|reprit|ajouta|cria|murmura|répliqua|s'écria|s’écria|fit|continua|"
    "poursuivit|s'exclama|s’exclama|lança|souffla|soupira|interrompit|expliqua|déclara"
)
SPEECH_VERBS = (
    "said|says|say|asked|asks|replied|replies|cried|cries|answered|answers|returned|exclaimed|"
    "added|continued|observed|remarked|whispered|shouted|muttered|murmured|repeated|began|"
    "went on|called|interrupted|rejoined|retorted|inquired|enquired|sighed|laughed|explained|"
    "declared|suggested|urged|pleaded|protested|resumed|responded|thought|said softly|"
    "screamed|yelled|roared|growled|snapped|sobbed|stammered|faltered|persisted|insisted|"
    "observed|demanded|pursued|concluded|agreed|admitted|ventured|put in|broke in|cried out|"
    "called out|shrieked|bawled|grumbled|moaned|groaned|gasped|panted|hissed|drawled|"
    "remonstrated|objected|interposed|assented|acquiesced|answered|cried|exclaimed|"
    "saying|crying out|adding|replying|exclaiming|calling out|whispering|answering|thus began|"
    "thus addressed|addressed|began again|"
    # Verbs of saying and of manner of speaking in general (after VerbNet's say-37.7,
    # manner_speaking-37.3 and complain-37.8 classes), not a list read off any one book.
    "babbled|barked|bellowed|blurted|blurted out|boomed|breathed|burst out|cackled|chattered|"
    "chimed in|chirped|chorused|chuckled|coaxed|commented|complained|confessed|confided|"
    "conceded|corrected|croaked|crowed|cut in|echoed|ejaculated|entreated|expostulated|fumed|"
    "giggled|grunted|hazarded|hinted|howled|implored|insinuated|intoned|interjected|jeered|"
    "joked|lamented|lisped|mocked|mumbled|mused|noted|proclaimed|prompted|proposed|purred|"
    "queried|questioned|raged|rasped|reflected|reiterated|reminded|reported|reproached|"
    "scoffed|scolded|screeched|simpered|snarled|sneered|snorted|spluttered|sputtered|"
    "squealed|squeaked|stated|stuttered|sang out|taunted|teased|thundered|twittered|"
    "volunteered|vociferated|wailed|warned|wheedled|whimpered|whined|wondered|yelped|assured|"
    "affirmed|announced|argued|asserted|begged|besought|beseeched|cautioned|challenged|"
    "chided|countered|demurred|greeted|ordered|promised|rebuked|shrilled|soothed|stormed|"
    "swore|vowed|jerked out|rapped out|struck in|threw in|" + FRENCH_SPEECH_VERBS
)
PRONOUNS = r"he|she|it|I|they|il|elle|je"
# The subject a possessive stands for: "was her answer" is what she says.
OWNER_PRONOUNS = {"his": "he", "her": "she", "my": "I"}
TITLE_RE = "|".join(sorted((re.escape(t.capitalize()) for t in TITLES), key=len, reverse=True))
SENTENCE_OPENERS = r"(?:The|A|An|He|She|It|They|We|But|And|Then|There|This|That)"
# McBryde, O'Hara, Frog-Footman; not "Emma--but", where a dash ends the name.
NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z](?:[a-zà-ÿ'’]|-[A-Za-zà-ÿ])*[a-zà-ÿ]"
# A title's initials ("Mr. E. W. B. Childers"); no sentence that opens after a title alone
# ("answered Mademoiselle. The two had ...").
TITLED = rf"(?:(?:{TITLE_RE})\.?\s+(?!{SENTENCE_OPENERS}\b)(?:[A-Z]\.\s*){{0,3}})"
PERSON = (
    rf"{TITLED}?{NAME_WORD}(?:\s+(?:(?:de|van|von|du|le|la)\s+)?{NAME_WORD})*"
    # "the gentle Mrs. Thorpe", "the Mock Turtle", "the Queen of Hearts"
    rf"|[Tt]he\s+(?:[a-z]+\s+)?{TITLED}?(?:[A-Z](?:[\w’']|-\w)+\s+){{0,2}}"
    rf"[A-Z](?:[\w’']|-\w)*[a-z]"
    rf"(?:\s+of\s+[A-Z][a-z]+)?"
)
NOT_NAMES = {
    "i", "the", "a", "an", "and", "but", "or", "he", "she", "it", "they", "we", "you", "his",
    "her", "their", "our", "my", "your", "this", "that", "these", "those", "there", "here",
    "what", "why", "how", "when", "where", "who", "which", "oh", "ah", "well", "yes", "no",
    "now", "then", "so", "if", "in", "on", "at", "of", "to", "for", "with", "by", "as", "not",
    "do", "don't", "did", "is", "was", "are", "were", "be", "have", "had", "has", "come",
    "go", "let", "perhaps", "indeed", "chapter", "mr", "mrs", "miss", "sir", "madam", "good",
    "god", "heaven", "lord", "english", "french", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december",
    "very", "one", "all", "some", "nothing", "everything", "dear", "pray", "upon", "after",
    "before", "still", "only", "even", "just", "never", "ever", "nay", "aye", "o", "hush",
    "alas", "hullo", "hello", "thank", "thanks", "please", "look", "see", "say", "tell",
    "while", "though", "although", "because", "besides", "however", "certainly",
    "surely", "quite", "anything", "something", "nobody", "everybody", "somebody", "each",
    "every", "both", "either", "neither", "such", "much", "many", "more", "most", "less",
    "mamma", "papa", "ma'am", "madame", "monsieur", "sister", "brother", "mother", "father",
    "sure", "nonsense", "really", "hark", "bravo", "goodbye", "good-bye", "farewell",
    "pardon", "sorry", "help", "quick", "hurrah", "hurry", "wait", "stop", "listen", "enough",
    "impossible", "exactly", "right", "wrong", "true", "false", "fine", "capital", "excellent",
    "splendid", "poor", "heavens", "mercy", "bless", "goodness", "ha", "hm", "hum", "la",
    "ladyship", "lordship", "majesty", "highness", "honour", "honor", "grace", "worship",
    "mama", "ma", "pa", "yours", "wow", "beautiful",
}  # fmt: skip

# Common English pet names: the full name a nickname belongs to.
NICKNAMES = {
    "lizzy": "elizabeth", "lizzie": "elizabeth", "eliza": "elizabeth", "liz": "elizabeth",
    "beth": "elizabeth", "betsy": "elizabeth", "bess": "elizabeth", "kitty": "catherine",
    "kate": "catherine", "jim": "james", "jimmy": "james", "jamie": "james", "bob": "robert",
    "bobby": "robert", "rob": "robert", "bill": "william", "billy": "william", "will": "william",
    "tom": "thomas", "tommy": "thomas", "dick": "richard", "jack": "john", "johnny": "john",
    "harry": "henry", "hal": "henry", "ned": "edward", "ted": "edward", "teddy": "edward",
    "peggy": "margaret", "meg": "margaret", "maggie": "margaret", "polly": "mary",
    "molly": "mary", "nell": "ellen", "nelly": "ellen", "sam": "samuel", "ben": "benjamin",
    "charlie": "charles", "fanny": "frances", "sally": "sarah", "annie": "anne", "nan": "anne",
    "jenny": "jane", "janey": "jane", "fred": "frederick", "freddy": "frederick",
}  # fmt: skip


def title_of(name: str) -> str | None:
    first = name.split()[0].rstrip(".").lower()
    return first if first in TITLES else None


def gender_of_title(title: str | None) -> str | None:
    if title is None or title in GENDER_NEUTRAL_TITLES:
        return None
    if title in FEMALE_TITLES:
        return "female"
    return "male" if title in MALE_TITLES else None


def one_letter_apart(a: str, b: str) -> bool:
    """One letter left out of the longer word: "Browlow" and "Brownlow"."""
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def core_tokens(name: str) -> tuple[str, ...]:
    """The words that identify a person, without title or article, lower case."""
    written = name.replace("’", "'").split()
    initials = [w for w in written if re.fullmatch(r"[A-Z]\.", w)]  # "Mr. E. W. B. Childers"
    if len(initials) < len(written):
        written = [w for w in written if w not in initials]
    words = [w.strip(".,").lower() for w in written]
    words = [w for w in words if w not in TITLES and w not in ("the", "of", "a")]
    return tuple(NICKNAMES.get(w, w) for w in words)


PLACE_SUFFIX = re.compile(
    r"-(?:[Ss]treet|[Ss]quare|[Ll]ane|[Rr]oad|[Pp]ark|[Hh]all|[Hh]ouse|[Cc]ourt|[Pp]lace)$"
    r"| (?:Street|Square|Lane|Road)$"
)


# Prepositions whose phrase tells one description from another: "the gentleman in the white
# waistcoat", "the elder of the two gentlemen".
MODIFIER_PREPS = frozenset({"of", "in", "with", "at", "from"})


def is_description(name: str) -> bool:
    """ "the old man", "the Jew", "the landlady": a person named by a description."""
    return name.lower().startswith("the ")


def is_plausible_name(surface: str) -> bool:
    words = surface.replace("’", "'").split()
    if not words:
        return False
    if words[0].lower() == "the":
        return len(words) >= 2
    if PLACE_SUFFIX.search(surface):
        return False  # Gracechurch-street, Hyde Park
    content = [w for w in words if w.rstrip(".").lower() not in TITLES]
    if not content:
        return False
    return all(w.lower().strip(".,'") not in NOT_NAMES for w in content)


FEMALE_RELATIONS = {
    "wife", "mother", "lady", "sister", "aunt", "daughter", "niece", "cousin", "mistress",
    "mamma", "girl", "woman", "widow", "bride", "grandmother",
}  # fmt: skip
MALE_RELATIONS = {
    "husband", "father", "brother", "uncle", "son", "nephew", "master", "papa", "boy", "man",
    "grandfather", "lord",
}  # fmt: skip
RELATION_GENDER = {w: "female" for w in FEMALE_RELATIONS} | {w: "male" for w in MALE_RELATIONS}
RELATIONS = "|".join(sorted(RELATION_GENDER, key=len, reverse=True))
RELATIONAL = rf"(?:his|her|their|my|your)\s+(?:(?:[a-z]+)\s+)?(?:{RELATIONS})"

# Common English given names and their usual gender, for characters the text never gives a
# pronoun or title for. Only a default: titles and pronouns in the text come first.
_FEMALE = """
abigail ada adelaide agatha agnes alice amelia amy anna anne annie beatrice bella bertha
betsy betty bridget caroline catherine cecilia charlotte clara clarissa constance cora daisy
diana dinah dora dorothy edith eleanor elinor eliza elizabeth ella ellen elsie emily emma
esther ethel eva evelyn fanny flora florence frances georgiana gertrude grace hannah
harriet helen henrietta hester isabel isabella jane janet jemima jenny jessie joan josephine
judith julia juliet kate katherine kitty laura lavinia leah lilian lily louisa lucy lydia
mabel madeline maggie margaret maria marianne martha mary matilda maud meg mildred miriam
molly nancy nell nelly olivia patience pauline peggy penelope phoebe polly priscilla rachel
rebecca rose rosamond ruth sally sarah sophia sophie susan susanna sybil teresa theresa
ursula victoria violet winifred
"""
_MALE = """
abraham adam albert alexander alfred andrew anthony archibald arthur augustus benjamin
bertram bill bob cecil charles charley christopher clement daniel david dick edgar edmund
edward edwin ernest frank frederick gabriel george gerald gilbert godfrey harold harry henry
herbert horace hugh isaac jack jacob james jasper jim joe john jonathan joseph joshua
julian laurence lawrence leonard lewis lionel louis luke mark martin matthew michael nathan
nathaniel ned nicholas oliver oscar owen patrick paul percy peter philip ralph raymond
reginald richard robert roger rupert samuel sebastian sidney simon stephen theodore thomas
timothy tom toby walter william
"""
FEMALE_NAMES = set(_FEMALE.split())
MALE_NAMES = set(_MALE.split())


# Not a stop that ends a title's abbreviation ("Mr.", "Mrs."): put before a stop in a pattern.
NOT_AFTER_TITLE = r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bM)(?<!\bMme)(?<!\bRev)"
_SENTENCE_END = re.compile(NOT_AFTER_TITLE + r"[.!?;]+")


def sentences(text: str) -> list[str]:
    """Sentences (and clauses after ";"), not split after "Mr." or "Mrs."."""
    return [piece for piece in _SENTENCE_END.split(text) if piece.strip()]
