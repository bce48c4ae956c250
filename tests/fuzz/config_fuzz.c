/*
 * config_fuzz.c - libFuzzer harness for the config loader (lib/config.c,
 * and the calendars, zones, rules and durations it validates): the input
 * is a config file's text, given to inc_config_parse() as "fuzz.json".
 * config_use.h then puts a config that loads to work.
 *
 * Invariants: a refused config names the file ("fuzz.json: ...", SPEC
 * section 5); a loaded one keeps what validation promised (see
 * config_use.h); nothing leaks, overflows or reads out of bounds.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "config_use.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config_try((const char *)data, size);
	return 0;
}
