#include <stdio.h>
#include "util.h"

#define GREETING "hello from distcc"

int main(int argc, char **argv) {
  struct pair p = make_pair(argc, 2);
  printf("%s %d %s\n", GREETING, sum_pair(p), argv[0]);
  return 0;
}
