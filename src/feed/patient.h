/*
 * Internal view of a profile, for the matcher.
 */
#ifndef KITH_PATIENT_H
#define KITH_PATIENT_H

#include "kith/profile.h"
#include "model/model.h"

/* The parsed profile (borrowed from p; valid until p is freed or changed). */
const kith_patient *kith_profile_patient(const kith_profile *p);

#endif
