#ifndef UTIL_H
#define UTIL_H
struct pair { int a, b; };
#define SQUARE(x) ((x) * (x))
static inline struct pair make_pair(int a, int b) { struct pair p = {a, b}; return p; }
int sum_pair(struct pair p);
#endif
