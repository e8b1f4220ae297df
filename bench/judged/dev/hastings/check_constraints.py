#!/usr/bin/env python3
"""Check the Hastings judged set against FORMATS.md section 2 (the 8 hard constraints).

Parses feeds/*.xml and patients/*.xml (standard library only), evaluates every
(patient, group) pair, and confirms:
  - all XML is well-formed, with the right root element and namespace, and each
    file is named after its feed / patient id;
  - qrels.txt is complete (every patient x every group, exactly once, grades 0-3);
  - no grade > 0 is given to a pair that breaks a hard constraint;
  - every patient has at least two grade-3 groups;
  - duplicates.txt keys exist and the listings of one group share grades.
Also warns where a postcode-only home sits close to a travel limit (the district
centroid is only an approximation of where the person lives).

Usage: python3 check_constraints.py [--feasible]   (--feasible lists feasible pairs)
Exit status 0 when clean.
"""
import csv
import glob
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
POSTCODES = "/work/shared/data/uk-postcode-districts.csv"
FEED_NS = "urn:kith:feed:1"
PAT_NS = "urn:kith:patient:1"
TODAY = "2026-11-23"
DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

errors = []
warnings = []


def err(msg):
    errors.append(msg)


def q(ns, tag):
    return "{%s}%s" % (ns, tag)


def load_districts():
    table = {}
    with open(POSTCODES, newline="") as fh:
        for row in csv.DictReader(fh):
            try:
                table[row["district"].upper()] = (float(row["lat"]), float(row["lon"]))
            except ValueError:
                pass
    return table


DISTRICTS = load_districts()


def outward(pc):
    pc = pc.strip().upper()
    if " " in pc:
        return pc.split()[0]
    return pc[:-3] if len(pc) > 4 else pc


def sector(pc):
    pc = " ".join(pc.strip().upper().split())
    parts = pc.split()
    if len(parts) == 2 and parts[1]:
        return parts[0] + " " + parts[1][0]
    return None


def pc_area(pc):
    m = re.match(r"[A-Z]+", outward(pc))
    return m.group(0) if m else ""


def pc_point(pc):
    return DISTRICTS.get(outward(pc))


def nearest_district(pt):
    best = None
    for d, p in DISTRICTS.items():
        dd = km(pt, p)
        if best is None or dd < best[0]:
            best = (dd, d)
    return best[1]


def km(a, b):
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def mins(t):
    h, m = t.split(":")
    return int(h) * 60 + int(m)


def parse_area(text):
    """Space-separated areas/districts/sectors; a lone digit joins the token before it."""
    out = []
    for tok in (text or "").upper().split():
        if re.fullmatch(r"\d", tok) and out:
            out[-1] = out[-1] + " " + tok
        else:
            out.append(tok)
    return out


def in_area(home_pc, areas):
    o = outward(home_pc)
    s = sector(home_pc)
    a = pc_area(home_pc)
    for t in areas:
        if " " in t:
            if s == t:
                return True
        elif re.fullmatch(r"[A-Z]+", t):
            if a == t:
                return True
        elif o == t:
            return True
    return False


# ---------------------------------------------------------------- parsing

def parse_xml(path, ns, root_tag):
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        err("%s: not well-formed: %s" % (path, e))
        return None
    root = tree.getroot()
    if root.tag != q(ns, root_tag):
        err("%s: root is %s, expected {%s}%s" % (path, root.tag, ns, root_tag))
        return None
    for el in root.iter():
        if isinstance(el.tag, str) and not el.tag.startswith("{%s}" % ns):
            err("%s: element %s outside namespace %s" % (path, el.tag, ns))
    return root


def tri(access, name):
    if access is None:
        return "unknown"
    return access.get(name, "unknown")


def parse_feeds():
    groups = {}
    for path in sorted(glob.glob(os.path.join(HERE, "feeds", "*.xml"))):
        root = parse_xml(path, FEED_NS, "feed")
        if root is None:
            continue
        fid = root.get("id")
        if os.path.basename(path) != fid + ".xml":
            err("%s: file not named after feed id %s" % (path, fid))
        if root.get("version") != "1":
            err("%s: version must be 1" % path)
        feed_area = parse_area(root.get("area")) if root.get("area") else None
        seen = set()
        for g in root.findall(q(FEED_NS, "group")):
            gid = g.get("id")
            if not gid or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", gid):
                err("%s: bad group id %r" % (path, gid))
            if gid in seen:
                err("%s: duplicate group id %s" % (path, gid))
            seen.add(gid)
            if g.find(q(FEED_NS, "name")) is None:
                err("%s/%s: no name" % (fid, gid))
            venues = []
            for v in g.findall(q(FEED_NS, "venue")):
                p = v.find(q(FEED_NS, "point"))
                pc = v.findtext(q(FEED_NS, "postcode"))
                if p is not None:
                    venues.append((float(p.get("lat")), float(p.get("lon"))))
                elif pc:
                    pt = pc_point(pc)
                    if pt is None:
                        err("%s/%s: venue postcode %s not in table" % (fid, gid, pc))
                    else:
                        venues.append(pt)
            online = g.find(q(FEED_NS, "online")) is not None
            hv = g.find(q(FEED_NS, "home-visits"))
            home_visits = None
            if hv is not None:
                p = hv.find(q(FEED_NS, "point"))
                home_visits = (float(hv.get("radius-km")), (float(p.get("lat")), float(p.get("lon"))))
            area_el = g.find(q(FEED_NS, "area-served"))
            area = parse_area(area_el.text) if area_el is not None else feed_area
            sch = g.find(q(FEED_NS, "schedule"))
            schedule = None
            if sch is not None:
                sessions = []
                for s in sch.findall(q(FEED_NS, "session")):
                    if s.get("day") not in DAYS or mins(s.get("end")) <= mins(s.get("start")):
                        err("%s/%s: bad session %s" % (fid, gid, s.attrib))
                    sessions.append((s.get("day"), mins(s.get("start")), mins(s.get("end"))))
                schedule = {
                    "sessions": sessions,
                    "appointment": sch.find(q(FEED_NS, "by-appointment")) is not None,
                    "ends": sch.get("ends"),
                    "starts": sch.get("starts"),
                }
            acc = g.find(q(FEED_NS, "access"))
            el = g.find(q(FEED_NS, "eligibility"))
            elig = {"min": None, "max": None, "gender": "any", "requires": [], "referral": "self"}
            if el is not None:
                elig["min"] = int(el.get("min-age")) if el.get("min-age") else None
                elig["max"] = int(el.get("max-age")) if el.get("max-age") else None
                elig["gender"] = el.get("gender", "any")
                elig["referral"] = el.get("referral", "self")
                elig["requires"] = [r.text.strip() for r in el.findall(q(FEED_NS, "requires"))]
            c = g.find(q(FEED_NS, "cost"))
            cost = None
            if c is not None:
                if c.get("free") == "yes":
                    cost = 0.0
                else:
                    cost = float(c.get("amount"))
            cap = g.find(q(FEED_NS, "capacity"))
            status = cap.get("status", "open") if cap is not None else "open"
            langs = (g.findtext(q(FEED_NS, "languages")) or "en").split()
            tagged = g.find(q(FEED_NS, "needs")) is not None or g.find(q(FEED_NS, "activities")) is not None
            groups["%s/%s" % (fid, gid)] = dict(
                venues=venues, online=online, home_visits=home_visits, area=area,
                schedule=schedule, wheelchair=tri(acc, "wheelchair"), step_free=tri(acc, "step-free"),
                elig=elig, cost=cost, status=status, langs=langs, tagged=tagged)
    return groups


def parse_patients():
    pats = {}
    for path in sorted(glob.glob(os.path.join(HERE, "patients", "*.xml"))):
        root = parse_xml(path, PAT_NS, "patient")
        if root is None:
            continue
        pid = root.get("id")
        if os.path.basename(path) != pid + ".xml":
            err("%s: file not named after patient id %s" % (path, pid))
        counts = {}
        for ch in root:
            counts[ch.tag] = counts.get(ch.tag, 0) + 1
        for t, n in counts.items():
            if n > 1:
                err("%s: %s appears %d times" % (pid, t, n))
        age = root.findtext(q(PAT_NS, "age"))
        home = root.find(q(PAT_NS, "home"))
        hpc = home.get("postcode") if home is not None else None
        hp = home.find(q(PAT_NS, "point")) if home is not None else None
        point_given = hp is not None
        if hp is not None:
            hpt = (float(hp.get("lat")), float(hp.get("lon")))
        elif hpc:
            hpt = pc_point(hpc)
        else:
            hpt = None
        if hpc is None and hpt is not None:
            hpc = nearest_district(hpt)
        mob = root.find(q(PAT_NS, "mobility"))
        mobd = dict(mob.attrib) if mob is not None else {}
        av = root.find(q(PAT_NS, "availability"))
        windows = None
        if av is not None:
            windows = [(w.get("day"), mins(w.get("start")), mins(w.get("end")))
                       for w in av.findall(q(PAT_NS, "window"))]
        b = root.find(q(PAT_NS, "budget"))
        budget = float(b.get("max-per-session")) if b is not None and b.get("max-per-session") else None
        pats[pid] = dict(
            age=int(age) if age else None,
            gender=root.findtext(q(PAT_NS, "gender")) or None,
            circ=(root.findtext(q(PAT_NS, "circumstances")) or "").split(),
            langs=(root.findtext(q(PAT_NS, "languages")) or "en").split(),
            home_pc=hpc, home_pt=hpt, point_given=point_given,
            max_km=float(mobd["max-travel-km"]) if "max-travel-km" in mobd else None,
            wheelchair=mobd.get("wheelchair") == "yes", step_free=mobd.get("step-free") == "yes",
            online=mobd.get("online") == "yes", housebound=mobd.get("housebound") == "yes",
            windows=windows, budget=budget)
    return pats


# ---------------------------------------------------------------- the 8 rules

def breaches(p, g):
    out = []
    # 1 access
    if p["wheelchair"] and g["wheelchair"] == "no":
        out.append("1:wheelchair")
    if p["step_free"] and g["step_free"] == "no":
        out.append("1:step-free")
    # 2 age, gender, requires
    e = g["elig"]
    if p["age"] is not None:
        if e["min"] is not None and p["age"] < e["min"]:
            out.append("2:under-min-age")
        if e["max"] is not None and p["age"] > e["max"]:
            out.append("2:over-max-age")
    if e["gender"] in ("female", "male") and p["gender"] != e["gender"]:
        out.append("2:gender")
    for r in e["requires"]:
        if r not in p["circ"]:
            out.append("2:requires-" + r)
    # 3 reach
    reach = False
    if not p["housebound"] and p["home_pt"] is not None:
        for v in g["venues"]:
            if p["max_km"] is None or km(p["home_pt"], v) <= p["max_km"]:
                reach = True
    if g["online"] and p["online"]:
        reach = True
    if g["home_visits"] and p["home_pt"] is not None:
        r, c = g["home_visits"]
        if km(p["home_pt"], c) <= r:
            reach = True
    if not g["venues"] and not g["online"] and not g["home_visits"]:
        reach = bool(g["area"]) and p["home_pc"] is not None and in_area(p["home_pc"], g["area"])
    if not reach:
        out.append("3:reach")
    # 4 schedule
    s = g["schedule"]
    if s is not None and p["windows"] is not None and not s["appointment"] and s["sessions"]:
        ok = False
        for d, a, b in s["sessions"]:
            for wd, wa, wb in p["windows"]:
                if d == wd and min(b, wb) - max(a, wa) >= 30:
                    ok = True
        if not ok:
            out.append("4:schedule")
    # 5 cost
    if g["cost"] is not None and p["budget"] is not None and g["cost"] > p["budget"]:
        out.append("5:cost")
    # 6 closed / ended
    if g["status"] == "closed":
        out.append("6:closed")
    if s is not None and s["ends"] and s["ends"] < TODAY:
        out.append("6:ended")
    # 7 language
    if not set(p["langs"]) & set(g["langs"]):
        out.append("7:language")
    # 8 area served
    if g["area"]:
        if p["home_pc"] is None or not in_area(p["home_pc"], g["area"]):
            out.append("8:area")
    return out


def nearest_venue_km(p, g):
    if p["home_pt"] is None or not g["venues"]:
        return None
    return min(km(p["home_pt"], v) for v in g["venues"])


def main():
    groups = parse_feeds()
    pats = parse_patients()
    print("groups: %d  patients: %d" % (len(groups), len(pats)))
    untagged = sum(1 for g in groups.values() if not g["tagged"])
    print("groups with no needs/activities tags: %d" % untagged)

    # qrels
    qrels = {}
    qpath = os.path.join(HERE, "qrels.txt")
    with open(qpath) as fh:
        for n, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4 or parts[1] != "0" or parts[3] not in "0123":
                err("qrels line %d malformed: %r" % (n, line))
                continue
            key = (parts[0], parts[2])
            if key in qrels:
                err("qrels line %d: duplicate pair %s" % (n, key))
            qrels[key] = int(parts[3])
    for pid in pats:
        for gk in groups:
            if (pid, gk) not in qrels:
                err("qrels: missing %s %s" % (pid, gk))
    for (pid, gk) in qrels:
        if pid not in pats or gk not in groups:
            err("qrels: unknown pair %s %s" % (pid, gk))

    # constraints
    dist = {0: 0, 1: 0, 2: 0, 3: 0}
    for pid, p in sorted(pats.items()):
        n3 = 0
        for gk, g in sorted(groups.items()):
            grade = qrels.get((pid, gk), 0)
            dist[grade] += 1
            b = breaches(p, g)
            if grade > 0 and b:
                err("%s %s graded %d but breaks %s" % (pid, gk, grade, ",".join(b)))
            if grade == 3:
                n3 += 1
            # postcode-only homes: warn if a reach decision is within 2 km of the limit
            if not p["point_given"] and p["max_km"] is not None:
                d = nearest_venue_km(p, g)
                if d is not None and abs(d - p["max_km"]) < 2.0:
                    warnings.append("%s %s: venue %.1f km from district centre, limit %.0f km (postcode-only home)"
                                    % (pid, gk, d, p["max_km"]))
            if "--feasible" in sys.argv and not b:
                d = nearest_venue_km(p, g)
                print("  feasible %s %-55s grade %d %s" % (pid, gk, grade, "" if d is None else "%.1fkm" % d))
        if n3 < 2:
            err("%s has only %d grade-3 groups" % (pid, n3))

    # duplicates
    dpath = os.path.join(HERE, "duplicates.txt")
    ndup = 0
    with open(dpath) as fh:
        for line in fh:
            keys = line.split()
            if not keys:
                continue
            ndup += 1
            for k in keys:
                if k not in groups:
                    err("duplicates: unknown key %s" % k)
            if len({k.split("/")[0] for k in keys}) < 2:
                err("duplicates: %s not in two feeds" % keys)
            for pid in pats:
                gs = {qrels.get((pid, k), 0) for k in keys}
                if len(gs) > 1:
                    err("duplicates: %s grades differ for %s: %s" % (pid, keys, gs))

    print("duplicate groups: %d" % ndup)
    print("grade distribution: " + "  ".join("%d:%d" % (k, v) for k, v in sorted(dist.items())))
    for w in warnings:
        print("WARNING " + w)
    for e in errors:
        print("ERROR " + e)
    print("CLEAN" if not errors else "%d errors" % len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
