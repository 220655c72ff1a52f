#ifndef Py_INTERNAL_EMBER_INIT_H
#define Py_INTERNAL_EMBER_INIT_H
/* Ember's start-up step and its boolean options (Python/ember_init.c). */
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* `-X NAME`, `-X NAME=1`, `-X NAME=0` (the last one given wins), else the
   environment variable ENVVAR ("1", "0" or empty) unless -E: 1 on, 0 off,
   -1 after printing to stderr why the setting is bad. */
extern int _PyEmber_BoolOption(const PyConfig *config, const wchar_t *name,
                               const char *envvar);

/* Start-up of the main interpreter, after site: reads -X eager-coro and -X
   immortalize-heap (and their environment variables), and immortalizes
   the heap when asked.  Exit status 2 for a bad value. */
extern PyStatus _PyEmber_InitMain(PyThreadState *tstate);

#endif /* !Py_INTERNAL_EMBER_INIT_H */
