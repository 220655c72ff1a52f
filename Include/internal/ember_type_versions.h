/* Which live type has a given type version (Jit/type_versions.c owns the
 * map).  Patch 0010-type-versions calls the two hooks from
 * Objects/typeobject.c; the JIT's builder asks _PyJit_TypeOfVersion()
 * before it follows a pointer that a specialized instruction's inline
 * cache keeps next to a type version (docs/jit.md). */
#ifndef EMBER_TYPE_VERSIONS_H
#define EMBER_TYPE_VERSIONS_H

#include "Python.h"

/* type was just given a new tp_version_tag. */
PyAPI_FUNC(void) _PyEmber_TypeVersionAssigned(PyTypeObject *type);
/* type's tp_version_tag is about to go (it is reset, or type dies). */
PyAPI_FUNC(void) _PyEmber_TypeVersionDropped(PyTypeObject *type);
/* The live type whose tp_version_tag is version, or NULL. */
PyAPI_FUNC(PyTypeObject *) _PyJit_TypeOfVersion(unsigned int version);

#endif /* EMBER_TYPE_VERSIONS_H */
