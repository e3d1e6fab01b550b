// The public header compiled and linked as C++ (see header_test.c).
#include "header_test.c"
