"""Text pools for the synthetic benchmark generator (``benchmarks/generate.py``).

Template syntax: ``{slot}`` is filled from ``SLOTS``/the domain's pools (or a generated value:
numbers, amounts, dates, times, codes); a trailing digit (``{time2}``) asks for a second, independent
value. ``[a|b|c]`` picks one option inline; options may contain slots. Entity slots are "sticky":
within one example the same ``{drug}`` is reused, so a question and its answer talk about the same
thing. Answer cores have no final punctuation (the generator adds lead-ins, tails and the period).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def words(text: str) -> list[str]:
    """Whitespace-separated names; a hyphen joins a multi-word name (``Ann-Arbor``)."""
    return [w.replace("-", " ") for w in text.split()]


# --------------------------------------------------------------------------------------------
# Shared pools
# --------------------------------------------------------------------------------------------

CITIES = words("""Aberdeen Albany Alexandria Amarillo Anchorage Ann-Arbor Asheville Athens Augusta Austin
Bakersfield Bangor Baton-Rouge Billings Birmingham Bismarck Boise Boulder Bozeman Bristol Buffalo
Burlington Cambridge Camden Canton Carlisle Casper Cedar-Rapids Charleston Charlotte Chattanooga
Cheyenne Chester Clarksville Columbia Concord Corvallis Dayton Denton Dover Dublin Duluth Durham
Eugene Evanston Fairbanks Fargo Flagstaff Fort-Collins Frederick Fresno Gainesville Galveston
Glasgow Grand-Rapids Greensboro Greenville Hamilton Harrisburg Hartford Helena Hilo Houston
Huntsville Ithaca Jackson Juneau Kalamazoo Kingston Knoxville Lafayette Lancaster Lansing Laredo
Leeds Lexington Lincoln Livingston Lowell Lubbock Madison Manchester Marietta Medford Memphis
Middletown Milford Missoula Mobile Monterey Montpelier Nashua Newark Newport Norfolk Norwich
Oakland Odessa Ogden Olympia Omaha Orlando Oxford Pasadena Pensacola Peoria Plymouth Portland
Preston Providence Provo Pueblo Raleigh Reading Redding Reno Richmond Riverside Roanoke Rochester
Rockford Salem Salinas Santa-Fe Savannah Scranton Sheffield Shreveport Sioux-Falls Spokane
Springfield Stamford Stockton Syracuse Tacoma Tallahassee Tempe Toledo Topeka Trenton Tucson Tulsa
Tyler Utica Ventura Waco Warwick Waterloo Wichita Wilmington Winchester Worcester Yakima York
Yonkers Youngstown Yuma""")

SURNAMES = [
    "Abbott",
    "Acosta",
    "Adeyemi",
    "Ahmed",
    "Alvarez",
    "Andersen",
    "Arnold",
    "Baker",
    "Banerjee",
    "Barnes",
    "Becker",
    "Bennett",
    "Bishop",
    "Blake",
    "Bowen",
    "Boyle",
    "Brennan",
    "Brooks",
    "Bryant",
    "Burke",
    "Byrne",
    "Caldwell",
    "Campbell",
    "Carver",
    "Castillo",
    "Chandler",
    "Chen",
    "Clarke",
    "Coleman",
    "Collins",
    "Cortez",
    "Cruz",
    "Dalton",
    "Davies",
    "Delgado",
    "Diaz",
    "Donovan",
    "Doyle",
    "Duarte",
    "Dunn",
    "Ellis",
    "Emerson",
    "Estrada",
    "Farrell",
    "Fischer",
    "Fleming",
    "Flores",
    "Ford",
    "Foster",
    "Fraser",
    "Gallagher",
    "Garcia",
    "Gibson",
    "Gordon",
    "Graham",
    "Grant",
    "Guerrero",
    "Gupta",
    "Hale",
    "Hansen",
    "Harper",
    "Hayes",
    "Henderson",
    "Hoffman",
    "Holland",
    "Hughes",
    "Ibrahim",
    "Iqbal",
    "Jensen",
    "Jimenez",
    "Kang",
    "Kaur",
    "Keller",
    "Kennedy",
    "Khan",
    "Kim",
    "Klein",
    "Kowalski",
    "Lambert",
    "Larsen",
    "Lawson",
    "Lee",
    "Lindqvist",
    "Lopez",
    "Lucas",
    "Lynch",
    "Madsen",
    "Malik",
    "Marsh",
    "Martens",
    "Mehta",
    "Mendez",
    "Meyer",
    "Molina",
    "Moreno",
    "Morgan",
    "Murphy",
    "Nakamura",
    "Nash",
    "Navarro",
    "Nguyen",
    "Nielsen",
    "Novak",
    "Nowak",
    "Obi",
    "Okafor",
    "Oliveira",
    "Olsen",
    "Ortega",
    "Osei",
    "Owens",
    "Park",
    "Patel",
    "Pearson",
    "Perez",
    "Petrov",
    "Quinn",
    "Ramirez",
    "Reyes",
    "Richter",
    "Rivera",
    "Romero",
    "Rossi",
    "Russo",
    "Saito",
    "Salazar",
    "Santos",
    "Schmidt",
    "Schultz",
    "Sharma",
    "Silva",
    "Singh",
    "Sokolov",
    "Soto",
    "Stein",
    "Sullivan",
    "Suzuki",
    "Tanaka",
    "Torres",
    "Tran",
    "Turner",
    "Vargas",
    "Vasquez",
    "Vogel",
    "Wagner",
    "Walsh",
    "Warren",
    "Weber",
    "Wong",
    "Yamamoto",
    "Young",
    "Zhang",
    "Zimmerman",
]

FIRST_NAMES = [
    "Aaron",
    "Abigail",
    "Adrian",
    "Aisha",
    "Alex",
    "Alice",
    "Amara",
    "Amir",
    "Ana",
    "Andre",
    "Anita",
    "Ben",
    "Bianca",
    "Caleb",
    "Camila",
    "Carmen",
    "Chloe",
    "Chris",
    "Dana",
    "Daniel",
    "David",
    "Diego",
    "Elena",
    "Eli",
    "Emma",
    "Erin",
    "Fatima",
    "Felix",
    "Grace",
    "Hannah",
    "Hugo",
    "Ines",
    "Isaac",
    "Ivy",
    "Jamal",
    "Jana",
    "Jasmine",
    "Javier",
    "Jonah",
    "Julia",
    "Kai",
    "Karen",
    "Kevin",
    "Laila",
    "Leo",
    "Lina",
    "Lucas",
    "Maya",
    "Mei",
    "Miguel",
    "Mira",
    "Nadia",
    "Naomi",
    "Nina",
    "Noah",
    "Omar",
    "Owen",
    "Priya",
    "Rachel",
    "Rafael",
    "Rosa",
    "Ruth",
    "Sam",
    "Sara",
    "Sean",
    "Sofia",
    "Tariq",
    "Theo",
    "Uma",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
]

STREETS = [
    f"{a} {b}"
    for a in [
        "Elm",
        "Harbor",
        "Maple",
        "Cedar",
        "Mill",
        "Station",
        "Chapel",
        "Bridge",
        "Church",
        "Orchard",
        "Park",
        "Union",
        "Willow",
        "Garden",
        "Victoria",
        "Market",
        "Spring",
        "Lake",
        "Oak",
        "River",
    ]
    for b in ("Street", "Road", "Avenue", "Lane", "Way")
]

SLOTS: dict[str, list[str]] = {
    "city": CITIES,
    "surname": SURNAMES,
    "first": FIRST_NAMES,
    "street": STREETS,
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "month": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "relative": [
        "mother",
        "father",
        "spouse",
        "partner",
        "daughter",
        "son",
        "carer",
        "sister",
        "brother",
        "grandmother",
        "grandfather",
        "aunt",
        "guardian",
    ],
}

TIMES = words("7-am 7:30-am 8-am 8:30-am 9-am 9:30-am 10-am 11-am noon 1-pm 2-pm 3-pm 4-pm 5-pm")
LATE_TIMES = words("5-pm 5:30-pm 6-pm 6:30-pm 7-pm 8-pm 9-pm 10-pm")
AREA_CODES = words("212 312 415 617 202 303 206 512 646 718 305 404 702 713 720 214 503 602 619 818")
# Phrases a truncated answer is cut inside of: "... (usually within 5 business".
PARENTHETICALS = [
    "for example on {weekday} afternoons",
    "usually within {days} business days",
    "see the {month} update for the details",
    "including weekends and public holidays",
    "except for urgent requests from {city}",
    "subject to the usual identity checks",
]

GENERIC_LEADS = [
    "In most cases,",
    "As of {month} {year},",
    "Just so you know,",
    "For reference,",
    "Generally speaking,",
    "To be on the safe side,",
    "Where possible,",
    "At the moment,",
    "Under our current policy,",
    "Usually,",
    "If it helps,",
    "In our experience,",
    "For most {who},",
    "Since {month},",
    "As a rule,",
    "On weekdays,",
    "Good to know:",
    "Typically,",
    "Please note that",
    "For your planning,",
    "In practice,",
    "Following our {month} update,",
    "To keep things simple,",
    "Depending on [your situation|the details],",
    "Most of the time,",
    "For clarity,",
    "From what we can see,",
    "Going forward,",
    "At all of our {city} locations,",
    "In {year},",
    "Since the {month} changes,",
    "As far as we know,",
    "Happily,",
    "To give you an idea,",
    "Based on recent {who},",
    "In the {city} area,",
    "Just a heads-up:",
    "One thing to note:",
    "Quick answer:",
    "Short version:",
    "On {weekday}s,",
    "These days,",
    "For new {who},",
    "In most weeks,",
    "In short,",
]

GENERIC_TAILS = [
    ", in most cases",
    ", although this can vary [by location|from case to case|slightly]",
    ", unless we have told you otherwise in writing",
    " as of {month} {year}",
    ", according to our current [policy|guidelines]",
    ", so it is worth [planning ahead|checking in advance]",
    " (this can change during [public holidays|peak periods])",
    ", which [most|many] {who} find [convenient|easier]",
    " — [no need to call first|you do not need to call first]",
    ", and the [same|exact same] rule applies [at weekends|on public holidays]",
    " if [nothing|little] has changed since your last [visit|contact]",
    ", as described in our {month} [notice|update]",
    " for [now|the time being]",
    ", even if [you are new to us|this is your first time]",
    ", which [usually|normally] saves [time|a second trip]",
    " (see your welcome [pack|letter] for details)",
    " in almost every case we see",
    ", and we will confirm [by email|in writing|by text]",
]

GENERIC_CORES = [
    "Our [team|staff] is [available|on hand] from {time} to {time2} on weekdays, with [shorter|reduced] hours on {weekday}",
    "We [aim|try] to [respond|reply] to written [requests|enquiries] within {n} business days [at most|or sooner]",
    "You will [receive|be given] a reference number such as {ref} that you can quote if you [contact|write to] us again",
    "[Any|All|The] [changes|edits|updates] you make [to your request|on your account|online] are [logged|recorded|saved], so nothing is lost if you [change your mind|need to undo them|call the {city} team later]",
    "Our {city} office [handles|processes] these [requests|cases] for the whole [region|area] [from {time}|on weekdays]",
    "We [updated|revised] this process in {month} {year} to [reduce waiting times|make it simpler|cut down on paperwork]",
    "If something [looks wrong|does not add up], [reply to|answer] your confirmation message and a [specialist|team member] will [look into it|take a look] [within {days} days|quickly]",
    "Requests [received|sent to us] after {time2} are [handled|picked up] the next business day [in the order they arrive|by the {city} team]",
    "[There is no charge|We don't charge] for this [service|request|kind of request] unless you [ask for|need] it [urgently|within {hours} hours|by {weekday}], in which case a [fee|surcharge] of {small_amount} [applies|is added]",
    "About {pct} of [requests|questions] like yours are [resolved|sorted out] on the first [contact|call]",
]

GENERIC_OPENERS = [
    "Thanks for [reaching out|getting in touch|your question].",
    "Good question.",
    "Happy to help [with this|with that].",
    "Sure thing.",
    "Thanks for asking about this.",
    "[Great|Good] question, and a common one.",
    "I can help with that.",
    "Thanks for the details.",
    "Sorry for the [trouble|confusion] here.",
    "Of course.",
]

GENERIC_CLOSERS = [
    "Let us know if anything else comes up.",
    "Hope that helps!",
    "[Feel free to|Please] reply here if you have [more questions|any follow-up questions].",
    "We are always happy to help.",
    "Thanks again for [your patience|getting in touch].",
    "[Good luck|All the best] with [it|everything]!",
    "If anything is unclear, just ask.",
    "We hope this [clears things up|answers your question].",
]

QUESTION_OPENERS = [
    "Hi,",
    "Hello,",
    "Quick question:",
    "Hi there —",
    "Good morning.",
    "Hey,",
    "Sorry if this was asked before, but",
    "Hello again.",
    "Question:",
    "Hi team,",
    "Good afternoon,",
    "I was wondering:",
    "Hoping you can help.",
    "Hi, quick one:",
    "Morning!",
    "Thanks in advance.",
    "Sorry, another question:",
    "Can you help?",
    "Hello there,",
    "One more thing:",
    "Apologies if this is obvious, but",
    "Hi — first time asking here.",
]

SHORT_ANSWERS = [
    "Yes.",
    "No.",
    "See website.",
    "Yes, that's right.",
    "Please call us.",
    "Contact support.",
    "It depends.",
    "Check the portal.",
    "N/A",
    "TBD",
    "See above.",
    "Not at this time.",
    "Try again later.",
    "We'll get back to you.",
    "Sure!",
    "Correct.",
    "Please see the FAQ.",
    "Ask at the front desk.",
    "No, sorry.",
    "Yes, you can.",
    "Done.",
    "Refer to the policy.",
    "Thanks, noted.",
    "Please email us.",
    "Maybe.",
    "Yes — see the guide.",
    "Not sure, sorry.",
    "Use the form.",
]

# Personally identifiable information; {pii_email}, {pii_phone}, {pii_card}, {pii_iban} are generated.
PII_ANSWER_SENTENCES = [
    "You can reach {first} directly at {pii_email} if you need anything else.",
    "Please call {first} {surname} on {pii_phone} to confirm the details.",
    "I have noted the card number {pii_card} on your file for this payment.",
    "The refund will be sent to account {pii_iban} within a few days.",
    "I spoke with {first} at {pii_phone} this morning and they confirmed it.",
    "Send the signed copy to {pii_email} and we will take it from there.",
    "The charge was made to card {pii_card} on {date}.",
    "Our records show your mobile number as {pii_phone} and your email as {pii_email}.",
]
PII_QUESTION_SENTENCES = [
    "My email is {pii_email}.",
    "You can call me on {pii_phone}.",
    "My card number is {pii_card}, if that helps.",
    "My account is {pii_iban}.",
    "Please reply to {pii_email} rather than the old address.",
    "My number is {pii_phone} and the best time is after {time}.",
]
EMAIL_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "proton.me",
    "icloud.com",
    "hotmail.co.uk",
]


def generated_slots(rnd: Callable[[], float]) -> dict[str, Callable[[], str]]:
    """Slots filled with a fresh value each time: numbers, money, dates, codes and PII."""

    def num(lo: int, hi: int) -> Callable[[], str]:
        return lambda: str(lo + int(rnd() * (hi - lo + 1)))

    def pick(xs: Sequence[str]) -> Callable[[], str]:
        return lambda: _pick(rnd, xs)

    def letters() -> str:
        return chr(65 + int(rnd() * 26)) + chr(65 + int(rnd() * 26))

    return {
        "n": num(2, 9),
        "nn": num(10, 90),
        "days": num(2, 14),
        "age": num(12, 16),
        "year": num(2018, 2025),
        "hours": pick(("2", "4", "6", "12", "24", "48", "72")),
        "minutes": pick(("10", "15", "20", "30", "45", "60", "90")),
        "time": pick(TIMES),
        "time2": pick(LATE_TIMES),
        "time3": pick(LATE_TIMES),
        "amount": lambda: f"${20 + rnd() * 4980:,.2f}",
        "amount2": lambda: f"${5000 + rnd() * 45000:,.0f}",
        "small_amount": lambda: f"${5 + int(rnd() * 95)}",
        "pct": lambda: f"{0.5 + rnd() * 24:.1f}%",
        "date": lambda: f"{_pick(rnd, SLOTS['month'])} {1 + int(rnd() * 28)}",
        "ref": lambda: f"{letters()}-{10000 + int(rnd() * 90000)}",
        "code": lambda: f"E{1000 + int(rnd() * 9000)}",
        "ver": lambda: f"{2 + int(rnd() * 8)}.{int(rnd() * 30)}.{int(rnd() * 10)}",
        "day_of_month": pick(("1st", "5th", "10th", "15th", "20th", "28th")),
        "pii_email": lambda: email(rnd),
        "pii_phone": lambda: phone(rnd),
        "pii_card": lambda: card_number(rnd),
        "pii_iban": lambda: iban(rnd),
    }


def _pick(rnd: Callable[[], float], xs: Sequence[str]) -> str:
    return xs[int(rnd() * len(xs))]


def _digits(rnd: Callable[[], float], n: int) -> str:
    return "".join(str(int(rnd() * 10)) for _ in range(n))


def email(rnd: Callable[[], float]) -> str:
    """A personal email address such as ``maya.okafor7@gmail.com``."""
    first, last = _pick(rnd, FIRST_NAMES).lower(), _pick(rnd, SURNAMES).lower()
    digits = str(int(rnd() * 100)) if rnd() < 0.4 else ""
    return f"{first}{_pick(rnd, ('.', '_', ''))}{last}{digits}@{_pick(rnd, EMAIL_DOMAINS)}"


def phone(rnd: Callable[[], float]) -> str:
    """A valid-format US or UK number, written the way customers type them."""
    area, line = _pick(rnd, AREA_CODES), _digits(rnd, 4)
    exchange = f"{2 + int(rnd() * 8)}{_digits(rnd, 1)}{2 + int(rnd() * 8)}"
    formats = (
        f"({area}) {exchange}-{line}",
        f"{area}-{exchange}-{line}",
        f"+1 {area} {exchange} {line}",
        f"+44 79{2 + int(rnd() * 7)}{_digits(rnd, 1)} {_digits(rnd, 6)}",
        f"07{7 + int(rnd() * 3)}{_digits(rnd, 2)} {_digits(rnd, 3)} {_digits(rnd, 3)}",
    )
    return _pick(rnd, formats)


def card_number(rnd: Callable[[], float]) -> str:
    """A Luhn-valid 16-digit Visa/Mastercard-style number, grouped by 4."""
    digits = [4] if rnd() < 0.5 else [5, 1 + int(rnd() * 5)]
    digits += [int(rnd() * 10) for _ in range(15 - len(digits))]
    total = sum(x if i % 2 else (2 * x - 9 if x > 4 else 2 * x) for i, x in enumerate(reversed(digits)))
    number = "".join(map(str, [*digits, (10 - total % 10) % 10]))
    return _pick(rnd, (" ", "-", "")).join(number[i : i + 4] for i in range(0, 16, 4))


def iban(rnd: Callable[[], float]) -> str:
    """A UK IBAN with valid mod-97 check digits."""
    bank = "".join(chr(65 + int(rnd() * 26)) for _ in range(4))
    account = _digits(rnd, 14)
    numeric = "".join(str(int(c, 36)) for c in bank + account + "GB00")
    return f"GB{98 - int(numeric) % 97:02d}{bank}{account}"


# Near-duplicate edits.
SYNONYMS = {
    "can": "may",
    "usually": "normally",
    "within": "in",
    "please": "kindly",
    "help": "assist",
    "about": "around",
    "before": "ahead of",
    "request": "ask for",
    "available": "offered",
    "need": "require",
    "most": "many",
    "will": "should",
    "check": "verify",
    "quickly": "promptly",
    "free": "complimentary",
    "contact": "reach",
}
FILLER_WORDS = [
    "also",
    "usually",
    "typically",
    "still",
    "just",
    "really",
    "simply",
    "certainly",
    "generally",
    "now",
]
CONJUNCTIONS = {
    "and",
    "or",
    "but",
    "the",
    "a",
    "an",
    "to",
    "of",
    "for",
    "with",
    "in",
    "on",
    "at",
    "from",
    "by",
    "your",
    "our",
    "if",
    "because",
}

# --------------------------------------------------------------------------------------------
# Domains
# --------------------------------------------------------------------------------------------

HEALTH: dict[str, Any] = {
    "who": ["patients", "families", "visitors"],
    "org_parts": (
        words("""Northgate Riverside Cedar-Valley Harborview Maplewood Lakeside Summit Bayview
        Westbrook Pinecrest Oakridge Fairhaven Brookfield Elmwood Silverlake Highland
        Kingsbridge Meadowvale"""),
        [
            "Health",
            "Medical Center",
            "Hospital",
            "Clinic Group",
            "Community Hospital",
            "Health System",
        ],
    ),
    "system": [
        "You are the patient support assistant for {org}. Answer questions about appointments, billing and services clearly and kindly. Do not give medical advice; direct urgent symptoms to emergency care.",
        "You are a friendly front-desk assistant at {org}. Keep answers accurate and practical, and never diagnose or recommend treatment.",
        "You help patients of {org} with administrative questions. Be concise, warm and precise.",
    ],
    "pools": {
        "drug": words("""amoxicillin lisinopril metformin atorvastatin levothyroxine amlodipine
        omeprazole losartan simvastatin gabapentin sertraline hydrochlorothiazide montelukast
        escitalopram rosuvastatin bupropion furosemide pantoprazole fluoxetine trazodone
        prednisone tamsulosin carvedilol meloxicam clopidogrel citalopram warfarin cetirizine
        allopurinol venlafaxine duloxetine glipizide spironolactone propranolol topiramate
        lamotrigine pravastatin valsartan famotidine doxycycline azithromycin cephalexin
        ondansetron finasteride loratadine methotrexate apixaban rivaroxaban sitagliptin
        empagliflozin insulin-glargine budesonide fluticasone albuterol tiotropium levetiracetam
        quetiapine aripiprazole buspirone hydroxyzine baclofen cyclobenzaprine naproxen
        ibuprofen paracetamol diclofenac nitrofurantoin ciprofloxacin metronidazole
        valacyclovir oseltamivir estradiol progesterone norethindrone latanoprost timolol
        diltiazem verapamil digoxin isosorbide ramipril enalapril bisoprolol nebivolol
        colchicine mesalamine sumatriptan rizatriptan zolpidem melatonin ferrous-sulfate
        folic-acid vitamin-D3 thiamine potassium-chloride"""),
        "dept": words("""cardiology dermatology endocrinology gastroenterology neurology oncology
        orthopedics pediatrics rheumatology urology nephrology pulmonology ophthalmology
        audiology physiotherapy obstetrics gynecology hematology allergy psychiatry
        geriatrics podiatry radiology sleep-medicine pain-management sports-medicine
        infectious-disease vascular-surgery plastic-surgery ENT"""),
        "procedure": [
            "colonoscopy",
            "knee arthroscopy",
            "cataract surgery",
            "MRI scan",
            "CT scan",
            "endoscopy",
            "hip replacement",
            "carpal tunnel release",
            "tonsillectomy",
            "gallbladder removal",
            "hernia repair",
            "skin biopsy",
            "cardiac stress test",
            "echocardiogram",
            "bone density scan",
            "mammogram",
            "sleep study",
            "allergy patch test",
            "cystoscopy",
            "joint injection",
            "wisdom tooth extraction",
            "varicose vein treatment",
            "shoulder surgery",
            "spinal injection",
            "cardiac catheterization",
            "ultrasound",
            "pulmonary function test",
            "nerve conduction study",
            "bunion surgery",
            "physiotherapy assessment",
            "hearing test",
            "eye examination",
            "mole removal",
            "prostate biopsy",
            "hysteroscopy",
            "thyroid ultrasound",
        ],
        "test": [
            "blood test",
            "cholesterol panel",
            "HbA1c test",
            "thyroid panel",
            "liver function test",
            "kidney function test",
            "urine test",
            "vitamin D test",
            "iron studies",
            "full blood count",
            "glucose tolerance test",
            "PSA test",
            "COVID-19 PCR test",
            "strep test",
            "allergy blood test",
            "INR check",
            "lipid profile",
            "B12 test",
            "pregnancy test",
            "stool test",
            "hepatitis screen",
            "metabolic panel",
            "coagulation screen",
            "celiac screen",
        ],
        "condition": [
            "diabetes",
            "asthma",
            "heart failure",
            "COPD",
            "high blood pressure",
            "arthritis",
            "chronic kidney disease",
            "epilepsy",
            "migraine",
            "depression",
            "osteoporosis",
            "Crohn's disease",
            "psoriasis",
            "sleep apnea",
            "atrial fibrillation",
            "hypothyroidism",
        ],
        "insurer": [
            f"{a} {b}"
            for a in ["BlueRiver", "Keystone", "Meridian", "Harbor", "Summit", "Evergreen", "Unity"]
            for b in ["Health", "Care", "Mutual"]
        ],
        "vaccine": [
            "flu",
            "COVID-19",
            "shingles",
            "pneumococcal",
            "tetanus",
            "hepatitis B",
            "HPV",
            "RSV",
            "measles",
            "whooping cough",
            "polio",
            "typhoid",
            "yellow fever",
            "chickenpox",
            "meningitis",
            "hepatitis A",
        ],
        "site": [
            f"{a} {b}"
            for a in ["North", "East", "West", "Riverside", "Hillcrest", "Parkside", "Old Town"]
            for b in ["campus", "clinic", "outpatient center"]
        ],
    },
    "topics": [
        (
            [
                "How [do|can|should] I [request|order|get] a refill [for|of] my {drug} [prescription|medication]?",
                "Can I [get|pick up|collect] my {drug} refill at the {city} pharmacy [instead of|rather than] [the main one|my usual one|the hospital]?",
                "My {drug} prescription [has run out|ran out yesterday|is almost finished|runs out on {weekday}] — what [should I do|are my options|do you suggest]?",
                "Is it [possible|okay] to get a [90-day|three-month|longer] supply of {drug} [this time|going forward|for travel]?",
                "Why was my [refill request|repeat prescription] for {drug} [declined|put on hold|delayed] [again|this week|on {date}]?",
                "[Who do I ask|Where do I go] [about|for] a {drug} refill [when|if] Dr. {surname} is [away|on leave|unavailable]?",
            ],
            [
                "Refill requests for {drug} [can be submitted|are accepted|can be sent] [through the patient portal|in the app|at any pharmacy counter] and are [usually|mostly] [ready|processed|filled] within {days} business days",
                "[If|When] you have no refills left on your {drug} [prescription|script], the [pharmacy|pharmacy team] will [contact|message] Dr. {surname}'s office to [request|ask for] [a new prescription|authorization] on your behalf",
                "Our {city} pharmacy [stocks|carries|keeps] {drug} and can [transfer|move] your prescription [the same day|within {hours} hours] if you [ask|speak to someone] at the [counter|desk]",
                "[Controlled|Scheduled] medications [cannot be refilled early|need a fresh prescription each time], so [please|do] [request|order] your next [supply|fill] at least {n} days before you [run out|finish the pack]",
                "A [90-day|three-month] supply is [possible|available] for [most|many] [maintenance|long-term] medications, [although|but] {insurer} may [require|ask for] a [mail-order|specialty] pharmacy",
                "Refills [placed|requested|sent] before {time} on a weekday are [normally|generally] ready for [pickup|collection] [the next morning|after {time2}|by the following afternoon]",
                "[If|When] a refill [was|is] [declined|put on hold], it [usually|often] means [your prescriber|Dr. {surname}] [wants|would like] to [see you|review your dose|check your levels] before [approving|renewing] it",
                "You can [sign up for|switch on|enrol in] [automatic|repeat] refills of {drug} so that the pharmacy [prepares|starts] each fill {n} days before your [supply|pack] [ends|runs out]",
            ],
        ),
        (
            [
                "How [can|do] I [reschedule|move|change] my [appointment|visit] with Dr. {surname} [on {weekday}|next week|on {date}]?",
                "What is the [earliest|next available|soonest] [appointment|slot] at the {dept} clinic [in {city}|at the {site}]?",
                "[Do I need to|Should I|Do I have to] [arrive early|fill out forms|bring anything|call ahead] [before|for] my first {dept} [visit|appointment] [at the {site}|on {weekday}|]?",
                "Can I [book|schedule|make] a {dept} appointment [online|through the app|without calling] [for my {relative}|for myself|this month]?",
                "What happens if I [miss|am late for|can't make] my [appointment|slot] on {weekday} [morning|afternoon]?",
                "[Is it possible to see|Can I see] Dr. {surname} [by video|on the phone|in {city}] instead of [coming in|at the {site}]?",
            ],
            [
                "[Appointments|Visits] with the {dept} team can be [moved|rescheduled|changed] [online|in the portal|by phone] up to {hours} hours [before the visit|beforehand] [without any charge|at no cost]",
                "[New|First-time] patients [should|are asked to] arrive {minutes} minutes early to [complete|finish] [registration|check-in] and [confirm|update] their {insurer} details",
                "The {dept} clinic [currently has|usually has|often has] [openings|free slots] on {weekday} [mornings|afternoons], and [cancellations|released slots] are [added|posted] to the [online calendar|booking page] [throughout the day|every few hours]",
                "[If|When] you miss [an appointment|a visit] without [notice|telling us], we may [charge|apply] a [no-show|missed visit] fee of {small_amount}, [but|although] we [waive|cancel] it [for emergencies|the first time|if you call]",
                "Dr. {surname} [runs|holds] [clinics|sessions] at the {site} on {weekday}s and [sees|meets] [new|returning] patients [in the morning|after lunch|from {time}]",
                "You will [receive|get] a [reminder|text reminder|message] {n} days before your [appointment|visit], and you can [reply|respond] to [confirm|cancel|rebook] it",
                "[Telehealth|Video] visits with {dept} are [available|offered] for [follow-ups|review appointments], [but|while] [first visits|new referrals] [must|need to] be [in person|at the {site}]",
                "[Please|Remember to] bring [a photo ID|identification], your {insurer} card and a [list|note] of [current medications|everything you take], [including|such as] {drug} [if you take it|where relevant]",
            ],
        ),
        (
            [
                "Why did I [get|receive] a bill for {amount} after my {procedure} [on {date}|last month|in {month}]?",
                "Can I [set up|arrange|get] a payment plan for my {dept} [bill|balance] of {amount}?",
                "How do I [pay|settle] [a bill|my balance] [online|by phone|in person] for my [visit|stay] on {date}?",
                "Is there [financial assistance|help with costs] for [patients|families] [without insurance|with high deductibles|on a low income] in {city}?",
                "I [was charged twice|think I was overcharged] for my [visit|{procedure}] on {date}. [Can you check?|What should I do?|Who do I contact?]",
            ],
            [
                "Your [statement|bill] for {amount} [reflects|shows] the [portion|part] [not covered|left unpaid] by {insurer} after your {procedure} [on {date}|in {month}]",
                "[Payment plans|Instalment plans] are [available|offered] for balances over {small_amount} and can [spread|split] the cost over up to {nn} months [interest-free|without interest]",
                "You can pay [online|by phone|at the cashier's office] [using|with] the [account number|reference] [printed|shown] at the top of [your statement|the bill], [for example|such as] {ref}",
                "[If|When] you believe you were charged twice, our billing [team|office] [can|will] [review|audit] the claim and [issue|process] a refund [of {amount}|where due] within {days} business days",
                "[Financial assistance|Charity care] is [available|offered] to households earning up to [200%|250%|300%|400%] of the federal poverty level, and the [application|form] takes about {minutes} minutes",
                "[Itemized|Detailed] bills [list|show] every [charge|line], [code|billing code] and adjustment, and you can [request|ask for] one [at no cost|through the portal|from the {city} office]",
                "Charges from {dept} are [sometimes|occasionally] billed separately because [the physicians|those doctors] are [independent|contracted] [providers|specialists]",
                "[Estimates|Price estimates] for a {procedure} [range|vary] from {amount} to {amount2} depending on [your plan|the setting|the anesthesia used|the length of stay]",
            ],
        ),
        (
            [
                "When will my {test} results be [ready|available|back] [from {weekday}|after my visit on {date}|this week]?",
                "Where can I [see|find|view] my {test} results [online|in the portal|on my phone] [from {month}|from {date}]?",
                "Do I [need|have] to fast before my {test} on {weekday} [morning|afternoon]?",
                "Who [explains|will go over|talks me through] my {test} results [with me|after {date}|if something is off]?",
            ],
            [
                "[Most|The majority of] {test} results are [released|posted|shared] to the portal within {hours} hours, [while|but] [specialized|send-out|reference-lab] tests can take up to {days} days",
                "You [do not need|don't need] to fast for a {test} unless Dr. {surname} has [specifically|explicitly] [asked you to|told you so|noted it on the form]",
                "For a fasting [test|draw], [please|kindly] [avoid|skip] food for {n} hours [beforehand|before the draw], [but|though] water and your usual {drug} are [fine|allowed]",
                "Results that need [action|follow-up] are [reviewed|discussed] by your care team, who will [call|message|write to] you within {days} business days [of the result|after it arrives]",
                "[Walk-in|Drop-in] blood draws are [available|offered] at the {site} lab from {time} on weekdays, with [shorter|quieter] waits [mid-morning|after lunch|later in the day]",
                "[If|When] a result is [marked|flagged] [abnormal|out of range], it [does not always mean|is not always a sign that] something is wrong, and [your clinician|Dr. {surname}] will [explain|put it in context]",
                "Samples [collected|taken] after {time} are [processed|run|analysed] the following morning, so results [appear|show up] [a day later|on the next working day]",
            ],
        ),
        (
            [
                "[What are|When are|Can you tell me] the visiting [hours|times] for the {dept} [ward|unit] [on {weekday}|at weekends|at the {site}] [for family|for my {relative}|]?",
                "Where [should|can] I park for the {dept} clinic at the {site} [on {weekday}|for a long appointment]?",
                "Is there [a shuttle|public transport|a bus] from {city} to the {site} [in the morning|on weekdays|at weekends]?",
                "Can [children|two visitors|my {relative}] visit a patient in {dept} [at the same time|in the evening|after {time2}]?",
            ],
            [
                "Visiting hours on the {dept} [ward|unit] run from {time} to {time2}, with [quiet hours|a rest period|protected mealtimes] [in the early afternoon|after lunch|around {time}]",
                "[Up to|No more than] {n} [visitors|people] [may|can] be at the bedside [at once|at a time] [on the {dept} ward|in {dept}], and children under {age} [should|must] be [accompanied|supervised] by an adult",
                "The [closest|nearest] parking for {dept} is the [visitor garage|multi-storey car park|surface lot] on {street}, which [costs|charges] {small_amount} for the first [two hours|hour|three hours]",
                "A [free|complimentary] shuttle runs between the {site} and {city} [station|bus terminal] every {minutes} minutes [on weekdays|from {time}]",
                "[Accessible|Blue badge] parking bays are [located|available] near the [main entrance|{dept} entrance], and [porters|volunteers] can [bring|meet you with] a wheelchair [at|by] your car",
                "The [main entrance|front lobby] [opens|is open] at {time}, and after hours [visitors|patients and visitors] [use|are directed to] the [emergency department|night] entrance on {street}",
                "Our [cafeteria|coffee shop] on level {n} is open until {time2} and [offers|serves] [hot meals|vegetarian options|snacks and drinks] [every day|on weekdays]",
            ],
        ),
        (
            [
                "How do I [request|get|order] a copy of my [medical records|health records|chart] from {year} [for a new doctor|for insurance|for my own files]?",
                "I [can't log in to|am locked out of|forgot my password for] the patient portal [since {date}|on my phone|again]. [What should I do?|How do I fix this?|Can you help?]",
                "Can my {relative} [access|see|manage] my records [on my behalf|online|while I am in {city}]?",
                "How do I [update|change] my [address|phone number|contact details] in the portal [after moving to {city}|before my visit on {date}]?",
            ],
            [
                "[Copies|Copies of records] from {year} can be [requested|ordered] [online|using the release form|at the records desk] and are [usually sent|normally ready] within {days} business days",
                "[If|When] you [are locked out of|cannot get into] the [portal|patient app], [use|click|tap] the [Forgot password|Reset access] link, or [ask|call|message] the [support|records|IT] desk [at the {site}|on {weekday}] to [unlock|reopen] your account [after verifying|once we verify] your identity",
                "[Proxy|Shared] access lets a {relative} [view|manage] your records [once|after] you both sign the [authorization|proxy|consent] form [at reception|in the portal]",
                "Electronic copies of your records are [free|at no cost], [while|but] paper copies [cost|are charged at] {small_amount} per [request|set] [plus postage|including postage]",
                "You can [update|change] your address and phone number under [Profile|Account settings|My details] in the portal, and [changes|updates] [take effect|apply] [immediately|within {hours} hours]",
                "[Imaging studies|Scans] from {year} [can be shared|are shared] with [outside providers|other hospitals] [through a secure link|on a disc|by secure transfer] at your request",
            ],
        ),
        (
            [
                "Does {insurer} cover a {procedure} at your [hospital|{site}|{city} site]?",
                "Do I [need|have to get] a [referral|letter from my GP] to see a [specialist|consultant] in {dept} [under {insurer}|this year|at the {site}] [or can I self-refer|for a second visit|]?",
                "How long does [prior authorization|pre-approval] for a {procedure} [take|usually take] [with {insurer}|these days]?",
                "What [happens|should I do] if my {insurer} plan [changed|ends|renews] in {month} [before my {procedure}|mid-treatment]?",
            ],
            [
                "{insurer} [generally|usually] covers a {procedure} when it is [medically necessary|clinically indicated], [but|though] your deductible and [co-insurance|co-pays] [still apply|are still due]",
                "A referral is [required|needed] for {dept} under [most|many] HMO plans, [while|but] PPO members can [usually|normally] [book|self-refer] [directly|without one]",
                "[Prior authorization|Pre-approval] for a {procedure} [typically|normally] takes {days} business days, and we [start|submit] the request as soon as [it is ordered|Dr. {surname} orders it]",
                "[If|When] your {insurer} coverage changes, [please|do] [update|send] your new card details before your next [visit|appointment] so claims [go to|reach] the [right|correct] plan",
                "We are [in-network|contracted] with {insurer} [for hospital services|at all campuses|at the {site}], [but|although] some [specialists|physician groups] bill separately",
                "[Out-of-network|Self-pay] patients can [ask for|request] a good-faith estimate at least {days} days before a [scheduled|planned] {procedure}",
            ],
        ),
        (
            [
                "[Are you offering|Do you have|Can I get] the {vaccine} vaccine at the {site} [this month|on {weekday}|without an appointment]?",
                "How should I [prepare|get ready] for my {procedure} on {weekday} [morning|afternoon|at {time}]?",
                "Can I [eat|drink water|take my {drug}] before my {procedure} [on {date}|tomorrow|at {time}]?",
                "How [long|many weeks] is the recovery [after|from] a {procedure} [for someone my age|if I work from home|with {condition}] [at the {site}|in {month}|]?",
            ],
            [
                "The {vaccine} vaccine is [available|offered] at the {site} [by appointment|on a walk-in basis] on {weekday}s [from {time}|until {time2}]",
                "Before a {procedure}, [stop eating|do not eat] {n} hours [beforehand|before your slot] and [arrive|check in] {minutes} minutes [early|before your appointment time]",
                "[Most people|Most patients] [return to normal activities|get back to work] within {days} days after a {procedure}, depending on [the type of anesthesia|their general health|how they feel]",
                "[Take|Keep taking] your usual {drug} with a [small|little] sip of water unless the [pre-op|surgical] team has [told|advised] you otherwise",
                "You will need [someone|a responsible adult] to [drive|take] you home after a {procedure} [because of the sedation|and stay with you for {hours} hours]",
                "Side effects after the {vaccine} vaccine, such as a [sore arm|mild fever|tiredness], [usually|mostly] [settle|pass] within {n} days",
            ],
        ),
    ],
    "general": [
        "Our nurse advice line is [staffed|open] [around the clock|day and night] for questions that [cannot|can't] wait until the {dept} clinic [opens|is open]",
        "[If|Should] your [symptoms|pain|breathing] [get worse|change suddenly|worsen] [before your {dept} visit|overnight|at the weekend], [go to|visit] the [nearest|closest] [emergency department|ER] or [call|dial] emergency services [straight away|without delay]",
        "Interpreters are [available|provided] [free of charge|at no cost] in more than {nn} languages, [in person|by video] or [by phone|over the phone]",
        "[Please|Do] [let us know|tell us] about any allergies, [especially|particularly] to {drug}, before your [visit|{procedure}]",
        "The {dept} [team|nurses] [aim|try] to [reply|respond] to portal messages within {n} business days, [often sooner|sometimes faster]",
        "Patients with {condition} [may|can] be eligible for our [care coordination|chronic care] program, which [includes|comes with] a dedicated [nurse|care coordinator]",
        "Our {site} and {city} [locations|sites] share the same [records|chart system], so you can [visit|use] either one [for follow-ups|for blood tests]",
        "Forms can be [uploaded|submitted] [through the portal|at reception], and we [scan|add] them to your chart within {days} days [of receipt|of arrival]",
        "[Wheelchairs|Hearing loops|Large-print forms] are [available|kept] at every reception desk, [just ask|so please ask] a member of staff",
        "For urgent but non-life-threatening problems, our urgent care center on {street} is open until {time2} [every day|on weekdays]",
        "Dr. {surname} and the {dept} nurses review [new referrals|incoming requests] every {weekday} [morning|afternoon]",
        "[Bring|Please bring] [any|all] letters from other providers, including notes about your {condition}, to your first [visit|appointment]",
        "Our pharmacy [team|staff] can [check|review] whether {drug} [interacts|could interact] with anything else you take",
        "[Masks|Face masks] are [available|provided] at every entrance during the {vaccine} season [and on request|for anyone who wants one]",
        "[Language|Access|Communication] and [accessibility|mobility|sensory] needs [are recorded|get noted|are flagged] on your [chart|record] [by the {dept} team|at your first visit] so you [do not need|don't have] to [repeat|explain] them [at every visit|each time|to each nurse]",
    ],
    "q_context": [
        "[My GP|My doctor|Dr. {surname}] [suggested|told me] I [ask you|check with you] first.",
        "I'm [a bit anxious|worried|confused] about it, to be honest.",
        "[We're|I'm] [coming from|driving in from|travelling from] {city}[ on {weekday}| that morning|].",
        "I [tried|looked at] the website but couldn't find [the answer|anything clear].",
        "It's been [a while|over a year|{n} months] since my last visit.",
        "[I use a wheelchair|I'm hard of hearing|English isn't my first language], if that [matters|changes anything].",
        "I'm a [new|returning] patient at the {dept} clinic.",
        "This is for my {relative}[, who lives in {city}|, who is {nn}|].",
        "I live in {city}, so the {site} is [closest|easiest].",
        "I've been taking {drug} for [a year|several months|about {n} weeks].",
        "My [appointment|visit] is on {weekday} at {time}.",
        "I'm covered by {insurer}[ through work| since {month}|].",
        "The letter I [got|received] is dated {date}.",
        "I have {condition}, if that [matters|helps].",
    ],
    "list_headers": [
        "Please bring the following:",
        "Here is what to have ready:",
        "You will need:",
        "Before your visit, check that you have:",
    ],
    "list_items": [
        "Photo ID",
        "Your {insurer} card",
        "A list of current medications, including {drug}",
        "Referral letter from Dr. {surname}",
        "Recent {test} results",
        "Comfortable clothing",
        "Glasses or hearing aids if you use them",
        "Your appointment reference {ref}",
        "Payment card for the {small_amount} co-pay",
        "Any imaging discs from {city}",
        "Notes about your {condition}",
        "The signed consent form",
    ],
    "teams": [
        "Patient Services",
        "Billing Office",
        "Pharmacy Team",
        "Scheduling Desk",
        "Care Team",
    ],
    "url_paths": [
        "patients/refills",
        "billing/help",
        "visit/parking",
        "portal/help",
        "records/request",
        "appointments",
    ],
}

LEGAL: dict[str, Any] = {
    "who": ["clients", "tenants", "applicants"],
    "org_parts": (
        SURNAMES[:40],
        ["& Partners LLP", "Legal Aid", "Law Group", "Solicitors", "& Associates", "Law Clinic"],
    ),
    "system": [
        "You are the client support assistant for {org}. Give general legal information, explain processes and fees, and recommend speaking with a lawyer for advice on specific situations.",
        "You answer client questions for {org}. Be accurate and plain-spoken, and do not give legal advice.",
    ],
    "pools": {
        "doc": words("""will lease power-of-attorney tenancy-agreement employment-contract settlement-agreement
        prenuptial-agreement deed-of-gift trust-deed guarantee loan-agreement shareholder-agreement
        non-disclosure-agreement license-agreement consent-order witness-statement statutory-declaration
        affidavit demand-letter court-claim-form defence-form probate-application name-change-deed
        separation-agreement partnership-agreement purchase-contract"""),
        "matter": [
            "tenancy dispute",
            "probate application",
            "unfair dismissal claim",
            "divorce",
            "child custody arrangement",
            "small claims case",
            "personal injury claim",
            "contract dispute",
            "boundary dispute",
            "debt recovery case",
            "visa application",
            "name change",
            "business formation",
            "trademark registration",
            "eviction case",
            "consumer complaint",
            "traffic offence",
            "data access request",
            "inheritance dispute",
            "deposit dispute",
        ],
        "court": [
            f"{city} {kind}"
            for city in CITIES[::3]
            for kind in (
                "County Court",
                "Small Claims Court",
                "Family Court",
                "District Court",
                "Magistrates' Court",
                "Employment Tribunal",
                "Housing Tribunal",
                "Probate Registry",
            )
        ],
        "area": [
            "family law",
            "employment law",
            "housing law",
            "wills and probate",
            "immigration",
            "consumer law",
            "personal injury",
            "business law",
            "property law",
            "debt and insolvency",
        ],
    },
    "topics": [
        (
            [
                "How much [does|would] a first [consultation|meeting|appointment] about a {matter} [cost|usually cost|set me back] [in {city}|with your firm|with a senior lawyer]?",
                "Do you offer [fixed fees|payment plans|a free first call] for {area} [matters|cases|work]?",
                "Can I get [free|low-cost|affordable] advice about my {matter} [before {date}|this month|in {city}]?",
                "What does the {amount} retainer for my {matter} [cover|include|pay for]?",
            ],
            [
                "A first [consultation|meeting] about a {matter} costs {small_amount} for {minutes} minutes, and the fee is [credited|deducted|refunded] if you [instruct us|go ahead with us]",
                "[Fixed fees|Fixed prices] are [available|offered] for [most|much of our] {area} work, starting at {amount} [plus VAT|plus filing costs|plus disbursements]",
                "The retainer of {amount} is [held|kept] in our client account and [drawn down|used] as work is done, with a [statement|breakdown] [each month|every {n} weeks]",
                "[Free|No-cost] {minutes}-minute advice sessions run at our {city} [clinic|office] every {weekday} [for people on low incomes|if you qualify for legal aid|from {time}]",
                "Our hourly rates for {area} [range|run] from {amount} to {amount2} depending on the [seniority|experience] of the [lawyer|fee earner] [handling it|assigned]",
                "[If|Where] your household income is below {amount}, you may [qualify|be eligible] for [reduced|discounted] fees [on a {matter}|for {area} work]",
            ],
        ),
        (
            [
                "How do I [update|change|amend] my {doc} [after moving to {city}|now that things have changed|from {year}]?",
                "Does my {doc} need to be [witnessed|notarised|signed in person] [in {city}|by a lawyer|before {date}]?",
                "Can you [review|check|look over] a {doc} I [received|got] from [the other side|my landlord|my employer] [on {date}|last week]?",
                "How long does it take to [prepare|draft|finalise] a {doc} [with your firm|for my {relative}|this month]?",
            ],
            [
                "A {doc} [usually|normally] takes {days} business days to [prepare|draft] once we have [all of your information|everything we need] [from you|and any supporting papers]",
                "[Most|Many] documents like a {doc} [must|have to] be signed in front of {n} independent witnesses who are not [named in it|family members|beneficiaries]",
                "We can [review|check] a {doc} you have [received|been sent] and [send|give] you written comments within {days} days for a [fixed|flat] fee of {small_amount}",
                "[Changes|Updates] to a {doc} are made by a [new version|formal amendment|deed of variation], and we keep the [previous|earlier] copy [on file|in storage] for {nn} years",
                "[Remote|Video] signing is [accepted|allowed] for a {doc} in [most|many] cases, [but|although] some [registries|offices] still [require|insist on] [wet-ink|paper] originals",
                "[Keep|Store] the original {doc} [somewhere safe|in a fireproof place] and [tell your {relative}|let your {relative} know] where to find it",
            ],
        ),
        (
            [
                "What is the deadline to [respond|reply] to a {matter} notice dated {date} [from the {court}|from the other side]?",
                "How [do I|can I|should I] [file|start|issue] a [claim|case] [at|in] the {court} [myself|without a lawyer|online] [for {amount}|against a company|]?",
                "What [happens|should I expect] at the first [hearing|appearance] [of|in] a {matter} [in {city}|at the {court}|next {month}][ if I go alone| with a lawyer|]?",
                "Can I [ask for|request|get] more time to file my [defence|response] [after {date}|in the {court}]?",
            ],
            [
                "You [generally|normally] have {days} days from the date on the notice to [respond|reply], so a notice dated {date} [needs attention|needs a reply] [soon|quickly]",
                "Claims at the {court} can be [filed|issued] [online|by post|at the counter], and the [issue|filing] fee for a claim of {amount} is {small_amount}",
                "The first hearing is [usually|normally] [short|brief], and the [judge|tribunal] [sets|agrees] a [timetable|schedule] for the {matter} rather than [deciding|ruling on] it",
                "Extensions of up to {nn} days can be [agreed|arranged] with the other side in writing, [but|and] longer [extensions|delays] need the court's [permission|approval]",
                "Missing a court deadline can lead to [judgment being entered|the claim being struck out|costs against you], so [contact|call] us [straight away|immediately] if you are [running late|behind]",
                "The {court} [publishes|posts] its [hearing lists|daily cause list] the [afternoon|evening] before, [usually|normally] by {time2}",
            ],
        ),
        (
            [
                "My landlord [kept|won't return|is holding] my deposit of {amount}[ since {date}|]. What can I do?",
                "Can my landlord [evict me|end my tenancy|change the locks] without [notice|warning] [in {city}|after {n} years]?",
                "Who [is responsible|pays] for [repairs|mould|heating|damp|a broken boiler] in my rented [flat|house|room] [in {city}|on {street}] [since {month}|this winter|after {n} complaints]?",
                "How [much notice|many weeks of notice] do I [have|need] to give [before moving out of|to leave] my [flat|house|room] [in {city}|near {street}] [in {month}|on a rolling tenancy|after {n} years]?",
            ],
            [
                "[Deposits|Tenancy deposits] [must|have to] be [protected|registered] in an [approved|government-backed] scheme within {nn} days, and if [yours|your {amount}] was not, you [may|could] be able to [claim|recover] up to {n} times the [deposit|amount]",
                "Landlords [must|have to] give written notice before [ending a tenancy|asking you to leave], and [the notice period|the minimum period] depends on [the type of agreement|when it started]",
                "Landlords are [responsible|liable] for [structural repairs|heating and hot water|damp caused by defects] in [most|many] tenancies, [and|while] tenants [handle|look after] [minor upkeep|day-to-day care]",
                "Tenants on a [rolling|periodic] agreement [usually|normally] give {n} weeks' notice in writing, [ending on|timed to match] a rent day",
                "[Keep|Save] photos, receipts and messages about your {matter}, because [evidence|documentation] makes a [deposit|repair] claim [much stronger|far more persuasive]",
                "Our housing [team|lawyers] can [write to|contact] your landlord on your behalf for a [fixed|flat] fee of {small_amount} [within {days} days|this week]",
            ],
        ),
        (
            [
                "Was I [unfairly dismissed|let go unfairly|treated unfairly] after {n} years [in my job|at the company|working in {city}]?",
                "My [employer|old employer|manager] [hasn't paid|stopped paying|owes me] my [holiday pay|final wages|overtime] [since {month}|for {year}|of about {amount}]. What are my options?",
                "Should I sign the {doc} my employer [sent|offered|emailed] me [on {date}|last week]?",
                "How [long|much time] do I [have|get] to [bring|start|file] an [employment|unfair dismissal|tribunal] claim [after leaving|after {date}|once I leave {n} weeks from now]?",
            ],
            [
                "Employment claims [usually|normally] [have|need] to start within {n} months [less one day|minus a day] of the [dismissal|last unpaid wage|act complained of]",
                "Before signing a {doc}, you [must|need to] get independent advice, and employers [often|usually] [contribute|pay up to {small_amount}] [towards the cost|for it]",
                "[Unpaid|Missing] holiday pay can be [claimed|recovered] through the {court} if an informal [grievance|complaint] [does not resolve it|goes nowhere]",
                "[You|Employees] [generally|normally] need {n} years of [service|continuous employment] to [bring|make] an unfair dismissal claim [in {city}|at the tribunal], [although|but] some [reasons|grounds] for [dismissal|being let go] are [automatically unfair|exempt from that rule|treated differently]",
                "Early conciliation is a [free|no-cost] [step|process] [you must|everyone must] [start|complete|go through] before [filing|bringing a claim] at the [Employment Tribunal|tribunal], and it [pauses|extends] the time limit by up to {n} weeks",
            ],
        ),
        (
            [
                "How do I [apply for|get] [probate|a grant of probate] for my {relative}'s [estate|house and savings] [in {city}|on my own|this year][ as executor| without a solicitor|]?",
                "What [happens|are the rules] if [someone|my {relative}] [dies|passed away] without a [will|valid will] in {city} [and owns a house|with children|in {year}]?",
                "How long does a {matter} [usually|normally] take [from start to finish|in {city}|at the moment]?",
                "Can I [contest|challenge|dispute] a will [left by|made by] my {relative} [in {year}|last year]?",
            ],
            [
                "[Probate applications|Applications for probate] are [made|submitted|filed] online and [currently|right now] take around {days} weeks [in {city}|to be processed], [longer|slightly longer|often more] if [inheritance tax|estate tax] is [due|payable]",
                "[When|If] there is no [will|valid will], the [estate|property] [passes|is shared] under the intestacy rules, which [usually|generally] [favour|put first] a [spouse|civil partner] and then [children|any children|grandchildren]",
                "A [typical|straightforward] {matter} takes {n} to {nn} weeks from start to finish, [depending on|subject to] how quickly the other side [responds|replies]",
                "[Challenges|Claims] [to|against] a will [must|need to|should] be [brought|started] [promptly|quickly|without delay], and we [recommend|suggest] [taking advice|speaking to us|booking a call] within {n} months of the [death|grant of probate]",
                "Executors can [claim|recover] reasonable expenses from the estate, including our fixed fee of {amount} for a [straightforward|simple] application",
            ],
        ),
    ],
    "general": [
        "All {area} enquiries are [handled|dealt with] by a qualified lawyer, [supported|backed up] by a paralegal in our {city} office",
        "We will [confirm|set out|explain] our [fees|charges] and the [scope|extent] of [work|our work] in a [client care letter|written engagement letter] before we [start|begin] [on your {matter}|any work|in {month}]",
        "[Information|Anything|Whatever] you [share with|tell] us [about your {matter}|at the first meeting|by email] is [confidential|privileged|kept private], even if you [decide|choose] not to [instruct us|go ahead|use our {city} office]",
        "We [aim|try] to [reply|respond] to client emails within {n} business days and to urgent court matters [the same day|within {hours} hours]",
        "Client [files|documents] are [stored|kept] [securely|in an encrypted system] for {nn} years after a matter [closes|ends]",
        "[If|Should] you [are unhappy|feel let down] [with our service|with how your {matter} was handled], our [complaints procedure|complaints process] [is on our website|is explained in the client care letter|is available from {city}], and [a partner|the head of {area}] [reviews|answers] [every complaint|each one] [within {days} days|personally]",
        "Legal aid may be [available|possible] for {area} if you [meet|pass] the means and merits tests",
        "Our {city} office is open for [drop-in|walk-in] questions on {weekday} [afternoons|mornings] [from {time}|until {time2}]",
        "We [cannot|can't|are not allowed to] [advise|act for|represent] both sides of the same {matter}, so [we run|our {city} team runs] a conflict check [before booking you in|before the first meeting|within {hours} hours]",
        "Court fees and other [disbursements|expenses] are [separate from|not included in] our fixed fee unless we [say so|agree otherwise] [in writing|at the outset]",
        "[If|Where] you have a hearing date, please tell us [as soon as|when] you [contact|call] us so we can [prioritise|fast-track] your {matter}",
    ],
    "q_context": [
        "[A friend|My {relative}|Someone at work] [recommended|suggested] your [firm|office].",
        "I [can't afford|don't want to pay for] a long [case|fight] if I can avoid it.",
        "[Everything|The paperwork] is [in my name|in joint names|with my {relative}].",
        "I [moved|relocated] to {city} [last {month}|in {year}|recently].",
        "The other side [has a lawyer|is represented|hasn't replied] [already|since {date}|].",
        "[I have|There are] [emails|texts|letters] [about it|going back to {month}].",
        "The hearing is in {city}[ on {date}|].",
        "I got the letter on {date}.",
        "It [concerns|involves] my {relative}.",
        "I have already [spoken|written] to the other side.",
        "The amount involved is about {amount}.",
        "I'm not sure if I need a lawyer[ yet| for this|].",
    ],
    "list_headers": ["Please send us:", "Documents to bring:", "Before the meeting, gather:"],
    "list_items": [
        "A copy of the {doc}",
        "Photo ID and proof of address",
        "Any letters from the {court}",
        "Your timeline of events since {month}",
        "Payslips for the last {n} months",
        "Messages with the other side",
        "The case reference {ref}",
        "Details of any deadline",
    ],
    "teams": ["Client Services", "Housing Team", "Employment Team", "Private Client Team"],
    "url_paths": ["help/fees", "guides/tenancy", "guides/probate", "clients/documents", "book"],
}

BANKING: dict[str, Any] = {
    "who": ["customers", "members", "account holders"],
    "org_parts": (
        [
            "Granite",
            "Harbor",
            "Prairie",
            "Redwood",
            "Lakeshore",
            "Ironbridge",
            "Bluewater",
            "Goldcrest",
            "Stonegate",
            "Clearwater",
            "Northfield",
            "Oakline",
            "Tidewater",
            "Ashford",
        ],
        ["Bank", "Credit Union", "Savings Bank", "Building Society", "Federal Credit Union"],
    ),
    "system": [
        "You are the customer service assistant for {org}. Explain accounts, cards, payments and fees accurately. Never ask for full card numbers, PINs or passwords.",
        "You help members of {org} with everyday banking questions. Be clear and careful, and send fraud concerns to the security team.",
    ],
    "pools": {
        "account": [
            "current account",
            "savings account",
            "joint account",
            "student account",
            "business account",
            "easy-access saver",
            "fixed-rate bond",
            "ISA",
            "checking account",
            "money market account",
            "youth account",
            "premier account",
            "regular saver",
            "cash ISA",
            "notice account",
            "packaged account",
            "basic bank account",
            "children's savings account",
            "club account",
            "graduate account",
        ],
        "card": [
            "debit card",
            "credit card",
            "prepaid card",
            "business card",
            "travel card",
            "contactless card",
            "cashback card",
            "platinum card",
            "rewards card",
            "student debit card",
            "virtual card",
            "gold card",
            "joint debit card",
            "fuel card",
        ],
        "fee": [
            "overdraft fee",
            "foreign transaction fee",
            "late payment fee",
            "monthly maintenance fee",
            "ATM fee",
            "wire transfer fee",
            "card replacement fee",
            "returned payment fee",
            "paper statement fee",
            "account closure fee",
            "unpaid item fee",
            "cash deposit fee",
            "stop payment fee",
            "dormant account fee",
            "statement copy fee",
        ],
        "loan": [
            "personal loan",
            "car loan",
            "mortgage",
            "home equity loan",
            "student loan",
            "business loan",
            "debt consolidation loan",
            "remortgage",
            "bridging loan",
            "green home loan",
            "boat loan",
            "home improvement loan",
            "buy-to-let mortgage",
            "caravan loan",
        ],
        "channel": [
            "mobile app",
            "online banking",
            "phone banking",
            "banking app",
            "secure message centre",
            "internet banking",
            "mobile banking app",
            "desktop banking site",
            "business banking portal",
        ],
        "txn": [
            "wire transfer",
            "standing order",
            "direct debit",
            "card payment",
            "international transfer",
            "cheque deposit",
            "bill payment",
            "instant transfer",
            "SEPA payment",
            "bank transfer",
            "same-day payment",
            "faster payment",
            "scheduled payment",
            "bulk payment",
        ],
        "currency": [
            "euros",
            "US dollars",
            "pounds",
            "yen",
            "Canadian dollars",
            "Swiss francs",
            "pesos",
        ],
    },
    "topics": [
        (
            [
                "I [lost|can't find|think someone took] my {card} [in {city}|yesterday|on {date}]. What should I do?",
                "How do I [freeze|lock|pause] my {card} in the {channel} [while I look for it|for a few days]?",
                "Why was my {card} [declined|refused] [in {city}|at a shop|online] [on {date}|today]?",
                "When will my replacement {card} [arrive|be delivered|come] [if I ordered it on {date}|to my {city} address]?",
            ],
            [
                "You can [freeze|lock] your {card} [instantly|in seconds] in the {channel}, and [unfreezing|unlocking] it [restores|switches back on] all [payments|card payments]",
                "Replacement cards [arrive|are delivered] within {days} business days, [and|while] [express|next-day] delivery [costs|is charged at] {small_amount}",
                "A {card} can be declined if a payment looks [unusual|out of character], so we may [send a text|message you] asking you to [confirm|approve] it",
                "[Once|As soon as] you report a [card|{card}] [lost|missing|stolen] [in the {channel}|by phone], the old [number|card] [stops working|is cancelled] [immediately|at once] and [recurring|regular|subscription] payments [move|switch|are moved] to the new card [automatically|in most cases]",
                "Daily [spending|card spending] on a {card} is [limited to|capped at] {amount} by default, [but|and] you can [raise|adjust|lower] it in the {channel}",
                "[Digital wallet|Phone] payments keep working on the replacement card as soon as it is [activated|switched on] [in the {channel}|at a cash machine]",
            ],
        ),
        (
            [
                "How long does a {txn} to {city} [take|usually take] [on a weekday|at the moment]?",
                "Can I [cancel|stop|change] a {txn} I set up on {date} [for {amount}|by mistake]?",
                "What is the [limit|maximum] for a {txn} in the {channel} [per day|each time]?",
                "How do I [send|transfer] money abroad in {currency} [from my {account}|to family in {city}]?",
            ],
            [
                "A {txn} [sent|made] before {time} [usually|normally] arrives the same business day, [while|and] later payments are [processed|sent] the next morning",
                "You can [cancel|stop] a {txn} in the {channel} up to the end of the business day before it [is due|goes out|leaves your account]",
                "The [limit|maximum] for a single {txn} is {amount} in the {channel}, and higher amounts can be [approved|authorised] in [a branch|the {city} branch]",
                "[International payments|Transfers abroad] in {currency} [use|are converted at] our [daily|live] exchange rate plus a margin of {pct}, [shown|displayed] [before you confirm|on the review screen] [in the {channel}|at the {city} branch]",
                "[Payments|First payments] to a new [payee|recipient] [may|can] be [held|checked|paused] for up to {hours} hours as a [security measure|fraud check], [and|while] [the {channel} shows|you will see] [the status|a pending label]",
                "[If|Where] a {txn} [is sent|goes] to the wrong [account|payee], [contact|call|message] us [straight away|immediately|the same day] and we will [request|try|attempt] a recall from the [receiving|other] bank, [which can take|usually within] {days} business days",
            ],
        ),
        (
            [
                "Why was I charged a {fee} of {small_amount} [on {date}|last month|this week]?",
                "Can you [refund|waive|reverse] the {fee} on my {account} [this once|as a goodwill gesture]?",
                "Does the {account} have a {fee} [if I travel|every month|in {year}]?",
                "How do I avoid the {fee} [next month|in future|on my {account}]?",
            ],
            [
                "The {fee} of {small_amount} applies when [a payment is made|the balance falls] below the [agreed|arranged] limit on your {account}",
                "We can [refund|waive] a {fee} once in any {nn}-month period if you [ask|request it] [in the {channel}|through the {channel}|in branch]",
                "Keeping at least {amount} in your {account} [removes|avoids|cancels] the monthly maintenance fee",
                "[Fees|Charges] are listed in the tariff sheet for your {account}, which was [updated|revised] in {month} {year}",
                "Alerts in the {channel} can [warn you|notify you|let you know] when your balance [drops|falls] below {small_amount}, which [helps|makes it easier to] avoid a {fee}",
                "Foreign transaction fees are {pct} of each [purchase|payment], [but|although] the travel card [has none|charges nothing]",
            ],
        ),
        (
            [
                "How do I open a {account} [online|in the {channel}|without visiting a branch]?",
                "Can I add my {relative} to my {account} [as a joint holder|as a second user]?",
                "How do I close my {account} [and move the money|before {date}|from abroad]?",
                "What interest rate does the {account} pay [right now|in {year}|on balances over {amount}]?",
            ],
            [
                "You can open a {account} in the {channel} in about {minutes} minutes with [photo ID|a passport or licence] and proof of address",
                "[Adding|Setting up] a joint holder [on a {account}|for your {relative}] [requires|means] both of you [verifying|confirming|proving] your identity, which [can be done|takes about {minutes} minutes] in [any branch|the {city} branch] or in the {channel}",
                "Closing a {account} takes {days} business days, and any [remaining|leftover] balance is [moved|transferred] to an account you choose",
                "The {account} [currently|right now] pays {pct} AER [variable|which is variable], with interest paid [monthly|on the first of each month|every quarter]",
                "[Minors|Young people|Teenagers] [can have|are able to open] a {account} from age {age}, with a [parent|parent or guardian|legal guardian] as [co-signer|joint holder], [and|while] [spending controls|limits of {small_amount} a day] [apply|can be set]",
                "Your account number and sort code [appear|show up] in the {channel} as soon as the {account} is [opened|approved]",
            ],
        ),
        (
            [
                "How much can I borrow with a {loan} [on my salary|over {n} years|right now]?",
                "Can I pay off my {loan} [early|in full] [without a penalty|this year|before {date}]?",
                "What [documents|paperwork|proof] do I need for a {loan} [application|of {amount}] [as a self-employed person|this month|with a {city} address]?",
                "How long does a {loan} decision take [after applying on {date}|at the moment]?",
            ],
            [
                "{loan} amounts range from {amount} to {amount2}, with terms of {n} to [10|15|20|25|30] years [depending on affordability|subject to status]",
                "You can repay a {loan} early at any time, [though|but] an early repayment charge of up to {pct} may apply in the [first years|first {n} years]",
                "[Most|The majority of] {loan} decisions are made within {hours} hours, [and|while] [complex|larger] applications can take {days} business days",
                "For a {loan} we [usually|normally] need {n} months of [payslips|bank statements] and proof of address [dated within {n} months|from the last quarter]",
                "[Your rate|The rate we offer] for a {loan} depends on your [credit history|credit record] and the [amount|sum borrowed], and a [soft search|quotation search] [does not affect|won't affect] your [score|credit file][ at all| in any way|]",
                "Missed {loan} payments are reported after {days} days, so [please|do] [call us|get in touch] [early|as soon as possible] if you are [struggling|finding it hard]",
            ],
        ),
        (
            [
                "I got a [text|message|call] saying my {account} is [locked|suspended|frozen]. Is it [real|genuine|a scam]?",
                "I don't recognise a {txn} of {amount} on my statement [from {date}|this month].",
                "How do I [reset|change] my {channel} password [on a new phone|after moving to {city}]?",
                "[Someone|A man|A woman|A caller] [called|rang|texted|messaged me] [claiming to be from the bank|saying they were from {org}|pretending to be from {org}] [on {weekday}|this morning|at {time}] [about my {account}|and knew my name]. What should I do?",
            ],
            [
                "[We|{org}] will [never|not] ask for your [PIN|card PIN], [full password|online password] or a [one-time code|security code] by [phone|text|email][ or in an app message| or on social media|]",
                "If you do not recognise a {txn} of {amount}, report it in the {channel} and we will [block|freeze] the card while we [investigate|look into it]",
                "[Disputed|Contested] card transactions are [usually|normally] [resolved|settled] within {nn} days, and we may credit the amount [temporarily|in the meantime]",
                "You can [reset|change] your {channel} password [with|using] the [link|Forgot password link] on the sign-in page and a [code|one-time code] sent to your [registered|trusted] [device|phone|email]",
                "[Suspicious|Unexpected] [messages|texts|emails] can be [forwarded|reported] to our [security|fraud] team, and [deleting|ignoring] them [afterwards|after that] is [safest|the safest option]",
                "[If|In case] you [shared|gave out|read out] [details|any codes|your card number] [with|to] [a caller|someone on the phone|a stranger], [call|ring|phone] the number on the back of your {card} [immediately|straight away|right now] [so we can block it|to stop further payments]",
            ],
        ),
    ],
    "general": [
        "Our {channel} is available [around the clock|24 hours a day], [except|apart from] short maintenance windows on {weekday} nights",
        "The {city} branch is open from {time} to {time2} on weekdays and until [noon|1 pm|{time}] on Saturdays",
        "Statements for your {account} are [available|kept] in the {channel} for the last {n} years [as PDFs|to download]",
        "Deposits are protected up to {amount} per [customer|person] under the [national|government] guarantee scheme",
        "Business customers have a dedicated [team|relationship team] that [answers|handles] calls from {time} [on weekdays|Monday to Saturday]",
        "Cheques [deposited|paid in] before {time} are [credited|available] by the end of the next business day",
        "Large cash withdrawals over {amount} need {n} days' notice at [the branch|your branch]",
        "Interest rates are [reviewed|checked] every {month}, and we give {nn} days' notice of any [decrease|cut]",
        "Our budgeting tools in the {channel} [group|sort] your spending by category [automatically|as you go]",
        "Joint account holders [each|both] receive their own {card} and {channel} login",
    ],
    "q_context": [
        "[I'm|We're] [with you|banking with you] through the {channel}[ mostly|].",
        "[My {relative}|My partner|A friend] [usually handles|normally sorts out] this for me.",
        "I [need|want] to [sort this out|fix this] before {weekday}.",
        "I [moved|changed address] to {city} [recently|in {month}|last year].",
        "[Nothing|No one] [at the branch|on the phone] could [tell me|explain] this.",
        "[It's|This is] [urgent|quite urgent|not urgent], [but|and] I [want to understand it|need to plan ahead].",
        "I'm [travelling|going] to {city} [next week|on {date}].",
        "I've been a customer for {n} years.",
        "It happened on {date}[ around {time}|].",
        "I [use|mostly use] the {channel} [most of the time|for everything].",
        "This is about my {account}[ only|, not my other account|].",
        "The amount was {amount}.",
    ],
    "list_headers": ["To get started you will need:", "Have these ready:", "Checklist:"],
    "list_items": [
        "Photo ID",
        "Proof of address from the last {n} months",
        "Your {account} number",
        "Details of the {txn}",
        "Recent payslips",
        "The reference {ref}",
        "Access to the {channel}",
    ],
    "teams": ["Customer Care", "Card Services", "Lending Team", "Security Team"],
    "url_paths": ["help/cards", "help/payments", "fees", "security", "loans/apply"],
}

SOFTWARE: dict[str, Any] = {
    "who": ["users", "customers", "admins"],
    "org_parts": (
        [
            "Nimbus",
            "Orbit",
            "Quartz",
            "Lattice",
            "Beacon",
            "Vertex",
            "Cobalt",
            "Juniper",
            "Helix",
            "Pulsar",
            "Tandem",
            "Ember",
            "Atlas",
            "Fathom",
            "Relay",
            "Kestrel",
        ],
        ["Cloud", "Software", "Labs", "Systems", "HQ", "Apps"],
    ),
    "system": [
        "You are the support assistant for {org}. Give precise, step-by-step help and mention the relevant settings by name.",
        "You are a helpful technical support agent for {org}. Keep answers short and accurate, and escalate outages to the status page.",
    ],
    "pools": {
        "product": [
            f"{a} {b}"
            for a in [
                "Nimbus",
                "Orbit",
                "Quartz",
                "Lattice",
                "Beacon",
                "Vertex",
                "Cobalt",
                "Juniper",
                "Helix",
                "Pulsar",
                "Tandem",
                "Ember",
            ]
            for b in ["Sync", "Desk", "Ledger", "Notes", "Board", "Flow", "Vault", "Chat"]
        ],
        "feature": [
            "two-factor authentication",
            "single sign-on",
            "shared workspaces",
            "offline mode",
            "audit log",
            "custom fields",
            "recurring tasks",
            "webhooks",
            "the API",
            "dark mode",
            "bulk import",
            "scheduled exports",
            "guest access",
            "version history",
            "automation rules",
            "email notifications",
            "the calendar view",
            "team templates",
            "usage reports",
            "data retention settings",
        ],
        "platform": [
            "Windows",
            "macOS",
            "Linux",
            "iOS",
            "Android",
            "ChromeOS",
            "iPadOS",
            "Windows 11",
            "Ubuntu",
            "Fedora",
        ],
        "browser": ["Chrome", "Firefox", "Safari", "Edge", "Brave", "Opera", "Vivaldi", "Chromium", "Arc"],
        "integration": [
            "Slack",
            "Jira",
            "GitHub",
            "Google Drive",
            "Dropbox",
            "Salesforce",
            "Zapier",
            "Microsoft Teams",
            "Trello",
            "HubSpot",
            "Zendesk",
            "Okta",
            "Outlook",
            "Notion",
        ],
        "plan": [
            "Free",
            "Starter",
            "Team",
            "Business",
            "Enterprise",
            "Pro",
            "Team Plus",
            "Business Plus",
            "Growth",
            "Scale",
            "Premium",
            "Basic",
            "Essentials",
            "Standard",
            "Advanced",
            "Ultimate",
        ],
        "role": [
            "admin",
            "owner",
            "editor",
            "viewer",
            "billing manager",
            "guest",
            "member",
            "project manager",
            "contributor",
            "auditor",
            "workspace admin",
            "team lead",
            "commenter",
        ],
        "file": [
            "CSV",
            "XLSX",
            "JSON",
            "PDF",
            "PNG",
            "ZIP",
            "XML",
            "Markdown",
            "TSV",
            "DOCX",
            "HTML",
            "ICS",
            "JPEG",
            "YAML",
        ],
    },
    "topics": [
        (
            [
                "I can't [log in|sign in] to {product} on {platform} [since {date}|this morning|after the update]. [Any ideas?|What should I try?|Help?]",
                "How do I [turn on|enable|set up] {feature} in {product} [for my team|for everyone|on {platform}]?",
                "Why does {product} keep [logging me out|asking me to sign in again] [on {platform}|every {hours} hours]?",
                "How do I reset my {product} password [without my old phone|if I changed my email|on {platform}]?",
            ],
            [
                "If sign-in fails on {platform}, [clear|remove] the [cached|saved] credentials and [sign in again|try once more] with your [full|work] email address",
                "{feature} can be [turned on|enabled] under [Settings, then Security|the Security tab] by anyone with the {role} role [in {product}|on the {plan} plan]",
                "Sessions in {product} [expire|time out] after {hours} hours of inactivity, [but|and] [admins|the {role}] can [change|extend] this in the security settings",
                "[Password reset|Reset] links [from {product}|we email] are [valid|active] for {minutes} minutes, so [request|send yourself] a [new|fresh] one if the [old|first] link has [expired|stopped working]",
                "Accounts are [locked|paused] for {minutes} minutes after {n} failed sign-in attempts to [protect against|block] password guessing",
                "If your company uses single sign-on, [sign in|log in] through {integration} rather than with a {product} password",
            ],
        ),
        (
            [
                "How do I upgrade from the {plan} plan to {plan2} [mid-month|for {nn} users|without losing data]?",
                "Why was I charged {amount} [this month|on {date}|for {product}]?",
                "[Can I get|Is there] a [refund|credit] for [unused|empty|spare] seats on the {plan} plan [after {date}|this cycle|if {nn} people left]?",
                "Do you offer discounts for [nonprofits|education|annual billing] on {product} [in {year}|for {nn} seats]?",
            ],
            [
                "Upgrades from {plan} take effect [immediately|straight away], and you [only pay|are only charged] the [prorated|pro-rata] difference for the rest of the [cycle|billing period]",
                "The {plan} plan costs {small_amount} per user per month, [or|and] {pct} less with annual billing [paid upfront|by invoice]",
                "[Removed|Unused|Freed-up] seats [on the {plan} plan|in {product}] are [credited|applied as credit] to your next [invoice|bill] [rather than|instead of] [refunded to the card|paid back] [in cash|immediately]",
                "Invoices are [issued|sent] on the {day_of_month} of each month and can be downloaded as {file} from the [billing page|Billing tab]",
                "[Nonprofits|Charities] and schools can [apply|ask] for a {pct} discount on the {plan} plan by [sending|uploading] proof of status",
                "The charge of {amount} [includes|covers] {nn} seats [plus tax|plus VAT] for the [current|latest] billing period",
            ],
        ),
        (
            [
                "How do I connect {product} to {integration} [for the whole team|on the {plan} plan]?",
                "The {integration} integration stopped [syncing|working] after {date}. [Why?|What changed?|How do I fix it?]",
                "Can {product} send [notifications|updates|alerts] to {integration} [for new items|automatically]?",
                "Is there an API [limit|rate limit] for {product} on the {plan} plan?",
            ],
            [
                "To connect {integration}, open [Settings, then Integrations|the Integrations page], and sign in with an account that has {role} rights in [both tools|each tool]",
                "The {integration} connection uses a token that [expires|runs out] every {days} days, so [re-authorising|reconnecting] it [usually|normally] restores syncing",
                "[Notifications|Alerts] can be sent to {integration} for new items, comments and status changes [in {product}|per project]",
                "The API allows {nn} requests per minute on the {plan} plan, and higher limits are [available|possible] [on request|for Enterprise]",
                "Webhook deliveries are [retried|attempted again] {n} times over {hours} hours before they are marked as failed",
                "Sync with {integration} runs every {minutes} minutes, [or|and] you can [trigger|start] it manually from the integrations page",
            ],
        ),
        (
            [
                "I'm getting error {code} when I [save|upload|share] a file in {product} [on {platform}|since {date}].",
                "Why is {product} so [slow|laggy] in {browser} [on {platform}|this week|since {date}]?",
                "The {platform} app [crashes|freezes|closes] when I open {feature} [in {product}|after the update].",
                "Is {product} down right now? [Nothing loads.|I just see a blank page.|Pages keep timing out.]",
            ],
            [
                "Error {code} [usually|normally] means the file is larger than the {nn} MB limit for [your plan|the {plan} plan]",
                "{product} works best in the latest version of {browser}, and [disabling|turning off] heavy extensions [often|usually] [fixes|improves] performance",
                "[Please|Do] update the {platform} app to version {ver}, which fixed a [crash|freeze] in {feature}",
                "[Current|Ongoing|Known] [incidents|outages] [affecting {product}|on {platform}] are listed on our status page, which [updates|refreshes] every {minutes} minutes during an [outage|incident] [and emails subscribers|with the next update time]",
                "Clearing the local cache in [Settings, then Advanced|the Advanced tab] [resolves|fixes] [most|many] display problems on {platform}",
                "[If|Should] the [issue|problem] [continues|persists|comes back] [on {platform}|after {date}], [send|email] us the diagnostic report from [Help, then About|the Help menu] and quote {ref} [in the subject|so we can match it]",
            ],
        ),
        (
            [
                "How do I export my data from {product} as {file} [for an audit|before we cancel|every week]?",
                "Can I import [tasks|contacts|records] from a {file} file [into {product}|with {nn} columns]?",
                "[How long do you keep|How many days does {product} keep|How long can we recover] [deleted|removed|trashed] [items|files|projects] [on the {plan} plan|after {date}|for {nn} users]?",
                "Can I [restore|recover] a workspace I deleted on {date} [by mistake|last week]?",
            ],
            [
                "Exports as {file} are [available|open] to anyone with the {role} role under [Settings, then Data|the Data tab]",
                "Imports accept {file} files up to {nn} MB, and a preview shows how each column will be [mapped|matched] [before anything is saved|first]",
                "Deleted items stay in the [trash|bin] for {nn} days before they are removed permanently [from {product}|from our servers]",
                "[Workspaces|Deleted workspaces] [can be|are] [restored|recovered|brought back] within {days} days of deletion [by contacting|if you contact|if you email] [support|our {city} team] with the workspace [name|URL] [and your {role} account|and the date]",
                "Scheduled exports can be [sent|delivered] to {integration} every {weekday} at {time} [as {file}|automatically]",
                "Version history keeps the last {nn} versions of each item on the {plan} plan [and unlimited on Enterprise|by default]",
            ],
        ),
        (
            [
                "How do I give a colleague {role} access in {product} [for one project|temporarily|this week]?",
                "Can guests see [private|internal] projects in {product} [on the {plan} plan|by default]?",
                "How do I remove a user who [left the company|moved teams] [on {date}|last week] from {product}?",
                "What can a {role} do that a {role2} [can't|cannot] in {product}?",
            ],
            [
                "Invite colleagues from [Settings, then Members|the Members page], and choose the {role} role before sending the invitation",
                "[Guests|Guest users|External guests] [only see|can only open] the [projects|boards|folders] they are [invited to|added to] and [cannot|can't] [browse|search|list] the rest of the [workspace|organisation] [in {product}|on any plan|even on {plan}]",
                "[Deactivating|Suspending|Removing] a [user|member|leaver] [in {product}|from Members] [frees|releases] their [seat|licence] [immediately|at once] while [keeping|preserving] their [work|files and comments] [in place|where it is] [for {nn} days|indefinitely]",
                "A {role} can [manage|change] members and billing, [while|whereas] other roles are limited to [content|their own projects]",
                "[Role changes|Permission changes|Changes to roles] are [recorded|logged] in the audit log [with the time and author|by {product}], which is [kept|retained] for {nn} days on the {plan} plan",
                "Admins can [require|enforce] {feature} for everyone in the workspace from the security settings [in {product}|at any time]",
            ],
        ),
    ],
    "general": [
        "Our support team replies within {hours} hours on the {plan} plan and within {n} hours on Enterprise [plans|contracts]",
        "The [mobile|phone] app on {platform} [supports|covers] [most|nearly all] features [of {product}|you use daily], [but|although] some [admin|billing] settings are only in the [web app|browser version]",
        "We release updates every {weekday}, and the [changelog|release notes] [lists|describe] every fix [in detail|by version]",
        "[All data|Everything in {product}] is encrypted [in transit and at rest|end to end], and [backups|snapshots] run every {hours} hours [across two regions|in {city}] [with {nn}-day retention|automatically]",
        "[Keyboard shortcuts|Shortcuts] [for {product}|on {platform}] are listed under [Help, then Shortcuts|the Help menu], or [by pressing|if you press] the [question mark|?] key [anywhere in the app|in any view]",
        "[Feature requests|Ideas for {product}] can be [submitted|voted on|posted] in our [community forum|ideas portal], which the product team [reviews|reads and triages|goes through] [weekly|each month|every {weekday}]",
        "Our [data centres|servers] are in {city} and [one other region|a second region], and [on Enterprise|for {nn}+ seats] you can [choose|decide] where your [workspace|data] is [hosted|stored]",
        "Browser notifications need to be [allowed|enabled] in {browser} for desktop alerts to appear [on {platform}|reliably]",
        "A sandbox workspace is available on the {plan} plan for testing changes [safely|before rolling them out]",
        "Training sessions for new {role}s run every {weekday} at {time} [online|over video]",
    ],
    "q_context": [
        "[Our|My] [IT team|admin|manager] [asked me to check|sent me here].",
        "We [migrated|switched] from {integration} [in {month}|last {month}|recently].",
        "[This|It] [affects|is blocking] [{nn} people|the whole team|our {city} office].",
        "I've [already tried|tried] [restarting|clearing the cache|signing out and in].",
        "[We|I] [need|want] this [working|sorted] before {weekday}.",
        "[Support ticket|Reference] {ref}[, if that helps|].",
        "We're on the {plan} plan[ with {nn} seats|].",
        "I'm using {browser} on {platform}.",
        "It started after the update on {date}.",
        "I'm the {role} for our workspace.",
        "We have about {nn} users[ in {city}|].",
        "It worked fine until {weekday}.",
    ],
    "list_headers": ["Steps:", "Try the following:", "Quick checklist:"],
    "list_items": [
        "Open Settings, then Integrations",
        "Sign out and back in",
        "Update to version {ver}",
        "Clear the {browser} cache",
        "Review the settings for {feature}",
        "Confirm you have the {role} role",
        "Re-connect {integration}",
        "Export a {file} backup first",
    ],
    "teams": ["Support Team", "Customer Success", "Billing Team", "Platform Team"],
    "url_paths": [
        "docs/getting-started",
        "help/billing",
        "status",
        "docs/integrations",
        "docs/api",
    ],
}

# --------------------------------------------------------------------------------------------
# Extra phrasings per topic (same order as each domain's "topics"), merged into the domains below.
# --------------------------------------------------------------------------------------------

HEALTH_EXTRA = [
    (
        [
            "[Could|Can] the pharmacy [text|email] me when my {drug} [refill|repeat] is [ready|waiting] [at the {site}|in {city}]?",
            "I'm [travelling|going away] to {city} for {n} weeks — can I [collect|get] {drug} [early|before I leave|in advance]?",
            "[What should I do if|What if] the pharmacy [is out of|has no] {drug} [today|this week|when I arrive]?",
        ],
        [
            "[Pickup|Collection] [texts|notifications] for {drug} go to the mobile number on your [chart|record], and you can [switch them off|change the number] under [Notifications|Preferences] in the portal",
            "For [travel|trips] longer than {n} weeks, [ask|tell] Dr. {surname}'s [nurse|team] [early|at least {days} days ahead] so [a vacation override|an early fill] can be [approved|requested] with {insurer}",
            "[If|When] {drug} is [out of stock|on back order] at the {site}, [staff|the pharmacist] can [check|call] the {city} branch or [order it in|reserve a pack] [for the next day|within {hours} hours]",
            "[Prescriptions|Scripts] for {drug} [usually|normally] [allow|include] {n} refills, [after which|and then] Dr. {surname} [reviews|renews] them at your next [check-up|visit]",
        ],
    ),
    (
        [
            "[Can|May] I [bring|have] [a friend|my {relative}|an interpreter] [with me|into the room] for my {dept} [appointment|visit]?",
            "How [far|long] in advance [can|should] I [book|schedule] a [follow-up|routine] {dept} appointment [for {month}|in {year}]?",
            "Is there a [waiting list|cancellation list] for the {dept} clinic [at the {site}|in {city}]?",
        ],
        [
            "[You are welcome|Patients are welcome] to bring [one|a] [support person|companion] to {dept} appointments, and [interpreters|language support] can be [booked|arranged] [for free|with {days} days' notice]",
            "[Routine|Follow-up] {dept} appointments open [for booking|on the calendar] about {nn} days ahead, [and|while] urgent [slots|appointments] are [held back|kept] [for same-week referrals|each morning]",
            "The {dept} [cancellation list|waiting list] [lets|allows] us to [offer|text] you [earlier|short-notice] slots, [often|sometimes] with less than {hours} hours' notice",
            "[If|When] you are running more than {minutes} minutes late, [call|phone] the {dept} desk, [since|as] we may [need to|have to] [rebook|move] you to [a later slot|another day]",
        ],
    ),
    (
        [
            "[Why hasn't {insurer} paid|Why didn't {insurer} process|When will {insurer} pay] the claim for my {procedure} [yet|from {date}|after {n} weeks]?",
            "Can I [get|request] a [cost estimate|price] for a {procedure} [before booking|in {month}|at the {site}]?",
            "[Who|Which team|Which number] do I [call|contact|write to] about a [billing error|wrong charge|duplicate charge] [of {amount}|] on my [statement|bill] from {date}?",
        ],
        [
            "Claims [sent|submitted] to {insurer} [usually|normally] take {days} to {nn} days to process, and [you can see|the portal shows] their status under [Billing|Claims]",
            "[Cost estimates|Price estimates] for a {procedure} [are prepared|can be prepared] within {days} business days and [include|cover] the [facility|hospital] fee, [the physician fee|anesthesia] and [typical|usual] extras",
            "[Billing errors|Wrong charges] [can be|may be] [reported|flagged] [through the portal|by phone|at the {site} cashier], and [collections|reminders] are [paused|put on hold] while we [investigate|review it]",
            "[Prompt-pay|Self-pay] discounts of {pct} [apply|are available] when [the balance|a bill] is [paid in full|settled] within {nn} days of the first statement",
        ],
    ),
    (
        [
            "[Can|Could] I [get|have] a [printed|paper] copy of my {test} results [from {date}|for my {relative}|to take to {city}]?",
            "Why [are|were] my {test} results [showing as pending|still not back] [after {n} days|since {weekday}]?",
            "Do I [need|have] to [book|make an appointment] for a {test} at the {site} lab?",
        ],
        [
            "[Printed|Paper] copies of {test} results [can be|are] [requested|collected] at the [records desk|lab reception] [with photo ID|on weekdays from {time}]",
            "A result [shows as|stays] pending [when|if] [extra checks are needed|a repeat run is needed|a reference lab is involved], which [can add|adds] {n} days [to the wait|in most cases]",
            "[Appointments|Bookings] are [not needed|optional] for a {test} at the {site} lab, [but|although] booked [patients|slots] are [seen first|prioritised] [before {time}|in the morning]",
            "[Children's|Pediatric] blood tests are done in a [separate|dedicated] [area|room] at the {site}, [and|where] [numbing cream|play specialists] can be [arranged|requested]",
        ],
    ),
    (
        [
            "[Is there|Do you allow] [overnight|evening] visiting on the {dept} ward [for partners|for parents|on {weekday}]?",
            "How much [does parking cost|is the car park|do you charge for parking] [for a full day|for {n} hours|overnight] at the {site} [on {weekday}|for visitors|]?",
            "[Can I bring|May I bring|Am I allowed to bring] [flowers|food|a phone charger|a tablet] [for|to] [a patient|my {relative}] on the {dept} [ward|unit] [on {weekday}|tonight|]?",
        ],
        [
            "[Parents|Partners] [may|can] stay overnight on the {dept} ward, [and|while] other visitors [leave|need to leave] by {time2} [each evening|on weekdays]",
            "[Daily|All-day] parking at the {site} is capped at {small_amount}, and [weekly permits|multi-visit passes] [cost|are] {amount} [for regular visitors|at the cashier]",
            "[Fresh flowers|Cut flowers] [aren't allowed|are not permitted] on the {dept} ward, [but|while] [cards|balloons|home-cooked food] [are welcome|can be brought in] [if labelled|with a name on]",
            "[Lost property|Anything left behind] [from the {dept} ward|at the {site}] is [kept|held] at the security desk [for {nn} days|near the main entrance]",
        ],
    ),
    (
        [
            "How [long|many days|much time] does it take to [get|have] [my records|my chart|my scans] [sent|forwarded|transferred] to a [new clinic|specialist|family doctor] in {city} [after I sign the form|from the {site}]?",
            "[Why can't I see|Why is there no sign of|Where are] [my notes|some results|the letter from Dr. {surname}|my discharge summary] [in the portal|on the app|online] [yet|since {date}|after {n} days]?",
            "[Can I|How do I|Is it possible to] [download|save|export] my [records|health summary|notes] [from the portal|as a PDF] [on my laptop|on my phone|for {year}]?",
        ],
        [
            "[Transfers|Record transfers] to a [new clinic|specialist] in {city} [usually|normally] take {days} business days once [the release form|your consent] is [signed|on file]",
            "[Some notes|Certain results] [appear|are released] in the portal only after Dr. {surname} has [reviewed|signed] them, [which can take|usually within] {days} days",
            "[Records|Your chart] can be downloaded as a PDF under [Health summary|My record] in the portal, [with|including] [visit notes|letters] from {year} [onwards|on]",
            "[Corrections|Amendments] to your records can be [requested|asked for] in writing, and we [reply|respond] within {nn} days [explaining|with] what [was changed|we did]",
        ],
    ),
    (
        [
            "[Will|Does] {insurer} pay for [a second opinion|an out-of-network specialist] in {dept}?",
            "My {insurer} [card|member number] [changed|is new] [this month|since {month}]. [What do I need to do?|Do I need to tell you?]",
            "Is a {procedure} [covered|paid for] [if I have|with] {condition} [under {insurer}|on my plan]?",
        ],
        [
            "[Second opinions|Out-of-network referrals] in {dept} are [often|usually] covered by {insurer} when [Dr. {surname}|your primary doctor] [requests|documents] the [reason|need]",
            "[New|Updated] {insurer} card details can be [uploaded|added] in the portal [under Insurance|in My details], and [claims|pending claims] from {month} are [re-sent|resubmitted] [automatically|for you]",
            "[Coverage|Cover] for a {procedure} [linked to|related to] {condition} [depends on|varies with] your plan's [medical necessity|clinical] criteria, which {insurer} [reviews|checks] [case by case|before approval]",
            "[Insurance questions|Coverage queries] can be [sent|passed] to our [financial counselors|insurance team], who [check|verify] your [benefits|cover] before [any|your] {procedure}",
        ],
    ),
    (
        [
            "[Who|Which clinic] can give my {relative} the {vaccine} vaccine [in {city}|at the {site}|before {date}]?",
            "What should I [wear|bring] [for|to] my {procedure} [at the {site}|on {date}]?",
            "[When|How soon] can I [drive|exercise|shower] after a {procedure}?",
        ],
        [
            "[Vaccines|Immunizations] for [children|older adults] are [given|offered] in the [nurse room|vaccination room] at the {site}, [and|while] the {vaccine} [shot|dose] [needs|requires] [a quick check-in|no appointment] on {weekday}s",
            "[Wear|Choose] [loose|comfortable] clothing [for|on the day of] your {procedure}, and [leave|keep] [jewellery|valuables] at home [if possible|where possible]",
            "[Driving|Exercise] after a {procedure} [is usually fine|is usually safe] after {days} days, [but|though] [check with|follow the advice of] Dr. {surname}'s team [first|before you do]",
            "[Dressings|Bandages] from a {procedure} [can|should] [usually|normally] come off after {n} days, [and|while] [stitches|sutures] are [checked|removed] at the {site} [after|within] {days} days",
        ],
    ),
]

LEGAL_EXTRA = [
    (
        [
            "[Will I get|Do I receive|Can you send me] a [written|fixed|formal] quote [before you start|before any work begins] on my {matter} [in {city}|this month|]?",
            "[Can|Could] I pay [in instalments|monthly] for [help with|work on] my {matter} [in {city}|this year]?",
            "What [happens|do I pay] if my {matter} [settles|ends] [early|before {date}|quickly]?",
        ],
        [
            "[Written|Fixed] quotes for a {matter} [set out|list] the [stages|steps], the [fee|price] for each and [likely|expected] disbursements [such as|like] court fees of {small_amount}",
            "[Instalment plans|Monthly payments] [spread|split] our fees over up to {nn} months [for {area} matters|once a deposit of {amount} is paid]",
            "[If|When] a {matter} [settles|ends] [early|before trial], you [only|just] pay for the [stages|work] [completed|done] [up to that point|so far]",
            "[Conditional fee|No-win no-fee] [agreements|arrangements] [may|can] be [available|offered] for {area} [claims|cases] [with good prospects|after an initial review]",
        ],
    ),
    (
        [
            "[Do I need|Should I get] a lawyer to [witness|certify] [a copy of|copies of] my {doc} [for {city}|for a bank]?",
            "[Is my {doc} still valid|Would my {doc} still be valid|Is my {doc} legally binding] if [it was signed in|I move to] {city}?",
            "[Can|Could] you [store|keep] my original {doc} [for me|in your safe|at the {city} office]?",
        ],
        [
            "[Certified copies|Certified true copies] of a {doc} [cost|are] {small_amount} [each|per document] and [can be|are] [prepared|done] [while you wait|the same day] at our {city} office",
            "A {doc} [signed|made] in {city} is [usually|generally] [still valid|recognised] [elsewhere|in other regions], [but|although] [some|certain] [formalities|requirements] [may|can] differ",
            "[We store|We keep] original [wills|documents] [free of charge|at no cost] in [a fireproof safe|secure storage] and [send|give] you a [receipt|storage certificate] [with the reference {ref}|for your records]",
            "[Scanned|Electronic] copies of your {doc} are [kept|held] [on file|in our system] [alongside|with] the [original|signed version] [for {nn} years|indefinitely]",
        ],
    ),
    (
        [
            "[Do I need to|Do I have to|Must I] [attend|go to] the {court} [in person|myself] for my {matter}?",
            "What [should|do] I [bring|take] to the {court} [hearing|appointment] on {date}?",
            "[Can|Will] the [hearing|case] be [moved|adjourned] if I [am ill|can't attend] on {date}?",
        ],
        [
            "[Many|Some] hearings at the {court} are [now|currently] [held|done] by video, [and|but] [the notice|your hearing letter] [says|will say] whether you [must|need to] attend in person",
            "[Bring|Take] [your hearing letter|the case reference {ref}], [copies of|all] your documents and [photo ID|some ID] to the {court}, [and arrive|arriving] {minutes} minutes early",
            "[Adjournments|Postponements] [are|can be] [requested|applied for] [with medical evidence|in writing] [as early as possible|before the hearing], [and|but] the {court} [decides|makes the final decision]",
            "[Court staff|Ushers] at the {court} [can|will] [show you|direct you] to the [right|correct] room, [but|although] they [cannot|can't] give legal advice",
        ],
    ),
    (
        [
            "[Is my landlord allowed to|Can my landlord] [raise|increase] the rent [by {pct}|in {month}|mid-tenancy]?",
            "[Do I have to|Must I|Do I need to] [let|allow] my landlord [in|into the flat] [for viewings|for an inspection] [on {weekday}|with no notice]?",
            "[Who can help|Who should I contact|Where can I get help] if my [flat|house] in {city} is [unsafe|unfit to live in]?",
        ],
        [
            "Rent [increases|rises] [must|have to] follow [the tenancy agreement|the correct procedure], [and|while] [increases|rises] [in the first year|mid-term] [are often|are usually] [not allowed|restricted]",
            "Landlords [must|have to] give at least {hours} hours' written notice before [visiting|entering] for [inspections|repairs|viewings], [except|apart from] [genuine emergencies|real emergencies]",
            "[Unsafe|Dangerous] [conditions|homes] can be [reported|referred] to the {city} council's [housing team|environmental health team], who [can|may] [inspect|order repairs]",
            "[Rent arrears|Late rent] [should|can] be [discussed|raised] with your landlord [early|straight away], and [a written payment plan|an agreement in writing] [often|usually] prevents [court action|a possession claim]",
        ],
    ),
    (
        [
            "[Is my employer allowed to|Can my employer] [change|cut] my [hours|pay|contract] [without asking|from {month}]?",
            "I'm [being|feeling] [bullied|treated unfairly] at work [in {city}|since {month}]. [What can I do?|Where do I start?]",
            "[Do I have to|Should I|Must I] [attend|go to] a disciplinary [meeting|hearing] on {date} [alone|without a rep]?",
        ],
        [
            "[Changes|Changes to your terms] [usually|normally] [need|require] your [agreement|consent], and [your contract|the handbook] [may|might] [say|explain] what [can|may] be changed [without it|unilaterally]",
            "[Keep|Start] a [diary|written record] of [incidents|what happened] [with dates|since {month}], then raise a [formal grievance|written complaint] [with HR|with your manager]",
            "You [have the right|are entitled] to be [accompanied|joined] by a [colleague|union rep] at a disciplinary [meeting|hearing], [and|while] the [meeting|hearing] [can|may] be [moved|delayed] by up to {n} days",
            "[Redundancy pay|Statutory redundancy pay] [depends on|is based on] your age, [weekly pay|earnings] and years of service, [up to|capped at] {nn} years",
        ],
    ),
    (
        [
            "[Does the executor have to|Does the executor need to|Must the executor|Is the executor supposed to] [pay|settle|clear] the [debts|bills|credit cards] of my {relative}'s estate [first|before anything else|before {date}]?",
            "[How|When] do I [get|receive] my inheritance [from|after] my {relative}'s estate [in {city}|from {year}]?",
            "[Should|Can] I [write|make] a will [if I only own|with just] [a flat|savings of {amount}]?",
        ],
        [
            "[Debts|Outstanding debts] [and|plus] [funeral costs|tax] are [paid|settled] from the estate [before|ahead of] [any|the] [inheritance|gifts] [is|are] [passed on|distributed]",
            "[Beneficiaries|Heirs] [usually|normally] receive [their share|inheritance] within {n} to {nn} months of the [grant|probate grant], [once|after] [debts|the accounts] are [settled|signed off]",
            "[A simple will|A basic will] [costs|is] {small_amount} to {amount} [with us|in our {city} office] and [lets|allows] you [choose|name] [guardians|an executor]",
            "[Lasting|Enduring] powers of attorney let [someone you trust|a {relative}] [manage|handle] [money|decisions] [if|should] you [lose capacity|become unable to]",
        ],
    ),
]

BANKING_EXTRA = [
    (
        [
            "[Can|How do] I [change|reset] the PIN on my {card} [in {city}|without a branch|in the {channel}]?",
            "[Why hasn't my new {card} arrived|Why didn't my new {card} come|Where is my new {card}] [after {days} days|yet|since {date}]?",
            "[Does|Will] my {card} [work|still work] [abroad|in {city}|for {currency}] [without telling you|on holiday]?",
        ],
        [
            "PINs can be [changed|reset] at [any|our] cash machine and [viewed|revealed] [securely|safely] in the {channel} [after|with] [a fingerprint check|a security check]",
            "[Cards|New cards] [not received|that don't arrive] within {days} business days are [cancelled|stopped] and [reissued|replaced] [for free|at no cost] [when you tell us|on request]",
            "[Your|The] {card} [works|can be used] [abroad|overseas] [without|with no need for] [travel notice|telling us first], [but|although] [some|certain] [countries|merchants] [may|might] [block|decline] it",
            "[Contactless|Tap] [payments|spending] on a {card} [are limited to|are capped at] {small_amount} [per transaction|each time], [after which|and then] [a PIN|chip and PIN] is [needed|required]",
        ],
    ),
    (
        [
            "[Why is my {txn}|How come my {txn} is|Why has my {txn} been] [on hold|pending|delayed] [since {date}|for {n} days]?",
            "[Do I need to|Do I have to|Must I] [add|set up] a new payee [before sending|to send] a {txn}?",
            "What [details|information] do I need to [receive|accept] a {txn} from {city} [in {currency}|from abroad]?",
        ],
        [
            "A {txn} [can be|may be] [held|kept pending] [for checks|for review] [when|if] it is [larger|bigger] than [usual|normal] [or|and] [goes|is going] to a new payee",
            "New payees [are added|can be added] in the {channel} [with|using] the [account name|name on the account], and we [check|confirm] [the name|it] [matches|lines up] before [sending|the first payment]",
            "To [receive|accept] money from abroad, [share|give] your [IBAN-style|international] account details and the [bank code|SWIFT code] [shown|listed] in the {channel} [under Account details|on your statement]",
            "[Incoming|Received] international payments in {currency} are [converted|exchanged] [at|using] [our daily rate|the rate on the day] [with|plus] a [fee|charge] of {small_amount}",
        ],
    ),
    (
        [
            "[Are there|Do you charge|Will I pay] {fee}s on the {account} [if I|when I] [go overdrawn|pay by card abroad]?",
            "[Why did the {fee} go up|How come the {fee} went up|Why has the {fee} increased] [in {month}|this year]?",
            "[Can|Could] I [switch|move] to a {account} [with no|without any|that has no] {fee}s?",
        ],
        [
            "[An arranged overdraft|Overdraft borrowing] on a {account} costs {pct} EAR, [and|while] [unarranged|unauthorised] payments are [usually|normally] [declined|refused] [at no cost|without a fee]",
            "[Fee changes|Changes to fees] are [announced|notified] {nn} days [ahead|in advance] [by letter|in the {channel}], [and|so] you [can|may] [switch|close the account] [for free|without a penalty] before they [apply|start]",
            "[Switching|Moving] to a {account} [takes|needs] about {days} business days [using|via] the [switching service|switch guarantee], [and|which] [moves|transfers] [all|your] [direct debits|payments] [for you|automatically]",
            "[Premier|Packaged] accounts [bundle|include] [travel insurance|phone insurance] for {small_amount} a month, [which|and this] [may not|might not] suit [everyone|your needs]",
        ],
    ),
    (
        [
            "[Do I need to|Do I have to|Must I] [visit|go to] a branch to open a {account} [for my {relative}|in {city}]?",
            "[How is interest paid|When does interest get paid|How often is interest paid] on the {account} [each month|in {year}]?",
            "[What|Which] {account} [is best|would suit me] for [saving|keeping] {amount} [for a year|short term]?",
        ],
        [
            "[Most|Many] accounts [can be|may be] opened without visiting a branch, [but|although] [a {account} for a minor|business accounts] [may|might] [need|require] [a branch visit|original documents]",
            "Interest on the {account} is [calculated|worked out] [daily|each day] and [paid|added] [monthly|on the first business day of the month] to [the same account|an account you choose]",
            "[Fixed-rate bonds|Notice accounts] [usually|generally] pay more than [easy-access savers|instant-access accounts], [but|though] [your money|the balance] is [locked in|tied up] for {n} to {nn} months",
            "[Switching accounts|Changing accounts] [does not|won't] [affect|change] your {card} number, [and|so] [saved cards|card details] [online|in apps] [keep working|still work]",
        ],
    ),
    (
        [
            "[Can|Will] a {loan} [application|search] [affect|hurt] my credit score [if I'm declined|in {year}]?",
            "[Can|Could] I [take|get] a [payment holiday|break from repayments] on my {loan} [for {n} months|this year]?",
            "[Why was my {loan} application|How come my {loan} application was] [declined|turned down] [on {date}|last week]?",
        ],
        [
            "A [full|hard] credit search [is recorded|appears] on your file [when|once] you [apply|submit a {loan} application], [while|but] [eligibility checks|quotes] [use|rely on] a soft search",
            "[Payment holidays|Repayment breaks] of up to {n} months [may|can] be [agreed|arranged] on a {loan}, [but|although] interest [keeps|continues] [building|to build] [during|over] the break",
            "[Declined|Unsuccessful] {loan} applications [can be|are] [reviewed|appealed] [once|if] [your circumstances|your income] [change|improve], [and|but] [we|our team] [cannot|can't] share [the full|every] [reason|scoring detail]",
            "[Overpayments|Extra payments] of up to {pct} a year [are allowed|can be made] on a {loan} [without a fee|penalty-free], [reducing|shortening] [the term|the total interest]",
        ],
    ),
    (
        [
            "[Is|Was] this [email|text|call] from {org} [genuine|real] [or a scam|or fake]? It [mentions|asks about] my {account}.",
            "[Someone|A stranger] [used|has used] my {card} [online|in {city}] [on {date}|last night]. [What happens now?|Will I get the money back?]",
            "How do I [turn on|set up] [two-step|extra] security for the {channel} [on a new phone|after {date}]?",
        ],
        [
            "[Genuine|Real] messages from {org} [never|don't] [include|contain] links [asking|that ask] you to [log in|confirm details], so [please|do] [forward|report] [anything suspicious|anything unexpected|such messages] to our security team",
            "[Fraudulent|Unauthorised] transactions on a {card} are [refunded|credited back] [in most cases|usually] within {days} business days [once|after] [we confirm|it is confirmed] you [did not|didn't] [make|authorise] them",
            "[Two-step|Extra] verification in the {channel} [adds|uses] [a code|a prompt] on your [trusted|registered] [device|phone] [whenever|each time] you [log in|make a new payment]",
            "[Scammers|Fraudsters] [often|sometimes] [pretend|claim] to be from {org} and [ask|pressure] you to [move money|transfer funds] to a [safe account|new account], which we [never|will never] [do|request]",
        ],
    ),
]

SOFTWARE_EXTRA = [
    (
        [
            "[Why am I not getting|Why don't I receive|How come I don't get] the [sign-in code|verification email] for {product} [on {platform}|at work]?",
            "[Can|How do] I [use|set up] {product} with [a passkey|an authenticator app|a security key] [on {platform}|for my team]?",
            "[How do I|Can I] [change|update] the email [address|login] for my {product} account [after {date}|to a work address]?",
        ],
        [
            "[Sign-in codes|Verification emails] [sometimes|often] [land|end up] in spam or [quarantine|a junk folder], so [ask|tell] your IT team to [allow|whitelist] [our sending domain|messages from {product}]",
            "[Passkeys|Security keys] and authenticator apps [are supported|work] on {platform} and can be [added|registered] under [Profile, then Security|the Security tab] [in {product}|at any time]",
            "[Email changes|Login changes] [need|require] [confirmation|a link] [from both|sent to both] the old and new addresses, and [sessions|active sessions] on {platform} [end|are signed out] [afterwards|once it is done]",
            "[Login history|The sign-in history] [for {product}|on your account] [lists|shows] the [device|browser], [location|city] and time of each [session|sign-in] [for {nn} days|in the last month]",
        ],
    ),
    (
        [
            "[Can|How do] I [change|update] the [card|payment method] [for|on] our {product} [subscription|account] [before {date}|this month]?",
            "[Do|Will] you [charge|bill] for [inactive|deactivated] users on the {plan} plan?",
            "[How do I|Can I] [get|download] a VAT invoice for {product} [for {month}|from {year}]?",
        ],
        [
            "[Payment methods|Billing cards] [can be|are] [updated|changed] by the [owner|billing manager] on the billing page, and [failed|declined] payments are [retried|attempted again] after {days} days",
            "[Deactivated|Inactive] users [do not|don't] [count|use a seat] [towards|against] your {plan} [bill|invoice], [but|although] [their|the] content [stays|remains] [available|in place]",
            "[Invoices|Receipts] [with|showing] your VAT number can be [downloaded|exported] as {file} from [Billing, then History|the billing history] [for any month|going back to {year}]",
            "[Downgrades|Plan changes] to {plan} take effect at the [end|close] of the [current|billing] [period|cycle], [so|and] you [keep|retain] [paid features|current features] until then",
        ],
    ),
    (
        [
            "[Why are duplicate items|How come duplicate entries are|Why are double entries] [showing up|appearing] after [syncing|connecting] with {integration}?",
            "[Do I need to|Do I have to|Must I] [be|become] an admin to [install|connect] the {integration} [app|integration]?",
            "[Does|Will] {product} [work|integrate] with [our own tools|{integration}] [through|via] [webhooks|the API] [on the {plan} plan|for free]?",
        ],
        [
            "[Duplicates|Double entries] [usually|normally] [appear|happen] when {integration} is [connected|linked] twice, so [remove|disconnect] the [older|extra] [connection|link] [from Integrations|in Settings]",
            "[Installing|Connecting] {integration} [needs|requires] the {role} role in {product} [and|plus] [admin|install] [rights|permission] in {integration} [itself|as well]",
            "[Webhooks|Outgoing webhooks] and the [REST API|public API] are [included|available] on the {plan} plan, [with|and] [sample code|examples] [in our docs|for {file} and JSON]",
            "[Field mappings|Mappings] between {product} and {integration} can be [edited|changed] [at any time|after setup], and [changes|edits] [apply|take effect] from the next sync",
        ],
    ),
    (
        [
            "[Why does {product} show|How come {product} shows|Why is {product} showing] a blank [screen|page] [after logging in|in {browser}] [on {platform}|since {date}]?",
            "[Error|Message] {code} [keeps|is] [appearing|popping up] [when I sync|when I open {feature}]. [What does it mean?|Is it on your side?]",
            "[Can I|How do I|Is there a way to] [roll back|go back|downgrade] to [an older|the previous|last month's] version of the {product} app on {platform} [after {date}|since the update broke {feature}]?",
        ],
        [
            "A blank [screen|page] in {browser} [usually|often] [comes from|is caused by] [a blocked script|an ad blocker] [or|and] [outdated|stale] cached files, [so|and] [a hard refresh|clearing site data] [often|usually] [fixes|solves] it",
            "Error {code} [during|on] sync [means|indicates] the connection [timed out|dropped], and {product} [retries|tries again] [automatically|by itself] [every {minutes} minutes|within {minutes} minutes]",
            "[Older|Previous] versions of the {platform} app [are not|aren't] [offered|supported] [for download|officially], [but|and] [the release notes|our support team] [can|will] [suggest|offer] [workarounds|a fix]",
            "[Performance|Speed] [issues|problems] [on|with] [large|big] workspaces [improve|get better] [when|if] [archiving|you archive] [old|finished] projects [in {product}|regularly]",
        ],
    ),
    (
        [
            "[Can|How do] I [merge|combine] [two|duplicate] workspaces in {product} [into one|after a reorg]?",
            "[Where|In which region] is [our|my] {product} data [stored|hosted] [if we are in {city}|on the {plan} plan]?",
            "[Can|Do] you [delete|erase] all our data [if|when] we cancel {product} [in {month}|this year]?",
        ],
        [
            "[Merging|Combining] workspaces [is done|can be done] by [exporting|moving] projects [one at a time|in bulk] [as {file}|with the migration tool], [since|as] [a direct merge|one-click merging] [is not|isn't] [available|supported]",
            "[Workspace data|Customer data] is [stored|hosted] in the region [chosen|picked] at signup, [and|while] [Enterprise|{plan}] customers [can|may] [request|ask for] [a move|migration] [to another region|later]",
            "[After|Following] cancellation, [workspace data|your data] is [kept|retained] for {nn} days [for recovery|in case you return], then [deleted|erased] [permanently|from backups within {days} days]",
            "[Data exports|Exports] [include|contain] [attachments|files], comments and [history|version history] [when|if] you [tick|select] the [full export|Include everything] option",
        ],
    ),
    (
        [
            "[Can|How do] I [limit|restrict] what a {role} [can see|can edit] in {product} [per project|for one client]?",
            "[Who|Which role] can [invite|add] [new users|guests] to our {product} workspace [on the {plan} plan|by default]?",
            "[How do I|Can I] [transfer|hand over] [ownership|the owner role] of our {product} workspace [to a colleague|before I leave]?",
        ],
        [
            "Project-level [permissions|access rules] let [admins|owners] [restrict|limit] a {role} to [specific|selected] projects [without changing|without touching] their workspace role",
            "[By default|Out of the box], only [admins|owners] can [invite|add] [people|users], [but|although] [this|the setting] can be [opened up|extended] to the {role} role [under Members|in Settings]",
            "[Ownership|The owner role] [can be|is] [transferred|handed over] [from Settings|under Workspace, then Ownership] [to|by choosing] [another admin|any admin], and [billing moves|the invoices move] with it",
            "[Access reviews|Permission reports] [list|show] every member's role and [last activity|last sign-in], [and|which] [admins|owners] can [export|download] as {file} [monthly|at any time]",
        ],
    ),
]

for _domain, _extra in (
    (HEALTH, HEALTH_EXTRA),
    (LEGAL, LEGAL_EXTRA),
    (BANKING, BANKING_EXTRA),
    (SOFTWARE, SOFTWARE_EXTRA),
):
    for (_questions, _answers), (_more_q, _more_a) in zip(_domain["topics"], _extra, strict=True):
        _questions.extend(_more_q)
        _answers.extend(_more_a)

DOMAINS: list[dict[str, Any]] = [HEALTH, LEGAL, BANKING, SOFTWARE]

# Interchangeable phrasings, applied automatically to every template's literal text so that two
# examples built from the same template rarely share most of their word pairs.
VARIANTS: list[tuple[str, ...]] = [
    ("usually", "normally", "typically", "generally"),
    ("immediately", "straight away", "right away", "at once"),
    ("within", "in"),
    ("available", "offered"),
    ("you can", "you may", "you are able to"),
    ("must", "need to", "have to"),
    ("business days", "working days"),
    ("business day", "working day"),
    ("as soon as", "once"),
    ("at no cost", "free of charge", "for free"),
    ("on weekdays", "Monday to Friday", "during the week"),
    ("every day", "daily", "seven days a week"),
    ("currently", "at present", "right now"),
    ("often", "frequently"),
    ("please", "kindly"),
    ("although", "though"),
    ("requires", "needs"),
    ("require", "need"),
    ("receive", "get"),
    ("choose", "pick", "select"),
    ("at least", "no less than"),
    ("team", "staff"),
    ("details", "information"),
    ("appointment", "visit"),
    ("appointments", "visits"),
    ("fee", "charge"),
    ("does not", "doesn't"),
    ("do not", "don't"),
    ("cannot", "can't"),
    ("is not", "isn't"),
    ("you are", "you're"),
    ("it is", "it's"),
    ("we will", "we'll"),
    ("there is", "there's"),
    ("a member of staff", "a staff member", "someone at the desk"),
    ("the same day", "on the same day"),
    ("contact", "reach"),
    ("most", "the majority of"),
    ("quickly", "promptly"),
    ("takes about", "takes around", "takes roughly"),
    ("make sure", "check", "ensure"),
    ("may", "might"),
    ("each", "every"),
    ("fixed fee", "flat fee", "set fee"),
    ("sign in", "log in"),
    ("until", "till"),
    ("including", "such as"),
    ("depending on", "based on"),
    ("depends on", "is based on"),
    ("because", "since", "as"),
    ("start", "begin"),
    ("listed", "shown"),
    ("such as", "like"),
    ("rather than", "instead of"),
    ("through", "via"),
    ("updated", "revised"),
    ("appear", "show up"),
    ("can be", "may be"),
    ("in writing", "on paper"),
    ("usual", "normal", "regular"),
    ("problems", "issues"),
    ("permanently", "for good"),
    ("manually", "by hand"),
    ("allows", "permits", "supports"),
    ("latest", "newest", "most recent"),
    ("shows", "displays"),
    ("the other side", "the other party"),
    ("nothing is lost", "no work is lost"),
    ("the rest of", "the remainder of"),
    ("in front of", "in the presence of"),
    ("at any time", "whenever you like", "anytime"),
    ("for example", "for instance"),
    ("a few", "a couple of", "several"),
    ("get in touch", "reach out"),
    ("on your behalf", "for you"),
    ("how do I", "how can I"),
    ("can I", "am I able to", "is it possible to"),
    ("what should I do", "what do I do", "what are my options", "what do you suggest"),
    ("is there", "do you have"),
    ("how long does", "how much time does"),
    ("do I need to", "do I have to"),
    ("we can", "we are able to"),
    ("you will", "you'll"),
    ("they are", "they're"),
    ("we are", "we're"),
    ("are not", "aren't"),
    ("will not", "won't"),
]
