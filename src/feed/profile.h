/*
 * What the layers above see of a profile beyond kith/profile.h: the person
 * as the model holds it, for the matcher and the benchmark's judge.
 */
#ifndef KITH_FEED_PROFILE_H
#define KITH_FEED_PROFILE_H

#include "kith/profile.h"
#include "model/model.h"

/* The parsed profile (borrowed from p; valid until p is freed or changed). */
const kith_patient *kith_profile_patient(const kith_profile *p);

#endif
