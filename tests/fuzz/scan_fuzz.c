/*
 * scan_fuzz.c - libFuzzer harness for the scanner that reads a line's id
 * without building its object (inc_json_scan_object, lib/json.c), which
 * inc-classify, inc-assign, inc-close and inc-escalate use on every line
 * of their input instead of Jansson.
 *
 * Invariants: where the scanner says "certainly valid",
 *  - Jansson (json_loadb, JSON_REJECT_DUPLICATES, as input.c reads a
 *    line) reads the same bytes without an error, as an object;
 *  - the value text it found for "id" is that object's "id" (Jansson
 *    reads the text alone to an equal value), and it found none exactly
 *    when the object has no "id".
 * Where it is unsure nothing is claimed: Jansson reads the line then.
 */
#define _GNU_SOURCE
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *v;
	size_t vn;
	json_error_t je;
	json_t *o, *id, *val;

	if (!inc_json_scan_object((const char *)data, size, "id", &v, &vn))
		return 0;
	o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	FUZZ_CHECK(o && json_is_object(o), "scanned as valid, Jansson says: %s", je.text);
	id = json_object_get(o, "id");
	FUZZ_CHECK(!id == !v, "\"id\" %s by the scanner, %s by Jansson", v ? "found" : "absent",
		   id ? "found" : "absent");
	if (v) {
		FUZZ_CHECK(v >= (const char *)data && v + vn <= (const char *)data + size,
			   "the id's text lies outside the line");
		val = json_loadb(v, vn, JSON_DECODE_ANY, &je);
		FUZZ_CHECK(val && json_equal(val, id), "the id's text (%.*s) is not Jansson's id",
			   (int)vn, v);
		json_decref(val);
	}
	json_decref(o);
	return 0;
}
