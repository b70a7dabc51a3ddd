"""Small documents written for ftflow's tests, benchmark and sample data (text written for
this project: license-clean). English and Spanish; a text PDF with a running header, footer
and page numbers, a scanned (image-only) PDF, a DOCX, an HTML page with navigation and a
footer, and a Markdown file.

    python benchmarks/documents_fixtures.py DIR     # writes the five files into DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

RETURNS_EN = [
    (
        "Returns and refunds",
        [
            "Customers can return any unused item within 30 days of delivery for a full refund.",
            "The item must be in its original packaging and include the receipt or the order number.",
            "Refunds are paid to the original payment method within 5 business days after the warehouse "
            "receives the parcel.",
        ],
    ),
    (
        "Damaged or faulty items",
        [
            "If an item arrives damaged, report it within 48 hours with a photo of the box and the product.",
            "We send a replacement at no cost, or refund the full price including shipping if no replacement "
            "is in stock.",
            "Faulty electronics are covered by a two year warranty handled by our repair centre in Valencia.",
        ],
    ),
    (
        "Exchanges",
        [
            "Clothing and shoes can be exchanged for another size once, free of charge, within 30 days.",
            "Start an exchange from the order page; the courier collects the old item when delivering the new one.",
            "Gift cards, opened software and personalised products cannot be returned or exchanged.",
        ],
    ),
]
WARRANTY_ES = [
    (
        "Garantía de los productos",
        [
            "Todos los electrodomésticos tienen una garantía de dos años desde la fecha de compra.",
            "La garantía cubre los defectos de fabricación, pero no los daños causados por golpes o por un "
            "uso indebido.",
            "Para usar la garantía necesita la factura y el número de serie que aparece en la etiqueta trasera.",
        ],
    ),
    (
        "Reparaciones",
        [
            "El servicio técnico recoge el aparato en su domicilio en un plazo de tres días laborables.",
            "Si la reparación tarda más de quince días, le prestamos un aparato de sustitución sin coste.",
            "Las reparaciones fuera de garantía tienen un presupuesto previo que usted debe aceptar por escrito.",
        ],
    ),
]
ONBOARDING_EN = [
    (
        "First week",
        [
            "New employees receive their laptop and badge from the IT desk on the first morning at nine.",
            "Every newcomer is paired with a buddy from another team who answers practical questions for a month.",
            "The security training is mandatory and must be completed online before the end of the first week.",
        ],
    ),
    (
        "Holidays and absences",
        [
            "Full-time employees have 25 days of paid holiday per year, plus the public holidays of their office.",
            "Holiday requests are made in the HR portal at least two weeks in advance and approved by the manager.",
            "A sick day must be reported to the manager before ten in the morning; from the third day a doctor's "
            "note is required.",
        ],
    ),
]
SHIPPING_EN = [
    (
        "Delivery times",
        [
            "Standard delivery takes three to five business days within the mainland and costs 4.95 euros.",
            "Express delivery arrives the next business day when the order is placed before two in the afternoon.",
            "Orders above 50 euros ship for free with standard delivery.",
        ],
    ),
    (
        "Tracking an order",
        [
            "A tracking link is emailed as soon as the parcel leaves the warehouse.",
            "If the tracking has not changed for four days, contact support so we can open an investigation with "
            "the courier.",
        ],
    ),
]
SOPORTE_ES = [
    (
        "Soporte técnico",
        [
            "El equipo de soporte atiende por chat de lunes a viernes, de nueve de la mañana a seis de la tarde.",
            "Las consultas por correo electrónico reciben respuesta en un máximo de dos días laborables.",
        ],
    ),
    (
        "Restablecer la contraseña",
        [
            "Para restablecer la contraseña, pulse en el enlace de acceso y elija la opción de contraseña olvidada.",
            "Recibirá un código de seis cifras por correo que caduca a los quince minutos.",
            "Después de cinco intentos fallidos, la cuenta se bloquea durante una hora por seguridad.",
        ],
    ),
]


def text_pdf(
    path: Path, sections=RETURNS_EN, title: str = "Customer service handbook", org: str = "ACME Retail"
) -> Path:
    """A text PDF (matplotlib's PDF backend, TrueType text): one section per page, with a running
    header, a footer and page numbers on every page."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for n, (heading, paragraphs) in enumerate(sections, 1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.1, 0.96, f"{org} · {title}", fontsize=8)
            fig.text(0.1, 0.90, heading, fontsize=18)
            y = 0.86
            for para in paragraphs:
                for line in textwrap.wrap(para, 80):
                    fig.text(0.1, y, line, fontsize=11)
                    y -= 0.018
                y -= 0.02
            fig.text(0.1, 0.04, "Confidential - internal use only", fontsize=8)
            fig.text(0.85, 0.04, f"Page {n} of {len(sections)}", fontsize=8)
            pdf.savefig(fig)
            plt.close(fig)
    return path


def _font(size: int):
    from pathlib import Path as P

    import matplotlib
    from PIL import ImageFont

    return ImageFont.truetype(str(P(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), size)


def page_image(heading: str, paragraphs: list[str], footer: str = ""):
    """A white A4 page at 150 dpi with the text drawn on it, as a scanner would give it."""
    import textwrap

    from PIL import Image, ImageDraw

    img = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(img)
    y = 140
    draw.text((120, y), heading, font=_font(44), fill=0)
    y += 100
    for para in paragraphs:
        for line in textwrap.wrap(para, 58):
            draw.text((120, y), line, font=_font(30), fill=0)
            y += 44
        y += 36
    if footer:
        draw.text((120, 1640), footer, font=_font(22), fill=0)
    return img


def scanned_pdf(path: Path, sections=WARRANTY_ES) -> Path:
    """An image-only PDF: every page is a picture of text (no text layer), as from a scanner."""
    pages = [page_image(h, ps, f"Página {n}") for n, (h, ps) in enumerate(sections, 1)]
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return path


def docx_file(path: Path, sections=ONBOARDING_EN, title: str = "Employee onboarding guide") -> Path:
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(paragraphs[0])
        for para in paragraphs[1:]:
            document.add_paragraph(para, style="List Bullet")
    document.save(str(path))
    return path


def html_file(path: Path, sections=SHIPPING_EN, title: str = "Shipping FAQ", org: str = "ACME Retail") -> Path:
    body = "".join(f"<h2>{h}</h2>" + "".join(f"<p>{p}</p>" for p in ps) for h, ps in sections)
    path.write_text(
        f"<!doctype html><html lang=en><head><title>{title}</title><style>p{{margin:0}}</style></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/shop'>Shop</a> | <a href='/help'>Help</a></nav>"
        f"<header><p>{org} - news and updates</p></header><main><h1>{title}</h1>{body}</main>"
        f"<footer><p>© {org}. All rights reserved. Privacy | Cookies</p></footer>"
        "<script>console.log('tracking')</script></body></html>",
        encoding="utf-8",
    )
    return path


def markdown_file(path: Path, sections=SOPORTE_ES, title: str = "Centro de ayuda") -> Path:
    lines = [f"# {title}", ""]
    for heading, paragraphs in sections:
        lines += [f"## {heading}", "", paragraphs[0], ""]
        lines += [f"- {p}" for p in paragraphs[1:]] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [text_pdf(folder / "returns-handbook.pdf"), scanned_pdf(folder / "garantia-escaneada.pdf"),
            docx_file(folder / "onboarding.docx"), html_file(folder / "shipping-faq.html"),
            markdown_file(folder / "soporte.md")]  # fmt: skip


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1])):
        print(p, p.stat().st_size)
