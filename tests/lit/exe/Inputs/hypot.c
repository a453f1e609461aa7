#include <math.h>

double c_hypot(double x, double y) { return sqrt(x * x + y * y); }
