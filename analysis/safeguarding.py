"""Phrases that may signal a safeguarding disclosure, as people actually write them.

A named lead reads every flagged answer as written, so a false flag costs them a minute and a
missed one can cost far more. But a detector that flags every "killing me" or "cut" buries the
real disclosures, so each pattern below needs the shape of a disclosure: a person as the object
("hits me", "kill myself"), intent ("want to die", "I'm going to stab"), or a term that only
names harm ("suicidal", "county lines"). Idioms such as "the wait was killing me", "I'd die for a
cup of tea" or "the surgeon cut out the tumour" have none of these shapes.

Standard library only (``re``): this module is imported where scikit-learn is not. Its figures
(recall on written disclosures, false flags on innocent uses of the same words, flag rate on real
feedback) come from ``python -m benchmarks.safeguarding``.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

# Words that a redaction rule must never take for a name ("Nurse Abuse happened").
SAFEGUARDING_WORDS = frozenset(
    """abuse abused abusing abusive assault assaulted attack attacked beat beaten bruise bruises
    bruised bully bullied bullying hit hitting hurt hurting harm harmed self-harm selfharm
    kill killing suicide suicidal overdose rape raped sexual molested grooming groomed
    neglect neglected unsafe danger dangerous threat threatened threatening violence violent
    restrain restrained restraint locked trafficked exploited exploitation coerced scared
    frightened terrified weapon knife cut cutting strangled choked""".split()
)

_SELF = r"(?:my ?self|me ?self|him ?self|her ?self|them ?sel(?:f|ves)|your ?self|our ?selves)"
_NOT = r"(?:n'?t|\s+not|\s+no\s+longer)"
_KIN = (r"(?:husband|wife|partner|ex(?:-?partner|-?husband|-?wife)?|boy ?friend|girl ?friend|bf|gf|"
        r"fianc[eé]e?|spouse|dad|father|step ?-?(?:dad|father|mum|mother)|mum|mom|mother|son|"
        r"daughter|brother|sister|uncle|aunt(?:ie)?|grand(?:ad|dad|father|mother|ma|pa)|nan|gran|"
        r"carer|cousin|neighbour|coach|teacher|landlord|family|parents?)")
_WHO = rf"(?:\b(?:he|she|they)|{_KIN}(?:'s \w+)?|\b(?:mr|mrs|ms|miss|dr)\.? \w+)"
_HIT = (r"(?:hit(?:s|ting)?|beat(?:s|en|ing)?|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?|slap(?:s|ped|ping)?|"
        r"chok(?:e|es|ed|ing)|strangl(?:e|es|ed|ing)|throttl(?:e|es|ed|ing)|shov(?:e|es|ed|ing)|"
        r"push(?:es|ed|ing)?|batter(?:s|ed|ing)?|bit(?:e|es|ten)?|attack(?:s|ed|ing)?|"
        r"assault(?:s|ed|ing)?|abus(?:e|es|ed|ing)|rap(?:e|es|ed|ing)|hurt(?:s|ing)?|"
        r"threaten(?:s|ed|ing)?|burn(?:s|t|ed)?|grab(?:s|bed|bing)?|smack(?:s|ed|ing)?|"
        r"thump(?:s|ed|ing)?|bully|bullies|bullied|molest(?:s|ed|ing)?|touch(?:es|ed|ing)?)")
_PEOPLE = (r"(?:me|us|him|her|them|(?:my|our|his|her|the) (?:mum|mother|mom|dad|father|kids|"
           r"children|child|son|daughter|baby|brother|sister|wife|husband|partner))")
_BODY = r"(?:arms?|wrists?|legs?|thighs?|skin|stomach)"
_DRUGS = r"(?:pills|tablets|paracetamol|meds|medication|medicines?|painkillers|insulin|sleeping \w+)"
_INTENT = (r"(?:i'?m (?:going|gonna|about) to|i am (?:going|about) to|i'?m gonna|gonna|i'?ll|i will|"
           r"i (?:really )?want(?:ed)? to|i wanna|i could|i might|i swear i'?ll|i'?d like to|"
           r"i feel like|i keep thinking (?:about|of)|thoughts? (?:about|of)|i'?m tempted to|"
           r"(?:he|she|they) (?:will|'ll|would|says? (?:he|she|they)(?:'ll| will)|(?:is|are|'s|'re) "
           r"(?:going|gonna) to)|threaten(?:s|ed|ing)? to)")
_ACT = (r"(?:kill|murder|stab|shoot|hurt|harm|attack|punch|batter|strangle|burn|smash|glass|beat)"
        r"(?:s|ed|ing|ting|bing)?")
_TARGET = (r"(?:him|her|them|someone|somebody|anyone|everyone|people|other people|you|"
           r"(?:my|the|his|her|their|that|this|your|a) \w+)")

_HARM = r"(?:kill|hurt|harm|stab|shoot|beat|batter|punch|strangle|burn|rape|attack|kick|hit|smash)"
_NOT_HARM = r"(?! (?:out|off|with (?:a|the) (?:bill|charge|fine|fee|letter)))"

_PATTERNS = {
    "suicide": [
        r"suicid\w*",
        rf"(?:kill|killing|killed|kills|hang|hanging|hanged|hung|shoot|shot|drown|drowning|gas|"
        rf"poison|poisoning|top|topping|off|offing|end|ending) {_SELF}\b(?! (?:up|out|to))",
        r"(?:end|ending|ended|ends|finish|finishing) (?:it all|it|things|everything|my (?:own )?life|"
        r"(?:his|her|their) (?:own )?life)\b(?! (?:there|with|on|up|early|off|now for|for the day))",
        r"(?:take|taking|took|taken|takes) (?:my|his|her|their) (?:own )?life",
        r"(?:want|wanted|wants|wanting|wanna|wish|wished|wishing|ready|trying|tried|try|plan|"
        r"planning|planned|would rather|'d rather|prefer) (?:to )?(?:die|be dead|kill)\b(?! for)",
        r"wish (?:i|i'd|he|she) (?:was|were|had|'d) (?:dead|never been born|not here|gone)",
        r"better off (?:dead|without me|if i (?:was|were) (?:gone|dead|not here))",
        rf"(?:do|did|does|would|could){_NOT} (?:want|wanna|wish|care) (?:to )?(?:live|be alive|be here|"
        r"exist|wake up|go on(?! (?:the|a|an|with|to|holiday|about))|carry on|keep going)",
        r"(?:don'?t|do not|no longer|not) (?:want to )?(?:live|be alive) any ?more",
        r"(?:no|nothing|not any|nothing left)(?: \w+)? (?:reason |point |purpose )?(?:to|in|for) "
        r"(?:live|living|go on|going on|carry on|carrying on)\b",
        r"what'?s the point (?:in|of) (?:living|going on|carrying on|life|being alive|me)",
        r"(?:no|not any|isn'?t any|nothing) point (?:in )?(?:living|being alive|being here|"
        r"going on|carrying on)\b(?! (?:about|with|at|to|and|waiting|trying|for|in the|on the))",
        rf"(?:life|living|it)(?: is|'s|s)?(?:{_NOT}|n'?t|\s+not) worth (?:living|it any ?more)",
        r"not worth living",
        r"(?:i|he|she)\s+(?:can'?t|cannot|can not|couldn'?t|could not) (?:go on|carry on|do this|"
        r"cope|take (?:it|this)|"
        r"keep going)(?: like this)?(?: any ?more| for much longer)",
        # Alone, at the end of a sentence: "I can't go on." (not "I can't go on waiting this long").
        r"(?:i|he|she) (?:just |really |honestly )?(?:can'?t|cannot|can not|couldn'?t) (?:go on|carry on|"
        r"keep going|do this any ?more|take (?:it|this) any ?more)(?: like this)?(?: any ?more)?"
        r"(?=\s*(?:[.!?…]|$|and i (?:want|wish|just want)|i (?:want|wish|just want)))",
        r"(?:never|not) (?:to )?wake up",
        r"(?:disappear|gone|go away) (?:for good|for ever|forever)",
        r"(?:nobody|no one|no-one) would (?:miss|notice|care)",
        r"(?:took|take|taken|taking|had|swallowed) (?:an? )?(?:overdose|od)\b",
        r"(?:i|he|she|they|\w+ (?:son|daughter|brother|sister|friend|mum|dad)) (?:\w+ )?overdosed\b",
        rf"overdose of {_DRUGS}",
        rf"(?:took|swallowed|taken|downed|taking) (?:\w+ ){{0,2}}(?:too many|all (?:of )?my|"
        rf"(?:a )?(?:load|lot|handful|bunch|box|packet|whole box|whole packet)s? of) (?:\w+ )?{_DRUGS}",
        rf"(?:stockpil|hoard|sav)\w* (?:up )?(?:my |all my |his |her )?{_DRUGS}",
        # Intent, not habit: "I'm going to take all my pills tonight", not "I take all my tablets".
        rf"(?:going to|gonna|about to|i'?ll|i will|want to|wanna|plan(?:ning)? to|thinking (?:of|about)|"
        rf"tempted to) (?:just )?(?:take|taking|swallow|swallowing|down|downing) (?:\w+ ){{0,2}}"
        rf"(?:too many|all (?:of )?(?:my|the|his|her|these|those)|(?:a )?(?:load|lot|handful|bunch|box|"
        rf"packet|whole box|whole packet)s? of) (?:\w+ )?{_DRUGS}\b"
        r"(?! (?:as|with|on time|properly|regularly|correctly|every|each|in the morning|at the right|"
        r"to |back|in to|into))",
        rf"(?:jump|jumping|jumped|throw|throwing|threw|step|stepping|stepped|walk|walking) "
        rf"(?:{_SELF} )?(?:off|from|in front of|under) (?:a|the|my|our) (?:\w+ )?(?:bridge|train|"
        r"car park|building|roof|cliff|multi[- ]?storey|lorry|bus|balcony|window|tower|car)",
        r"(?:thoughts?|thinking|ideas?) (?:of|about) (?:dying|death|ending|killing|suicide|taking my|"
        r"not being here|being dead)",
        r"\b(?:kms|unalive)\b",
    ],
    "self-harm": [
        r"self[- ]?(?:harm\w*|injur\w*|mutilat\w*)",
        rf"(?:cut|cutting|cuts|slash\w*|burn|burning|burnt|burned|burns|harm|harming|harmed|hit|"
        rf"hitting|punch|punching|scratch\w*|starve|starving|starved|bang|banging|bite|biting|stab|"
        rf"stabbing|injure|injuring|injured|hurt|hurting|hurts) {_SELF}"
        r"(?! (?:when i (?:fell|tripped|slipped)|while|falling|playing|lifting|at work|at the gym|"
        r"in the garden|in a fall|"
        r"on the|doing|getting|running))",
        rf"(?:cut|cutting|cuts|slit|slitting|slash\w*|scratch\w*|burn\w*|carv\w*) "
        rf"(?:my|his|her|their) {_BODY}\b",
        r"(?:start(?:ed)?|been|begun|began|keeps?|kept) cutting(?: again)?(?=\s*(?:[.,!?;]|$|since|"
        r"when|and|because|but|every|at night))",
        rf"(?:fresh |new |old )?(?:cuts|scars|burns|marks) (?:on|from|up|all over) "
        rf"(?:my|his|her|their) {_BODY}",
        r"scars from (?:cutting|self|where (?:i|he|she) (?:used to )?cut)",
        rf"(?:make|makes|made|making) {_SELF} (?:sick|throw up|vomit)",
        r"(?:blade|razor|knife) (?:to|on|into) (?:my|his|her|their)",
        r"bang(?:s|ed|ing)? (?:my|his|her|their) head (?:against|on|off)",
        r"punch(?:es|ed|ing)? walls? until",
    ],
    "domestic abuse": [
        r"domestic(?:ally)? (?:abus\w*|violen\w*)",
        r"coercive(?:ly)? control\w*",
        rf"{_WHO}\b[^.!?\n]{{0,40}}?\b{_HIT} {_PEOPLE}\b(?! (?:with (?:parking|charges|fees|the bill|"
        r"news|questions)|up on|that|how|hard when|out|off|along|around|forward|"
        r"in (?:a|his|her|their|the) (?:wheelchair|chair|pram|buggy)))",
        r"(?:i'?m|i am|i was|i'?ve been|i have been|being|been|im) (?:(?!a |an |the )\w+ )?"
        r"(?:abused|assaulted|attacked|"
        r"beaten(?! to)|raped|hit|punched|kicked|strangled|stabbed|threatened|bullied|groomed|"
        r"trafficked|exploited|molested|battered)\b(?! (?:by (?:a|the) (?:car|bus|van|ball|lorry|"
        r"cyclist|bike|wave|bill|news|traffic)|with (?:a|the) (?:bill|charge)|out|off))",
        rf"(?:scared|afraid|frightened|terrified) (?:of|to go home|to leave|to tell) (?:him|her|them|"
        rf"my {_KIN}|what (?:he|she|they)'?(?:ll|will)?)",
        r"(?:scared|afraid|frightened|terrified) to go home",
        rf"(?:he|she|they|{_KIN}) (?:won'?t|will not|doesn'?t|does not|never) let(?:s)? me "
        r"(?:see|go|leave|have|out|talk|speak|use|eat|work|sleep|visit|call|phone|contact)",
        rf"(?:{_KIN}|he|she)[^.!?\n]{{0,30}}?(?:controls|controlling)\b",
        r"(?:checks|reads|goes through|takes) my (?:phone|messages|texts)",
        r"locks? me (?:in|out)",
        # Threatened, or told they will be hurt: "my neighbour threatens to stab me", "he'll kill me"
        # ("they" only of the writer: "they will kill us with these waits" is about the service).
        rf"(?:threaten\w* (?:to )?|(?:says? )?(?:he|she)(?:'ll| will| is going to|'s going to| would) )"
        rf"{_HARM} (?:me|us|my (?:{_KIN}|kids|children|child|baby))\b{_NOT_HARM}",
        rf"(?:says? )?they(?:'ll| will| are going to|'re going to| would) {_HARM} me\b{_NOT_HARM}",
        # Not safe at home, or with someone: "I don't feel safe at home", "I feel unsafe with him".
        rf"(?:(?:don'?t|do not|doesn'?t|does not|didn'?t|did not|never|no longer|not) feel(?:s|ing)? safe|"
        rf"(?:feel|feels|felt|feeling|am|i'm|is|are|was|were) (?:so |really |very |completely )?"
        rf"(?:unsafe|not safe)) (?:at home|in (?:my|our|his|her|their) (?:own )?(?:home|house|flat)|"
        rf"with (?:him|her|my {_KIN})|(?:around|near) (?:him|her|them|my {_KIN}))\b",
        r"(?:threaten\w*|says? (?:he|she)(?:'ll| will)) (?:to )?(?:kill|hurt|harm|take the kids|"
        r"take the children|hurt the (?:kids|children)) ?(?:me|us|the|if|her|him)?",
        rf"(?:{_KIN}|he|she)[^.!?\n]{{0,20}}?(?:is|was|'s|has been|can be|gets|got) (?:very |really |so |"
        r"quite )?(?:physically |emotionally |verbally |sexually |financially )?(?:abusive|violent|"
        r"controlling)",
        r"abusive (?:relationship|partner|husband|wife|marriage|home|father|mother|boyfriend|"
        r"girlfriend|ex|parents?)",
        rf"(?:physically|emotionally|sexually|financially) abusive (?:to|towards) {_PEOPLE}",
        rf"bruis\w*[^.!?\n]{{0,30}}? from (?:my {_KIN}|him|her|them|when (?:he|she))",
        r"(?:by|from) the throat",
        r"victim of (?:domestic|abuse|rape|sexual|trafficking|modern slavery|violence|assault|"
        r"exploitation|grooming|coercive)",
    ],
    "sexual abuse": [
        r"\brap(?:e|ed|es|ing|ist)\b",
        r"sexual(?:ly)? (?:abus\w*|assault\w*|exploit\w*|touch\w*|messages|pictures|images|photos|"
        r"things|comments|advances|harass\w*)",
        r"molest\w*",
        r"(?:being|been|was|were|is|get|got) groomed",
        r"grooming (?:my|her|him|them|children|kids|young|a child|girls|boys|\d+ year)",
        r"touch(?:ed|es|ing)? (?:me|her|him|us|my \w+) (?:inappropriately|sexually|down there|"
        r"under|between|there|in private|when (?:i|he|she) was (?:little|young|a child|small))",
        r"inappropriately touch\w*",
        rf"(?:{_KIN}|a (?:man|woman|stranger)) touched (?:me|her|him|us)",
        rf"forced (?:{_SELF} )?(?:on|upon) (?:me|her|him)",
        r"(?:forced|force|forces|forcing|made|make|makes|making) (?:me|her|him) (?:to )?"
        r"(?:have sex|do (?:sexual|things)|perform|touch)",
        r"naked (?:pictures|photos|images|selfies)|\bnudes\b",
        r"spik(?:e|ed|ing) (?:my|her|his) drinks?",
        r"indecent(?:ly)? (?:exposure|assault\w*|images|photos|pictures)",
    ],
    "neglect": [
        r"(?:child|self|elder)[- ]?neglect",
        r"being neglected",
        rf"(?:{_KIN}|child|children|kids|baby|toddler|residents?|patients?|gran|nan|grandma)\b[^.!?\n]{{0,30}}?"
        r"\b(?:is|was|were|are|been|gets?|got) (?:badly |totally |completely |so )?neglected",
        rf"neglect(?:s|ed|ing)? (?:my|his|her|their|the) (?:\w+ )?(?:{_KIN}|child|children|kids|baby|"
        r"patients?|residents?|gran|nan)",
        r"(?:children|kids|child|baby|toddler|son|daughter|brother|sister|niece|nephew)\b[^.!?\n]{0,30}?"
        r"\b(?:left|alone|home alone|on (?:their|his|her) own|unsupervised|outside alone|by themselves)"
        r"(?: \w+)? (?:for|all|every|at night|overnight|while|when)",
        r"(?:home alone|left alone|on their own)[^.!?\n]{0,20}(?:every|all) (?:night|day|weekend)",
        r"(?:not|never|isn'?t|aren'?t|wasn'?t|hasn'?t been|haven'?t been|not being) (?:properly |being )?"
        r"(?:fed|washed|changed|bathed|cleaned|turned)\b",
        r"(?:nobody|no one|no-one|never anyone)(?: is)? (?:feeds|feeding|washes|washing|changes|turns|"
        r"checks on|looks after|looking after|helps|gives)",
        r"(?:hungry and dirty|dirty and hungry|always hungry)",
        r"(?:no|without) (?:food|heating|water)(?: \w+)? (?:or|and) (?:food|heating|water|drink)",
        r"(?:goes|go|went|gone|left) without (?:food|water|drink|a drink|meals|eating)",
        r"left (?:in|on) (?:a |his |her |their )?(?:soiled|wet|dirty|own urine|own faeces|urine|faeces)",
        r"(?:sitting|lying|left) in (?:his|her|their) own (?:urine|faeces|mess|poo|wee|excrement)",
        r"soiled (?:pads|sheets|bed|clothes|nappies|nappy)",
        r"(?:bed ?sores|pressure sores|pressure ulcers)",
        r"(?:lying|laying|left) on the floor (?:for|all|of)",
        r"(?:hasn'?t|has not|haven'?t|have not|not) (?:had a wash|been washed|eaten|been fed|had a bath|"
        r"had (?:a|any) (?:meal|food|drink)) (?:in|for) (?:days|weeks|\w+ days|\w+ weeks)",
        r"carers (?:never|don'?t|do not|didn'?t|did not) (?:come|turn up|show up|visit)",
        r"left to (?:look after|care for|mind)",
        r"(?:nobody|no one|no-one|never) (?:gave|give|gives|offered) (?:him|her|them|me|my \w+) "
        r"(?:anything|any food|a drink|food|water)",
        r"not (?:being )?fed properly|not (?:being )?looked after",
    ],
    "exploitation": [
        r"county lines|modern slavery|traffick\w*",
        r"(?:being|been|is|was|are|were|get|gets|got) (?:\w+ )?exploited",
        r"financial(?:ly)? (?:abus\w*|exploit\w*)",
        r"(?:take|taking|takes|took|taken|steals|stole|stealing|spends|spending|spent|using|uses|used) "
        r"(?:all )?(?:(?:my|his|her|their) )?(?:\w+'s )?(?:\w+ )?(?:money|pension|benefits|savings|bank card|"
        r"wages)",
        # A card only as someone's, and not the writer paying with their own: "the parking machines
        # never take cards" and "I used my card to pay" are no disclosure.
        r"(?<!\bi )(?:take|taking|takes|took|taken|steals|stole|stealing|using|uses|used) "
        r"(?:my|his|her|their) (?:\w+'s )?(?:\w+ )?cards?\b",
        r"(?:make|makes|made|making|forced|force|pressured|pressure|get|gets|got|getting) "
        r"(?:me|him|her|them|my \w+)(?: \w+)? (?:in)?to (?:sell|selling|carry|carrying|deliver|delivering|"
        r"move|moving|hold|holding|hide|transport|deal|dealing)",
        r"(?:give|gives|gave|giving) (?:him|her|them|my \w+) (?:drugs|money)(?: \w+)? (?:to sell|and)",
        r"(?:sell|selling|carry|carrying|deliver|delivering|dealing) drugs for",
        r"(?:took|take|taken|taking|kept|keep|keeps|keeping|holding|hold|holds) (?:my|his|her|their|our) "
        r"passports?",
        rf"(?:do|does|did|will|would){_NOT} pay (?:me|us|him|her|them)",
        r"for no (?:money|pay|wages)",
        r"work (?:\w+ )?to pay off",
        r"(?:being |been |was |is )?made to (?:sell|carry|deliver|steal)",
        r"older (?:boyfriend|man|men|boys?|lads?)\b[^.!?\n]{0,20}(?:gives?|gave|buys?|bought)",
    ],
    "threats to others": [
        rf"{_INTENT} (?:\w+ )?{_ACT}(?: up)? {_TARGET}",
        r"bring (?:a|my) (?:knife|gun|weapon|blade|machete|bat)",
        r"(?:have|got|carry|carrying) a (?:gun|knife|weapon|blade|machete)",
        r"(?:someone|somebody|people|one of you)(?:'s| is| are)? (?:going|gonna) (?:to )?get (?:hurt|killed)",
        r"blow (?:up )?(?:the|this) (?:place|hospital|surgery|clinic)",
    ],
}

# The same shapes in Welsh, for answers written in Welsh (NHS Wales consultations). Welsh changes
# a word's first letter after some words ("fy nharo", "hits me", from "taro"; "fy ngham-drin",
# "abuses me", from "cam-drin"), so a pattern names each form. As in English, a word that only
# names harm is enough ("hunanladdiad", suicide; "trais domestig", domestic violence), and
# "cam-drin" (abuse) alone is not ("staff yn wynebu cam-drin gan gleifion", staff face abuse
# from patients).
_WELSH_PATTERNS = {
    "suicide": [
        r"hunan[- ]?ladd\w*",                                   # suicide, suicidal
        r"(?:lladd|ladd|nladd) (?:fy|ei|eu) (?:hun|hunan|hunain)\b",  # kill myself
        r"(?:eisiau|isio|moyn) (?:marw|farw)\b(?! (?:am|dros) )",   # want to die (not "for ...")
        r"ddim (?:eisiau|isio|moyn) byw\b",                     # don't want to live
        r"gorddos\w*",                                          # overdose
        r"(?:gwell|well) (?:gen i|gyda fi) (?:fod yn )?farw",    # I'd rather be dead
    ],
    "self-harm": [
        r"hunan[- ]?niwei\w*|hunan[- ]?anaf\w*",                # self-harm, self-injury
        r"(?:niweidio|niweidiais|anafu|torri|torrais|llosgi) (?:fy|ei|eu) (?:hun|hunan|hunain)\b",
    ],
    "domestic abuse": [
        r"(?:cam[- ]?drin|trais) (?:domestig|yn y cartref)",     # domestic abuse, violence
        r"rheolaeth (?:drwy|trwy) orfodaeth",                    # coercive control
        r"fy (?:ngham[- ]?drin|nharo|mwrw|nghuro|nychryn)\b",   # abuses / hits / beats / scares me
        r"(?:ofn|ofnus) (?:mynd|i fynd) (?:adref|adre|gartref|gatre)",  # afraid to go home
    ],
    "sexual abuse": [
        r"(?:treis|dreis|nhreis|threis)(?:io|iwyd|iodd|iwr)\b",  # rape, was raped
        r"(?:trais|ymosodiad|ymosod|cam[- ]?drin|gam[- ]?drin) rhywiol",  # sexual violence, assault, abuse
    ],
    "neglect": [
        r"esgeulustod\w*",                                      # neglect
        r"(?:cael|gael) (?:ei|eu|fy) (?:esgeuluso|hesgeuluso|hanwybyddu'n llwyr)",  # being neglected
        r"(?:cam[- ]?drin|esgeuluso) (?:plant|plentyn)",          # child abuse or neglect
    ],
    "exploitation": [
        r"camfanteisio\w*|masnachu pobl|caethwasiaeth fodern|llinellau sirol",
    ],
    "threats to others": [
        r"(?:mynd i|am|yn mynd i) (?:ladd|drywanu|saethu|frifo) (?:rhywun|rhywrai|nhw|e|hi|fe|fo|chi|pawb)\b",
    ],
}
_PATTERNS = {kind: patterns + _WELSH_PATTERNS.get(kind, []) for kind, patterns in _PATTERNS.items()}

_COMPILED = {name: re.compile("|".join(rf"\b(?:{p})" for p in patterns))
             for name, patterns in _PATTERNS.items()}
_SPACES = re.compile(r"\s+")
# People type without apostrophes ("dont", "cant", "im"); the patterns expect them.
_CONTRACTIONS = re.compile(r"\b(do|does|did|can|could|would|wo|is|are|was|has|have)nt\b")
_IM = re.compile(r"\bim\b")
# Text speak: "i want 2 die", "going 2 end it".
_TO = re.compile(r"\b(want|wanna|going|gonna|ready|trying|try|plan|planning|about|decided) 2 (?=[a-z])")


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _CONTRACTIONS.sub(r"\1n't", text)
    text = _IM.sub("i'm", text)
    text = _TO.sub(r"\1 to ", text)
    return _SPACES.sub(" ", text)


# --- The screen: a quick test that rules a text out before the patterns run -------------------
#
# Almost no answer is a disclosure, and running seven long patterns over every answer was most
# of the time the analysis spent on safeguarding. So each kind also gets a screen: a set of
# strings, at least one of which is in every text its pattern can match. A text that contains
# none of them cannot match, and the pattern is not run; a text that contains one is checked
# by the pattern as before. The strings are derived from the patterns themselves (below), never
# written by hand, so the flags are exactly those of the patterns alone; tests/analysis/
# test_safeguarding.py checks this on the test sets and on texts generated from the patterns.

_EXACT_LIMIT = 128  # most strings kept when spelling out what a piece of a pattern can match
_SHORTEST = 3  # strings shorter than this (not counting spaces) are in too many texts to help
_COMMON = frozenset("""not for all when the my me him her his them they he she it is was are were
be been being to of in on at and or a an i you we our your their take took used make made get
got have had has do did does no never one off from with by up out so this that go going want""".split())


def _minimal(strings) -> list[str]:
    """``strings`` without those that contain another of them (they add nothing)."""
    kept: list[str] = []
    for s in sorted(strings, key=len):
        for k in kept:
            if k in s:
                break
        else:
            kept.append(s)
    return kept


def _cost(strings) -> float:
    """Roughly the share of texts containing one of ``strings``: short and common words cost most."""
    return sum(0.6 ** len(s.strip()) * (20 if s.strip() in _COMMON else 5 if len(s.strip()) <= 3 else 1)
               for s in strings)


def _best(candidates, shortest=_SHORTEST):
    """The candidate set of required strings likely to be in the fewest texts, or None."""
    usable = [c for c in candidates if c and min(len(s.strip()) for s in c) >= shortest]
    if len(usable) < 2:
        return set(usable[0]) if usable else None
    return set(min((_minimal(c) for c in usable), key=_cost))


def _cross(left, right):
    if left is None or right is None or len(left) * len(right) > _EXACT_LIMIT:
        return None
    return {a + b for a in left for b in right}


def _sequence(items, constants, shortest):
    """``(exact, required)`` of a sequence of parsed regex items.

    ``exact`` is the set of every string the sequence can match, or None if that is not small
    and known; ``required`` is a set of strings at least one of which is in every match, or None.
    """
    candidates, run, exact = [], {""}, {""}
    for op, arg in items:
        item_exact, item_required = _item(op, arg, constants, shortest)
        candidates.append(item_required)
        if item_exact is None:  # the literal run so far ends here
            candidates.append(run)
            run, exact = {""}, None
            continue
        longer = _cross(run, item_exact)
        if longer is None:  # too many spellings: keep the run so far, start again from here
            candidates.append(run)
            longer = set(item_exact)
        run = longer
        exact = _cross(exact, item_exact)
    candidates.append(run)
    return exact, _best(candidates, shortest)


def _item(op, arg, constants, shortest):
    """``(exact, required)`` of one parsed regex item; anything not understood is (None, None),
    which only ever makes the screen let more texts through."""
    c = constants
    if op is c.LITERAL:
        return {chr(arg)}, None
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero width: matches the empty string
        return {""}, None
    if op is c.IN:
        chars = set()
        for kind, value in arg:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < 16:
                chars.update(chr(code) for code in range(value[0], value[1] + 1))
            else:  # \w, \s, a negated set, a wide range: any of many characters
                return None, None
        return chars, None
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = arg
        if add_flags or del_flags:  # e.g. (?i:...): the spelling is no longer exact
            return None, None
        return _sequence(sub.data, constants, shortest)
    if op is c.BRANCH:
        exacts, required = [], []
        for sub in arg[1]:
            sub_exact, sub_required = _sequence(sub.data, constants, shortest)
            exacts.append(sub_exact)
            required.append(_best([sub_required, sub_exact], shortest))
        exact = None
        if all(e is not None for e in exacts):
            exact = set().union(*exacts)
            exact = exact if len(exact) <= _EXACT_LIMIT else None
        either = None if any(r is None for r in required) else set().union(*required)
        return exact, either
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, sub = arg
        sub_exact, sub_required = _sequence(sub.data, constants, shortest)
        if low == 0:
            return (sub_exact | {""} if high == 1 and sub_exact is not None else None), None
        if low == high == 1:
            return sub_exact, sub_required
        return None, _best([sub_required, sub_exact], shortest)
    return None, None


def required_strings(pattern: str, shortest: int = _SHORTEST):
    """Strings at least one of which is in every text ``pattern`` matches (no flags), or None
    when the pattern gives no such set; none shorter than ``shortest`` (spaces not counted)."""
    try:  # CPython's own regex parser; if a later Python moves it, there is simply no screen
        from re import _constants as constants
        from re import _parser as parser

        exact, required = _sequence(parser.parse(pattern).data, constants, shortest)
    except Exception:  # noqa: BLE001 - any failure means "no screen", which is always safe
        return None
    best = _best([required, exact], shortest)
    return None if best is None else frozenset(_minimal(best))


def _alternation(strings) -> str:
    """A regex matching any of ``strings``, as a trie, so one pass tries few branches."""
    trie: dict = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node):
        if "" in node:  # a whole string ends here: anything longer adds nothing
            return ""
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


_BUILDING = threading.Lock()


def _screens():
    """``(any, by_kind)``: one regex for texts that may match some kind (None: no screen), and
    per kind a regex for texts that may match it (None for a kind without a screen). Built on
    first use, not at import: the web imports this module.

    Built by one thread while the others wait: a web worker's threads all ask at once when
    answers first arrive, and each building its own copy (a fifth of a second) cost the worker
    four times that, under load, in the middle of people's answers."""
    with _BUILDING:
        return _built_screens()


@lru_cache(maxsize=1)
def _built_screens():
    by_kind = {}
    for name, pattern in _COMPILED.items():
        required = required_strings(pattern.pattern)
        by_kind[name] = None if required is None else required
    if any(r is None for r in by_kind.values()):
        first = None
    else:
        first = re.compile(_alternation(set().union(*by_kind.values())))
    return first, {name: None if r is None else re.compile(_alternation(r))
                   for name, r in by_kind.items()}


def _unscreened_concerns(plain: str) -> list[str]:
    return [name for name, pattern in _COMPILED.items() if pattern.search(plain)]


def safeguarding_concerns(text: str) -> list[str]:
    """Return the kinds of possible risk ``text`` describes, e.g. ``["suicide"]`` (empty if none)."""
    if not text:
        return []
    plain = _normalise(text)
    first, by_kind = _screens()
    if first is not None and first.search(plain) is None:
        return []
    return [name for name, pattern in _COMPILED.items()
            if (by_kind[name] is None or by_kind[name].search(plain)) and pattern.search(plain)]


def mentions_safeguarding(text: str) -> bool:
    """Return True if ``text`` may describe a risk of harm to the writer or someone else."""
    return bool(safeguarding_concerns(text))
