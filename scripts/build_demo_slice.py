"""Build the demo data slice in cityhall/demo/data/ from real open 311 data.

Why: the demo city should feel real (real service catalogues, real street addresses, plausible
neighbourhoods) but the product must never read the shared data folder at run time, so we copy a
small, curated, bilingual slice into the repository. Run from the repository root:

    .venv/bin/python scripts/build_demo_slice.py [--source ../shared/data]

The output is deterministic (fixed seed, sorted records) so re-running produces no diff.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.polygon import orient

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "cityhall" / "demo" / "data"
SEED = 311_2024
MAX_ADDRESSES = 4000
MIN_REQUESTS_PER_NEIGHBOURHOOD = 5
BALTIMORE_DATE = "%m/%d/%Y %I:%M:%S %p"
# Voronoi work happens in a locally "square" plane: longitudes are shrunk by cos(latitude).
LNG_SCALE = math.cos(math.radians(39.3))
HULL_BUFFER = 0.004  # ~450 m around the outermost request points
SIMPLIFY_TOLERANCE = 0.0005  # ~55 m; keeps >95 % of points in their own polygon
MAX_TOTAL_BYTES = 3_000_000
MAX_NEIGHBOURHOOD_BYTES = 1_000_000

# --------------------------------------------------------------------------------------------
# Resident-facing topics. Key -> (English, Spanish).
# --------------------------------------------------------------------------------------------
GROUPS: dict[str, tuple[str, str]] = {
    "streets": ("Streets & sidewalks", "Calles y aceras"),
    "lights": ("Street lights & signals", "Alumbrado y semáforos"),
    "trash": ("Trash & recycling", "Basura y reciclaje"),
    "graffiti": ("Graffiti & illegal signs", "Grafitis y carteles ilegales"),
    "housing": ("Housing & buildings", "Vivienda y edificios"),
    "animals": ("Animals & pests", "Animales y plagas"),
    "parks": ("Parks & trees", "Parques y árboles"),
    "water": ("Water & sewer", "Agua y alcantarillado"),
    "noise": ("Noise", "Ruido"),
    "vehicles": ("Vehicles & parking", "Vehículos y estacionamiento"),
    "health": ("Health & safety", "Salud y seguridad"),
    "business": ("Businesses & licences", "Comercios y licencias"),
    "homeless": ("Homelessness", "Personas sin hogar"),
    "payments": ("Bills, taxes & fines", "Facturas, impuestos y multas"),
    "general": ("Questions & feedback", "Consultas y comentarios"),
    "other": ("Other", "Otros"),
}

# --------------------------------------------------------------------------------------------
# Departments: code -> (name_en, name_es, summary_en, summary_es).
# --------------------------------------------------------------------------------------------
DEPARTMENTS: dict[str, tuple[str, str, str, str]] = {
    "sanitation": (
        "Sanitation & Solid Waste",
        "Saneamiento y Residuos Sólidos",
        (
            "Collects trash, recycling and bulky items, cleans streets and alleys, and removes "
            "graffiti and rats."
        ),
        (
            "Recoge la basura, el reciclaje y los objetos voluminosos, limpia calles y callejones, "
            "y elimina grafitis y ratas."
        ),
    ),
    "transportation": (
        "Transportation",
        "Transporte",
        (
            "Keeps streets, sidewalks, traffic signals, signs and city-owned street lights safe "
            "and in good repair."
        ),
        (
            "Mantiene en buen estado y seguras las calles, las aceras, los semáforos, las señales "
            "y el alumbrado público municipal."
        ),
    ),
    "housing": (
        "Housing & Community Development",
        "Vivienda y Desarrollo Comunitario",
        (
            "Enforces housing and property codes, deals with vacant buildings and helps tenants "
            "living in unsafe or unhealthy homes."
        ),
        (
            "Hace cumplir los códigos de vivienda y propiedad, se ocupa de los edificios "
            "desocupados y ayuda a los inquilinos que viven en viviendas inseguras o insalubres."
        ),
    ),
    "water-environment": (
        "Water & Environmental Protection",
        "Agua y Protección Ambiental",
        (
            "Delivers clean drinking water, looks after sewers, storm drains and fire hydrants, "
            "and protects the air and waterways from pollution."
        ),
        (
            "Suministra agua potable, se encarga del alcantarillado, los desagües pluviales y los "
            "hidrantes, y protege el aire y los ríos de la contaminación."
        ),
    ),
    "street-lighting": (
        "Street Lighting (Power Company)",
        "Alumbrado Público (compañía eléctrica)",
        (
            "Works with the electric company to repair street lights that are out, damaged or have "
            "faulty cables."
        ),
        (
            "Trabaja con la compañía eléctrica para reparar el alumbrado público que está apagado, "
            "dañado o tiene cables defectuosos."
        ),
    ),
    "finance": (
        "Finance",
        "Finanzas",
        "Handles water bills, city taxes, refunds, and parking and traffic camera tickets.",
        (
            "Gestiona las facturas del agua, los impuestos municipales, los reembolsos y las "
            "multas de estacionamiento y de cámaras de tráfico."
        ),
    ),
    "health": (
        "Health",
        "Salud",
        (
            "Protects public health with restaurant inspections, animal control and follow-up on "
            "smoke, odour, pest and other health complaints."
        ),
        (
            "Protege la salud pública con inspecciones de restaurantes, control de animales y la "
            "atención de quejas sobre humo, olores, plagas y otros riesgos para la salud."
        ),
    ),
    "parks": (
        "Recreation & Parks",
        "Recreación y Parques",
        "Looks after parks, playgrounds, recreation centres and the trees along city streets.",
        (
            "Cuida los parques, las áreas de juegos, los centros recreativos y los árboles de las "
            "calles de la ciudad."
        ),
    ),
    "customer-service": (
        "311 Customer Service",
        "Atención Ciudadana 311",
        (
            "Answers questions, takes requests and follows up when you need help finding the right "
            "city service."
        ),
        (
            "Responde preguntas, recibe solicitudes y le da seguimiento cuando necesita ayuda para "
            "encontrar el servicio municipal adecuado."
        ),
    ),
    "fire": (
        "Fire Department",
        "Departamento de Bomberos",
        "Inspects buildings for fire safety and installs smoke alarms in residents' homes.",
        (
            "Inspecciona edificios para verificar la seguridad contra incendios e instala "
            "detectores de humo en los hogares de los residentes."
        ),
    ),
    "parking": (
        "Parking Authority",
        "Autoridad de Estacionamiento",
        "Runs parking meters and accessible parking and investigates parking problems.",
        (
            "Administra los parquímetros y el estacionamiento para personas con discapacidad, e "
            "investiga los problemas de estacionamiento."
        ),
    ),
    "licensing": (
        "Liquor & Cannabis Licensing",
        "Licencias de Alcohol y Cannabis",
        (
            "Investigates complaints about bars, liquor stores and cannabis shops, including "
            "sellers without a licence."
        ),
        (
            "Investiga quejas sobre bares, licorerías y tiendas de cannabis, incluidos los "
            "vendedores sin licencia."
        ),
    ),
    "police": (
        "Police",
        "Policía",
        (
            "Handles non-emergency public safety problems such as noise, illegal parking and "
            "blocked driveways; in an emergency, call 911."
        ),
        (
            "Atiende problemas de seguridad pública que no son emergencias, como ruido, "
            "estacionamiento ilegal y entradas bloqueadas; en una emergencia, llame al 911."
        ),
    ),
    "technology": (
        "Information Technology",
        "Tecnología de la Información",
        (
            "Runs the city's digital services and fixes problems such as addresses our systems "
            "cannot find."
        ),
        (
            "Administra los servicios digitales de la ciudad y corrige problemas como las "
            "direcciones que nuestros sistemas no encuentran."
        ),
    ),
    "homeless-services": (
        "Homeless Services",
        "Servicios para Personas sin Hogar",
        "Connects people who are homeless with outreach workers, shelter and support.",
        "Pone en contacto a las personas sin hogar con equipos de ayuda, albergues y apoyo.",
    ),
    "buildings": (
        "Buildings & Construction",
        "Edificios y Construcción",
        (
            "Checks that construction work, elevators, boilers and the use of buildings are safe "
            "and follow permits and codes."
        ),
        (
            "Verifica que las obras, los ascensores, las calderas y el uso de los edificios sean "
            "seguros y cumplan los permisos y los códigos."
        ),
    ),
    "consumer-protection": (
        "Consumer & Worker Protection",
        "Protección al Consumidor y al Trabajador",
        (
            "Helps you with complaints about shops, contractors, real estate agents and other "
            "businesses."
        ),
        "Le ayuda con quejas sobre tiendas, contratistas, agentes inmobiliarios y otros negocios.",
    ),
    "taxis": (
        "Taxis & For-Hire Vehicles",
        "Taxis y Vehículos de Alquiler con Conductor",
        "Licenses taxis and app-based cars and handles complaints, compliments and lost property.",
        (
            "Otorga licencias a taxis y vehículos de aplicaciones, y atiende quejas, "
            "felicitaciones y objetos perdidos."
        ),
    ),
    "economic-development": (
        "Economic Development",
        "Desarrollo Económico",
        "Supports local businesses and manages city-owned sites such as piers and heliports.",
        (
            "Apoya a los negocios locales y administra espacios municipales como muelles y "
            "helipuertos."
        ),
    ),
}

# Baltimore's `Agency` column (16 values) -> department. Public Works only files stormwater and
# water-quality requests here, so it is merged with Water Wastewater; the Mayor's Office value
# only carries the Office of Homeless Services type.
BALTIMORE_AGENCY_DEPARTMENT: dict[str, str] = {
    "Solid Waste": "sanitation",
    "Transportation": "transportation",
    "Housing": "housing",
    "Water Wastewater": "water-environment",
    "Public Works": "water-environment",
    "BGE": "street-lighting",
    "Finance": "finance",
    "Health": "health",
    "Recreation & Parks": "parks",
    "Call Center": "customer-service",
    "Fire Department": "fire",
    "Parking Authority": "parking",
    "Liquor Board": "licensing",
    "Police Department": "police",
    "BCIT": "technology",
    "Mayor's Office": "homeless-services",
}

# NYC's `agency` column -> department. OOS (Office of the Sheriff) enforces cannabis licensing.
NYC_AGENCY_DEPARTMENT: dict[str, str] = {
    "NYPD": "police",
    "HPD": "housing",
    "DSNY": "sanitation",
    "DEP": "water-environment",
    "DOT": "transportation",
    "DPR": "parks",
    "DOHMH": "health",
    "DOB": "buildings",
    "DHS": "homeless-services",
    "TLC": "taxis",
    "DCWP": "consumer-protection",
    "OOS": "licensing",
    "EDC": "economic-development",
}

# --------------------------------------------------------------------------------------------
# Baltimore SRType -> (name_en, name_es, group). English names drop the department prefix and
# expand internal jargon (HGW, Footways, Rat Rubout ...) so residents can recognise them.
# --------------------------------------------------------------------------------------------
BALTIMORE_TYPES: dict[str, tuple[str, str, str]] = {
    "BCLB-Liquor License Complaint": (
        "Liquor Licence Complaint",
        "Queja sobre una licencia de venta de alcohol",
        "business",
    ),
    "BGE-StLight Pole Installation": (
        "Street Light Pole Installation",
        "Instalación de poste de alumbrado",
        "lights",
    ),
    "BGE-StLight(s) Out": (
        "Street Light Out (Power Company Light)",
        "Alumbrado apagado (poste de la compañía eléctrica)",
        "lights",
    ),
    "BGE-StLight(s) Out Rear": (
        "Street Light Out in a Rear Alley",
        "Alumbrado apagado en un callejón trasero",
        "lights",
    ),
    "BGE-StLighting Cable Faults": (
        "Street Lighting Cable Fault",
        "Falla en el cableado del alumbrado público",
        "lights",
    ),
    "BPD-Miscellaneous Request": (
        "Police: Other Non-Emergency Request",
        "Policía: otra solicitud que no es una emergencia",
        "health",
    ),
    "CC-Constituent Services Request": (
        "Constituent Services Request",
        "Solicitud de atención ciudadana",
        "general",
    ),
    "DPW - Calendar  or  Water Quality Report Request": (
        "Collection Calendar or Water Quality Report",
        "Calendario de recogida o informe de calidad del agua",
        "water",
    ),
    "DPW-MD Stormwater Participation Event": (
        "Stormwater Community Event",
        "Evento comunitario sobre aguas pluviales",
        "water",
    ),
    "ECC-Citizen Complaint or Concern": ("Complaint or Concern", "Queja o inquietud", "general"),
    "ECC-Citizen Compliment or Praise": ("Compliment", "Felicitación o elogio", "general"),
    "ECC-Escalation": (
        "Escalate an Existing Request",
        "Escalar una solicitud existente",
        "general",
    ),
    "ECC-Grass Mowing": ("Grass Mowing", "Corte de césped", "parks"),
    "ECC-Information Request": ("Information Request", "Solicitud de información", "general"),
    "ECC-Language Line": (
        "Interpreter (Language Line)",
        "Servicio de intérprete (línea de idiomas)",
        "general",
    ),
    "ECC-Miscellaneous Request": ("Other Request", "Otra solicitud", "general"),
    "ECC-Supervisor Follow-Up": (
        "Supervisor Follow-Up",
        "Seguimiento por parte de un supervisor",
        "general",
    ),
    "ECC-Vehicle Look Up": (
        "Towed Vehicle Look-Up",
        "Búsqueda de un vehículo remolcado",
        "vehicles",
    ),
    "FCCS-City Dynamics Request": (
        "Billing Account Request",
        "Solicitud sobre una cuenta de facturación",
        "payments",
    ),
    "FCCS-Correspondence Redirect": (
        "Redirect Billing Mail",
        "Cambio de dirección para la correspondencia de facturación",
        "payments",
    ),
    "FCCS-Metered Water": ("Metered Water Bill", "Factura de agua por medidor", "payments"),
    "FCCS-ORCC Reversals": ("Charge Reversal", "Anulación de un cargo", "payments"),
    "FCCS-Other": ("Other Billing Question", "Otra consulta de facturación", "payments"),
    "FCCS-Paid Wrong Account/Misapplied Payment": (
        "Payment Applied to the Wrong Account",
        "Pago aplicado a una cuenta equivocada",
        "payments",
    ),
    "FCCS-Payment Not Posted": ("Payment Not Posted", "Pago no registrado", "payments"),
    "FCCS-Personal Property Tax": (
        "Personal Property Tax",
        "Impuesto sobre bienes muebles",
        "payments",
    ),
    "FCCS-Refund Check Issues": (
        "Problem With a Refund Check",
        "Problema con un cheque de reembolso",
        "payments",
    ),
    "FCCS-Refunds": ("Refund Request", "Solicitud de reembolso", "payments"),
    "FCCS-Special Credits": ("Special Credits", "Créditos especiales", "payments"),
    "FCCS-Tax Sale Voids": (
        "Cancel a Tax Sale",
        "Anulación de una venta por impuestos adeudados",
        "payments",
    ),
    "FCCS-Transfer Request from Another Account": (
        "Transfer a Payment From Another Account",
        "Transferir un pago desde otra cuenta",
        "payments",
    ),
    "FCDA-Tax Sale": (
        "Tax Sale",
        "Venta de propiedades por impuestos adeudados",
        "payments",
    ),
    "FCDA-Water Payment Tracking Request": (
        "Track a Water Bill Payment",
        "Seguimiento de un pago de la factura del agua",
        "payments",
    ),
    "FCPF-Certified Mail": (
        "Parking Ticket: Certified Mail",
        "Multa de estacionamiento: correo certificado",
        "payments",
    ),
    "FCPF-Collection Agency": (
        "Parking Ticket: Collection Agency",
        "Multa de estacionamiento: agencia de cobranza",
        "payments",
    ),
    "FCPF-Investigation Request": (
        "Parking Ticket: Investigation Request",
        "Multa de estacionamiento: solicitud de investigación",
        "payments",
    ),
    "FCPF-Makes Differ": (
        "Parking Ticket: Vehicle Make Does Not Match",
        "Multa de estacionamiento: la marca del vehículo no coincide",
        "payments",
    ),
    "FCPF-Ombudsman Review": (
        "Parking Ticket: Ombudsman Review",
        "Multa de estacionamiento: revisión del defensor del ciudadano",
        "payments",
    ),
    "FCPF-Other": (
        "Parking Ticket: Other Question",
        "Multa de estacionamiento: otra consulta",
        "payments",
    ),
    "FCPF-Parking Court Petitions": (
        "Parking Ticket: Court Petition",
        "Multa de estacionamiento: petición ante el tribunal",
        "payments",
    ),
    "FCPF-Payments": (
        "Parking Ticket: Payment",
        "Multa de estacionamiento: pago",
        "payments",
    ),
    "FCPF-Stolen Vehicle/Tags": (
        "Parking Ticket: Stolen Vehicle or Plates",
        "Multa de estacionamiento: vehículo o placas robados",
        "payments",
    ),
    "FCPF-Transfer of Liability": (
        "Parking Ticket: Transfer of Liability",
        "Multa de estacionamiento: transferencia de responsabilidad",
        "payments",
    ),
    "FCPF-Trial Request-Parking": (
        "Request a Trial: Parking Ticket",
        "Solicitar un juicio: multa de estacionamiento",
        "payments",
    ),
    "FCPF-Trial Request-Red Light": (
        "Request a Trial: Red Light Camera Ticket",
        "Solicitar un juicio: multa por pasarse el semáforo en rojo",
        "payments",
    ),
    "FCPF-Trial Request-Speeding Citation": (
        "Request a Trial: Speeding Ticket",
        "Solicitar un juicio: multa por exceso de velocidad",
        "payments",
    ),
    "FCPF-VR119-Mail": (
        "Parking Ticket: Owner Notice by Mail",
        "Multa de estacionamiento: aviso al propietario por correo",
        "payments",
    ),
    "FIN-City Motor Vehicle Accident": (
        "Accident Involving a City Vehicle",
        "Accidente con un vehículo municipal",
        "vehicles",
    ),
    "FINBAPS-Refunds": (
        "Refund Request (Billing and Payments)",
        "Solicitud de reembolso (facturación y pagos)",
        "payments",
    ),
    "FIR-Fire Code Inspection Request": (
        "Fire Code Inspection",
        "Inspección del código de incendios",
        "health",
    ),
    "FIR-Fire Smoke Alarm Installation Request": (
        "Smoke Alarm Installation",
        "Instalación de detector de humo",
        "health",
    ),
    "FOR-Broken Branch in Tree": ("Broken Branch in a Tree", "Rama rota en un árbol", "parks"),
    "FOR-Down Tree": ("Fallen Tree", "Árbol caído", "parks"),
    "FOR-Fallen Limb": ("Fallen Branch", "Rama caída", "parks"),
    "FOR-Stump Removal": ("Stump Removal", "Retiro de un tocón", "parks"),
    "FOR-Tree Inspection": ("Tree Inspection", "Inspección de un árbol", "parks"),
    "HCD-Abandoned Vehicle": (
        "Abandoned Vehicle on Private Property",
        "Vehículo abandonado en propiedad privada",
        "vehicles",
    ),
    "HCD-Bed Bugs": ("Bed Bugs", "Chinches de cama", "housing"),
    "HCD-CCE Building Permit Complaint": (
        "Building Permit Complaint",
        "Queja sobre un permiso de construcción",
        "housing",
    ),
    "HCD-Fire Protection": (
        "Fire Protection in a Building",
        "Protección contra incendios en un edificio",
        "housing",
    ),
    "HCD-Illegal Campaign Signs on Private Property": (
        "Illegal Campaign Signs on Private Property",
        "Carteles electorales ilegales en propiedad privada",
        "graffiti",
    ),
    "HCD-Illegal Dumping": ("Illegal Dumping", "Basura tirada ilegalmente", "trash"),
    "HCD-Illegal Flyers": ("Illegal Flyers", "Volantes ilegales", "graffiti"),
    "HCD-Illegal Signs on Public Property": (
        "Illegal Signs on Public Property",
        "Carteles ilegales en propiedad pública",
        "graffiti",
    ),
    "HCD-Insects": ("Insects in a Building", "Insectos en un edificio", "housing"),
    "HCD-Maintenance Structure": (
        "Building in Disrepair",
        "Edificio en mal estado",
        "housing",
    ),
    "HCD-OECS-No Heat Referral": (
        "No Heat or Hot Water",
        "Sin calefacción o agua caliente",
        "housing",
    ),
    "HCD-Overcrowding": ("Overcrowded Home", "Vivienda con hacinamiento", "housing"),
    "HCD-Rodents": ("Rats or Mice", "Ratas o ratones", "animals"),
    "HCD-Sanitation Property": (
        "Trash and Debris on Private Property",
        "Basura y escombros en propiedad privada",
        "trash",
    ),
    "HCD-Snow and Ice on Sidewalks": (
        "Snow and Ice on Sidewalks",
        "Nieve y hielo en las aceras",
        "streets",
    ),
    "HCD-Systems": (
        "Building Systems (Heating, Plumbing, Electrical)",
        "Sistemas del edificio (calefacción, plomería, electricidad)",
        "housing",
    ),
    "HCD-Trees and Shrubs": (
        "Overgrown Trees and Shrubs on Private Property",
        "Árboles y arbustos descuidados en propiedad privada",
        "parks",
    ),
    "HCD-Unauthorized Vending": (
        "Unlicensed Street Vending",
        "Venta ambulante sin permiso",
        "business",
    ),
    "HCD-Vacant Building": ("Vacant Building", "Edificio desocupado", "housing"),
    "HCD-Weatherization": (
        "Home Weatherization",
        "Aislamiento térmico de la vivienda",
        "housing",
    ),
    "HCD-Zoning Investigation": (
        "Zoning Investigation",
        "Investigación de zonificación",
        "housing",
    ),
    "HLTH-Animal Aggressive Animal": ("Aggressive Animal", "Animal agresivo", "animals"),
    "HLTH-Animal Attack Against Human": (
        "Animal Attacked a Person",
        "Un animal atacó a una persona",
        "animals",
    ),
    "HLTH-Animal Barking Dog": ("Barking Dog", "Perro que ladra", "animals"),
    "HLTH-Animal Bite Pickup": (
        "Pick Up an Animal That Bit Someone",
        "Recoger un animal que mordió a alguien",
        "animals",
    ),
    "HLTH-Animal Dead Animal Pickup-Wildlife or Stray": (
        "Dead Animal Pickup",
        "Recogida de un animal muerto",
        "animals",
    ),
    "HLTH-Animal Domestic Animal Trap or Capture Request": (
        "Trap or Capture a Pet",
        "Atrapar o capturar un animal doméstico",
        "animals",
    ),
    "HLTH-Animal Failure to Restrain Animal, Known Owner/Known Address": (
        "Owner Lets Animal Roam Loose",
        "Dueño que deja a su animal suelto",
        "animals",
    ),
    "HLTH-Animal In Danger/Injured/Abused/Neglected": (
        "Animal in Danger, Injured, Abused or Neglected",
        "Animal en peligro, herido, maltratado o desatendido",
        "animals",
    ),
    "HLTH-Animal Inspection/Follow-up": (
        "Animal Inspection or Follow-Up",
        "Inspección o seguimiento de un caso de animales",
        "animals",
    ),
    "HLTH-Animal Police/Fire/Sheriff/City Work Crew Standby": (
        "Animal Control Help for Police, Fire or City Crews",
        "Apoyo de control animal a policía, bomberos o cuadrillas municipales",
        "animals",
    ),
    "HLTH-Animal Running At Large/Stray (Tracking)": (
        "Stray Animal Running Loose",
        "Animal callejero suelto",
        "animals",
    ),
    "HLTH-Animal Stray Held": (
        "Stray Animal Being Held",
        "Animal callejero retenido",
        "animals",
    ),
    "HLTH-Animal Trapped In Vacant Building": (
        "Animal Trapped in a Vacant Building",
        "Animal atrapado en un edificio desocupado",
        "animals",
    ),
    "HLTH-Animal Unsanitary Conditions": (
        "Unsanitary Conditions for Animals",
        "Condiciones insalubres de animales",
        "animals",
    ),
    "HLTH-Animal Wildlife Complaint": (
        "Wild Animal Problem",
        "Problema con un animal silvestre",
        "animals",
    ),
    "HLTH-EV Dust": ("Dust", "Polvo", "health"),
    "HLTH-EV Institutional Facility": (
        "Health Complaint About an Institution",
        "Queja sanitaria sobre una institución",
        "health",
    ),
    "HLTH-EV Mosquito Surveillance": ("Mosquitoes", "Mosquitos", "animals"),
    "HLTH-EV Noise": ("Noise Complaint", "Queja por ruido", "noise"),
    "HLTH-EV Odor": ("Bad Odour", "Malos olores", "health"),
    "HLTH-EV Smoking Ban Violation": (
        "Smoking Where It Is Not Allowed",
        "Fumar donde no está permitido",
        "health",
    ),
    "HLTH-EV Stagnant Water": ("Stagnant Water", "Agua estancada", "health"),
    "HLTH-Food Borne Illness Alleged": (
        "Suspected Food Poisoning",
        "Sospecha de intoxicación alimentaria",
        "health",
    ),
    "HLTH-Food Facility Complaint": (
        "Restaurant or Food Business Complaint",
        "Queja sobre un restaurante o negocio de alimentos",
        "health",
    ),
    "MOHS-Homeless Outreach": (
        "Help for a Homeless Person",
        "Ayuda para una persona sin hogar",
        "homeless",
    ),
    "MOIT-Address Validation Issue": (
        "Address Not Recognised",
        "Dirección no reconocida",
        "general",
    ),
    "PABC-EZ Parking Meter Complaints": (
        "Pay Station Parking Meter Problem",
        "Problema con un parquímetro de pago centralizado",
        "vehicles",
    ),
    "PABC-General Parking Request": (
        "General Parking Request",
        "Solicitud general de estacionamiento",
        "vehicles",
    ),
    "PABC-Handicapped Parking Request": (
        "Accessible Parking Space Request",
        "Solicitud de estacionamiento para personas con discapacidad",
        "vehicles",
    ),
    "PABC-Parking Investigations": (
        "Parking Investigation",
        "Investigación de estacionamiento",
        "vehicles",
    ),
    "PABC-Single Space Meter Complaints": (
        "Single-Space Parking Meter Problem",
        "Problema con un parquímetro individual",
        "vehicles",
    ),
    "RP-Ball Field": ("Ball Field", "Campo deportivo", "parks"),
    "RP-Building Maintenance": (
        "Recreation Centre Maintenance",
        "Mantenimiento de un centro recreativo",
        "parks",
    ),
    "RP-Grass Cutting": ("Grass Cutting in a Park", "Corte de césped en un parque", "parks"),
    "RP-Park Maintenance": ("Park Maintenance", "Mantenimiento de parques", "parks"),
    "RP-Playgrounds": ("Playground Problem", "Problema en un área de juegos", "parks"),
    "SW-Appliance (White Goods)": (
        "Appliance Pickup",
        "Recogida de electrodomésticos",
        "trash",
    ),
    "SW-Appliance (White Goods) Special": (
        "Special Appliance Pickup",
        "Recogida especial de electrodomésticos",
        "trash",
    ),
    "SW-BCPSS Graffiti Removal": (
        "Graffiti Removal at a Public School",
        "Eliminación de grafitis en una escuela pública",
        "graffiti",
    ),
    "SW-Bag Pickup": ("Bag Pickup", "Recogida de bolsas", "trash"),
    "SW-Boarding": (
        "Board Up a Vacant Property",
        "Tapiar una propiedad desocupada",
        "housing",
    ),
    "SW-Bulk Scheduled": (
        "Scheduled Bulky Item Pickup",
        "Recogida programada de objetos voluminosos",
        "trash",
    ),
    "SW-Bulk Special": (
        "Special Bulky Item Pickup",
        "Recogida especial de objetos voluminosos",
        "trash",
    ),
    "SW-Christmas Tree Removal": (
        "Christmas Tree Pickup",
        "Recogida de árboles de Navidad",
        "trash",
    ),
    "SW-Clean Up": ("Clean-Up", "Limpieza", "trash"),
    "SW-Cleaning": (
        "Lot or Property Cleaning",
        "Limpieza de un terreno o propiedad",
        "trash",
    ),
    "SW-Community Pitch-In": (
        "Community Clean-Up Day",
        "Jornada comunitaria de limpieza",
        "trash",
    ),
    "SW-Dirty Alley": ("Dirty Alley", "Callejón sucio", "trash"),
    "SW-Dirty Alley Proactive": (
        "Dirty Alley (Found by Crews)",
        "Callejón sucio (detectado por cuadrillas)",
        "trash",
    ),
    "SW-Dirty Street": ("Dirty Street", "Calle sucia", "trash"),
    "SW-Dirty Street Proactive": (
        "Dirty Street (Found by Crews)",
        "Calle sucia (detectada por cuadrillas)",
        "trash",
    ),
    "SW-Dumpster Collection": ("Dumpster Collection", "Recogida de un contenedor", "trash"),
    "SW-Fire Debris Removal": (
        "Fire Debris Removal",
        "Retiro de escombros de un incendio",
        "trash",
    ),
    "SW-Graffiti Removal": ("Graffiti Removal", "Eliminación de grafitis", "graffiti"),
    "SW-Graffiti Removal Proactive": (
        "Graffiti Removal (Found by Crews)",
        "Eliminación de grafitis (detectados por cuadrillas)",
        "graffiti",
    ),
    "SW-Graffiti Removal-Rec and Parks": (
        "Graffiti Removal in a Park",
        "Eliminación de grafitis en un parque",
        "graffiti",
    ),
    "SW-HGW": ("High Grass and Weeds", "Césped alto y maleza", "parks"),
    "SW-Leaf Collection Scheduling": (
        "Schedule a Leaf Collection",
        "Programar la recogida de hojas",
        "trash",
    ),
    "SW-Leaf Removal": ("Leaf Removal", "Retiro de hojas", "trash"),
    "SW-Mechanical Street Sweeping": (
        "Street Sweeping",
        "Barrido mecánico de calles",
        "trash",
    ),
    "SW-Mixed Refuse": (
        "Household Trash Collection",
        "Recogida de basura doméstica",
        "trash",
    ),
    "SW-Municipal Trash Can Concern": (
        "Problem With a City-Issued Trash Can",
        "Problema con el contenedor de basura entregado por la ciudad",
        "trash",
    ),
    "SW-Park Cleaning": ("Park Cleaning", "Limpieza de un parque", "parks"),
    "SW-Public (Corner) Trash Can Issue": (
        "Public Litter Basket Problem",
        "Problema con un cesto de basura público",
        "trash",
    ),
    "SW-Public (Corner) Trash Can Request/Removal": (
        "Request or Remove a Public Litter Basket",
        "Solicitar o retirar un cesto de basura público",
        "trash",
    ),
    "SW-RP Bulk Pickup": (
        "Bulky Item Pickup in a Park",
        "Recogida de objetos voluminosos en un parque",
        "trash",
    ),
    "SW-Rat Rubout": ("Rat Extermination", "Control de ratas", "animals"),
    "SW-Rat Rubout Proactive": (
        "Rat Extermination (Found by Crews)",
        "Control de ratas (detectado por cuadrillas)",
        "animals",
    ),
    "SW-Recycling": ("Recycling Collection", "Recogida de reciclaje", "trash"),
    "SW-SIU Clean Up": (
        "Special Investigations Clean-Up",
        "Limpieza por la unidad de investigaciones especiales",
        "trash",
    ),
    "SW-Trash Can/Recycling Container Complaint": (
        "Trash Can or Recycling Bin Problem",
        "Problema con un contenedor de basura o de reciclaje",
        "trash",
    ),
    "TEC-Alley Contract/Reconstruction": (
        "Alley Reconstruction Project",
        "Obra de reconstrucción de un callejón",
        "streets",
    ),
    "TEC-Alley Reconstruction Complaint": (
        "Alley Reconstruction Complaint",
        "Queja sobre la reconstrucción de un callejón",
        "streets",
    ),
    "TEC-Footways Complaint": (
        "Sidewalk Complaint",
        "Queja sobre una acera",
        "streets",
    ),
    "TEC-Footways Contract/Reconstruction": (
        "Sidewalk Reconstruction Project",
        "Obra de reconstrucción de aceras",
        "streets",
    ),
    "TEC-Street Repair (Misc)": (
        "Street Repair (Other)",
        "Reparación de una calle (otros)",
        "streets",
    ),
    "TEC-WO Street Markings": (
        "Street Markings Work Order",
        "Orden de trabajo de marcas viales",
        "streets",
    ),
    "TR-Right-Of-Way Permit": (
        "Permit to Use the Street or Sidewalk",
        "Permiso para ocupar la calle o la acera",
        "streets",
    ),
    "TR-Youth Snow Program Resident Registration": (
        "Youth Snow Shovelling: Sign Up as a Resident",
        "Programa juvenil de limpieza de nieve: inscripción de residentes",
        "streets",
    ),
    "TR-Youth Snow Program Student Application Request": (
        "Youth Snow Shovelling: Student Application",
        "Programa juvenil de limpieza de nieve: solicitud de estudiantes",
        "streets",
    ),
    "TRA- Red Light/Speed/Truck Camera": (
        "Red Light, Speed or Truck Camera",
        "Cámara de semáforo en rojo, de velocidad o de camiones",
        "vehicles",
    ),
    "TRC-Conduit Investigation": (
        "Underground Conduit Inspection",
        "Inspección de conductos subterráneos",
        "streets",
    ),
    "TRC-Conduit Repair": (
        "Underground Conduit Repair",
        "Reparación de conductos subterráneos",
        "streets",
    ),
    "TRM-(Handicap) Sidewalk Ramp Concern (Repair)": (
        "Curb Ramp Repair",
        "Reparación de una rampa peatonal",
        "streets",
    ),
    "TRM-Alleys": ("Alley Repair", "Reparación de un callejón", "streets"),
    "TRM-Barricades-Install": ("Put Up Barricades", "Colocar barricadas", "streets"),
    "TRM-Barricades-Removal": ("Remove Barricades", "Retirar barricadas", "streets"),
    "TRM-Bridge Concern": ("Bridge Problem", "Problema en un puente", "streets"),
    "TRM-Curb Repair": ("Curb Repair", "Reparación de un bordillo", "streets"),
    "TRM-Debris In Roadway": ("Debris in the Road", "Escombros en la calzada", "streets"),
    "TRM-Footways Repair": ("Sidewalk Repair", "Reparación de una acera", "streets"),
    "TRM-Graffiti Referral": (
        "Graffiti on Roads or Bridges",
        "Grafitis en calles o puentes",
        "graffiti",
    ),
    "TRM-Grass Mowing": (
        "Grass Mowing Along Roads",
        "Corte de césped junto a las calles",
        "parks",
    ),
    "TRM-Guardrail Concern (Repair)": (
        "Guardrail Repair",
        "Reparación de una barrera de contención",
        "streets",
    ),
    "TRM-Illegal Sign Removal": (
        "Remove an Illegal Sign",
        "Retirar un cartel ilegal",
        "graffiti",
    ),
    "TRM-Pickup Pothole": (
        "Pothole Spotted by Crews",
        "Bache detectado por cuadrillas",
        "streets",
    ),
    "TRM-Pothole Repair": ("Pothole Repair", "Reparación de un bache", "streets"),
    "TRM-Saltbox Concern": ("Salt Box Problem", "Problema con una caja de sal", "streets"),
    "TRM-Saltbox Refill": ("Refill a Salt Box", "Rellenar una caja de sal", "streets"),
    "TRM-Sign Damaged/Sign Structure": (
        "Damaged Street Sign or Sign Post",
        "Señal de tránsito o poste de señal dañado",
        "streets",
    ),
    "TRM-Snow/Icy Conditions": (
        "Snow or Ice on the Street",
        "Nieve o hielo en la calle",
        "streets",
    ),
    "TRM-StLight Damaged/Knocked Down/Rusted": (
        "Street Light Damaged, Knocked Down or Rusted",
        "Poste de alumbrado dañado, derribado u oxidado",
        "lights",
    ),
    "TRM-StLight Pole Access Cover/Plate Missing": (
        "Street Light Pole Cover Missing",
        "Falta la tapa de un poste de alumbrado",
        "lights",
    ),
    "TRM-StLight Pole Missing": (
        "Street Light Pole Missing",
        "Falta un poste de alumbrado",
        "lights",
    ),
    "TRM-StLighting Inadequate/Too Bright": (
        "Street Lighting Too Dim or Too Bright",
        "Alumbrado público insuficiente o demasiado intenso",
        "lights",
    ),
    "TRM-Steel Plate Complaint": (
        "Loose or Noisy Steel Road Plate",
        "Placa de acero suelta o ruidosa en la calle",
        "streets",
    ),
    "TRM-Street Cut Issues": (
        "Problem With a Street Excavation",
        "Problema con una excavación en la calle",
        "streets",
    ),
    "TRM-Street Light Out": (
        "Street Light Out (City Light)",
        "Alumbrado apagado (poste municipal)",
        "lights",
    ),
    "TRM-Street Repairs": ("Street Repair", "Reparación de una calle", "streets"),
    "TRM-Street and Crosswalk Markings": (
        "Street and Crosswalk Markings",
        "Marcas viales y pasos peatonales",
        "streets",
    ),
    "TRM-WO Sign Installation": (
        "Sign Installation Work Order",
        "Orden de trabajo de instalación de señales",
        "streets",
    ),
    "TRM-WO Street and Crosswalk Markings": (
        "Street and Crosswalk Markings Work Order",
        "Orden de trabajo de marcas viales y pasos peatonales",
        "streets",
    ),
    "TRS-48 Hour Parking Complaint": (
        "Vehicle Parked More Than 48 Hours",
        "Vehículo estacionado más de 48 horas",
        "vehicles",
    ),
    "TRS-Abandoned Vehicle": ("Abandoned Vehicle", "Vehículo abandonado", "vehicles"),
    "TRS-Parking Away Notification": (
        "Temporary No-Parking Notice",
        "Aviso de prohibición temporal de estacionar",
        "vehicles",
    ),
    "TRS-Parking Complaint": ("Illegal Parking", "Estacionamiento ilegal", "vehicles"),
    "TRT-Crosswalks": ("Crosswalk Request", "Solicitud de paso peatonal", "streets"),
    "TRT-Sign New": ("New Street Sign", "Nueva señal de tránsito", "streets"),
    "TRT-Sign New/Remove/Change": (
        "Add, Remove or Change a Street Sign",
        "Colocar, retirar o cambiar una señal de tránsito",
        "streets",
    ),
    "TRT-Signal Timing": (
        "Traffic Signal Timing",
        "Tiempos de un semáforo",
        "lights",
    ),
    "TRT-Traffic Calming": (
        "Traffic Calming (Slow Down Traffic)",
        "Medidas para reducir la velocidad del tráfico",
        "streets",
    ),
    "TRT-Traffic Signal Repairs": (
        "Traffic Signal Repair",
        "Reparación de un semáforo",
        "lights",
    ),
    "TRT-Traffic Study": ("Traffic Study", "Estudio de tráfico", "streets"),
    "TTR-Abandoned Vehicle Turn-in Program": (
        "Hand In an Unwanted Vehicle",
        "Entregar un vehículo que ya no se usa",
        "vehicles",
    ),
    "TTR-Vehicle Relocation": (
        "Vehicle Relocation",
        "Traslado de un vehículo",
        "vehicles",
    ),
    "TTR-Vehicle Removal": (
        "Vehicle Towing",
        "Retiro de un vehículo con grúa",
        "vehicles",
    ),
    "WW-Contractor Issues": (
        "Problem With a Water Works Contractor",
        "Problema con un contratista de obras de agua",
        "water",
    ),
    "WW-Customer Inquiries": (
        "Water Service Question",
        "Consulta sobre el servicio de agua",
        "water",
    ),
    "WW-Hydrant Damaged": ("Damaged Fire Hydrant", "Hidrante dañado", "water"),
    "WW-Hydrant Leaking": ("Leaking Fire Hydrant", "Hidrante con fuga", "water"),
    "WW-Hydrant Open": ("Open Fire Hydrant", "Hidrante abierto", "water"),
    "WW-Sediment or Erosion Problem": (
        "Sediment or Erosion Problem",
        "Problema de sedimentos o erosión",
        "water",
    ),
    "WW-Sewer Misc Investigation": (
        "Other Sewer Problem",
        "Otro problema de alcantarillado",
        "water",
    ),
    "WW-Sewer Overflow": (
        "Sewer Overflow",
        "Desborde del alcantarillado",
        "water",
    ),
    "WW-Sewer Water In Basement": (
        "Sewage in the Basement",
        "Aguas residuales en el sótano",
        "water",
    ),
    "WW-Storm Damaged Inlet": (
        "Damaged Storm Drain",
        "Desagüe pluvial dañado",
        "water",
    ),
    "WW-Storm Flooded Street": ("Flooded Street", "Calle inundada", "water"),
    "WW-Storm Inlet Choke": (
        "Blocked Storm Drain",
        "Desagüe pluvial tapado",
        "water",
    ),
    "WW-Storm Misc Investigation": (
        "Other Storm Drain Problem",
        "Otro problema de desagüe pluvial",
        "water",
    ),
    "WW-Storm Water In Basement": (
        "Rainwater in the Basement",
        "Agua de lluvia en el sótano",
        "water",
    ),
    "WW-Surface Repair": (
        "Road Repair After Water Works",
        "Reparación del pavimento tras obras de agua",
        "water",
    ),
    "WW-Water Discolored": ("Discoloured Water", "Agua turbia o de color extraño", "water"),
    "WW-Water Leak (Exterior)": (
        "Water Leak Outdoors",
        "Fuga de agua en el exterior",
        "water",
    ),
    "WW-Water Low Pressure": ("Low Water Pressure", "Baja presión del agua", "water"),
    "WW-Water Meter Cover Missing or Damaged": (
        "Water Meter Cover Missing or Damaged",
        "Tapa del medidor de agua faltante o dañada",
        "water",
    ),
    "WW-Water Meter Leak": (
        "Leaking Water Meter",
        "Fuga en el medidor de agua",
        "water",
    ),
    "WW-Water No Water": ("No Water", "Sin servicio de agua", "water"),
    "WW-Water Noise In Pipe": (
        "Noise in Water Pipes",
        "Ruido en las tuberías de agua",
        "water",
    ),
    "WW-Water Odor/Bad Taste": (
        "Water Smells or Tastes Bad",
        "El agua tiene mal olor o mal sabor",
        "water",
    ),
    "WW-Water Rip Rap": (
        "Stone Bank Protection (Riprap)",
        "Protección de orillas con piedras (escollera)",
        "water",
    ),
    "WW-Water Turn Off (Request)": (
        "Turn Off the Water",
        "Cortar el suministro de agua",
        "water",
    ),
    "WW-Water Turn On (Request)": (
        "Turn On the Water",
        "Reconectar el suministro de agua",
        "water",
    ),
    "WW-Water Water In Basement": (
        "Clean Water in the Basement",
        "Agua limpia en el sótano",
        "water",
    ),
    "WW-Waterway Pollution Investigation": (
        "Pollution in a Stream or Harbour",
        "Contaminación en un arroyo o en el puerto",
        "water",
    ),
}

# --------------------------------------------------------------------------------------------
# San Francisco Open311 service_code -> (name_en, name_es, group, department).
# --------------------------------------------------------------------------------------------
SF_SERVICES: dict[str, tuple[str, str, str, str]] = {
    "001": (
        "Trash Cans Left Out After Collection",
        "Contenedores de basura que siguen en la calle tras la recogida",
        "trash",
        "sanitation",
    ),
    "005": (
        "Damaged Sewer Vent Cover",
        "Tapa de respiradero del alcantarillado dañada",
        "water",
        "water-environment",
    ),
    "006": ("Damaged Street Tree", "Árbol de la calle dañado", "parks", "parks"),
    "007": (
        "Graffiti on a Bike Rack",
        "Grafitis en un estacionamiento para bicicletas",
        "graffiti",
        "sanitation",
    ),
    "008": (
        "Graffiti on a News Rack",
        "Grafitis en un exhibidor de periódicos",
        "graffiti",
        "sanitation",
    ),
    "009": (
        "Graffiti on a Parking Meter",
        "Grafitis en un parquímetro",
        "graffiti",
        "sanitation",
    ),
    "010": (
        "Graffiti on a Pay Phone",
        "Grafitis en un teléfono público",
        "graffiti",
        "sanitation",
    ),
    "011": (
        "Graffiti on Private Property",
        "Grafitis en propiedad privada",
        "graffiti",
        "sanitation",
    ),
    "012": (
        "Offensive Graffiti on Private Property",
        "Grafitis ofensivos en propiedad privada",
        "graffiti",
        "sanitation",
    ),
    "013": (
        "Graffiti on Other Public Property",
        "Grafitis en otra propiedad pública",
        "graffiti",
        "sanitation",
    ),
    "016": (
        "Landscaping on Public Property",
        "Mantenimiento de áreas verdes en propiedad pública",
        "parks",
        "parks",
    ),
    "018": (
        "Missing Sewer Vent Cover",
        "Falta la tapa de un respiradero del alcantarillado",
        "water",
        "water-environment",
    ),
    "020": (
        "Street Tree Needs Trimming",
        "Árbol de la calle que necesita poda",
        "parks",
        "parks",
    ),
    "022": (
        "Sewage Coming Out of a Storm Drain",
        "Aguas residuales que salen de un desagüe pluvial",
        "water",
        "water-environment",
    ),
    "023": (
        "Water Coming Out of a Side Sewer",
        "Agua que sale de una conexión lateral del alcantarillado",
        "water",
        "water-environment",
    ),
    "024": ("Sidewalk Cleaning", "Limpieza de una acera", "trash", "sanitation"),
    "027": (
        "Tree Damaging Property",
        "Árbol que daña una propiedad",
        "parks",
        "parks",
    ),
    "028": (
        "Water Main Break",
        "Rotura de una tubería principal de agua",
        "water",
        "water-environment",
    ),
    "029": (
        "Graffiti on a Street Sign",
        "Grafitis en una señal de tránsito",
        "graffiti",
        "sanitation",
    ),
    "030": (
        "Odour From a Side Sewer",
        "Mal olor de una conexión lateral del alcantarillado",
        "water",
        "water-environment",
    ),
    "032": (
        "Sewage Coming Out of a Sewer Vent",
        "Aguas residuales que salen de un respiradero del alcantarillado",
        "water",
        "water-environment",
    ),
    "375": (
        "Damaged Bench on a Sidewalk",
        "Banco dañado en una acera",
        "streets",
        "transportation",
    ),
    "376": (
        "Damaged Bike Rack",
        "Estacionamiento para bicicletas dañado",
        "streets",
        "transportation",
    ),
    "377": (
        "Damaged Kiosk or Public Toilet",
        "Quiosco o baño público dañado",
        "streets",
        "transportation",
    ),
    "378": (
        "Damaged News Rack",
        "Exhibidor de periódicos dañado",
        "streets",
        "transportation",
    ),
    "379": ("Damaged Parking Meter", "Parquímetro dañado", "vehicles", "parking"),
}

# SF services that are clearly the same as a Baltimore type: service_code -> Baltimore SRType.
SF_MERGES: dict[str, str] = {
    "002": "TRM-Steel Plate Complaint",
    "003": "TRM-Curb Repair",
    "004": "SW-Public (Corner) Trash Can Issue",
    "015": "HCD-Illegal Dumping",
    "017": "SW-Mechanical Street Sweeping",
    "019": "SW-Public (Corner) Trash Can Issue",
    "021": "TRM-Street Repairs",
    "025": "TRM-Footways Repair",
    "026": "SW-Dirty Street",
    "031": "WW-Sewer Overflow",
}

# --------------------------------------------------------------------------------------------
# NYC complaint_type -> (name_en, name_es, group). Department comes from the agency column.
# --------------------------------------------------------------------------------------------
NYC_TYPES: dict[str, tuple[str, str, str]] = {
    "APPLIANCE": (
        "Broken Appliance in an Apartment",
        "Electrodoméstico averiado en un apartamento",
        "housing",
    ),
    "Abandoned Bike": ("Abandoned Bike", "Bicicleta abandonada", "vehicles"),
    "Air Quality": ("Air Pollution", "Contaminación del aire", "health"),
    "Animal Facility - No Permit": (
        "Animal Business Without a Permit",
        "Negocio de animales sin permiso",
        "animals",
    ),
    "Animal in a Park": (
        "Animal Problem in a Park",
        "Problema con animales en un parque",
        "animals",
    ),
    "Asbestos": ("Asbestos", "Asbesto", "health"),
    "BEST/Site Safety": (
        "Unsafe Demolition Site",
        "Demolición insegura",
        "housing",
    ),
    "Beach/Pool/Sauna Complaint": (
        "Beach, Pool or Sauna Complaint",
        "Queja sobre una playa, piscina o sauna",
        "health",
    ),
    "Bike/Roller/Skate": (
        "Reckless Cycling or Skating",
        "Ciclistas o patinadores imprudentes",
        "health",
    ),
    "Blocked Driveway": ("Blocked Driveway", "Entrada de vehículos bloqueada", "vehicles"),
    "Boilers": ("Boiler Problem", "Problema con una caldera", "housing"),
    "Borough Office": (
        "Public Restroom Access in a Building",
        "Acceso a los baños públicos de un edificio",
        "housing",
    ),
    "Building/Use": ("Illegal Use of a Building", "Uso ilegal de un edificio", "housing"),
    "Bus Stop Shelter Complaint": (
        "Bus Shelter Problem",
        "Problema con un refugio de parada de autobús",
        "streets",
    ),
    "Cannabis Retailer": (
        "Cannabis Shop Complaint",
        "Queja sobre una tienda de cannabis",
        "business",
    ),
    "Commercial Disposal Complaint": (
        "Business Trash Left Out",
        "Basura de un negocio mal desechada",
        "trash",
    ),
    "Construction Lead Dust": (
        "Lead Dust From Construction",
        "Polvo de plomo por obras",
        "health",
    ),
    "Consumer Complaint": ("Consumer Complaint", "Queja del consumidor", "business"),
    "DOOR/WINDOW": (
        "Door or Window Problem in an Apartment",
        "Problema con una puerta o ventana en un apartamento",
        "housing",
    ),
    "Dead/Dying Tree": ("Dead or Dying Tree", "Árbol seco o muriéndose", "parks"),
    "Drinking": (
        "Public Drinking or Bar Violation",
        "Consumo de alcohol en la calle o infracción de un bar",
        "health",
    ),
    "Drug Activity": ("Drug Activity", "Consumo o venta de drogas", "health"),
    "Dumpster Complaint": (
        "Dumpster Problem",
        "Problema con un contenedor",
        "trash",
    ),
    "E-Scooter": (
        "Badly Parked E-Scooter",
        "Scooter eléctrico mal estacionado",
        "vehicles",
    ),
    "ELECTRIC": (
        "Electrical Problem in an Apartment",
        "Problema eléctrico en un apartamento",
        "housing",
    ),
    "ELEVATOR": (
        "Elevator Needs Maintenance (Apartment Building)",
        "Ascensor sin mantenimiento (edificio de apartamentos)",
        "housing",
    ),
    "Electrical": (
        "Dangerous Electrical Wiring in a Building",
        "Cableado eléctrico peligroso en un edificio",
        "housing",
    ),
    "Elevator": (
        "Elevator Out of Service or Unsafe",
        "Ascensor fuera de servicio o inseguro",
        "housing",
    ),
    "Emergency Response Team (ERT)": (
        "Illegal After-Hours Construction",
        "Obras ilegales fuera del horario permitido",
        "housing",
    ),
    "Encampment": (
        "Homeless Encampment",
        "Campamento de personas sin hogar",
        "homeless",
    ),
    "FLOORING/STAIRS": (
        "Floor or Stairs Problem in an Apartment",
        "Problema con el piso o las escaleras de un apartamento",
        "housing",
    ),
    "Ferry Inquiry": ("Ferry Lost and Found", "Objetos perdidos en el ferry", "other"),
    "For Hire Vehicle Complaint": (
        "For-Hire Vehicle Complaint",
        "Queja sobre un vehículo de alquiler con conductor",
        "vehicles",
    ),
    "For Hire Vehicle Report": (
        "For-Hire Vehicle Report",
        "Reporte sobre un vehículo de alquiler con conductor",
        "vehicles",
    ),
    "GENERAL": (
        "Other Apartment Repair",
        "Otra reparación en un apartamento",
        "housing",
    ),
    "General Construction/Plumbing": (
        "Unsafe or Illegal Construction",
        "Obra insegura o ilegal",
        "housing",
    ),
    "Green Taxi Report": (
        "Green Taxi Report",
        "Reporte sobre un taxi verde",
        "vehicles",
    ),
    "Harboring Bees/Wasps": (
        "Bees or Wasps Kept Illegally",
        "Abejas o avispas criadas ilegalmente",
        "animals",
    ),
    "Hazardous Materials": ("Hazardous Materials", "Materiales peligrosos", "health"),
    "Highway Condition": (
        "Highway Problem",
        "Problema en una autopista",
        "streets",
    ),
    "Highway Sign - Missing": (
        "Missing Highway Sign",
        "Falta una señal en una autopista",
        "streets",
    ),
    "Illegal Animal Kept as Pet": (
        "Illegal Pet",
        "Animal prohibido como mascota",
        "animals",
    ),
    "Illegal Fireworks": ("Illegal Fireworks", "Fuegos artificiales ilegales", "health"),
    "Illegal Tree Damage": (
        "Illegal Damage to a Tree",
        "Daño ilegal a un árbol",
        "parks",
    ),
    "Indoor Air Quality": (
        "Indoor Air Quality",
        "Calidad del aire en interiores",
        "health",
    ),
    "Indoor Sewage": (
        "Sewage Leak Indoors",
        "Fuga de aguas residuales en interiores",
        "water",
    ),
    "Industrial Waste": (
        "Industrial Waste in Sewers or Waterways",
        "Residuos industriales en el alcantarillado o en el agua",
        "water",
    ),
    "Investigations and Discipline (IAD)": (
        "Unlicensed or Improper Building Work",
        "Obras sin licencia o mal hechas",
        "housing",
    ),
    "Lead": (
        "Lead Test Kit for Drinking Water",
        "Kit para analizar plomo en el agua potable",
        "water",
    ),
    "Lost Property": (
        "Lost Property in a Taxi",
        "Objetos perdidos en un taxi",
        "vehicles",
    ),
    "Lot Condition": ("Dirty Vacant Lot", "Terreno baldío sucio", "trash"),
    "Missed Collection": (
        "Missed Trash or Recycling Collection",
        "No pasaron a recoger la basura o el reciclaje",
        "trash",
    ),
    "Mobile Food Vendor": (
        "Food Truck or Food Cart Complaint",
        "Queja sobre un camión o carrito de comida",
        "health",
    ),
    "Noise": (
        "Noise From Construction, Equipment or Alarms",
        "Ruido de obras, equipos o alarmas",
        "noise",
    ),
    "Noise - Commercial": ("Noise From a Business", "Ruido de un negocio", "noise"),
    "Noise - Helicopter": ("Helicopter Noise", "Ruido de helicópteros", "noise"),
    "Noise - House of Worship": (
        "Noise From a Place of Worship",
        "Ruido de un lugar de culto",
        "noise",
    ),
    "Noise - Park": ("Noise in a Park", "Ruido en un parque", "noise"),
    "Noise - Residential": (
        "Noise From a Home or Apartment",
        "Ruido de una vivienda",
        "noise",
    ),
    "Noise - Street/Sidewalk": (
        "Noise on the Street",
        "Ruido en la calle",
        "noise",
    ),
    "Noise - Vehicle": ("Vehicle Noise", "Ruido de vehículos", "noise"),
    "Non-Emergency Police Matter": (
        "Non-Emergency Police Matter",
        "Asunto policial que no es una emergencia",
        "health",
    ),
    "OUTSIDE BUILDING": (
        "Building Roof or Paving Problem",
        "Problema con el techo o el pavimento del edificio",
        "housing",
    ),
    "Obstruction": (
        "Sidewalk or Street Blocked",
        "Acera o calle obstruida",
        "streets",
    ),
    "Outdoor Dining": (
        "Outdoor Dining Area",
        "Terraza de restaurante en la vía pública",
        "business",
    ),
    "PAINT/PLASTER": (
        "Peeling Paint or Plaster",
        "Pintura o yeso en mal estado",
        "housing",
    ),
    "PLUMBING": (
        "Plumbing Problem in an Apartment",
        "Problema de plomería en un apartamento",
        "housing",
    ),
    "Panhandling": ("Panhandling", "Mendicidad", "health"),
    "Pet Sale": ("Illegal Pet Sale", "Venta ilegal de mascotas", "animals"),
    "Plumbing": (
        "Defective Plumbing in a Building",
        "Plomería defectuosa en un edificio",
        "housing",
    ),
    "Real Time Enforcement": (
        "Work Without a Permit",
        "Obras sin permiso",
        "housing",
    ),
    "Residential Disposal Complaint": (
        "Household Trash Set Out Wrongly",
        "Basura doméstica sacada de forma incorrecta",
        "trash",
    ),
    "Root/Sewer/Sidewalk Condition": (
        "Tree Roots Damaging a Sidewalk",
        "Raíces de árbol que dañan una acera",
        "parks",
    ),
    "SAFETY": (
        "Missing Safety Devices in an Apartment",
        "Faltan dispositivos de seguridad en un apartamento",
        "housing",
    ),
    "Sanitation Worker or Vehicle Complaint": (
        "Sanitation Worker or Truck Complaint",
        "Queja sobre un trabajador o camión de limpieza",
        "trash",
    ),
    "Sewer": (
        "Sewer or Catch Basin Problem",
        "Problema de alcantarillado o sumidero",
        "water",
    ),
    "Special Natural Area District (SNAD)": (
        "Illegal Tree Removal in a Protected Natural Area",
        "Tala ilegal de árboles en un área natural protegida",
        "parks",
    ),
    "Special Projects Inspection Team (SPIT)": (
        "Illegal Hotel or Closed Public Plaza",
        "Hotel ilegal o plaza pública privada cerrada",
        "housing",
    ),
    "Street Sign - Missing": (
        "Missing Street Sign",
        "Falta una señal de tránsito",
        "streets",
    ),
    "Tattooing": (
        "Tattoo Studio Complaint",
        "Queja sobre un estudio de tatuajes",
        "health",
    ),
    "Taxi Complaint": ("Taxi Complaint", "Queja sobre un taxi", "vehicles"),
    "Taxi Compliment": ("Taxi Compliment", "Felicitación a un taxista", "vehicles"),
    "Taxi Report": ("Taxi Report", "Reporte sobre un taxi", "vehicles"),
    "Traffic": (
        "Dangerous Driving or Gridlock",
        "Conducción peligrosa o embotellamiento",
        "vehicles",
    ),
    "UNSANITARY CONDITION": (
        "Unsanitary Conditions in an Apartment",
        "Condiciones insalubres en un apartamento",
        "housing",
    ),
    "Unleashed Dog": ("Unleashed Dog", "Perro sin correa", "animals"),
    "Unsanitary Pigeon Condition": (
        "Pigeon Droppings",
        "Excrementos de palomas",
        "animals",
    ),
    "Urinating in Public": (
        "Urinating in Public",
        "Orinar en la vía pública",
        "health",
    ),
    "Violation of Park Rules": (
        "Park Rules Violation",
        "Infracción de las normas del parque",
        "parks",
    ),
    "WATER LEAK": (
        "Water Leak in an Apartment",
        "Fuga de agua en un apartamento",
        "housing",
    ),
    "Water Conservation": ("Water Being Wasted", "Desperdicio de agua", "water"),
    "Water System": (
        "Water Main, Hydrant or Pressure Problem",
        "Problema con la tubería principal, un hidrante o la presión del agua",
        "water",
    ),
    "Wood Pile Remaining": (
        "Wood Left After Tree Work",
        "Restos de madera tras trabajos en árboles",
        "parks",
    ),
}

# NYC complaint types clearly the same as a Baltimore or SF type: -> (source, source_code).
NYC_MERGES: dict[str, tuple[str, str]] = {
    "Abandoned Vehicle": ("baltimore", "TRS-Abandoned Vehicle"),
    "Derelict Vehicles": ("baltimore", "TRS-Abandoned Vehicle"),
    "Animal-Abuse": ("baltimore", "HLTH-Animal In Danger/Injured/Abused/Neglected"),
    "Curb Condition": ("baltimore", "TRM-Curb Repair"),
    "Dead Animal": ("baltimore", "HLTH-Animal Dead Animal Pickup-Wildlife or Stray"),
    "Dirty Condition": ("baltimore", "SW-Dirty Street"),
    "Food Establishment": ("baltimore", "HLTH-Food Facility Complaint"),
    "Food Poisoning": ("baltimore", "HLTH-Food Borne Illness Alleged"),
    "Graffiti": ("baltimore", "SW-Graffiti Removal"),
    "HEAT/HOT WATER": ("baltimore", "HCD-OECS-No Heat Referral"),
    "Homeless Person Assistance": ("baltimore", "MOHS-Homeless Outreach"),
    "Illegal Dumping": ("baltimore", "HCD-Illegal Dumping"),
    "Illegal Parking": ("baltimore", "TRS-Parking Complaint"),
    "Illegal Posting": ("baltimore", "HCD-Illegal Signs on Public Property"),
    "Litter Basket Complaint": ("baltimore", "SW-Public (Corner) Trash Can Issue"),
    "Litter Basket Request": ("baltimore", "SW-Public (Corner) Trash Can Request/Removal"),
    "Maintenance or Facility": ("baltimore", "RP-Park Maintenance"),
    "Mosquitoes": ("baltimore", "HLTH-EV Mosquito Surveillance"),
    "Rodent": ("baltimore", "HCD-Rodents"),
    "Sidewalk Condition": ("baltimore", "TRM-Footways Repair"),
    "Smoking or Vaping": ("baltimore", "HLTH-EV Smoking Ban Violation"),
    "Standing Water": ("baltimore", "HLTH-EV Stagnant Water"),
    "Street Condition": ("baltimore", "TRM-Street Repairs"),
    "Street Light Condition": ("baltimore", "TRM-Street Light Out"),
    "Street Sign - Damaged": ("baltimore", "TRM-Sign Damaged/Sign Structure"),
    "Street Sign - Dangling": ("baltimore", "TRM-Sign Damaged/Sign Structure"),
    "Street Sweeping Complaint": ("baltimore", "SW-Mechanical Street Sweeping"),
    "Traffic Signal Condition": ("baltimore", "TRT-Traffic Signal Repairs"),
    "Unsanitary Animal Pvt Property": ("baltimore", "HLTH-Animal Unsanitary Conditions"),
    "Vendor Enforcement": ("baltimore", "HCD-Unauthorized Vending"),
    "Water Quality": ("baltimore", "WW-Water Odor/Bad Taste"),
    "Bike Rack": ("sf", "376"),
    "Broken Parking Meter": ("sf", "379"),
    "Damaged Tree": ("sf", "006"),
    "Overgrown Tree/Branches": ("sf", "020"),
}

# NYC descriptor -> (name_en, name_es). "N/A" means "no descriptor" and is dropped.
NYC_DESCRIPTORS: dict[str, tuple[str, str]] = {
    "1 or 2": ("1 or 2 people got sick", "Se enfermaron 1 o 2 personas"),
    "APARTMENT ONLY": ("One apartment only", "Solo un apartamento"),
    "Adjacent Buildings Not Protected": (
        "Neighbouring buildings not protected",
        "Edificios vecinos sin protección",
    ),
    "After Hours - Licensed Est": (
        "Bar open after hours",
        "Bar abierto fuera del horario permitido",
    ),
    "After Hours Work - Illegal": (
        "Illegal work after hours",
        "Obras ilegales fuera del horario permitido",
    ),
    "Air: Dust, Construction/Demolition (AE4)": (
        "Dust from construction or demolition",
        "Polvo de obras o demoliciones",
    ),
    "Air: Odor/Fumes, Restaurant (AD2)": (
        "Odour or fumes from a restaurant",
        "Olores o humo de un restaurante",
    ),
    "Air: Odor/Fumes, Vehicle Idling (AD3)": (
        "Fumes from an idling vehicle",
        "Gases de un vehículo detenido con el motor encendido",
    ),
    "Air: Other Air Problem (Use Comments) (AZZ)": (
        "Other air problem",
        "Otro problema del aire",
    ),
    "Air: Smoke, Chimney or vent (AS1)": (
        "Smoke from a chimney or vent",
        "Humo de una chimenea o salida de ventilación",
    ),
    "Allowed in Smoke Free Area": (
        "Smoking allowed in a smoke-free area",
        "Se permite fumar en un área libre de humo",
    ),
    "Animal Waste": ("Animal waste", "Excrementos de animales"),
    "Animals Sold From Residence": (
        "Animals sold from a home",
        "Venta de animales desde una vivienda",
    ),
    "Asbestos Complaint (B1)": ("Asbestos complaint", "Queja por asbesto"),
    "BASIN/SINK": ("Sink", "Lavabo o fregadero"),
    "BATHTUB/SHOWER": ("Bathtub or shower", "Bañera o ducha"),
    "BBQ Outside Authorized Area": (
        "Barbecue outside the permitted area",
        "Asado fuera del área permitida",
    ),
    "BELL/BUZZER/INTERCOM": ("Doorbell, buzzer or intercom", "Timbre o intercomunicador"),
    "Bag/Wallet": ("Bag or wallet", "Bolso o billetera"),
    "Banging/Pounding": ("Banging or pounding", "Golpes"),
    "Barber Shop, Beauty Salon, or Nail Salon": (
        "Barber shop, beauty salon or nail salon",
        "Barbería, salón de belleza o de uñas",
    ),
    "Bare Hands in Contact w/ Food": (
        "Food touched with bare hands",
        "Alimentos tocados con las manos sin guantes",
    ),
    "Barrier Condition": ("Damaged barrier", "Barrera en mal estado"),
    "Bees/Wasps - Not a beekeper": (
        "Bees or wasps (not a beekeeper)",
        "Abejas o avispas (no es apicultor)",
    ),
    "Bicycle Chained to Tree": ("Bicycle chained to a tree", "Bicicleta atada a un árbol"),
    "Bin Not Used": ("Trash bin not used", "No se usa el contenedor de basura"),
    "Bird": ("Bird", "Ave"),
    "Blocked - Construction": ("Blocked by construction", "Bloqueo por obras"),
    "Blocked Bike Lane": ("Blocked bike lane", "Ciclovía bloqueada"),
    "Blocked Crosswalk": ("Blocked crosswalk", "Paso peatonal bloqueado"),
    "Blocked Hydrant": ("Blocked fire hydrant", "Hidrante bloqueado"),
    "Blocked Sidewalk": ("Blocked sidewalk", "Acera bloqueada"),
    "Blocking Street": ("Blocking the street", "Bloquea la calle"),
    "Bodega, Deli, or Convenience Store": (
        "Bodega, deli or convenience store",
        "Bodega, delicatessen o tienda de conveniencia",
    ),
    "Boiler - Defective/Inoperative/No Permit": (
        "Boiler defective, not working or without a permit",
        "Caldera defectuosa, que no funciona o sin permiso",
    ),
    "Branch Cracked and Will Fall": (
        "Cracked branch about to fall",
        "Rama agrietada a punto de caer",
    ),
    "Branch or Limb Has Fallen Down": ("A branch has fallen", "Se cayó una rama"),
    "Branches Damaged": ("Branches damaged", "Ramas dañadas"),
    "Broken Curb": ("Broken curb", "Bordillo roto"),
    "Broken Glass": ("Broken glass", "Vidrios rotos"),
    "Broken Sidewalk": ("Broken sidewalk", "Acera rota"),
    "Building - Vacant, Open And Unguarded": (
        "Vacant building left open",
        "Edificio desocupado abierto y sin vigilancia",
    ),
    "Building Permit - None": (
        "Work without a building permit",
        "Obras sin permiso de construcción",
    ),
    "Building Shaking/Vibrating/Structural Stability": (
        "Building shaking or structurally unsafe",
        "Edificio que tiembla o con la estructura inestable",
    ),
    "Bulky Recycling": ("Bulky recycling", "Reciclaje voluminoso"),
    "Bulky Trash": ("Bulky trash", "Objetos voluminosos"),
    "CABINET": ("Cabinet", "Armario o gabinete"),
    "CARBON MONOXIDE DETECTOR": (
        "Carbon monoxide detector",
        "Detector de monóxido de carbono",
    ),
    "CEILING": ("Ceiling", "Techo"),
    "COOKING GAS": ("Cooking gas", "Gas para cocinar"),
    "Canopy Complaint": ("Sidewalk canopy", "Toldo sobre la acera"),
    "Car Service Company Complaint": (
        "Car service company",
        "Empresa de servicio de autos",
    ),
    "Car/Truck Horn": ("Car or truck horn", "Bocina de un auto o camión"),
    "Car/Truck Music": ("Music from a car or truck", "Música de un auto o camión"),
    "Cat": ("Cat", "Gato"),
    "Catch Basin Clogged/Flooding (Use Comments) (SC)": (
        "Catch basin clogged or flooding",
        "Sumidero tapado o inundado",
    ),
    "Catch Basin Grating Missing (SA4)": (
        "Catch basin grate missing",
        "Falta la rejilla de un sumidero",
    ),
    "Catch Basin Search (SC2)": (
        "Catch basin cannot be found",
        "No se encuentra el sumidero",
    ),
    "Catch Basin Sunken/Damaged/Raised (SC1)": (
        "Catch basin sunken, damaged or raised",
        "Sumidero hundido, dañado o levantado",
    ),
    "Cave-in": ("Cave-in", "Hundimiento"),
    "Cell Phone Store": ("Cell phone store", "Tienda de celulares"),
    "Chained": ("Kept chained", "Animal encadenado"),
    "Chained to Public Property": (
        "Chained to public property",
        "Atada a propiedad pública",
    ),
    "Chemical Odor (HD1)": ("Chemical smell", "Olor a químicos"),
    "Chemical Spill (IAC)": (
        "Chemical spill into a sewer",
        "Derrame químico en el alcantarillado",
    ),
    "Chemical Spill/Release (HA1)": (
        "Chemical spill or release",
        "Derrame o escape de químicos",
    ),
    "Chemical Vapors/Gases/Odors": (
        "Chemical vapours, gases or odours",
        "Vapores, gases u olores químicos",
    ),
    "Chronic": (
        "Person is there most of the time",
        "La persona está allí casi siempre",
    ),
    "Chronic Dumping": ("Repeated dumping", "Basura tirada repetidamente"),
    "Chronic Speeding": ("Repeated speeding", "Exceso de velocidad frecuente"),
    "Chronic Stoplight Violation": (
        "Drivers often run the red light",
        "Los conductores se pasan el semáforo en rojo con frecuencia",
    ),
    "Clear Street Light": (
        "Branches covering a street light",
        "Ramas que tapan el alumbrado",
    ),
    "Clothing/Glasses": ("Clothing or glasses", "Ropa o anteojos"),
    "Coin or Card Did Not Register": (
        "Coin or card not accepted",
        "No registró la moneda o la tarjeta",
    ),
    "Coming into Apartment": ("Coming into the apartment", "Entra al apartamento"),
    "Commercial Overnight Parking": (
        "Commercial vehicle parked overnight",
        "Vehículo comercial estacionado de noche",
    ),
    "Common Areas and Apartment": (
        "Common areas and apartment",
        "Áreas comunes y apartamento",
    ),
    "Compost": ("Compost", "Residuos orgánicos"),
    "Concrete In Catch Basin (IEA)": (
        "Concrete in a catch basin",
        "Concreto en un sumidero",
    ),
    "Condition Attracting Rodents": (
        "Conditions attracting rodents",
        "Condiciones que atraen roedores",
    ),
    "Cone": ("Traffic cone", "Cono de tráfico"),
    "Congestion/Gridlock": ("Congestion or gridlock", "Congestión o embotellamiento"),
    "Cons - Contrary/Beyond Approved Plans/Permits": (
        "Work not matching approved plans or permits",
        "Obras que no siguen los planos o permisos aprobados",
    ),
    "Controller": ("Signal controller box", "Caja de control del semáforo"),
    "Curb Cut/Driveway/Carport - Illegal": (
        "Illegal curb cut, driveway or carport",
        "Rebaje de bordillo, entrada o cochera ilegal",
    ),
    "Curb Defect-Metal Protruding": (
        "Metal sticking out of the curb",
        "Metal que sobresale del bordillo",
    ),
    "DAMP SPOT": ("Damp spot", "Mancha de humedad"),
    "DOOR": ("Door", "Puerta"),
    "DOOR FRAME": ("Door frame", "Marco de la puerta"),
    "DOOR TO DUMBWAITER": ("Dumbwaiter door", "Puerta del montaplatos"),
    "DOOR/FRAME": ("Door or frame", "Puerta o marco"),
    "Damaged/Bent/Loose/Leaning": (
        "Damaged, bent, loose or leaning",
        "Dañado, doblado, suelto o inclinado",
    ),
    "Dead Animal": ("Dead animal", "Animal muerto"),
    "Dead Branches in Tree": ("Dead branches in the tree", "Ramas secas en el árbol"),
    "Debris - Excessive": ("Too much debris", "Exceso de escombros"),
    "Debris - Falling Or In Danger Of Falling": (
        "Debris falling or about to fall",
        "Escombros que caen o pueden caer",
    ),
    "Debris from Car Accident": (
        "Debris from a car accident",
        "Restos de un accidente de tráfico",
    ),
    "Defacement": ("Defaced", "Pintadas o daños"),
    "Defective Hardware": ("Defective metal fittings", "Piezas metálicas defectuosas"),
    "Defective/Missing Curb Piece (SC4)": (
        "Curb piece defective or missing",
        "Pieza del bordillo defectuosa o faltante",
    ),
    "Demolition - Unsafe": ("Unsafe demolition", "Demolición insegura"),
    "Derelict Vehicles": (
        "Derelict vehicle without plates",
        "Vehículo en ruinas sin placas",
    ),
    "Detached Trailer": ("Detached trailer", "Remolque desenganchado"),
    "Dirt or Gravel": ("Dirt or gravel", "Tierra o grava"),
    "Dirty Water (WE)": ("Dirty water", "Agua sucia"),
    "Dirty/Graffiti": ("Dirty or covered in graffiti", "Sucio o con grafitis"),
    "Dirty/Inadequate Eqp/Facility": (
        "Dirty or unsuitable equipment or premises",
        "Equipos o local sucios o inadecuados",
    ),
    "Dog": ("Dog", "Perro"),
    "Dog Off Leash": ("Dog off its leash", "Perro sin correa"),
    "Double Parked Blocking Traffic": (
        "Double-parked, blocking traffic",
        "Estacionado en doble fila bloqueando el tráfico",
    ),
    "Double Parked Blocking Vehicle": (
        "Double-parked, blocking a vehicle",
        "Estacionado en doble fila bloqueando un vehículo",
    ),
    "Drag Racing": ("Street racing", "Carreras ilegales en la calle"),
    "Driver Complaint - Non Passenger": (
        "Driver complaint (not a passenger)",
        "Queja sobre el conductor (no era pasajero)",
    ),
    "Driver Complaint - Passenger": (
        "Driver complaint (passenger)",
        "Queja sobre el conductor (era pasajero)",
    ),
    "Driver Compliment": ("Compliment for the driver", "Felicitación al conductor"),
    "Driver Report - Non Passenger": (
        "Report about a driver (not a passenger)",
        "Reporte sobre un conductor (no era pasajero)",
    ),
    "Driver Report - Passenger": (
        "Report about a driver (passenger)",
        "Reporte sobre un conductor (era pasajero)",
    ),
    "Dumpster - Construction Waste": (
        "Construction waste container",
        "Contenedor de escombros de obra",
    ),
    "ELECTRIC/GAS RANGE": ("Electric or gas stove", "Estufa eléctrica o de gas"),
    "ENTIRE BUILDING": ("Entire building", "Todo el edificio"),
    "Egress - Doors Locked/Blocked/Improper/No Secondary Means": (
        "Exits locked, blocked or missing",
        "Salidas cerradas con llave, bloqueadas o inexistentes",
    ),
    "Electrical Wiring Defective/Exposed": (
        "Defective or exposed wiring",
        "Cableado defectuoso o expuesto",
    ),
    "Electronics/Phones": ("Electronics or phones", "Aparatos electrónicos o teléfonos"),
    "Elevator - Multiple Devices On Property": (
        "One of several elevators in the building",
        "Uno de varios ascensores del edificio",
    ),
    "Elevator - Single Device On Property/No Alternate Service": (
        "The only elevator in the building",
        "El único ascensor del edificio",
    ),
    "Engine Idling": ("Engine left running", "Motor encendido con el vehículo detenido"),
    "Entire Tree Has Fallen Down": ("The whole tree has fallen", "Se cayó el árbol entero"),
    "Equipment": ("Equipment", "Equipos"),
    "FIRE ESCAPE": ("Fire escape", "Escalera de incendios"),
    "FLOOR": ("Floor", "Piso"),
    "Failed Street Repair": ("Poor street repair", "Reparación de la calle mal hecha"),
    "Failure To Retain Water/Improper Drainage- (LL103/89)": (
        "Improper drainage",
        "Drenaje inadecuado",
    ),
    "Fence - None/Inadequate": (
        "Missing or inadequate fence",
        "Cerca inexistente o inadecuada",
    ),
    "Fixture/Luminaire Damaged": ("Light fixture damaged", "Luminaria dañada"),
    "Fixture/Luminaire Door Open": (
        "Light fixture door open",
        "Tapa de la luminaria abierta",
    ),
    "Food Contains Foreign Object": (
        "Foreign object in food",
        "Objeto extraño en la comida",
    ),
    "Food Source/Protection": (
        "Food source or storage",
        "Origen o conservación de los alimentos",
    ),
    "Food Spoiled": ("Spoiled food", "Comida en mal estado"),
    "Food Temperature": ("Food kept at the wrong temperature", "Comida a temperatura indebida"),
    "Food Vendor": ("Food vendor", "Vendedor de comida"),
    "Food Worker Activity": (
        "Food worker behaviour",
        "Conducta del personal que manipula alimentos",
    ),
    "Furniture Store": ("Furniture store", "Mueblería"),
    "GARBAGE/RECYCLING STORAGE": (
        "Garbage or recycling storage",
        "Almacenamiento de basura o reciclaje",
    ),
    "Garage or Parking Lot": ("Garage or parking lot", "Garaje o estacionamiento"),
    "Garbage or Litter": ("Garbage or litter", "Basura"),
    "Gas Station Pumps": ("Gas station pumps", "Bombas de gasolina"),
    "Graffiti": ("Graffiti", "Grafitis"),
    "Graffiti or Vandalism": ("Graffiti or vandalism", "Grafitis o vandalismo"),
    "Grass/Weeds": ("Grass or weeds", "Césped o maleza"),
    "Grease In Sewer/Catch Basin (IDG)": (
        "Grease in a sewer or catch basin",
        "Grasa en el alcantarillado o un sumidero",
    ),
    "Guard Rail - Street": ("Street guardrail", "Barrera de contención de la calle"),
    "HEAVY FLOW": ("Heavy flow", "Mucha agua"),
    "High Grass": ("High grass", "Césped alto"),
    "Hitting Building": ("Touching a building", "Toca un edificio"),
    "Hitting Phone/Cable Lines": (
        "Touching phone or cable lines",
        "Toca cables de teléfono o de televisión",
    ),
    "Hitting Power Lines": ("Touching power lines", "Toca cables eléctricos"),
    "Home Improvement Contractor": (
        "Home improvement contractor",
        "Contratista de reformas del hogar",
    ),
    "Hours of Operation": ("Opening hours", "Horario de apertura"),
    "Hyd Valve Box Cover Missing (WV2)": (
        "Hydrant valve box cover missing",
        "Falta la tapa de la válvula del hidrante",
    ),
    "Hydrant Defective (WC2)": ("Hydrant defective", "Hidrante defectuoso"),
    "Hydrant Knocked Over/Missing (WC)": (
        "Hydrant knocked over or missing",
        "Hidrante derribado o faltante",
    ),
    "Hydrant Leaking (WC1)": ("Hydrant leaking", "Hidrante con fuga"),
    "Hydrant Running (WC3)": ("Hydrant running", "Hidrante abierto"),
    "Hydrant Running Full (WA4)": (
        "Hydrant running at full flow",
        "Hidrante abierto a todo caudal",
    ),
    "Illegal Conversion Of Residential Building/Space": (
        "Home illegally converted or subdivided",
        "Vivienda convertida o dividida ilegalmente",
    ),
    "Illegal Hotel Rooms In Residential Building": (
        "Illegal hotel rooms in a residential building",
        "Habitaciones de hotel ilegales en un edificio residencial",
    ),
    "Illegal Tree Removal/Topo. Change in SNAD": (
        "Illegal tree removal or land grading",
        "Tala ilegal de árboles o modificación del terreno",
    ),
    "Illegal Use Of A Hydrant (CIN)": ("Illegal use of a hydrant", "Uso ilegal de un hidrante"),
    "Illegal Use Of Hose - Other (CCO)": (
        "Hose used wastefully",
        "Uso indebido de una manguera",
    ),
    "Illegal. Commercial Use In Resident Zone": (
        "Business in a residential zone",
        "Negocio en una zona residencial",
    ),
    "Improperly Parked or Abandoned": (
        "Badly parked or abandoned",
        "Mal estacionado o abandonado",
    ),
    "In Public": ("Drinking in public", "Consumo de alcohol en la vía pública"),
    "Inadequate Sweeping": ("Poor sweeping", "Barrido deficiente"),
    "Inappropriate Behavior": ("Inappropriate behaviour", "Comportamiento inapropiado"),
    "Injured Wildlife": ("Injured wild animal", "Animal silvestre herido"),
    "Insects / Pests": ("Insects or pests", "Insectos o plagas"),
    "Investigative Inspection": ("Inspection request", "Solicitud de inspección"),
    "JANITOR/SUPER": (
        "Janitor or superintendent",
        "Conserje o encargado del edificio",
    ),
    "Jewelry": ("Jewellery", "Joyas"),
    "Kitchen/Food Prep Area": (
        "Kitchen or food preparation area",
        "Cocina o área de preparación de alimentos",
    ),
    "LIGHTING": ("Lighting", "Iluminación"),
    "LOW WATER PRESSURE - WLWP": ("Low water pressure", "Baja presión del agua"),
    "Lamppost Missing": ("Lamppost missing", "Falta un poste de alumbrado"),
    "Landlord or Real Estate Agent": (
        "Landlord or real estate agent",
        "Propietario o agente inmobiliario",
    ),
    "Large Number of Mosquitoes": ("Lots of mosquitoes", "Muchos mosquitos"),
    "Laundromat": ("Laundromat", "Lavandería"),
    "Lead Kit Request (Residential) (L10)": (
        "Request a home lead test kit",
        "Solicitar un kit para analizar plomo en casa",
    ),
    "Leak (Use Comments) (WA2)": ("Leak", "Fuga"),
    "Letter Grading": ("Inspection letter grade", "Calificación sanitaria con letra"),
    "License Plate Obscured": ("Licence plate covered", "Placa tapada u oculta"),
    "Line/Marking - Faded": ("Faded lines or markings", "Líneas o marcas desgastadas"),
    "Litter": ("Litter", "Basura"),
    "Lost and Found": ("Lost and found", "Objetos perdidos"),
    "Loud Music/Party": ("Loud music or party", "Música alta o fiesta"),
    "Loud Talking": ("Loud talking", "Personas hablando en voz alta"),
    "Loud Television": ("Loud television", "Televisor a todo volumen"),
    "MAILBOX": ("Mailbox", "Buzón"),
    "MAINTENANCE": ("Maintenance", "Mantenimiento"),
    "MOLD": ("Mould", "Moho"),
    "Manhole Cover Missing (Emergency) (SA3)": (
        "Manhole cover missing (emergency)",
        "Falta la tapa de una alcantarilla (emergencia)",
    ),
    "Manhole Overflow (Use Comments) (SA1)": (
        "Manhole overflowing",
        "Alcantarilla desbordada",
    ),
    "Mattress or Box Spring Uncovered": (
        "Mattress or box spring not wrapped",
        "Colchón o somier sin envolver",
    ),
    "Merchandise": ("Merchandise", "Mercancía"),
    "Mobile Food Vendor": ("Mobile food vendor", "Vendedor ambulante de comida"),
    "Mouse Sighting": ("Mouse seen", "Se vio un ratón"),
    "NO LIGHTING": ("No lighting", "Sin iluminación"),
    "Neglected": ("Neglected", "Desatendido"),
    "New Basket": ("New litter basket", "Nuevo cesto de basura"),
    "No Access": ("Cannot get in or out", "No se puede entrar ni salir"),
    "No Certificate Of Occupancy/Illegal/Contrary To CO": (
        "No certificate of occupancy, or use not allowed by it",
        "Sin certificado de ocupación o uso no permitido por él",
    ),
    "No Parking, Standing, Stopping": (
        "No parking, standing or stopping sign",
        "Señal de prohibido estacionar o detenerse",
    ),
    "No Permit or License": ("No permit or licence", "Sin permiso ni licencia"),
    "No Receipt": ("No receipt", "No entrega recibo"),
    "No Shelter": ("No shelter", "Sin refugio"),
    "Noise, Barking Dog (NR5)": ("Barking dog", "Perro que ladra"),
    "Noise, Ice Cream Truck (NR4)": ("Ice cream truck", "Camión de helados"),
    "Noise:  lawn care equipment (NCL)": ("Lawn care equipment", "Equipos de jardinería"),
    "Noise: Alarms (NR3)": ("Alarms", "Alarmas"),
    "Noise: Boat(Engine,Music,Etc) (NR10)": (
        "Boat (engine, music, etc.)",
        "Embarcación (motor, música, etc.)",
    ),
    "Noise: Construction Before/After Hours (NM1)": (
        "Construction outside permitted hours",
        "Obras fuera del horario permitido",
    ),
    "Noise: Construction Equipment (NC1)": (
        "Construction equipment",
        "Maquinaria de construcción",
    ),
    "Noise: Jack Hammering (NC2)": ("Jackhammering", "Martillo neumático"),
    "Noise: Manufacturing Noise (NK1)": ("Factory noise", "Ruido de una fábrica"),
    "Noise: Private Carting Noise (NQ1)": (
        "Private garbage truck",
        "Camión privado de basura",
    ),
    "Noise: air condition/ventilation equipment (NV1)": (
        "Air conditioning or ventilation equipment",
        "Equipos de aire acondicionado o ventilación",
    ),
    "Non-Chronic": (
        "Person is there only now and then",
        "La persona está allí solo de vez en cuando",
    ),
    "Non-Food Vendor": ("Vendor selling goods other than food", "Vendedor de artículos"),
    "OUTLET/SWITCH": ("Outlet or switch", "Enchufe o interruptor"),
    "Obstructing Public Use": ("Blocking public use", "Impide el uso público"),
    "Odor In Sewer/Catch Basin (ICB)": (
        "Odour from a sewer or catch basin",
        "Olor del alcantarillado o de un sumidero",
    ),
    "Oil Spill On Street, Small (HQS)": (
        "Small oil spill on the street",
        "Pequeño derrame de aceite en la calle",
    ),
    "One Way": ("One-way sign", "Señal de sentido único"),
    "Opossum": ("Opossum", "Zarigüeya"),
    "Other": ("Other", "Otro"),
    "Other (Explain Below)": ("Other (please explain)", "Otro (explique)"),
    "Other (complaint details)": (
        "Other (please give details)",
        "Otro (indique los detalles)",
    ),
    "Other Animal": ("Other animal", "Otro animal"),
    "Other Store (Non-Food)": ("Other store (not food)", "Otra tienda (no de alimentos)"),
    "Other/Unknown": ("Other or not sure", "Otro o no lo sé"),
    "Out of Order": ("Out of order", "Fuera de servicio"),
    "Overflowing": ("Overflowing", "Desbordado"),
    "Overflowing dumpster": ("Overflowing dumpster", "Contenedor desbordado"),
    "Overnight Commercial Storage": (
        "Commercial vehicle stored on the street overnight",
        "Vehículo comercial guardado de noche en la calle",
    ),
    "PAVEMENT": ("Paving", "Pavimento"),
    "PESTS": ("Pests", "Plagas"),
    "POWER OUTAGE": ("Power outage", "Corte de luz"),
    "Paper License Plates": ("Paper licence plates", "Placas de papel"),
    "Parking Permit Improper Use": (
        "Parking permit misused",
        "Uso indebido de un permiso de estacionamiento",
    ),
    "Partial Access": ("Hard to get in or out", "Dificulta la entrada o salida"),
    "Ped Lamp": ("Pedestrian signal bulb", "Foco del semáforo peatonal"),
    "Pedestrian Ramp Defective": ("Defective curb ramp", "Rampa peatonal defectuosa"),
    "Pedestrian Signal": ("Pedestrian signal", "Semáforo peatonal"),
    "Pedicab": ("Pedicab", "Bicitaxi"),
    "Pet/Animal": ("Pet or animal on the premises", "Mascota o animal en el local"),
    "Pigeon Waste": ("Pigeon droppings", "Excrementos de palomas"),
    "Planted Less Than 2 Years Ago": (
        "Planted less than 2 years ago",
        "Plantado hace menos de 2 años",
    ),
    "Planted More Than 2 Years Ago": (
        "Planted more than 2 years ago",
        "Plantado hace más de 2 años",
    ),
    "Plate Condition - Noisy": ("Noisy road plate", "Placa de acero ruidosa"),
    "Plate Condition - Shifted": ("Shifted road plate", "Placa de acero desplazada"),
    "Plumbing Work - Unlicensed/Illegal/Improper Work In Progress": (
        "Unlicensed or improper plumbing work",
        "Trabajos de plomería sin licencia o mal hechos",
    ),
    "Plumbing-Defective/Leaking/Not Maintained": (
        "Defective or leaking plumbing",
        "Plomería defectuosa o con fugas",
    ),
    "Possible Water Main Break (Use Comments) (WA1)": (
        "Possible water main break",
        "Posible rotura de una tubería principal",
    ),
    "Posted Notice Or Order Removed/Tampered With": (
        "Official notice removed or tampered with",
        "Aviso oficial retirado o alterado",
    ),
    "Posted Parking Sign Violation": (
        "Parked against the posted signs",
        "Estacionado sin respetar las señales",
    ),
    "Poster or Sign": ("Poster or sign", "Cartel o letrero"),
    "Pothole": ("Pothole", "Bache"),
    "Pothole - Highway": ("Pothole on a highway", "Bache en una autopista"),
    "Privately Owned Public Space/Non-Compliance": (
        "Private public plaza not open as required",
        "Plaza pública privada que no abre como se exige",
    ),
    "Product Concerns": ("Problem with products", "Problema con los productos"),
    "RADIATOR": ("Radiator", "Radiador"),
    "RAIN GARDEN DEBRIS (GIRGD)": ("Debris in a rain garden", "Basura en un jardín de lluvia"),
    "REFRIGERATOR": ("Refrigerator", "Refrigerador"),
    "ROOFING": ("Roof", "Tejado"),
    "Raccoon": ("Raccoon", "Mapache"),
    "Rat Sighting": ("Rat seen", "Se vio una rata"),
    "Rat or Mouse": ("Rat or mouse", "Rata o ratón"),
    "Recreation Center": ("Recreation centre", "Centro recreativo"),
    "Recycling - Metal/Glass/Rigid Plastic": (
        "Recycling: metal, glass and rigid plastic",
        "Reciclaje: metal, vidrio y plástico rígido",
    ),
    "Recycling - Paper": ("Recycling: paper", "Reciclaje: papel"),
    "Recycling - Paper/Metal/Glass/Rigid Plastic": (
        "Recycling: paper, metal, glass and plastic",
        "Reciclaje: papel, metal, vidrio y plástico",
    ),
    "Removal Request": ("Please remove it", "Solicitud de retiro"),
    "Remove Debris": ("Remove wood debris", "Retirar restos de madera"),
    "Replacement Basket": ("Replace a litter basket", "Reemplazar un cesto de basura"),
    "Restaurant": ("Restaurant", "Restaurante"),
    "Restaurant Status": ("Restaurant permit status", "Situación del permiso del restaurante"),
    "Restroom Non-Complaince With Local Law 79/16": (
        "Restroom access rules not followed",
        "No se respetan las normas de acceso a los baños",
    ),
    "Rodent Sighting": ("Rodent seen", "Se vio un roedor"),
    "Rodents/Insects/Garbage": ("Rodents, insects or garbage", "Roedores, insectos o basura"),
    "Rooftank Leak Or Overflow (CKO)": (
        "Rooftop water tank leaking or overflowing",
        "Tanque de agua del techo con fuga o desbordado",
    ),
    "Rooster": ("Rooster", "Gallo"),
    "Roots Damaged": ("Roots damaged", "Raíces dañadas"),
    "Rough, Pitted or Cracked Roads": (
        "Rough, pitted or cracked road",
        "Calzada irregular, con hoyos o agrietada",
    ),
    "SEWAGE": ("Sewage", "Aguas residuales"),
    "SIGNAGE MISSING": ("Required signs missing", "Faltan letreros obligatorios"),
    "SLOW LEAK": ("Slow leak", "Fuga lenta"),
    "SMOKE DETECTOR": ("Smoke detector", "Detector de humo"),
    "SRO - Illegal Work/No Permit/Change In Occupancy/Use": (
        "Rooming house: illegal work or change of use",
        "Casa de huéspedes: obras ilegales o cambio de uso",
    ),
    "STAIRS": ("Stairs", "Escaleras"),
    "STEAM PIPE/RISER": ("Steam pipe or riser", "Tubería de vapor o columna montante"),
    "Safety Equipment/Signs": ("Safety equipment or signs", "Equipos o señales de seguridad"),
    "Safety Netting/Guard Rails - Damaged/Inadequate/None (6 Stories/75 Feet Or Less)": (
        "Safety netting or guardrails missing or damaged",
        "Redes o barandas de seguridad faltantes o dañadas",
    ),
    "Sales to Minors Under 21": ("Sales to people under 21", "Ventas a menores de 21 años"),
    "Sewage Leak": ("Sewage leak", "Fuga de aguas residuales"),
    "Sewage Odor": ("Sewage smell", "Olor a aguas residuales"),
    "Sewer Backup (Use Comments) (SA)": (
        "Sewage backing up",
        "Retorno de aguas residuales",
    ),
    "Sewer Odor (SA2)": ("Sewer smell", "Olor a alcantarilla"),
    "Sidewalk Shed/Pipe Scafford - Inadequate Defective/None": (
        "Sidewalk shed or scaffolding missing or defective",
        "Andamio o protección sobre la acera faltante o defectuoso",
    ),
    "Sidewalk Violation": ("Sidewalk repair notice", "Aviso de reparación de la acera"),
    "Sidewalk Zone Blocked": (
        "Sidewalk blocked by dining area",
        "Acera bloqueada por una terraza",
    ),
    "Sign": ("Sign", "Letrero"),
    "Signs of Rodents": ("Signs of rodents", "Rastros de roedores"),
    "Site Conditions Endangering Workers": (
        "Site conditions endangering workers",
        "Condiciones de la obra que ponen en peligro a los trabajadores",
    ),
    "Small uncovered dumpster": ("Small uncovered dumpster", "Contenedor pequeño sin tapa"),
    "Smoke/Odor": ("Smoke or odour", "Humo u olor"),
    "Smoking": ("Smoking", "Fumar"),
    "Smoking, Cigar, or Vape Store": (
        "Smoke, cigar or vape shop",
        "Tienda de tabaco, puros o vapeadores",
    ),
    "Spilled Garbage": ("Spilled garbage", "Basura derramada"),
    "Squirrel": ("Squirrel", "Ardilla"),
    "St Name - Attached to Pole": (
        "Street name sign on a pole",
        "Letrero con el nombre de la calle en un poste",
    ),
    "St Name - Over Intersection": (
        "Street name sign over an intersection",
        "Letrero con el nombre de la calle sobre un cruce",
    ),
    "Stoop Line Stand": ("Stand in front of a store", "Puesto frente a una tienda"),
    "Stop": ("Stop sign", "Señal de alto"),
    "Storage Area Not Provided": (
        "No place to store trash",
        "No hay lugar para guardar la basura",
    ),
    "Storage Warehouse": ("Storage warehouse", "Depósito de almacenamiento"),
    "Street Fair Vendor": ("Street fair vendor", "Vendedor de feria callejera"),
    "Street Flooding (SJ)": ("Street flooding", "Calle inundada"),
    "Street Light Lamp Dim": ("Street light dim", "Alumbrado con poca luz"),
    "Street Light Out": ("Street light out", "Alumbrado apagado"),
    "Street Not Swept": ("Street not swept", "No se barrió la calle"),
    "Structure - Indoors": ("Indoor structure", "Estructura interior"),
    "Structure - Outdoors": ("Outdoor structure", "Estructura exterior"),
    "Supermarket or Grocery Store": (
        "Supermarket or grocery store",
        "Supermercado o tienda de comestibles",
    ),
    "Suspicious Activity": ("Suspicious activity", "Actividad sospechosa"),
    "Swimming Pool - Unmaintained": ("Neglected swimming pool", "Piscina sin mantenimiento"),
    "Syringes": ("Syringes", "Jeringas"),
    "TOILET": ("Toilet", "Inodoro"),
    "Taste/Odor, Chemical (QA2)": ("Chemical taste or smell", "Sabor u olor a químicos"),
    "Tobacco Sales": ("Tobacco sales", "Venta de tabaco"),
    "Toilet Facility": ("Restrooms", "Baños"),
    "Too Close to a School": ("Too close to a school", "Demasiado cerca de una escuela"),
    "Tortured": ("Tortured", "Torturado"),
    "Tow Truck Company": ("Tow truck company", "Empresa de grúas"),
    "Traffic Sign or Signal Blocked": (
        "Hiding a traffic sign or signal",
        "Tapa una señal o un semáforo",
    ),
    "Traffic Signal Light": ("Traffic signal light", "Luz del semáforo"),
    "Trash": ("Trash", "Basura"),
    "Trash and Bulky Trash": ("Trash and bulky items", "Basura y objetos voluminosos"),
    "Trash or Recycling": ("Trash or recycling", "Basura o reciclaje"),
    "Trash or Recycling Not Secure": (
        "Trash or recycling not secured",
        "Basura o reciclaje sin asegurar",
    ),
    "Tree Alive - in Poor Condition": (
        "Living tree in poor condition",
        "Árbol vivo en mal estado",
    ),
    "Tree Leaning/Uprooted": ("Tree leaning or uprooted", "Árbol inclinado o arrancado"),
    "Tree Trunk Split": ("Tree trunk split", "Tronco partido"),
    "Trees and Sidewalks Program": (
        "Trees and sidewalks repair programme",
        "Programa de reparación de árboles y aceras",
    ),
    "Trespassing": ("Trespassing", "Entrada sin autorización"),
    "Truck Route Violation": (
        "Truck off its permitted route",
        "Camión fuera de su ruta permitida",
    ),
    "Trunk Damaged": ("Trunk damaged", "Tronco dañado"),
    "Unauthorized Bus Layover": (
        "Bus parked where it is not allowed",
        "Autobús estacionado donde no está permitido",
    ),
    "Unauthorized Tree Pruning": ("Unauthorised tree pruning", "Poda de árbol no autorizada"),
    "Unauthorized Tree Removal": ("Unauthorised tree removal", "Tala de árbol no autorizada"),
    "Underage - Licensed Est": ("Underage drinking in a bar", "Menores bebiendo en un bar"),
    "Unleashed Dog in Public": (
        "Unleashed dog in a public place",
        "Perro sin correa en un lugar público",
    ),
    "Unlicensed": ("No licence", "Sin licencia"),
    "Unlicensed Vendors": ("Unlicensed vendors", "Vendedores sin licencia"),
    "Unsafe Chemical, Abandoned (HC2)": (
        "Abandoned dangerous chemical",
        "Químico peligroso abandonado",
    ),
    "Unsafe Use of Playground": (
        "Unsafe use of a playground",
        "Uso peligroso de un área de juegos",
    ),
    "Unsafe Worksite": ("Unsafe work site", "Zona de obras peligrosa"),
    "Unsecured Facility": ("Facility left unlocked", "Instalación sin cerrar"),
    "Use Indoor": ("Drug use indoors", "Consumo de drogas en interiores"),
    "Use Outside": ("Drug use outdoors", "Consumo de drogas al aire libre"),
    "Used Car Dealer": ("Used car dealer", "Concesionario de autos usados"),
    "VENTILATION SYSTEM": ("Ventilation system", "Sistema de ventilación"),
    "Veh Signal Head": ("Traffic signal head", "Cabezal del semáforo"),
    "Veh Signal Lamp": ("Traffic signal bulb", "Foco del semáforo"),
    "Vehicle Complaint": ("Vehicle complaint", "Queja sobre el vehículo"),
    "Vehicle Report": ("Report about a vehicle", "Reporte sobre un vehículo"),
    "Vent/Exhaust - Illegal/Improper": (
        "Illegal or improper vent or exhaust",
        "Ventilación o salida de humos ilegal o inadecuada",
    ),
    "Ventilation": ("Ventilation", "Ventilación"),
    "WALL": ("Wall", "Pared"),
    "WATER SUPPLY": ("Water supply", "Suministro de agua"),
    "WINDOW FRAME": ("Window frame", "Marco de la ventana"),
    "WINDOW GUARD BROKEN/MISSING": (
        "Window guard broken or missing",
        "Protector de ventana roto o faltante",
    ),
    "WINDOW PANE": ("Window pane", "Vidrio de la ventana"),
    "WINDOW/FRAME": ("Window or frame", "Ventana o marco"),
    "WIRING": ("Wiring", "Cableado"),
    "Waste Left in Front of Other Residence": (
        "Waste left in front of another home",
        "Basura dejada frente a otra vivienda",
    ),
    "Waste Left in Front of Residence": (
        "Waste left in front of a home",
        "Basura dejada frente a una vivienda",
    ),
    "Waste Not Separated": ("Waste not sorted", "Residuos sin separar"),
    "Waste Set Out Too Early or Too Late": (
        "Waste put out too early or too late",
        "Basura sacada demasiado temprano o demasiado tarde",
    ),
    "Wasting Faucets,Sinks,Flushometer,Urinal,Etc. - Other (CWO)": (
        "Taps or toilets wasting water",
        "Grifos o inodoros que desperdician agua",
    ),
    "Wasting Faucets,Sinks,Flushometer,Urinal,Etc. - Private Residence (CWR)": (
        "Taps or toilets wasting water in a home",
        "Grifos o inodoros que desperdician agua en una vivienda",
    ),
    "Waterway-Sewage (IHA)": ("Sewage in a waterway", "Aguas residuales en un río o canal"),
    "Weeds or Grass": ("Weeds or grass", "Maleza o césped"),
    "Wildlife Sighting": ("Wild animal seen", "Se vio un animal silvestre"),
    "With License Plate": ("Has licence plates", "Tiene placas"),
    "Work Without A Permit - Occupied Multiple Dwelling": (
        "Work without a permit in an occupied apartment building",
        "Obras sin permiso en un edificio de apartamentos habitado",
    ),
    "Working Contrary To Stop Work Order": (
        "Working despite a stop-work order",
        "Trabajos pese a una orden de paralización",
    ),
    "Yield": ("Yield sign", "Señal de ceda el paso"),
    "Zoning - Non-Conforming/Illegal Vehicle Storage": (
        "Vehicles stored illegally (zoning)",
        "Almacenamiento ilegal de vehículos (zonificación)",
    ),
    "installation of hydrant side post (WHFP)": (
        "Install a hydrant marker post",
        "Instalar un poste señalizador de hidrante",
    ),
}
NO_DESCRIPTOR = "N/A"

# Street-type words we accept at the end of an address line ("3016 THORNDALE AVE"), plus
# Baltimore streets that have no suffix. Anything else is usually a typo or an alley.
STREET_SUFFIX_FIXES = {"AV": "AVE", "TERR": "TER", "LA": "LN", "ROAD": "RD"}
STREET_SUFFIXES = {
    *("ST", "AVE", "RD", "DR", "LN", "CT", "PL", "TER", "WAY", "BLVD", "PKWY", "HWY", "CIR"),
    *("SQ", "AL", "ALY", "DWY", "WALK", "MEWS", "MALL", "GATE", "PIKE"),
    *("ALAMEDA", "BROADWAY", "STRAND"),
}
DIRECTIONS = {"N", "S", "E", "W", "NE", "NW", "SE", "SW"}
# Words that mark a road segment or ramp ("500 WB FLEET ST TO NB PRESIDENT ST"), not a house.
SEGMENT_WORDS = {"TO", "NB", "SB", "EB", "WB", "REAR"}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def slugify(text: str, max_length: int = 100) -> str:
    """ASCII, lowercase, hyphen-separated slug so codes are URL- and SlugField-safe."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def majority(counter: Counter[str]) -> str:
    """Most common value with a stable alphabetical tie-break, so results never flip."""
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def parse_coordinates(lat: str, lng: str) -> tuple[float, float] | None:
    """Return (lng, lat) or None for missing or placeholder coordinates (39,-77 and 39,-76)."""
    try:
        lat_f, lng_f = float(lat), float(lng)
    except ValueError:
        return None
    if lat_f.is_integer() and lng_f.is_integer():
        return None
    return lng_f, lat_f


def fail(message: str) -> None:
    """Stop with a readable message; used when the source data no longer matches our tables."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(1)


# --------------------------------------------------------------------------------------------
# Reading the sources
# --------------------------------------------------------------------------------------------
@dataclass
class Sources:
    """Everything the builders need, read once."""

    baltimore: list[dict[str, str]]
    nyc: list[dict[str, str]]
    sf: list[dict[str, str]]


def read_open311_services(path: Path) -> list[dict[str, str]]:
    """Flatten an Open311 services.xml into one {tag: text} dict per <service>.

    Uses the plain expat parser: the file is a trusted, read-only local catalogue and we only
    need the text of each service's child elements.
    """
    services: list[dict[str, str]] = []
    open_tags: list[str] = []
    text: list[str] = []

    def start(name: str, _attrs: dict[str, str]) -> None:
        open_tags.append(name)
        text.clear()
        if name == "service":
            services.append({})

    def end(name: str) -> None:
        open_tags.pop()
        if open_tags and open_tags[-1] == "service":
            services[-1][name] = "".join(text).strip()

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    with path.open("rb") as fh:
        parser.ParseFile(fh)
    return services


def read_sources(source: Path) -> Sources:
    """Read the three source files; the shared folder is read-only and never written to."""
    with (source / "baltimore-311" / "requests-sample.csv").open(encoding="utf-8") as fh:
        baltimore = list(csv.DictReader(fh))
    with (source / "nyc-311" / "requests-sample.csv").open(encoding="utf-8") as fh:
        nyc = list(csv.DictReader(fh))
    sf = read_open311_services(source / "catalogs" / "sf311-services.xml")
    return Sources(baltimore=baltimore, nyc=nyc, sf=sf)


# --------------------------------------------------------------------------------------------
# Service types and departments
# --------------------------------------------------------------------------------------------
@dataclass
class ServiceType:
    """One row of service_types.json while it is being assembled."""

    code: str
    name_en: str
    name_es: str
    department: str
    group: str
    sla_days: int | None
    source: str
    source_code: str
    descriptors: dict[str, dict[str, str]] = field(default_factory=dict)
    merged_sources: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, Any]:
        """Serialise in the documented field order."""
        group_en, group_es = GROUPS[self.group]
        return {
            "code": self.code,
            "name_en": self.name_en,
            "name_es": self.name_es,
            "department": self.department,
            "group_en": group_en,
            "group_es": group_es,
            "sla_days": self.sla_days,
            "source": self.source,
            "source_code": self.source_code,
            "descriptors": [self.descriptors[key] for key in sorted(self.descriptors)],
        }


def baltimore_prefix(sr_type: str) -> str:
    """The department prefix of an SRType ("SW-Dirty Alley" -> "SW", "DPW - X" -> "DPW")."""
    return sr_type.split("-", 1)[0].strip()


def baltimore_service_types(rows: list[dict[str, str]]) -> dict[str, ServiceType]:
    """One ServiceType per Baltimore SRType, with the department taken from its prefix's agency."""
    prefix_agencies: defaultdict[str, Counter[str]] = defaultdict(Counter)
    due_days: defaultdict[str, list[float]] = defaultdict(list)
    for row in rows:
        sr_type = row["SRType"]
        prefix_agencies[baltimore_prefix(sr_type)][row["Agency"]] += 1
        if row["DueDate"] and row["CreatedDate"]:
            created = datetime.strptime(row["CreatedDate"], BALTIMORE_DATE)
            due = datetime.strptime(row["DueDate"], BALTIMORE_DATE)
            due_days[sr_type].append((due - created).total_seconds() / 86400)
    sr_types = sorted({row["SRType"] for row in rows})
    missing = [t for t in sr_types if t not in BALTIMORE_TYPES]
    if missing:
        fail(f"Baltimore SRTypes without a translation: {missing}")
    unknown_agencies = {a for c in prefix_agencies.values() for a in c} - set(
        BALTIMORE_AGENCY_DEPARTMENT
    )
    if unknown_agencies:
        fail(f"Baltimore agencies without a department: {sorted(unknown_agencies)}")
    result = {}
    for sr_type in sr_types:
        name_en, name_es, group = BALTIMORE_TYPES[sr_type]
        agency = majority(prefix_agencies[baltimore_prefix(sr_type)])
        days = due_days.get(sr_type)
        result[sr_type] = ServiceType(
            code=f"baltimore-{slugify(sr_type, 80)}",
            name_en=name_en,
            name_es=name_es,
            department=BALTIMORE_AGENCY_DEPARTMENT[agency],
            group=group,
            sla_days=round(statistics.median(days)) if days else None,
            source="baltimore",
            source_code=sr_type,
        )
    return result


def sf_service_types(services: list[dict[str, str]]) -> dict[str, ServiceType]:
    """SF Open311 services that are not already covered by a Baltimore type."""
    codes = {s["service_code"] for s in services}
    missing = sorted(codes - set(SF_SERVICES) - set(SF_MERGES))
    if missing:
        fail(f"SF services without a translation or merge: {missing}")
    result = {}
    for service in services:
        code = service["service_code"]
        if code in SF_MERGES:
            continue
        name_en, name_es, group, department = SF_SERVICES[code]
        result[code] = ServiceType(
            code=f"sf-{slugify(service['service_name'], 80)}",
            name_en=name_en,
            name_es=name_es,
            department=department,
            group=group,
            sla_days=None,
            source="sf",
            source_code=code,
        )
    return result


def nyc_descriptor(descriptor: str) -> dict[str, str]:
    """A descriptor record; its code is a slug of NYC's own wording so it stays stable."""
    if descriptor not in NYC_DESCRIPTORS:
        fail(f"NYC descriptor without a translation: {descriptor!r}")
    name_en, name_es = NYC_DESCRIPTORS[descriptor]
    return {"code": slugify(descriptor, 80), "name_en": name_en, "name_es": name_es}


def build_service_types(sources: Sources) -> list[ServiceType]:
    """All service types: Baltimore, then SF and NYC minus the ones merged into another type."""
    baltimore = baltimore_service_types(sources.baltimore)
    sf = sf_service_types(sources.sf)
    for sf_code, target in SF_MERGES.items():
        baltimore[target].merged_sources.add("sf")
        if sf_code not in {s["service_code"] for s in sources.sf}:
            print(f"warning: SF merge for unknown service {sf_code}", file=sys.stderr)

    agencies: defaultdict[str, Counter[str]] = defaultdict(Counter)
    descriptors: defaultdict[str, set[str]] = defaultdict(set)
    for row in sources.nyc:
        agencies[row["complaint_type"]][row["agency"]] += 1
        if row["descriptor"] and row["descriptor"] != NO_DESCRIPTOR:
            descriptors[row["complaint_type"]].add(row["descriptor"])
    missing = sorted(set(agencies) - set(NYC_TYPES) - set(NYC_MERGES))
    if missing:
        fail(f"NYC complaint types without a translation or merge: {missing}")
    unknown_agencies = {a for c in agencies.values() for a in c} - set(NYC_AGENCY_DEPARTMENT)
    if unknown_agencies:
        fail(f"NYC agencies without a department: {sorted(unknown_agencies)}")

    # HPD and DOB both use "PLUMBING"/"Plumbing" and "ELEVATOR"/"Elevator": only letter case
    # tells them apart, so colliding slugs get the agency in front.
    slug_counts = Counter(slugify(c, 80) for c in agencies if c not in NYC_MERGES)
    nyc: dict[str, ServiceType] = {}
    for complaint in sorted(agencies):
        if complaint in NYC_MERGES:
            target_source, target_code = NYC_MERGES[complaint]
            target = (baltimore if target_source == "baltimore" else sf)[target_code]
            target.merged_sources.add("nyc")
        else:
            name_en, name_es, group = NYC_TYPES[complaint]
            agency = majority(agencies[complaint])
            slug = slugify(complaint, 80)
            if slug_counts[slug] > 1:
                slug = f"{agency.lower()}-{slug}"
            target = nyc[complaint] = ServiceType(
                code=f"nyc-{slug}",
                name_en=name_en,
                name_es=name_es,
                department=NYC_AGENCY_DEPARTMENT[agency],
                group=group,
                sla_days=None,
                source="nyc",
                source_code=complaint,
            )
        for descriptor in sorted(descriptors[complaint]):
            record = nyc_descriptor(descriptor)
            target.descriptors.setdefault(record["code"], record)

    service_types = [*baltimore.values(), *sf.values(), *nyc.values()]
    check_service_types(service_types)
    return sorted(service_types, key=lambda s: s.code)


def check_service_types(service_types: list[ServiceType]) -> None:
    """Guard the invariants the importer relies on (unique slugs, known departments, lengths)."""
    codes = Counter(s.code for s in service_types)
    duplicates = [code for code, n in codes.items() if n > 1]
    if duplicates:
        fail(f"duplicate service type codes: {duplicates}")
    for s in service_types:
        if s.department not in DEPARTMENTS:
            fail(f"{s.code}: unknown department {s.department}")
        if s.group not in GROUPS:
            fail(f"{s.code}: unknown group {s.group}")
        if len(s.code) > 100 or len(s.name_en) > 200 or len(s.name_es) > 200:
            fail(f"{s.code}: a field is too long")
    names = Counter((s.department, s.name_en) for s in service_types)
    clashes = [key for key, n in names.items() if n > 1]
    if clashes:
        fail(f"service types with the same English name in one department: {clashes}")


def build_departments(service_types: list[ServiceType]) -> list[dict[str, Any]]:
    """Departments that actually receive requests, with the sources that feed each of them."""
    sources: defaultdict[str, set[str]] = defaultdict(set)
    for s in service_types:
        sources[s.department].add(s.source)
        sources[s.department].update(s.merged_sources)
    unused = sorted(set(DEPARTMENTS) - set(sources))
    if unused:
        fail(f"departments without any service type: {unused}")
    order = ["baltimore", "sf", "nyc"]
    departments = []
    for code in sorted(DEPARTMENTS):
        name_en, name_es, summary_en, summary_es = DEPARTMENTS[code]
        departments.append(
            {
                "code": code,
                "name_en": name_en,
                "name_es": name_es,
                "summary_en": summary_en,
                "summary_es": summary_es,
                "sources": [s for s in order if s in sources[code]],
            }
        )
    return departments


# --------------------------------------------------------------------------------------------
# Neighbourhoods: a synthetic tiling derived from where requests were made
# --------------------------------------------------------------------------------------------
def to_plane(lng: float, lat: float) -> tuple[float, float]:
    """Shrink longitude so one unit east equals one unit north (near Baltimore's latitude)."""
    return lng * LNG_SCALE, lat


def located_requests(rows: list[dict[str, str]]) -> list[tuple[str, float, float]]:
    """(neighbourhood, lng, lat) for requests with real coordinates inside a city neighbourhood."""
    located = []
    for row in rows:
        point = parse_coordinates(row["Latitude"], row["Longitude"])
        name = row["Neighborhood"].strip()
        if point and name:
            located.append((name, point[0], point[1]))
    return located


@dataclass
class Neighbourhoods:
    """The tiling plus what we need to report on it."""

    records: list[dict[str, Any]]
    polygons: list[Polygon]  # same order as records, in lng/lat
    inside_share: float
    inside_share_all: float
    fragments_merged: int


def voronoi_tiling(located: list[tuple[str, float, float]], names: list[str]) -> list[Polygon]:
    """Voronoi cells of every request point, dissolved per neighbourhood and clipped to the hull.

    Cells come from individual request points rather than one centroid per neighbourhood: the
    dissolved shapes follow the real (unknown) boundaries far better while still tiling the plane
    without overlaps. Returns polygons in the local plane, in `names` order.
    """
    kept = set(names)
    votes: defaultdict[tuple[float, float], Counter[str]] = defaultdict(Counter)
    for name, lng, lat in located:
        if name in kept:
            x, y = to_plane(lng, lat)
            votes[(round(x, 6), round(y, 6))][name] += 1
    sites = sorted(votes)
    labels = [majority(votes[site]) for site in sites]
    hull = (
        MultiPoint([to_plane(lng, lat) for _, lng, lat in located])
        .convex_hull.buffer(HULL_BUFFER, quad_segs=2)
        .simplify(HULL_BUFFER / 4)
    )
    cells = shapely.voronoi_polygons(
        shapely.multipoints(np.array(sites)), extend_to=hull, ordered=True
    ).geoms
    by_name: defaultdict[str, list[Any]] = defaultdict(list)
    for cell, label in zip(cells, labels, strict=True):
        by_name[label].append(cell)
    return [shapely.intersection(shapely.coverage_union_all(by_name[name]), hull) for name in names]


def merge_fragments(geoms: list[Any]) -> tuple[list[Polygon], int]:
    """Keep each neighbourhood's largest part; give stray parts to the neighbour they touch most.

    Stray parts come from mislabelled or mis-geocoded requests; a GeoJSON Polygon has one part.
    """
    main: list[Any] = []
    fragments: list[Any] = []
    for geom in geoms:
        parts = sorted(getattr(geom, "geoms", [geom]), key=lambda p: (-p.area, p.wkt))
        main.append(parts[0])
        fragments.extend(parts[1:])
    fragments.sort(key=lambda p: (-p.area, p.wkt))
    for fragment in fragments:
        shared = [
            fragment.boundary.intersection(m.boundary).length if m.intersects(fragment) else 0.0
            for m in main
        ]
        if max(shared) > 0:
            best = max(range(len(main)), key=lambda i: (shared[i], -i))
        else:
            best = min(range(len(main)), key=lambda i: (main[i].distance(fragment), i))
        main[best] = shapely.coverage_union_all([main[best], fragment])
    return main, len(fragments)


def build_neighbourhoods(rows: list[dict[str, str]]) -> Neighbourhoods:
    """Neighbourhoods with >= 5 located requests, as a non-overlapping synthetic tiling."""
    located = located_requests(rows)
    counts = Counter(name for name, _, _ in located)
    names = sorted(n for n, c in counts.items() if c >= MIN_REQUESTS_PER_NEIGHBOURHOOD)
    planar, fragments = merge_fragments(voronoi_tiling(located, names))
    simplified = shapely.coverage_simplify(planar, SIMPLIFY_TOLERANCE)

    polygons: list[Polygon] = []
    for name, geom in zip(names, simplified, strict=True):
        lnglat = shapely.transform(geom, lambda xy: xy / np.array([LNG_SCALE, 1.0]))
        snapped = shapely.set_precision(lnglat, 1e-5)
        if snapped.geom_type != "Polygon" or not snapped.is_valid or snapped.is_empty:
            fail(f"neighbourhood {name!r} did not survive simplification: {snapped.geom_type}")
        polygons.append(orient(snapped, sign=1.0))  # RFC 7946: exterior ring anticlockwise
    if not shapely.coverage_is_valid(polygons):
        fail("neighbourhood polygons overlap")

    points: defaultdict[str, list[tuple[float, float]]] = defaultdict(list)
    for name, lng, lat in located:
        points[name].append((lng, lat))
    index = {name: i for i, name in enumerate(names)}
    inside = sum(
        polygons[index[name]].covers(Point(lng, lat)) for name in names for lng, lat in points[name]
    )
    total = sum(counts[name] for name in names)

    records = []
    slugs: set[str] = set()
    for name, polygon in zip(names, polygons, strict=True):
        slug = slugify(name, 80)
        if slug in slugs:
            fail(f"duplicate neighbourhood slug {slug}")
        slugs.add(slug)
        median = Point(
            statistics.median(p[0] for p in points[name]),
            statistics.median(p[1] for p in points[name]),
        )
        centre = median if polygon.contains(median) else polygon.point_on_surface()
        records.append(
            {
                "slug": slug,
                "name": name,
                "boundary": polygon_geojson(polygon),
                "centroid": [round(centre.x, 5), round(centre.y, 5)],
            }
        )
    return Neighbourhoods(
        records=records,
        polygons=polygons,
        inside_share=inside / total,
        inside_share_all=inside / len(located),
        fragments_merged=fragments,
    )


def polygon_geojson(polygon: Polygon) -> dict[str, Any]:
    """GeoJSON Polygon with coordinates rounded to 5 decimals (~1 m)."""
    rings = [polygon.exterior, *polygon.interiors]
    return {
        "type": "Polygon",
        "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring.coords] for ring in rings],
    }


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------
def normalise_street_line(raw: str) -> str | None:
    """Upper-case street line ("3016 THORNDALE AVE") or None when it is not a numbered address.

    Rejects intersections, block-face alleys ("3200 ELMORA-RAVENWOOD"), house number 0 and
    anything with notes in it.
    """
    line = re.sub(r"\s+", " ", raw.split(",", 1)[0]).strip().upper()
    match = re.fullmatch(r"(\d{1,5})([NSEW])? (.+)", line)
    if not match or int(match.group(1)) == 0:
        return None
    number, direction, street = match.groups()
    words = [w for w in street.split(" ") if w not in {"BLK", "BLOCK"}]  # "100 BLK N ANN ST"
    if direction:
        words.insert(0, direction)
    if any(not re.fullmatch(r"[A-Z0-9'./]+", w) for w in words):
        return None  # '&' intersections, hyphenated alley names, '***' notes
    if SEGMENT_WORDS & set(words) or len(words) < 2:
        return None
    words[-1] = STREET_SUFFIX_FIXES.get(words[-1], words[-1])
    if words[-1] not in STREET_SUFFIXES and not words[-1].endswith("WAY"):
        return None
    for i in range(len(words) - 2, -1, -1):  # "MC KIM ST" -> "MCKIM ST"
        if words[i] == "MC":
            words[i : i + 2] = ["MC" + words[i + 1]]
    return " ".join([number, *words])


def title_case_word(word: str) -> str:
    """Title-case one address word the way people write it ("5TH" -> "5th", "MCHENRY")."""
    if word in DIRECTIONS:
        return word
    if word[0].isdigit():
        return word.lower()
    if word.startswith("MC") and len(word) > 3:
        return "Mc" + word[2:].capitalize()
    if "'" in word:
        return "'".join(part.capitalize() for part in word.split("'"))
    return word.capitalize()


def postcode_for(row: dict[str, str]) -> str | None:
    """A 212xx Baltimore City ZIP code from the ZipCode column or the address suffix."""
    zip_code = row["ZipCode"].strip()
    if len(zip_code) == 10 and zip_code[:5] == zip_code[5:]:
        zip_code = zip_code[:5]  # a few rows repeat the ZIP twice ("2122321223")
    if not re.fullmatch(r"\d{5}", zip_code):
        match = re.search(r"\b(\d{5})(?:-\d{4})?\s*$", row["Address"])
        zip_code = match.group(1) if match else ""
    return zip_code if zip_code.startswith("212") else None


def build_addresses(
    rows: list[dict[str, str]], neighbourhoods: Neighbourhoods
) -> tuple[list[dict[str, Any]], int]:
    """Up to MAX_ADDRESSES distinct street addresses, spread across neighbourhoods.

    Only the street line, ZIP code and position are kept; nothing about the request or the
    person who made it. Returns the records and the number of distinct candidates.
    """
    tree = shapely.STRtree(neighbourhoods.polygons)
    slugs = [r["slug"] for r in neighbourhoods.records]
    seen: set[str] = set()
    candidates: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        point = parse_coordinates(row["Latitude"], row["Longitude"])
        if not point or not row["Neighborhood"].strip():
            continue  # no real position, or outside the city (Baltimore County)
        line = normalise_street_line(row["Address"])
        postcode = postcode_for(row)
        if not line or not postcode or line in seen:
            continue
        lng, lat = round(point[0], 5), round(point[1], 5)
        hits = tree.query(Point(lng, lat), predicate="intersects")
        if len(hits) == 0:
            continue
        seen.add(line)
        slug = slugs[int(min(hits))]
        candidates[slug].append(
            {
                "line": " ".join(title_case_word(w) for w in line.split(" ")),
                "postcode": postcode,
                "lat": lat,
                "lng": lng,
                "neighbourhood": slug,
            }
        )
    rng = random.Random(SEED)
    queues = []
    for slug in sorted(candidates):
        queue = sorted(candidates[slug], key=lambda a: a["line"])
        rng.shuffle(queue)
        queues.append(queue)
    chosen: list[dict[str, Any]] = []
    while len(chosen) < MAX_ADDRESSES and any(queues):
        for queue in queues:  # round robin: every neighbourhood gets addresses first
            if queue and len(chosen) < MAX_ADDRESSES:
                chosen.append(queue.pop())
    total = sum(len(v) for v in candidates.values())
    return sorted(chosen, key=lambda a: (a["neighbourhood"], a["line"])), total


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------
def dump_indented(data: Any) -> str:
    """Pretty JSON for small nested files."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def dump_one_per_line(records: list[dict[str, Any]]) -> str:
    """A JSON list with one record per line, so geometry-heavy files still diff by record."""
    lines = [json.dumps(r, ensure_ascii=False, separators=(", ", ": ")) for r in records]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def sources_markdown(stats: dict[str, Any]) -> str:
    """SOURCES.md: provenance, licences and how to rebuild, with this run's numbers."""
    return f"""# Demo data slice: sources and licences

These files seed the demo city. They are generated, not hand-edited: change
`scripts/build_demo_slice.py` and regenerate from the repository root with

    .venv/bin/python scripts/build_demo_slice.py

(`--source PATH` points at another copy of the shared open data; the default is
`../shared/data` relative to the repository root). The build is deterministic, so
re-running it on the same input gives byte-identical files.

## Files

| File | What it is | Built from |
| --- | --- | --- |
| `departments.json` | {stats["departments"]} city departments with English/Spanish names and \
one-sentence summaries, and which source cities feed each one | Baltimore `Agency` values \
and NYC `agency` codes, mapped onto one shared list |
| `service_types.json` | {stats["service_types"]} request types ({stats["by_source"]}): \
bilingual name, department, resident-facing group, typical deadline (`sla_days`), original \
code and, for NYC, the descriptors residents pick from | Baltimore `SRType`, SF \
`sf311-services.xml`, NYC `complaint_type` + `descriptor` |
| `neighbourhoods.json` | {stats["neighbourhoods"]} Baltimore neighbourhoods with a \
**synthetic** boundary polygon and a centre point | Baltimore `Neighborhood`, `Latitude`, \
`Longitude` |
| `addresses.json` | {stats["addresses"]} real Baltimore street addresses with ZIP code, \
position and (synthetic) neighbourhood | Baltimore `Address`, `ZipCode`, `Latitude`, \
`Longitude` |

Source files (read-only, in the shared data folder):

- `baltimore-311/requests-sample.csv`: 10,000 Baltimore 311 requests (2014-2019), a sample of
  Open Baltimore's 311 data published in the public repository
  `city-of-baltimore/city-R-training-series`. Open Baltimore publishes this data as open data.
- `catalogs/sf311-services.xml`: San Francisco's real Open311 `services.xml` (SF311 service
  list, published by the City and County of San Francisco through its public Open311 API).
- `nyc-311/requests-sample.csv`: 10,000 requests from NYC Open Data's 311 dataset, used here
  only for its agency -> complaint type -> descriptor taxonomy. NYC Open Data is provided under
  the NYC Open Data public terms of use.

The shared data README does not name a specific licence for the Baltimore sample or the SF
catalogue; check the publishers' current terms before reusing these files outside the demo.

## How the data was shaped

- **Service types.** All Baltimore types are kept; the `SW-`/`HCD-`/... prefix is dropped from
  the display name and internal jargon is spelled out, and the department comes from the
  agency that most often handles that prefix. SF and NYC types that are clearly the same as an
  existing type are merged into it ({stats["merged"]} merged; NYC descriptors move with them).
  `sla_days` is the median of `DueDate - CreatedDate` for Baltimore types and null otherwise.
  Spanish names were written for this project.
- **Departments.** Baltimore's 16 agencies and NYC's 13 agencies map onto one list; Public
  Works joins Water & Environmental Protection (it only files stormwater and water-quality
  requests), the Mayor's Office value only carries homeless outreach, and NYC's Office of the
  Sheriff (cannabis shops) joins the Liquor Board as Liquor & Cannabis Licensing.
- **Neighbourhoods.** Baltimore neighbourhoods with at least {MIN_REQUESTS_PER_NEIGHBOURHOOD}
  requests that have real coordinates (rows at the 39,-77 / 39,-76 placeholders or without
  coordinates are skipped). The boundaries are **not official boundaries**: they are a
  synthetic Voronoi approximation. Each located request gets a Voronoi cell, cells are merged
  per neighbourhood, clipped to a ~450 m buffer around the convex hull of all requests, stray
  pieces are handed to the neighbour they share most border with, and the result is simplified
  as a coverage (shared edges stay shared, nothing overlaps, no gaps) and rounded to 5
  decimals. {stats["inside_pct"]} of the located requests in these neighbourhoods fall inside
  the polygon of their own neighbourhood. The centre point is the median of the requests'
  positions (or a point inside the polygon if the median falls outside). Do not use these shapes
  for anything but the demo.
- **Addresses.** Numbered street addresses (no intersections, alleys or notes) from requests
  with real coordinates inside the city, de-duplicated by normalised street line, written in
  title case with the `, BALTIMORE, MD, 21215` suffix removed. The neighbourhood is assigned by
  point-in-polygon against the synthetic polygons above, not taken from the CSV, so the files
  agree with each other. Up to {MAX_ADDRESSES} are kept, picked round-robin across
  neighbourhoods with a fixed seed. No request text, names or other personal data is copied.
"""


def write_outputs(out_dir: Path, files: dict[str, str]) -> dict[str, int]:
    """Write every file as UTF-8 and return their sizes in bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, text in files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        sizes[name] = path.stat().st_size
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Build every file, check the size limits and print a short report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "data",
        help="folder holding the shared open data (default: ../shared/data from the repo root)",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)

    sources = read_sources(args.source)
    service_types = build_service_types(sources)
    departments = build_departments(service_types)
    neighbourhoods = build_neighbourhoods(sources.baltimore)
    addresses, candidates = build_addresses(sources.baltimore, neighbourhoods)

    by_source = Counter(s.source for s in service_types)
    stats = {
        "departments": len(departments),
        "service_types": len(service_types),
        "by_source": ", ".join(f"{by_source[s]} {s}" for s in ("baltimore", "sf", "nyc")),
        "merged": len(SF_MERGES) + len(NYC_MERGES),
        "neighbourhoods": len(neighbourhoods.records),
        "addresses": len(addresses),
        "inside_pct": f"{neighbourhoods.inside_share:.1%}",
    }
    files = {
        "departments.json": dump_indented(departments),
        "service_types.json": dump_indented([s.as_json() for s in service_types]),
        "neighbourhoods.json": dump_one_per_line(neighbourhoods.records),
        "addresses.json": dump_one_per_line(addresses),
        "SOURCES.md": sources_markdown(stats),
    }
    if len(files["neighbourhoods.json"].encode()) > MAX_NEIGHBOURHOOD_BYTES:
        fail("neighbourhoods.json is larger than 1 MB; raise SIMPLIFY_TOLERANCE")
    if sum(len(text.encode()) for text in files.values()) > MAX_TOTAL_BYTES:
        fail("the demo slice is larger than 3 MB")
    sizes = write_outputs(args.out, files)

    for name, size in sizes.items():
        print(f"{name:22} {size:>9,} bytes")
    print(f"{'total':22} {sum(sizes.values()):>9,} bytes")
    print(f"departments: {len(departments)}")
    print(f"service types: {len(service_types)} ({stats['by_source']}), {stats['merged']} merged")
    print(
        f"neighbourhoods: {len(neighbourhoods.records)}; requests inside their own polygon: "
        f"{neighbourhoods.inside_share:.1%} of those in kept neighbourhoods, "
        f"{neighbourhoods.inside_share_all:.1%} of all located; "
        f"{neighbourhoods.fragments_merged} stray fragments merged"
    )
    print(f"addresses: {len(addresses)} of {candidates} distinct candidates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
