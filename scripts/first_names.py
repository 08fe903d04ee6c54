"""Write analysis/models/first_names.txt: given names that redaction takes for a name on their own
("Sarah was lovely" → "[name] was lovely").

    pip install faker==40.63.0   # only to rebuild the list, never at run time
    .venv/bin/python scripts/first_names.py

The names are Faker's (MIT licence) for the places most NHS patients and staff in England and
Wales come from or have family from: Britain, Ireland, the United States, India, Pakistan,
Nigeria, Kenya, Ghana, New Zealand, Poland, Romania, Portugal, Spain and Italy, and common
Welsh names (``WELSH``: Faker has none). Only names of three or more Latin letters are kept,
without the names that are also everyday English words (``WORDS`` below), since "Hope you get
better", "In June" and "Grace under pressure" are no one's name.

``WORDS`` was made by hand from the names that Webster's Second (in the ``english-words``
package) lists in lower case and that are common in English text (a Zipf frequency of 3.3 or
more in ``wordfreq``), keeping those most often used as words; then months, places that are
also names (towns, counties, countries), and words NHS feedback uses ("patience", "comfort").
"""

from __future__ import annotations

import importlib
import re
import textwrap
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "analysis" / "models" / "first_names.txt"
LOCALES = "en_GB en_IE en_US en_IN en_PK en_NG en_KE en_NZ ga_IE tw_GH yo_NG ig_NG pl_PL ro_RO " \
          "pt_PT es_ES it_IT".split()

WORDS = frozenset("""
    said man job hope guy summer june bill mark peace sad jack faith rose lucky frank mad ray grant
    don grace joy drew angel charity innocent duke mac chase diamond comfort dean crystal forum gene
    fancy robin eve sole dawn autumn mercy patience destiny sandy raid mar earl kent ion harsh pearl
    harmony olive pastor penny sierra blessing carol cal ruby amber troy lily lance newton pierce
    chad randy tory trinity rex holly abbey glen coral violet ivy pier melody archer raven jade
    daisy valentine iris aurora flora purity willow sol piper ale gala basil noel luna jasmine poppy
    patty beau rosemary tanner ariel kaiser viola aura brandy loot che clement corona misty aria
    maxim immaculate felicity ebony eta hazel sherry cooper parker carter mason baker fletcher
    spencer bailey harper warren sterling miles lane page major royal prince princess king queen
    christian justice liberty serenity heaven genesis journey miracle precious unique honey candy
    cherry ginger pepper sugar sunny rich sky star sage river storm dusty rusty sonny gay merry
    hardy chance hunter summer april may august will art ash kit
    chelsea preston lincoln chester stanley devon beverley kingston india china georgia kenya
    israel paris victoria adelaide florence sydney austin dallas houston jersey regina trent
    washington
    abu aba ama mina tai taj ava ana nail phoenix lavender kelvin amor sever veer ide prudence scot
    albino ester dev
""".split())

#: Faker has no Welsh list: common Welsh given names, written here (NHS Wales consultations are
#: answered in Welsh and English). Not those that are Welsh words too ("gwyn" white, "elin" elbow,
#: "dai" houses after "ei"); nor any word of Engage's Welsh interface (welsh_words.txt).
WELSH = frozenset("""
    aled alun angharad arwel bethan bronwen carys catrin cerys dafydd delyth dewi dylan eirlys
    eleri elinor emyr emrys ffion gareth geraint gethin glenys gruffudd gruffydd gwenllian gwilym
    huw hywel idris ieuan iestyn ifan iolo iwan llinos llion llywelyn lowri meinir meirion megan
    mererid nerys nia osian owain owen rhian rhiannon rhodri rhys sian siân sioned siôn steffan
    tegan tomos trystan
""".split())
WELSH_WORDS = OUT.with_name("welsh_words.txt")


def names() -> list[str]:
    found = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            for name in getattr(provider, attr, None) or ():
                if len(name) >= 3 and re.fullmatch(r"[^\W\d_]+", name) and all(
                        unicodedata.name(c, "").startswith("LATIN") for c in name):
                    found.add(name.lower())
    welsh_words = set(WELSH_WORDS.read_text(encoding="utf-8").split("\n", 1)[1].split())
    return sorted((found | WELSH) - WORDS - welsh_words)


def main() -> None:
    found = names()
    header = ("# Given names redaction takes for a name on their own (analysis.redact), written by "
              "scripts/first_names.py from Faker's name lists (MIT licence, Copyright (c) 2012 "
              "Daniele Faraglia); see that script for which and why. Names in lower case, after this line.\n")
    OUT.write_text(header + textwrap.fill(" ".join(found), 100) + "\n", encoding="utf-8")
    print(f"{len(found)} names written to {OUT}")


if __name__ == "__main__":
    main()
