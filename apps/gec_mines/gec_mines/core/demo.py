"""Demo data for GEC Mines: realistic, reproducible mail of the Secrétariat Général des Mines.

``DemoGenerator`` produces registry entries (incoming and outgoing mail) as plain dicts whose keys
are the fields of the Courrier doctype, in French, with the correspondents, subjects and references
one meets in the Congolese mining administration. It also writes a tiny one-page PDF to stand in
for the scanned letter.

The module uses the standard library only, so that it can be tested and timed without Frappe.
Everything is drawn from one ``random.Random(seed)``: the same seed and range give the same mail.
Pools (correspondents, subjects per year, dates, times) are computed once in ``__init__`` so that
each mail costs a handful of ``random()`` calls and list look-ups: a million take a few seconds.
"""

import datetime
import random
import textwrap
import unicodedata
from bisect import bisect
from itertools import accumulate, islice
from string import Formatter

from gec_mines.core.referentiels import DEPARTEMENT_CODES, JOURS_FERIES_RDC, STATUT_CODES, TYPES

# --- Value sets (they match the Select options and the Link records of the Courrier doctype) ---

INCOMING = "Entrant"
OUTGOING = "Sortant"
STATUSES = STATUT_CODES
DEPARTMENTS = DEPARTEMENT_CODES
PRIORITIES = ("Normale", "Urgente", "Très urgente")
CONFIDENTIALITY = ("Normal", "Confidentiel", "Secret")

INCOMING_SHARE = 0.65
UNTYPED_INCOMING_SHARE = 0.20
EMPTY_REFERENCE_SHARE = 0.07  # plus private individuals, who never quote a reference: ~15% overall
COPY_SG_SHARE = 0.3
NO_INFORMATION_SHARE = 0.62
VARIANTS_PER_TEMPLATE = 8
WORKDAY_START = 7 * 3600 + 30 * 60  # 7:30
WORKDAY_SECONDS = 9 * 3600  # until 16:30
REGISTRATION_DELAY_WEIGHTS = (30, 26, 15, 9, 6, 4, 3, 2.5, 2, 1.5, 1)  # 0 to 10 working days...
MAX_DELAY = len(REGISTRATION_DELAY_WEIGHTS) - 1  # ...but never more than 10 calendar days
CALENDAR_DELAY_SHARE = 0.04  # delay counted in calendar days: the odd weekend registration
CATEGORY_BITS = 12
CORRESPONDENT_BITS = 15
AGE_LIMITS = (7, 30, 180, 730)  # days; one status weighting per age bracket, plus one beyond
STATUS_WEIGHTS_BY_AGE = (  # URGENT, RECU, EN_COURS, TRAITE, ARCHIVE
	(12, 40, 38, 10, 0),
	(6, 14, 45, 32, 3),
	(2, 4, 24, 50, 20),
	(0.5, 1, 6, 42, 50.5),
	(0.2, 0.3, 1.5, 20, 78),
)
CONFIDENTIALITY_WEIGHTS = (90, 8, 2)
PUBLIC_HOLIDAYS = frozenset((month, day) for month, day, _ in JOURS_FERIES_RDC)

# --- Geography ---

PROVINCES = (  # name, "de" form, short code
	("Kinshasa", "de Kinshasa", "KIN"),
	("Kongo-Central", "du Kongo-Central", "KC"),
	("Kwango", "du Kwango", "KWG"),
	("Kwilu", "du Kwilu", "KWL"),
	("Mai-Ndombe", "du Mai-Ndombe", "MND"),
	("Kasaï", "du Kasaï", "KAS"),
	("Kasaï-Central", "du Kasaï-Central", "KSC"),
	("Kasaï-Oriental", "du Kasaï-Oriental", "KSO"),
	("Lomami", "du Lomami", "LOM"),
	("Sankuru", "du Sankuru", "SAN"),
	("Maniema", "du Maniema", "MAN"),
	("Sud-Kivu", "du Sud-Kivu", "SK"),
	("Nord-Kivu", "du Nord-Kivu", "NK"),
	("Ituri", "de l'Ituri", "ITU"),
	("Haut-Uele", "du Haut-Uele", "HUE"),
	("Bas-Uele", "du Bas-Uele", "BUE"),
	("Tshopo", "de la Tshopo", "TSH"),
	("Mongala", "de la Mongala", "MON"),
	("Nord-Ubangi", "du Nord-Ubangi", "NUB"),
	("Sud-Ubangi", "du Sud-Ubangi", "SUB"),
	("Équateur", "de l'Équateur", "EQU"),
	("Tshuapa", "de la Tshuapa", "TSU"),
	("Tanganyika", "du Tanganyika", "TAN"),
	("Haut-Lomami", "du Haut-Lomami", "HLO"),
	("Lualaba", "du Lualaba", "LUA"),
	("Haut-Katanga", "du Haut-Katanga", "HK"),
)
PROVINCES_BY_NAME = {province[0]: province for province in PROVINCES}
MINING_PROVINCES = ("Lualaba", "Haut-Katanga", "Sud-Kivu", "Nord-Kivu", "Ituri", "Maniema", "Tanganyika")
SITES = (
	"Kolwezi", "Kamoto", "Mutoshi", "Musonoie", "Kambove", "Likasi", "Kipushi", "Fungurume", "Tenke",
	"Kisanfu", "Deziwa", "Kinsevere", "Luisha", "Lupoto", "Kalukundi", "Mutanda", "Kakanda", "Manono",
	"Kisengo", "Mongbwalu", "Kibali", "Durba", "Namoya", "Twangiza", "Lugushwa", "Kamituga", "Misisi",
	"Bisie", "Rubaya", "Nyabibwe", "Lueshe", "Tshikapa", "Kisenge", "Punia", "Lulingu", "Mukungwe",
	"Kipoi", "Ruashi", "Mashamba", "Kamfundwa", "Kalimbi", "Shabunda", "Mambasa", "Kakanga", "Dilala",
	"Pumpi", "Kasulo", "Kapata", "Luita", "Shamitumba", "Lonshi", "Kimpese", "Mbuji-Mayi", "Kananga",
)  # fmt: skip
TERRITORIES = (
	"Mutshatsha", "Lubudi", "Kambove", "Kipushi", "Sakania", "Pweto", "Manono", "Kalemie", "Moba",
	"Nyunzu", "Kabalo", "Walikale", "Masisi", "Rutshuru", "Lubero", "Beni", "Mwenga", "Shabunda", "Fizi",
	"Uvira", "Kalehe", "Walungu", "Djugu", "Mambasa", "Irumu", "Watsa", "Wamba", "Punia", "Kailo",
	"Pangi", "Kabambare", "Tshikapa", "Luiza", "Miabi", "Lupatapata", "Dilolo", "Kapanga", "Sandoa",
	"Malemba-Nkulu", "Bukama", "Kamina", "Kasenga", "Mitwaba",
)  # fmt: skip
CITIES = (
	"Kinshasa", "Lubumbashi", "Kolwezi", "Likasi", "Bukavu", "Goma", "Bunia", "Kisangani", "Kindu",
	"Mbuji-Mayi", "Kananga", "Kalemie", "Kasumbalesa", "Uvira", "Tshikapa", "Isiro", "Matadi", "Boma",
	"Kamina", "Mbandaka", "Sakania", "Mokambo", "Butembo", "Aru", "Mahagi",
)  # fmt: skip
RIVERS = (
	"Luilu", "Dipeta", "Lufira", "Kafubu", "Lubumbashi", "Musonoie", "Mura", "Ulindi", "Elila", "Kibali",
	"Lubilanji", "Kasaï", "Lualaba", "Luapula", "Lukuga", "Luvua", "Shinangwa", "Lowa",
)  # fmt: skip
MONTHS = (
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
	"novembre", "décembre",
)  # fmt: skip
QUARTERS = ("premier trimestre", "deuxième trimestre", "troisième trimestre", "quatrième trimestre")

# --- Minerals: (word, kind) with kind m/f (gender), v (elided before a vowel or mute h), p (plural) ---

SUBSTANCE_COMBINATIONS = (  # (substances, weight)
	(("cuivre", "cobalt"), 30),
	(("cuivre",), 12),
	(("cobalt",), 10),
	(("or",), 15),
	(("cassitérite",), 7),
	(("coltan",), 7),
	(("cassitérite", "coltan", "wolframite"), 4),
	(("diamants",), 6),
	(("lithium",), 4),
	(("hétérogénite",), 3),
	(("germanium",), 2),
	(("zinc", "germanium"), 2),
	(("manganèse",), 2),
	(("étain",), 2),
	(("tantale", "niobium"), 1),
	(("pyrochlore",), 1),
	(("malachite",), 1),
	(("tourmaline",), 1),
	(("monazite",), 1),
	(("spodumène",), 1),
	(("chrysocolle",), 1),
	(("bauxite",), 1),
	(("fer",), 1),
	(("argent",), 1),
	(("calcaire",), 1),
	(("charbon",), 1),
	(("pierres de couleur",), 1),
	(("terres rares",), 1),
	(("kaolin",), 1),
	(("gypse",), 1),
	(("platine",), 1),
)
SUBSTANCE_KINDS = {
	"cuivre": "m", "cobalt": "m", "or": "v", "cassitérite": "f", "coltan": "m", "wolframite": "f",
	"diamants": "p", "lithium": "m", "hétérogénite": "v", "germanium": "m", "zinc": "m", "manganèse": "m",
	"étain": "v", "tantale": "m", "niobium": "m", "pyrochlore": "m", "malachite": "f", "tourmaline": "f",
	"monazite": "f", "spodumène": "m", "chrysocolle": "f", "bauxite": "f", "fer": "m", "argent": "v",
	"calcaire": "m", "charbon": "m", "pierres de couleur": "p", "terres rares": "p", "kaolin": "m",
	"gypse": "m", "platine": "m",
}  # fmt: skip
PARTITIVE = {"m": "du ", "f": "de la ", "v": "de l'", "p": "des "}
DEFINITE = {"m": "le ", "f": "la ", "v": "l'", "p": "les "}

# --- Correspondents ---

COMPANIES = (  # biggest first: they write most often
	("Kamoto Copper Company SA", "KCC"),
	("Tenke Fungurume Mining SA", "TFM"),
	("Gécamines SA", "GCM"),
	("Sicomines SA", "SICOMINES"),
	("Kamoa Copper SA", "KAMOA"),
	("Metalkol SA", "METALKOL"),
	("Kibali Goldmines SA", "KGM"),
	("Mutanda Mining SARL", "MUMI"),
	("Ruashi Mining SAS", "RUASHI"),
	("Boss Mining SAS", "BOSS"),
	("Alphamin Bisie Mining SA", "ABM"),
	("Kipushi Corporation SA", "KICO"),
	("Chemaf SARL", "CHEMAF"),
	("Congo Dongfang International Mining SARL", "CDM"),
	("Compagnie Minière de Musonoie Global SAS", "COMMUS"),
	("Compagnie Minière de Luisha SA", "COMILU"),
	("Mining Company Katanga SARL", "MCK"),
	("Société d'Exploitation de Kipoi SA", "SEK"),
	("Frontier SA", "FRONTIER"),
	("Somika SARL", "SOMIKA"),
	("Shituru Mining Corporation SAS", "SMCO"),
	("Société Minière de Deziwa SAS", "SOMIDEZ"),
	("Compagnie Minière du Sud-Katanga SA", "CMSK"),
	("MMG Kinsevere SARL", "MMG"),
	("Entreprise Générale du Cobalt SA", "EGC"),
	("Société Minière de Bakwanga SA", "MIBA"),
	("Société Minière de Kilo-Moto SA", "SOKIMO"),
	("Société Aurifère du Kivu et du Maniema SA", "SAKIMA"),
	("Twangiza Mining SA", "TWANGIZA"),
	("Namoya Mining SA", "NAMOYA"),
	("Lugushwa Mining SA", "LUGUSHWA"),
	("Manono Lithium SAS", "MLI"),
	("Dathcom Mining SA", "DATHCOM"),
	("Lualaba Copper Smelter SAS", "LCS"),
	("Société de Développement Industriel et Minier du Congo SA", "SODIMICO"),
	("Entreprise Minière de Kisenge Manganèse SA", "EMK-MN"),
	("Mongbwalu Gold Mines SA", "MGM"),
	("Anvil Mining Congo SA", "AMC"),
	("Kisanfu Mining SARL", "KFM"),
	("Société Minière de Bisunzu SARL", "SMB"),
	("Kalukundi Mining SARL", "KALUMINES"),
	("Ituri Goldfields SARL", "ITG"),
	("Kasaï Diamond Company SARL", "KDC"),
	("Terra Metals Katanga SAS", "TMK"),
	("Maniema Tin Mining SARL", "MTM"),
	("Société Minière du Tanganyika SARL", "SOMITAN"),
)
COMPANY_SERVICES = ("DG", "DG", "DG", "ADG", "DAJ", "DEX", "DFC", "DRH", "DT", "SHE", "DG/SEC")
PUBLIC_BODIES = (  # name, reference template (number, year)
	("Cabinet du Ministre des Mines", "N°%(n)s/CAB/MIN-MINES/%(y)s"),
	("Cadastre Minier (CAMI)", "N°%(n)s/CAMI/DG/%(y)s"),
	("Direction Générale des Recettes Administratives (DGRAD)", "N°%(n)s/DGRAD/DG/%(y)s"),
	("SAEMAPE", "N°%(n)s/SAEMAPE/DG/%(y)s"),
	("Centre d'Évaluation, d'Expertise et de Certification (CEEC)", "N°%(n)s/CEEC/DG/%(y)s"),
	("Ministère des Finances", "N°%(n)s/CAB/MIN-FINANCES/%(y)s"),
	("Présidence de la République", "N°%(n)s/CAB/PR/%(y)s"),
	("Primature", "N°%(n)s/CAB/PM/%(y)s"),
	("Direction de Protection de l'Environnement Minier (DPEM)", "N°%(n)s/DPEM/%(y)s"),
	("Ministère de l'Environnement et Développement Durable", "N°%(n)s/CAB/MIN-EDD/%(y)s"),
	("Ministère du Portefeuille", "N°%(n)s/CAB/MIN-PF/%(y)s"),
	("Ministère de la Justice et Garde des Sceaux", "N°%(n)s/CAB/MIN-JGS/%(y)s"),
	("Ministère du Commerce Extérieur", "N°%(n)s/CAB/MIN-CE/%(y)s"),
	("Ministère de l'Intérieur, Sécurité et Affaires Coutumières", "N°%(n)s/CAB/VPM-ISAC/%(y)s"),
	("Ministère de l'Emploi, Travail et Prévoyance Sociale", "N°%(n)s/CAB/MIN-ETPS/%(y)s"),
	("Service Géologique National du Congo (SGN-C)", "N°%(n)s/SGN-C/DG/%(y)s"),
	("Cellule Technique de Coordination et de Planification Minière (CTCPM)", "N°%(n)s/CTCPM/%(y)s"),
	("Direction Générale des Impôts (DGI)", "N°%(n)s/DGI/DGE/%(y)s"),
	("Direction Générale des Douanes et Accises (DGDA)", "N°%(n)s/DGDA/DG/%(y)s"),
	("Office Congolais de Contrôle (OCC)", "N°%(n)s/OCC/DG/%(y)s"),
	("Banque Centrale du Congo (BCC)", "N°%(n)s/BCC/GOUV/%(y)s"),
	(
		"Autorité de Régulation et de Contrôle des Marchés des Substances Minérales Stratégiques (ARECOMS)",
		"N°%(n)s/ARECOMS/DG/%(y)s",
	),
	("Inspection Générale des Finances (IGF)", "N°%(n)s/IGF/CS/%(y)s"),
	("Cour des Comptes", "N°%(n)s/CDC/PP/%(y)s"),
	("Assemblée nationale – Commission Environnement et Ressources naturelles", "N°%(n)s/AN/CERN/%(y)s"),
	("Sénat – Commission Économique, Financière et de Contrôle budgétaire", "N°%(n)s/SENAT/CEFCB/%(y)s"),
	("Secrétariat technique de l'ITIE-RDC", "N°%(n)s/ITIE-RDC/ST/%(y)s"),
	("Fonds Minier pour les Générations Futures (FOMIN)", "N°%(n)s/FOMIN/DG/%(y)s"),
	("Agence Congolaise de l'Environnement (ACE)", "N°%(n)s/ACE/DG/%(y)s"),
	("Agence Nationale pour la Promotion des Investissements (ANAPI)", "N°%(n)s/ANAPI/DG/%(y)s"),
	("Police des Mines et Hydrocarbures", "N°%(n)s/PMH/CMDT/%(y)s"),
	("Caisse Nationale de Sécurité Sociale (CNSS)", "N°%(n)s/CNSS/DG/%(y)s"),
	("Tribunal de Commerce de Lubumbashi", "N°%(n)s/TRICOM-L'SHI/GREF/%(y)s"),
	("Conseil d'État", "N°%(n)s/CE/PP/%(y)s"),
)
HIERARCHY = (  # public bodies the Secrétariat Général reports to, most frequent first
	"Cabinet du Ministre des Mines",
	"Primature",
	"Présidence de la République",
	"Inspection Générale des Finances (IGF)",
	"Assemblée nationale – Commission Environnement et Ressources naturelles",
	"Sénat – Commission Économique, Financière et de Contrôle budgétaire",
)
INTERNAL = (  # the Secrétariat Général's own directions and services: name, code
	("Direction des Mines", "DM"),
	("Direction de Géologie", "DGEO"),
	("Direction des Études et Planification", "DEP"),
	("Direction Administrative et Financière", "DAF"),
	("Direction des Ressources Humaines", "DRH"),
	("Direction Juridique", "DJ"),
	("Direction des Archives et Nouvelles Technologies", "DANTIC"),
	("Service du Courrier et des Archives", "SCA"),
	("Secrétariat particulier du Secrétaire Général", "SP"),
	("Cellule informatique", "CI"),
	("Service du Charroi automobile", "SCH"),
	("Service de la Paie", "SPAIE"),
	("Tous les agents du Secrétariat Général", ""),
	("Tous les Directeurs et Chefs de Division", ""),
)
COLLECTIVE = (  # addressees of circulars
	"Tous les titulaires de droits miniers et de carrières",
	"Tous les titulaires de permis d'exploitation",
	"Tous les Chefs de Division provinciale des Mines",
	"Toutes les coopératives minières agréées",
	"Toutes les entités de traitement agréées",
	"Tous les comptoirs d'achat et de vente des substances minérales",
	"Tous les mandataires en mines et carrières agréés",
	"Tous les bureaux d'études environnementales agréés",
)
NGOS = (  # name, acronym for references ("" when they quote none)
	("African Resources Watch (AFREWATCH)", "AFREWATCH"),
	("Action Contre l'Impunité pour les Droits Humains (ACIDH)", "ACIDH"),
	("Publiez Ce Que Vous Payez – RDC (PCQVP-RDC)", "PCQVP"),
	("Observatoire d'Études et d'Appui à la Responsabilité Sociale et Environnementale (OEARSE)", "OEARSE"),
	("Justicia Asbl", "JUSTICIA"),
	("Pact Congo", "PACT"),
	("Global Witness", ""),
	("Centre Carter – Programme RDC", "TCC"),
	("Cordaid RDC", "CORDAID"),
	("Initiative Bonne Gouvernance et Droits Humains (IBGDH)", "IBGDH"),
	("Maison des Mines du Kivu (MMKi)", "MMKI"),
	("Centre National d'Appui au Développement et à la Participation Populaire (CENADEP)", "CENADEP"),
	("Chefferie des Bayeke", ""),
	("Chefferie des Bahunde", ""),
	("Chefferie des Baluba-Shankadi", ""),
)
SUPPLIERS = (  # name, acronym
	("Société Nationale d'Électricité (SNEL SA)", "SNEL"),
	("Regideso SA", "REGIDESO"),
	("Vodacom Congo (RDC) SA", "VDC"),
	("Orange RDC SA", "ORDC"),
	("Airtel Congo RDC SA", "AIRTEL"),
	("SGS Congo SARL", "SGS"),
	("Bureau Veritas RDC SA", "BV"),
	("Engen DRC SA", "ENGEN"),
	("Congo Airways SA", "CAW"),
	("Grand Hôtel Kinshasa", "GHK"),
	("Imprimerie Concorde SARL", "IC"),
	("Papeterie Moderne de Kinshasa SARL", "PMK"),
	("Garage Central de la Gombe SARL", "GCG"),
	("Laboratoire d'Analyses Minérales de Lubumbashi SARL", "LAML"),
)
COOPERATIVE_KINDS = (
	"Coopérative minière",
	"Coopérative des exploitants artisanaux miniers",
	"Coopérative minière et agricole",
	"Coopérative des creuseurs",
)
COOPERATIVE_NAMES = (
	"Maendeleo", "Tujenge", "Umoja", "Bumi", "Solidarité", "Espoir", "La Paix", "Mwinda", "Twende Pamoja",
	"Bon Berger", "Lumière", "Elikya", "Amani", "Tumaini", "Kazi Ngufu", "Nouvel Horizon", "Ujamaa",
	"Dieu Merci", "Mapendo", "Tuungane",
)  # fmt: skip
COOPERATIVE_PLACES = (
	"Kolwezi", "Likasi", "Kambove", "Kipushi", "Manono", "Kalimbi", "Walikale", "Mongbwalu", "Kamituga",
	"Misisi", "Shabunda", "Rubaya", "Mwenga", "Tshikapa", "Mbuji-Mayi", "Punia", "Nyabibwe", "Lulingu",
	"Mambasa", "Watsa", "Kisengo", "Kasulo", "Kapata", "Musonoie", "Lupoto",
)  # fmt: skip
BARS = ("Kinshasa/Gombe", "Kinshasa/Matete", "Lubumbashi", "Kolwezi", "Bukavu", "Goma", "Bunia")
MALE_FIRST_NAMES = (
	"Jean-Pierre", "Joseph", "Patrick", "Didier", "Christian", "Jean-Claude", "Serge", "Albert", "Fiston",
	"Gaston", "Emmanuel", "Olivier", "Trésor", "Héritier", "Dieudonné", "Blaise", "Augustin", "Papy",
	"Junior", "Guy-Marcel", "Placide", "Godefroid", "Hubert", "Célestin", "Prince", "Fabrice", "Eric",
	"Baudouin", "Crispin", "Léonard",
)  # fmt: skip
FEMALE_FIRST_NAMES = (
	"Marie-Claire", "Henriette", "Jeanne", "Odette", "Chantal", "Nadine", "Pascaline", "Espérance",
	"Grâce", "Bibiche", "Rachel", "Solange", "Thérèse", "Mireille", "Clarisse", "Laetitia", "Annie",
	"Francine", "Julienne", "Sandrine",
)  # fmt: skip
SURNAMES = (
	"Kabongo", "Mbuyi", "Kalala", "Ilunga", "Kasongo", "Mukendi", "Tshibangu", "Kabeya", "Ngoy",
	"Mutombo", "Banza", "Kapinga", "Mwamba", "Lukusa", "Nkulu", "Kyungu", "Mulumba", "Kanku", "Lumbala",
	"Ngalula", "Mpoyi", "Kayembe", "Luboya", "Mbombo", "Kalombo", "Bokele", "Lokwa", "Ekofo", "Bolamba",
	"Nzuzi", "Makiese", "Lusamba", "Mbemba", "Kiala", "Nsimba", "Matondo", "Ndombe", "Masudi", "Bahati",
	"Kahindo", "Kavira", "Muhindo", "Kambale", "Paluku", "Kasereka", "Mumbere", "Byamungu", "Bisimwa",
	"Cirhuza", "Mugisho", "Numbi", "Kitenge", "Mwepu", "Kazadi", "Mbayo", "Kiluba", "Kalenga", "Mulongo",
	"Tshimanga", "Tshiamala", "Lokonga", "Mayala", "Nlandu", "Lutete", "Amisi", "Salumu", "Ramazani",
	"Assani", "Mushagalusa", "Zihindula",
)  # fmt: skip
MALE_TITLES = ("M.", "M.", "M.", "M.", "Ir", "Dr", "Prof.", "Me")
FEMALE_TITLES = ("Mme", "Mme", "Mme", "Mlle", "Dr", "Ir", "Me")
GOVERNED_PROVINCES = ("Lualaba", "Haut-Katanga", "Sud-Kivu", "Nord-Kivu", "Ituri", "Maniema", "Tanganyika")
COMMUNITY_SITES = ("Fungurume", "Kamoto", "Mutoshi", "Kipushi", "Kamituga", "Rubaya", "Mongbwalu", "Manono")

# Group weights of correspondents; within a group, earlier names weigh more (exponent of rank).
GROUP_RANK_EXPONENT = {
	"company": 0.8,
	"public": 0.6,
	"hierarchy": 1.2,
	"division": 0.9,
	"internal": 0.5,
	"collective": 0.5,
	"cooperative": 0.3,
	"law": 0.3,
	"ngo": 0.4,
	"person": 0.1,
	"supplier": 0.5,
}

# --- Subjects ---
# Placeholders: {pe} {pr} {per} {pepm} permits, {subst} "du cuivre et du cobalt", {d_subst} "de cuivre",
# {le_subst} "le cuivre", {site} {site2} {ville} {ville2} {territoire} {riviere}, {prov} "du Lualaba",
# {prov_name}, {month}, {quarter}, {y} year of the mail, {yp} previous year, {tonnes}, {sacs}, {np} note
# of perception, {inv} invoice, {arr} decree, {lot}, {puits} shaft, {company} another company.
# A template is a string (any correspondent of its document type) or (string, "groups") when only
# some correspondent groups would write it (incoming) or receive it (outgoing).

HOLDERS = "company law"
APPLICANTS = "company cooperative law person"

INCOMING_TEMPLATES = {
	"Lettre": (
		("Transmission des documents complémentaires au dossier du permis {pe}", APPLICANTS),
		("Notification du changement de dénomination sociale de la société", "company"),
		("Notification de la nomination du nouveau Directeur Général", "company public"),
		"Demande d'audience auprès du Secrétaire Général des Mines",
		("Déclaration de découverte d'un indice {subst} à {site}", "company cooperative person"),
		("Déclaration de début des travaux d'exploitation sur le permis {pe}", "company"),
		("Déclaration de fermeture temporaire de la mine de {site}", "company"),
		(
			"Information relative à la suspension des activités pour force majeure à {site}",
			"company cooperative",
		),
		("Communication de la nouvelle adresse du siège social à {ville}", "company cooperative law ngo"),
		("Soumission du plan d'atténuation et de réhabilitation du permis de recherches {pr}", "company"),
		("Demande d'information sur l'état d'avancement du dossier {pe}", APPLICANTS),
		("Transmission de la liste des sous-traitants retenus pour l'exercice {y}", "company"),
		("Transmission du certificat de paiement des droits superficiaires annuels par carré {y}", "company"),
		("Demande de certification des quantités {subst} destinées à l'exportation", "company cooperative"),
		(
			"Signalement d'une intrusion de creuseurs clandestins sur le périmètre du permis {pe}",
			"company division",
		),
		(
			"Demande de médiation dans le conflit foncier autour du site de {site}",
			"company cooperative ngo person law",
		),
		("Transmission du procès-verbal de l'assemblée générale ordinaire de {y}", "company cooperative ngo"),
		(
			"Demande d'appui à la formalisation des exploitants artisanaux de {site}",
			"cooperative ngo division",
		),
		"Accusé de réception de votre lettre n° {np}",
		("Transmission de l'étude d'impact environnemental et social du projet de {site}", "company"),
		("Déclaration des stocks {subst} entreposés à {ville} au {quarter} {y}", "company cooperative"),
		("Communication des coordonnées géographiques du périmètre du permis {pr}", "company public"),
		(
			"Signalement de la pollution de la rivière {riviere} en aval du site de {site}",
			"ngo person division public",
		),
		("Transmission du contrat de partenariat avec {company}", "company"),
		("Demande de rectification des coordonnées du permis {pe} au registre du Cadastre Minier", HOLDERS),
		("Demande de renseignements sur la situation administrative du permis {pe}", "public internal law"),
		("Transmission des statistiques des recettes minières du {quarter} {y}", "public"),
		("Demande de données sur la production {subst} de l'exercice {yp}", "public ngo"),
		("Demande d'avis sur le projet d'arrêté relatif à la commercialisation {subst}", "public internal"),
		("Communication du planning des missions de contrôle du {quarter} {y}", "division internal public"),
		("Transmission du compte rendu de la réunion du Cadre de concertation provincial", "division"),
		("Demande d'un ingénieur des mines pour la mission conjointe à {site}", "public division"),
		("Plaidoyer pour la publication des contrats miniers et de leurs avenants", "ngo"),
		("Demande d'accès aux données de production {subst} dans le cadre de l'ITIE", "ngo"),
		("Transmission de la requête de notre client relative au permis {pe}", "law"),
		("Demande de copie du dossier administratif du permis {pe} pour le compte de notre client", "law"),
		("Transmission du rapport de l'enquête parlementaire sur la sous-traitance minière", "public"),
		("Demande d'intervention pour la libération des agents interpellés à {ville}", "division public"),
	),
	"Demande de permis minier": (
		("Demande de renouvellement du permis d'exploitation {pe}", HOLDERS),
		("Demande d'octroi d'un permis de recherches pour {le_subst} dans la province {prov}", HOLDERS),
		("Demande de transformation du permis de recherches {pr} en permis d'exploitation", HOLDERS),
		("Demande de cession partielle du permis d'exploitation {pe} au profit de {company}", HOLDERS),
		("Demande d'extension du permis de recherches {pr} aux substances associées", HOLDERS),
		("Demande de renonciation partielle aux carrés du permis {pe}", HOLDERS),
		("Demande d'amodiation du permis d'exploitation {pe}", HOLDERS),
		("Demande de mutation du permis {pe} à la suite de la fusion des sociétés titulaires", HOLDERS),
		("Demande de permis d'exploitation de petite mine dans le territoire de {territoire}", APPLICANTS),
		("Demande de permis d'exploitation des rejets {per} pour les résidus de {site}", HOLDERS),
		("Demande d'autorisation d'exploitation de carrière permanente à {site}", "company person"),
		("Demande de renouvellement du permis d'exploitation de petite mine {pepm}", APPLICANTS),
		("Demande d'octroi d'un permis de recherches {d_subst} dans le territoire de {territoire}", HOLDERS),
		("Demande de scission du permis d'exploitation {pe}", HOLDERS),
		("Demande de délimitation d'une zone d'exploitation artisanale à {site}", "cooperative person"),
		("Demande de prorogation du permis de recherches {pr}", HOLDERS),
		(
			"Demande d'ouverture d'une zone d'exploitation artisanale {subst} dans le territoire de {territoire}",
			"cooperative",
		),
	),
	"Demande d'autorisation": (
		("Demande d'autorisation d'exportation de {tonnes} tonnes de concentrés {d_subst}", HOLDERS),
		(
			"Demande d'autorisation de transport de {tonnes} tonnes {subst} de {site} à {ville}",
			"company cooperative",
		),
		("Demande d'autorisation de traitement {subst} hors du périmètre minier", HOLDERS),
		("Demande d'autorisation d'ouverture d'un comptoir d'achat {subst} à {ville}", "company person law"),
		("Demande d'autorisation d'importation d'explosifs à usage minier", "company"),
		("Demande d'autorisation de détention de substances explosives pour le site de {site}", "company"),
		("Demande d'autorisation d'exportation d'échantillons {subst} pour analyse", HOLDERS),
		("Demande d'agrément en qualité d'entité de traitement {subst}", HOLDERS),
		("Demande d'agrément comme bureau d'études environnementales", "company person"),
		("Demande d'autorisation de sous-traitance des travaux de forage à {site}", "company"),
		("Demande d'autorisation de construction d'un bassin de rejets au site de {site}", "company"),
		("Demande d'autorisation de délocalisation des ménages riverains du site de {site}", "company"),
		("Demande de dérogation à l'interdiction d'exportation des concentrés {d_subst}", HOLDERS),
		("Demande d'agrément de mandataire en mines et carrières", "person"),
		(
			"Demande d'autorisation d'exportation de {sacs} sacs {subst} par le poste de {ville}",
			"company cooperative",
		),
		("Demande d'autorisation de stockage temporaire {subst} à {ville}", "company cooperative"),
		("Demande d'autorisation de dynamitage à ciel ouvert près de {site}", "company"),
		("Demande de carte de négociant {subst}", "person cooperative"),
	),
	"Réclamation": (
		("Réclamation relative au paiement de la redevance minière", HOLDERS),
		("Réclamation relative à la note de perception n° {np}", "company cooperative law"),
		("Réclamation contre le chevauchement des permis {pe} et {pr}", HOLDERS),
		(
			"Réclamation relative à l'occupation illégale du périmètre {pe} par des exploitants artisanaux",
			"company",
		),
		("Réclamation relative au calcul des droits superficiaires annuels par carré {y}", HOLDERS),
		(
			"Réclamation des riverains de {site} au sujet de la pollution de la rivière {riviere}",
			"ngo person",
		),
		("Réclamation relative au retard dans la délivrance du certificat environnemental", "company"),
		("Réclamation concernant la saisie de {sacs} sacs {subst} à {ville}", "cooperative person law"),
		("Contestation de la pénalité infligée pour non-respect du cahier des charges", HOLDERS),
		(
			"Plainte relative aux tracasseries administratives sur l'axe {ville}–{ville2}",
			"company cooperative person ngo",
		),
		("Réclamation des creuseurs de la ZEA de {site} relative au prix d'achat {subst}", "cooperative ngo"),
		("Réclamation relative à la double taxation des exportations {subst}", "company cooperative"),
		("Plainte contre la démolition de maisons riveraines au site de {site}", "ngo person law"),
		("Réclamation relative au non-paiement des indemnités d'expropriation à {site}", "ngo person law"),
		("Réclamation relative à l'erreur matérielle dans l'arrêté {arr}", HOLDERS),
		("Contestation du rapport d'inspection du site de {site}", "company cooperative"),
	),
	"Recours administratif": (
		("Recours gracieux contre la décision de retrait du permis {pe}", HOLDERS),
		("Recours hiérarchique contre l'arrêté de déchéance du permis de recherches {pr}", HOLDERS),
		("Recours contre le refus d'octroi du permis d'exploitation de petite mine {pepm}", APPLICANTS),
		(
			"Recours contre la décision de suspension des activités au site de {site}",
			"company cooperative law",
		),
		("Recours contre l'avis environnemental défavorable de la DPEM", HOLDERS),
		("Recours en annulation de la mise en demeure n° {np}", HOLDERS),
		("Demande de réexamen du dossier de renouvellement du permis {pe}", HOLDERS),
		("Recours gracieux contre l'arrêté {arr}", HOLDERS),
		("Recours contre la décision de fermeture du comptoir d'achat de {ville}", "company person law"),
		("Recours contre le classement du site de {site} en zone rouge", "cooperative company law"),
	),
	"Invitation": (
		("Invitation à l'atelier de validation du rapport ITIE {yp}", "public ngo"),
		("Invitation à l'inauguration de l'usine de traitement {subst} de {site}", "company"),
		("Invitation à la réunion de concertation sur la traçabilité {subst}", "public ngo"),
		("Invitation à la conférence DRC Mining Week {y} à Lubumbashi", "company"),
		("Invitation à la mission conjointe d'inspection du site de {site}", "public division"),
		(
			"Invitation au forum provincial sur l'exploitation minière artisanale ({prov_name})",
			"division ngo",
		),
		("Invitation à la séance de travail sur la révision du Règlement minier", "public"),
		("Invitation au lancement officiel des travaux de forage à {site}", "company"),
		(
			"Invitation à la réunion du comité de suivi du cahier des charges de {site}",
			"company ngo division",
		),
		(
			"Invitation à l'atelier sur le devoir de diligence dans la chaîne d'approvisionnement {subst}",
			"ngo public",
		),
		("Invitation à la Journée minière de la province {prov}", "division public"),
		("Invitation à la cérémonie de remise des cartes d'exploitants artisanaux à {site}", "division"),
		("Invitation au séminaire sur la transformation locale des minerais à {ville}", "public ngo company"),
		(
			"Invitation à la réunion trimestrielle du Cadre de concertation provincial ({prov_name})",
			"division",
		),
		("Invitation à la célébration des vingt ans de présence de la société à {site}", "company"),
	),
	"Facture": (
		"Facture n° {inv} relative aux frais d'analyse d'échantillons {subst}",
		"Facture n° {inv} pour la fourniture de matériel informatique",
		"Facture proforma pour l'entretien des véhicules de service",
		"Facture de consommation d'électricité de {month} {y}",
		"Facture relative à l'hébergement de la mission de contrôle à {site}",
		"Facture de fourniture de carburant de {month} {y}",
		"Facture n° {inv} relative à l'impression des registres de production",
		"Facture d'abonnement à Internet de {month} {y}",
		"Facture de location de salle pour l'atelier de validation du {quarter} {y}",
		"Facture pour la réhabilitation des bureaux de la Division provinciale des Mines {prov}",
		"Facture de consommation d'eau de {month} {y}",
		"Facture n° {inv} relative aux billets d'avion de la mission à {ville}",
		"Facture n° {inv} pour la fourniture de consommables de bureau",
	),
	"Rapport": (
		("Transmission du rapport trimestriel de production {subst} du {quarter} {y}", "company"),
		("Transmission du rapport annuel d'activités {yp}", "company division"),
		("Rapport mensuel des exportations {subst} de {month} {y}", "company division"),
		("Rapport d'audit environnemental du site de {site}", "company"),
		("Rapport d'inspection des travaux miniers au site de {site}", "division internal"),
		(
			"Rapport de contrôle de la traçabilité {subst} dans le territoire de {territoire}",
			"division internal",
		),
		("Rapport d'incident : éboulement au puits n° {puits} de la ZEA de {site}", "division"),
		("Rapport sur l'exécution du cahier des charges des communautés locales en {yp}", "company"),
		("Rapport des travaux de recherches sur le permis {pr}", "company"),
		("Transmission de l'étude de faisabilité du gisement de {site}", "company"),
		("Rapport de situation sur la lixiviation en tas au site de {site}", "company"),
		("Rapport des analyses géochimiques des échantillons prélevés à {site}", "internal public company"),
		("Rapport sur l'exploitation artisanale de l'hétérogénite dans la province {prov}", "division ngo"),
		("Rapport de qualification des sites miniers artisanaux de la province {prov}", "division"),
		("Mise à jour du plan de gestion environnementale du projet de {site}", "company"),
		("État des paiements de la redevance minière du {quarter} {y}", "public company"),
		("Rapport sur la situation sécuritaire autour des sites miniers de {territoire}", "division public"),
		("Statistiques mensuelles de production {subst} de {month} {y}", "company division"),
		("Rapport d'évaluation des dégâts causés par les pluies diluviennes à {site}", "division company"),
		("Rapport sur les accidents de travail survenus au {quarter} {y}", "company"),
		("Rapport d'enquête sur les conditions de travail dans les sites artisanaux de {site}", "ngo"),
		("Rapport sur la qualité de l'eau de la rivière {riviere}", "ngo public"),
		(
			"Rapport de la mission de vérification des exportations {subst} au poste de {ville}",
			"public division",
		),
	),
	"Autre": (
		("Demande de stage académique au Secrétariat Général des Mines", "person"),
		("Candidature spontanée au poste d'ingénieur des mines", "person"),
		("Demande d'emploi en qualité de géologue", "person"),
		("Demande de documentation sur le Code minier et le Règlement minier", "person law ngo"),
		("Demande de copie certifiée conforme de l'arrêté {arr}", HOLDERS),
		"Vœux de bonne et heureuse année {y}",
		("Sollicitation d'un appui pour l'organisation des Journées minières de {ville}", "ngo cooperative"),
		("Demande d'attestation de service", "person"),
		("Demande de carte de négociant {subst}", "person"),
		("Demande de carte d'exploitant artisanal", "person cooperative"),
		("Demande de la carte géologique du territoire de {territoire}", "company person"),
		("Demande de mise à la retraite", "person"),
		("Demande de congé de reconstitution", "person"),
		("Demande de parrainage du tournoi de football inter-entreprises de {ville}", "ngo person"),
		(
			"Demande de renseignements sur la procédure d'obtention d'un permis de recherches",
			"person company",
		),
		("Annonce de la visite d'une délégation d'investisseurs à {site}", "public company"),
	),
}
INCOMING_CATEGORY_WEIGHTS = {
	"Lettre": 30,
	"Demande de permis minier": 10,
	"Demande d'autorisation": 12,
	"Réclamation": 8,
	"Recours administratif": 3,
	"Invitation": 10,
	"Facture": 7,
	"Rapport": 15,
	"Autre": 5,
}
INCOMING_DOCUMENT_TYPES = tuple(INCOMING_CATEGORY_WEIGHTS)  # the demo's weights name master-data types
INCOMING_GROUPS = {  # who writes each document type
	"Lettre": {
		"company": 34,
		"cooperative": 8,
		"division": 14,
		"public": 16,
		"internal": 6,
		"law": 5,
		"ngo": 6,
		"person": 11,
	},
	"Demande de permis minier": {"company": 62, "cooperative": 15, "law": 12, "person": 11},
	"Demande d'autorisation": {"company": 62, "cooperative": 15, "law": 8, "person": 15},
	"Réclamation": {"company": 38, "cooperative": 15, "law": 15, "ngo": 12, "person": 20},
	"Recours administratif": {"company": 40, "law": 40, "cooperative": 10, "person": 10},
	"Invitation": {"public": 40, "ngo": 20, "company": 30, "division": 10},
	"Facture": {"supplier": 100},
	"Rapport": {"company": 50, "division": 30, "public": 6, "internal": 9, "ngo": 5},
	"Autre": {"person": 55, "company": 10, "ngo": 10, "public": 10, "cooperative": 10, "law": 5},
}
INCOMING_DEPARTMENTS = {  # ADM, JUR, TECH, FIN, SG
	"Lettre": (30, 15, 25, 10, 20),
	"Demande de permis minier": (5, 25, 60, 0, 10),
	"Demande d'autorisation": (15, 15, 55, 0, 15),
	"Réclamation": (5, 40, 15, 30, 10),
	"Recours administratif": (0, 75, 5, 0, 20),
	"Invitation": (25, 0, 15, 0, 60),
	"Facture": (10, 0, 0, 90, 0),
	"Rapport": (5, 0, 70, 10, 15),
	"Autre": (70, 10, 0, 0, 20),
}

OUTGOING_TEMPLATES = {
	"Note circulaire": (
		"Note circulaire relative à la traçabilité {subst} dans les provinces minières",
		"Note circulaire sur le respect de l'interdiction d'exportation des concentrés {d_subst}",
		"Note circulaire relative à la déclaration trimestrielle de la production",
		"Note circulaire relative aux mesures de sécurité dans les zones d'exploitation artisanale",
		"Note circulaire sur l'interdiction du travail des enfants dans les sites miniers",
		"Note circulaire relative au paiement des droits superficiaires annuels par carré de {y}",
		"Note circulaire relative à la campagne de qualification des sites miniers artisanaux",
		"Note circulaire sur l'application des dispositions révisées du Règlement minier",
		"Note circulaire relative à la tenue des registres de production et de vente",
		"Note circulaire relative au dépôt des rapports annuels d'activités {yp}",
		"Note circulaire relative à la lutte contre la fraude minière aux postes frontaliers",
	),
	"Note télégramme": (
		"Note télégramme : suspension immédiate des activités au site de {site}",
		"Note télégramme : mission d'inspection urgente à {site}",
		"Note télégramme : statistiques de production {subst} de {month} {y}",
		"Note télégramme : sécurisation des stocks {subst} saisis à {ville}",
		"Note télégramme : éboulement survenu à {site}, dispositions à prendre",
		"Note télégramme : recensement des exploitants artisanaux de la province {prov}",
		"Note télégramme : blocage des exportations {subst} au poste de {ville}",
		"Note télégramme : situation des creuseurs déplacés de {site}",
	),
	"Lettre officielle": (
		("Réponse à votre lettre relative au renouvellement du permis {pe}", HOLDERS),
		("Mise en demeure pour défaut de paiement des droits superficiaires du permis {pr}", HOLDERS),
		("Notification de l'octroi du permis d'exploitation {pe}", HOLDERS),
		("Notification du rejet de la demande de permis de recherches {pr}", HOLDERS),
		("Transmission du dossier du permis {pe} pour avis cadastral", "public"),
		("Demande d'avis technique sur la demande de permis {pr}", "public division"),
		(
			"Transmission de l'avis environnemental sur le plan de gestion du projet de {site}",
			"company public",
		),
		("Accusé de réception de votre recours administratif", APPLICANTS),
		("Demande des justificatifs de paiement de la redevance minière de {yp}", "company"),
		("Rappel relatif au dépôt du rapport annuel d'activités {yp}", "company cooperative division"),
		("Invitation à régulariser la situation administrative du permis {pe}", HOLDERS),
		("Demande de la situation des recettes minières du {quarter} {y}", "public division"),
		("Réponse à la réclamation relative à la note de perception n° {np}", "company cooperative law"),
		("Autorisation d'exportation de {tonnes} tonnes de concentrés {d_subst}", "company"),
		("Transmission de l'arrêté {arr}", "company law public division"),
		("Demande d'explications sur l'incident survenu à {site}", "company cooperative division"),
		("Réponse à votre demande d'agrément en qualité d'entité de traitement", HOLDERS),
		("Notification de la décision relative au chevauchement des permis {pe} et {pr}", HOLDERS),
		("Demande de renseignements sur la production {subst} du {quarter} {y}", "company division"),
		("Avis favorable à la cession du permis {pe} au profit de {company}", HOLDERS),
		("Réponse à votre demande d'accès aux données de production {subst}", "ngo"),
		("Réponse à votre demande de stage académique", "person"),
		("Réponse à votre plainte relative à la pollution de la rivière {riviere}", "ngo person"),
		(
			"Transmission de la liste des coopératives minières agréées de la province {prov}",
			"public division",
		),
		("Réponse à votre demande de carte d'exploitant artisanal", "person cooperative"),
		("Réponse à votre lettre au sujet du permis {pe} de votre client", "law"),
	),
	"Mémorandum": (
		"Mémorandum sur la situation de l'exploitation artisanale dans la province {prov}",
		"Mémorandum relatif aux conflits entre titulaires et exploitants artisanaux à {site}",
		"Mémorandum sur la révision des cahiers des charges des sociétés minières",
		"Mémorandum sur les recettes minières de l'exercice {yp}",
		"Mémorandum relatif à la commercialisation {subst}",
		"Mémorandum sur la contrebande {subst} dans le territoire de {territoire}",
		"Mémorandum sur la pollution de la rivière {riviere}",
	),
	"Convocation": (
		("Convocation à la réunion de coordination des Directions du Secrétariat Général", "internal"),
		("Convocation à la séance de conciliation sur le chevauchement des permis {pe} et {pr}", "company"),
		("Convocation à l'audition relative à l'incident survenu à {site}", "company cooperative person"),
		("Convocation à la commission d'examen des demandes de permis du {quarter} {y}", "internal"),
		(
			"Convocation à la réunion du comité de pilotage de la réforme du secteur minier",
			"internal division",
		),
		("Convocation à la réunion des Chefs de Division provinciale du {quarter} {y}", "division"),
		("Convocation à la séance de travail sur le cahier des charges de {site}", "company"),
		(
			"Convocation à la séance de médiation entre la coopérative et le titulaire du permis {pe}",
			"cooperative",
		),
		("Convocation au test écrit du concours de recrutement d'ingénieurs des mines", "person"),
	),
	"Rapport": (
		"Rapport de mission d'inspection au site de {site}",
		"Rapport trimestriel d'activités du Secrétariat Général du {quarter} {y}",
		"Rapport sur la production minière nationale de {yp}",
		"Rapport de suivi des recommandations de l'audit du site de {site}",
		"Rapport de la commission d'enquête sur l'incident de {site}",
		"Rapport de la mission de contrôle de la traçabilité {subst} dans la province {prov}",
	),
	"Note de service": (
		"Note de service portant affectation d'agents à la Division provinciale des Mines {prov}",
		"Note de service relative à la permanence pendant les congés de fin d'année",
		"Note de service relative à la gestion du courrier et à l'archivage",
		"Note de service portant désignation des membres de la mission de contrôle à {site}",
		"Note de service relative à l'utilisation des véhicules de service",
		"Note de service relative au port obligatoire du badge",
		"Note de service relative à l'évaluation annuelle des agents de {yp}",
		"Note de service relative à la sécurité informatique et aux mots de passe",
		"Note de service portant intérim du Directeur des Mines",
		"Note de service relative aux horaires de travail pendant les fêtes de fin d'année {y}",
	),
	"Autre": (
		("Communiqué relatif au concours de recrutement d'ingénieurs des mines", "public internal"),
		("Attestation de service", "person"),
		("Ordre de mission pour {site}", "internal person"),
		("Certificat d'origine des minerais {subst} du lot n° {lot}", "company"),
		("Procès-verbal de la réunion de coordination du {quarter} {y}", "internal public"),
		("Communiqué relatif à la fermeture des bureaux le 30 juin {y}", "internal public"),
		("Lettre de recommandation", "person"),
		("Bordereau de transmission des dossiers de permis à la Direction des Mines", "internal"),
		("Attestation de conformité des installations de traitement de {site}", "company"),
	),
}
OUTGOING_CATEGORY_WEIGHTS = {
	"Note circulaire": 8,
	"Note télégramme": 6,
	"Lettre officielle": 45,
	"Mémorandum": 4,
	"Convocation": 9,
	"Rapport": 8,
	"Note de service": 12,
	"Autre": 8,
}
OUTGOING_DOCUMENT_TYPES = tuple(OUTGOING_CATEGORY_WEIGHTS)  # the demo's weights name master-data types
OUTGOING_GROUPS = {  # who receives each document type
	"Note circulaire": {"collective": 70, "division": 20, "company": 10},
	"Note télégramme": {"division": 100},
	"Lettre officielle": {
		"company": 45,
		"public": 20,
		"cooperative": 8,
		"law": 8,
		"person": 8,
		"division": 8,
		"ngo": 3,
	},
	"Mémorandum": {"hierarchy": 90, "division": 10},
	"Convocation": {"company": 40, "cooperative": 15, "division": 15, "internal": 20, "person": 10},
	"Rapport": {"hierarchy": 80, "internal": 20},
	"Note de service": {"internal": 100},
	"Autre": {"person": 50, "company": 20, "public": 15, "internal": 15},
}
OUTGOING_DEPARTMENTS = {  # ADM, JUR, TECH, FIN, SG
	"Note circulaire": (10, 10, 40, 10, 30),
	"Note télégramme": (5, 0, 55, 5, 35),
	"Lettre officielle": (15, 25, 35, 15, 10),
	"Mémorandum": (0, 10, 20, 10, 60),
	"Convocation": (20, 20, 25, 5, 30),
	"Rapport": (5, 5, 50, 10, 30),
	"Note de service": (70, 0, 5, 5, 20),
	"Autre": (60, 10, 10, 5, 15),
}
OUTGOING_REFERENCES = {  # the Secrétariat Général's own references, per department
	"ADM": "N°%(n)s/SG/MINES/ADM/%(y)s",
	"JUR": "N°%(n)s/SG/MINES/DJ/%(y)s",
	"TECH": "N°%(n)s/SG/MINES/DT/%(y)s",
	"FIN": "N°%(n)s/SG/MINES/DAF/%(y)s",
	"SG": "N°%(n)s/SG/MINES/%(y)s",
}
PRIORITY_WEIGHTS = {"Note télégramme": (35, 45, 20), "Convocation": (70, 25, 5), "Facture": (90, 8, 2)}
DEFAULT_PRIORITY_WEIGHTS = (84, 13, 3)
URGENT_PRIORITY_WEIGHTS = (70, 24, 6)  # requests, complaints, appeals, invitations
URGENT_CATEGORIES = ("Recours administratif", "Réclamation", "Invitation", "Demande d'autorisation")

INCOMING_INFORMATION = (
	"Pli reçu par porteur.",
	"Pli reçu par DHL.",
	"Reçu par courrier recommandé.",
	"Remis en main propre au secrétariat.",
	"Annexes : 2 pièces jointes.",
	"Annexes : rapport technique et cartes du périmètre.",
	"Dossier incomplet : preuve de paiement manquante.",
	"Copie pour information au Cabinet du Ministre.",
	"Original transmis à la Direction concernée.",
	"Accusé de réception remis au porteur.",
	"Pli fermé portant la mention « confidentiel ».",
	"Reçu d'abord par courriel, original déposé ensuite.",
	"Rappel d'un courrier antérieur resté sans suite.",
	"Réponse souhaitée dans les quinze jours.",
	"Annexes sur clé USB.",
	"Enveloppe endommagée à la réception.",
	"Déposé par le représentant de la société.",
	"Transmis sous couvert de la Division provinciale.",
	"Pièces justificatives en original.",
	"Traduction française jointe à l'original anglais.",
	"Bordereau d'envoi non signé.",
	"Deux exemplaires reçus.",
)
OUTGOING_INFORMATION = (
	"Expédié par porteur.",
	"Expédié par DHL.",
	"Transmis par courriel et par porteur.",
	"Copie au Cabinet du Ministre des Mines.",
	"Copie pour information à la DGRAD.",
	"Ampliation aux Directions du Secrétariat Général.",
	"Accusé de réception signé et classé.",
	"Délai de réponse : 15 jours.",
	"Signé par le Secrétaire Général.",
	"Signé par le Secrétaire Général adjoint, pour intérim.",
	"Annexe : liste des permis concernés.",
	"Diffusion restreinte.",
	"Remis au délégué de la société.",
	"Copie au Cadastre Minier (CAMI).",
)

PAGE_WIDTH = 595
PAGE_HEIGHT = 842
PAGE_MARGIN = 56
TITLE_SIZE = 14
BODY_SIZE = 11
TITLE_WRAP = 64
BODY_WRAP = 88


class DemoGenerator:
	"""Reproducible demo mail between ``start`` and ``end`` (inclusive).

	>>> generator = DemoGenerator(seed=1)
	>>> mail = generator.courrier()
	>>> for mail in generator.courriers(1000):
	...     ...

	``courrier`` and ``courriers`` draw from the same stream, so the sequence depends only on the
	seed, the range and the number of mails drawn so far.
	"""

	def __init__(self, seed: int = 42, start: datetime.date | None = None, end: datetime.date | None = None):
		self.seed = seed
		self.end = end or datetime.date.today()
		self.start = start or datetime.date(self.end.year - 5, 1, 1)
		if self.start > self.end:
			raise ValueError(f"start {self.start} is after end {self.end}")
		self._rng = random.Random(seed)
		self._build_calendar()
		self._build_correspondents()
		self._build_categories()
		self._stream = self._generate()

	def courrier(self) -> dict:
		"""The next mail of the stream."""
		return next(self._stream)

	def courriers(self, count: int):
		"""Yield the next ``count`` mails."""
		yield from islice(self._stream, count)

	def pdf(self, title: str, lines: list[str]) -> bytes:
		"""A one-page PDF showing ``title`` and ``lines`` (the scanned letter of demo mail)."""
		return build_pdf(title, lines)

	# --- Pools ---

	def _build_calendar(self) -> None:
		"""Days of the range, and everything a day index gives in one look-up."""
		count = (self.end - self.start).days + 1
		days = [self.start + datetime.timedelta(days=i) for i in range(count)]
		self._days = days
		self._midnights = [datetime.datetime(d.year, d.month, d.day) for d in days]
		self._day_bits = max(12, (64 * count).bit_length())
		day_weights = [_day_weight(day, index, count) for index, day in enumerate(days)]
		self._day_table = _table(range(count), day_weights, self._day_bits)
		self._registration = [day for index in range(count) for day in _registration_days(days, index)]
		self._age_bracket = [bisect(AGE_LIMITS, (self.end - day).days - 1) for day in days]
		self._year_index = [day.year - self.start.year for day in days]
		self._year_text = [str(day.year) for day in days]
		self._year_progress = [(day.timetuple().tm_yday + 1) / 366 for day in days]
		seconds = [datetime.timedelta(seconds=WORKDAY_START + s) for s in range(WORKDAY_SECONDS)]
		self._seconds_table = _table(seconds, [_minute_weight(s // 60) for s in range(WORKDAY_SECONDS)], 16)
		self._numbers = {width: [str(n).zfill(width) for n in range(10000)] for width in (3, 4)}

	def _build_correspondents(self) -> None:
		"""Correspondent records per group: (name, ((reference template, digits), ...), yearly volume)."""
		rng = self._rng
		self._groups = {
			"company": [_company(name, acronym, rng) for name, acronym in COMPANIES],
			"public": [(name, ((ref, 4),), 2500) for name, ref in PUBLIC_BODIES] + _governorates(),
			"hierarchy": [(name, ((dict(PUBLIC_BODIES)[name], 4),), 2500) for name in HIERARCHY],
			"division": [_division(province) for province in _mining_first(PROVINCES)],
			"internal": [_internal(name, code) for name, code in INTERNAL],
			"collective": [(name, (), 0) for name in COLLECTIVE],
			"cooperative": _cooperatives(rng, 28),
			"law": _law_firms(rng, 16),
			"ngo": [_ngo(name, acronym) for name, acronym in NGOS] + _communities(),
			"person": _people(rng, 180),
			"supplier": [(name, ((f"{acr}/FAC/%(y)s/%(n)s", 4),), 1200) for name, acr in SUPPLIERS],
		}
		self._groups["supplier"] += [
			(f"Établissements {s} et Fils SARL", ((f"ETS-{s[:3].upper()}/%(n)s/%(y)s", 3),), 300)
			for s in rng.sample(SURNAMES, 6)
		]
		# Each record also names its group, which selects the subjects that suit the correspondent.
		self._groups = {
			group: [(*record, group) for record in records] for group, records in self._groups.items()
		}

	def _build_categories(self) -> None:
		"""One lookup table of categories, each a tuple holding every pool the loop needs."""
		incoming = self._categories(True, INCOMING_DOCUMENT_TYPES, INCOMING_TEMPLATES, INCOMING_GROUPS)
		outgoing = self._categories(False, OUTGOING_DOCUMENT_TYPES, OUTGOING_TEMPLATES, OUTGOING_GROUPS)
		in_total = sum(INCOMING_CATEGORY_WEIGHTS.values())
		out_total = sum(OUTGOING_CATEGORY_WEIGHTS.values())
		weights = [INCOMING_SHARE * INCOMING_CATEGORY_WEIGHTS[t] / in_total for t in INCOMING_DOCUMENT_TYPES]
		weights += [
			(1 - INCOMING_SHARE) * OUTGOING_CATEGORY_WEIGHTS[t] / out_total for t in OUTGOING_DOCUMENT_TYPES
		]
		self._category_table = _table(incoming + outgoing, weights, CATEGORY_BITS)

	def _categories(
		self, incoming: bool, types: tuple[str, ...], templates: dict, groups: dict
	) -> list[tuple]:
		"""Per document type: (incoming, type, subjects per year, correspondents, departments,
		priorities, other information), the last four as lookup tables."""
		departments = INCOMING_DEPARTMENTS if incoming else OUTGOING_DEPARTMENTS
		years = range(self.start.year, self.end.year + 1)
		notes = INCOMING_INFORMATION if incoming else OUTGOING_INFORMATION
		information = _table(
			("", *notes), (NO_INFORMATION_SHARE, *[(1 - NO_INFORMATION_SHARE) / len(notes)] * len(notes)), 10
		)
		return [
			(
				incoming,
				name,
				self._subjects(templates[name], groups[name], years),
				self._correspondent_table(groups[name]),
				_table(DEPARTMENTS, departments[name], 10),
				_table(PRIORITIES, _priority_weights(name), 10),
				information,
			)
			for name in types
		]

	def _subjects(self, templates: tuple, groups: dict, years: range) -> dict[str, list[list[str]]]:
		"""Subjects per correspondent group, then per year: the variants of the templates that group
		would write or receive (all the type's templates if none is marked for it)."""
		rng, companies = self._rng, self._groups["company"]
		entries = [(entry, "") if isinstance(entry, str) else entry for entry in templates]
		variants = [
			[[_fill(template, rng, year, companies) for _ in range(VARIANTS_PER_TEMPLATE)] for year in years]
			for template, _ in entries
		]
		subjects = {}
		for group in groups:
			chosen = [
				i for i, (_, audience) in enumerate(entries) if not audience or group in audience.split()
			]
			chosen = chosen or range(len(entries))
			subjects[group] = [
				[subject for i in chosen for subject in variants[i][year]] for year in range(len(years))
			]
		return subjects

	def _correspondent_table(self, group_weights: dict[str, float]) -> list[tuple]:
		"""Group weights split within each group by rank: the first names write most often."""
		records, weights = [], []
		for group, group_weight in group_weights.items():
			members = self._groups[group]
			rank_weights = [1 / (rank + 1) ** GROUP_RANK_EXPONENT[group] for rank in range(len(members))]
			scale = group_weight / sum(rank_weights)
			records.extend(members)
			weights.extend(w * scale for w in rank_weights)
		return _table(records, weights, CORRESPONDENT_BITS)

	# --- The stream ---

	def _generate(self):
		"""Endless stream of mail dicts. Weighted draws are lookups in power-of-two tables indexed by
		``getrandbits``: about three times faster than ``bisect`` on cumulative weights."""
		rnd, bits = self._rng.random, self._rng.getrandbits
		days, midnights, seconds = self._days, self._midnights, self._seconds_table
		day_table, day_bits, registration = self._day_table, self._day_bits, self._registration
		age_bracket, year_index = self._age_bracket, self._year_index
		year_text, year_progress, numbers = self._year_text, self._year_progress, self._numbers
		categories, last = self._category_table, len(days) - 1
		delays = _table(range(len(REGISTRATION_DELAY_WEIGHTS)), REGISTRATION_DELAY_WEIGHTS, 10)
		status_tables = [_table(STATUSES, weights, 10) for weights in STATUS_WEIGHTS_BY_AGE]
		confidentiality = _table(CONFIDENTIALITY, CONFIDENTIALITY_WEIGHTS, 10)
		outgoing_references = {dept: ((ref, 4),) for dept, ref in OUTGOING_REFERENCES.items()}
		n_delays = len(REGISTRATION_DELAY_WEIGHTS)
		while True:
			incoming, type_name, subjects, correspondents, departments, priorities, notes = categories[
				bits(CATEGORY_BITS)
			]
			day = day_table[bits(day_bits)]
			delay = delays[bits(10)]
			if rnd() < CALENDAR_DELAY_SHARE:
				registered = day + delay if day + delay < last else last
			else:
				registered = registration[day * n_delays + delay]
			bracket = age_bracket[registered]

			name, references, volume, group = correspondents[bits(CORRESPONDENT_BITS)]
			year_subjects = subjects[group][year_index[day]]
			department = departments[bits(10)]
			priority = priorities[bits(10)]
			status = status_tables[bracket][bits(10)]
			if bracket <= 1 and priority != "Normale" and rnd() < 0.5:
				status = "URGENT"

			if not incoming:
				references, volume = outgoing_references[department], 3000
			if references and rnd() >= EMPTY_REFERENCE_SHARE:
				template, width = references[int(rnd() * len(references))]
				serial = 1 + int(year_progress[day] * volume * (0.8 + 0.4 * rnd()))
				reference = template % {"n": numbers[width][min(serial, 9999)], "y": year_text[day]}
			else:
				reference = ""

			yield {
				"type_courrier": INCOMING if incoming else OUTGOING,
				"numero_reference": reference,
				"objet": year_subjects[int(rnd() * len(year_subjects))],
				"expediteur": name if incoming else "",
				"destinataire": "" if incoming else name,
				"date_redaction": days[day],
				"date_enregistrement": midnights[registered] + seconds[bits(16)],
				"copie_sg": ("Oui" if rnd() < COPY_SG_SHARE else "Non") if incoming else "",
				"type_document": type_name if not incoming or rnd() >= UNTYPED_INCOMING_SHARE else None,
				"statut": status,
				"departement": department,
				"priorite": priority,
				"confidentialite": confidentiality[bits(10)],
				"autres_informations": notes[bits(10)],
			}


def _table(values, weights, bits: int) -> list:
	"""Lookup table of 2**bits entries where each value fills a share of slots matching its weight.

	``table[rng.getrandbits(bits)]`` is then a weighted draw; a value weighing less than half a slot
	is never drawn, so callers size ``bits`` to their smallest weight.
	"""
	size = 1 << bits
	cumulative = list(accumulate(weights))
	total = cumulative[-1]
	table = []
	for value, bound in zip(values, cumulative, strict=True):
		table.extend([value] * (round(bound * size / total) - len(table)))
	return table


# --- Calendar helpers ---


def _day_weight(day: datetime.date, index: int, count: int) -> float:
	"""Letters are written on working days, and the registry gets busier over the years."""
	growth = 0.75 + 0.5 * index / count
	if (day.month, day.day) in PUBLIC_HOLIDAYS:
		return 0.08 * growth
	return (1.0, 1.0, 1.0, 1.0, 1.0, 0.12, 0.04)[day.weekday()] * growth


def _registration_days(days: list[datetime.date], index: int) -> list[int]:
	"""Registration day for each delay: that many working days later, at most MAX_DELAY days later."""
	window = range(index, min(index + MAX_DELAY, len(days) - 1) + 1)
	workdays = [day for day in window if days[day].weekday() < 5] or [index]
	return [workdays[min(delay, len(workdays) - 1)] for delay in range(MAX_DELAY + 1)]


def _minute_weight(minute: int) -> float:
	"""Counter activity from 7:30: slow start, busy mornings, lunch dip, quiet last hour."""
	hour = 7.5 + minute / 60
	if hour < 8:
		return 0.5
	if hour < 12:
		return 1.5
	if hour < 13:
		return 0.8
	if hour < 15.5:
		return 1.1
	return 0.6


def _priority_weights(category: str) -> tuple[float, float, float]:
	if category in PRIORITY_WEIGHTS:
		return PRIORITY_WEIGHTS[category]
	return URGENT_PRIORITY_WEIGHTS if category in URGENT_CATEGORIES else DEFAULT_PRIORITY_WEIGHTS


# --- Correspondent builders: each returns (name, ((template, width), ...), yearly volume) ---


def _company(name: str, acronym: str, rng: random.Random) -> tuple:
	services = rng.sample(COMPANY_SERVICES, 3)
	return name, tuple((f"{acronym}/{service}/%(y)s/%(n)s", 4) for service in services), 1500


def _mining_first(provinces: tuple) -> list:
	"""Provinces with the mining heartland first (their divisions write most often), others after."""
	rank = {name: index for index, name in enumerate(MINING_PROVINCES)}
	return sorted(provinces, key=lambda province: rank.get(province[0], len(rank)))


def _division(province: tuple[str, str, str]) -> tuple:
	_, de_form, code = province
	return f"Division provinciale des Mines {de_form}", ((f"N°%(n)s/DPM/{code}/%(y)s", 4),), 800


def _internal(name: str, code: str) -> tuple:
	references = ((f"N°%(n)s/SG/MINES/{code}/%(y)s", 3),) if code else ()
	return name, references, 400


def _ngo(name: str, acronym: str) -> tuple:
	references = ((f"{acronym}/SE/%(n)s/%(y)s", 3),) if acronym else ()
	return name, references, 200


def _governorates() -> list[tuple]:
	provinces = {name: de_form for name, de_form, _ in PROVINCES}
	return [
		(
			f"Gouvernorat de la Province {provinces[name]}",
			((f"N°%(n)s/CAB/GP/{name[:3].upper()}/%(y)s", 4),),
			1200,
		)
		for name in GOVERNED_PROVINCES
	]


def _communities() -> list[tuple]:
	return [(f"Comité des riverains de {site}", (), 0) for site in COMMUNITY_SITES]


def _cooperatives(rng: random.Random, count: int) -> list[tuple]:
	pairs = rng.sample([(n, p) for n in COOPERATIVE_NAMES for p in COOPERATIVE_PLACES], count)
	records = []
	for name, place in pairs:
		kind = rng.choice(COOPERATIVE_KINDS)
		acronym = "COOP-" + "".join(w[0] for w in name.split()).upper() + place[:3].upper()
		records.append((f"{kind} {name} de {place}", ((f"{acronym}/PRES/%(n)s/%(y)s", 3),), 150))
	return records


def _law_firms(rng: random.Random, count: int) -> list[tuple]:
	records = []
	for a, b in zip(rng.sample(SURNAMES, count), rng.sample(SURNAMES, count), strict=True):
		if a == b:
			continue
		name = rng.choice(
			(
				f"Cabinet {a} & Associés",
				f"Cabinet {a}, {b} & Partners",
				f"{a} {b} Avocats",
				f"Cabinet Maître {rng.choice(MALE_FIRST_NAMES)} {a}, avocat au Barreau de {rng.choice(BARS)}",
			)
		)
		records.append((name, ((f"N/Réf. {a[0]}{b[0]}/%(n)s/%(y)s", 3),), 300))
	return records


def _people(rng: random.Random, count: int) -> list[tuple]:
	people = {}  # a dict keeps the drawing order, unlike a set
	while len(people) < count:
		surname, postname = rng.sample(SURNAMES, 2)
		if rng.random() < 0.72:
			first, title = rng.choice(MALE_FIRST_NAMES), rng.choice(MALE_TITLES)
		else:
			first, title = rng.choice(FEMALE_FIRST_NAMES), rng.choice(FEMALE_TITLES)
		people[f"{title} {first} {surname.upper()} {postname.upper()}"] = None
	return [(name, (), 0) for name in people]


# --- Subject helpers ---

FORMATTER = Formatter()
SUBSTANCE_CUM = list(accumulate(weight for _, weight in SUBSTANCE_COMBINATIONS))
TONNAGES = ("50", "120", "250", "400", "600", "1 000", "1 500", "2 500", "5 000", "12 000")


class _Draw:
	"""What one subject's placeholders are drawn from: the generator, the year, the minerals."""

	def __init__(self, rng: random.Random, year: int, companies: list[tuple]):
		self.rng = rng
		self.year = year
		self.companies = companies
		self.substances = rng.choices(SUBSTANCE_COMBINATIONS, cum_weights=SUBSTANCE_CUM)[0][0]


FILLERS = {
	"pe": lambda d: f"PE {d.rng.randint(100, 15999)}",
	"pr": lambda d: f"PR {d.rng.randint(100, 15999)}",
	"per": lambda d: f"PER {d.rng.randint(100, 1299)}",
	"pepm": lambda d: f"PEPM {d.rng.randint(10, 999)}",
	"subst": lambda d: _with_article(d.substances, PARTITIVE),
	"le_subst": lambda d: _with_article(d.substances, DEFINITE),
	"d_subst": lambda d: _bare(d.substances),
	"site": lambda d: d.rng.choice(SITES),
	"site2": lambda d: d.rng.choice(SITES),
	"ville": lambda d: d.rng.choice(CITIES),
	"ville2": lambda d: d.rng.choice(CITIES),
	"territoire": lambda d: d.rng.choice(TERRITORIES),
	"riviere": lambda d: d.rng.choice(RIVERS),
	"prov": lambda d: _mining_province(d.rng)[1],
	"prov_name": lambda d: _mining_province(d.rng)[0],
	"month": lambda d: d.rng.choice(MONTHS),
	"quarter": lambda d: d.rng.choice(QUARTERS),
	"y": lambda d: str(d.year),
	"yp": lambda d: str(d.year - 1),
	"tonnes": lambda d: d.rng.choice(TONNAGES),
	"sacs": lambda d: str(d.rng.randint(12, 480)),
	"np": lambda d: f"{d.rng.randint(1, 99999):05d}/DGRAD/{d.year}",
	"inv": lambda d: f"{d.year}-{d.rng.randint(1, 2999):04d}",
	"arr": lambda d: f"n° {d.rng.randint(1, 999):04d}/CAB.MIN/MINES/01/{d.rng.choice((d.year, d.year - 1))}",
	"lot": lambda d: f"{d.rng.randint(1, 999):03d}/{d.year}",
	"puits": lambda d: str(d.rng.randint(1, 60)),
	"company": lambda d: d.rng.choice(d.companies)[0],
}


def _fill(template: str, rng: random.Random, year: int, companies: list[tuple]) -> str:
	"""Render one subject, drawing only the placeholders the template uses, in a fixed order."""
	fields = sorted({field for _, field, _, _ in FORMATTER.parse(template) if field})
	if not fields:
		return template
	draw = _Draw(rng, year, companies)
	return template.format(**{field: FILLERS[field](draw) for field in fields})


def _join(parts: list[str]) -> str:
	return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def _with_article(substances: tuple[str, ...], articles: dict[str, str]) -> str:
	"""("cuivre", "cobalt") with PARTITIVE gives "du cuivre et du cobalt"."""
	return _join([articles[SUBSTANCE_KINDS[s]] + s for s in substances])


def _bare(substances: tuple[str, ...]) -> str:
	"""("or",) gives "d'or", as in "concentrés d'or"."""
	return _join([("d'" if SUBSTANCE_KINDS[s] == "v" else "de ") + s for s in substances])


def _mining_province(rng: random.Random) -> tuple[str, str, str]:
	"""Mostly the mining heartland, sometimes any province."""
	if rng.random() < 0.75:
		return PROVINCES_BY_NAME[rng.choice(MINING_PROVINCES)]
	return rng.choice(PROVINCES)


# --- PDF ---


def build_pdf(title: str, lines: list[str]) -> bytes:
	"""A valid one-page A4 PDF (Helvetica, WinAnsiEncoding) with a bold title and wrapped lines."""
	stream = _content_stream(title, lines)
	bodies = [
		b"<< /Type /Catalog /Pages 2 0 R >>",
		b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >>"
		b" /Contents 6 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT),
		b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
	]
	out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets = []
	for number, body in enumerate(bodies, 1):
		offsets.append(len(out))
		out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
	xref = len(out)
	out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
	out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
	out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
	return bytes(out)


def _content_stream(title: str, lines: list[str]) -> bytes:
	"""Text operators: the title in bold, then the lines, wrapped and cut to fit one page."""
	title_lines = _wrap(title, TITLE_WRAP) or [""]
	body_lines = [wrapped for line in lines for wrapped in (_wrap(line, BODY_WRAP) or [""])]
	room = (PAGE_HEIGHT - 2 * PAGE_MARGIN - len(title_lines) * (TITLE_SIZE + 4)) // (BODY_SIZE + 4) - 1
	if len(body_lines) > room:
		body_lines = [*body_lines[: max(room - 1, 0)], "[...]"]
	parts = [b"BT", b"/F2 %d Tf" % TITLE_SIZE, b"%d TL" % (TITLE_SIZE + 4)]
	parts.append(b"%d %d Td" % (PAGE_MARGIN, PAGE_HEIGHT - PAGE_MARGIN - TITLE_SIZE))
	parts += [b"(%s) Tj T*" % _pdf_string(line) for line in title_lines]
	parts += [b"/F1 %d Tf" % BODY_SIZE, b"%d TL" % (BODY_SIZE + 4), b"T*"]
	parts += [b"(%s) Tj T*" % _pdf_string(line) for line in body_lines]
	parts.append(b"ET")
	return b"\n".join(parts)


def _wrap(text: str, width: int) -> list[str]:
	text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(text or ""))
	return textwrap.wrap(text, width) if text.strip() else []


def _pdf_string(text: str) -> bytes:
	"""Text as a PDF literal string body: WinAnsi bytes with \\, ( and ) escaped."""
	encoded = _winansi(text)
	return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _winansi(text: str) -> bytes:
	"""Encode for WinAnsiEncoding (cp1252); other characters lose their accents or become "?"."""
	try:
		return text.encode("cp1252")
	except UnicodeEncodeError:
		pass
	out = []
	for ch in text:
		try:
			out.append(ch.encode("cp1252"))
		except UnicodeEncodeError:
			out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore") or b"?")
	return b"".join(out)
