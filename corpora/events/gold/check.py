"""Validate the lagebild PLOVER gold set and print counts.

Usage: python check.py [PART ...]   (any cwd; PART is a sub-folder such as tune, test, test2;
                                    without PART every part is checked and counted together)
Checks, for every NN-slug.events.json next to its NN-slug.txt:
  * the JSON has exactly the documented keys and value types;
  * "evidence" is an exact substring of the article, on a single line;
  * every word of "trigger" occurs in the evidence;
  * type / mode / role / date_granularity come from the allowed sets; country is ISO-like or null;
  * "published" agrees with a date written in the article text;
  * the evidence is not taken from page furniture marked as teaser ("Lesen Sie auch", "Mehr zum Thema", ...).
Prints events per type, per mode, negated, and a few construction counts.
"""
import collections, datetime, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE", "DEMAND",
         "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "FIGHT"]
MODES = {"happened", "planned", "hypothetical", "demanded"}
ROLES = {"GOV", "MIL", "POL", "REB", "OPP", "PTY", "LEG", "JUD", "MED", "BUS", "LAB", "CVL", "NGO", "IGO",
         "REL", "EDU", "UAF", "CRM", "SPY", "AGR", "REF"}
GRAN = {"day", "week", "month", "year", None}
EVENT_KEYS = {"type", "source", "target", "evidence", "trigger", "negated", "mode", "date", "date_granularity",
              "location", "attribution"}
ACTOR_KEYS = {"name", "alt", "country", "role"}
ABBR = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]
TEASER = re.compile(r"^(Lesen Sie auch|Mehr zum Thema|Mehr zu diesem Thema|Zum Thema|Auch interessant|Das könnte Sie|►|Newsletter)")


def date_forms(d):
    y, m, dd = d.year, d.month, d.day
    return {f"{dd:02d}.{m:02d}.{y}", f"{dd}.{m}.{y}", f"{dd:02d}/{m:02d}/{y}", f"{y}-{m:02d}-{dd:02d}",
            f"{dd}. {MONTHS[m-1]} {y}", f"{dd:02d}. {MONTHS[m-1]} {y}", f"{dd:02d}.{m:02d}.{str(y)[2:]}", f"{dd}. {m}. {y}", f"{dd}. {ABBR[m-1]} {y}", f"{dd:02d}. {ABBR[m-1]} {y}"}


def check_actor(a, where, errs, text=None):
    if a is None:
        return
    if set(a) != ACTOR_KEYS:
        errs.append(f"{where}: actor keys {sorted(a)}")
        return
    if not a["name"] or not isinstance(a["alt"], list):
        errs.append(f"{where}: bad name/alt")
    if a["country"] is not None and not re.fullmatch(r"[A-Z]{3}", a["country"]):
        errs.append(f"{where}: bad country {a['country']}")
    if a["role"] not in ROLES:
        errs.append(f"{where}: bad role {a['role']}")
    if text is not None and not any(n and n in text for n in [a["name"]] + a["alt"]):
        errs.append(f"{where}: neither name nor any alt of {a['name']!r} occurs in the article")


PARTICLES = {"zu", "ab", "an", "auf", "aus", "ein", "fest", "frei", "vor", "zurück", "zusammen", "hinter"}
LIGHT_NOUNS = re.compile(r"Sanktionen|Gespräch|Informationen|Daten|Ultimatum|Feuer|Ermittlungen|Untersuchung|Angebot|"
                         r"Warnstreik|Kundgebung|Großkundgebung|Großdemonstration|Alarmbereitschaft|Strafmaßnahmen|"
                         r"Wirtschaftssanktionen|Freilassung|Militärmanöver|Militärübungen|Obergrenze|Zugeständnisse|"
                         r"Kompromisse|Rücktritt|Verständnis|Ausgangssperre|Hilfsflüge|Übung|Streifen|Marinemission|Druck")
SUBORD = re.compile(r"\b(nachdem|wenn|falls|sollte|Sollte|der|die|das|dass|sobald)\b")


def print_constructions(files):
    """Heuristic construction profile (see README: these counts are computed, not hand-tagged)."""
    c = collections.Counter()
    for jf in files:
        evs = json.loads(jf.read_text(encoding="utf-8"))["events"]
        by_src = collections.defaultdict(set); by_tgt = collections.defaultdict(set)
        for e in evs:
            by_src[(e["type"], e["evidence"], e["trigger"])].add(e["source"]["name"])
            by_tgt[(e["type"], e["evidence"], e["source"]["name"])].add(e["target"]["name"] if e["target"] else None)
        for e in evs:
            ev, trig = e["evidence"], e["trigger"].split()
            if len(by_src[(e["type"], ev, e["trigger"])]) > 1: c["coordinated sources (one event per actor)"] += 1
            if len(by_tgt[(e["type"], ev, e["source"]["name"])]) > 1: c["coordinated targets (one event per target)"] += 1
            if re.search(r"\b(wurden?|worden)\b", ev) and any(w in ("wurde", "wurden", "worden") or w.startswith("ge") or w.endswith("t") for w in trig):
                c["passive (werden + participle)"] += 1
            if len(trig) >= 2 and trig[-1] in PARTICLES: c["separable verb (split particle)"] += 1
            if LIGHT_NOUNS.search(e["trigger"]): c["light-verb / noun+verb trigger"] += 1
            if len(trig) == 1 and trig[0][:1].isupper(): c["nominal event (noun trigger)"] += 1
            if e["source"]["name"] not in ev: c["source named by alias/role noun/pronoun in evidence"] += 1
            if e["attribution"]: c["attributed (reported speech / 'nach Angaben')"] += 1
            if e["negated"]: c["negated"] += 1
            if e["mode"] != "happened": c[f"mode {e['mode']}"] += 1
            if e["date"]: c["resolved date"] += 1
            if e["target"] is None: c["no target"] += 1
    print("constructions (heuristic):")
    for k, v in sorted(c.items()):
        print(f"  {k:55s} {v:4d}")


def main():
    errs = []
    per_type = collections.Counter(); per_mode = collections.Counter(); neg = 0; n_ev = 0
    with_target = 0; with_attr = 0; with_date = 0; gran = collections.Counter()
    parts = sys.argv[1:]
    for part in parts:
        if not (ROOT / part).is_dir():
            print(f"no such part: {part}"); sys.exit(2)
    files = sorted(f for f in ROOT.glob("*/[0-9]*-*.events.json") if not parts or f.parent.name in parts)
    for jf in files:
        doc = json.loads(jf.read_text(encoding="utf-8"))
        txt_path = jf.parent / doc["article"]
        if jf.name != doc["article"].replace(".txt", ".events.json") or not txt_path.exists():
            errs.append(f"{jf.name}: article file mismatch/missing"); continue
        text = txt_path.read_text(encoding="utf-8")
        lines = text.split("\n")
        pub = datetime.datetime.fromisoformat(doc["published"])
        if pub.tzinfo is None:
            errs.append(f"{jf.name}: published without timezone")
        if not any(f in text for f in date_forms(pub.date())):
            errs.append(f"{jf.name}: published date {pub.date()} not found in article text")
        wc = len(text.split())
        if not 110 <= wc <= 420:
            errs.append(f"{jf.name}: {wc} words")
        for k, ev in enumerate(doc["events"]):
            where = f"{jf.name}#{k}"
            if set(ev) != EVENT_KEYS:
                errs.append(f"{where}: keys {sorted(ev)}"); continue
            n_ev += 1
            if ev["type"] not in TYPES: errs.append(f"{where}: type {ev['type']}")
            if ev["mode"] not in MODES: errs.append(f"{where}: mode {ev['mode']}")
            if not isinstance(ev["negated"], bool): errs.append(f"{where}: negated not bool")
            check_actor(ev["source"], where + ".source", errs, text)
            if ev["source"] is None: errs.append(f"{where}: source is null")
            check_actor(ev["target"], where + ".target", errs, text)
            evid = ev["evidence"]
            if "\n" in evid or evid not in text:
                errs.append(f"{where}: evidence not an exact single-line substring: {evid!r}")
            else:
                line = next(l for l in lines if evid in l)
                if TEASER.match(line.strip()):
                    errs.append(f"{where}: evidence comes from a teaser line")
            low = evid.lower()
            for w in ev["trigger"].split():
                if w.lower() not in low:
                    errs.append(f"{where}: trigger word {w!r} not in evidence")
            if ev["date_granularity"] not in GRAN: errs.append(f"{where}: granularity {ev['date_granularity']}")
            if (ev["date"] is None) != (ev["date_granularity"] is None):
                errs.append(f"{where}: date/granularity must both be null or both set")
            if ev["date"]:
                fmt = {"day": r"\d{4}-\d\d-\d\d", "week": r"\d{4}-\d\d-\d\d", "month": r"\d{4}-\d\d", "year": r"\d{4}"}
                if not re.fullmatch(fmt[ev["date_granularity"]], ev["date"]):
                    errs.append(f"{where}: date {ev['date']} does not fit granularity {ev['date_granularity']}")
                elif ev["date_granularity"] == "week" and datetime.date.fromisoformat(ev["date"]).weekday() != 0:
                    errs.append(f"{where}: week dates must be the Monday of the week")
                with_date += 1
            gran[ev["date_granularity"]] += 1
            per_type[ev["type"]] += 1; per_mode[ev["mode"]] += 1; neg += ev["negated"]
            with_target += ev["target"] is not None; with_attr += ev["attribution"] is not None
    print(f"articles: {len(files)}   events: {n_ev}")
    print_constructions(files)
    print("per type:")
    for t in TYPES:
        flag = "" if per_type[t] >= 5 else "   <-- fewer than 5"
        print(f"  {t:12s} {per_type[t]:4d}{flag}")
    print("per mode:", dict(per_mode))
    print(f"negated: {neg}   with target: {with_target}   with attribution: {with_attr}   with date: {with_date}")
    print("date granularity:", {str(k): v for k, v in gran.items()})
    if errs:
        print(f"\n{len(errs)} PROBLEMS:"); print("\n".join(errs)); sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
