#!/usr/bin/env python3
"""Write data/gazetteer/regions.tsv: world regions, macro-regions and major physical features.

Usage:  python3 data/build/regions.py [OUT]      (OUT defaults to data/gazetteer/regions.tsv)

Standard library only; the data is in this file, the output is deterministic.
Columns: name, aliases (|-separated), kind (region|feature), latitude, longitude,
countries (|-separated ISO 3166-1 alpha-2 codes, may be empty).
Coordinates are rough centres (one decimal), good enough for a map pin, not for geometry.

Inclusion rules (also in data/README.md):

 A. UN M49 (UN Statistics Division, "Standard country or area codes for statistical use",
    https://unstats.un.org/unsd/methodology/m49/): every region, sub-region and intermediate
    region under its English M49 name, with its member areas as `countries`. Aliases are the
    usual English news forms ("East Asia" for "Eastern Asia", "Latin America", ...). Africa,
    Asia, Europe, Oceania and South America also appear in continents.tsv; they are repeated
    here because this file carries their member countries. Kosovo (XK) and Taiwan (TW), which
    M49 does not list separately, are put in Southern Europe and Eastern Asia.
 B. Macro-regions and territories that are not sovereign states but are commonly used in
    English-language international news (Middle East, Balkans, Caucasus, Sahel, Gaza Strip,
    West Bank, Crimea, Donbas, Kashmir, Tibet, Siberia, ...). Chosen by the maintainers; every
    entry has an English Wikipedia article under its name or an alias. Additions welcome with a
    citation showing the name in international news usage.
 C. English exonyms for first-level subdivisions whose ISO 3166-2 name in subdivisions.tsv is
    in the local language or romanisation (Bavaria for "Bayern", Chechnya for "Chechenskaya
    Respublika", Sichuan for "Sichuan Sheng"): the Chinese provinces and autonomous regions,
    the Russian republics most named in the news, and the German, Italian, Spanish, French and
    Belgian regions whose English name differs from the ISO one.
 D. Physical features (kind=feature): the five oceans and the seas, gulfs, straits, canals,
    rivers, lakes, deserts, mountain ranges, peninsulas and islands most often named in
    English-language international news. Chosen by the maintainers; same rule for additions.
 E. Former states of the 20th century still routinely named in news (Soviet Union,
    Yugoslavia, Czechoslovakia, East and West Germany, Ottoman Empire), kind=region, with the
    present-day countries on their territory as `countries`.
"""
import os
import sys

# --- A. UN M49 -----------------------------------------------------------------------------
AFR_N = "DZ EG LY MA SD TN EH"
AFR_E = "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW"
AFR_M = "AO CM CF TD CG CD GQ GA ST"
AFR_S = "BW SZ LS NA ZA"
AFR_W = "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"
CARIB = "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI"
C_AM = "BZ CR SV GT HN MX NI PA"
S_AM = "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"
N_AM = "BM CA GL PM US"
AS_C = "KZ KG TJ TM UZ"
AS_E = "CN HK MO KP JP MN KR TW"
AS_SE = "BN KH ID LA MY MM PH SG TH TL VN"
AS_S = "AF BD BT IN IR MV NP PK LK"
AS_W = "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"
EU_E = "BY BG CZ HU PL MD RO RU SK UA"
EU_N = "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"
EU_S = "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK"
EU_W = "AT BE FR DE LI LU MC NL CH"
OC_ANZ = "AU CX CC HM NZ NF"
OC_MEL = "FJ NC PG SB VU"
OC_MIC = "GU KI MH FM NR MP PW UM"
OC_POL = "AS CK PF NU PN WS TK TO TV WF"


def j(*groups):
    return " ".join(groups)


M49 = [
    # name, aliases, lat, lon, members
    ("Africa", "", 7.2, 21.1, j(AFR_N, AFR_E, AFR_M, AFR_S, AFR_W)),
    ("Northern Africa", "North Africa", 26.0, 17.0, AFR_N),
    ("Sub-Saharan Africa", "sub-Saharan Africa|Subsaharan Africa", -2.0, 22.0, j(AFR_E, AFR_M, AFR_S, AFR_W)),
    ("Eastern Africa", "East Africa", -5.0, 37.0, AFR_E),
    ("Middle Africa", "Central Africa", 0.0, 18.0, AFR_M),
    ("Southern Africa", "", -26.0, 24.0, AFR_S),
    ("Western Africa", "West Africa", 12.0, -3.0, AFR_W),
    ("Americas", "", 15.0, -80.0, j(CARIB, C_AM, S_AM, N_AM)),
    ("Latin America and the Caribbean", "Latin America|Latin America & the Caribbean", -10.0, -65.0, j(CARIB, C_AM, S_AM)),
    ("Caribbean", "West Indies", 17.0, -72.0, CARIB),
    ("Central America", "", 14.0, -87.0, C_AM),
    ("South America", "", -15.0, -60.0, S_AM),
    ("Northern America", "", 45.0, -100.0, N_AM),
    ("Asia", "", 29.8, 89.3, j(AS_C, AS_E, AS_SE, AS_S, AS_W)),
    ("Central Asia", "", 43.0, 65.0, AS_C),
    ("Eastern Asia", "East Asia", 35.0, 115.0, AS_E),
    ("South-eastern Asia", "Southeast Asia|South-East Asia|South East Asia|Southeastern Asia|South-Eastern Asia", 5.0, 110.0, AS_SE),
    ("Southern Asia", "South Asia", 25.0, 75.0, AS_S),
    ("Western Asia", "West Asia", 30.0, 45.0, AS_W),
    ("Europe", "", 48.7, 9.1, j(EU_E, EU_N, EU_S, EU_W)),
    ("Eastern Europe", "East Europe", 52.0, 30.0, EU_E),
    ("Northern Europe", "North Europe", 60.0, 10.0, EU_N),
    ("Channel Islands", "", 49.4, -2.4, "GG JE"),
    ("Southern Europe", "South Europe", 41.0, 15.0, EU_S),
    ("Western Europe", "West Europe", 48.0, 6.0, EU_W),
    ("Oceania", "", -18.3, 138.5, j(OC_ANZ, OC_MEL, OC_MIC, OC_POL)),
    ("Australia and New Zealand", "Australasia", -30.0, 145.0, OC_ANZ),
    ("Melanesia", "", -9.0, 160.0, OC_MEL),
    ("Micronesia", "", 8.0, 155.0, OC_MIC),
    ("Polynesia", "", -15.0, -160.0, OC_POL),
]

ME = "BH CY EG IR IQ IL JO KW LB OM PS QA SA SY TR AE YE"

# --- B. macro-regions and territories --------------------------------------------------------
REGIONS = [
    ("Middle East", "Mideast|Mid-East", 29.0, 42.0, ME),
    ("Near East", "", 33.0, 38.0, "EG IL JO LB PS SY TR IQ"),
    ("Far East", "", 35.0, 120.0, "CN JP KP KR MN TW HK MO"),
    ("Middle East and North Africa", "MENA|Middle East & North Africa", 27.0, 25.0, j(ME, "DZ LY MA TN")),
    ("Levant", "", 33.5, 36.0, "LB SY IL PS JO"),
    ("Mashriq", "Mashreq", 32.5, 38.0, "EG IQ JO LB PS SY"),
    ("Maghreb", "Maghrib", 32.0, 2.0, "DZ LY MA MR TN EH"),
    ("Gulf", "", 25.5, 51.0, "BH KW OM QA SA AE"),
    ("Sahel", "", 15.0, 5.0, "BF TD ML MR NE SN"),
    ("Horn of Africa", "", 8.0, 45.0, "DJ ER ET SO"),
    ("African Great Lakes", "", -2.0, 30.0, "BI CD KE RW TZ UG"),
    ("Southern Cone", "", -35.0, -63.0, "AR CL UY PY"),
    ("Patagonia", "", -45.0, -69.0, "AR CL"),
    ("Balkans", "", 43.0, 21.0, "AL BA BG HR GR XK ME MK RO RS SI"),
    ("Western Balkans", "", 42.5, 20.0, "AL BA XK ME MK RS"),
    ("Southeast Europe", "South-East Europe|Southeastern Europe|South-Eastern Europe", 43.0, 22.0, "AL BA BG HR GR XK ME MK RO RS SI MD"),
    ("Central Europe", "", 50.0, 15.0, "AT CZ DE HU PL SK SI CH LI"),
    ("Central and Eastern Europe", "", 50.0, 22.0, "BY BG CZ HU PL MD RO RU SK UA EE LV LT"),
    ("Caucasus", "Caucasia", 42.5, 44.5, "AM AZ GE RU"),
    ("North Caucasus", "Northern Caucasus", 43.3, 45.0, "RU"),
    ("South Caucasus", "Transcaucasia|Southern Caucasus", 41.0, 45.0, "AM AZ GE"),
    ("Scandinavia", "", 63.0, 15.0, "DK NO SE"),
    ("Nordic countries", "Nordics", 63.0, 15.0, "DK FI IS NO SE"),
    ("Baltic states", "Baltics", 57.0, 24.0, "EE LV LT"),
    ("Benelux", "", 51.0, 5.0, "BE NL LU"),
    ("British Isles", "", 54.0, -4.0, "GB IE IM"),
    ("Eurasia", "", 50.0, 80.0, ""),
    ("Asia-Pacific", "Asia Pacific|APAC", 10.0, 120.0, ""),
    ("Indo-Pacific", "Indo Pacific", 0.0, 100.0, ""),
    ("Indian subcontinent", "", 22.0, 78.0, "IN PK BD NP BT LK"),
    ("Indochina", "", 15.0, 105.0, "KH LA VN"),
    ("Arctic", "", 80.0, 0.0, ""),
    ("Anatolia", "Asia Minor", 39.0, 35.0, "TR"),
    ("Kurdistan", "", 37.0, 43.5, "IQ IR SY TR"),
    ("Iraqi Kurdistan", "Kurdistan Region|Kurdistan Region of Iraq|KRI", 36.2, 44.0, "IQ"),
    ("Rojava", "Autonomous Administration of North and East Syria|AANES", 36.5, 40.5, "SY"),
    ("Eastern Ghouta", "East Ghouta|Ghouta", 33.55, 36.45, "SY"),
    ("Gaza Strip", "Gaza", 31.4, 34.4, "PS"),
    ("West Bank", "Judea and Samaria", 31.9, 35.2, "PS"),
    ("Golan Heights", "Golan", 33.0, 35.8, "SY IL"),
    ("Anbar", "Al Anbar|al-Anbar", 33.4, 42.0, "IQ"),
    ("Nineveh", "Ninawa|Nineveh Plains", 36.3, 42.5, "IQ"),
    ("Cyrenaica", "Barqa", 31.0, 22.0, "LY"),
    ("Tripolitania", "", 31.0, 13.5, "LY"),
    ("Fezzan", "", 26.0, 14.0, "LY"),
    ("Darfur", "", 13.5, 24.0, "SD"),
    ("Kordofan", "South Kordofan|North Kordofan", 12.5, 30.0, "SD"),
    ("Tigray", "Tigrai", 14.0, 39.0, "ET"),
    ("Amhara", "", 11.5, 38.0, "ET"),
    ("Ogaden", "", 7.0, 44.0, "ET"),
    ("Somaliland", "", 9.5, 46.0, "SO"),
    ("Puntland", "", 8.5, 49.0, "SO"),
    ("Jubaland", "", 0.5, 42.0, "SO"),
    ("North Kivu", "Nord-Kivu", -0.8, 29.0, "CD"),
    ("South Kivu", "Sud-Kivu", -3.0, 28.3, "CD"),
    ("Azawad", "", 19.0, 0.0, "ML"),
    ("Crimea", "Crimean Peninsula|Republic of Crimea|Autonomous Republic of Crimea", 45.3, 34.4, "UA"),
    ("Donbas", "Donbass|Donets Basin", 48.0, 38.5, "UA"),
    ("Donetsk People's Republic", "DPR|DNR", 48.0, 37.8, "UA"),
    ("Luhansk People's Republic", "Lugansk People's Republic|LPR|LNR", 48.6, 39.3, "UA"),
    ("Transnistria", "Transdniestria|Transdniester|Trans-Dniester|Pridnestrovie", 47.2, 29.4, "MD"),
    ("Abkhazia", "", 43.0, 41.0, "GE"),
    ("South Ossetia", "Tskhinvali Region", 42.3, 44.0, "GE"),
    ("Nagorno-Karabakh", "Karabakh|Nagorno Karabakh|Nagorny Karabakh|Artsakh", 39.8, 46.7, "AZ"),
    ("Northern Cyprus", "Turkish Republic of Northern Cyprus|TRNC|North Cyprus", 35.3, 33.6, "CY"),
    ("Siberia", "", 60.0, 100.0, "RU"),
    ("Russian Far East", "", 55.0, 140.0, "RU"),
    ("Urals", "", 58.0, 60.0, "RU"),
    ("Kashmir", "Jammu and Kashmir", 34.0, 76.0, "IN PK"),
    ("Ladakh", "", 34.2, 77.6, "IN"),
    ("Balochistan", "Baluchistan", 28.5, 65.0, "PK IR"),
    ("Waziristan", "North Waziristan|South Waziristan", 32.5, 69.8, "PK"),
    ("Federally Administered Tribal Areas", "FATA", 33.0, 70.5, "PK"),
    ("Tibet", "Tibet Autonomous Region|Xizang", 31.0, 88.0, "CN"),
    ("Xinjiang", "Xinjiang Uyghur Autonomous Region|Xinjiang Uygur Autonomous Region|East Turkestan|East Turkistan", 41.0, 85.0, "CN"),
    ("Inner Mongolia", "Nei Mongol|Inner Mongolia Autonomous Region", 44.0, 113.0, "CN"),
    ("Guangxi", "Guangxi Zhuang Autonomous Region", 23.8, 108.8, "CN"),
    ("Ningxia", "Ningxia Hui Autonomous Region", 37.3, 106.2, "CN"),
    ("West Papua", "Western New Guinea", -4.0, 138.0, "ID"),
    ("Midwest", "Middle West", 42.0, -90.0, "US"),
    ("New England", "", 44.0, -71.5, "US"),
    ("Pacific Northwest", "", 46.0, -121.0, "US"),
]

# --- C. English exonyms for first-level subdivisions ----------------------------------------
# Chinese provinces: ISO name "<X> Sheng" -> English "<X>" (derived, see main()); the
# autonomous regions (Tibet, Xinjiang, Inner Mongolia, Guangxi, Ningxia) are listed in B.
CN_PROVINCES = {
    # iso code: (lat, lon)
    "CN-AH": (31.8, 117.2), "CN-FJ": (26.1, 118.0), "CN-GD": (23.3, 113.4), "CN-GS": (37.8, 101.0),
    "CN-GZ": (26.8, 106.9), "CN-HA": (33.9, 113.6), "CN-HB": (30.9, 112.3), "CN-HE": (38.6, 115.6),
    "CN-HI": (19.2, 109.7), "CN-HL": (47.9, 127.8), "CN-HN": (27.6, 111.7), "CN-JL": (43.7, 126.2),
    "CN-JS": (32.9, 119.5), "CN-JX": (27.6, 115.7), "CN-LN": (41.3, 122.6), "CN-QH": (35.7, 96.0),
    "CN-SC": (30.6, 102.7), "CN-SD": (36.3, 118.2), "CN-SN": (35.2, 108.9), "CN-SX": (37.6, 112.3),
    "CN-YN": (24.9, 101.5), "CN-ZJ": (29.2, 120.1),
}
CN_PROVINCE_NAMES = {  # ISO name -> English (transcribed from subdivisions.tsv; "Taiwan Sheng" excluded)
    "CN-AH": "Anhui", "CN-FJ": "Fujian", "CN-GD": "Guangdong", "CN-GS": "Gansu", "CN-GZ": "Guizhou",
    "CN-HA": "Henan", "CN-HB": "Hubei", "CN-HE": "Hebei", "CN-HI": "Hainan", "CN-HL": "Heilongjiang",
    "CN-HN": "Hunan", "CN-JL": "Jilin", "CN-JS": "Jiangsu", "CN-JX": "Jiangxi", "CN-LN": "Liaoning",
    "CN-QH": "Qinghai", "CN-SC": "Sichuan", "CN-SD": "Shandong", "CN-SN": "Shaanxi", "CN-SX": "Shanxi",
    "CN-YN": "Yunnan", "CN-ZJ": "Zhejiang",
}

EXONYMS = [
    # Russia (ISO: "Chechenskaya Respublika", "Tatarstan, Respublika", ...)
    ("Chechnya", "Chechen Republic|Chechnia", 43.3, 45.7, "RU"),
    ("Dagestan", "Daghestan|Republic of Dagestan", 42.5, 47.0, "RU"),
    ("Ingushetia", "Ingushetiya", 43.2, 45.0, "RU"),
    ("North Ossetia", "North Ossetia-Alania", 43.0, 44.3, "RU"),
    ("Kabardino-Balkaria", "", 43.5, 43.4, "RU"),
    ("Tatarstan", "Republic of Tatarstan", 55.5, 50.5, "RU"),
    ("Bashkortostan", "Bashkiria", 54.5, 56.0, "RU"),
    ("Yakutia", "Sakha Republic", 66.0, 130.0, "RU"),
    ("Buryatia", "", 53.0, 109.0, "RU"),
    ("Tuva", "Tyva", 51.7, 94.5, "RU"),
    ("Karelia", "Republic of Karelia", 63.0, 33.0, "RU"),
    ("Chukotka", "", 66.0, 171.0, "RU"),
    ("Kamchatka", "Kamchatka Peninsula|Kamchatka Krai", 56.0, 160.0, "RU"),
    ("Primorye", "Primorsky Krai", 45.0, 134.0, "RU"),
    # Germany (ISO names in German)
    ("Bavaria", "", 48.8, 11.5, "DE"),
    ("Saxony", "", 51.0, 13.3, "DE"),
    ("Lower Saxony", "", 52.6, 9.8, "DE"),
    ("Saxony-Anhalt", "", 52.0, 11.7, "DE"),
    ("North Rhine-Westphalia", "North Rhine Westphalia|NRW", 51.5, 7.5, "DE"),
    ("Rhineland-Palatinate", "", 49.9, 7.4, "DE"),
    ("Hesse", "", 50.6, 9.0, "DE"),
    ("Thuringia", "", 50.9, 11.0, "DE"),
    ("Mecklenburg-Western Pomerania", "Mecklenburg-Vorpommern", 53.6, 12.5, "DE"),
    # Italy
    ("Sicily", "", 37.6, 14.2, "IT"),
    ("Sardinia", "", 40.1, 9.0, "IT"),
    ("Lombardy", "", 45.6, 9.8, "IT"),
    ("Tuscany", "", 43.4, 11.1, "IT"),
    ("Piedmont", "", 45.1, 7.9, "IT"),
    ("Apulia", "", 41.0, 16.5, "IT"),
    # Spain
    ("Catalonia", "Catalunya", 41.8, 1.5, "ES"),
    ("Andalusia", "Andalucia", 37.5, -4.5, "ES"),
    ("Basque Country", "Euskadi", 43.0, -2.6, "ES"),
    # France
    ("Brittany", "", 48.2, -2.9, "FR"),
    ("Normandy", "", 49.1, 0.1, "FR"),
    ("Corsica", "", 42.2, 9.1, "FR"),
    ("Provence", "", 43.9, 6.0, "FR"),
    ("Alsace", "", 48.3, 7.4, "FR"),
    # Belgium
    ("Flanders", "Flemish Region", 51.0, 4.2, "BE"),
    ("Wallonia", "Walloon Region", 50.4, 4.8, "BE"),
]

# --- E. former states ------------------------------------------------------------------------
FORMER = [
    ("Soviet Union", "USSR|U.S.S.R.|Union of Soviet Socialist Republics", 60.0, 90.0,
     "AM AZ BY EE GE KZ KG LV LT MD RU TJ TM UA UZ"),
    ("Yugoslavia", "Socialist Federal Republic of Yugoslavia|SFRY", 44.0, 19.0,
     "BA HR XK ME MK RS SI"),
    ("Czechoslovakia", "", 49.5, 17.0, "CZ SK"),
    ("East Germany", "German Democratic Republic|GDR", 52.0, 12.5, "DE"),
    ("West Germany", "", 50.5, 8.5, "DE"),
    ("Ottoman Empire", "", 39.0, 35.0, "TR"),
]

# --- D. physical features --------------------------------------------------------------------
FEATURES = [
    # oceans and seas
    ("Atlantic Ocean", "Atlantic", 0.0, -30.0, ""),
    ("Pacific Ocean", "Pacific", 0.0, -160.0, ""),
    ("Indian Ocean", "", -20.0, 80.0, ""),
    ("Arctic Ocean", "", 85.0, 0.0, ""),
    ("Southern Ocean", "", -60.0, 90.0, ""),
    ("Mediterranean Sea", "Mediterranean", 35.0, 18.0, ""),
    ("Black Sea", "", 43.5, 34.0, "BG GE RO RU TR UA"),
    ("Caspian Sea", "Caspian", 41.5, 50.5, "AZ IR KZ RU TM"),
    ("Red Sea", "", 20.0, 38.5, "DJ EG ER SA SD YE"),
    ("Baltic Sea", "Baltic", 58.0, 20.0, "DE DK EE FI LT LV PL RU SE"),
    ("North Sea", "", 56.0, 3.0, "BE DE DK GB NL NO"),
    ("Norwegian Sea", "", 68.0, 4.0, "NO"),
    ("Barents Sea", "", 75.0, 40.0, "NO RU"),
    ("Bering Sea", "", 58.0, -178.0, "RU US"),
    ("Sea of Okhotsk", "", 55.0, 150.0, "JP RU"),
    ("Sea of Japan", "East Sea", 40.0, 135.0, "JP KP KR RU"),
    ("Yellow Sea", "", 35.0, 123.0, "CN KP KR"),
    ("East China Sea", "", 29.0, 125.0, "CN JP KR TW"),
    ("South China Sea", "", 12.0, 114.0, "BN CN ID MY PH TW VN"),
    ("Arabian Sea", "", 15.0, 65.0, "IN OM PK"),
    ("Aegean Sea", "Aegean", 38.5, 25.0, "GR TR"),
    ("Adriatic Sea", "Adriatic", 43.0, 15.5, "AL BA HR IT ME SI"),
    ("Ionian Sea", "", 38.0, 19.0, "AL GR IT"),
    ("Sea of Marmara", "Marmara Sea", 40.7, 28.2, "TR"),
    ("Sea of Azov", "Azov Sea", 46.0, 36.5, "RU UA"),
    ("Caribbean Sea", "", 15.0, -75.0, ""),
    ("Irish Sea", "", 53.8, -5.0, "GB IE IM"),
    ("Dead Sea", "", 31.5, 35.5, "IL JO PS"),
    ("Sea of Galilee", "Lake Tiberias|Lake Kinneret", 32.8, 35.6, "IL"),
    ("Aral Sea", "", 45.0, 60.0, "KZ UZ"),
    # gulfs and bays
    ("Persian Gulf", "Arabian Gulf", 26.5, 52.0, "AE BH IQ IR KW OM QA SA"),
    ("Gulf of Oman", "", 24.5, 58.5, "AE IR OM"),
    ("Gulf of Aden", "", 12.5, 48.0, "DJ SO YE"),
    ("Gulf of Aqaba", "", 28.8, 34.7, "EG IL JO SA"),
    ("Gulf of Mexico", "Gulf of America", 25.0, -90.0, "CU MX US"),
    ("Gulf of Guinea", "", 2.0, 3.0, ""),
    ("Gulf of Finland", "", 60.0, 26.5, "EE FI RU"),
    ("Gulf of Sidra", "Gulf of Sirte", 31.5, 18.5, "LY"),
    ("Gulf of Thailand", "", 9.5, 102.0, "KH MY TH VN"),
    ("Bay of Bengal", "", 15.0, 88.0, "BD IN LK MM"),
    ("Bay of Biscay", "", 45.0, -4.0, "ES FR"),
    # straits, channels, canals
    ("Strait of Hormuz", "Straits of Hormuz|Hormuz Strait", 26.6, 56.3, "IR OM"),
    ("Bab el-Mandeb", "Bab-el-Mandeb|Bab al-Mandab|Bab el-Mandeb Strait", 12.6, 43.3, "DJ ER YE"),
    ("Bosphorus", "Bosporus|Istanbul Strait", 41.1, 29.1, "TR"),
    ("Dardanelles", "", 40.2, 26.4, "TR"),
    ("Kerch Strait", "", 45.3, 36.5, "RU UA"),
    ("Strait of Gibraltar", "", 36.0, -5.6, "ES MA GI"),
    ("Strait of Malacca", "Malacca Strait|Straits of Malacca", 2.5, 101.5, "ID MY SG"),
    ("Taiwan Strait", "Formosa Strait", 24.0, 119.5, "CN TW"),
    ("Bering Strait", "", 65.8, -169.0, "RU US"),
    ("English Channel", "", 50.2, -1.0, "FR GB"),
    ("Suez Canal", "", 30.5, 32.3, "EG"),
    ("Panama Canal", "", 9.1, -79.7, "PA"),
    # rivers
    ("Nile", "Nile River|River Nile", 15.0, 32.5, "EG SD SS ET UG"),
    ("Euphrates", "Euphrates River|River Euphrates", 35.0, 40.0, "TR SY IQ"),
    ("Tigris", "Tigris River|River Tigris", 34.0, 44.0, "TR SY IQ"),
    ("Jordan River", "River Jordan", 32.0, 35.6, "IL JO PS SY"),
    ("Orontes", "Orontes River", 35.5, 36.4, "LB SY TR"),
    ("Litani River", "Litani", 33.3, 35.5, "LB"),
    ("Danube", "Danube River|River Danube", 45.0, 20.0, "AT BG DE HR HU MD RO RS SK UA"),
    ("Dnieper", "Dnieper River|Dnipro River|Dnepr", 48.0, 34.0, "BY RU UA"),
    ("Dniester", "Dniester River|Dnister", 47.0, 29.0, "MD UA"),
    ("Don River", "River Don", 48.0, 41.0, "RU"),
    ("Volga", "Volga River", 50.0, 45.0, "RU"),
    ("Rhine", "Rhine River|River Rhine", 50.5, 7.5, "CH DE FR NL"),
    ("Thames", "River Thames", 51.5, -0.5, "GB"),
    ("Amazon River", "Amazon", -3.0, -60.0, "BR CO PE"),
    ("Amazon rainforest", "Amazonia", -3.5, -62.0, "BR BO CO EC GY PE SR VE"),
    ("Mississippi River", "", 35.0, -90.0, "US"),
    ("Rio Grande", "", 29.0, -102.0, "MX US"),
    ("Yangtze", "Yangtze River|Chang Jiang", 30.5, 112.0, "CN"),
    ("Yellow River", "Huang He", 36.0, 110.0, "CN"),
    ("Mekong", "Mekong River", 15.0, 105.5, "CN KH LA MM TH VN"),
    ("Ganges", "Ganga|Ganges River", 25.0, 84.0, "BD IN"),
    ("Indus", "Indus River", 28.0, 69.0, "CN IN PK"),
    ("Congo River", "", -2.0, 18.0, "CD CG"),
    ("Niger River", "", 12.0, -2.0, "ML NE NG"),
    ("Amur", "Amur River", 50.0, 130.0, "CN RU"),
    # lakes
    ("Lake Chad", "", 13.0, 14.5, "CM NE NG TD"),
    ("Lake Victoria", "", -1.0, 33.0, "KE TZ UG"),
    ("Lake Baikal", "Baikal", 53.5, 108.0, "RU"),
    ("Lake Geneva", "", 46.5, 6.5, "CH FR"),
    ("Great Lakes", "", 45.0, -84.0, "CA US"),
    # deserts
    ("Sahara", "Sahara Desert", 23.0, 13.0, "DZ EG EH LY MA ML MR NE SD TD TN"),
    ("Gobi", "Gobi Desert", 43.0, 105.0, "CN MN"),
    ("Syrian Desert", "Badia|Badiya", 33.0, 39.0, "IQ JO SA SY"),
    ("Arabian Desert", "", 22.0, 48.0, "SA"),
    ("Negev", "Negev Desert", 30.8, 34.8, "IL"),
    ("Kalahari", "Kalahari Desert", -23.0, 22.0, "BW NA ZA"),
    ("Atacama", "Atacama Desert", -24.0, -69.5, "CL"),
    # mountains
    ("Alps", "", 46.5, 10.0, "AT CH DE FR IT LI SI"),
    ("Himalayas", "Himalaya", 28.0, 84.0, "BT CN IN NP PK"),
    ("Andes", "", -15.0, -70.0, "AR BO CL CO EC PE VE"),
    ("Rocky Mountains", "Rockies", 45.0, -110.0, "CA US"),
    ("Ural Mountains", "", 60.0, 59.5, "RU"),
    ("Caucasus Mountains", "Greater Caucasus", 42.5, 44.0, "AM AZ GE RU"),
    ("Hindu Kush", "", 35.5, 70.5, "AF PK"),
    ("Pamirs", "Pamir|Pamir Mountains", 38.5, 73.0, "AF CN TJ"),
    ("Zagros Mountains", "Zagros", 33.0, 48.0, "IR IQ"),
    ("Qandil Mountains", "Qandil|Mount Qandil", 36.4, 45.2, "IQ"),
    ("Atlas Mountains", "", 31.5, -6.0, "DZ MA TN"),
    ("Carpathians", "Carpathian Mountains", 47.5, 24.5, "CZ PL RO SK UA"),
    ("Pyrenees", "", 42.7, 0.5, "AD ES FR"),
    ("Mount Everest", "Everest", 28.0, 86.9, "CN NP"),
    # peninsulas and islands
    ("Arabian Peninsula", "Arabia", 23.0, 47.0, "AE BH KW OM QA SA YE"),
    ("Korean Peninsula", "", 37.5, 127.5, "KP KR"),
    ("Sinai Peninsula", "Sinai", 29.5, 33.8, "EG"),
    ("Iberian Peninsula", "Iberia", 40.0, -4.0, "AD ES GI PT"),
    ("Kuril Islands", "Kurils|Kuriles|Kurile Islands", 45.5, 148.5, "JP RU"),
    ("Sakhalin", "Sakhalin Island", 50.0, 143.0, "RU"),
    ("Spratly Islands", "Spratlys", 10.0, 114.0, ""),
    ("Paracel Islands", "Paracels|Xisha Islands", 16.5, 112.0, ""),
    ("Senkaku Islands", "Senkakus|Diaoyu Islands|Diaoyutai Islands", 25.8, 123.5, "JP"),
    ("Crete", "", 35.2, 24.9, "GR"),
    ("Lesbos", "Lesvos", 39.2, 26.3, "GR"),
    ("Lampedusa", "", 35.5, 12.6, "IT"),
    ("Canary Islands", "Canaries", 28.3, -16.0, "ES"),
    ("Balearic Islands", "Balearics", 39.5, 3.0, "ES"),
    ("Socotra", "", 12.5, 54.0, "YE"),
    ("Borneo", "", 1.0, 114.0, "BN ID MY"),
    ("Sumatra", "", 0.0, 101.5, "ID"),
    ("Java", "", -7.3, 110.0, "ID"),
    ("Mindanao", "", 8.0, 125.0, "PH"),
    ("Luzon", "", 16.0, 121.0, "PH"),
    # lines and zones
    ("Korean Demilitarized Zone", "Demilitarized Zone|Demilitarised Zone|DMZ", 38.3, 127.0, "KP KR"),
    ("Line of Control", "LoC", 34.5, 74.5, "IN PK"),
]


def fmt(x):
    s = ("%.2f" % x).rstrip("0").rstrip(".")
    if "." not in s:
        s += ".0"
    return "0.0" if s in ("-0.0",) else s


def row(name, aliases, kind, lat, lon, countries):
    codes = countries.split()
    for c in codes:
        assert len(c) == 2 and c.isupper(), (name, c)
    al = [a for a in aliases.split("|") if a]
    for cell in [name] + al:
        assert "\t" not in cell and "|" not in cell and cell == cell.strip(), name
    return "\t".join([name, "|".join(al), kind, fmt(lat), fmt(lon), "|".join(codes)])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(here), "gazetteer", "regions.tsv")
    rows = []
    for name, al, lat, lon, cs in M49:
        rows.append(row(name, al, "region", lat, lon, cs))
    for name, al, lat, lon, cs in REGIONS:
        rows.append(row(name, al, "region", lat, lon, cs))
    for code in sorted(CN_PROVINCES):
        lat, lon = CN_PROVINCES[code]
        eng = CN_PROVINCE_NAMES[code]
        rows.append(row(eng, "", "region", lat, lon, "CN"))
    for name, al, lat, lon, cs in EXONYMS:
        rows.append(row(name, al, "region", lat, lon, cs))
    for name, al, lat, lon, cs in FORMER:
        rows.append(row(name, al, "region", lat, lon, cs))
    for name, al, lat, lon, cs in FEATURES:
        rows.append(row(name, al, "feature", lat, lon, cs))
    names = [r.split("\t")[0] for r in rows]
    dup = sorted({n for n in names if names.count(n) > 1})
    assert not dup, dup
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("name\taliases\tkind\tlatitude\tlongitude\tcountries\n")
        for r in rows:
            f.write(r + "\n")
    print("%s: %d rows, %d bytes" % (out, len(rows), os.path.getsize(out)))


if __name__ == "__main__":
    main()
