#!/usr/bin/env python3
"""Check the Skegness judged set against FORMATS.md.

Parses feeds/*.xml and patients/*.xml, evaluates the 8 hard constraints of
FORMATS.md section 2 for every (patient, group) pair, and checks qrels.txt and
duplicates.txt. Exit status 0 only when everything is clean.

  python3 check_constraints.py            # check
  python3 check_constraints.py --matrix   # also print which pairs are feasible
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
DISTRICTS = "/work/shared/data/uk-postcode-districts.csv"

VOCAB_NEEDS = set("""loneliness low-mood anxiety bereavement confidence purpose carer-support
physical-activity healthy-weight long-term-condition falls-prevention memory money benefits
housing employment learning digital-skills food substance-use domestic-abuse parenting
english-language""".split())
VOCAB_ACTS = set("""walking running cycling swimming football walking-football bowls gym yoga
tai-chi pilates chair-exercise dance sport gardening nature conservation fishing bird-watching
singing music drama film arts crafts knitting sewing lace-making woodwork photography writing
reading history heritage lectures languages computers games quiz board-games cooking baking
lunch-club coffee-morning community-meal befriending peer-support mens-shed carers-group
parent-and-baby mindfulness faith volunteering advice discussion""".split())
VOCAB_CIRC = set("""carer veteran dementia learning-disability autism sight-loss hearing-loss
new-parent pregnant refugee unemployed long-term-condition bereaved""".split())
DAYS = "mon tue wed thu fri sat sun".split()

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


# ---------------------------------------------------------------- postcodes
district_pt = {}
with open(DISTRICTS, newline="") as f:
    for row in csv.DictReader(f):
        district_pt[row["district"].upper()] = (float(row["lat"]), float(row["lon"]))


def pc_parts(pc):
    """(area, district, sector or None) of a UK postcode (full, sector or district)."""
    pc = " ".join(pc.strip().upper().split())
    parts = pc.split(" ")
    dist = parts[0]
    area = re.match(r"[A-Z]+", dist).group(0)
    sector = None
    if len(parts) > 1 and parts[1]:
        sector = dist + " " + parts[1][0]
    return area, dist, sector


def pc_point(pc):
    return district_pt.get(pc_parts(pc)[1])


def nearest_district(pt):
    best = None
    for d, q in district_pt.items():
        k = km(pt, q)
        if best is None or k < best[0]:
            best = (k, d)
    return best[1]


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def in_area(home_pc_parts, area_tokens):
    area, dist, sector = home_pc_parts
    for t in area_tokens:
        t = " ".join(t.upper().split())
        if " " in t:
            if sector == t:
                return True
        elif re.fullmatch(r"[A-Z]+", t):
            if area == t:
                return True
        elif dist == t:
            return True
    return False


def hm(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)


# ---------------------------------------------------------------- parsing
def q(ns, tag):
    return "{%s}%s" % (ns, tag)


def parse_feed(path):
    tree = ET.parse(path)
    root = tree.getroot()
    if root.tag != q(FEED_NS, "feed"):
        err(f"{path}: root is {root.tag}, want feed in {FEED_NS}")
        return None
    fid = root.get("id")
    if not fid or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", fid):
        err(f"{path}: bad feed id {fid!r}")
    if os.path.basename(path) != f"{fid}.xml":
        err(f"{path}: file not named after feed id {fid}")
    if root.get("version") != "1":
        err(f"{path}: version must be 1")
    for el in root.iter():
        if not el.tag.startswith("{" + FEED_NS + "}"):
            err(f"{path}: element outside feed namespace: {el.tag}")
    feed_area = root.get("area", "").split() or None
    order = ["name", "organisation", "description", "needs", "activities", "venue", "online",
             "home-visits", "area-served", "schedule", "access", "eligibility", "cost", "capacity",
             "languages", "contact"]
    groups = {}
    for g in root.findall(q(FEED_NS, "group")):
        gid = g.get("id")
        if not gid or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", gid):
            err(f"{path}: bad group id {gid!r}")
        if gid in groups:
            err(f"{path}: duplicate group id {gid}")
        tags = [c.tag.split("}")[1] for c in g]
        idx = [order.index(t) if t in order else -1 for t in tags]
        if -1 in idx:
            err(f"{fid}/{gid}: unknown child element in {tags}")
        if idx != sorted(idx):
            err(f"{fid}/{gid}: children out of order: {tags}")
        for t in set(tags):
            if t != "venue" and tags.count(t) > 1:
                err(f"{fid}/{gid}: {t} appears twice")
        if g.find(q(FEED_NS, "name")) is None:
            err(f"{fid}/{gid}: no name")
        G = {"key": f"{fid}/{gid}", "feed_area": feed_area}
        G["needs"] = [n.text for n in g.findall(f"{{{FEED_NS}}}needs/{{{FEED_NS}}}need")]
        G["acts"] = [n.text for n in g.findall(f"{{{FEED_NS}}}activities/{{{FEED_NS}}}activity")]
        for n in G["needs"]:
            if n not in VOCAB_NEEDS:
                warn(f"{G['key']}: need outside vocabulary: {n}")
        for a in G["acts"]:
            if a not in VOCAB_ACTS:
                warn(f"{G['key']}: activity outside vocabulary: {a}")
        venues = []
        for v in g.findall(q(FEED_NS, "venue")):
            p = v.find(q(FEED_NS, "point"))
            pc = v.findtext(q(FEED_NS, "postcode"))
            if p is not None:
                venues.append((float(p.get("lat")), float(p.get("lon"))))
            elif pc:
                pt = pc_point(pc)
                if pt is None:
                    err(f"{G['key']}: venue postcode {pc} not in the district table")
                else:
                    venues.append(pt)
        G["venues"] = venues
        G["online"] = g.find(q(FEED_NS, "online")) is not None
        hv = g.find(q(FEED_NS, "home-visits"))
        G["home_visits"] = None
        if hv is not None:
            p = hv.find(q(FEED_NS, "point"))
            G["home_visits"] = ((float(p.get("lat")), float(p.get("lon"))), float(hv.get("radius-km")))
        a = g.findtext(q(FEED_NS, "area-served"))
        G["area"] = a.split() if a else None
        sch = g.find(q(FEED_NS, "schedule"))
        G["schedule"] = None
        G["ends"] = None
        if sch is not None:
            sessions = []
            byapp = sch.find(q(FEED_NS, "by-appointment")) is not None
            for s in sch.findall(q(FEED_NS, "session")):
                d = s.get("day")
                if d not in DAYS:
                    err(f"{G['key']}: bad day {d}")
                if hm(s.get("end")) <= hm(s.get("start")):
                    err(f"{G['key']}: session end not after start")
                w = s.get("weeks")
                if w and not all(x in ("1", "2", "3", "4", "5", "last") for x in w.split()):
                    err(f"{G['key']}: bad weeks {w}")
                sessions.append((d, hm(s.get("start")), hm(s.get("end"))))
            G["schedule"] = (byapp, sessions)
            if sch.get("ends"):
                G["ends"] = date.fromisoformat(sch.get("ends"))
            if sch.get("starts"):
                date.fromisoformat(sch.get("starts"))
        acc = g.find(q(FEED_NS, "access"))
        G["access"] = dict(acc.attrib) if acc is not None else {}
        for k, v in G["access"].items():
            if v not in ("yes", "no", "unknown"):
                err(f"{G['key']}: access {k}={v}")
        el = g.find(q(FEED_NS, "eligibility"))
        G["min_age"] = G["max_age"] = None
        G["gender"] = "any"
        G["requires"] = []
        if el is not None:
            G["min_age"] = int(el.get("min-age")) if el.get("min-age") else None
            G["max_age"] = int(el.get("max-age")) if el.get("max-age") else None
            G["gender"] = el.get("gender", "any")
            if G["gender"] not in ("any", "female", "male"):
                err(f"{G['key']}: gender {G['gender']}")
            if el.get("referral", "self") not in ("self", "professional"):
                err(f"{G['key']}: referral {el.get('referral')}")
            G["requires"] = [r.text for r in el.findall(q(FEED_NS, "requires"))]
            for r in G["requires"]:
                if r not in VOCAB_CIRC:
                    warn(f"{G['key']}: circumstance outside vocabulary: {r}")
        c = g.find(q(FEED_NS, "cost"))
        G["cost"] = None
        if c is not None:
            if c.get("free") == "yes":
                G["cost"] = 0.0
            else:
                if c.get("per") not in ("session", "week", "month", "course"):
                    err(f"{G['key']}: cost per {c.get('per')}")
                G["cost"] = float(c.get("amount"))
        cap = g.find(q(FEED_NS, "capacity"))
        G["status"] = cap.get("status", "open") if cap is not None else "open"
        if G["status"] not in ("open", "waiting-list", "closed"):
            err(f"{G['key']}: capacity {G['status']}")
        G["langs"] = (g.findtext(q(FEED_NS, "languages")) or "en").split()
        G["tagged"] = bool(G["needs"] or G["acts"])
        groups[gid] = G
    return fid, groups


def parse_patient(path):
    root = ET.parse(path).getroot()
    if root.tag != q(PAT_NS, "patient"):
        err(f"{path}: root is {root.tag}, want patient in {PAT_NS}")
        return None
    for el in root.iter():
        if not el.tag.startswith("{" + PAT_NS + "}"):
            err(f"{path}: element outside patient namespace: {el.tag}")
    pid = root.get("id")
    if os.path.basename(path) != f"{pid}.xml":
        err(f"{path}: file not named after patient id {pid}")
    tags = [c.tag.split("}")[1] for c in root]
    for t in set(tags):
        if tags.count(t) > 1:
            err(f"{pid}: {t} appears more than once")
    P = {"id": pid}
    P["age"] = int(root.findtext(q(PAT_NS, "age"))) if root.find(q(PAT_NS, "age")) is not None else None
    P["gender"] = root.findtext(q(PAT_NS, "gender"))
    P["circ"] = set((root.findtext(q(PAT_NS, "circumstances")) or "").split())
    for c in P["circ"]:
        if c not in VOCAB_CIRC:
            warn(f"{pid}: circumstance outside vocabulary: {c}")
    P["langs"] = (root.findtext(q(PAT_NS, "languages")) or "en").split()
    home = root.find(q(PAT_NS, "home"))
    pc = home.get("postcode") if home is not None else None
    pt = home.find(q(PAT_NS, "point")) if home is not None else None
    if pt is not None:
        P["pt"] = (float(pt.get("lat")), float(pt.get("lon")))
    elif pc:
        P["pt"] = pc_point(pc)
        if P["pt"] is None:
            err(f"{pid}: home postcode {pc} not in district table")
    else:
        P["pt"] = None
    if pc:
        P["pcparts"] = pc_parts(pc)
    elif P["pt"]:
        d = nearest_district(P["pt"])
        P["pcparts"] = (re.match(r"[A-Z]+", d).group(0), d, None)
    else:
        P["pcparts"] = None
    mob = root.find(q(PAT_NS, "mobility"))
    m = dict(mob.attrib) if mob is not None else {}
    P["max_km"] = float(m["max-travel-km"]) if "max-travel-km" in m else None
    P["wheelchair"] = m.get("wheelchair") == "yes"
    P["step_free"] = m.get("step-free") == "yes"
    P["online"] = m.get("online") == "yes"
    P["housebound"] = m.get("housebound") == "yes"
    av = root.find(q(PAT_NS, "availability"))
    P["avail"] = None
    if av is not None:
        P["avail"] = []
        for w in av.findall(q(PAT_NS, "window")):
            if hm(w.get("end")) <= hm(w.get("start")):
                err(f"{pid}: window end not after start")
            P["avail"].append((w.get("day"), hm(w.get("start")), hm(w.get("end"))))
    b = root.find(q(PAT_NS, "budget"))
    P["budget"] = float(b.get("max-per-session")) if b is not None and b.get("max-per-session") else None
    return P


# ---------------------------------------------------------------- the 8 rules
def breaches(P, G):
    out = []
    acc = G["access"]
    # 1 access
    if (P["wheelchair"] and acc.get("wheelchair") == "no") or (P["step_free"] and acc.get("step-free") == "no"):
        out.append("1-access")
    # 2 age, gender, circumstance
    if P["age"] is not None:
        if G["min_age"] is not None and P["age"] < G["min_age"]:
            out.append("2-age")
        if G["max_age"] is not None and P["age"] > G["max_age"]:
            out.append("2-age")
    if G["gender"] != "any" and P["gender"] != G["gender"]:
        out.append("2-gender")
    if any(r not in P["circ"] for r in G["requires"]):
        out.append("2-requires")
    # 3 reach
    reach = False
    if not P["housebound"] and G["venues"] and P["pt"] is not None:
        if P["max_km"] is None or any(km(P["pt"], v) <= P["max_km"] for v in G["venues"]):
            reach = True
    if G["online"] and P["online"]:
        reach = True
    if G["home_visits"] and P["pt"] is not None and km(P["pt"], G["home_visits"][0]) <= G["home_visits"][1]:
        reach = True
    if not G["venues"] and not G["online"] and not G["home_visits"]:
        area = G["area"] or G["feed_area"]
        if area and P["pcparts"] and in_area(P["pcparts"], area):
            reach = True
    if not reach:
        out.append("3-reach")
    # 4 schedule
    if G["schedule"] is not None and P["avail"] is not None:
        byapp, sessions = G["schedule"]
        if not byapp and sessions:
            ok = False
            for d, s, e in sessions:
                for wd, ws, we in P["avail"]:
                    if d == wd and min(e, we) - max(s, ws) >= 30:
                        ok = True
            if not ok:
                out.append("4-schedule")
    # 5 cost
    if G["cost"] is not None and P["budget"] is not None and G["cost"] > P["budget"]:
        out.append("5-cost")
    # 6 closed / ended
    if G["status"] == "closed" or (G["ends"] is not None and G["ends"] < TODAY):
        out.append("6-closed")
    # 7 language
    if not set(P["langs"]) & set(G["langs"]):
        out.append("7-language")
    # 8 area served
    area = G["area"] or G["feed_area"]
    if area and P["pcparts"] and not in_area(P["pcparts"], area):
        out.append("8-area")
    return out


def main():
    show = "--matrix" in sys.argv
    feeds = {}
    for path in sorted(glob.glob(os.path.join(HERE, "feeds", "*.xml"))):
        try:
            r = parse_feed(path)
        except ET.ParseError as e:
            err(f"{path}: not well-formed: {e}")
            continue
        if r:
            feeds[r[0]] = r[1]
    groups = {G["key"]: G for fg in feeds.values() for G in fg.values()}
    patients = {}
    for path in sorted(glob.glob(os.path.join(HERE, "patients", "*.xml"))):
        try:
            P = parse_patient(path)
        except ET.ParseError as e:
            err(f"{path}: not well-formed: {e}")
            continue
        if P:
            patients[P["id"]] = P

    if not 2 <= len(feeds) <= 3:
        err(f"{len(feeds)} feeds, want 2 or 3")
    if not 45 <= len(groups) <= 60:
        err(f"{len(groups)} groups, want 45-60")
    if sorted(patients) != [f"SK{i:02d}" for i in range(1, 11)]:
        err(f"patients are {sorted(patients)}")

    # qrels
    qrels = {}
    with open(os.path.join(HERE, "qrels.txt")) as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if len(parts) != 4 or parts[1] != "0" or parts[3] not in "0123":
                err(f"qrels line {n}: {line.rstrip()!r}")
                continue
            k = (parts[0], parts[2])
            if k in qrels:
                err(f"qrels line {n}: duplicate pair {k}")
            if parts[0] not in patients or parts[2] not in groups:
                err(f"qrels line {n}: unknown patient or group {k}")
            qrels[k] = int(parts[3])
    for pid in patients:
        for gk in groups:
            if (pid, gk) not in qrels:
                err(f"qrels missing {pid} {gk}")

    # hard constraints
    feasible = {}
    for pid, P in patients.items():
        for gk, G in groups.items():
            b = breaches(P, G)
            feasible[(pid, gk)] = b
            g = qrels.get((pid, gk), 0)
            if g > 0 and b:
                err(f"{pid} {gk} graded {g} but breaks {b}")
        n3 = sum(1 for gk in groups if qrels.get((pid, gk)) == 3)
        if n3 < 2:
            err(f"{pid} has only {n3} grade-3 groups")

    # duplicates
    dup_path = os.path.join(HERE, "duplicates.txt")
    seen = set()
    with open(dup_path) as f:
        for line in f:
            keys = line.split()
            if not keys:
                continue
            if len(keys) < 2:
                err(f"duplicates line with one key: {line.rstrip()}")
            feeds_of = [k.split("/")[0] for k in keys]
            if len(set(feeds_of)) != len(feeds_of):
                err(f"duplicates line lists one feed twice: {line.rstrip()}")
            for k in keys:
                if k not in groups:
                    err(f"duplicates: unknown key {k}")
                if k in seen:
                    err(f"duplicates: {k} on two lines")
                seen.add(k)
            for pid in patients:
                gs = {qrels.get((pid, k)) for k in keys}
                if len(gs) != 1:
                    err(f"duplicates {keys} graded differently for {pid}: {gs}")
                bs = {bool(feasible[(pid, k)]) for k in keys if k in groups}
                if len(bs) != 1:
                    err(f"duplicates {keys} differ in feasibility for {pid}")

    # summary
    dist = {g: sum(1 for v in qrels.values() if v == g) for g in range(4)}
    untagged = sum(1 for G in groups.values() if not G["tagged"])
    print(f"feeds {len(feeds)} ({', '.join(f'{k}:{len(v)}' for k, v in feeds.items())}), groups {len(groups)}, "
          f"untagged {untagged}, patients {len(patients)}, judgments {len(qrels)}")
    print("grades:", dist)
    for pid in sorted(patients):
        row = [qrels.get((pid, gk), 0) for gk in groups]
        nf = sum(1 for gk in groups if not feasible[(pid, gk)])
        print(f"  {pid}: feasible {nf:2d}  3s {row.count(3)}  2s {row.count(2)}  1s {row.count(1)}")
    if show:
        for pid in sorted(patients):
            print(f"\n{pid} feasible:")
            for gk in groups:
                if not feasible[(pid, gk)]:
                    print(f"   {qrels.get((pid, gk), '-')}  {gk}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("CLEAN" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
