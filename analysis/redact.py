"""Personal-data redaction: replace identifiers with typed placeholders.

What is caught (each replaced by a placeholder such as ``[NHS number]``):

* NHS numbers: ten digits that pass the modulus-11 check, in any grouping of two or more digits
  (``943 476 5919``, ``9434 765 919``, ``94 34 76 59 19``, ``no.9434765919``) with one kind of
  separator throughout: spaces (one or two), a dash (``-``, ``–``), ``.`` or ``/``, with or
  without spaces round it (``943 - 476 - 5919``). Only the 3-3-4 grouping may mix separators
  (``943 476-5919``). A comma never separates (``1,000,000,000`` is money), and a date has too
  few digits (``12/03/2024``).
  Ten-digit strings that fail the check are left for the phone rule, so a mistyped NHS number
  that looks like a phone number is still removed; after a cue (``NHS number is``, ``NHS no.``,
  ``NHS #``) any eight to twelve digits are, checked or not (a digit wrong, missing or doubled).
* UK phone numbers: ``07700 900123``, ``07700–900123``, ``+44 7700 900123``, ``(+44) 7700 900123``,
  ``447700900123``, ``0044 (0)20 7946 0958``, ``(0191) 498 0000``; 10-11 digits in national
  form, and a mobile without its 0 (``7700 900123``).  Short service numbers (111, 999) are
  kept: they are what people talk about, not who they are.
* Email addresses; UK postcodes (``NE1 4LP``, ``sw1a1aa``, ``SW1A  1AA``, ``sw1a-1aa``).
* Dates of birth, recognised by a cue (``DOB``, ``date of birth``, ``born on``), in day-month-year,
  written-month or ISO (``1980-02-01``) form.
* Names after a title (``Dr Patel``, ``Nurse Jane Smith``, ``Mrs O'Neil``, ``Nyrs Siân Hughes``):
  the title stays, the name becomes ``[name]``; after an abbreviated title in lower case too
  (``dr patel``, ``mrs jones``), unless the words are words of a sentence (``the dr said``,
  ``dr appointment``). Names after a cue (``My name is Jane Doe``,
  ``I'm called Jo``, ``Name: Ann Lee``, ``Fy enw i yw Siôn``), capitalised or not. Accented
  letters are letters of a name (``Dr José García``, ``Nurse Zoë Smith``).
* Family, friends and carers named by who they are to the writer, capitalised (``my daughter
  Sarah Jones``, ``my son (Tom, 8)``, ``my wife is Mary``, ``fy mab Osian``), unless the words are
  words of a sentence (``My Son Went To A&E``) or a day or month.
* National Insurance numbers (``QQ 12 34 56 C``); hospital, patient and reference numbers after
  their cue (``hospital number RX1234567``, ``MRN 1234567``, ``complaint ref: 2023/45678``);
  payment card numbers that pass the Luhn check; social media handles and profile addresses
  (``@janedoe``, ``facebook.com/jane.doe``).
* Street addresses: a house number and a street (``12 Acacia Avenue``, ``Flat 3, 4a High St``),
  in Welsh the street word first (``12 Heol y Bont``). In lower case only the plain street words
  count (``12 acacia avenue``; not ``3 the park``).

* People who name themselves unasked, first name and surname (``I'm Fatima Begum``), and a name
  signing off at the very end (``Thanks, Sarah``, ``Kind regards, Tom Jones``), unless the words
  say who they are or whom they thank (``I'm British Asian``, ``Thank you NHS``).

* Given names on their own, capitalised (``Sarah was lovely``, ``thanks to Priya and Tom``,
  ``Aisha Khan on reception``), with the capitalised word after one as a surname: names from a
  list of about 5,100 (``analysis/models/first_names.txt``, see ``scripts/first_names.py``), less
  those that are also everyday words ("Hope", "Grace", "June", "Will"). Not after "St", "Queen",
  "Royal" or "the", nor before "Hospital", "Ward" and other places (``St Mary's Hospital``,
  ``Florence ward``, ``the John Radcliffe``): places of care are what people talk about.

Not caught: names in no list and with no title, cue or relation ("Zebedee was lovely"), a first
name in lower case ("sarah was lovely"), addresses without a house number, dates of birth
without a cue, and identifiers spelt out in words.

Redaction only replaces what a pattern matches; it never drops words around it, and a word
from the safeguarding list (see :mod:`analysis.safeguarding`) is never taken for a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .safeguarding import SAFEGUARDING_WORDS, _alternation, required_strings

PLACEHOLDERS = {
    "nhs_number": "[NHS number]",
    "email": "[email]",
    "phone": "[phone number]",
    "postcode": "[postcode]",
    "date_of_birth": "[date of birth]",
    "name": "[name]",
    "address": "[address]",
    "ni_number": "[National Insurance number]",
    "identifier": "[ID number]",
    "card": "[card number]",
    "social": "[social media account]",
}
ALL_KINDS = tuple(PLACEHOLDERS)


def placeholder_count(text: str) -> int:
    """How many redaction placeholders ("[name]", "[email]"...) ``text`` holds: a quote may have
    one at most (wherever quotes are chosen: the engine's, the matrix's)."""
    return sum(text.count(p) for p in PLACEHOLDERS.values())

_DIGIT = re.compile(r"\d")
# Dashes people type between digits: hyphen, the Unicode hyphens and dashes (‐ ‑ ‒ – — ―), minus.
_DASHES = "\\-\u2010-\u2015\u2212"
# A run of digit groups (two or more digits each, taken whole) joined by separators: one or two
# spaces, or a dash, "." or "/" with up to two spaces either side. Which ten digits of the run
# are an NHS number is decided afterwards (:func:`_nhs_spans`). Not after a digit, "+" (a phone
# number's country code) or a digit and "." or "," (a decimal or an amount). The pattern opens
# with a digit, the look-behinds after it, so that the engine skips to the digits of a text.
_NHS_SEP = rf"(?:\s{{0,2}}[{_DASHES}./]\s{{0,2}}|\s{{1,2}})"
_NHS = re.compile(rf"\d(?<![\d+]\d)(?<!\d[.,]\d)\d++(?:{_NHS_SEP}\d{{2,}}+)*")
_NHS_GROUP = re.compile(r"\d+")
# "NHS number", "NHS no.", "nhs num:", "NHS #" and what follows: the digits after such a cue are
# the writer's NHS number even when mistyped (a digit wrong or missing fails the check and would
# otherwise be kept, and such a number still finds its owner). Eight to twelve digits, grouped
# as above; the number of digits is checked afterwards. In Welsh: "rhif GIG", "rhif y GIG yw".
_NHS_CUE = re.compile(
    rf"\b(?:(?i:nhs)\s*(?i:number|no\b\.?|num\b\.?|#)|(?i:rhif\s+(?:y\s+)?gig))"
    rf"\s*(?i:is|was|yw|ydy|oedd|:|-|=)?\s*"
    rf"(?P<digits>\d+(?:{_NHS_SEP}\d+)*)(?!\d)"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# An email address written out so that it is not a link, as people do to keep it from robots:
# "john dot smith at gmail dot com", "jsmith (at) nhs.net", "jane [at] yahoo [dot] co [dot] uk",
# "jsmith @ gmail.com". The last part is a known ending ("com", "uk"...). Plain "at" and plain dots
# alone ("I looked at nhs.uk") are a website as often as an address, so such a match is taken
# only where the domain is a mail provider's ("jsmith at gmail.com"); see _written_email_ok.
_AT_WORD = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*@\s*)"
_DOT_WORD = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+|\s?\.\s?)"
_EMAIL_WRITTEN = re.compile(
    rf"(?<![\w.+'@-])[\w+'-]+(?:{_DOT_WORD}[\w+'-]+)*{_AT_WORD}"
    rf"(?P<domain>[\w-]+(?:{_DOT_WORD}[\w-]+)*?{_DOT_WORD}"
    r"(?:com|net|org|uk|wales|cymru|scot|ie|eu|io|info|me|biz|edu|gov|us|live))(?![\w@])",
    re.IGNORECASE | re.UNICODE,
)
#: Mail providers' domains, by their first part, for an address written with a plain "at".
_MAIL_PROVIDERS = frozenset({
    "gmail", "googlemail", "hotmail", "yahoo", "ymail", "outlook", "live", "msn", "btinternet",
    "btopenworld", "icloud", "me", "mac", "aol", "sky", "virginmedia", "ntlworld", "talktalk",
    "protonmail", "proton", "mail", "gmx", "tiscali", "blueyonder", "hotmail.co",
})


def _written_email_ok(match: re.Match) -> bool:
    written = match.group()
    if "@" in written or re.search(r"[(\[{<]\s*(?:at|dot)\s*[)\]}>]|\sdot\s", written, re.IGNORECASE):
        return True
    domain = re.split(r"\s?\.\s?", match.group("domain").lower())
    return domain[0] in _MAIL_PROVIDERS or domain[:2] == ["nhs", "net"]

#: Every written-out address has an "at" of some kind: most answers have none worth a look.
_AT_SCREEN = re.compile(r"@|\bat\b", re.IGNORECASE)
# A run that starts like a UK number (+44, 0044 or 0, the first two maybe in brackets, or 44 and
# a national number) and goes on with digits, spaces, dashes, dots and brackets; the digit count
# is checked afterwards, which is simpler than one regex. Or a mobile without its 0 ("7700 900123").
# Not after a letter, digit or "+"; each branch opens with its first character and checks what
# comes before it after that, so that the engine skips to the characters a number can start with.
_PHONE = re.compile(
    r"(?:\((?<![\w+]\()(?:\+\s?44\)?|0044\)?|0)|\+(?<![\w+]\+)\s?44|0(?<![\w+]0)(?:044)?"
    rf"|4(?<![\w+]4)4(?=\s?[1-37]))[\d\s().{_DASHES}]{{8,18}}\d(?!\d)"
    rf"|7(?<![\w+]7)[1-57-9]\d\d[\s{_DASHES}.]?\d{{3}}[\s{_DASHES}.]?\d{{3}}(?!\d)"
)
_POSTCODE = re.compile(
    rf"\b(?:[A-Z]{{1,2}}\d[A-Z\d]?|GIR)(?:\s{{0,2}}|\s?[{_DASHES}]\s?)\d[ABD-HJLNP-UW-Z]{{2}}\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    # Welsh: Ionawr, Chwefror, Mawrth, Ebrill, Mai, Mehefin, Gorffennaf, Awst, Medi, Hydref,
    # Tachwedd, Rhagfyr (with a mutation after "o": "o Fawrth", "o Fedi").
    r"|ionawr|chwefror|[mf]awrth|ebrill|mai|mehefin|gorffennaf|awst|[mf]edi|hydref|tachwedd|rhagfyr"
)
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{2,4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}})"
)
_DOB = re.compile(
    rf"\b(?P<cue>d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday"
    # Welsh: "dyddiad geni", "ganed", "ganwyd (ar)", "pen-blwydd (ar)", mutated after "fy" and
    # "ei" ("fy mhen-blwydd", "ei phen-blwydd", "ei ben-blwydd").
    rf"|dyddiad\s+geni|ganed(?:\s+ar)?|ganwyd(?:\s+ar)?|(?:p|mh|ph|b)en[-\s]?blwydd(?:\s+ar)?)"
    rf"(?P<sep>\s*(?:is|was|yw|ydy|oedd|:|-)?\s*)(?P<date>{_DATE})",
    re.IGNORECASE,
)
# A National Insurance number: two letters, six digits (in pairs or not) and A-D ("QQ 12 34 56 C").
# In capitals, or all in lower case with no spaces ("qq123456c"): "on 12 12 12 a" is no number.
_NI = re.compile(r"\b(?:[A-Z]{2}(?:\s?\d\d){3}\s?[A-D]|[a-z]{2}\d{6}[a-d])\b")
# A hospital or patient number, a case or reference number after its cue ("hospital number
# RX1234567", "my MRN is 1234567", "patient ID: A123456"): one token holding at least four digits.
_ID_CUE = re.compile(
    r"\b(?i:hospital\s+(?:number|no\b\.?|num\b\.?|#)|m\.?r\.?n\b\.?|unit\s+number|"
    r"patient\s+(?:id|number|no\b\.?|#)|case\s+(?:number|no\b\.?)|"
    r"(?:complaint\s+|case\s+)?ref(?:erence)?\s*(?:number|no\b\.?|#|:))"
    r"\s*(?i:is|was|:|-|=)?\s*(?P<id>(?=[A-Za-z/-]*\d(?:[A-Za-z/-]*\d){3})[A-Za-z0-9/-]{4,20})(?![\w/-])"
)
# A payment card: 13 to 19 digits, in fours or not, that pass the Luhn check (parking and shop
# payments come up in feedback). Ten- and eleven-digit runs are the NHS and phone rules'.
_CARD = re.compile(rf"\d(?<!\d\d)\d{{3}}(?:[\s{_DASHES}]?\d{{4}}){{2}}[\s{_DASHES}]?\d{{1,7}}(?!\d)")
# Someone's social media account: a handle ("@janedoe", not inside an email) or a profile address.
_SOCIAL = re.compile(
    r"(?<![\w@.])@[A-Za-z0-9_]{2,30}(?![\w@])|"
    r"\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|twitter|x|tiktok|linkedin|threads)\.com/[^\s,;)]+",
    re.IGNORECASE,
)
# Abbreviated titles may end in a full stop ("Dr. Patel"); after a full word ("nurse.") a full
# stop ends the sentence, so the next capitalised word is not a name.
_ABBREVIATED = r"dr|mr|mrs|ms|mx|prof"
# A title of two words comes before its first word's ("nurse practitioner" before "nurse"): the
# first to match is taken, and "Nurse" would leave "Practitioner Jones" as no name at all.
_TITLES = (
    r"nurse\s+practitioner|health\s+visitor|health\s*care\s+assistant|hca|physio(?:therapist)?|"
    r"pharmacist|doctor|nurse|sister|matron|miss|professor|sir|dame|midwife|paramedic|consultant|"
    r"surgeon"
)
# Welsh titles too: nyrs (nurse), meddyg (doctor), bydwraig (midwife), parafeddyg, metron, athro
# (professor, "yr Athro"), chwaer (sister).
_WELSH_TITLES = r"nyrs|meddyg|bydwraig|parafeddyg|metron|athro|chwaer"
_TITLE = rf"(?:{_ABBREVIATED})\.?|(?:{_TITLES}|{_WELSH_TITLES})"
# A capital letter, accented ones included ("Siân", "Zoë", "Ángel", "Ŵyn"), and a letter of any case.
# Built from the Latin letters, so names in every language written with them are caught.
_UPPER = "[A-Z" + "".join(c for c in map(chr, [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)])
                          if c.isupper()) + "]"
_LETTER = r"[^\W\d_]"
# A word of a name: letters, apostrophes and hyphens ("O'Neil-Smith"); digits are no part of a name.
_NAME_WORD = rf"(?:{_LETTER}|['’-])*"
# Title, then one to three capitalised words (a name), e.g. "Dr. Amy O'Neil-Smith", "Nyrs Siân Hughes".
_NAME = re.compile(
    rf"\b(?P<title>(?i:{_TITLE}))\s+"
    rf"(?P<name>{_UPPER}{_NAME_WORD}\.?(?!\w)(?:\s+{_UPPER}{_NAME_WORD}\.?(?!\w)){{0,2}})"
)
# People in a hurry write "dr patel", "mrs jones": after an abbreviated title (not in capitals:
# "MS teams" is software) one or two lower-case words are a name unless they are words of a
# sentence ("the dr said", "dr appointment"). Full titles are not followed this way, since
# "nurse came", "sister ward" and "the doctor explained" are far commoner than lower-case names.
_LOWER_NAME = re.compile(
    rf"\b(?:[Dd]r|[Mm]rs?|[Mm][sx]|[Pp]rof)\.?\s+(?P<name>{_LETTER}{_NAME_WORD}(?:\s+{_LETTER}{_NAME_WORD})?)"
)
# A cue that the next words are the writer's (or someone's) name; the name may be in lower case.
# In Welsh: "fy enw i yw", "fy enw yw", "fy enw i ydy", "enw:".
_CUE = (r"my\s+name\s+is|my\s+name's|i\s+am\s+called|i'm\s+called|name\s*:|enw\s*:|"
        r"fy\s+enw(?:\s+i)?\s+(?:yw|ydy)|(?:my|his|her)\s+name\s+is")
_NAME_CUE = re.compile(
    rf"\b(?i:{_CUE})\s+(?P<name>{_LETTER}{_NAME_WORD}(?:\s+{_LETTER}{_NAME_WORD}){{0,2}})"
)
# Family, friends and carers named after who they are to the writer ("my daughter Sarah Jones",
# "my son (Tom, 8)", "our mum, Jean,", "my wife is Mary", "fy mab Osian"): capitalised only, since
# "my wife is happy" and "my son called the surgery" are commoner than names in lower case.
_RELATIONS = (
    r"son|daughter|wife|husband|partner|mum|mom|mam|mother|dad|father|brother|sister|grandson|"
    r"granddaughter|grandchild|nan|nana|nanna|gran|granny|grandma|grandmother|grandad|granddad|"
    r"grandpa|grandfather|aunt|auntie|aunty|uncle|niece|nephew|cousin|friend|neighbour|neighbor|"
    r"carer|baby|child|fianc[eé]e?|boyfriend|girlfriend|stepson|stepdaughter|stepmother|stepfather"
)
# Welsh, with the mutation "fy" brings: mab, merch, gŵr (ngŵr), gwraig (ngwraig), mam, tad (nhad),
# brawd (mrawd), chwaer, partner (mhartner), ffrind, nain, taid, mam-gu, tad-cu.
_WELSH_RELATIONS = (r"mab|merch|ng[ŵw]r|ngwraig|mam|nhad|mrawd|chwaer|mhartner|ffrind|nain|nhaid|"
                    r"mam-gu|nhad-cu")
_RELATION_NAME = re.compile(
    rf"\b(?i:(?:my|our|his|her|their)\s+(?:{_RELATIONS})|fy\s+(?:{_WELSH_RELATIONS}))"
    rf"(?:\s*[,(]\s*|\s+(?i:is|was|called|named|yw|o'r\s+enw)\s+|\s+)"
    rf"(?P<name>{_UPPER}{_NAME_WORD}(?:\s+{_UPPER}{_NAME_WORD}){{0,2}})"
)
# People who give their own name unasked: "I'm Fatima Begum", "i am John Smith" (first name and
# surname, capitalised; "am" in lower case, since Every Word Capitalised text has "I Am Really
# Upset"), and a sign-off at the very end ("Thanks, Sarah", "Kind regards, Tom Jones").
_SELF_NAME = re.compile(
    rf"\b[Ii](?:'m|’m|\s+am)\s+(?P<name>{_UPPER}{_NAME_WORD}(?:\s+{_UPPER}{_NAME_WORD}){{1,2}})"
)
_SIGN_OFF = re.compile(
    r"\b(?i:(?:many\s+|kind\s+)?thanks|thank\s+you|(?:kind|best|warm|warmest)\s+regards|regards|"
    r"best\s+wishes|cheers|(?:yours\s+)?sincerely|yours\s+faithfully)\s*[,!.:-]?\s+"
    rf"(?P<name>{_UPPER}{_NAME_WORD}(?:\s+{_UPPER}{_NAME_WORD}){{0,2}})\s*[.!]?\s*$"
)
_STREETS = (r"street|st|road|rd|avenue|ave|lane|ln|close|drive|crescent|cres|terrace|grove|gardens|"
            r"way|court|place|square|hill|row|mews|walk|park|view|rise|green|parade|boulevard")
# Plain street words that follow a house number and a lower-case word only in an address.
_PLAIN_STREETS = frozenset("street road avenue lane crescent terrace grove gardens".split())
_ADDRESS = re.compile(
    r"\b(?:(?i:flat|apartment|unit)\s+\d{1,4}[a-zA-Z]?,?\s+)?\d{1,4}[a-zA-Z]?,?\s+"
    rf"(?P<words>{_LETTER}{_NAME_WORD}(?:\s+{_LETTER}{_NAME_WORD}){{0,2}})\s+(?P<street>(?i:{_STREETS}))\b\.?"
)
# A Welsh address names its street after the street word: "12 Heol y Bont", "3 Ffordd Siân",
# "Fflat 2, 7 Stryd Fawr". The name is one to three words, the first capitalised.
_WELSH_STREETS = r"heol|ffordd|stryd|lôn|lon|rhodfa|cilgant|teras|maes|clos|llwyn"
_WELSH_ADDRESS = re.compile(
    r"\b(?:(?i:fflat|flat|uned)\s+\d{1,4}[a-zA-Z]?,?\s+)?\d{1,4}[a-zA-Z]?,?\s+"
    rf"(?i:{_WELSH_STREETS})\s+(?:(?:y|yr|'r)\s+)?{_UPPER}{_NAME_WORD}(?:\s+{_UPPER}{_NAME_WORD}){{0,1}}"
)
# Capitalised words that follow a title but are not names ("Nurse Practitioner", "Dr Who").
_NOT_NAMES = frozenset(
    """a an and the i it he she they we you was were is are who what when where which why how
    my our your his her their this that there then but or so if in on at of for to from by
    with please thank thanks very really also all no not yes on call practitioner team unit
    ward department surgery practice said told nhs gp ae however although because after
    before while unfortunately sadly luckily overall again still even everyone everything
    nothing nobody someone thanks thankyou great good very""".split()
)
# Lower-case words after "dr" or "mrs" that are words of the sentence, not a name: the small
# words of English and what people say a doctor did or what a doctor's has.
_NOT_LOWER_NAMES = _NOT_NAMES | frozenset(
    """about above across after again against along am an any anyone anything around as asked
    be been being both can cannot could couldn't did didn't do does doesn't done down during each
    either else enough every few first had has hasn't have haven't having here him himself hers
    into isn't its itself just last least less let like made make many may me might mine more
    most much must myself neither never next none nor now off often once one only onto other
    others otherwise ours out over own perhaps quite rather same seemed seems seen several
    should since some something sometimes soon such than thats their them themselves these
    those though through thus together too towards under until up upon us usually was wasn't
    well were weren't whatever whenever whether whilst who whole whom whose will within without
    would wouldn't yet you'd you're yours yourself
    agreed answered appointment appointments appt appts arranged came checked come comes
    confirmed could did didn't examined explained gave gets given gives got had has knew knows
    letter letters listened looked made makes needs office offices phoned prescribed rang
    receptionist receptionists referral referred reception rung said saw says see sees sent
    spoke surgeries surgery takes thought told took visit visits wanted wants went wrote""".split()
)
# Words after "my name is" that say something about the name, not what it is.
_NOT_NAMES_AFTER_CUE = _NOT_NAMES | frozenset(
    """wrong spelt spelled misspelt missing incorrect right correct down listed still already
    never always now being been on in not""".split()
)
# Capitalised words after "my mum" that are not her name: words of a sentence (some people write
# Every Word Capitalised: "My Son Went To A&E"), days, months, titles and places of care ("took my
# mum Monday"; "my dad Mr Smith" leaves the name to the title rule).
_NOT_RELATION_NAMES = _NOT_LOWER_NAMES | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december christmas easter a&e ae ed icu er
    dr mr mrs ms mx prof doctor nurse sister matron professor consultant hospital""".split()
)
# Capitalised words after "I'm" or a closing "thanks" that are not a name: who people are
# ("I'm British Asian", "I am Type 2"), and whom they thank ("Thank you NHS Staff").
_NOT_SELF_NAMES = _NOT_RELATION_NAMES | frozenset(
    """british english welsh scottish irish european asian black white mixed indian pakistani
    bangladeshi chinese african caribbean arab polish muslim christian jewish hindu sikh catholic
    deaf blind disabled autistic diabetic type gay lesbian bisexual trans male female retired
    disappointed happy grateful pleased sorry sure glad angry upset unhappy satisfied
    doctors nurses staff everybody everyone all team teams folks guys ward wards royal hospital
    hospitals infirmary trust clinic centre center health service services paramedics
    ambulance god lord""".split()
)
# "ward 12 Park View", "bay 4 Green Lane": a number in a hospital, not a house.
_PLACE_BEFORE = re.compile(r"\b(?i:ward|bed|bay|room|floor|level|gate|platform|unit|building|block|"
                           r"clinic|theatre|suite)\s*$")
_NOT_STREET_WORDS = _NOT_NAMES | frozenset(
    """hours hour minutes minute days day weeks week months month years year times people miles
    car bus beds bed patients staff nurses doctors more less other""".split()
)


# A capitalised word (a given name's first letter and the rest in lower case: "Sarah", "Zoë").
_TITLE_CASE = re.compile(rf"(?<![\w'’-]){_UPPER}[^\W\d_A-Z]+(?![\w-])")
# Words before a given name that make it the name of a place: "St Mary's", "Queen Elizabeth",
# "Royal Victoria", "the John Radcliffe", "Ward Gwenllian", "Ysbyty Gwynedd" (hospital), "Uned
# Owain" (unit), "Canolfan Iolo" (centre).
_PLACE_LEAD = frozenset("st st. saint queen king prince princess royal lady lord the ward ysbyty uned "
                        "canolfan".split())
# Words after a given name (or a name and surname) that make it a place: "Florence ward", "James
# Cook University Hospital", "Lister Road". Compared in lower case, a trailing "'s" dropped. A
# number after one makes it a place too: wards are named so ("on Rowan 1").
_PLACE_AFTER = frozenset(
    """hospital hospitals ward wards wing unit units centre center house road street lane avenue
    drive close way park square surgery practice clinic hospice infirmary building suite court
    medical health trust college university school church hall station theatre department
    institute memorial community birthing maternity lodge view villa grange gardens place
    sant""".split()  # (Welsh puts the saint after: "Ward Dewi Sant")
)
_GIVEN_NAMES_FILE = Path(__file__).resolve().parent / "models" / "first_names.txt"


@lru_cache(maxsize=1)
def given_names() -> frozenset:
    """The given names redaction takes for a name on their own (lower case)."""
    # The words after the header line, as analysis.text reads welsh_words.txt.
    return frozenset(_GIVEN_NAMES_FILE.read_text(encoding="utf-8").split("\n", 1)[1].split()) \
        - SAFEGUARDING_WORDS


_WARD_NUMBER = re.compile(r"(?:['’]s)?\s+\d{1,2}(?![\d:/])(?![.,]\d)(?!\s?\d)")


def _given_names(text: str) -> list[Match]:
    """Capitalised given names on their own (see the module's list), each with a capitalised
    surname after it, unless the words round them make them a place of care."""
    names = given_names()
    words = list(_TITLE_CASE.finditer(text))
    found, skip_to = [], -1
    for i, word in enumerate(words):
        if word.start() < skip_to or word.group().lower() not in names:
            continue
        before = text[:word.start()].rstrip().rsplit(None, 1)[-1:]
        if before and before[0].lower() in _PLACE_LEAD:
            continue
        end = word.end()
        for following in words[i + 1:i + 3]:  # a surname or two: "Aisha Khan", "Mary Ann Jones"
            bare = following.group().lower()
            if text[end:following.start()] != " " or bare in _NOT_SELF_NAMES or bare in _PLACE_AFTER \
                    or bare in SAFEGUARDING_WORDS:
                break
            end = following.end()
        after = re.match(r"(?:['’]s)?\s+(\w+)", text[end:])
        if after and after.group(1).lower() in _PLACE_AFTER:
            continue
        # A ward or bay is a name and a short number ("Rowan 1", "Holly 12"); a name and a
        # surname, or a longer number (a phone number, an NHS number), is a person's.
        if end == word.end() and _WARD_NUMBER.match(text, end):
            continue
        found.append(Match("name", word.start(), end))
        skip_to = end
    return found


@dataclass(frozen=True)
class Match:
    """One piece of personal data found in a text."""

    kind: str
    start: int
    end: int


def nhs_number_is_valid(digits: str) -> bool:
    """Return True if a ten-digit string passes the NHS number modulus-11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are NHS numbers: in each run of :data:`_NHS`, consecutive digit
    groups with ten digits in all that pass the check, joined by one kind of separator, however
    spaced (or grouped 3-3-4, as NHS numbers are printed, by any). "943 476 5919 12 times" has
    one; "12/03/2024 10" has none (the space after the date is another separator), nor has
    "44 1990 2000" (two years: no one groups an NHS number 4-4-2 or 2-4-4)."""
    spans = []
    for run in _NHS.finditer(text):
        groups = list(_NHS_GROUP.finditer(text, run.start(), run.end()))
        i = 0
        while i < len(groups):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j].group()
                if len(digits) >= 10:
                    break
            if len(digits) == 10 and nhs_number_is_valid(digits):
                window = groups[i:j + 1]
                seps = {text[a.end():b.start()].strip() for a, b in zip(window, window[1:], strict=False)}
                years = sum(_YEAR.fullmatch(g.group()) is not None for g in window)
                if years < 2 and (len(seps) <= 1 or [len(g.group()) for g in window] == [3, 3, 4]):
                    spans.append((window[0].start(), window[-1].end()))
                    i = j + 1
                    continue
            i += 1
    return spans


def _luhn(digits: str) -> bool:
    """A payment card's check digit (13 to 19 digits)."""
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _phone_ok(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip("(").startswith(("+", "0044")):
        national = digits[4:] if digits.startswith("0044") else digits[2:]
        national = national[1:] if national.startswith("0") else national
        return 9 <= len(national) <= 10
    if raw.startswith("44"):  # +44 without its plus: the whole national number must follow
        return len(digits) == 12
    if raw.startswith("7"):  # a mobile without its 0; the pattern has counted its ten digits
        return True
    return 10 <= len(digits) <= 11 and digits.startswith("0")


_ORDINAL_SUFFIX = {"1": "st", "2": "nd", "3": "rd"}


def _ordinal_not_postcode(text: str) -> bool:
    # "ward b2 3rd" or "m1 2nd": lower-case ordinals are far likelier than postcodes.
    if text.islower() and text[-2:] in {"st", "nd", "rd", "th"}:
        return True
    # "M1-2nd", "C6–9th": after a dash, an ordinal in lower case, whatever the case before it.
    return (not text[:-3].rstrip()[-1].isalnum()
            and text[-2:] == _ORDINAL_SUFFIX.get(text[-3], "th"))


@lru_cache(maxsize=1)
def _screens():
    """Regexes, for the lower-cased text, that every text ``_NAME`` or ``_NAME_CUE`` matches also
    matches: strings one of which each needs (:func:`analysis.safeguarding.required_strings` of
    the case-insensitive part; "dr" and "ms" are titles, so two letters are allowed). Most
    answers have neither, and are spared both patterns. None when no screen can be derived."""
    out = []
    relations = rf"(?:my|our|his|her|their)\s+(?:{_RELATIONS})|fy\s+(?:{_WELSH_RELATIONS})"
    for part, shortest in ((_TITLE, 2), (_CUE, 3), (relations, 2)):
        needed = required_strings(part, shortest)
        out.append(None if needed is None else re.compile(_alternation(needed)))
    return tuple(out)


#: A sign-off is looked for only in this many last characters: "thank you" is in many answers.
_SIGN_OFF_TAIL = 120


def _may_match(screen, text: str) -> bool:
    # Only for ASCII text is a case-insensitive match the same as a match in the lower-cased
    # text (Unicode case-folding also pairs "K" with the Kelvin sign, "s" with the long s...).
    return screen is None or not text.isascii() or screen.search(text.lower()) is not None


def _name(m: re.Match, not_names: frozenset, initials: bool = False) -> Match | None:
    """The name in ``m``'s ``name`` group: its words up to the first that is no name (a small
    word of the sentence, a safeguarding word); None if the first is none. With ``initials`` (a
    name after a title), a capital letter on its own is an initial when a name follows it: "Dr A
    Patel", "Mrs I. Jones" ("a" and "i" are otherwise small words that end a name)."""
    end = None
    words = list(re.finditer(r"\S+", m.group("name")))
    for i, word in enumerate(words):
        bare = word.group().strip("'’-.").lower()
        if initials and len(bare) == 1 and i + 1 < len(words) and word.group()[0].isupper():
            following = words[i + 1].group().strip("'’-.").lower()
            if following not in not_names and following not in SAFEGUARDING_WORDS:
                continue
        if bare in not_names or bare in SAFEGUARDING_WORDS:
            break
        end = m.start("name") + word.end()
        if word.group().endswith(".") and len(bare) > 1:
            end -= 1  # a full stop after a name ends the sentence, not the name
            break
    return None if end is None else Match("name", m.start("name"), end)


class Redactor:
    """Find and replace personal data in free text.

    Parameters
    ----------
    kinds : sequence of str, default all
        Which kinds to redact, from ``nhs_number``, ``email``, ``phone``, ``postcode``,
        ``date_of_birth``, ``name`` and ``address``.
    placeholders : dict, optional
        Replacement text per kind; defaults to :data:`PLACEHOLDERS`.
    """

    def __init__(self, kinds=ALL_KINDS, placeholders=None):
        self.kinds = kinds
        self.placeholders = placeholders

    def fit(self, texts=None, y=None):
        """Do nothing (the rules are fixed); present for pipeline use."""
        return self

    def find(self, text: str) -> list[Match]:
        """Return the non-overlapping personal-data matches in ``text``, in order."""
        found: list[Match] = []
        kinds = set(self.kinds)
        # The kinds below all start from a digit (\d, as their patterns do): most answers have none.
        has_digit = _DIGIT.search(text) is not None
        if "email" in kinds and "@" in text:
            found += [Match("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
        if "email" in kinds and _AT_SCREEN.search(text):
            found += [Match("email", m.start(), m.end()) for m in _EMAIL_WRITTEN.finditer(text)
                      if _written_email_ok(m)]
        if has_digit and "date_of_birth" in kinds:
            found += [
                Match("date_of_birth", m.start("date"), m.end("date"))
                for m in _DOB.finditer(text)
            ]
        if has_digit and "nhs_number" in kinds:
            found += [Match("nhs_number", start, end) for start, end in _nhs_spans(text)]
            found += [Match("nhs_number", m.start("digits"), m.end("digits"))
                      for m in _NHS_CUE.finditer(text)
                      if 8 <= sum(c.isdigit() for c in m.group("digits")) <= 12]
        if has_digit and "phone" in kinds:
            found += [
                Match("phone", m.start(), m.end())
                for m in _PHONE.finditer(text)
                if _phone_ok(m.group())
            ]
        if has_digit and "postcode" in kinds:
            found += [
                Match("postcode", m.start(), m.end())
                for m in _POSTCODE.finditer(text)
                if not _ordinal_not_postcode(m.group())
            ]
        if has_digit and "ni_number" in kinds:
            found += [Match("ni_number", m.start(), m.end()) for m in _NI.finditer(text)]
        if has_digit and "identifier" in kinds:
            found += [Match("identifier", m.start("id"), m.end("id")) for m in _ID_CUE.finditer(text)]
        if has_digit and "card" in kinds:
            found += [Match("card", m.start(), m.end()) for m in _CARD.finditer(text)
                      if _luhn(re.sub(r"\D", "", m.group()))]
        if "social" in kinds and ("@" in text or ".com/" in text.lower()):
            found += [Match("social", m.start(), m.end()) for m in _SOCIAL.finditer(text)]
        if "name" in kinds:
            found += (self._names(text) + self._cued_names(text) + self._relations_names(text)
                      + self._self_names(text) + _given_names(text))
        if has_digit and "address" in kinds:
            found += self._addresses(text)
        return _non_overlapping(found)

    def _names(self, text: str) -> list[Match]:
        if not _may_match(_screens()[0], text):
            return []
        lower = [(m, _NOT_LOWER_NAMES) for m in _LOWER_NAME.finditer(text)
                 if m.group("name")[0].islower()]
        return [match for m, not_names in [*((m, _NOT_NAMES) for m in _NAME.finditer(text)), *lower]
                if (match := _name(m, not_names, initials=not_names is _NOT_NAMES))]

    def _cued_names(self, text: str) -> list[Match]:
        if not _may_match(_screens()[1], text):
            return []
        return [match for m in _NAME_CUE.finditer(text) if (match := _name(m, _NOT_NAMES_AFTER_CUE))]

    def _relations_names(self, text: str) -> list[Match]:
        if not _may_match(_screens()[2], text):
            return []
        return [match for m in _RELATION_NAME.finditer(text) if (match := _name(m, _NOT_RELATION_NAMES))]

    def _self_names(self, text: str) -> list[Match]:
        # (Every text _SELF_NAME matches holds one of these; most answers hold none.)
        found = [] if not (" am" in text or "'m" in text or "’m" in text) else [
            match for m in _SELF_NAME.finditer(text)
            if (match := _name(m, _NOT_SELF_NAMES)) and " " in text[match.start:match.end]]
        # A sign-off ends on a capitalised name: most answers end on a word in lower case.
        last = text.rstrip(" .!\n\t").rsplit(None, 1)[-1:]
        m = (last and last[0][:1].isupper()
             and _SIGN_OFF.search(text, max(0, len(text) - _SIGN_OFF_TAIL)))
        return found + [match] if m and (match := _name(m, _NOT_SELF_NAMES)) else found

    def _addresses(self, text: str) -> list[Match]:
        out = [Match("address", m.start(), m.end()) for m in _WELSH_ADDRESS.finditer(text)
               if not _PLACE_BEFORE.search(text, 0, m.start())]
        for m in _ADDRESS.finditer(text):
            words = m.group("words").split()
            street = m.group("street")
            if any(w.lower() in _NOT_STREET_WORDS for w in words) or _PLACE_BEFORE.search(text, 0, m.start()):
                continue
            capitalised = all(w[0].isupper() for w in words) and street[0].isupper()
            if capitalised or street.lower() in _PLAIN_STREETS:
                out.append(Match("address", m.start(), m.end()))
        return out

    def redact(self, text: str) -> str:
        """Return ``text`` with every match replaced by its placeholder."""
        if not text:
            return text
        placeholders = {**PLACEHOLDERS, **(self.placeholders or {})}
        pieces, last = [], 0
        for match in self.find(text):
            pieces += [text[last:match.start], placeholders[match.kind]]
            last = match.end
        pieces.append(text[last:])
        return "".join(pieces)

    def transform(self, texts):
        """Redact each text of an iterable; return a list of strings."""
        return [self.redact(t) for t in texts]


def _non_overlapping(matches: list[Match]) -> list[Match]:
    # Earlier start wins; at the same start the longer match wins (an email beats a name).
    chosen: list[Match] = []
    for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if not chosen or m.start >= chosen[-1].end:
            chosen.append(m)
    return chosen


_DEFAULT = Redactor()


def redact(text: str) -> str:
    """Redact personal data from one text with the default :class:`Redactor`.

    >>> redact("call me on 07700 900123")
    'call me on [phone number]'
    """
    return _DEFAULT.redact(text)
