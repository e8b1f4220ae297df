/*
 * kith: match people to the community groups that can help them, for
 * social prescribing.  Include this header for the whole public API.
 */
#ifndef KITH_H
#define KITH_H

#include "kith/common.h"
#include "kith/bench.h"
#include "kith/check.h"
#include "kith/import.h"
#include "kith/index.h"
#include "kith/match.h"
#include "kith/profile.h"
#include "kith/render.h"
#include "kith/vocab.h"

#endif
