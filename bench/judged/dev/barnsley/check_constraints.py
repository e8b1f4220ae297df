#!/usr/bin/env python3
"""Check the Barnsley judged set against FORMATS.md.

- every XML file is well-formed, in the right namespace, and named after its id;
- group children are in the order FORMATS.md section 1 gives;
- every (patient, group) pair is checked against the 8 hard constraints of section 2;
  no pair that breaks one may have a grade above 0;
- qrels are complete (every patient x every group, exactly once, grades 0-3);
- every patient has at least two grade-3 groups;
- every duplicates.txt line names existing groups in different feeds, and its listings share grades.

Usage: python3 check_constraints.py [--matrix]   (--matrix prints each pair's verdict)
"""
import csv
import glob
import math
import os
import re
import sys
import xml.etree.ElementTree as ET
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = date(2026, 11, 23)
FEED_NS = "urn:kith:feed:1"
PAT_NS = "urn:kith:patient:1"
POSTCODES = "/work/shared/data/uk-postcode-districts.csv"
F = "{%s}" % FEED_NS
P = "{%s}" % PAT_NS
ORDER = ["name", "organisation", "description", "needs", "activities", "venue", "online",
         "home-visits", "area-served", "schedule", "access", "eligibility", "cost", "capacity",
         "languages", "contact"]
VOCAB_ACT = set("""walking running cycling swimming football walking-football bowls gym yoga tai-chi
pilates chair-exercise dance sport gardening nature conservation fishing bird-watching singing music
drama film arts crafts knitting sewing lace-making woodwork photography writing reading history
heritage lectures languages computers games quiz board-games cooking baking lunch-club coffee-morning
community-meal befriending peer-support mens-shed carers-group parent-and-baby mindfulness faith
volunteering advice discussion""".split())
VOCAB_NEEDS = set("""loneliness low-mood anxiety bereavement confidence purpose carer-support
physical-activity healthy-weight long-term-condition falls-prevention memory money benefits housing
employment learning digital-skills food substance-use domestic-abuse parenting english-language""".split())
VOCAB_CIRC = set("""carer veteran dementia learning-disability autism sight-loss hearing-loss new-parent
pregnant refugee unemployed long-term-condition bereaved""".split())

errors, warnings = [], []


def err(msg):
    errors.append(msg)


def load_districts():
    d = {}
    with open(POSTCODES, newline="") as fh:
        for row in csv.DictReader(fh):
            d[row["district"].upper()] = (float(row["lat"]), float(row["lon"]), int(row["active_postcodes"] or 0))
    return d


DIST = load_districts()


def norm_pc(pc):
    pc = re.sub(r"\s+", "", pc.upper())
    if len(pc) > 3:
        return pc[:-3], pc[-3:]
    return pc, ""


def pc_point(pc):
    out, _ = norm_pc(pc)
    if out in DIST:
        return DIST[out][:2]
    return None


def km(a, b):
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nearest_district(pt):
    best = None
    for k, (la, lo, n) in DIST.items():
        if n == 0:
            continue
        dd = km(pt, (la, lo))
        if best is None or dd < best[0]:
            best = (dd, k)
    return best[1]


def mins(t):
    h, m = t.split(":")
    return int(h) * 60 + int(m)


def point_of(el, ns):
    p = el.find(ns + "point")
    if p is None:
        return None
    return float(p.get("lat")), float(p.get("lon"))


# ---------------------------------------------------------------- parse feeds
groups = []  # dicts
for path in sorted(glob.glob(os.path.join(HERE, "feeds", "*.xml"))):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        err(f"{path}: not well-formed: {e}")
        continue
    if root.tag != F + "feed":
        err(f"{path}: root is {root.tag}, expected feed in {FEED_NS}")
        continue
    fid = root.get("id")
    if os.path.basename(path) != f"{fid}.xml":
        err(f"{path}: file not named after feed id {fid}")
    if root.get("version") != "1":
        err(f"{path}: version must be 1")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", fid or ""):
        err(f"{path}: bad feed id")
    feed_area = root.get("area")
    seen = set()
    for g in root:
        if not isinstance(g.tag, str):
            continue
        if g.tag == F + "withdrawn":
            continue
        if g.tag != F + "group":
            err(f"{fid}: unexpected element {g.tag}")
            continue
        gid = g.get("id")
        if gid in seen:
            err(f"{fid}/{gid}: duplicate id")
        seen.add(gid)
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", gid or ""):
            err(f"{fid}/{gid}: bad group id")
        # child order
        idx = []
        for c in g:
            if not isinstance(c.tag, str):
                continue
            if not c.tag.startswith(F):
                err(f"{fid}/{gid}: child {c.tag} not in feed namespace")
                continue
            name = c.tag[len(F):]
            if name not in ORDER:
                err(f"{fid}/{gid}: unknown child {name}")
                continue
            idx.append(ORDER.index(name))
        if idx != sorted(idx):
            err(f"{fid}/{gid}: children out of order")
        if g.find(F + "name") is None:
            err(f"{fid}/{gid}: no name")
        for n in g.iterfind(f"{F}needs/{F}need"):
            if n.text not in VOCAB_NEEDS:
                warnings.append(f"{fid}/{gid}: need '{n.text}' outside vocabulary")
        for a in g.iterfind(f"{F}activities/{F}activity"):
            if a.text not in VOCAB_ACT:
                warnings.append(f"{fid}/{gid}: activity '{a.text}' outside vocabulary")
        venues = []
        for v in g.iterfind(F + "venue"):
            pt = point_of(v, F)
            pcel = v.find(F + "postcode")
            if pt is None and pcel is not None:
                pt = pc_point(pcel.text)
                if pt is None:
                    warnings.append(f"{fid}/{gid}: venue postcode {pcel.text} not in table")
            venues.append(pt)
        online = g.find(F + "online") is not None
        hv = g.find(F + "home-visits")
        home_visits = None
        if hv is not None:
            home_visits = (float(hv.get("radius-km")), point_of(hv, F))
        area_el = g.find(F + "area-served")
        area = area_el.text.split() if area_el is not None and area_el.text else (feed_area.split() if feed_area else None)
        sched = g.find(F + "schedule")
        sessions, by_app, ends = [], False, None
        if sched is not None:
            ends = sched.get("ends")
            starts = sched.get("starts")
            for s in sched:
                if s.tag == F + "session":
                    if mins(s.get("end")) <= mins(s.get("start")):
                        err(f"{fid}/{gid}: session end not after start")
                    sessions.append((s.get("day"), mins(s.get("start")), mins(s.get("end"))))
                elif s.tag == F + "by-appointment":
                    by_app = True
        acc = g.find(F + "access")
        access = dict(acc.attrib) if acc is not None else {}
        el = g.find(F + "eligibility")
        elig = {"min": None, "max": None, "gender": "any", "requires": []}
        if el is not None:
            elig["min"] = int(el.get("min-age")) if el.get("min-age") else None
            elig["max"] = int(el.get("max-age")) if el.get("max-age") else None
            elig["gender"] = el.get("gender", "any")
            elig["requires"] = [r.text for r in el.iterfind(F + "requires")]
            for r in elig["requires"]:
                if r not in VOCAB_CIRC:
                    warnings.append(f"{fid}/{gid}: requires '{r}' outside vocabulary")
        c = g.find(F + "cost")
        cost = None
        if c is not None and c.get("free") != "yes" and c.get("amount"):
            cost = float(c.get("amount"))
        cap = g.find(F + "capacity")
        capacity = cap.get("status", "open") if cap is not None else "open"
        lang = g.find(F + "languages")
        langs = set(lang.text.split()) if lang is not None and lang.text else {"en"}
        groups.append(dict(key=f"{fid}/{gid}", feed=fid, venues=venues, online=online, hv=home_visits,
                           area=area, sessions=sessions, by_app=by_app, has_sched=sched is not None,
                           ends=ends, access=access, elig=elig, cost=cost, capacity=capacity,
                           langs=langs, name=g.findtext(F + "name")))

# ---------------------------------------------------------------- parse patients
patients = []
for path in sorted(glob.glob(os.path.join(HERE, "patients", "*.xml"))):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        err(f"{path}: not well-formed: {e}")
        continue
    if root.tag != P + "patient":
        err(f"{path}: root is {root.tag}, expected patient in {PAT_NS}")
        continue
    pid = root.get("id")
    if os.path.basename(path) != f"{pid}.xml":
        err(f"{path}: file not named after patient id {pid}")
    counts = {}
    for c in root:
        if isinstance(c.tag, str):
            if not c.tag.startswith(P):
                err(f"{pid}: child {c.tag} not in patient namespace")
            counts[c.tag] = counts.get(c.tag, 0) + 1
    for t, n in counts.items():
        if n > 1:
            err(f"{pid}: {t} appears {n} times")
    age = int(root.findtext(P + "age")) if root.findtext(P + "age") else None
    gender = root.findtext(P + "gender")
    circ = set((root.findtext(P + "circumstances") or "").split())
    for x in circ:
        if x not in VOCAB_CIRC:
            warnings.append(f"{pid}: circumstance {x} outside vocabulary")
    langs = set((root.findtext(P + "languages") or "en").split())
    home = root.find(P + "home")
    hpc = home.get("postcode") if home is not None else None
    hpt = point_of(home, P) if home is not None else None
    if hpt is None and hpc:
        hpt = pc_point(hpc)
    if hpt is None:
        err(f"{pid}: home cannot be placed")
    mob = root.find(P + "mobility")
    mobility = dict(mob.attrib) if mob is not None else {}
    av = root.find(P + "availability")
    windows = None
    if av is not None:
        windows = [(w.get("day"), mins(w.get("start")), mins(w.get("end"))) for w in av.iterfind(P + "window")]
    b = root.find(P + "budget")
    budget = float(b.get("max-per-session")) if b is not None and b.get("max-per-session") is not None else None
    patients.append(dict(id=pid, age=age, gender=gender, circ=circ, langs=langs, pc=hpc, pt=hpt,
                         mob=mobility, windows=windows, budget=budget))


def in_area(p, tokens):
    if p["pc"]:
        out, inward = norm_pc(p["pc"])
    else:
        out, inward = nearest_district(p["pt"]), ""
    area_letters = re.match(r"[A-Z]+", out).group(0)
    for t in tokens:
        t = t.upper()
        if " " in t:  # sector
            to, ti = t.split()
            if out == to and inward[:1] == ti:
                return True
        elif re.fullmatch(r"[A-Z]+", t):
            if area_letters == t:
                return True
        elif out == t:
            return True
    return False


def violations(p, g):
    v = []
    mob = p["mob"]
    # 1 access
    for k in ("wheelchair", "step-free"):
        if mob.get(k) == "yes" and g["access"].get(k) == "no":
            v.append(f"1:{k}")
    # 2 eligibility
    e = g["elig"]
    if e["min"] is not None and (p["age"] is None or p["age"] < e["min"]):
        v.append("2:min-age")
    if e["max"] is not None and (p["age"] is None or p["age"] > e["max"]):
        v.append("2:max-age")
    if e["gender"] != "any" and p["gender"] != e["gender"]:
        v.append("2:gender")
    for r in e["requires"]:
        if r not in p["circ"]:
            v.append(f"2:requires-{r}")
    # 3 reach
    housebound = mob.get("housebound") == "yes"
    maxkm = float(mob["max-travel-km"]) if "max-travel-km" in mob else None
    reach = False
    known_place = any(x is not None for x in g["venues"]) or g["online"] or g["hv"] is not None
    if not housebound:
        for vp in g["venues"]:
            if vp is not None and (maxkm is None or km(p["pt"], vp) <= maxkm):
                reach = True
    if g["online"] and mob.get("online") == "yes":
        reach = True
    if g["hv"] is not None and g["hv"][1] is not None and km(p["pt"], g["hv"][1]) <= g["hv"][0]:
        reach = True
    if not known_place and not housebound and g["area"] and in_area(p, g["area"]):
        reach = True
    if not reach:
        v.append("3:reach")
    # 4 schedule
    if g["sessions"] or g["by_app"]:
        if not g["by_app"] and p["windows"] is not None:
            ok = False
            for d, s, en in g["sessions"]:
                for wd, ws, we in p["windows"]:
                    if d == wd and min(en, we) - max(s, ws) >= 30:
                        ok = True
            if not ok:
                v.append("4:schedule")
    # 5 cost
    if g["cost"] is not None and p["budget"] is not None and g["cost"] > p["budget"]:
        v.append("5:cost")
    # 6 closed / ended
    if g["capacity"] == "closed":
        v.append("6:closed")
    if g["ends"] and date.fromisoformat(g["ends"]) < TODAY:
        v.append("6:ended")
    # 7 language
    if not (p["langs"] & g["langs"]):
        v.append("7:language")
    # 8 area
    if g["area"] and not in_area(p, g["area"]):
        v.append("8:area")
    return v


# ---------------------------------------------------------------- qrels
keys = [g["key"] for g in groups]
pids = [p["id"] for p in patients]
qrels = {}
qpath = os.path.join(HERE, "qrels.txt")
if os.path.exists(qpath):
    for n, line in enumerate(open(qpath), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4 or parts[1] != "0" or parts[3] not in "0123":
            err(f"qrels line {n}: bad format: {line.strip()}")
            continue
        k = (parts[0], parts[2])
        if k in qrels:
            err(f"qrels line {n}: duplicate pair {k}")
        qrels[k] = int(parts[3])
else:
    err("qrels.txt missing")

for pid in pids:
    for k in keys:
        if (pid, k) not in qrels:
            err(f"qrels: missing {pid} {k}")
for (pid, k) in qrels:
    if pid not in pids or k not in keys:
        err(f"qrels: unknown pair {pid} {k}")

matrix = "--matrix" in sys.argv
for p in patients:
    for g in groups:
        v = violations(p, g)
        grade = qrels.get((p["id"], g["key"]))
        if v and grade:
            err(f"{p['id']} {g['key']} graded {grade} but breaks {','.join(v)}")
        if matrix:
            print(f"{p['id']} {g['key']:48s} {'OK ' if not v else 'BAD'} {','.join(v):30s} grade={grade}")
    n3 = sum(1 for g in groups if qrels.get((p["id"], g["key"])) == 3)
    if n3 < 2:
        err(f"{p['id']}: only {n3} grade-3 groups")

# ---------------------------------------------------------------- duplicates
dpath = os.path.join(HERE, "duplicates.txt")
if os.path.exists(dpath):
    for n, line in enumerate(open(dpath), 1):
        ks = line.split()
        if not ks:
            continue
        if len(ks) < 2:
            err(f"duplicates line {n}: fewer than two keys")
        feeds = [k.split("/")[0] for k in ks]
        if len(set(feeds)) != len(feeds):
            err(f"duplicates line {n}: listings must be in different feeds")
        for k in ks:
            if k not in keys:
                err(f"duplicates line {n}: unknown key {k}")
        for pid in pids:
            gs = {qrels.get((pid, k)) for k in ks}
            if len(gs) > 1:
                err(f"duplicates line {n}: {pid} grades differ {gs}")
else:
    err("duplicates.txt missing")

# ---------------------------------------------------------------- report
dist = {}
for gr in qrels.values():
    dist[gr] = dist.get(gr, 0) + 1
print(f"feeds: {len(set(g['feed'] for g in groups))}, groups: {len(groups)}, patients: {len(patients)}, "
      f"judgments: {len(qrels)}, grades: {dict(sorted(dist.items()))}")
print(f"{len(warnings)} warnings (tags outside vocabulary are expected):")
for w in warnings:
    print("  warn:", w)
if errors:
    print(f"{len(errors)} ERRORS:")
    for e in errors:
        print("  ERROR:", e)
    sys.exit(1)
print("clean")
