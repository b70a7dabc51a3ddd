"""The demo's document folder, sample_data/documents/: St. Aldric's Hospital (fictional) leaflets
written for this project, in English and Spanish, as a text PDF, a Word file, an HTML page and a
Markdown file. Deterministic text; run from the repository root:

    .venv/bin/python sample_data/make_documents.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import documents_fixtures as fx

VISITORS_EN = [
    (
        "Visiting hours",
        [
            "General wards welcome visitors every day from two in the afternoon until eight in the evening.",
            "Each patient may have two visitors at the bedside at the same time; children under twelve must "
            "be accompanied by an adult.",
            "The intensive care unit allows one close relative at any time after speaking to the nurse in charge.",
        ],
    ),
    (
        "Parking and transport",
        [
            "The visitor car park on Mercer Road is open all day and night and costs two dollars per hour.",
            "Blue badge holders park free of charge in the bays beside the main entrance.",
            "Bus lines 14 and 31 stop in front of the outpatient building every fifteen minutes.",
        ],
    ),
]
DISCHARGE_EN = [
    (
        "Before you leave hospital",
        [
            "Your nurse gives you a discharge letter that lists your diagnosis, your medicines and your follow-up "
            "appointments.",
            "Ask a relative to collect you before eleven in the morning so the bed can be prepared for the next patient.",
            "If you need transport home for medical reasons, the ward arranges it the day before you leave.",
        ],
    ),
    (
        "Medicines at home",
        [
            "The hospital pharmacy prepares seven days of every new medicine before you go home.",
            "Your family doctor receives a copy of the discharge letter and prescribes any further supply.",
            "Bring all your medicines to your first follow-up appointment so the doctor can review them.",
        ],
    ),
]
PRUEBAS_ES = [
    (
        "Análisis de sangre",
        [
            "Para un análisis de sangre en ayunas no coma nada durante las ocho horas anteriores a la prueba.",
            "Puede beber agua y debe tomar su medicación habitual salvo que su médico le diga lo contrario.",
            "Los resultados llegan a su médico de cabecera en un plazo de tres a cinco días laborables.",
        ],
    ),
    (
        "Resonancia magnética",
        [
            "Antes de una resonancia magnética debe quitarse todos los objetos metálicos, incluidos los pendientes "
            "y los relojes.",
            "Avise al personal si lleva un marcapasos, un implante coclear o cualquier otro dispositivo electrónico.",
            "La prueba dura entre veinte y cuarenta minutos y no produce ningún dolor.",
        ],
    ),
]
INGRESO_ES = [
    (
        "Qué traer al hospital",
        [
            "Traiga su tarjeta sanitaria, un documento de identidad y la lista de los medicamentos que toma.",
            "Deje en casa las joyas y el dinero; el hospital no se hace responsable de los objetos de valor.",
            "Puede traer ropa cómoda, zapatillas cerradas y sus cosas de aseo personal.",
        ],
    ),
    (
        "Comidas durante el ingreso",
        [
            "Las comidas se sirven a las ocho, a la una y a las siete de la tarde en su habitación.",
            "Si sigue una dieta especial por alergia, religión o salud, comuníquelo a la enfermera el primer día.",
        ],
    ),
]

ORG = "St. Aldric's Hospital"


def main(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        fx.text_pdf(folder / "visitor-guide.pdf", VISITORS_EN, title="Visitor guide", org=ORG),
        fx.html_file(folder / "discharge.html", DISCHARGE_EN, title="Going home after your stay", org=ORG),
        fx.markdown_file(folder / "preparacion-pruebas.md", PRUEBAS_ES, title="Cómo prepararse para una prueba"),
        fx.docx_file(folder / "ingreso.docx", INGRESO_ES, title="Guía de ingreso"),
    ]


if __name__ == "__main__":
    for path in main(Path(__file__).resolve().parent / "documents"):
        print(path.name, path.stat().st_size)
