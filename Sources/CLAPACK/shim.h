// Debian: cblas.h from libopenblas-dev (found through pkg-config's include path),
// lapacke.h from liblapacke-dev. OpenBLAS carries the Fortran LAPACK symbols;
// Debian's build leaves out LAPACKE, so the module map links liblapacke too.
#include <cblas.h>
#include <lapacke.h>
