// Debian: coinor-libclp-dev and coinor-libcbc-dev put the C interfaces of
// COIN-OR's LP solver (Clp) and branch-and-cut solver (Cbc) in /usr/include/coin,
// found through pkg-config's cbc.pc.
#include <coin/Clp_C_Interface.h>
#include <coin/Cbc_C_Interface.h>
