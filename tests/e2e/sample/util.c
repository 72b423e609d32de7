#include <string.h>
#include "util.h"

int sum_pair(struct pair p) {
  int total = 0;
  for (int i = 0; i < p.a; i++)   total += SQUARE(i) + p.b;
  return total;
}
