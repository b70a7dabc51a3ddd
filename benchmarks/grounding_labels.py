"""A labelled set for the grounding check: (chunk, answer, supported?) built from the fixture
documents' sections (benchmarks/documents_fixtures.py).

Supported: every sentence of a section as written (what an extractive generator gives), and
hand-written paraphrases that only restate the section. Unsupported: a sentence with one
number changed, a sentence with an invented condition appended, a sentence of another section
of the same document (same domain, same vocabulary), hand-written plausible answers that the
section does not say, and generic non-answers.
"""

from __future__ import annotations

import re

from benchmarks import documents_fixtures as fx

SECTIONS = [*fx.RETURNS_EN, *fx.WARRANTY_ES, *fx.ONBOARDING_EN, *fx.SHIPPING_EN, *fx.SOPORTE_ES]

# (section heading, answer): restated, supported.
PARAPHRASES = [
    ("Returns and refunds", "You can send back an unused item for a full refund up to 30 days after it was delivered."),
    ("Returns and refunds", "The refund goes back to the payment method you used, within 5 business days."),
    ("Damaged or faulty items", "Report damage within 48 hours and include a photo of the box and of the product."),
    (
        "Damaged or faulty items",
        "Faulty electronics have a two year warranty; the repair centre in Valencia handles it.",
    ),
    ("Exchanges", "You can exchange clothing or shoes for another size once within 30 days, free of charge."),
    ("Exchanges", "No: gift cards, personalised products and opened software cannot be exchanged or returned."),
    ("Garantía de los productos", "Los electrodomésticos tienen dos años de garantía desde la compra."),
    ("Garantía de los productos", "Necesita la factura y el número de serie de la etiqueta trasera."),
    ("Reparaciones", "Si la reparación tarda más de quince días le prestan un aparato de sustitución sin coste."),
    ("First week", "On the first morning at nine the IT desk gives new employees their laptop and badge."),
    ("First week", "The online security training is mandatory before the end of the first week."),
    ("Holidays and absences", "Full-time employees get 25 days of paid holiday a year plus public holidays."),
    ("Holidays and absences", "From the third sick day you need a doctor's note."),
    ("Delivery times", "Standard delivery costs 4.95 euros and takes three to five business days."),
    ("Delivery times", "Orders above 50 euros get free standard delivery."),
    ("Tracking an order", "You get a tracking link by email when the parcel leaves the warehouse."),
    ("Soporte técnico", "El chat de soporte atiende de lunes a viernes de nueve a seis."),
    ("Restablecer la contraseña", "El código de seis cifras llega por correo y caduca a los quince minutos."),
]
# (section heading, answer): plausible but not in the section.
INVENTED = [
    ("Returns and refunds", "Refunds are paid in cash at any of our stores on the same day."),
    ("Returns and refunds", "Returns are accepted for 90 days if you are a loyalty club member."),
    ("Damaged or faulty items", "Damaged items must be posted back to the head office in Madrid within a week."),
    ("Exchanges", "Exchanges are possible for any product category, including gift cards."),
    ("Garantía de los productos", "La garantía cubre también los golpes y las caídas accidentales durante cinco años."),
    ("Reparaciones", "Las reparaciones se hacen en la tienda mientras el cliente espera."),
    ("First week", "New employees choose their own laptop model from a catalogue on their first day."),
    ("Holidays and absences", "Unused holiday days are paid out in cash at the end of every year."),
    ("Delivery times", "International delivery to the United States takes two weeks."),
    ("Tracking an order", "Customers can change the delivery address by calling the courier directly."),
    ("Soporte técnico", "El soporte telefónico está disponible los sábados y domingos por la noche."),
    ("Restablecer la contraseña", "Para restablecer la contraseña hay que acudir a una oficina con el pasaporte."),
]
GENERIC = [
    "Thanks for your question. In general, the right answer depends on your specific situation, so I'd "
    "recommend checking the official documentation or contacting the relevant support team for details.",
    "Gracias por su pregunta. Le recomendamos consultar la documentación oficial o contactar con el equipo "
    "correspondiente para obtener más detalles.",
]
INVENTED_CLAUSE = {"en": " This also applies to orders placed before 1998 at no extra cost in every country.",
                   "es": " Esto también se aplica a los pedidos anteriores a 1998 sin coste adicional en todos los países."}  # fmt: skip


def chunk_text(heading: str, paragraphs: list[str]) -> str:
    return heading + "\n\n" + "\n\n".join(paragraphs)


def _bump_number(sentence: str) -> str | None:
    m = re.search(r"\d+(?:\.\d+)?", sentence)
    if not m:
        return None
    value = m.group()
    new = str(int(float(value)) + 7) if "." not in value else f"{float(value) + 2:.2f}"
    return sentence[: m.start()] + new + sentence[m.end() :]


def labelled_pairs() -> list[tuple[str, str, bool, str]]:
    """(chunk text, answer, supported, kind)."""
    from ftflow.tasks.prepare.documents.language import detect

    texts = {h: chunk_text(h, ps) for h, ps in SECTIONS}
    out: list[tuple[str, str, bool, str]] = []
    for k, (heading, paragraphs) in enumerate(SECTIONS):
        chunk = texts[heading]
        lang = detect(chunk)
        for sentence in paragraphs:
            out.append((chunk, sentence, True, "verbatim"))
            bumped = _bump_number(sentence)
            if bumped:
                out.append((chunk, bumped, False, "number changed"))
        out.append((chunk, paragraphs[0] + INVENTED_CLAUSE.get(lang, INVENTED_CLAUSE["en"]), False, "invented clause"))
        _other_heading, other = SECTIONS[k + 1] if k + 1 < len(SECTIONS) else SECTIONS[0]
        out.append((chunk, other[-1], False, "other section"))
        out.extend((chunk, g, False, "generic") for g in GENERIC[:1] if lang == "en")
        out.extend((chunk, g, False, "generic") for g in GENERIC[1:] if lang == "es")
    out.extend((texts[h], a, True, "paraphrase") for h, a in PARAPHRASES)
    out.extend((texts[h], a, False, "invented") for h, a in INVENTED)
    return out
