"""Build the NN-slug.events.json gold files from the compact annotation sheets (*.ann).

Sheet format (one record per line, fields separated by " | "):
  @ <article file> | <published ISO datetime>
  A <id> | <canonical name> | <alt1; alt2; ...> | <country or -> | <role>
  E <TYPE or !TYPE> | <src id> | <tgt id or -> | <evidence key> | <trigger> | <mode> | <date or -> <gran or -> | <location or -> | <attribution id/text or ->
The evidence key is a verbatim fragment of the article; it is widened to the full sentence
(on its line) that contains it. A leading "!" on the type marks negated=true.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _article(name: str) -> Path:
    """An article lives in tune/ (01-24), test/ (25-45), test2/ (46-70), dev3/ (71-90) or test3/ (91-110)."""
    n = int(name.split("-", 1)[0])
    return ROOT / ("tune" if n <= 24 else "test" if n <= 45 else "test2" if n <= 70 else "dev3" if n <= 90 else "test3") / name

def sentences(line):
    spans, start = [], 0
    for m in re.finditer(r'[.!?][“”"»«)]*\s+(?=[A-ZÄÖÜ„"«»(+])', line):
        before = line[start:m.start()].split()
        last = before[-1] if before else ""
        if re.fullmatch(r'\(?\d+', last) or last in {"Dr", "Nr", "St", "z.B", "u.a", "bzw", "ca", "Prof", "Abs"}:
            continue
        end = m.start() + len(m.group(0).rstrip())
        spans.append((start, end)); start = m.end()
    spans.append((start, len(line.rstrip())))
    return spans

def widen(text, key):
    n = text.count(key)
    if n != 1:
        raise SystemExit(f"evidence key occurs {n}x: {key!r}")
    for line in text.split("\n"):
        i = line.find(key)
        if i < 0: continue
        j = i + len(key)
        ss = sentences(line)
        s = min(a for a, b in ss if b > i)
        e = max(b for a, b in ss if a < j)
        return line[s:e]

def actor(a):
    return None if a is None else {"name": a["name"], "alt": a["alt"], "country": a["country"], "role": a["role"]}

def build(sheet):
    docs, cur = [], None
    for raw in sheet.read_text(encoding="utf-8").split("\n"):
        if not raw.strip() or raw.startswith("#"): continue
        tag, rest = raw[0], raw[1:].strip()
        f = [x.strip() for x in rest.split(" | ")]
        if tag == "@":
            cur = {"file": f[0], "published": f[1], "actors": {}, "events": []}
            cur["text"] = (_article(f[0])).read_text(encoding="utf-8")
            docs.append(cur)
        elif tag == "A":
            aid, name, alts, country, role = f
            cur["actors"][aid] = {"name": name, "alt": [x.strip() for x in alts.split(";") if x.strip() and x.strip() != "-"],
                                  "country": None if country == "-" else country, "role": role}
        elif tag == "E":
            typ, src, tgt, key, trig, mode, date, loc, attr = f
            neg = typ.startswith("!"); typ = typ.lstrip("!")
            d, g = (date.split() + ["-"])[:2]
            if attr == "-": att = None
            elif attr in cur["actors"]: att = cur["actors"][attr]["name"]
            else: att = attr
            cur["events"].append({
                "type": typ,
                "source": actor(cur["actors"][src]),
                "target": None if tgt == "-" else actor(cur["actors"][tgt]),
                "evidence": widen(cur["text"], key),
                "trigger": trig, "negated": neg, "mode": mode,
                "date": None if d == "-" else d, "date_granularity": None if g == "-" else g,
                "location": None if loc == "-" else loc, "attribution": att})
        else:
            raise SystemExit(f"bad line: {raw!r}")
    for doc in docs:
        out = _article(doc["file"]).parent / doc["file"].replace(".txt", ".events.json")
        payload = {"article": doc["file"], "published": doc["published"], "events": doc["events"]}
        out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(docs)

if __name__ == "__main__":
    sheets = sorted((ROOT / "annotations").glob("*.ann"))
    print(sum(build(s) for s in sheets), "articles written")
