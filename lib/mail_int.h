/*
 * mail_int.h - the text clean-up of mail_text.c that mail.c and html.c
 * share, not part of the API: to the guarantees inc.h promises for mail.
 */
#ifndef INC_MAIL_INT_H
#define INC_MAIL_INT_H

#include <stddef.h>

struct inc_buf;

/* Well-formed UTF-8 (NUL and control characters allowed: clean-up comes
 * later): whether undeclared 8-bit text is UTF-8 or a legacy charset. */
int inc_mail_utf8_ok(const unsigned char *p, size_t n);

/* Appends s[0..n) to b as valid UTF-8 (invalid bytes as U+FFFD) without
 * control characters. body: CR LF and lone CR become LF, tabs stay, other
 * controls go. Not body: every control character, LF and tab included,
 * becomes a space. */
void inc_mail_clean(struct inc_buf *b, const char *s, size_t n, int body);

/* A header field's text: cleaned, runs of white space folded to one space,
 * trimmed. Malloc'd; NULL for NULL or for nothing left. */
char *inc_mail_clean_header(const char *s);

/* Tidies body text in place: trailing white space of each line, blank lines
 * at both ends, and (squeeze) runs of blank lines down to one. */
void inc_mail_tidy(struct inc_buf *b, int squeeze);

#endif
