#include "a.h"
#include <b.h>
#include CONFIG_H
#define F(x) <x.h>
#include F(stdio)
